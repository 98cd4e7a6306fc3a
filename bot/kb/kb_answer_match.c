/*
 * kb_answer_match.c - which value, behaviour or goal a question names.
 *
 * Matching items by their words ("respect", "the partnerships priority",
 * "goal 2") and reading what is asked of them (a figure, one goal or all,
 * how a value is lived, a yes or no).
 */
#include "bot/kb/kb_answer_int.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_index.h"
#include "bot/kb/kb_lex.h"
#include "bot/kb/kb_text.h"

/* An unknown word at least this per cent a noun asks for an aspect of a goal. */
#define ASPECT_NOUN 50 /* dev parts: the same from 30 to 70 */

/* -- matching items ---------------------------------------------------- */

/*
 * Does the question hold the @n words @nw in a row?  A name made only of
 * common words ("Doing the right thing", "Working as one") is named only
 * when said whole.
 */
static bool
names_phrase(const struct query *q, const struct kb_word *nw, size_t n)
{
    for (size_t i = 0; i + n <= q->n; i++) {
        size_t k = 0;

        while (k < n && strcmp(q->w[i + k].stem, nw[k].stem) == 0 &&
               !kbafo_other_sense(q->w[i + k].surface, nw[k].surface))
            k++;
        if (k == n)
            return true;
    }
    return false;
}

/*
 * Do all the meaningful words of @name appear in the question (all its
 * words, in a row, when it has no other kind: names_phrase())?
 */
bool
kbam_names_match(struct kb_engine *e, const struct query *q, const char *name)
{
    const struct tokens *t = kba_tokens(e, name);
    const struct kb_word *nw = t->w;
    size_t n = t->n, need = 0, got = 0;

    for (size_t k = 0; k < n; k++) {
        bool stop = t->stop[k];

        if (stop && n > 1)
            continue;
        need++;
        for (size_t i = 0; i < q->n; i++) {
            /*
             * Same stem and most of the letters: "excel" is not
             * "Excellence", though Snowball stems both to "excel"; nor the
             * stem as another part of speech: "opening" is not "Openness"
             * (kb_answer_forms.c).
             */
            if (strcmp(q->w[i].stem, nw[k].stem) == 0 &&
                strlen(q->w[i].surface) * 10 >= strlen(nw[k].surface) * 7 &&
                !kbafo_other_sense(q->w[i].surface, nw[k].surface)) {
                got++;
                break;
            }
        }
    }
    if (need == 0 && n > 1)
        return names_phrase(q, nw, n);
    return need > 0 && got == need;
}

/* Share of the meaningful words of @text that the question contains (0..1). */
static double
words_fraction(struct kb_engine *e, const struct query *q, const char *text)
{
    const struct tokens *t = kba_tokens(e, text);
    const struct kb_word *tw = t->w;
    size_t n = t->n, need = 0, got = 0;
    bool content = false;

    for (size_t i = 0; i < q->n && !content; i++)
        content = q->content[i];
    for (size_t k = 0; k < n; k++) {
        size_t ls;

        if (t->stop[k])
            continue;
        need++;
        if (!content)
            continue; /* no content word of the question to find */
        ls = strlen(tw[k].stem);
        for (size_t i = 0; i < q->n; i++) {
            /* "fairness" -> "fair", "honesty" -> "honesti" ~ "honest" */
            if (!q->content[i])
                continue;
            if (strcmp(q->w[i].stem, tw[k].stem) == 0 ||
                (ls >= 4 && strncmp(q->w[i].stem, tw[k].stem, ls) == 0)) {
                got++;
                break;
            }
        }
    }
    if (need == 0) {
        /* A title of stop words only ("Our Organisation"): its longer words count. */
        for (size_t k = 0; k < n; k++) {
            if (strlen(tw[k].surface) < 4)
                continue;
            need++;
            got += has_stem(q, (const char *const[]){tw[k].stem, NULL});
        }
    }
    return need ? (double)got / (double)need : 0;
}

/* The behaviour whose words the question names most fully; its fraction in *frac (out).
 */
bool
kbam_named_behaviour(struct kb_engine *e, const struct query *q, size_t *value,
                     size_t *sub, double *frac)
{
    *frac = 0;
    for (size_t i = 0; i < q->kb->nvalues; i++) {
        for (size_t k = 0; k < q->kb->values[i].nbehaviours; k++) {
            double f = words_fraction(e, q, q->kb->values[i].behaviours[k].text);

            if (f > *frac + 1e-9) {
                *frac = f;
                *value = i;
                *sub = k;
            }
        }
    }
    return *frac >= 0.5;
}

