/*
 * test_kb_answer_indefinite.c - "does it mention the dental unit anywhere?":
 * an indefinite adverb or pronoun ("anywhere", "somewhere", "everybody") asks
 * nothing a passage must hold, as "anything" and "someone" do not (the
 * stop words of bot/kb/kb_text.c).  On the fictional trust fgr
 * (tests/data/kinds/grain, see test_kb_answer_grain.c).
 */
#include <criterion/criterion.h>

#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_text.h"

#include "tests/kb/engine_fixture.h"

static void
setup(void)
{
    engine_open_dir("tests/data/kinds/grain");
}

TestSuite(kb_indefinite, .init = setup, .fini = engine_close);

Test(kb_indefinite, an_indefinite_word_asks_nothing)
{
    static const char *const qs[] = {"does it mention the dental unit anywhere?",
                                     "is the kilnworth dental unit mentioned somewhere?",
                                     "does the dental unit at kilnworth help everybody?"};

    for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
        struct kb_answer a = engine_ask("fgr", qs[i]);

        cr_expect(a.answered && engine_quotes(&a, "dental unit at Kilnworth"), "%s",
                  qs[i]);
    }
}

Test(kb_indefinite, the_whole_class_is_stop_words)
{
    static const char *const ws[] = {"anywhere", "somewhere", "everywhere", "anybody",
                                     "somebody", "everybody", "anything",   "something"};

    for (size_t i = 0; i < sizeof(ws) / sizeof(ws[0]); i++)
        cr_expect(kb_text_is_stopword(ws[i]), "%s", ws[i]);
}
