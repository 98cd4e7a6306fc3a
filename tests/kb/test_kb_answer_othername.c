/*
 * test_kb_answer_othername.c - another organisation named in lower case: a
 * word neither the KB nor English knows, in the run of name words before an
 * organisation noun ("the values of kelmscott health trust"), makes the name
 * someone else's.  Fictional KB: tests/data/which bkh (Brackenfold Health NHS
 * Trust).
 */
#include <stddef.h>

#include <criterion/criterion.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_set.h"

#include "tests/kb/engine_fixture.h"

static void
setup(void)
{
    engine_open_dir("tests/data/which");
}

TestSuite(kb_othername, .init = setup, .fini = engine_close);

Test(kb_othername, an_unknown_name_before_an_organisation_noun_is_another_body)
{
    static const char *const other[] = {
        "what are the values of kelmscott health trust",
        "what are the priorities of kelmscott and fold community trust",
        "what are kelmscott and fold community trust's priorities",
    };
    static const char *const ours[] = {
        "what are the values of brackenfold health trust",
        "what are the values of our health trust",
        "what are the priorities of the trust",
    };

    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        struct kb_answer a = engine_ask("bkh", other[i]);

        cr_expect(a.intent == KB_INTENT_OTHER_ORG, "%s: intent %s", other[i],
                  kb_intent_name(a.intent));
    }
    for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
        struct kb_answer a = engine_ask("bkh", ours[i]);

        cr_expect(a.answered, "%s: intent %s", ours[i], kb_intent_name(a.intent));
    }
}
