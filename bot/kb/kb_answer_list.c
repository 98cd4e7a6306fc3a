/*
 * kb_answer_list.c - lists a page names besides its goals and values.
 *
 * Pages name more lists than the goals and values `kb build` takes: "Our
 * five enablers" under the pillars, "Corporate objectives for 2025/26" under
 * the strategic objectives, "four enabling plans: ...", "a series of bold
 * goals" that the page never lists.  A question asking for the items of such
 * a list ("what are this year's corporate objectives", "how many enablers",
 * "how many bold goals") names it by a noun phrase the page writes too; the
 * goals are no answer to it, however close their words.  The phrase is found
 * by the question's form (the words between its stop words, after "how many"
 * or "what are") and the KB's structure (a heading, a lead-in before a colon,
 * a number before the phrase), never by listed phrases:
 *   - a heading holding the phrase, over passages that are not the KB's own
 *     items: its passages, under the heading (which may hold the count);
 *   - a passage counting the phrase ("four enabling plans") or leading a list
 *     in with it ("enabling plans:"): that passage and the items after it;
 *   - a phrase of the goals' or values' kind ("bold goals") the page only
 *     mentions: a decline, quoting what the page does say of it.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer_int.h"
#include "bot/kb/kb_lex.h"
#include "bot/kb/kb_text.h"

/* Passages quoted from a list's section, at most: a page's list, not its text. */
#define LIST_MAX 12

/* A plural noun ("goals", "priorities"): a list asked for, not one thing ("the aim"). */
static bool
is_plural(const char *w)
{
    size_t n = strlen(w);

    return n > 3 && w[n - 1] == 's' && w[n - 2] != 's';
}

/*
 * Does the question ask for the items of a list ("what are the ...", "what
 * were ...", "list the ...") or their count ("how many ...")?  "what does the
 * people plan say" asks what a part says, not for a list.
 */
static bool
asks_items(const struct query *q, bool *count)
{
    *count = has_phrase(q, "how", "many") || has_phrase(q, "number", "of");
    if (*count)
        return true;
    if (q->n > 0 &&
        (strcmp(q->w[0].surface, "list") == 0 || strcmp(q->w[0].surface, "name") == 0))
        return true;
    for (size_t i = 0; i < q->n; i++) {
        if (q->aside[i] || !(q->cls[i] & KBAWC_QWORD))
            continue;
        if (strcmp(q->w[i].surface, "whats") == 0)
            return true; /* "whats our enablers": the phrase must be plural too */
        return strcmp(q->w[i].surface, "what") == 0 && i + 1 < q->n &&
               (strcmp(q->w[i + 1].surface, "are") == 0 ||
                strcmp(q->w[i + 1].surface, "were") == 0);
    }
    return false;
}

/* Does the stop word at @k join the words around it into one phrase ("measures of
 * success", "well being objectives")? */
static bool
joins_phrase(const struct query *q, size_t k, size_t start)
{
    size_t n = strlen(q->w[k].surface);

    return k > start && k + 1 < q->n && !q->stop[k + 1] && !q->aside[k + 1] &&
           (strcmp(q->w[k].surface, "of") == 0 ||
            (n > 4 && strcmp(q->w[k].surface + n - 3, "ing") == 0));
}

/*
 * Is @w (folded) used as a noun a third of the time or more (WordNet: "plans"
 * 47%, "total" 20%, "under" 0), or unknown to English (a name)?  At a phrase's
 * end after its modifiers, such a word is its head.
 */
static bool
is_noun(const char *w)
{
    const struct kb_lex_word *lw = kb_lex_find(w);

    return lw == NULL || lw->noun >= 33;
}

/* A word that says how it is asked, not what ("many", "under", "total", "new"). */
static bool
is_frame_word(const struct query *q, size_t k)
{
    return (q->flags[k] & W_GENERIC) && !(q->flags[k] & (W_GOALS | W_VALUES));
}

/*
 * The noun phrase asked for: the first run of words between stop words (an
 * "of" or an "-ing" inside it kept: "measures of success", "well being
 * objectives"), without the words of the asking frame at its ends ("how many
 * ...", "... under"), that holds a content word, in [*start, *end).  "what
 * are the bold goals for?" asks what they are for, not for them: a run
 * followed only by a preposition sets *purpose (out).
 */
