/*
 * kb_answer_section.c - a part of the page the question names by its
 * heading.  Trust pages set out their behaviours and commitments under
 * headings of their own ("We build TRUST", "Attend to others' needs") whose
 * lines `kb build` keeps as passages of that section, not as values or
 * goals.  A question that names such a heading in full ("how do we build
 * trust", "what do we expect when it comes to understanding one another")
 * asks for what stands under it: the section is quoted, under its heading,
 * rather than one line of it or the list of values.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_answer_int.h"
#include "bot/kb/kb_set.h"

/* Passages of one section quoted at most: a heading over more names a chapter. */
#define SECTION_MAX_QUOTED 8

/*
 * One KB's headings, looked at once: the passage starting each run of a
 * section, and a 64-bit mask of the stems its heading holds (stop words
 * aside; one bit per stem by its hash).  A question whose stems' mask lacks a
 * bit of a heading's cannot name every word of it, and the heading is passed
 * over without a look at its words; a heading without a word of its own (mask
 * 0) names nothing.
 */
struct kbase_headings {
    size_t n;
    size_t *first;  /* the run's first passage */
    uint64_t *mask; /* the stems of its heading */
};

static uint64_t
stem_bit(const char *stem)
{
    uint32_t h = 2166136261u; /* FNV-1a */

    for (; *stem; stem++)
        h = (h ^ (unsigned char)*stem) * 16777619u;
    return UINT64_C(1) << (h >> 26);
}

static struct kbase_headings *
headings_build(struct kb_engine *e, const struct kb *kb)
{
    struct kbase_headings *h = xcalloc(1, sizeof(*h));

    h->first = xreallocarray(NULL, kb->npassages + 1, sizeof(*h->first));
    h->mask = xreallocarray(NULL, kb->npassages + 1, sizeof(*h->mask));
    for (size_t p = 0; p < kb->npassages; p++) {
        const char *s = kb->passages[p].section;
        const struct tokens *t;
        uint64_t m = 0;

        if (s[0] == '\0' || (p > 0 && strcmp(s, kb->passages[p - 1].section) == 0))
            continue; /* one look per run of a section */
        t = kba_tokens(e, s);
        for (size_t k = 0; k < t->n; k++) {
            if (!t->stop[k])
                m |= stem_bit(t->w[k].stem);
        }
        if (m == 0)
            continue;
        h->first[h->n] = p;
        h->mask[h->n++] = m;
    }
    return h;
}

/* The headings of @q's KB, looked at on the first question that needs them. */
static const struct kbase_headings *
headings_of(struct kb_engine *e, const struct query *q)
{
    size_t ki = 0;

    while (ki + 1 < kb_set_count(e->set) && kb_set_get(e->set, ki) != q->kb)
        ki++;
    if (e->headings[ki] == NULL)
        e->headings[ki] = headings_build(e, q->kb);
    return e->headings[ki];
}

void
kbase_headings_free(struct kbase_headings *h)
{
    if (h == NULL)
        return;
    free(h->first);
    free(h->mask);
    free(h);
}

/* Does the question (outside its asides) hold a word of stem @stem? */
static bool
query_has_stem(const struct query *q, const char *stem)
{
    for (size_t i = 0; i < q->n; i++) {
        if (!q->aside[i] && strcmp(q->w[i].stem, stem) == 0)
            return true;
    }
    return false;
}

/*
 * Does the question ask for a name, a date, a reason or a number, by its first
 * question word ("when it comes to" is no "when")?
 */
static bool
asks_for_type(const struct query *q)
{
    static const char *const typed[] = {"who",   "whos", "when", "whens",
                                        "where", "why",  NULL};

    return in_list(kbak_first_question_word(q), typed) || has_phrase(q, "how", "many") ||
           has_phrase(q, "how", "much") || has_phrase(q, "how", "long");
}

/* Does passage @p hold a word (not only bars and dashes of a table's empty cells)? */
static bool
passage_has_words(struct kb_engine *e, const struct kb *kb, size_t p)
{
    return kba_tokens(e, kb->passages[p].text)->n > 0;
}

/* Are all the words (stop words aside) of @name in the tokens @t of a heading? */
static bool
heading_holds_name(struct kb_engine *e, const struct tokens *t, const char *name)
{
    const struct tokens *nt = kba_tokens(e, name);
    size_t n = 0;

    for (size_t k = 0; k < nt->n; k++) {
        bool found = false;

        if (nt->stop[k])
            continue;
        for (size_t j = 0; j < t->n && !found; j++)
            found = strcmp(t->w[j].stem, nt->w[k].stem) == 0;
        if (!found)
            return false;
        n++;
    }
    return n > 0;
}

/* Does the heading @t name one of the KB's values or goals ("Compassion")? */
static bool
heading_names_item(struct kb_engine *e, const struct kb *kb, const struct tokens *t)
{
    for (size_t i = 0; i < kb->nvalues; i++) {
        if (heading_holds_name(e, t, kb->values[i].name))
            return true;
    }
    for (size_t i = 0; i < kb->ngoals; i++) {
        if (heading_holds_name(e, t, kb->goals[i].title))
            return true;
    }
    return false;
}

/*
 * How many words of the heading @section the question names, when it names
 * every one of them (stop words aside) and one at least says something of its
 * own: no word of a topic ("values", "vision", "strategy") nor of the
 * organisation's name.  0 when it does not.
 */
