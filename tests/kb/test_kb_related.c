/*
 * test_kb_related.c - closeness in meaning from the WordNet profiles: words,
 * and words to items built from a value's name and behaviours.
 */
#include <criterion/criterion.h>

#include <stdint.h>
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_related.h"

Test(kb_related, table_is_sorted_and_profiles_by_lemma)
{
    cr_assert_gt(kb_related_nwords, 10000);
    for (size_t i = 1; i < kb_related_nwords; i++)
        cr_assert_lt(strcmp(kb_related_strings + kb_related_words[i - 1].off,
                            kb_related_strings + kb_related_words[i].off),
                     0, "%s", kb_related_strings + kb_related_words[i].off);
    for (size_t i = 0; i < kb_related_nwords; i++) {
        cr_assert_leq(kb_related_words[i].at, kb_related_words[i + 1].at);
        for (unsigned k = kb_related_words[i].at + 1; k < kb_related_words[i + 1].at; k++)
            cr_assert_lt(kb_related_links[k - 1] >> 8, kb_related_links[k] >> 8);
        for (unsigned k = kb_related_words[i].at; k < kb_related_words[i + 1].at; k++) {
            cr_assert_lt(kb_related_links[k] >> 8, kb_related_nwords);
            cr_assert_neq(kb_related_links[k] >> 8, i, "%s is in its own profile",
                          kb_related_strings + kb_related_words[i].off);
        }
    }
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
    kb_related_index_free(ri);
    kb_related_index_free(NULL);
    kb_free(kb);
}
