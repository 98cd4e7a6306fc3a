/* test_utf8.c - UTF-8 validation and truncation in bot/base/utf8.c. */
#include <string.h>

#include <criterion/criterion.h>

#include "bot/base/utf8.h"

struct valid_case {
    const char *name; /* printed when the case fails */
    const char *s;
    size_t len; /* bytes of @s to check (may include NULs) */
    bool want;
    size_t want_off; /* first bad byte; checked only when !want */
};

#define VCASE(name, lit, want, off)                                                      \
    {                                                                                    \
        name, lit, sizeof(lit) - 1, want, off                                            \
    }

static const struct valid_case valid_cases[] = {
    VCASE("empty", "", true, 0),
    VCASE("ascii", "hello, world", true, 0),
    VCASE("two-byte e acute", "caf\xc3\xa9", true, 0),
    VCASE("three-byte euro", "\xe2\x82\xac 5", true, 0),
    VCASE("four-byte emoji", "\xf0\x9f\x98\x80", true, 0),
    VCASE("lowest two-byte U+0080", "\xc2\x80", true, 0),
    VCASE("lowest three-byte U+0800", "\xe0\xa0\x80", true, 0),
    VCASE("lowest four-byte U+10000", "\xf0\x90\x80\x80", true, 0),
    VCASE("highest code point U+10FFFF", "\xf4\x8f\xbf\xbf", true, 0),
    VCASE("last before surrogates U+D7FF", "\xed\x9f\xbf", true, 0),
    VCASE("first after surrogates U+E000", "\xee\x80\x80", true, 0),
    VCASE("curly quotes and en dash", "\xe2\x80\x98x\xe2\x80\x99 \xe2\x80\x93 y", true,
          0),
    VCASE("overlong slash C0 AF", "\xc0\xaf", false, 0),
    VCASE("overlong NUL C0 80", "ab\xc0\x80", false, 2),
    VCASE("overlong C1 BF", "\xc1\xbf", false, 0),
    VCASE("overlong three-byte E0 80 AF", "\xe0\x80\xaf", false, 0),
    VCASE("overlong three-byte E0 9F BF", "x\xe0\x9f\xbf", false, 1),
    VCASE("overlong four-byte F0 80 80 AF", "\xf0\x80\x80\xaf", false, 0),
    VCASE("overlong four-byte F0 8F BF BF", "\xf0\x8f\xbf\xbf", false, 0),
    VCASE("high surrogate U+D800", "\xed\xa0\x80", false, 0),
    VCASE("low surrogate U+DFFF", "ok\xed\xbf\xbf", false, 2),
    VCASE("surrogate pair as CESU-8", "\xed\xa0\xbd\xed\xb8\x80", false, 0),
    VCASE("past U+10FFFF F4 90", "\xf4\x90\x80\x80", false, 0),
    VCASE("F5 lead byte", "\xf5\x80\x80\x80", false, 0),
    VCASE("FF byte", "a\xff", false, 1),
    VCASE("FE byte", "\xfe", false, 0),
    VCASE("lone continuation byte", "a\x80z", false, 1),
    VCASE("truncated two-byte at end", "a\xc3", false, 1),
    VCASE("truncated three-byte at end", "\xe2\x82", false, 0),
    VCASE("truncated four-byte at end", "xy\xf0\x9f\x98", false, 2),
    VCASE("lead byte followed by ASCII", "\xc3(", false, 0),
    VCASE("three-byte with bad third byte", "\xe2\x82(", false, 0),
    VCASE("NUL byte", "a\0b", false, 1),
    VCASE("NUL byte first", "\0", false, 0),
    VCASE("NUL inside an eight-byte ASCII run", "0123456789\0abcdefghijk", false, 10),
    VCASE("NUL at the end of a long run", "0123456789abcdef\0", false, 16),
    VCASE("bad byte after two ASCII words", "0123456789abcdef\xff", false, 16),
};

Test(utf8, is_valid_table)
{
    for (size_t i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++) {
        const struct valid_case *c = &valid_cases[i];
        size_t off = 12345;
        bool got = utf8_is_valid(c->s, c->len, &off);

        cr_expect_eq(got, c->want, "%s: got %s", c->name, got ? "valid" : "invalid");
        if (!c->want && !got)
            cr_expect_eq(off, c->want_off, "%s: bad offset %zu, want %zu", c->name, off,
                         c->want_off);
        if (got)
            cr_expect_eq(off, 12345, "%s: offset untouched when valid", c->name);
    }
}

Test(utf8, bad_offset_may_be_null)
{
    cr_assert_not(utf8_is_valid("\xff", 1, NULL));
    cr_assert(utf8_is_valid("ok", 2, NULL));
}

Test(utf8, length_bounds_the_check)
{
    const char *s = "caf\xc3\xa9";
    size_t off = 0;

    /* Cutting the last character in half makes the prefix invalid. */
    cr_assert_not(utf8_is_valid(s, 4, &off));
    cr_assert_eq(off, 3);
    cr_assert(utf8_is_valid(s, 3, NULL));
    /* Bytes past len are not looked at. */
    cr_assert(utf8_is_valid("ab\xff", 2, NULL));
}

struct trunc_case {
    const char *name;
    const char *s;
    size_t max;
    size_t want;
};

