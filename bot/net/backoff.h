/*
 * backoff.h - exponential backoff with jitter, for reconnects and retries.
 *
 * The delay before attempt n is drawn from [d/2, d] where
 * d = min(max_ms, base_ms * 2^n) ("equal jitter"): never zero, so a flapping
 * peer cannot drive a tight loop, and spread so that many clients that lost
 * the same server do not come back in step.
 */
#ifndef BOT_NET_BACKOFF_H
#define BOT_NET_BACKOFF_H

#include <stdbool.h>
#include <stdint.h>

struct backoff {
    uint64_t base_ms; /* delay cap of the first attempt */
    uint64_t max_ms;  /* the cap never grows past this */
    unsigned attempt; /* attempts since the last success */
};

/* Initialises @b; @base_ms must be at least 1 and at most @max_ms. */
void backoff_init(struct backoff *b, uint64_t base_ms, uint64_t max_ms);

/*
 * Returns the delay before the next attempt, in ms, and counts the attempt.
 * @rnd is a uniformly random number (net_random()); tests pass fixed ones.
 */
uint64_t backoff_next(struct backoff *b, uint32_t rnd);

/*
 * The wait before retrying a request that failed at loop time @now: @hint_ms
 * (the server's Retry-After, or any wait the caller chose) when positive,
 * else the next backoff step.  Stores it in *delay_ms (out) and returns true,
 * or returns false when the retry would start after @deadline: give up.
 */
bool backoff_retry(struct backoff *b, uint32_t rnd, long hint_ms, uint64_t now,
                   uint64_t deadline, uint64_t *delay_ms);

/* Forgets past failures: the next delay is drawn from the base again. */
void backoff_reset(struct backoff *b);

#endif /* BOT_NET_BACKOFF_H */
