/*
 * kb_index.h - an in-memory BM25 index over one organisation's KB.
 *
 * Every item of the KB becomes a document: each goal (title weighted over
 * its description and points), each value (name over description), each
 * behaviour, the mission, vision, ambitions and every passage.  Terms are
 * Snowball stems interned to integers, so scoring a question is integer
 * work over short posting lists.  Built once per KB load, then read-only.
 */
#ifndef BOT_KB_KB_INDEX_H
#define BOT_KB_KB_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/kb/kb_text.h"

struct kb;
struct kb_index;

enum kb_doc_kind {
    KB_DOC_GOAL,
    KB_DOC_VALUE,
    KB_DOC_BEHAVIOUR,
    KB_DOC_MISSION,
    KB_DOC_VISION,
    KB_DOC_AMBITION,
    KB_DOC_PASSAGE,
};

struct kb_doc_ref {
    enum kb_doc_kind kind;
    size_t item; /* index into the KB's goals, values, ambitions or passages */
    size_t sub;  /* behaviour index for KB_DOC_BEHAVIOUR, else 0 */
};

struct kb_hit {
    size_t doc;      /* document id */
    double score;    /* BM25, higher is better */
    double coverage; /* 0..1: share of the question's weight found in the document */
};

#define KB_INDEX_UNKNOWN ((size_t)-1) /* kb_index_term() for a stem not in the KB */

#define KB_INDEX_PHRASE_MAX 6 /* meaningful words of a synonym phrase considered */

/* Returns a new index of @kb (borrowed: must outlive the index); free with
 * kb_index_free(). */
struct kb_index *kb_index_new(const struct kb *kb, struct kb_text *text);

/* Frees @idx.  NULL is a no-op. */
void kb_index_free(struct kb_index *idx);

/* Returns the term id of @stem, or KB_INDEX_UNKNOWN. */
size_t kb_index_term(const struct kb_index *idx, const char *stem);

/* Returns true when @stem itself (no shorter form) is a term of the KB. */
bool kb_index_has_term(const struct kb_index *idx, const char *stem);

/* Returns the inverse document frequency of term @id (KB_INDEX_UNKNOWN: the largest). */
double kb_index_idf(const struct kb_index *idx, size_t id);

/* Returns true when @surface is a word the KB's text uses. */
bool kb_index_knows_word(const struct kb_index *idx, const char *surface);

/*
 * Finds the KB word closest to @surface within one edit (two for words of
 * nine letters or more; transpositions count as one) that begins with the
 * same letter; failing that, the one KB word @surface abbreviates ("exec":
 * "executive").  Returns it (borrowed), or NULL when none is close or
 * @surface is shorter than five letters (four for an abbreviation).
 */
const char *kb_index_correct(const struct kb_index *idx, const char *surface);

/*
 * Returns the term id of the synonym group whose phrase starts at word @at
 * of @w (@n words; stop words between the phrase's words are skipped), and
 * its length in words in *len (out); KB_INDEX_UNKNOWN when none does.
 * Every phrase of a group indexes as the group's one term, so "CEO" finds
 * the passage that says "Chief Executive".
 */
size_t kb_index_synonym(const struct kb_index *idx, const struct kb_word *w, size_t n,
                        size_t at, size_t *len);

/* Returns the document reference of @doc. */
struct kb_doc_ref kb_index_doc(const struct kb_index *idx, size_t doc);

/* Returns how many documents the index holds. */
size_t kb_index_ndocs(const struct kb_index *idx);

/*
 * Scores the query terms @terms (@n ids; KB_INDEX_UNKNOWN allowed and
 * counted against coverage) against the documents whose kind is in
 * @kinds (a bit mask of 1 << enum kb_doc_kind).  Writes the best @max hits,
 * best first, to @hits (out) and returns how many.
 */
size_t kb_index_search(const struct kb_index *idx, const size_t *terms, size_t n,
                       unsigned kinds, struct kb_hit *hits, size_t max);

/* Returns true when document @doc contains term @id. */
bool kb_index_doc_has(const struct kb_index *idx, size_t doc, size_t id);

#endif /* BOT_KB_KB_INDEX_H */