static const struct trunc_case trunc_cases[] = {
    {"shorter than max", "abc", 10, 3},
    {"exactly max", "abc", 3, 3},
    {"ascii cut", "abcdef", 4, 4},
    {"max zero", "abc", 0, 0},
    {"empty string", "", 5, 0},
    {"cut inside two-byte", "h\xc3\xa9llo", 2, 1},
    {"cut after two-byte", "h\xc3\xa9llo", 3, 3},
    {"cut inside three-byte after one byte", "a\xe2\x82\xac", 2, 1},
    {"cut inside three-byte after two bytes", "a\xe2\x82\xac", 3, 1},
    {"cut inside four-byte", "a\xf0\x9f\x98\x80z", 4, 1},
    {"cut after four-byte", "a\xf0\x9f\x98\x80z", 5, 5},
    {"first character does not fit", "\xe2\x82\xac", 2, 0},
};

Test(utf8, truncate_len_table)
{
    for (size_t i = 0; i < sizeof(trunc_cases) / sizeof(trunc_cases[0]); i++) {
        const struct trunc_case *c = &trunc_cases[i];
        size_t got = utf8_truncate_len(c->s, c->max);

        cr_expect_eq(got, c->want, "%s: got %zu, want %zu", c->name, got, c->want);
        cr_expect(utf8_is_valid(c->s, got, NULL), "%s: prefix must stay valid", c->name);
    }
}

struct nul_case {
    const char *name;
    const char *s;
    size_t len; /* 0: strlen */
    bool valid;
};

static const struct nul_case nul_cases[] = {
    {"ascii", "hello, world and some more ascii text", 0, true},
    {"empty", "", 0, true},
    {"NUL is a character", "a\0b", 3, true},
    {"two-byte", "caf\xc3\xa9", 0, true},
    {"three-byte", "\xe2\x82\xac 5", 0, true},
    {"four-byte", "\xf0\x9f\x98\x80", 0, true},
    {"last code point", "\xf4\x8f\xbf\xbf", 0, true},
    {"past U+10FFFF", "\xf4\x90\x80\x80", 0, false},
    {"overlong slash", "\xc0\xaf", 0, false},
    {"overlong three-byte", "\xe0\x80\xaf", 0, false},
    {"surrogate", "\xed\xa0\x80", 0, false},
    {"lone continuation", "abc\x80", 0, false},
    {"truncated at the end", "abcdefgh\xe2\x82", 0, false},
    {"bad continuation", "\xe2\x28\xa1", 0, false},
    {"0xff", "abcdefghij\xff", 0, false},
    {"invalid after a long ascii run", "0123456789abcdef0123456789\xc3", 0, false},
    {"NULs inside an eight-byte run", "abc\0defgh\0jklmnop", 17, true},
};

/* RFC 3629 as websocket text has it: NUL is a character (utf8_is_valid_nul()). */
Test(utf8, is_valid_nul_table)
{
    for (size_t i = 0; i < sizeof(nul_cases) / sizeof(nul_cases[0]); i++) {
        const struct nul_case *c = &nul_cases[i];
        size_t len = c->len ? c->len : strlen(c->s);

        cr_expect_eq(utf8_is_valid_nul(c->s, len), c->valid, "%s", c->name);
    }
}

/* In a long ASCII run (checked sixteen bytes at a time), a bad byte or a NUL
 * is found at whatever offset it sits, and a good character is let through. */
Test(utf8, long_runs_find_the_first_bad_byte_at_any_offset)
{
    static const struct {
        const char *name; /* printed when the case fails */
        const char *bytes;
        size_t len;
        bool bad;        /* utf8_is_valid() refuses it */
        bool bad_nul_ok; /* utf8_is_valid_nul() refuses it */
    } inserts[] = {
        {"stray continuation byte", "\x80", 1, true, true},
        {"NUL", "\0", 1, true, false},
        {"two-byte character", "\xc3\xa9", 2, false, false},
        {"three-byte character", "\xe2\x80\xa2", 3, false, false},
        {"truncated three-byte character", "\xe2\x80", 2, true, true},
    };
    char s[80];

    for (size_t k = 0; k < sizeof(inserts) / sizeof(inserts[0]); k++) {
        for (size_t at = 0; at + inserts[k].len <= 64; at++) {
            size_t off = 999;

            memset(s, 'a', sizeof(s));
            memcpy(s + at, inserts[k].bytes, inserts[k].len);
            cr_expect_eq(utf8_is_valid(s, 64, &off), !inserts[k].bad, "%s at %zu",
                         inserts[k].name, at);
            if (inserts[k].bad)
                cr_expect_eq(off, at, "%s at %zu: found at %zu", inserts[k].name, at,
                             off);
            cr_expect_eq(utf8_is_valid_nul(s, 64), !inserts[k].bad_nul_ok, "%s at %zu",
                         inserts[k].name, at);
        }
    }
}

Test(utf8, put_writes_each_length_at_its_bounds)
{
    static const struct {
        unsigned long cp;
        const char *want;
    } cases[] = {
        {0x41, "A"},
        {0x7f, "\x7f"},
        {0x80, "\xc2\x80"},
        {0xe9, "\xc3\xa9"},
        {0x7ff, "\xdf\xbf"},
        {0x800, "\xe0\xa0\x80"},
        {0x2019, "\xe2\x80\x99"},
        {0xffff, "\xef\xbf\xbf"},
        {0x10000, "\xf0\x90\x80\x80"},
        {0x1f600, "\xf0\x9f\x98\x80"},
        {0x10ffff, "\xf4\x8f\xbf\xbf"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[4];
        size_t n = utf8_put(out, cases[i].cp);

        cr_expect_eq(n, strlen(cases[i].want), "U+%lX: %zu bytes", cases[i].cp, n);
        cr_expect(memcmp(out, cases[i].want, n) == 0, "U+%lX", cases[i].cp);
        cr_expect(utf8_is_valid(out, n, NULL), "U+%lX is valid UTF-8", cases[i].cp);
    }
}
