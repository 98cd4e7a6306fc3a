/*
 * test_kb_answer_facts.c - a fact a passage states, asked for by the kind of
 * thing it is (issue 14): "which sites", "which town" want a place by its
 * name (bot/kb/kb_answer_place.c); "what's the budget for X" wants the budget,
 * not the nearest passage on X (bot/kb/kb_answer_asked.c).  One fictional
 * trust of our own (tests/data/kinds/fact_pages/fwr.txt, built by `kb build`
 * into tests/data/kinds/fact): its strategy covers two named sites, its eye
 * unit opens at a named hospital in 2027, and it gives no budget for the unit
 * nor the town the hospital is in.
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
    engine_open_dir("tests/data/kinds/fact");
}

TestSuite(kb_facts, .init = setup, .fini = engine_close);

/* "which sites": the place noun asked is the kind of answer, no word to find. */
Test(kb_facts, which_place_is_answered_by_a_place_named)
{
    struct kb_answer a = engine_ask("fwr", "which sites does Wrenfield Together cover?");
    struct kb_answer b = engine_ask("fwr", "which sites does the strategy cover?");

    cr_assert(a.answered, "the sites are named");
    cr_expect(engine_quotes(&a, "Pipit Lane Treatment Centre"));
    cr_expect(!b.answered || engine_quotes(&b, "Pipit Lane Treatment Centre"));
}

/* A place the question names itself answers no "which town": the page names none. */
Test(kb_facts, which_place_is_not_the_question_own_place)
{
    struct kb_answer a = engine_ask("fwr", "which town is Linnet Road Hospital in?");

    cr_expect_not(a.answered, "the page names no town: %s", a.nrefs ? "quoted" : "");
}

/* "what's the budget for the eye unit": the passage on the unit does not say it. */
Test(kb_facts, the_thing_asked_must_be_in_the_passage)
{
    static const char *const qs[] = {"what's the budget for the new eye unit?",
                                     "what is the budget for the eye unit?"};

    for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
        struct kb_answer a = engine_ask("fwr", qs[i]);

        cr_expect(!a.answered || !engine_quotes(&a, "eye unit will open"),
                  "%s: answered from the unit's opening", qs[i]);
    }
}

/* The same passage answers what it does say: when, and where. */
Test(kb_facts, the_passage_still_answers_what_it_says)
{
    struct kb_answer a = engine_ask("fwr", "when will the new eye unit open?");
    struct kb_answer b = engine_ask("fwr", "where will the new eye unit open?");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "2027"));
    cr_assert(b.answered);
    cr_expect(engine_quotes(&b, "Linnet Road Hospital"));
}
