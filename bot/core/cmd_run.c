/*
 * cmd_run.c - "valuesbot run": the daemon.  Loads the config and every KB,
 * connects each configured platform, answers until SIGTERM or SIGINT, then
 * drains: stops taking events, lets in-flight replies finish for up to
 * BOT_DRAIN_MS, closes cleanly and exits 0.
 */
#include "bot/core/cmd.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bot/adapters/adapter.h"
#include "bot/base/args.h"
#include "bot/base/log.h"
#include "bot/core/bot.h"
#include "bot/core/config.h"
#include "bot/core/converse.h"
#include "bot/core/store.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_set.h"

/*
 * Seconds of silence that end an induction tour: env VALUESBOT_TOUR_TIMEOUT_SECS
 * (1 to 86400), else 0 for the default (INDUCTION_TIMEOUT).  Tests set it short.
 */
static unsigned
tour_timeout(void)
{
    const char *v = getenv("VALUESBOT_TOUR_TIMEOUT_SECS");
    char *end;
    unsigned long n;

    if (v == NULL || *v == '\0')
        return 0;
    n = strtoul(v, &end, 10);
    if (*end != '\0' || v[0] == '-' || n < 1 || n > 86400) {
        log_warnx("run: VALUESBOT_TOUR_TIMEOUT_SECS must be 1 to 86400; the default "
                  "is used");
        return 0;
    }
    return (unsigned)n;
}

static void
on_signal(void *arg, int signum)
{
    log_info("run: %s received", signum == SIGTERM ? "SIGTERM" : "SIGINT");
    bot_stop(arg);
}

int
cmd_run(int argc, char **argv)
{
    const char *kb = NULL, *conf = NULL, *pos[1];
    const struct args_opt opts[] = {{"--kb", true, &kb}, {"--config", true, &conf}};
    struct config *cfg = NULL;
    struct kb_set *set = NULL;
    struct kb_engine *engine = NULL;
    struct store *st = NULL;
    struct converse *cv = NULL;
    struct net_loop *loop = NULL;
    struct bot *b = NULL;
    enum log_level level;
    char *why = NULL;
    int npos, status = 2;

    if (!args_scan(argc, argv, opts, 2, pos, 0, &npos)) {
        fprintf(stderr, "usage: valuesbot run [--config FILE] [--kb PATH]\n");
        return 2;
    }
    if (config_load(conf, cmd_default_kb_path(), &cfg, &why) != BOT_OK) {
        fprintf(stderr, "valuesbot: config: %s\n", why);
        goto out;
    }
    if (log_level_parse(cfg->log_level, &level))
        log_set_level(level);
    log_set_json(cfg->log_json);
    if (kb_set_load(kb ? kb : cfg->kb_path, &set, &why) != BOT_OK) {
        fprintf(stderr, "valuesbot: %s\n", why);
        goto out;
    }
    if (kb_set_find(set, cfg->default_org) == NULL) {
        fprintf(stderr, "valuesbot: no KB for the default org \"%s\"\n",
                cfg->default_org);
        goto out;
    }
    engine = kb_engine_new(set, cfg->decline_threshold, cfg->tie_margin);
    /* Without the unanswered log the bot still answers; it says why once. */
    if (store_open(cfg->db_path, true, cfg->retention_days, time(NULL), &st, &why) !=
        BOT_OK) {
        log_warnx("run: %s; unanswered questions will not be recorded", why);
        free(why);
        why = NULL;
    }
    cv = converse_new(engine, set, st, cfg->decline_threshold, tour_timeout());
    loop = adapter_loop_new();
    b = bot_new(cfg, set, cv, st, loop);
    if (cfg->slack.configured &&
        bot_add_adapter(b, "slack", "slack", &cfg->slack) != BOT_OK)
        goto out;
    if (cfg->mattermost.configured &&
        bot_add_adapter(b, "mattermost", "mattermost", &cfg->mattermost) != BOT_OK)
        goto out;
    if (bot_adapter_count(b) == 0) {
        fprintf(stderr, "valuesbot: no chat platform configured: set SLACK_APP_TOKEN and "
                        "SLACK_BOT_TOKEN, or MATTERMOST_URL and MATTERMOST_TOKEN "
                        "(see README)\n");
        goto out;
    }
    if (adapter_loop_on_signal(loop, SIGTERM, on_signal, b) != BOT_OK ||
        adapter_loop_on_signal(loop, SIGINT, on_signal, b) != BOT_OK) {
        fprintf(stderr, "valuesbot: cannot watch signals\n");
        goto out;
    }
    log_info("run: %zu knowledge base(s), default org %s", kb_set_count(set),
             cfg->default_org);
    (void)bot_start(b);
    adapter_loop_run(loop);
    log_info("run: stopped");
    status = 0;
out:
    bot_free(b);
    adapter_loop_free(loop);
    converse_free(cv);
    store_free(st);
    kb_engine_free(engine);
    kb_set_free(set);
    config_free(cfg);
    free(why);
    return status;
}
