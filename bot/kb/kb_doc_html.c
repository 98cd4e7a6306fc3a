/*
 * kb_doc_html.c - the HTML reader for the document model (kb_doc.h).
 *
 * The page is decoded to UTF-8 here (BOM, then the charset a <meta> tag
 * declares, then UTF-8 with each invalid byte read as windows-1252), parsed
 * by libxml2's HTML parser, and walked once in document order.  Block
 * elements start blocks; inline elements (spans, links, strong) add their
 * text to the block being gathered with no separator of their own, so that
 * "<span>H</span> - Honesty" reads as written.  Headings, list items,
 * definition-list groups, table rows, captions and paragraphs become the
 * matching kinds of block; each <br>-separated line of a paragraph is its
 * own block.
 *
 * What a reader skips is what a sighted reader skips: scripts and styles,
 * form controls, navigation, the site's header and footer (those outside
 * main/article), asides, elements marked hidden, and elements whose class
 * or id names chrome (cookie banners, breadcrumbs, skip links, share bars,
 * feedback widgets, menus, text only for screen readers).  Hidden content
 * a visitor can open is kept: the panels of tabs, the body of an accordion
 * or a closed <details>; a tab's label is written as the heading of its
 * panel.
 */
#include "bot/kb/kb_doc.h"

#include <dlfcn.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#include "bot/base/buf.h"
#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb_doc_html_int.h"

#define HTML_BLOCK_MAX (256u * 1024) /* one block's text; a page is a few MB at most */
#define HTML_MAX_TABS  64
#define HTML_MAX_ALTS  256
#define HTML_LIBXML2   "libxml2.so.2"

/* xmlNode._private of an element that holds the page's main content or h1. */
static char holds_main_mark;
#define HTML_HOLDS_MAIN ((void *)&holds_main_mark)

/* A tab (role="tab") and the panel it shows, found before the walk. */
struct html_tab {
    const char *id;    /* borrowed from the tree: the tab's id, or NULL */
    const char *panel; /* borrowed: its aria-controls, or NULL */
    char *label;       /* owned: its text */
};

struct html_reader {
    struct kb_doc *doc;
    unsigned src;
    size_t first; /* index of this source's first block */

    struct buf text;           /* the block being gathered */
    unsigned line;             /* line of its first text, 0 until then */
    const xmlNode *start;      /* the element that opened the block */
    bool lead_tried;           /* a bold lead-in was looked for */
    size_t lead_from, lead_to; /* its bytes in @text, lead_to 0 if none */
    unsigned last_level;       /* level of the last h1-h6 */
    unsigned next_list;        /* list ids handed out */
    bool dt_open;              /* the last block is a <dt> with no <dd> yet */
    struct html_tab tabs[HTML_MAX_TABS];
    size_t ntabs;
    size_t ndropped;            /* elements skipped as scripts, styles, chrome */
    size_t alts[HTML_MAX_ALTS]; /* indexes of the captions made from alt text */
    size_t nalts;
};

/* What the enclosing elements say about the text being gathered. */
struct html_state {
    enum kb_block_kind kind;
    unsigned level;  /* HEADING level */
    unsigned list;   /* ITEM list id */
    unsigned depth;  /* list depth */
    unsigned number; /* ITEM number */
    bool leaf;       /* nested blocks join this one (heading, item, cell) */
    bool in_main;    /* inside main or article */
    bool in_heading; /* inside h1-h6 or summary */
    bool captioned;  /* inside a figure with a figcaption */
    bool pre;        /* inside <pre>: new lines end blocks */
};

static bool
name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name != NULL &&
           strcasecmp((const char *)n->name, name) == 0;
}

static bool
name_in(const xmlNode *n, const char *const *names)
{
    for (size_t i = 0; names[i] != NULL; i++) {
        if (name_is(n, names[i]))
            return true;
    }
    return false;
}

/* Borrowed: the value of attribute @name of @n, or NULL. */
static const char *
attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
        if (a->name != NULL && strcasecmp((const char *)a->name, name) == 0) {
            if (a->children != NULL && a->children->type == XML_TEXT_NODE &&
                a->children->content != NULL)
                return (const char *)a->children->content;
            return "";
        }
    }
    return NULL;
}

static unsigned
heading_level(const xmlNode *n)
{
    if (n->type != XML_ELEMENT_NODE || n->name == NULL)
        return 0;
    if ((n->name[0] == 'h' || n->name[0] == 'H') && n->name[1] >= '1' &&
        n->name[1] <= '6' && n->name[2] == '\0')
        return (unsigned)(n->name[1] - '0');
    return 0;
}

static bool
is_inline(const xmlNode *n)
{
    static const char *const names[] = {
        "a",    "abbr", "acronym", "b",    "bdi",    "bdo",    "big",   "cite", "code",
        "data", "dfn",  "em",      "font", "i",      "ins",    "kbd",   "mark", "q",
        "s",    "samp", "small",   "span", "strike", "strong", "sub",   "sup",  "time",
        "tt",   "u",    "var",     "wbr",  "del",    "nobr",   "label", NULL};

    return name_in(n, names);
}

/*
 * Whether the class or id of @n names chrome.  Names are split into words
 * at '-', '_' and case changes do not matter; a word, or two words run
 * together ("visually hidden", "sr only"), is matched against the names
 * CMSs give such parts.  Matching whole words keeps "sharepoint" and
 * "menuitem-content" apart from "share" and "menu" only where the CMS does.
 */
