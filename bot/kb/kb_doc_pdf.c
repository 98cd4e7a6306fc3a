/*
 * kb_doc_pdf.c - the PDF reader for the document model (kb_doc.h).
 *
 * The text comes from poppler's pdftotext -layout (kb_doc_pdf_run.c runs
 * it); this file reads its output.
 *
 * Why -layout: pdftotext's default order interleaves a two-column page
 * line by line (corpus kovp), and -raw, which follows the order of the
 * content stream, is right only when the producer wrote text in reading
 * order (a browser's print is; a desktop-publishing layout often is not)
 * and joins the cells of a table row with single spaces, so a table
 * (corpus fmhp, tmpt) cannot be told from a sentence.  -layout keeps every
 * line where it is on the page; the columns are found here from the gutters
 * of white space that run down several lines: two columns are read one
 * after the other, three or more are a table and become rows
 * (kb_doc_pdf_columns.c).
 *
 * Then, per page (pages end at form feeds): running headers and footers
 * (lines at the top or bottom of most pages), "Page N of M" and bare page
 * numbers are removed, lines wrapped inside a paragraph are joined
 * (kb_doc_pdf_wrap.c), and the text is handed to the text reader; its blocks
 * get the page number.
 */
#include "bot/kb/kb_doc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/buf.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb_doc_pdf_int.h"

#define PDF_EDGE 4 /* lines at the top and bottom of a page that may be furniture */

static void
pline_init(struct pline *l, const char *s, size_t len)
{
    size_t c = 0;

    l->s = s;
    l->len = len;
    l->off = xreallocarray(NULL, len + 1, sizeof(*l->off));
    for (size_t i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            l->off[c++] = i;
    }
    l->off[c] = len;
    l->ncols = c;
}

/* @s with white space collapsed and each digit made '#': what repeats on pages. */
static char *
line_shape(const char *s)
{
    size_t n = strlen(s), o = 0;
    char *out = xmalloc(n + 1);
    bool space = true;

    for (size_t i = 0; i < n; i++) {
        char c = s[i];

        if (c == ' ' || c == '\t' || c == '\r') {
            if (!space)
                out[o++] = ' ';
            space = true;
            continue;
        }
        out[o++] = c >= '0' && c <= '9' ? '#' : c;
        space = false;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return out;
}

/* "12", "Page 3", "Page 3 of 9", "3 of 9", "3/9", "- 3 -": a page number line. */
bool
kb_doc_pdf_is_page_number(const char *s)
{
    const char *p = s;
    unsigned digits = 0;

    while (*p == ' ' || *p == '-' || *p == '\xe2') {
        if (*p == '\xe2') { /* an en or em dash */
            if (strncmp(p, "\xe2\x80\x93", 3) != 0 && strncmp(p, "\xe2\x80\x94", 3) != 0)
                return false;
            p += 3;
            continue;
        }
        p++;
    }
    if (strncasecmp(p, "page", 4) == 0) {
        p += 4;
        while (*p == ' ')
            p++;
    }
    while (*p >= '0' && *p <= '9') {
        p++;
        digits++;
    }
    if (digits == 0 || digits > 4)
        return false;
    while (*p == ' ')
        p++;
    if (strncasecmp(p, "of", 2) == 0 || *p == '/') {
        p += *p == '/' ? 1 : 2;
        while (*p == ' ')
            p++;
        digits = 0;
        while (*p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
        if (digits == 0)
            return false;
    }
    while (*p == ' ' || *p == '-' || strncmp(p, "\xe2\x80\x93", 3) == 0 ||
           strncmp(p, "\xe2\x80\x94", 3) == 0)
        p += (unsigned char)*p == 0xe2 ? 3 : 1;
    return *p == '\0';
}

static void
pout_cleanup(struct pout *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->items[i].text);
        for (size_t c = 0; c < o->items[i].ncells; c++)
            free(o->items[i].cells[c]);
        free(o->items[i].cells);
    }
    free(o->items);
}

/* One page: its lines, and which are furniture to drop. */
struct ppage {
    struct pline *lines;
    size_t n;
    bool *drop;
};

static bool
is_blank(const struct pline *l)
{
    return !kb_doc_pdf_columns_has_text_in(l, 0, l->ncols);
}

/* The indexes of the first and last PDF_EDGE non-blank lines of @p, as marks. */
static void
edge_lines(const struct ppage *p, bool *edge)
{
    size_t k = 0;

    for (size_t i = 0; i < p->n; i++)
        edge[i] = false;
    for (size_t i = 0; i < p->n && k < PDF_EDGE; i++) {
        if (!is_blank(&p->lines[i])) {
            edge[i] = true;
            k++;
        }
    }
    k = 0;
    for (size_t i = p->n; i-- > 0 && k < PDF_EDGE;) {
        if (!is_blank(&p->lines[i])) {
            edge[i] = true;
            k++;
        }
    }
}

/*
 * Marks running headers and footers: a line at the top or bottom of a page
 * whose shape (digits aside) is at the top or bottom of at least half the
 * pages, two at least; and page-number lines there.
 */
