/* cmd_config.c - "valuesbot config check [FILE]": validate a configuration. */
#include "bot/cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bot/core/config.h"
#include "bot/kb/kb_set.h"

#ifndef VALUESBOT_DATADIR
#define VALUESBOT_DATADIR "/usr/local/share/valuesbot"
#endif

const char *
cmd_default_kb_path(void)
{
    static char path[4096];
    ssize_t n;
    const char *v = getenv("VALUESBOT_KB");

    if (v != NULL && v[0] != '\0')
        return v;
    if (access("knowledge/tewv.json", R_OK) == 0 ||
        access("knowledge/cwpt.json", R_OK) == 0)
        return "knowledge";
    /* build/valuesbot in a source tree: ../knowledge beside the binary's folder. */
    n = readlink("/proc/self/exe", path, sizeof(path) - 32);
    if (n > 0) {
        path[n] = '\0';
        for (int up = 0; up < 2; up++) {
            char *slash = strrchr(path, '/');

            if (slash == NULL)
                break;
            *slash = '\0';
        }
        snprintf(path + strlen(path), 32, "/knowledge");
        if (access(path, R_OK) == 0)
            return path;
    }
    return VALUESBOT_DATADIR "/knowledge";
}

static int
check_org(const struct kb_set *set, const char *what, const char *org)
{
    if (kb_set_find(set, org) != NULL)
        return 0;
    fprintf(stderr, "%s: org \"%s\" has no KB\n", what, org);
    return 2;
}

int
cmd_config(int argc, char **argv)
{
    struct config *cfg;
    struct kb_set *set;
    char *why;
    int status = 0;
    const char *name;

    if (argc < 1 || strcmp(argv[0], "check") != 0 || argc > 2) {
        fprintf(stderr, "usage: valuesbot config check [FILE]\n");
        return 2;
    }
    if (config_load(argc == 2 ? argv[1] : NULL, cmd_default_kb_path(), &cfg, &why)) {
        fprintf(stderr, "valuesbot: config: %s\n", why);
        free(why);
        return 2;
    }
    name = cfg->file ? cfg->file : "(defaults and environment)";
    if (kb_set_load(cfg->kb_path, &set, &why) != BOT_OK) {
        fprintf(stderr, "%s: kb_path: %s\n", name, why);
        free(why);
        config_free(cfg);
        return 2;
    }
    status |= check_org(set, "default_org", cfg->default_org);
    for (size_t i = 0; i < cfg->slack.nroutes; i++)
        status |= check_org(set, "slack route", cfg->slack.routes[i].org);
    for (size_t i = 0; i < cfg->mattermost.nroutes; i++)
        status |= check_org(set, "mattermost route", cfg->mattermost.routes[i].org);
    for (size_t i = 0; i < cfg->teams.nroutes; i++)
        status |= check_org(set, "teams route", cfg->teams.routes[i].org);
    if (status == 0) {
        printf("%s: ok\n", name);
        printf("  default org %s; %zu KBs from %s\n", cfg->default_org, kb_set_count(set),
               cfg->kb_path);
        printf("  slack: %s; mattermost: %s; teams: %s\n",
               cfg->slack.configured ? "configured (tokens set)" : "not configured",
               cfg->mattermost.configured ? "configured (token set)" : "not configured",
               !cfg->teams.configured ? "not configured"
               : cfg->teams.tenant_id
                   ? "configured (app id and password set, one tenant)"
                   : "configured (app id and password set, any tenant)");
    }
    kb_set_free(set);
    config_free(cfg);
    return status;
}
