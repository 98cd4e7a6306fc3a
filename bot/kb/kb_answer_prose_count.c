/*
 * kb_answer_prose_count.c - a count a trust's page states in its prose ("The
 * strategy sets out five strategic ambitions:"): answered with the passage
 * that states it where the items `kb build` found are fewer or are not what
 * is counted, and a question about behaviours a page states but does not
 * list declined.  Part of kb_answer_prose.c's work (kbapr_ prefix).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer_int.h"

/* The value of a number written as digits or as a word "one" to "twenty"; 0 if none. */
static long
number_value(const char *s)
{
    static const char *const words[] = {
        "one",     "two",     "three",     "four",     "five",     "six",      "seven",
        "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen", "fourteen",
        "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",   NULL};

    if (isdigit((unsigned char)s[0])) {
        char *e;
        long v = strtol(s, &e, 10);

        return *e == '\0' && v < 1000 ? v : 0;
    }
    for (size_t i = 0; words[i]; i++) {
        if (strcmp(s, words[i]) == 0)
            return (long)i + 1;
    }
    return 0;
}

/*
 * The noun counted in "how many strategic ambitions are there", "how many
 * behaviours go with each value": of the words after "how many" (or "number
 * of") up to a stop word, the first plural, else the last; NULL if none.
 */
static const struct kb_word *
counted_noun(const struct query *q)
{
    for (size_t i = 0; i + 2 < q->n; i++) {
        const struct kb_word *last = NULL;

        if (!((strcmp(q->w[i].surface, "how") == 0 &&
               strcmp(q->w[i + 1].surface, "many") == 0) ||
              (strcmp(q->w[i].surface, "number") == 0 &&
               strcmp(q->w[i + 1].surface, "of") == 0)))
            continue;
        for (size_t k = i + 2; k < q->n && k < i + 5 && !q->stop[k]; k++) {
            size_t n = strlen(q->w[k].surface);

            last = &q->w[k];
            if (n > 3 && q->w[k].surface[n - 1] == 's')
                return last;
        }
        return last;
    }
    return NULL;
}

/* Is @s a word of time that a number before the counted noun may belong to? */
static bool
is_time_word(const char *s)
{
    static const char *const time[] = {"year", "years", "yearly", "month", "months",
                                       "week", "weeks", "day",    "days",  NULL};

    return in_list(s, time);
}

/*
 * The number passage @p states of the noun with stem @stem ("five strategic
 * ambitions", "a statement of eight behaviours"); 0 if it states none.  "one of
 * our values" counts nothing, nor does "five year priorities".
 */
static long
stated_count(struct kb_engine *e, const struct kb *kb, size_t p, const char *stem)
{
    const struct tokens *t = kba_tokens(e, kb->passages[p].text);

    for (size_t k = 1; k < t->n; k++) {
        if (strcmp(t->w[k].stem, stem) != 0)
            continue;
        for (size_t b = k; b-- > 0 && b + 3 >= k;) {
            long v = number_value(t->w[b].surface);

            if (v > 0) {
                if (strcmp(t->w[b + 1].surface, "of") == 0)
                    break;
                return v;
            }
            if (kb_text_is_stopword(t->w[b].surface) || is_time_word(t->w[b].surface))
                break;
        }
    }
    return 0;
}

/* How many of the counted things the count intent would say the KB has. */
static size_t
listed_count(const struct query *q, const struct kb_answer *a, const struct kb_word *noun)
{
    if (strncmp(noun->stem, "behavio", 7) == 0) {
        size_t n = 0;

        for (size_t i = 0; i < q->kb->nvalues; i++)
            n += q->kb->values[i].nbehaviours;
        return n;
    }
    return a->intent == KB_INTENT_COUNT_VALUES ? q->kb->nvalues : q->kb->ngoals;
}

/*
 * "how many strategic ambitions are there" where the page says "five" and
 * lists two; "how many behaviours go with each value" where it says "eight"
 * and lists none: the page's own sentence, not the count of what was found.
 */
bool
kbapr_answer_stated_count(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    const struct kb_word *noun;
    bool behaviours;

    if (!(a->intent == KB_INTENT_COUNT_GOALS || a->intent == KB_INTENT_COUNT_VALUES ||
          (a->intent == KB_INTENT_VALUES && !a->answered)) ||
        (noun = counted_noun(q)) == NULL)
        return false;
    behaviours = strncmp(noun->stem, "behavio", 7) == 0;
    if (a->intent == KB_INTENT_VALUES && !behaviours)
        return false;
    /* A lead-in that states it ("sets out five strategic ambitions:") first. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t p = 0; p < q->kb->npassages; p++) {
            const char *text = q->kb->passages[p].text;
            size_t len = strlen(text);
            long v;

            if (pass == 0 && (len == 0 || text[len - 1] != ':'))
                continue;
            v = stated_count(e, q->kb, p, noun->stem);
            if (v == 0 || (size_t)v == listed_count(q, a, noun))
                continue;
            kbapr_quote_with_list(e, q->kb, p, a);
            return true;
        }
    }
    return false;
}

/*
 * "what are the eight behaviours under caring" on a page that says "each value
 * is accompanied by eight behaviours" and lists none: a value's description is
 * not those behaviours, and the page does not give them.
 */
void
kbapr_decline_behaviours_not_listed(struct kb_engine *e, const struct query *q,
                                    struct kb_answer *a)
{
    static const char *const behaviour[] = {"behaviour", "behavior", NULL};
    const struct kb *kb = q->kb;
    bool stated = false;

    if (a->intent != KB_INTENT_VALUE || !a->answered || a->nrefs == 0 ||
        !has_stem(q, behaviour))
        return;
    for (size_t i = 0; i < kb->nvalues; i++) {
        if (kb->values[i].nbehaviours > 0)
            return;
    }
    for (size_t r = 0; r < a->nrefs; r++) {
        if (a->refs[r].kind != KB_DOC_VALUE)
            return;
    }
    for (size_t p = 0; p < kb->npassages && !stated; p++)
        stated = stated_count(e, kb, p, "behaviour") > 0;
    if (stated)
        a->answered = false;
}