static bool
words_are_chrome(const char *s)
{
    static const char *const words[] = {"cookie",         "cookies",
                                        "cookiebanner",   "consent",
                                        "gdpr",           "breadcrumb",
                                        "breadcrumbs",    "skip",
                                        "skiplink",       "skiplinks",
                                        "share",          "sharing",
                                        "sharebar",       "social",
                                        "socials",        "feedback",
                                        "menu",           "megamenu",
                                        "submenu",        "menubar",
                                        "navbar",         "nav",
                                        "navigation",     "sronly",
                                        "visuallyhidden", "screenreader",
                                        "offscreen",      "invisible",
                                        "pagination",     "pager",
                                        "toolbar",        "backtotop",
                                        "searchbar",      "searchform",
                                        "print",          "newsletter",
                                        "signup",         "crumb",
                                        "crumbs",         "sidebar",
                                        "related",        "rightcol",
                                        "leftcol",        "a11y",
                                        "utility",        "utilities",
                                        "accessibility",  "language",
                                        "languages",      "translate",
                                        "topbar",         "reviewdate",
                                        "lastreviewed",   "lastupdated",
                                        "ribbon",         "ribbonrow",
                                        "edit",           NULL};
    char prev[32] = "", word[32];
    size_t n = 0;

    for (const char *p = s;; p++) {
        bool sep = *p == '\0' || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                                   (*p >= '0' && *p <= '9'));

        if (!sep) {
            if (n + 1 < sizeof(word))
                word[n++] = (char)(*p | 0x20);
            continue;
        }
        if (n > 0) {
            char pair[64];

            word[n] = '\0';
            snprintf(pair, sizeof(pair), "%s%s", prev, word);
            for (size_t i = 0; words[i] != NULL; i++) {
                if (strcmp(word, words[i]) == 0 || strcmp(pair, words[i]) == 0)
                    return true;
            }
            memcpy(prev, word, n + 1);
            n = 0;
        }
        if (*p == '\0')
            break;
        if (*p == ' ' || *p == '\t' || *p == '\n')
            prev[0] = '\0';
    }
    return false;
}

static bool
is_chrome_named(const xmlNode *n)
{
    const char *cls = attr(n, "class"), *id = attr(n, "id");

    return (cls != NULL && words_are_chrome(cls)) || (id != NULL && words_are_chrome(id));
}

/* Whether a word of @s (a class or id: words split at non-alphanumerics) is in @words. */
static bool
has_word(const char *s, const char *const *words)
{
    char word[32];
    size_t n = 0;

    for (const char *p = s;; p++) {
        bool sep = *p == '\0' || !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                                   (*p >= '0' && *p <= '9'));

        if (!sep) {
            if (n + 1 < sizeof(word))
                word[n++] = (char)(*p | 0x20);
            continue;
        }
        if (n > 0) {
            word[n] = '\0';
            for (size_t i = 0; words[i] != NULL; i++) {
                if (strcmp(word, words[i]) == 0)
                    return true;
            }
            n = 0;
        }
        if (*p == '\0')
            break;
    }
    return false;
}

static bool
named(const xmlNode *n, const char *const *words)
{
    const char *cls = attr(n, "class"), *id = attr(n, "id");

    return (cls != NULL && has_word(cls, words)) || (id != NULL && has_word(id, words));
}

/* Whether @s (a class or id) names a panel a visitor can open. */
static bool
words_are_panel(const char *s)
{
    static const char *const words[] = {
        "tab",       "tabs",       "tabpanel",    "tabpane",  "pane",
        "accordion", "collapse",   "collapsible", "expander", "expandable",
        "reveal",    "disclosure", "details",     "toggle",   NULL};

    return has_word(s, words);
}

static const struct html_tab *
tab_for_panel(const struct html_reader *r, const xmlNode *n)
{
    const char *id = attr(n, "id"), *by = attr(n, "aria-labelledby");

    for (size_t i = 0; i < r->ntabs; i++) {
        if (id != NULL && r->tabs[i].panel != NULL && strcmp(id, r->tabs[i].panel) == 0)
            return &r->tabs[i];
        if (by != NULL && r->tabs[i].id != NULL && strcmp(by, r->tabs[i].id) == 0)
            return &r->tabs[i];
    }
    return NULL;
}

static bool
is_hidden(const xmlNode *n)
{
    const char *v, *style = attr(n, "style");

    if (attr(n, "hidden") != NULL)
        return true;
    v = attr(n, "aria-hidden");
    if (v != NULL && strcasecmp(v, "true") == 0)
        return true;
    if (style != NULL) {
        char *s = xstrdup(style);
        size_t o = 0;
        bool hidden;

        /* "display: none" and "display:none" alike. */
        for (size_t i = 0; s[i]; i++) {
            if (s[i] != ' ' && s[i] != '\t')
                s[o++] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] | 0x20 : s[i]);
        }
        s[o] = '\0';
        hidden =
            strstr(s, "display:none") != NULL || strstr(s, "visibility:hidden") != NULL;
        free(s);
        return hidden;
    }
    return false;
}

/*
 * Whether hidden @n is content a visitor can open: a tab panel, or the
 * body of an accordion or disclosure.
 */
static bool
is_openable(const struct html_reader *r, const xmlNode *n)
{
    const char *role = attr(n, "role"), *cls = attr(n, "class"), *id = attr(n, "id");

    if (role != NULL && strcasecmp(role, "tabpanel") == 0)
        return true;
    if (tab_for_panel(r, n) != NULL)
        return true;
    return (cls != NULL && words_are_panel(cls)) || (id != NULL && words_are_panel(id));
}

