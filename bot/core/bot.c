/* bot.c - adapters in, dispatcher in the middle, replies out; and shutdown. */
#include "bot/core/bot.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot/adapters/adapter.h"
#include "bot/base/buf.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/chat_event.h"
#include "bot/core/config.h"
#include "bot/core/converse.h"
#include "bot/core/dispatch.h"
#include "bot/core/metrics.h"
#include "bot/core/schedule.h"
#include "bot/core/store.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_set.h"

struct bot {
    const struct config *cfg; /* borrowed */
    const struct kb_set *set; /* borrowed */
    struct converse *cv;      /* borrowed */
    struct store *st;         /* borrowed, may be NULL */
    struct net_loop *loop;    /* borrowed */
    struct dispatch *dispatch;
    struct schedule *sched;        /* owned */
    struct net_timer *tick;        /* owned: forgets idle tours */
    struct net_timer *sched_timer; /* owned: the next schedule check */
    struct adapter **adapters;     /* owned */
    size_t nadapters;
    size_t nclosed; /* adapters that reported on_closed */
    bool stopping;  /* bot_stop() was called */
    bool loop_stopped;
    struct metrics *metrics; /* owned */
    bot_reload_fn *reload;   /* what bot_reload() calls, or NULL */
    void *reload_arg;
    char *reload_error; /* owned: why the last reload was refused, or NULL */
    time_t reload_at;   /* when the last reload was asked for, 0: never */
    struct adapter_org
        *orgs; /* owned array (strings borrowed from set): the KBs loaded */
    size_t norgs;
};

/* Lists the KBs of @b->set for adapters (the web chat's org picker). */
static void
orgs_build(struct bot *b)
{
    free(b->orgs);
    b->norgs = kb_set_count(b->set);
    b->orgs = xcalloc(b->norgs + 1, sizeof(*b->orgs));
    for (size_t i = 0; i < b->norgs; i++) {
        const struct kb *kb = kb_set_get(b->set, i);

        b->orgs[i].id = kb->org;
        b->orgs[i].name = kb->name != NULL && *kb->name ? kb->name : kb->org;
    }
}

static size_t
orgs_get(struct adapter *ad, const struct adapter_org **orgs)
{
    struct bot *b = ad->core;

    *orgs = b->orgs;
    return b->norgs;
}

static uint64_t
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void on_tick(void *arg);
static void on_schedule(void *arg);

struct bot *
bot_new(const struct config *cfg, const struct kb_set *set, struct converse *cv,
        struct store *st, struct net_loop *loop)
{
    struct bot *b = xcalloc(1, sizeof(*b));

    b->cfg = cfg;
    b->set = set;
    b->cv = cv;
    b->st = st;
    b->loop = loop;
    b->dispatch = dispatch_new(cfg, cv);
    b->sched = schedule_new(cfg);
    b->tick = adapter_timer_new(loop, on_tick, b);
    b->sched_timer = adapter_timer_new(loop, on_schedule, b);
    b->metrics = metrics_new(time(NULL));
    orgs_build(b);
    return b;
}

void
bot_free(struct bot *b)
{
    if (b == NULL)
        return;
    for (size_t i = 0; i < b->nadapters; i++) {
        struct adapter *ad = b->adapters[i];

        ad->ops->destroy(ad);
        free(ad->name);
        free(ad);
    }
    free(b->adapters);
    adapter_timer_free(b->tick);
    adapter_timer_free(b->sched_timer);
    schedule_free(b->sched);
    dispatch_free(b->dispatch);
    metrics_free(b->metrics);
    free(b->orgs);
    free(b->reload_error);
    free(b);
}

static struct adapter *
adapter_of_kind(const struct bot *b, const char *kind)
{
    for (size_t i = 0; i < b->nadapters; i++) {
        if (strcmp(b->adapters[i]->ops->kind, kind) == 0)
            return b->adapters[i];
    }
    return NULL;
}

static void
on_tick(void *arg)
{
    struct bot *b = arg;
    size_t n = converse_expire(b->cv, time(NULL));

    if (n > 0)
        log_info("bot: %zu idle tour(s) ended", n);
    adapter_timer_start(b->tick, BOT_TICK_MS);
}

/* Arms the schedule timer for the next due post (re-checked at least hourly,
 * so a changed wall clock is noticed). */
