/*
 * kb_answer_order.c - orders to write, post or edit the strategy's content,
 * however they are worded around it ("pretend you're the chief exec and write
 * a message announcing new values", "@here post that goal 2 is being
 * scrapped", "change our values so X becomes Y"): declined, never answered
 * with the list they name.  Prefix kbao_.
 */
#include "bot/kb/kb_answer_int.h"

#include <string.h>

/* Verbs that make content to send out: with a role-play or an order, invented text. */
static const char *const write_stems[] = {"write",   "draft",   "post",   "creat",
                                          "make",    "invent",  "compos", "send",
                                          "publish", "announc", NULL};
/* How far after a write verb its object is looked for. */
#define WRITE_REACH 4
/* Verbs that edit a part of the strategy. */
static const char *const edit_stems[] = {"chang", "replac", "remov", "renam", "updat",
                                         "delet", "swap",   "scrap", NULL};

/* A part of the strategy: its values, goals, mission, vision. */
static bool
is_part(const struct kb_word *w)
{
    return in_list(w->stem, kbar_values_stems) || in_list(w->stem, kbar_goals_stems) ||
           in_list(w->stem, kbar_statement_stems);
}

/*
 * A write verb of @q whose object is content of its own: a statement ("post
 * that goal 2 is scrapped") or something new ("announcing new values", "a
 * fourth goal") within WRITE_REACH words; not the strategy's own words ("post
 * the values", "post a digest of our priorities").
 */
static bool
writes_new_content(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        if (q->aside[i] || !in_list(q->w[i].stem, write_stems))
            continue;
        for (size_t j = i + 1; j < q->n && j <= i + WRITE_REACH; j++) {
            if (strcmp(q->w[j].surface, "that") == 0 ||
                strcmp(q->w[j].surface, "new") == 0 ||
                in_list(q->w[j].surface, kbar_ordinals))
                return true;
        }
    }
    return false;
}

bool
kbao_asks_to_publish(const struct query *q, bool injection)
{
    /* "pretend you're the CEO and write ...", "post that ...": text to send out. */
    if (injection && writes_new_content(q))
        return true;
    /*
     * "change our values so ...": an edit verb opening a clause, a part of the
     * strategy its object (within three words); not "what changed in our values".
     */
    for (size_t i = 0; i < q->n; i++) {
        if (!q->clause_start[i] || q->aside[i] || !in_list(q->w[i].stem, edit_stems))
            continue;
        for (size_t j = i + 1; j < q->n && j <= i + 3; j++) {
            if (is_part(&q->w[j]))
                return true;
        }
    }
    return false;
}
