/*
 * kb_answer_passage.c - facts: the passage that answers a question.
 *
 * Candidates are the search's hits, the sentences they point back to and the
 * sentences under a heading that holds a question word; each is weighed by
 * the share of the question's words it holds, the kind of answer it gives and
 * what the words the KB lacks cost, and the passage model decides.
 */
#include "bot/kb/kb_answer_int.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer_model.h"
#include "bot/kb/kb_answer_quoted.h"
#include "bot/kb/kb_answer_weight.h"
#include "bot/kb/kb_index.h"
#include "bot/kb/kb_lex.h"
#include "bot/kb/kb_rank_int.h"
#include "bot/kb/kb_set.h"
#include "bot/kb/kb_text.h"

/* Confidence kept per question word the KB never uses; in a who/when/how-many question.
 */
#define UNKNOWN_WORD_FACTOR  0.45
#define UNKNOWN_TYPED_FACTOR 0.45
/* A quoted sentence of fewer words brings the next one of its section (dev parts: 8-20).
 */
#define PASSAGE_SHORT 12
/* A second passage is quoted when its confidence is at least this share of the best's. */
#define PASSAGE_SECOND 0.9
/*
 * A light word: one seen at least LEX_LIGHT_COUNT times in WordNet's tagged
 * corpus, under LEX_LIGHT_NOUN per cent of them as a noun ("happen", "take",
 * "ready"); unknown to the KB it carries LEX_LIGHT_CARRY of a question.
 * Fitted by a grid over the dev parts of the three question sets
 * (scripts/eval_sets.py): count 50/100/200 by carry 0.2/0.5; a wider rule
 * (every word weighed by its rarity) answered more of dev but declined fewer
 * of the holdout, and was dropped.
 */
#define LEX_LIGHT_NOUN  20
#define LEX_LIGHT_COUNT 50
#define LEX_LIGHT_CARRY 0.5
/*
 * A question word the KB lacks, met in a passage by a word WordNet relates to it
 * ("money": a passage on funding), costs this share of what it would cost
 * unmet: below an exact match, above nothing.  At most REL_MAX related KB
 * terms are looked for per word.
 */
#define REL_CREDIT 0.5
#define REL_MAX    8
/* A typed question's answer in the next sentence of the passage counts this share. */
#define NEXT_TYPE 0.9
/*
 * A question word not in a passage but in the sentence it points back to
 * ("This is down to ...") or in its section's heading counts this share of
 * one in the passage; at most CONTEXT_MAX passages are weighed in all.
 */
#define CONTEXT_CREDIT 0.5
/* A "who" passage holding the role's two words, but not in a row, counts this share. */
#define ROLE_MISS   0.45 /* as a missing type (WHERE_MISS): below the threshold alone */
#define CONTEXT_MAX 24
/* A passage without the word a "what" asks about (kb_answer_asked.c): as a missing type.
 */
#define ASKED_MISS 0.45

/*
 * What a question word the KB never uses costs the answer: a noun, a rare
 * word or a name ("canteen", "deputy", "kpi") asks about something the
 * document may not state, and costs @base; a light word ("happen", "take")
 * carries little of the question and costs less.
 */
static double
unknown_factor(const char *surface, double base, bool asked)
{
    const struct kb_lex_word *lw = kb_lex_find(surface);
    size_t n = strlen(surface);
    double carry = 1.0;

    if (lw != NULL && lw->noun < LEX_LIGHT_NOUN && lw->count >= LEX_LIGHT_COUNT)
        carry = LEX_LIGHT_CARRY;
    /*
     * A verb's form ("hosting", "shaped": not the lemma as written) says what
     * is done, not what about: however often its lemma is a noun, it carries
     * as a light word does; unless it is what is asked ("who designed it").
     */
    if (lw != NULL && n > 4 && !asked &&
        (strcmp(surface + n - 3, "ing") == 0 || strcmp(surface + n - 2, "ed") == 0) &&
        strcmp(surface, kb_lex_strings + lw->off) != 0)
        carry = LEX_LIGHT_CARRY;
    return 1.0 - (1.0 - base) * carry;
}

