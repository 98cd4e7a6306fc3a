/*
 * kb_answer_frame.c - what a question asks for by its shape, not by a topic
 * word: a yes/no on how many values or goals there are ("are there 4 goals?"),
 * and a statement asked for by what it does rather than by its name.  A
 * mission says what the organisation is for ("what is the trust here to
 * do?"); a vision, what it wants to become ("what are we aiming to
 * become?", "what future are we working toward?").  Prefix kbaq_.
 */
#include "bot/kb/kb_answer_int.h"

#include <ctype.h>
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_lex.h"

/* At most this many words between the organisation and what it is said to be for. */
#define FRAME_GAP 3
/* A place a passage names by a noun comes at most this many words after "in", "at". */
/* A quoted phrase of more words than this is no phrase of a statement looked for. */
#define QUOTE_MAX 16

/* Does a clause of @q open with an auxiliary, as a yes/no question does? */
static bool
opens_yes_no(const struct query *q)
{
    static const char *const aux[] = {"is",  "are",  "do",  "does", "did",
                                      "was", "were", "has", "have", NULL};

    for (size_t i = 0; i < q->n; i++) {
        if (!q->aside[i] && q->clause_start[i] && in_list(q->w[i].surface, aux))
            return true;
    }
    return false;
}

/*
 * Is word @i of @q no more than the frame of a count: a stop word, a topic
 * word, the number, the organisation's or strategy's name, or "true"/"right"
 * ("is it true we have ...")?
 */
static bool
frame_word(const struct query *q, size_t i)
{
    const char *w = q->w[i].surface;

    return q->aside[i] || !q->content[i] || q->flags[i] != 0 || kbar_is_number_word(w) ||
           (w[0] >= '0' && w[0] <= '9') || kbar_names_org(q->kb, w) ||
           kbar_contains_word(q->kb->strategy, w) || kbar_contains_word(q->kb->name, w) ||
           strcmp(w, "true") == 0 || strcmp(w, "right") == 0 || strcmp(w, "correct") == 0;
}

bool
kbaq_answer_count_check(const struct query *q, struct kb_answer *a)
{
    unsigned v = 0;
    int kind = kbas_count_named(q, &v);

    if (kind == 0 || !opens_yes_no(q))
        return false;
    /* "do all 3 values apply to bank staff?" asks about something else. */
    for (size_t i = 0; i < q->n; i++) {
        if (!frame_word(q, i))
            return false;
    }
    a->intent = kind == 1 ? KB_INTENT_COUNT_VALUES : KB_INTENT_COUNT_GOALS;
    a->answered = true;
    a->yes_no = true;
    a->count_asked = v;
    a->confidence = 0.9;
    return true;
}

/* Is word @i of @q the organisation as a subject: "we", "the trust", its name? */
static bool
is_org_subject(const struct query *q, size_t i)
{
    static const char *const words[] = {"we",           "trust",         "organisation",
                                        "organization", "organisations", NULL};
    const char *w = q->w[i].surface;

    if (q->aside[i])
        return false;
    return in_list(w, words) || (!q->stop[i] && kbar_names_org(q->kb, w));
}

/* Is there a word of @list within FRAME_GAP words after word @i of @q? */
static size_t
after(const struct query *q, size_t i, const char *const *list)
{
    for (size_t k = i + 1; k < q->n && k <= i + FRAME_GAP + 1; k++) {
        if (!q->aside[k] && in_list(q->w[k].surface, list))
            return k;
    }
    return SIZE_MAX;
}

