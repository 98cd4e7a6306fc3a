/*
 * test_kb_build_prose.c - goals and statements a page gives in running prose
 * (kb_build_prose.c), on fixtures of our own under tests/data/layouts/.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/kb/kb.h"
#include "tests/kb/layout_build.h"

/* "we have three main priorities." with no colon, then three headings each over a
   paragraph: the headings are the goals, the heading after them is not. */
Test(kb_build_prose, count_sentence_over_goal_headings)
{
    static const char *const goals[] = {"Safer care every time", "A workforce that stays",
                                        "Services closer to home"};
    static const char *const paths[] = {"tests/data/layouts/grebe.txt",
                                        "tests/data/layouts/grebe.html"};
    static const enum kb_doc_format types[] = {KB_DOC_TEXT, KB_DOC_HTML};

    for (size_t f = 0; f < 2; f++) {
        char *report;
        struct kb *kb = layout_build(paths[f], types[f], &report);

        cr_assert_eq(kb->ngoals, 3, "%s: %zu goals: %s", paths[f], kb->ngoals, report);
        for (size_t i = 0; i < 3; i++)
            cr_expect_str_eq(kb->goals[i].title, goals[i]);
        cr_expect_str_eq(kb->goals[0].description,
                         "We will cut avoidable harm and make sure every ward learns "
                         "from incidents quickly.");
        free(report);
        kb_free(kb);
    }
}

/* The vision named in passing by what it sets out to do ("our vision to help ...");
   a year or a noun phrase after "our vision to" is no vision. */
Test(kb_build_prose, vision_named_by_an_infinitive)
{
    char *report;
    struct kb *kb = layout_build("tests/data/layouts/shelduck.txt", KB_DOC_TEXT, &report);

    cr_assert_not_null(kb->vision.text, "%s", report);
    cr_expect_str_eq(kb->vision.text,
                     "To help every family in Fenwick live well at home");
    cr_expect_eq(kb->vision.line, 7);
    cr_expect_null(kb->mission.text);
    cr_expect_eq(kb->nvalues, 3);
    free(report);
    kb_free(kb);
}

/* Goals named in lower case after the colon of a sentence that leads in to them;
   a sentence listing who shaped the priorities is not them; the strategy's name
   before "2022 – 26". */
Test(kb_build_prose, goals_after_a_colon_and_years_with_spaces)
{
    static const char *const goals[] = {"Safer wards", "Stronger teams",
                                        "Greener buildings"};
    char *report;
    struct kb *kb =
        layout_build("tests/data/layouts/goldeneye.txt", KB_DOC_TEXT, &report);

    cr_assert_eq(kb->ngoals, 3, "%zu goals: %s", kb->ngoals, report);
    for (size_t i = 0; i < 3; i++)
        cr_expect_str_eq(kb->goals[i].title, goals[i]);
    cr_expect_eq(kb->goals[0].line, 9);
    cr_expect_str_eq(kb->strategy, "Dale Together");
    cr_expect_eq(kb->nvalues, 2);
    cr_expect_not_null(strstr(report, "after the colon of one sentence, line 9"), "%s",
                       report);
    free(report);
    kb_free(kb);
}
