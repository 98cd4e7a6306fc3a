/*
 * outbox.h - the one reply pipeline every platform adapter posts through.
 *
 * The outbox owns what is the same on every platform: the replies being
 * posted (exactly once each: a reply lives in one list from send to its
 * last part, and is freed once), the request slots they wait for (struct
 * outq below), the delay the core asked for (per-channel pacing), ordered
 * multi-part replies (part n+1 starts only after part n is posted), retries
 * with backoff or the server's wait (Retry-After, rate-limit resets), holds
 * that stop every post until the server's limit refills, deadlines, the
 * drain at shutdown and the counts in struct adapter_stats.
 *
 * An adapter supplies only what is its platform's (struct outbox_ops): how
 * to make the request of a post's current step (its rendering of the
 * reply), and what a response means (posted, retry after N, give up,
 * re-authenticate).  It embeds a struct outbox_post first in its own post
 * and gets it back in its hooks.
 */
#ifndef BOT_ADAPTERS_OUTBOX_H
#define BOT_ADAPTERS_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/base/err.h"
#include "bot/chat/chat_event.h"
#include "bot/net/backoff.h"
#include "bot/net/http.h"

struct adapter;
struct net_loop;
struct net_timer;

/*
 * The replies an adapter is posting: at most max have an HTTP request open,
 * the rest wait here, oldest first.  max follows the server's response time
 * (Little's law): OUTQ_MIN_POSTING, plus one for every OUTQ_MS_PER_SLOT ms a
 * request takes, up to the platform's @limit, so that a fast server is posted
 * to over a few connections and a slow one (Slack answers in 0.1-0.3 s) gets
 * enough requests in flight to carry 250 posts a second.  The response time
 * is the shortest of the last OUTQ_RTT_WINDOW_MS (as TCP BBR takes it).  And
 * it follows the load: whenever a request ends while replies wait for a
 * slot, max doubles (up to OUTQ_MAX_GROWN, and @limit), until none is open
 * or waiting.  Sized by
 * the response time alone, a fast server got 4 at once however many replies
 * were ready, and with 50 questions in flight a reply waited 30 ms (p99
 * 180 ms) for a slot (tests/bench/bench_slack.py's stages).  A waiting
 * reply holds no request (its copies of URL and headers, its body): a burst of a thousand
 * replies waits as the adapter's own compact posts, a few hundred bytes each, and its
 * requests are made as slots free up.  The owner embeds a struct
 * outq_item in each post and gets it back in @start (container_of).
 */
struct outq_item {
    struct outq_item *prev, *next; /* in the queue, while queued */
    struct outq *q;                /* set by outq_later(), for its timer */
    struct net_timer *timer; /* owned, made by the first outq_later() with a delay */
    bool queued;             /* waiting for a slot */
    bool posting;            /* holds a slot: its request is open */
    uint64_t started;        /* loop ms when it took its slot */
};

#define OUTQ_MIN_POSTING   4    /* requests in flight whatever the response time */
#define OUTQ_MS_PER_SLOT   4    /* one more in flight per this many ms a request takes */
#define OUTQ_RTT_WINDOW_MS 2000 /* the response time is the shortest this long */
/* Slots grown while replies wait, at most: each open request holds a curl
 * handle with its buffers (and over HTTP/1.1 a connection); growing to 32
 * put the Slack bench's peak RSS at 16.0-16.4 MB, past the 16 MB goal. */
#define OUTQ_MAX_GROWN 16

/* Called with a slot free: make the request and outq_begin(), or wait
 * (outq_later()), or drop the post (outq_remove()). */
typedef void outq_start_fn(struct outq_item *it);

struct outq {
    struct outq_item *head, *tail;
    unsigned posting; /* items holding a slot */
    unsigned max;     /* slots now: from the response time or grown, at most limit */
    unsigned limit;   /* the platform's ceiling on requests in flight */
    unsigned grown;   /* slots grown while replies waited; 0 when idle */
    uint64_t rtt;     /* the shortest response time lately, ms; 0 before the first */
    uint64_t rtt_at;  /* loop ms when rtt was taken */
    struct net_loop *loop;
    struct net_timer *kick; /* owned: starts waiting items outside the caller's stack */
    outq_start_fn *start;
};