static bool
role_is(const xmlNode *n, const char *const *roles)
{
    const char *role = attr(n, "role");

    if (role == NULL)
        return false;
    for (size_t i = 0; roles[i] != NULL; i++) {
        if (strcasecmp(role, roles[i]) == 0)
            return true;
    }
    return false;
}

/*
 * Whether @n opens and closes a panel of the page (an accordion's or a
 * "read more" button: aria-expanded, aria-controls, a collapse toggle).
 */
static bool
is_disclosure(const xmlNode *n)
{
    const char *role = attr(n, "role"), *toggle = attr(n, "data-bs-toggle");

    if (toggle == NULL)
        toggle = attr(n, "data-toggle");
    if (!name_is(n, "button") && !(role != NULL && strcasecmp(role, "button") == 0))
        return false;
    return attr(n, "aria-expanded") != NULL || attr(n, "aria-controls") != NULL ||
           (toggle != NULL && strcasecmp(toggle, "collapse") == 0);
}

/* Whether @n and what it holds are left out of the document. */
static bool
is_dropped(const struct html_reader *r, const xmlNode *n, const struct html_state *st)
{
    static const char *const never[] = {
        "script",   "style",  "noscript", "template", "svg",      "math",     "iframe",
        "object",   "embed",  "canvas",   "video",    "audio",    "map",      "head",
        "input",    "select", "textarea", "option",   "optgroup", "datalist", "output",
        "progress", "meter",  "dialog",   "link",     "meta",     "nav",      "aside",
        "label",    "title",  NULL};
    static const char *const roles[] = {
        "navigation", "search",  "complementary", "menu",        "menubar",
        "toolbar",    "tablist", "dialog",        "alertdialog", NULL};
    static const char *const page_roles[] = {"banner", "contentinfo", NULL};
    /* The site's header and footer when written as divs (WordPress's
       "masthead" and "colophon"). */
    static const char *const site_parts[] = {"header", "footer", "masthead", "colophon",
                                             NULL};

    if (name_in(n, never) || role_is(n, roles))
        return true;
    /* A button is chrome, except an accordion's, in its heading or not. */
    if (name_is(n, "button") && !st->in_heading && !is_disclosure(n))
        return true;
    if (!st->in_main && (name_is(n, "header") || name_is(n, "footer") ||
                         role_is(n, page_roles) || named(n, site_parts)))
        return true;
    /* A class on a wrapper ("et_right_sidebar" on <body>) does not make the
       page it wraps chrome. */
    if (is_chrome_named(n) && n->_private != HTML_HOLDS_MAIN)
        return true;
    return is_hidden(n) && !is_openable(r, n);
}

static void
add_text(struct html_reader *r, const char *s, unsigned line)
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

static bool
is_marker_only(const char *s, size_t len)
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

static void
reset_block(struct html_reader *r)
{
    buf_reset(&r->text);
    r->line = 0;
    r->start = NULL;
    r->lead_tried = false;
    r->lead_from = r->lead_to = 0;
}

static bool
has_text(const char *s)
{
    for (; *s; s++) {
        if (s[0] == '\xc2' && s[1] == '\xa0')
            s++;
        else if (!(*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f'))
            return true;
    }
    return false;
}

/* Copies @s with white space collapsed (as kb_doc_add does). */
static char *
collapsed(const char *s)
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
static void
trim_separator(char *lead)
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
static void
flush(struct html_reader *r, const struct html_state *st)
{
    const char *s = buf_str(&r->text);
    struct kb_block *b;
    unsigned line;

    if (!has_text(s)) {
        reset_block(r);
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
        char *lead = collapsed(raw);

        free(raw);
        trim_separator(lead);
        if (lead[0] != '\0' && strncmp(b->text, lead, strlen(lead)) == 0)
            b->lead = lead;
        else
            free(lead);
    }
    r->dt_open = false;
    reset_block(r);
}

static void walk(struct html_reader *r, const xmlNode *n, const struct html_state *st);
static char *node_text(const xmlNode *n);

static void
walk_children(struct html_reader *r, const xmlNode *n, const struct html_state *st)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next)
        walk(r, c, st);
}

/* Whether @n holds an h1-h6 (the mark of a card rather than a list item). */
static bool
holds_heading(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (heading_level(c) || holds_heading(c))
            return true;
    }
    return false;
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

static bool
holds_element(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (name_is(c, name))
            return true;
    }
    return false;
}

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
    reset_block(r);
    walk_children(r, cell, &cs);
    s = xstrdup(buf_str(&r->text));
    reset_block(r);
    return s;
}

#define HTML_MAX_COLS 64

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

        if (!(name_is(c, "td") || name_is(c, "th")) || is_dropped(r, c, st))
            continue;
        while (col < HTML_MAX_COLS && spans[col] > 0) {
            spans[col]--;
            if (ncells < HTML_MAX_COLS)
                cells[ncells++] = xstrdup("");
            col++;
        }
        t = cell_text(r, c, st);
        if (has_text(t))
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

static void
table_rows(struct html_reader *r, const xmlNode *n, const struct html_state *st,
           unsigned *spans)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || is_dropped(r, c, st))
            continue;
        if (name_is(c, "tr")) {
            table_row(r, c, st, spans);
        } else if (name_is(c, "caption")) {
            struct html_state cs = *st;

            cs.kind = KB_BLOCK_CAPTION;
            cs.leaf = true;
            r->start = c;
            walk_children(r, c, &cs);
            flush(r, &cs);
        } else if (name_is(c, "thead") || name_is(c, "tbody") || name_is(c, "tfoot")) {
            table_rows(r, c, st, spans);
        }
    }
}

