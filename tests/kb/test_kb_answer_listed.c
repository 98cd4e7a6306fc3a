/*
 * test_kb_answer_listed.c - things asked for by number and name ("list all six
 * launch sites") when the passages quoted together name fewer: declined
 * (kbaun_names_fewer_than_asked() in bot/kb/kb_answer_unstated.c).  KB built
 * by `kb build` from a fictional page: tests/data/kinds/listed_pages/lsn.txt,
 * built into tests/data/kinds/listed.
 */
#include <criterion/criterion.h>

#include "bot/kb/kb_answer.h"

#include "tests/kb/engine_fixture.h"

static void
setup(void)
{
    engine_open_dir("tests/data/kinds/listed");
}

TestSuite(kb_listed, .init = setup, .fini = engine_close);

/* Three towns in one sentence and one house in the next are four names, not six. */
Test(kb_listed, two_passages_naming_fewer_between_them_are_declined)
{
    static const char *const asked[] = {
        "can you list all six launch sites?",
        "which six sites host the launch?",
    };

    for (size_t i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
        struct kb_answer a = engine_ask("lsn", asked[i]);

        cr_expect(!a.answered, "%s: intent %s", asked[i], kb_intent_name(a.intent));
    }
}

/* Without a number the passages answer what they name. */
Test(kb_listed, the_same_passages_answer_without_a_number)
{
    struct kb_answer a = engine_ask("lsn", "which sites host the launch?");
    struct kb_answer b = engine_ask("lsn", "which four places are named for the launch?");

    cr_expect(a.answered, "intent %s", kb_intent_name(a.intent));
    cr_expect(b.answered, "four names between the two: intent %s",
              kb_intent_name(b.intent));
}
