/*
 * test_kb_answer_anaphor.c - a sentence that goes on from the one before it
 * (bot/kb/kb_answer_anaphor.c): "The second is ...", "Another partner is ...",
 * and a contracted pointer ("That’s why we’re building ..."), on a KB built by
 * `kb build` from a fictional page (tests/data/kinds/anaphor_pages/ana.txt,
 * built into tests/data/kinds/anaphor).
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

TestSuite(kb_anaphor, .init = setup, .fini = engine_close);

/* "one of two founding members ... The second is ...": both halves answer. */
Test(kb_anaphor, an_ordinal_sentence_continues_the_one_before)
{
    struct kb_answer a = engine_ask(
        "ana", "who are the two founding members of the Fenmoor Care Alliance?");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "one of two founding members"));
    cr_expect(engine_quotes(&a, "Borough Council"), "the second member");
}

/* "That’s why we’re building ...": the reason is the sentence it points back to. */
Test(kb_anaphor, a_contracted_pointer_brings_the_sentence_it_points_to)
{
    struct kb_answer a = engine_ask("ana", "why are we building the Larkspur Wing?");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "wait longer for a bed"), "the reason before it");
    cr_expect(engine_quotes(&a, "building the Larkspur Wing"));
}

/* A sentence that starts afresh brings nothing before it. */
Test(kb_anaphor, a_sentence_that_starts_afresh_stands_alone)
{
    struct kb_answer a =
        engine_ask("ana", "what do we work with Heron Valley hospice on?");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "end of life care"));
    cr_expect_not(engine_quotes(&a, "Quayside"));
}

/* "Demand ... keeps rising." "And the old clinic ..." "So we are opening ...": the chain.
 */
Test(kb_anaphor, a_joined_sentence_brings_the_reason_it_goes_on_from)
{
    struct kb_answer a = engine_ask("ana", "why are we opening the Kingfisher Hub?");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "keeps rising"), "the reason two sentences back");
    cr_expect(engine_quotes(&a, "opening the Kingfisher Hub"));
}
