/*
 * kb_doc_html_int.h - internals of the HTML reader, shared by its files
 * (kb_doc_html*.c) and with its tests.
 *
 * kb_doc_html.c reads a page: it decodes it (kb_doc_html_decode.c), parses
 * it with libxml2 and walks the tree (kbhw_, kb_doc_html_walk.c), whose
 * tables and lists are kbht_ (kb_doc_html_table.c), whose block being
 * gathered is kbhb_ (kb_doc_html_block.c), and which skips what kbhc_
 * (kb_doc_html_chrome.c) calls page furniture.
 */
#ifndef BOT_KB_KB_DOC_HTML_INT_H
#define BOT_KB_KB_DOC_HTML_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <strings.h>

#include <libxml/tree.h>

#include "bot/base/buf.h"
#include "bot/kb/kb_doc.h"

#define HTML_BLOCK_MAX (256u * 1024) /* one block's text; a page is a few MB at most */
#define HTML_MAX_TABS  64
#define HTML_MAX_ALTS  256
#define HTML_MAX_COLS  64

/*
 * xmlNode._private of an element that holds the page's main content or h1:
 * the address of kb_doc_html_main_mark (kb_doc_html.c), never read or written.
 */
extern char kb_doc_html_main_mark;
#define HTML_HOLDS_MAIN ((void *)&kb_doc_html_main_mark)

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

/*
 * Decodes the HTML page in the @len bytes at @buf to UTF-8: a BOM wins,
 * then the charset a <meta> tag declares (windows-1252 and its aliases
 * here, others through iconv), else UTF-8 with each byte that is not part
 * of a valid sequence read as windows-1252.  Returns a new NUL-terminated
 * string of *outlen (out) bytes; *charset (out) is borrowed, static: the
 * name of the encoding used, for messages.
 */
char *kb_doc_html_decode(const char *buf, size_t len, size_t *outlen,
                         const char **charset);

/* Elements by name and attribute. */
static inline bool
name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name != NULL &&
           strcasecmp((const char *)n->name, name) == 0;
}

static inline bool
name_in(const xmlNode *n, const char *const *names)
{
    for (size_t i = 0; names[i] != NULL; i++) {
        if (name_is(n, names[i]))
            return true;
    }
    return false;
}

/* Borrowed: the value of attribute @name of @n, or NULL. */
static inline const char *
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

static inline unsigned
heading_level(const xmlNode *n)
{
    if (n->type != XML_ELEMENT_NODE || n->name == NULL)
        return 0;
    if ((n->name[0] == 'h' || n->name[0] == 'H') && n->name[1] >= '1' &&
        n->name[1] <= '6' && n->name[2] == '\0')
        return (unsigned)(n->name[1] - '0');
    return 0;
}

static inline bool
is_inline(const xmlNode *n)
{
    static const char *const names[] = {
        "a",    "abbr", "acronym", "b",    "bdi",    "bdo",    "big",   "cite", "code",
        "data", "dfn",  "em",      "font", "i",      "ins",    "kbd",   "mark", "q",
        "s",    "samp", "small",   "span", "strike", "strong", "sub",   "sup",  "time",
        "tt",   "u",    "var",     "wbr",  "del",    "nobr",   "label", NULL};

    return name_in(n, names);
}

/* kb_doc_html_chrome.c: what is skipped as page furniture, what is kept. */
bool kbhc_is_chrome_named(const xmlNode *n);
bool kbhc_named(const xmlNode *n, const char *const *words);
const struct html_tab *kbhc_tab_for_panel(const struct html_reader *r, const xmlNode *n);
bool kbhc_is_disclosure(const xmlNode *n);
bool kbhc_is_dropped(const struct html_reader *r, const xmlNode *n,
                     const struct html_state *st);
bool kbhc_is_main(const xmlNode *n);

/* kb_doc_html_block.c: the block being gathered. */
void kbhb_add_text(struct html_reader *r, const char *s, unsigned line);
bool kbhb_is_marker_only(const char *s, size_t len);
void kbhb_reset_block(struct html_reader *r);
bool kbhb_has_text(const char *s);
char *kbhb_collapsed(const char *s);
void kbhb_trim_separator(char *lead);
void kbhb_flush(struct html_reader *r, const struct html_state *st);
char *kbhb_node_text(const xmlNode *n);

/* kb_doc_html_table.c: tables and lists. */
void kbht_table_rows(struct html_reader *r, const xmlNode *n, const struct html_state *st,
                     unsigned *spans);
bool kbht_is_layout_table(const xmlNode *n);
void kbht_walk_list(struct html_reader *r, const xmlNode *n, const struct html_state *st);
void kbht_walk_dl(struct html_reader *r, const xmlNode *n, const struct html_state *st);

/* kb_doc_html_walk.c: the walk. */
void kbhw_walk_children(struct html_reader *r, const xmlNode *n,
                        const struct html_state *st);
bool kbhw_holds_heading(const xmlNode *n);
void kbhw_walk(struct html_reader *r, const xmlNode *n, const struct html_state *st);

#endif /* BOT_KB_KB_DOC_HTML_INT_H */
