/*
 * test_kb_answer_list.c - lists a page names besides its goals and values
 * (kb_answer_list.c): a heading over them, a passage counting them or
 * leading them in, or only a mention, which is declined with what the page
 * says of it.  One KB of our own (tests/data/lists), built by `kb build`
 * from a fictional page: Wrenfield's pillars are its goals; its four
 * enablers, corporate objectives, three enabling plans and stretch goals
 * are other lists.
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
    engine_open_dir("tests/data/lists");
}

TestSuite(kb_lists, .init = setup, .fini = engine_close);

/* The reply to @q as plain text; free with free(). */
static char *
reply_text(const char *q, struct kb_answer *a)
{
    return engine_reply("fxl", q, a);
}

/* "Our four enablers": the count is in the heading, which the reply shows. */
Test(kb_lists, a_count_in_a_heading_is_quoted_with_the_heading)
{
    struct kb_answer a;
    char *text = reply_text("how many enablers are there", &a);

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "Data, buildings, money and learning"));
    cr_expect(strstr(text, "Our four enablers") != NULL, "%s", text);
    free(text);
}

/* A list under its own heading, asked with a modifier the heading lacks. */
Test(kb_lists, the_items_under_a_heading_not_the_goals)
{
    struct kb_answer a = engine_ask("fxl", "what are this year's corporate objectives?");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT, "not the pillars");
    cr_expect(engine_quotes(&a, "CO1:"));
    cr_expect(engine_quotes(&a, "CO3:"));
}

/*
 * A count under the list's heading ("the three objectives below"), not a
 * number of something else ("at least one corporate objective").
 */
Test(kb_lists, a_count_under_the_heading_answers_how_many)
{
    struct kb_answer a = engine_ask("fxl", "how many corporate objectives are there");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT, "not the pillars' count");
    cr_expect(engine_quotes(&a, "the three objectives below"));
    cr_expect_not(engine_quotes(&a, "at least one"));
}

/*
 * "three enabling plans: our Workforce Plan, ...": no heading names them; the
 * passage leading them in answers what they are and how many.
 */
Test(kb_lists, a_passage_leading_in_the_phrase_answers_the_list)
{
    struct kb_answer a = engine_ask("fxl", "what are the enabling plans");
    struct kb_answer b = engine_ask("fxl", "how many enabling plans do we have");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "our Workforce Plan, our Estates Plan"));
    cr_expect(b.answered && engine_quotes(&b, "three enabling plans"));
}

/*
 * "stretch goals" the page mentions and never lists: not the pillars' count
 * (a confident wrong answer), a decline quoting the mention.
 */
Test(kb_lists, a_list_only_mentioned_is_declined_with_the_mention)
{
    struct kb_answer a;
    char *text = reply_text("how many stretch goals are there in total?", &a);
    struct kb_answer b = engine_ask("fxl", "what are the stretch goals under people");

    cr_expect_not(a.answered);
    cr_expect_neq(a.intent, KB_INTENT_COUNT_GOALS);
    cr_expect(strstr(text, "a set of stretch goals") != NULL, "%s", text);
    cr_expect_not(b.answered);
    cr_expect_neq(b.intent, KB_INTENT_GOAL);
    free(text);
}

/* "what are the stretch goals for?": what the page says of them, not the pillars. */
Test(kb_lists, what_a_mentioned_list_is_for_is_the_mention)
{
    struct kb_answer a = engine_ask("fxl", "what are the stretch goals for?");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "a set of stretch goals"));
}

/* The goals by their own name, and a question about one thing, are left alone. */
Test(kb_lists, the_goals_and_single_things_are_not_other_lists)
{
    struct kb_answer a = engine_ask("fxl", "how many pillars are there");
    struct kb_answer b = engine_ask("fxl", "what are our values");

    cr_expect_eq(a.intent, KB_INTENT_COUNT_GOALS);
    cr_expect(a.answered);
    cr_expect_eq(b.intent, KB_INTENT_VALUES);
}
