/*
 * test_kb_answer_weight.c - one information weight per question word (issue
 * 14, bot/kb/kb_answer_weight.c): rare in the KB and rare in English weighs
 * most, so a passage holding the question's informative word covers it.  One
 * fictional trust of our own (tests/data/kinds/weight_pages/fhv.txt, built by
 * `kb build` into tests/data/kinds/weight): its page says 860 colleagues,
 * patients and carers shaped the strategy, and uses "people" and "help" in
 * other passages, as pages do.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_answer_weight.h"
#include "bot/kb/kb_set.h"

#include "tests/kb/engine_fixture.h"

static void
setup(void)
{
    engine_open_dir("tests/data/kinds/weight");
}

TestSuite(kb_answer_weight, .init = setup, .fini = engine_close);

/* The general share: a word English rarely uses keeps more of its KB weight. */
Test(kb_answer_weight, rare_english_word_weighs_more)
{
    static const struct {
        const char *name, *rarer, *commoner;
    } rows[] = {
        {"a name over a noun", "fernholt", "people"},
        {"a rare noun over a common one", "budget", "people"},
        {"a noun over a light verb", "shape", "help"},
        {"a noun over a light verb's form", "strategy", "helped"},
    };

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        cr_expect_gt(kbawt_general(rows[i].rarer), kbawt_general(rows[i].commoner), "%s",
                     rows[i].name);
    cr_expect_eq(kbawt_general("fernholt"), 1.0, "a word English never saw keeps all");
    cr_expect_gt(kbawt_general("be"), 0.0, "no word counts for nothing");
}

/*
 * "how many people helped shape the strategy": the passage holding "shaped"
 * and the count answers, though it lacks "people" and "help", which other
 * passages hold; by the KB's rarity alone the three words weighed alike and
 * the answer was declined.
 */
Test(kb_answer_weight, informative_word_covers_the_question)
{
    static const char *const qs[] = {"how many people helped shape the strategy",
                                     "how many people helped shape our strategy?"};

    for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
        struct kb_answer a = engine_ask("fhv", qs[i]);

        cr_expect(a.answered, "%s: declined", qs[i]);
        cr_expect(engine_quotes(&a, "860 colleagues"), "%s: not the count", qs[i]);
    }
}

/* A passage holding only the common words is no answer: nothing states the count. */
Test(kb_answer_weight, common_words_alone_do_not_cover_it)
{
    struct kb_answer a = engine_ask("fhv", "how many people help the volunteers");

    cr_expect(!a.answered || engine_quotes(&a, "860 colleagues"),
              "answered from the common words alone");
}
