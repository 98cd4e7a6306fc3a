/*
 * kb_answer_cover.c - does the strategy cover what a declined question asks
 * about at all?  "Where do I park?", "when is payday?": a thing the strategy
 * never touches, so the decline says it doesn't cover that, not that it
 * doesn't say (a fact about its own subject that the page leaves out).
 */
#include "bot/kb/kb_answer_int.h"

#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_index.h"
#include "bot/kb/kb_lex.h"
#include "bot/kb/kb_related.h"
#include "bot/kb/kb_text.h"

/* A KB word this close in meaning to a question word keeps it the strategy's subject. */
#define COVER_MEANING_MIN 0.2

/* A word used as a noun at least this often (per cent) names a thing. */
#define COVER_NOUN_MIN 50

/* The topic lists that name a part of the strategy. */
#define COVER_PARTS                                                                      \
    (W_VALUES | W_GOALS | W_GOAL_VERB | W_SUMMARY | W_STATEMENT | W_INJECTION)

/* Is @w a word the KB uses, a misspelling of one, or close in meaning to one? */
static bool
near_kb(const struct query *q, const struct kb_word *w)
{
    struct kb_related_profile p;
    size_t n;

    if (kbas_word_is_ours(q, w) || kb_index_correct(q->idx, w->surface) != NULL)
        return true;
    n = kb_related_profile(w->surface, COVER_MEANING_MIN, &p);
    for (size_t r = 0; r < n; r++) {
        /* A number or a word of no content is no subject ("month": twelve). */
        if (kbar_is_number_word(p.lemma[r]) || kb_text_is_stopword(p.lemma[r]))
            continue;
        if (kb_index_knows_word(q->idx, p.lemma[r]))
            return true;
    }
    return false;
}

/* Does @w name the organisation: "we", "our", its id or a word of its name? */
static bool
names_us(const struct query *q, const struct kb_word *w)
{
    static const char *const we[] = {"we", "our", "us", "ours", "ourselves", NULL};
    /* Words an organisation's name ends in, some of them stop words elsewhere. */
    static const char *const org_nouns[] = {
        "trust", "nhs", "foundation", "hospital", "hospitals", "board", "health", NULL};

    char one[KB_WORD_MAX];
    size_t n = strlen(w->surface);

    /* "the trust's": the possessive folded onto the noun. */
    if (n > 1 && n < KB_WORD_MAX && w->surface[n - 1] == 's') {
        memcpy(one, w->surface, n - 1);
        one[n - 1] = '\0';
        if (in_list(one, org_nouns))
            return true;
    }
    return in_list(w->surface, we) || kbar_names_org(q->kb, w->surface) ||
           in_list(w->surface, org_nouns) ||
           (!kb_text_is_stopword(w->surface) &&
            (kbar_contains_word(q->kb->name, w->surface) ||
             kbar_contains_word(q->kb->short_name, w->surface)));
}

/* Is word @i a noun naming a thing ("canteen", "payday"), not "missing" or "nurse"? */
static bool
is_thing(const struct query *q, size_t i)
{
    /* A person or a role ("the chair") may be named by the strategy: not a thing. */
    if (q->lex[i] != NULL)
        return q->lex[i]->noun >= COVER_NOUN_MIN && !(q->lex[i]->cls & KB_LEX_PERSON);
    return true; /* only WordNet has it: a rarer word, mostly a noun */
}

bool
kbacv_off_topic(const struct query *q)
{
    static const char *const strategy[] = {"strategi", "strateg", "plan", "document",
                                           NULL};
    size_t nthings = 0;

    for (size_t i = 0; i < q->n; i++) {
        const struct kb_word *w = &q->w[i];

        /*
         * The organisation itself ("how many sites does the trust have", "our
         * staff survey score"), here or in a clause around the question ("St
         * Ann's hospital, which town is it in"): its facts are the strategy's
         * subject, which the page may leave out.
         */
        if (names_us(q, w))
            return false;
        if (q->stop[i] || kbar_is_number_word(w->surface))
            continue;
        /* About the strategy or its parts: whatever else it names, ours. */
        if ((q->flags[i] & COVER_PARTS) || in_list(w->stem, strategy))
            return false;
        /* The question's frame ("exactly", "current"). */
        if (q->flags[i] & W_GENERIC)
            continue;
        if (near_kb(q, w))
            return false;
        if (q->aside[i])
            continue;
        /* A name or a word English lacks may be the strategy's: it may not say. */
        if (q->lex[i] == NULL && kb_related_find(w->surface) == KB_RELATED_NONE)
            return false;
        nthings += is_thing(q, i);
    }
    return nthings > 0;
}
