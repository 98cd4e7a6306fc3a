/*
 * test_jsonpick.c - the picked members are jansson's, and the picker never
 * vouches for a text jansson (JSON_REJECT_DUPLICATES) would refuse.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/adapters/jsonpick.h"
#include "bot/base/xmalloc.h"

static const struct jsonpick_key inner[] = {{"a", NULL}, {"s", NULL}, {NULL, NULL}};
static const struct jsonpick_key keep[] = {
    {"type", NULL}, {"n", NULL},  {"obj", inner},
    {"arr", NULL},  {"o2", NULL}, {NULL, NULL},
};

/* jansson's whole tree cut as jsonpick_load() cuts it: a new tree. */
static json_t *
pruned(const json_t *v, const struct jsonpick_key *sub)
{
    json_t *o;

    if (json_is_array(v))
        return json_array();
    if (!json_is_object(v))
        return json_deep_copy(v);
    o = json_object();
    for (const struct jsonpick_key *k = sub; k != NULL && k->name != NULL; k++) {
        json_t *m = json_object_get(v, k->name);

        if (m != NULL)
            json_object_set_new(o, k->name, pruned(m, k->sub));
    }
    return o;
}

/*
 * Checks @text (@len bytes): when the picker answers, jansson accepts the text
 * and the picked tree is jansson's, cut.  Returns whether the picker answered.
 */
static bool
agrees(const char *text, size_t len)
{
    json_t *pick = jsonpick_load(text, len, keep);
    json_t *full, *cut;

    if (pick == NULL)
        return false;
    full = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
    cr_assert_not_null(full, "picked a text jansson refuses: %.*s", (int)len, text);
    cr_assert(json_is_object(full));
    cut = pruned(full, keep);
    cr_assert(json_equal(pick, cut), "picked differently: %.*s", (int)len, text);
    json_decref(cut);
    json_decref(full);
    json_decref(pick);
    return true;
}

static const char *const good[] = {
    "{}",
    " {\"type\":\"events_api\"} \n",
    "{\"type\":\"x\",\"n\":-12,\"obj\":{\"a\":1.25,\"s\":\"caf\\u00e9 \\ud83d\\ude00 "
    "\\n\\\"\","
    "\"z\":[1,{\"q\":null}]},\"arr\":[1,2],\"o2\":{\"k\":true},\"other\":{\"a\":1}}",
    "{\"type\":\"\xc3\xa9t\xc3\xa9\",\"obj\":[],\"arr\":{\"x\":1},\"n\":\"7\"}",
    "{\"type\":false,\"n\":0,\"obj\":null,\"arr\":\"s\",\"o2\":-0.5}",
    "{\"type\":\"a\\/b\\\\c\\b\\f\\r\\t\"}",
};

Test(jsonpick, picks_what_jansson_reads)
{
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        cr_expect(agrees(good[i], strlen(good[i])), "left to jansson: %s", good[i]);
}

Test(jsonpick, leaves_to_jansson_what_it_does_not_vouch_for)
{
    static const char *const left[] = {
        "",
        "[]",
        "42",
        "{\"type\":\"a\",\"type\":\"b\"}", /* duplicate */
        "{\"o\":{\"k\":1,\"k\":2}}",       /* duplicate, deeper */
        "{\"ty\\u0070e\":\"a\"}",          /* escaped key */
        "{\"type\":\"a\\u0000b\"}",        /* NUL */
        "{\"type\":\"\\ud800 x\"}",        /* lone surrogate */
        "{\"type\":\"\\udc00\"}",
        "{\"type\":\"\xff\"}", /* not UTF-8 */
        /* not UTF-8 in a 16-byte block before the one that ends the run */
        "{\"type\":\"\xf5\xf5\xf5\xf5\xf5\xf5\xf5\xf5\xf5\xf5\xf5\xf5\xf5\xf5\xf5\xf5"
        "\xf5\xf5\xf5\xf5"
        "abcdefghijklmnopqrstu\\n\"}",
        "{\"type\":\"\xed\xa0\x80\"}",  /* encoded surrogate */
        "{\"type\":\"a\tb\"}",          /* raw control */
        "{\"n\":1e3}",                  /* exponent */
        "{\"n\":12345678901234567890}", /* overflow */
        "{\"n\":01}",
        "{\"n\":-}",
        "{\"n\":1.}",
        "{\"type\":\"x\"} x", /* trailing text */
        "{\"type\":\"x\",}",
        "{\"a\":[1,]}",
        "{\"a\":tru}",
        "{\"a\" 1}",
        "{\"a\":\"\\x\"}",
        "{\"a\":\"unterminated}",
        "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
        "]]]]]]]}",
    };

    for (size_t i = 0; i < sizeof(left) / sizeof(left[0]); i++) {
        struct jsonpick_span v[1];
        static const struct jsonpick_slot slot[] = {{"type", 0, NULL}, {NULL, -1, NULL}};

        cr_expect_null(jsonpick_load(left[i], strlen(left[i]), keep), "vouched for: %s",
                       left[i]);
        cr_expect_not(jsonpick_spans(left[i], strlen(left[i]), slot, v, 1),
                      "spans vouched for: %s", left[i]);
    }
}

