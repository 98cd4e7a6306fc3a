/*
 * kb_answer_goal_part.c - a goal listed bare whose title heads a part of the
 * page further on.  Pages list their aims as short titles, then give each a
 * part of its own ("Empowerment for staff" over "Create a fair, just and
 * inclusive organisation ..."); the KB keeps the title and the part's
 * sentences as passages under it.  Asked about the aim, the part is what the
 * page says of it, quoted after the aim.  Prefix kbagp_.
 */
#include "bot/kb/kb_answer_int.h"
#include "bot/kb/kb.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Is @section the goal title @title, ignoring case and what ends it (":", ".")? */
static bool
heads(const char *section, const char *title)
{
    size_t n = strlen(title), m = strlen(section);

    while (n > 0 && !isalnum((unsigned char)title[n - 1]))
        n--;
    while (m > 0 && !isalnum((unsigned char)section[m - 1]))
        m--;
    return n > 0 && n == m && strncasecmp(section, title, n) == 0;
}

void
kbagp_add_goal_part(const struct query *q, struct kb_answer *a)
{
    const struct kb_goal *g;

    if (!a->answered || a->intent != KB_INTENT_GOAL || a->nrefs != 1 ||
        a->refs[0].kind != KB_DOC_GOAL || a->refs[0].item >= q->kb->ngoals)
        return;
    g = &q->kb->goals[a->refs[0].item];
    if (g->description[0] != '\0' || g->npoints > 0)
        return;
    for (size_t p = 0; p < q->kb->npassages; p++) {
        const struct kb_passage *ps = &q->kb->passages[p];

        if (ps->line > g->line && heads(ps->section, g->title) &&
            !heads(ps->text, g->title))
            add_ref(a, KB_DOC_PASSAGE, p, 0);
    }
}

bool
kbagp_names_goal_title(struct kb_engine *e, const struct query *q)
{
    if (!has_stem(q, kbar_goals_stems) && !(q->any & W_GOALS))
        return false;
    for (size_t g = 0; g < q->kb->ngoals; g++) {
        const struct tokens *t = kba_tokens(e, q->kb->goals[g].title);
        size_t named = 0, words = 0;

        for (size_t k = 0; k < t->n; k++) {
            if (t->stop[k])
                continue;
            words++;
            for (size_t i = 0; i < q->n; i++) {
                if (!q->aside[i] && strcmp(q->w[i].stem, t->w[k].stem) == 0) {
                    named++;
                    break;
                }
            }
        }
        if (words > 0 && named == words)
            return true;
    }
    return false;
}
