/*
 * kb_index.c - an in-memory BM25 index over one organisation's KB.
 *
 * Sizes are small (a strategy has a few hundred distinct stems and under
 * two hundred documents), so the structures are plain: an open-addressing
 * hash of stems, a posting list per term, a sorted array of surface words
 * for spelling correction.
 */
#include "bot/kb/kb_index.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"

#define BM25_K1 1.2
#define BM25_B  0.75

struct posting {
    size_t doc;
    double tf; /* field-weighted term frequency */
};

struct term {
    char *stem; /* owned */
    struct posting *post;
    size_t npost;
    size_t cap; /* postings allocated */
};

struct doc {
    struct kb_doc_ref ref;
    double len; /* field-weighted length */
};

/* One phrase of a synonym group: the stems of its meaningful words. */
struct phrase {
    char stems[KB_INDEX_PHRASE_MAX][KB_WORD_MAX];
    size_t n;
    size_t group; /* term id of the group's canonical term */
    size_t next;  /* the next phrase (+ 1, 0 none) with the same first stem */
};

struct kb_index {
    struct phrase *phrases; /* owned, longest first */
    size_t nphrases;
    size_t *firsts; /* hash of first stems: their first phrase + 1 (0 = empty) */
    size_t nfirsts; /* power of two */
    struct term *terms;
    size_t nterms;
    size_t *slots; /* hash of term ids + 1 (0 = empty) */
    size_t nslots; /* power of two */
    struct doc *docs;
    size_t ndocs;
    double avglen;
    char **words; /* owned, sorted, unique surface words */
    size_t nwords;
    size_t wcap;         /* words allocated */
    char **wslots;       /* hash of the words (borrowed from words; NULL = empty) */
    size_t nwslots;      /* power of two */
    unsigned char *wlen; /* owned, per word: its length, 255 at most */
    uint64_t *wmask;     /* owned, per word: letters_of() */
    size_t wfirst[257];  /* words[wfirst[c]] is the first starting with byte c or after */
    struct kb_text *text; /* borrowed */
    double *score;   /* owned scratch, one per document: searches run on one thread */
    double *covered; /* owned scratch, likewise */
};

static uint64_t
hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static size_t
term_find(const struct kb_index *idx, const char *stem)
{
    size_t i = hash_str(stem) & (idx->nslots - 1);

    while (idx->slots[i] != 0) {
        if (strcmp(idx->terms[idx->slots[i] - 1].stem, stem) == 0)
            return idx->slots[i] - 1;
        i = (i + 1) & (idx->nslots - 1);
    }
    return KB_INDEX_UNKNOWN;
}

static void
rehash(struct kb_index *idx)
{
    free(idx->slots);
    idx->nslots = idx->nslots ? idx->nslots * 2 : 256;
    idx->slots = xcalloc(idx->nslots, sizeof(*idx->slots));
    for (size_t t = 0; t < idx->nterms; t++) {
        size_t i = hash_str(idx->terms[t].stem) & (idx->nslots - 1);

        while (idx->slots[i] != 0)
            i = (i + 1) & (idx->nslots - 1);
        idx->slots[i] = t + 1;
    }
}

static size_t
term_add(struct kb_index *idx, const char *stem)
{
    size_t id = term_find(idx, stem);

    if (id != KB_INDEX_UNKNOWN)
        return id;
    idx->terms = xreallocarray(idx->terms, idx->nterms + 1, sizeof(*idx->terms));
    idx->terms[idx->nterms] = (struct term){.stem = xstrdup(stem)};
    id = idx->nterms++;
    if (idx->nterms * 2 > idx->nslots)
        rehash(idx);
    else {
        size_t i = hash_str(stem) & (idx->nslots - 1);

        while (idx->slots[i] != 0)
            i = (i + 1) & (idx->nslots - 1);
        idx->slots[i] = id + 1;
    }
    return id;
}

