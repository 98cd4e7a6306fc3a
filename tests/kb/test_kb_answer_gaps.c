/*
 * test_kb_answer_gaps.c - kinds of staff question the engine read badly
 * (issue 14): question words mistyped, who holds a post, a share asked for,
 * another organisation named by a proper name alone, a value whose name is
 * all common words, a reason asked of a named goal, a theme asked about in
 * words the KB does not use.  Two fictional trusts of our own
 * (tests/data/kinds, built by `kb build` from pages written for these tests):
 * fxg mentions its chief executive's sessions but names no one, gives a share
 * and a fraction; fxh names its chief executive and gives no share; fxp is a
 * page of plans alone (no values, goals or statements).
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
    engine_open_dir("tests/data/kinds");
}

TestSuite(kb_gaps, .init = setup, .fini = engine_close);

/*
 * "hiw many", "whem": a question word one letter off (beyond the chat
 * shorthand kb_text knows: "hw", "wen"), where a question word stands.
 */
Test(kb_gaps, a_mistyped_question_word_is_read_as_one)
{
    struct kb_answer a = engine_ask("fxg", "hiw many community sites do we have?");
    struct kb_answer b = engine_ask("fxg", "whem will agency spending be cut?");
    struct kb_answer c = engine_ask("fxg", "hiw many values do we have?");
    struct kb_answer d = engine_ask("fxg", "hwo many values do we have?");
    struct kb_answer e = engine_ask("fxg", "thanks! hiw many values do we have?");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "14 community sites"));
    cr_expect(b.answered && engine_quotes(&b, "by 2027"));
    cr_expect_eq(c.intent, KB_INTENT_COUNT_VALUES, "'hiw many': a count");
    /* "hwo" is "how" or "who": neither is guessed. */
    cr_expect_neq(d.intent, KB_INTENT_COUNT_VALUES);
    cr_expect_eq(e.intent, KB_INTENT_COUNT_VALUES, "the clause that asks, after chatter");
}

/* A post named but nobody in it: no answer; a name beside the post: the answer. */
Test(kb_gaps, who_holds_a_post_needs_a_name_besides_the_post)
{
    static const char *const qs[] = {"who is our chief executive?",
                                     "what's the name of our chief executive?"};

    for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
        struct kb_answer no = engine_ask("fxg", qs[i]);
        struct kb_answer yes = engine_ask("fxh", qs[i]);

        cr_expect_not(no.answered, "%s: fxg names nobody", qs[i]);
        cr_expect(yes.answered && engine_quotes(&yes, "Ruth Amberley"), "%s", qs[i]);
    }
}

/* "what percentage": a per cent or a fraction answers it, a count does not. */
Test(kb_gaps, a_share_is_answered_by_a_per_cent_or_a_fraction)
{
    struct kb_answer a = engine_ask(
        "fxg", "what percentage of colleagues would recommend us as a place to work?");
    struct kb_answer b = engine_ask("fxg", "by how much will we cut agency spending?");
    struct kb_answer c = engine_ask("fxh", "what percentage of staff were off sick?");
    struct kb_answer d = engine_ask("fxh", "how much do we spend on agency staff?");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "68%"));
    cr_assert(b.answered, "'a quarter' is an amount");
    cr_expect(engine_quotes(&b, "by a quarter"));
    cr_expect_not(c.answered, "fxh gives no share");
    cr_expect_not(d.answered, "'every quarter' is a time, no amount");
}

/* "NHS X", "what does X value": a proper name no KB word is; our own name is ours. */
Test(kb_gaps, a_proper_name_alone_is_another_organisation)
{
    struct kb_answer a = engine_ask("fxg", "what does NHS Harlowby value?");
    struct kb_answer b = engine_ask("fxg", "what does Harlowby value?");
    struct kb_answer c = engine_ask("fxg", "what does Glenmarrow value?");

    cr_expect_eq(a.intent, KB_INTENT_OTHER_ORG);
    cr_expect_not(a.answered);
    cr_expect_eq(b.intent, KB_INTENT_OTHER_ORG);
    cr_expect_eq(c.intent, KB_INTENT_VALUES, "our own name");
    cr_expect(c.answered);
}