/* Sets @q up with at most @limit items posting at once (at least 1). */
void outq_init(struct outq *q, struct net_loop *loop, unsigned limit,
               outq_start_fn *start);
void outq_cleanup(struct outq *q);

/* Sets the ceiling on items posting at once (at least 1), as a server's rate
 * limit allows; more start at once if the slots grew. */
void outq_set_limit(struct outq *q, unsigned limit);

/* Queues @it (not queued, not posting) at the tail; it starts once a slot is free. */
void outq_push(struct outq *q, struct outq_item *it);

/* Queues @it after @ms (pacing, a rate-limit hold, a retry's backoff), or at once. */
void outq_later(struct outq *q, struct outq_item *it, uint64_t ms);

/* @it (just handed to @start) now holds a slot. */
void outq_begin(struct outq *q, struct outq_item *it);

/* @it's request is over (done or cancelled): its slot goes to the next waiting
 * item, the time it took to the response time that sizes the slots, and, when
 * items wait, the slots double. */
void outq_end(struct outq *q, struct outq_item *it);

/* Takes @it out, whether it waits, posts or has a timer running (before its
 * post is freed). */
void outq_remove(struct outq *q, struct outq_item *it);

/* ---- The outbox ------------------------------------------------------- */

struct outbox;

/*
 * When a reply passed each stage, on clock_now_us() (0: not reached or not
 * known): where its time went between its question's arrival and its post's
 * answer.  Written to VALUESBOT_TRACE, when set, as each part is posted,
 * with the stages of its answer (http_response's sent_us and first_byte_us,
 * and when it was read), which are not kept.
 */
struct outbox_times {
    uint64_t received; /* the question's frame arrived (the adapter's stamp) */
    uint64_t answered; /* the core had the reply */
    uint64_t queued;   /* outbox_add(): the reply reached the outbox */
    uint64_t started;  /* the current part's request was handed to HTTP */
};

/* One reply being posted; first member of the adapter's own post. */
struct outbox_post {
    struct outq_item q; /* first: waits in the outbox's queue for a slot */
    struct outbox *ob;
    struct outbox_post *prev, *next; /* in ob->posts */
    struct http_call *call;          /* in flight, or NULL */
    struct backoff bo;
    uint64_t deadline;  /* loop ms: the current part is given up after this */
    uint64_t delay_ms;  /* the core's pacing delay it started with */
    size_t part;        /* the part being posted, from 0 */
    size_t nparts;      /* parts in all (the adapter may set it when it splits) */
    char *event_id;     /* for log lines: owned, or (id_kept) in the adapter's post */
    unsigned attempts;  /* requests made for the current part */
    bool id_kept;       /* the adapter set event_id before outbox_add(), in the
                           allocation of its post: not copied, not freed here */
    bool in_flight_ack; /* the adapter carries its first part elsewhere (Slack's
                           ack): not queued until outbox_resume() */
    struct outbox_times t;
};

/* What the adapter's hook made of a post about to start. */
enum outbox_go {
    OUTBOX_POST, /* the request is filled in: post it */
    OUTBOX_WAIT, /* not yet (no token, no session): try again after *wait_ms */
    OUTBOX_DROP, /* cannot be posted: drop it (@why says why) */
};

/* What a response means. */
enum outbox_verdict {
    OUTBOX_DONE,    /* the current part is posted: the next one, or the end */
    OUTBOX_AGAIN,   /* a step before the post is done (a DM opened) or the
                       request was changed (a thread refused): start again at once */
    OUTBOX_RETRY,   /* failed: try again after *retry_ms (0: the next backoff step) */
    OUTBOX_REAUTH,  /* credentials refused: ops->reauth(), then as OUTBOX_RETRY */
    OUTBOX_GIVE_UP, /* refused for good: the post and its later parts are dropped */
};

/*
 * A request being made for a post: the adapter fills in @http (its method,
 * URL, auth, content type and a body or body_fn; the outbox's defaults for
 * the rest) and may hand over strings in @own_url and @own_body, freed once
 * the request is made (http_request() copies what it needs).
 */
struct outbox_req {
    struct http_request http;
    char *own_url, *own_body;
};

