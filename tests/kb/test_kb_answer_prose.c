/*
 * test_kb_answer_prose.c - what a trust's page says in prose that the lists
 * `kb build` found do not (bot/kb/kb_answer_prose.c), on KBs built by `kb
 * build` from fictional pages in the shape of real ones
 * (tests/data/kinds/prose_pages, built into tests/data/kinds/prose): prk
 * states four ambitions and lists two, states six behaviours a value and
 * lists none, and leads its North Star in with "is:"; prs gives its values as
 * statements with no names under "Our values"; prl has only prose there, and
 * more pages the tests name.  Names and labels: test_kb_answer_naming.c.
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
    engine_open_dir("tests/data/kinds/prose");
}

TestSuite(kb_prose, .init = setup, .fini = engine_close);

/* The plain-text reply to @q for @org; free with free(). */
static char *
reply_to(const char *org, const char *q)
{
    return engine_reply(org, q, NULL);
}

/* "how many strategic ambitions": the page says four and lists two; say four. */
Test(kb_prose, a_count_the_page_states_beats_the_items_found)
{
    struct kb_answer a = engine_ask("prk", "how many strategic ambitions are there");
    struct kb_answer b = engine_ask("prk", "how many values do we have");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "sets out four strategic ambitions"),
              "the lead-in that states the number first");
    cr_expect(engine_quotes(&a, "employer people choose"), "with the list it leads in");
    cr_expect_eq(b.intent, KB_INTENT_COUNT_VALUES, "a count the page agrees with stays");
}

/* "how many behaviours go with each value": six, which only a sentence says. */
Test(kb_prose, a_count_of_behaviours_none_listed_is_the_page_sentence)
{
    struct kb_answer a = engine_ask("prk", "how many behaviours go with each value");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "six behaviours"));
}

/* "what is our north star": the lead-in ending "is:" and what it leads in. */
Test(kb_prose, a_lead_in_is_quoted_with_what_it_leads_in)
{
    struct kb_answer a = engine_ask("prk", "what is our north star");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "North Star"));
    cr_expect(engine_quotes(&a, "right clinician first time"));
}

/* Values with no names under "Our values": quoted, not "we list no values". */
Test(kb_prose, unnamed_items_under_a_values_heading_are_the_values)
{
    struct kb_answer a = engine_ask("prs", "what are our values");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect_eq(a.nrefs, 5);
    cr_expect(engine_quotes(&a, "Building trust"));
    cr_expect(engine_quotes(&a, "Everyone is heard"));
}

/* Prose under "Our values" (one paragraph, no list) names no values: decline. */
Test(kb_prose, prose_under_a_values_heading_is_no_list)
{
    struct kb_answer a = engine_ask("prl", "what are our values");

    cr_expect(!a.answered);
    cr_expect_eq(a.intent, KB_INTENT_NO_VALUES);
}

/*
 * "what are the objectives for reducing loneliness", "what will our values
 * shape": the list asked about with words its items do not hold is the
 * passage that says them (and the list it leads in), not the list.
 */
Test(kb_prose, a_list_qualified_by_words_its_items_lack_is_a_passage)
{
    struct kb_answer a =
        engine_ask("prl", "what are the objectives for reducing loneliness");
    struct kb_answer b = engine_ask("prk", "what will our values shape");
    struct kb_answer c = engine_ask("prl", "what are our priorities");
    struct kb_answer d = engine_ask("prk", "which value is about asking why");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "reducing loneliness"));
    cr_expect(engine_quotes(&a, "housebound patient"), "with the list it leads in");
    cr_expect(b.answered);
    cr_expect(engine_quotes(&b, "recruit, appraise"));
    cr_expect_eq(c.intent, KB_INTENT_GOALS, "the list asked for plainly is the list");
    cr_expect_neq(d.intent, KB_INTENT_FACT, "words a value holds name the value");
}

/*
 * "is building trust one of our behaviours?" with no names: the item that is
 * those words, not the longer one that begins with them.
 */
Test(kb_prose, an_unnamed_item_asked_of_by_its_words_is_quoted)
{
    struct kb_answer a = engine_ask("prs", "is building trust one of our behaviours?");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_assert_eq(a.nrefs, 1);
    cr_expect_str_eq(a.kb->passages[a.refs[0].item].text, "Building trust");
}

/*
 * "what are the six behaviours under candour" where the page says each value
 * has six and lists none: its description is no answer; declined.
 */