static void
mark_furniture(struct ppage *pages, size_t npages)
{
    for (size_t p = 0; p < npages; p++) {
        bool *edge = xcalloc(pages[p].n + 1, sizeof(*edge));

        edge_lines(&pages[p], edge);
        for (size_t i = 0; i < pages[p].n; i++) {
            char *t, *shape;
            size_t seen = 0;

            if (!edge[i])
                continue;
            t = kb_doc_pdf_columns_cols(&pages[p].lines[i], 0, SIZE_MAX);
            if (kb_doc_pdf_is_page_number(t)) {
                pages[p].drop[i] = true;
                free(t);
                continue;
            }
            shape = line_shape(t);
            free(t);
            for (size_t q = 0; q < npages && npages >= 2; q++) {
                bool *qe = xcalloc(pages[q].n + 1, sizeof(*qe));
                bool found = false;

                edge_lines(&pages[q], qe);
                for (size_t j = 0; j < pages[q].n && !found; j++) {
                    char *u, *us;

                    if (!qe[j])
                        continue;
                    u = kb_doc_pdf_columns_cols(&pages[q].lines[j], 0, SIZE_MAX);
                    us = line_shape(u);
                    found = strcmp(us, shape) == 0;
                    free(us);
                    free(u);
                }
                free(qe);
                seen += found;
            }
            if (npages >= 2 && seen >= 2 && seen * 2 >= npages)
                pages[p].drop[i] = true;
            free(shape);
        }
        free(edge);
    }
}

static void
page_lines(struct ppage *p, const char *s, size_t len)
{
    size_t cap = 0;

    p->n = 0;
    p->lines = NULL;
    for (const char *q = s, *end; q < s + len; q = end + 1) {
        end = memchr(q, '\n', (size_t)(s + len - q));
        if (end == NULL)
            end = s + len;
        if (p->n == cap) {
            cap = cap ? cap * 2 : 64;
            p->lines = xreallocarray(p->lines, cap, sizeof(*p->lines));
        }
        pline_init(&p->lines[p->n++], q, (size_t)(end - q));
    }
    p->drop = xcalloc(p->n + 1, sizeof(*p->drop));
}

/* Adds the page's text lines to the document through the text reader. */
static enum bot_err
flush_text(struct kb_doc *doc, struct buf *text, unsigned src, unsigned page, char **why)
{
    size_t before = doc->nblocks;
    enum bot_err err;

    if (text->len == 0)
        return BOT_OK;
    err = kb_doc_read_text(doc, text->data, text->len, src, why);
    for (size_t i = before; i < doc->nblocks; i++) {
        doc->blocks[i].page = page;
        doc->blocks[i].row = doc->blocks[i].line;
        doc->blocks[i].line = 0;
    }
    buf_reset(text);
    return err;
}

enum bot_err
kb_doc_pdf_read_layout(struct kb_doc *doc, const char *text, size_t len, unsigned src,
                       char **why)
{
    struct ppage *pages = NULL;
    size_t npages = 0, cap = 0, text_width = 0;
    enum bot_err err = BOT_OK;
    struct buf page_text;

    for (const char *q = text, *end; q < text + len; q = end + 1) {
        end = memchr(q, '\f', (size_t)(text + len - q));
        if (end == NULL)
            end = text + len;
        if (end == q && end == text + len)
            break;
        if (npages == cap) {
            cap = cap ? cap * 2 : 16;
            pages = xreallocarray(pages, cap, sizeof(*pages));
        }
        page_lines(&pages[npages++], q, (size_t)(end - q));
    }
    mark_furniture(pages, npages);
    for (size_t p = 0; p < npages; p++) {
        for (size_t i = 0; i < pages[p].n; i++) {
            const struct pline *l = &pages[p].lines[i];
            size_t e = l->ncols;

            while (e > 0 && kb_doc_pdf_columns_is_sp(l, e - 1))
                e--;
            if (!pages[p].drop[i] && e > text_width)
                text_width = e;
        }
    }
    buf_init(&page_text, PDF_TEXT_MAX);
    for (size_t p = 0; p < npages && !err; p++) {
        struct pout o = {0};
        struct pline *kept = xcalloc(pages[p].n + 1, sizeof(*kept));
        size_t nkept = 0, w = 0;

        for (size_t i = 0; i < pages[p].n; i++) {
            if (!pages[p].drop[i])
                kept[nkept++] = pages[p].lines[i];
            w = pages[p].lines[i].ncols > w ? pages[p].lines[i].ncols : w;
        }
        o.page_hi = w + 1;
        o.text_width = text_width;
        kb_doc_pdf_columns_split(kept, 0, nkept, 0, w + 1, &o);
        free(kept);
        kb_doc_pdf_wrap_join(&o);
        kb_doc_pdf_wrap_mark_glyphless(&o);
        for (size_t i = 0; i < o.n && !err; i++) {
            struct kb_block *b;

            if (o.items[i].text != NULL) {
                /* One blank line between paragraphs, none at the ends. */
                if (o.items[i].text[0] == '\0' &&
                    (page_text.len == 0 ||
                     (page_text.len >= 2 && page_text.data[page_text.len - 2] == '\n')))
                    continue;
                (void)buf_adds(&page_text, o.items[i].text);
                (void)buf_adds(&page_text, "\n");
                continue;
            }
            err = flush_text(doc, &page_text, src, (unsigned)p + 1, why);
            if (err)
                break;
            b = kb_doc_add(doc, KB_BLOCK_ROW, "", src, 0);
            b->page = (unsigned)p + 1;
            for (size_t c = 0; c < o.items[i].ncells; c++)
                kb_doc_add_cell(b, o.items[i].cells[c]);
        }
        if (!err)
            err = flush_text(doc, &page_text, src, (unsigned)p + 1, why);
        pout_cleanup(&o);
    }
    buf_cleanup(&page_text);
    for (size_t p = 0; p < npages; p++) {
        for (size_t i = 0; i < pages[p].n; i++)
            free(pages[p].lines[i].off);
        free(pages[p].lines);
        free(pages[p].drop);
    }
    free(pages);
    return err;
}
