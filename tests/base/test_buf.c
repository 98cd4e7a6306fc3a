/* test_buf.c - the capped byte buffer of bot/base/buf.c. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/base/buf.h"

Test(buf, empty_buffer_reads_as_empty_string)
{
    struct buf b;

    buf_init(&b, 16);
    cr_assert_eq(b.len, 0);
    cr_assert_str_eq(buf_str(&b), "");
    buf_cleanup(&b);
}

Test(buf, add_appends_and_nul_terminates)
{
    struct buf b;

    buf_init(&b, 64);
    cr_assert_eq(buf_add(&b, "abc", 3), BOT_OK);
    cr_assert_eq(buf_add(&b, "defXXX", 3), BOT_OK);
    cr_assert_eq(b.len, 6);
    cr_assert_eq(b.data[6], '\0');
    cr_assert_str_eq(buf_str(&b), "abcdef");
    cr_assert_geq(b.cap, b.len + 1);
    buf_cleanup(&b);
}

Test(buf, add_keeps_embedded_nul_bytes)
{
    struct buf b;

    buf_init(&b, 64);
    cr_assert_eq(buf_add(&b, "a\0b", 3), BOT_OK);
    cr_assert_eq(b.len, 3);
    cr_assert_eq(memcmp(b.data, "a\0b", 4), 0, "bytes and the final NUL are kept");
    buf_cleanup(&b);
}

Test(buf, zero_length_add_still_gives_a_string)
{
    struct buf b;

    buf_init(&b, 0);
    cr_assert_eq(buf_add(&b, "", 0), BOT_OK);
    cr_assert_eq(b.len, 0);
    cr_assert_str_eq(buf_str(&b), "");
    cr_assert_eq(buf_add(&b, "x", 1), BOT_ELIMIT, "a zero cap admits nothing");
    buf_cleanup(&b);
}

struct cap_case {
    const char *name;  /* printed when the case fails */
    size_t max;        /* cap */
    const char *first; /* appended first, must fit */
    const char *second;
    enum bot_err want; /* result of the second append */
    const char *want_str;
};

static const struct cap_case cap_cases[] = {
    {"exactly at the cap", 6, "abc", "def", BOT_OK, "abcdef"},
    {"one byte over the cap", 5, "abc", "def", BOT_ELIMIT, "abc"},
    {"far over the cap", 4, "ab", "0123456789", BOT_ELIMIT, "ab"},
    {"empty first, over on second", 2, "", "abc", BOT_ELIMIT, ""},
    {"cap already full, empty add", 3, "abc", "", BOT_OK, "abc"},
    {"cap already full, one more", 3, "abc", "d", BOT_ELIMIT, "abc"},
};

Test(buf, cap_is_enforced_and_contents_kept)
{
    for (size_t i = 0; i < sizeof(cap_cases) / sizeof(cap_cases[0]); i++) {
        const struct cap_case *c = &cap_cases[i];
        struct buf b;
        enum bot_err err;

        buf_init(&b, c->max);
        cr_assert_eq(buf_adds(&b, c->first), BOT_OK, "%s: first append", c->name);
        err = buf_adds(&b, c->second);
        cr_expect_eq(err, c->want, "%s: got %s", c->name, bot_strerror(err));
        cr_expect_str_eq(buf_str(&b), c->want_str, "%s", c->name);
        cr_expect_eq(b.len, strlen(c->want_str), "%s: len", c->name);
        cr_expect_leq(b.len, b.max, "%s: len within cap", c->name);
        buf_cleanup(&b);
    }
}

Test(buf, cap_near_size_max_does_not_overflow)
{
    struct buf b;

    /* len + add would wrap if the check were written as len + n > max. */
    buf_init(&b, 8);
    cr_assert_eq(buf_adds(&b, "abcd"), BOT_OK);
    cr_assert_eq(buf_add(&b, "x", (size_t)-1), BOT_ELIMIT);
    cr_assert_str_eq(buf_str(&b), "abcd");
    buf_cleanup(&b);
}

Test(buf, grows_across_many_appends)
{
    struct buf b;

    buf_init(&b, 1 << 20);
    for (int i = 0; i < 5000; i++)
        cr_assert_eq(buf_add(&b, "xy", 2), BOT_OK);
    cr_assert_eq(b.len, 10000);
    cr_assert_eq(strlen(buf_str(&b)), 10000);
    for (size_t i = 0; i < b.len; i += 2)
        cr_assert(b.data[i] == 'x' && b.data[i + 1] == 'y', "byte %zu", i);
    buf_cleanup(&b);
}

Test(buf, printf_formats_and_appends)
{
    struct buf b;

    buf_init(&b, 64);
    cr_assert_eq(buf_adds(&b, "n="), BOT_OK);
    cr_assert_eq(buf_printf(&b, "%d/%s/%zu", 42, "ok", (size_t)7), BOT_OK);
    cr_assert_str_eq(buf_str(&b), "n=42/ok/7");
    cr_assert_eq(b.len, 9);
    buf_cleanup(&b);
}

