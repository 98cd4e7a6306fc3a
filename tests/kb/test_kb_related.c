/*
 * test_kb_related.c - closeness in meaning from the WordNet profiles: words,
 * and words to items built from a value's name and behaviours.
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_related.h"

static int
cmp_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

    return x < y ? -1 : x > y;
}

/*
 * Every lemma of the table, walked in order: each is found where it is (so
 * the page keys lead to its page), each has an id of its own, each profile is
 * heaviest first, then in order, and does not hold its own lemma.
 */
Test(kb_related, every_lemma_is_found_by_its_page_key)
{
    static unsigned ids[80000];
    char lemma[KB_RELATED_WORD_MAX + 1], prev[KB_RELATED_WORD_MAX + 1] = "";
    size_t n = 0;

    cr_assert_gt(kb_related_nwords, 10000);
    cr_assert_leq(kb_related_nwords, sizeof(ids) / sizeof(ids[0]));
    for (size_t at = kb_related_next(KB_RELATED_NONE, lemma); at != KB_RELATED_NONE;
         at = kb_related_next(at, lemma)) {
        struct kb_related_profile p;

        cr_assert_lt(strcmp(prev, lemma), 0, "%s after %s", lemma, prev);
        cr_assert_eq(kb_related_find(lemma), at, "%s", lemma);
        cr_assert_lt(n, kb_related_nwords);
        ids[n++] = kb_related_id(lemma);
        kb_related_profile(lemma, 0, &p);
        for (size_t k = 0; k < p.n; k++) {
            cr_assert_str_neq(p.lemma[k], lemma, "%s is in its own profile", lemma);
            cr_assert_gt(p.weight[k], 0);
            cr_assert_leq(p.weight[k], 1);
            cr_assert(k == 0 || p.weight[k] < p.weight[k - 1] ||
                          (p.weight[k] == p.weight[k - 1] &&
                           strcmp(p.lemma[k - 1], p.lemma[k]) < 0),
                      "%s: %s after %s", lemma, p.lemma[k], p.lemma[k - 1]);
        }
        memcpy(prev, lemma, sizeof(prev));
    }
    cr_assert_eq(n, kb_related_nwords);
    qsort(ids, n, sizeof(ids[0]), cmp_unsigned);
    for (size_t i = 1; i < n; i++)
        cr_assert_neq(ids[i - 1], ids[i], "two lemmas share an id");
}

/* The pages as read from the executable, byte for byte as linked in. */
Test(kb_related, pages_are_read_from_the_file)
{
    unsigned char buf[KB_RELATED_PAGE];

    cr_assert(kb_related_reads_file());
    for (size_t p = 0; p < kb_related_npages; p++) {
        const unsigned char *got = kb_related_page(p, buf);

        cr_assert_eq(got, buf, "page %zu not read", p);
        cr_assert_eq(memcmp(got, kb_related_pages + p * KB_RELATED_PAGE, KB_RELATED_PAGE),
                     0, "page %zu", p);
    }
}

/*
 * The profiles scripts/gen_lex.py computed from WordNet for a sample of
 * lemmas (tests/data/kb_related_sample.tsv, written with the table: "hit",
 * the lemma, then each lemma of its profile and its weight, 1..255, heaviest
 * first), as the table gives them back; and strings near them that no lookup
 * may find ("miss").
 */
