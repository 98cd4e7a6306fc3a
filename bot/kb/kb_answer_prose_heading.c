/*
 * kb_answer_prose_heading.c - a values (goals) question on a KB that lists
 * none, answered with the short passages under a heading that names them
 * ("Our values") or with the sentence that names them after a colon.  Part
 * of kb_answer_prose.c's work (kbapr_ prefix).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer_int.h"

/*
 * Does the heading @section name the list asked for and nothing else ("Our
 * values", "Our values and behaviours"; not "Our vision and values")?
 */
static bool
heading_names_only(struct kb_engine *e, const char *section, unsigned want)
{
    const struct tokens *t = kba_tokens(e, section);
    bool named = false;

    for (size_t k = 0; k < t->n; k++) {
        unsigned f = kbar_topic_flags(e, t->w[k].stem);

        if (kb_text_is_stopword(t->w[k].surface))
            continue;
        if (f & want)
            named = true;
        else if (!(f & W_GENERIC) && strncmp(t->w[k].stem, "behavio", 7) != 0)
            return false;
    }
    return named;
}

/* Are all the words of passage @p (stop words aside) in the question? */
static bool
item_asked(struct kb_engine *e, const struct query *q, size_t p)
{
    const struct tokens *t = kba_tokens(e, q->kb->passages[p].text);
    size_t n = 0;

    for (size_t k = 0; k < t->n; k++) {
        bool asked = false;

        if (kb_text_is_stopword(t->w[k].surface))
            continue;
        for (size_t i = 0; i < q->n && !asked; i++)
            asked = !q->aside[i] && strcmp(q->w[i].stem, t->w[k].stem) == 0;
        if (!asked)
            return false;
        n++;
    }
    return n > 0;
}

/*
 * Does @text end in a list after a colon, "...: Compassion, Accountability,
 * Respect and Excellence.": three or more items of one to four words, each
 * starting with a capital?
 */
static bool
ends_in_inline_list(const char *text)
{
    const char *p = strrchr(text, ':');
    size_t items = 0, words = 0;
    bool start = true;

    if (p == NULL)
        return false;
    for (p++; *p; p++) {
        if (*p == ' ')
            continue;
        if (start && !isupper((unsigned char)*p))
            return false;
        start = false;
        if (*p == ',' || (p[-1] == ' ' && strncmp(p, "and ", 4) == 0) || *p == '.') {
            items += words > 0;
            if (words > 4)
                return false;
            words = 0;
            start = *p != '.';
            if (*p == '.')
                return p[1] == '\0' && items >= 3;
            p += *p == ',' ? 0 : 3;
            continue;
        }
        if (isalpha((unsigned char)*p) && (p[-1] == ' ' || p[-1] == ':'))
            words++;
    }
    items += words > 0;
    return items >= 3 && words <= 4;
}

/*
 * "what are our values", "how many values" on a page that names them only in a
 * sentence `kb build` did not take ("The values are based around four key
 * points: Compassion, Accountability, Respect and Excellence."): that sentence.
 */
static bool
answer_inline_list(struct kb_engine *e, const struct query *q, struct kb_answer *a,
                   unsigned want)
{
    const struct kb *kb = q->kb;

    if (!(a->intent == KB_INTENT_VALUES || a->intent == KB_INTENT_GOALS ||
          a->intent == KB_INTENT_COUNT_VALUES || a->intent == KB_INTENT_COUNT_GOALS))
        return false;
    for (size_t p = 0; p < kb->npassages; p++) {
        const struct tokens *t = kba_tokens(e, kb->passages[p].text);
        bool named = false;

        /* The list asked for by its own word: "principles" are no "values". */
        for (size_t k = 0; k < t->n && !named; k++) {
            for (size_t i = 0; i < q->n && !named; i++)
                named = (q->flags[i] & want) && strcmp(q->w[i].stem, t->w[k].stem) == 0;
        }
        if (!named || !ends_in_inline_list(kb->passages[p].text))
            continue;
        /* "what do our values define": something else than the list is asked. */
        for (size_t i = 0; i < q->n && named; i++) {
            if (q->content[i] && !q->aside[i] && !(q->cls[i] & KBAWC_QWORD))
                named = kbapr_text_has(e, kb->passages[p].text, q->w[i].stem);
        }
        if (!named)
            return false;
        kbapr_quote_passages(a, p, 1);
        return true;
    }
    return false;
}

