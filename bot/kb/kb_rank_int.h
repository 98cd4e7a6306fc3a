/*
 * kb_rank_int.h - what kb_answer_passage.c tells the ranker (kb_rank.c) of
 * a question and its candidates.  Not for use outside bot/kb/kb_answer*.c,
 * kb_rank*.c and tests.
 */
#ifndef BOT_KB_KB_RANK_INT_H
#define BOT_KB_KB_RANK_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/kb/kb_answer_int.h"
#include "bot/kb/kb_rank.h"

/* The most words of a passage the ranker reads (kba_tokens() keeps as many). */
#define KB_RANK_MAX_TOKENS MAX_WORDS

/* The question's known words, in question order, each once. */
struct kbrk_known {
    const char *stem[MAX_WORDS]; /* borrowed from the query */
    size_t word[MAX_WORDS];      /* its word's index in the query */
    double idf[MAX_WORDS];
    size_t n;
    double total; /* the sum of @idf */
};

/* What kbap_answer_passages() measured of one candidate. */
struct kbrk_measure {
    size_t item;             /* the passage */
    double hand;             /* coverage x type x cost: the hand-set confidence */
    double coverage;         /* the share of the question's known words it holds */
    double ctx;              /* the part of @coverage from its context */
    double tf;               /* the type factor (kbak_type_factor(), or the next one's) */
    bool next;               /* the type is in the next sentence */
    bool people;             /* counts the people asked about by another name */
    size_t met;              /* unknown words met by related ones */
    bool role_miss;          /* holds a role's two words apart */
    bool back;               /* points back at the sentence before */
    size_t rank;             /* its place in the search's hits; SIZE_MAX not a hit */
    double bm25;             /* its BM25 over the best hit's; 0 not a hit */
    size_t quote[3], nquote; /* the passages quoted were it chosen */
};

/* Writes what the ranker weighs of candidate @m into @f (KB_RANK_NFEAT). */
void kbrk_features(struct kb_engine *e, const struct query *q, const struct kbrk_known *k,
                   const struct kbrk_measure *m, double *f);

/*
 * Keeps the @n candidates (@m, their features @f, their scores @score; @chosen
 * quoted) in the engine's trace, when it keeps one, and names the list in @a.
 */
void kbrk_trace(struct kb_engine *e, const struct kbrk_measure *m,
                const double (*f)[KB_RANK_NFEAT], const double *score, size_t n,
                size_t chosen, struct kb_answer *a);

#endif /* BOT_KB_KB_RANK_INT_H */