unsigned
kbaq_statement_described(const struct query *q)
{
    static const char *const here[] = {"here", "there", "exist", "exists", NULL};
    static const char *const to[] = {"to", "for", NULL};
    static const char *const become[] = {"become", "becoming", NULL};
    static const char *const be[] = {"be", NULL};
    static const char *const want[] = {"want",     "wants",  "aim",      "aims",
                                       "aiming",   "hope",   "hopes",    "aspire",
                                       "aspiring", "strive", "striving", NULL};
    static const char *const toward[] = {"toward", "towards", NULL};
    unsigned kinds = 0;
    bool future = false;

    /* "what ... become?": the statement is the answer; "how do we become ..." asks a way.
     */
    if (strcmp(kbak_first_question_word(q), "what") != 0)
        return 0;

    for (size_t i = 0; i < q->n; i++)
        future = future || (!q->aside[i] && strcmp(q->w[i].surface, "future") == 0);
    for (size_t i = 0; i < q->n; i++) {
        size_t k;

        if (!is_org_subject(q, i))
            continue;
        /* "what is the trust here to do?", "why do we exist", "what are we for?" */
        if ((k = after(q, i, here)) != SIZE_MAX &&
            (k + 1 == q->n || in_list(q->w[k + 1].surface, to)))
            kinds |= KBAQ_MISSION;
        if (i + 2 == q->n && strcmp(q->w[i + 1].surface, "for") == 0 &&
            strcmp(q->w[0].surface, "what") == 0)
            kinds |= KBAQ_MISSION;
        /* "what are we aiming to become?", "what do we want to be known for?" */
        if (after(q, i, become) != SIZE_MAX ||
            ((k = after(q, i, want)) != SIZE_MAX && after(q, k, be) == k + 2))
            kinds |= KBAQ_VISION;
        /* "what future are we working toward?" */
        if (future && after(q, i, toward) != SIZE_MAX)
            kinds |= KBAQ_VISION;
    }
    return kinds;
}

bool
kbaq_is_participle(const char *w)
{
    const struct kb_lex_word *lw = kb_lex_find(w);
    size_t n = strlen(w);

    /* "refreshed", "updated": a verb's form or an adjective in -ed, seldom a noun. */
    return lw != NULL && n > 4 && strcmp(w + n - 2, "ed") == 0 && lw->noun < 50;
}

bool
kbaq_answer_statement_fact(struct kb_engine *e, const struct query *q,
                           struct kb_answer *a)
{
    size_t wterms[MAX_WORDS], nw = 0;
    struct query *wq = (struct query *)q; /* term_word is the passages' scratch */

    if (!kbak_asks_for_type(q) || strcmp(kbak_first_question_word(q), "why") == 0)
        return false;
    /* The statement's word is one to find: "the vision" in "shaped our vision". */
    for (size_t i = 0; i < q->n && nw < MAX_WORDS; i++) {
        if (!q->stop[i] && !q->aside[i] && !kbar_names_org(q->kb, q->w[i].surface)) {
            wq->term_word[nw] = i;
            wterms[nw++] = kb_index_term(q->idx, q->w[i].stem);
        }
    }
    if (nw == 0)
        return false;
    wq->path = KBA_PATH_WHEN;
    kbap_answer_passages(e, q, wterms, nw, a);
    return true;
}

/* Is there a quote mark at @s?  Its length in bytes in @len (out). */
static bool
quote_at(const unsigned char *s, size_t *len)
{
    if (s[0] == '\'' || s[0] == '"') {
        *len = 1;
        return true;
    }
    /* ‘ ’ “ ” */
    if (s[0] == 0xe2 && s[1] == 0x80 &&
        (s[2] == 0x98 || s[2] == 0x99 || s[2] == 0x9c || s[2] == 0x9d)) {
        *len = 3;
        return true;
    }
    return false;
}

bool
kbaq_answer_quoted_statement(struct kb_engine *e, const struct query *q,
                             struct kb_answer *a)
{
    const unsigned char *s = (const unsigned char *)q->raw;
    const struct kb_text *st[2] = {&q->kb->mission, &q->kb->vision};
    const enum kb_doc_kind kind[2] = {KB_DOC_MISSION, KB_DOC_VISION};

    for (size_t i = 0; s[i]; i++) {
        size_t ql, cl;

        if (!quote_at(s + i, &ql) || (i > 0 && isalnum(s[i - 1])) || !isalpha(s[i + ql]))
            continue;
        for (size_t j = i + ql; s[j]; j++) {
            struct kb_word w[QUOTE_MAX];
            size_t n;

            if (!quote_at(s + j, &cl) || !isalnum(s[j - 1]) || isalnum(s[j + cl]))
                continue;
            n = kb_text_words(e->text, q->raw + i + ql, j - i - ql, w, QUOTE_MAX);
            for (size_t k = 0; k < 2 && n >= 2 && n < QUOTE_MAX; k++) {
                if (st[k]->text != NULL && kbas_text_has_run(e, st[k]->text, w, n)) {
                    a->intent = KB_INTENT_STATEMENT;
                    a->answered = true;
                    a->confidence = 0.9;
                    add_ref(a, kind[k], 0, 0);
                    return true;
                }
            }
            i = j + cl - 1;
            break;
        }
    }
    return false;
}
