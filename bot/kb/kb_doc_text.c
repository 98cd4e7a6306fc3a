/*
 * kb_doc_text.c - the text and Markdown reader for the document model.
 * Interim: one paragraph block per line, blank lines included, so that the
 * line-based builder sees the text as it was.
 */
#include "bot/kb/kb_doc.h"

#include <stdlib.h>
#include <string.h>

#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"

enum bot_err
kb_doc_read_text(struct kb_doc *doc, const char *buf, size_t len, unsigned src,
                 char **why)
{
    size_t bad;
    unsigned no = 0;

    if (!utf8_is_valid(buf, len, &bad)) {
        *why = memchr(buf, '\0', len) != NULL
                   ? xstrdup("binary data (NUL byte), not a text document")
                   : xasprintf("invalid UTF-8 at byte offset %zu", bad);
        return BOT_EPARSE;
    }
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    for (const char *p = buf, *end; p < buf + len; p = end + 1) {
        char *line;

        end = memchr(p, '\n', (size_t)(buf + len - p));
        if (end == NULL)
            end = buf + len;
        line = xstrndup(p, (size_t)(end - p));
        kb_doc_add(doc, KB_BLOCK_PARAGRAPH, line, src, ++no);
        free(line);
    }
    return BOT_OK;
}