Test(kb_related, profiles_are_those_the_script_computed)
{
    FILE *f = fopen("tests/data/kb_related_sample.tsv", "r");
    char line[4096];
    size_t hits = 0, misses = 0;

    cr_assert_not_null(f);
    while (fgets(line, sizeof(line), f) != NULL) {
        char *save = NULL, *kind = strtok_r(line, "\t\n", &save);
        char *w = strtok_r(NULL, "\t\n", &save), *lemma;
        struct kb_related_profile p, strong;
        size_t k = 0, nstrong = 0;

        cr_assert(kind != NULL && w != NULL);
        if (strcmp(kind, "miss") == 0) {
            cr_expect_eq(kb_related_find(w), KB_RELATED_NONE, "%s found", w);
            cr_expect_eq(kb_related_profile(w, 0, &p), 0, "%s", w);
            misses++;
            continue;
        }
        cr_assert_str_eq(kind, "hit");
        cr_assert_neq(kb_related_find(w), KB_RELATED_NONE, "%s not found", w);
        kb_related_profile(w, 0, &p);
        kb_related_profile(w, 0.5, &strong);
        while ((lemma = strtok_r(NULL, "\t\n", &save)) != NULL) {
            double weight = strtol(strtok_r(NULL, "\t\n", &save), NULL, 10) / 255.0;

            cr_assert_lt(k, p.n, "%s: %s missing", w, lemma);
            cr_expect_str_eq(p.lemma[k], lemma, "%s: lemma %zu", w, k);
            cr_expect_eq(p.weight[k], weight, "%s: %s", w, lemma);
            if (weight >= 0.5) {
                cr_assert_lt(nstrong, strong.n, "%s: %s", w, lemma);
                cr_expect_str_eq(strong.lemma[nstrong++], lemma);
            }
            k++;
        }
        cr_expect_eq(p.n, k, "%s: %zu lemmas, not %zu", w, p.n, k);
        cr_expect_eq(strong.n, nstrong, "%s", w);
        hits++;
    }
    fclose(f);
    cr_expect_gt(hits, 100);
    cr_expect_gt(misses, 100);
}

Test(kb_related, lookup_through_lemmas)
{
    size_t at = kb_related_find("collaborate");

    cr_assert_neq(at, (size_t)-1);
    cr_expect_eq(kb_related_find("collaborating"), at);
    cr_expect_eq(kb_related_find("collaborates"), at);
    cr_expect_eq(kb_related_find("children"), kb_related_find("child"));
    cr_expect_eq(kb_related_find("zzzzqx"), (size_t)-1);
    cr_expect_eq(kb_related_find(""), (size_t)-1);
}

struct pair {
    const char *a, *b;
};

/* Pairs a member of staff means alike, each by another kind of WordNet link. */
static const struct pair close_pairs[] = {
    {"bravery", "courage"},           /* one synset */
    {"courage", "brave"},             /* a derivation */
    {"dependable", "reliable"},       /* similar-to */
    {"duty", "responsibility"},       /* one synset of a second sense */
    {"teamwork", "collaboration"},    /* siblings under cooperation */
    {"kindness", "compassion"},       /* through mercy, which both lead to */
    {"empathy", "compassion"},        /* siblings */
    {"honesty", "integrity"},         /* a hypernym */
    {"justice", "fairness"},          /* a hyponym */
    {"inquisitive", "curiosity"},     /* through curious */
    {"collaborating", "cooperation"}, /* inflected: collaborate */
};

/*
 * Pairs linked a step past a word's own senses (gen_lex.py's weak links),
 * weaker than a synonym: a group and its members, what the members are, the
 * other words of a derivation's synset.
 */
static const struct pair weak_pairs[] = {
    {"staff", "staffer"},   /* a group and its member */
    {"employees", "staff"}, /* a staff's members are employees */
    {"fleet", "ship"},      /* a group and its member */
    {"location", "site"},   /* location: locate, whose synset holds site */
    {"sites", "locations"}, /* the same, inflected */
};

Test(kb_related, weak_links_relate_below_synonyms)
{
    for (size_t i = 0; i < sizeof(weak_pairs) / sizeof(weak_pairs[0]); i++) {
        const struct pair *p = &weak_pairs[i];
        double s = kb_related_score(p->a, p->b);

        cr_expect_geq(s, 0.3, "%s ~ %s: %.2f", p->a, p->b, s);
        cr_expect_lt(s, 0.9, "%s ~ %s: %.2f, as close as synonyms", p->a, p->b, s);
    }
}

