/*
 * kb_answer_amount.c - a sum of money asked for, which only a figure answers.
 *
 * "what's the budget for goal 3", "how much will the new unit cost": the
 * question asks for a sum.  A goal that only speaks of money ("balance our
 * budget every year") or a passage on the unit ("will open in 2027") shares
 * the question's words but does not say how much: quoting it reads as the
 * answer, and staff would take it for one.  Money is a kind of answer, as a
 * person or a place is: the lexicon marks the nouns whose uses are mostly a
 * sum, a price, a fund or a spending (KB_LEX_MONEY, from WordNet), and a reply
 * to such a question must state a figure, or the bot declines.
 */
#include "bot/kb/kb_answer_int.h"

#include <ctype.h>
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_lex.h"

/* A money word used at least this per cent as a noun ("cost" 63; "take", "fine": 0, 1).
 */
#define MONEY_NOUN 50

/* Is question word @i a money noun (KB_LEX_MONEY, mostly a noun)? */
static bool
is_money_word(const struct query *q, size_t i)
{
    const struct kb_lex_word *lw = q->lex[i];

    return lw != NULL && (lw->cls & KB_LEX_MONEY) && lw->noun >= MONEY_NOUN;
}

/*
 * Does the question say "how much" of a thing (not "by how much", the size of
 * a change: "by how much are we cutting agency spending" wants a share)?
 */
static bool
says_how_much(const struct query *q)
{
    for (size_t i = 0; i + 1 < q->n; i++) {
        if (!q->aside[i] && strcmp(q->w[i].surface, "how") == 0 &&
            strcmp(q->w[i + 1].surface, "much") == 0)
            return i == 0 || strcmp(q->w[i - 1].surface, "by") != 0;
    }
    return false;
}

bool
kbamt_is_sum_noun(const struct query *q, size_t i)
{
    return i < q->n && i == kbak_asked_noun(q) && !q->aside[i] && is_money_word(q, i);
}

bool
kbamt_asks_sum(const struct query *q)
{
    size_t at = kbak_asked_noun(q);
    bool how_much = says_how_much(q);

    if (kbamt_is_sum_noun(q, at))
        return true;
    for (size_t i = 0; how_much && i < q->n; i++) {
        if (!q->aside[i] && !q->stop[i] && is_money_word(q, i))
            return true;
    }
    return false;
}

/* Does the word at @p (after spaces) name money or its scale ("m", "pounds")? */
static bool
money_unit_at(const char *p)
{
    static const char *const units[] = {"m",       "bn",     "k",       "million",
                                        "billion", "pound",  "pounds",  "euro",
                                        "euros",   "dollar", "dollars", NULL};
    char w[16];
    size_t n = 0;

    while (*p == ' ')
        p++;
    while (isalpha((unsigned char)p[n]) && n + 1 < sizeof(w)) {
        w[n] = (char)tolower((unsigned char)p[n]);
        n++;
    }
    w[n] = '\0';
    for (size_t k = 0; n > 0 && units[k] != NULL; k++) {
        if (strcmp(w, units[k]) == 0)
            return true;
    }
    return false;
}

bool
kbamt_text_has_sum(const char *s)
{
    for (const char *p = s; *p; p++) {
        /* £ and € in UTF-8, or a dollar sign. */
        if (*p == '$' || strncmp(p, "\xc2\xa3", 2) == 0 ||
            strncmp(p, "\xe2\x82\xac", 3) == 0)
            return true;
        /* A figure with a unit of money: "4.5 million pounds", "20m", "300k". */
        if (isdigit((unsigned char)*p) && (p == s || !isalnum((unsigned char)p[-1])) &&
            !kbak_is_year_at(p, s)) {
            const char *e = p;

            while (isdigit((unsigned char)*e) || *e == ',' ||
                   (*e == '.' && isdigit((unsigned char)e[1])))
                e++;
            if (money_unit_at(e))
                return true;
        }
    }
    /* "two million pounds", "a billion": a scale of money said in words. */
    return kbar_contains_word(s, "million") || kbar_contains_word(s, "billion");
}

/* Does the item @r points to state a sum anywhere? */
static bool
ref_has_sum(const struct kb *kb, const struct kb_doc_ref *r)
{
    switch (r->kind) {
    case KB_DOC_GOAL: {
        const struct kb_goal *g = &kb->goals[r->item];

        if (kbamt_text_has_sum(g->title) || kbamt_text_has_sum(g->description))
            return true;
        for (size_t k = 0; k < g->npoints; k++) {
            if (kbamt_text_has_sum(g->points[k].text))
                return true;
        }
        return false;
    }
    case KB_DOC_PASSAGE:
        return kbamt_text_has_sum(kb->passages[r->item].text);
    default:
        return true; /* values and statements: not this check's to judge */
    }
}

void
kbamt_decline_unstated_sum(const struct query *q, struct kb_answer *a)
{
    if (!a->answered || a->nrefs == 0 || !kbamt_asks_sum(q))
        return;
    if (a->intent != KB_INTENT_GOAL && a->intent != KB_INTENT_FACT &&
        a->intent != KB_INTENT_CLARIFY)
        return;
    for (size_t i = 0; i < a->nrefs; i++) {
        if (ref_has_sum(q->kb, &a->refs[i]))
            return;
    }
    /* One goal asked of: shown, saying it gives no figure (compose.c). */
    if (a->intent == KB_INTENT_GOAL && a->nrefs == 1) {
        a->answered = false;
        return;
    }
    a->intent = KB_INTENT_OUT_OF_SCOPE;
    a->answered = false;
    a->nrefs = 0;
    a->heading = false;
    a->related = false;
}
