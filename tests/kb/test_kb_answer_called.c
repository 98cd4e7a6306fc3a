/*
 * test_kb_answer_called.c - a strategy or plan the page names only in a
 * sentence (bot/kb/kb_answer_called.c): "has launched its new three-year plan –
 * Stronger Together in the Vale", "whose joint plan is called “...”", on a KB
 * built by `kb build` from a fictional page that gives its strategy no heading
 * (tests/data/kinds/anaphor_pages/anb.txt, built into tests/data/kinds/anaphor).
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/kb/kb_answer.h"

#include "tests/kb/engine_fixture.h"

static void
setup(void)
{
    engine_open_dir("tests/data/kinds/anaphor");
}

TestSuite(kb_called, .init = setup, .fini = engine_close);

/* Our own plan, named after a dash: not the partnership's. */
Test(kb_called, our_plan_named_in_a_sentence_is_its_name)
{
    struct kb_answer a = engine_ask("anb", "what's our plan called?");
    struct kb_answer b = engine_ask("anb", "what is the name of our strategy?");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "Stronger Together in the Vale"));
    cr_expect_not(engine_quotes(&a, "Healthy Hills"), "the partnership's plan");
    cr_assert(b.answered);
    cr_expect(engine_quotes(&b, "Stronger Together in the Vale"));
}

/* A plan the question qualifies: the sentence naming a plan with those words. */
Test(kb_called, a_qualified_plan_is_the_one_named_with_its_words)
{
    struct kb_answer a =
        engine_ask("anb", "what is the regional partnership's joint plan called?");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "Healthy Hills for Everyone"));
    cr_expect_not(engine_quotes(&a, "Stronger Together"));
}

/* A plan the page never names is still declined. */
Test(kb_called, a_plan_the_page_does_not_name_is_declined)
{
    struct kb_answer a = engine_ask("anb", "what is the estates plan called?");

    cr_expect_not(a.answered);
}

/*
 * "how many ambitions are there" on a KB that lists none, where the page says
 * "sets out four ambitions" (page ana): the page's sentence, not "doesn't list".
 */
Test(kb_called, a_count_stated_on_a_page_that_lists_none_is_quoted)
{
    struct kb_answer a = engine_ask("ana", "how many ambitions are there?");
    struct kb_answer b = engine_ask("ana", "what are our ambitions?");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "four ambitions"));
    cr_expect_not(b.answered, "the page names none of them");
}

/*
 * "Every team works to achieve our vision for healthier lives in every
 * valley." (page anb, which states no vision): the vision named in passing.
 */
Test(kb_called, a_vision_named_after_achieve_our_vision_for_is_quoted)
{
    struct kb_answer a = engine_ask("anb", "what's our vision?");
    struct kb_answer m = engine_ask("anb", "what is our mission?");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "vision for healthier lives"));
    cr_expect_not(m.answered, "no mission is named");
}
