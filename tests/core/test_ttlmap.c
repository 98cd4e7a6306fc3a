/* test_ttlmap.c - the bounded key -> expiry map behind dedupe and pacing. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/core/ttlmap.h"
#include "tests/test_util.h"

Test(ttlmap, keys_expire)
{
    struct ttlmap *m = ttlmap_new(4);
    uint64_t exp = 0;

    cr_expect_not(ttlmap_find(m, "a", 0, NULL));
    ttlmap_set(m, "a", 100, 0);
    cr_expect(ttlmap_find(m, "a", 99, &exp));
    cr_expect_eq(exp, 100);
    cr_expect_not(ttlmap_find(m, "a", 100, NULL), "expired at its expiry time");
    ttlmap_set(m, "a", 300, 0);
    cr_expect(ttlmap_find(m, "a", 200, NULL), "set again, alive again");
    cr_expect_eq(ttlmap_count(m), 1);
    ttlmap_free(m);
}

Test(ttlmap, bounded_and_forgets_the_oldest)
{
    struct ttlmap *m = ttlmap_new(100);
    char key[32];

    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof(key), "Ev%d", i);
        ttlmap_set(m, key, 1000000, 0);
    }
    cr_expect_eq(ttlmap_count(m), 100);
    cr_expect_not(ttlmap_find(m, "Ev0", 1, NULL));
    cr_expect_not(ttlmap_find(m, "Ev899", 1, NULL));
    for (int i = 900; i < 1000; i++) {
        snprintf(key, sizeof(key), "Ev%d", i);
        cr_expect(ttlmap_find(m, key, 1, NULL), "%s kept", key);
    }
    ttlmap_free(m);
    expect_no_leaks("ttlmap");
}

Test(ttlmap, free_of_null_is_a_no_op)
{
    ttlmap_free(NULL);
}

Test(ttlmap, grows_as_it_fills_and_keeps_every_key_and_the_order)
{
    /* 200 is not a power of two: the ring grows 64, 128, then 200. */
    struct ttlmap *m = ttlmap_new(200);
    uint64_t exp = 0;
    char key[32];

    for (int i = 0; i < 200; i++) {
        snprintf(key, sizeof(key), "C%d", i);
        ttlmap_set(m, key, 1000 + (uint64_t)i, 0);
        cr_assert_eq(ttlmap_count(m), (size_t)i + 1);
    }
    for (int i = 0; i < 200; i++) {
        snprintf(key, sizeof(key), "C%d", i);
        cr_expect(ttlmap_find(m, key, 1, &exp), "%s kept across the doublings", key);
        cr_expect_eq(exp, 1000 + (uint64_t)i);
    }
    /* Full now: each new key forgets the oldest, in insertion order. */
    for (int i = 200; i < 250; i++) {
        snprintf(key, sizeof(key), "C%d", i);
        ttlmap_set(m, key, 5000, 0);
    }
    cr_expect_eq(ttlmap_count(m), 200);
    for (int i = 0; i < 250; i++) {
        snprintf(key, sizeof(key), "C%d", i);
        cr_expect_eq(ttlmap_find(m, key, 1, NULL), i >= 50, "%s", key);
    }
    ttlmap_free(m);
    expect_no_leaks("ttlmap");
}

Test(ttlmap, forgets_in_insertion_order_when_full_after_growing)
{
    /* Updates move no key; after two doublings the oldest is still forgotten first. */
    struct ttlmap *m = ttlmap_new(64 * 3);
    char key[32];

    for (int i = 0; i < 64 * 3 + 70; i++) {
        snprintf(key, sizeof(key), "Ev%d", i);
        ttlmap_set(m, key, 1000000, 0);
        snprintf(key, sizeof(key), "Ev%d", i / 2);
        ttlmap_set(m, key, 2000000, 0); /* an update moves nothing */
    }
    cr_expect_eq(ttlmap_count(m), 64 * 3);
    for (int i = 0; i < 64 * 3 + 70; i++) {
        snprintf(key, sizeof(key), "Ev%d", i);
        cr_expect_eq(ttlmap_find(m, key, 1, NULL), i >= 70, "%s", key);
    }
    ttlmap_free(m);
    expect_no_leaks("ttlmap");
}

Test(ttlmap, expired_oldest_keys_make_room_before_it_grows)
{
    /* Pacing: a thousand channels pass through, a few alive at any time. */
    struct ttlmap *m = ttlmap_new(16384);
    char key[32];

    for (int i = 0; i < 1000; i++) {
        uint64_t now = (uint64_t)i * 10;

        snprintf(key, sizeof(key), "C%d", i);
        ttlmap_set(m, key, now + 100, now);
        cr_assert(ttlmap_find(m, key, now, NULL));
    }
    cr_expect_leq(ttlmap_count(m), 64, "stays at its first size: %zu", ttlmap_count(m));
    for (int i = 990; i < 1000; i++) { /* the ones still alive at 9990 */
        snprintf(key, sizeof(key), "C%d", i);
        cr_expect(ttlmap_find(m, key, 9990, NULL), "%s kept while alive", key);
    }
    /* Live keys are never dropped to make room: the ring grows instead. */
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof(key), "L%d", i);
        ttlmap_set(m, key, 1000000, 10000);
    }
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof(key), "L%d", i);
        cr_expect(ttlmap_find(m, key, 10001, NULL), "%s kept", key);
    }
    ttlmap_free(m);
    expect_no_leaks("ttlmap");
}

/* Keys short enough to sit in their entry and longer ones copied beside it
 * (a Teams conversation id) are the same to the caller: found, evicted in
 * insertion order, grown over and freed alike. */
Test(ttlmap, short_and_long_keys_alike)
{
    static const size_t lens[] = {2, 29, 30, 31, 32, 100};
    const size_t nlens = sizeof(lens) / sizeof(lens[0]);
    struct ttlmap *m = ttlmap_new(3 * nlens);
    char key[128];

    for (size_t round = 0; round < 4; round++) {
        for (size_t i = 0; i < nlens; i++) {
            memset(key, 'a' + (int)round, lens[i]);
            key[lens[i]] = '\0';
            key[0] = (char)('0' + i);
            ttlmap_set(m, key, 1000 + round, 0);
        }
    }
    cr_expect_eq(ttlmap_count(m), 3 * nlens);
    for (size_t round = 0; round < 4; round++) {
        for (size_t i = 0; i < nlens; i++) {
            memset(key, 'a' + (int)round, lens[i]);
            key[lens[i]] = '\0';
            key[0] = (char)('0' + i);
            /* The first round was the oldest: forgotten. */
            cr_expect_eq(ttlmap_find(m, key, 1, NULL), round > 0,
                         "round %zu, a key of %zu bytes", round, lens[i]);
        }
    }
    ttlmap_free(m);
    expect_no_leaks("ttlmap");
}
