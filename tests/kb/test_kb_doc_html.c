/*
 * test_kb_doc_html.c - the HTML reader (bot/kb/kb_doc_html.c).
 *
 * Each rule on a small page of our own in tests/data/kb_html/, written in
 * the layouts CMSs produce; then the 30 corpus pages (../shared/corpus, or
 * $VALUESBOT_CORPUS): every label text is read, and every block the reader
 * keeps is text of the page itself, never the menus, banners and footers
 * the HTML rendition wrapped around it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "bot/base/file.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb_doc.h"
#include "bot/kb/kb_doc_html_int.h"
#include "tests/kb/kb_corpus.h"
#include "tests/test_util.h"

#define DATA "tests/data/kb_html/"

static void
read_html(struct kb_doc *doc, const char *path)
{
    char *data, *why = NULL;
    size_t len;

    cr_assert_eq(file_read(path, 8u << 20, &data, &len), BOT_OK, "%s", path);
    kb_doc_init(doc);
    cr_assert_eq(kb_doc_read(doc, data, len, kb_doc_sniff(data, len, path), path, &why),
                 BOT_OK, "%s: %s", path, why);
    free(data);
}

/* Borrowed: the first block whose text is @text, or NULL. */
static const struct kb_block *
find(const struct kb_doc *doc, const char *text)
{
    for (size_t i = 0; i < doc->nblocks; i++) {
        if (strcmp(doc->blocks[i].text, text) == 0)
            return &doc->blocks[i];
    }
    return NULL;
}

static const struct kb_block *
must_find(const struct kb_doc *doc, const char *text)
{
    const struct kb_block *b = find(doc, text);

    if (b == NULL) {
        for (size_t i = 0; i < doc->nblocks; i++)
            fprintf(stderr, "  block %zu: %s\n", i, doc->blocks[i].text);
    }
    cr_assert_not_null(b, "no block \"%s\"", text);
    return b;
}

Test(kb_doc_html, declared_windows_1252)
{
    struct kb_doc doc;

    read_html(&doc, DATA "charset-1252.html");
    must_find(&doc, "Compassion \xe2\x80\x93 we care. It costs \xc2\xa3"
                    "5.");
    cr_expect_str_eq(doc.title, "Values \xe2\x80\x93 test");
    kb_doc_cleanup(&doc);
}

Test(kb_doc_html, undeclared_bytes_that_are_not_utf8_read_as_windows_1252)
{
    struct kb_doc doc;

    read_html(&doc, DATA "charset-undeclared.html");
    must_find(&doc, "Respect \xe2\x80\x93 we listen. Caf\xc3\xa9 open.");
    must_find(&doc, "Already UTF-8: \xe2\x80\x93 dash.");
    kb_doc_cleanup(&doc);
}

Test(kb_doc_html, other_declared_charsets_through_iconv)
{
    struct kb_doc doc;

    read_html(&doc, DATA "charset-iso8859-15.html");
    must_find(&doc, "Price \xe2\x82\xac 10");
    kb_doc_cleanup(&doc);
}

Test(kb_doc_html, bom_wins_over_meta)
{
    static const char page[] = "\xef\xbb\xbf<html><head><meta charset=\"windows-1252\">"
                               "</head><body><p>Caf\xc3\xa9</p></body></html>";
    struct kb_doc doc;
    char *why = NULL;

    kb_doc_init(&doc);
    cr_assert_eq(kb_doc_read(&doc, page, sizeof(page) - 1, KB_DOC_HTML, "bom", &why),
                 BOT_OK);
    must_find(&doc, "Caf\xc3\xa9");
    kb_doc_cleanup(&doc);
}

Test(kb_doc_html, each_br_line_is_a_block_and_literal_bullets_are_items)
{
    struct kb_doc doc;
    const struct kb_block *b, *c;

    read_html(&doc, DATA "br-lines.html");
    b = must_find(&doc, "Kindness - we take time to listen");
    cr_expect_eq(b->kind, KB_BLOCK_PARAGRAPH);
    cr_expect_str_eq(b->lead, "Kindness");
    cr_expect_eq(b->line, 6);
    b = must_find(&doc, "Honesty - we say what we mean");
    cr_expect_eq(b->line, 7);
    must_find(&doc, "Courage - we speak up");
    b = must_find(&doc, "Safe care, every time");
    c = must_find(&doc, "Fair access for all");
    cr_expect_eq(b->kind, KB_BLOCK_ITEM);
    cr_expect_eq(c->kind, KB_BLOCK_ITEM);
    cr_expect_eq(b->list, c->list);
    kb_doc_cleanup(&doc);
}