/* A question word the KB lacks, as kbap_answer_passages() weighs it. */
struct unknown_word {
    double f;     /* the share of confidence it leaves (unknown_factor()) */
    size_t at, n; /* its related KB terms: the search list's [at, at + n) */
};

/*
 * The KB terms WordNet relates to the question word @surface ("money":
 * fund; "site": location), written to @out (at most @max); not a stop word,
 * a topic word (the values, the goals: those are asked for by name) nor a
 * term the question already has (@have, @nhave).  Returns how many.
 */
static size_t
related_terms(struct kb_engine *e, const struct query *q, const char *surface,
              const size_t *have, size_t nhave, size_t *out, size_t max)
{
    const char *rel[REL_MAX * 3];
    struct kb_related_profile prof; /* the meaning table's words: rel[] borrows them */
    const struct kb_lex_word *lw = kb_lex_find(surface);
    size_t nrel, n = 0;

    /* A person or a role is no other: "the medical director" is not the chief executive.
     */
    if (lw != NULL && (lw->cls & KB_LEX_PERSON))
        return 0;
    /* A word too rare for the lexicon ("timetable") may still be in the meaning table. */
    nrel = lw != NULL ? kb_lex_related(surface, rel, REL_MAX * 2) : 0;
    nrel += kbaw_meaning_words(surface, &prof, rel + nrel, REL_MAX);

    for (size_t r = 0; r < nrel && n < max; r++) {
        char stem[KB_WORD_MAX];
        size_t id;
        bool dup = false;

        if (strlen(rel[r]) >= KB_WORD_MAX || kb_text_is_stopword(rel[r]))
            continue;
        kb_text_stem(e->text, rel[r], stem);
        if (kbar_topic_flags(e, stem) != 0 || !kb_index_has_term(q->idx, stem))
            continue;
        id = kb_index_term(q->idx, stem);
        for (size_t k = 0; k < nhave && !dup; k++)
            dup = have[k] == id;
        for (size_t k = 0; k < n && !dup; k++)
            dup = out[k] == id;
        if (!dup)
            out[n++] = id;
    }
    return n;
}

/*
 * Does @text begin by pointing back at the sentence before ("It opens in
 * 2026.", "That’s why ...", "The second is ...")?  See kb_answer_anaphor.c;
 * a quote's sentence begins after its speaker's lead-in (kb_answer_quoted.c).
 */
static bool
refers_back(struct kb_engine *e, const char *text)
{
    return kbaan_refers_back(kba_tokens(e, kb_answer_quoted_words(text)));
}

/*
 * The passage after @item when it continues it: the same section, the next
 * line at most; SIZE_MAX when none.
 */
static size_t
next_passage(const struct kb *kb, size_t item)
{
    const struct kb_passage *p = &kb->passages[item];

    if (item + 1 < kb->npassages &&
        strcmp(kb->passages[item + 1].section, p->section) == 0 &&
        kb->passages[item + 1].line <= p->line + 1)
        return item + 1;
    return SIZE_MAX;
}

/* The passage before @item when @item continues it (see next_passage()); SIZE_MAX none.
 */
static size_t
prev_passage(const struct kb *kb, size_t item)
{
    return item > 0 && next_passage(kb, item - 1) == item ? item - 1 : SIZE_MAX;
}

/* Does the heading @section hold the term @id? */
static bool
heading_has(struct kb_engine *e, const struct query *q, const char *section, size_t id)
{
    const struct tokens *t = kba_tokens(e, section);

    for (size_t k = 0; k < t->n; k++) {
        if (!kb_text_is_stopword(t->w[k].surface) &&
            kb_index_term(q->idx, t->w[k].stem) == id)
            return true;
    }
    return false;
}

