/*
 * kb_answer_words.c - what staff's own words mean when the document says it
 * otherwise ("the press": the media; "managers": leaders), from the meaning
 * table (kb_related.h): its profiles hold synonyms, derivations and the words
 * of a word's definition, which the lexicon's related words (kb_lex.h) do not.
 * Prefix kbaw_.
 */
#include "bot/kb/kb_answer_int.h"

#include <stdbool.h>
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_lex.h"
#include "bot/kb/kb_related.h"

/*
 * A profile's lemma meets a question word when it weighs at least this: a
 * synonym, a derivation, a close link (0.7), a hypernym (0.55); not a word of
 * the definition alone (0.45) nor a sibling (0.4), which name other things.
 */
#define MEANING_MIN 0.5
#define MEANING_MAX 16 /* a profile's most lemmas (scripts/gen_lex.py REL_PROFILE) */
/*
 * A short form is at least SHORT_PREFIX letters and at most SHORT_MAX ("vals",
 * "gols", "strat", "prios"): shorter ones stand for too many words.
 */
#define SHORT_PREFIX 3
/*
 * A goal sought by its theme ("which goal covers getting help in good time")
 * is the one whose words and meaning hold at least THEME_MIN of the
 * question's, when the next holds under THEME_CLEAR of that.
 */
#define THEME_MIN   0.3
#define THEME_CLEAR 0.8
/* Each theme word a goal does not hold must come this close to it in meaning. */
#define THEME_WORD_MIN 0.2
#define SHORT_MAX      6

size_t
kbaw_meaning_words(const char *w, struct kb_related_profile *p, const char **out,
                   size_t max)
{
    size_t nrel = kb_related_profile(w, MEANING_MIN, p), n = 0;

    /* A person or a role is no other ("matron" is not "nurse"): none of those. */
    for (size_t r = 0; r < nrel && r < MEANING_MAX && n < max; r++) {
        const struct kb_lex_word *lw = kb_lex_find(p->lemma[r]);

        if (lw == NULL || !(lw->cls & KB_LEX_PERSON))
            out[n++] = p->lemma[r];
    }
    return n;
}

/* Is @w the word @full with one letter left out ("gols": goals)? */
static bool
one_letter_short(const char *w, size_t n, const char *full)
{
    size_t i = 0;

    if (strlen(full) != n + 1)
        return false;
    while (i < n && w[i] == full[i])
        i++;
    return strcmp(w + i, full + i + 1) == 0;
}

/*
 * Is @w a clipping of @full: its first letters ("strat": strategy), or
 * those and a plural "s" ("vals": values, "prios": priorities)?
 */
static bool
clipped(const char *w, size_t n, const char *full)
{
    size_t m = strlen(full);

    if (n >= SHORT_PREFIX + 1 && n < m && strncmp(w, full, n) == 0)
        return true;
    return n >= SHORT_PREFIX + 1 && w[n - 1] == 's' && full[m - 1] == 's' && n < m - 1 &&
           strncmp(w, full, n - 1) == 0;
}

const char *
kbaw_short_form(const char *w, const char *const *words)
{
    size_t n = strlen(w);
    const char *fix = NULL;

    if (n < SHORT_PREFIX || n > SHORT_MAX || kb_lex_find(w) != NULL)
        return NULL;
    for (size_t k = 0; words[k] != NULL; k++) {
        if (words[k][0] != w[0] ||
            !((n == SHORT_PREFIX + 1 && one_letter_short(w, n, words[k])) ||
              clipped(w, n, words[k])))
            continue;
        /* Two words it may stand for ("pri": principles, priorities): neither. */
        if (fix != NULL && strncmp(fix, words[k], SHORT_PREFIX + 1) != 0)
            return NULL;
        /* "vals": values, not value; a plural for a plural. */
        if (fix == NULL || (w[n - 1] == 's') == (words[k][strlen(words[k]) - 1] == 's'))
            fix = words[k];
    }
    return fix;
}

/* Does goal @g's title, description or a point hold a word with @stem's root? */
static bool
goal_has(struct kb_engine *e, const struct kb_goal *g, const char *stem)
{
    if (kbam_text_has_root(e, g->title, stem) ||
        kbam_text_has_root(e, g->description, stem))
        return true;
    for (size_t k = 0; k < g->npoints; k++) {
        if (kbam_text_has_root(e, g->points[k].text, stem))
            return true;
    }
    return false;
}

size_t
kbaw_theme_goal(struct kb_engine *e, const struct query *q, double *score)
{
    double first = 0, second = 0;
    size_t best = SIZE_MAX;

    *score = 0;
    if (*q->rel == NULL)
        *q->rel = kb_related_index_new(q->kb);
    for (size_t g = 0; g < q->kb->ngoals; g++) {
        double got = 0;
        size_t n = 0;
        bool unmet = false;

        for (size_t i = 0; i < q->n; i++) {
            const char *w = q->w[i].surface;

            /* The theme's words: not the topic's, not light ("get", "cover"). */
            if (!q->content[i] || q->aside[i] || q->flags[i] != 0 || kb_lex_is_light(w) ||
                kbar_names_org(q->kb, w))
                continue;
            n++;
            if (goal_has(e, &q->kb->goals[g], q->w[i].stem)) {
                got += 1;
            } else {
                double r = kb_related_index_score(*q->rel, KB_RELATED_GOAL, g, w);

                /* A word that means nothing of it: about something else. */
                unmet = unmet || r < THEME_WORD_MIN;
                got += r;
            }
        }
        if (n == 0)
            return SIZE_MAX;
        got = unmet ? 0 : got / (double)n;
        if (got > first) {
            second = first;
            first = got;
            best = g;
        } else if (got > second) {
            second = got;
        }
    }
    *score = first;
    return first >= THEME_MIN && second < first * THEME_CLEAR ? best : SIZE_MAX;
}
