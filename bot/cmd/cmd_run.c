/*
 * cmd_run.c - "valuesbot run": the daemon.  Loads the config and every KB,
 * connects each configured platform, answers until SIGTERM or SIGINT, then
 * drains: stops taking events, lets in-flight replies finish for up to
 * BOT_DRAIN_MS, closes cleanly and exits 0.
 */
#include "bot/cmd/cmd.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot/adapters/adapter.h"
#include "bot/base/args.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
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

/* What a reload replaces; everything else (connections, tours, dedupe) stays. */
struct run {
    const char *conf_path; /* borrowed: --config, or NULL */
    const char *kb_path;   /* borrowed: --kb, or NULL for the config's */
    struct config *cfg;
    struct kb_set *set;
    struct kb_engine *engine;
    struct converse *cv; /* borrowed */
    struct bot *b;       /* borrowed */
};

static bool
same(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool
same_platform(const struct config_platform *a, const struct config_platform *b)
{
    bool eq = a->configured == b->configured && same(a->url, b->url) &&
              same(a->token, b->token) && same(a->app_token, b->app_token) &&
              same(a->ca_file, b->ca_file) && a->nslash == b->nslash &&
              same(a->app_id, b->app_id) && same(a->tenant_id, b->tenant_id) &&
              same(a->token_url, b->token_url) && same(a->allowed_urls, b->allowed_urls);

    for (size_t i = 0; eq && i < a->nslash; i++)
        eq = same(a->slash_commands[i], b->slash_commands[i]);
    return eq;
}

/* The web chat's settings are read when its listener starts. */
static bool
same_web(const struct config_web *a, const struct config_web *b)
{
    return a->enabled == b->enabled && same(a->origins, b->origins) &&
           same(a->trusted_proxies, b->trusted_proxies) &&
           same(a->user_header, b->user_header) && a->max_message == b->max_message &&
           a->max_conns == b->max_conns && a->idle_secs == b->idle_secs &&
           a->conn_burst == b->conn_burst && a->conn_per_min == b->conn_per_min &&
           a->addr_burst == b->addr_burst && a->addr_per_min == b->addr_per_min;
}

/*
 * The bot_reload_fn: loads the config and every KB again, beside the ones
 * in use, and swaps them in only when all loaded.  Runs on the loop thread
 * between events (a few milliseconds), so no answer sees half of each.
 */
static bool
reload(void *arg, char **why)
{
    struct run *r = arg;
    struct config *cfg = NULL;
    struct kb_set *set = NULL;
    struct kb_engine *old_engine = r->engine;
    struct kb_set *old_set = r->set;
    struct config *old_cfg = r->cfg;
    enum log_level level;
    char *err = NULL;

    log_info("run: reloading config and knowledge bases");
    if (config_load(r->conf_path, cmd_default_kb_path(), &cfg, &err) != BOT_OK) {
        *why = xasprintf("config: %s", err);
        goto refused;
    }
    if (kb_set_load(r->kb_path ? r->kb_path : cfg->kb_path, &set, &err) != BOT_OK) {
        *why = xstrdup(err);
        goto refused;
    }
    if (kb_set_find(set, cfg->default_org) == NULL) {
        *why = xasprintf("no KB for the default org \"%s\"", cfg->default_org);
        goto refused;
    }
    if (!same_platform(&cfg->slack, &old_cfg->slack) ||
        !same_platform(&cfg->mattermost, &old_cfg->mattermost) ||
        !same_platform(&cfg->teams, &old_cfg->teams) ||
        !same(cfg->http_listen, old_cfg->http_listen) ||
        !same_web(&cfg->web, &old_cfg->web) || !same(cfg->db_path, old_cfg->db_path))
        log_warnx(
            "run: platform, listener, web chat or database settings changed; they take "
            "effect at the next restart");
    r->cfg = cfg;
    r->set = set;
    r->engine = kb_engine_new(set, cfg->decline_threshold, cfg->tie_margin);
    converse_swap(r->cv, r->engine, set);
    bot_swap(r->b, cfg, set);
    kb_engine_free(old_engine);
    kb_set_free(old_set);
    config_free(old_cfg);
    if (log_level_parse(cfg->log_level, &level))
        log_set_level(level);
    log_set_json(cfg->log_json);
    log_info("run: reloaded: %zu knowledge base(s), default org %s", kb_set_count(set),
             cfg->default_org);
    return true;
refused:
    free(err);
    kb_set_free(set);
    config_free(cfg);
    log_warnx("run: reload refused, still answering from the previous KBs: %s", *why);
    return false;
}

static void
on_signal(void *arg, int signum)
{
    log_info("run: %s received", signum == SIGTERM ? "SIGTERM" : "SIGINT");
    bot_stop(arg);
}

static void
on_sighup(void *arg, int signum)
{
    struct run *r = arg;
    char *why = NULL;

    (void)signum;
    log_info("run: SIGHUP received");
    (void)bot_reload(r->b, &why);
    free(why);
}

/* Starts the listener unless the config says "off"; false when it cannot.
 * *port (out) is the port bound, 0 when off. */
static bool
listen_http(struct bot *b, const char *listen, int *port)
{
    char *why = NULL;

    if (listen == NULL || *listen == '\0' || strcmp(listen, "off") == 0) {
        log_info("run: no health and metrics listener (http.listen is off)");
        return true;
    }
    if (bot_listen(b, listen, port, &why) != BOT_OK) {
        fprintf(stderr,
                "valuesbot: http listener: %s; set VALUESBOT_HTTP to a free host:port, "
                "or to off\n",
                why);
        free(why);
        return false;
    }
    log_info("http: listening on %.*s:%d (/healthz, /metrics, /reload)",
             (int)(strrchr(listen, ':') - listen), listen, *port);
    return true;
}

/* Logs where a browser finds the web chat served on @listen's @port. */
static void
say_web_url(const char *listen, int port)
{
    int n = (int)(strrchr(listen, ':') - listen);

    if ((n == 1 && listen[0] == '*') || (n == 7 && strncmp(listen, "0.0.0.0", 7) == 0))
        log_info("web chat: http://127.0.0.1:%d/chat (and this host's other addresses)",
                 port);
    else if (n == 4 && strncmp(listen, "[::]", 4) == 0)
        log_info("web chat: http://[::1]:%d/chat (and this host's other addresses)",
                 port);
    else
        log_info("web chat: http://%.*s:%d/chat", n, listen, port);
}

int
cmd_run(int argc, char **argv)
{
    const char *kb = NULL, *conf = NULL, *pos[1];
    const struct args_opt opts[] = {{"--kb", true, &kb}, {"--config", true, &conf}};
    struct run r = {0};
    struct store *st = NULL;
    struct converse *cv = NULL;
    struct net_loop *loop = NULL;
    struct bot *b = NULL;
    enum log_level level;
    char *why = NULL;
    int npos, status = 2, port = 0;

    if (!args_scan(argc, argv, opts, 2, pos, 0, &npos)) {
        fprintf(stderr, "usage: valuesbot run [--config FILE] [--kb PATH]\n");
        return 2;
    }
    r.conf_path = conf;
    r.kb_path = kb;
    if (config_load(conf, cmd_default_kb_path(), &r.cfg, &why) != BOT_OK) {
        fprintf(stderr, "valuesbot: config: %s\n", why);
        goto out;
    }
    if (log_level_parse(r.cfg->log_level, &level))
        log_set_level(level);
    log_set_json(r.cfg->log_json);
    if (kb_set_load(kb ? kb : r.cfg->kb_path, &r.set, &why) != BOT_OK) {
        fprintf(stderr, "valuesbot: %s\n", why);
        goto out;
    }
    if (kb_set_find(r.set, r.cfg->default_org) == NULL) {
        fprintf(stderr, "valuesbot: no KB for the default org \"%s\"\n",
                r.cfg->default_org);
        goto out;
    }
    r.engine = kb_engine_new(r.set, r.cfg->decline_threshold, r.cfg->tie_margin);
    /* Without the unanswered log the bot still answers; it says why once. */
    if (store_open(r.cfg->db_path, true, r.cfg->retention_days, time(NULL), &st, &why) !=
        BOT_OK) {
        log_warnx("run: %s; unanswered questions will not be recorded", why);
        free(why);
        why = NULL;
    }
    cv = converse_new(r.engine, r.set, st, r.cfg->decline_threshold, tour_timeout());
    loop = adapter_loop_new();
    b = bot_new(r.cfg, r.set, cv, st, loop);
    r.cv = cv;
    r.b = b;
    bot_set_reloader(b, reload, &r);
    if (r.cfg->slack.configured &&
        bot_add_adapter(b, "slack", "slack", &r.cfg->slack) != BOT_OK)
        goto out;
    if (r.cfg->mattermost.configured &&
        bot_add_adapter(b, "mattermost", "mattermost", &r.cfg->mattermost) != BOT_OK)
        goto out;
    if (r.cfg->teams.configured &&
        bot_add_adapter(b, "teams", "teams", &r.cfg->teams) != BOT_OK)
        goto out;
    if (r.cfg->web.enabled) {
        const char *l = r.cfg->http_listen;

        if (l == NULL || *l == '\0' || strcmp(l, "off") == 0) {
            fprintf(stderr, "valuesbot: the web chat needs the HTTP listener: set "
                            "VALUESBOT_HTTP to host:port, or VALUESBOT_WEB=off\n");
            goto out;
        }
        if (bot_add_web(b, &r.cfg->web) != BOT_OK)
            goto out;
    }
    if (bot_adapter_count(b) == 0) {
        fprintf(stderr,
                "valuesbot: no chat platform configured and the web chat is "
                "off: set SLACK_APP_TOKEN and SLACK_BOT_TOKEN, MATTERMOST_URL and "
                "MATTERMOST_TOKEN, or MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD, "
                "or VALUESBOT_WEB=on (see README)\n");
        goto out;
    }
    if (adapter_loop_on_signal(loop, SIGTERM, on_signal, b) != BOT_OK ||
        adapter_loop_on_signal(loop, SIGINT, on_signal, b) != BOT_OK ||
        adapter_loop_on_signal(loop, SIGHUP, on_sighup, &r) != BOT_OK) {
        fprintf(stderr, "valuesbot: cannot watch signals\n");
        goto out;
    }
    if (!listen_http(b, r.cfg->http_listen, &port))
        goto out;
    log_info("run: %zu knowledge base(s), default org %s", kb_set_count(r.set),
             r.cfg->default_org);
    (void)bot_start(b);
    if (r.cfg->web.enabled)
        say_web_url(r.cfg->http_listen, port);
    adapter_loop_run(loop);
    log_info("run: stopped");
    status = 0;
out:
    bot_free(b);
    adapter_loop_free(loop);
    converse_free(cv);
    store_free(st);
    kb_engine_free(r.engine);
    kb_set_free(r.set);
    config_free(r.cfg);
    free(why);
    return status;
}
