/*
 * test_kb_answer_real.c - questions staff ask of KBs built by `kb build` from
 * pages trusts wrote themselves: facts about the values and goals in the
 * page's own sentences (how they were made, where they are published, the
 * span of the objectives), a strategy the page calls "six year" or "Family
 * Health Strategy", "our overall aim is ...", a page's "last updated", and
 * another organisation named as "<Name> CCG".  Two KBs of our own, built
 * from fictional pages in the shape of real ones (tests/data/kinds/realqa):
 * rqv lists bare values with facts about them in prose; rqg lists goals under
 * a long lead-in and states its span and aim in sentences.
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
    engine_open_dir("tests/data/kinds/realqa");
}

TestSuite(kb_real, .init = setup, .fini = engine_close);

/* "how were the values developed": the sentence that says how, not the list. */
Test(kb_real, how_the_values_came_about_is_a_fact_not_the_list)
{
    struct kb_answer a = engine_ask("rqv", "how were the values developed");
    struct kb_answer b = engine_ask("rqv", "what are our values");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "staff consultation"));
    cr_expect_eq(b.intent, KB_INTENT_VALUES, "the list, asked for, is still the list");
}

/* "where are the values published": the place the page names, "on the Staff Hub". */
Test(kb_real, where_the_values_are_published_is_a_place_in_a_passage)
{
    struct kb_answer a =
        engine_ask("rqv", "where are the details of the values published");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "Staff Hub"));
}

/* "this page" is the document itself: no unknown word that sinks the date. */
Test(kb_real, the_page_itself_is_no_unknown_word)
{
    struct kb_answer a = engine_ask("rqv", "when was this page last updated");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "3 March 2025"));
}

/* "<Name> CCG": an organisation named by its kind, someone else's values. */
Test(kb_real, a_ccg_named_is_another_organisation)
{
    struct kb_answer a = engine_ask("rqv", "what are the values of Ashcombe CCG");
    struct kb_answer b =
        engine_ask("rqv", "what are the values of Fernhollow Community Health");

    cr_expect(!a.answered);
    cr_expect_eq(a.intent, KB_INTENT_OTHER_ORG);
    cr_expect_eq(b.intent, KB_INTENT_VALUES, "our own name is ours");
}

/* "how long is our strategy" on a page saying "our six year strategy", no years. */
Test(kb_real, a_strategy_of_n_years_answers_how_long)
{
    struct kb_answer a = engine_ask("rqg", "how long is our strategy");
    struct kb_answer b = engine_ask("rqg", "what period does the strategy cover");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "six year strategy"));
    cr_expect(b.answered && engine_quotes(&b, "six year strategy"),
              "a period asked is its length");
}

/* "what timescale do the objectives cover": the sentence giving it, not the list. */
Test(kb_real, the_span_of_the_objectives_is_a_fact)
{
    struct kb_answer a =
        engine_ask("rqg", "what timescale do the strategic objectives cover");
    struct kb_answer b = engine_ask("rqg", "what are our strategic objectives");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "two to four years"));
    cr_expect_eq(b.intent, KB_INTENT_GOALS);
}

/* "what is our overall aim": the page's "Our overall aim is ...". */
Test(kb_real, a_qualified_aim_the_page_defines_is_quoted)
{
    struct kb_answer a = engine_ask("rqg", "what is our overall aim");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "overall aim is"));
}

/* "the family health strategy" where the page calls ours that: ours, not another. */
Test(kb_real, a_strategy_the_page_names_so_is_ours)
{
    struct kb_answer a =
        engine_ask("rqg", "when was the family health strategy approved");
    struct kb_answer b = engine_ask("rqg", "what does the digital strategy say");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "October 2024"));
    cr_expect(!b.answered, "a strategy the page never names is another");
}

/*
 * A page that leads in its priorities in prose ("We have agreed four overall
 * priorities") and bullets them with no heading of their own: the KB lists no
 * goals, the passages do; "what are our values" still finds none.
 */
Test(kb_real, a_list_the_page_gives_in_prose_is_quoted)
{
    struct kb_answer a = engine_ask("rqp", "what are our priorities");
    struct kb_answer b = engine_ask("rqp", "what are our strategic goals");
    struct kb_answer c = engine_ask("rqp", "what are our values");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "four overall priorities"));
    cr_expect(engine_quotes(&a, "video clinics"));
    cr_expect(engine_quotes(&a, "most good for patients"));
    cr_expect(!engine_quotes(&a, "download"), "the list ends where its lines do");
    cr_expect(b.answered && engine_quotes(&b, "nursing workforce"),
              "goals by another name");
    cr_expect(!c.answered, "a page that names values but lists none");
    cr_expect_eq(c.intent, KB_INTENT_NO_VALUES);
}
