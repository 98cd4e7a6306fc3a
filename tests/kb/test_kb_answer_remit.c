/*
 * test_kb_answer_remit.c - what the organisation itself provides and where
 * (issue 14, bot/kb/kb_answer_remit.c): "which areas do we cover", "what kinds
 * of services does the trust provide", "where do we work" are answered from a
 * clause whose subject is the organisation and whose verb provides, serves or
 * covers; a page with no such clause declines.  Two fictional trusts of our
 * own (tests/data/kinds/remit_pages, built by `kb build` into
 * tests/data/kinds/remit): frm says in its launch sentence what it provides and
 * across which towns; frn says neither, only that its services should listen
 * more and that it works with partners.
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
    engine_open_dir("tests/data/kinds/remit");
}

TestSuite(kb_remit, .init = setup, .fini = engine_close);

static const char *const asks[] = {
    "which areas do we cover",
    "what kinds of services does the trust provide",
    "where do we work?",
};

/* The clause "Marshfield ... NHS Trust, which provides ... across Marshfield, Oakby". */
Test(kb_remit, the_organisations_own_clause_answers_where_and_what)
{
    for (size_t i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
        struct kb_answer a = engine_ask("frm", asks[i]);

        cr_expect(a.answered, "'%s' is answered", asks[i]);
        cr_expect_eq(a.intent, KB_INTENT_FACT, "'%s'", asks[i]);
        cr_expect(engine_quotes(&a, "across Marshfield, Oakby"), "'%s'", asks[i]);
    }
}

/* No clause has the trust provide or cover anything: no passage on services or work. */
Test(kb_remit, a_page_without_such_a_clause_declines)
{
    for (size_t i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
        struct kb_answer a = engine_ask("frn", asks[i]);

        cr_expect(!a.answered, "'%s' is declined", asks[i]);
    }
}

/* Something else asked of the same verb is no question about the remit. */
Test(kb_remit, other_questions_with_the_verb_are_left_alone)
{
    struct kb_answer a = engine_ask("frm", "how do we work with partners?");

    cr_expect(a.answered);
    cr_expect(engine_quotes(&a, "two new health hubs"));
}
