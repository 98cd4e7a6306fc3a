/*
 * kb_build_rows.c - tables under a goals or values heading.
 *
 * A table is read by its header row ("Value | What it means", "Objective |
 * Target"): a goal or a value a row, or, when the names run across the
 * top, a value a column; every row is also a passage.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb_build_int.h"
/* -- tables ------------------------------------------------------------ */

static bool
all_questions(const struct kb_block *b)
{
    size_t n = 0;

    for (size_t i = 0; i < b->ncells; i++) {
        if (b->cells[i][0] == '\0')
            continue;
        if (!kbw_question_start(b->cells[i]))
            return false;
        n++;
    }
    return n > 0;
}

/*
 * A table row.  The first row of a table is its header: section names in
 * several columns ("Our purpose | Our vision | Our goals | Our values")
 * make a strategy-on-a-page table read by columns; "Value | What it means |
 * What you will see" a values table read by rows.
 */
void
kbr_row(struct bctx *c, const struct kb_block *b)
{
    if (!c->in_table) {
        size_t named = 0;

        c->in_table = true;
        c->table_line = b->line;
        c->table_page = b->page;
        c->table_goals = c->table_values = 0;
        c->col_table = c->row_values = c->row_goals = false;
        c->name_col = c->def_col = c->beh_col = -1;
        for (size_t i = 0; i < b->ncells && i < 8; i++) {
            struct klass k = kb_build_words_classify(b->cells[i]);

            c->col_sect[i] = k.sect == SECT_TITLE ? SECT_NONE : (int)k.sect;
            named += k.sect != SECT_NONE && k.sect != SECT_TITLE;
        }
        if (named >= 2 && b->ncells >= 2) {
            c->col_table = true;
            kbb_close_section(c);
            return;
        }
        /* no header: "Respect | We treat everyone with dignity." under the values'
           heading, a name and a sentence defining it: every row is a value */
        if (c->sect == SECT_VALUES && kbg_in_section(c) == 0 && !c->extra &&
            b->ncells >= 2 && kbn_name_ok(b->cells[0]) && kbw_words(b->cells[1]) >= 3 &&
            kbw_terminal(b->cells[1])) {
            c->row_values = true;
            c->name_col = 0;
            c->def_col = 1;
            c->beh_col = b->ncells > 2 ? 2 : -1;
        }
        if (!c->row_values) { /* a headerless first row is a value: read below */
            for (size_t i = 0; i < b->ncells && i < 8; i++) {
                const char *h = b->cells[i];

                if (i == 0 &&
                    (strcasecmp(h, "value") == 0 || strcasecmp(h, "values") == 0 ||
                     strcasecmp(h, "our values") == 0 ||
                     (c->sect == SECT_VALUES && kbw_words(h) <= 2)))
                    c->name_col = 0;
                else if (kbw_find_ci(h, "mean") || kbw_find_ci(h, "definition") ||
                         kbw_find_ci(h, "what it is"))
                    c->def_col = (int)i;
                else if (kbw_find_ci(h, "see") || kbw_find_ci(h, "looks like") ||
                         kbw_find_ci(h, "behaviour"))
                    c->beh_col = (int)i;
            }
            /* "Objective | What we will achieve | Measure" under the goals' heading */
            c->row_goals = c->sect == SECT_GOALS && kbg_in_section(c) == 0 && !c->extra &&
                           b->ncells >= 2 && kbw_words(b->cells[0]) <= 3 &&
                           kb_build_words_classify_mentions_goals(b->cells[0]);
            if (c->row_goals)
                return;
            if (!(c->name_col == 0 && (c->def_col > 0 || c->beh_col > 0)))
                kbb_report(
                    c,
                    "a table at %s ('%.60s') was kept as passages: its header names "
                    "no values or sections",
                    kbb_at_block(b).s, b->text);
            if (c->name_col == 0 && (c->def_col > 0 || c->beh_col > 0)) {
                c->row_values = true;
                if (c->sect != SECT_VALUES || kbg_in_section(c) > 0) {
                    kbb_close_section(c);
                    c->sect = SECT_VALUES;
                    c->first_item = c->kb->nvalues;
                    c->extra = c->kb->nvalues > 0;
                }
            }
            return;
        }
    }
    if (c->col_table) {
        if (all_questions(b) || c->kb->ngoals >= KB_BUILD_MAX_ITEMS ||
            c->kb->nvalues >= KB_BUILD_MAX_ITEMS)
            return;
        for (size_t i = 0; i < b->ncells && i < 8; i++) {
            const char *cell = b->cells[i];
            enum sect s = (enum sect)c->col_sect[i];

            if (cell[0] == '\0')
                continue;
            if (s == SECT_GOALS) {
                if (c->goal_how == NULL)
                    c->goal_how = xstrdup("a table column");
                kbg_new_goal(c, cell, NULL, 0, b->line, FROM_ROW);
                c->table_goals++;
            } else if (s == SECT_VALUES && kbn_name_ok(cell)) {
                if (c->value_how == NULL)
                    c->value_how = xstrdup("a table column");
                kbv_new_value(c, cell, NULL, b->line, FROM_ROW);
                c->table_values++;
            } else if (s != SECT_NONE && s != SECT_VALUES && s != SECT_GOALS) {
                kbt_set_statement(c, s, cell, b->line);
            }
        }
        return;
    }
    if (c->row_goals && b->ncells >= 2 && b->cells[0][0] &&
        c->kb->ngoals < KB_BUILD_MAX_ITEMS && !kbw_terminal(b->cells[0]) &&
        kbw_words(b->cells[0]) <= 12) {
        struct kb_goal *g = kbg_new_goal(c, b->cells[0], NULL, 0, b->line, FROM_ROW);
        const char *d = b->cells[1];

        free(g->title); /* the first cell is the title, whatever its punctuation */
        g->title = xstrdup(b->cells[0]);
        free(g->description);
        g->description = xstrdup(d);
        for (size_t i = 2; i < b->ncells; i++) {
            if (b->cells[i][0])
                kbv_push_sub(c, &g->points, &g->npoints, b->cells[i], b->line);
        }
        return;
    }
    if (c->row_values && !c->extra && b->ncells > 0 &&
        c->kb->nvalues < KB_BUILD_MAX_ITEMS && kbn_name_ok(b->cells[0])) {
        struct kb_value *v;

        if (c->value_how == NULL)
            c->value_how = xstrdup("a table");
        v = kbv_new_value(c, b->cells[0],
                          c->def_col > 0 && (size_t)c->def_col < b->ncells
                              ? b->cells[c->def_col]
                              : NULL,
                          b->line, FROM_ROW);
        if (c->beh_col > 0 && (size_t)c->beh_col < b->ncells && b->cells[c->beh_col][0])
            kbv_push_sub(c, &v->behaviours, &v->nbehaviours, b->cells[c->beh_col],
                         b->line);
    }
}

/* Reports what a table read by columns gave, when the table ends. */
void
kbr_table_end(struct bctx *c)
{
    if (c->in_table && c->col_table && (c->table_goals || c->table_values))
        kbb_report(c, "%zu goals and %zu values from a table read by columns, %s",
                   c->table_goals, c->table_values,
                   kbb_at(c->table_line, c->table_page).s);
    c->in_table = false;
}
