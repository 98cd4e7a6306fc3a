/* main.c - argv to subcommand; no logic lives here. */
#include <stdio.h>
#include <string.h>

#include "bot/adapters/adapter.h"
#include "bot/base/xmalloc.h"
#include "bot/cmd/cmd.h"

#ifndef VALUESBOT_VERSION
#define VALUESBOT_VERSION "0.1.0"
#endif

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
int _gnutls_global_init_skip(void);

int
_gnutls_global_init_skip(void)
{
    return 1;
}

static void
usage(FILE *f)
{
    fprintf(
        f,
        "usage: valuesbot COMMAND [ARGS]\n"
        "\n"
        "  run [--config FILE] [--kb PATH]       connect to Slack and answer (daemon)\n"
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

int
main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : "";

    xmalloc_json_init();
    if (strcmp(cmd, "kb") == 0)
        return cmd_kb(argc - 2, argv + 2);
    if (strcmp(cmd, "config") == 0)
        return cmd_config(argc - 2, argv + 2);
    if (strcmp(cmd, "ask") == 0)
        return cmd_ask(argc - 2, argv + 2);
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 2, argv + 2);
    if (strcmp(cmd, "reload") == 0)
        return cmd_reload(argc - 2, argv + 2);
    if (strcmp(cmd, "chat") == 0)
        return cmd_chat(argc - 2, argv + 2);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc - 2, argv + 2);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("valuesbot %s (platforms:", VALUESBOT_VERSION);
        for (size_t i = 0; adapter_ops_at(i) != NULL; i++)
            printf(" %s", adapter_ops_at(i)->kind);
        printf(")\n");
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
        strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    usage(stderr);
    return 2;
}
