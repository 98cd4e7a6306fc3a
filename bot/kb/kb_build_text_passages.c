/*
 * kb_build_text_passages.c - passages: every sentence with its section, a
 * table's rows under their headers, a quote's sentences naming the speaker.
 * Moved out of kb_build_text.c unchanged.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/buf.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb_build_int.h"

/* -- passages ---------------------------------------------------------- */

struct pctx {
    struct bctx *c;
    unsigned line;
    const char *speaker;
    bool first;
};

static void
add_passage(void *arg, const char *s, size_t len)
{
    struct pctx *p = arg;
    struct kb *kb = p->c->kb;
    struct kb_passage *ps;
    char *text = xstrndup(s, len);

    kbw_squeeze(text);
    if (text[0] == '\0') {
        free(text);
        return;
    }
    if (p->speaker != NULL && !p->first) {
        char *t = xasprintf("%s said: %s", p->speaker, text);

        free(text);
        text = t;
    }
    p->first = false;
    if (kb->npassages == p->c->passages_cap) { /* doubling: a long page stays linear */
        p->c->passages_cap = p->c->passages_cap ? p->c->passages_cap * 2 : 64;
        kb->passages =
            xreallocarray(kb->passages, p->c->passages_cap, sizeof(*kb->passages));
    }
    ps = &kb->passages[kb->npassages++];
    ps->section = xstrdup(p->c->heading ? p->c->heading : "");
    ps->text = text;
    ps->line = p->line;
    kbb_where(p->c, &ps->page, &ps->src);
}

/* "Dr A B, Chief Executive, said: "..."": the speaker, as a new string, or NULL. */
static char *
speaker_of(const char *t)
{
    static const char *const verbs[] = {
        " said: ", " says: ",      " added: ",     " adds: ",
        " said, ", " commented: ", " explained: ", NULL};

    for (size_t i = 0; verbs[i] != NULL; i++) {
        const char *v = strstr(t, verbs[i]);
        size_t vl = strlen(verbs[i]);

        if (v != NULL && v - t < 160 &&
            (strncmp(v + vl, "\xe2\x80\x9c", 3) == 0 || v[vl] == '"')) {
            size_t n = (size_t)(v - t);

            while (n > 0 && t[n - 1] == ',')
                n--;
            return xstrndup(t, n);
        }
    }
    return NULL;
}

/*
 * A table row as one passage the answers can quote, each cell after the
 * first under its column's header: "Our people - Target: 7.2 or more;
 * Measure: staff survey".  The first row of a table is its header (as
 * kbr_row() reads it) and no passage.
 */
static void
row_passage(struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *h = c->row_head;
    struct buf text;
    size_t cells = 0;

    if (!c->in_rows) {
        bool header = true;

        c->in_rows = true;
        for (size_t i = 0; i < b->ncells && header; i++)
            header = kbw_words(b->cells[i]) <= 6 && !kbw_terminal(b->cells[i]);
        if (header) {
            c->row_head = b;
            return;
        }
    }
    buf_init(&text, 1u << 16);
    for (size_t i = 0; i < b->ncells; i++) {
        const char *cell = b->cells[i], *head = h != NULL && i > 0 && i < h->ncells &&
                                                        strcmp(h->cells[i], cell) != 0
                                                    ? h->cells[i]
                                                    : "";

        if (cell[0] == '\0')
            continue;
        (void)buf_printf(&text, "%s%s%s%s",
                         cells == 0                     ? ""
                         : cells == 1 && b->cells[0][0] ? " \xe2\x80\x93 "
                                                        : "; ",
                         head, head[0] ? ": " : "", cell);
        cells++;
    }
    if (cells > 0) {
        struct pctx p = {c, b->line, NULL, false};

        add_passage(&p, buf_str(&text), text.len);
    }
    buf_cleanup(&text);
}

void
kb_build_text_passages_block(struct bctx *c, const struct kb_block *b)
{
    struct pctx p = {c, b->line, NULL, true};
    char *speaker = NULL;

    if (b->kind == KB_BLOCK_ROW) {
        if (c->in_rows && c->i > 0 && c->doc->blocks[c->i - 1].src != b->src) {
            c->row_head = NULL; /* a new page: its table is another */
            c->in_rows = false;
        }
        row_passage(c, b);
        return;
    }
    c->row_head = NULL; /* a table ends at anything else */
    c->in_rows = false;
    if (b->kind == KB_BLOCK_HEADING || kbw_is_nav(b->text))
        return;
    speaker = speaker_of(b->text);
    if (speaker != NULL) {
        free(c->quote_speaker);
        c->quote_speaker = xstrdup(speaker);
        p.speaker = speaker;
    } else if (c->quote_speaker != NULL &&
               (strncmp(b->text, "\xe2\x80\x9c", 3) == 0 || b->text[0] == '"')) {
        p.speaker = c->quote_speaker; /* the quote goes on in a new paragraph */
        p.first = false;
    } else {
        free(c->quote_speaker);
        c->quote_speaker = NULL;
    }
    kbw_each_sentence(b->text, add_passage, &p);
    free(speaker);
}