static void
arm_schedule(struct bot *b, time_t now)
{
    time_t next = schedule_next_wakeup(b->sched, b->st, now);
    uint64_t ms;

    if (next == 0)
        return;
    ms = next > now ? (uint64_t)(next - now) * 1000 : 0;
    if (ms > BOT_SCHEDULE_MAX_MS)
        ms = BOT_SCHEDULE_MAX_MS;
    adapter_timer_start(b->sched_timer, ms + 50);
}

static void
on_schedule(void *arg)
{
    struct bot *b = arg;
    struct schedule_post *posts = NULL;
    time_t now = time(NULL);
    size_t n = schedule_due(b->sched, b->set, b->st, now, &posts);

    for (size_t i = 0; i < n; i++) {
        struct schedule_post *p = &posts[i];
        struct adapter *ad = adapter_of_kind(b, p->platform);
        struct chat_reply r = {.channel = p->channel,
                               .org = p->org,
                               .event_id = "schedule",
                               .in_channel = true,
                               .body = p->reply};
        enum bot_err err;

        if (ad == NULL) {
            log_warnx(
                "bot: scheduled post for %s channel %s skipped: %s is not connected",
                p->platform, p->channel, p->platform);
            continue;
        }
        r.delay_ms = dispatch_pace(b->dispatch, p->channel, now_ms());
        log_info("%s: scheduled post to channel %s (org %s)", ad->name, p->channel,
                 p->org);
        if ((err = ad->ops->send(ad, &r)) != BOT_OK)
            log_warnx("%s: scheduled post not queued: %s", ad->name, bot_strerror(err));
    }
    schedule_posts_free(posts, n); /* the replies were borrowed by r.body */
    if (!b->stopping)
        arm_schedule(b, now);
}

static void
stop_loop(struct bot *b)
{
    if (!b->loop_stopped) {
        b->loop_stopped = true;
        adapter_loop_stop(b->loop);
    }
}

static void
on_adapter_closed(struct adapter *ad)
{
    struct bot *b = ad->core;

    log_info("%s: closed", ad->name);
    if (++b->nclosed == b->nadapters)
        stop_loop(b);
}

static void
ref_put(struct adapter *ad, const char *conv, const char *service, const char *tenant)
{
    struct bot *b = ad->core;

    if (b->st != NULL)
        (void)store_ref_put(b->st, ad->ops->kind, conv, service, tenant, time(NULL));
}

static bool
ref_get(struct adapter *ad, const char *conv, char **service, char **tenant)
{
    struct bot *b = ad->core;

    return b->st != NULL &&
           store_ref_get(b->st, ad->ops->kind, conv, service, tenant) == BOT_OK;
}

/* Creates an adapter of @kind named @name from @ac and adds it to @b. */
static enum bot_err
add(struct bot *b, const char *kind, const char *name, const struct adapter_conf *ac)
{
    const struct adapter_ops *ops = adapter_ops_find(kind);
    struct adapter *ad;
    enum bot_err err;

    if (ops == NULL || adapter_ops_check(ops) != BOT_OK) {
        log_warnx("bot: no usable adapter for \"%s\"", kind);
        return BOT_EINVAL;
    }
    ad = xcalloc(1, sizeof(*ad));
    ad->ops = ops;
    ad->core = b;
    ad->loop = b->loop;
    ad->deliver = bot_deliver;
    ad->on_closed = on_adapter_closed;
    ad->ref_put = ref_put;
    ad->ref_get = ref_get;
    ad->orgs = orgs_get;
    ad->name = xstrdup(name);
    if ((err = ops->create(ad, ac)) != BOT_OK) {
        free(ad->name);
        free(ad);
        return err;
    }
    b->adapters = xreallocarray(b->adapters, b->nadapters + 1, sizeof(*b->adapters));
    b->adapters[b->nadapters++] = ad;
    return BOT_OK;
}

enum bot_err
bot_add_web(struct bot *b, const struct config_web *web)
{
    const struct adapter_web_conf wc = {
        .origins = web->origins,
        .trusted_proxies = web->trusted_proxies,
        .user_header = web->user_header,
        .max_message = web->max_message,
        .max_conns = web->max_conns,
        .idle_secs = web->idle_secs,
        .conn_burst = web->conn_burst,
        .conn_per_min = web->conn_per_min,
        .addr_burst = web->addr_burst,
        .addr_per_min = web->addr_per_min,
    };
    const struct adapter_conf ac = {.web = &wc};

    return add(b, "web", "web", &ac);
}