/* The slot of @w in the words' hash: where it is, or the empty one it would take. */
static size_t
word_slot(const struct kb_index *idx, const char *w)
{
    size_t i = hash_str(w) & (idx->nwslots - 1);

    while (idx->wslots[i] != NULL && strcmp(idx->wslots[i], w) != 0)
        i = (i + 1) & (idx->nwslots - 1);
    return i;
}

static void
words_rehash(struct kb_index *idx)
{
    free(idx->wslots);
    free(idx->wlen);
    free(idx->wmask);
    idx->nwslots = idx->nwslots ? idx->nwslots * 2 : 1024;
    idx->wslots = xcalloc(idx->nwslots, sizeof(*idx->wslots));
    for (size_t w = 0; w < idx->nwords; w++)
        idx->wslots[word_slot(idx, idx->words[w])] = idx->words[w];
}

/* Adds the surface word @w once: a KB repeats most of its words. */
static void
word_add(struct kb_index *idx, const char *w)
{
    size_t i = word_slot(idx, w);

    if (idx->wslots[i] != NULL)
        return;
    if (idx->nwords == idx->wcap) {
        idx->wcap = idx->wcap ? idx->wcap * 2 : 256;
        idx->words = xreallocarray(idx->words, idx->wcap, sizeof(*idx->words));
    }
    idx->words[idx->nwords] = xstrdup(w);
    idx->wslots[i] = idx->words[idx->nwords++];
    if (idx->nwords * 2 > idx->nwslots)
        words_rehash(idx);
}

static void
post_add(struct kb_index *idx, size_t doc, size_t id, double weight)
{
    struct term *t = &idx->terms[id];

    if (t->npost == 0 || t->post[t->npost - 1].doc != doc) {
        if (t->npost == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 4;
            t->post = xreallocarray(t->post, t->cap, sizeof(*t->post));
        }
        t->post[t->npost++] = (struct posting){.doc = doc, .tf = 0};
    }
    t->post[t->npost - 1].tf += weight;
    idx->docs[doc].len += weight;
}

/* Adds @s to document @doc with field weight @weight. */
static void
add_text(struct kb_index *idx, size_t doc, const char *s, double weight)
{
    struct kb_word words[256];
    size_t n = kb_text_words(idx->text, s, strlen(s), words, 256), len;

    for (size_t i = 0; i < n; i++) {
        size_t group;

        word_add(idx, words[i].surface);
        if (kb_text_is_stopword(words[i].surface))
            continue;
        post_add(idx, doc, term_add(idx, words[i].stem), weight);
        /* A synonym phrase starting here also counts as its group's term. */
        group = kb_index_synonym(idx, words, n, i, &len);
        if (group != KB_INDEX_UNKNOWN)
            post_add(idx, doc, group, weight);
    }
}

/*
 * The phrases by their first stem, in their order (longest first): a word
 * is matched against the phrases that start with its stem, not every phrase.
 */
static void
first_stems_index(struct kb_index *idx)
{
    idx->nfirsts = 16;
    while (idx->nfirsts < idx->nphrases * 2)
        idx->nfirsts *= 2;
    idx->firsts = xcalloc(idx->nfirsts, sizeof(*idx->firsts));
    for (size_t p = 0; p < idx->nphrases; p++) {
        const char *stem = idx->phrases[p].stems[0];
        size_t i = hash_str(stem) & (idx->nfirsts - 1), last;

        while (idx->firsts[i] != 0 &&
               strcmp(idx->phrases[idx->firsts[i] - 1].stems[0], stem) != 0)
            i = (i + 1) & (idx->nfirsts - 1);
        if (idx->firsts[i] == 0) {
            idx->firsts[i] = p + 1;
            continue;
        }
        for (last = idx->firsts[i] - 1; idx->phrases[last].next != 0;
             last = idx->phrases[last].next - 1)
            ;
        idx->phrases[last].next = p + 1;
    }
}

