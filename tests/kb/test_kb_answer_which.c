/*
 * test_kb_answer_which.c - questions that ask which part of the strategy
 * something belongs to, or pick a part by a numeral ordinal: they are read as
 * questions about the strategy, not as clinical questions, orders or unknown
 * words.  Fictional KB: tests/data/which bkh (Brackenfold Health NHS Trust,
 * four numbered priorities, one about falls and infections at home, three
 * values with definitions).
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

TestSuite(kb_which, .init = setup, .fini = engine_close);

/* "the 2nd priority" picks priority 2 as "the second priority" does. */
Test(kb_which, a_numeral_ordinal_picks_the_part)
{
    static const char *const asked[] = {
        "whats the 2nd priority", "what's the 2nd priority?", "and the 3rd priority"};
    static const unsigned num[] = {2, 2, 3};

    for (size_t i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
        struct kb_answer a = engine_ask("bkh", asked[i]);

        cr_expect(a.answered, "%s: intent %s", asked[i], kb_intent_name(a.intent));
        cr_expect(a.nrefs == 1 && a.refs[0].kind == KB_DOC_GOAL &&
                      a.refs[0].item == num[i] - 1,
                  "%s: goal %u", asked[i], num[i]);
    }
}

/*
 * "which priority is about climate change": the part is asked for, so what
 * follows its copula is no new content, and "change" there is no order.
 */
Test(kb_which, a_part_asked_for_is_no_statement_of_content)
{
    static const char *const asked[] = {"which priority is about climate change",
                                        "what value is about changing things"};
    static const char *const orders[] = {"our priority is now climate change, confirm it",
                                         "change priority 2 to climate change"};

    for (size_t i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
        struct kb_answer a = engine_ask("bkh", asked[i]);

        cr_expect(a.intent != KB_INTENT_REFUSE, "%s: refused", asked[i]);
    }
    for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
        struct kb_answer a = engine_ask("bkh", orders[i]);

        cr_expect(a.intent == KB_INTENT_REFUSE, "%s: intent %s", orders[i],
                  kb_intent_name(a.intent));
    }
}

/*
 * "which priority do infections come under": a clinical word in a
 * question asking for a part of the strategy is a topic, not a clinical
 * question; asked on its own it stays one.
 */
Test(kb_which, a_clinical_topic_placed_in_the_strategy_is_answered)
{
    struct kb_answer a =
        engine_ask("bkh", "which priority do infections at home come under?");
    struct kb_answer c =
        engine_ask("bkh", "which antibiotic should I give for a chest infection");

    cr_expect(a.answered, "intent %s", kb_intent_name(a.intent));
    cr_expect(a.nrefs >= 1 && a.refs[0].kind == KB_DOC_GOAL && a.refs[0].item == 1,
              "the priority on infections");
    cr_expect(c.intent == KB_INTENT_CLINICAL, "intent %s", kb_intent_name(c.intent));
}
