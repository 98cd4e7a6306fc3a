/* backoff.c - exponential backoff with equal jitter. */
#include "bot/net/backoff.h"

#include <assert.h>

void
backoff_init(struct backoff *b, uint64_t base_ms, uint64_t max_ms)
{
    assert(base_ms >= 1 && base_ms <= max_ms);
    b->base_ms = base_ms;
    b->max_ms = max_ms;
    b->attempt = 0;
}

uint64_t
backoff_next(struct backoff *b, uint32_t rnd)
{
    uint64_t d = b->base_ms;

    for (unsigned i = 0; i < b->attempt && d < b->max_ms; i++)
        d *= 2;
    if (d > b->max_ms)
        d = b->max_ms;
    if (b->attempt < 64)
        b->attempt++;
    /* d/2 + a random part of the other half, scaled without modulo bias worth caring
     * about. */
    return d - d / 2 + (uint64_t)(((d / 2) * (uint64_t)rnd) >> 32);
}

void
backoff_reset(struct backoff *b)
{
    b->attempt = 0;
}

bool
backoff_retry(struct backoff *b, uint32_t rnd, long hint_ms, uint64_t now,
              uint64_t deadline, uint64_t *delay_ms)
{
    uint64_t d = hint_ms > 0 ? (uint64_t)hint_ms : backoff_next(b, rnd);

    *delay_ms = d;
    return now + d <= deadline;
}
