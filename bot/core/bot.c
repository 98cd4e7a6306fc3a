/* bot.c - adapters in, dispatcher in the middle, replies out; and shutdown. */
#include "bot/core/bot.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot/adapters/adapter.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/core/chat_event.h"
#include "bot/core/config.h"
#include "bot/core/converse.h"
#include "bot/core/dispatch.h"
#include "bot/core/schedule.h"

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
};

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

enum bot_err
bot_add_adapter(struct bot *b, const char *kind, const char *name,
                const struct config_platform *conf)
{
    const struct adapter_ops *ops = adapter_ops_find(kind);
    const struct adapter_conf ac = {
        .url = conf->url,
        .token = conf->token,
        .app_token = conf->app_token,
        .ca_file = conf->ca_file,
        .slash_commands = (const char *const *)conf->slash_commands,
        .nslash = conf->nslash,
    };
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
    ad->name = xstrdup(name);
    if ((err = ops->create(ad, &ac)) != BOT_OK) {
        free(ad->name);
        free(ad);
        return err;
    }
    b->adapters = xreallocarray(b->adapters, b->nadapters + 1, sizeof(*b->adapters));
    b->adapters[b->nadapters++] = ad;
    return BOT_OK;
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
    const char *why;
    enum bot_err err;

    /* Events still arrive while stopping only if the platform was told it
     * has them (acked); they are answered within the drain. */
    if (dispatch_event(b->dispatch, ev, now_ms(), time(NULL), &reply, &why) != BOT_OK) {
        log_debug("%s: event=%s skipped: %s", ad->name, ev->event_id ? ev->event_id : "-",
                  why);
        return;
    }
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
