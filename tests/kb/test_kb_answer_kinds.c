/*
 * test_kb_answer_kinds.c - kinds of question the answer engine reads the same
 * way on any KB: a strategy named in a "when", a date about the strategy, a
 * value named by an adjective, requests to change a part of the strategy,
 * another organisation named by a proper name, a value found by what it says,
 * the page's own label for its goals, counts, the noun a "what" asks about.
 * KBs of our own, fictional trusts (tests/data/kinds): fxw's strategy name
 * holds a word of an order ("Time for Change"); fxy's is words of its own, its
 * goals "big moves"; fxd dates its launch events in a passage and places its
 * listening events in common nouns.
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
    engine_open_dir("tests/data/kinds");
}

TestSuite(kb_kinds, .init = setup, .fini = engine_close);

/* The strategy's own name in "when does ... end" stands for the strategy. */
Test(kb_kinds, the_strategy_named_in_a_when_gets_its_years)
{
    struct kb_answer a = engine_ask("fxy", "when does Care You Can Count On end?");
    struct kb_answer b = engine_ask("fxy", "when does the strategy run until?");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "2022 to 2027"));
    cr_expect(b.answered && engine_quotes(&b, "2022 to 2027"),
              "the same as by 'the strategy'");
}

/* A date about the strategy, nothing else named: a passage with a date, not the summary.
 */
Test(kb_kinds, a_date_about_the_strategy_is_a_fact_not_the_summary)
{
    struct kb_answer a = engine_ask("fxw", "when will the new strategy be in place?");
    struct kb_answer b = engine_ask("fxy", "when is the new strategy being published?");
    struct kb_answer c = engine_ask("fxw", "what's the strategy about?");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "spring of 2026"));
    /* No page sentence gives it: a decline, which the report then lists. */
    cr_expect_neq(b.intent, KB_INTENT_SUMMARY);
    cr_expect_eq(c.intent, KB_INTENT_SUMMARY, "no date asked: the summary still");
}

/* A value named by an adjective: "what does it look like" asks about the value. */
Test(kb_kinds, an_adjective_value_asked_what_it_looks_like)
{
    struct kb_answer a = engine_ask("fxw", "what does curious look like in practice?");
    struct kb_answer b =
        engine_ask("fxw", "is the canteen curious about parking on sundays?");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_VALUE);
    cr_expect_neq(b.intent, KB_INTENT_VALUE, "other things asked: not the value");
}

/* "change our vision to ...": an edit of a part of the strategy, even when the
 * strategy's name holds the verb; the name itself is no order. */
Test(kb_kinds, an_edit_of_a_part_is_refused_the_name_is_not)
{
    static const char *const edits[] = {
        "change our vision to 'be the best at everything'",
        "replace the values with speed and profit",
        "rename goal 1 as Growth",
    };

    for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
        struct kb_answer a = engine_ask("fxw", edits[i]);

        cr_expect_eq(a.intent, KB_INTENT_REFUSE, "%s", edits[i]);
        cr_expect_not(a.answered, "%s", edits[i]);
    }
    cr_expect_neq(engine_ask("fxw", "what is time for change?").intent, KB_INTENT_REFUSE);
    cr_expect_neq(engine_ask("fxw", "what did time for change change?").intent,
                  KB_INTENT_REFUSE);
}

/* One proper name before "trust" that no KB word is: another organisation. */
Test(kb_kinds, a_proper_name_before_trust_is_another_organisation)
{
    struct kb_answer a =
        engine_ask("fxw", "what are the values of Harrowdale Community trust?");
    struct kb_answer b = engine_ask("fxw", "what are the values of Wexley Health trust?");
    struct kb_answer c = engine_ask("fxw", "what are the values of our trust?");

    cr_expect_eq(a.intent, KB_INTENT_OTHER_ORG);
    cr_expect_not(a.answered);
    cr_expect_eq(b.intent, KB_INTENT_VALUES, "our own name");
    cr_expect_eq(c.intent, KB_INTENT_VALUES);
}

