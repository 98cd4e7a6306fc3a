/*
 * kb_doc_html_walk.c - the walk of the parsed HTML tree, in document order.
 *
 * Block elements start blocks; inline elements (spans, links, strong) add
 * their text to the block being gathered with no separator of their own,
 * so that "<span>H</span> - Honesty" reads as written.  Headings, list
 * items, definition-list groups, table rows, captions and paragraphs become
 * the matching kinds of block; each <br>-separated line of a paragraph is
 * its own block.  Runs of <div>s that hold one entry each (a title and its
 * text) are read as entries; a tab's label is written as the heading of its
 * panel.
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

void
kbhw_walk_children(struct html_reader *r, const xmlNode *n, const struct html_state *st)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next)
        kbhw_walk(r, c, st);
}

/* Whether @n holds an h1-h6 (the mark of a card rather than a list item). */
bool
kbhw_holds_heading(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (heading_level(c) || kbhw_holds_heading(c))
            return true;
    }
    return false;
}

static bool
holds_element(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (name_is(c, name))
            return true;
    }
    return false;
}

static void
walk_image(struct html_reader *r, const xmlNode *n, const struct html_state *st)
{
    const char *alt = attr(n, "alt"), *role = attr(n, "role");
    struct html_state cs = *st;

    if (alt == NULL || !kbhb_has_text(alt) || st->captioned || st->leaf)
        return;
    if (role != NULL &&
        (strcasecmp(role, "presentation") == 0 || strcasecmp(role, "none") == 0))
        return;
    kbhb_flush(r, st);
    cs.kind = KB_BLOCK_CAPTION;
    r->start = n;
    kbhb_add_text(r, alt, n->line);
    if (r->nalts < HTML_MAX_ALTS)
        r->alts[r->nalts++] = r->doc->nblocks;
    kbhb_flush(r, &cs);
}

static void
walk_inline(struct html_reader *r, const xmlNode *n, const struct html_state *st)
{
    bool bold = name_is(n, "strong") || name_is(n, "b");

    if (bold && !r->lead_tried) {
        r->lead_tried = true;
        if (kbhb_is_marker_only(buf_str(&r->text), r->text.len)) {
            r->lead_from = r->text.len;
            kbhw_walk_children(r, n, st);
            r->lead_to = r->text.len;
            return;
        }
    }
    kbhw_walk_children(r, n, st);
}

/* A tab's label as the heading of its panel, unless the panel has its own. */
static void
panel_heading(struct html_reader *r, const xmlNode *n, const struct html_state *st)
{
    const struct html_tab *tab = kbhc_tab_for_panel(r, n);
    struct html_state hs = *st;

    if (tab == NULL || tab->label == NULL || !kbhb_has_text(tab->label))
        return;
    hs.kind = KB_BLOCK_HEADING;
    hs.level = r->last_level >= 2 ? r->last_level : 2;
    hs.in_heading = true;
    r->start = n;
    kbhb_add_text(r, tab->label, n->line);
    kbhb_flush(r, &hs);
}

static void
walk_text(struct html_reader *r, const xmlNode *n, const struct html_state *st)
{
    const char *s = (const char *)n->content;

    if (s == NULL)
        return;
    if (!st->pre) {
        kbhb_add_text(r, s, n->line);
        return;
    }
    for (const char *nl; (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
        char *part = xstrndup(s, (size_t)(nl - s));

        kbhb_add_text(r, part, n->line);
        free(part);
        kbhb_flush(r, st);
    }
    kbhb_add_text(r, s, n->line);
}

/* Whether @n holds only inline content (no block element below it). */
static bool
is_leaf_block(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!(is_inline(c) || name_is(c, "br") || name_is(c, "img")) || !is_leaf_block(c))
            return false;
    }
    return true;
}

static size_t
text_len(const xmlNode *n)
{
    size_t len = 0;

    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content != NULL)
            len += strlen((const char *)c->content);
        else if (c->type == XML_ELEMENT_NODE)
            len += text_len(c);
    }
    return len;
}

/*
 * A div whose class names it the title of a card ("card__title",
 * "value-card__name", "tile-heading"), holding a short line of text: a
 * heading written without h1-h6.  The class's last word decides, so
 * "field--name-body" (a Drupal body field) is not one.
 */
