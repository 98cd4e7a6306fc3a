/* test_kb_text.c - normalisation, words, stems, stop words and edit distance. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/kb/kb_text.h"
#include "tests/test_util.h"

static struct kb_text *t;

static void
setup(void)
{
    t = kb_text_new();
}

static void
teardown(void)
{
    kb_text_free(t);
}

TestSuite(kb_text, .init = setup, .fini = teardown);

/* Splits @s and returns the surfaces joined by single spaces in @out. */
static void
surfaces(const char *s, char *out, size_t max)
{
    struct kb_word w[32];
    size_t n = kb_text_words(t, s, strlen(s), w, 32), len = 0;

    out[0] = '\0';
    for (size_t i = 0; i < n && len + KB_WORD_MAX + 1 < max; i++)
        len += (size_t)snprintf(out + len, max - len, "%s%s", i ? " " : "", w[i].surface);
}

struct words_case {
    const char *name;
    const char *in;
    const char *want; /* surfaces, space-separated */
};

static const struct words_case words_cases[] = {
    {"case folded, punctuation dropped", "What ARE our Values?!", "what are our values"},
    {"curly apostrophe joins", "we\xe2\x80\x99ll and trust\xe2\x80\x99s",
     "well and trusts"},
    {"straight apostrophe joins", "what's goal 2", "whats goal 2"},
    {"accents stripped", "caf\xc3\xa9 na\xc3\xafve", "cafe naive"},
    {"full-width letters folded (NFKC)",
     "\xef\xbd\x96\xef\xbd\x81\xef\xbd\x8c\xef\xbd\x95\xef\xbd\x85", "value"},
    {"US spelling to UK: -ize", "prioritize organization", "prioritise organisation"},
    {"US spelling to UK: behavior", "behavior behaviors", "behaviour behaviours"},
    {"short -ize words kept", "size prize", "size prize"},
    {"hyphenated word: parts and whole", "co-create care", "co create cocreate care"},
    {"emoji is a separator", "values\xf0\x9f\x99\x82please", "values please"},
    {"invalid UTF-8 bytes are separators",
     "good\xff\xfe"
     "day",
     "good day"},
    {"empty input", "", ""},
};

Test(kb_text, words_table)
{
    char got[512];

    for (size_t i = 0; i < sizeof(words_cases) / sizeof(words_cases[0]); i++) {
        surfaces(words_cases[i].in, got, sizeof(got));
        cr_expect_str_eq(got, words_cases[i].want, "%s", words_cases[i].name);
    }
}

Test(kb_text, words_respects_max)
{
    struct kb_word w[3];

    cr_expect_eq(kb_text_words(t, "one two three four five", 23, w, 3), 3);
    cr_expect_str_eq(w[2].surface, "three");
}

Test(kb_text, long_word_is_cut_not_overflowed)
{
    char s[200];
    struct kb_word w[2];

    memset(s, 'a', sizeof(s) - 1);
    s[sizeof(s) - 1] = '\0';
    cr_assert_eq(kb_text_words(t, s, strlen(s), w, 2), 1);
    cr_expect_lt(strlen(w[0].surface), KB_WORD_MAX);
}

struct stem_case {
    const char *a, *b; /* words expected to share a stem */
};

static const struct stem_case same_stem[] = {
    {"values", "value"},
    {"priorities", "priority"},
    {"launched", "launching"},
    {"colleagues", "colleague"},
    {"behaviours", "behaviour"},
    {"kindness", "kind"},
    {"four", "4"},
    {"eleven", "11"},
};

Test(kb_text, stems_join_word_forms)
{
    for (size_t i = 0; i < sizeof(same_stem) / sizeof(same_stem[0]); i++) {
        char sa[KB_WORD_MAX], sb[KB_WORD_MAX];

        kb_text_stem(t, same_stem[i].a, sa);
        kb_text_stem(t, same_stem[i].b, sb);
        cr_expect_str_eq(sa, sb, "%s ~ %s", same_stem[i].a, same_stem[i].b);
    }
}

Test(kb_text, us_and_uk_spellings_meet)
{
    struct kb_word us[1], uk[1];

    cr_assert_eq(kb_text_words(t, "prioritizing", 12, us, 1), 1);
    cr_assert_eq(kb_text_words(t, "prioritising", 12, uk, 1), 1);
    cr_expect_str_eq(us[0].stem, uk[0].stem);
}

Test(kb_text, stopwords)
{
    static const char *const stop[] = {"the", "what",  "when", "where", "please",
                                       "our", "trust", "hey",  "quick", "again"};
    static const char *const meaningful[] = {"values", "goal", "mission", "compassion",
                                             "launch", "kind", "chair"};

    for (size_t i = 0; i < sizeof(stop) / sizeof(stop[0]); i++)
        cr_expect(kb_text_is_stopword(stop[i]), "%s should be a stop word", stop[i]);
    for (size_t i = 0; i < sizeof(meaningful) / sizeof(meaningful[0]); i++)
        cr_expect_not(kb_text_is_stopword(meaningful[i]), "%s carries meaning",
                      meaningful[i]);
}

