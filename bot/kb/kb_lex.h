/*
 * kb_lex.h - what an English word carries: how common it is, from WordNet's
 * sense-tagged corpus counts, and the words related to it (tables generated
 * by scripts/gen_lex.py).
 */
#ifndef BOT_KB_KB_LEX_H
#define BOT_KB_KB_LEX_H

#include <stdbool.h>
#include <stddef.h>

#define KB_LEX_PERSON 1u /* a person or a group of people: "colleague", "staff" */
#define KB_LEX_PLACE  2u /* a place or a building: "district", "hospital", "site" */
#define KB_LEX_MONEY  4u /* a sum of money, a price, a fund: "budget", "cost" */
#define KB_LEX_PEOPLE 8u /* mostly of people (most senses): "staff", not "service" */

struct kb_lex_word {
    unsigned off;         /* the lowercase lemma: kb_lex_strings + off */
    unsigned short count; /* times seen in SemCor, capped at 65535 */
    unsigned char noun;   /* per cent of those as a noun */
    unsigned char cls;    /* KB_LEX_*: what a noun sense names */
};

/* An irregular form ("held", "children") and its lemma's entry. */
struct kb_lex_form {
    unsigned off;  /* the form: kb_lex_form_strings + off */
    unsigned word; /* the lemma: kb_lex_words[word] */
};

extern const char kb_lex_strings[];             /* the words, each ending in NUL */
extern const struct kb_lex_word kb_lex_words[]; /* sorted by word */
extern const size_t kb_lex_nwords;
extern const char kb_lex_form_strings[];
extern const struct kb_lex_form kb_lex_forms[]; /* sorted by form */
extern const size_t kb_lex_nforms;
extern const unsigned kb_lex_rel_at[];    /* kb_lex_nwords + 1 starts into kb_lex_rel */
extern const unsigned short kb_lex_rel[]; /* related words, as kb_lex_words indexes */
/* Open-addressing tables of kb_lex_words / kb_lex_forms index + 1 (0 empty) at
 * the FNV-1a hash of the word, linear probing; generated with the words. */
#define KB_LEX_SLOTS 32768u
extern const unsigned short kb_lex_word_slots[KB_LEX_SLOTS];
extern const unsigned short kb_lex_form_slots[KB_LEX_SLOTS];

/*
 * Returns how often the folded word @w (or its lemma: "happened", "pages",
 * "studies", "taking", "held") was seen; 0 for a word the table lacks (rare words,
 * names, abbreviations).
 */
unsigned kb_lex_count(const char *w);

/* The entry for the folded word @w or its lemma, as kb_lex_count(); NULL when none. */
const struct kb_lex_word *kb_lex_find(const char *w);

/*
 * Writes to @out (at most @max, borrowed: static) the lemmas WordNet relates to
 * the folded word @w or its lemma ("money": "fund", "wealth"; "site":
 * "location", "place"): synonyms, derivations, close hypernyms and small
 * families of siblings, the commonest senses first.  Returns how many.
 */
size_t kb_lex_related(const char *w, const char **out, size_t max);

/*
 * A light word: one seen at least KB_LEX_LIGHT_COUNT times in SemCor, under
 * KB_LEX_LIGHT_NOUN per cent of them as a noun ("take", "lead", "pay",
 * "ready"): what it says depends on the words around it more than a noun's.
 */
#define KB_LEX_LIGHT_NOUN  20
#define KB_LEX_LIGHT_COUNT 50

/* Is the folded word @w (or its lemma) a light word? */
bool kb_lex_is_light(const char *w);

/* The lemma of the folded word @w ("held": "hold"), borrowed: static; NULL when none. */
const char *kb_lex_lemma(const char *w);

/*
 * kb_lex_lemma() and kb_lex_related() of an entry kb_lex_find() gave (NULL: none),
 * for a caller that keeps the entry: each kb_lex_find() is a search or several.
 */
const char *kb_lex_entry_lemma(const struct kb_lex_word *lw);
size_t kb_lex_entry_related(const struct kb_lex_word *lw, const char **out, size_t max);

#endif /* BOT_KB_KB_LEX_H */
