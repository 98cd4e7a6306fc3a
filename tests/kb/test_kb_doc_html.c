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

/* Whether any block's text contains @s. */
static bool
mentions(const struct kb_doc *doc, const char *s)
{
    for (size_t i = 0; i < doc->nblocks; i++) {
        if (strstr(doc->blocks[i].text, s) != NULL)
            return true;
    }
    return false;
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
    cr_expect_str_eq(b->lead, "Our Patients:");
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
    b = find(&doc, "Spanning two columns |  | Courage");
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
    cr_expect_str_eq(b->lead, "We are open.");
    b = must_find(&doc, "Respect (Parch): we treat people well");
    cr_expect_str_eq(b->lead, "Respect (Parch):");
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

/* The corpus folder, or NULL (the test is skipped) when it is not there. */
static const char *
corpus(void)
{
    const char *env = getenv("VALUESBOT_CORPUS");

    if (env != NULL && env[0] != '\0')
        return env;
    return access("../shared/corpus/labels.jsonl", R_OK) == 0 ? "../shared/corpus" : NULL;
}

/* @s with runs of white space made one space and list markers at line starts dropped. */
static char *
normalise_page(const char *s)
{
    size_t n = strlen(s), o = 0;
    char *out = xmalloc(n + 2);
    bool bol = true, space = true;

    for (size_t i = 0; i < n; i++) {
        if (bol) {
            size_t j = i;

            while (s[j] == ' ' || s[j] == '\t')
                j++;
            if ((s[j] == '-' || s[j] == '*') && s[j + 1] == ' ')
                i = j + 2;
            else if (strncmp(s + j, "\xe2\x80\xa2 ", 4) == 0)
                i = j + 4;
            else if (strncmp(s + j, "\xc2\xb7 ", 3) == 0)
                i = j + 3;
            else if (s[j] >= '0' && s[j] <= '9') {
                size_t k = j;

                while (s[k] >= '0' && s[k] <= '9')
                    k++;
                if ((s[k] == '.' || s[k] == ')') && s[k + 1] == ' ')
                    i = k + 2;
            }
            bol = false;
            if (i >= n)
                break;
        }
        if (s[i] == '*' && s[i + 1] == '*') { /* Markdown bold */
            i++;
            continue;
        }
        if (s[i] == '\n')
            bol = true;
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
            (s[i] == '\xc2' && s[i + 1] == '\xa0')) {
            if (s[i] == '\xc2')
                i++;
            if (!space)
                out[o++] = ' ';
            space = true;
            continue;
        }
        out[o++] = s[i];
        space = false;
    }
    out[o] = '\0';
    return out;
}

static bool
doc_has(const struct kb_doc *doc, const char *want)
{
    struct kb_doc one;
    bool found;

    /* The label as the reader writes text: white space collapsed. */
    kb_doc_init(&one);
    kb_doc_add(&one, KB_BLOCK_PARAGRAPH, want, 0, 0);
    found = mentions(doc, one.blocks[0].text);
    kb_doc_cleanup(&one);
    return found;
}

static void
expect_label(const struct kb_doc *doc, const char *id, json_t *s)
{
    if (json_is_string(s))
        cr_expect(doc_has(doc, json_string_value(s)), "%s: \"%s\" not read", id,
                  json_string_value(s));
}

/*
 * Checks every page of @fmt in the corpus: each label text in some block,
 * and each block (each cell of a row) text of the page itself.
 */
void corpus_check(const char *fmt);

void
corpus_check(const char *fmt)
{
    const char *dir = corpus();
    char *path, *data;
    size_t len, npages = 0;
    json_error_t jerr;

    if (dir == NULL)
        cr_skip_test("no corpus at ../shared/corpus (set VALUESBOT_CORPUS)");
    path = xasprintf("%s/labels.jsonl", dir);
    cr_assert_eq(file_read(path, 1 << 22, &data, &len), BOT_OK, "%s", path);
    free(path);
    for (char *line = data, *nl; *line; line = nl + 1) {
        json_t *lab, *v;
        const char *id;
        struct kb_doc doc;
        char *src, *page, *norm, *why = NULL;
        size_t slen, plen, k;

        nl = strchr(line, '\n');
        if (nl == NULL)
            nl = line + strlen(line) - 1;
        lab = json_loadb(line, (size_t)(nl - line + 1), 0, &jerr);
        if (lab == NULL)
            break;
        id = json_string_value(json_object_get(lab, "id"));
        path = xasprintf("%s/%s/%s.%s", dir, fmt, id, fmt);
        if (file_read(path, 8u << 20, &src, &slen) != BOT_OK) {
            free(path);
            json_decref(lab);
            continue;
        }
        npages++;
        kb_doc_init(&doc);
        cr_assert_eq(
            kb_doc_read(&doc, src, slen, kb_doc_sniff(src, slen, path), path, &why),
            BOT_OK, "%s: %s", path, why);
        free(src);
        free(path);
        expect_label(&doc, id, json_object_get(lab, "mission"));
        expect_label(&doc, id, json_object_get(lab, "vision"));
        expect_label(&doc, id, json_object_get(lab, "purpose"));
        expect_label(&doc, id, json_object_get(lab, "ambition"));
        json_array_foreach(json_object_get(lab, "goals"), k, v)
            expect_label(&doc, id, json_object_get(v, "title"));
        json_array_foreach(json_object_get(lab, "values"), k, v)
        {
            json_t *b;
            size_t j;

            expect_label(&doc, id, json_object_get(v, "name"));
            expect_label(&doc, id, json_object_get(v, "definition"));
            json_array_foreach(json_object_get(v, "behaviours"), j, b)
                expect_label(&doc, id, b);
        }
        path = xasprintf("%s/pages/%s.txt", dir, id);
        cr_assert_eq(file_read(path, 1 << 22, &page, &plen), BOT_OK, "%s", path);
        free(path);
        norm = normalise_page(page);
        for (size_t i = 0; i < doc.nblocks; i++) {
            const struct kb_block *b = &doc.blocks[i];

            if (b->kind == KB_BLOCK_ROW) {
                for (size_t c = 0; c < b->ncells; c++)
                    cr_expect(strstr(norm, b->cells[c]) != NULL,
                              "%s: cell \"%s\" (line %u) is not on the page", id,
                              b->cells[c], b->line);
            } else {
                cr_expect(strstr(norm, b->text) != NULL,
                          "%s: \"%s\" (line %u) is not on the page: chrome?", id, b->text,
                          b->line);
            }
        }
        free(norm);
        free(page);
        kb_doc_cleanup(&doc);
        json_decref(lab);
        if (*nl == '\0')
            break;
    }
    free(data);
    cr_expect_gt(npages, 0, "no %s pages in %s", fmt, dir);
}

Test(kb_doc_html, corpus_pages_read_whole_without_chrome, .timeout = 120)
{
    corpus_check("html");
}
