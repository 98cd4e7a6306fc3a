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
#include <ctype.h>
#include <stdint.h>
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

/*
 * "which sites does it cover", "which town is that in": a "which" whose
 * noun is a word for a place (@at that word, or SIZE_MAX any) asks for a
 * place, as "where" does.
 */
bool
kbapl_asks_place_noun(const struct query *q, size_t at)
{
    const char *qw = kbak_first_question_word(q);

    /* Not "what": "what part do i play" asks a role, not a region. */
    if (strcmp(qw, "which") != 0)
        return false;
    for (size_t i = 0; i < q->n; i++) {
        if (q->aside[i] || strcmp(q->w[i].surface, qw) != 0)
            continue;
        /* The noun right after the question word (its head: "which hospital sites"). */
        for (size_t k = i + 1; k < q->n && !q->aside[k] && !q->stop[k]; k++) {
            if ((at == SIZE_MAX || at == k) && kbapl_is_place_noun(q->w[k].surface) &&
                (k + 1 >= q->n || q->stop[k + 1] || q->aside[k + 1]))
                return true;
        }
        return false;
    }
    return false;
}

/*
 * Does @s name a place by its proper name, one the question (@q) does not:
 * a preposition of place before a capitalised word ("in Warwick"), or a
 * capitalised word before one English uses for places, capitalised too
 * ("the Queensmead Treatment Centre", "Stavelow General Hospital")?
 */
bool
kbapl_text_names_proper_place(const struct query *q, const char *s)
{
    static const char *const preps[] = {" in ",   " at ",   " across ",
                                        " near ", " from ", NULL};

    for (size_t i = 0; preps[i] != NULL; i++) {
        size_t n = strlen(preps[i]);

        for (const char *p = strstr(s, preps[i]); p != NULL;
             p = strstr(p + 1, preps[i])) {
            if (isupper((unsigned char)p[n]) && isalpha((unsigned char)p[n + 1]) &&
                !kbak_is_question_own(q, p + n))
                return true;
        }
    }
    for (const char *p = s; *p != '\0'; p++) {
        char w[32];
        size_t n = 0;
        const char *b = p;

        if (!isupper((unsigned char)*p) || (p > s && isalpha((unsigned char)p[-1])))
            continue;
        while (isalpha((unsigned char)*p))
            p++;
        if (*p == '\0')
            break; /* the word ends the text: nothing after it, and no p++ past the end */
        if (*p != ' ' || !isupper((unsigned char)p[1]) || b == s ||
            kbak_is_question_own(q, b))
            continue;
        for (const char *c = p + 1; isalpha((unsigned char)*c) && n + 1 < sizeof(w); c++)
            w[n++] = (char)tolower((unsigned char)*c);
        w[n] = '\0';
        if (n > 2 && kbapl_is_place_noun(w))
            return true;
    }
    return false;
}
