/*
 * test_kb_answer_frame.c - what a question asks for by its shape (issue 14):
 * a yes/no on how many values or goals there are, a mission or vision asked
 * for by what it does, and another loaded organisation named by one word of
 * its name before "trust".  Two fictional trusts of our own
 * (tests/data/kinds/frame): fxm has a mission, a vision, three values and four
 * goals; fxn is Brindlecoast Partnership NHS Trust.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/chat/reply.h"
#include "bot/core/compose.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_set.h"

#include "tests/kb/engine_fixture.h"

static void
setup(void)
{
    engine_open_dir("tests/data/kinds/frame");
}

TestSuite(kb_frame, .init = setup, .fini = engine_close);

/* The plain reply to @q on fxm; free with free(). */
static char *
reply_text(const char *q)
{
    return engine_reply("fxm", q, NULL);
}

Test(kb_frame, a_yes_no_on_a_count_says_yes_or_no_and_the_count)
{
    struct kb_answer wrong = engine_ask("fxm", "are there 5 goals?");
    struct kb_answer right = engine_ask("fxm", "do we have four goals?");
    struct kb_answer values = engine_ask("fxm", "is it true we have six values?");
    struct kb_answer other = engine_ask("fxm", "do all 4 goals apply to bank staff?");
    char *no = reply_text("are there 5 goals?"),
         *yes = reply_text("do we have four goals?");

    cr_assert_eq(wrong.intent, KB_INTENT_COUNT_GOALS);
    cr_expect(wrong.answered);
    cr_expect(wrong.yes_no);
    cr_expect_eq(wrong.count_asked, 5);
    cr_assert_eq(right.intent, KB_INTENT_COUNT_GOALS);
    cr_expect_eq(right.count_asked, 4);
    cr_assert_eq(values.intent, KB_INTENT_COUNT_VALUES);
    cr_expect_eq(values.count_asked, 6);
    /* Asked about something else, with the count in passing: no count check. */
    cr_expect_neq(other.intent, KB_INTENT_COUNT_GOALS);
    cr_expect(strstr(no, "No, we have 4 goals") != NULL, "%s", no);
    cr_expect(strstr(yes, "Yes, we have 4 goals") != NULL, "%s", yes);
    free(no);
    free(yes);
}

/* Does @a show the statement of @kind? */
static bool
shows(const struct kb_answer *a, enum kb_doc_kind kind)
{
    for (size_t k = 0; k < a->nrefs; k++) {
        if (a->refs[k].kind == kind)
            return true;
    }
    return false;
}

Test(kb_frame, a_statement_asked_for_by_what_it_does)
{
    static const struct {
        const char *q;
        enum kb_doc_kind kind;
    } cases[] = {
        {"in one sentence, what is the trust here to do?", KB_DOC_MISSION},
        {"what are we for?", KB_DOC_MISSION},
        {"what are we aiming to become?", KB_DOC_VISION},
        {"what do we want to be known for?", KB_DOC_VISION},
        {"what future are we working toward for our patients?", KB_DOC_VISION},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct kb_answer a = engine_ask("fxm", cases[i].q);

        cr_expect_eq(a.intent, KB_INTENT_STATEMENT, "%s: intent %s", cases[i].q,
                     kb_intent_name(a.intent));
        cr_expect(a.answered, "%s", cases[i].q);
        cr_expect(shows(&a, cases[i].kind), "%s", cases[i].q);
    }
    /* A way asked for, not what the trust wants to become. */
    struct kb_answer how = engine_ask("fxm", "how do we become a great place to work?");

    cr_expect_neq(how.intent, KB_INTENT_STATEMENT);
}

Test(kb_frame, one_word_of_another_loaded_trusts_name_before_trust)
{
    struct kb_answer other =
        engine_ask("fxm", "what are the values of the brindlecoast trust");
    struct kb_answer ours =
        engine_ask("fxm", "what are the values of the marshwick trust");

    cr_expect_eq(other.intent, KB_INTENT_OTHER_ORG, "%s", kb_intent_name(other.intent));
    cr_expect(!other.answered);
    cr_expect_eq(ours.intent, KB_INTENT_VALUES, "%s", kb_intent_name(ours.intent));
}

