/*
 * kb_rank.h - the passage ranker: which of the passages a fact question
 * weighs is the one to quote.  kbap_answer_passages() (kb_answer_passage.c)
 * measures each candidate (its share of the question's words, the kind of
 * answer it gives, how close together the question's words stand in it, its
 * place and heading, ...) into KB_RANK_NFEAT features; a linear model over
 * them, fitted by scripts/fit_rank.py on the dev parts of the question sets
 * and shipped as numbers in kb_rank_model.c, orders them.
 *
 * For fitting, an engine can keep what it weighed (kb_engine_trace_ranks()):
 * `ask --json --candidates` prints each passage answer's candidates with
 * their features.
 */
#ifndef BOT_KB_KB_RANK_H
#define BOT_KB_KB_RANK_H

#include <stdbool.h>
#include <stddef.h>

struct kb_engine;

#define KB_RANK_NFEAT 21 /* features per candidate (fit_rank.py's NAMES) */
#define KB_RANK_MAX   24 /* candidates weighed per question, at most */
#define KB_RANK_LISTS 8  /* candidate lists a trace keeps per message */

/* One passage weighed. */
struct kb_rank_cand {
    size_t item;             /* the KB's passage */
    double hand;             /* the hand-set confidence (coverage x type x cost) */
    double score;            /* the ranker's score */
    double f[KB_RANK_NFEAT]; /* what the ranker weighed */
    size_t quote[3], nquote; /* the passages quoted were it chosen, in order */
};

/* The candidates of one passage search. */
struct kb_rank_list {
    struct kb_rank_cand c[KB_RANK_MAX];
    size_t n;
    size_t chosen; /* the index in @c of the one quoted */
};

/* What an engine weighed for the messages since the last kb_rank_trace_reset(). */
struct kb_rank_trace {
    struct kb_rank_list lists[KB_RANK_LISTS];
    size_t n; /* lists kept; a passage search past KB_RANK_LISTS is not kept */
};

/* The shipped ranker's weights: one per feature (kb_rank_model.c). */
extern const double kb_rank_model[KB_RANK_NFEAT];

/* The ranker's score of @f (KB_RANK_NFEAT features): higher is better. */
double kb_rank_score(const double *f);

/*
 * Makes @e keep every passage search's candidates in @t (borrowed; NULL
 * stops it).  Each struct kb_answer a search decided names its list
 * (kb_answer.rank_list, 1-based; 0 none).  For fitting, not for serving.
 */
void kb_engine_trace_ranks(struct kb_engine *e, struct kb_rank_trace *t);

/* Empties @t: before each message. */
void kb_rank_trace_reset(struct kb_rank_trace *t);

#endif /* BOT_KB_KB_RANK_H */
