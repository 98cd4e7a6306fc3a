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
#include <time.h>

#include <criterion/criterion.h>

#include "bot/base/buf.h"
#include "bot/base/file.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_build.h"
#include "bot/kb/kb_doc.h"
#include "tests/kb/layout_build.h"

static struct kb *
build(const char *path, char **report)
{
    return layout_build(path, KB_DOC_TEXT, report);
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
    cr_expect_str_eq(kb->goals[0].title, "Quicker care",
                     "the label is the goal's number");
    cr_expect_eq(kb->goals[0].number, 1);
    cr_expect_eq(kb->goals[0].npoints, 2, "the measures are the goal's points");
    cr_expect_str_eq(kb->goals[2].title, "Greener hospitals");
    cr_expect_eq(kb->goals[2].number, 3);
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

/*
 * Lead-ins: a page-title heading with one nav line under it is no list of
 * goals once "Our three objectives ... are to:" lists them; "Our purpose
 * is why we exist:" and a bullet; a vision written as "We will:" and a
 * list; a lead-in naming values after a sentence naming objectives;
 * "Name - definition" lines with bullets under them; "We are Steady - ...".
 */
Test(kb_build_layouts, lead_ins)
{
    char *report;
    struct kb *kb = build("tests/data/kb_build/leadins.txt", &report);

    cr_assert_eq(kb->ngoals, 3, "%s", report);
    cr_expect_str_eq(kb->goals[0].title, "shorten the wait for a first appointment");
    cr_expect_null(strstr(report, "1 objectives"), "%s", report);
    cr_expect_not_null(strstr(report, "dropped the goal 'More in this section'"), "%s",
                       report);
    cr_assert_eq(kb->nambitions, 1);
    cr_expect_str_eq(kb->ambitions[0].kind, "purpose");
    cr_expect_str_eq(kb->ambitions[0].text,
                     "Keeping the people of Tarnley well at home.");
    cr_assert_not_null(kb->vision.text);
    cr_expect_str_eq(
        kb->vision.text,
        "We will: Offer care that is close to home; Grow a workforce that stays.");
    cr_assert_eq(kb->nvalues, 3, "%s", report);
    cr_expect_str_eq(kb->values[0].name, "Fair Play");
    cr_expect_eq(kb->values[0].nbehaviours, 2);
    cr_expect_str_eq(kb->values[1].name, "Open Doors");
    cr_expect_eq(kb->values[1].nbehaviours, 1,
                 "the bullet under a 'Name - definition' line");
    cr_expect_str_eq(kb->values[2].name, "Steady");
    cr_expect_str_eq(kb->values[2].description, "keeping calm when the pressure is on");
    free(report);
    kb_free(kb);
}

/*
 * What a page's chrome must not become: alt text the page repeats, links
 * under an objectives heading, a "Behaviours" heading under values; and
 * statements written other ways: two in one sentence, a list under a bare
 * "Purpose", "Our ambition is clear." and the sentence that states it;
 * goals named inline in their section ("Our strategic themes are ...").
 */
Test(kb_build_layouts, chrome_and_other_statements)
{
    char *report;
    struct kb *kb = build("tests/data/kb_build/chrome.txt", &report);
    static const char *const themes[] = {"Safety", "Access", "People", "Partnerships",
                                         "Money"};
    const char *sentence =
        "Our mission is keeping Fenwold healthy and our vision is to be the hospital "
        "Fenwold chooses.";
    const char *purpose = NULL, *ambition = NULL;

    cr_assert_eq(kb->ngoals, 5, "%s", report);
    for (size_t i = 0; i < 5; i++)
        cr_expect_str_eq(kb->goals[i].title, themes[i]);
    cr_expect_eq(kb->nvalues, 0,
                 "alt text, a poster sentence and 'Behaviours' are no values");
    cr_expect_not_null(strstr(report, "nothing under 'Our values' (line 25)"), "%s",
                       report);
    cr_assert_not_null(kb->mission.text);
    cr_expect_str_eq(kb->mission.text, sentence);
    cr_assert_not_null(kb->vision.text);
    cr_expect_str_eq(kb->vision.text, sentence);
    for (size_t i = 0; i < kb->nambitions; i++) {
        if (strcmp(kb->ambitions[i].kind, "purpose") == 0)
            purpose = kb->ambitions[i].text;
        else if (strcmp(kb->ambitions[i].kind, "ambition") == 0)
            ambition = kb->ambitions[i].text;
    }
    cr_assert_not_null(purpose);
    cr_expect_str_eq(purpose, "Keep people out of hospital; Make every pound count.");
    cr_assert_not_null(ambition);
    cr_expect_str_eq(
        ambition, "We want every patient to leave saying they were treated as a person.");
    free(report);
    kb_free(kb);
}

/*
 * Values revised: the listed values win over the ones an earlier sentence
 * names (reported); a bare name may end in a full stop; "our values are
 * well-liked and widely used" describes them; "We are ..." statements that
 * name no value are reported, and so is the one that might.
 */
Test(kb_build_layouts, revised_values)
{
    char *report;
    struct kb *kb = build("tests/data/kb_build/revised.txt", &report);
    static const char *const names[] = {"Care and kindness", "Courage",
                                        "Candour and trust", "Shared pride"};

    cr_assert_eq(kb->nvalues, 4, "%s", report);
    for (size_t i = 0; i < 4; i++)
        cr_expect_str_eq(kb->values[i].name, names[i]);
    cr_expect_not_null(strstr(report, "'Pride' is named as a value in a sentence"), "%s",
                       report);
    free(report);
    kb_free(kb);
}

/*
 * A huge page: one paragraph hard-wrapped over 40,000 lines, then 20,000
 * "Name: text" values.  Building it stays linear (once it took minutes:
 * joining the lines, growing the line array by one, and reading every word
 * of a long lead-in were quadratic; under ASan, whose realloc always
 * copies, most of all) and stops at KB_BUILD_MAX_ITEMS values, saying so.
 */
Test(kb_build_layouts, huge_page_is_linear_and_capped, .timeout = 60)
{
    struct buf doc;
    struct kb_doc d;
    struct kb *kb = NULL;
    char *why = NULL, *report = NULL;
    struct kb_build_opts o = {.org = "x", .name = "Test Trust", .doc = "huge.txt"};
    struct timespec t0, t1;

    buf_init(&doc, KB_BUILD_MAX_DOC);
    cr_assert_eq(buf_printf(&doc, "Our values\n\nstart of a paragraph\n"), BOT_OK);
    for (int i = 0; i < 40000; i++)
        cr_assert_eq(buf_printf(&doc, "and it goes on without a stop\n"), BOT_OK);
    cr_assert_eq(buf_printf(&doc, "\nOur values are:\n"), BOT_OK);
    for (int i = 0; i < 20000; i++)
        cr_assert_eq(buf_printf(&doc, "Value %d: we do thing %d.\n", i, i), BOT_OK);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    kb_doc_init(&d);
    cr_assert_eq(kb_doc_read(&d, buf_str(&doc), doc.len, KB_DOC_TEXT, "huge.txt", &why),
                 BOT_OK);
    cr_assert_eq(kb_build_doc(&d, &o, &kb, &report, &why), BOT_OK, "%s", why);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cr_expect_lt((double)(t1.tv_sec - t0.tv_sec), 5.0, "took %lds",
                 (long)(t1.tv_sec - t0.tv_sec));
    cr_expect_eq(kb->nvalues, 100);
    cr_expect_not_null(strstr(report, "more than 100 values"), "%s", report);
    kb_free(kb);
    free(report);
    kb_doc_cleanup(&d);
    buf_cleanup(&doc);
}

/* The strategy's name, however the page writes it; its years dropped. */
Test(kb_build_layouts, strategy_names)
{
    static const struct {
        const char *text, *name;
    } cases[] = {
        {"Our vision\nHealthy towns.\n\nBrighter Days is our five-year strategy.\n",
         "Brighter Days"},
        {"Our strategy: Open Doors 2024–"
         "2029\n\nOur vision\nHealthy towns.\n",
         "Open Doors"},
        {"Our vision\nHealthy towns.\n\nOur strategy, Well Together 2023–"
         "2028, "
         "has three goals.\n",
         "Well Together"},
        {"Our vision\nHealthy towns.\n\nOur strategy for 2025 to 2030, One Team, One "
         "Town, "
         "joins two trusts.\n",
         "One Team, One Town"},
        {"Our vision\nHealthy towns.\n\nWe published our joint plan, Healthy Ashby, in "
         "May.\n",
         "Healthy Ashby"},
        {"Our vision\nHealthy towns.\n\nThe aims of Fit for Ashby 2021–"
         "2026 remain "
         "in place.\n",
         "Fit for Ashby"},
        {"Our vision\nHealthy towns.\n\nWe launched our ‘Care "
         "First’ "
         "Trust Strategy in 2019.\n",
         "Care First"},
        {"Our vision\nHealthy towns.\n\nThe hospital opened in 1921.\n", ""},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct kb_build_opts o = {.org = "x", .name = "Test Trust", .doc = "s.txt"};
        struct kb *kb = NULL;
        char *why = NULL;

        cr_assert_eq(kb_build(cases[i].text, strlen(cases[i].text), &o, &kb, &why),
                     BOT_OK, "%zu: %s", i, why);
        cr_expect_str_eq(kb->strategy, cases[i].name, "case %zu", i);
        kb_free(kb);
    }
}

/*
 * Blocks as a web page's reader gives them (no text reader involved): value
 * cards whose behaviours are one paragraph each, a bare card, a bold lead
 * ending in a colon, a goal whose lead is only its label, a "Photo:" line
 * kept as a paragraph, a statement in a heading.
 */
Test(kb_build_layouts, blocks_from_a_web_page)
{
    struct kb_doc d;
    struct kb *kb = NULL;
    char *why = NULL, *report = NULL;
    struct kb_build_opts o = {.org = "x", .name = "Test Trust", .doc = "p.html"};
    unsigned src, line = 0;
    struct kb_block *b;

    kb_doc_init(&d);
    cr_assert_eq(kb_doc_add_source(&d, "p.html", &src), BOT_OK);
    b = kb_doc_add(&d, KB_BLOCK_HEADING, "Our vision: healthy lives in every valley", src,
                   ++line);
    b->level = 1;
    b = kb_doc_add(&d, KB_BLOCK_PARAGRAPH,
                   "Our strategy has two strategic objectives:", src, ++line);
    b = kb_doc_add(&d, KB_BLOCK_PARAGRAPH,
                   "Strategic objective 1: Treat people sooner in every clinic", src,
                   ++line);
    b->lead = xstrdup("Strategic objective 1:");
    b = kb_doc_add(&d, KB_BLOCK_PARAGRAPH,
                   "Strategic objective 2: Keep our staff well and learning", src,
                   ++line);
    b->lead = xstrdup("Strategic objective 2:");
    b = kb_doc_add(&d, KB_BLOCK_HEADING, "Our values", src, ++line);
    b->level = 2;
    kb_doc_add(&d, KB_BLOCK_PARAGRAPH, "Kindness", src, ++line);
    kb_doc_add(&d, KB_BLOCK_PARAGRAPH, "We say hello to everyone.", src, ++line);
    kb_doc_add(&d, KB_BLOCK_PARAGRAPH, "We check on colleagues after a hard shift.", src,
               ++line);
    kb_doc_add(&d, KB_BLOCK_PARAGRAPH, "Pride", src, ++line);
    b = kb_doc_add(&d, KB_BLOCK_PARAGRAPH, "Honesty: we say what we know.", src, ++line);
    b->lead = xstrdup("Honesty:");
    kb_doc_add(&d, KB_BLOCK_PARAGRAPH, "Photo: the night team at work", src, ++line);
    cr_assert_eq(kb_build_doc(&d, &o, &kb, &report, &why), BOT_OK, "%s", why);
    cr_assert_not_null(kb->vision.text);
    cr_expect_str_eq(kb->vision.text, "healthy lives in every valley");
    cr_assert_eq(kb->ngoals, 2, "%s", report);
    cr_expect_str_eq(kb->goals[0].title, "Treat people sooner in every clinic");
    cr_expect_eq(kb->goals[1].number, 2);
    cr_assert_eq(kb->nvalues, 3, "%s", report);
    cr_expect_str_eq(kb->values[0].name, "Kindness");
    cr_expect_eq(kb->values[0].nbehaviours, 2, "one paragraph each");
    cr_expect_str_eq(kb->values[0].description, "");
    cr_expect_str_eq(kb->values[1].name, "Pride");
    cr_expect_eq(kb->values[1].nbehaviours, 0);
    cr_expect_str_eq(kb->values[2].name, "Honesty");
    cr_expect_str_eq(kb->values[2].description, "we say what we know.");
    kb_free(kb);
    free(report);
    kb_doc_cleanup(&d);
}

/*
 * Blocks as a PDF or web page reader gives them: a labelled goal with its
 * "How we'll get there: ..." run into one paragraph (a point, and the next
 * label still a goal); a "Find out more" line that ends the values though
 * it is no heading; goals as a list under a heading that does not call
 * them goals (taken, and reported as unsure), not the behaviours' lists.
 */
Test(kb_build_layouts, blocks_from_a_pdf)
{
    struct kb_doc d;
    struct kb *kb = NULL;
    char *why = NULL, *report = NULL;
    struct kb_build_opts o = {.org = "x", .name = "Test Trust", .doc = "p.pdf"};
    unsigned src, line = 0;
    static const char *const changes[] = {"Shorter waits for scans", "A new day unit",
                                          "More care at home"};

    kb_doc_init(&d);
    cr_assert_eq(kb_doc_add_source(&d, "p.pdf", &src), BOT_OK);
    kb_doc_add(&d, KB_BLOCK_HEADING, "Our values", src, ++line)->level = 2;
    kb_doc_add(&d, KB_BLOCK_ITEM, "Hope – we believe people recover.", src, ++line)
        ->list = 1;
    kb_doc_add(&d, KB_BLOCK_ITEM, "Care – we notice and act.", src, ++line)->list = 1;
    kb_doc_add(&d, KB_BLOCK_PARAGRAPH, "Find out more", src, ++line);
    kb_doc_add(&d, KB_BLOCK_ITEM, "Easy read version", src, ++line)->list = 2;
    kb_doc_add(&d, KB_BLOCK_HEADING, "What will be different by 2030", src, ++line)
        ->level = 2;
    for (size_t i = 0; i < 3; i++)
        kb_doc_add(&d, KB_BLOCK_ITEM, changes[i], src, ++line)->list = 3;
    kb_doc_add(&d, KB_BLOCK_HEADING, "Our priorities", src, ++line)->level = 2;
    cr_assert_eq(kb_build_doc(&d, &o, &kb, &report, &why), BOT_OK, "%s", why);
    cr_expect_eq(kb->nvalues, 2, "%s", report);
    cr_assert_eq(kb->ngoals, 3, "%s", report);
    for (size_t i = 0; i < 3; i++)
        cr_expect_str_eq(kb->goals[i].title, changes[i]);
    cr_expect_not_null(strstr(report,
                              "unsure: 3 goals taken from the lines under 'What will "
                              "be different by 2030'"),
                       "%s", report);
    kb_free(kb);
    free(report);
    kb_doc_cleanup(&d);

    kb_doc_init(&d);
    line = 0;
    cr_assert_eq(kb_doc_add_source(&d, "p.pdf", &src), BOT_OK);
    kb_doc_add(&d, KB_BLOCK_HEADING, "Our strategic priorities", src, ++line)->level = 2;
    kb_doc_add(&d, KB_BLOCK_PARAGRAPH, "Priority 1: Faster treatment", src, ++line);
    kb_doc_add(&d, KB_BLOCK_PARAGRAPH, "Too many people wait too long.", src, ++line);
    kb_doc_add(&d, KB_BLOCK_PARAGRAPH,
               "How we'll get there: run theatres six days a week open a second hub", src,
               ++line);
    kb_doc_add(&d, KB_BLOCK_PARAGRAPH, "Priority 2: Research that changes practice", src,
               ++line);
    kb_doc_add(&d, KB_BLOCK_PARAGRAPH, "We will expand our trials unit.", src, ++line);
    cr_assert_eq(kb_build_doc(&d, &o, &kb, &report, &why), BOT_OK, "%s", why);
    cr_assert_eq(kb->ngoals, 2, "%s", report);
    cr_expect_str_eq(kb->goals[0].title, "Faster treatment");
    cr_expect_str_eq(kb->goals[0].description, "Too many people wait too long.");
    cr_expect_eq(kb->goals[0].npoints, 1);
    cr_expect_str_eq(kb->goals[1].title, "Research that changes practice");
    cr_expect_eq(kb->goals[1].number, 2);
    kb_free(kb);
    free(report);
    kb_doc_cleanup(&d);
}

/*
 * Two sources make one KB (a values page and a strategy PDF): every item
 * names its source and, from the PDF, its page; the JSON keeps them
 * ("sources", "source", "page") and reads them back.
 */
Test(kb_build_layouts, provenance_from_two_sources)
{
    static const char values_page[] =
        "Our values\n\n- Care: we notice.\n- Hope: we believe.\n";
    struct kb_doc d;
    struct kb *kb = NULL, *back = NULL;
    char *why = NULL, *report = NULL, *json;
    struct kb_build_opts o = {.org = "x", .name = "Test Trust"};
    unsigned src;
    struct kb_block *b;

    kb_doc_init(&d);
    cr_assert_eq(kb_doc_read(&d, values_page, sizeof(values_page) - 1, KB_DOC_TEXT,
                             "values.txt", &why),
                 BOT_OK);
    cr_assert_eq(kb_doc_add_source(&d, "strategy.pdf", &src), BOT_OK);
    b = kb_doc_add(&d, KB_BLOCK_HEADING, "Our vision", src, 0);
    b->level = 2;
    b->page = 2;
    kb_doc_add(&d, KB_BLOCK_PARAGRAPH, "Healthy lives in every valley.", src, 0)->page =
        2;
    cr_assert_eq(kb_build_doc(&d, &o, &kb, &report, &why), BOT_OK, "%s", why);
    cr_assert_eq(kb->nsources, 2);
    cr_expect_str_eq(kb->sources[1], "strategy.pdf");
    cr_expect_str_eq(kb->doc, "values.txt");
    cr_assert_eq(kb->nvalues, 2);
    cr_expect_eq(kb->values[1].src, 0);
    cr_expect_eq(kb->values[1].line, 4);
    cr_assert_not_null(kb->vision.text);
    cr_expect_eq(kb->vision.src, 1);
    cr_expect_eq(kb->vision.page, 2);
    json = kb_format(kb);
    cr_assert_eq(kb_parse(json, strlen(json), &back, &why), BOT_OK, "%s", why);
    cr_assert_eq(back->nsources, 2);
    cr_expect_eq(back->vision.src, 1);
    cr_expect_eq(back->vision.page, 2);
    cr_expect_not_null(strstr(json, "\"page\": 2"), "%s", json);
    free(json);
    kb_free(back);
    kb_free(kb);
    free(report);
    kb_doc_cleanup(&d);
}

/* A "source" must index "sources"; a text KB has neither, as before. */
Test(kb_build_layouts, provenance_is_checked)
{
    static const char bad[] =
        "{\"schema\": 1, \"org\": \"x\", \"name\": \"X\", \"values\": "
        "[{\"name\": \"Care\", \"source\": 3}]}";
    struct kb *kb = NULL;
    char *why = NULL;

    cr_expect_eq(kb_parse(bad, sizeof(bad) - 1, &kb, &why), BOT_EPARSE);
    cr_assert_not_null(why);
    cr_expect_not_null(strstr(why, "values[0].source"), "%s", why);
    free(why);
}

/* A PDF's blocks have pages, not lines: the report says where by page. */
Test(kb_build_layouts, report_names_pages_for_a_pdf)
{
    struct kb_doc doc;
    struct kb *kb = NULL;
    char *report = NULL, *why = NULL;
    struct kb_build_opts o = {.org = "x", .name = "Test Trust", .doc = "t.pdf"};
    static const struct {
        enum kb_block_kind kind;
        const char *text;
        unsigned page;
    } blocks[] = {{KB_BLOCK_HEADING, "Our values", 2},
                  {KB_BLOCK_ITEM, "Kindness: we care", 2},
                  {KB_BLOCK_ITEM, "Honesty: we tell the truth", 3},
                  {KB_BLOCK_HEADING, "Our vision", 3},
                  {KB_BLOCK_PARAGRAPH, "Well people.", 3}};

    kb_doc_init(&doc);
    for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
        struct kb_block *b = kb_doc_add(&doc, blocks[i].kind, blocks[i].text, 0, 0);

        b->page = blocks[i].page;
        if (b->kind == KB_BLOCK_ITEM)
            b->list = b->level = 1;
        if (b->kind == KB_BLOCK_HEADING)
            b->level = 2;
    }
    cr_assert_eq(kb_build_doc(&doc, &o, &kb, &report, &why), BOT_OK, "%s", why);
    cr_expect_not_null(strstr(report, "2 values under 'Our values', pages 2-3"), "%s",
                       report);
    cr_expect_not_null(strstr(report, "vision, page 3"), "%s", report);
    cr_expect_null(strstr(report, "line 0"), "%s", report);
    free(report);
    kb_free(kb);
    kb_doc_cleanup(&doc);
}

