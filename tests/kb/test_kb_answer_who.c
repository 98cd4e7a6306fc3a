/*
 * test_kb_answer_who.c - a "who" is answered by a passage that names a
 * person or a role or group of people, not by one whose only capitalised
 * words are the strategy's own title or a plan's (issue 14,
 * bot/kb/kb_answer_who.c).  A fictional trust of our own
 * (tests/data/kinds/who_pages/fwh.txt, built by `kb build` into
 * tests/data/kinds/who): its strategy "Our Road Ahead" is named in a
 * sentence about improving its services and lining up its next stage with
 * the "Regional Care Plan"; the next sentence says whom the trust listened
 * to.  Neither the capitalised titles nor "services" (a word with a rare
 * sense of people, the armed services) say who.
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

TestSuite(kb_who, .init = setup, .fini = engine_close);

/*
 * "Our Road Ahead", "Regional Care Plan" and "our services" name nobody: the
 * nurses and families do.  Before, the title was read as a name and the
 * sentence quoted with confidence.
 */
Test(kb_who, a_strategy_title_in_capitals_names_nobody)
{
    struct kb_answer a = engine_ask("fwh", "who did we listen to about the next stage");

    cr_expect(a.answered);
    cr_expect(engine_quotes(&a, "listened to our nurses"));
    cr_expect(!engine_quotes(&a, "lined up the next stage"));
}

/* A person's name still answers a "who": the question is no post's holder. */
Test(kb_who, a_persons_name_still_answers)
{
    struct kb_answer a = engine_ask("fwh", "who opened the drop-in at the lodge");

    cr_expect(a.answered);
    cr_expect(engine_quotes(&a, "Ada Pemberton"));
}
