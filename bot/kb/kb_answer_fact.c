/*
 * kb_answer_fact.c - facts about the strategy and its lists that a page
 * states in its own sentences, as pages written by trusts (not by us) do:
 * where or how the values were made, the span of the objectives, a strategy
 * called "long-term" or "five year" by its page, "our overall goal is ...".
 */
#include "bot/kb/kb_answer_int.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_text.h"

/*
 * A list's items are passages of at most LIST_ITEM_WORDS words on lines at most
 * LIST_GAP apart (a blank line and an empty bullet between groups).
 */
#define LIST_ITEM_WORDS 30
#define LIST_GAP        3

/* Nouns that ask for a span of time ("what timescale", "what period"). */
static const char *const span_nouns[] = {"timescale",  "timescales", "timeframe",
                                         "timeframes", "period",     "duration",
                                         "timespan",   NULL};

bool
kbaf_is_span_noun(const char *surface)
{
    return in_list(surface, span_nouns);
}

bool
kbaf_asks_span(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        if (!q->aside[i] && kbaf_is_span_noun(q->w[i].surface))
            return true;
    }
    return false;
}

bool
kbaf_asks_where(const struct query *q)
{
    return strcmp(kbak_first_question_word(q), "where") == 0;
}

bool
kbaf_asks_fact_of_topic(const struct query *q)
{
    static const char *const past[] = {"was", "were", "did", "had", NULL};

    for (size_t i = 0; i < q->n; i++) {
        const char *w = q->w[i].surface;

        if (q->aside[i] || !(q->cls[i] & KBAWC_QWORD))
            continue;
        /* "how were the values developed": how they came about, not the list */
        if (strcmp(w, "how") == 0)
            return i + 1 < q->n && in_list(q->w[i + 1].surface, past);
        break;
    }
    return kbaf_asks_span(q);
}

