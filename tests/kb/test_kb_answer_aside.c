/*
 * test_kb_answer_aside.c - the whole list asked for by its plural noun while
 * an item is named only in a clause around the question ("what are our
 * priorities? i remember care at home"): the list answers
 * (bot/kb/kb_answer_aside.c).  KB built by `kb build` from a fictional page:
 * tests/data/kinds/listed_pages/lsn.txt, built into tests/data/kinds/listed.
 */
#include <criterion/criterion.h>

#include "bot/kb/kb_answer.h"

#include "tests/kb/engine_fixture.h"

static void
setup(void)
{
    engine_open_dir("tests/data/kinds/listed");
}

TestSuite(kb_aside, .init = setup, .fini = engine_close);

Test(kb_aside, an_item_remembered_aside_leaves_the_list_asked_for)
{
    struct kb_answer g = engine_ask(
        "lsn", "what are our priorities? i remember care at home and one more");
    struct kb_answer v =
        engine_ask("lsn", "what are the values? i only remember kindness");

    cr_expect_eq(g.intent, KB_INTENT_GOALS, "intent %s", kb_intent_name(g.intent));
    cr_expect_eq(g.nrefs, 3);
    cr_expect_eq(v.intent, KB_INTENT_VALUES, "intent %s", kb_intent_name(v.intent));
    cr_expect_eq(v.nrefs, 3);
}

/* Named in the question itself, the item is what is asked. */
Test(kb_aside, an_item_named_in_the_question_is_answered_alone)
{
    struct kb_answer g = engine_ask("lsn", "what is the care at home priority");
    struct kb_answer v =
        engine_ask("lsn", "what does kindness mean as one of our values");

    cr_expect_eq(g.intent, KB_INTENT_GOAL, "intent %s", kb_intent_name(g.intent));
    cr_expect_eq(v.intent, KB_INTENT_VALUE, "intent %s", kb_intent_name(v.intent));
}

/* Said before the question, the clause is what it is about. */
Test(kb_aside, a_clause_before_the_question_is_what_it_asks_about)
{
    struct kb_answer g = engine_ask(
        "lsn",
        "how will we know the care at home priority is on track, what are the aims");
    struct kb_answer v = engine_ask("lsn", "kindness and pride, are they values here");

    cr_expect_neq(g.intent, KB_INTENT_GOALS, "intent %s", kb_intent_name(g.intent));
    cr_expect_neq(v.intent, KB_INTENT_VALUES, "intent %s", kb_intent_name(v.intent));
}
