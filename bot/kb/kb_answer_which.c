/*
 * kb_answer_which.c - "which priority is about climate change", "which pillar
 * does cutting infections sit under": a question that asks for a part of the
 * strategy by what it covers.  What follows the part's copula is the topic
 * asked about, not content the message states (kbas_asks_to_change()), and a
 * clinical word there names the topic, not a clinical question
 * (kbas_is_clinical()).
 */
#include "bot/kb/kb_answer_int.h"

/* Words between "which" and the part it asks for ("which of our values"). */
static const char *const between[] = {"of",    "our",   "the", "your",
                                      "these", "those", "us",  NULL};

/* Is word @i a word naming a part of the strategy (or the page's own label for one)? */
static bool
is_part(const struct query *q, size_t i)
{
    return (q->cls[i] & (KBAWC_VALUES_STEM | KBAWC_GOALS_STEM | KBAWC_MISSION |
                         KBAWC_VISION | KBAWC_AMBITION)) ||
           (q->flags[i] & (W_VALUES | W_GOALS));
}

bool
kbawi_part_asked_for(const struct query *q, size_t i)
{
    if (i >= q->n || !is_part(q, i))
        return false;
    for (size_t k = i, steps = 0; k-- > 0 && steps < 4; steps++) {
        const char *s = q->w[k].surface;

        if (strcmp(s, "which") == 0 || strcmp(s, "what") == 0 || strcmp(s, "whose") == 0)
            return true;
        if (!in_list(s, between))
            return false;
    }
    return false;
}

bool
kbawi_asks_for_part(const struct query *q)
{
    for (size_t i = 1; i < q->n; i++) {
        if (kbawi_part_asked_for(q, i))
            return true;
    }
    return false;
}
