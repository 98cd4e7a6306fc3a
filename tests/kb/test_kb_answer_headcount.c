/*
 * test_kb_answer_headcount.c - "how many staff do we have" is answered by the
 * sentence stating the organisation's head count, in whatever shape the page
 * writes it, and declined when none does (issue 14,
 * bot/kb/kb_answer_headcount.c).  Six fictional trusts of our own
 * (tests/data/kinds/headcount_pages, built by `kb build` into
 * tests/data/kinds/headcount), one strategy page each with one head count:
 * fca "Our 7,500-strong workforce", fcb "a team of 300", fcc "Over 12,000
 * colleagues work for the trust", fcd "employs two thousand nine hundred
 * people", fce "Around 4,200 people work for us"; fcn has none, only teams,
 * people served and a volunteer network.  Every page also says "Last year 140
 * staff took part in the values inquiry": a number of staff, not all of them,
 * which the engine quoted at 0.78 for "how many staff do we have".
 */
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
    engine_open_dir("tests/data/kinds/headcount");
}

TestSuite(kb_headcount, .init = setup, .fini = engine_close);

static const char *const asked[] = {
    "how many staff do we have", "how many people work here",
    "how many employees does the trust have", "how many colleagues do we employ"};

/* Each shape of head count answers each way of asking, never the 140. */
Test(kb_headcount, each_shape_of_head_count_answers)
{
    static const struct {
        const char *org, *quote;
    } pages[] = {{"fca", "7,500-strong workforce"},
                 {"fcb", "a team of 300"},
                 {"fcc", "12,000 colleagues"},
                 {"fcd", "two thousand nine hundred people"},
                 {"fce", "4,200 people work for us"}};

    for (size_t p = 0; p < sizeof(pages) / sizeof(pages[0]); p++) {
        for (size_t k = 0; k < sizeof(asked) / sizeof(asked[0]); k++) {
            struct kb_answer a = engine_ask(pages[p].org, asked[k]);

            cr_expect(a.answered, "%s: %s", pages[p].org, asked[k]);
            cr_expect(engine_quotes(&a, pages[p].quote), "%s: %s", pages[p].org,
                      asked[k]);
            cr_expect(!engine_quotes(&a, "140 staff"), "%s: %s", pages[p].org, asked[k]);
        }
    }
}

/* Teams counted, people served and volunteers are no head count: declined. */
Test(kb_headcount, no_head_count_is_declined)
{
    for (size_t k = 0; k < sizeof(asked) / sizeof(asked[0]); k++) {
        struct kb_answer a = engine_ask("fcn", asked[k]);

        cr_expect(!a.answered, "%s", asked[k]);
    }
}

/* A question naming what the staff did is no head count: the 140 answer it. */
Test(kb_headcount, staff_who_did_something_answer_their_own_question)
{
    struct kb_answer a =
        engine_ask("fca", "how many staff took part in the values inquiry");

    cr_expect(a.answered);
    cr_expect(engine_quotes(&a, "140 staff"));
}
