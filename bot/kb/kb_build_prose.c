/*
 * kb_build_prose.c - goals and statements a page gives in running prose
 * rather than under a heading that names them.
 *
 * "Over the next five years we have three main priorities." then as many
 * headings, each over a paragraph: the sentence counts the goals and the
 * headings name them, though no heading says "priorities".  "... shaped by
 * our vision to help every family live well at home, and ...": the vision,
 * named in passing by what it sets out to do.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb_build_int.h"

/* Is @b a heading, or a title-like line, that names no section of its own? */
static bool
plain_heading(const struct kb_block *b)
{
    if (b->kind != KB_BLOCK_HEADING &&
        !(b->kind == KB_BLOCK_PARAGRAPH && kbw_title_like(b->text)))
        return false;
    return kbw_classify(b->text).sect == SECT_NONE && !kbw_is_nav(b->text) &&
           !kbw_link_text(b->text);
}

/* Is @b text under a heading: a paragraph that is no title, or a list item? */
static bool
body_text(const struct kb_block *b)
{
    return b->kind == KB_BLOCK_ITEM ||
           (b->kind == KB_BLOCK_PARAGRAPH && !kbw_title_like(b->text));
}

bool
kbp_headings_of(const struct bctx *c, const struct kb_block *b, unsigned n)
{
    const struct kb_block *p = b + 1, *end = c->doc->blocks + c->doc->nblocks;
    unsigned k = 0, level = 0;

    while (k < n && p < end) {
        const struct kb_block *h = p++;

        if (!plain_heading(h))
            return false;
        /* the headings counted stand at one level */
        if (k == 0)
            level = h->level;
        else if (h->level != level)
            return false;
        if (p >= end || !body_text(p))
            return false;
        while (p < end && body_text(p))
            p++;
        k++;
    }
    return k == n;
}

/*
 * "Everything we do is shaped by our vision to help every family live well at
 * home, and ...": the statement named in passing by an infinitive after "our
 * mission" or "our vision", up to the clause's end.  "our vision to 2030" (a
 * year) and "our vision to the board" (a noun phrase) state nothing.
 */
void
kbp_infinitive_statement(struct bctx *c, const char *s, unsigned line)
{
    static const char *const pats[] = {"our mission to ", "our vision to "};
    static const char *const stops[] = {",",   ";",    ":",     " \xe2\x80\x93 ",
                                        " - ", " is ", " are ", NULL};
    static const char *const not_verbs[] = {"the",  "a",     "an",     "our",
                                            "this", "these", "that",   "all",
                                            "date", "life",  "reality"};

    for (size_t i = 0; i < 2; i++) {
        const char *p = kbw_find_ci(s, pats[i]), *start, *verb, *end;
        size_t wl;
        bool verb_ok = true;
        char *text;

        /* "our" as a word: "your vision to ..." is someone else's */
        while (p != NULL && p > s && isalnum((unsigned char)p[-1]))
            p = kbw_find_ci(p + 1, pats[i]);
        if (p == NULL || c->weak[i].text != NULL)
            continue;
        start = p + strlen(pats[i]) - 3; /* from "to " */
        verb = start + 3;
        wl = strcspn(verb, " ,.;");
        if (wl < 2 || !islower((unsigned char)verb[0]))
            continue;
        for (size_t k = 0; k < sizeof(not_verbs) / sizeof(not_verbs[0]); k++)
            verb_ok = verb_ok && !(strlen(not_verbs[k]) == wl &&
                                   strncmp(verb, not_verbs[k], wl) == 0);
        if (!verb_ok)
            continue;
        end = start + strlen(start);
        for (size_t k = 0; stops[k] != NULL; k++) {
            const char *q = strstr(start, stops[k]);

            if (q != NULL && q < end)
                end = q;
        }
        while (end > start && (end[-1] == '.' || end[-1] == ' '))
            end--;
        text = xstrndup(start, (size_t)(end - start));
        if (kbw_words(text) < 5) {
            free(text);
            continue;
        }
        text[0] = 'T'; /* "To help ...": a statement as the page would head it */
        c->weak[i].text = text;
        c->weak[i].line = line;
        kbb_where(c, &c->weak[i].page, &c->weak[i].src);
    }
}
