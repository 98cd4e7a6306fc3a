/*
 * test_kb_answer_cover.c - a decline says why: a thing the strategy never
 * covers ("where do I park") against a fact about its own subject the page
 * does not state.  Fictional KB fxw of tests/data/kinds (Wexley Health,
 * "Time for Change": values Curious and Kindness, one goal, a vision, passages
 * on the strategy's refresh, twelve community sites and the plan's lead).
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_set.h"

#include "tests/kb/engine_fixture.h"

static void
setup(void)
{
    engine_open_dir("tests/data/kinds");
}

TestSuite(kb_cover, .init = setup, .fini = engine_close);

/* Written for this test, in none of the question sets. */
Test(kb_cover, things_the_strategy_never_touches_are_not_covered)
{
    static const char *const off[] = {
        "where can staff park their cars at the weekend",
        "when does the canteen stop serving lunch",
        "how do I reset my laptop password",
        "when is payday this month",
        "who do I ask to swap my night shifts on the rota",
        "is the gym on the ground floor open to visitors",
    };

    for (size_t i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
        struct kb_answer a;
        char *text = engine_reply("fxw", off[i], &a);

        cr_expect(!a.answered, "%s", off[i]);
        cr_expect_eq(a.intent, KB_INTENT_OUT_OF_SCOPE, "%s: %s", off[i],
                     kb_intent_name(a.intent));
        cr_expect(a.uncovered, "%s", off[i]);
        cr_expect(strstr(text, "doesn't cover that") != NULL, "%s: %s", off[i], text);
        cr_expect(strstr(text, "I can tell you about") != NULL, "%s: %s", off[i], text);
        free(text);
    }
}

/* Look-alikes about the strategy's subject: answered, or "doesn't say". */
Test(kb_cover, questions_about_the_strategy_keep_doesnt_say)
{
    static const char *const near[] = {
        "does the strategy say anything about car parking",
        "how much funding does goal 1 get",
        "what is the budget for our clinics",
        "what does kindness mean for the canteen staff",
        "who signed off the plan",
        "how many patients do our community sites see",
        "how many beds does the trust's main hospital have",
        "what is our annual turnover",
        "who is the matron on the new ward",
        "Wexley's canteen, is it open on sundays",
    };

    for (size_t i = 0; i < sizeof(near) / sizeof(near[0]); i++) {
        struct kb_answer a;
        char *text = engine_reply("fxw", near[i], &a);

        cr_expect(!a.uncovered, "%s: %s", near[i], text);
        cr_expect(strstr(text, "doesn't cover that") == NULL, "%s: %s", near[i], text);
        free(text);
    }
}

/* Clinical questions keep the clinical decline, whatever else they name. */
Test(kb_cover, clinical_questions_keep_the_clinical_decline)
{
    static const char *const clinical[] = {
        "can I take ibuprofen with my lithium",
        "what should I do about a patient's chest pain in the car park",
    };

    for (size_t i = 0; i < sizeof(clinical) / sizeof(clinical[0]); i++) {
        struct kb_answer a = engine_ask("fxw", clinical[i]);

        cr_expect_eq(a.intent, KB_INTENT_CLINICAL, "%s", clinical[i]);
        cr_expect(!a.uncovered, "%s", clinical[i]);
    }
}

/* Answered questions stay answered. */
Test(kb_cover, answered_questions_stay_answered)
{
    static const char *const ok[] = {
        "when will the updated strategy be published",
        "how many community sites do we have",
        "what are our values",
    };

    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct kb_answer a = engine_ask("fxw", ok[i]);

        cr_expect(a.answered, "%s: %s", ok[i], kb_intent_name(a.intent));
        cr_expect(!a.uncovered, "%s", ok[i]);
    }
}