/* Goals whose title (or an alias) the question names in full; returns how many, refs
 * added. */
size_t
kbam_named_goals(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    size_t n = 0;

    for (size_t i = 0; i < q->kb->ngoals; i++) {
        const struct kb_goal *g = &q->kb->goals[i];
        bool hit = words_fraction(e, q, g->title) >= 0.99;

        for (size_t k = 0; k < g->naliases && !hit; k++)
            hit = words_fraction(e, q, g->aliases[k]) >= 0.99;
        if (hit) {
            add_ref(a, KB_DOC_GOAL, i, 0);
            n++;
        }
    }
    return n;
}

/* True when one of @a, @b starts with the other and the shorter has 5+ letters. */
static bool
stems_share_root(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), l = la < lb ? la : lb;

    return l >= 5 && strncmp(a, b, l) == 0;
}

/* True when a content word of @text has @stem's root ("Trust" in the org name). */
bool
kbam_text_has_root(struct kb_engine *e, const char *text, const char *stem)
{
    const struct tokens *t = kba_tokens(e, text);

    for (size_t k = 0; k < t->n; k++)
        if (!kb_text_is_stopword(t->w[k].surface) && stems_share_root(t->w[k].stem, stem))
            return true;
    return false;
}

/*
 * "the partnerships priority", "the employer goal": the one goal whose title
 * has a word of the question that no other goal's title has.  Words of the
 * organisation's or the strategy's name never count ("trust goals" is not
 * the "trusted partner" goal).  Returns the goal's index, or SIZE_MAX.
 */
size_t
kbam_keyword_goal(struct kb_engine *e, const struct query *q)
{
    size_t found = SIZE_MAX;

    for (size_t i = 0; i < q->n; i++) {
        const char *qs = q->w[i].stem;
        size_t owner = SIZE_MAX, owners = 0;

        if (!q->content[i] || q->aside[i] || kbam_text_has_root(e, q->kb->name, qs) ||
            kbam_text_has_root(e, q->kb->strategy, qs) ||
            kbam_text_has_root(e, q->kb->short_name, qs))
            continue;
        for (size_t g = 0; g < q->kb->ngoals; g++) {
            if (kbam_text_has_root(e, q->kb->goals[g].title, qs)) {
                owner = g;
                owners++;
            }
        }
        if (owners != 1)
            continue;
        if (found != SIZE_MAX && found != owner)
            return SIZE_MAX; /* names two goals: not a keyword question */
        found = owner;
    }
    return found;
}

size_t
kbam_named_values(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    size_t n = 0;

    for (size_t i = 0; i < q->kb->nvalues; i++) {
        const struct kb_value *v = &q->kb->values[i];
        bool hit = kbam_names_match(e, q, v->name);

        for (size_t k = 0; k < v->naliases && !hit; k++)
            hit = kbam_names_match(e, q, v->aliases[k]);
        if (hit) {
            add_ref(a, KB_DOC_VALUE, i, 0);
            n++;
        }
    }
    return n;
}

/*
 * "goal 2", "priority two", "the second objective", "number 3": the number
 * asked for, or 0.  "our 3 goals" and "the five priorities" are counts, not
 * an index, so a cardinal counts only after a goal word or "number".
 */
/*
 * Does an ordinal at word @i say when rather than which ("the first two
 * years", "our first 100 days", "in the second year")?  A count or a span of
 * time follows it.
 */
static bool
ordinal_of_time(const struct query *q, size_t i)
{
    static const char *const spans[] = {"year",    "month", "week", "day",
                                        "quarter", "decad", NULL};
    const char *next;

    if (i + 1 >= q->n)
        return false;
    next = q->w[i + 1].surface;
    if (isdigit((unsigned char)next[0]) ||
        (kbar_is_number_word(next) && strcmp(next, "one") != 0))
        return true;
    return in_list(q->w[i + 1].stem, spans);
}

