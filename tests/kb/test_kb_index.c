/* test_kb_index.c - BM25 ranking, synonym groups and KB-only spelling correction. */
#include <string.h>

#include <criterion/criterion.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_index.h"
#include "bot/kb/kb_text.h"
#include "tests/test_util.h"

/* A small KB written for these tests: three goals, one value, four passages. */
static const char kb_json[] =
    "{\"schema\": 1, \"org\": \"test\", \"name\": \"Test NHS Trust\", \"short_name\": "
    "\"TNT\", \"strategy\": \"Better Together\", \"doc\": \"test.txt\", "
    "\"goals_label\": \"goals\", \"mission\": null, \"vision\": null,"
    "\"goals\": ["
    " {\"number\": 1, \"title\": \"Outstanding care\", \"description\": \"Safe and "
    "kind care for every patient.\", \"points\": [], \"aliases\": [], \"line\": 1},"
    " {\"number\": 2, \"title\": \"A great place to work\", \"description\": \"Our "
    "colleagues feel valued.\", \"points\": [], \"aliases\": [], \"line\": 2},"
    " {\"number\": 3, \"title\": \"Strong partnerships\", \"description\": \"Working "
    "with local councils.\", \"points\": [], \"aliases\": [], \"line\": 3}],"
    "\"values\": [{\"name\": \"Compassion\", \"description\": \"\", \"behaviours\": "
    "[{\"text\": \"Kind\", \"line\": 5}], \"aliases\": [], \"line\": 4}],"
    "\"ambitions\": [], \"synonyms\": [[\"chief executive\", \"ceo\"]],"
    "\"passages\": ["
    " {\"section\": \"\", \"text\": \"Our Chief Executive, Ann Smith, launched the "
    "strategy in March 2024.\", \"line\": 7},"
    " {\"section\": \"\", \"text\": \"The strategy was written with patients and "
    "carers.\", \"line\": 8},"
    " {\"section\": \"\", \"text\": \"Patients said waiting times matter most.\", "
    "\"line\": 9},"
    " {\"section\": \"\", \"text\": \"Compassionate leadership is how we work.\", "
    "\"line\": 10}]}";

static struct kb *kb;
static struct kb_text *t;
static struct kb_index *idx;

static void
setup(void)
{
    char *why = NULL;

    cr_assert_eq(kb_parse(kb_json, strlen(kb_json), &kb, &why), BOT_OK, "%s", why);
    t = kb_text_new();
    idx = kb_index_new(kb, t);
}

static void
teardown(void)
{
    kb_index_free(idx);
    kb_text_free(t);
    kb_free(kb);
}

TestSuite(kb_index, .init = setup, .fini = teardown);

/* Term ids of the meaningful words of @q; returns how many. */
static size_t
terms_of(const char *q, size_t *terms, size_t max)
{
    struct kb_word w[32];
    size_t n = kb_text_words(t, q, strlen(q), w, 32), k = 0;

    for (size_t i = 0; i < n && k < max; i++) {
        size_t len, g = kb_index_synonym(idx, w, n, i, &len);

        if (g != KB_INDEX_UNKNOWN) {
            terms[k++] = g;
            i += len - 1;
        } else if (!kb_text_is_stopword(w[i].surface)) {
            terms[k++] = kb_index_term(idx, w[i].stem);
        }
    }
    return k;
}

static struct kb_doc_ref
best(const char *q, unsigned kinds, double *coverage)
{
    size_t terms[16], n = terms_of(q, terms, 16);
    struct kb_hit hits[4];

    cr_assert_geq(kb_index_search(idx, terms, n, kinds, hits, 4), 1, "no hit for \"%s\"",
                  q);
    if (coverage != NULL)
        *coverage = hits[0].coverage;
    return kb_index_doc(idx, hits[0].doc);
}

struct rank_case {
    const char *q;
    enum kb_doc_kind kind;
    size_t item;
};

static const struct rank_case rank_cases[] = {
    {"outstanding care", KB_DOC_GOAL, 0},
    {"a great place to work", KB_DOC_GOAL, 1},
    {"partnerships with councils", KB_DOC_GOAL, 2},
    {"waiting times for patients", KB_DOC_PASSAGE, 2},
    {"who wrote the strategy with carers", KB_DOC_PASSAGE, 1},
};

Test(kb_index, ranks_the_document_holding_the_rarer_words_first)
{
    unsigned all = (1u << KB_DOC_GOAL) | (1u << KB_DOC_PASSAGE);

    for (size_t i = 0; i < sizeof(rank_cases) / sizeof(rank_cases[0]); i++) {
        struct kb_doc_ref r = best(rank_cases[i].q, all, NULL);

        cr_expect_eq(r.kind, rank_cases[i].kind, "%s", rank_cases[i].q);
        cr_expect_eq(r.item, rank_cases[i].item, "%s", rank_cases[i].q);
    }
}

Test(kb_index, hits_are_best_first_and_filtered_by_kind)
{
    size_t terms[8], n = terms_of("patients care strategy", terms, 8);
    struct kb_hit hits[8];
    size_t nh = kb_index_search(idx, terms, n, 1u << KB_DOC_PASSAGE, hits, 8);

    cr_assert_geq(nh, 2);
    for (size_t i = 0; i < nh; i++) {
        cr_expect_eq(kb_index_doc(idx, hits[i].doc).kind, KB_DOC_PASSAGE);
        if (i > 0)
            cr_expect_geq(hits[i - 1].score, hits[i].score, "hit %zu out of order", i);
    }
}

