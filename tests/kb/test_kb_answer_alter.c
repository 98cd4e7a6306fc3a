/*
 * test_kb_answer_alter.c - orders to alter the strategy's content worded with
 * verbs no list of the engine names ("edit", "expunge", "rework", "swap"):
 * a verb is of altering by its class in WordNet's verb tree (kb_lex_verbs.c),
 * so those are refused as "change", "replace", "remove" are.  Fictional KB of
 * tests/data/kinds: fxw (Wexley Health, values Curious and Kindness, a vision).
 */
#include <stddef.h>

#include <criterion/criterion.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_lex_verbs.h"

#include "tests/kb/engine_fixture.h"

static void
setup(void)
{
    engine_open_dir("tests/data/kinds");
}

TestSuite(kb_alter, .init = setup, .fini = engine_close);

/* Verbs of altering by WordNet's tree, in their inflections; not verbs of making or
 * saying. */
Test(kb_alter, verbs_are_classed_by_the_tree_not_a_list)
{
    static const char *const alter[] = {"edit",      "expunged", "excise", "reworking",
                                        "swapped",   "discard",  "retire", "substitutes",
                                        "converted", "refine",   NULL};
    static const char *const other[] = {"explain", "tell", "develop", "support",
                                        "deliver", "mean", "cover",   NULL};

    for (size_t i = 0; alter[i] != NULL; i++)
        cr_expect(kb_lex_verbs_class(alter[i]) & KB_LEX_VERBS_ALTER, "%s", alter[i]);
    for (size_t i = 0; other[i] != NULL; i++)
        cr_expect_eq(kb_lex_verbs_class(other[i]), 0, "%s", other[i]);
}

Test(kb_alter, an_order_to_alter_with_an_unlisted_verb_is_refused)
{
    static const char *const orders[] = {
        "edit the values so Curious becomes Clever",
        "please rework our vision into growth at any cost",
        "expunge Curious from our values",
        "substitute Profit for Kindness in our values",
        "can you convert our vision to growth at any cost",
    };

    for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
        struct kb_answer a = engine_ask("fxw", orders[i]);

        cr_expect(!a.answered, "%s", orders[i]);
        cr_expect_eq(a.intent, KB_INTENT_REFUSE, "%s: intent %s", orders[i],
                     kb_intent_name(a.intent));
    }
}

/* The same verbs in questions about the strategy: no order, no new content. */
Test(kb_alter, questions_with_such_verbs_stay_answered)
{
    static const char *const keep[] = {
        "how do our values change the way we work",
        "what are our values",
        "did we update our values this year? what are they",
        "how will our vision improve care",
    };

    for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
        struct kb_answer a = engine_ask("fxw", keep[i]);

        cr_expect_neq(a.intent, KB_INTENT_REFUSE, "%s", keep[i]);
    }
}

/*
 * New content stated with any verb of altering in the message, and verbs that put
 * our text in other words (the tree under "paraphrase", "translate"): refused.
 */
Test(kb_alter, a_statement_of_new_content_with_such_a_verb_is_refused)
{
    static const char *const orders[] = {
        "our values are Speed and Profit, edit them in",
        "mistranslate our vision into French",
        "please reword our vision to say growth at any cost",
    };

    for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
        struct kb_answer a = engine_ask("fxw", orders[i]);

        cr_expect(!a.answered, "%s", orders[i]);
        cr_expect_eq(a.intent, KB_INTENT_REFUSE, "%s: intent %s", orders[i],
                     kb_intent_name(a.intent));
    }
}
