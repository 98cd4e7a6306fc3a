/*
 * test_kb_build_inline.c - statements and values written inside other text
 * (kb_build_inline.c), each on an invented page under tests/data/layouts/:
 * statements as "- Our Vision: ..." items, values between unspaced dashes,
 * values as "We ... WORD" statement headings.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/base/file.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_build.h"
#include "bot/kb/kb_doc.h"

static struct kb *
build(const char *path)
{
    char *data, *why = NULL, *report = NULL;
    size_t len;
    struct kb_doc doc;
    struct kb *kb = NULL;
    struct kb_build_opts o = {.org = "x", .name = "Test Trust", .doc = path};

    cr_assert_eq(file_read(path, KB_BUILD_MAX_DOC, &data, &len), BOT_OK, "%s", path);
    kb_doc_init(&doc);
    cr_assert_eq(kb_doc_read(&doc, data, len, KB_DOC_TEXT, path, &why), BOT_OK);
    cr_assert_eq(kb_build_doc(&doc, &o, &kb, &report, &why), BOT_OK, "%s", why);
    kb_doc_cleanup(&doc);
    free(report);
    free(data);
    return kb;
}

Test(kb_build_inline, statements_as_our_label_items)
{
    struct kb *kb = build("tests/data/layouts/bittern.txt");

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
    struct kb *kb = build("tests/data/layouts/chiffchaff.txt");
    static const char *const names[] = {"Kindness", "Courage", "Respect", "Trust"};

    cr_assert_eq(kb->nvalues, 4, "%zu values", kb->nvalues);
    for (size_t i = 0; i < 4; i++)
        cr_expect_str_eq(kb->values[i].name, names[i]);
    cr_expect_eq(kb->ngoals, 0);
    kb_free(kb);
}

Test(kb_build_inline, values_as_statements_with_a_word_in_capitals)
{
    struct kb *kb = build("tests/data/layouts/wheatear.txt");
    static const char *const names[] = {"Trust", "Empower", "Care"};

    cr_assert_eq(kb->nvalues, 3, "%zu values", kb->nvalues);
    for (size_t i = 0; i < 3; i++)
        cr_expect_str_eq(kb->values[i].name, names[i]);
    cr_expect_str_eq(kb->values[1].description,
                     "We give staff the tools and the freedom to make decisions.");
    kb_free(kb);
}
