/*
 * test_kb_answer_forms.c - a question word sharing a value name's stem but
 * not its sense (bot/kb/kb_answer_forms.c, issue 14): "the opening date of
 * the ward" is no question about Openness.  The fictional trust of
 * tests/data/kinds/amount_pages/fwa.txt (built by `kb build` into
 * tests/data/kinds/amount) has the value Openness and a ward whose opening
 * is planned for spring 2026.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_answer_int.h"
#include "bot/kb/kb_set.h"

#include "tests/kb/engine_fixture.h"

static void
setup(void)
{
    engine_open_dir("tests/data/kinds/amount");
}

TestSuite(kb_forms, .init = setup, .fini = engine_close);

/* The verb's form of the stem asks about the ward, not the value. */
Test(kb_forms, a_verb_form_does_not_name_a_quality_value)
{
    static const char *const qs[] = {"what's the opening date for the heron ward",
                                     "when is the heron ward opening?",
                                     "when is the opening of the heron ward?"};

    for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
        struct kb_answer a = engine_ask("fwa", qs[i]);

        cr_expect_neq(a.intent, KB_INTENT_VALUE, "%s: answered with the value", qs[i]);
        cr_expect(a.answered && engine_quotes(&a, "spring 2026"), "%s", qs[i]);
    }
}

/* The value's own name, its adjective and its adverb still name it. */
Test(kb_forms, the_quality_by_its_own_forms_is_the_value)
{
    static const char *const qs[] = {"what does openness mean?", "tell me about openness",
                                     "what does being open mean here?"};

    for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
        struct kb_answer a = engine_ask("fwa", qs[i]);

        cr_expect(a.answered, "%s", qs[i]);
        cr_expect(a.nrefs > 0 && a.refs[0].kind == KB_DOC_VALUE, "%s: not the value",
                  qs[i]);
    }
}

/* The words themselves. */
Test(kb_forms, endings_as_another_part_of_speech)
{
    cr_expect(kbafo_other_sense("opening", "openness"));
    cr_expect(kbafo_other_sense("integrated", "integrity"));
    cr_expect(kbafo_other_sense("kinds", "kindness"));
    cr_expect_not(kbafo_other_sense("open", "openness"));
    cr_expect_not(kbafo_other_sense("openly", "openness"));
    cr_expect_not(kbafo_other_sense("caring", "care"), "not a noun of quality");
    cr_expect_not(kbafo_other_sense("kindnesses", "kindness"));
}