/* Is @w the word the number @s spells out, "two" to "twenty"? */
static bool
is_count_word(const char *s, size_t n)
{
    static const char *const counts[] = {
        "two", "three",  "four",   "five",     "six",      "seven",   "eight",  "nine",
        "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "twenty", NULL};

    for (size_t k = 0; counts[k] != NULL; k++) {
        if (strlen(counts[k]) == n && strncasecmp(s, counts[k], n) == 0)
            return true;
    }
    return false;
}

/*
 * Does @t give the strategy's length ("our five year strategy", "a new
 * three-year plan")?  The number, "year", then the word "strategy" or "plan":
 * "the 10-year health plan" is another plan.
 */
static bool
states_years(const char *t)
{
    static const char *const nouns[] = {" strategy", " plan", NULL};

    for (const char *p = t; (p = strstr(p, "year")) != NULL; p++) {
        const char *end = p, *start, *after = p + 4;
        bool noun = false;

        if (p > t && isalpha((unsigned char)p[-1]))
            continue;
        if (*after == 's')
            after++;
        for (size_t k = 0; nouns[k] != NULL; k++)
            noun = noun || strncasecmp(after, nouns[k], strlen(nouns[k])) == 0;
        if (!noun || end == t || (end[-1] != ' ' && end[-1] != '-'))
            continue;
        end--;
        start = end;
        while (start > t && isalnum((unsigned char)start[-1]))
            start--;
        if (start == end)
            continue;
        if (isdigit((unsigned char)*start) && end - start <= 2)
            return true;
        if (is_count_word(start, (size_t)(end - start)))
            return true;
    }
    return false;
}

size_t
kbaf_duration_passage(const struct kb *kb)
{
    for (size_t i = 0; i < kb->npassages; i++) {
        if (states_years(kb->passages[i].text))
            return i;
    }
    return SIZE_MAX;
}

bool
kbaf_kb_says_before_strategy(struct kb_engine *e, const struct kb *kb, const char *stem)
{
    for (size_t i = 0; i < kb->npassages; i++) {
        const struct tokens *t = kba_tokens(e, kb->passages[i].text);

        for (size_t k = 1; k < t->n; k++) {
            if (strcmp(t->w[k].stem, "strategi") == 0 &&
                strcmp(t->w[k - 1].stem, stem) == 0)
                return true;
        }
    }
    return false;
}

/* Does passage @t say "<a> <b> is ..." with a few words of its own after? */
static bool
defines(const struct tokens *t, const char *a, const char *b)
{
    static const char *const verbs[] = {"is", "was", "will", "remains", NULL};

    for (size_t k = 0; k + 5 < t->n; k++) {
        if (t->w[k].stem[0] == a[0] && strcmp(t->w[k].stem, a) == 0 &&
            strcmp(t->w[k + 1].stem, b) == 0 && in_list(t->w[k + 2].surface, verbs))
            return true;
    }
    return false;
}

/*
 * Are words @i and @i + 1 of @q the KB's own name for the goals it lists
 * ("strategic aims"), with nothing else of meaning asked?  "what are our
 * strategic aims" asks for the list, not for a sentence on them ("Each of our
 * strategic aims will be delivered through ..."); "how will the strategic aims
 * be delivered" asks that sentence.
 */
static bool
names_listed_goals(const struct query *q, size_t i)
{
    const char *label = q->kb->goals_label;

    if (q->kb->ngoals == 0 || label == NULL || label[0] == '\0' ||
        !kbar_contains_word(label, q->w[i].surface) ||
        !kbar_contains_word(label, q->w[i + 1].surface))
        return false;
    for (size_t k = 0; k < q->n; k++) {
        if (k != i && k != i + 1 && q->content[k] && !q->aside[k])
            return false;
    }
    return true;
}

bool
kbaf_answer_defined(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    const unsigned topic = W_VALUES | W_GOALS | W_STATEMENT;
    const unsigned not_mod = topic | W_GOAL_VERB | W_SUMMARY | W_INJECTION;

    if (kbam_goal_number(q) != 0)
        return false;
    for (size_t i = 0; i + 1 < q->n; i++) {
        if (q->aside[i] || q->stop[i] || (q->flags[i] & not_mod) ||
            !(q->flags[i + 1] & topic) || (q->cls[i] & KBAWC_QWORD) ||
            kbar_is_number_word(q->w[i].surface) || names_listed_goals(q, i))
            continue;
        for (size_t p = 0; p < q->kb->npassages; p++) {
            if (defines(kba_tokens(e, q->kb->passages[p].text), q->w[i].stem,
                        q->w[i + 1].stem)) {
                a->intent = KB_INTENT_FACT;
                a->answered = true;
                a->confidence = 0.85;
                add_ref(a, KB_DOC_PASSAGE, p, 0);
                return true;
            }
        }
    }
    return false;
}

/* Is @stem the kind of list @q asks for: its own word, or for goals any word of goals? */
static bool
names_asked_list(struct kb_engine *e, const struct query *q, const char *stem,
                 unsigned want)
{
    unsigned f = kbar_topic_flags(e, stem);

    /* "priorities" are goals by another name; "principles" are not the "values" */
    if (want == W_GOALS)
        return (f & W_GOALS) != 0;
    for (size_t i = 0; i < q->n; i++) {
        if ((q->flags[i] & want) && strcmp(q->w[i].stem, stem) == 0)
            return true;
    }
    return false;
}

/*
 * Does passage @p name the kind of list asked for (names_asked_list()) after a
 * number ("three overall priorities") or as a lead-in ending in ':'?
 */
static bool
leads_in(struct kb_engine *e, const struct query *q, size_t p, unsigned want)
{
    const struct kb *kb = q->kb;
    const char *text = kb->passages[p].text;
    const struct tokens *t = kba_tokens(e, text);
    size_t len = strlen(text);

    for (size_t k = 0; k < t->n; k++) {
        if (!names_asked_list(e, q, t->w[k].stem, want))
            continue;
        if (len > 0 && text[len - 1] == ':')
            return true;
        for (size_t b = k >= 3 ? k - 3 : 0; b < k; b++) {
            if (kbar_is_number_word(t->w[b].surface) ||
                isdigit((unsigned char)t->w[b].surface[0]))
                return true;
        }
    }
    return false;
}

/*
 * Short passages on the lines after passage @p: the items of the list it leads
 * in.  After a count with no colon ("We have four core values which ..."), a
 * line of two sentences or more is a paragraph of prose, which ends the list.
 */
static size_t
list_after(struct kb_engine *e, const struct kb *kb, size_t p, size_t *items, size_t max)
{
    size_t n = 0, line = kb->passages[p].line, k = p + 1,
           len = strlen(kb->passages[p].text);
    bool colon = len > 0 && kb->passages[p].text[len - 1] == ':';

    while (k < kb->npassages && kb->passages[k].line == line)
        k++; /* the lead-in's own paragraph */
    for (; k < kb->npassages && n < max; k++) {
        const struct kb_passage *ps = &kb->passages[k];

        if (ps->line <= line || ps->line > line + LIST_GAP ||
            kba_tokens(e, ps->text)->n > LIST_ITEM_WORDS ||
            (!colon && k + 1 < kb->npassages && kb->passages[k + 1].line == ps->line))
            break;
        items[n++] = k;
        line = ps->line;
    }
    return n;
}

bool
kbaf_answer_listed_in_passages(struct kb_engine *e, const struct query *q,
                               struct kb_answer *a)
{
    unsigned want = a->intent == KB_INTENT_VALUES ? W_VALUES : W_GOALS;
    size_t items[KB_ANSWER_MAX_REFS - 1];

    if (!(a->intent == KB_INTENT_VALUES && q->kb->nvalues == 0) &&
        !(a->intent == KB_INTENT_GOALS && q->kb->ngoals == 0))
        return false;
    for (size_t p = 0; p < q->kb->npassages; p++) {
        size_t n;

        if (!leads_in(e, q, p, want))
            continue;
        n = list_after(e, q->kb, p, items, sizeof(items) / sizeof(items[0]));
        if (n < 2)
            continue;
        kbapr_quote_passages(a, p, 1);
        for (size_t k = 0; k < n; k++)
            add_ref(a, KB_DOC_PASSAGE, items[k], 0);
        return true;
    }
    return false;
}