static size_t
heading_named(struct kb_engine *e, const struct query *q, const char *section,
              bool *topic)
{
    const struct tokens *t = kba_tokens(e, section);
    size_t n = 0, own = 0;

    *topic = false;
    for (size_t k = 0; k < t->n; k++) {
        unsigned f;

        if (t->stop[k])
            continue;
        if (!query_has_stem(q, t->w[k].stem))
            return 0;
        n++;
        f = kbar_topic_flags(e, t->w[k].stem);
        *topic = *topic || (f & (W_VALUES | W_GOALS));
        if (!(f & (W_VALUES | W_GOALS | W_STATEMENT | W_SUMMARY | W_GENERIC)) &&
            !kbar_names_org(q->kb, t->w[k].surface) &&
            !kbar_is_number_word(t->w[k].surface) &&
            !isdigit((unsigned char)t->w[k].surface[0]))
            own++;
    }
    return own > 0 && !heading_names_item(e, q->kb, t) ? n : 0;
}

/* Is every word the question asks with (stop words, asides, topics aside) in @t? */
static bool
question_within(struct kb_engine *e, const struct query *q, const struct tokens *t)
{
    for (size_t i = 0; i < q->n; i++) {
        bool found = false;

        if (!q->content[i] || q->aside[i] ||
            (kbar_topic_flags(e, q->w[i].stem) & (W_VALUES | W_GOALS)))
            continue;
        for (size_t k = 0; k < t->n && !found; k++)
            found = strcmp(t->w[k].stem, q->w[i].stem) == 0;
        if (!found)
            return false;
    }
    return true;
}

/* Does the section starting at passage @first hold lines of our values or goals? */
static bool
holds_items(const struct kb *kb, size_t first)
{
    for (size_t p = first; p < kb->npassages && strcmp(kb->passages[p].section,
                                                       kb->passages[first].section) == 0;
         p++) {
        unsigned line = kb->passages[p].line;

        for (size_t i = 0; i < kb->nvalues; i++) {
            if (kb->values[i].line == line)
                return true;
        }
        for (size_t i = 0; i < kb->ngoals; i++) {
            if (kb->goals[i].line == line)
                return true;
        }
    }
    return false;
}

/* May the section replace what the policy found (@a)?  Lists, passages, declines
 * of nothing found; never a value, goal or statement named, nor a refusal. */
static bool
answer_gives_way(const struct kb_answer *a)
{
    switch (a->intent) {
    case KB_INTENT_FACT:
    case KB_INTENT_VALUES:
    case KB_INTENT_GOALS:
    case KB_INTENT_SUMMARY:
    case KB_INTENT_CLARIFY:
    case KB_INTENT_OUT_OF_SCOPE:
    case KB_INTENT_NO_VALUES:
    case KB_INTENT_NO_GOALS:
        return true;
    default:
        return false;
    }
}

bool
kbase_answer_named_section(struct kb_engine *e, const struct query *q,
                           struct kb_answer *a)
{
    const struct kb *kb = q->kb;
    const struct kbase_headings *hs;
    size_t best = SIZE_MAX, best_n = 0, n = 0;
    uint64_t qmask = 0;
    bool said = false, topic = false;

    if (!answer_gives_way(a) || asks_for_type(q) || kbak_asks_when_where(q) ||
        kbas_injection_words(q))
        return false;
    hs = headings_of(e, q);
    for (size_t i = 0; i < q->n; i++) {
        if (!q->aside[i])
            qmask |= stem_bit(q->w[i].stem);
    }
    for (size_t i = 0; i < hs->n; i++) {
        size_t m;
        bool t;

        if ((hs->mask[i] & ~qmask) != 0)
            continue; /* a word of the heading the question lacks */
        m = heading_named(e, q, kb->passages[hs->first[i]].section, &t);
        if (m > best_n) {
            best = hs->first[i];
            best_n = m;
            topic = t;
        }
    }
    if (best == SIZE_MAX)
        return false;
    /* "Our well-being objectives", "Our five big moves" over our goals: the list
     * they asked for stays. */
    if ((topic || holds_items(kb, best)) && a->answered &&
        (a->intent == KB_INTENT_VALUES || a->intent == KB_INTENT_GOALS))
        return false;
    for (size_t p = best; p < kb->npassages && !said; p++) {
        if (strcmp(kb->passages[p].section, kb->passages[best].section) != 0)
            break;
        said = passage_has_words(e, kb, p);
    }
    if (!said)
        return false; /* a heading over empty cells says nothing */
    /* A fact asked besides the heading ("the main outcome we want to influence")
     * is answered by the line found for it. */
    if (a->intent == KB_INTENT_FACT && a->answered &&
        !question_within(e, q, kba_tokens(e, kb->passages[best].section)))
        return false;
    a->intent = KB_INTENT_FACT;
    a->answered = true;
    a->yes_no = false;
    a->detail = false;
    a->heading = true;
    a->confidence = 0.8;
    a->nrefs = 0;
    a->nfeatures = 0;
    for (size_t p = best;
         p < kb->npassages && n < SECTION_MAX_QUOTED &&
         strcmp(kb->passages[p].section, kb->passages[best].section) == 0;
         p++) {
        if (passage_has_words(e, kb, p)) {
            add_ref(a, KB_DOC_PASSAGE, p, 0);
            n++;
        }
    }
    return true;
}
