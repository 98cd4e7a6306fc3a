/*
 * chat_event.h - one inbound chat message and one outbound reply, the same
 * for every platform.
 *
 * An adapter parses a platform frame into a struct chat_event, which owns
 * all its strings; the core answers it with a struct chat_reply, which the
 * adapter renders in its platform's markup and sends.
 */
#ifndef BOT_CHAT_CHAT_EVENT_H
#define BOT_CHAT_CHAT_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "bot/chat/reply.h"

struct chat_event {
    char *platform;  /* owned: "slack", "mattermost": picks the config section */
    char *workspace; /* owned: Slack team id / Mattermost team id, or NULL */
    char *channel;   /* owned: where the message was posted */
    char *thread;    /* owned: thread to answer in, or NULL for none */
    char *user;      /* owned: author's platform id */
    char *text;      /* owned: the question, markup and our mention removed, UTF-8 */
    char *event_id;  /* owned: de-duplication key, unique per platform */
    char *msg_id;    /* owned: the message's own id (Slack ts), or NULL */
    char *reply_url; /* owned: answer by POSTing here (Slack response_url), or NULL */
    char *subtype;   /* owned: edits, joins, bot messages...: never answered; or NULL */
    char *ids;       /* owned, or NULL: when set, platform, workspace, channel, thread,
                        user, event_id and msg_id are in it (chat_event_set_ids()), one
                        allocation freed whole, not each of theirs */
    bool is_dm;      /* a direct message to the bot */
    bool is_command; /* a slash command */
    bool from_bot;   /* written by a bot (any bot) */
    bool from_self;  /* written by this bot */
    uint64_t received_us; /* clock_now_us() when its frame arrived; 0: unknown */
};

struct chat_reply {
    const char *channel;   /* borrowed from the event */
    const char *thread;    /* borrowed from the event, or NULL */
    const char *reply_url; /* borrowed from the event, or NULL */
    const char *event_id;  /* borrowed from the event: for log lines */
    const char *org;       /* borrowed: the org that answered */
    const char *dm_user;   /* borrowed: when set, send to this user's direct
                              messages instead of @channel (tours) */
    bool in_channel;       /* a post for the whole channel, not a thread (digests) */
    const char *kind;      /* static: "answer", "decline", "help", "tour" or "summary" */
    struct reply body;     /* owned: what to say, platform-neutral */
    uint64_t delay_ms;     /* per-channel pacing: post no sooner than this from now */
    uint64_t received_us;  /* clock_now_us(): the event's frame arrived; 0: unknown */
    uint64_t answered_us;  /* clock_now_us(): the core had the reply; 0: unknown */
};

/*
 * Sets the ids of @ev (each NULL or copied; event_id is @id_prefix then
 * @id, NULL when @id is) in one allocation, @ev->ids: one malloc an event
 * rather than one a string.  @ev has none of them set before.
 */
void chat_event_set_ids(struct chat_event *ev, const char *platform,
                        const char *workspace, const char *channel, const char *thread,
                        const char *user, const char *msg_id, const char *id_prefix,
                        const char *id);

/* Frees every string of @ev and zeroes it; safe on a zeroed or cleaned event. */
void chat_event_cleanup(struct chat_event *ev);

/* Frees the body of @r and zeroes it. */
void chat_reply_cleanup(struct chat_reply *r);

#endif /* BOT_CHAT_CHAT_EVENT_H */