Test(kb_doc_html, inline_elements_join_without_separators)
{
    struct kb_doc doc;
    const struct kb_block *b;

    read_html(&doc, DATA "inline.html");
    b = must_find(&doc, "H \xe2\x80\x93 Honesty");
    cr_expect_eq(b->kind, KB_BLOCK_HEADING);
    cr_expect_eq(b->level, 3);
    b = must_find(&doc, "Our Patients: respond quickly and kindly");
    cr_expect_eq(b->kind, KB_BLOCK_ITEM);
    cr_expect_str_eq(b->lead, "Our Patients"); /* the separator is not the name */
    b = must_find(&doc, "Our People: a great place to work,learn and grow");
    cr_expect_str_eq(b->lead, "Our People");
    /* icon-font glyphs, soft hyphens and zero-width spaces are not text */
    must_find(&doc, "Care that is safe andfair.");
    must_find(&doc, "We & you, together");
    kb_doc_cleanup(&doc);
}

Test(kb_doc_html, chrome_dropped_and_content_a_visitor_can_open_kept)
{
    static const char *const chrome[] = {
        "cookie",       "Skip to",     "logo",      "Chrome values", "Nav link",
        "Information:", "only words",  "Unrelated", "Display none",  "Search label",
        "typed",        "Option text", "Share on",  "useful",        "aside",
        "Template",     "Noscript",    "SVG",       "Footer",        "Colophon",
        "Accept",       "\xe2\x9c\x94"};
    struct kb_doc doc;
    const struct kb_block *b;

    read_html(&doc, DATA "hidden.html");
    for (size_t i = 0; i < sizeof(chrome) / sizeof(chrome[0]); i++)
        cr_expect(!mentions(&doc, chrome[i]), "chrome \"%s\" read as content", chrome[i]);
    must_find(&doc, "Our vision is to care.");
    must_find(&doc, "Screen reader text.");
    must_find(&doc, "Goal one");
    must_find(&doc, "Value in a hidden tab");
    b = must_find(&doc, "Our values"); /* the tab's label heads its panel */
    cr_expect_eq(b->kind, KB_BLOCK_HEADING);
    cr_expect(b < find(&doc, "Value in a hidden tab"));
    b = must_find(&doc, "Closed accordion title");
    cr_expect_eq(b->kind, KB_BLOCK_HEADING);
    must_find(&doc, "Closed accordion body");
    must_find(&doc, "Accordion heading");
    must_find(&doc, "Accordion panel body");
    must_find(&doc, "Ticked item");
    kb_doc_cleanup(&doc);
}

Test(kb_doc_html, table_rows_keep_their_columns)
{
    struct kb_doc doc;
    const struct kb_block *b;

    read_html(&doc, DATA "tables.html");
    b = must_find(&doc, "Strategy on a page");
    cr_expect_eq(b->kind, KB_BLOCK_CAPTION);
    b = must_find(&doc, "Purpose | Goals | Values");
    cr_expect_eq(b->kind, KB_BLOCK_ROW);
    cr_expect_eq(b->ncells, 3);
    b = must_find(&doc, "Good outcomes | Respect");
    cr_assert_eq(b->ncells, 3, "the rowspan's column is kept empty");
    cr_expect_str_eq(b->cells[0], "");
    cr_expect_str_eq(b->cells[1], "Good outcomes");
    cr_expect_str_eq(b->cells[2], "Respect");
    b = find(&doc, "Spanning two columns | Courage");
    cr_assert_not_null(b);
    cr_expect_str_eq(b->cells[2], "Courage");
    b = must_find(&doc, "Layout heading"); /* a layout table is read as its blocks */
    cr_expect_eq(b->kind, KB_BLOCK_HEADING);
    must_find(&doc, "Layout paragraph");
    kb_doc_cleanup(&doc);
}

