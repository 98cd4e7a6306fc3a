/*
 * kb_doc_html_table.c - tables and lists in the HTML reader.
 *
 * Table rows become ROW blocks whose cells keep their columns across
 * rowspans (a table used only for layout is walked as blocks); list items
 * become ITEM blocks with their list, depth and number; a definition
 * list's <dt> and its <dd>s become items.
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
#include "bot/kb/kb_doc.h"

static unsigned
attr_uint(const xmlNode *n, const char *name, unsigned dflt)
{
    const char *v = attr(n, name);
    char *end;
    unsigned long u;

    if (v == NULL)
        return dflt;
    u = strtoul(v, &end, 10);
    if (end == v || u > 100000)
        return dflt;
    return (unsigned)u;
}

/* The text of one table cell, with nested blocks joined by spaces. */
static char *
cell_text(struct html_reader *r, const xmlNode *cell, const struct html_state *st)
{
    struct html_state cs = *st;
    char *s;

    cs.leaf = true;
    kbhb_reset_block(r);
    kbhw_walk_children(r, cell, &cs);
    s = xstrdup(buf_str(&r->text));
    kbhb_reset_block(r);
    return s;
}

/* One <tr>: a ROW block whose cells keep their columns across rowspans. */
static void
table_row(struct html_reader *r, const xmlNode *tr, const struct html_state *st,
          unsigned *spans)
{
    struct kb_block *b;
    size_t col = 0, nonempty = 0;
    unsigned line = tr->line;
    char *cells[HTML_MAX_COLS];
    size_t ncells = 0;

    for (const xmlNode *c = tr->children; c != NULL; c = c->next) {
        unsigned span, rows;
        char *t;

        if (!(name_is(c, "td") || name_is(c, "th")) || kbhc_is_dropped(r, c, st))
            continue;
        while (col < HTML_MAX_COLS && spans[col] > 0) {
            spans[col]--;
            if (ncells < HTML_MAX_COLS)
                cells[ncells++] = xstrdup("");
            col++;
        }
        t = cell_text(r, c, st);
        if (kbhb_has_text(t))
            nonempty++;
        if (ncells < HTML_MAX_COLS)
            cells[ncells++] = t;
        else
            free(t);
        span = attr_uint(c, "colspan", 1);
        rows = attr_uint(c, "rowspan", 1);
        for (unsigned k = 0; k < span && col < HTML_MAX_COLS; k++, col++) {
            if (k > 0 && ncells < HTML_MAX_COLS)
                cells[ncells++] = xstrdup("");
            spans[col] = rows > 1 ? rows - 1 : 0;
        }
    }
    while (col < HTML_MAX_COLS && spans[col] > 0) {
        spans[col]--;
        col++;
    }
    if (nonempty == 0) {
        for (size_t i = 0; i < ncells; i++)
            free(cells[i]);
        return;
    }
    b = kb_doc_add(r->doc, KB_BLOCK_ROW, "", r->src, line);
    for (size_t i = 0; i < ncells; i++) {
        kb_doc_add_cell(b, cells[i]);
        free(cells[i]);
    }
    r->dt_open = false;
}

void
kbht_table_rows(struct html_reader *r, const xmlNode *n, const struct html_state *st,
                unsigned *spans)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || kbhc_is_dropped(r, c, st))
            continue;
        if (name_is(c, "tr")) {
            table_row(r, c, st, spans);
        } else if (name_is(c, "caption")) {
            struct html_state cs = *st;

            cs.kind = KB_BLOCK_CAPTION;
            cs.leaf = true;
            r->start = c;
            kbhw_walk_children(r, c, &cs);
            kbhb_flush(r, &cs);
        } else if (name_is(c, "thead") || name_is(c, "tbody") || name_is(c, "tfoot")) {
            kbht_table_rows(r, c, st, spans);
        }
    }
}

static bool
holds_structure(const xmlNode *n)
{
    static const char *const names[] = {"ul", "ol", "dl", "table", "blockquote", NULL};

    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (heading_level(c) || name_in(c, names) || holds_structure(c))
            return true;
    }
    return false;
}

/*
 * A table laid out for the page rather than for data (role="presentation",
 * or cells holding headings, lists or tables) is read as the blocks it holds.
 */
