/*
 * kb_related.c - closeness in meaning from the generated WordNet profiles
 * (kb_related_data.c, looked up by kb_related_table.c): a word's profile is
 * itself at weight 1 and the lemmas WordNet links it to; two words are as
 * close as the heaviest lemma both profiles hold.
 */
#include "bot/kb/kb_related.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_lex.h"
#include "bot/kb/kb_text.h"

#define WORD_MAX 32 /* longer words are not in the table (20 letters) */
/*
 * What a value's behaviours or description, a goal's description or points
 * weigh beside its name or title (1): they say what it means, in more words.
 */
#define DETAIL_WEIGHT 0.6
/* A goal's points weigh less again: they are often its measures, not its theme. */
#define POINT_WEIGHT 0.4
/*
 * An item is meant when a word comes at least RELATED_MIN close to it and
 * the next item stays under RELATED_CLEAR of that.
 */
#define RELATED_MIN   0.2
#define RELATED_CLEAR 0.8
#define NONE          KB_RELATED_NONE

/* One lemma of an item's meaning and its weight. */
struct link {
    unsigned word; /* kb_related_id() */
    float w;       /* 0..1 */
};

struct kb_related_item {
    struct link *l; /* owned; sorted by word, one link a word */
    size_t n, max;
};

/* The weight of lemma @c in @m's profile: 1 for its own, 0 when absent. */
static double
profile_weight(const struct kb_related_meaning *m, unsigned c)
{
    if (c == m->self)
        return 1.0;
    for (size_t k = 0; k < m->n; k++) {
        if (m->id[k] == c)
            return m->w[k] / 255.0;
    }
    return 0;
}

double
kb_related_score(const char *a, const char *b)
{
    struct kb_related_meaning ma, mb;
    size_t ia = kb_related_meaning(a, &ma), ib = kb_related_meaning(b, &mb);
    double best;

    if (ia == NONE || ib == NONE)
        return 0;
    if (ia == ib)
        return 1.0;
    /* Each word in the other's profile, then every lemma the two share. */
    best = profile_weight(&mb, ma.self);
    if (profile_weight(&ma, mb.self) > best)
        best = profile_weight(&ma, mb.self);
    for (size_t k = 0; k < ma.n; k++) {
        double s = ma.w[k] / 255.0 * profile_weight(&mb, ma.id[k]);

        if (s > best)
            best = s;
    }
    return best;
}

struct kb_related_item *
kb_related_item_new(void)
{
    return xcalloc(1, sizeof(struct kb_related_item));
}

void
kb_related_item_free(struct kb_related_item *it)
{
    if (it == NULL)
        return;
    free(it->l);
    free(it);
}

/* Appends @word at @w; kb_related_item_add() sorts and keeps each word's heaviest. */
static void
item_put(struct kb_related_item *it, unsigned word, double w)
{
    if (it->n == it->max) {
        it->max = it->max ? it->max * 2 : 64;
        it->l = xreallocarray(it->l, it->max, sizeof(*it->l));
    }
    it->l[it->n++] = (struct link){.word = word, .w = (float)w};
}

static int
cmp_link(const void *a, const void *b)
{
    unsigned x = ((const struct link *)a)->word, y = ((const struct link *)b)->word;

    return x < y ? -1 : x > y;
}

/*
 * Adds each word of @text (ASCII letters, folded; stop words and light words
 * only when @stop: "lead", "take" mean too many things) and its profile to @it
 * at @weight, when @it is not NULL.  Returns how many words it took.
 */
static size_t
each_word(const char *text, bool stop, struct kb_related_item *it, double weight)
{
    const char *p = text;
    size_t content = 0;

    while (*p != '\0') {
        char w[WORD_MAX];
        size_t n = 0;
        struct kb_related_meaning m;

        while (*p != '\0' && !isalpha((unsigned char)*p))
            p++;
        while (isalpha((unsigned char)*p)) {
            if (n < sizeof(w) - 1)
                w[n] = (char)tolower((unsigned char)*p);
            n++;
            p++;
        }
        if (n < 3 || n >= sizeof(w))
            continue;
        w[n] = '\0';
        if ((kb_text_is_stopword(w) || kb_lex_is_light(w)) && !stop)
            continue;
        content++;
        if (it == NULL || kb_related_meaning(w, &m) == NONE)
            continue;
        item_put(it, m.self, weight);
        for (size_t k = 0; k < m.n; k++)
            item_put(it, m.id[k], weight * m.w[k] / 255.0);
    }
    return content;
}

void
kb_related_item_add(struct kb_related_item *it, const char *text, double weight)
{
    size_t n = 0;

    /* A name of stop and light words only ("Hope", "Open") is all meaning. */
    (void)each_word(text, each_word(text, false, NULL, 0) == 0, it, weight);
    qsort(it->l, it->n, sizeof(*it->l), cmp_link);
    for (size_t i = 0; i < it->n; i++) {
        if (n > 0 && it->l[n - 1].word == it->l[i].word) {
            if (it->l[i].w > it->l[n - 1].w)
                it->l[n - 1].w = it->l[i].w;
        } else {
            it->l[n++] = it->l[i];
        }
    }
    it->n = n;
}

