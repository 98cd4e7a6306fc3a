/*
 * test_kb_build_leads.c - lines that lead to the values or goals, or point
 * away from them, and are none of them, each on an invented page under
 * tests/data/layouts/: a "We ..." sentence about the values before "We ..."
 * values; a publications page's document titles and pointers under headings
 * that speak of plans and objectives; an "Ambition N:" heading over a list of
 * partners; and values named in one sentence, then listed as bullet groups
 * with no names over them, whose groups are the values' behaviours; and
 * pledges (a plural, as "promises") as headings over a paragraph each.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/kb/kb.h"
#include "tests/kb/layout_build.h"

Test(kb_build_leads, a_we_sentence_about_the_values_is_no_value)
{
    static const char *const pages[] = {"tests/data/layouts/wryneck.txt",
                                        "tests/data/layouts/wryneck.html"};

    for (size_t p = 0; p < 2; p++) {
        struct kb *kb = layout_build(pages[p], p == 0 ? KB_DOC_TEXT : KB_DOC_HTML, NULL);

        cr_assert_eq(kb->nvalues, 3, "%s: %zu values, the first '%s'", pages[p],
                     kb->nvalues, kb->nvalues ? kb->values[0].name : "");
        cr_expect_str_eq(kb->values[0].name,
                         "we welcome everyone who comes through our doors and take time "
                         "to listen");
        for (size_t i = 0; i < kb->nvalues; i++)
            cr_expect_null(strstr(kb->values[i].name, "values"), "%s",
                           kb->values[i].name);
        kb_free(kb);
    }
}

Test(kb_build_leads, pointers_and_file_sizes_under_an_objectives_heading_are_no_goals)
{
    struct kb *kb = layout_build("tests/data/layouts/bullfinch.txt", KB_DOC_TEXT, NULL);

    cr_expect_eq(kb->ngoals, 0, "%zu goals, the first '%s'", kb->ngoals,
                 kb->ngoals ? kb->goals[0].title : "");
    cr_expect_not_null(kb->vision.text);
    kb_free(kb);
}

Test(kb_build_leads, document_titles_with_their_years_are_no_goals)
{
    struct kb *kb = layout_build("tests/data/layouts/bullfinch2.txt", KB_DOC_TEXT, NULL);

    cr_expect_eq(kb->ngoals, 0, "%zu goals, the first '%s'", kb->ngoals,
                 kb->ngoals ? kb->goals[0].title : "");
    kb_free(kb);
}

Test(kb_build_leads, an_ambition_over_a_list_of_partners_is_one_goal)
{
    struct kb *kb = layout_build("tests/data/layouts/goldcrest.txt", KB_DOC_TEXT, NULL);

    cr_assert_eq(kb->ngoals, 1, "%zu goals", kb->ngoals);
    cr_expect_str_eq(kb->goals[0].title, "Working hand in hand with our partners");
    cr_expect_eq(kb->goals[0].number, 5);
    cr_expect_eq(kb->nvalues, 0);
    kb_free(kb);
}

Test(kb_build_leads, unnamed_groups_after_values_in_a_sentence_are_their_behaviours)
{
    static const char *const pages[] = {"tests/data/layouts/serin.txt",
                                        "tests/data/layouts/serin.html"};
    static const char *const names[] = {"kindness", "courage", "fairness"};
    static const size_t nbeh[] = {3, 2, 3};

    for (size_t p = 0; p < 2; p++) {
        struct kb *kb = layout_build(pages[p], p == 0 ? KB_DOC_TEXT : KB_DOC_HTML, NULL);

        cr_assert_eq(kb->nvalues, 3, "%s: %zu values", pages[p], kb->nvalues);
        for (size_t i = 0; i < 3; i++) {
            cr_expect_str_eq(kb->values[i].name, names[i]);
            cr_expect_eq(kb->values[i].nbehaviours, nbeh[i], "%s: %s", pages[p],
                         names[i]);
        }
        cr_assert_eq(kb->values[1].nbehaviours, 2);
        cr_expect_str_eq(kb->values[1].behaviours[0].text,
                         "speaking up when something is not right");
        cr_expect_eq(kb->ngoals, 0);
        kb_free(kb);
    }
}

Test(kb_build_leads, pledges_as_headings_with_a_paragraph_each_are_goals)
{
    struct kb *kb = layout_build("tests/data/layouts/jackdaw.txt", KB_DOC_TEXT, NULL);

    cr_assert_eq(kb->ngoals, 4, "%zu goals", kb->ngoals);
    cr_expect_str_eq(kb->goals[0].title, "Safer care in every setting");
    cr_expect_str_eq(kb->goals[3].title, "A greener health service");
    cr_expect_not_null(strstr(kb->goals[1].description, "local health and care hubs"));
    cr_expect_eq(kb->nvalues, 0);
    kb_free(kb);
}