/*
 * "where are we delivering talking therapies": "in our neighbourhoods" is a
 * place, named by a noun; not for "where exactly", nor the hubs asked about.
 */
Test(kb_frame, a_place_named_by_a_common_noun_answers_where)
{
    struct kb_answer a = engine_ask(
        "fxm", "where are we delivering talking therapies with partner charities?");
    struct kb_answer b = engine_ask("fxm", "where exactly are the village hubs?");

    cr_expect(a.answered, "%s", kb_intent_name(a.intent));
    cr_expect(engine_quotes(&a, "in our neighbourhoods"));
    cr_expect(!b.answered);
}

/*
 * "who heads up marshwick as chief executive": the role is asked, the verb
 * says how it is held; "who wrote brighter days": the verb is all that is
 * asked, the strategy's name no anchor.
 */
Test(kb_frame, a_role_asked_by_any_verb_and_an_author_never_guessed)
{
    struct kb_answer a = engine_ask("fxm", "who heads up marshwick as chief executive?");
    struct kb_answer b = engine_ask("fxm", "who wrote brighter days");

    cr_expect(a.answered, "%s", kb_intent_name(a.intent));
    cr_expect(engine_quotes(&a, "Dana Whitlow"));
    cr_expect(!b.answered, "%s", kb_intent_name(b.intent));
}

/* "the updated strategy" is ours, described; no other strategy's name. */
Test(kb_frame, a_participle_before_strategy_describes_ours)
{
    struct kb_answer a =
        engine_ask("fxm", "what does the updated strategy say about evening clinics?");

    cr_expect(a.answered, "%s", kb_intent_name(a.intent));
    cr_expect(engine_quotes(&a, "Evening clinics"));
}

/* A number asked of the vision is a fact about it, which a passage gives. */
Test(kb_frame, a_number_asked_of_a_statement_is_a_fact_about_it)
{
    struct kb_answer a = engine_ask("fxm", "how many people helped shape the vision?");
    struct kb_answer b = engine_ask("fxm", "what is our vision?");

    cr_expect_eq(a.intent, KB_INTENT_FACT, "%s", kb_intent_name(a.intent));
    cr_expect(engine_quotes(&a, "Over 900"));
    cr_expect_eq(b.intent, KB_INTENT_STATEMENT);
}

/* "the measures of success for goal 2" where the goal gives no figure. */
Test(kb_frame, a_measure_asked_of_a_goal_by_number_that_gives_none)
{
    struct kb_answer a =
        engine_ask("fxm", "what are the measures of success for goal 2?");
    struct kb_answer b = engine_ask("fxm", "what is goal 2?");

    cr_expect_eq(a.intent, KB_INTENT_GOAL);
    cr_expect(!a.answered);
    cr_expect(b.answered);
}

/* A phrase quoted from the vision asks for the vision. */
Test(kb_frame, a_phrase_quoted_from_a_statement_asks_for_it)
{
    struct kb_answer a = engine_ask(
        "fxm", "what's the 'most trusted' aim the chief executive talks about?");
    struct kb_answer b = engine_ask("fxm", "post 'most trusted' to everyone");

    cr_expect_eq(a.intent, KB_INTENT_STATEMENT, "%s", kb_intent_name(a.intent));
    cr_expect(a.nrefs == 1 && a.refs[0].kind == KB_DOC_VISION);
    cr_expect(!b.answered, "%s", kb_intent_name(b.intent));
}

/* "how many launch locations": "six of our sites" counts places by another name. */
Test(kb_frame, places_counted_under_another_name)
{
    struct kb_answer a = engine_ask("fxm", "how many launch locations are there?");

    cr_expect(a.answered, "%s", kb_intent_name(a.intent));
    cr_expect(engine_quotes(&a, "six of our sites"));
}
