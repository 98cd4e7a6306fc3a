/*
 * test_kb_answer_model.c - what the passage model weighs: the question's features
 * (kba_query_features()) beside the passage's, on the shipped KBs.
 */
#include <math.h>

#include <criterion/criterion.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_answer_model.h"
#include "bot/kb/kb_set.h"
#include "tests/test_util.h"

#include "tests/kb/engine_fixture.h"

/* Where the question's features start (kb_answer_int.h KBA_QUERY_FEAT). */
#define QF 15

static void
setup(void)
{
    engine_open(shipped_kbs());
}

TestSuite(kb_answer_model, .init = setup, .fini = engine_close);

/* The one policy step a passage question came through: at most one path is set. */
static int
path_of(const struct kb_answer *a)
{
    int path = 0;

    for (int i = 0; i < 5; i++) {
        cr_assert(a->features[QF + i] == 0 || a->features[QF + i] == 1);
        if (a->features[QF + i] == 1) {
            cr_assert_eq(path, 0, "two paths set");
            path = i + 1;
        }
    }
    return path;
}

Test(kb_answer_model, a_question_says_which_step_asked_the_passages)
{
    struct kb_answer who = engine_ask("tewv", "who wrote the strategy");
    struct kb_answer when = engine_ask("tewv", "when were the values agreed");
    struct kb_answer open =
        engine_ask("tewv", "how many people helped shape the strategy");

    cr_assert_eq(who.nfeatures, KB_ANSWER_NFEAT);
    cr_assert_eq(when.nfeatures, KB_ANSWER_NFEAT);
    cr_assert_eq(open.nfeatures, KB_ANSWER_NFEAT);
    cr_expect_eq(path_of(&who), 1);  /* who */
    cr_expect_eq(path_of(&when), 2); /* a date about the values */
    cr_expect_eq(path_of(&open), 0); /* open search */
}

Test(kb_answer_model, unknown_words_are_a_share_of_the_content_words)
{
    /* "wrote" is no word of the KB; "strategy" is */
    struct kb_answer a = engine_ask("tewv", "who wrote the strategy");
    struct kb_answer b =
        engine_ask("tewv", "who wrote the strategy about the canteen rota");

    cr_assert_eq(a.nfeatures, KB_ANSWER_NFEAT);
    cr_expect_float_eq(a.features[QF + 5], 2, 1e-9); /* content terms */
    cr_expect_float_eq(a.features[QF + 6], 0.5, 1e-9);
    cr_assert_eq(b.nfeatures, KB_ANSWER_NFEAT);
    cr_expect_gt(b.features[QF + 6], a.features[QF + 6]);
    cr_expect_gt(b.features[QF + 9], a.features[QF + 9]); /* longer */
    cr_expect_eq(a.features[QF + 7], 0);                  /* no yes/no */
}

Test(kb_answer_model, decides_by_the_shipped_weights_and_more_confidence_answers_more)
{
    struct kb_answer a = engine_ask("tewv", "who set our values");
    double x[KB_ANSWER_NFEAT];

    cr_assert_eq(a.nfeatures, KB_ANSWER_NFEAT);
    cr_assert_float_eq(a.confidence, kb_answer_model_p(a.features), 1e-12);
    cr_assert_eq(a.answered, a.confidence >= 0.5);
    /* whatever else is fitted, a passage that holds more of the question is surer */
    for (int i = 0; i < KB_ANSWER_NFEAT; i++)
        x[i] = a.features[i];
    x[1] = log(0.9);
    cr_expect_gt(kb_answer_model_p(x), a.confidence);
    x[1] = log(0.05);
    cr_expect_lt(kb_answer_model_p(x), 0.5);
}