/*
 * The share of the question's known words (@known, @nknown; @wt the
 * information weight of each, kb_answer_weight.h; @total their distinct
 * weight) passage @item holds: in full those it has, CONTEXT_CREDIT those
 * the sentence it points back to has or its heading.  Writes the share from
 * its context to *ctx (out).
 */
static double
passage_coverage(struct kb_engine *e, const struct query *q, const size_t *pdoc,
                 const size_t *known, const double *wt, size_t nknown, double total,
                 size_t item, double *ctx)
{
    const struct kb_passage *p = &q->kb->passages[item];
    size_t prev = refers_back(e, p->text) || kbabk_object_refers_back(e, p->text)
                      ? prev_passage(q->kb, item)
                      : SIZE_MAX;
    double got = 0, more = 0;

    for (size_t k = 0; k < nknown; k++) {
        bool dup = false;
        double idf;

        for (size_t j = 0; j < k; j++)
            dup = dup || known[j] == known[k];
        if (dup)
            continue;
        idf = wt[k];
        if (kb_index_doc_has(q->idx, pdoc[item], known[k]))
            got += idf;
        else if ((prev != SIZE_MAX && kb_index_doc_has(q->idx, pdoc[prev], known[k])) ||
                 heading_has(e, q, p->section, known[k]))
            more += CONTEXT_CREDIT * idf;
    }
    *ctx = total > 0 ? more / total : 0;
    return total > 0 ? (got + more) / total : 0;
}

/*
 * Adds @item to the passages weighed (@cand, *@ncand of CONTEXT_MAX) unless
 * it is there.
 */
static void
add_candidate(size_t *cand, size_t *ncand, size_t item)
{
    for (size_t k = 0; k < *ncand; k++) {
        if (cand[k] == item)
            return;
    }
    if (*ncand < CONTEXT_MAX)
        cand[(*ncand)++] = item;
}

/*
 * The passages weighed: the search's hits, best first (@hits, @n); the
 * sentence after each that points back to it; and the sentences under a
 * heading that holds a known word ("the next chapter": the sentences under
 * "The next chapter of our strategy").  Returns how many, in @cand.
 */
static size_t
candidates(struct kb_engine *e, const struct query *q, const struct kb_hit *hits,
           size_t n, const size_t *known, size_t nknown, size_t *cand)
{
    size_t ncand = 0;
    const char *last = NULL;

    for (size_t i = 0; i < n; i++)
        add_candidate(cand, &ncand, kb_index_doc(q->idx, hits[i].doc).item);
    for (size_t i = 0; i < n; i++) {
        size_t next = next_passage(q->kb, cand[i]);

        if (next != SIZE_MAX && refers_back(e, q->kb->passages[next].text))
            add_candidate(cand, &ncand, next);
    }
    for (size_t i = 0; i < q->kb->npassages && ncand < CONTEXT_MAX; i++) {
        const char *sec = q->kb->passages[i].section;
        bool has = false;

        if (sec[0] == '\0' || (last != NULL && strcmp(sec, last) == 0))
            continue;
        last = sec;
        for (size_t k = 0; k < nknown && !has; k++)
            has = heading_has(e, q, sec, known[k]);
        for (size_t j = i;
             has && j < q->kb->npassages && strcmp(q->kb->passages[j].section, sec) == 0;
             j++)
            add_candidate(cand, &ncand, j);
    }
    return ncand;
}

/*
 * "who is the chief executive": two words of the asking clause in a row, the
 * second a word for a person (WordNet), name a role; returns the first one's
 * index, or SIZE_MAX when the question asks no "who" or names no role.
 */
static size_t
role_pair(const struct query *q)
{
    if (!kbak_asks_who(q))
        return SIZE_MAX;
    for (size_t i = 0; i + 1 < q->n; i++) {
        const struct kb_lex_word *lw;

        if (!q->aside[i] && q->content[i] && q->content[i + 1] && !q->aside[i + 1] &&
            (lw = q->lex[i + 1]) != NULL && (lw->cls & KB_LEX_PERSON))
            return i;
    }
    return SIZE_MAX;
}