unsigned
kbam_goal_number(const struct query *q)
{
    static const char *const words[] = {"one",   "two",   "three", "four", "five", "six",
                                        "seven", "eight", "nine",  "ten",  NULL};

    if (!(q->cls_any & KBAWC_NUMBER))
        return 0; /* no digit, number word nor ordinal */
    for (size_t i = 0; i < q->n; i++) {
        const char *s = q->w[i].surface;
        /* after a goal word, the page's own label for them too ("big move 4") */
        bool after = i > 0 && (in_list(q->w[i - 1].stem, kbar_goals_stems) ||
                               (q->flags[i - 1] & W_GOALS) ||
                               strcmp(q->w[i - 1].surface, "number") == 0 ||
                               strcmp(q->w[i - 1].surface, "no") == 0);

        if (isdigit((unsigned char)s[0])) {
            char *end;
            unsigned long v = strtoul(s, &end, 10);
            bool ordinal = strcmp(end, "st") == 0 || strcmp(end, "nd") == 0 ||
                           strcmp(end, "rd") == 0 || strcmp(end, "th") == 0;

            if (v > 0 && v < 100 &&
                ((ordinal && !ordinal_of_time(q, i)) || (after && *end == '\0')))
                return (unsigned)v;
        }
        for (size_t k = 0; kbar_ordinals[k] != NULL && !ordinal_of_time(q, i); k++) {
            if (strcmp(s, kbar_ordinals[k]) == 0)
                return (unsigned)k + 1;
        }
        for (size_t k = 0; words[k] != NULL && after; k++) {
            if (strcmp(s, words[k]) == 0)
                return (unsigned)k + 1;
        }
    }
    return 0;
}

/* Does the question ask for one goal ("which goal", "the staff priority") rather than
 * all? */
/*
 * "goals 1, 2 and 3", "priorities 2 and 4": after a goal word, a run of
 * numbers joined by "and" (commas split clauses, so the run may cross them).
 * Adds a reference to each goal numbered; returns how many.
 */
size_t
kbam_goal_numbers(const struct query *q, struct kb_answer *a)
{
    size_t n = 0;

    for (size_t i = 1; i < q->n; i++) {
        if (!(in_list(q->w[i - 1].stem, kbar_goals_stems) ||
              (q->flags[i - 1] & W_GOALS)) ||
            !isdigit((unsigned char)q->w[i].surface[0]))
            continue;
        for (size_t k = i; k < q->n; k++) {
            unsigned long v = strtoul(q->w[k].surface, NULL, 10);

            if (strcmp(q->w[k].surface, "and") == 0 || strcmp(q->w[k].surface, "or") == 0)
                continue;
            if (!isdigit((unsigned char)q->w[k].surface[0]))
                break;
            for (size_t g = 0; g < q->kb->ngoals; g++) {
                if (q->kb->goals[g].number == v && a->nrefs < KB_ANSWER_MAX_REFS) {
                    add_ref(a, KB_DOC_GOAL, g, 0);
                    n++;
                }
            }
        }
        break;
    }
    return n;
}

/* "the target", "measures of success", "KPIs", "how will we know": a figure. */
bool
kbam_asks_measure(const struct query *q)
{
    return has_stem(q, (const char *const[]){"target", "measur", "kpi", "metric",
                                             "mileston", "benchmark", NULL});
}

/* Does goal @g give a figure anywhere (a number, a percentage, a year)? */
bool
kbam_goal_has_number(const struct kb_goal *g)
{
    if (kbak_text_has_number(g->title) || kbak_text_has_number(g->description))
        return true;
    for (size_t k = 0; k < g->npoints; k++) {
        if (kbak_text_has_number(g->points[k].text))
            return true;
    }
    return false;
}

bool
kbam_asks_for_one_goal(const struct query *q)
{
    if (has_word(q, "which") || has_phrase(q, "is", "there"))
        return true;
    for (size_t i = 0; i < q->n; i++) {
        size_t n = strlen(q->w[i].surface);

        if ((in_list(q->w[i].stem, kbar_goals_stems) ||
             strcmp(q->w[i].stem, "ambit") == 0) &&
            q->w[i].surface[n - 1] != 's')
            return true;
    }
    return false;
}

/* Is any content word of the question unknown to this KB? */
bool
kbam_has_unknown_content(const size_t *terms, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (terms[i] == KB_INDEX_UNKNOWN)
            return true;
    }
    return false;
}

/*
 * "what are the KPIs for goal 1", "the budget for goal 2": a word the KB
 * never uses that names an aspect the goal may not state, a noun or a word
 * English does not have.  Not a word for people ("what will service users
 * get under goal 1") nor a verb ("what does goal 1 promise carers").
 */
bool
kbam_asks_unstated_aspect(const struct query *q, const size_t *terms, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct kb_lex_word *lw;

        if (terms[i] != KB_INDEX_UNKNOWN)
            continue;
        lw = kb_lex_find(q->w[q->term_word[i]].surface);
        if (lw == NULL || (!(lw->cls & KB_LEX_PERSON) && lw->noun >= ASPECT_NOUN))
            return true;
    }
    return false;
}

