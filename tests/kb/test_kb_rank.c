/*
 * test_kb_rank.c - the passage ranker (kb_rank.h): which candidate a fact
 * question quotes, what is measured of each, and the trace `ask --candidates`
 * prints, on the shipped KBs.
 */
#include <math.h>
#include <stdlib.h>

#include <criterion/criterion.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_rank.h"
#include "bot/kb/kb_set.h"
#include "tests/test_util.h"

#include "tests/kb/engine_fixture.h"

/* The features fit_rank.py NAMES, by the index kb_rank.c writes them at. */
enum {
    F_LOG_HAND = 0,
    F_PROXIMITY = 8,
    F_PAIRS = 9,
    F_SEARCH_RANK = 13,
    F_BM25 = 14,
    F_DENSITY = 20,
};

static struct kb_rank_trace *trace;

static void
setup(void)
{
    engine_open(shipped_kbs());
    trace = xcalloc(1, sizeof(*trace));
    kb_engine_trace_ranks(eng, trace);
}

static void
teardown(void)
{
    engine_close();
    free(trace);
}

TestSuite(kb_rank, .init = setup, .fini = teardown);

/* Asks @q of @org with an empty trace; the answer's candidate list, or NULL. */
static const struct kb_rank_list *
ask_traced(const char *org, const char *q, struct kb_answer *a)
{
    kb_rank_trace_reset(trace);
    *a = engine_ask(org, q);
    return a->rank_list > 0 ? &trace->lists[a->rank_list - 1] : NULL;
}

static bool
quotes_item(const struct kb_answer *a, size_t item)
{
    for (size_t k = 0; k < a->nrefs; k++) {
        if (a->refs[k].kind == KB_DOC_PASSAGE && a->refs[k].item == item)
            return true;
    }
    return false;
}

Test(kb_rank, the_answer_quotes_the_best_scored_candidate)
{
    struct kb_answer a;
    const struct kb_rank_list *l = ask_traced("cwpt", "who set our values?", &a);
    size_t best = SIZE_MAX;

    cr_assert(a.answered);
    cr_assert_not_null(l, "a passage answer names its candidates");
    cr_assert_gt(l->n, 1);
    cr_assert_lt(l->chosen, l->n);
    for (size_t i = 0; i < l->n; i++) {
        if (l->c[i].hand <= 0)
            continue;
        cr_expect_float_eq(l->c[i].score, kb_rank_score(l->c[i].f), 1e-12);
        if (best == SIZE_MAX || l->c[i].score > l->c[best].score + 1e-9)
            best = i;
    }
    cr_expect_eq(l->chosen, best, "the first of the best scores is chosen");
    cr_expect(quotes_item(&a, l->c[l->chosen].item));
    /* what it quotes were it chosen holds itself */
    bool self = false;

    for (size_t k = 0; k < l->c[l->chosen].nquote; k++)
        self = self || l->c[l->chosen].quote[k] == l->c[l->chosen].item;
    cr_expect(self);
}

Test(kb_rank, a_trace_changes_no_answer)
{
    struct kb_answer a, b;

    (void)ask_traced("cwpt", "how long did the engagement on the strategy take", &a);
    kb_engine_trace_ranks(eng, NULL);
    b = engine_ask("cwpt", "how long did the engagement on the strategy take");
    kb_engine_trace_ranks(eng, trace);
    cr_assert_eq(b.rank_list, 0, "no trace, no list");
    cr_expect_eq(a.answered, b.answered);
    cr_expect_float_eq(a.confidence, b.confidence, 1e-12);
    cr_assert_eq(a.nrefs, b.nrefs);
    for (size_t k = 0; k < a.nrefs; k++)
        cr_expect_eq(a.refs[k].item, b.refs[k].item);
}

Test(kb_rank, words_side_by_side_are_close_and_the_top_hit_ranks_first)
{
    struct kb_answer a;
    const struct kb_rank_list *l = ask_traced("cwpt", "who is our chief executive?", &a);
    size_t side = 0, top = 0;

    cr_assert_not_null(l);
    for (size_t i = 0; i < l->n; i++) {
        const double *f = l->c[i].f;
        const char *text = a.kb->passages[l->c[i].item].text;

        cr_expect(f[F_PROXIMITY] >= 0 && f[F_PROXIMITY] <= 1);
        cr_expect(f[F_PAIRS] >= 0 && f[F_PAIRS] <= 1);
        cr_expect(f[F_DENSITY] >= 0 && f[F_DENSITY] <= 1);
        cr_expect(f[F_BM25] >= 0 && f[F_BM25] <= 1 + 1e-9);
        if (strstr(text, "Chief Executive") != NULL) {
            side++;
            cr_expect_float_eq(f[F_PROXIMITY], 1, 1e-9, "%s", text);
            cr_expect_float_eq(f[F_PAIRS], 1, 1e-9, "%s", text);
        }
        if (f[F_SEARCH_RANK] == 1) {
            top++;
            cr_expect_float_eq(f[F_BM25], 1, 1e-9, "the best hit's own share");
        }
        cr_expect_float_eq(f[F_LOG_HAND], log(l->c[i].hand > 0.01 ? l->c[i].hand : 0.01),
                           1e-9);
    }
    cr_expect_gt(side, 0);
    cr_expect_eq(top, 1, "one candidate is the search's first hit");
}

Test(kb_rank, a_surer_passage_scores_higher_all_else_equal)
{
    double f[KB_RANK_NFEAT] = {0}, g[KB_RANK_NFEAT] = {0};

    f[F_LOG_HAND] = log(0.9);
    g[F_LOG_HAND] = log(0.3);
    cr_expect_gt(kb_rank_score(f), kb_rank_score(g));
}

Test(kb_rank, a_full_trace_keeps_no_more_lists)
{
    struct kb_answer a;

    kb_rank_trace_reset(trace);
    for (int i = 0; i < KB_RANK_LISTS + 3; i++)
        a = engine_ask("cwpt", "who set our values?");
    cr_expect_eq(trace->n, KB_RANK_LISTS);
    cr_expect_eq(a.rank_list, 0, "past the trace's room: no list named");
    kb_rank_trace_reset(trace);
    a = engine_ask("cwpt", "who set our values?");
    cr_expect_eq(a.rank_list, 1);
}
