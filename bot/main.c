/*
 * main.c - argv to subcommand; no logic lives here.
 *
 * Built twice.  valuesbot-net is the whole program.  valuesbot, built with
 * VALUESBOT_LEAN, holds the commands that never touch the network (ask,
 * chat, kb from files, config, report) and links only jansson, utf8proc
 * and SQLite; for run, reload, version and a kb command naming a URL it
 * executes valuesbot-net in its place (same PID, same arguments).  A
 * process maps every library it links at start whether it calls it or
 * not: libcurl, libwebsockets, libuv, OpenSSL and the 30 libraries they
 * bring cost `valuesbot ask` about 6 MB of its 9 MB, for nothing.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bot/base/xmalloc.h"
#include "bot/cmd/cmd.h"
#ifndef VALUESBOT_LEAN
#include "bot/adapters/adapter.h"
#include "bot/net/fetch.h"
#endif

#ifndef VALUESBOT_VERSION
#define VALUESBOT_VERSION "0.1.0"
#endif

#ifndef VALUESBOT_LEAN
/*
 * GnuTLS is in this process only because Debian's libcurl links librtmp and
 * libldap, which link it; nothing here uses it (curl is limited to http and
 * https, over OpenSSL).  Its library constructor would still initialise it
 * (priority configuration, PKCS#11 trust modules, ASN.1 trees): about
 * 0.8 MB of RSS for nothing.  GnuTLS skips that implicit initialisation
 * when the program defines this function: the library's own definition is
 * weak so that a program can (its tests/global-init-override.c does this).
 * The Makefile exports it (--export-dynamic-symbol) for the constructor to
 * find.  Anything that calls gnutls_global_init() itself is unaffected.
 */
#ifndef VALUESBOT_LIBEXECDIR
#define VALUESBOT_LIBEXECDIR "/usr/local/libexec/valuesbot"
#endif

int _gnutls_global_init_skip(void);

int
_gnutls_global_init_skip(void)
{
    return 1;
}
#endif

static void
usage(FILE *f)
{
    fprintf(
        f,
        "usage: valuesbot COMMAND [ARGS]\n"
        "\n"
        "  run [--config FILE] [--kb PATH]       answer on the configured platform, or\n"
        "                                        serve the web chat (daemon)\n"
        "  reload [--config FILE]                make the running bot reload config and "
        "KBs\n"
        "  chat [--org ID] [--kb PATH]           talk to the bot in the terminal\n"
        "  ask [--org ID] [--json] [QUESTION...] answer questions (stdin if none)\n"
        "  kb build SOURCE --org ID --name NAME  build a KB from a strategy document\n"
        "  kb check FILE...                      validate KB files\n"
        "  kb show [FILE|DIR]                    summarise KBs\n"
        "  config check [FILE]                   validate a configuration\n"
        "  report [--org ID] [--since DATE] [--json]\n"
        "                                        questions the bot could not answer\n"
        "  version                               print the version\n");
}

static int
cmd_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    usage(stdout);
    return 0;
}

#ifndef VALUESBOT_LEAN
static int
cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("valuesbot %s (platforms:", VALUESBOT_VERSION);
    for (size_t i = 0; adapter_ops_at(i) != NULL; i++)
        printf(" %s", adapter_ops_at(i)->kind);
    printf(")\n");
    return 0;
}
#define NET(fn) fn
#else
#define NET(fn) NULL
#endif

/*
 * Every command, once.  A NULL entry is a command of valuesbot-net alone
 * (it listens, connects or fetches): the lean program executes that one.
 */
static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"kb", cmd_kb},
    {"config", cmd_config},
    {"ask", cmd_ask},
    {"chat", cmd_chat},
    {"report", cmd_report},
    {"run", NET(cmd_run)},
    {"reload", NET(cmd_reload)},
    {"version", NET(cmd_version)},
    {"--version", NET(cmd_version)},
    {"help", cmd_help},
    {"--help", cmd_help},
    {"-h", cmd_help},
};

static const struct command *
command_find(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

#ifdef VALUESBOT_LEAN
/* True when the command needs valuesbot-net: it listens, connects or fetches. */
static bool
needs_network(const struct command *c, int argc, char **argv)
{
    if (c != NULL && c->run == NULL)
        return true;
    if (c == NULL || c->run != cmd_kb)
        return false;
    for (int i = 2; i < argc; i++)
        if (strncmp(argv[i], "https://", 8) == 0 || strncmp(argv[i], "http://", 7) == 0)
            return true;
    return false;
}

/*
 * Replaces this process with valuesbot-net, found beside this program (a
 * build tree, or an install that keeps them together), else in the
 * libexec directory `make install` uses.  Returns only on failure.
 */
static int
exec_network(char **argv)
{
    char self[PATH_MAX], path[PATH_MAX + 16];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash != NULL) {
            *slash = '\0';
            snprintf(path, sizeof(path), "%s/valuesbot-net", self);
            execv(path, argv);
        }
    }
    snprintf(path, sizeof(path), "%s/valuesbot-net", VALUESBOT_LIBEXECDIR);
    execv(path, argv);
    fprintf(stderr, "valuesbot: %s needs %s, which cannot be started: %s\n", argv[1],
            path, strerror(errno));
    return 2;
}
#endif

int
main(int argc, char **argv)
{
    const struct command *c = command_find(argc > 1 ? argv[1] : "");

#ifdef VALUESBOT_LEAN
    if (needs_network(c, argc, argv))
        return exec_network(argv);
#else
    cmd_fetch_url = fetch_url;
#endif
    if (c == NULL) {
        usage(stderr);
        return 2;
    }
    xmalloc_json_init();
    return c->run(argc - 2, argv + 2);
}
