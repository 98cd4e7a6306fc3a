/*
 * test_kb_answer_tally.c - things asked for by their number ("what are the
 * four big shifts") that the quoted sentences only count, and thanks talked
 * about rather than given ("should we say thank you?").  Fictional KB:
 * tests/data/tally fxt (Tallowby Community Health, a plan of four big shifts
 * it counts but never lists, three pledges it lists in one sentence).
 */
#include <stddef.h>
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
    engine_open_dir("tests/data/tally");
}

TestSuite(kb_tally, .init = setup, .fini = engine_close);

/* A sentence that lists as many as asked answers; a count is still answered by the count.
 */
Test(kb_tally, things_listed_or_counted_as_asked_are_answered)
{
    static const char *const kept[] = {
        "what are our three pledges to carers?",
        "what are the 3 clinic sites?",
        "how many big shifts are there?",
    };

    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
        struct kb_answer a = engine_ask("fxt", kept[i]);

        cr_expect(a.answered, "%s: intent %s", kept[i], kb_intent_name(a.intent));
    }
}

/* "should we say thank you?" asks about thanking; "thanks!" and "I just wanted to say
 * thank you" thank. */
Test(kb_tally, thanks_asked_about_is_no_thanks)
{
    static const char *const asked[] = {
        "should we say thank you?",
        "do we say thanks?",
        "when should I say thank you?",
    };
    static const char *const given[] = {
        "thanks!",
        "thank you",
        "I just wanted to say thank you",
    };

    for (size_t i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
        struct kb_answer a = engine_ask("fxt", asked[i]);

        cr_expect_neq(a.intent, KB_INTENT_THANKS, "%s: taken for thanks", asked[i]);
    }
    for (size_t i = 0; i < sizeof(given) / sizeof(given[0]); i++) {
        struct kb_answer a = engine_ask("fxt", given[i]);

        cr_expect_eq(a.intent, KB_INTENT_THANKS, "%s: intent %s", given[i],
                     kb_intent_name(a.intent));
    }
}

/*
 * "what are the highlights?" ranks the lead-in ("Some of the highlights of our
 * year include:") and its first item; the list it leads in is the answer, all
 * of it, and not the thanks after it.
 */
Test(kb_tally, a_lead_in_quoted_with_its_first_item_brings_all_its_items)
{
    static const char *const asked[] = {
        "what are the highlights?",
        "what were the highlights of our year?",
    };
    static const char *const items[] = {"memory clinic", "podiatry", "volunteers",
                                        "garden"};

    for (size_t i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
        struct kb_answer a;
        char *reply = engine_reply("fxt", asked[i], &a);

        cr_expect(a.answered, "%s: intent %s", asked[i], kb_intent_name(a.intent));
        for (size_t k = 0; k < sizeof(items) / sizeof(items[0]); k++)
            cr_expect(strstr(reply, items[k]) != NULL, "%s: no %s in %s", asked[i],
                      items[k], reply);
        cr_expect(strstr(reply, "every colleague") == NULL, "%s: %s", asked[i], reply);
        free(reply);
    }
}

/*
 * "what are our strategic aims": the KB's own name for its goals asks for the
 * list, not for a sentence on them ("Each of our strategic aims will be
 * delivered through yearly plans"), which still answers how they are delivered.
 */
Test(kb_tally, the_goals_own_name_asks_for_the_goals_not_a_sentence_on_them)
{
    static const char *const listed[] = {
        "what are our strategic aims?",
        "what are the strategic aims",
        "list our strategic aims",
    };
    struct kb_answer h;
    char *reply;

    for (size_t i = 0; i < sizeof(listed) / sizeof(listed[0]); i++) {
        struct kb_answer a = engine_ask("fxu", listed[i]);

        cr_expect_eq(a.intent, KB_INTENT_GOALS, "%s: intent %s", listed[i],
                     kb_intent_name(a.intent));
    }
    reply = engine_reply("fxu", "how will the strategic aims be delivered?", &h);
    cr_expect(h.answered && strstr(reply, "yearly plans") != NULL, "%s", reply);
    free(reply);
}

/*
 * "what are the objectives for a workforce that stays": an aim listed bare,
 * whose title heads a part of the page further on, is answered with what that
 * part says under it; an aim with nothing under it stays bare.
 */
Test(kb_tally, a_bare_goal_brings_the_part_of_the_page_it_heads)
{
    struct kb_answer a, b;
    char *reply =
        engine_reply("fxu", "what are the objectives for a workforce that stays?", &a);
    char *bare = engine_reply("fxu", "what is aim 1?", &b);

    cr_expect(a.answered, "intent %s", kb_intent_name(a.intent));
    cr_expect(strstr(reply, "mentor") != NULL && strstr(reply, "agency") != NULL, "%s",
              reply);
    cr_expect(strstr(reply, "Ashwater") == NULL, "%s", reply);
    cr_expect(b.answered && strstr(bare, "older people") != NULL, "%s", bare);
    cr_expect(strstr(bare, "mentor") == NULL && strstr(bare, "Ashwater") == NULL, "%s",
              bare);
    free(reply);
    free(bare);
}

/*
 * "in the first two years", "in our first year": an ordinal before a count or
 * a span of time says when, not which goal; "the first aim" is goal 1.
 */
Test(kb_tally, an_ordinal_before_a_span_of_time_is_no_goal_number)
{
    static const char *const when[] = {
        "what will we focus on in the first two years?",
        "what do we focus on for the first 2 years",
    };
    struct kb_answer g;
    char *first = engine_reply("fxu", "what is the first aim?", &g);

    for (size_t i = 0; i < sizeof(when) / sizeof(when[0]); i++) {
        struct kb_answer a;
        char *reply = engine_reply("fxu", when[i], &a);

        cr_expect(strstr(reply, "older people") == NULL, "%s: %s", when[i], reply);
        cr_expect(a.answered && strstr(reply, "steadying") != NULL, "%s: %s", when[i],
                  reply);
        free(reply);
    }
    cr_expect(strstr(first, "older people") != NULL, "%s", first);
    free(first);
}

/*
 * "what does the people aim mean": the aim titled "People", not the purpose
 * that speaks of people ("Helping people in the valley to live well").
 */
Test(kb_tally, a_goal_named_by_its_whole_title_comes_before_a_statement_using_it)
{
    struct kb_answer a, p;
    char *reply = engine_reply("fxu", "what does the people aim mean?", &a);
    char *purpose = engine_reply("fxu", "what is our purpose?", &p);

    cr_expect_eq(a.intent, KB_INTENT_GOAL, "intent %s: %s", kb_intent_name(a.intent),
                 reply);
    cr_expect(strstr(reply, "want to work for") != NULL, "%s", reply);
    cr_expect(strstr(purpose, "live well") != NULL, "%s", purpose);
    free(reply);
    free(purpose);
}