static bool
is_title_div(const xmlNode *n)
{
    static const char *const words[] = {"title", "heading", "name", "header", NULL};
    const char *cls = attr(n, "class");
    char *t;
    bool ok;

    if (cls == NULL || !(name_is(n, "div") || name_is(n, "p")) || !is_leaf_block(n))
        return false;
    for (const char *p = cls; *p;) {
        const char *end = p, *last = p;

        while (*end && *end != ' ')
            end++;
        for (const char *q = p; q < end; q++) {
            if (*q == '-' || *q == '_')
                last = q + 1;
        }
        for (size_t i = 0; words[i] != NULL; i++) {
            if ((size_t)(end - last) == strlen(words[i]) &&
                strncasecmp(last, words[i], (size_t)(end - last)) == 0)
                goto found;
        }
        p = *end ? end + 1 : end;
    }
    return false;
found:
    t = kbhb_node_text(n);
    ok = t[0] != '\0' && strlen(t) <= 80 && t[strlen(t) - 1] != '.';
    free(t);
    return ok;
}

/* Whether all the text under @n is inside links (a list of downloads, of pages). */
static bool
is_link_only(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content != NULL &&
            kbhb_has_text((const char *)c->content))
            return false;
        if (c->type == XML_ELEMENT_NODE && !name_is(c, "a") && !is_link_only(c))
            return false;
    }
    return true;
}

/* Whether @a and @b are the same kind of element: tag and class. */
static bool
same_kind(const xmlNode *a, const xmlNode *b)
{
    const char *ca = attr(a, "class"), *cb = attr(b, "class");

    return strcasecmp((const char *)a->name, (const char *)b->name) == 0 &&
           ((ca == NULL && cb == NULL) ||
            (ca != NULL && cb != NULL && strcmp(ca, cb) == 0));
}

/* A div that is one entry of a list written as divs: short inline text. */
static bool
is_entry_div(const xmlNode *n)
{
    size_t len;

    if (!name_is(n, "div") || !is_leaf_block(n) || is_title_div(n) || is_link_only(n))
        return false;
    len = text_len(n);
    return len > 0 && len <= 240;
}

/*
 * The children of the block @n.  Two or more sibling divs of one kind (tag
 * and class), each a short line of inline text, are the items of a list
 * written without <ul> (behaviours as divs in a card, goals as bare div
 * lines).
 */
static void
walk_blocks(struct html_reader *r, const xmlNode *n, const struct html_state *st)
{
    if (st->leaf) {
        kbhw_walk_children(r, n, st);
        return;
    }
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        const xmlNode *d = c, *last = c;
        size_t run = 1;
        struct html_state ls = *st;

        if (!is_entry_div(c) || kbhc_is_dropped(r, c, st)) {
            kbhw_walk(r, c, st);
            continue;
        }
        for (d = c->next; d != NULL; d = d->next) {
            if (d->type == XML_TEXT_NODE && !kbhb_has_text((const char *)d->content))
                continue;
            if (d->type != XML_ELEMENT_NODE || !same_kind(c, d) || !is_entry_div(d))
                break;
            run++;
            last = d;
        }
        if (run < 2) {
            kbhw_walk(r, c, st);
            continue;
        }
        kbhb_flush(r, st);
        ls.kind = KB_BLOCK_ITEM;
        ls.list = ++r->next_list;
        ls.depth = st->depth + 1;
        ls.number = 0;
        ls.leaf = true;
        for (d = c;; d = d->next) {
            if (d->type == XML_ELEMENT_NODE && !kbhc_is_dropped(r, d, st)) {
                r->start = d;
                kbhw_walk_children(r, d, &ls);
                kbhb_flush(r, &ls);
            }
            if (d == last)
                break;
        }
        c = last;
    }
}

