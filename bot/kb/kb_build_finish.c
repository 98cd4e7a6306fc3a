/*
 * kb_build_finish.c - after the walk: goals numbered, duplicates dropped, goal
 * sections and values settled.  Moved out of kb_build.c unchanged.
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

/* -- finishing --------------------------------------------------------- */

void
kb_build_finish_number_goals(struct kb *kb)
{
    bool ok = true;

    for (size_t i = 0; i < kb->ngoals && ok; i++) {
        ok = kb->goals[i].number != 0;
        for (size_t k = 0; k < i && ok; k++)
            ok = kb->goals[k].number != kb->goals[i].number;
    }
    if (!ok) {
        for (size_t i = 0; i < kb->ngoals; i++)
            kb->goals[i].number = (unsigned)i + 1;
    }
}

static void
dedupe_texts(struct kb_text *t, size_t *n)
{
    size_t w = 0;

    for (size_t i = 0; i < *n; i++) {
        bool dup = false;

        for (size_t k = 0; k < w && !dup; k++)
            dup = strcasecmp(t[k].text, t[i].text) == 0;
        if (dup)
            free(t[i].text);
        else
            t[w++] = t[i];
    }
    *n = w;
}

void
kb_build_finish_free_value(struct kb_value *v)
{
    free(v->name);
    free(v->description);
    for (size_t k = 0; k < v->nbehaviours; k++)
        free(v->behaviours[k].text);
    free(v->behaviours);
}

void
kb_build_finish_drop_duplicates(struct kb *kb)
{
    size_t w = 0;

    for (size_t i = 0; i < kb->nvalues; i++)
        dedupe_texts(kb->values[i].behaviours, &kb->values[i].nbehaviours);
    for (size_t i = 0; i < kb->ngoals; i++)
        dedupe_texts(kb->goals[i].points, &kb->goals[i].npoints);
    for (size_t i = 0; i < kb->ngoals; i++) {
        struct kb_goal *g = &kb->goals[i];
        bool dup = false;

        for (size_t k = 0; k < w && !dup; k++)
            dup = strcasecmp(kb->goals[k].title, g->title) == 0;
        if (dup) {
            free(g->title);
            free(g->description);
            for (size_t k = 0; k < g->npoints; k++)
                free(g->points[k].text);
            free(g->points);
            continue;
        }
        kb->goals[w++] = *g;
    }
    kb->ngoals = w;
    w = 0;
    for (size_t i = 0; i < kb->nvalues; i++) {
        bool dup = false;

        for (size_t k = 0; k < w && !dup; k++)
            dup = strcasecmp(kb->values[k].name, kb->values[i].name) == 0;
        if (dup) {
            kb_build_finish_free_value(&kb->values[i]);
            continue;
        }
        kb->values[w++] = kb->values[i];
    }
    kb->nvalues = w;
}

/*
 * Goals listed by name first ("Safety", "Partnerships") and each explained
 * further down under its name as a line of its own: the paragraph under that
 * line is the goal's description.
 */
void
kb_build_finish_goal_sections(struct bctx *c)
{
    const struct kb_doc *doc = c->doc;

    for (size_t i = 0; i < c->kb->ngoals; i++) {
        struct kb_goal *g = &c->kb->goals[i];

        if (g->description[0] != '\0' || g->npoints > 0 || kbw_words(g->title) > 5)
            continue;
        for (size_t k = 0; k + 1 < doc->nblocks; k++) {
            const struct kb_block *b = &doc->blocks[k], *next = b + 1;

            if (b->line <= g->line || b->kind == KB_BLOCK_ITEM ||
                !kbw_same_name(b->text, g->title) || next->kind != KB_BLOCK_PARAGRAPH ||
                kbw_title_like(next->text) || kbw_is_intro(next->text))
                continue;
            free(g->description);
            g->description = xstrdup(next->text);
            break;
        }
    }
}

/* "Kindness means we treat ...": a definition for a value named in a sentence. */
static void
means_definitions(struct bctx *c)
{
    for (size_t i = 0; i < c->doc->nblocks; i++) {
        const char *t = c->doc->blocks[i].text;

        for (size_t k = 0; k < c->kb->nvalues; k++) {
            struct kb_value *v = &c->kb->values[k];
            size_t n = strlen(v->name);

            if (v->description[0] == '\0' && strncasecmp(t, v->name, n) == 0 &&
                strncmp(t + n, " means ", 7) == 0) {
                free(v->description);
                v->description = xstrdup(t + n + 7);
            }
        }
    }
}

void
kb_build_finish_values(struct bctx *c)
{
    struct kb *kb = c->kb;

    if (kb->nvalues == 0 && c->ninl > 0) {
        free(kb->values); /* values taken and then dropped may leave it allocated */
        kb->values = c->inl;
        kb->nvalues = c->ninl;
        c->inl = NULL;
        c->ninl = 0;
        kbb_report(c, "%zu values, inline list in a sentence, %s", kb->nvalues,
                   kbb_at(kb->values[0].line, kb->values[0].page).s);
        kbn_inline_sections(c);
        kb_build_groups_behaviours(c);
    } else if (kb->nvalues > 0 && c->ninl > 0) {
        /* The sentence and the list should agree. */
        for (size_t i = 0; i < c->ninl; i++) {
            bool listed = false;

            for (size_t k = 0; k < kb->nvalues && !listed; k++)
                listed = kbw_same_name(kb->values[k].name, c->inl[i].name);
            if (!listed)
                kbb_report(c,
                           "unsure: '%s' is named as a value in a sentence (%s) but not "
                           "listed with the values; not added; check",
                           c->inl[i].name, kbb_at(c->inl[i].line, c->inl[i].page).s);
        }
    }
    kbi_statement_values(c);
    means_definitions(c);
    {
        size_t with = 0;

        for (size_t i = 0; i < kb->nvalues; i++)
            with += kb->values[i].nbehaviours > 0;
        if (with > 0 && with < kb->nvalues) {
            for (size_t i = 0; i < kb->nvalues; i++) {
                if (kb->values[i].nbehaviours == 0)
                    kbb_report(c,
                               "value '%s' (%s) has no behaviours listed, unlike the "
                               "others",
                               kb->values[i].name,
                               kbb_at(kb->values[i].line, kb->values[i].page).s);
            }
        }
    }
}