Test(kb_doc_html, lists_numbers_depth_and_definition_lists)
{
    struct kb_doc doc;
    const struct kb_block *b;

    read_html(&doc, DATA "lists.html");
    cr_expect_eq(must_find(&doc, "Third")->number, 3);
    cr_expect_eq(must_find(&doc, "Seventh")->number, 7);
    b = must_find(&doc, "Eighth");
    cr_expect_eq(b->number, 8);
    cr_expect_eq(b->level, 1);
    b = must_find(&doc, "Nested part");
    cr_expect_eq(b->level, 2);
    cr_expect_eq(must_find(&doc, "Card title")->kind, KB_BLOCK_HEADING);
    b = must_find(&doc, "We are open. We share what we know.");
    cr_expect_eq(b->kind, KB_BLOCK_ITEM);
    cr_expect_str_eq(b->lead, "We are open");
    b = must_find(&doc, "Respect (Parch): we treat people well");
    cr_expect_str_eq(b->lead, "Respect (Parch)");
    cr_expect_eq(b->list, find(&doc, "We are open. We share what we know.")->list);
    cr_expect_eq(must_find(&doc, "and each other")->level, 2);
    kb_doc_cleanup(&doc);
}

Test(kb_doc_html, bad_pages_say_what_was_found)
{
    static const struct {
        const char *name, *bytes, *why;
        size_t len;
    } cases[] = {
        {"empty", "", "empty", 0},
        {"binary", "<html>\0\0\0\x01", "binary", 10},
        {"no elements", "   ", "no", 3},
    };
    struct kb_doc doc;
    char *data, *why = NULL;
    size_t len;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        kb_doc_init(&doc);
        cr_expect_neq(
            kb_doc_read(&doc, cases[i].bytes, cases[i].len, KB_DOC_HTML, "x", &why),
            BOT_OK, "%s", cases[i].name);
        cr_expect(why != NULL && strstr(why, cases[i].why) != NULL, "%s: %s",
                  cases[i].name, why);
        cr_expect_eq(doc.nblocks, 0);
        cr_expect_eq(doc.nsources, 0);
        free(why);
        why = NULL;
        kb_doc_cleanup(&doc);
    }
    cr_assert_eq(file_read(DATA "all-script.html", 1 << 20, &data, &len), BOT_OK);
    kb_doc_init(&doc);
    cr_expect_eq(kb_doc_read(&doc, data, len, KB_DOC_HTML, "s", &why), BOT_EPARSE);
    cr_expect(why != NULL && strstr(why, "scripts") != NULL, "%s", why);
    free(why);
    free(data);
    kb_doc_cleanup(&doc);
}

Test(kb_doc_html, corpus_pages_read_whole_without_chrome, .timeout = 120)
{
    corpus_check("html", true);
}

Test(kb_doc_html, cards_written_as_divs)
{
    struct kb_doc doc;
    const struct kb_block *b, *c;

    read_html(&doc, DATA "cards.html");
    cr_expect(!mentions(&doc, "Example Trust"),
              "a div header outside the content is chrome");
    cr_expect(!mentions(&doc, "Footer"), "a div footer outside the content is chrome");
    b = must_find(&doc, "Kindness"); /* a card's title div is a heading */
    cr_expect_eq(b->kind, KB_BLOCK_HEADING);
    cr_expect_eq(b->level, 3);
    cr_expect_eq(must_find(&doc, "Pride")->kind, KB_BLOCK_HEADING);
    b = must_find(&doc, "We smile and say hello."); /* sibling divs of one kind: a list */
    c = must_find(&doc, "We check on each other.");
    cr_expect_eq(b->kind, KB_BLOCK_ITEM);
    cr_expect_eq(b->list, c->list);
    cr_expect_eq(must_find(&doc, "Photo: the team on the ward")->kind, KB_BLOCK_CAPTION);
    cr_expect(find(&doc, "The team on the ward") == NULL,
              "alt text the caption restates");
    cr_expect_eq(must_find(&doc, "Download the strategy")->kind, KB_BLOCK_PARAGRAPH,
                 "links are not list items");
    cr_expect_eq(
        must_find(&doc, "Body text of a Drupal field, which is a paragraph.")->kind,
        KB_BLOCK_PARAGRAPH);
    kb_doc_cleanup(&doc);
}

