/*
 * test_kb_doc_pdf.c - the PDF reader (bot/kb/kb_doc_pdf.c).
 *
 * Fixtures in tests/data/kb_pdf/ (made by make_pdfs.py there): running
 * headers, page numbers, wrapped lines, two columns, a PDF without text;
 * then the six corpus PDFs, whose label texts must all be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/base/file.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb_doc.h"
#include "bot/kb/kb_doc_pdf_int.h"
#include "tests/kb/kb_corpus.h"

#define DATA "tests/data/kb_pdf/"

static enum bot_err
read_pdf(struct kb_doc *doc, const char *path, char **why)
{
    char *data;
    size_t len;
    enum bot_err err;

    cr_assert_eq(file_read(path, 8u << 20, &data, &len), BOT_OK, "%s", path);
    kb_doc_init(doc);
    *why = NULL;
    err = kb_doc_read(doc, data, len, kb_doc_sniff(data, len, path), path, why);
    free(data);
    return err;
}

static const struct kb_block *
find(const struct kb_doc *doc, const char *text)
{
    for (size_t i = 0; i < doc->nblocks; i++) {
        if (strcmp(doc->blocks[i].text, text) == 0)
            return &doc->blocks[i];
    }
    for (size_t i = 0; i < doc->nblocks; i++)
        fprintf(stderr, "  block %zu (page %u): %s\n", i, doc->blocks[i].page,
                doc->blocks[i].text);
    cr_assert_fail("no block \"%s\"", text);
    return NULL;
}

Test(kb_doc_pdf, running_headers_and_page_numbers_go_wrapped_lines_join)
{
    struct kb_doc doc;
    char *why;

    cr_assert_eq(read_pdf(&doc, DATA "running-header.pdf", &why), BOT_OK, "%s", why);
    cr_expect(!mentions(&doc, "Valley Example Health"), "running header kept");
    cr_expect(!mentions(&doc, "Our strategy 2025 to 2030"), "running header kept");
    cr_expect(!mentions(&doc, "Page "), "page number kept");
    cr_expect_eq(find(&doc, "Our vision")->page, 1);
    find(&doc,
         "To give every person in the valley care that is safe, kind and close to "
         "home, wherever they live and whatever their needs, now and in the future.");
    find(&doc, "Kindness - we listen and we help");
    find(&doc, "Honesty - we say what we mean");
    cr_expect_eq(find(&doc, "Shorter waits for planned care")->page, 2);
    cr_expect_eq(find(&doc, "Shorter waits for planned care")->number, 1);
    /* a hanging indent under a numbered line goes on from it */
    find(&doc, "A workforce that feels valued and supported in every team and every "
               "service we run across the whole valley");
    cr_expect_eq(find(&doc, "Money spent well")->page, 2);
    cr_expect_eq(find(&doc, "How we will know")->page, 3);
    kb_doc_cleanup(&doc);
}

Test(kb_doc_pdf, two_columns_read_one_after_the_other)
{
    struct kb_doc doc;
    char *why;
    const struct kb_block *a, *b, *c;

    cr_assert_eq(read_pdf(&doc, DATA "two-columns.pdf", &why), BOT_OK, "%s", why);
    find(&doc, "Two columns: our plan on one page");
    a = find(&doc, "To help people live well in their own homes and communities.");
    b = find(&doc, "Faster diagnosis");
    c = find(&doc, "Respect - we treat everyone with dignity.");
    find(&doc, "Courage - we speak up when something is wrong.");
    cr_expect(a < b && b < c, "left column, then right");
    kb_doc_cleanup(&doc);
}

/* In a list without bullet glyphs whose items start with capitals, a line in
   lower case after one that ends no sentence is the item's wrapped end; a list
   whose items are all in lower case keeps each line an item. */
Test(kb_doc_pdf, glyphless_list_item_wrapped_in_lower_case)
{
    struct kb_doc doc;
    char *why;

    cr_assert_eq(read_pdf(&doc, DATA "wrapped-items.pdf", &why), BOT_OK, "%s", why);
    cr_expect_eq(find(&doc, "To give every child in the valley a healthy start in their "
                            "first years")
                     ->kind,
                 KB_BLOCK_ITEM);
    find(&doc, "To make our clinics a great place to work and learn");
    cr_expect_eq(find(&doc, "open two more baby clinics")->kind, KB_BLOCK_ITEM);
    find(&doc, "answer every call within a day");
    find(&doc, "train forty new health visitors");
    kb_doc_cleanup(&doc);
}

/* The right column's heading set a line above the left column's first line
   is read with its column, after the left one. */
Test(kb_doc_pdf, right_column_heading_set_higher)
{
    struct kb_doc doc;
    char *why;
    const struct kb_block *a, *b, *c;

    cr_assert_eq(read_pdf(&doc, DATA "right-column-higher.pdf", &why), BOT_OK, "%s", why);
    a = find(&doc, "A healthy start for every child in the valley.");
    b = find(&doc, "Our priorities");
    c = find(&doc, "A team that wants to stay");
    cr_expect(a < b && b < c, "left column, then the right with its heading");
    kb_doc_cleanup(&doc);
}