static bool
phrase_asked(const struct query *q, size_t *start, size_t *end, bool *purpose)
{
    for (size_t i = 0; i < q->n; i++) {
        size_t k = i, s = i, e;
        bool content = false;

        if (q->stop[i] || q->aside[i])
            continue;
        while (k < q->n && !q->aside[k] && (!q->stop[k] || joins_phrase(q, k, i))) {
            /* "... goals under people": a frame word after the phrase ends it. */
            if (k > i && is_frame_word(q, k) && !is_frame_word(q, k - 1) &&
                !is_noun(q->w[k].surface))
                break;
            k++;
        }
        e = k;
        while (s < e && is_frame_word(q, s))
            s++;
        /* Not a noun that heads the phrase: "the enabling plans". */
        while (e > s && is_frame_word(q, e - 1) && !is_noun(q->w[e - 1].surface))
            e--;
        for (size_t j = s; j < e; j++)
            content = content || q->content[j];
        if (s == e) {
            i = k;
            continue; /* "how many": the frame alone */
        }
        /* The first phrase is the one asked for: "the big goals in the next chapter"
         * asks for goals. */
        if (!content)
            return false;
        *purpose = k + 1 == q->n && (strcmp(q->w[k].surface, "for") == 0 ||
                                     strcmp(q->w[k].surface, "about") == 0);
        *start = s;
        *end = e;
        return true;
    }
    return false;
}

/* Is token @j the two before it written as one ("well-being": well, being, wellbeing)? */
static bool
is_compound(const struct tokens *t, size_t j)
{
    size_t n;

    if (j < 2)
        return false;
    n = strlen(t->w[j - 2].surface);
    return strncmp(t->w[j].surface, t->w[j - 2].surface, n) == 0 &&
           strcmp(t->w[j].surface + n, t->w[j - 1].surface) == 0;
}

/* Does @t hold the stems of @q's words [s, e) in a row, from token *at (out)? */
static bool
tokens_hold(const struct query *q, size_t s, size_t e, const struct tokens *t,
            bool skip_stop, size_t *at)
{
    for (size_t k = 0; k < t->n; k++) {
        size_t j = k, i = s;

        while (i < e && j < t->n) {
            if (skip_stop &&
                (kb_text_is_stopword(t->w[j].surface) || is_compound(t, j)) &&
                strcmp(t->w[j].stem, q->w[i].stem) != 0) {
                j++;
                continue;
            }
            if (strcmp(t->w[j].stem, q->w[i].stem) != 0)
                break;
            i++;
            j++;
        }
        if (i == e) {
            *at = k;
            return true;
        }
    }
    return false;
}

/* Does @text start with @item (case folded), an item of the KB's own? */
static bool
starts_with(const char *text, const char *item)
{
    size_t n = strlen(item);

    if (n == 0)
        return false;
    if (n > 40)
        n = 40; /* a long title's start names it */
    return strncasecmp(text, item, n) == 0;
}

/* What a section's passages state of the KB's own items. */
enum held { HELD_NONE, HELD_GOALS, HELD_VALUES, HELD_OTHER };

/* Does a passage under @section state one of the KB's goals, values or statements? */
static enum held
section_holds_items(const struct kb *kb, const char *section)
{
    for (size_t p = 0; p < kb->npassages; p++) {
        const char *t = kb->passages[p].text;

        if (strcmp(kb->passages[p].section, section) != 0)
            continue;
        for (size_t g = 0; g < kb->ngoals; g++) {
            if (starts_with(t, kb->goals[g].title) || strstr(t, kb->goals[g].title))
                return HELD_GOALS;
        }
        for (size_t v = 0; v < kb->nvalues; v++) {
            if (starts_with(t, kb->values[v].name))
                return HELD_VALUES;
        }
        for (size_t m = 0; m < kb->nambitions; m++) {
            if (starts_with(t, kb->ambitions[m].text))
                return HELD_OTHER;
        }
        if ((kb->mission.text && starts_with(t, kb->mission.text)) ||
            (kb->vision.text && starts_with(t, kb->vision.text)))
            return HELD_OTHER;
    }
    return HELD_NONE;
}

/* Does the phrase hold only words of what the KB calls its goals ("strategic aims")? */
static bool
is_goals_label(const struct query *q, size_t s, size_t end)
{
    for (size_t i = s; i < end; i++) {
        if (q->stop[i] || !q->content[i])
            continue;
        if (!kbar_contains_word(q->kb->goals_label, q->w[i].surface))
            return false;
    }
    return true;
}

/* Is passage @p under the heading of the one before (each heading is read once)? */
static bool
same_section(const struct kb *kb, size_t p)
{
    return p > 0 && strcmp(kb->passages[p].section, kb->passages[p - 1].section) == 0;
}

