/*
 * kb_doc_pdf.c - the pdf reader for the document model (kb_doc.h).
 * Placeholder until the reader lands: it refuses every source.
 */
#include "bot/kb/kb_doc.h"

#include "bot/base/xmalloc.h"

enum bot_err
kb_doc_read_pdf(struct kb_doc *doc, const char *buf, size_t len, unsigned src, char **why)
{
    (void)doc;
    (void)buf;
    (void)len;
    (void)src;
    *why = xstrdup("this format cannot be read yet");
    return BOT_EPARSE;
}