/* The spans reader: the same members as written, decoded as jansson decodes them. */
Test(jsonpick, spans_are_what_jansson_reads)
{
    enum { TYPE, N, A, S, OBJ, ARR, COUNT };
    static const struct jsonpick_slot in[] = {
        {"a", A, NULL}, {"s", S, NULL}, {NULL, -1, NULL}};
    static const struct jsonpick_slot slots[] = {
        {"type", TYPE, NULL}, {"n", N, NULL},   {"obj", OBJ, in},
        {"arr", ARR, NULL},   {NULL, -1, NULL},
    };
    struct jsonpick_span v[COUNT], t[COUNT];
    char dec[128];
    size_t n, used;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        json_t *full = json_loads(good[i], JSON_REJECT_DUPLICATES, NULL);

        cr_assert(jsonpick_spans(good[i], strlen(good[i]), slots, v, COUNT), "%s",
                  good[i]);
        jsonpick_spans_tree(full, slots, t, COUNT);
        for (size_t k = 0; k < COUNT; k++) {
            cr_expect_eq(v[k].type, t[k].type, "%s: member %zu", good[i], k);
            if (t[k].type == 'i')
                cr_expect_eq(v[k].num, t[k].num, "%s: member %zu", good[i], k);
            if (t[k].type != 's')
                continue;
            /* Decoded at once, and in two steps from a stop after 3 bytes. */
            n = jsonpick_unescape(v[k].s, v[k].len, dec, SIZE_MAX, NULL);
            cr_expect(n == t[k].len && memcmp(dec, t[k].s, n) == 0, "%s: member %zu",
                      good[i], k);
            n = jsonpick_unescape(v[k].s, v[k].len, dec, 3, &used);
            n += jsonpick_unescape(v[k].s + used, v[k].len - used, dec + n, SIZE_MAX,
                                   NULL);
            cr_expect(n == t[k].len && memcmp(dec, t[k].s, n) == 0, "%s: member %zu",
                      good[i], k);
        }
        json_decref(full);
    }
    /* A raw string's text is the bytes between its quotes; a number's its digits. */
    cr_assert(jsonpick_spans("{\"n\": -12 ,\"type\":\"a\\nb\"}",
                             strlen("{\"n\": -12 ,\"type\":\"a\\nb\"}"), slots, v,
                             COUNT));
    cr_expect(v[N].type == 'i' && v[N].num == -12 && v[N].len == 3 &&
              memcmp(v[N].s, "-12", 3) == 0);
    cr_expect(v[TYPE].type == 's' && v[TYPE].esc && v[TYPE].len == 4 &&
              memcmp(v[TYPE].s, "a\\nb", 4) == 0);
    cr_expect_eq(v[OBJ].type, 0);
}

Test(jsonpick, mutated_texts_never_picked_unlike_jansson)
{
    static const char alphabet[] =
        "{}[]\",:\\u0123456789abcdefntrl.-+eE \t\n\x80\xc3\xa9\xff";
    uint64_t rng = 0x9e3779b97f4a7c15ULL;
    size_t picked = 0, tried = 0;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        size_t len = strlen(good[i]);
        char *t = xmalloc(len + 1);

        for (int round = 0; round < 3000; round++) {
            memcpy(t, good[i], len + 1);
            for (int m = 0; m < 1 + round % 3 && len > 0; m++) {
                rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
                t[(rng >> 33) % len] = alphabet[(rng >> 17) % (sizeof(alphabet) - 1)];
            }
            tried++;
            picked += agrees(t, len);
        }
        free(t);
    }
    /* Most mutations break the text; some must still be read, or this checks nothing. */
    cr_expect(picked > tried / 50, "only %zu of %zu mutated texts picked", picked, tried);
}