Test(buf, printf_over_cap_fails_and_keeps_contents)
{
    struct buf b;

    buf_init(&b, 8);
    cr_assert_eq(buf_adds(&b, "abc"), BOT_OK);
    cr_assert_eq(buf_printf(&b, "%s", "0123456789"), BOT_ELIMIT);
    cr_assert_str_eq(buf_str(&b), "abc");
    cr_assert_eq(b.len, 3);
    buf_cleanup(&b);
}

Test(buf, reset_empties_but_keeps_storage)
{
    struct buf b;
    size_t cap;

    buf_init(&b, 64);
    cr_assert_eq(buf_adds(&b, "hello"), BOT_OK);
    cap = b.cap;
    buf_reset(&b);
    cr_assert_eq(b.len, 0);
    cr_assert_str_eq(buf_str(&b), "");
    cr_assert_eq(b.cap, cap);
    cr_assert_not_null(b.data);
    cr_assert_eq(buf_adds(&b, "again"), BOT_OK);
    cr_assert_str_eq(buf_str(&b), "again");
    buf_cleanup(&b);
}

Test(buf, reset_of_a_fresh_buffer_is_safe)
{
    struct buf b;

    buf_init(&b, 4);
    buf_reset(&b);
    cr_assert_str_eq(buf_str(&b), "");
    buf_cleanup(&b);
}

Test(buf, take_hands_over_the_string_and_resets)
{
    struct buf b;
    char *s;

    buf_init(&b, 64);
    cr_assert_eq(buf_adds(&b, "owned"), BOT_OK);
    s = buf_take(&b);
    cr_assert_str_eq(s, "owned");
    cr_assert_eq(b.len, 0);
    cr_assert_null(b.data);
    cr_assert_str_eq(buf_str(&b), "");
    cr_assert_eq(buf_adds(&b, "next"), BOT_OK, "buffer is reusable after take");
    cr_assert_str_eq(buf_str(&b), "next");
    free(s);
    buf_cleanup(&b);
}

Test(buf, take_of_empty_buffer_gives_empty_owned_string)
{
    struct buf b;
    char *s;

    buf_init(&b, 4);
    s = buf_take(&b);
    cr_assert_not_null(s);
    cr_assert_str_eq(s, "");
    free(s);
    buf_cleanup(&b);
}

Test(buf, cleanup_then_init_reuses)
{
    struct buf b;

    buf_init(&b, 4);
    cr_assert_eq(buf_adds(&b, "abcd"), BOT_OK);
    buf_cleanup(&b);
    cr_assert_null(b.data);
    cr_assert_eq(b.len, 0);
    buf_init(&b, 2);
    cr_assert_eq(buf_adds(&b, "abc"), BOT_ELIMIT, "the new cap applies");
    cr_assert_eq(buf_adds(&b, "ab"), BOT_OK);
    cr_assert_str_eq(buf_str(&b), "ab");
    buf_cleanup(&b);
}

Test(buf, reserve_makes_room_once_within_the_cap)
{
    struct buf b;
    char *before;

    buf_init(&b, 100);
    buf_reserve(&b, 50);
    cr_assert_geq(b.cap, 51);
    cr_assert_eq(b.len, 0);
    cr_assert_str_eq(buf_str(&b), "");
    before = b.data;
    for (int i = 0; i < 50; i++)
        cr_assert_eq(buf_add(&b, "x", 1), BOT_OK);
    cr_assert_eq(b.data, before, "no reallocation within what was reserved");
    buf_reserve(&b, 1000); /* past the cap: only up to it */
    cr_assert_leq(b.cap, 101);
    cr_assert_eq(buf_add(&b, "y", 1), BOT_OK);
    cr_assert_eq(b.len, 51);
    cr_assert_eq(b.data[51], '\0');
    buf_cleanup(&b);
}

/* A secret's buffer ends empty and reusable, whether it held anything or not. */
Test(buf, cleanup_secret_empties_and_allows_reuse)
{
    struct buf b;

    buf_init(&b, 100);
    buf_cleanup_secret(&b); /* nothing allocated yet */
    cr_assert_null(b.data);
    cr_assert_eq(buf_adds(&b, "Authorization: Bearer xoxb-secret"), BOT_OK);
    buf_cleanup_secret(&b);
    cr_assert_null(b.data);
    cr_assert_eq(b.len, 0);
    cr_assert_eq(b.cap, 0);
    buf_init(&b, 100);
    cr_assert_eq(buf_adds(&b, "again"), BOT_OK);
    cr_assert_str_eq(buf_str(&b), "again");
    buf_cleanup(&b);
}