/*
 * A word's senses weigh by the uses SemCor tagged in each, as WordNet counts
 * them (by sense key: cntlist.rev's own sense numbers are of an older order
 * for some words, and put 40 uses of "completion" on the football pass, leaving
 * the concluding action 3, and 10 of "press"'s 13 as a noun on insistence).
 * A sense used about as often as the commonest leads on; one barely used
 * does not.
 */
static const struct pair main_sense_pairs[] = {
    {"completion", "conclusion"}, /* a concluding action: 2 uses, the pass 3 */
    {"completion", "ending"},
    {"growing", "development"}, /* not outweighed by adjective senses 3.0 lacks */
};

/* A sense barely tagged: not in the word's profile. */
static const struct pair rare_sense_pairs[] = {
    {"press", "insistence"},     /* the state of demanding notice: tagged once */
    {"press", "imperativeness"}, /* the same sense */
    {"trial", "experiment"},     /* a tryout: three uses to the test's 44 */
};

Test(kb_related, senses_weigh_by_their_tagged_uses)
{
    for (size_t i = 0; i < sizeof(main_sense_pairs) / sizeof(main_sense_pairs[0]); i++) {
        const struct pair *p = &main_sense_pairs[i];
        double s = kb_related_score(p->a, p->b);

        cr_expect_geq(s, 0.3, "%s ~ %s: %.2f", p->a, p->b, s);
    }
    for (size_t i = 0; i < sizeof(rare_sense_pairs) / sizeof(rare_sense_pairs[0]); i++) {
        const struct pair *p = &rare_sense_pairs[i];
        struct kb_related_profile prof;

        cr_assert(kb_related_profile(p->a, 0, &prof), "%s", p->a);
        for (size_t k = 0; k < prof.n; k++)
            cr_expect_str_neq(prof.lemma[k], p->b, "%s leads to %s (%.2f)", p->a, p->b,
                              prof.weight[k]);
    }
}

/* Pairs nobody means alike. */
static const struct pair far_pairs[] = {
    {"parking", "compassion"},
    {"pay", "excellence"},
    {"courage", "respect"},
    {"canteen", "integrity"},
};

Test(kb_related, close_words_score_above_far_words)
{
    for (size_t i = 0; i < sizeof(close_pairs) / sizeof(close_pairs[0]); i++) {
        const struct pair *p = &close_pairs[i];
        double s = kb_related_score(p->a, p->b);

        cr_expect_geq(s, 0.2, "%s ~ %s: %.2f", p->a, p->b, s);
        cr_expect_float_eq(s, kb_related_score(p->b, p->a), 1e-9, "%s ~ %s symmetric",
                           p->a, p->b);
    }
    for (size_t i = 0; i < sizeof(far_pairs) / sizeof(far_pairs[0]); i++) {
        const struct pair *p = &far_pairs[i];
        double s = kb_related_score(p->a, p->b);

        cr_expect_lt(s, 0.2, "%s ~ %s: %.2f", p->a, p->b, s);
    }
    cr_expect_float_eq(kb_related_score("collaborations", "collaboration"), 1.0, 1e-9);
    cr_expect_float_eq(kb_related_score("zzzzqx", "value"), 0.0, 1e-9);
}

Test(kb_related, a_word_finds_the_item_it_means)
{
    struct kb_related_item *respect = kb_related_item_new();
    struct kb_related_item *compassion = kb_related_item_new();
    struct kb_related_item *responsibility = kb_related_item_new();

    kb_related_item_add(respect, "Respect", 1.0);
    kb_related_item_add(respect, "Inclusive; Considerate; Open and honest", 0.6);
    kb_related_item_add(compassion, "Compassion", 1.0);
    kb_related_item_add(compassion, "Kind; Fair; Listening and acting", 0.6);
    kb_related_item_add(responsibility, "Responsibility", 1.0);
    kb_related_item_add(responsibility, "Accountable; Reliable and productive", 0.6);

    cr_expect_gt(kb_related_item_score(compassion, "empathy"),
                 kb_related_item_score(respect, "empathy"));
    cr_expect_gt(kb_related_item_score(responsibility, "duty"),
                 kb_related_item_score(compassion, "duty"));
    cr_expect_gt(kb_related_item_score(responsibility, "dependable"),
                 kb_related_item_score(respect, "dependable"));
    cr_expect_gt(kb_related_item_score(respect, "truthful"),
                 kb_related_item_score(responsibility, "truthful"));
    /* The name's own word outweighs a behaviour's. */
    cr_expect_float_eq(kb_related_item_score(respect, "respect"), 1.0, 1e-6);
    cr_expect_float_eq(kb_related_item_score(respect, "honest"), 0.6, 1e-6);
    cr_expect_lt(kb_related_item_score(compassion, "parking"), 0.2);
    cr_expect_float_eq(kb_related_item_score(compassion, "zzzzqx"), 0.0, 1e-9);
    kb_related_item_free(respect);
    kb_related_item_free(compassion);
    kb_related_item_free(responsibility);
    kb_related_item_free(NULL);
}

