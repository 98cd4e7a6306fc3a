/*
 * kb_build_repeat.c - before the walk: the short lines a page repeats (alt text,
 * banners) and the view of the document without them and without other
 * documents' titles.  Moved out of kb_build.c unchanged.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/buf.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_build_int.h"
#include "bot/kb/kb_doc.h"

static int
cmp_text(const void *a, const void *b)
{
    const struct kb_block *const *x = a, *const *y = b;

    return strcmp((*x)->text, (*y)->text);
}

/* Marks the short non-item lines that occur more than once (alt text, banners). */
bool *
kb_build_repeat_find(const struct kb_doc *doc)
{
    const struct kb_block **sorted;
    bool *rep = xcalloc(doc->nblocks ? doc->nblocks : 1, sizeof(*rep));

    if (doc->nblocks == 0)
        return rep;
    sorted = xreallocarray(NULL, doc->nblocks, sizeof(*sorted));
    for (size_t i = 0; i < doc->nblocks; i++)
        sorted[i] = &doc->blocks[i];
    qsort(sorted, doc->nblocks, sizeof(*sorted), cmp_text);
    for (size_t i = 0; i + 1 < doc->nblocks; i++) {
        if (strcmp(sorted[i]->text, sorted[i + 1]->text) != 0)
            continue;
        for (size_t k = i; k <= i + 1; k++) {
            const struct kb_block *b = sorted[k];

            if (b->kind != KB_BLOCK_ITEM && !kbw_is_intro(b->text) &&
                kbw_words(b->text) <= 8)
                rep[b - doc->blocks] = true;
        }
    }
    free(sorted);
    return rep;
}

/*
 * Does @b open a list of other documents' titles, as a document-sharing site
 * prints under a document ("Similar documents")?  The titles name other
 * organisations' plans and visions; none of them is the page's.
 */
static bool
other_documents(const struct kb_block *b)
{
    static const char *const heads[] = {
        "similar documents",    "related documents", "recommended documents",
        "more documents",       "other documents",   "similar publications",
        "related publications", "you may also like", "you might also like",
        "documents like this",  "more like this",    NULL};
    char *w;
    bool found = false;

    if (b->kind != KB_BLOCK_HEADING && b->kind != KB_BLOCK_PARAGRAPH)
        return false;
    w = kbw_lower_words(b->text);
    for (size_t i = 0; heads[i] != NULL && !found; i++)
        found = strcmp(w, heads[i]) == 0;
    free(w);
    return found;
}

/* A paragraph long enough to be running text, not a document's title. */
#define KB_BUILD_PROSE_WORDS 25

/*
 * @doc without a paragraph repeated right after itself (an accordion's title
 * repeated as the first line of its panel: "We are kind - ..." twice), and
 * without a list of other documents' titles (from "Similar documents" to the
 * next paragraph of running text), into @view; the blocks are borrowed from
 * @doc, free only view->blocks.
 */
/*
 * Is @b the rest of the paragraph @p, cut by a hard line break ("... to
 * secretaries," then "consultants, ... are expected to demonstrate:")?  The
 * line right after, in the same source, starting in lower case after a line
 * that ends with no full stop, colon or other end.
 */
static bool
wrapped_on(const struct kb_block *p, unsigned p_last, const struct kb_block *b)
{
    size_t n = strlen(p->text);
    unsigned char last = n ? (unsigned char)p->text[n - 1] : '.';

    return p->kind == KB_BLOCK_PARAGRAPH && b->kind == KB_BLOCK_PARAGRAPH &&
           p->src == b->src && p->page == b->page && p->line != 0 &&
           b->line == p_last + 1 && islower((unsigned char)b->text[0]) &&
           strchr(".:;!?", last) == NULL && last != '"' && p->lead == NULL;
}

/*
 * Where an image's alt text naming a section ("UHCW NHS Trust values") runs
 * into the heading after it with no space ("...valuesCompassion"), the text
 * after the join; NULL if @t has no such join.
 */
static const char *
after_alt_text(const char *t)
{
    static const char *const ends[] = {"values",     "vision", "mission",    "objectives",
                                       "priorities", "goals",  "behaviours", NULL};

    for (const char *p = t; *p; p++) {
        if (!islower((unsigned char)p[0]) || !isupper((unsigned char)p[1]) ||
            !islower((unsigned char)p[2]))
            continue;
        for (size_t i = 0; ends[i] != NULL; i++) {
            size_t n = strlen(ends[i]);

            if ((size_t)(p + 1 - t) >= n && strncmp(p + 1 - n, ends[i], n) == 0 &&
                (p + 1 - n == t || p[-(ptrdiff_t)n] == ' '))
                return p + 1;
        }
    }
    return NULL;
}

/* The length of a number run into the words after it ("00016858Our vision is"): an
   image's file number left before a paragraph; 0 if none. */
static size_t
glued_number(const char *t)
{
    size_t n = 0;

    while (isdigit((unsigned char)t[n]))
        n++;
    return n >= 5 && isupper((unsigned char)t[n]) && islower((unsigned char)t[n + 1]) ? n
                                                                                      : 0;
}

void
kb_build_repeat_drop(const struct kb_doc *doc, struct kb_doc *view, char ***owned,
                     size_t *nowned)
{
    bool others = false;
    unsigned last_line = 0; /* the last line of the block last kept */

    *view = *doc;
    view->blocks =
        xreallocarray(NULL, doc->nblocks ? doc->nblocks : 1, sizeof(*view->blocks));
    view->nblocks = 0;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const struct kb_block *b = &doc->blocks[i], *p = i ? &doc->blocks[i - 1] : NULL;

        if (other_documents(b)) {
            others = true;
            continue;
        }
        if (others &&
            (b->kind != KB_BLOCK_PARAGRAPH || kbw_words(b->text) < KB_BUILD_PROSE_WORDS))
            continue;
        others = false;
        if (p != NULL && b->kind == KB_BLOCK_PARAGRAPH && p->kind == b->kind &&
            p->src == b->src && strcmp(p->text, b->text) == 0)
            continue;
        if (view->nblocks > 0 &&
            wrapped_on(&view->blocks[view->nblocks - 1], last_line, b)) {
            struct kb_block *q = &view->blocks[view->nblocks - 1];
            char *joined = xasprintf("%s %s", q->text, b->text);

            *owned = xreallocarray(*owned, *nowned + 1, sizeof(**owned));
            (*owned)[(*nowned)++] = joined;
            q->text = joined;
            last_line = b->line;
            continue;
        }
        view->blocks[view->nblocks++] = *b;
        last_line = b->line;
        if (b->kind == KB_BLOCK_HEADING || b->kind == KB_BLOCK_PARAGRAPH)
            view->blocks[view->nblocks - 1].text += glued_number(b->text);
        if ((b->kind == KB_BLOCK_HEADING || b->kind == KB_BLOCK_PARAGRAPH) &&
            after_alt_text(b->text) != NULL) {
            char *rest = xstrdup(after_alt_text(b->text));

            *owned = xreallocarray(*owned, *nowned + 1, sizeof(**owned));
            (*owned)[(*nowned)++] = rest;
            view->blocks[view->nblocks - 1].text = rest;
        }
    }
}
