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
#include "bot/core/dispatch.h"

struct bot {
    const struct config *cfg; /* borrowed */
    struct net_loop *loop;    /* borrowed */
    struct dispatch *dispatch;
    struct adapter **adapters; /* owned */
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

struct bot *
bot_new(const struct config *cfg, struct kb_engine *engine, struct net_loop *loop)
{
    struct bot *b = xcalloc(1, sizeof(*b));

    b->cfg = cfg;
    b->loop = loop;
    b->dispatch = dispatch_new(cfg, engine);
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
    dispatch_free(b->dispatch);
    free(b);
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
    if (dispatch_event(b->dispatch, ev, now_ms(), &reply, &why) != BOT_OK) {
        log_debug("%s: event=%s skipped: %s", ad->name, ev->event_id ? ev->event_id : "-",
                  why);
        return;
    }
    log_info("%s: event=%s channel=%s org=%s answering%s", ad->name,
             ev->event_id ? ev->event_id : "-", ev->channel, reply.org,
             ev->is_command ? " (command)"
             : ev->is_dm    ? " (dm)"
                            : "");
    if ((err = ad->ops->send(ad, &reply)) != BOT_OK)
        log_warnx("%s: event=%s reply not queued: %s", ad->name,
                  ev->event_id ? ev->event_id : "-", bot_strerror(err));
    chat_reply_cleanup(&reply);
}
