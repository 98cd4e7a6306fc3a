/*
 * kb_answer_place.c - a place a passage names in common nouns.
 *
 * "where were the listening events held": "in towns and villages along the
 * coast" names the places as surely as "in Wexley" does, in words English
 * uses for places (WordNet's place and building senses: town, village,
 * school, hub, ward).  A preposition of place, then within two words such a
 * noun, answers a "where"; idioms built on a place noun ("in line with", "in
 * addition to", "in the way that") do not, nor the trust's own area in
 * general ("in our neighbourhoods"), nor the place the question asks about
 * ("where are the hubs": "working in community hubs").
 */
#include <string.h>

#include "bot/kb/kb_answer_int.h"
#include "bot/kb/kb_lex.h"

/* A noun used as one at least this per cent of the time (WordNet's tagged corpus). */
#define PLACE_NOUN 50

bool
kbapl_is_place_noun(const char *w)
{
    const struct kb_lex_word *lw = kb_lex_find(w);

    return lw != NULL && (lw->cls & KB_LEX_PLACE) && lw->noun >= PLACE_NOUN;
}

/* Is @stem a word of the question ("where are the hubs": "in community hubs")? */
static bool
asked(const struct query *q, const char *stem)
{
    for (size_t i = 0; i < q->n; i++) {
        if (strcmp(q->w[i].stem, stem) == 0)
            return true;
    }
    return false;
}

bool
kbapl_text_names_place(struct kb_engine *e, const struct query *q, const char *passage)
{
    static const char *const preps[] = {"in",     "at",   "across",     "along",
                                        "around", "near", "throughout", NULL};
    static const char *const idiom[] = {"to", "with", "of", "that", NULL};
    static const char *const owner[] = {"our", "their", "its", "your", "my", NULL};
    static const char *const exact[] = {"exactly", "precisely", "specifically", NULL};
    const struct tokens *t = kba_tokens(e, passage);

    /* "where exactly": a place by its name, not "in towns and villages". */
    for (size_t i = 0; i < q->n; i++) {
        if (in_list(q->w[i].surface, exact))
            return false;
    }

    for (size_t k = 0; k + 1 < t->n; k++) {
        if (!in_list(t->w[k].surface, preps))
            continue;
        for (size_t j = k + 1; j < t->n && j <= k + 3; j++) {
            /* "in our neighbourhoods": the trust's own area in general, no place. */
            if (in_list(t->w[j].surface, owner))
                break;
            if (kb_text_is_stopword(t->w[j].surface))
                continue; /* "along the coast" */
            if (kbapl_is_place_noun(t->w[j].surface) && !asked(q, t->w[j].stem) &&
                !(j + 1 < t->n && in_list(t->w[j + 1].surface, idiom)))
                return true;
            break;
        }
    }
    return false;
}