enum bot_err
bot_add_adapter(struct bot *b, const char *kind, const char *name,
                const struct config_platform *conf)
{
    const struct adapter_conf ac = {
        .url = conf->url,
        .token = conf->token,
        .app_token = conf->app_token,
        .ca_file = conf->ca_file,
        .slash_commands = (const char *const *)conf->slash_commands,
        .nslash = conf->nslash,
        .app_id = conf->app_id,
        .tenant_id = conf->tenant_id,
        .token_url = conf->token_url,
        .allowed_urls = conf->allowed_urls,
    };

    return add(b, kind, name, &ac);
}

size_t
bot_adapter_count(const struct bot *b)
{
    return b->nadapters;
}

enum bot_err
bot_start(struct bot *b)
{
    enum bot_err first = BOT_OK, err;

    for (size_t i = 0; i < b->nadapters; i++) {
        if ((err = b->adapters[i]->ops->connect(b->adapters[i])) != BOT_OK && !first)
            first = err;
    }
    adapter_timer_start(b->tick, BOT_TICK_MS);
    if (schedule_count(b->sched) > 0) {
        log_info("bot: %zu scheduled post(s) configured", schedule_count(b->sched));
        arm_schedule(b, time(NULL));
    }
    return first;
}

void
bot_stop(struct bot *b)
{
    if (b->stopping) {
        log_warnx("bot: second stop request, leaving at once");
        stop_loop(b);
        return;
    }
    b->stopping = true;
    adapter_timer_stop(b->tick);
    adapter_timer_stop(b->sched_timer);
    log_info("bot: stopping; finishing replies for up to %d ms", BOT_DRAIN_MS);
    if (b->nadapters == 0) {
        stop_loop(b);
        return;
    }
    for (size_t i = 0; i < b->nadapters; i++)
        b->adapters[i]->ops->shutdown(b->adapters[i], BOT_DRAIN_MS);
}

