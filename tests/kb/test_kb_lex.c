/*
 * test_kb_lex.c - the WordNet word table: lookups, lemmas, what is light.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "bot/kb/kb_lex.h"

Test(kb_lex, table_is_sorted)
{
    cr_assert_gt(kb_lex_nwords, 1000);
    for (size_t i = 1; i < kb_lex_nwords; i++)
        cr_assert_lt(strcmp(kb_lex_strings + kb_lex_words[i - 1].off,
                            kb_lex_strings + kb_lex_words[i].off),
                     0, "%s", kb_lex_strings + kb_lex_words[i].off);
}

Test(kb_lex, irregular_forms)
{
    for (size_t i = 1; i < kb_lex_nforms; i++)
        cr_assert_lt(strcmp(kb_lex_form_strings + kb_lex_forms[i - 1].off,
                            kb_lex_form_strings + kb_lex_forms[i].off),
                     0, "%s", kb_lex_form_strings + kb_lex_forms[i].off);
    cr_assert_not_null(kb_lex_find("hold"));
    cr_expect_eq(kb_lex_find("held"), kb_lex_find("hold"));
    cr_expect_eq(kb_lex_find("went"), kb_lex_find("go"));
    cr_expect_eq(kb_lex_find("children"), kb_lex_find("child"));
    cr_expect_null(kb_lex_find("heldx"));
}

static int
cmp_entry(const void *key, const void *item)
{
    return strcmp(key, kb_lex_strings + ((const struct kb_lex_word *)item)->off);
}

/* Every word of the table finds its own entry, and every irregular form its
 * lemma's unless it is a word itself: the lookup agrees with the sorted table. */
Test(kb_lex, every_word_and_form_found)
{
    for (size_t i = 0; i < kb_lex_nwords; i++)
        cr_assert_eq(kb_lex_find(kb_lex_strings + kb_lex_words[i].off), &kb_lex_words[i],
                     "%s", kb_lex_strings + kb_lex_words[i].off);
    for (size_t i = 0; i < kb_lex_nforms; i++) {
        const char *f = kb_lex_form_strings + kb_lex_forms[i].off;
        const struct kb_lex_word *own =
            bsearch(f, kb_lex_words, kb_lex_nwords, sizeof(kb_lex_words[0]), cmp_entry);

        cr_assert_eq(kb_lex_find(f),
                     own != NULL ? own : &kb_lex_words[kb_lex_forms[i].word], "%s", f);
    }
}

Test(kb_lex, lemmas)
{
    const struct kb_lex_word *w = kb_lex_find("happen");

    cr_assert_not_null(w);
    cr_expect_lt(w->noun, 20); /* a verb */
    cr_expect_eq(kb_lex_find("happened"), w);
    cr_expect_eq(kb_lex_find("happens"), w);
    cr_expect_not_null(kb_lex_find("studies")); /* study */
    cr_expect_gt(kb_lex_count("take"), kb_lex_count("canteen"));
    cr_expect_gt(kb_lex_find("canteen")->noun, 90); /* a noun */
    cr_expect_null(kb_lex_find("kpi"));
    cr_expect_eq(kb_lex_count("zzzzqx"), 0u);
    cr_expect_eq(kb_lex_count(""), 0u);
}

/* "-es" is the plural's after a hiss only: "sites" is site (a place), not sit. */
Test(kb_lex, plural_in_es_after_a_hiss_only)
{
    cr_assert_not_null(kb_lex_find("sites"));
    cr_expect_str_eq(kb_lex_lemma("sites"), "site");
    cr_expect(kb_lex_find("sites")->cls & KB_LEX_PLACE);
    cr_expect_str_eq(kb_lex_lemma("churches"), "church");
    cr_expect_str_eq(kb_lex_lemma("boxes"), "box");
    cr_expect_str_eq(kb_lex_lemma("lines"), "line");
}

/* Is @want among the words WordNet relates to @w? */
static bool
related(const char *w, const char *want)
{
    const char *rel[64];
    size_t n = kb_lex_related(w, rel, 64);

    for (size_t i = 0; i < n; i++) {
        if (strcmp(rel[i], want) == 0)
            return true;
    }
    return false;
}

Test(kb_lex, related_words)
{
    const char *rel[4];

    for (size_t i = 0; i < kb_lex_nwords; i++) {
        cr_assert_leq(kb_lex_rel_at[i], kb_lex_rel_at[i + 1]);
        for (unsigned k = kb_lex_rel_at[i]; k < kb_lex_rel_at[i + 1]; k++)
            cr_assert_neq(kb_lex_rel[k], i, "%s is related to itself",
                          kb_lex_strings + kb_lex_words[i].off);
    }
    cr_expect(related("speak", "talk"));  /* a synonym */
    cr_expect(related("site", "place"));  /* a synonym of a sense */
    cr_expect(related("area", "region")); /* a hypernym */
    cr_expect(related("money", "fund"));  /* named by its hyponym: made symmetric */
    cr_expect(related("fund", "money"));
    cr_expect(related("spoke", "talk")); /* through the lemma */
    cr_expect_not(related("money", "canteen"));
    cr_expect_eq(kb_lex_related("zzzzqx", rel, 4), 0);
    cr_expect_leq(kb_lex_related("site", rel, 2), 2);
    cr_expect_str_eq(kb_lex_lemma("held"), "hold");
    cr_expect_null(kb_lex_lemma("zzzzqx"));
}

Test(kb_lex, light_words)
{
    cr_expect(kb_lex_is_light("take"));   /* a common verb */
    cr_expect(kb_lex_is_light("taking")); /* through its lemma */
    cr_expect(kb_lex_is_light("lead"));
    cr_expect_not(kb_lex_is_light("canteen"));  /* a noun */
    cr_expect_not(kb_lex_is_light("teamwork")); /* rare */
    cr_expect_not(kb_lex_is_light("zzzzqx"));
}

/*
 * A word of people mostly: its common senses name people ("partner",
 * "volunteer"); "service" and "chapter" have a rare sense of people (the armed
 * services, a society's local branch) and are people words, not mostly.
 */
Test(kb_lex, words_mostly_of_people)
{
    static const char *const people[] = {"partner", "volunteer", "staff", "family", NULL};
    static const char *const rarely[] = {"service", "chapter", "neighborhood", NULL};

    for (size_t i = 0; people[i] != NULL; i++) {
        const struct kb_lex_word *lw = kb_lex_find(people[i]);

        cr_assert_not_null(lw, "%s", people[i]);
        cr_expect(lw->cls & KB_LEX_PEOPLE, "%s is mostly people", people[i]);
    }
    for (size_t i = 0; rarely[i] != NULL; i++) {
        const struct kb_lex_word *lw = kb_lex_find(rarely[i]);

        cr_assert_not_null(lw, "%s", rarely[i]);
        cr_expect(lw->cls & KB_LEX_PERSON, "%s has a sense of people", rarely[i]);
        cr_expect(!(lw->cls & KB_LEX_PEOPLE), "%s is not mostly people", rarely[i]);
    }
}
