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

#endif /* BOT_KB_KB_DOC_PDF_INT_H */
