/*
 * kb_doc_pdf_int.h - internals of the PDF reader, shared with its tests.
 */
#ifndef BOT_KB_KB_DOC_PDF_INT_H
#define BOT_KB_KB_DOC_PDF_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/base/err.h"

struct kb_doc;

#define PDF_TEXT_MAX (16u * 1024 * 1024) /* pdftotext's output, at most */

/* One line of a page, with the byte offset of each character column. */
struct pline {
    const char *s; /* borrowed from the page text */
    size_t len;    /* bytes */
    size_t ncols;  /* characters */
    size_t *off;   /* owned: off[c] is column c's byte offset, off[ncols] == len */
};

/* What a page becomes: text lines (blank ones end paragraphs) and table rows. */
struct pitem {
    char *text;   /* owned: a line, or NULL for a row */
    char **cells; /* owned: a row's cells */
    size_t ncells;
    size_t indent, end; /* a line's first and last columns, from its region's left */
    size_t base, width; /* its region's least indent and widest line */
    bool labelled;      /* a numbered label joined to the start of its title */
};

struct pout {
    struct pitem *items;
    size_t n, cap;
    size_t page_hi;    /* the right edge of a whole page (split_region's first call) */
    size_t text_width; /* the widest line of the whole document */
};

/*
 * Reads the @len bytes at @text, pdftotext -layout output (pages ending at
 * form feeds), into @doc as source @src: columns, tables, running headers
 * and footers, page numbers and wrapped lines handled as kb_doc_pdf.c
 * describes.  As kb_doc_read_text() otherwise.
 */
enum bot_err kb_doc_pdf_read_layout(struct kb_doc *doc, const char *text, size_t len,
                                    unsigned src, char **why);

/* Whether @s is a page-number line ("7", "Page 3 of 9", "- 4 -"). */
bool kb_doc_pdf_is_page_number(const char *s);

/* -- kb_doc_pdf_columns.c ---------------------------------------------- */

/* Is column @x of @l a space (or past its end)? */
bool kb_doc_pdf_columns_is_sp(const struct pline *l, size_t x);
/* Whether @l has text in columns [@a, @b). */
bool kb_doc_pdf_columns_has_text_in(const struct pline *l, size_t a, size_t b);
/* A copy of columns [@a, @b) of @l, trimmed. */
char *kb_doc_pdf_columns_cols(const struct pline *l, size_t a, size_t b);
/* Lines [@a, @b) of a page in columns [@lo, @hi) into @o: columns read one after
   the other, tables as rows. */
void kb_doc_pdf_columns_split(const struct pline *lines, size_t a, size_t b, size_t lo,
                              size_t hi, struct pout *o);

/* -- kb_doc_pdf_wrap.c ------------------------------------------------- */

/* Joins the lines of @o wrapped inside a paragraph or an item. */
void kb_doc_pdf_wrap_join(struct pout *o);
/* Marks as list items the lines of @o whose marker the PDF drew as a glyph. */
void kb_doc_pdf_wrap_mark_glyphless(struct pout *o);

#endif /* BOT_KB_KB_DOC_PDF_INT_H */
