/*
 * test_kb_doc_text.c - the text and Markdown reader (bot/kb/kb_doc_text.c):
 * headings, items with their list, number, depth and bold lead-in, rows
 * with their cells, captions, markup and line numbers.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb_doc.h"

static void
read_text(struct kb_doc *doc, const char *text)
{
    char *why = NULL;

    kb_doc_init(doc);
    cr_assert_eq(kb_doc_read(doc, text, strlen(text), KB_DOC_TEXT, "t.md", &why), BOT_OK,
                 "%s", why ? why : "");
}

Test(kb_doc_text, markdown_headings_items_and_leads)
{
    struct kb_doc d;

    read_text(&d, "# Our plan\n\n## Our values\n\n* **Hope** – we believe in "
                  "[recovery](https://example.org/r).\n* **Care** – we _notice_.\n\n"
                  "1. First aim\n2) Second aim\n   - a measure\n");
    cr_assert_eq(d.nblocks, 7);
    cr_expect_eq(d.blocks[0].kind, KB_BLOCK_HEADING);
    cr_expect_eq(d.blocks[0].level, 1);
    cr_expect_eq(d.blocks[1].level, 2);
    cr_expect_eq(d.blocks[2].kind, KB_BLOCK_ITEM);
    cr_expect_str_eq(d.blocks[2].text, "Hope – we believe in recovery.");
    cr_assert_not_null(d.blocks[2].lead);
    cr_expect_str_eq(d.blocks[2].lead, "Hope");
    cr_expect_str_eq(d.blocks[3].text, "Care – we notice.");
    cr_expect_eq(d.blocks[3].list, d.blocks[2].list);
    cr_expect_eq(d.blocks[4].number, 1);
    cr_expect_neq(d.blocks[4].list, d.blocks[2].list,
                  "a blank line and a new marker kind");
    cr_expect_eq(d.blocks[5].number, 2);
    cr_expect_eq(d.blocks[6].level, 2, "an indented item is one deeper");
    cr_expect_eq(d.blocks[6].line, 10);
    kb_doc_cleanup(&d);
}

Test(kb_doc_text, plain_titles_rows_captions_and_glyphs)
{
    struct kb_doc d;

    read_text(&d, "Our values\nCaring\nHonest\n\nSHINE banner\n\nValue\tWhat it means\n"
                  "Kind\tWe care\n\t\tlate cell\t\n\n\xe2\x9c\x94\nRespect\n"
                  "This sentence wraps onto\nthe next line.\n");
    cr_assert_eq(d.nblocks, 9);
    cr_expect_eq(d.blocks[0].kind, KB_BLOCK_HEADING, "a title line after a blank");
    cr_expect_eq(d.blocks[1].kind, KB_BLOCK_PARAGRAPH, "a title line within a block");
    cr_expect_eq(d.blocks[3].kind, KB_BLOCK_CAPTION);
    cr_expect_eq(d.blocks[4].kind, KB_BLOCK_ROW);
    cr_expect_eq(d.blocks[4].ncells, 2);
    cr_expect_str_eq(d.blocks[5].cells[1], "We care");
    cr_expect_eq(d.blocks[6].ncells, 4, "leading tabs are empty cells");
    cr_expect_str_eq(d.blocks[6].cells[2], "late cell");
    cr_expect_eq(d.blocks[7].kind, KB_BLOCK_ITEM,
                 "a lone tick makes the next line an item");
    cr_expect_str_eq(d.blocks[7].text, "Respect");
    cr_expect_str_eq(d.blocks[8].text, "This sentence wraps onto the next line.");
    kb_doc_cleanup(&d);
}

Test(kb_doc_text, bad_input)
{
    struct kb_doc d;
    char *why = NULL;

    kb_doc_init(&d);
    cr_expect_eq(kb_doc_read(&d, "a\0b", 3, KB_DOC_TEXT, "b.txt", &why), BOT_EPARSE);
    cr_expect_not_null(strstr(why, "binary"));
    free(why);
    cr_expect_eq(kb_doc_read(&d, "caf\xe9", 4, KB_DOC_TEXT, "c.txt", &why), BOT_EPARSE);
    cr_expect_not_null(strstr(why, "UTF-8"));
    free(why);
    cr_expect_eq(d.nblocks, 0);
    cr_expect_eq(d.nsources, 0);
    kb_doc_cleanup(&d);
}

/* A Markdown table: a row a line, its cells between the bars, the rule under the
   header skipped; a line with bars that is no table stays a paragraph. */
/* The reader takes a buffer and its length, no NUL after it: a table's rule
   on the last line, without a newline, is read within the buffer (ASan sees
   any byte read past it). */
Test(kb_doc_text, pipe_rule_at_the_end_of_an_unterminated_buffer)
{
    static const char text[] = "| Goal | Target |\n|---|---|";
    size_t len = sizeof(text) - 1;
    char *buf = xmalloc(len), *why = NULL;
    struct kb_doc d;

    memcpy(buf, text, len); /* exactly @len bytes: no NUL after the rule */
    kb_doc_init(&d);
    cr_assert_eq(kb_doc_read(&d, buf, len, KB_DOC_TEXT, "t.md", &why), BOT_OK);
    cr_assert_eq(d.nblocks, 1, "the rule is no row");
    cr_expect_eq(d.blocks[0].kind, KB_BLOCK_ROW);
    kb_doc_cleanup(&d);
    free(buf);
}

Test(kb_doc_text, markdown_pipe_tables)
{
    struct kb_doc d;

    read_text(&d, "| Value | What it means |\n| --- | :---: |\n| **Kind** | We care |\n"
                  "|  | an empty first cell |\n\nHome | About us | Contact\n");
    cr_assert_eq(d.nblocks, 4);
    cr_expect_eq(d.blocks[0].kind, KB_BLOCK_ROW);
    cr_assert_eq(d.blocks[0].ncells, 2);
    cr_expect_str_eq(d.blocks[0].cells[0], "Value");
    cr_expect_str_eq(d.blocks[0].cells[1], "What it means");
    cr_expect_eq(d.blocks[1].kind, KB_BLOCK_ROW, "the rule is no row");
    cr_expect_eq(d.blocks[1].line, 3);
    cr_expect_str_eq(d.blocks[1].cells[0], "Kind", "markup stripped");
    cr_assert_eq(d.blocks[2].ncells, 2);
    cr_expect_str_eq(d.blocks[2].cells[0], "");
    cr_expect_str_eq(d.blocks[2].text, "an empty first cell");
    cr_expect_eq(d.blocks[3].kind, KB_BLOCK_PARAGRAPH);
    kb_doc_cleanup(&d);
}