Test(kb_doc_html, accordion_buttons_head_their_panels)
{
    struct kb_doc doc;
    const struct kb_block *b;

    read_html(&doc, DATA "accordion-bootstrap.html");
    b = must_find(&doc, "Excellence");
    cr_expect_eq(b->kind, KB_BLOCK_HEADING);
    cr_expect_eq(b->level, 3);
    must_find(&doc, "we aim high");
    b = must_find(&doc, "Openness");
    cr_expect_eq(b->kind, KB_BLOCK_HEADING);
    must_find(&doc, "we say what we know"); /* its closed panel is content */
    cr_expect(!mentions(&doc, "Menu"), "the menu's toggle is chrome");
    cr_expect(!mentions(&doc, "Home"), "the menu's panel is chrome");
    cr_expect(!mentions(&doc, "Send feedback"), "a form's button is chrome");
    kb_doc_cleanup(&doc);
}

/* Each CMS layout: its chrome out, its content in, in the blocks it was written as. */
static const struct {
    const char *file;
    const char *chrome[6];
    struct {
        const char *text;
        enum kb_block_kind kind;
    } blocks[6];
} layouts[] = {
    {"layout-wordpress.html",
     {"Skip to", "Menu", "Share", "Edit", "Recent posts", "powered"},
     {{"Our values", KB_BLOCK_HEADING},
      {"Caring", KB_BLOCK_HEADING},
      {"We treat everyone with warmth.", KB_BLOCK_PARAGRAPH},
      {"Fair", KB_BLOCK_HEADING}}},
    {"layout-drupal.html",
     {"Skip to", "Example Health", "Home", "Related"},
     {{"Our strategy", KB_BLOCK_HEADING},
      {"To care for every patient as we would our own family.", KB_BLOCK_PARAGRAPH},
      {"Respect", KB_BLOCK_ITEM},
      {"Teamwork", KB_BLOCK_ITEM}}},
    {"layout-squiz.html",
     {"Search", "You are here", "Board papers", "Station Road"},
     {{"Kind \xe2\x80\x93 we look after each other", KB_BLOCK_PARAGRAPH},
      {"Better \xe2\x80\x93 we keep improving", KB_BLOCK_PARAGRAPH},
      {"Quality: safe care every time.", KB_BLOCK_PARAGRAPH}}},
    {"layout-sharepoint.html",
     {"Sign In", "Quick links", "Example Trust >"},
     {{"Our vision", KB_BLOCK_HEADING},
      {"Respect | We value every person", KB_BLOCK_ROW},
      {"Courage | We speak up", KB_BLOCK_ROW}}},
    {"strategy-nhsuk.html",
     {"cookies", "Skip to", "homepage", "Work for us", "Information:", "reviewed"},
     {{"Our vision is that everyone in the valley gets good care close to home.",
       KB_BLOCK_PARAGRAPH},
      {"Care close to home: more care in people's homes and neighbourhoods.",
       KB_BLOCK_ITEM},
      {"Kindness", KB_BLOCK_HEADING},
      {"listen and take time", KB_BLOCK_ITEM}}},
};

Test(kb_doc_html, cms_layouts)
{
    for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
        struct kb_doc doc;
        char *path = xasprintf(DATA "%s", layouts[i].file);

        read_html(&doc, path);
        for (size_t k = 0; k < 6 && layouts[i].chrome[k] != NULL; k++)
            cr_expect(!mentions(&doc, layouts[i].chrome[k]), "%s: chrome \"%s\" read",
                      layouts[i].file, layouts[i].chrome[k]);
        for (size_t k = 0; k < 6 && layouts[i].blocks[k].text != NULL; k++) {
            const struct kb_block *b = find(&doc, layouts[i].blocks[k].text);

            cr_expect(b != NULL, "%s: no block \"%s\"", layouts[i].file,
                      layouts[i].blocks[k].text);
            if (b != NULL)
                cr_expect_eq(b->kind, layouts[i].blocks[k].kind, "%s: \"%s\"",
                             layouts[i].file, layouts[i].blocks[k].text);
        }
        kb_doc_cleanup(&doc);
        free(path);
    }
}
