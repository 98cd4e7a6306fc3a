/*
 * test_kb_answer_amount.c - a sum of money asked for, which only a figure
 * answers (bot/kb/kb_answer_amount.c, issue 14): "what's the budget for goal
 * 3" where the goal only speaks of money, "how much will the unit cost"
 * where the passage on the unit gives a year, not a sum.  One fictional trust
 * of our own (tests/data/kinds/amount_pages/fwa.txt, built by `kb build` into
 * tests/data/kinds/amount): its goal 3 speaks of the budget without a sum,
 * its eye clinic opens in 2027 at no stated cost, its new ward costs a sum.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_set.h"

#include "tests/kb/engine_fixture.h"

static void
setup(void)
{
    engine_open_dir("tests/data/kinds/amount");
}

TestSuite(kb_amount, .init = setup, .fini = engine_close);

/* A goal named by its number that speaks of money without a sum. */
Test(kb_amount, a_goal_without_a_sum_does_not_answer_its_budget)
{
    static const char *const qs[] = {"what's the budget for goal 3",
                                     "how much funding does goal 3 get?",
                                     "what's the cost of goal 3?"};

    for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
        struct kb_answer a = engine_ask("fwa", qs[i]);

        cr_expect_not(a.answered, "%s: answered with the goal", qs[i]);
    }
}

/* A passage on the thing that gives a year, not a sum. */
Test(kb_amount, a_year_is_not_a_sum)
{
    static const char *const qs[] = {"how much will the new eye clinic cost?",
                                     "what's the price of the new eye clinic"};

    for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
        struct kb_answer a = engine_ask("fwa", qs[i]);

        cr_expect(!a.answered || !engine_quotes(&a, "eye clinic at the Sedgeway"),
                  "%s: answered from the unit's opening", qs[i]);
    }
}

/* The goal and the passage still answer what they say. */
Test(kb_amount, what_is_stated_is_still_answered)
{
    struct kb_answer a = engine_ask("fwa", "what is goal 3?");
    struct kb_answer b = engine_ask("fwa", "when will the new eye clinic open?");

    cr_expect(a.answered);
    cr_assert(b.answered);
    cr_expect(engine_quotes(&b, "2027"));
}

/* The figure a page gives is the answer. */
Test(kb_amount, a_stated_sum_is_answered)
{
    static const char *const qs[] = {"how much will the new ward cost?",
                                     "what's the budget for the new ward"};

    for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
        struct kb_answer a = engine_ask("fwa", qs[i]);

        cr_assert(a.answered, "%s", qs[i]);
        cr_expect(engine_quotes(&a, "4.5 million"), "%s", qs[i]);
    }
}