/* "Doing the right thing": a value named only by common words, said whole. */
Test(kb_gaps, a_value_named_by_common_words)
{
    struct kb_answer a = engine_ask("fxg", "what does doing the right thing mean?");
    struct kb_answer b = engine_ask("fxg", "what's the right thing to do about parking?");

    cr_assert_eq(a.intent, KB_INTENT_VALUE);
    cr_assert_eq(a.nrefs, 1);
    cr_expect_str_eq(a.kb->values[a.refs[0].item].name, "Doing the right thing");
    cr_expect(a.answered);
    cr_expect_not(b.answered, "not said whole: not the value");
}

/* "why" of a goal named outright: the sentence giving the reason, not the goal again. */
Test(kb_gaps, why_a_named_goal_is_answered_by_its_reason)
{
    struct kb_answer a = engine_ask("fxg", "why do we want to be a great place to work?");
    struct kb_answer b = engine_ask("fxg", "what is a great place to work?");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "because staff who feel valued"));
    cr_expect_eq(b.intent, KB_INTENT_GOAL, "no reason asked: the goal");
}

/* "what do we say about X": the value that means X, when the KB has no word of it. */
Test(kb_gaps, a_theme_in_other_words_finds_the_value_that_means_it)
{
    struct kb_answer a = engine_ask("fxh", "what do we say about collaboration?");
    struct kb_answer b = engine_ask("fxg", "what do we say about compassion?");
    struct kb_answer c = engine_ask("fxg", "what do we say about parking?");
    struct kb_answer d = engine_ask("fxh", "what do we say about kindness?");

    cr_assert(a.answered);
    cr_expect(a.related, "the closest in meaning, not named");
    cr_assert_eq(a.intent, KB_INTENT_VALUE);
    cr_expect_str_eq(a.kb->values[a.refs[0].item].name, "Teamwork");
    cr_assert(b.answered);
    cr_expect_str_eq(b.kb->values[b.refs[0].item].name, "Kindness");
    cr_expect_not(c.answered, "nothing means parking");
    cr_expect_not(d.answered, "no value of fxh means kindness");
}

/* Answers @q for @org; returns the plain-text reply, free with free(). */
static char *
reply_to(const char *org, const char *q, struct kb_answer *a)
{
    return engine_reply(org, q, a);
}

/*
 * The help and a decline offer only what the KB holds: fxp, a page of
 * plans alone (no values, goals or statements), is offered no question about
 * values or goals; fxg all three.
 */
Test(kb_gaps, help_and_declines_offer_only_what_the_kb_holds)
{
    struct kb_answer a, b, c;
    const char *sugg[4];
    char *help = reply_to("fxp", "help", &a);
    char *full = reply_to("fxg", "help", &c);
    char *no = reply_to("fxp", "what's the canteen menu?", &b);
    size_t n = compose_suggestions(&b, sugg, 4);

    cr_expect_null(strstr(help, "value"), "%s", help);
    cr_expect_null(strstr(help, "goals"), "%s", help);
    cr_expect_not_null(strstr(full, "which value covers being kind"), "%s", full);
    cr_expect_not_null(strstr(full, "how many goals"), "%s", full);
    cr_expect_not(b.answered);
    for (size_t i = 0; i < n; i++) {
        cr_expect_null(strstr(sugg[i], "values"), "%s", sugg[i]);
        cr_expect_null(strstr(sugg[i], "goals"), "%s", sugg[i]);
    }
    cr_expect_gt(n, 0, "the summary is still offered");
    cr_expect_eq(compose_suggestions(&(struct kb_answer){.kb = c.kb}, sugg, 4), 3);
    free(help);
    free(full);
    free(no);
}