static struct kb *
build_html(const char *path, char **report)
{
    return layout_build(path, KB_DOC_HTML, report);
}

static void
expect_values(const struct kb *kb, const char *const *names, const size_t *nbeh, size_t n)
{
    cr_assert_eq(kb->nvalues, n, "%zu values", kb->nvalues);
    for (size_t i = 0; i < n; i++) {
        cr_expect_str_eq(kb->values[i].name, names[i]);
        if (nbeh != NULL)
            cr_expect_eq(kb->values[i].nbehaviours, nbeh[i], "%s: %zu behaviours",
                         names[i], kb->values[i].nbehaviours);
    }
}

/* "Our refreshed Values..." / "Our new look Values…": the heading's decoration
   and its words of its own do not hide that it names the values. */
Test(kb_build_layouts, decorated_values_heading)
{
    char *report;
    struct kb *kb = build("tests/data/kb_build/decorated.txt", &report);
    static const char *const names[] = {"Respect", "Openness", "Courage"};
    static const size_t nbeh[] = {2, 2, 1};

    expect_values(kb, names, nbeh, 3);
    cr_expect_eq(kb->ngoals, 2, "the goals after the values are goals");
    free(report);
    kb_free(kb);

    kb = build("tests/data/kb_build/decorated2.txt", &report);
    static const char *const names2[] = {"Kindness", "Pride"};
    static const size_t nbeh2[] = {1, 1};

    expect_values(kb, names2, nbeh2, 2);
    cr_expect_not_null(kb->vision.text);
    free(report);
    kb_free(kb);
}

