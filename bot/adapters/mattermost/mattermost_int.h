/*
 * mattermost_int.h - the internals of bot/adapters/mattermost/ that tests and the fuzzer
 * call.
 *
 * Nothing but tests includes this; the rest of the program sees Mattermost
 * only as mattermost_adapter_ops.
 */
#ifndef BOT_ADAPTERS_MATTERMOST_MATTERMOST_INT_H
#define BOT_ADAPTERS_MATTERMOST_MATTERMOST_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/adapters/adapter.h"
#include "bot/base/buf.h"
#include "bot/base/err.h"
#include "bot/chat/chat_event.h"

struct http_response;

/* A post holds at most 65535 runes (16383 by default); Go escapes < > & as
 * \u003c, so its JSON can reach about 400 KB, and more once stringified. */
#define MM_MAX_FRAME (2 * 1024 * 1024) /* one websocket message */
#define MM_MAX_POST  (1024 * 1024)     /* the JSON string in data.post */
#define MM_MAX_ID    64                /* Mattermost ids are 26 characters */
#define MM_MAX_TEXT  16000             /* bytes of reply; the server takes 16383 runes */
#define MM_MAX_RUNES 16000 /* runes per post, unless the server reports fewer */
#define MM_MIN_RUNES 100   /* a smaller MaxPostSize from a server is not believed */
#define MM_MAX_PARTS 20    /* posts one reply may take; the rest is dropped */

/*
 * The envelope of one websocket message from the server: what the adapter
 * reads of it.  The strings are in @store (data.post: see post), decoded and
 * NUL-terminated; NULL when absent or not a string.
 */
struct mm_frame {
    char *event;           /* "hello", "posted", ...; NULL for a reply */
    char *connection_id;   /* hello's data.connection_id when an id, or NULL */
    char *status;          /* a reply's "OK" / "FAIL", or NULL */
    long long seq;         /* the event counter, -1 when absent */
    long long seq_reply;   /* the request a reply answers, -1 when absent */
    bool has_seq_reply;    /* "seq_reply" is there, whatever its type */
    long long server_time; /* a reply's data.server_time, 0 unless above 0 */
    char *error_id;        /* a reply's error.id */
    char *channel_type;    /* data.channel_type */
    char *team_id;         /* data.team_id */
    char *mentions;        /* data.mentions (JSON text) */
    const char *post;      /* data.post when data is an object: as written in the
                              frame (escapes and all, see post_esc) or in store */
    size_t post_len;       /* bytes at post */
    bool post_esc;         /* post has escapes still to decode */
    char *store;           /* owned: the strings */
};

/*
 * Parses the envelope of @buf (@len bytes) into @f (out; release with
 * mm_frame_cleanup()).  BOT_ELIMIT over MM_MAX_FRAME; BOT_EPARSE for
 * malformed JSON, a frame that is not an object, or one that is neither an
 * event (string "event") nor a reply (integer "seq_reply").  @f is zeroed
 * (seq and seq_reply -1) on every error.
 */
enum bot_err mm_frame_parse(const char *buf, size_t len, struct mm_frame *f);

/*
 * A look at the frame @buf (@len bytes) before it is read whole (mm_glance.c):
 * true when it is an event with no question for us, one that is neither
 * hello nor posted, or a posted whose post's user_id is @self_id; *@seq is
 * then its seq (-1 when it has none).  False for anything else, or anything
 * the look is not sure of (malformed, escaped keys, a member twice, a seq
 * that is not a plain integer): mm_frame_read() reads it as strictly as ever.
 */
bool mm_frame_glance(const char *buf, size_t len, const char *self_id, long long *seq);

/*
 * Whether the post JSON @post (@len bytes, or the start of it) is by
 * @self_id: 1 when its first top-level user_id is @self_id, 0 when it is
 * another, -1 when there is none in @len bytes (or no @self_id).
 */
int mm_post_is_own(const char *self_id, const char *post, size_t len);

/* Frees the strings of @f and zeroes it. */
void mm_frame_cleanup(struct mm_frame *f);

/*
 * Turns one websocket message into at most one event, for the bot whose
 * user id is @self_id and user name @self_name (either may be NULL: then
 * no post counts as our own, or no text mention is recognised).  BOT_OK
 * fills @ev (caller cleans it up); BOT_EIGNORE for events that are not
 * `posted`, for our own, bots', webhooks', system or deleted posts, and for
 * channel posts that do not mention us; BOT_EPARSE when the envelope,
 * data or the JSON string in data.post is malformed; BOT_ELIMIT when
 * something is over its cap.  @ev is zeroed on every error.
 */