bool
kbht_is_layout_table(const xmlNode *n)
{
    const char *role = attr(n, "role");

    if (role != NULL &&
        (strcasecmp(role, "presentation") == 0 || strcasecmp(role, "none") == 0))
        return true;
    return holds_structure(n);
}

void
kbht_walk_list(struct html_reader *r, const xmlNode *n, const struct html_state *st)
{
    struct html_state ls = *st;
    unsigned counter = name_is(n, "ol") ? attr_uint(n, "start", 1) : 0;

    ls.list = ++r->next_list;
    ls.depth = st->depth + 1;
    ls.leaf = false;
    ls.kind = KB_BLOCK_PARAGRAPH;
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        struct html_state is = ls;

        if (c->type == XML_TEXT_NODE) {
            continue;
        } else if (c->type != XML_ELEMENT_NODE || kbhc_is_dropped(r, c, &ls)) {
            if (c->type == XML_ELEMENT_NODE)
                r->ndropped++;
            continue;
        }
        if (!name_is(c, "li")) {
            kbhw_walk(r, c, &ls);
            continue;
        }
        if (counter > 0)
            counter = attr_uint(c, "value", counter);
        is.kind = KB_BLOCK_ITEM;
        is.number = counter;
        is.leaf = !kbhw_holds_heading(c);
        if (!is.leaf)
            is.kind = KB_BLOCK_PARAGRAPH;
        kbhb_flush(r, &ls);
        r->start = c;
        kbhw_walk_children(r, c, &is);
        kbhb_flush(r, &is);
        if (counter > 0)
            counter++;
    }
}

/* A <dd> after its <dt>: joins the term's item, the term becoming its lead. */
static void
join_dd(struct html_reader *r, const xmlNode *dd, const struct html_state *st)
{
    struct kb_block *b = &r->doc->blocks[r->doc->nblocks - 1];
    char *def, *joined;

    kbhb_reset_block(r);
    kbhw_walk_children(r, dd, st);
    def = kbhb_collapsed(buf_str(&r->text));
    kbhb_reset_block(r);
    r->dt_open = false;
    if (def[0] == '\0') {
        free(def);
        return;
    }
    joined = xasprintf("%s %s", b->text, def);
    free(def);
    free(b->lead);
    b->lead = b->text;
    kbhb_trim_separator(b->lead);
    b->text = joined;
}

static void
dl_entry(struct html_reader *r, const xmlNode *c, const struct html_state *ls)
{
    struct html_state is = *ls;

    if (c->type == XML_TEXT_NODE || c->type != XML_ELEMENT_NODE)
        return;
    if (kbhc_is_dropped(r, c, ls)) {
        r->ndropped++;
        return;
    }
    if (name_is(c, "div")) { /* WHATWG allows a div around each group */
        for (const xmlNode *g = c->children; g != NULL; g = g->next)
            dl_entry(r, g, ls);
        return;
    }
    if (!name_is(c, "dt") && !name_is(c, "dd")) {
        kbhw_walk(r, c, ls);
        return;
    }
    is.kind = KB_BLOCK_ITEM;
    is.leaf = true;
    if (name_is(c, "dd") && r->dt_open) {
        join_dd(r, c, &is);
        return;
    }
    if (name_is(c, "dd"))
        is.depth = ls->depth + 1; /* a further definition of the same term */
    kbhb_flush(r, ls);
    r->start = c;
    kbhw_walk_children(r, c, &is);
    kbhb_flush(r, &is);
    r->dt_open = name_is(c, "dt") && r->doc->nblocks > r->first &&
                 r->doc->blocks[r->doc->nblocks - 1].kind == KB_BLOCK_ITEM;
}

/* <dl>: each <dt> an item; its first <dd> joins it, with the term as the lead. */
void
kbht_walk_dl(struct html_reader *r, const xmlNode *n, const struct html_state *st)
{
    struct html_state ls = *st;

    ls.list = ++r->next_list;
    ls.depth = st->depth + 1;
    ls.leaf = false;
    ls.kind = KB_BLOCK_PARAGRAPH;
    r->dt_open = false;
    for (const xmlNode *c = n->children; c != NULL; c = c->next)
        dl_entry(r, c, &ls);
    r->dt_open = false;
}