/* "Proud to LEAD – our values for ...": the values named after other words. */
Test(kb_build_layouts, values_named_after_a_dash)
{
    char *report;
    struct kb *kb = build("tests/data/kb_build/values_later.txt", &report);
    static const char *const names[] = {"Listening", "Empathy", "Ambition", "Dignity"};

    expect_values(kb, names, NULL, 4);
    cr_expect_eq(kb->ngoals, 2);
    free(report);
    kb_free(kb);
}

/* "Living the WISE values ...": the list's initials spell the heading's acronym. */
Test(kb_build_layouts, values_whose_initials_spell_the_acronym)
{
    char *report;
    struct kb *kb = build("tests/data/kb_build/values_acronym.txt", &report);
    static const char *const names[] = {"Welcoming", "Inclusive", "Safe", "Empowering"};

    expect_values(kb, names, NULL, 4);
    cr_expect_eq(kb->ngoals, 2, "the priorities stay goals");
    free(report);
    kb_free(kb);
}

/* "We have grouped the values under three headings: A, B, C." - the headings it
   names are the values; the lines under them are behaviours, explained. */
Test(kb_build_layouts, values_named_as_headings_in_a_sentence)
{
    static const char *const names[] = {"Positively", "Respectfully", "Together"};
    static const size_t nbeh[] = {2, 1, 1};
    char *report;
    struct kb *kb = build("tests/data/kb_build/named_headings.txt", &report);

    expect_values(kb, names, nbeh, 3);
    cr_expect_str_eq(kb->values[0].behaviours[0].text,
                     "Be proactive: We look for ways to improve.");
    cr_expect_eq(kb->ngoals, 2);
    cr_expect_null(strstr(report, "names none"), "%s", report);
    free(report);
    kb_free(kb);

    kb = build_html("tests/data/kb_build/named_headings.html", &report);
    expect_values(kb, names, nbeh, 3);
    cr_expect_str_eq(kb->values[2].behaviours[0].text,
                     "Be a team: We support colleagues in every role.");
    cr_expect_eq(kb->ngoals, 2, "the next heading as high as the values ends them");
    free(report);
    kb_free(kb);
}

/* "We are Caring" headings with "We ..." bullets; "Name: sentences" bullets. */
Test(kb_build_layouts, we_are_headings_and_defined_values)
{
    static const char *const names[] = {"Caring", "Fair", "Bold"};
    static const size_t nbeh[] = {2, 1, 1};
    static const char *const names2[] = {"Fairness", "Courage", "Teamwork"};
    char *report;
    struct kb *kb = build("tests/data/kb_build/we_are.txt", &report);

    expect_values(kb, names, nbeh, 3);
    cr_expect_eq(kb->ngoals, 2);
    free(report);
    kb_free(kb);

    kb = build("tests/data/kb_build/values_defs.txt", &report);
    expect_values(kb, names2, NULL, 3);
    cr_expect_str_eq(kb->values[1].description,
                     "we speak up. We say when something is wrong.");
    free(report);
    kb_free(kb);
}

/* A list after a lead-in that does not say what it lists: reported, not taken. */
Test(kb_build_layouts, unnamed_list_is_reported_not_taken)
{
    char *report;
    struct kb *kb = build("tests/data/kb_build/unnamed_list.txt", &report);

    cr_expect_eq(kb->nvalues, 0);
    cr_expect_eq(kb->ngoals, 0);
    cr_expect_not_null(kb->mission.text);
    cr_expect_not_null(strstr(report, "unsure: 3 'Name: text' lines follow 'We care "
                                      "about the whole person"),
                       "%s", report);
    cr_expect_not_null(strstr(report, "(line 3)"), "%s", report);
    free(report);
    kb_free(kb);
}

/* Under the values heading, a sentence names them and no heading does: the
   sentence's names are the values, not the next heading. */
Test(kb_build_layouts, values_in_a_sentence_under_their_heading)
{
    static const char *const names[] = {"Respect", "Fairness", "Service", "Excellence"};
    char *report;
    struct kb *kb = build("tests/data/kb_build/values_sentence.txt", &report);

    expect_values(kb, names, NULL, 4);
    cr_expect_null(strstr(report, "nothing under 'Our Values'"), "%s", report);
    free(report);
    kb_free(kb);
}

/* "including how we:" then lower-case items: a list of something else. */
Test(kb_build_layouts, list_after_another_lead_in_is_not_values)
{
    static const char *const names[] = {"Openly", "Kindly", "Together"};
    char *report;
    struct kb *kb = build("tests/data/kb_build/values_other_list.txt", &report);

    expect_values(kb, names, NULL, 3);
    free(report);
    kb_free(kb);
}

/* "Driven by our values of a, b, c and d, the plan has three parts:": the values
   are in the sentence, the list ends before "the plan", and "KIND Trust values"
   (a banner) is no value. */
Test(kb_build_layouts, values_listed_inside_a_lead_in)
{
    static const char *const names[] = {"kindness", "integrity", "neighbourliness",
                                        "diligence"};
    char *report;
    struct kb *kb = build("tests/data/kb_build/values_in_leadin.txt", &report);

    expect_values(kb, names, NULL, 4);
    free(report);
    kb_free(kb);
}

/* "the plan sets out four priorities." then a list of four: the count says
   what the list is, though no heading does. */
Test(kb_build_layouts, goals_named_by_their_count)
{
    char *report;
    struct kb *kb = build("tests/data/kb_build/goals_counted.txt", &report);

    cr_assert_eq(kb->ngoals, 4, "%s", report);
    cr_expect_not_null(strstr(kb->goals[0].title, "We will see people sooner"), "%s",
                       kb->goals[0].title);
    cr_expect_not_null(strstr(kb->goals[3].title, "spend every pound well"));
    free(report);
    kb_free(kb);
}

/* "We are always GROWING ...": under a principles heading, the one word in
   capitals in a "we" sentence names the value; the sentence defines it. */
Test(kb_build_layouts, values_in_capitals_inside_sentences)
{
    static const char *const names[] = {"Hearing", "Growing", "Sharing"};
    char *report;
    struct kb *kb = build("tests/data/kb_build/values_in_capitals.txt", &report);

    expect_values(kb, names, NULL, 3);
    cr_expect_str_eq(kb->values[1].description,
                     "We are always GROWING, learning from what went well and what did "
                     "not.");
    free(report);
    kb_free(kb);
}

/* "Name: what it means" then "We will:" and a list: the list is its behaviours. */
Test(kb_build_layouts, labelled_value_with_we_will_lists)
{
    static const char *const names[] = {"Care for everyone", "Learning together"};
    static const size_t nbeh[] = {3, 1};
    char *report;
    struct kb *kb = build("tests/data/kb_build/values_label_then_will.txt", &report);

    expect_values(kb, names, nbeh, 2);
    cr_expect_str_eq(kb->values[0].behaviours[0].text,
                     "actively listen – take time to hear what people say");
    free(report);
    kb_free(kb);
}

/* "We seek Progress" beside "We are Gentle": the name is the capitalised part. */
Test(kb_build_layouts, we_verb_name_items)
{
    static const char *const names[] = {"Gentle", "Steady", "Progress"};
    char *report;
    struct kb *kb = build("tests/data/kb_build/values_we_verb.txt", &report);

    expect_values(kb, names, NULL, 3);
    free(report);
    kb_free(kb);
}

/* Lists of behaviours under "values and behaviours", the values' names being
   pictures: the short behaviours are not taken as values; the report says so. */
Test(kb_build_layouts, behaviour_lists_are_not_value_names)
{
    char *report;
    struct kb *kb = build("tests/data/kb_build/values_behaviours_only.txt", &report);

    cr_expect_eq(kb->nvalues, 0, "%s", report);
    cr_expect_not_null(kb->vision.text);
    cr_expect_not_null(strstr(report, "reads as behaviours, not value names"), "%s",
                       report);
    free(report);
    kb_free(kb);
}

/* Objectives written as paragraphs of their own, each saying what will be done,
   one under a short title; the paragraphs about the objectives are not ones. */
