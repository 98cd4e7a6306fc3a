/*
 * adapter_int.h - small helpers every platform adapter uses.
 *
 * Only the adapters (bot/adapters/) include this; the core sees them through
 * adapter.h alone.
 */
#ifndef BOT_ADAPTERS_ADAPTER_INT_H
#define BOT_ADAPTERS_ADAPTER_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct net_loop;
struct net_timer;

/* Returns the string member @key of @obj (borrowed), or NULL when @obj is not
 * an object, or @key is missing or not a string. */
const char *adapter_jstr(const json_t *obj, const char *key);

/* Returns environment variable @name as a number from 1 to @max, or @def when
 * it is unset, empty, not a number or out of range (test knobs). */
unsigned adapter_env_uint(const char *name, unsigned def, unsigned max);

/*
 * The replies an adapter is posting: at most max have an HTTP request open,
 * the rest wait here, oldest first.  max follows the server's response time
 * (Little's law): OUTQ_MIN_POSTING, plus one for every OUTQ_MS_PER_SLOT ms a
 * request takes, up to the platform's @limit, so that a fast server is posted
 * to over a few connections and a slow one (Slack answers in 0.1-0.3 s) gets
 * enough requests in flight to carry 250 posts a second.  The response time
 * is the shortest of the last OUTQ_RTT_WINDOW_MS (as TCP BBR takes it): a
 * server slowed by its own queue is not helped by more requests at once.  A waiting
 * reply holds no request (its copies of URL and headers, its body): a burst of a thousand
 * replies waits as the adapter's own compact posts, a few hundred bytes each, and its
 * requests are made as slots free up.  The adapter embeds a struct
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

/* Called with a slot free: make the request and outq_begin(), or wait
 * (outq_later()), or drop the post (outq_remove()). */
typedef void outq_start_fn(struct outq_item *it);

struct outq {
    struct outq_item *head, *tail;
    unsigned posting; /* items holding a slot */
    unsigned max;     /* slots now: from the response time, at most limit */
    unsigned limit;   /* the platform's ceiling on requests in flight */
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
 * item, and the time it took to the response time that sizes the slots. */
void outq_end(struct outq *q, struct outq_item *it);

/* Takes @it out, whether it waits, posts or has a timer running (before its
 * post is freed). */
void outq_remove(struct outq *q, struct outq_item *it);

#endif /* BOT_ADAPTERS_ADAPTER_INT_H */