/*
 * Does @text hold the stems of @w[0] and @w[1], but never in a row ("Executive
 * lead: Chief People Officer" for "chief executive")?
 */
static bool
splits_pair(struct kb_engine *e, const char *text, const struct kb_word *w)
{
    const struct tokens *t = kba_tokens(e, text);
    bool a = false, b = false;

    for (size_t k = 0; k < t->n; k++) {
        if (k + 1 < t->n && strcmp(t->w[k].stem, w[0].stem) == 0 &&
            strcmp(t->w[k + 1].stem, w[1].stem) == 0)
            return false;
        a = a || strcmp(t->w[k].stem, w[0].stem) == 0;
        b = b || strcmp(t->w[k].stem, w[1].stem) == 0;
    }
    return a && b;
}

/*
 * The question's known words (@known, @nknown; @kword the query word of each),
 * each once, in question order, into @kk (out).
 */
static void
known_words(const struct query *q, const size_t *known, const double *wt, size_t nknown,
            const size_t *kword, struct kbrk_known *kk)
{
    kk->n = 0;
    kk->total = 0;
    for (size_t i = 0; i < nknown; i++) {
        bool dup = false;

        for (size_t k = 0; k < i; k++)
            dup = dup || known[k] == known[i];
        if (dup)
            continue;
        kk->stem[kk->n] = q->w[kword[i]].stem;
        kk->word[kk->n] = kword[i];
        kk->idf[kk->n] = wt[i];
        kk->total += kk->idf[kk->n++];
    }
}

/*
 * The passages quoted when @m is: the sentence it points back to, before it;
 * itself; the next one of its section when that gives the kind of answer
 * asked for, when it is short (it often leads into the next: "We all have a
 * personal part to play in this transformation."), or when the next points
 * back to it.  Into @m's quote list.
 */
static void
quote_of(struct kb_engine *e, const struct query *q, struct kbrk_measure *m)
{
    size_t item = m->item, next = next_passage(q->kb, item);
    size_t prev = prev_passage(q->kb, item);

    m->nquote = 0;
    /*
     * "The NHS is changing." "And so must we." "That’s why we’re ...": a
     * sentence before joined to its own by "and", "but", "so" brings that
     * one too, in place of the sentence after.
     */
    if (prev != SIZE_MAX && m->back &&
        kbaan_joins_back(kba_tokens(e, q->kb->passages[prev].text)) &&
        prev_passage(q->kb, prev) != SIZE_MAX) {
        m->quote[m->nquote++] = prev_passage(q->kb, prev);
        next = SIZE_MAX;
    }
    if (prev != SIZE_MAX && m->back)
        m->quote[m->nquote++] = prev;
    m->quote[m->nquote++] = item;
    if (next != SIZE_MAX &&
        (m->next || kba_tokens(e, q->kb->passages[item].text)->n < PASSAGE_SHORT ||
         refers_back(e, q->kb->passages[next].text)))
        m->quote[m->nquote++] = next;
}

/*
 * The candidate to quote: the best by the ranker's score (kb_rank.h), the
 * first among equals (the search's order); @best_i (the hand-set
 * confidence's best) when none scores.  Writes every candidate's features
 * (@feat) and score (@score, -HUGE_VAL for one of no confidence) and the
 * chosen one's quote list (every one's when the engine keeps a trace).
 */
static size_t
rank_candidates(struct kb_engine *e, const struct query *q, const struct kbrk_known *kk,
                struct kbrk_measure *meas, const double *conf, size_t ncand,
                double (*feat)[KB_RANK_NFEAT], double *score, size_t best_i)
{
    size_t chosen = SIZE_MAX;

    for (size_t i = 0; i < ncand; i++) {
        kbrk_features(e, q, kk, &meas[i], e->trace != NULL, feat[i]);
        score[i] = conf[i] > 0 ? kb_rank_score(feat[i]) : -HUGE_VAL;
        if (conf[i] > 0 && (chosen == SIZE_MAX || score[i] > score[chosen] + 1e-9))
            chosen = i;
        meas[i].nquote = 0;
        if (e->trace != NULL)
            quote_of(e, q, &meas[i]);
    }
    if (chosen == SIZE_MAX)
        chosen = best_i;
    if (chosen < ncand && meas[chosen].nquote == 0)
        quote_of(e, q, &meas[chosen]);
    return chosen;
}