Test(kb_build_layouts, goals_as_will_paragraphs)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/larchfield.txt", &report);

    cr_assert_eq(kb->ngoals, 5, "%s", report);
    cr_expect_str_eq(kb->goals[0].title,
                     "We will cut waiting times for planned operations "
                     "across all three of our hospitals.");
    cr_expect_str_eq(kb->goals[3].title, "Greener estates");
    cr_expect_str_eq(kb->goals[3].description,
                     "We are committed to halving the carbon footprint of our buildings "
                     "by 2032.");
    cr_expect_str_eq(
        kb->goals[4].title,
        "A well-led and well-run organisation will support everything we do.");
    cr_expect_str_eq(kb->goals_label, "strategic objectives");
    cr_expect_not_null(kb->vision.text, "the vision after the goals is read");
    cr_expect_not_null(strstr(report, "from paragraphs saying what will be done"), "%s",
                       report);
    free(report);
    kb_free(kb);
}

/* Two sentences with "will" under a priorities heading are news, not goals. */
Test(kb_build_layouts, few_will_paragraphs_are_not_goals)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/thornby.txt", &report);

    cr_expect_eq(kb->ngoals, 0, "%s", report);
    cr_expect_eq(kb->nvalues, 2);
    free(report);
    kb_free(kb);
}

/* A page's date ("Last updated: ...") under the page's values title is no value;
   "&" in the sentence naming the values matches "and" in a heading; "strategic
   initiatives" are goals. */
Test(kb_build_layouts, dated_page_and_ampersand_values)
{
    static const char *const names[] = {"Open Hearts", "Steady Hands",
                                        "Learning and Growing"};
    static const size_t nbeh[] = {2, 2, 0};
    char *report;
    struct kb *kb = build("tests/data/layouts/brookmere.txt", &report);

    expect_values(kb, names, nbeh, 3);
    cr_expect_not_null(strstr(kb->values[2].description, "curiosity"));
    cr_expect_eq(kb->ngoals, 3, "%s", report);
    cr_expect_str_eq(kb->goals_label, "strategic initiatives");
    cr_expect_null(strstr(report, "Last updated"), "%s", report);
    free(report);
    kb_free(kb);
}

/* "... through our HOPE values." then a name on a line of its own, each with a
   sentence, spelling the acronym: the values; the mission in single quotes. */
Test(kb_build_layouts, acronym_values_after_a_sentence)
{
    static const char *const names[] = {"Honesty", "Openness", "Patience", "Energy"};
    char *report;
    struct kb *kb = build("tests/data/layouts/kestrel.txt", &report);

    expect_values(kb, names, NULL, 4);
    cr_expect_str_eq(kb->values[0].description,
                     "We say what we know and admit what we do not.");
    cr_expect_str_eq(kb->values[3].description,
                     "We bring ideas and stamina to every shift.",
                     "the closing paragraph "
                     "is not the last value's");
    cr_expect_str_eq(kb->mission.text, "to give every child in the vale a healthy start, "
                                       "whatever it\xe2\x80\x99s like at home.");
    free(report);
    kb_free(kb);

    kb = build("tests/data/layouts/kestrel2.txt", &report);
    cr_expect_eq(kb->nvalues, 0, "initials out of order spell nothing: %s", report);
    free(report);
    kb_free(kb);
}

/* A goals table under "Our corporate objectives": each row a goal, and each row
   a passage the answers can quote, its cells under their column's header. */
Test(kb_build_layouts, goals_table_rows_and_row_passages)
{
    char *report;
    struct kb *kb = build_html("tests/data/layouts/osprey.html", &report);
    bool target = false, hours = false;

    cr_assert_eq(kb->ngoals, 2, "%s", report);
    cr_expect_str_eq(kb->goals[0].title, "Safer care");
    cr_expect_str_eq(kb->goals[0].description, "Halve falls on our wards");
    cr_assert_eq(kb->goals[0].npoints, 1);
    cr_expect_str_eq(kb->goals[0].points[0].text,
                     "Falls per 1,000 bed days below 3 by March 2026");
    for (size_t i = 0; i < kb->npassages; i++) {
        const char *t = kb->passages[i].text;

        target = target || strcmp(t, "Our people \xe2\x80\x93 What we will do: Keep the "
                                     "staff we train; How we will know: Turnover under "
                                     "10% each quarter") == 0;
        hours = hours || strcmp(t, "Bay Hospital \xe2\x80\x93 Open: 24 hours") == 0;
        cr_expect_null(strstr(t, "Objective"), "the header is no passage: %s", t);
    }
    cr_expect(target, "the row is a passage");
    cr_expect(hours, "a table that is not goals gives passages too");
    cr_expect_eq(kb->nvalues, 0);
    free(report);
    kb_free(kb);
}

/* "our vision of giving ..., we ...": the vision named in passing is taken only
   when the page states none outright. */
Test(kb_build_layouts, vision_named_in_passing)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/wren.txt", &report);

    cr_assert_not_null(kb->vision.text, "%s", report);
    cr_expect_str_eq(kb->vision.text,
                     "giving every family on the estuary a healthy start");
    cr_expect_eq(kb->vision.line, 3);
    cr_expect_eq(kb->nvalues, 3);
    free(report);
    kb_free(kb);

    kb = build("tests/data/layouts/wren2.txt", &report);
    cr_assert_not_null(kb->vision.text, "%s", report);
    cr_expect_str_eq(kb->vision.text, "Healthy families, strong communities.");
    free(report);
    kb_free(kb);
}

/* "your vision of improving ...": someone else's vision, asked for, is none of
   the page's: "our" named in passing must be a word of its own. */
Test(kb_build_layouts, your_vision_is_not_ours)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/sparrow.txt", &report);

    cr_expect_eq(kb->nvalues, 3, "%s", report);
    cr_expect_null(kb->vision.text, "vision: %s", kb->vision.text);
    cr_expect_null(kb->mission.text, "mission: %s", kb->mission.text);
    free(report);
    kb_free(kb);
}

/* "The purpose of this document is:": a lead-in about the page itself (or
   anything else "this" points at) opens no statement of the trust's. */
Test(kb_build_layouts, purpose_of_this_document_is_no_statement)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/dunnock.txt", &report);

    cr_expect_eq(kb->nvalues, 3, "%s", report);
    cr_expect_eq(kb->nambitions, 0, "%s", report);
    cr_expect_null(kb->mission.text);
    cr_expect_null(kb->vision.text);
    free(report);
    kb_free(kb);
}

/* Two pages, each ending or starting with a table: the second table's first
   row is its own header, not a row under the first table's header. */
Test(kb_build_layouts, a_table_on_the_next_page_has_its_own_header)
{
    static const char a[] =
        "Our values\n\n* Kindness\n* Courage\n* Teamwork\n\nClinics\n\n"
        "| Site | Open |\n|---|---|\n| Bay Hospital | 24 hours |\n";
    static const char b[] =
        "| Team | Phone |\n|---|---|\n| District nurses | 0100 200 |\n";
    struct kb_build_opts o = {.org = "x", .name = "Test Trust", .doc = "a.md"};
    struct kb_doc doc;
    struct kb *kb = NULL;
    char *why = NULL, *report = NULL;
    bool bay = false, nurses = false;

    kb_doc_init(&doc);
    cr_assert_eq(kb_doc_read(&doc, a, strlen(a), KB_DOC_TEXT, "a.md", &why), BOT_OK);
    cr_assert_eq(kb_doc_read(&doc, b, strlen(b), KB_DOC_TEXT, "b.md", &why), BOT_OK);
    cr_assert_eq(kb_build_doc(&doc, &o, &kb, &report, &why), BOT_OK, "%s", why);
    for (size_t i = 0; i < kb->npassages; i++) {
        const char *t = kb->passages[i].text;

        bay = bay || strcmp(t, "Bay Hospital \xe2\x80\x93 Open: 24 hours") == 0;
        nurses = nurses || strcmp(t, "District nurses \xe2\x80\x93 Phone: 0100 200") == 0;
        cr_expect_null(strstr(t, "Open: Phone"), "the second header is no row: %s", t);
    }
    cr_expect(bay, "the first table's row");
    cr_expect(nurses, "the second table's row under its own header");
    free(report);
    kb_free(kb);
    kb_doc_cleanup(&doc);
}

/* "The HEART of our culture" and a list spelling it: values without the word
   "values"; a list spelling "SBAR" under a heading about handovers is not. */
Test(kb_build_layouts, acronym_values_under_a_culture_heading)
{
    static const char *const names[] = {"Honest", "Empathetic", "Accountable",
                                        "Respectful", "Together"};
    char *report;
    struct kb *kb = build("tests/data/layouts/heron.txt", &report);

    expect_values(kb, names, NULL, 5);
    cr_expect_str_eq(kb->values[0].description, "we say what we know");
    cr_expect_not_null(kb->vision.text);
    cr_expect_eq(kb->ngoals, 0, "neither the values nor the SBAR words are goals: %s",
                 report);
    free(report);
    kb_free(kb);
}

/* "... a new vision for the Trust, which is:" then the vision in quotes. */
Test(kb_build_layouts, statement_after_a_which_is_lead_in)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/plover.txt", &report);

    cr_assert_not_null(kb->vision.text, "%s", report);
    cr_expect_str_eq(kb->vision.text, "Good care, close to home, for every generation");
    cr_expect_eq(kb->vision.line, 5);
    cr_expect_null(kb->mission.text);
    cr_expect_eq(kb->ngoals, 4, "%s", report);
    free(report);
    kb_free(kb);
}

/* Markdown tables: a values table read by rows, a goals table a goal a row. */
Test(kb_build_layouts, markdown_tables)
{
    static const char *const names[] = {"Kindness", "Fairness"};
    static const size_t nbeh[] = {1, 1};
    char *report;
    struct kb *kb = build("tests/data/layouts/finch.md", &report);

    expect_values(kb, names, nbeh, 2);
    cr_expect_str_eq(kb->values[1].description, "Everyone gets the care they need");
    cr_assert_eq(kb->ngoals, 2, "%s", report);
    cr_expect_str_eq(kb->goals[1].title, "Healthy workforce");
    cr_expect_str_eq(kb->goals[1].description, "Sickness absence under 4%");
    free(report);
    kb_free(kb);
}

/* "We don't:" over a list: the behaviours keep it, so they do not read as things
   to do. */
