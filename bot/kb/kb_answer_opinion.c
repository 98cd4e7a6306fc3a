/*
 * kb_answer_opinion.c - "do you think our values are any good?", "which goal
 * matters most in your opinion?": the bot's own judgement is asked for.  The
 * strategy states no opinion of itself, so the bot has none to give, and
 * quoting the page would pass its words off as one.  "do you think you could
 * list ..." asks politely for the page and is no such question.
 */
#include "bot/kb/kb_answer_int.h"

/* Verbs of holding an opinion, as typed after "you". */
static const char *const believe[] = {"think",   "reckon", "believe", "feel",
                                      "suppose", "rate",   NULL};

/* Nouns of an opinion, as typed after "your". */
static const char *const view[] = {"opinion",  "view",    "views", "take",
                                   "thoughts", "verdict", NULL};

/* Words standing for "you" in chat. */
static const char *const you[] = {"you", "u", "ya", "yall", NULL};

bool
kbaop_asks_opinion(const struct query *q)
{
    for (size_t i = 0; i + 1 < q->n; i++) {
        const char *s = q->w[i].surface;

        /* "in your opinion", "what's your take", "your honest view" */
        if (strcmp(s, "your") == 0 || strcmp(s, "ur") == 0) {
            for (size_t k = i + 1; k < q->n && k <= i + 2; k++) {
                if (in_list(q->w[k].surface, view))
                    return true;
            }
            continue;
        }
        if (!in_list(s, you))
            continue;
        /* "do you (honestly) think ...", "you reckon ...?" */
        for (size_t k = i + 1; k < q->n && k <= i + 2; k++) {
            if (!in_list(q->w[k].surface, believe))
                continue;
            /* "do you think you could ...": a request, not an opinion */
            return !(k + 1 < q->n && in_list(q->w[k + 1].surface, you));
        }
    }
    return false;
}