/*
 * Confidence in a passage: the share of the question's known words it
 * holds (by inverse document frequency), times 0.8 for every word of the
 * question the KB never uses (it asks about something the document may
 * not state), times the type factor.
 */
void
kbap_answer_passages(struct kb_engine *e, const struct query *q, const size_t *terms,
                     size_t nterms, struct kb_answer *a)
{
    struct kb_hit hits[8];
    double conf[CONTEXT_MAX];
    size_t cand[CONTEXT_MAX], ncand;
    const size_t *pdoc = e->pdoc[0];
    size_t known[MAX_WORDS * 2], nknown = 0, n, ndistinct = 0, nsearch;
    double best = 0, penalty = 1, second = 0;
    size_t best_i = 0, heavy = 0, light = 0, foreign = 0, chosen;
    double *x = a->features;
    /* What the ranker weighs (kb_rank.h): each candidate measured, its features. */
    struct kbrk_measure meas[CONTEXT_MAX];
    double feat[CONTEXT_MAX][KB_RANK_NFEAT], score[CONTEXT_MAX];
    struct kbrk_known kk;
    size_t kword[MAX_WORDS * 2];
    double wt[MAX_WORDS * 2]; /* each known word's information weight */
    /*
     * The unknown words a related word may meet (see related_terms()): each
     * one's cost and its related terms, searched after the known ones.
     */
    struct unknown_word unk[8] = {{0}};
    size_t nunk = 0;
    bool kinded;

    /* "how many staff do we have": the head count, or none (kb_answer_headcount.c). */
    if (kbahc_answer_headcount(e, q, a))
        return;

    /*
     * A "who", "when" or "how many" question with a word the KB does not
     * know asks about someone or something else ("the deputy chief
     * executive"): answering with the nearest fact would be confidently wrong.
     */
    bool typed = kbak_asks_for_type(q);
    size_t role = role_pair(q);
    /*
     * "where do i park", "how can i book leave": a task of one's own, which
     * a strategy does not explain; every word it does not know counts fully.
     */
    bool task = has_phrase(q, "do", "i") || has_phrase(q, "can", "i") ||
                has_phrase(q, "should", "i") || has_phrase(q, "i", "need");

    /*
     * The strategy's name in a question ("how many people helped develop One
     * Hospital, Two Towns") stands for the strategy, as "the strategy" would:
     * its words are no fact a passage must repeat.
     */
    bool named = kbat_names_strategy(e, q), other = false;
    size_t pi = kbak_people_count_term(q, nterms);
    size_t people_term = pi < nterms ? terms[pi] : KB_INDEX_UNKNOWN;
    size_t ai = kbaa_asked_term(q, terms, nterms);
    size_t asked_term = ai < nterms ? terms[ai] : KB_INDEX_UNKNOWN;
    double total = 0, people_penalty = 1;

    /*
     * "who wrote the strategy": when no word but the topic's is known, the
     * word the KB lacks is all the question asks, however light.
     */
    bool anchored = false;

    for (size_t i = 0; i < nterms; i++)
        anchored =
            anchored || (terms[i] != KB_INDEX_UNKNOWN && q->content[q->term_word[i]]);
    /* Only while a known word besides the name is left to look for. */
    for (size_t i = 0; i < nterms && named; i++)
        other = other ||
                (terms[i] != KB_INDEX_UNKNOWN &&
                 !kbar_contains_word(q->kb->strategy, q->w[q->term_word[i]].surface));
    for (size_t i = 0; i < nterms; i++) {
        double base = typed ? UNKNOWN_TYPED_FACTOR : UNKNOWN_WORD_FACTOR;

        if (kbak_is_type_noun(q, q->term_word[i]))
            continue;
        if (named && other &&
            kbar_contains_word(q->kb->strategy, q->w[q->term_word[i]].surface))
            continue;
        if (terms[i] != KB_INDEX_UNKNOWN) {
            kword[nknown] = q->term_word[i];
            known[nknown++] = terms[i];
        } else if (i == pi)
            people_penalty = base; /* unless a passage counts people by another name */
        else {
            const char *w = q->w[q->term_word[i]].surface;
            size_t at = q->term_word[i];
            bool verb = at > 0 && kbar_is_question_word(q->w[at - 1].surface);
            /*
             * "who heads up the trust as chief executive": with a role named, the
             * role is what is asked; the verb after "who" only says how it is held.
             */
            /*
             * "who wrote Our Journey to Change": with no word known but the
             * strategy's name, the verb the KB lacks is all that is asked.
             */
            /*
             * "which sites does it cover": the place noun asked about is the kind
             * of answer wanted (the type factor asks a place of the passage),
             * no word the passage must hold.
             */
            double f = kbapl_asks_place_noun(q, at)                     ? 1.0
                       : task || !anchored || (verb && named && !other) ? base
                       : verb && role != SIZE_MAX ? 1.0 - (1.0 - base) * LEX_LIGHT_CARRY
                                                  : unknown_factor(w, base, verb);

            penalty *= f;
            heavy += f <= base;
            light += f > base;
            foreign += kb_lex_find(w) == NULL;
            if (nunk < sizeof(unk) / sizeof(unk[0]))
                unk[nunk++] = (struct unknown_word){.f = f};
        }
    }
    /* Related terms go after the known ones: searched, but not in the coverage. */
    nsearch = nknown;
    for (size_t u = 0, i = 0; i < nterms && u < nunk; i++) {
        const char *w = q->w[q->term_word[i]].surface;

        if (terms[i] != KB_INDEX_UNKNOWN || i == pi ||
            kbak_is_type_noun(q, q->term_word[i]) ||
            (named && other && kbar_contains_word(q->kb->strategy, w)))
            continue;
        unk[u].at = nsearch;
        unk[u].n = nknown > 0
                       ? related_terms(e, q, w, known, nsearch, known + nsearch, REL_MAX)
                       : 0;
        nsearch += unk[u].n;
        u++;
    }
    for (size_t i = 0; i < nknown; i++) {
        bool dup = false;

        wt[i] = kbawt_word(q->idx, known[i], q->w[kword[i]].surface);
        for (size_t k = 0; k < i; k++)
            dup = dup || known[k] == known[i];
        total += dup ? 0 : wt[i];
        ndistinct += !dup;
    }
    n = kb_index_search(q->idx, known, nsearch, 1u << KB_DOC_PASSAGE, hits, 8);
    kinded = typed || kbapl_asks_place_noun(q, SIZE_MAX) ||
             strcmp(kbak_first_question_word(q), "where") == 0 ||
             strcmp(kbak_first_question_word(q), "wheres") == 0 ||
             strcmp(kbak_first_question_word(q), "why") == 0;
    for (size_t k = 0; k < kb_set_count(e->set); k++) {
        if (e->idx[k] == q->idx)
            pdoc = e->pdoc[k];
    }
    ncand = n > 0 ? candidates(e, q, hits, n, known, nknown, cand) : 0;
    for (size_t i = 0; i < ncand; i++) {
        size_t item = cand[i], next = SIZE_MAX;
        const struct kb_passage *p = &q->kb->passages[item];
        double ctx, coverage, pen = penalty;
        size_t met = 0;
        bool role_miss = false;

        /* A related word lightens the cost of the word it stands for. */
        for (size_t u = 0; u < nunk; u++) {
            bool hit = false;

            for (size_t k = unk[u].at; k < unk[u].at + unk[u].n && !hit; k++)
                hit = kb_index_doc_has(q->idx, pdoc[item], known[k]);
            if (hit) {
                pen *= (1.0 - (1.0 - unk[u].f) * (1.0 - REL_CREDIT)) / unk[u].f;
                met++;
            }
        }

        /*
         * "how many people": a passage that counts people under another name
         * ("1,240 colleagues, patients and carers") holds the thing counted.
         */
        double pp = people_penalty;

        if (pi < nterms && !kb_index_doc_has(q->idx, pdoc[item], people_term) &&
            kbak_counts_thing(q, kba_tokens(e, p->text)))
            pp = 1;
        double tf = kbak_type_factor(e, q, p->text);

        if (role != SIZE_MAX && splits_pair(e, p->text, &q->w[role])) {
            pen *= ROLE_MISS;
            role_miss = true;
        }

        coverage = passage_coverage(e, q, pdoc, known, wt, nknown, total, item, &ctx);
        /*
         * Context counts for a question wanting a kind of answer (a name, a date,
         * a place, a number) that the passage gives: else the sentence it points
         * back to, or its heading's first, answers it better.
         */
        if (ctx > 0 && (!kinded || kbak_type_factor(e, q, p->text) < 1)) {
            coverage -= ctx;
            ctx = 0;
        }
        /*
         * "when is the unit due?": "The unit is being built." "It opens in 2026."
         * Not "which partners": the next sentence names none without the word.
         */
        if (tf < 1 && kbak_which_thing(q) == NULL) {
            next = next_passage(q->kb, item);
            if (next != SIZE_MAX && refers_back(e, q->kb->passages[next].text) &&
                kbak_type_factor(e, q, q->kb->passages[next].text) > tf)
                tf = kbak_type_factor(e, q, q->kb->passages[next].text) * NEXT_TYPE;
            else
                next = SIZE_MAX;
            /* "how many enablers": "Our five enablers" over "Digital, estates, ...". */
            if (next == SIZE_MAX && p->section[0] != '\0' &&
                kbak_type_factor(e, q, p->section) * NEXT_TYPE > tf)
                tf = kbak_type_factor(e, q, p->section) * NEXT_TYPE;
        }
        /*
         * "what's the budget for the eye unit": a passage on the unit alone answers
         * another question (kb_answer_asked.c); it lacks what is asked, as one
         * without the kind of answer asked does.
         */
        if (ai < nterms && !kb_index_doc_has(q->idx, pdoc[item], asked_term) &&
            !heading_has(e, q, p->section, asked_term))
            tf *= ASKED_MISS;
        tf *= kbag_pointer_factor(e, q, p->text);
        conf[i] = coverage * pp * tf * pen;
        meas[i] = (struct kbrk_measure){.item = item,
                                        .hand = conf[i],
                                        .coverage = coverage,
                                        .ctx = ctx,
                                        .tf = tf,
                                        .next = next != SIZE_MAX,
                                        .people = pi < nterms && pp >= 1,
                                        .met = met,
                                        .role_miss = role_miss,
                                        .back = refers_back(e, p->text),
                                        .rank = SIZE_MAX};
        for (size_t r = 0; r < n; r++) {
            if (kb_index_doc(q->idx, hits[r].doc).item == item) {
                meas[i].rank = r;
                meas[i].bm25 = hits[0].score > 0 ? hits[r].score / hits[0].score : 0;
                break;
            }
        }
        /* Rank by confidence, then by BM25 among equals. */
        if (conf[i] > best + 1e-9) {
            second = best;
            best = conf[i];
            best_i = i;
            x[0] = coverage;
            x[5] = tf < 1;
            x[8] = pp < 1;
            x[12] = (double)met;
            x[13] = next != SIZE_MAX;
            x[14] = ctx;
        } else if (conf[i] > second) {
            second = conf[i];
        }
    }
    a->confidence = best;
    if (n == 0) {
        /* No passage holds a word of it: a value or goal may mean them. */
        if (!kbal_answer_about(q, a))
            a->intent = KB_INTENT_OUT_OF_SCOPE;
        return;
    }
    /*
     * Which passage to quote: the ranker's choice (kb_rank.h) among those the
     * hand-set confidence does not rule out.
     */
    known_words(q, known, wt, nknown, kword, &kk);
    chosen = rank_candidates(e, q, &kk, meas, conf, ncand, feat, score, best_i);
    /*
     * Whether the best passage answers: the passage model over what was
     * measured (kb_answer_model.h); the features in this order.
     */
    x[1] = log(best > 0.01 ? best : 0.01);
    x[2] = (double)heavy;
    x[3] = (double)light;
    x[4] = (double)foreign;
    x[6] = typed;
    x[7] = task;
    x[9] = (double)(ndistinct < 6 ? ndistinct : 6);
    x[10] = named;
    x[11] = best - second;
    kba_query_features(q, terms, nterms, x);
    a->nfeatures = KB_ANSWER_NFEAT;
    a->confidence = kb_answer_model_p(x);
    kbrk_trace(e, meas, (const double(*)[KB_RANK_NFEAT])feat, score, ncand, chosen, a);
    if (a->confidence < e->threshold) {
        a->intent = KB_INTENT_OUT_OF_SCOPE;
        return;
    }
    a->intent = KB_INTENT_FACT;
    a->answered = true;
    for (size_t k = 0; k < meas[chosen].nquote; k++)
        add_ref(a, KB_DOC_PASSAGE, meas[chosen].quote[k], 0);
    /*
     * A second passage as good as the first answers as much of the question
     * ("who was involved": the one sentence says "one thousand people", the
     * other "colleagues, patients, carers"): quote both, in document order.
     * As good: a hand-set confidence within PASSAGE_SECOND of the best's (by
     * the ranker's score, within log(PASSAGE_SECOND), quoted fewer and
     * answered fewer of the dev and holdout parts).
     */
    for (size_t i = 0; i < ncand; i++) {
        size_t item = cand[i];
        bool have = false;

        if (i == chosen || conf[i] < best * PASSAGE_SECOND)
            continue;
        for (size_t k = 0; k < a->nrefs; k++)
            have = have || a->refs[k].item == item;
        if (have)
            continue;
        add_ref(a, KB_DOC_PASSAGE, item, 0);
        /* In document order. */
        for (size_t k = a->nrefs - 1; k > 0 && a->refs[k - 1].item > a->refs[k].item;
             k--) {
            struct kb_doc_ref t = a->refs[k - 1];

            a->refs[k - 1] = a->refs[k];
            a->refs[k] = t;
        }
        break;
    }
}