/* A small KB of its own: values and goals as a page of ours might name them. */
static const char kb_json[] =
    "{\"schema\": 1, \"org\": \"evt\", \"name\": \"Example Valley NHS Trust\","
    " \"strategy\": \"Better Together\", \"doc\": \"evt.txt\", \"goals_label\": "
    "\"goals\","
    " \"goals\": ["
    "  {\"number\": 1, \"title\": \"Our organisation\", \"description\": \"We will lead"
    "   and take our services forward.\", \"points\": []},"
    "  {\"number\": 2, \"title\": \"Working with partners\", \"description\": \"\","
    "   \"points\": []},"
    "  {\"number\": 3, \"title\": \"Looking after our staff\", \"description\": \"\","
    "   \"points\": []}],"
    " \"values\": ["
    "  {\"name\": \"Courage\", \"description\": \"\", \"behaviours\": []},"
    "  {\"name\": \"Collaboration\", \"description\": \"\", \"behaviours\": []},"
    "  {\"name\": \"Hope\", \"description\": \"\", \"behaviours\": []}],"
    " \"passages\": []}";

static size_t
best(const struct kb_related_index *ri, enum kb_related_kind kind, const char *a,
     const char *b)
{
    const char *w[2] = {a, b};
    double score;

    return kb_related_best(ri, kind, w, b != NULL ? 2 : 1, &score);
}

Test(kb_related, index_finds_values_and_goals)
{
    struct kb *kb = NULL;
    char *why = NULL;
    struct kb_related_index *ri;

    cr_assert_eq(kb_parse(kb_json, strlen(kb_json), &kb, &why), BOT_OK, "%s", why);
    ri = kb_related_index_new(kb);
    cr_expect_eq(best(ri, KB_RELATED_VALUE, "bravery", NULL), 0);
    cr_expect_eq(best(ri, KB_RELATED_VALUE, "teamwork", NULL), 1);
    /* A name of one stop word still means something. */
    cr_expect_eq(best(ri, KB_RELATED_VALUE, "optimism", NULL), 2);
    cr_expect_eq(best(ri, KB_RELATED_VALUE, "parking", NULL), SIZE_MAX);
    cr_expect_eq(best(ri, KB_RELATED_GOAL, "collaborator", NULL), 1);
    /* Every word of the theme must be met: a party is an organisation, a
       Christmas party is not our organisation goal. */
    cr_expect_eq(best(ri, KB_RELATED_GOAL, "party", NULL), 0);
    cr_expect_eq(best(ri, KB_RELATED_GOAL, "christmas", "party"), SIZE_MAX);
    /* Light words of a description ("lead", "take") lead nowhere: "leave" is no goal. */
    cr_expect_eq(best(ri, KB_RELATED_GOAL, "leave", NULL), SIZE_MAX);
    /* A group is what its members are: the employees are the staff. */
    cr_expect_eq(best(ri, KB_RELATED_GOAL, "employees", NULL), 2);
    cr_expect_eq(best(ri, KB_RELATED_GOAL, "canteen", NULL), SIZE_MAX);
    kb_related_index_free(ri);
    kb_related_index_free(NULL);
    kb_free(kb);
}