/* The first phrase + 1 that starts with @stem; 0 if none does. */
static size_t
first_stem_find(const struct kb_index *idx, const char *stem)
{
    size_t i = hash_str(stem) & (idx->nfirsts - 1);

    while (idx->firsts[i] != 0) {
        if (strcmp(idx->phrases[idx->firsts[i] - 1].stems[0], stem) == 0)
            return idx->firsts[i];
        i = (i + 1) & (idx->nfirsts - 1);
    }
    return 0;
}

static int
cmp_phrase_len(const void *a, const void *b)
{
    const struct phrase *x = a, *y = b;

    return x->n < y->n ? 1 : x->n > y->n ? -1 : 0;
}

/*
 * Compiles the KB's synonym groups: each phrase becomes the stems of its
 * meaningful words, and each group one canonical term, "=N", that no
 * word can stem to.  Longest phrases first, so "chief executive" is tried
 * before "chief".
 */
static void
compile_synonyms(struct kb_index *idx, const struct kb *kb)
{
    for (size_t g = 0; g < kb->nsynonyms; g++) {
        char name[32];
        size_t group;

        snprintf(name, sizeof(name), "=%zu", g);
        group = term_add(idx, name);
        for (size_t k = 0; k < kb->synonyms[g].n; k++) {
            const char *ph = kb->synonyms[g].terms[k];
            struct kb_word w[KB_INDEX_PHRASE_MAX * 2];
            size_t n =
                kb_text_words(idx->text, ph, strlen(ph), w, KB_INDEX_PHRASE_MAX * 2);
            struct phrase p = {.group = group};

            for (size_t i = 0; i < n && p.n < KB_INDEX_PHRASE_MAX; i++) {
                if (!kb_text_is_stopword(w[i].surface))
                    memcpy(p.stems[p.n++], w[i].stem, KB_WORD_MAX);
            }
            if (p.n == 0)
                continue;
            idx->phrases =
                xreallocarray(idx->phrases, idx->nphrases + 1, sizeof(*idx->phrases));
            idx->phrases[idx->nphrases++] = p;
        }
    }
    if (idx->nphrases > 0)
        qsort(idx->phrases, idx->nphrases, sizeof(*idx->phrases), cmp_phrase_len);
    first_stems_index(idx);
}

size_t
kb_index_synonym(const struct kb_index *idx, const struct kb_word *w, size_t n, size_t at,
                 size_t *len)
{
    if (at >= n)
        return KB_INDEX_UNKNOWN;
    /* The phrases that start with this word's stem, longest first. */
    for (size_t p = first_stem_find(idx, w[at].stem); p != 0;
         p = idx->phrases[p - 1].next) {
        const struct phrase *ph = &idx->phrases[p - 1];
        size_t i = at + 1, k = 1;

        /* Match the phrase's other stems against the next meaningful words. */
        while (k < ph->n && i < n) {
            if (strcmp(w[i].stem, ph->stems[k]) == 0) {
                i++;
                k++;
            } else if (kb_text_is_stopword(w[i].surface)) {
                i++;
            } else {
                break;
            }
        }
        if (k == ph->n && !kb_text_is_stopword(w[at].surface)) {
            *len = i - at;
            return ph->group;
        }
    }
    return KB_INDEX_UNKNOWN;
}

static size_t
doc_new(struct kb_index *idx, enum kb_doc_kind kind, size_t item, size_t sub)
{
    idx->docs = xreallocarray(idx->docs, idx->ndocs + 1, sizeof(*idx->docs));
    idx->docs[idx->ndocs] = (struct doc){.ref = {.kind = kind, .item = item, .sub = sub}};
    return idx->ndocs++;
}

/* The letters @w has, one bit each (bytes that share a bit count as one letter). */
static uint64_t
letters_of(const char *w)
{
    uint64_t m = 0;

    for (; *w; w++)
        m |= (uint64_t)1 << ((unsigned char)*w & 63);
    return m;
}