/*
 * A table laid out for the page rather than for data (role="presentation",
 * or cells holding headings, lists or tables) is read as the blocks it holds.
 */
static bool
is_layout_table(const xmlNode *n)
{
    const char *role = attr(n, "role");

    if (role != NULL &&
        (strcasecmp(role, "presentation") == 0 || strcasecmp(role, "none") == 0))
        return true;
    return holds_structure(n);
}

static void
walk_image(struct html_reader *r, const xmlNode *n, const struct html_state *st)
{
    const char *alt = attr(n, "alt"), *role = attr(n, "role");
    struct html_state cs = *st;

    if (alt == NULL || !has_text(alt) || st->captioned || st->leaf)
        return;
    if (role != NULL &&
        (strcasecmp(role, "presentation") == 0 || strcasecmp(role, "none") == 0))
        return;
    flush(r, st);
    cs.kind = KB_BLOCK_CAPTION;
    r->start = n;
    add_text(r, alt, n->line);
    if (r->nalts < HTML_MAX_ALTS)
        r->alts[r->nalts++] = r->doc->nblocks;
    flush(r, &cs);
}

static void
walk_inline(struct html_reader *r, const xmlNode *n, const struct html_state *st)
{
    bool bold = name_is(n, "strong") || name_is(n, "b");

    if (bold && !r->lead_tried) {
        r->lead_tried = true;
        if (is_marker_only(buf_str(&r->text), r->text.len)) {
            r->lead_from = r->text.len;
            walk_children(r, n, st);
            r->lead_to = r->text.len;
            return;
        }
    }
    walk_children(r, n, st);
}

/* A tab's label as the heading of its panel, unless the panel has its own. */
static void
panel_heading(struct html_reader *r, const xmlNode *n, const struct html_state *st)
{
    const struct html_tab *tab = tab_for_panel(r, n);
    struct html_state hs = *st;

    if (tab == NULL || tab->label == NULL || !has_text(tab->label))
        return;
    hs.kind = KB_BLOCK_HEADING;
    hs.level = r->last_level >= 2 ? r->last_level : 2;
    hs.in_heading = true;
    r->start = n;
    add_text(r, tab->label, n->line);
    flush(r, &hs);
}

static void
walk_list(struct html_reader *r, const xmlNode *n, const struct html_state *st)
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
        } else if (c->type != XML_ELEMENT_NODE || is_dropped(r, c, &ls)) {
            if (c->type == XML_ELEMENT_NODE)
                r->ndropped++;
            continue;
        }
        if (!name_is(c, "li")) {
            walk(r, c, &ls);
            continue;
        }
        if (counter > 0)
            counter = attr_uint(c, "value", counter);
        is.kind = KB_BLOCK_ITEM;
        is.number = counter;
        is.leaf = !holds_heading(c);
        if (!is.leaf)
            is.kind = KB_BLOCK_PARAGRAPH;
        flush(r, &ls);
        r->start = c;
        walk_children(r, c, &is);
        flush(r, &is);
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

    reset_block(r);
    walk_children(r, dd, st);
    def = collapsed(buf_str(&r->text));
    reset_block(r);
    r->dt_open = false;
    if (def[0] == '\0') {
        free(def);
        return;
    }
    joined = xasprintf("%s %s", b->text, def);
    free(def);
    free(b->lead);
    b->lead = b->text;
    trim_separator(b->lead);
    b->text = joined;
}

static void
dl_entry(struct html_reader *r, const xmlNode *c, const struct html_state *ls)
{
    struct html_state is = *ls;

    if (c->type == XML_TEXT_NODE || c->type != XML_ELEMENT_NODE)
        return;
    if (is_dropped(r, c, ls)) {
        r->ndropped++;
        return;
    }
    if (name_is(c, "div")) { /* WHATWG allows a div around each group */
        for (const xmlNode *g = c->children; g != NULL; g = g->next)
            dl_entry(r, g, ls);
        return;
    }
    if (!name_is(c, "dt") && !name_is(c, "dd")) {
        walk(r, c, ls);
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
    flush(r, ls);
    r->start = c;
    walk_children(r, c, &is);
    flush(r, &is);
    r->dt_open = name_is(c, "dt") && r->doc->nblocks > r->first &&
                 r->doc->blocks[r->doc->nblocks - 1].kind == KB_BLOCK_ITEM;
}

/* <dl>: each <dt> an item; its first <dd> joins it, with the term as the lead. */
static void
walk_dl(struct html_reader *r, const xmlNode *n, const struct html_state *st)
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

static void
walk_text(struct html_reader *r, const xmlNode *n, const struct html_state *st)
{
    const char *s = (const char *)n->content;

    if (s == NULL)
        return;
    if (!st->pre) {
        add_text(r, s, n->line);
        return;
    }
    for (const char *nl; (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
        char *part = xstrndup(s, (size_t)(nl - s));

        add_text(r, part, n->line);
        free(part);
        flush(r, st);
    }
    add_text(r, s, n->line);
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
    t = node_text(n);
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
            has_text((const char *)c->content))
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
        walk_children(r, n, st);
        return;
    }
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        const xmlNode *d = c, *last = c;
        size_t run = 1;
        struct html_state ls = *st;

        if (!is_entry_div(c) || is_dropped(r, c, st)) {
            walk(r, c, st);
            continue;
        }
        for (d = c->next; d != NULL; d = d->next) {
            if (d->type == XML_TEXT_NODE && !has_text((const char *)d->content))
                continue;
            if (d->type != XML_ELEMENT_NODE || !same_kind(c, d) || !is_entry_div(d))
                break;
            run++;
            last = d;
        }
        if (run < 2) {
            walk(r, c, st);
            continue;
        }
        flush(r, st);
        ls.kind = KB_BLOCK_ITEM;
        ls.list = ++r->next_list;
        ls.depth = st->depth + 1;
        ls.number = 0;
        ls.leaf = true;
        for (d = c;; d = d->next) {
            if (d->type == XML_ELEMENT_NODE && !is_dropped(r, d, st)) {
                r->start = d;
                walk_children(r, d, &ls);
                flush(r, &ls);
            }
            if (d == last)
                break;
        }
        c = last;
    }
}