/* Is every value in @a named by a word English uses mostly as an adjective ("open")? */
bool
kbam_adjective_value(const struct query *q, const struct kb_answer *a)
{
    for (size_t i = 0; i < a->nrefs; i++) {
        const struct kb_lex_word *lw;
        char w[KB_WORD_MAX];
        size_t n = 0;
        const char *name = q->kb->values[a->refs[i].item].name;

        while (name[n] && n + 1 < sizeof(w) && isalpha((unsigned char)name[n])) {
            w[n] = (char)tolower((unsigned char)name[n]);
            n++;
        }
        w[n] = '\0';
        if (name[n] != '\0' || (lw = kb_lex_find(w)) == NULL || lw->noun >= 50)
            return false;
    }
    return a->nrefs > 0;
}

/*
 * Does the question name a quality the KB never mentions ("the
 * collaboration value", "behaviours under responsibility")?  Values are
 * named by abstract nouns, so an unknown word with an abstract-noun ending
 * is taken for the name of a value this organisation does not have.
 */
bool
kbam_names_unknown_quality(const struct query *q)
{
    static const char *const endings[] = {"ion", "ity",  "ness", "ence", "ance", "ism",
                                          "ty",  "ship", "hood", "ment", NULL};

    for (size_t i = 0; i < q->n; i++) {
        const char *w = q->w[i].surface;
        size_t n = strlen(w);

        bool near = false;

        if (!q->content[i] || q->aside[i] ||
            kb_index_term(q->idx, q->w[i].stem) != KB_INDEX_UNKNOWN)
            continue;
        /* It names a value when it stands by the word "value" ("the X value",
         * "X as a value", "behaviours under X"), not "values for my supervision". */
        for (size_t k = i >= 3 ? i - 3 : 0; k < q->n && k <= i + 3; k++)
            near = near || in_list(q->w[k].stem, kbar_values_stems);
        if (!near || (i > 0 && strcmp(q->w[i - 1].surface, "my") == 0))
            continue;
        for (size_t k = 0; endings[k] != NULL; k++) {
            size_t m = strlen(endings[k]);

            if (n > m + 2 && strcmp(w + n - m, endings[k]) == 0)
                return true;
        }
    }
    return false;
}

/*
 * Does the question ask how a value is lived: its behaviours, what it looks
 * like, what it asks of staff, how it is defined?
 */
bool
kbam_asks_how_lived(const struct query *q)
{
    return has_stem(q, (const char *const[]){"behaviour", "behavior", "defin",
                                             "statement", "practic", "involv", NULL}) ||
           has_phrase(q, "look", "like") || has_phrase(q, "looks", "like") ||
           has_phrase(q, "ask", "of") || has_phrase(q, "day", "to");
}

/* "which is the most important", "our favourite value": a ranking. */
bool
kbam_asks_ranking(const struct query *q)
{
    return has_phrase(q, "most", "important") || has_phrase(q, "least", "important") ||
           has_word(q, "favourite") || has_word(q, "favorite") || has_word(q, "ranked") ||
           has_phrase(q, "most", "valued");
}

/* Does the document say nothing about the values in @a but their names? */
bool
kbam_values_bare(const struct kb *kb, const struct kb_answer *a)
{
    for (size_t i = 0; i < a->nrefs; i++) {
        const struct kb_value *v = &kb->values[a->refs[i].item];

        if (a->refs[i].kind == KB_DOC_VALUE && (v->nbehaviours > 0 || v->description[0]))
            return false;
    }
    return a->nrefs > 0;
}

/* Does the asking clause start "is" or "are" ("hi! is 'excellent' one of our values?")?
 */
bool
kbam_asks_yes_no(const struct query *q)
{
    /* The asking clause, or any clause when none has a question word ("hello! new
       here 🙂 is 'excellent' one of our values?"). */
    for (size_t i = 0; i < q->n; i++) {
        if (q->aside[i] || !q->clause_start[i])
            continue;
        if (strcmp(q->w[i].surface, "is") == 0 || strcmp(q->w[i].surface, "are") == 0)
            return true;
    }
    return false;
}

/*
 * "are the values used in appraisals?": the values are what the yes/no question
 * is about (the first word after "is"/"are" that is no stop word), not the
 * list a quality is sought in ("is honesty one of our values?").
 */
bool
kbam_values_are_subject(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        if (q->aside[i] || !q->clause_start[i] ||
            (strcmp(q->w[i].surface, "is") != 0 && strcmp(q->w[i].surface, "are") != 0))
            continue;
        for (size_t k = i + 1; k < q->n; k++) {
            if (!q->stop[k])
                return (q->flags[k] & W_VALUES) != 0;
        }
    }
    return false;
}
