/* test_fmt.c - string-only formatting of bot/base/fmt.c, and its users. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/base/buf.h"
#include "bot/base/fmt.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/reply.h"

/* fmt_strings() through a variadic call, as its users make it. */
static int
strings(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = fmt_strings(out, size, fmt, ap);
    va_end(ap);
    return n;
}

struct fmt_case {
    const char *name; /* printed when the case fails */
    const char *fmt;
    const char *a, *b; /* the two %s arguments (either may be NULL) */
};

static const struct fmt_case cases[] = {
    {"no conversion", "plain text", NULL, NULL},
    {"empty format", "", NULL, NULL},
    {"two strings", "%s: event=%s answering", "work-mm", "mm:abc"},
    {"strings at both ends", "%s%s", "left", "right"},
    {"a percent sign", "100%% of %s%s", "our", " values"},
    {"NULL reads (null)", "user=%s org=%s", NULL, "tewv"},
    {"empty strings", "[%s][%s]", "", ""},
    {"non-ASCII", "“%s” — %s", "café", "naïve"},
};

Test(fmt, strings_as_snprintf_writes_them_at_every_size)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct fmt_case *c = &cases[i];

        /* Every size from 0 to past the whole: the same length, the same bytes. */
        for (size_t size = 0; size < 48; size++) {
            char want[64], got[64];
            int nw, ng;

            memset(want, 'x', sizeof(want));
            memset(got, 'x', sizeof(got));
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-overflow"
            nw = snprintf(size ? want : NULL, size, c->fmt, c->a, c->b);
#pragma GCC diagnostic pop
            ng = strings(size ? got : NULL, size, c->fmt, c->a, c->b);
            cr_expect_eq(ng, nw, "%s, size %zu: %d, want %d", c->name, size, ng, nw);
            cr_expect_eq(memcmp(got, want, sizeof(got)), 0, "%s, size %zu: bytes differ",
                         c->name, size);
        }
    }
}

Test(fmt, other_conversions_left_to_vsnprintf_with_nothing_read)
{
    static const char *const others[] = {"%d", "n=%zu", "%s and %d", "%.3s", "%5s", "%"};
    char out[16] = "unchanged";

    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
        cr_expect_eq(strings(out, sizeof(out), others[i], "a", 1), -1, "%s", others[i]);
    cr_expect_str_eq(out, "unchanged");
    cr_expect_eq(fmt_snprintf(out, sizeof(out), "%s=%zu", "n", (size_t)42), 4);
    cr_expect_str_eq(out, "n=42");
}

/* A text past the users' stack buffers (256 and 512 bytes) comes out whole. */
Test(fmt, long_texts_formatted_whole_by_each_user)
{
    char *a = xmalloc(1001), *x;
    struct buf b;
    struct reply r = {0};
    char want[1100];

    memset(a, 'a', 1000);
    a[1000] = '\0';
    snprintf(want, sizeof(want), "<%s|%d>", a, 7);
    x = xasprintf("<%s|%d>", a, 7);
    cr_expect_str_eq(x, want);
    free(x);
    x = xasprintf("<%s|7>", a);
    cr_expect_str_eq(x, want);
    free(x);
    buf_init(&b, 4096);
    cr_assert_eq(buf_printf(&b, "<%s|%d>", a, 7), BOT_OK);
    cr_assert_eq(buf_printf(&b, "<%s|7>", a), BOT_OK);
    cr_expect_eq(b.len, 2 * strlen(want));
    cr_expect_eq(strncmp(buf_str(&b), want, strlen(want)), 0);
    cr_expect_str_eq(buf_str(&b) + strlen(want), want);
    buf_cleanup(&b);
    buf_init(&b, 100);
    cr_expect_eq(buf_printf(&b, "<%s|7>", a), BOT_ELIMIT, "past the cap");
    cr_expect_eq(b.len, 0);
    buf_cleanup(&b);
    reply_addf(&r, REPLY_PARA, NULL, "<%s|%d>", a, 7);
    reply_addf(&r, REPLY_PARA, "label", "<%s|7>", a);
    cr_assert_eq(r.n, 2);
    cr_expect_str_eq(r.blocks[0].text, want);
    cr_expect_str_eq(r.blocks[1].text, want);
    cr_expect_str_eq(r.blocks[1].label, "label");
    reply_cleanup(&r);
    free(a);
}

/* A reply's blocks grow in powers of two: every one kept, in order. */
Test(fmt, reply_keeps_every_block_as_it_grows)
{
    struct reply r = {0};

    for (size_t i = 0; i < 70; i++) {
        if (i % 2)
            reply_addf(&r, REPLY_ITEM, NULL, "block %s", i % 4 == 1 ? "one" : "three");
        else
            reply_add(&r, REPLY_PARA, NULL, i == 0 ? "first" : "even");
    }
    cr_assert_eq(r.n, 70);
    cr_expect_str_eq(r.blocks[0].text, "first");
    for (size_t i = 1; i < 70; i++)
        cr_expect_str_eq(r.blocks[i].text,
                         i % 2 ? (i % 4 == 1 ? "block one" : "block three") : "even",
                         "block %zu", i);
    reply_cleanup(&r);
    cr_expect_eq(r.n, 0);
    reply_add(&r, REPLY_PARA, NULL, "after a cleanup");
    cr_expect_str_eq(r.blocks[0].text, "after a cleanup");
    reply_cleanup(&r);
}
