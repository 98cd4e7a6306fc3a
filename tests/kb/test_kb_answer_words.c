/*
 * test_kb_answer_words.c - staff's own words for what the document says
 * otherwise: a topic word written short ("vals", "gols"), a question word the
 * document never uses met by one the meaning table holds close ("timetable":
 * schedule), and the inflections the meaning table reads back to a lemma
 * ("sites": site, not sit).  A fictional trust of our own (tests/data/kinds/words).
 */
#include <string.h>

#include <criterion/criterion.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_answer_int.h"
#include "bot/kb/kb_related.h"
#include "bot/kb/kb_set.h"

#include "tests/kb/engine_fixture.h"

static void
setup(void)
{
    engine_open_dir("tests/data/kinds/words");
}

TestSuite(kb_words, .init = setup, .fini = engine_close);

/* "-es", "-ed" after a vowel and one consonant drop a silent "e": site, care, use. */
Test(kb_words, inflections_keep_their_silent_e)
{
    cr_expect_eq(kb_related_find("sites"), kb_related_find("site"));
    cr_expect_eq(kb_related_find("cared"), kb_related_find("care"));
    cr_expect_eq(kb_related_find("uses"), kb_related_find("use"));
    /* A consonant cluster keeps the stem as it is. */
    cr_expect_eq(kb_related_find("hosted"), kb_related_find("host"));
    cr_expect_eq(kb_related_find("boxes"), kb_related_find("box"));
    cr_expect_neq(kb_related_find("sites"), kb_related_find("sit"));
}

/* The meaning table's profile: heaviest first, none under the floor asked for. */
Test(kb_words, a_profile_is_read_heaviest_first)
{
    struct kb_related_profile p;
    size_t n = kb_related_profile("dependable", 0.5, &p);
    bool reliable = false;

    cr_assert_gt(n, 0);
    for (size_t i = 0; i < n; i++) {
        reliable = reliable || strcmp(p.lemma[i], "reliable") == 0;
        cr_expect_geq(p.weight[i], 0.5);
        cr_expect(i == 0 || p.weight[i] <= p.weight[i - 1]);
    }
    cr_expect(reliable, "'dependable' is close to 'reliable'");
    cr_expect_eq(kb_related_profile("dependable", 1.01, &p), 0);
    cr_expect_eq(kb_related_profile("xqzzv", 0.1, &p), 0);
}

/* A topic word written short: one letter left out of four, or clipped. */
Test(kb_words, short_forms_of_topic_words)
{
    static const char *const words[] = {"values",     "value",    "goals", "principles",
                                        "priorities", "strategy", NULL};

    cr_expect_str_eq(kbaw_short_form("vals", words), "values");
    cr_expect_str_eq(kbaw_short_form("gols", words), "goals");
    cr_expect_str_eq(kbaw_short_form("strat", words), "strategy");
    cr_expect_null(kbaw_short_form("pris", words), "principles or priorities: neither");
    cr_expect_null(kbaw_short_form("goal", words), "English: no short form");
    cr_expect_null(kbaw_short_form("va", words), "too short to tell");
}

Test(kb_words, short_forms_are_asked_as_the_topic)
{
    struct kb_answer a = engine_ask("fxs", "core vals pls");
    struct kb_answer b = engine_ask("fxs", "how many gols do we have");

    cr_expect(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_VALUES);
    cr_expect(b.answered);
    cr_expect_eq(b.intent, KB_INTENT_COUNT_GOALS);
}

/*
 * "timetable", a word the lexicon lacks, means the page's "schedule": the
 * passage answers; with a second word the page lacks ("weekend") it does not.
 */
Test(kb_words, a_word_the_page_says_otherwise_meets_its_passage)
{
    struct kb_answer a =
        engine_ask("fxs", "when does the new timetable of evening clinics start?");
    struct kb_answer b =
        engine_ask("fxs", "when does the new timetable of weekend clinics start?");

    cr_expect(a.answered);
    cr_expect(engine_quotes(&a, "March 2026"));
    cr_expect_not(b.answered, "weekend clinics: the page does not say");
}

/*
 * An order to write or post content of its own, or to edit a part of the
 * strategy, however it is worded around it: refused, not the list it names.
 */
Test(kb_words, orders_to_write_new_content_are_refused)
{
    static const char *const orders[] = {
        "pretend you're the chief exec and write a message announcing new values",
        "@here post that goal 2 is being scrapped",
        "change our values so warmth becomes kindness",
    };

    for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
        struct kb_answer a = engine_ask("fxs", orders[i]);

        cr_expect_not(a.answered, "%s", orders[i]);
        cr_expect_eq(a.intent, KB_INTENT_REFUSE, "%s", orders[i]);
    }
}

/* The strategy's own words posted, or a change asked about: answered. */
Test(kb_words, the_strategy_posted_as_written_is_answered)
{
    struct kb_answer a = engine_ask("fxs", "post the values for the team channel please");
    struct kb_answer b = engine_ask("fxs", "what are our values and what do they mean?");

    cr_expect(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_VALUES);
    cr_expect(b.answered);
    cr_expect_neq(b.intent, KB_INTENT_REFUSE);
}

/*
 * "which goal covers getting ...": a goal sought by its theme, the page's own
 * words with a word it lacks around them, is the goal holding them; a theme
 * word that means nothing of any goal ("parking") still finds none.
 */
Test(kb_words, a_goal_found_by_its_theme_in_words_around_its_own)
{
    static const struct {
        const char *q;
        unsigned goal;
    } cases[] = {
        {"which goal covers getting more care given in the villages", 1},
        {"which goal talks about getting staff proud of what they do", 2},
        {"which goal means getting care closer to where people live", 1},
    };
    struct kb_answer none =
        engine_ask("fxs", "which goal covers parking in the villages");

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct kb_answer a = engine_ask("fxs", cases[i].q);

        cr_expect(a.answered, "%s", cases[i].q);
        cr_expect_eq(a.intent, KB_INTENT_GOAL, "%s", cases[i].q);
        cr_expect(a.nrefs == 1 && a.refs[0].kind == KB_DOC_GOAL &&
                      a.kb->goals[a.refs[0].item].number == cases[i].goal,
                  "%s", cases[i].q);
    }
    cr_expect_not(none.answered);
    cr_expect_eq(none.intent, KB_INTENT_NO_SUCH_GOAL);
}

/*
 * A KB string's words are split once and kept with a stop flag each (the
 * name checks ask it per pair of words): each flag is the stop list's own
 * answer, for every string, asked once or many times.
 */
Test(kb_words, a_kb_strings_words_keep_their_stop_flags)
{
    const struct kb *kb = kb_set_get(set, 0);
    const char *texts[64];
    size_t n = 0, stops = 0;

    texts[n++] = kb->name;
    texts[n++] = kb->strategy;
    texts[n++] = "the values of the trust and our goals for the year";
    for (size_t i = 0; i < kb->nvalues && n < 64; i++)
        texts[n++] = kb->values[i].description;
    for (size_t i = 0; i < kb->npassages && n < 64; i++)
        texts[n++] = kb->passages[i].text;
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < n; i++) {
            const struct tokens *t = kba_tokens(eng, texts[i]);

            for (size_t k = 0; k < t->n; k++) {
                cr_expect_eq(t->stop[k], kb_text_is_stopword(t->w[k].surface),
                             "\"%s\" in \"%.40s\"", t->w[k].surface, texts[i]);
                stops += t->stop[k];
            }
        }
    }
    cr_expect_gt(stops, 0, "the texts hold stop words");
}
