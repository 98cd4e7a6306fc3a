/*
 * kb_rank.c - what the passage ranker weighs of a candidate passage, its
 * score, and the trace `ask --candidates` prints.  Prefix kbrk_ (engine
 * side), kb_rank_ (public).
 */
#include "bot/kb/kb_rank.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer_int.h"
#include "bot/kb/kb_rank_int.h"

double
kb_rank_score(const double *f)
{
    double z = 0;

    for (size_t i = 0; i < KB_RANK_NFEAT; i++)
        z += kb_rank_model[i] * f[i];
    return z;
}

void
kb_engine_trace_ranks(struct kb_engine *e, struct kb_rank_trace *t)
{
    e->trace = t;
}

void
kb_rank_trace_reset(struct kb_rank_trace *t)
{
    t->n = 0;
}

/* Is @stem one of the question's known stems (@kstem, @nk)?  Returns its index, or
 * SIZE_MAX. */
static size_t
known_at(const char *stem, const char *const *kstem, size_t nk)
{
    for (size_t j = 0; j < nk; j++) {
        if (kstem[j][0] == stem[0] && strcmp(kstem[j], stem) == 0)
            return j;
    }
    return SIZE_MAX;
}

/*
 * How close together the question's words stand in @t: the distinct known
 * stems it holds over the shortest run of words holding them all (1 when
 * they stand side by side, 0 when it holds none); the share of the
 * question's neighbouring known words it holds side by side in *pairs (out);
 * the share of its words that are the question's in *density (out).
 */
static double
proximity(const struct tokens *t, const char *const *kstem, const size_t *kword,
          size_t nk, double *pairs, double *density)
{
    size_t at[KB_RANK_MAX_TOKENS];
    size_t n = t->n < KB_RANK_MAX_TOKENS ? t->n : KB_RANK_MAX_TOKENS;
    uint64_t all = 0;
    size_t m = 0, hits = 0, best = SIZE_MAX, npair = 0, got = 0;

    for (size_t k = 0; k < n; k++) {
        at[k] = known_at(t->w[k].stem, kstem, nk);
        if (at[k] != SIZE_MAX && at[k] < 64) {
            all |= (uint64_t)1 << at[k];
            hits++;
        }
    }
    for (size_t j = 0; j < nk && j < 64; j++)
        m += (all >> j) & 1;
    *density = n > 0 ? (double)hits / (double)n : 0;
    for (size_t j = 0; j + 1 < nk; j++) {
        if (kword[j + 1] != kword[j] + 1)
            continue;
        npair++;
        for (size_t k = 0; k + 1 < n; k++) {
            if (at[k] == j && at[k + 1] == j + 1) {
                got++;
                break;
            }
        }
    }
    *pairs = npair > 0 ? (double)got / (double)npair : 0;
    if (m <= 1)
        return (double)m;
    /* The shortest run from each known word holding every known stem the passage has. */
    for (size_t s = 0; s < n; s++) {
        uint64_t have = 0;

        if (at[s] == SIZE_MAX || at[s] >= 64)
            continue;
        for (size_t k = s; k < n && k - s + 1 < best; k++) {
            if (at[k] != SIZE_MAX && at[k] < 64)
                have |= (uint64_t)1 << at[k];
            if (have == all) {
                best = k - s + 1;
                break;
            }
        }
    }
    return best == SIZE_MAX ? 0 : (double)m / (double)best;
}

void
kbrk_features(struct kb_engine *e, const struct query *q, const struct kbrk_known *k,
              const struct kbrk_measure *m, double *f)
{
    const struct kb_passage *p = &q->kb->passages[m->item];
    const struct tokens *t = kba_tokens(e, p->text), *h = kba_tokens(e, p->section);
    double pairs, density, head = 0;

    f[0] = log(m->hand > 0.01 ? m->hand : 0.01);
    f[1] = m->coverage;
    f[2] = m->ctx;
    f[3] = m->tf;
    f[4] = m->next;
    f[5] = m->people;
    f[6] = (double)m->met;
    f[7] = m->role_miss;
    f[8] = proximity(t, k->stem, k->word, k->n, &pairs, &density);
    f[9] = pairs;
    f[10] = log(1.0 + (double)t->n);
    f[11] = m->item == 0 || strcmp(q->kb->passages[m->item - 1].section, p->section) != 0;
    /* The share of the question's known words (by weight) its heading holds. */
    for (size_t j = 0; j < k->n && k->total > 0; j++) {
        bool in = false;

        for (size_t i = 0; i < h->n && !in; i++)
            in = strcmp(h->w[i].stem, k->stem[j]) == 0;
        head += in ? k->idf[j] / k->total : 0;
    }
    f[12] = head;
    f[13] = m->rank == SIZE_MAX ? 0 : 1.0 / (1.0 + (double)m->rank);
    f[14] = m->bm25;
    f[15] = m->back;
    f[16] = p->section[0] == '\0';
    f[17] = q->kb->npassages > 0 ? (double)m->item / (double)q->kb->npassages : 0;
    f[18] = kbak_text_has_number(p->text);
    f[19] = kbak_text_has_year(p->text);
    f[20] = density;
}

void
kbrk_trace(struct kb_engine *e, const struct kbrk_measure *m,
           const double (*f)[KB_RANK_NFEAT], const double *score, size_t n, size_t chosen,
           struct kb_answer *a)
{
    struct kb_rank_list *l;

    if (e->trace == NULL || e->trace->n >= KB_RANK_LISTS)
        return;
    l = &e->trace->lists[e->trace->n++];
    l->n = n < KB_RANK_MAX ? n : KB_RANK_MAX;
    l->chosen = chosen;
    for (size_t i = 0; i < l->n; i++) {
        l->c[i].item = m[i].item;
        l->c[i].hand = m[i].hand;
        l->c[i].score = score[i];
        memcpy(l->c[i].f, f[i], sizeof(l->c[i].f));
        l->c[i].nquote = m[i].nquote;
        memcpy(l->c[i].quote, m[i].quote, sizeof(l->c[i].quote));
    }
    a->rank_list = e->trace->n;
}