/* A number that counts ("nine", "12"), not a year ("the 2025 objectives"). */
static bool
is_count_word(const char *w)
{
    return kbar_is_number_word(w) && !(isdigit((unsigned char)w[0]) && strlen(w) == 4);
}

/*
 * The first passage under @section giving a number right before the head @h
 * of the phrase ("the nine objectives below"); SIZE_MAX none.
 */
static size_t
section_count(struct kb_engine *e, const struct query *q, size_t h, const char *section)
{
    const struct kb *kb = q->kb;

    for (size_t p = 0; p < kb->npassages; p++) {
        const struct tokens *t;

        if (strcmp(kb->passages[p].section, section) != 0)
            continue;
        t = kba_tokens(e, kb->passages[p].text);
        for (size_t k = 1; k < t->n; k++) {
            if (strcmp(t->w[k].stem, q->w[h].stem) == 0 &&
                is_count_word(t->w[k - 1].surface))
                return p;
        }
    }
    return SIZE_MAX;
}

/* Quotes the passages under @section, in order; returns how many. */
static size_t
quote_section(const struct kb *kb, const char *section, struct kb_answer *a)
{
    size_t n = 0;

    for (size_t p = 0; p < kb->npassages && n < LIST_MAX; p++) {
        if (strcmp(kb->passages[p].section, section) == 0) {
            add_ref(a, KB_DOC_PASSAGE, p, 0);
            n++;
        }
    }
    return n;
}

/*
 * Does @p give the phrase at token @at..@at+@len a count (a number at most two
 * words before: "four enabling plans", "our five enablers") or lead a list
 * in with it ("enabling plans:")?
 */
static bool
passage_lists(const struct tokens *t, size_t at, size_t len, const char *text, bool *lead)
{
    const char *c;

    *lead = false;
    /* "four enabling plans", not "at least one corporate objective". */
    for (size_t j = at > 2 ? at - 2 : 0;
         at + len <= t->n && is_plural(t->w[at + len - 1].surface) && j < at; j++) {
        if (is_count_word(t->w[j].surface))
            return true;
    }
    /* The phrase's last two words, then a colon: the items follow ("enabling
     * plans:", not "Strategic objective:" for "corporate objectives"). */
    if (len >= 2 && at + len <= t->n) {
        char last[2 * KB_WORD_MAX + 2];

        snprintf(last, sizeof(last), "%s %s", t->w[at + len - 2].surface,
                 t->w[at + len - 1].surface);
        for (c = strchr(text, ':'); c != NULL; c = strchr(c + 1, ':')) {
            size_t n = strlen(last);
            const char *w = c;

            /* "plans:", "plans):", not "objective 2025/26:" */
            while (w > text && (w[-1] == ' ' || w[-1] == ')' || w[-1] == '"'))
                w--;
            if ((size_t)(w - text) >= n && strncasecmp(w - n, last, n) == 0) {
                *lead = c[1] == '\0' || c[strspn(c + 1, " ") + 1] == '\0';
                return true;
            }
        }
    }
    return false;
}

