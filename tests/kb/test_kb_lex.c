/*
 * test_kb_lex.c - the WordNet word table: lookups, lemmas, what is light.
 */
#include <criterion/criterion.h>

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
