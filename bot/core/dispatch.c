/*
 * dispatch.c - de-duplication, filtering, org routing, the responder chain
 * and pacing: the platform-neutral half of answering a message.
 */
#include "bot/core/dispatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/fmt.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/core/config.h"
#include "bot/core/converse.h"
#include "bot/core/ttlmap.h"
#include "bot/kb/kb_answer.h"

struct dispatch {
    const struct config *cfg; /* borrowed */
    struct converse *cv;      /* borrowed */
    struct ttlmap *seen;      /* event id -> expiry */
    struct ttlmap *pace;      /* channel -> next free slot */
};

/*
 * A responder handles the event (BOT_OK, *out filled) or declines it
 * (BOT_EIGNORE) and lets the next one try (nginx's NGX_DECLINED).
 */
typedef enum bot_err responder_fn(struct dispatch *d, const struct chat_event *ev,
                                  const char *org, time_t wall, struct chat_reply *out);

struct dispatch *
dispatch_new(const struct config *cfg, struct converse *cv)
{
    struct dispatch *d = xcalloc(1, sizeof(*d));

    d->cfg = cfg;
    d->cv = cv;
    d->seen = ttlmap_new(DISPATCH_SEEN_MAX);
    d->pace = ttlmap_new(DISPATCH_PACE_MAX);
    return d;
}

void
dispatch_set_config(struct dispatch *d, const struct config *cfg)
{
    d->cfg = cfg;
}

void
dispatch_free(struct dispatch *d)
{
    if (d == NULL)
        return;
    ttlmap_free(d->seen);
    ttlmap_free(d->pace);
    free(d);
}

bool
dispatch_first_sight(struct dispatch *d, const char *id, uint64_t now)
{
    if (ttlmap_find(d->seen, id, now, NULL))
        return false;
    ttlmap_set(d->seen, id, now + DISPATCH_SEEN_TTL_MS, now);
    return true;
}

uint64_t
dispatch_pace(struct dispatch *d, const char *channel, uint64_t now)
{
    uint64_t next = now;

    (void)ttlmap_find(d->pace, channel, now, &next);
    ttlmap_set(d->pace, channel, next + DISPATCH_PACE_MS, now);
    return next - now;
}

static const struct config_platform *
platform_of(const struct config *cfg, const char *platform)
{
    if (platform != NULL && strcmp(platform, "slack") == 0)
        return &cfg->slack;
    if (platform != NULL && strcmp(platform, "teams") == 0)
        return &cfg->teams;
    if (platform != NULL && strcmp(platform, "mattermost") == 0)
        return &cfg->mattermost;
    return NULL;
}

const char *
dispatch_route(const struct config *cfg, const struct chat_event *ev)
{
    const struct config_platform *p = platform_of(cfg, ev->platform);
    const char *org = NULL;

    /* The web chat names its org itself, checked against the loaded KBs. */
    if (ev->platform != NULL && strcmp(ev->platform, "web") == 0 && ev->workspace != NULL)
        return ev->workspace;
    if (p != NULL && ev->channel != NULL)
        org = config_route_find(p, "channel", ev->channel);
    if (p != NULL && org == NULL && ev->workspace != NULL) {
        org = config_route_find(p, "workspace", ev->workspace);
        if (org == NULL)
            org = config_route_find(p, "team", ev->workspace);
    }
    return org != NULL ? org : cfg->default_org;
}

/* Why @ev must not be answered, or NULL when it may be. */
static const char *
refusal(const struct chat_event *ev)
{
    if (ev->from_self)
        return "our own message";
    if (ev->from_bot)
        return "written by a bot";
    if (ev->subtype != NULL)
        return "message subtype";
    if (ev->channel == NULL || ev->text == NULL)
        return "no channel or text";
    return NULL;
}

void
dispatch_key(const struct chat_event *ev, char *buf, size_t len)
{
    fmt_snprintf(buf, len, "%s:%s:%s:dm", ev->platform ? ev->platform : "-",
                 ev->workspace ? ev->workspace : "-", ev->user ? ev->user : "-");
}

/* Answers, help, tours and digests: the conversation layer, and where each goes. */
static enum bot_err
respond_converse(struct dispatch *d, const struct chat_event *ev, const char *org,
                 time_t wall, struct chat_reply *out)
{
    struct converse_reply cr;
    char key[256];

    dispatch_key(ev, key, sizeof(key));
    if (!converse_handle_at(d->cv, key, ev->channel, org, ev->text, strlen(ev->text),
                            wall, &cr))
        return BOT_EIGNORE;
    out->body = cr.reply; /* moved */
    memset(&cr.reply, 0, sizeof(cr.reply));
    out->channel = ev->channel;
    out->reply_url = ev->reply_url;
    switch (cr.target) {
    case CONVERSE_TARGET_THREAD:
        out->thread = ev->thread;
        break;
    case CONVERSE_TARGET_CHANNEL:
        out->in_channel = true;
        break;
    case CONVERSE_TARGET_DM:
        /* A tour lives in the person's DM; asked in a channel, it moves there. */
        out->reply_url = NULL;
        if (!ev->is_dm)
            out->dm_user = ev->user;
        break;
    }
    out->kind = converse_kind_name(cr.kind);
    log_debug("dispatch: event=%s org=%s kind=%d target=%d recorded=%d",
              ev->event_id ? ev->event_id : "-", org, (int)cr.kind, (int)cr.target,
              cr.recorded);
    converse_reply_cleanup(&cr);
    return BOT_OK;
}

/* The last responder: an org without a KB still gets a polite answer. */
static enum bot_err
respond_no_kb(struct dispatch *d, const struct chat_event *ev, const char *org,
              time_t wall, struct chat_reply *out)
{
    (void)d;
    (void)wall;
    log_warnx(
        "dispatch: no KB for org \"%s\" (channel %s); check the routes in the config",
        org, ev->channel);
    reply_add(&out->body, REPLY_PARA, NULL,
              "Sorry, I have not been set up with a strategy for this workspace yet, "
              "so I cannot answer here. Please tell whoever runs this bot.");
    out->channel = ev->channel;
    out->thread = ev->thread;
    out->reply_url = ev->reply_url;
    out->kind = "decline";
    return BOT_OK;
}

static responder_fn *const responders[] = {respond_converse, respond_no_kb};

enum bot_err
dispatch_event(struct dispatch *d, const struct chat_event *ev, uint64_t now, time_t wall,
               struct chat_reply *out, const char **why)
{
    const char *org;

    memset(out, 0, sizeof(*out));
    *why = NULL;
    if (ev->event_id != NULL && !dispatch_first_sight(d, ev->event_id, now)) {
        *why = "duplicate event";
        return BOT_EIGNORE;
    }
    if ((*why = refusal(ev)) != NULL)
        return BOT_EIGNORE;
    org = dispatch_route(d->cfg, ev);
    for (size_t i = 0; i < sizeof(responders) / sizeof(responders[0]); i++) {
        if (responders[i](d, ev, org, wall, out) == BOT_OK) {
            char pace_key[200];

            out->event_id = ev->event_id;
            out->org = org;
            /* A response_url is a separate, per-command channel: no pacing.  A
             * DM is paced as the person's own channel. */
            fmt_snprintf(pace_key, sizeof(pace_key), "%s%s", out->dm_user ? "dm:" : "",
                         out->dm_user ? out->dm_user : out->channel);
            out->delay_ms = out->reply_url != NULL ? 0 : dispatch_pace(d, pace_key, now);
            return BOT_OK;
        }
        chat_reply_cleanup(out);
    }
    *why = "no responder";
    return BOT_EIGNORE;
}
