/*
 * test_kb_answer_opinion.c - questions asking the bot for its own opinion or
 * judgement ("do you think our values are any good?", "which matters most in
 * your opinion?"): the strategy states no opinion of itself, so they are
 * declined; a polite "do you think you could ..." is no such question.
 * Fictional KB: tests/data/which bkh (Brackenfold Health NHS Trust).
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

TestSuite(kb_opinion, .init = setup, .fini = engine_close);

Test(kb_opinion, the_bots_own_judgement_is_declined)
{
    static const char *const opinions[] = {
        "honestly, do you think our values are any good?",
        "which of our values matters most in your opinion",
        "do you reckon 2029 is realistic for the ambition",
        "which priority is the most important one in your view?",
        "what's your take on our priorities",
        "you think the priorities are achievable?",
    };
    static const char *const asked[] = {
        "do you think you could list our priorities",
        "do you know our values?",
        "what do we think of as our values",
        "is warmth one of our values, do you know?",
    };

    for (size_t i = 0; i < sizeof(opinions) / sizeof(opinions[0]); i++) {
        struct kb_answer a = engine_ask("bkh", opinions[i]);

        cr_expect(!a.answered, "%s: intent %s", opinions[i], kb_intent_name(a.intent));
    }
    for (size_t i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
        struct kb_answer a = engine_ask("bkh", asked[i]);

        cr_expect(a.answered, "%s: intent %s", asked[i], kb_intent_name(a.intent));
    }
}
