/*
 * test_kb_answer_said.c - "what did ada winterbourne say": a person the page
 * names only as a guest is quoted nowhere, so the page gives no words of
 * theirs; a person it quotes is answered with the quote.  Fictional KB:
 * tests/data/speaker2 lwt (Lanthorn Walk NHS Trust, a launch news release
 * naming two guests and quoting its chief executive).
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
    engine_open_dir("tests/data/speaker2");
}

TestSuite(kb_said, .init = setup, .fini = engine_close);

Test(kb_said, a_person_named_but_never_quoted_said_nothing_the_page_gives)
{
    static const char *const unquoted[] = {
        "what did ada winterbourne say at the launch",
        "what did perrin oakhurst say",
    };

    for (size_t i = 0; i < sizeof(unquoted) / sizeof(unquoted[0]); i++) {
        struct kb_answer a = engine_ask("lwt", unquoted[i]);

        cr_expect(!a.answered, "%s: intent %s", unquoted[i], kb_intent_name(a.intent));
    }
}

Test(kb_said, a_person_quoted_is_answered_with_the_quote)
{
    struct kb_answer a;
    char *text = engine_reply("lwt", "what did tomas reddaway say", &a);

    cr_expect(a.answered, "intent %s", kb_intent_name(a.intent));
    cr_expect(strstr(text, "theirs as much as ours") != NULL, "%s", text);
    free(text);
}
