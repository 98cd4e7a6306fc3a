/*
 * cmd_reload.c - "valuesbot reload": asks the running bot, through its
 * HTTP listener on loopback, to reload config and KBs, and says whether
 * it did.  The same as sending the bot SIGHUP, but with an answer.
 */
#include "bot/cmd/cmd.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "bot/adapters/adapter.h"
#include "bot/base/args.h"
#include "bot/core/config.h"

int
cmd_reload(int argc, char **argv)
{
    const char *conf = NULL, *pos[1];
    const struct args_opt opts[] = {{"--config", true, &conf}};
    struct config *cfg = NULL;
    char *why = NULL, *body = NULL;
    json_t *root;
    long status;
    int npos, rc = 2;

    if (!args_scan(argc, argv, opts, 1, pos, 0, &npos)) {
        fprintf(stderr, "usage: valuesbot reload [--config FILE]\n");
        return 2;
    }
    if (config_load(conf, cmd_default_kb_path(), &cfg, &why) != BOT_OK) {
        fprintf(stderr, "valuesbot: config: %s\n", why);
        goto out;
    }
    if (adapter_http_call(cfg->http_listen, "POST", "/reload", &status, &body, &why) !=
        BOT_OK) {
        fprintf(stderr, "valuesbot: reload: %s (is `valuesbot run` running?)\n", why);
        goto out;
    }
    root = json_loads(body, 0, NULL);
    if (status == 200) {
        printf("reloaded\n");
        rc = 0;
    } else {
        const char *e = json_string_value(json_object_get(root, "error"));

        fprintf(stderr, "valuesbot: reload refused (HTTP %ld): %s\n", status,
                e != NULL ? e : "no reason given");
        rc = 1;
    }
    json_decref(root);
out:
    free(body);
    free(why);
    config_free(cfg);
    return rc;
}
