/*
 * kb_answer_related.c - a value or goal found by a word of the question that
 * means it though the KB does not use it ("which value is about teamwork":
 * Collaboration), through kb_related.h; weaker than the document's own words,
 * so asked only when those found nothing.  Prefix kbal_.
 */
#include "bot/kb/kb_answer_int.h"

#include <stdint.h>
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_lex.h"
#include "bot/kb/kb_related.h"

/*
 * The value or goal (@kind) the question's words mean, or SIZE_MAX; its
 * closeness in *score.  Only words the KB lacks count (those it has are
 * matched as written), and no light word ("pay", "take": they mean too much).
 */
static size_t
related_item(const struct query *q, enum kb_related_kind kind, double *score)
{
    const char *w[MAX_WORDS];
    size_t n = 0;

    for (size_t i = 0; i < q->n; i++) {
        if (q->content[i] && !q->aside[i] && !kb_lex_is_light(q->w[i].surface) &&
            kb_index_term(q->idx, q->w[i].stem) == KB_INDEX_UNKNOWN)
            w[n++] = q->w[i].surface;
    }
    *score = 0;
    if (n == 0)
        return SIZE_MAX;
    /* Built when first needed: most questions name what they ask for. */
    if (*q->rel == NULL)
        *q->rel = kb_related_index_new(q->kb);
    return kb_related_best(*q->rel, kind, w, n, score);
}

/*
 * "which value is about X", "is there a goal on X", "do we have a value for
 * X", "what value means X": an item sought by what it is about, not one
 * named ("the X value": that presumes it is ours).
 */
static bool
asks_by_theme(const struct query *q)
{
    return has_word(q, "which") || has_phrase(q, "is", "there") ||
           has_phrase(q, "we", "have") || has_phrase(q, "what", "value") ||
           has_phrase(q, "what", "goal");
}

bool
kbal_answer_value(const struct query *q, struct kb_answer *a)
{
    bool theme = asks_by_theme(q), yes_no = kbam_asks_yes_no(q);
    double rs;
    size_t vi;

    if (!(theme || yes_no || kbam_names_unknown_quality(q)) ||
        kbam_values_are_subject(q) ||
        (vi = related_item(q, KB_RELATED_VALUE, &rs)) == SIZE_MAX)
        return false;
    /*
     * "which value is about teamwork": not a word of the values, but one
     * means it (Collaboration).  "is teamwork one of our values?" is no flat
     * yes but no, not by that name; "what's the kindness value about"
     * presumes a value we do not have: declined, the closest named.
     */
    a->related = true;
    a->yes_no = yes_no;
    a->confidence = 0.6 + 0.3 * rs;
    add_ref(a, KB_DOC_VALUE, vi, 0);
    if (yes_no || !theme) {
        a->intent = KB_INTENT_NOT_A_VALUE;
        a->answered = a->yes_no;
    } else {
        a->intent = KB_INTENT_VALUE;
        a->answered = !kbam_asks_how_lived(q) || !kbam_values_bare(q->kb, a);
    }
    return true;
}

bool
kbal_answer_goal(const struct query *q, struct kb_answer *a)
{
    double rs;
    size_t gi;

    /* "which priority is about looking after employees": one means it. */
    if (!asks_by_theme(q) || (gi = related_item(q, KB_RELATED_GOAL, &rs)) == SIZE_MAX)
        return false;
    a->intent = KB_INTENT_GOAL;
    a->related = true;
    a->yes_no = kbam_asks_yes_no(q);
    a->answered = true;
    a->confidence = 0.6 + 0.3 * rs;
    add_ref(a, KB_DOC_GOAL, gi, 0);
    return true;
}

/*
 * "what do we say about teamwork?", "anything about kindness?": a theme asked
 * about ("about" X, nothing else asked) in words the KB does not use at all,
 * which no passage holds.  The
 * value (or goal) that means them answers, as the closest in meaning; not a
 * question wanting a kind of fact (a name, a date, a number, a place, a reason),
 * nor one with a word the KB has (that is the passages' to find).
 */
bool
kbal_answer_about(const struct query *q, struct kb_answer *a)
{
    const char *qw = kbak_first_question_word(q);
    double vs = 0, gs = 0;
    size_t vi, gi, any = 0, about = 0;

    if (kbak_asks_for_type(q) || strcmp(qw, "where") == 0 || strcmp(qw, "wheres") == 0)
        return false;
    while (about < q->n && (q->aside[about] || strcmp(q->w[about].surface, "about") != 0))
        about++;
    for (size_t i = 0; i < q->n; i++) {
        if (!q->content[i] || q->aside[i])
            continue;
        /* The theme is what it asks about: "what do we say about X". */
        if (i < about || about == q->n)
            return false;
        if (kb_index_term(q->idx, q->w[i].stem) != KB_INDEX_UNKNOWN)
            return false;
        any++;
    }
    if (any == 0)
        return false;
    vi = q->kb->nvalues > 0 ? related_item(q, KB_RELATED_VALUE, &vs) : SIZE_MAX;
    gi = q->kb->ngoals > 0 ? related_item(q, KB_RELATED_GOAL, &gs) : SIZE_MAX;
    if (vi == SIZE_MAX && gi == SIZE_MAX)
        return false;
    a->related = true;
    a->answered = true;
    a->yes_no = false;
    a->nrefs = 0;
    if (vi != SIZE_MAX && (gi == SIZE_MAX || vs >= gs)) {
        a->intent = KB_INTENT_VALUE;
        a->confidence = 0.6 + 0.3 * vs;
        add_ref(a, KB_DOC_VALUE, vi, 0);
    } else {
        a->intent = KB_INTENT_GOAL;
        a->confidence = 0.6 + 0.3 * gs;
        add_ref(a, KB_DOC_GOAL, gi, 0);
    }
    return true;
}