/*
 * "how many staff took part in the values inquiry", "have our new values been
 * decided" on a KB whose page lists no values (or goals): a fact the page may
 * still state about them.  Answers from the passages, the topic words among
 * those to find, when the question names something besides the topic that
 * the KB has, or wants a kind of fact (a number, a date, a name); "what are
 * our values" does neither: the page lists none.
 * Returns true when a passage answers.
 */
bool
kbap_answer_unlisted(struct kb_engine *e, struct query *q, struct kb_answer *a)
{
    size_t terms[MAX_WORDS], nw = 0;
    bool other = false;
    struct kb_answer p;

    for (size_t i = 0; i < q->n; i++) {
        size_t id;

        /* The content words and the topic's own ("values"), not "many" in "how many". */
        if (q->aside[i] || !(q->content[i] || (q->flags[i] & (W_VALUES | W_GOALS))))
            continue;
        id = kb_index_term(q->idx, q->w[i].stem);
        other = other || (q->content[i] && id != KB_INDEX_UNKNOWN);
        q->term_word[nw] = i;
        terms[nw++] = id;
    }
    /* "how many values", "when were the values set": the page may count or date them. */
    if (!other && !kbak_asks_for_type(q))
        return false;
    memset(&p, 0, sizeof(p));
    p.kb = q->kb;
    kbap_answer_passages(e, q, terms, nw, &p);
    if (!p.answered)
        return false;
    *a = p;
    return true;
}