Test(kb_build_layouts, negative_behaviour_lists_keep_their_lead_in)
{
    static const char *const names[] = {"Kindness", "Courage"};
    static const size_t nbeh[] = {3, 2};
    char *report;
    struct kb *kb = build("tests/data/layouts/robin.txt", &report);

    expect_values(kb, names, nbeh, 2);
    cr_expect_str_eq(kb->values[0].behaviours[0].text, "smile and say hello");
    cr_expect_str_eq(kb->values[0].behaviours[2].text,
                     "We don't ignore people who need help");
    cr_expect_str_eq(kb->values[1].behaviours[0].text,
                     "speak up when something is wrong");
    cr_expect_str_eq(kb->values[1].behaviours[1].text, "We will not look the other way.");
    free(report);
    kb_free(kb);
}

/* A values table without a header row: each row a value and its definition. */
Test(kb_build_layouts, headerless_values_table)
{
    static const char *const names[] = {"Respect", "Integrity", "Teamwork"};
    char *report;
    struct kb *kb = build_html("tests/data/layouts/robin.html", &report);
    bool row = false;

    expect_values(kb, names, NULL, 3);
    cr_expect_str_eq(kb->values[0].description, "We treat everyone with dignity.");
    for (size_t i = 0; i < kb->npassages; i++)
        row = row || strcmp(kb->passages[i].text,
                            "Respect \xe2\x80\x93 We treat everyone with dignity.") == 0;
    cr_expect(row, "the first row is a passage, not a header");
    free(report);
    kb_free(kb);
}

/* Values written as sentences, counted or right after "The values are:": each is
   a value, named by its sentence up to a dash; a lead-in naming the values and then
   counting the objectives opens the objectives. */
Test(kb_build_layouts, values_written_as_sentences)
{
    static const char *const names[] = {
        "Treat every person with courtesy and care",
        "Be honest in everything we say and do, so that people can rely on us",
        "Keep learning as an organisation"};
    static const char *const names2[] = {
        "Give care that is timely, safe and based on good evidence",
        "Involve families in every decision, explaining the choices they have",
        "Support each colleague to keep their skills up to date and to grow"};
    static const char *const goals[] = {"Safety", "Access", "Workforce", "Finance"};
    char *report;
    struct kb *kb = build("tests/data/layouts/linnet.txt", &report);

    expect_values(kb, names, NULL, 3);
    cr_expect_str_eq(kb->values[0].description,
                     "patients, families and colleagues alike.");
    cr_assert_eq(kb->ngoals, 4, "%zu goals", kb->ngoals);
    for (size_t i = 0; i < 4; i++)
        cr_expect_str_eq(kb->goals[i].title, goals[i]);
    /* "Safety" explained under its name further down */
    cr_expect_str_eq(kb->goals[0].description,
                     "We will reduce avoidable harm in every ward and clinic.");
    cr_expect_str_eq(kb->goals[1].description, "");
    cr_expect_not_null(strstr(report, "written as sentences"), "%s", report);
    free(report);
    kb_free(kb);

    kb = build("tests/data/layouts/linnet2.txt", &report);
    expect_values(kb, names2, NULL, 3);
    free(report);
    kb_free(kb);
}

/* Values after an earlier "Values at Work"; goals counted before a semicolon. */
Test(kb_build_layouts, inline_values_and_counted_goals)
{
    static const char *const names[] = {"warmth", "candour", "fairness", "curiosity"};
    static const char *const goals[] = {"Caring for every patient", "Growing our people",
                                        "Working with our neighbours"};
    char *report;
    struct kb *kb = build("tests/data/layouts/siskin.txt", &report);

    expect_values(kb, names, NULL, 4);
    cr_assert_eq(kb->ngoals, 3, "%zu goals", kb->ngoals);
    for (size_t i = 0; i < 3; i++)
        cr_expect_str_eq(kb->goals[i].title, goals[i]);
    free(report);
    kb_free(kb);
}

/* Values written as what "we" do, each a heading over its behaviours. */
Test(kb_build_layouts, we_statement_value_headings)
{
    static const char *const names[] = {"We keep the people we care for at the centre",
                                        "We look after one another",
                                        "We always try to get better"};
    static const size_t nbeh[] = {3, 2, 2};
    char *report;
    struct kb *kb = build("tests/data/layouts/pipit.txt", &report);

    expect_values(kb, names, nbeh, 3);
    free(report);
    kb_free(kb);
}

/* One short line under a values heading is no list of values. */
Test(kb_build_layouts, lone_line_is_no_values)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/pipit2.txt", &report);

    cr_expect_eq(kb->nvalues, 0, "%zu values", kb->nvalues);
    cr_expect_not_null(kb->vision.text);
    cr_expect_not_null(strstr(report, "the only line"), "%s", report);
    free(report);
    kb_free(kb);
}

/* Goals in parts: "Safety priorities" and "Service priorities" under "Our ward
   teams' priorities" are one set of goals, in text and in HTML. */
Test(kb_build_layouts, goals_in_qualified_parts)
{
    static const char *const titles[] = {
        "Fewer falls on our older people\xe2\x80\x99s wards",
        "Quicker help for patients who become unwell",
        "Shorter waits in the emergency department.", "Better use of our theatres.",
        "Meeting our budget for the year."};
    char *report;
    struct kb *kb = build("tests/data/layouts/wagtail.txt", &report);

    cr_assert_eq(kb->ngoals, 5, "%zu goals\n%s", kb->ngoals, report);
    for (size_t i = 0; i < 5; i++)
        cr_expect_str_eq(kb->goals[i].title, titles[i]);
    free(report);
    kb_free(kb);

    kb = build_html("tests/data/layouts/wagtail.html", &report);
    cr_assert_eq(kb->ngoals, 4, "%zu goals\n%s", kb->ngoals, report);
    for (size_t i = 0; i < 4; i++)
        cr_expect(strncmp(kb->goals[i].title, titles[i], strlen(kb->goals[i].title)) == 0,
                  "%s", kb->goals[i].title);
    free(report);
    kb_free(kb);
}

/* Two columns of text side by side: the left is read first, then the right, so
   that the vision wrapped over two lines of the right column is whole. */
Test(kb_build_layouts, two_columns_of_text)
{
    static const char *const names[] = {"Warmth", "Candour", "Curiosity"};
    char *report;
    struct kb *kb = build("tests/data/layouts/martin.txt", &report);

    cr_assert_not_null(kb->vision.text, "%s", report);
    cr_expect_str_eq(
        kb->vision.text,
        "To give every family in the valley the care they need close to home");
    expect_values(kb, names, NULL, 3);
    free(report);
    kb_free(kb);

    /* a table set out with spaces is not two columns: each row stays one line */
    {
        char *data, *why = NULL;
        size_t len;
        struct kb_doc doc;
        bool row = false;

        cr_assert_eq(
            file_read("tests/data/layouts/martin2.txt", KB_BUILD_MAX_DOC, &data, &len),
            BOT_OK);
        kb_doc_init(&doc);
        cr_assert_eq(kb_doc_read(&doc, data, len, KB_DOC_TEXT, "martin2.txt", &why),
                     BOT_OK);
        for (size_t i = 0; i < doc.nblocks; i++)
            row = row || strcmp(doc.blocks[i].text,
                                "Warmth We greet people kindly and listen to them") == 0;
        cr_expect(row, "the row was split into columns");
        kb_doc_cleanup(&doc);
        free(data);
    }
}

/* Goals as "We will ..." paragraphs, each with a labelled list of points. */
Test(kb_build_layouts, paragraph_goals_with_labelled_lists)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/dipper.txt", &report);

    cr_assert_eq(kb->ngoals, 2, "%zu goals\n%s", kb->ngoals, report);
    cr_expect_str_eq(kb->goals[0].title,
                     "We will work with our neighbours to keep people well at home.");
    cr_expect_eq(kb->goals[0].npoints, 2);
    cr_expect_str_eq(kb->goals[1].points[1].text,
                     "Shorter waits for planned operations.");
    free(report);
    kb_free(kb);
}

/* Promises in numbered parts ("Promises 1 to 3", "Promises 4 to 6"), each list
   numbered from 1 again: one set of goals. */
Test(kb_build_layouts, promises_in_numbered_parts)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/stint.txt", &report);

    cr_assert_eq(kb->ngoals, 6, "%zu goals\n%s", kb->ngoals, report);
    cr_expect_str_eq(kb->goals[3].title,
                     "Halve the number of falls on our wards by 2028.");
    for (size_t i = 0; i < 6; i++)
        cr_expect_eq(kb->goals[i].number, i + 1);
    cr_expect_str_eq(kb->goals_label, "promises");
    free(report);
    kb_free(kb);
}

/* A numbered list of goals run into one paragraph (a PDF read back line by line):
   each number's text is a goal; numbers in a paragraph about something else are
   none. */
Test(kb_build_layouts, numbered_goals_run_into_a_paragraph)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/shag.txt", &report);

    cr_assert_eq(kb->ngoals, 3, "%zu goals\n%s", kb->ngoals, report);
    cr_expect_str_eq(kb->goals[0].title, "Safer care for");
    cr_expect_str_eq(kb->goals[1].title, "Happier teams");
    cr_expect_str_eq(kb->goals[2].title, "A fair share of every patient resources");
    cr_expect_eq(kb->goals[2].number, 3);
    free(report);
    kb_free(kb);
}

/*
 * Pages built into no values or goals, or refused, each a row: what kb_build_doc()
 * returns, how many values and goals it took, and a line of the report or of the
 * refusal.  A page is refused only when it says nothing of a strategy; a page that
 * speaks of its strategy but lists no values or goals is kept as its passages,
 * with a warning.
 */
struct page_case {
    const char *name; /* printed when the row fails */
    const char *text; /* the page, or NULL: read from @path */
    const char *path;
    enum bot_err want;
    size_t nvalues, ngoals; /* checked when want is BOT_OK */
    const char *report;     /* a line the report holds, or NULL */
    const char *absent;     /* words the report must not hold, or NULL */
};