Test(kb_index, unknown_words_lower_coverage_and_find_nothing)
{
    size_t terms[8], n = terms_of("quantum chromodynamics", terms, 8);
    struct kb_hit hits[2];
    double full, half;

    cr_expect_eq(terms[0], KB_INDEX_UNKNOWN);
    cr_expect_eq(kb_index_search(idx, terms, n, ~0u, hits, 2), 0);
    best("waiting times", 1u << KB_DOC_PASSAGE, &full);
    best("waiting times parking", 1u << KB_DOC_PASSAGE, &half);
    cr_expect_float_eq(full, 1.0, 1e-9);
    cr_expect_lt(half, 0.75, "an unknown word must count against coverage");
}

Test(kb_index, synonym_phrase_is_one_term_both_ways)
{
    struct kb_doc_ref a = best("ceo", 1u << KB_DOC_PASSAGE, NULL);
    struct kb_doc_ref b = best("chief executive", 1u << KB_DOC_PASSAGE, NULL);
    size_t terms[4];

    cr_expect_eq(a.item, 0);
    cr_expect_eq(b.item, 0);
    cr_expect_eq(terms_of("ceo", terms, 4), 1);
    cr_expect_neq(terms[0], KB_INDEX_UNKNOWN);
}

struct correct_case {
    const char *typo;
    const char *want; /* NULL: no correction */
};

static const struct correct_case correct_cases[] = {
    {"compasion", "compassion"}, /* a KB word, one edit away */
    {"stratgey", "strategy"},    /* transposition */
    {"patinets", "patients"},
    {"exec", "executive"}, /* the one KB word it abbreviates */
    {"park", NULL},        /* four letters: "mark" and "part" are words too */
    {"xompassion", NULL},  /* first letter kept */
    {"telephone", NULL},   /* nothing close in this KB */
    {"integrity", NULL},   /* a real word, not in the KB: not corrected to it */
};

Test(kb_index, spelling_is_corrected_only_against_kb_words)
{
    for (size_t i = 0; i < sizeof(correct_cases) / sizeof(correct_cases[0]); i++) {
        const char *got = kb_index_correct(idx, correct_cases[i].typo);

        if (correct_cases[i].want == NULL)
            cr_expect_null(got, "%s corrected to %s", correct_cases[i].typo, got);
        else
            cr_expect(got != NULL && strcmp(got, correct_cases[i].want) == 0,
                      "%s: got %s, want %s", correct_cases[i].typo, got ? got : "(none)",
                      correct_cases[i].want);
    }
}

Test(kb_index, knows_words_and_terms)
{
    char stem[KB_WORD_MAX];

    cr_expect(kb_index_knows_word(idx, "councils"));
    cr_expect_not(kb_index_knows_word(idx, "council"));
    kb_text_stem(t, "council", stem);
    cr_expect(kb_index_has_term(idx, stem), "stems meet where words do not");
    cr_expect_not(kb_index_has_term(idx, "zzz"));
    /* "honesti"-style longer stems fall back to the longest known prefix. */
    cr_expect_neq(kb_index_term(idx, "compassionately"), KB_INDEX_UNKNOWN);
}

Test(kb_index, free_of_null_is_a_no_op)
{
    kb_index_free(NULL);
    expect_no_leaks("kb_index");
}

/*
 * Phrases that start with the same word: the longest that the words match
 * wins, stop words between its words are skipped, and a word no phrase
 * starts with is no synonym.
 */
Test(kb_index, synonym_phrases_sharing_a_first_word)
{
    static const char json[] =
        "{\"schema\": 1, \"org\": \"syn\", \"name\": \"Syn Trust\", \"short_name\": "
        "\"ST\", \"strategy\": \"S\", \"doc\": \"s.txt\", \"goals_label\": \"goals\", "
        "\"mission\": null, \"vision\": null, \"goals\": [], \"values\": [], "
        "\"ambitions\": [], \"synonyms\": [[\"chief\", \"boss\"], "
        "[\"chief executive\", \"ceo\"], [\"chief executive officer\", \"head\"], "
        "[\"chief nurse\", \"matron\"]], \"passages\": [{\"section\": \"\", \"text\": "
        "\"Our chief executive met the chief nurse.\", \"line\": 1}]}";
    struct {
        const char *q;
        const char *same_as; /* the phrase of the group it should find */
        size_t len;
    } cases[] = {
        {"chief", "boss", 1},
        {"chief executive", "ceo", 2},
        {"chief executive officer", "head", 3},
        {"chief of the executive", "ceo", 4},
        {"chief nurse", "matron", 2},
        {"chief patient", "boss", 1},
    };
    struct kb *k = NULL;
    char *why = NULL;
    struct kb_index *ix;

    cr_assert_eq(kb_parse(json, strlen(json), &k, &why), BOT_OK, "%s", why);
    ix = kb_index_new(k, t);
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        struct kb_word w[8], s[8];
        size_t n = kb_text_words(t, cases[c].q, strlen(cases[c].q), w, 8);
        size_t ns = kb_text_words(t, cases[c].same_as, strlen(cases[c].same_as), s, 8);
        size_t len = 0, g = kb_index_synonym(ix, w, n, 0, &len), len2 = 0;

        cr_expect_neq(g, KB_INDEX_UNKNOWN, "%s: no group", cases[c].q);
        cr_expect_eq(g, kb_index_synonym(ix, s, ns, 0, &len2), "%s: not %s's group",
                     cases[c].q, cases[c].same_as);
        cr_expect_eq(len, cases[c].len, "%s: %zu words", cases[c].q, len);
    }
    {
        struct kb_word w[8];
        size_t n = kb_text_words(t, "executive chief", 15, w, 8), len;

        cr_expect_eq(kb_index_synonym(ix, w, n, 0, &len), KB_INDEX_UNKNOWN);
        cr_expect_eq(kb_index_synonym(ix, w, n, 1, &len), kb_index_term(ix, "=0"));
    }
    kb_index_free(ix);
    kb_free(k);
}