/*
 * Strings are read sixteen bytes at a time: an escape (good or bad), a byte
 * from 0x80 or a control byte at every offset of the first blocks, and keys
 * of every length around a block, must read as jansson reads them.
 */
Test(jsonpick, escapes_at_every_offset_of_a_block_read_as_jansson_reads_them)
{
    static const char *const inserts[] = {
        "\\\"",
        "\\\\",
        "\\/",
        "\\n",
        "\\u00e9",
        "\\ud83d\\ude00",
        "\\\\\\\"",
        "\xc3\xa9",
        /* refused by both */
        "\\x",
        "\\u00",
        "\\ud83d",
        "\\ude00",
        "\\u0000",
        "\x01",
        "\xc3",
        "\\",
    };
    static const struct jsonpick_slot slots[] = {{"s", 0, NULL}, {NULL, -1, NULL}};
    char text[160], dec[160];
    struct jsonpick_span v[1];

    for (size_t k = 0; k < sizeof(inserts) / sizeof(inserts[0]); k++) {
        for (size_t at = 0; at < 40; at++) {
            json_t *full;
            size_t n;
            bool picked;
            int len;

            len = snprintf(text, sizeof(text), "{\"s\":\"%.*s%s%.*s\",\"t\":1}", (int)at,
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                           inserts[k], (int)(39 - at),
                           "0123456789012345678901234567890123456789");
            full = json_loadb(text, (size_t)len, JSON_REJECT_DUPLICATES, NULL);
            picked = jsonpick_spans(text, (size_t)len, slots, v, 1);
            if (full == NULL) {
                cr_expect_not(picked, "picked what jansson refuses: %s", text);
                continue;
            }
            cr_assert(picked, "left to jansson: %s", text);
            n = jsonpick_unescape(v[0].s, v[0].len, dec, SIZE_MAX, NULL);
            cr_expect_eq(n, json_string_length(json_object_get(full, "s")), "%s", text);
            cr_expect_eq(memcmp(dec, json_string_value(json_object_get(full, "s")), n), 0,
                         "%s", text);
            json_decref(full);
        }
    }
}

Test(jsonpick, keys_of_every_length_and_duplicates_among_many)
{
    static const struct jsonpick_slot slots[] = {{"k", 0, NULL}, {NULL, -1, NULL}};
    struct jsonpick_span v[1];
    char text[2048];

    /* Keys from 0 to 40 bytes, the kept one last: every one a new member. */
    for (size_t n = 0; n <= 40; n++) {
        size_t at = 0;

        at += (size_t)snprintf(text + at, sizeof(text) - at, "{");
        for (size_t i = 0; i <= n; i++)
            at +=
                (size_t)snprintf(text + at, sizeof(text) - at, "\"%.*s\":%zu,", (int)i,
                                 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", i);
        snprintf(text + at, sizeof(text) - at, "\"k\":\"%.*s\"}", (int)n,
                 "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
        cr_assert(jsonpick_spans(text, strlen(text), slots, v, 1), "%s", text);
        cr_expect(v[0].type == 's' && v[0].len == n, "%s", text);
    }
    /* Sixty distinct keys, then one of them again, at each place: refused. */
    for (size_t dup = 0; dup < 60; dup++) {
        size_t at = 0;

        at += (size_t)snprintf(text + at, sizeof(text) - at, "{");
        for (size_t i = 0; i < 60; i++)
            at += (size_t)snprintf(text + at, sizeof(text) - at, "\"key%zu\":%zu,", i, i);
        snprintf(text + at, sizeof(text) - at, "\"key%zu\":0}", dup);
        cr_expect_not(jsonpick_spans(text, strlen(text), slots, v, 1), "duplicate %zu",
                      dup);
    }
}