/*
 * The one sentence with words under the heading whose section starts at
 * passage @first, when it speaks of the list itself (a word of @want: "Our
 * values - Care, Dignity ... - are shown in", "Everything we do is underpinned
 * by our values: people feel ..."): how the page states the list it does not
 * set out.  SIZE_MAX when the section holds more, or says nothing of the list.
 */
static size_t
sole_sentence(struct kb_engine *e, const struct kb *kb, size_t first, unsigned want)
{
    size_t found = SIZE_MAX;

    for (size_t p = first; p < kb->npassages && strcmp(kb->passages[p].section,
                                                       kb->passages[first].section) == 0;
         p++) {
        const struct tokens *t = kba_tokens(e, kb->passages[p].text);
        bool named = false;

        if (t->n == 0)
            continue; /* the bars of a table's empty cells */
        if (found != SIZE_MAX || t->n > 2 * PROSE_ITEM_WORDS)
            return SIZE_MAX;
        for (size_t k = 0; k < t->n && !named; k++)
            named = (kbar_topic_flags(e, t->w[k].stem) & want) != 0;
        if (!named)
            return SIZE_MAX;
        found = p;
    }
    return found;
}

bool
kbapr_answer_under_heading(struct kb_engine *e, const struct query *q,
                           struct kb_answer *a)
{
    const struct kb *kb = q->kb;
    bool values =
        kb->nvalues == 0 &&
        (a->intent == KB_INTENT_VALUES || a->intent == KB_INTENT_VALUE ||
         a->intent == KB_INTENT_VALUE_LOOKUP || a->intent == KB_INTENT_NOT_A_VALUE);
    bool goals =
        kb->ngoals == 0 && (a->intent == KB_INTENT_GOALS || a->intent == KB_INTENT_GOAL ||
                            a->intent == KB_INTENT_NO_SUCH_GOAL);
    bool list = a->intent == KB_INTENT_VALUES || a->intent == KB_INTENT_GOALS;

    if ((kb->nvalues == 0 &&
         (a->intent == KB_INTENT_VALUES || a->intent == KB_INTENT_COUNT_VALUES) &&
         answer_inline_list(e, q, a, W_VALUES)) ||
        (kb->ngoals == 0 &&
         (a->intent == KB_INTENT_GOALS || a->intent == KB_INTENT_COUNT_GOALS) &&
         answer_inline_list(e, q, a, W_GOALS)))
        return true;

    /* The list, or "is building trust one of our behaviours?": an item of it. */
    if (!(values || goals) || (!list && !kbam_asks_yes_no(q)))
        return false;
    for (size_t p = 0; p < kb->npassages; p++) {
        const char *section = kb->passages[p].section;
        size_t first = p, n = 0;

        if (section[0] == '\0' ||
            !heading_names_only(e, section, values ? W_VALUES : W_GOALS))
            continue;
        /* The list itself; its behaviours, which one sentence does not give, are
         * not. */
        if (list && !has_stem(q, (const char *const[]){"behaviour", "behavior", NULL}) &&
            (p = sole_sentence(e, kb, first, values ? W_VALUES : W_GOALS)) != SIZE_MAX) {
            kbapr_quote_passages(a, p, 1);
            return true;
        }
        p = first;
        while (p < kb->npassages && strcmp(kb->passages[p].section, section) == 0) {
            /* Sentences of one paragraph share its line: prose, not a list. */
            if (kba_tokens(e, kb->passages[p].text)->n > PROSE_ITEM_WORDS ||
                (p > first && kb->passages[p].line == kb->passages[p - 1].line))
                return false;
            n++;
            p++;
        }
        if (n < 2 || n > KB_ANSWER_MAX_REFS)
            return false;
        if (list) {
            kbapr_quote_passages(a, first, n);
            return true;
        }
        for (size_t k = first; k < first + n; k++) {
            if (item_asked(e, q, k)) {
                kbapr_quote_passages(a, k, 1);
                return true;
            }
        }
        return false;
    }
    return false;
}
