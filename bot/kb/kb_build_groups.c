/*
 * kb_build_groups.c - behaviours for values named in one sentence ("Our values
 * are kindness, courage and fairness.") that the page then lists as bullet
 * groups with no names over them, one group a value, in the sentence's order.
 */
#include <stdbool.h>
#include <stddef.h>

#include "bot/kb/kb_build_int.h"

/* Does a new group start at item @k (after @first): another list, or a wider
   gap of lines than between the items of a group (@gap, the narrowest)? */
static bool
group_starts(const struct kb_doc *doc, size_t first, size_t k, unsigned gap)
{
    const struct kb_block *b = &doc->blocks[k], *a = b - 1;

    if (k == first || b->list != a->list)
        return true;
    return b->page == a->page && b->line > a->line && a->line > 0 &&
           b->line - a->line > gap;
}

/* The first block on the line of @v's sentence, or @doc->nblocks. */
static size_t
sentence_block(const struct kb_doc *doc, const struct kb_value *v)
{
    for (size_t i = 0; i < doc->nblocks; i++) {
        const struct kb_block *b = &doc->blocks[i];

        if (b->line == v->line && b->page == v->page && b->src == v->src)
            return i;
    }
    return doc->nblocks;
}

void
kb_build_groups_behaviours(struct bctx *c)
{
    const struct kb_doc *doc = c->doc;
    struct kb *kb = c->kb;
    size_t s, j, first, groups = 0;
    unsigned gap = 0;

    if (kb->nvalues < 2)
        return;
    for (size_t i = 0; i < kb->nvalues; i++) {
        if (kb->values[i].nbehaviours > 0 || kb->values[i].line != kb->values[0].line ||
            kb->values[i].page != kb->values[0].page)
            return;
    }
    s = sentence_block(doc, &kb->values[0]);
    if (s >= doc->nblocks)
        return;
    /* prose after the sentence and before the lists: a paragraph or two */
    for (j = s + 1;
         j < doc->nblocks && doc->blocks[j].kind == KB_BLOCK_PARAGRAPH && j - s <= 2 &&
         !kbw_title_like(doc->blocks[j].text) && !kbw_is_intro(doc->blocks[j].text);
         j++)
        ;
    first = j;
    /* then lists one after another, nothing between them: how many? */
    for (; j < doc->nblocks && doc->blocks[j].kind == KB_BLOCK_ITEM &&
           doc->blocks[j].level <= 1;
         j++) {
        const struct kb_block *b = &doc->blocks[j];

        if (j > first && b->list == (b - 1)->list && b->page == (b - 1)->page &&
            b->line > (b - 1)->line && (gap == 0 || b->line - (b - 1)->line < gap))
            gap = b->line - (b - 1)->line;
    }
    for (size_t k = first; k < j; k++)
        groups += group_starts(doc, first, k, gap);
    if (groups != kb->nvalues)
        return;
    for (size_t k = first, v = 0; k < j; k++) {
        if (k > first && group_starts(doc, first, k, gap))
            v++;
        c->i = k;
        kbv_push_sub(c, &kb->values[v].behaviours, &kb->values[v].nbehaviours,
                     doc->blocks[k].text, doc->blocks[k].line);
    }
    kbb_report(c,
               "the %zu lists after the values' sentence (%s), with no names over them, "
               "are taken as each value's behaviours in the sentence's order; check",
               groups,
               kbb_span(doc->blocks[first].line, doc->blocks[first].page,
                        doc->blocks[j - 1].line, doc->blocks[j - 1].page)
                   .s);
}
