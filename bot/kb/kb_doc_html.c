/*
 * kb_doc_html.c - the HTML reader for the document model (kb_doc.h).
 *
 * The page is decoded to UTF-8 (kb_doc_html_decode.c), parsed by
 * libxml2's HTML parser (opened here when a page is read, not linked), and
 * walked once in document order (kb_doc_html_walk.c, with tables and lists
 * in kb_doc_html_table.c and the block being gathered in
 * kb_doc_html_block.c), skipping what a sighted reader skips
 * (kb_doc_html_chrome.c).  Before the walk, this file finds the page's tabs
 * and marks the elements that hold its main content; after it, it drops
 * the alt text of an image that the caption beside it restates and reads
 * paragraphs written with a literal bullet as list items.  The page's title
 * is its <title>, else its first h1.
 */
#include "bot/kb/kb_doc.h"

#include <dlfcn.h>
#include <errno.h>
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
#include "bot/base/xmalloc.h"
#include "bot/kb/kb_doc_html_int.h"

#define HTML_LIBXML2 "libxml2.so.2"

/* The mark HTML_HOLDS_MAIN points to (kb_doc_html_int.h). */
char kb_doc_html_main_mark;

static void
find_tabs(struct html_reader *r, const xmlNode *n, bool in_heading)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        const char *role, *controls;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        role = attr(c, "role");
        controls = attr(c, "aria-controls");
        if (controls == NULL && kbhc_is_disclosure(c)) {
            /* Bootstrap names its panel in data-bs-target="#id". */
            controls = attr(c, "data-bs-target") ? attr(c, "data-bs-target")
                                                 : attr(c, "data-target");
            if (controls != NULL && controls[0] == '#')
                controls++;
        }
        if (name_is(c, "nav") || kbhc_is_chrome_named(c))
            continue; /* a menu's toggles open menus */
        if (r->ntabs < HTML_MAX_TABS &&
            ((role != NULL && strcasecmp(role, "tab") == 0) ||
             ((in_heading || kbhc_is_disclosure(c)) && controls != NULL))) {
            struct html_tab *t = &r->tabs[r->ntabs++];

            t->id = attr(c, "id");
            t->panel = controls;
            /* An accordion's button is its heading already. */
            t->label = role != NULL ? kbhb_node_text(c) : NULL;
            continue;
        }
        find_tabs(r, c, in_heading || heading_level(c) || name_is(c, "summary"));
    }
}

/* Marks the elements that hold the main content or h1 (see kbhc_is_dropped()). */
static void
mark_main(xmlNode *n)
{
    for (xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (kbhc_is_main(c) || name_is(c, "h1")) {
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
        char *c = kbhb_node_text(t);

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
    kbhw_walk(&r, root, &st);
    kbhb_flush(&r, &st);
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
