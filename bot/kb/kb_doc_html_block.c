/*
 * kb_doc_html_block.c - the block being gathered by the HTML reader.
 *
 * Text is added to the block being gathered (icon-font characters and
 * invisible ones left out) and the block is written to the document when
 * it ends, its white space collapsed; also the collapsed text under an
 * element.
 */
#include "bot/kb/kb_doc_html_int.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "bot/base/buf.h"
#include "bot/base/xmalloc.h"
#include "bot/base/utf8.h"
#include "bot/kb/kb_doc.h"

void
kbhb_add_text(struct html_reader *r, const char *s, unsigned line)
{
    /*
     * Icon fonts put private-use characters in the text; soft hyphens and
     * zero-width spaces are invisible.  None of them is content.
     */
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = 1;

        if (*p >= 0xc0)
            n = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
        if (n == 3 && p[0] == 0xee)
            goto skip; /* U+E000-U+EFFF */
        if (n == 3 && p[0] == 0xef && p[1] >= 0x80 && p[1] <= 0xa3)
            goto skip; /* U+F000-U+F8FF */
        if (n == 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0x8b || p[2] == 0x8c))
            goto skip; /* zero-width space and non-joiner */
        if (n == 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
            goto skip; /* BOM as a zero-width no-break space */
        if (n == 2 && p[0] == 0xc2 && p[1] == 0xad)
            goto skip; /* soft hyphen */
        if (n == 4 && (p[0] == 0xf3 && (p[1] == 0xb0 || p[1] == 0xb1 || p[1] == 0xb2 ||
                                        p[1] == 0xb3 || p[1] >= 0xb0)))
            goto skip; /* planes 15 and 16, private use */
        if (r->line == 0 && !(*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
            r->line = line;
        (void)buf_add(&r->text, p, n);
    skip:
        for (size_t i = 0; i < n && *p; i++)
            p++;
    }
}

bool
kbhb_is_marker_only(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    if (i == len)
        return true;
    if (strncmp(s + i, "\xe2\x80\xa2", 3) == 0 || strncmp(s + i, "\xc2\xb7", 2) == 0 ||
        strncmp(s + i, "\xe2\x9c\x94", 3) == 0 ||
        strncmp(s + i, "\xe2\x9c\x93", 3) == 0 || s[i] == '-' || s[i] == '*') {
        i += s[i] == '-' || s[i] == '*' ? 1 : (unsigned char)s[i] == 0xc2 ? 2 : 3;
        while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
            i++;
        return i == len;
    }
    return false;
}

void
kbhb_reset_block(struct html_reader *r)
{
    buf_reset(&r->text);
    r->line = 0;
    r->start = NULL;
    r->lead_tried = false;
    r->lead_from = r->lead_to = 0;
}

bool
kbhb_has_text(const char *s)
{
    for (; *s; s++) {
        if (s[0] == '\xc2' && s[1] == '\xa0')
            s++;
        else if (!(*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f'))
            return true;
    }
    return false;
}

/* Copies @s with white space kbhb_collapsed (as kb_doc_add does). */
char *
kbhb_collapsed(const char *s)
{
    struct kb_doc tmp;
    char *out;

    kb_doc_init(&tmp);
    out = kb_doc_add(&tmp, KB_BLOCK_PARAGRAPH, s, 0, 0)->text;
    tmp.blocks[0].text = NULL;
    kb_doc_cleanup(&tmp);
    return out;
}

/*
 * Drops the separator a bold lead-in ends with ("<strong>Compassion:</strong>",
 * "<dt>We are open.</dt>"): the lead is the name, the separator is between it
 * and what follows.
 */
void
kbhb_trim_separator(char *lead)
{
    size_t n = strlen(lead);

    while (n > 0 && (lead[n - 1] == ':' || lead[n - 1] == ' ' || lead[n - 1] == '.' ||
                     lead[n - 1] == ','))
        n--;
    if (n >= 3 && (strncmp(lead + n - 3, "\xe2\x80\x93", 3) == 0 ||
                   strncmp(lead + n - 3, "\xe2\x80\x94", 3) == 0)) {
        n -= 3;
        while (n > 0 && lead[n - 1] == ' ')
            n--;
    }
    lead[n] = '\0';
}

/* Ends the block being gathered, adding it to the document if it has text. */
void
kbhb_flush(struct html_reader *r, const struct html_state *st)
{
    const char *s = buf_str(&r->text);
    struct kb_block *b;
    unsigned line;

    if (!kbhb_has_text(s)) {
        kbhb_reset_block(r);
        return;
    }
    line = r->line ? r->line : r->start ? r->start->line : 0;
    b = kb_doc_add(r->doc, st->kind, s, r->src, line);
    if (st->kind == KB_BLOCK_HEADING) {
        b->level = st->level ? st->level : 1;
        if (!st->in_heading || st->level == 0)
            r->last_level = b->level;
    } else if (st->kind == KB_BLOCK_ITEM) {
        b->level = st->depth ? st->depth : 1;
        b->list = st->list;
        b->number = st->number;
    }
    if (r->lead_to > r->lead_from) {
        char *raw = xstrndup(s + r->lead_from, r->lead_to - r->lead_from);
        char *lead = kbhb_collapsed(raw);

        free(raw);
        kbhb_trim_separator(lead);
        if (lead[0] != '\0' && strncmp(b->text, lead, strlen(lead)) == 0)
            b->lead = lead;
        else
            free(lead);
    }
    r->dt_open = false;
    kbhb_reset_block(r);
}

static void
gather_text(const xmlNode *n, struct buf *b)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
            c->content != NULL)
            (void)buf_adds(b, (const char *)c->content);
        else if (c->type == XML_ELEMENT_NODE)
            gather_text(c, b);
    }
}

/* Returns the text under @n, white space collapsed; free with free(). */
char *
kbhb_node_text(const xmlNode *n)
{
    struct buf b;
    char *s;

    buf_init(&b, HTML_BLOCK_MAX);
    gather_text(n, &b);
    s = kbhb_collapsed(buf_str(&b));
    buf_cleanup(&b);
    return s;
}
