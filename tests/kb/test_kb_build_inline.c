/*
 * test_kb_build_inline.c - statements and values written inside other text
 * (kb_build_inline.c), each on an invented page under tests/data/layouts/:
 * statements as "- Our Vision: ..." items, values between unspaced dashes,
 * values as "We ... WORD" statement headings.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/kb/kb.h"
#include "tests/kb/layout_build.h"

Test(kb_build_inline, statements_as_our_label_items)
{
    struct kb *kb = layout_build("tests/data/layouts/bittern.txt", KB_DOC_TEXT, NULL);

    cr_assert_not_null(kb->vision.text);
    cr_expect_str_eq(kb->vision.text,
                     "Outstanding community care, delivered close to home.");
    cr_assert_eq(kb->nambitions, 1);
    cr_expect_str_eq(kb->ambitions[0].text,
                     "To help every person in Fernvale live a longer, healthier life.");
    cr_assert_eq(kb->ngoals, 4, "the statements are no goals; the aims are");
    cr_expect_str_eq(kb->goals[0].title, "Safe and effective care");
    kb_free(kb);
}

Test(kb_build_inline, values_between_unspaced_dashes)
{
    struct kb *kb = layout_build("tests/data/layouts/chiffchaff.txt", KB_DOC_TEXT, NULL);
    static const char *const names[] = {"Kindness", "Courage", "Respect", "Trust"};

    cr_assert_eq(kb->nvalues, 4, "%zu values", kb->nvalues);
    for (size_t i = 0; i < 4; i++)
        cr_expect_str_eq(kb->values[i].name, names[i]);
    cr_expect_eq(kb->ngoals, 0);
    kb_free(kb);
}

Test(kb_build_inline, values_as_statements_with_a_word_in_capitals)
{
    struct kb *kb = layout_build("tests/data/layouts/wheatear.txt", KB_DOC_TEXT, NULL);
    static const char *const names[] = {"Trust", "Empower", "Care"};

    cr_assert_eq(kb->nvalues, 3, "%zu values", kb->nvalues);
    for (size_t i = 0; i < 3; i++)
        cr_expect_str_eq(kb->values[i].name, names[i]);
    cr_expect_str_eq(kb->values[1].description,
                     "We give staff the tools and the freedom to make decisions.");
    kb_free(kb);
}
