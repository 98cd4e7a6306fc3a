/*
 * test_kb_answer_back.c - a sentence that points back at the one before
 * through an object pronoun ("... helped us draft it through our Lantern
 * Circle") has that sentence's words as its context, as one that begins "It
 * ..." does (issue 14, bot/kb/kb_answer_back.c).  A fictional trust of our
 * own (tests/data/kinds/who_pages/fwb.txt, built by `kb build` into
 * tests/data/kinds/who): "Brightwater Together is our plan for the next five
 * years." then who helped draft "it".
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
    engine_open_dir("tests/data/kinds/who");
}

TestSuite(kb_back, .init = setup, .fini = engine_close);

/* The plan and its five years are in the sentence "it" stands for; declined before. */
Test(kb_back, an_object_pronoun_brings_the_sentence_before)
{
    struct kb_answer a = engine_ask("fwb", "who helped draft the five year plan");

    cr_expect(a.answered);
    cr_expect(engine_quotes(&a, "helped us draft it"));
}