/* The weight of lemma @c in @it, 0 when absent. */
static double
item_weight(const struct kb_related_item *it, unsigned c)
{
    size_t lo = 0, hi = it->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (it->l[mid].word == c)
            return it->l[mid].w;
        if (it->l[mid].word < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* How close @it is to the word whose meaning is @m (NULL: a word the table lacks). */
static double
item_score_rec(const struct kb_related_item *it, const struct kb_related_meaning *m)
{
    double best;

    if (m == NULL || it->n == 0)
        return 0;
    best = item_weight(it, m->self);
    for (size_t k = 0; k < m->n; k++) {
        double s = m->w[k] / 255.0 * item_weight(it, m->id[k]);

        if (s > best)
            best = s;
    }
    return best;
}

double
kb_related_item_score(const struct kb_related_item *it, const char *w)
{
    struct kb_related_meaning m;

    return kb_related_meaning(w, &m) != NONE ? item_score_rec(it, &m) : 0;
}

struct kb_related_index {
    struct kb_related_item **values, **goals; /* owned, one per value, per goal */
    size_t nvalues, ngoals;
};

struct kb_related_index *
kb_related_index_new(const struct kb *kb)
{
    struct kb_related_index *ri = xcalloc(1, sizeof(*ri));

    ri->nvalues = kb->nvalues;
    ri->values = xcalloc(kb->nvalues ? kb->nvalues : 1, sizeof(*ri->values));
    for (size_t i = 0; i < kb->nvalues; i++) {
        const struct kb_value *v = &kb->values[i];
        struct kb_related_item *it = ri->values[i] = kb_related_item_new();

        kb_related_item_add(it, v->name, 1.0);
        for (size_t k = 0; k < v->naliases; k++)
            kb_related_item_add(it, v->aliases[k], 1.0);
        kb_related_item_add(it, v->description, DETAIL_WEIGHT);
        for (size_t k = 0; k < v->nbehaviours; k++)
            kb_related_item_add(it, v->behaviours[k].text, DETAIL_WEIGHT);
    }
    ri->ngoals = kb->ngoals;
    ri->goals = xcalloc(kb->ngoals ? kb->ngoals : 1, sizeof(*ri->goals));
    for (size_t i = 0; i < kb->ngoals; i++) {
        const struct kb_goal *g = &kb->goals[i];
        struct kb_related_item *it = ri->goals[i] = kb_related_item_new();

        kb_related_item_add(it, g->title, 1.0);
        for (size_t k = 0; k < g->naliases; k++)
            kb_related_item_add(it, g->aliases[k], 1.0);
        kb_related_item_add(it, g->description, DETAIL_WEIGHT);
        for (size_t k = 0; k < g->npoints; k++)
            kb_related_item_add(it, g->points[k].text, POINT_WEIGHT);
    }
    return ri;
}

void
kb_related_index_free(struct kb_related_index *ri)
{
    if (ri == NULL)
        return;
    for (size_t i = 0; i < ri->nvalues; i++)
        kb_related_item_free(ri->values[i]);
    for (size_t i = 0; i < ri->ngoals; i++)
        kb_related_item_free(ri->goals[i]);
    free(ri->values);
    free(ri->goals);
    free(ri);
}

double
kb_related_index_score(const struct kb_related_index *ri, enum kb_related_kind kind,
                       size_t item, const char *w)
{
    if (kind == KB_RELATED_VALUE)
        return item < ri->nvalues ? kb_related_item_score(ri->values[item], w) : 0;
    return item < ri->ngoals ? kb_related_item_score(ri->goals[item], w) : 0;
}

size_t
kb_related_best(const struct kb_related_index *ri, enum kb_related_kind kind,
                const char *const *w, size_t n, double *score)
{
    struct kb_related_item *const *items =
        kind == KB_RELATED_VALUE ? ri->values : ri->goals;
    size_t nitems = kind == KB_RELATED_VALUE ? ri->nvalues : ri->ngoals;
    size_t best = SIZE_MAX;
    struct kb_related_meaning m[KB_RELATED_MAX_WORDS];
    bool found[KB_RELATED_MAX_WORDS];
    double first = 0, second = 0;

    /* Each word found in the table once, not once per item. */
    if (n > KB_RELATED_MAX_WORDS)
        n = KB_RELATED_MAX_WORDS;
    for (size_t k = 0; k < n; k++)
        found[k] = kb_related_meaning(w[k], &m[k]) != NONE;
    for (size_t i = 0; i < nitems; i++) {
        double s = 1;

        /* Every word counts: "christmas party" is not about an organisation. */
        for (size_t k = 0; k < n; k++) {
            double sk = item_score_rec(items[i], found[k] ? &m[k] : NULL);

            if (sk < s)
                s = sk;
        }
        if (s > first) {
            second = first;
            first = s;
            best = i;
        } else if (s > second) {
            second = s;
        }
    }
    *score = first;
    if (best == SIZE_MAX || first < RELATED_MIN || second >= first * RELATED_CLEAR)
        return SIZE_MAX;
    return best;
}