enum bot_err mm_event_parse(const char *self_id, const char *self_name, const char *buf,
                            size_t len, struct chat_event *ev);

/* The parse hook: mm_event_parse() with the ids from ad->priv (NULL in tests). */
enum bot_err mattermost_parse(struct adapter *ad, const char *buf, size_t len,
                              struct chat_event *ev);

/*
 * Returns true when @text mentions @name as Mattermost sees it: "@name"
 * (any case) not followed by a character that may continue a user name.
 */
bool mm_text_mentions(const char *text, const char *name);

/*
 * Returns the question in @text (@len bytes) as a new string: every
 * mention of @name removed, NUL bytes turned into spaces, punctuation left
 * at the start by the mention (":" ",") and white space trimmed.
 */
char *mm_text_clean(const char *text, size_t len, const char *name);

/*
 * Appends @s to @b as literal Mattermost Markdown: markup characters
 * backslash-escaped, and @channel, @all and @here (any case) wrapped in a
 * code span so that they cannot notify anyone.
 */
void mm_escape(struct buf *b, const char *s);

/*
 * Returns @r rendered as Mattermost Markdown, new string, at most @max
 * bytes (cut at a line end, with an ellipsis).  All text is escaped.
 */
char *mm_format(const struct reply *r, size_t max);

/*
 * Splits the Markdown @text into posts of at most @max runes (characters)
 * each, in order, and stores them in *parts (out: a new array of new
 * strings; free each and the array).  Returns how many (0 for blank text).
 * A part ends at a paragraph break, else a line break, else a space, else
 * between two characters; never inside a UTF-8 sequence, an inline code
 * span or an escape, and inside a fenced code block only at a line, the
 * block being closed at the end of the part and opened again (the same
 * fence line) at the head of the next.  Blank lines between parts are
 * dropped.  @max below MM_MIN_RUNES counts as MM_MIN_RUNES.
 */
size_t mm_split(const char *text, size_t max, char ***parts);

enum mm_outcome {
    MM_POSTED,   /* done */
    MM_RETRY,    /* try again after *retry_ms (0: the caller backs off) */
    MM_BAD_ROOT, /* 400 for root_id: post again at channel level */
    MM_AUTH,     /* 401: the token was rejected; retried slowly */
    MM_FAILED,   /* permanent error: do not retry */
};

/*
 * Classifies the answer to POST /api/v4/posts.  2xx is MM_POSTED; 429 is
 * MM_RETRY after Retry-After, else X-Ratelimit-Reset (a delta when under
 * 10^9, else an epoch time compared with @now_epoch), else 1 s; 5xx and
 * transport errors are MM_RETRY with *retry_ms 0; 400 with the root_id
 * error id is MM_BAD_ROOT; 401 is MM_AUTH; other 4xx are MM_FAILED.
 * @error (out, @errlen bytes) describes the failure (AppError id).
 */
enum mm_outcome mm_outcome(const struct http_response *resp, long long now_epoch,
                           long *retry_ms, char *error, size_t errlen);

/*
 * Returns how long (ms) to hold further requests after an answer that said
 * X-Ratelimit-Remaining @remaining and X-Ratelimit-Reset @reset (seconds
 * from now under 10^9, else an epoch time compared with @now_epoch; -1 when
 * absent): 0 unless @remaining is 0, else until the reset (1 s when it is
 * unknown or past), at most 600 s.
 */
long mm_ratelimit_hold(long remaining, long reset, long long now_epoch);

/* What to do with the seq of a newly arrived event. */
enum mm_seq {
    MM_SEQ_OK,   /* the one expected (or the first one): process it */
    MM_SEQ_OLD,  /* below the expected one: a redelivery; process it (dedupe) */
    MM_SEQ_SKIP, /* a gap covered by frames we skipped as unreadable: process it */
    MM_SEQ_GAP,  /* events are missing: do not process; resume from *expect */
};

/* The websocket's position in the server's event stream. */
struct mm_seqstate {
    long long expect; /* the next seq due; -1 before the first event */
    unsigned skipped; /* unreadable frames since the last in-order event */
};

/*
 * Checks @seq against @s and updates it: in order or covered by skipped
 * frames moves expect to @seq + 1; an old seq changes nothing; a gap
 * leaves expect where it is so that a resume asks for the first missing
 * event.
 */
enum mm_seq mm_seq_check(struct mm_seqstate *s, long long seq);

#endif /* BOT_ADAPTERS_MATTERMOST_MATTERMOST_INT_H */