void
bot_deliver(struct adapter *ad, const struct chat_event *ev)
{
    struct bot *b = ad->core;
    struct chat_reply reply;
    struct timespec t0, t1;
    const char *why;
    enum bot_err err;

    /* Events still arrive while stopping only if the platform was told it
     * has them (acked); they are answered within the drain. */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (dispatch_event(b->dispatch, ev, now_ms(), time(NULL), &reply, &why) != BOT_OK) {
        log_debug("%s: event=%s skipped: %s", ad->name, ev->event_id ? ev->event_id : "-",
                  why);
        return;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    reply.received_us = ev->received_us;
    reply.answered_us = (uint64_t)t1.tv_sec * 1000000u + (uint64_t)t1.tv_nsec / 1000u;
    metrics_question(b->metrics, ad->ops->kind, reply.org, reply.kind,
                     (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    log_info("%s: event=%s channel=%s org=%s answering%s%s", ad->name,
             ev->event_id ? ev->event_id : "-", ev->channel, reply.org,
             ev->is_command ? " (command)"
             : ev->is_dm    ? " (dm)"
                            : "",
             reply.dm_user      ? " in a DM"
             : reply.in_channel ? " in the channel"
                                : "");
    if ((err = ad->ops->send(ad, &reply)) != BOT_OK)
        log_warnx("%s: event=%s reply not queued: %s", ad->name,
                  ev->event_id ? ev->event_id : "-", bot_strerror(err));
    chat_reply_cleanup(&reply);
}

/* ---- Reload, health and metrics --------------------------------------- */

void
bot_set_reloader(struct bot *b, bot_reload_fn *fn, void *arg)
{
    b->reload = fn;
    b->reload_arg = arg;
}

bool
bot_reload(struct bot *b, char **why)
{
    char *err = NULL;
    bool ok;

    *why = NULL;
    if (b->reload == NULL) {
        *why = xstrdup("reload is not available");
        return false;
    }
    b->reload_at = time(NULL);
    ok = b->reload(b->reload_arg, &err);
    metrics_reload(b->metrics, ok, b->reload_at);
    free(b->reload_error);
    b->reload_error = NULL;
    if (!ok) {
        b->reload_error = xstrdup(err != NULL ? err : "reload refused");
        *why = err != NULL ? err : xstrdup("reload refused");
    } else {
        free(err);
    }
    return ok;
}

void
bot_swap(struct bot *b, const struct config *cfg, const struct kb_set *set)
{
    b->cfg = cfg;
    b->set = set;
    orgs_build(b);
    dispatch_set_config(b->dispatch, cfg);
    schedule_free(b->sched);
    b->sched = schedule_new(cfg);
    adapter_timer_stop(b->sched_timer);
    if (!b->stopping && schedule_count(b->sched) > 0)
        arm_schedule(b, time(NULL));
}

bool
bot_health(const struct bot *b, char **out)
{
    json_t *root = json_object(), *plats = json_object(), *kbs = json_object();
    json_t *orgs = json_array(), *reload = json_object();
    bool ok = !b->stopping && kb_set_count(b->set) > 0;

    for (size_t i = 0; i < b->nadapters; i++) {
        const struct adapter *ad = b->adapters[i];
        char why[200] = "";
        bool up = ad->ops->connected == NULL || ad->ops->connected(ad, why, sizeof(why));
        json_t *p = json_pack("{sb}", "connected", up);

        if (!up) {
            json_object_set_new(p, "problem", json_string(why));
            ok = false;
        }
        json_object_set_new(plats, ad->name, p);
    }
    for (size_t i = 0; i < kb_set_count(b->set); i++)
        json_array_append_new(orgs, json_string(kb_set_get(b->set, i)->org));
    json_object_set_new(kbs, "loaded", json_integer((json_int_t)kb_set_count(b->set)));
    json_object_set_new(kbs, "orgs", orgs);
    json_object_set_new(reload, "last",
                        json_string(b->reload_at == 0 ? "none"
                                    : b->reload_error ? "refused"
                                                      : "ok"));
    if (b->reload_error != NULL)
        json_object_set_new(reload, "error", json_string(b->reload_error));
    json_object_set_new(root, "status",
                        json_string(ok            ? "ok"
                                    : b->stopping ? "stopping"
                                                  : "unavailable"));
    json_object_set_new(root, "platforms", plats);
    json_object_set_new(root, "kbs", kbs);
    json_object_set_new(root, "reload", reload);
    *out = json_dumps(root, JSON_COMPACT);
    if (*out == NULL)
        *out = xstrdup("{\"status\":\"unavailable\"}");
    json_decref(root);
    return ok;
}

void
bot_metrics(const struct bot *b, char **out)
{
    struct metrics_platform *p = xcalloc(b->nadapters + 1, sizeof(*p));
    struct buf buf;

    for (size_t i = 0; i < b->nadapters; i++) {
        const struct adapter *ad = b->adapters[i];
        char why[8];

        p[i].name = ad->name;
        p[i].stats = &ad->stats;
        p[i].connected =
            ad->ops->connected == NULL || ad->ops->connected(ad, why, sizeof(why));
    }
    buf_init(&buf, 512 * 1024);
    metrics_render(b->metrics, p, b->nadapters, kb_set_count(b->set), &buf);
    *out = buf_take(&buf);
    free(p);
}

static char *
json_message(const char *status, const char *key, const char *value)
{
    json_t *o = json_pack("{ss}", "status", status);
    char *s;

    if (key != NULL)
        json_object_set_new(o, key, json_string(value));
    s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

static int
on_http(void *arg, const char *method, const char *path, bool loopback,
        const char **content_type, char **body, size_t *len)
{
    struct bot *b = arg;
    char *why = NULL;
    int status = 200;

    *content_type = "application/json";
    if (strcmp(path, "/healthz") == 0 && strcmp(method, "GET") == 0) {
        status = bot_health(b, body) ? 200 : 503;
    } else if (strcmp(path, "/metrics") == 0 && strcmp(method, "GET") == 0) {
        *content_type = "text/plain; version=0.0.4; charset=utf-8";
        bot_metrics(b, body);
    } else if (strcmp(path, "/reload") == 0 && strcmp(method, "POST") == 0) {
        if (!loopback) {
            log_warnx("http: reload refused: not from loopback");
            status = 403;
            *body =
                json_message("forbidden", "error", "reload is taken only from loopback");
        } else if (bot_reload(b, &why)) {
            *body = json_message("reloaded", NULL, NULL);
        } else {
            status = 500;
            *body = json_message("refused", "error", why);
        }
    } else if (strcmp(path, "/healthz") == 0 || strcmp(path, "/metrics") == 0 ||
               strcmp(path, "/reload") == 0) {
        status = 405;
        *body = json_message("method not allowed", NULL, NULL);
    } else {
        status = 404;
        *body = json_message("not found", "endpoints", "/healthz /metrics /reload");
    }
    free(why);
    *len = *body != NULL ? strlen(*body) : 0;
    return status;
}

enum bot_err
bot_listen(struct bot *b, const char *listen, int *port, char **why)
{
    return adapter_http_listen(b->loop, listen, on_http, b, port, why);
}