/* One indented line right under a lead-in ending ':' is a list's item (its
   bullet drawn, not written); the paragraph after it is not. */
Test(kb_doc_pdf, lone_item_under_a_lead_in)
{
    struct kb_doc doc;
    char *why;

    cr_assert_eq(read_pdf(&doc, DATA "lone-item.pdf", &why), BOT_OK, "%s", why);
    cr_expect_eq(find(&doc, "To keep every family in the valley well at home")->kind,
                 KB_BLOCK_ITEM);
    cr_expect_eq(find(&doc, "We wrote it with four hundred families and staff.")->kind,
                 KB_BLOCK_PARAGRAPH);
    kb_doc_cleanup(&doc);
}

/* In a list whose items start "Name - ", a line that does not is the rest of
   the item above, though it starts with a capital. */
Test(kb_doc_pdf, named_item_wrapped_onto_a_capital)
{
    struct kb_doc doc;
    char *why;

    cr_assert_eq(read_pdf(&doc, DATA "named-items.pdf", &why), BOT_OK, "%s", why);
    find(&doc, "Sustainability - A lasting and well-run Valley Community Health Service "
               "for all");
    find(&doc, "People - A place where people want to work and stay");
    kb_doc_cleanup(&doc);
}

Test(kb_doc_pdf, bad_pdfs_say_what_is_wrong)
{
    struct kb_doc doc;
    char *why, *data;
    size_t len;

    cr_expect_eq(read_pdf(&doc, DATA "no-text.pdf", &why), BOT_EPARSE);
    cr_expect(why != NULL && strstr(why, "no text layer") != NULL, "%s", why);
    cr_expect_eq(doc.nblocks, 0);
    free(why);
    kb_doc_cleanup(&doc);

    /* the first 200 bytes of a PDF: a truncated download */
    cr_assert_eq(file_read(DATA "running-header.pdf", 1 << 20, &data, &len), BOT_OK);
    kb_doc_init(&doc);
    why = NULL;
    cr_expect_eq(kb_doc_read(&doc, data, 200, KB_DOC_PDF, "cut.pdf", &why), BOT_EPARSE);
    cr_expect(why != NULL && why[0] != '\0');
    free(why);
    why = NULL;
    cr_expect_eq(kb_doc_read(&doc, "hello", 5, KB_DOC_PDF, "x.pdf", &why), BOT_EPARSE);
    cr_expect(why != NULL && strstr(why, "not a PDF") != NULL, "%s", why);
    free(why);
    free(data);
    kb_doc_cleanup(&doc);
}

Test(kb_doc_pdf, page_number_lines)
{
    static const struct {
        const char *s;
        bool is;
    } cases[] = {
        {"7", true},
        {"Page 3", true},
        {"Page 3 of 9", true},
        {"3 of 9", true},
        {"3/9", true},
        {"- 4 -", true},
        {"\xe2\x80\x93 12 \xe2\x80\x93", true},
        {"page 2 OF 10", true},
        {"2024", true},
        {"12345", false},
        {"Page", false},
        {"Goal 3", false},
        {"3 goals", false},
        {"", false},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        cr_expect_eq(kb_doc_pdf_is_page_number(cases[i].s), cases[i].is, "\"%s\"",
                     cases[i].s);
}

Test(kb_doc_pdf, tables_become_rows_in_their_columns)
{
    static const char text[] =
        "Our strategy on a page\n\n"
        "   Purpose            Goals                     Values\n\n"
        "   Help people        Timely care               Kindness\n"
        "   live well\n"
        "                      Good outcomes             Respect\n\n"
        "                      Money spent well\n\n"
        "That is all of it, written as one long line of ordinary text across the "
        "page.\n\f";
    struct kb_doc doc;
    char *why = NULL;
    size_t rows = 0;

    kb_doc_init(&doc);
    cr_assert_eq(kb_doc_pdf_read_layout(&doc, text, sizeof(text) - 1, 0, &why), BOT_OK);
    for (size_t i = 0; i < doc.nblocks; i++) {
        const struct kb_block *b = &doc.blocks[i];

        if (b->kind != KB_BLOCK_ROW)
            continue;
        cr_expect_eq(b->ncells, 3, "%s", b->text);
        rows++;
    }
    cr_expect_eq(rows, 4);
    cr_expect_str_eq(
        find(&doc, "Help people live well | Timely care | Kindness")->cells[0],
        "Help people live well");
    cr_expect_str_eq(find(&doc, "Good outcomes | Respect")->cells[0], "");
    for (size_t i = 0; i < doc.nblocks; i++) {
        if (doc.blocks[i].kind == KB_BLOCK_ROW &&
            strstr(doc.blocks[i].text, "Money") != NULL)
            cr_expect_str_eq(doc.blocks[i].cells[1], "Money spent well");
    }
    cr_expect_neq(find(&doc, "Our strategy on a page")->kind, KB_BLOCK_ROW);
    kb_doc_cleanup(&doc);
}

Test(kb_doc_pdf, corpus_pdfs_read_whole, .timeout = 120)
{
    corpus_check("pdf", false);
}
