/*
 * test_kb_answer_holds.c - a reply speaks of what the KB holds: a KB built
 * from a page that states no strategy never says "our strategy" (issue 14,
 * kb_has_strategy() in bot/kb/kb.c, bot/core/compose.c).  Two fictional
 * trusts of our own (tests/data/kinds/holds_pages, built by `kb build` into
 * tests/data/kinds/holds): fho, an "about us" page of running sentences (the
 * builder keeps its passages and warns that it found no values or goals), and
 * fhv, a values page with no strategy's name and no goals.
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
    engine_open_dir("tests/data/kinds/holds");
}

TestSuite(kb_holds, .init = setup, .fini = engine_close);

/* Asks @q of @org and checks the reply names no strategy; returns it (free it). */
static char *
reply_without_strategy(const char *org, const char *q, struct kb_answer *a)
{
    char *text = engine_reply(org, q, a);

    cr_expect(strstr(text, "strategy") == NULL, "%s: %s", q, text);
    return text;
}

/* Before, "Our strategy doesn't list values.": the page states none, and is no strategy.
 */
Test(kb_holds, a_page_about_the_trust_declines_values_by_its_page)
{
    static const char *const qs[] = {"what are our values?", "what are our goals",
                                     "what is our mission", "how many values do we have",
                                     "is kindness one of our values"};

    for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
        struct kb_answer a;
        char *text = reply_without_strategy("fho", qs[i], &a);

        cr_expect(!a.answered, "%s", qs[i]);
        cr_expect(strstr(text, "The page I was built from doesn't") != NULL, "%s: %s",
                  qs[i], text);
        free(text);
    }
}

/* What the bot can tell names the page it holds ("fho.txt"), not a strategy. */
Test(kb_holds, what_it_can_tell_names_the_page)
{
    struct kb_answer a;
    char *text = reply_without_strategy("fho", "what is the parking policy", &a);

    cr_expect(!a.answered);
    cr_expect(strstr(text, "(fho.txt)") != NULL, "%s", text);
    free(text);
    text = reply_without_strategy("fho", "hello", &a);
    cr_expect(strstr(text, "summarise the page") != NULL, "%s", text);
    free(text);
}

/* A passage answer and the summary quote the page, the source line names it. */
Test(kb_holds, answers_from_the_page_quote_the_page)
{
    struct kb_answer a;
    char *text = reply_without_strategy("fho", "who is our chief executive", &a);

    cr_expect(a.answered);
    cr_expect(strstr(text, "The page I was built from says:") != NULL, "%s", text);
    free(text);
    text = reply_without_strategy("fho", "summarise the strategy", &a);
    cr_expect(strstr(text, "The page I was built from in brief:") != NULL, "%s", text);
    free(text);
}

/* A values page: its values are ours, its goals and mission are not stated. */
Test(kb_holds, a_values_page_declines_goals_by_its_page)
{
    struct kb_answer a;
    char *text = reply_without_strategy("fhv", "what are our goals", &a);

    cr_expect(!a.answered);
    cr_expect(strstr(text, "The page I was built from doesn't list goals.") != NULL, "%s",
              text);
    cr_expect(strstr(text, "our values") != NULL, "%s", text);
    free(text);
    text = engine_reply("fhv", "what are our values", &a);
    cr_expect(a.answered);
    cr_expect(strstr(text, "Kindness") != NULL, "%s", text);
    free(text);
}
