/*
 * test_kb_build_general.c - ways of writing a strategy page that real trust
 * pages share, each on an invented page under tests/data/layouts/: a plain
 * text page with no blank lines between its short headings and its lists,
 * values as a list punctuated with semicolons, values after a lead-in that
 * names them "These values", goals as "Ambition N:" headings (and a page of
 * one), values as "We ..." paragraphs under the values heading; and lists
 * under headings that call them no goals and say nothing of what is to come
 * ("Our services", "How to get involved") are no goals.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/kb/kb.h"
#include "tests/kb/layout_build.h"

Test(kb_build_general, short_headings_over_lists_without_blank_lines)
{
    struct kb *kb = layout_build("tests/data/layouts/fulmar.txt", KB_DOC_TEXT, NULL);

    cr_assert_eq(kb->nvalues, 3, "%zu values", kb->nvalues);
    cr_expect_str_eq(kb->values[0].name, "We are brave for the people of Dunmere");
    cr_expect_str_eq(kb->values[2].name, "We check the facts before we act");
    cr_expect_eq(kb->ngoals, 0);
    cr_assert_not_null(kb->mission.text);
    cr_expect_null(strstr(kb->mission.text, "Values"), "%s", kb->mission.text);
    kb_free(kb);
}

Test(kb_build_general, values_as_a_punctuated_list)
{
    struct kb *kb = layout_build("tests/data/layouts/guillemot.txt", KB_DOC_TEXT, NULL);
    static const char *const names[] = {"caring together", "with courage and honesty",
                                        "to leave things better"};

    cr_assert_eq(kb->nvalues, 3, "%zu values", kb->nvalues);
    for (size_t i = 0; i < 3; i++)
        cr_expect_str_eq(kb->values[i].name, names[i]);
    kb_free(kb);
}

Test(kb_build_general, values_after_a_lead_in_naming_these_values)
{
    struct kb *kb = layout_build("tests/data/layouts/razorbill.txt", KB_DOC_TEXT, NULL);

    cr_assert_eq(kb->nvalues, 4, "%zu values", kb->nvalues);
    cr_expect_str_eq(kb->values[1].name,
                     "We are honest and fair with everyone we work with");
    cr_expect_eq(kb->ngoals, 0);
    kb_free(kb);
}

Test(kb_build_general, goals_as_labelled_ambition_headings)
{
    struct kb *kb = layout_build("tests/data/layouts/kittiwake.txt", KB_DOC_TEXT, NULL);

    cr_assert_eq(kb->ngoals, 3, "%zu goals", kb->ngoals);
    cr_expect_str_eq(kb->goals[1].title, "A great place to work");
    cr_expect_str_eq(kb->goals[2].title, "Good use of every pound");
    cr_expect_eq(kb->nambitions, 0, "a goal's label is no statement of ambition");
    kb_free(kb);
}

Test(kb_build_general, a_page_of_one_labelled_ambition)
{
    struct kb *kb = layout_build("tests/data/layouts/shearwater.txt", KB_DOC_TEXT, NULL);

    cr_assert_eq(kb->ngoals, 1, "%zu goals", kb->ngoals);
    cr_expect_str_eq(kb->goals[0].title, "A greener Holmby, every day");
    cr_expect_eq(kb->goals[0].number, 3);
    cr_expect_eq(kb->nambitions, 0);
    cr_expect_null(kb->mission.text);
    kb_free(kb);
}

Test(kb_build_general, values_as_we_paragraphs_under_the_values_heading)
{
    struct kb *kb = layout_build("tests/data/layouts/redstart.txt", KB_DOC_TEXT, NULL);

    cr_assert_eq(kb->nvalues, 4, "%zu values", kb->nvalues);
    cr_expect_str_eq(
        kb->values[0].name,
        "We are kind and caring to everyone, including the people we work with");
    cr_expect_str_eq(kb->values[3].name, "We do the right thing and people can trust us");
    cr_expect_eq(kb->ngoals, 0);
    kb_free(kb);
}

Test(kb_build_general, lists_under_headings_that_name_no_goals_are_none)
{
    static const char *const pages[] = {"tests/data/layouts/corncrake.txt",
                                        "tests/data/layouts/corncrake2.txt"};

    for (size_t i = 0; i < 2; i++) {
        struct kb *kb = layout_build(pages[i], KB_DOC_TEXT, NULL);

        cr_expect_eq(kb->ngoals, 0, "%s: %zu goals, the first '%s'", pages[i], kb->ngoals,
                     kb->ngoals ? kb->goals[0].title : "");
        cr_assert_not_null(kb->vision.text, "%s", pages[i]);
        kb_free(kb);
    }
}