/*
 * Can @a and @b, with letters @ma and @mb, be within @limit edits?  Each
 * edit brings in one letter at most and takes away one at most, so @limit
 * edits cannot reach a word with more letters @a lacks, or lacks more of its.
 */
static bool
letters_within(uint64_t ma, uint64_t mb, size_t limit)
{
    return (size_t)__builtin_popcountll(ma & ~mb) <= limit &&
           (size_t)__builtin_popcountll(mb & ~ma) <= limit;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct kb_index *
kb_index_new(const struct kb *kb, struct kb_text *text)
{
    struct kb_index *idx = xcalloc(1, sizeof(*idx));
    size_t d;
    double total = 0;

    idx->text = text;
    rehash(idx);
    words_rehash(idx);
    compile_synonyms(idx, kb);
    for (size_t i = 0; i < kb->ngoals; i++) {
        const struct kb_goal *g = &kb->goals[i];

        d = doc_new(idx, KB_DOC_GOAL, i, 0);
        add_text(idx, d, g->title, 3);
        add_text(idx, d, g->description, 1);
        for (size_t k = 0; k < g->npoints; k++)
            add_text(idx, d, g->points[k].text, 1);
        for (size_t k = 0; k < g->naliases; k++)
            add_text(idx, d, g->aliases[k], 3);
    }
    for (size_t i = 0; i < kb->nvalues; i++) {
        const struct kb_value *v = &kb->values[i];

        d = doc_new(idx, KB_DOC_VALUE, i, 0);
        add_text(idx, d, v->name, 3);
        add_text(idx, d, v->description, 1);
        for (size_t k = 0; k < v->naliases; k++)
            add_text(idx, d, v->aliases[k], 3);
        for (size_t k = 0; k < v->nbehaviours; k++) {
            d = doc_new(idx, KB_DOC_BEHAVIOUR, i, k);
            add_text(idx, d, v->behaviours[k].text, 2);
        }
    }
    if (kb->mission.text != NULL)
        add_text(idx, doc_new(idx, KB_DOC_MISSION, 0, 0), kb->mission.text, 1);
    if (kb->vision.text != NULL)
        add_text(idx, doc_new(idx, KB_DOC_VISION, 0, 0), kb->vision.text, 1);
    for (size_t i = 0; i < kb->nambitions; i++) {
        d = doc_new(idx, KB_DOC_AMBITION, i, 0);
        add_text(idx, d, kb->ambitions[i].title, 2);
        add_text(idx, d, kb->ambitions[i].text, 1);
    }
    /*
     * A heading names what is under it ("Our five enablers" over "Digital,
     * estates, finance, research and improvement support the three
     * pillars."): its words are the words of the passage right under it.
     */
    for (size_t i = 0; i < kb->npassages; i++) {
        const char *sec = kb->passages[i].section;

        d = doc_new(idx, KB_DOC_PASSAGE, i, 0);
        add_text(idx, d, kb->passages[i].text, 1);
        if (sec != NULL && sec[0] != '\0' &&
            (i == 0 || kb->passages[i - 1].section == NULL ||
             strcmp(kb->passages[i - 1].section, sec) != 0))
            add_text(idx, d, sec, 1);
    }
    for (size_t i = 0; i < idx->ndocs; i++)
        total += idx->docs[i].len;
    idx->avglen = idx->ndocs ? total / (double)idx->ndocs : 1;
    if (idx->avglen <= 0)
        idx->avglen = 1;
    /* Sort the surface words (each added once; the hash keeps pointers, not places). */
    qsort(idx->words, idx->nwords, sizeof(*idx->words), cmp_str);
    /* Where each first letter starts, and each word's length: the spelling
     * correction reads only the words of one letter and of about one length. */
    idx->wlen = xmalloc(idx->nwords + 1);
    idx->wmask = xmalloc((idx->nwords + 1) * sizeof(*idx->wmask));
    for (size_t i = 0, c = 0; i <= idx->nwords; i++) {
        unsigned first = i < idx->nwords ? (unsigned char)idx->words[i][0] : 256;
        size_t len = i < idx->nwords ? strlen(idx->words[i]) : 0;

        while (c <= first)
            idx->wfirst[c++] = i;
        idx->wlen[i] = (unsigned char)(len < 255 ? len : 255);
        idx->wmask[i] = i < idx->nwords ? letters_of(idx->words[i]) : 0;
    }
    idx->score = xcalloc(idx->ndocs, sizeof(*idx->score));
    idx->covered = xcalloc(idx->ndocs, sizeof(*idx->covered));
    return idx;
}

void
kb_index_free(struct kb_index *idx)
{
    if (idx == NULL)
        return;
    for (size_t i = 0; i < idx->nterms; i++) {
        free(idx->terms[i].stem);
        free(idx->terms[i].post);
    }
    free(idx->terms);
    free(idx->phrases);
    free(idx->firsts);
    free(idx->slots);
    free(idx->docs);
    for (size_t i = 0; i < idx->nwords; i++)
        free(idx->words[i]);
    free(idx->words);
    free(idx->wslots);
    free(idx->wlen);
    free(idx->wmask);
    free(idx->score);
    free(idx->covered);
    free(idx);
}

size_t
kb_index_term(const struct kb_index *idx, const char *stem)
{
    size_t id = term_find(idx, stem), n = strlen(stem);
    char prefix[KB_WORD_MAX];

    if (id != KB_INDEX_UNKNOWN)
        return id;
    /* "honesti" (honesty) finds "honest": the longest known stem it extends. */
    memcpy(prefix, stem, n + 1);
    for (size_t k = n - 1; k >= 5 && k < n; k--) {
        prefix[k] = '\0';
        if ((id = term_find(idx, prefix)) != KB_INDEX_UNKNOWN)
            return id;
    }
    return KB_INDEX_UNKNOWN;
}

bool
kb_index_has_term(const struct kb_index *idx, const char *stem)
{
    return term_find(idx, stem) != KB_INDEX_UNKNOWN;
}

double
kb_index_idf(const struct kb_index *idx, size_t id)
{
    double n = (double)idx->ndocs;
    double df = id == KB_INDEX_UNKNOWN ? 0 : (double)idx->terms[id].npost;

    return log(1.0 + (n - df + 0.5) / (df + 0.5));
}

bool
kb_index_knows_word(const struct kb_index *idx, const char *surface)
{
    return idx->wslots[word_slot(idx, surface)] != NULL;
}

/* Returns the index of the first KB word not sorted before @prefix. */
static size_t
words_lower_bound(const struct kb_index *idx, const char *prefix)
{
    size_t lo = 0, hi = idx->nwords;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(idx->words[mid], prefix) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/*
 * "exec" for "executive": an unknown word of four letters or more that
 * begins exactly one KB word at least two letters longer (its plural and
 * other forms with the same stem count as one).
 */
static const char *
abbreviation(const struct kb_index *idx, const char *surface)
{
    size_t n = strlen(surface);
    const char *found = NULL;
    char found_stem[KB_WORD_MAX], stem[KB_WORD_MAX];

    if (n < 4)
        return NULL;
    for (size_t i = words_lower_bound(idx, surface); i < idx->nwords; i++) {
        const char *w = idx->words[i];

        if (strncmp(w, surface, n) != 0)
            break; /* sorted: past the words that begin with @surface */
        if (strlen(w) < n + 2)
            continue;
        if (found == NULL) {
            found = w;
            kb_text_stem(idx->text, w, found_stem);
            continue;
        }
        kb_text_stem(idx->text, w, stem);
        if (strcmp(stem, found_stem) != 0)
            return NULL;
    }
    return found;
}

const char *
kb_index_correct(const struct kb_index *idx, const char *surface)
{
    size_t n = strlen(surface), limit, best_d, c = (unsigned char)surface[0];
    const char *best = NULL;
    uint64_t mask = letters_of(surface);

    /*
     * Four-letter words are too often other real words one edit away ("park",
     * "mark"), and people rarely mistype a word's first letter, so a
     * correction needs five letters and keeps the first one.  On a tie the
     * first word in sorted order wins, so the result does not depend on
     * the order the KB was read in.
     */
    if (n < 5)
        return abbreviation(idx, surface);
    limit = n >= 9 ? 2 : 1;
    best_d = limit + 1;
    /* sorted: the words with this first letter are one run */
    for (size_t i = idx->wfirst[c]; i < idx->wfirst[c + 1]; i++) {
        size_t dist, len = idx->wlen[i];

        /* too short, or too far in length alone to come within the limit */
        if (len < 4 || (len > n ? len - n : n - len) > limit ||
            !letters_within(mask, idx->wmask[i], limit))
            continue;
        dist = kb_text_distance(surface, idx->words[i], limit);
        if (dist < best_d) {
            best = idx->words[i];
            best_d = dist;
        }
    }
    if (best_d <= limit)
        return best;
    return abbreviation(idx, surface);
}

struct kb_doc_ref
kb_index_doc(const struct kb_index *idx, size_t doc)
{
    return idx->docs[doc].ref;
}

size_t
kb_index_ndocs(const struct kb_index *idx)
{
    return idx->ndocs;
}

bool
kb_index_doc_has(const struct kb_index *idx, size_t doc, size_t id)
{
    if (id == KB_INDEX_UNKNOWN)
        return false;
    for (size_t i = 0; i < idx->terms[id].npost; i++) {
        if (idx->terms[id].post[i].doc == doc)
            return true;
    }
    return false;
}

size_t
kb_index_search(const struct kb_index *idx, const size_t *terms, size_t n, unsigned kinds,
                struct kb_hit *hits, size_t max)
{
    double *score = idx->score, *covered = idx->covered, total = 0;
    size_t nd = idx->ndocs, nhits = 0;

    memset(score, 0, nd * sizeof(*score));
    memset(covered, 0, nd * sizeof(*covered));
    for (size_t q = 0; q < n; q++) {
        double idf = kb_index_idf(idx, terms[q]);
        bool dup = false;

        for (size_t k = 0; k < q && !dup; k++)
            dup = terms[k] == terms[q] && terms[q] != KB_INDEX_UNKNOWN;
        if (dup)
            continue;
        total += idf;
        if (terms[q] == KB_INDEX_UNKNOWN)
            continue;
        for (size_t p = 0; p < idx->terms[terms[q]].npost; p++) {
            const struct posting *po = &idx->terms[terms[q]].post[p];
            double len = idx->docs[po->doc].len;

            score[po->doc] +=
                idf * po->tf * (BM25_K1 + 1) /
                (po->tf + BM25_K1 * (1 - BM25_B + BM25_B * len / idx->avglen));
            covered[po->doc] += idf;
        }
    }
    for (size_t d = 0; d < nd; d++) {
        struct kb_hit h;
        size_t at;

        if (score[d] <= 0 || !(kinds & (1u << idx->docs[d].ref.kind)))
            continue;
        h = (struct kb_hit){
            .doc = d, .score = score[d], .coverage = total > 0 ? covered[d] / total : 0};
        /* Insertion into the best-first list of at most @max. */
        at = nhits < max ? nhits : max;
        while (at > 0 && hits[at - 1].score < h.score) {
            if (at < max)
                hits[at] = hits[at - 1];
            at--;
        }
        if (at < max) {
            hits[at] = h;
            if (nhits < max)
                nhits++;
        }
    }
    return nhits;
}
