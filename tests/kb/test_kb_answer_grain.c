/*
 * test_kb_answer_grain.c - a passage of the right kind at the wrong grain
 * (bot/kb/kb_answer_grain.c, issue 14): a year for "what month", a time for
 * "how much will it cost", a line that only points at a document for "what's
 * in it".  One fictional trust of our own, fgr (tests/data/kinds/grain_pages/
 * fgr.txt, built by `kb build` into tests/data/kinds/grain): it launched its
 * strategy in a year without a month, held its awards in a month, builds a
 * centre at no stated cost and a unit at a stated one, and points at a travel
 * plan and an annual report without saying what is in them.
 */
#include <criterion/criterion.h>

#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_answer_int.h"

#include "tests/kb/engine_fixture.h"

static void
setup(void)
{
    engine_open_dir("tests/data/kinds/grain");
}

TestSuite(kb_grain, .init = setup, .fini = engine_close);

/* "what month": a month by its name; a year alone does not say it. */
Test(kb_grain, a_month_asked_needs_a_month)
{
    struct kb_answer no =
        engine_ask("fgr", "what month did we launch brackenford forward?");
    struct kb_answer no2 = engine_ask("fgr", "what month is the dental unit opening?");
    struct kb_answer yes = engine_ask("fgr", "which month were the staff awards held?");
    struct kb_answer year =
        engine_ask("fgr", "what year did we launch brackenford forward?");

    cr_expect_not(no.answered, "the launch is given as a year");
    cr_expect_not(no2.answered, "the opening is given as a year");
    cr_expect(yes.answered && engine_quotes(&yes, "March 2023"));
    cr_expect(year.answered && engine_quotes(&year, "in 2024"), "a year asked: the year");
}

/* "how much will it cost": a sum of money; "over the next five years" is none. */
Test(kb_grain, a_cost_asked_needs_a_sum)
{
    struct kb_answer no =
        engine_ask("fgr", "how much will the therapy centre at fellside cost?");
    struct kb_answer no2 =
        engine_ask("fgr", "what's the budget for the fellside therapy centre?");
    struct kb_answer yes = engine_ask("fgr", "how much is the dental unit costing?");
    struct kb_answer count =
        engine_ask("fgr", "how many clinic rooms will the therapy centre have?");

    cr_expect_not(no.answered, "a time is no cost");
    cr_expect_not(no2.answered);
    cr_expect(yes.answered && engine_quotes(&yes, "3 million"));
    cr_expect(count.answered && engine_quotes(&count, "twelve clinic rooms"));
}

/* A line pointing at a document says where it is, not what it says. */
Test(kb_grain, a_pointer_says_where_not_what)
{
    struct kb_answer what = engine_ask("fgr", "what's in the travel plan?");
    struct kb_answer say = engine_ask("fgr", "what does the annual report say?");
    struct kb_answer where = engine_ask("fgr", "where can i find the travel plan?");
    struct kb_answer is = engine_ask("fgr", "is there an annual report?");

    cr_expect_not(what.answered, "the plan's content is not on the page");
    cr_expect_not(say.answered);
    cr_expect(where.answered && engine_quotes(&where, "Travel Plan here"));
    cr_expect(is.answered && engine_quotes(&is, "can be found here"));
}

Test(kb_grain, pointers_are_one_sentence_ending_here_or_a_file)
{
    cr_expect(kbag_text_is_pointer("You can find our Green Plan here."));
    cr_expect(kbag_text_is_pointer("Read the full strategy (PDF, 2.4MB)"));
    cr_expect_not(kbag_text_is_pointer(
        "The plan was approved in July. You can find our Green Plan here."));
    cr_expect_not(
        kbag_text_is_pointer("Most of the research in the region happens here."));
}