static const struct page_case page_cases[] = {
    {"a car park notice is no strategy", "Car parking\n\nThe car park opens at 7am.\n",
     NULL, BOT_EPARSE, 0, 0, NULL, NULL},
    {"a cookie notice and an error page are refused", NULL,
     "tests/data/layouts/gannet2.txt", BOT_EPARSE, 0, 0, NULL, NULL},
    {"a plan's page with no values or goals is kept as its passages", NULL,
     "tests/data/layouts/gannet.txt", BOT_OK, 0, 0,
     "warning: no values and no goals found: the KB holds only 4 passages", NULL},
    {"values named by no name are reported, not taken", NULL,
     "tests/data/kb_build/unnamed.txt", BOT_EPARSE, 0, 0, "line 5 ('We are gentle",
     "well-liked"},
    {"a list of three under a four-letter acronym is not its values",
     "Tollbridge Healthcare NHS Trust\n\n"
     "Living the WISE values every day in our hospitals\n\n"
     "\xe2\x80\xa2 Welcoming\n\xe2\x80\xa2 Inclusive\n\xe2\x80\xa2 Safe\n\n"
     "Our vision\nWell people.\n",
     NULL, BOT_OK, 0, 0, NULL, NULL},
    {"sentences listed without a count are no values",
     "Our values\n\nWe want every visit to feel welcoming.\n\n"
     "  \xe2\x80\xa2 Greet each person by name and explain who you are.\n"
     "  \xe2\x80\xa2 Listen to what matters to them before you decide.\n\n"
     "Our vision is a healthier valley for every family.\n",
     NULL, BOT_OK, 0, 0, NULL, NULL},
    {"the page's own short name in capitals is no value",
     "Our values\n\nWe want every visit to ELMVALE to feel welcoming.\n\n"
     "Families told us what they value about ELMVALE and its staff.\n\n"
     "Staff at ELMVALE chose the words with them.\n\n"
     "Our vision is a healthier valley for every family.\n",
     NULL, BOT_OK, 0, 0, NULL, NULL},
    {"a list of other documents' titles is no strategy", NULL,
     "tests/data/layouts/dotterel.txt", BOT_EPARSE, 0, 0, NULL, NULL},
    {"a values heading over a list of 'We ...' sentences is kept as its passages", NULL,
     "tests/data/layouts/brambling.txt", BOT_OK, 0, 0,
     "warning: no values and no goals found", NULL},
    {"numbered steps run into a sentence are no goals",
     "Our vision is a healthier valley for every family.\n\n"
     "To book a test: 1. Call the clinic 2. Give your name 3. Come on the day.\n",
     NULL, BOT_OK, 0, 0, NULL, NULL},
};

Test(kb_build_layouts, pages_without_values_or_goals)
{
    for (size_t i = 0; i < sizeof(page_cases) / sizeof(page_cases[0]); i++) {
        const struct page_case *pc = &page_cases[i];
        struct kb_build_opts o = {.org = "x", .name = "Test Trust", .doc = "t.txt"};
        struct kb_doc doc;
        struct kb *kb = NULL;
        char *data = NULL, *report = NULL, *why = NULL;
        size_t len;
        enum bot_err err;

        if (pc->text == NULL)
            cr_assert_eq(file_read(pc->path, KB_BUILD_MAX_DOC, &data, &len), BOT_OK, "%s",
                         pc->path);
        kb_doc_init(&doc);
        cr_assert_eq(kb_doc_read(&doc, data ? data : pc->text,
                                 data ? len : strlen(pc->text), KB_DOC_TEXT, "t.txt",
                                 &why),
                     BOT_OK, "%s", pc->name);
        err = kb_build_doc(&doc, &o, &kb, &report, &why);
        cr_expect_eq(err, pc->want, "%s: %s", pc->name, why ? why : report);
        if (err == BOT_OK) {
            cr_expect_eq(kb->nvalues, pc->nvalues, "%s: %zu values", pc->name,
                         kb->nvalues);
            cr_expect_eq(kb->ngoals, pc->ngoals, "%s: %zu goals", pc->name, kb->ngoals);
        } else {
            cr_expect_null(kb, "%s", pc->name);
            cr_expect(why != NULL && strstr(why, "found no") != NULL, "%s: %s", pc->name,
                      why);
        }
        if (pc->report != NULL)
            cr_expect(report != NULL && strstr(report, pc->report) != NULL, "%s: %s",
                      pc->name, report);
        if (pc->absent != NULL)
            cr_expect(report == NULL || strstr(report, pc->absent) == NULL, "%s: %s",
                      pc->name, report);
        free(report);
        free(why);
        kb_free(kb);
        kb_doc_cleanup(&doc);
        free(data);
    }
}

/* An accordion's title repeated as the first line of its panel: each value read
   once, its list its behaviours. */
Test(kb_build_layouts, values_repeated_as_accordion_titles)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/tern.txt", &report);
    static const char *const names[] = {"gentle", "fair", "curious"};
    static const size_t nbeh[] = {2, 2, 1};

    expect_values(kb, names, nbeh, 3);
    cr_expect_eq(kb->ngoals, 0, "%s", report);
    free(report);
    kb_free(kb);
}

/*
 * Values named in a sentence, each row a sentence and the names it gives
 * ("" for none): an "and" inside a capitalised name, "are to be ...", a
 * clause between "values" and "are", and a list of clauses that names none.
 */
struct inline_case {
    const char *name;
    const char *sentence;
    const char *want; /* the names joined by "|", "" for none */
};

static const struct inline_case inline_cases[] = {
    {"an 'and' inside a capitalised name",
     "Our new values are Brave, Every voice matters, Open and honest and Kind.",
     "Brave|Every voice matters|Open and honest|Kind"},
    {"the last 'and' of lower-case names still ends the list",
     "Our values are care, respect and dignity.", "care|respect|dignity"},
    {"'are to be' before the names", "Our values are to be warm, steady and bold.",
     "warm|steady|bold"},
    {"a clause between 'values' and 'are'",
     "Our values, which guide every decision we make, are TO HELP, TO HEAR, and TO "
     "HEAL.",
     "TO HELP|TO HEAR|TO HEAL"},
    {"clauses are no names",
     "Tell us about our draft vision and values - what you like, what you would "
     "change and how we could say it better.",
     ""},
};

Test(kb_build_layouts, values_in_a_sentence)
{
    for (size_t i = 0; i < sizeof(inline_cases) / sizeof(inline_cases[0]); i++) {
        const struct inline_case *ic = &inline_cases[i];
        char *text = xasprintf("Our plans\n\nOur vision is a healthier valley for every "
                               "family.\n\n%s\n",
                               ic->sentence);
        struct kb_build_opts o = {.org = "x", .name = "Test Trust", .doc = "t.txt"};
        struct kb *kb = NULL;
        char *why = NULL;
        struct buf got;

        cr_assert_eq(kb_build(text, strlen(text), &o, &kb, &why), BOT_OK, "%s: %s",
                     ic->name, why);
        buf_init(&got, 4096);
        for (size_t k = 0; k < kb->nvalues; k++)
            (void)buf_printf(&got, "%s%s", k ? "|" : "", kb->values[k].name);
        cr_expect_str_eq(buf_str(&got), ic->want, "%s", ic->name);
        buf_cleanup(&got);
        kb_free(kb);
        free(text);
    }
}

/* Lines under a heading that does not call them goals: a button, a repeated title
   line and what "we" do are no goals; in a contents list, the line naming the
   page's parts is none of the goals under it. */
Test(kb_build_layouts, bare_lines_that_are_no_goals)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/puffin.txt", &report);

    cr_expect_eq(kb->ngoals, 0, "%zu goals: %s", kb->ngoals,
                 kb->ngoals ? kb->goals[0].title : "");
    cr_expect_eq(kb->nvalues, 3, "%s", report);
    free(report);
    kb_free(kb);

    kb = build("tests/data/layouts/puffin2.txt", &report);
    cr_assert_eq(kb->ngoals, 3, "%s", report);
    cr_expect_str_eq(kb->goals[0].title, "Safer care");
    cr_expect_str_eq(kb->goals[2].title, "Learning together");
    free(report);
    kb_free(kb);
}

/* "... we are A, B, C and D. Our values were chosen by ...": the names before the
   sentence that points back to them are the values. */
Test(kb_build_layouts, values_named_before_a_sentence_pointing_back)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/auk.txt", &report);
    static const char *const names[] = {"patient", "cheerful", "attentive", "clear"};

    expect_values(kb, names, NULL, 4);
    free(report);
    kb_free(kb);
}

/* A contents list with dot leaders and page numbers: its entries ("Values .... 5")
   open no section and are no values; the vision is the one the page states. */
Test(kb_build_layouts, contents_entries_are_no_sections)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/curlew.txt", &report);

    cr_expect_eq(kb->nvalues, 0, "%zu values", kb->nvalues);
    cr_expect_eq(kb->ngoals, 0, "%zu goals", kb->ngoals);
    cr_assert_not_null(kb->vision.text);
    cr_expect_not_null(strstr(kb->vision.text, "every household in Eastmere"), "%s",
                       kb->vision.text);
    free(report);
    kb_free(kb);
}

/* A lead-in saying where the priorities come from ("are drawn from:") lists their
   sources; the list after "Our three priorities are:" is the goals. */
Test(kb_build_layouts, sources_of_the_goals_are_no_goals)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/godwit.txt", &report);

    cr_assert_eq(kb->ngoals, 3, "%zu goals: %s", kb->ngoals, report);
    cr_expect_str_eq(kb->goals[0].title, "Giving every child a healthy start");
    cr_expect_str_eq(kb->goals[2].title, "Supporting older people to live at home");
    free(report);
    kb_free(kb);
}

/* "Our three areas of focus" over numbered lines, each with paragraphs under it:
   three goals. */
Test(kb_build_layouts, areas_of_focus_are_goals)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/knot.txt", &report);

    cr_assert_eq(kb->ngoals, 3, "%zu goals: %s", kb->ngoals, report);
    cr_expect_str_eq(kb->goals[0].title, "Faster help for people in crisis");
    cr_expect_str_eq(kb->goals[1].title, "Fairer access to talking therapies");
    cr_expect_str_eq(kb->goals[2].title, "Stronger support for carers");
    cr_expect_eq(kb->nvalues, 0);
    free(report);
    kb_free(kb);
}

/* Values written as "-ing" phrases right under the values heading, some longer
   than a name: each item whole is a value, not a behaviour. */
Test(kb_build_layouts, values_as_ing_phrases)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/sanderling.txt", &report);

    cr_assert_eq(kb->nvalues, 5, "%zu values: %s", kb->nvalues, report);
    cr_expect_str_eq(kb->values[0].name, "Listening first");
    cr_expect_str_eq(kb->values[4].name,
                     "Always aiming to do better than we did last year");
    cr_expect_eq(kb->ngoals, 3);
    free(report);
    kb_free(kb);
}