static bool
is_main(const xmlNode *n)
{
    static const char *const roles[] = {"main", NULL};
    static const char *const words[] = {"main", "maincontent", "content", "primary",
                                        NULL};
    const char *id = attr(n, "id");

    return name_is(n, "main") || name_is(n, "article") || role_is(n, roles) ||
           (id != NULL && has_word(id, words) && !name_is(n, "body") &&
            !name_is(n, "html"));
}

static void
walk(struct html_reader *r, const xmlNode *n, const struct html_state *st)
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
    if (is_dropped(r, n, st)) {
        r->ndropped++;
        return;
    }
    if (name_is(n, "br")) {
        if (st->leaf)
            add_text(r, " ", 0);
        else
            flush(r, st);
        return;
    }
    if (name_is(n, "img") || name_is(n, "area")) {
        walk_image(r, n, st);
        return;
    }
    if (!st->in_heading && !st->leaf && is_disclosure(n)) {
        /* An accordion's button outside any heading heads its panel. */
        flush(r, st);
        ns.kind = KB_BLOCK_HEADING;
        ns.level = r->last_level < 6 ? r->last_level + 1 : 6;
        ns.leaf = true;
        ns.in_heading = true;
        r->start = n;
        walk_children(r, n, &ns);
        flush(r, &ns);
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
            flush(r, st);
            if (name_is(n, "dl"))
                walk_dl(r, n, st);
            else
                walk_list(r, n, st);
            return;
        }
        add_text(r, " ", 0);
        walk_children(r, n, st);
        add_text(r, " ", 0);
        return;
    }
    flush(r, st);
    if (is_main(n))
        ns.in_main = true;
    ns.kind = KB_BLOCK_PARAGRAPH;
    level = heading_level(n);
    if (level) {
        ns.kind = KB_BLOCK_HEADING;
        ns.level = level;
        ns.leaf = true;
        ns.in_heading = true;
        r->start = n;
        walk_children(r, n, &ns);
        ns.in_heading = false;
        flush(r, &ns);
        return;
    }
    if (name_is(n, "ul") || name_is(n, "ol") || name_is(n, "menu")) {
        walk_list(r, n, &ns);
        return;
    }
    if (name_is(n, "dl")) {
        walk_dl(r, n, &ns);
        return;
    }
    if (name_is(n, "table") && !is_layout_table(n)) {
        unsigned spans[HTML_MAX_COLS] = {0};

        table_rows(r, n, &ns, spans);
        return;
    }
    if (name_is(n, "li") || name_is(n, "dt") || name_is(n, "dd")) {
        /* outside any list */
        ns.kind = KB_BLOCK_ITEM;
        ns.list = ++r->next_list;
        ns.depth = 1;
        ns.leaf = !holds_heading(n);
        if (!ns.leaf)
            ns.kind = KB_BLOCK_PARAGRAPH;
    } else if (name_is(n, "figure")) {
        ns.captioned = holds_element(n, "figcaption");
    } else if (name_is(n, "figcaption")) {
        ns.kind = KB_BLOCK_CAPTION;
        ns.leaf = true;
    } else if (name_is(n, "summary") && !holds_heading(n)) {
        ns.kind = KB_BLOCK_HEADING;
        ns.level = r->last_level < 6 ? r->last_level + 1 : 6;
        ns.leaf = true;
        ns.in_heading = true;
    } else if (name_is(n, "summary")) {
        ns.in_heading = true;
    } else if (name_is(n, "pre") || name_is(n, "listing") || name_is(n, "xmp")) {
        ns.pre = true;
    } else if ((name_is(n, "p") || name_is(n, "div")) && named(n, caption_words) &&
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
    flush(r, &ns);
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
static char *
node_text(const xmlNode *n)
{
    struct buf b;
    char *s;

    buf_init(&b, HTML_BLOCK_MAX);
    gather_text(n, &b);
    s = collapsed(buf_str(&b));
    buf_cleanup(&b);
    return s;
}

static void
find_tabs(struct html_reader *r, const xmlNode *n, bool in_heading)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        const char *role, *controls;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        role = attr(c, "role");
        controls = attr(c, "aria-controls");
        if (controls == NULL && is_disclosure(c)) {
            /* Bootstrap names its panel in data-bs-target="#id". */
            controls = attr(c, "data-bs-target") ? attr(c, "data-bs-target")
                                                 : attr(c, "data-target");
            if (controls != NULL && controls[0] == '#')
                controls++;
        }
        if (name_is(c, "nav") || is_chrome_named(c))
            continue; /* a menu's toggles open menus */
        if (r->ntabs < HTML_MAX_TABS &&
            ((role != NULL && strcasecmp(role, "tab") == 0) ||
             ((in_heading || is_disclosure(c)) && controls != NULL))) {
            struct html_tab *t = &r->tabs[r->ntabs++];

            t->id = attr(c, "id");
            t->panel = controls;
            /* An accordion's button is its heading already. */
            t->label = role != NULL ? node_text(c) : NULL;
            continue;
        }
        find_tabs(r, c, in_heading || heading_level(c) || name_is(c, "summary"));
    }
}

