/*
 * kb_text.h - text normalisation: Unicode folding, words, stems.
 *
 * Questions and KB text go through the same steps, so that they meet in
 * the middle: NFKC, case folding and accent stripping (utf8proc); words of
 * ASCII letters and digits, apostrophes joined ("we’ll" -> "well"), a
 * hyphenated word given as its parts and then whole ("co-create" -> "co",
 * "create", "cocreate"); American spellings mapped to British
 * ("prioritize" -> "prioritise"); then the Snowball English stemmer
 * (libstemmer), whose results are cached per normaliser.
 */
#ifndef BOT_KB_KB_TEXT_H
#define BOT_KB_KB_TEXT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define KB_WORD_MAX 32 /* longer words are cut; no strategy word is this long */

struct kb_word {
    char surface[KB_WORD_MAX]; /* folded word as written, British spelling */
    char stem[KB_WORD_MAX];    /* Snowball stem of @surface; a stop word's is @surface */
};

struct kb_text; /* opaque: holds the stemmer */

/* Returns a new normaliser; free with kb_text_free().  Not thread-safe (it
 * holds the stemmer and a bounded cache of stems). */
struct kb_text *kb_text_new(void);

/* Frees @t.  NULL is a no-op. */
void kb_text_free(struct kb_text *t);

/*
 * Splits the @len bytes at @s into words, writing at most @max to @words
 * (out).  Returns how many were written.  Invalid UTF-8 is tolerated: the
 * bytes that do not decode are treated as separators.
 */
size_t kb_text_words(struct kb_text *t, const char *s, size_t len, struct kb_word *words,
                     size_t max);

/* Stems one folded word @w into @out (KB_WORD_MAX bytes). */
void kb_text_stem(struct kb_text *t, const char *w, char *out);

/* Returns true for words that carry no meaning in a question ("the", "please"). */
bool kb_text_is_stopword(const char *surface);

/*
 * The stop word @w is with one letter left out after its first ("hav",
 * "wat": "have", "what"), or NULL.
 */
const char *kb_text_stopword_near(const char *w);

/*
 * Returns the optimal string alignment distance (edits, a transposition
 * counting as one) between @a and @b, or @limit + 1 as soon as it exceeds @limit.
 */
size_t kb_text_distance(const char *a, const char *b, size_t limit);

/*
 * Is the word @w one of @list (NULL-terminated)?  The one word-list lookup of
 * the engine and the message reader; inline, as it runs per word per list.
 */
static inline bool
kb_text_in_list(const char *w, const char *const *list)
{
    for (size_t i = 0; list[i] != NULL; i++) {
        /* two letters tested before strcmp() is called: most words differ there
         * (a list's words are never empty, so w[1] is read only when w[0] is not
         * the end) */
        if (w[0] == list[i][0] && w[1] == list[i][1] && strcmp(w, list[i]) == 0)
            return true;
    }
    return false;
}

/*
 * Fixed word lists looked up together: one hash probe per word says which
 * of up to 32 NULL-terminated lists hold it, where kb_text_in_list() costs a
 * strcmp() per entry of every list asked.  The table is built on the first
 * lookup (thread-safe) and never freed; declare one static per set of lists:
 *
 *     static const char *const *const lists[] = {post, digest};
 *     static struct kb_text_wordsets sets = KB_TEXT_WORDSETS_INIT(lists);
 *     uint32_t bits = kb_text_wordsets_find(&sets, w); // bit 0: w in post
 *
 * The fields are the lookup's own; only the initialiser's are set by users.
 */
#define KB_TEXT_WORDSETS_MAX 128 /* distinct words of one table */

struct kb_text_wordsets {
    const char *const *const *lists;        /* borrowed: static, each NULL-terminated */
    size_t nlists;                          /* at most 32 */
    atomic_bool ready;                      /* the table below is filled */
    uint8_t slot[2 * KB_TEXT_WORDSETS_MAX]; /* open addressing: entry + 1, 0 empty */
    uint32_t hash[KB_TEXT_WORDSETS_MAX];    /* per entry: its word's hash */
    uint32_t bits[KB_TEXT_WORDSETS_MAX];    /* per entry: the lists it is in */
    const char *word[KB_TEXT_WORDSETS_MAX]; /* per entry: borrowed from the lists */
};

#define KB_TEXT_WORDSETS_INIT(l)                                                         \
    {                                                                                    \
        .lists = (l), .nlists = sizeof(l) / sizeof((l)[0])                               \
    }

/* The lists of @ws that hold @w, bit i for lists[i]; 0 when none does. */
uint32_t kb_text_wordsets_find(struct kb_text_wordsets *ws, const char *w);

#endif /* BOT_KB_KB_TEXT_H */