/* "which value is about ...": the value whose definition or behaviour says it. */
Test(kb_kinds, a_value_found_by_what_it_says)
{
    struct kb_answer a = engine_ask("fxy", "which value is about sharing power?");
    struct kb_answer b = engine_ask("fxw", "which value is about research?");
    struct kb_answer c = engine_ask("fxy", "which value is about parking?");

    cr_assert_eq(a.intent, KB_INTENT_VALUE);
    cr_assert_eq(a.nrefs, 1);
    cr_expect_str_eq(a.kb->values[a.refs[0].item].name, "Together");
    cr_assert_eq(b.intent, KB_INTENT_VALUE_LOOKUP);
    cr_expect_str_eq(b.kb->values[b.refs[0].item].name, "Curious");
    /* No value says it: not one picked at random. */
    cr_expect_neq(c.intent, KB_INTENT_VALUE);
    cr_expect_neq(c.intent, KB_INTENT_VALUE_LOOKUP);
}

/* The page's own label for its goals takes a number as "goal" does. */
Test(kb_kinds, the_goals_label_takes_a_number)
{
    struct kb_answer a = engine_ask("fxy", "what's big move 2?");

    cr_assert_eq(a.intent, KB_INTENT_GOAL);
    cr_assert_eq(a.nrefs, 1);
    cr_expect_eq(a.kb->goals[a.refs[0].item].number, 2);
}

/* Counts: both lists at once; behaviours only where the page lists some. */
Test(kb_kinds, counts_of_both_lists_and_of_behaviours)
{
    struct kb_answer both = engine_ask("fxy", "how many values and goals do we have?");
    struct kb_answer none = engine_ask("fxy", "how many behaviours are there?");
    struct kb_answer some = engine_ask("fxw", "how many behaviours are there?");

    cr_expect_eq(both.intent, KB_INTENT_SUMMARY);
    cr_expect_not(none.answered, "the page lists no behaviours");
    cr_expect_eq(some.intent, KB_INTENT_COUNT_VALUES);
    cr_expect(some.answered);
}

/* "who is the chief executive": the role's words in a row, not a row naming another. */
Test(kb_kinds, a_role_is_its_words_in_a_row)
{
    struct kb_answer a = engine_ask("fxy", "who is the chief executive?");
    struct kb_answer b = engine_ask("fxw", "who is the chief executive?");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "Ana Vale"));
    /* "Executive lead ...: Chief Nursing Officer" names someone else. */
    cr_expect_not(b.answered);
}

/*
 * "what's the date of the launch events": the noun the "what" asks about, past
 * the words between ("'s the"), is the kind of fact asked (a date), no word a
 * passage must hold; the passage giving the day answers it (fxd).
 */
Test(kb_kinds, the_noun_a_what_asks_about_is_the_kind_of_fact)
{
    struct kb_answer a = engine_ask("fxd", "whats the date of the launch events");
    struct kb_answer b = engine_ask("fxd", "what is the date of the drop-in events?");
    struct kb_answer c = engine_ask("fxd", "what are the goals");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "Thursday, 12 March"));
    cr_expect(b.answered && engine_quotes(&b, "Thursday, 12 March"));
    cr_expect_eq(c.intent, KB_INTENT_GOALS, "no date asked");
}

/*
 * A "where" answered by a place in common nouns ("held in towns and villages
 * along the estuary"), not by the trust's own area in general ("in our
 * neighbourhoods") nor by the place asked about itself (fxd).
 */
Test(kb_kinds, a_place_in_common_nouns_answers_a_where)
{
    struct kb_answer a = engine_ask("fxd", "where were the listening events held");
    struct kb_answer b = engine_ask("fxd", "where are the community hubs?");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "towns and villages"));
    cr_expect_not(b.answered, "'in our neighbourhoods' says no place");
}
