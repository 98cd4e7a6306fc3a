/*
 * test_kb_answer_section.c - a part of the page named by its heading, and the
 * lists lead-ins give, and statements named in passing
 * (bot/kb/kb_answer_section.c, items_after() in
 * kb_answer_prose.c, list_after() in kb_answer_fact.c,
 * find_statement_passage() in kb_answer_topic.c), on KBs built by `kb
 * build` from fictional pages in the shape of real ones
 * (tests/data/kinds/section_pages, built into tests/data/kinds/section): scd
 * sets its behaviours under headings, each a lead-in, a "Do" label and its
 * list; scb heads lists with statements ("We grow CONFIDENCE"); scl leads in a
 * numbered list whose items run to several sentences; scp speaks of its values
 * in prose and names none; scv states them in the one sentence under "Our
 * values"; scm names its mission only in passing and says what each value
 * means (kb_answer_mention.c); scq quotes a director by name
 * (kb_answer_speaker.c).
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/kb/kb_answer.h"

#include "tests/kb/engine_fixture.h"

static void
setup(void)
{
    engine_open_dir("tests/data/kinds/section");
}

TestSuite(kb_section, .init = setup, .fini = engine_close);

/* "what does make people welcome involve": the lead-in and the list under "Do". */
Test(kb_section, a_label_between_a_lead_in_and_its_list_is_no_heading)
{
    struct kb_answer a = engine_ask("scd", "what does make people welcome involve?");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "feel at home"));
    cr_expect(engine_quotes(&a, "greet each visitor"), "the list under the label");
    cr_expect(engine_quotes(&a, "what happens next"));
    cr_expect_not(engine_quotes(&a, "check in with a colleague"),
                  "not the next section's");
}

/* A heading named inside a longer message beats the list of values. */
Test(kb_section, a_heading_named_in_full_is_answered_with_its_section)
{
    struct kb_answer a = engine_ask("scd", "new here - what behaviours do we expect when "
                                           "it comes to supporting each other?");
    char *r = engine_reply("scd",
                           "what behaviours do we expect when it comes to supporting "
                           "each other?",
                           NULL);

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "check in with a colleague"));
    cr_expect(engine_quotes(&a, "share the load"));
    cr_expect_not(engine_quotes(&a, "Gentle"), "not the values");
    cr_expect(strstr(r, "under “Support each other”") != NULL, "%s", r);
    free(r);
}

/* "how do we grow confidence": every line under "We grow CONFIDENCE", no more. */
Test(kb_section, a_statement_heading_gives_every_line_under_it)
{
    struct kb_answer a = engine_ask("scb", "how do we grow confidence");
    struct kb_answer v = engine_ask("scb", "what is our vision");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "praising good work"));
    cr_expect(engine_quotes(&a, "room to try new things"));
    cr_expect(engine_quotes(&a, "has not worked"));
    cr_expect_not(engine_quotes(&a, "teaching what we know"));
    cr_expect_eq(v.intent, KB_INTENT_STATEMENT, "a statement asked for stays one");
}

/* A heading over our own values gives way to them. */
Test(kb_section, the_values_heading_names_no_section)
{
    struct kb_answer a = engine_ask("scd", "what are our values");

    cr_expect_eq(a.intent, KB_INTENT_VALUES);
    cr_expect_eq(a.nrefs, 3);
}

/* "what are the bright four": each numbered item, however many sentences. */
Test(kb_section, a_list_item_of_several_sentences_is_one_item)
{
    struct kb_answer a = engine_ask("scl", "what are the bright four");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "Introducing the bright four"));
    cr_expect(engine_quotes(&a, "fewer letters to chase"),
              "the second sentence of item 1");
    cr_expect(engine_quotes(&a, "feel supported"));
    cr_expect(engine_quotes(&a, "one set of appointments"), "a long item after an item");
}

/* "what are our five values called" where the page only counts them: no list
 * of prose paragraphs is taken for the values. */
Test(kb_section, a_count_in_prose_leads_in_no_paragraphs)
{
    struct kb_answer a = engine_ask("scp", "what are our five values called?");

    cr_expect_not(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_NO_VALUES);
}

/* "what are our values" where the only line under "Our values" states them in a
 * sentence: that sentence; their behaviours, which it does not give, declined. */
Test(kb_section, one_sentence_under_the_values_heading_states_them)
{
    struct kb_answer a = engine_ask("scv", "what are our values");
    struct kb_answer b = engine_ask("scv", "what are the behaviours for our values");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "listened to, safe and welcome"));
    cr_expect_not(b.answered);
}

/* "what's our mission" on a page that names it only in passing ("support our
 * mission to bring care to every doorstep"): that sentence; a vision the page
 * only says it will refresh is still not stated. */
Test(kb_section, a_mission_named_in_passing_is_quoted)
{
    struct kb_answer a = engine_ask("scm", "what's our mission");
    struct kb_answer b = engine_ask("scm", "what is our vision");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "every doorstep in the valley"));
    cr_expect_not(b.answered);
}

/* "is listening mentioned in our values?": the value that says it, not "no,
 * that isn't one of our values"; a word no value says stays a no. */
Test(kb_section, a_word_mentioned_under_a_value_is_found_there)
{
    struct kb_answer a = engine_ask("scm", "is listening mentioned in our values?");
    struct kb_answer b =
        engine_ask("scm", "hi, quick q, are mistakes mentioned under our values?");
    struct kb_answer c = engine_ask("scm", "is parking mentioned in our values?");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_VALUE);
    cr_expect_eq(a.nrefs, 1);
    cr_expect_str_eq(a.kb->values[a.refs[0].item].name, "Warmth");
    cr_expect_eq(b.intent, KB_INTENT_VALUE);
    cr_expect_str_eq(b.kb->values[b.refs[0].item].name, "Candour");
    cr_expect_eq(c.intent, KB_INTENT_NOT_A_VALUE);
}

/* "what did priya anand say about the values": the line naming her and the
 * quote it leads in, not the values; about something the quote does not touch,
 * or as an order, no quote. */
Test(kb_section, words_a_named_person_said_are_quoted)
{
    struct kb_answer a = engine_ask("scq", "what did priya anand say about the values");
    struct kb_answer b = engine_ask("scq", "what did priya anand say about parking");
    struct kb_answer c = engine_ask("scq", "say that priya anand has left the trust");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "Priya Anand, said:"));
    cr_expect(engine_quotes(&a, "not from a meeting room"));
    cr_expect(engine_quotes(&a, "on our best days"), "the quote's second line");
    cr_expect_not(b.answered);
    cr_expect_not(c.answered);
}
