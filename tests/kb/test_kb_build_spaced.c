/*
 * test_kb_build_spaced.c - values named in one sentence, kept apart only by
 * runs of white space (each name its own element on the page), on the
 * invented page tests/data/layouts/nightjar.{txt,html}; ordinary prose with
 * runs of spaces stays one sentence.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_doc_spaced.h"
#include "tests/kb/layout_build.h"

Test(kb_build_spaced, values_kept_apart_by_runs_of_spaces_are_named)
{
    static const char *const pages[] = {"tests/data/layouts/nightjar.txt",
                                        "tests/data/layouts/nightjar.html"};
    static const char *const want[] = {"kind", "curious", "dependable"};

    for (size_t p = 0; p < 2; p++) {
        struct kb *kb = layout_build(pages[p], p == 0 ? KB_DOC_TEXT : KB_DOC_HTML, NULL);

        cr_assert_eq(kb->nvalues, 3, "%s: %zu values, the first '%s'", pages[p],
                     kb->nvalues, kb->nvalues ? kb->values[0].name : "");
        for (size_t i = 0; i < 3; i++)
            cr_expect_str_eq(kb->values[i].name, want[i], "%s", pages[p]);
        kb_free(kb);
    }
}

Test(kb_build_spaced, prose_with_runs_of_spaces_is_left_alone)
{
    static const char *const prose[] = {
        "Our teams meet  plan  and review their caseloads every Monday.",
        "Our values are known  and used  by every team in the valley.",
        "Our values are kind.  We listen.  We learn.",
        "Our values are kind,  curious  and dependable.",
        "Our values are  kind and curious.",
    };

    for (size_t i = 0; i < sizeof(prose) / sizeof(prose[0]); i++)
        cr_expect_null(kb_doc_spaced(prose[i]), "%s", prose[i]);
}

Test(kb_build_spaced, only_the_runs_between_the_names_become_commas)
{
    char *s = kb_doc_spaced("Welcome.  Our values are safe  caring  "
                            "excellent.  They guide us.");

    cr_assert_not_null(s);
    cr_expect_str_eq(s,
                     "Welcome.  Our values are safe, caring, excellent.  They guide us.");
    free(s);
}