struct outbox_ops {
    /* Makes the request of @p's current step; see enum outbox_go.  On
     * OUTBOX_DROP it writes why to @why (@len bytes). */
    enum outbox_go (*prepare)(struct outbox_post *p, struct outbox_req *req,
                              uint64_t *wait_ms, char *why, size_t len);
    /* Classifies the answer to @p's request; @error (out, @len bytes) names a
     * failure for the log.  May change the post (its thread, its channel). */
    enum outbox_verdict (*classify)(struct outbox_post *p,
                                    const struct http_response *resp, long *retry_ms,
                                    char *error, size_t len);
    /* Frees the adapter's part of @p (not @p's outbox fields, not @p itself). */
    void (*cleanup)(struct outbox_post *p);
    /* Re-authenticates (OUTBOX_REAUTH); NULL: nothing to do. */
    void (*reauth)(struct outbox *ob);
    /* Draining (outbox_drain): the last post is over, or (@timed_out) the
     * grace ran out and the rest were abandoned.  NULL: nothing to do. */
    void (*drained)(struct outbox *ob, bool timed_out);
};

struct outbox {
    struct adapter *ad; /* borrowed: name for log lines, stats for the counts */
    void *owner;        /* borrowed: the adapter's own object */
    const struct outbox_ops *ops;
    struct outq q;             /* the posts waiting for, or holding, a request slot */
    struct outbox_post *posts; /* owned list: every reply not yet over */
    uint64_t part_ms;          /* deadline of each part, from its start */
    uint64_t backoff_base, backoff_max;
    uint64_t hold_until;     /* loop ms: no post starts before (the server's limit) */
    struct net_timer *drain; /* owned: the grace at shutdown, or NULL */
    bool draining;
    int trace_fd;     /* VALUESBOT_TRACE opened for appending, or -1 */
    char *trace;      /* owned: trace lines not yet written, or NULL */
    size_t trace_len; /* bytes in trace */
};

/*
 * Sets @ob up for adapter @ad (its loop, name and stats) with @owner for the
 * hooks, at most @limit requests open at once, each part given up @part_ms
 * after it starts, retries backing off from @base_ms up to @max_ms.  When
 * the environment names a file in VALUESBOT_TRACE (benchmarks), one line per
 * posted part with its stage times (struct outbox_times) is appended to it,
 * a buffer at a time and at outbox_cleanup().
 */
void outbox_init(struct outbox *ob, struct adapter *ad, void *owner,
                 const struct outbox_ops *ops, unsigned limit, uint64_t part_ms,
                 uint64_t base_ms, uint64_t max_ms);

/* Frees every post still in @ob (no hook but cleanup runs) and its timers. */
void outbox_cleanup(struct outbox *ob);

/*
 * Takes @p (zeroed but for the adapter's fields; allocated with xcalloc) for
 * @reply (borrowed: its event id (NULL: "-"), its pacing delay and its
 * stage times are read; the id is copied unless the adapter set p->event_id
 * and p->id_kept, a copy in @p's own allocation) with @nparts parts, to start after
 * reply->delay_ms (the core's pacing; 0: at once), unless p->in_flight_ack is set: then
 * it waits for outbox_resume().
 */
void outbox_add(struct outbox *ob, struct outbox_post *p, const struct chat_reply *reply,
                size_t nparts);

/* Queues @p (held back with in_flight_ack) to post its current part now. */
void outbox_resume(struct outbox_post *p);

/* Drops @p (a post the adapter finished itself, or abandoned) and frees it. */
void outbox_drop(struct outbox_post *p);

/* Holds every post for @ms from now (the server's rate limit is spent). */
void outbox_hold(struct outbox *ob, uint64_t ms);

/* The server allows this many requests at once (X-Ratelimit-Remaining). */
void outbox_set_limit(struct outbox *ob, unsigned limit);

/* Returns the next backoff step of @p, in ms (counted as an attempt's). */
uint64_t outbox_backoff_next(struct outbox_post *p);

/* True while any reply is not over. */
bool outbox_busy(const struct outbox *ob);

/*
 * Lets the posts in @ob finish for at most @grace_ms; then abandons the rest.
 * ops->drained runs when the last is over (or at the end of the grace).
 */
void outbox_drain(struct outbox *ob, uint64_t grace_ms);

/* The words for a refused request URL (http_request()'s error). */
const char *outbox_url_problem(enum bot_err err);

#endif /* BOT_ADAPTERS_OUTBOX_H */
