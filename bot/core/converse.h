/*
 * converse.h - one message in, one platform-neutral reply out.
 *
 * The conversation step every platform shares: induction tours, digests
 * for managers, help and answers, and the record of what the bot could
 * not answer.  A platform adapter (or the terminal chat) passes a
 * conversation key, the org and the text, and gets back reply blocks
 * (bot/chat/reply.h) with where to send them: in the thread or DM (answers,
 * help), in the channel itself (digests), or in the person's DM (tours).
 *
 * Each message is analysed once (kb_engine_analyse()): the tour, the digest
 * request and the answer read the same words.  A follow-up ("and for
 * pride?", "what about goal 3?", "and the behaviours?", "tell me more",
 * "which one is about staff?") is read in the context of the key's last
 * answer: what it was about (the values, one value, the goals, one goal),
 * never what was said, kept in memory as long as a tour would be.  Without
 * a context it is answered as it stands.  Two questions in one message
 * ("what are our values and when was it launched?") are answered in one
 * reply, in order, with the source once, or the reply says which one the
 * strategy does not answer.
 *
 * Keys: a key names one person in one conversation, and a tour is keyed
 * by it.  Because a tour runs in the person's DM (CONVERSE_TARGET_DM),
 * an adapter should build the key of a tour trigger seen in a channel the
 * same way as the key of that person's DM ("slack:T1:U1:dm"), so the DM
 * messages continue it.  The text is never echoed into a reply.
 *
 * Not thread-safe: one thread (the loop) at a time.
 */
#ifndef BOT_CORE_CONVERSE_H
#define BOT_CORE_CONVERSE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "bot/chat/reply.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_query.h"

struct kb_engine;
struct kb_set;
struct store;
struct converse; /* opaque */

#define CONVERSE_LOW_MARGIN   0.1   /* answers below threshold + this are recorded too */
#define CONVERSE_MAX_CONTEXTS 10000 /* conversations whose last answer is remembered */

enum converse_target {
    CONVERSE_TARGET_THREAD, /* reply in the thread (in a DM, just reply): answers, help */
    CONVERSE_TARGET_CHANNEL, /* post in the channel itself, not in a thread: digests */
    CONVERSE_TARGET_DM,      /* the person's direct messages: the induction tour */
};

enum converse_kind {
    CONVERSE_ANSWER,  /* the engine answered */
    CONVERSE_DECLINE, /* the engine declined (recorded in the store) */
    CONVERSE_HELP,    /* help, greeting or thanks */
    CONVERSE_TOUR,    /* a tour step, check question or goodbye */
    CONVERSE_SUMMARY, /* a digest for the channel */
};

/* The stable name of @kind ("answer", "decline", ...), as /metrics and `ask --json` give
 * it. */
const char *converse_kind_name(enum converse_kind kind);

struct converse_reply {
    struct reply reply; /* owned: free with converse_reply_cleanup() */
    enum converse_target target;
    enum converse_kind kind;
    bool recorded; /* the question went into the unanswered log */
    /*
     * What the engine answered, one per question of the message, in order
     * (two for "what are our values and when was it launched?"); none for a
     * tour step or a digest.  The reply is answered when every one is.
     */
    struct kb_answer answers[KB_QUERY_MAX_PARTS];
    size_t nanswers;
};

/*
 * Returns a new conversation layer over @engine and @set (borrowed: both
 * must outlive it, or be replaced with converse_swap()) and @st (borrowed,
 * may be NULL: nothing is recorded).  @threshold is the engine's decline
 * threshold; answers below @threshold + CONVERSE_LOW_MARGIN are recorded.
 * @tour_timeout is in seconds (0: INDUCTION_TIMEOUT).  Free with
 * converse_free().
 */
struct converse *converse_new(struct kb_engine *engine, const struct kb_set *set,
                              struct store *st, double threshold, unsigned tour_timeout);

/* Frees @cv and every tour it holds.  NULL is a no-op. */
void converse_free(struct converse *cv);

/*
 * Forgets every conversation's context and every tour, as if @cv were new:
 * the next message of any key is read on its own.
 */
void converse_reset(struct converse *cv);

/* Points @cv at a reloaded @engine and @set; tours in progress continue. */
void converse_swap(struct converse *cv, struct kb_engine *engine,
                   const struct kb_set *set);

/*
 * Handles @text (@len bytes, any bytes; only the first KB_QUESTION_MAX are
 * read) from conversation @key for @org at @now, and fills @out (out;
 * release with converse_reply_cleanup()).  Returns false, with @out
 * empty, only when @org has no KB.
 */
bool converse_handle(struct converse *cv, const char *key, const char *org,
                     const char *text, size_t len, time_t now,
                     struct converse_reply *out);

/*
 * converse_handle() for a person who can talk to the bot in several places:
 * @place (a channel; may be NULL) keeps the context of follow-ups apart per
 * place, while the tour stays keyed by @key alone.
 */
bool converse_handle_at(struct converse *cv, const char *key, const char *place,
                        const char *org, const char *text, size_t len, time_t now,
                        struct converse_reply *out);

/* Releases the blocks of @out; @out may be reused. */
void converse_reply_cleanup(struct converse_reply *out);

/*
 * Forgets tours, and the context of conversations, idle past the tour
 * timeout; returns how many tours.  Call from a timer.
 */
size_t converse_expire(struct converse *cv, time_t now);

/* Returns how many conversations have a context a follow-up can lean on. */
size_t converse_contexts(const struct converse *cv);

/* Returns how many tours are in progress. */
size_t converse_tours(const struct converse *cv);

/*
 * Records @question in @st when @a is a decline, or an answer with
 * confidence below @threshold + CONVERSE_LOW_MARGIN (not greetings, thanks
 * or help).  A question the engine took for a clinical one is recorded
 * without its text, since it may describe a patient.  Returns true when a
 * row was written.
 */
bool converse_record(struct store *st, const char *question, const struct kb_answer *a,
                     double threshold, time_t now);

#endif /* BOT_CORE_CONVERSE_H */
