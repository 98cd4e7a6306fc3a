/* test_converse_ctx.c - converse.c's follow-up contexts (bot/core/converse_ctx.c). */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/core/converse_ctx.h"

static struct converse_ctx_set s;

static void
fini(void)
{
    converse_ctx_cleanup(&s);
}

TestSuite(converse_ctx, .fini = fini);

/* Walks the list in order of use, oldest first: "a b c". */
static void
order(char *out, size_t max)
{
    size_t used = 0;

    out[0] = '\0';
    for (const struct converse_ctx *c = s.oldest; c != NULL; c = c->newer) {
        used += (size_t)snprintf(out + used, max - used, "%s%s", used ? " " : "", c->key);
        cr_assert_lt(used, max);
        if (c->newer != NULL)
            cr_assert_eq(c->newer->older, c, "the list links both ways");
    }
}

Test(converse_ctx, lookup_among_thousands_finds_each_key_and_no_other)
{
    char key[32];

    converse_ctx_init(&s, 10000);
    cr_expect_null(converse_ctx_find(&s, "nobody"), "an empty set");
    for (int i = 0; i < 5000; i++) {
        struct converse_ctx *c;

        snprintf(key, sizeof(key), "T1:C%d:U%d", i % 37, i);
        c = converse_ctx_add(&s, key, i % 2 ? "tewv" : "cwpt");
        c->item = (size_t)i;
    }
    cr_expect_eq(s.n, 5000);
    cr_expect_geq(s.nbuckets, 4096, "the buckets grew with the set");
    for (int i = 0; i < 5000; i++) {
        struct converse_ctx *c;

        snprintf(key, sizeof(key), "T1:C%d:U%d", i % 37, i);
        c = converse_ctx_find(&s, key);
        cr_assert_not_null(c, "%s", key);
        cr_expect_str_eq(c->key, key);
        cr_expect_eq(c->item, (size_t)i, "%s", key);
        cr_expect_str_eq(c->org, i % 2 ? "tewv" : "cwpt");
    }
    cr_expect_null(converse_ctx_find(&s, "T1:C0:U5000"));
    cr_expect_null(converse_ctx_find(&s, "T1:C0:U"));
    cr_expect_null(converse_ctx_find(&s, ""));
}

Test(converse_ctx, removed_keys_are_gone_and_their_chain_neighbours_stay)
{
    char key[16];

    /* Twenty keys in sixteen buckets: some share a chain. */
    converse_ctx_init(&s, 100);
    for (int i = 0; i < 20; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        (void)converse_ctx_add(&s, key, "tewv");
    }
    for (int i = 0; i < 20; i += 3) {
        snprintf(key, sizeof(key), "k%d", i);
        converse_ctx_remove(&s, converse_ctx_find(&s, key));
    }
    for (int i = 0; i < 20; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        if (i % 3 == 0)
            cr_expect_null(converse_ctx_find(&s, key), "%s removed", key);
        else
            cr_expect_not_null(converse_ctx_find(&s, key), "%s kept", key);
    }
    cr_expect_eq(s.n, 13);
}

Test(converse_ctx, a_full_set_evicts_the_least_recently_used)
{
    char got[64];

    converse_ctx_init(&s, 3);
    (void)converse_ctx_add(&s, "a", "tewv");
    (void)converse_ctx_add(&s, "b", "tewv");
    (void)converse_ctx_add(&s, "c", "tewv");
    order(got, sizeof(got));
    cr_expect_str_eq(got, "a b c");
    /* "a" is the oldest added, but used since: "b" goes. */
    cr_assert_not_null(converse_ctx_find(&s, "a"));
    order(got, sizeof(got));
    cr_expect_str_eq(got, "b c a");
    (void)converse_ctx_add(&s, "d", "tewv");
    cr_expect_eq(s.n, 3);
    cr_expect_null(converse_ctx_find(&s, "b"));
    cr_expect_not_null(converse_ctx_find(&s, "c"));
    order(got, sizeof(got));
    cr_expect_str_eq(got, "a d c");
    (void)converse_ctx_add(&s, "e", "tewv");
    cr_expect_null(converse_ctx_find(&s, "a"), "the least recently used goes next");
    order(got, sizeof(got));
    cr_expect_str_eq(got, "d c e");
}

Test(converse_ctx, expire_removes_contexts_idle_past_the_timeout_in_any_order_of_use)
{
    char got[64];
    static const struct {
        const char *key;
        time_t last;
    } added[] = {{"old", 100}, {"new", 500}, {"edge", 400}, {"fresh", 450}};

    converse_ctx_init(&s, 10);
    for (size_t i = 0; i < sizeof(added) / sizeof(added[0]); i++)
        converse_ctx_add(&s, added[i].key, "tewv")->last = added[i].last;
    /* "old" used last: the list's order is not the answers' order. */
    cr_assert_not_null(converse_ctx_find(&s, "old"));
    converse_ctx_expire(&s, 1000, 600);
    order(got, sizeof(got));
    cr_expect_str_eq(got, "new fresh", "idle 600 s or more goes (edge: exactly 600)");
    cr_expect_null(converse_ctx_find(&s, "old"));
    cr_expect_null(converse_ctx_find(&s, "edge"));
    cr_expect_eq(s.n, 2);
    converse_ctx_expire(&s, 2000, 600);
    cr_expect_eq(s.n, 0);
    cr_expect_null(s.oldest);
    cr_expect_null(s.newest);
    /* Empty again, it takes new contexts. */
    cr_expect_not_null(converse_ctx_add(&s, "again", "tewv"));
    cr_expect_not_null(converse_ctx_find(&s, "again"));
}
