/*
 * test_kb_build_layouts.c - the ways strategy pages are written, each in a
 * fixture of our own under tests/data/kb_build/: acronym values with "We
 * will:" bullets and a bare value, goals with labels and measures under
 * them, a non-goal section after the goals; values inline then defined;
 * "Label: text" goals; a strategy-on-a-page table read by columns; and
 * the report a content owner reads.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/base/file.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_build.h"
#include "bot/kb/kb_doc.h"

static struct kb *
build(const char *path, char **report)
{
    char *data, *why = NULL;
    size_t len;
    struct kb_doc doc;
    struct kb *kb = NULL;
    struct kb_build_opts o = {.org = "x", .name = "Test Trust", .doc = path};

    cr_assert_eq(file_read(path, KB_BUILD_MAX_DOC, &data, &len), BOT_OK, "%s", path);
    kb_doc_init(&doc);
    cr_assert_eq(kb_doc_read(&doc, data, len, KB_DOC_TEXT, path, &why), BOT_OK);
    cr_assert_eq(kb_build_doc(&doc, &o, &kb, report, &why), BOT_OK, "%s", why);
    kb_doc_cleanup(&doc);
    free(data);
    return kb;
}

Test(kb_build_layouts, acronym_values_and_labelled_goals)
{
    char *report;
    struct kb *kb = build("tests/data/kb_build/acronym.txt", &report);
    static const char *const names[] = {"Courteous", "Attentive", "Reliable",
                                        "Even-handed"};
    static const size_t nbeh[] = {2, 1, 0, 1};

    cr_assert_eq(kb->nvalues, 4, "%zu values", kb->nvalues);
    for (size_t i = 0; i < 4; i++) {
        cr_expect_str_eq(kb->values[i].name, names[i]);
        cr_expect_eq(kb->values[i].nbehaviours, nbeh[i], "%s", names[i]);
    }
    cr_expect_str_eq(kb->values[0].behaviours[1].text, "explain what happens next");
    cr_assert_eq(kb->ngoals, 3, "measures and the section after are not goals");
    cr_expect_str_eq(kb->goals[0].title, "Goal 1 – Quicker care");
    cr_expect_eq(kb->goals[0].npoints, 2, "the measures are the goal's points");
    cr_expect_str_eq(kb->goals[2].title, "Goal 3 – Greener hospitals");
    cr_expect_str_eq(kb->goals_label, "strategic goals");
    cr_expect_null(kb->vision.text, "the page title names the vision but states none");
    cr_expect_not_null(
        strstr(report, "3 strategic goals under 'Our three strategic goals'"), "%s",
        report);
    cr_expect_not_null(strstr(report, "'Reliable' (line 21) has no behaviours"), "%s",
                       report);
    free(report);
    kb_free(kb);
}

Test(kb_build_layouts, inline_values_statements_and_label_goals)
{
    char *report;
    struct kb *kb = build("tests/data/kb_build/inline.txt", &report);
    const struct kb_ambition *purpose = NULL;

    cr_assert_eq(kb->nvalues, 3);
    cr_expect_str_eq(kb->values[0].name, "Warmth");
    cr_expect_str_eq(kb->values[1].description,
                     "we say what we know and admit what we don't.");
    cr_assert_not_null(kb->vision.text);
    cr_expect_str_eq(
        kb->vision.text,
        "Our vision is that every neighbourhood has a team it knows by name.");
    for (size_t i = 0; i < kb->nambitions; i++) {
        if (strcmp(kb->ambitions[i].kind, "purpose") == 0)
            purpose = &kb->ambitions[i];
    }
    cr_assert_not_null(purpose);
    cr_expect_str_eq(purpose->text,
                     "Our purpose is to help people in Pellbury live well at home.");
    cr_assert_eq(kb->ngoals, 4, "the closing sentence is not a goal");
    cr_expect_str_eq(kb->goals[0].title, "Access");
    cr_expect_str_eq(kb->goals[0].description,
                     "make community services quicker to reach.");
    free(report);
    kb_free(kb);
}

Test(kb_build_layouts, strategy_on_a_page_table)
{
    char *report;
    struct kb *kb = build("tests/data/kb_build/table.txt", &report);

    cr_assert_not_null(kb->vision.text);
    cr_expect_str_eq(kb->vision.text, "Healthy lives for everyone in Durnford",
                     "the 'What we want to be' row is an explanation, not the vision");
    cr_assert_eq(kb->ngoals, 3);
    cr_expect_str_eq(kb->goals[2].title, "A happier workforce");
    cr_assert_eq(kb->nvalues, 2);
    cr_expect_str_eq(kb->values[1].name, "Fairness");
    free(report);
    kb_free(kb);
}

Test(kb_build_layouts, nothing_recognisable_is_refused)
{
    static const char text[] = "Car parking\n\nThe car park opens at 7am.\n";
    struct kb_build_opts o = {.org = "x", .name = "Test Trust", .doc = "p.txt"};
    struct kb *kb = NULL;
    char *why = NULL;

    cr_expect_eq(kb_build(text, sizeof(text) - 1, &o, &kb, &why), BOT_EPARSE);
    cr_expect_null(kb);
    cr_assert_not_null(why);
    cr_expect_not_null(strstr(why, "found no"), "%s", why);
    free(why);
}