/* Facts on a KB of passages alone, as on any: a name, a date, a number. */
Test(kb_gaps, facts_on_a_kb_of_passages_alone)
{
    struct kb_answer a = engine_ask("fxp", "who is our chief executive?");
    struct kb_answer b = engine_ask("fxp", "when will the new hub open?");
    struct kb_answer c = engine_ask("fxp", "how many health visitors are we recruiting?");
    struct kb_answer d = engine_ask("fxp", "who is our chair?");

    cr_expect(a.answered && engine_quotes(&a, "Owen Pask"));
    cr_expect(b.answered && engine_quotes(&b, "October 2026"));
    cr_expect(c.answered && engine_quotes(&c, "40 more health visitors"));
    cr_expect_not(d.answered, "the page names no chair");
}

/* Does the answer quote any passage? */
static bool
quotes_any(const struct kb_answer *a)
{
    for (size_t k = 0; k < a->nrefs; k++) {
        if (a->refs[k].kind == KB_DOC_PASSAGE)
            return true;
    }
    return false;
}

/*
 * "are the enablers goals?": no, and the page says what they are; the
 * sentence saying so is quoted, with the one it points back to.
 */
Test(kb_gaps, a_yes_no_on_the_goals_quotes_what_the_page_settles)
{
    struct kb_answer a = engine_ask("fxg", "are the enablers goals?");
    struct kb_answer b = engine_ask("fxh", "are the enabling plans separate priorities?");
    struct kb_answer c = engine_ask("fxg", "is parking one of our goals?");

    cr_assert_eq(a.intent, KB_INTENT_NO_SUCH_GOAL);
    cr_expect(a.answered);
    cr_expect(engine_quotes(&a, "not goals in themselves"));
    cr_expect(engine_quotes(&a, "Digital, estates and finance"));
    cr_assert_eq(b.intent, KB_INTENT_NO_SUCH_GOAL);
    cr_expect(engine_quotes(&b, "not separate priorities"));
    cr_expect(engine_quotes(&b, "two enabling plans"));
    cr_assert_eq(c.intent, KB_INTENT_NO_SUCH_GOAL);
    cr_expect_not(quotes_any(&c), "the page says nothing of parking");
}

/*
 * "the new UTC": an acronym the KB never uses stands for its words whose
 * initials spell it ("urgent treatment centre"); not when written in lower
 * case, nor where no words of the KB spell it.
 */
Test(kb_gaps, an_acronym_stands_for_the_words_it_spells)
{
    struct kb_answer a = engine_ask("fxg", "when does the new UTC open?");
    struct kb_answer b = engine_ask("fxg", "what's our CQC rating?");
    struct kb_answer c = engine_ask("fxh", "when does the new UTC open?");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "urgent treatment centre in Kelby"));
    cr_expect_not(b.answered, "no words of fxg spell CQC");
    cr_expect_not(c.answered, "nor UTC in fxh");
}

/* "when is it due?": a word restating the "when" is no word the page must hold. */
Test(kb_gaps, a_timing_word_in_a_when_is_no_fact_to_find)
{
    struct kb_answer a =
        engine_ask("fxg", "when is the new urgent treatment centre due?");
    struct kb_answer b =
        engine_ask("fxh", "when is the new urgent treatment centre due?");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "in 2027"));
    cr_expect_not(b.answered, "fxh has no such centre");
}

/*
 * A fact about values a page does not list ("we will agree four core values
 * by June 2026"): the passage answers; asking for the list is still declined.
 */
Test(kb_gaps, a_fact_about_unlisted_values_is_answered_from_the_page)
{
    struct kb_answer a = engine_ask("fxp", "how many core values will we have?");
    struct kb_answer b = engine_ask("fxp", "when will the values be agreed?");
    struct kb_answer c = engine_ask("fxp", "what are our values?");
    struct kb_answer d = engine_ask("fxp", "how many priorities do we have?");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "four core values"));
    cr_assert(b.answered);
    cr_expect(engine_quotes(&b, "June 2026"));
    cr_expect_eq(c.intent, KB_INTENT_NO_VALUES, "the page lists none");
    cr_expect_not(c.answered);
    cr_expect_eq(d.intent, KB_INTENT_NO_GOALS, "nor counts any priorities");
}