/* The ends of the sorted list, and words one letter either side of a stop word. */
Test(kb_text, stopwords_exactly)
{
    static const char *const stop[] = {"a", "about", "yourselves", "your", "youre"};
    static const char *const not_stop[] = {
        "", "th", "thee", "ab", "abouts", "yourselve", "z", "b2", "\xc3\xa9", "The"};

    for (size_t i = 0; i < sizeof(stop) / sizeof(stop[0]); i++)
        cr_expect(kb_text_is_stopword(stop[i]), "%s should be a stop word", stop[i]);
    for (size_t i = 0; i < sizeof(not_stop) / sizeof(not_stop[0]); i++)
        cr_expect_not(kb_text_is_stopword(not_stop[i]), "'%s' is no stop word",
                      not_stop[i]);
}

struct distance_case {
    const char *a, *b;
    size_t limit, want;
};

static const struct distance_case distance_cases[] = {
    {"values", "values", 2, 0},
    {"valeus", "values", 2, 1},        /* transposition counts as one */
    {"compasion", "compassion", 2, 1}, /* deletion */
    {"misison", "mission", 2, 1},
    {"vision", "mission", 2, 2},
    {"abc", "xyz", 1, 2},  /* past the limit: limit + 1 */
    {"a", "abcdef", 2, 3}, /* length gap alone exceeds the limit */
    {"", "", 1, 0},
};

Test(kb_text, distance_table)
{
    for (size_t i = 0; i < sizeof(distance_cases) / sizeof(distance_cases[0]); i++) {
        const struct distance_case *c = &distance_cases[i];

        cr_expect_eq(kb_text_distance(c->a, c->b, c->limit), c->want, "%s/%s", c->a,
                     c->b);
    }
}

/* The full table of the optimal string alignment distance, every cell worked out. */
static size_t
full_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), d[16][16];

    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t v = d[i - 1][j] + 1;

            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + (a[i - 1] != b[j - 1]) < v)
                v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

/* Within the limit the distance is the full table's; past it, limit + 1, for
 * every pair of words (near misses, swaps, gaps at either end) and limit.
 * (Words, not empty strings: a row with no cells ends the table at once.) */
Test(kb_text, distance_agrees_with_full_table)
{
    static const char *const w[] = {
        "values", "valeus", "vaules",     "value",     "valuse",  "alues",  "svalues",
        "goals",  "gaols",  "gols",       "mission",   "misison", "vision", "ab",
        "ba",     "abcabc", "bcabca",     "kindness",  "kidness", "y",      "x",
        "xy",     "yx",     "compassion", "compasion", "abdc",    "bacd",   "abcd",
        "abc",    "acbd",   "bcd"};
    size_t n = sizeof(w) / sizeof(w[0]);

    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < n; k++) {
            for (size_t limit = 0; limit <= 3; limit++) {
                size_t full = full_distance(w[i], w[k]);

                cr_assert_eq(kb_text_distance(w[i], w[k], limit),
                             full <= limit ? full : limit + 1, "%s/%s limit %zu", w[i],
                             w[k], limit);
            }
        }
    }
}

Test(kb_text, no_leaks)
{
    struct kb_word w[8];

    kb_text_words(t, "leak check, please", 18, w, 8);
    expect_no_leaks("kb_text_words");
}

/* One lookup answers for every list: the same as asking each list, for words in
 * several lists, in none, and words a letter off. */
Test(kb_text, wordsets_match_the_lists)
{
    static const char *const a[] = {"and", "also", "plus", "then", NULL};
    static const char *const b[] = {"then", "what", "when", "a", NULL};
    static const char *const c[] = {"x", NULL};
    static const char *const empty[] = {NULL};
    static const char *const *const lists[] = {a, b, empty, c};
    static struct kb_text_wordsets sets = KB_TEXT_WORDSETS_INIT(lists);
    static const char *const probe[] = {"and", "also", "plus", "then", "what",    "when",
                                        "a",   "x",    "",     "an",   "thenn",   "wha",
                                        "And", "xx",   "plu",  "b",    "whatever"};

    for (size_t i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
        uint32_t want = 0;

        for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++)
            want |= kb_text_in_list(probe[i], lists[l]) ? UINT32_C(1) << l : 0;
        cr_expect_eq(kb_text_wordsets_find(&sets, probe[i]), want, "'%s': %x, not %x",
                     probe[i], kb_text_wordsets_find(&sets, probe[i]), want);
    }
    cr_expect_eq(kb_text_wordsets_find(&sets, "then"), 3u);
}