/* Marks the elements that hold the main content or h1 (see is_dropped()). */
static void
mark_main(xmlNode *n)
{
    for (xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_main(c) || name_is(c, "h1")) {
            for (xmlNode *a = c; a != NULL && a->type == XML_ELEMENT_NODE; a = a->parent)
                a->_private = HTML_HOLDS_MAIN;
        }
        mark_main(c);
    }
}

static const xmlNode *
find_element(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        const xmlNode *f;

        if (name_is(c, name))
            return c;
        if (c->type == XML_ELEMENT_NODE && !name_is(c, "body") &&
            (f = find_element(c, name)))
            return f;
    }
    return NULL;
}

static bool
marker(const char *s, size_t *len)
{
    static const char *const marks[] = {"\xe2\x80\xa2", /* bullet */
                                        "\xc2\xb7",     /* middle dot */
                                        "\xe2\x9c\x94", /* heavy check mark */
                                        "\xe2\x9c\x93", /* check mark */
                                        "\xe2\x96\xaa", /* small black square */
                                        "\xe2\x97\xa6", /* white bullet */
                                        "\xe2\x80\xa3", /* triangular bullet */
                                        "\xe2\x96\xa0", /* black square */
                                        "-",
                                        "*",
                                        NULL};

    for (size_t i = 0; marks[i] != NULL; i++) {
        size_t m = strlen(marks[i]);

        if (strncmp(s, marks[i], m) == 0 && s[m] == ' ' && s[m + 1] != '\0') {
            *len = m + 1;
            return true;
        }
    }
    return false;
}

/*
 * Paragraphs written with a literal bullet ("<span>•</span> text", a "•"
 * line in a <br> run) are list items: the marker goes, consecutive ones
 * share a list.
 */
static void
bullet_paragraphs(struct html_reader *r)
{
    unsigned list = 0;

    for (size_t i = r->first; i < r->doc->nblocks; i++) {
        struct kb_block *b = &r->doc->blocks[i];
        size_t m;
        char *rest;

        if ((b->kind != KB_BLOCK_PARAGRAPH && b->kind != KB_BLOCK_ITEM) ||
            !marker(b->text, &m)) {
            list = 0;
            continue;
        }
        rest = xstrdup(b->text + m);
        free(b->text);
        b->text = rest;
        if (b->kind == KB_BLOCK_PARAGRAPH) {
            if (list == 0)
                list = ++r->next_list;
            b->kind = KB_BLOCK_ITEM;
            b->list = list;
            b->level = 1;
        }
        if (b->lead != NULL && strncmp(b->text, b->lead, strlen(b->lead)) != 0) {
            free(b->lead);
            b->lead = NULL;
        }
    }
}

static bool
contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for (; *hay; hay++) {
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    }
    return false;
}

static void
drop_block(struct kb_doc *doc, size_t i)
{
    struct kb_block *b = &doc->blocks[i];

    kb_block_cleanup(b);
    memmove(b, b + 1, (doc->nblocks - i - 1) * sizeof(*b));
    doc->nblocks--;
}

/*
 * An image's alt text that the caption beside it already says ("Photo: the
 * Ward 7 team" under a photo whose alt is "The Ward 7 team") is dropped, so
 * the sentence is not there twice.
 */
static void
drop_restated_alts(struct html_reader *r)
{
    for (size_t k = r->nalts; k-- > 0;) {
        size_t i = r->alts[k];
        bool restated = false;

        if (i >= r->doc->nblocks || r->doc->blocks[i].kind != KB_BLOCK_CAPTION)
            continue;
        for (size_t j = i > r->first + 2 ? i - 2 : r->first; j <= i + 2; j++) {
            if (j != i && j < r->doc->nblocks &&
                contains_ci(r->doc->blocks[j].text, r->doc->blocks[i].text))
                restated = true;
        }
        if (restated)
            drop_block(r->doc, i);
    }
}

/* windows-1252's 0x80-0x9f; the rest of it is ISO 8859-1. */
static const unsigned short cp1252[32] = {
    0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
    0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
    0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
    0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178};

static void
put_cp1252(struct buf *out, unsigned char c)
{
    unsigned u = c >= 0x80 && c < 0xa0 ? cp1252[c - 0x80] : c;
    char s[3];

    if (u < 0x80) {
        s[0] = (char)u;
        (void)buf_add(out, s, 1);
    } else if (u < 0x800) {
        s[0] = (char)(0xc0 | (u >> 6));
        s[1] = (char)(0x80 | (u & 0x3f));
        (void)buf_add(out, s, 2);
    } else {
        s[0] = (char)(0xe0 | (u >> 12));
        s[1] = (char)(0x80 | ((u >> 6) & 0x3f));
        s[2] = (char)(0x80 | (u & 0x3f));
        (void)buf_add(out, s, 3);
    }
}