void
kbhw_walk(struct html_reader *r, const xmlNode *n, const struct html_state *st)
{
    static const char *const caption_words[] = {"caption", "figcaption", "credit", NULL};
    struct html_state ns = *st;
    unsigned level;

    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        walk_text(r, n, st);
        return;
    }
    if (n->type != XML_ELEMENT_NODE)
        return;
    if (kbhc_is_dropped(r, n, st)) {
        r->ndropped++;
        return;
    }
    if (name_is(n, "br")) {
        if (st->leaf)
            kbhb_add_text(r, " ", 0);
        else
            kbhb_flush(r, st);
        return;
    }
    if (name_is(n, "img") || name_is(n, "area")) {
        walk_image(r, n, st);
        return;
    }
    if (!st->in_heading && !st->leaf && kbhc_is_disclosure(n)) {
        /* An accordion's button outside any heading heads its panel. */
        kbhb_flush(r, st);
        ns.kind = KB_BLOCK_HEADING;
        ns.level = r->last_level < 6 ? r->last_level + 1 : 6;
        ns.leaf = true;
        ns.in_heading = true;
        r->start = n;
        kbhw_walk_children(r, n, &ns);
        kbhb_flush(r, &ns);
        return;
    }
    if (is_inline(n) || name_is(n, "button")) {
        walk_inline(r, n, st);
        return;
    }
    if (st->leaf) {
        /* A block inside a heading, item or cell: a list in an item is a
           sublist, anything else joins the text. */
        if (st->kind == KB_BLOCK_ITEM && (name_is(n, "ul") || name_is(n, "ol") ||
                                          name_is(n, "menu") || name_is(n, "dl"))) {
            kbhb_flush(r, st);
            if (name_is(n, "dl"))
                kbht_walk_dl(r, n, st);
            else
                kbht_walk_list(r, n, st);
            return;
        }
        kbhb_add_text(r, " ", 0);
        kbhw_walk_children(r, n, st);
        kbhb_add_text(r, " ", 0);
        return;
    }
    kbhb_flush(r, st);
    if (kbhc_is_main(n))
        ns.in_main = true;
    ns.kind = KB_BLOCK_PARAGRAPH;
    level = heading_level(n);
    if (level) {
        ns.kind = KB_BLOCK_HEADING;
        ns.level = level;
        ns.leaf = true;
        ns.in_heading = true;
        r->start = n;
        kbhw_walk_children(r, n, &ns);
        ns.in_heading = false;
        kbhb_flush(r, &ns);
        return;
    }
    if (name_is(n, "ul") || name_is(n, "ol") || name_is(n, "menu")) {
        kbht_walk_list(r, n, &ns);
        return;
    }
    if (name_is(n, "dl")) {
        kbht_walk_dl(r, n, &ns);
        return;
    }
    if (name_is(n, "table") && !kbht_is_layout_table(n)) {
        unsigned spans[HTML_MAX_COLS] = {0};

        kbht_table_rows(r, n, &ns, spans);
        return;
    }
    if (name_is(n, "li") || name_is(n, "dt") || name_is(n, "dd")) {
        /* outside any list */
        ns.kind = KB_BLOCK_ITEM;
        ns.list = ++r->next_list;
        ns.depth = 1;
        ns.leaf = !kbhw_holds_heading(n);
        if (!ns.leaf)
            ns.kind = KB_BLOCK_PARAGRAPH;
    } else if (name_is(n, "figure")) {
        ns.captioned = holds_element(n, "figcaption");
    } else if (name_is(n, "figcaption")) {
        ns.kind = KB_BLOCK_CAPTION;
        ns.leaf = true;
    } else if (name_is(n, "summary") && !kbhw_holds_heading(n)) {
        ns.kind = KB_BLOCK_HEADING;
        ns.level = r->last_level < 6 ? r->last_level + 1 : 6;
        ns.leaf = true;
        ns.in_heading = true;
    } else if (name_is(n, "summary")) {
        ns.in_heading = true;
    } else if (name_is(n, "pre") || name_is(n, "listing") || name_is(n, "xmp")) {
        ns.pre = true;
    } else if ((name_is(n, "p") || name_is(n, "div")) && kbhc_named(n, caption_words) &&
               is_leaf_block(n)) {
        /* a caption paragraph under a picture ("image-with-caption__text") */
        ns.kind = KB_BLOCK_CAPTION;
        ns.leaf = true;
    } else if (is_title_div(n)) {
        ns.kind = KB_BLOCK_HEADING;
        ns.level = r->last_level < 6 ? r->last_level + 1 : 6;
        ns.leaf = true;
        ns.in_heading = true;
    }
    panel_heading(r, n, st);
    r->start = n;
    walk_blocks(r, n, &ns);
    kbhb_flush(r, &ns);
}
