/*
 * kb_doc_html_chrome.c - what the HTML reader skips and what it keeps.
 *
 * A reader skips what a sighted reader skips: scripts and styles, form
 * controls, navigation, the site's header and footer (those outside
 * main/article), asides, elements marked hidden, and elements whose class
 * or id names chrome (cookie banners, breadcrumbs, skip links, share bars,
 * feedback widgets, menus, text only for screen readers).  Hidden content
 * a visitor can open is kept: the panels of tabs, the body of an accordion
 * or a closed <details>.  Also here: whether an element holds the page's
 * main content.
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

/*
 * The next word of a class or id at *@p (words split at non-alphanumerics),
 * lower-cased and cut to 31 bytes, into @word; *@p moves past it.  *@spaced
 * (out) says whether white space stands between it and the word before (the
 * class names of a list are apart; "right-col" is one name of two words).
 * False at the end of the string.
 */
static bool
next_word(const char **p, char word[32], bool *spaced)
{
    size_t n = 0;

    *spaced = false;
    for (const char *q = *p;; q++) {
        bool sep = *q == '\0' || !((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
                                   (*q >= '0' && *q <= '9'));

        if (!sep) {
            if (n + 1 < 32)
                word[n++] = (char)(*q | 0x20);
            continue;
        }
        if (n > 0) {
            word[n] = '\0';
            *p = q;
            return true;
        }
        if (*q == '\0')
            return false;
        if (*q == ' ' || *q == '\t' || *q == '\n')
            *spaced = true;
    }
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
    const char *p = s;
    bool spaced;

    while (next_word(&p, word, &spaced)) {
        char pair[64];

        if (spaced)
            prev[0] = '\0';
        snprintf(pair, sizeof(pair), "%s%s", prev, word);
        for (size_t i = 0; words[i] != NULL; i++) {
            if (strcmp(word, words[i]) == 0 || strcmp(pair, words[i]) == 0)
                return true;
        }
        memcpy(prev, word, strlen(word) + 1);
    }
    return false;
}

bool
kbhc_is_chrome_named(const xmlNode *n)
{
    const char *cls = attr(n, "class"), *id = attr(n, "id");

    return (cls != NULL && words_are_chrome(cls)) || (id != NULL && words_are_chrome(id));
}

/* Whether a word of @s (a class or id: words split at non-alphanumerics) is in @words. */
static bool
has_word(const char *s, const char *const *words)
{
    char word[32];
    const char *p = s;
    bool spaced;

    while (next_word(&p, word, &spaced)) {
        for (size_t i = 0; words[i] != NULL; i++) {
            if (strcmp(word, words[i]) == 0)
                return true;
        }
    }
    return false;
}

bool
kbhc_named(const xmlNode *n, const char *const *words)
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

const struct html_tab *
kbhc_tab_for_panel(const struct html_reader *r, const xmlNode *n)
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
    if (kbhc_tab_for_panel(r, n) != NULL)
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
bool
kbhc_is_disclosure(const xmlNode *n)
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
bool
kbhc_is_dropped(const struct html_reader *r, const xmlNode *n,
                const struct html_state *st)
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
    if (name_is(n, "button") && !st->in_heading && !kbhc_is_disclosure(n))
        return true;
    if (!st->in_main && (name_is(n, "header") || name_is(n, "footer") ||
                         role_is(n, page_roles) || kbhc_named(n, site_parts)))
        return true;
    /* A class on a wrapper ("et_right_sidebar" on <body>) does not make the
       page it wraps chrome. */
    if (kbhc_is_chrome_named(n) && n->_private != HTML_HOLDS_MAIN)
        return true;
    return is_hidden(n) && !is_openable(r, n);
}

bool
kbhc_is_main(const xmlNode *n)
{
    static const char *const roles[] = {"main", NULL};
    static const char *const words[] = {"main", "maincontent", "content", "primary",
                                        NULL};
    const char *id = attr(n, "id");

    return name_is(n, "main") || name_is(n, "article") || role_is(n, roles) ||
           (id != NULL && has_word(id, words) && !name_is(n, "body") &&
            !name_is(n, "html"));
}