/* Length of the valid UTF-8 sequence at @s (of @len bytes), 0 if invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t len)
{
    size_t n;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        n = 2;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        n = 3;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        n = 4;
    else
        return 0;
    if (n > len)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    }
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
        (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
        return 0;
    return n;
}

/* The charset a <meta> tag in the first 4 KiB declares, lower-cased, or "". */
static void
meta_charset(const char *buf, size_t len, char *out, size_t outlen)
{
    size_t max = len < 4096 ? len : 4096;

    out[0] = '\0';
    for (size_t i = 0; i + 5 < max; i++) {
        size_t end;

        if (strncasecmp(buf + i, "<meta", 5) != 0)
            continue;
        for (end = i; end < max && buf[end] != '>'; end++)
            ;
        for (size_t j = i + 5; j + 7 < end; j++) {
            size_t k, o = 0;

            if (strncasecmp(buf + j, "charset", 7) != 0)
                continue;
            k = j + 7;
            while (k < end && (buf[k] == ' ' || buf[k] == '\t'))
                k++;
            if (k >= end || buf[k] != '=')
                continue;
            k++;
            while (k < end && (buf[k] == ' ' || buf[k] == '"' || buf[k] == '\''))
                k++;
            while (k < end && o + 1 < outlen && buf[k] != '"' && buf[k] != '\'' &&
                   buf[k] != ';' && buf[k] != ' ' && buf[k] != '/' && buf[k] != '>') {
                out[o++] =
                    (char)(buf[k] >= 'A' && buf[k] <= 'Z' ? buf[k] | 0x20 : buf[k]);
                k++;
            }
            out[o] = '\0';
            if (o > 0)
                return;
        }
        i = end;
    }
}

static bool
is_label(const char *cs, const char *const *labels)
{
    for (size_t i = 0; labels[i] != NULL; i++) {
        if (strcmp(cs, labels[i]) == 0)
            return true;
    }
    return false;
}

static bool
iconv_to_utf8(const char *cs, const char *buf, size_t len, struct buf *out)
{
    iconv_t cd = iconv_open("UTF-8", cs);
    char *in = (char *)(uintptr_t)buf;
    size_t inleft = len;
    char chunk[4096];

    if (cd == (iconv_t)-1)
        return false;
    while (inleft > 0) {
        char *o = chunk;
        size_t oleft = sizeof(chunk);
        size_t rc = iconv(cd, &in, &inleft, &o, &oleft);

        (void)buf_add(out, chunk, sizeof(chunk) - oleft);
        if (rc == (size_t)-1 && errno != E2BIG) {
            (void)buf_adds(out, "\xef\xbf\xbd");
            in++;
            inleft--;
        }
    }
    iconv_close(cd);
    return true;
}

char *
kb_doc_html_decode(const char *buf, size_t len, size_t *outlen, const char **charset)
{
    static const char *const utf8[] = {"utf-8", "utf8", "unicode-1-1-utf-8", NULL};
    static const char *const latin[] = {
        "windows-1252", "cp1252",     "x-cp1252",       "iso-8859-1",
        "iso8859-1",    "iso_8859-1", "latin1",         "l1",
        "us-ascii",     "ascii",      "ansi_x3.4-1968", NULL};
    struct buf out;
    char cs[40];
    const unsigned char *p = (const unsigned char *)buf;

    buf_init(&out, len * 3 + 16);
    *charset = "UTF-8";
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
        p += 3;
        len -= 3;
        cs[0] = '\0';
    } else if (len >= 2 &&
               (memcmp(buf, "\xff\xfe", 2) == 0 || memcmp(buf, "\xfe\xff", 2) == 0)) {
        bool le = (unsigned char)buf[0] == 0xff;

        *charset = le ? "UTF-16LE" : "UTF-16BE";
        (void)iconv_to_utf8(*charset, buf + 2, len - 2, &out);
        goto done;
    } else {
        meta_charset(buf, len, cs, sizeof(cs));
    }
    if (cs[0] != '\0' && is_label(cs, latin)) {
        *charset = "windows-1252";
        for (size_t i = 0; i < len; i++)
            put_cp1252(&out, p[i]);
        goto done;
    }
    if (cs[0] != '\0' && !is_label(cs, utf8) && strncmp(cs, "utf-16", 6) != 0) {
        if (iconv_to_utf8(cs, (const char *)p, len, &out)) {
            *charset = "declared";
            goto done;
        }
        buf_reset(&out);
    }
    /* UTF-8, each byte that does not fit read as windows-1252. */
    {
        size_t bad = 0, good = 0;

        for (size_t i = 0; i < len;) {
            size_t n = utf8_seq(p + i, len - i);

            if (n == 0) {
                put_cp1252(&out, p[i]);
                bad++;
                i++;
                continue;
            }
            if (n > 1)
                good++;
            (void)buf_add(&out, p + i, n);
            i += n;
        }
        if (bad > 0)
            *charset =
                good > 0 ? "UTF-8 (some bytes read as windows-1252)" : "windows-1252";
    }
done:
    *outlen = out.len;
    if (out.data == NULL)
        return xstrdup("");
    return buf_take(&out);
}

static const xmlNode *
root_element(const xmlDoc *xdoc)
{
    for (const xmlNode *n = xdoc->children; n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE)
            return n;
    }
    return NULL;
}

/*
 * libxml2 is opened when a page is read, not linked: it brings ICU and the
 * C++ runtime with it, about 2 MB of resident memory in every process,
 * and only "kb build" reads HTML.  RTLD_NODELETE keeps it loaded once
 * opened, so its parser state is set up once per process.
 */