/* "... focuses on four key areas that ...:" over a list: the areas are the goals;
   "five areas of the county:" names no focus and lists places. */
Test(kb_build_layouts, key_areas_of_focus_in_a_lead_in)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/stilt.txt", &report);

    cr_assert_eq(kb->ngoals, 4, "%zu goals: %s", kb->ngoals, report);
    cr_expect_str_eq(kb->goals[0].title,
                     "Seeing people sooner in our outpatient clinics");
    cr_expect_str_eq(kb->goals[3].title, "Keeping our finances in balance");
    cr_expect_eq(kb->nvalues, 0);
    free(report);
    kb_free(kb);
}

/* "Name – post" lines under the values heading name people: no values. */
Test(kb_build_layouts, people_are_no_values)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/turnstone.txt", &report);

    cr_expect_eq(kb->nvalues, 0, "%zu values: %s", kb->nvalues, report);
    cr_expect_eq(kb->ngoals, 0);
    cr_expect_not_null(kb->vision.text);
    free(report);
    kb_free(kb);
}

/* Under headings that do not call them goals: a document's control sheet (a dated
   line), a contents list whose entries end in page numbers, one of several parallel
   groups each over its list, and a run holding the values heading and its lines: no
   goals. */
Test(kb_build_layouts, control_sheets_contents_and_groups_are_no_goals)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/redshank.txt", &report);

    cr_expect_eq(kb->ngoals, 0, "%zu goals: %s", kb->ngoals, report);
    cr_expect_not_null(kb->vision.text);
    free(report);
    kb_free(kb);

    kb = build("tests/data/layouts/greenshank.txt", &report);
    cr_expect_eq(kb->ngoals, 0, "%zu goals: %s", kb->ngoals, report);
    cr_assert_eq(kb->nvalues, 3, "%zu values: %s", kb->nvalues, report);
    cr_expect_str_eq(kb->values[0].name, "Kindness first");
    free(report);
    kb_free(kb);
}

/* A lead-in broken over two lines ("... from the reception desk and the" then
   "pharmacy to ...:") counting the values, over "name. Definition." items in lower
   case: each short first sentence is a value's name. */
Test(kb_build_layouts, values_named_by_a_short_first_sentence)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/whimbrel.txt", &report);
    static const char *const names[] = {"Listening first", "Fair shares", "Steady hands",
                                        "Open doors"};

    cr_assert_eq(kb->nvalues, 4, "%zu values: %s", kb->nvalues, report);
    for (size_t i = 0; i < 4; i++)
        cr_expect_str_eq(kb->values[i].name, names[i]);
    cr_expect_str_eq(kb->values[2].description,
                     "We stay calm and clear when things are busy or go wrong.");
    free(report);
    kb_free(kb);
}

/* "The headings below are our main strategic goals. ..." then a list, no count:
   the list is the goals. */
Test(kb_build_layouts, goals_pointed_to_below)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/avocet.txt", &report);

    cr_assert_eq(kb->ngoals, 4, "%zu goals: %s", kb->ngoals, report);
    cr_expect_str_eq(kb->goals[3].title, "Balance our budget each year.");
    free(report);
    kb_free(kb);
}

/* An empty "Our Values:" (an image) and then "Our Principles:" over sentences: the
   principles are not the values' names. */
Test(kb_build_layouts, principles_as_sentences_are_no_values)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/sandpiper.txt", &report);

    cr_expect_eq(kb->nvalues, 0, "%zu values: %s", kb->nvalues, report);
    cr_expect_not_null(kb->mission.text);
    free(report);
    kb_free(kb);
}

/* Headings that state the statement they name ("Our vision is to be ...", "Our
   mission is to Heal, Teach and Discover"): the heading is the statement, not the
   paragraph under it. */
Test(kb_build_layouts, headings_that_state_the_vision_and_mission)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/stonechat.txt", &report);

    cr_assert_not_null(kb->vision.text);
    cr_expect_str_eq(
        kb->vision.text,
        "Our vision is to be the most trusted hospital in the Eastvale region");
    cr_assert_not_null(kb->mission.text);
    cr_expect_str_eq(kb->mission.text, "Our mission is to Heal, Teach and Discover");
    cr_expect_eq(kb->ngoals, 3);
    free(report);
    kb_free(kb);
}

/* An image's alt text run into the first value's heading ("Eastvale Hospitals
   valuesKindness"), and the organisation's initials in a sentence before a
   capitalised word ("our EVH Quality System"): three values, none of them either. */
Test(kb_build_layouts, alt_text_and_initials_are_no_values)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/dunlin.txt", &report);

    cr_assert_eq(kb->nvalues, 3, "%zu values: %s", kb->nvalues, report);
    cr_expect_str_eq(kb->values[0].name, "Kindness");
    cr_expect_str_eq(kb->values[2].name, "Pride");
    free(report);
    kb_free(kb);
}

/* Values written as "We ...: ..." paragraphs with no heading: each head a value. */
Test(kb_build_layouts, values_as_we_paragraphs_without_a_heading)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/ruff.txt", &report);

    cr_assert_eq(kb->nvalues, 4, "%zu values: %s", kb->nvalues, report);
    cr_expect_str_eq(kb->values[0].name, "We put residents first");
    cr_expect_str_eq(kb->values[3].name, "We tell it straight");
    cr_expect_str_eq(kb->values[2].description,
                     "we share our time and money so that no part of the town is left "
                     "behind.");
    cr_expect_eq(kb->ngoals, 0);
    free(report);
    kb_free(kb);
}

/* "three overall priorities" over three groups of bullets with no headings (blank
   lines between the groups, wider than inside them): three goals, each named by
   its group's first item, the rest its points. */
Test(kb_build_layouts, counted_goals_as_groups_without_headings)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/lapwing.txt", &report);

    cr_assert_eq(kb->ngoals, 3, "%zu goals: %s", kb->ngoals, report);
    cr_expect_str_eq(kb->goals[1].title, "Looking after our staff and helping them grow");
    cr_expect_eq(kb->goals[1].npoints, 2);
    cr_expect_not_null(strstr(kb->goals[1].description, "right first time"), "%s",
                       kb->goals[1].description);
    cr_expect_str_eq(kb->goals[2].title, "Joining up care with local councils and GPs");
    free(report);
    kb_free(kb);
}

/* Goals as headings, each over an icon's name and several paragraphs (one stating
   an ambition), with no count: both headings are goals; the link after is not. */
Test(kb_build_layouts, goal_headings_over_several_paragraphs)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/smew.txt", &report);

    cr_assert_eq(kb->ngoals, 2, "%zu goals: %s", kb->ngoals, report);
    cr_expect_str_eq(kb->goals[0].title, "Safe care every time");
    cr_expect_str_eq(kb->goals[1].title, "A great place to work");
    cr_expect_eq(strncmp(kb->goals[1].description, "We want our staff", 17), 0,
                 "the icon's name is no description: %s", kb->goals[1].description);
    free(report);
    kb_free(kb);
}

/* An image's file number run into the vision's sentence ("00451207Our vision is
   ..."), and a mission named in passing by its quoted words ("our ‘Healthy
   Hollowmere Together’ mission"): both statements. */
Test(kb_build_layouts, glued_number_and_quoted_mission)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/pochard.txt", &report);

    cr_assert_not_null(kb->vision.text, "%s", report);
    cr_expect_eq(strncmp(kb->vision.text, "Our vision is that every child", 30), 0, "%s",
                 kb->vision.text);
    cr_assert_not_null(kb->mission.text, "%s", report);
    cr_expect_str_eq(kb->mission.text, "Healthy Hollowmere Together");
    cr_expect_eq(kb->nvalues, 3);
    free(report);
    kb_free(kb);
}

/* The values heading right over a list of sentences (no count, no lead-in):
   the sentences are the values; a list under "Our values and behaviours"
   after it is not. */
Test(kb_build_layouts, values_heading_over_sentences)
{
    static const char *const names[] = {
        "Listening first so that every parent feels heard before any plan is made",
        "Offering help early, before small worries become big ones",
        "Owning our part in each family's care and saying so when we get it wrong",
        "Keeping promises to families and to one another"};
    char *report;
    struct kb *kb = build("tests/data/layouts/shoveler.txt", &report);

    expect_values(kb, names, NULL, 4);
    cr_expect_eq(kb->ngoals, 0, "%zu goals", kb->ngoals);
    free(report);
    kb_free(kb);
}

/* "Our Network Vision" (a word of the page's own before "Vision") heads the
   vision; "It is our mission to ..." states the mission. */
Test(kb_build_layouts, qualified_vision_heading_and_turned_mission)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/garganey.txt", &report);

    cr_assert_not_null(kb->vision.text, "%s", report);
    cr_expect_str_eq(
        kb->vision.text,
        "A healthy, independent life for every person in the Fenbridge valley.");
    cr_assert_not_null(kb->mission.text, "%s", report);
    cr_expect_eq(strncmp(kb->mission.text, "It is our mission to bring care", 31), 0,
                 "%s", kb->mission.text);
    cr_expect_eq(kb->nvalues, 3);
    free(report);
    kb_free(kb);
}

/* Goals named between two dashes right after their count and noun ("our three
   strategic aims – A, B, and C – we ..."); the mission quoted after "our
   mission, ". */
Test(kb_build_layouts, goals_between_dashes_and_quoted_mission)
{
    static const char *const goals[] = {"Safe Hands", "Strong Teams and Learning",
                                        "Open Doors"};
    char *report;
    struct kb *kb = build("tests/data/layouts/scaup.txt", &report);

    cr_assert_eq(kb->ngoals, 3, "%zu goals: %s", kb->ngoals, report);
    for (size_t i = 0; i < 3; i++)
        cr_expect_str_eq(kb->goals[i].title, goals[i]);
    cr_assert_not_null(kb->mission.text, "%s", report);
    cr_expect_str_eq(kb->mission.text, "Caring well for every child in Reedmouth");
    cr_expect_eq(kb->nvalues, 0);
    free(report);
    kb_free(kb);
}

/* "Our Mission - Why we answer every call." (a heading with a gloss after a
   dash, written as a sentence) heads the statement on the next line. */
