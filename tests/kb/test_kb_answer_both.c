/*
 * test_kb_answer_both.c - a question asking for a statement and a list at once
 * (issue 14, bot/kb/kb_answer_both.c): "mission + values for my slides",
 * "what are our vision and values", "our mission and goals" are answered with
 * both parts, not the statement alone.  A fictional trust of our own
 * (tests/data/kinds/both_pages/fbo.txt, built by `kb build` into
 * tests/data/kinds/both) states a mission, a vision, three values and three
 * goals.
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
    engine_open_dir("tests/data/kinds/both");
}

TestSuite(kb_both, .init = setup, .fini = engine_close);

static size_t
count_refs(const struct kb_answer *a, enum kb_doc_kind kind)
{
    size_t n = 0;

    for (size_t k = 0; k < a->nrefs; k++)
        n += a->refs[k].kind == kind;
    return n;
}

/* The statement and every value: "Patience", "Fairness", "Curiosity". */
Test(kb_both, a_statement_and_the_values_give_both)
{
    static const struct {
        const char *q;
        enum kb_doc_kind statement;
    } asks[] = {
        {"mission + values for my slides pls", KB_DOC_MISSION},
        {"what are our vision and values", KB_DOC_VISION},
        {"can I have the values and the mission", KB_DOC_MISSION},
    };

    for (size_t i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
        struct kb_answer a = engine_ask("fbo", asks[i].q);

        cr_expect(a.answered, "'%s' is answered", asks[i].q);
        cr_expect_eq(count_refs(&a, asks[i].statement), 1, "'%s': the statement",
                     asks[i].q);
        cr_expect_eq(count_refs(&a, KB_DOC_VALUE), 3, "'%s': all three values",
                     asks[i].q);
    }
}

/* The goals, asked by the page's own label. */
Test(kb_both, a_statement_and_the_goals_give_both)
{
    struct kb_answer a = engine_ask("fbo", "our mission and goals");

    cr_expect(a.answered);
    cr_expect_eq(count_refs(&a, KB_DOC_MISSION), 1);
    cr_expect_eq(count_refs(&a, KB_DOC_GOAL), 3);
}

/* One part asked, or the two related rather than both asked: the statement alone. */
Test(kb_both, one_part_or_a_relation_gives_the_statement_alone)
{
    static const char *const asks[] = {
        "what is our mission",
        "whats our vision",
        "how do our values help us reach our vision",
        "what does our new vision aim to achieve",
        "our vision aims to do what",
    };

    for (size_t i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
        struct kb_answer a = engine_ask("fbo", asks[i]);

        cr_expect_eq(count_refs(&a, KB_DOC_VALUE), 0, "'%s'", asks[i]);
        cr_expect_eq(count_refs(&a, KB_DOC_GOAL), 0, "'%s'", asks[i]);
    }
}