struct html_lib {
    void *handle;
    htmlParserCtxtPtr (*create)(const char *, int);
    int (*use_options)(htmlParserCtxtPtr, int);
    int (*switch_encoding)(xmlParserCtxtPtr, xmlCharEncoding);
    int (*parse)(htmlParserCtxtPtr);
    void (*free_ctxt)(htmlParserCtxtPtr);
    void (*free_doc)(xmlDocPtr);
};

static bool
html_lib_open(struct html_lib *lib, char **why)
{
    static const char *const names[] = {
        "htmlCreateMemoryParserCtxt", "htmlCtxtUseOptions", "xmlSwitchEncoding",
        "htmlParseDocument",          "htmlFreeParserCtxt", "xmlFreeDoc"};
    void *fns[6];

    lib->handle = dlopen(HTML_LIBXML2, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (lib->handle == NULL) {
        *why = xasprintf("reading HTML needs libxml2 (Debian package libxml2): %s",
                         dlerror());
        return false;
    }
    for (size_t i = 0; i < 6; i++) {
        fns[i] = dlsym(lib->handle, names[i]);
        if (fns[i] == NULL) {
            *why = xasprintf("%s has no %s", HTML_LIBXML2, names[i]);
            dlclose(lib->handle);
            return false;
        }
    }
    /* POSIX guarantees a data pointer from dlsym() converts to a function pointer. */
    memcpy(&lib->create, &fns[0], sizeof(void *));
    memcpy(&lib->use_options, &fns[1], sizeof(void *));
    memcpy(&lib->switch_encoding, &fns[2], sizeof(void *));
    memcpy(&lib->parse, &fns[3], sizeof(void *));
    memcpy(&lib->free_ctxt, &fns[4], sizeof(void *));
    memcpy(&lib->free_doc, &fns[5], sizeof(void *));
    return true;
}

static void
set_title(struct html_reader *r, const xmlNode *root)
{
    const xmlNode *t = find_element(root, "title");

    if (r->doc->title != NULL)
        return;
    if (t != NULL) {
        char *c = node_text(t);

        if (c[0] != '\0') {
            r->doc->title = c;
            return;
        }
        free(c);
    }
    for (size_t i = r->first; i < r->doc->nblocks; i++) {
        if (r->doc->blocks[i].kind == KB_BLOCK_HEADING && r->doc->blocks[i].level == 1) {
            r->doc->title = xstrdup(r->doc->blocks[i].text);
            return;
        }
    }
}

enum bot_err
kb_doc_read_html(struct kb_doc *doc, const char *buf, size_t len, unsigned src,
                 char **why)
{
    struct html_reader r = {.doc = doc, .src = src, .first = doc->nblocks};
    struct html_state st = {.kind = KB_BLOCK_PARAGRAPH};
    struct html_lib lib;
    htmlParserCtxtPtr ctxt;
    xmlDocPtr xdoc;
    const xmlNode *root;
    const char *charset;
    char *text;
    size_t tlen;
    enum bot_err err = BOT_OK;

    if (len == 0) {
        *why = xstrdup("the file is empty");
        return BOT_EPARSE;
    }
    if (memchr(buf, '\0', len < 8192 ? len : 8192) != NULL &&
        !(len >= 2 && ((unsigned char)buf[0] == 0xff || (unsigned char)buf[0] == 0xfe))) {
        *why = xstrdup("binary data (NUL bytes), not an HTML page");
        return BOT_EPARSE;
    }
    if (len > INT32_MAX) {
        *why = xstrdup("too large for an HTML page");
        return BOT_ELIMIT;
    }
    text = kb_doc_html_decode(buf, len, &tlen, &charset);
    if (!html_lib_open(&lib, why)) {
        free(text);
        return BOT_EIO;
    }
    ctxt = lib.create(text, (int)tlen);
    if (ctxt == NULL) {
        free(text);
        *why = xstrdup("the HTML parser could not start");
        dlclose(lib.handle);
        return BOT_EPARSE;
    }
    (void)lib.use_options(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NONET |
                                    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                    HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT);
    ctxt->linenumbers = 1;
    (void)lib.switch_encoding(ctxt, XML_CHAR_ENCODING_UTF8);
    (void)lib.parse(ctxt);
    xdoc = ctxt->myDoc;
    ctxt->myDoc = NULL;
    lib.free_ctxt(ctxt);
    free(text);
    root = xdoc != NULL ? root_element(xdoc) : NULL;
    if (root == NULL) {
        if (xdoc != NULL)
            lib.free_doc(xdoc);
        dlclose(lib.handle);
        *why = xstrdup("no HTML elements found");
        return BOT_EPARSE;
    }
    buf_init(&r.text, HTML_BLOCK_MAX);
    find_tabs(&r, root, false);
    mark_main((xmlNode *)(uintptr_t)root);
    walk(&r, root, &st);
    flush(&r, &st);
    drop_restated_alts(&r);
    bullet_paragraphs(&r);
    if (doc->nblocks == r.first) {
        *why = r.ndropped > 0
                   ? xasprintf("no readable text in the HTML outside scripts, styles, "
                               "navigation and other page furniture (%zu such elements)",
                               r.ndropped)
                   : xstrdup("no readable text in the HTML");
        err = BOT_EPARSE;
    } else {
        set_title(&r, root);
    }
    for (size_t i = 0; i < r.ntabs; i++)
        free(r.tabs[i].label);
    buf_cleanup(&r.text);
    lib.free_doc(xdoc);
    dlclose(lib.handle);
    (void)charset;
    return err;
}
