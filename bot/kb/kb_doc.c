/*
 * kb_doc.c - the document model: blocks, sources, format sniffing, and the
 * dispatch to the readers (kb_doc_text.c, kb_doc_html.c, kb_doc_pdf.c).
 */
#include "bot/kb/kb_doc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/buf.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb_doc_spaced.h"

void
kb_doc_init(struct kb_doc *doc)
{
    memset(doc, 0, sizeof(*doc));
}

void
kb_block_cleanup(struct kb_block *b)
{
    free(b->text);
    free(b->lead);
    for (size_t j = 0; j < b->ncells; j++)
        free(b->cells[j]);
    free(b->cells);
}

void
kb_doc_cleanup(struct kb_doc *doc)
{
    for (size_t i = 0; i < doc->nblocks; i++)
        kb_block_cleanup(&doc->blocks[i]);
    free(doc->blocks);
    for (size_t i = 0; i < doc->nsources; i++)
        free(doc->sources[i]);
    free(doc->title);
    memset(doc, 0, sizeof(*doc));
}

enum bot_err
kb_doc_add_source(struct kb_doc *doc, const char *name, unsigned *src)
{
    if (doc->nsources >= KB_DOC_MAX_SOURCES)
        return BOT_ELIMIT;
    doc->sources[doc->nsources] = xstrdup(name);
    *src = (unsigned)doc->nsources++;
    return BOT_OK;
}

/* A copy of @s with runs of white space (ASCII and NBSP) made one space, trimmed. */
static char *
collapse(const char *s)
{
    size_t len = strlen(s), o = 0;
    char *out = xmalloc(len + 1);
    bool space = true; /* drops leading white space */

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool ws =
            c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';

        if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] == 0xa0) {
            ws = true;
            i++;
        }
        if (ws) {
            if (!space)
                out[o++] = ' ';
            space = true;
            continue;
        }
        out[o++] = (char)c;
        space = false;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return out;
}

struct kb_block *
kb_doc_add(struct kb_doc *doc, enum kb_block_kind kind, const char *text, unsigned src,
           unsigned line)
{
    struct kb_block *b;
    char *spaced;

    if (doc->nblocks == doc->cap) {
        doc->cap = doc->cap ? doc->cap * 2 : 64;
        doc->blocks = xreallocarray(doc->blocks, doc->cap, sizeof(*doc->blocks));
    }
    b = &doc->blocks[doc->nblocks++];
    memset(b, 0, sizeof(*b));
    b->kind = kind;
    /* names kept apart only by runs of spaces become a list before the runs go */
    spaced = kind == KB_BLOCK_PARAGRAPH && text != NULL ? kb_doc_spaced(text) : NULL;
    b->text = collapse(spaced ? spaced : text ? text : "");
    free(spaced);
    b->src = src;
    b->line = line;
    return b;
}

void
kb_doc_add_cell(struct kb_block *b, const char *cell)
{
    char *c = collapse(cell ? cell : "");
    char *joined;

    b->cells = xreallocarray(b->cells, b->ncells + 1, sizeof(*b->cells));
    b->cells[b->ncells++] = c;
    if (c[0] == '\0')
        return; /* an empty cell keeps its column in @cells, not in @text */
    joined = b->text[0] ? xasprintf("%s | %s", b->text, c) : xstrdup(c);
    free(b->text);
    b->text = joined;
}

static bool
ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

enum kb_doc_format
kb_doc_sniff(const char *buf, size_t len, const char *name)
{
    size_t i = 0;

    if (len >= 5 && memcmp(buf, "%PDF-", 5) == 0)
        return KB_DOC_PDF;
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < len &&
           (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
        i++;
    if (i < len && buf[i] == '<') {
        static const char *const tags[] = {"<!doctype html", "<html", "<head", "<body",
                                           "<!--",           "<meta", "<div",  "<?xml"};

        for (size_t t = 0; t < sizeof(tags) / sizeof(tags[0]); t++) {
            size_t tl = strlen(tags[t]);

            if (len - i >= tl && strncasecmp(buf + i, tags[t], tl) == 0)
                return KB_DOC_HTML;
        }
    }
    if (name != NULL && (ends_with_ci(name, ".html") || ends_with_ci(name, ".htm") ||
                         ends_with_ci(name, ".xhtml")))
        return KB_DOC_HTML;
    if (name != NULL && ends_with_ci(name, ".pdf"))
        return KB_DOC_PDF;
    return KB_DOC_TEXT;
}

enum bot_err
kb_doc_read(struct kb_doc *doc, const char *buf, size_t len, enum kb_doc_format format,
            const char *name, char **why)
{
    unsigned src;
    size_t before = doc->nblocks;
    enum bot_err err;

    *why = NULL;
    if (kb_doc_add_source(doc, name, &src) != BOT_OK) {
        *why =
            xasprintf("more than %d sources for one knowledge base", KB_DOC_MAX_SOURCES);
        return BOT_ELIMIT;
    }
    switch (format) {
    case KB_DOC_HTML:
        err = kb_doc_read_html(doc, buf, len, src, why);
        break;
    case KB_DOC_PDF:
        err = kb_doc_read_pdf(doc, buf, len, src, why);
        break;
    case KB_DOC_TEXT:
    default:
        err = kb_doc_read_text(doc, buf, len, src, why);
        break;
    }
    if (err) {
        /* Leave @doc as it was: drop what the reader appended, and the source. */
        while (doc->nblocks > before)
            kb_block_cleanup(&doc->blocks[--doc->nblocks]);
        free(doc->sources[--doc->nsources]);
        doc->sources[doc->nsources] = NULL;
        if (*why == NULL)
            *why = xstrdup("could not be read");
    }
    return err;
}
