/* test_backoff.c - exponential backoff with equal jitter. */
#include <criterion/criterion.h>

#include "bot/net/backoff.h"

Test(backoff, grows_doubles_and_caps)
{
    struct backoff b;
    uint64_t cap = 100;

    backoff_init(&b, 100, 1000);
    for (int i = 0; i < 10; i++) {
        uint64_t lo = backoff_next(&b, 0);

        cr_expect_eq(lo, cap - cap / 2, "attempt %d: lowest delay is half the cap", i);
        cap = cap * 2 > 1000 ? 1000 : cap * 2;
    }
}

Test(backoff, jitter_stays_within_half_and_whole_cap)
{
    struct backoff b;

    backoff_init(&b, 400, 400);
    cr_expect_eq(backoff_next(&b, 0), 200);
    cr_expect_eq(backoff_next(&b, UINT32_MAX), 399);
    cr_expect_eq(backoff_next(&b, UINT32_MAX / 2), 299);
}

Test(backoff, never_zero_even_at_base_one)
{
    struct backoff b;

    backoff_init(&b, 1, 1);
    for (int i = 0; i < 5; i++)
        cr_expect_geq(backoff_next(&b, 0), 1);
}

Test(backoff, reset_starts_over)
{
    struct backoff b;

    backoff_init(&b, 100, 100000);
    for (int i = 0; i < 8; i++)
        (void)backoff_next(&b, 0);
    cr_expect_gt(backoff_next(&b, 0), 100);
    backoff_reset(&b);
    cr_expect_eq(backoff_next(&b, 0), 50);
}

Test(backoff, many_attempts_do_not_overflow)
{
    struct backoff b;

    backoff_init(&b, 1000, 300000);
    for (int i = 0; i < 1000; i++)
        cr_expect_leq(backoff_next(&b, UINT32_MAX), 300000);
}

Test(backoff, retry_prefers_the_servers_wait_and_respects_the_deadline)
{
    struct backoff b;
    uint64_t d = 0;

    backoff_init(&b, 100, 1000);
    /* Retry-After wins and does not count as a backoff step. */
    cr_expect(backoff_retry(&b, 0, 3000, 1000, 5000, &d));
    cr_expect_eq(d, 3000u);
    cr_expect_eq(b.attempt, 0u);
    /* No hint: the next step, drawn from [50, 100] at the first attempt. */
    cr_expect(backoff_retry(&b, UINT32_MAX, 0, 1000, 5000, &d));
    cr_expect(d >= 50 && d <= 100, "%llu", (unsigned long long)d);
    cr_expect_eq(b.attempt, 1u);
    /* A wait that ends after the deadline means give up; one ending on it does not. */
    cr_expect_not(backoff_retry(&b, 0, 4001, 1000, 5000, &d));
    cr_expect(backoff_retry(&b, 0, 4000, 1000, 5000, &d));
}
