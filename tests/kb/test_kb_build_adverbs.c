/*
 * test_kb_build_adverbs.c - values under headings that say how we work
 * ("Boldly", "Openly", "Together"), each over a short line in sentence case
 * with no stop ("Be brave in trying new ideas") and a sentence: each heading
 * a value, its two lines its behaviours.  Invented page
 * tests/data/layouts/hoopoe.html.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/kb/kb.h"
#include "tests/kb/layout_build.h"

Test(kb_build_adverbs, each_heading_is_a_value_with_its_lines_as_behaviours)
{
    static const char *const names[] = {"Boldly", "Openly", "Together"};
    struct kb *kb = layout_build("tests/data/layouts/hoopoe.html", KB_DOC_HTML, NULL);

    cr_assert_eq(kb->nvalues, 3, "%zu values, the first '%s'", kb->nvalues,
                 kb->nvalues ? kb->values[0].name : "");
    for (size_t i = 0; i < 3; i++) {
        cr_expect_str_eq(kb->values[i].name, names[i]);
        cr_expect_str_eq(kb->values[i].description, "");
        cr_assert_eq(kb->values[i].nbehaviours, 2, "%s: %zu behaviours", names[i],
                     kb->values[i].nbehaviours);
    }
    cr_expect_str_eq(kb->values[0].behaviours[0].text, "Be brave in trying new ideas");
    cr_expect_str_eq(
        kb->values[2].behaviours[1].text,
        "We plan care with our partners so that people tell their story once.");
    kb_free(kb);
}
