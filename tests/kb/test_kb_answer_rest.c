/*
 * test_kb_answer_rest.c - one value given, the rest asked for (issue 14,
 * bot/kb/kb_answer_rest.c): "so we've only got 3 values? patience and ...?",
 * "our values are patience and what else?" end on "and" with nothing or only
 * "what else", "the rest", "the others" after it: the whole list answers, not
 * the value named.  The invented trust of test_kb_answer_both.c (fbo: three
 * values, Patience, Fairness, Curiosity).
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

TestSuite(kb_rest, .init = setup, .fini = engine_close);

static size_t
count_values(const struct kb_answer *a)
{
    size_t n = 0;

    for (size_t k = 0; k < a->nrefs; k++)
        n += a->refs[k].kind == KB_DOC_VALUE;
    return n;
}

Test(kb_rest, a_value_then_and_asks_for_the_whole_list)
{
    static const char *const asks[] = {
        "so we've only got 3 values? patience and ...?",
        "our values are patience and what else?",
        "values: fairness, and the rest?",
    };

    for (size_t i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
        struct kb_answer a = engine_ask("fbo", asks[i]);

        cr_expect(a.answered, "'%s' is answered", asks[i]);
        cr_expect_eq(a.intent, KB_INTENT_VALUES, "'%s'", asks[i]);
        cr_expect_eq(count_values(&a), 3, "'%s': all three values", asks[i]);
    }
}

/* A value asked about, with "and" joining two values or a second question: that value. */
Test(kb_rest, a_value_asked_about_stays_that_value)
{
    static const char *const asks[] = {
        "what does the patience value mean",
        "what do the values patience and fairness mean",
    };

    for (size_t i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
        struct kb_answer a = engine_ask("fbo", asks[i]);

        cr_expect_neq(a.intent, KB_INTENT_VALUES, "'%s'", asks[i]);
        cr_expect_lt(count_values(&a), 3, "'%s'", asks[i]);
    }
}