Test(kb_build_layouts, glossed_statement_headings)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/eider.txt", &report);

    cr_assert_not_null(kb->mission.text, "%s", report);
    cr_expect_str_eq(kb->mission.text,
                     "Fast, calm and skilled help for everyone in Stormhaven.");
    cr_assert_not_null(kb->vision.text, "%s", report);
    cr_expect_str_eq(kb->vision.text, "The ambulance service the islands trust most.");
    cr_expect_eq(kb->nvalues, 3, "%zu values: %s", kb->nvalues, report);
    free(report);
    kb_free(kb);
}

/* Value names set as sentences of their own ("Steady and safe."), each over
   its paragraph, a nameless paragraph between them: two values; a lone
   short sentence later ("Thank you.") is none. */
Test(kb_build_layouts, value_names_as_short_sentences)
{
    static const char *const names[] = {"Steady and safe", "Open and fair"};
    char *report;
    struct kb *kb = build("tests/data/layouts/merganser.txt", &report);

    expect_values(kb, names, NULL, 2);
    /* its paragraph, as its description or (with the nameless one) its behaviours */
    cr_expect(strncmp(kb->values[0].description, "We keep calm", 12) == 0 ||
                  (kb->values[0].nbehaviours > 0 &&
                   strncmp(kb->values[0].behaviours[0].text, "We keep calm", 12) == 0),
              "%s", report);
    cr_expect_eq(strncmp(kb->values[1].description, "We say what we know", 19), 0, "%s",
                 kb->values[1].description);
    free(report);
    kb_free(kb);
}

/* A paragraph counting "three main priorities" over three <ul> lists with no
   headings (their titles were pictures): three goals, each named by its
   list's first item, though the first list alone has three items too. */
Test(kb_build_layouts, counted_priorities_as_separate_lists)
{
    static const char *const goals[] = {
        "Seeing people sooner in their own homes and clinics",
        "Growing and keeping a skilled community workforce",
        "Working with the town's GPs and councils to join up care"};
    char *report;
    struct kb *kb = build_html("tests/data/layouts/teal.html", &report);

    cr_assert_eq(kb->ngoals, 3, "%zu goals: %s", kb->ngoals, report);
    for (size_t i = 0; i < 3; i++) {
        cr_expect_str_eq(kb->goals[i].title, goals[i]);
        cr_expect_eq(kb->goals[i].npoints, 2, "%s: %zu points", goals[i],
                     kb->goals[i].npoints);
    }
    free(report);
    kb_free(kb);
}

/* The same in a PDF whose lists' bullets were drawn: the gaps between the
   groups of lines are kept (kb_block.row), so the three groups are the three
   priorities the sentence counts. */
Test(kb_build_layouts, counted_priorities_as_groups_in_a_pdf)
{
    static const char *const goals[] = {"Seeing people sooner in their own homes",
                                        "Growing a skilled community workforce",
                                        "Working with GPs and councils to join up care"};
    char *data, *why = NULL, *report;
    size_t len;
    struct kb_doc doc;
    struct kb *kb = NULL;
    struct kb_build_opts o = {
        .org = "x", .name = "Test Trust", .doc = "grouped-items.pdf"};

    cr_assert_eq(
        file_read("tests/data/kb_pdf/grouped-items.pdf", KB_BUILD_MAX_DOC, &data, &len),
        BOT_OK);
    kb_doc_init(&doc);
    cr_assert_eq(kb_doc_read(&doc, data, len, KB_DOC_PDF, "grouped-items.pdf", &why),
                 BOT_OK, "%s", why);
    cr_assert_eq(kb_build_doc(&doc, &o, &kb, &report, &why), BOT_OK, "%s", why);
    cr_assert_eq(kb->ngoals, 3, "%zu goals: %s", kb->ngoals, report);
    for (size_t i = 0; i < 3; i++)
        cr_expect_str_eq(kb->goals[i].title, goals[i]);
    free(report);
    kb_free(kb);
    kb_doc_cleanup(&doc);
    free(data);
}

/* A title wrapped over short lines under a goals heading ("Our Objectives and
   Annual" / "Plans" / "Network-wide plan" / "2025-2026"), then a lead-in
   naming the priorities over a list: the list is the goals, not the lines. */
Test(kb_build_layouts, bare_lines_give_way_to_a_lead_in_list)
{
    static const char *const goals[] = {"Faster help for children and families",
                                        "A team that wants to stay",
                                        "Care joined up with schools and councils"};
    char *report;
    struct kb *kb = build("tests/data/layouts/pintail.txt", &report);

    cr_assert_eq(kb->ngoals, 3, "%zu goals: %s", kb->ngoals, report);
    for (size_t i = 0; i < 3; i++)
        cr_expect_str_eq(kb->goals[i].title, goals[i]);
    free(report);
    kb_free(kb);
}

/* Values as headings, each with a line saying what it means, then "We will" and
   "We will not" as lead-ins of their own (no colon, repeated under every value)
   over lists: what we will not do is never one of the behaviours as written. */
Test(kb_build_layouts, will_and_will_not_lists_without_colons)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/shrike.txt", &report);

    cr_assert_eq(kb->nvalues, 2, "%zu values: %s", kb->nvalues, report);
    cr_expect_str_eq(kb->values[0].name, "Keeping Faith");
    cr_expect_str_eq(kb->values[1].name, "Looking Outward");
    for (size_t i = 0; i < 2; i++) {
        const struct kb_value *v = &kb->values[i];

        cr_expect_eq(v->nbehaviours, (size_t)5 - i, "%s: %zu behaviours", v->name,
                     v->nbehaviours);
        for (size_t k = 0; k < v->nbehaviours; k++) {
            const char *t = v->behaviours[k].text;

            cr_expect(
                strstr(t, "Leave a") == NULL && strstr(t, "Make promises") == NULL &&
                    strstr(t, "Dismiss") == NULL && strstr(t, "Keep useful") == NULL,
                "a 'will not' item taken as a behaviour: %s", t);
        }
    }
    cr_expect_str_eq(kb->values[0].behaviours[3].text,
                     "We will not leave a colleague to cover for us");
    cr_expect_str_eq(kb->values[1].description,
                     "Learning from other teams and bringing good ideas home");
    free(report);
    kb_free(kb);
}

/* "Our vision and strategy", then a sentence that speaks of "a vision of what good
   looks like" (about it, not it), then "Our vision" over the statement itself. */
Test(kb_build_layouts, a_sentence_about_the_vision_is_not_the_vision)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/bunting.txt", &report);

    cr_assert_not_null(kb->vision.text, "%s", report);
    cr_expect_str_eq(kb->vision.text,
                     "Our vision is to give every child in the valley a healthy start "
                     "in life.");
    free(report);
    kb_free(kb);
}

/* Values in a sentence whose verb phrase runs on to a colon before the names:
   "The values are built around four key ideas: Kindness, Candour, Patience and
   Skill." */
Test(kb_build_layouts, inline_values_after_are_and_a_colon)
{
    static const char *const names[] = {"Kindness", "Candour", "Patience", "Skill"};
    char *report;
    struct kb *kb = build("tests/data/layouts/twite.txt", &report);

    cr_assert_eq(kb->nvalues, 4, "%zu values: %s", kb->nvalues, report);
    for (size_t i = 0; i < 4; i++)
        cr_expect_str_eq(kb->values[i].name, names[i]);
    free(report);
    kb_free(kb);
}

/* Goals as bare lines one under the other, then a blank line and another such
   run (a site's "More in this section" and its links): the goals end with
   the first run. */
Test(kb_build_layouts, a_second_run_of_bare_lines_is_not_more_goals)
{
    static const char *const goals[] = {"Quicker help in the first week",
                                        "Stronger support for carers at home",
                                        "A cleaner, quieter hospital site"};
    char *report;
    struct kb *kb = build("tests/data/layouts/fieldfare.txt", &report);

    cr_assert_eq(kb->ngoals, 3, "%zu goals: %s", kb->ngoals, report);
    for (size_t i = 0; i < 3; i++)
        cr_expect_str_eq(kb->goals[i].title, goals[i]);
    free(report);
    kb_free(kb);
}

/* Values named in a sentence, then each given a section further down: one under
   its name as a heading (a tagline, then bullets), one named in capitals in the
   sentence saying what it means ("We can be BRAVE by ..."). */
Test(kb_build_layouts, inline_values_defined_further_down)
{
    char *report;
    struct kb *kb = build("tests/data/layouts/redpoll.txt", &report);

    cr_assert_eq(kb->nvalues, 4, "%zu values: %s", kb->nvalues, report);
    cr_expect_str_eq(kb->values[0].name, "Brave");
    cr_expect_str_eq(kb->values[0].description,
                     "We can be BRAVE by trying new ways of working and speaking up when "
                     "something is wrong.");
    cr_expect_str_eq(kb->values[1].description, "We are fair and kind");
    cr_assert_eq(kb->values[1].nbehaviours, 2);
    cr_expect_str_eq(kb->values[1].behaviours[0].text, "We greet everyone by name");
    cr_expect_str_eq(kb->values[2].description, "", "nothing says what it means");
    free(report);
    kb_free(kb);
}

/* Value names set large in a narrow PDF column, two wrapped onto a second line
   ("Working" over "Together", the sentence right under): one name each. */
Test(kb_build_layouts, pdf_value_name_wrapped_over_two_lines)
{
    static const char *const names[] = {"Caring", "Working Together", "Always Learning"};
    char *data, *why = NULL, *report;
    size_t len;
    struct kb_doc doc;
    struct kb *kb = NULL;
    struct kb_build_opts o = {
        .org = "x", .name = "Test Trust", .doc = "wrapped-heading.pdf"};

    cr_assert_eq(
        file_read("tests/data/kb_pdf/wrapped-heading.pdf", KB_BUILD_MAX_DOC, &data, &len),
        BOT_OK);
    kb_doc_init(&doc);
    cr_assert_eq(kb_doc_read(&doc, data, len, KB_DOC_PDF, "wrapped-heading.pdf", &why),
                 BOT_OK, "%s", why);
    cr_assert_eq(kb_build_doc(&doc, &o, &kb, &report, &why), BOT_OK, "%s", why);
    cr_assert_eq(kb->nvalues, 3, "%zu values: %s", kb->nvalues, report);
    for (size_t i = 0; i < 3; i++)
        cr_expect_str_eq(kb->values[i].name, names[i]);
    cr_expect_str_eq(kb->values[1].description,
                     "We share what we know and help each other.");
    free(report);
    kb_free(kb);
    kb_doc_cleanup(&doc);
    free(data);
}
