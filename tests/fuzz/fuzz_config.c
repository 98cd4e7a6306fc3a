/*
 * fuzz_config.c - libFuzzer entry point for the configuration loader.
 *
 * config_load() takes a path, so each input is put in an anonymous
 * in-memory file (memfd_create) and loaded through /proc/self/fd/N: no
 * file is written to disk.  Variables the loader reads are cleared once,
 * and stdin is /dev/null so that a config naming /dev/stdin as a token
 * file cannot stall the run.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bot/core/config.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char *const names[] = {"VALUESBOT_CONFIG",
                                        "VALUESBOT_ORG",
                                        "VALUESBOT_KB",
                                        "VALUESBOT_DB",
                                        "VALUESBOT_HTTP",
                                        "VALUESBOT_LOG_LEVEL",
                                        "VALUESBOT_LOG_FORMAT",
                                        "VALUESBOT_DECLINE_THRESHOLD",
                                        "VALUESBOT_RETENTION_DAYS",
                                        "SLACK_API_URL",
                                        "SLACK_APP_TOKEN",
                                        "SLACK_APP_TOKEN_FILE",
                                        "SLACK_BOT_TOKEN",
                                        "SLACK_BOT_TOKEN_FILE",
                                        "MATTERMOST_URL",
                                        "MATTERMOST_CA_FILE",
                                        "MATTERMOST_TOKEN",
                                        "MATTERMOST_TOKEN_FILE"};
    int fd = open("/dev/null", O_RDONLY);

    (void)argc;
    (void)argv;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        unsetenv(names[i]);
    if (fd >= 0) {
        dup2(fd, 0);
        close(fd);
    }
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config *cfg = NULL;
    char *why = NULL, path[64];
    int fd = memfd_create("fuzz-config", 0);
    size_t off = 0;

    if (fd < 0)
        abort();
    while (off < size) {
        ssize_t n = write(fd, data + off, size - off);

        if (n <= 0)
            abort();
        off += (size_t)n;
    }
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    if (config_load(path, "knowledge", &cfg, &why) != BOT_OK) {
        if (why == NULL || cfg != NULL)
            abort(); /* a refusal must give a reason and no config */
    } else {
        if (why != NULL || cfg == NULL || cfg->default_org == NULL ||
            cfg->kb_path == NULL)
            abort();
        for (size_t i = 0; i < cfg->slack.nroutes; i++) {
            const struct config_route *r = &cfg->slack.routes[i];

            if (config_route_find(&cfg->slack, r->scope, r->id) == NULL)
                abort();
        }
    }
    free(why);
    config_free(cfg);
    close(fd);
    return 0;
}
