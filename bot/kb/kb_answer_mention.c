/*
 * kb_answer_mention.c - "is recycling mentioned under our values?": a yes/no
 * on whether the values say something, not whether it is one of them.  Staff
 * ask it with a verb of mentioning ("mentioned", "referred to", "does it
 * feature in", "do they talk about"); the policy reads it as "is X one of our
 * values?" and says no when no value is named X.  Here the words asked about
 * are looked for in what each value says (its description and behaviours):
 * the value that says them all answers, quoted.
 */
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer_int.h"

/* Verbs of mentioning, by the start of the word as typed ("mentioned" is a
 * stem of its own): the question asks whether the text says it. */
static const char *const mention_stems[] = {"mention", "featur", "refer", "appear",
                                            "includ",  "talk",   "cover", NULL};

/* Is the word @surface a verb of mentioning? */
static bool
is_mention(const char *surface)
{
    for (size_t k = 0; mention_stems[k]; k++) {
        if (strncmp(surface, mention_stems[k], strlen(mention_stems[k])) == 0)
            return true;
    }
    return false;
}

/* Is question word @i one the words asked about: content the KB has (not "quick
 * q" around the question), none of the topics, no verb of mentioning? */
static bool
asked_word(const struct query *q, size_t i)
{
    return q->content[i] && !q->aside[i] && !(q->flags[i] & (W_VALUES | W_GOALS)) &&
           !is_mention(q->w[i].surface) && !(q->cls[i] & KBAWC_QWORD) &&
           kb_index_term(q->idx, q->w[i].stem) != KB_INDEX_UNKNOWN;
}

/* Does @text (tokenised) hold the stem @stem? */
static bool
says(struct kb_engine *e, const char *text, const char *stem)
{
    return text[0] != '\0' && kbapr_text_has(e, text, stem);
}

/*
 * Where value @v says every word asked about: 0 nowhere, 1 in its description,
 * 2 + k in its behaviour k.
 */
static size_t
value_says(struct kb_engine *e, const struct query *q, const struct kb_value *v)
{
    bool in_description = true;

    for (size_t i = 0; i < q->n && in_description; i++)
        in_description = !asked_word(q, i) || says(e, v->description, q->w[i].stem);
    if (in_description)
        return 1;
    for (size_t k = 0; k < v->nbehaviours; k++) {
        bool all = true;

        for (size_t i = 0; i < q->n && all; i++)
            all = !asked_word(q, i) || says(e, v->behaviours[k].text, q->w[i].stem);
        if (all)
            return 2 + k;
    }
    return 0;
}

bool
kbame_answer_mentioned(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    const struct kb *kb = q->kb;
    size_t asked = 0, found = SIZE_MAX, where = 0;
    bool mention = false;

    if (a->intent != KB_INTENT_NOT_A_VALUE)
        return false; /* the cheap test first: this runs for every question */
    for (size_t i = 0; i < q->n && !mention; i++)
        mention = !q->aside[i] && is_mention(q->w[i].surface);
    if (!kbam_asks_yes_no(q) || !mention)
        return false;
    for (size_t i = 0; i < q->n; i++)
        asked += asked_word(q, i);
    if (asked == 0)
        return false;
    for (size_t v = 0; v < kb->nvalues; v++) {
        size_t w = value_says(e, q, &kb->values[v]);

        if (w == 0)
            continue;
        if (found != SIZE_MAX)
            return false; /* said by more than one: no one value answers */
        found = v;
        where = w;
    }
    if (found == SIZE_MAX)
        return false;
    a->answered = true;
    a->related = false;
    a->yes_no = false;
    a->confidence = 0.85;
    a->nrefs = 0;
    a->nfeatures = 0;
    if (where >= 2) {
        a->intent = KB_INTENT_VALUE_LOOKUP;
        add_ref(a, KB_DOC_BEHAVIOUR, found, where - 2);
    } else {
        a->intent = KB_INTENT_VALUE;
        add_ref(a, KB_DOC_VALUE, found, 0);
    }
    return true;
}