Test(kb_prose, behaviours_the_page_counts_but_does_not_list_are_declined)
{
    struct kb_answer a = engine_ask("prk", "what are the six behaviours under candour");
    struct kb_answer b = engine_ask("prk", "what does candour mean");

    cr_expect(!a.answered);
    cr_expect_eq(a.intent, KB_INTENT_VALUE);
    cr_expect(b.answered, "what the value means is its description");
}

/*
 * "what are the objectives for staff turnover", "the behaviours under acting
 * with integrity": a list asked of a thing the page never mentions is no
 * list to give; declined (with ours shown), not answered with the whole list.
 */
Test(kb_prose, a_list_asked_of_a_thing_the_page_lacks_is_declined)
{
    struct kb_answer a = engine_ask("prl", "what are the objectives for staff turnover");
    struct kb_answer b =
        engine_ask("prk", "what are the behaviours under acting with integrity");

    cr_expect(!a.answered);
    cr_expect_eq(a.intent, KB_INTENT_NO_SUCH_GOAL);
    cr_expect(!b.answered);
    cr_expect_eq(b.intent, KB_INTENT_NOT_A_VALUE);
}

/*
 * "what years does the plan cover" where the years are in the heading ("Our
 * plan 2026-2029") and the sentence under it has none: the reply shows the
 * heading.
 */
Test(kb_prose, years_in_a_heading_are_shown_with_the_sentence_under_it)
{
    struct kb_answer a = engine_ask("prl", "what years does the plan cover");
    struct kb_answer b = engine_ask("prl", "what is our vision");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_assert_eq(a.nrefs, 1);
    cr_expect(a.heading);
    cr_expect_str_eq(a.kb->passages[a.refs[0].item].section, "Our plan 2026-2029");
    cr_expect(!b.heading);
}

/* The replies say what the answers mean: the heading with its years; no behaviours. */
Test(kb_prose, replies_show_the_heading_and_say_no_behaviours_are_listed)
{
    char *years = reply_to("prl", "what years does the plan cover");
    char *none = reply_to("prk", "what are the six behaviours under candour");

    cr_expect(strstr(years, "Our plan 2026-2029") != NULL, "%s", years);
    cr_expect(strstr(none, "lists no behaviours under it") != NULL, "%s", none);
    free(years);
    free(none);
}

/* "do we focus on prevention?": the sentence that says we do, not the list. */
Test(kb_prose, a_yes_no_of_what_we_do_is_the_sentence_that_says_it)
{
    struct kb_answer a = engine_ask("prl", "do we focus on prevention?");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "towards prevention"));
}

/* "what does together involve" of a value the page only names: declined. */
Test(kb_prose, what_a_bare_value_involves_is_not_stated)
{
    struct kb_answer a = engine_ask("prm", "what does together involve");

    cr_expect(!a.answered);
    cr_expect_eq(a.intent, KB_INTENT_VALUE);
}

/*
 * Values named only in a sentence `kb build` does not take ("The values are
 * based around three key points: Kindness, Courage and Curiosity."): that
 * sentence, for the list and for how many; not for another question.
 */
Test(kb_prose, values_named_inline_after_a_colon_are_that_sentence)
{
    struct kb_answer a = engine_ask("prw", "what are our values");
    struct kb_answer b = engine_ask("prw", "how many values do we have");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "Kindness, Courage and Curiosity"));
    cr_assert(b.answered);
    cr_expect(engine_quotes(&b, "three key points"));
}

/*
 * "what are the three we statements" where the page leads them in and gives
 * none: the lead-in alone is no answer; "how" the lead-in tells is.
 */
Test(kb_prose, a_lead_in_with_no_list_after_it_does_not_answer_what_they_are)
{
    struct kb_answer a = engine_ask("prw", "what are the three we statements");

    cr_expect(!a.answered);
}

/* "how will we achieve our vision": the vision, then "We will do this by:" and its list.
 */
Test(kb_prose, how_a_statement_is_achieved_is_the_lead_in_after_it)
{
    struct kb_answer a = engine_ask("prl", "how will we achieve our vision");
    struct kb_answer b = engine_ask("prl", "what is our vision");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "We will do this by:"));
    cr_expect(engine_quotes(&a, "Shifting our work towards prevention"));
    cr_expect(!engine_quotes(&b, "We will do this by:"), "what it is, not how");
}
