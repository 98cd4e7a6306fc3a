/*
 * dispatch.h - from one chat event to at most one reply, for every platform.
 *
 * The steps, each a small function: seen before? (bounded event-id set with
 * a TTL) -> worth answering? (not a bot, not ourselves, not an edit or
 * other subtype, not empty of a channel) -> which org? (config routes:
 * channel, then workspace or team, then the default org) -> responders,
 * first one to handle wins (the conversation layer, bot/core/converse.h:
 * answers, help, tours, digests; then a polite word for an org without a
 * KB) -> where the reply goes (thread, channel or the person's DM) ->
 * pacing (about one message per second per channel).  Nothing here touches
 * the network or the clock: the caller passes the time, so all of it is
 * testable as plain functions.
 */
#ifndef BOT_CORE_DISPATCH_H
#define BOT_CORE_DISPATCH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "bot/base/err.h"
#include "bot/chat/chat_event.h"

struct config;
struct converse;
struct dispatch;

#define DISPATCH_SEEN_MAX    65536            /* event ids remembered */
#define DISPATCH_SEEN_TTL_MS (60 * 60 * 1000) /* Slack redelivers within minutes */
#define DISPATCH_PACE_MS     1000             /* spacing of replies in one channel */
#define DISPATCH_PACE_MAX    16384            /* channels paced at once */

/*
 * Returns a new dispatcher over @cfg and @cv (both borrowed; they must
 * outlive it); free with dispatch_free().
 */
struct dispatch *dispatch_new(const struct config *cfg, struct converse *cv);

/* Points @d at a reloaded @cfg (borrowed); what it has seen and paced stays. */
void dispatch_set_config(struct dispatch *d, const struct config *cfg);

/* Frees @d.  NULL is a no-op. */
void dispatch_free(struct dispatch *d);

/*
 * Decides what to do with @ev at time @now (ms, monotonic; for dedupe and
 * pacing) and @wall (wall clock; for tours and the unanswered log).
 * Returns BOT_OK with *out (out; release with chat_reply_cleanup(); its
 * strings are borrowed from @ev) filled when a reply is due; BOT_EIGNORE
 * when the event is a duplicate or not to be answered, with *why (out,
 * static string) saying which.  *out is zeroed on BOT_EIGNORE.  Marks
 * @ev's id as seen either way.
 */
enum bot_err dispatch_event(struct dispatch *d, const struct chat_event *ev, uint64_t now,
                            time_t wall, struct chat_reply *out, const char **why);

/*
 * Writes the conversation key of @ev's author to @buf (@len bytes):
 * "platform:workspace:user:dm", the same in a channel and in the DM, so
 * that a tour started in a channel carries on in the DM.
 */
void dispatch_key(const struct chat_event *ev, char *buf, size_t len);

/*
 * Returns the org that answers @ev: the channel route, else the workspace or
 * team route, else the default org.  Borrowed from the config.
 */
const char *dispatch_route(const struct config *cfg, const struct chat_event *ev);

/*
 * Returns how long (ms from @now) a message to @channel must wait to keep
 * DISPATCH_PACE_MS between messages, and books that slot.
 */
uint64_t dispatch_pace(struct dispatch *d, const char *channel, uint64_t now);

/* Returns true (and remembers @id) when @id was not seen within the TTL. */
bool dispatch_first_sight(struct dispatch *d, const char *id, uint64_t now);

#endif /* BOT_CORE_DISPATCH_H */