bool
kbali_answer_other_list(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    const struct kb *kb = q->kb;
    size_t s, end, at;
    bool count, kinded, purpose;

    if (kb->npassages == 0 || !asks_items(q, &count) ||
        !phrase_asked(q, &s, &end, &purpose))
        return false;
    /* A list's items are asked for by a plural ("the enablers"); a count by any. */
    if (!count && !is_plural(q->w[end - 1].surface))
        return false;
    /* The goals' own name ("what are our strategic aims") is the goals. */
    if (is_goals_label(q, s, end))
        return false;
    for (size_t i = s; i < end; i++) {
        /* "what year", the strategy's or the trust's name: no list's words. */
        if (kbak_is_type_noun(q, i) || kbar_names_org(kb, q->w[i].surface) ||
            (!q->stop[i] && kbar_contains_word(kb->strategy, q->w[i].surface)))
            return false;
    }
    /* A page has one list of values: "the HEART values" are ours. */
    if (q->flags[end - 1] & W_VALUES)
        return false;
    kinded = end - s >= 2 && (q->flags[end - 1] & (W_GOALS | W_VALUES)) &&
             is_plural(q->w[end - 1].surface);
    /*
     * "what are the bold goals for?": what the page says of a list of the goals'
     * kind it only mentions ("a series of bold goals ... to keep us on track").
     */
    if (purpose) {
        for (size_t p = 0; kinded && p < kb->npassages; p++) {
            if (!tokens_hold(q, s, end, kba_tokens(e, kb->passages[p].text), false, &at))
                continue;
            a->intent = KB_INTENT_FACT;
            a->answered = true;
            a->confidence = 0.8;
            add_ref(a, KB_DOC_PASSAGE, p, 0);
            return true;
        }
        return false;
    }
    /*
     * The heading over the goals (or values) in the question's words ("how many
     * well being objectives" under "Our well-being objectives"): they are asked.
     */
    for (size_t p = 0; p < kb->npassages; p++) {
        const char *sec = kb->passages[p].section;
        enum held h;

        if (sec[0] == '\0' || same_section(kb, p) ||
            !tokens_hold(q, s, end, kba_tokens(e, sec), true, &at))
            continue;
        h = section_holds_items(kb, sec);
        if (h == HELD_OTHER || (h == HELD_GOALS && kb->ngoals == 0) ||
            (h == HELD_VALUES && kb->nvalues == 0))
            return false;
        if (h == HELD_NONE)
            continue;
        a->intent = h == HELD_GOALS ? (count ? KB_INTENT_COUNT_GOALS : KB_INTENT_GOALS)
                                    : (count ? KB_INTENT_COUNT_VALUES : KB_INTENT_VALUES);
        a->answered = true;
        a->confidence = 0.9;
        return true;
    }
    /* Modifiers dropped from the front, the head kept: "this years corporate
     * objectives" is the "Corporate objectives" heading. */
    for (size_t from = s; from < end; from++) {
        bool content = false;

        for (size_t i = from; i < end; i++)
            content = content || q->content[i];
        if (!content)
            break;
        for (size_t p = 0; p < kb->npassages; p++) {
            const char *sec = kb->passages[p].section;
            const struct tokens *t;

            if (sec[0] == '\0' || same_section(kb, p))
                continue;
            t = kba_tokens(e, sec);
            if (!tokens_hold(q, from, end, t, true, &at) ||
                section_holds_items(kb, sec) != HELD_NONE)
                continue;
            /* A count is in the heading ("Our five enablers") or under it ("the
             * nine objectives below"), or not here. */
            if (count && !(at > 0 && kbar_is_number_word(t->w[at - 1].surface))) {
                size_t c = section_count(e, q, end - 1, sec);

                if (c == SIZE_MAX)
                    continue;
                a->intent = KB_INTENT_FACT;
                a->answered = true;
                a->heading = true;
                a->confidence = 0.85;
                add_ref(a, KB_DOC_PASSAGE, c, 0);
                return true;
            }
            a->intent = KB_INTENT_FACT;
            a->answered = true;
            a->heading = true;
            a->confidence = 0.85;
            quote_section(kb, sec, a);
            return true;
        }
    }
    for (size_t p = 0; p < kb->npassages; p++) {
        const struct tokens *t = kba_tokens(e, kb->passages[p].text);
        bool lead;

        /* Of two words or more: one ("staff", "people") is counted the usual way. */
        if (end - s < 2 || !tokens_hold(q, s, end, t, false, &at) ||
            !passage_lists(t, at, end - s, kb->passages[p].text, &lead))
            continue;
        a->intent = KB_INTENT_FACT;
        a->answered = true;
        a->confidence = 0.85;
        add_ref(a, KB_DOC_PASSAGE, p, 0);
        /* "Our enabling plans are:" then the plans, one a passage. */
        for (size_t k = p + 1;
             lead && k < kb->npassages && a->nrefs < LIST_MAX &&
             strcmp(kb->passages[k].section, kb->passages[p].section) == 0;
             k++)
            add_ref(a, KB_DOC_PASSAGE, k, 0);
        return true;
    }
    /*
     * "how many bold goals", "what are the bold goals under our colleagues": a
     * list of the goals' or values' kind, of two words or more, that the page
     * mentions and never gives is not the KB's goals.  Unless a passage counts
     * it the usual way ("six of its sites"): the passages then answer.  Plural:
     * "the fundamental aim" is one thing, which the page may well define.
     */
    if (!kinded)
        return false;
    for (size_t p = 0; p < kb->npassages; p++) {
        const struct tokens *t = kba_tokens(e, kb->passages[p].text);

        if (!tokens_hold(q, s, end, t, false, &at))
            continue;
        if (count && kbak_counts_thing(q, t))
            return false;
        a->intent = KB_INTENT_OUT_OF_SCOPE;
        a->answered = false;
        a->confidence = 0.8;
        add_ref(a, KB_DOC_PASSAGE, p, 0);
        return true;
    }
    return false;
}
