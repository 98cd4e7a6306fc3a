/*
 * test_kb_answer_naming.c - names on a trust's page and in staff's questions
 * (bot/kb/kb_answer_naming.c): another organisation named in lower case or
 * "of" words none ours, a term defined by a label, a name defined in passing,
 * what the values are called, a value described by the section that names it,
 * a statement that names itself.  KBs built by `kb build` from fictional
 * pages in the shape of real ones (tests/data/kinds/prose_pages, built into
 * tests/data/kinds/prose).
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
    engine_open_dir("tests/data/kinds/prose");
}

TestSuite(kb_naming, .init = setup, .fini = engine_close);

/* "what is brackenmoor's vision", in lower case: someone else's, not ours. */
Test(kb_naming, a_lowercase_possessive_name_is_another_organisation)
{
    struct kb_answer a = engine_ask("prk", "what is brackenmoor's vision");
    struct kb_answer b = engine_ask(
        "prs", "what are the values of thornbury and wexcombe partnership's board");
    struct kb_answer c = engine_ask("prk", "what is the trust's vision");
    struct kb_answer d = engine_ask("prk", "what is kvas's vision");

    cr_expect(!a.answered);
    cr_expect_eq(a.intent, KB_INTENT_OTHER_ORG);
    cr_expect_eq(b.intent, KB_INTENT_OTHER_ORG, "a name a few words before the 's");
    cr_expect(c.answered, "an English word's possessive is no name");
    cr_expect_neq(c.intent, KB_INTENT_OTHER_ORG);
    cr_expect(d.answered, "our own initials are ours");
    cr_expect_neq(d.intent, KB_INTENT_OTHER_ORG);
}

/* "what does grow mean" where the page says "Grow: We will grow ...": that line. */
Test(kb_naming, a_term_the_page_defines_with_a_label_is_that_line)
{
    struct kb_answer a = engine_ask("prk", "what does grow mean");
    struct kb_answer b = engine_ask("prk", "what does candour mean");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "Grow: We will grow"));
    cr_expect_eq(b.intent, KB_INTENT_VALUE, "a value named is the value");
}

/*
 * Values taken from a sentence ("Our values are Brave, Every voice matters and
 * Together"), each described under a heading of its own that a sentence ties
 * to it by name ("We are BRAVE when ..."): "what does brave mean" is that
 * section; "together", never named so, stays the bare value.
 */
Test(kb_naming, a_bare_value_is_described_by_the_section_that_names_it)
{
    struct kb_answer a = engine_ask("prm", "what does brave mean");
    struct kb_answer b = engine_ask("prm", "what does every voice matter mean");
    struct kb_answer c = engine_ask("prm", "what does together mean");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "stretching goals"));
    cr_expect(!engine_quotes(&a, "hear colleagues"), "only its own section");
    cr_expect(engine_quotes(&b, "hear colleagues"));
    cr_expect_eq(c.intent, KB_INTENT_VALUE);
}

/*
 * "what does partner mean": an ambition holds "partners", the page's label
 * "Partner: We will work with partners ..." holds the word as asked; the label.
 */
Test(kb_naming, a_label_as_written_beats_a_goal_found_by_its_stem)
{
    struct kb_answer a = engine_ask("prk", "what does partner mean");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "Partner: We will work with partners"));
}

/* "The Trust's Vision is clearly set out ...": says where it is, not what; declined. */
Test(kb_naming, a_sentence_about_the_vision_does_not_state_it)
{
    struct kb_answer a = engine_ask("prw", "what's our vision");

    cr_expect(!a.answered);
}

/* "thornwick hey's values": a name whose last word English has as a stop word. */
Test(kb_naming, a_name_ending_in_a_stop_word_is_another_organisation)
{
    struct kb_answer a = engine_ask("prw", "what are thornwick hey's values");
    struct kb_answer b = engine_ask("prw", "what are everybody's values here");

    cr_expect_eq(a.intent, KB_INTENT_OTHER_ORG);
    cr_expect_neq(b.intent, KB_INTENT_OTHER_ORG, "a pronoun is no name");
}

/* "what are our values called?": the sentence that names the set. */
Test(kb_naming, what_the_values_are_called_is_the_sentence_that_names_them)
{
    struct kb_answer a = engine_ask("prw", "what are our values called");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "They are called"));
}

/* "who is fieldfare voices?": the page names it and says what it is, "..., our group". */
Test(kb_naming, a_name_the_page_defines_in_passing_is_that_passage)
{
    struct kb_answer a = engine_ask("prs", "who is fieldfare voices?");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(engine_quotes(&a, "Fieldfare Voices, our group"));
}

/* "the vision of the royal harbour": a part of the strategy of words none ours. */
Test(kb_naming, a_statement_of_words_none_ours_is_another_organisations)
{
    struct kb_answer a = engine_ask("prk", "what's the vision of the royal harbour?");
    struct kb_answer b = engine_ask("prk", "what's the vision of the trust?");

    cr_expect_eq(a.intent, KB_INTENT_OTHER_ORG);
    cr_expect(b.answered, "our own trust");
    cr_expect_neq(b.intent, KB_INTENT_OTHER_ORG);
}

/*
 * A vision `kb build` took from a sentence about it ("we've outlined a vision
 * of what that looks like"): the sentence that says "Our vision is to ...".
 */
Test(kb_naming, a_statement_that_names_itself_gives_way_to_the_one_stated)
{
    struct kb_answer a = engine_ask("prv", "what's our vision");
    struct kb_answer b = engine_ask("prk", "what's our vision");

    cr_assert(a.answered);
    cr_expect(engine_quotes(&a, "Our vision is to keep the people of Pipit Moor"));
    cr_expect_eq(b.intent, KB_INTENT_STATEMENT, "a vision that is one stays");
}
