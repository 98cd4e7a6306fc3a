/*
 * test_kb_answer_quoted.c - a quote's later sentences, which `kb build`
 * writes after their speaker's lead-in ("Orla Fenwick, Chief Executive said:
 * This will ..."), point back at the sentence before as a sentence standing
 * alone does (bot/kb/kb_answer_quoted.c).  KB built by `kb build` from a
 * fictional news page: tests/data/kinds/quoted_pages/qsp.txt, built into
 * tests/data/kinds/quoted.
 */
#include <criterion/criterion.h>

#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_answer_quoted.h"

#include "tests/kb/engine_fixture.h"

static void
setup(void)
{
    engine_open_dir("tests/data/kinds/quoted");
}

TestSuite(kb_quoted, .init = setup, .fini = engine_close);

Test(kb_quoted, the_words_start_after_the_speakers_lead_in)
{
    cr_expect_str_eq(kb_answer_quoted_words("Ada Brook, Chair said: This is new."),
                     "This is new.");
    cr_expect_str_eq(kb_answer_quoted_words("Ada Brook said: \xe2\x80\x9cIt opens."),
                     "It opens.");
    cr_expect_str_eq(kb_answer_quoted_words("It opens in May."), "It opens in May.");
    cr_expect_str_eq(kb_answer_quoted_words("We met. Ada said: it was fun."),
                     "We met. Ada said: it was fun.", "a sentence ends before it");
}

/* "This will build on ...": what "this" is was said in the sentence before. */
Test(kb_quoted, a_pointer_after_the_lead_in_brings_the_sentence_before)
{
    struct kb_answer a =
        engine_ask("qsp", "what does orla fenwick say is especially welcome");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "especially welcome"));
    cr_expect(engine_quotes(&a, "birthing centre"), "what \"this\" stands for");
}

/* A quote's sentence that starts afresh brings nothing before it. */
Test(kb_quoted, a_sentence_that_starts_afresh_stands_alone)
{
    struct kb_answer a =
        engine_ask("qsp", "what does orla fenwick say about a night bus");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "night bus"));
    cr_expect_not(engine_quotes(&a, "especially welcome"));
}
