/* test_ttlmap.c - the bounded key -> expiry map behind dedupe and pacing. */
#include <stdio.h>

#include <criterion/criterion.h>

#include "bot/core/ttlmap.h"
#include "tests/test_util.h"

Test(ttlmap, keys_expire)
{
    struct ttlmap *m = ttlmap_new(4);
    uint64_t exp = 0;

    cr_expect_not(ttlmap_find(m, "a", 0, NULL));
    ttlmap_set(m, "a", 100);
    cr_expect(ttlmap_find(m, "a", 99, &exp));
    cr_expect_eq(exp, 100);
    cr_expect_not(ttlmap_find(m, "a", 100, NULL), "expired at its expiry time");
    ttlmap_set(m, "a", 300);
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
        ttlmap_set(m, key, 1000000);
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
