/*
 * kb_lex.c - word frequencies and related words from the generated WordNet tables.
 */
#include "bot/kb/kb_lex.h"

#include <stdint.h>
#include <string.h>

/*
 * The words and the irregular forms, each found by one hash probe rather than
 * a binary search (some fourteen strcmp() calls per word, two searches for a
 * word that is no lemma).  The tables are generated with the words
 * (scripts/gen_lex.py), so a lookup reads only the slots and strings it meets:
 * building them at the first lookup read every word of the lexicon into
 * memory (half a megabyte of the process's RSS).
 */
static uint32_t
lex_hash(const char *w)
{
    uint32_t h = 2166136261u; /* FNV-1a, as gen_lex.py's lex_hash() */

    for (; *w; w++)
        h = (h ^ (unsigned char)*w) * 16777619u;
    return h;
}

static const struct kb_lex_word *
lookup(const char *w)
{
    for (uint32_t h = lex_hash(w);; h++) {
        unsigned at = kb_lex_word_slots[h & (KB_LEX_SLOTS - 1)];
        const char *s;

        if (at == 0)
            return NULL;
        s = kb_lex_strings + kb_lex_words[at - 1].off;
        if (s[0] == w[0] && strcmp(s, w) == 0)
            return &kb_lex_words[at - 1];
    }
}

/* An irregular form's lemma ("held": hold), from WordNet's exception lists. */
static const struct kb_lex_word *
lookup_form(const char *w)
{
    for (uint32_t h = lex_hash(w);; h++) {
        unsigned at = kb_lex_form_slots[h & (KB_LEX_SLOTS - 1)];
        const char *s;

        if (at == 0)
            return NULL;
        s = kb_lex_form_strings + kb_lex_forms[at - 1].off;
        if (s[0] == w[0] && strcmp(s, w) == 0)
            return &kb_lex_words[kb_lex_forms[at - 1].word];
    }
}

unsigned
kb_lex_count(const char *w)
{
    const struct kb_lex_word *hit = kb_lex_find(w);

    return hit ? hit->count : 0;
}

/* Does @w[0..n) end in a hissing sound: s, x, z, ch, sh? */
static bool
hisses(const char *w, size_t n)
{
    return n >= 1 &&
           (w[n - 1] == 's' || w[n - 1] == 'x' || w[n - 1] == 'z' ||
            (n >= 2 && w[n - 1] == 'h' && (w[n - 2] == 'c' || w[n - 2] == 's')));
}

const struct kb_lex_word *
kb_lex_find(const char *w)
{
    /* Inflections back to a lemma: longest ending first, the first found wins. */
    static const struct {
        const char *end, *repl;
        size_t len;  /* of end */
        bool hissed; /* "-es": a plural's only after a hiss */
    } rules[] = {{"ies", "y", 3, false}, {"ied", "y", 3, false}, {"ing", "", 3, false},
                 {"ing", "e", 3, false}, {"ed", "", 2, false},   {"ed", "e", 2, false},
                 {"es", "", 2, true},    {"s", "", 1, false},    {"ly", "", 2, false}};
    char buf[64];
    size_t n = strlen(w);
    const struct kb_lex_word *c = lookup(w);

    if (c != NULL || (c = lookup_form(w)) != NULL || n >= sizeof(buf))
        return c;
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        size_t m = rules[i].len;

        /* the last letters first: most words end in none of the endings */
        if (n <= m + 2 || w[n - 1] != rules[i].end[m - 1] ||
            memcmp(w + n - m, rules[i].end, m) != 0)
            continue;
        /*
         * "-es" is a plural's only after a hiss ("boxes", "churches"); else the
         * "e" is the lemma's ("sites": site, not the verb sit).
         */
        if (rules[i].hissed && !hisses(w, n - 2))
            continue;
        memcpy(buf, w, n - m);
        memcpy(buf + n - m, rules[i].repl, strlen(rules[i].repl) + 1);
        if ((c = lookup(buf)) != NULL)
            return c;
    }
    return NULL;
}

size_t
kb_lex_related(const char *w, const char **out, size_t max)
{
    return kb_lex_entry_related(kb_lex_find(w), out, max);
}

size_t
kb_lex_entry_related(const struct kb_lex_word *lw, const char **out, size_t max)
{
    size_t i, n = 0;

    if (lw == NULL)
        return 0;
    i = (size_t)(lw - kb_lex_words);
    for (unsigned k = kb_lex_rel_at[i]; k < kb_lex_rel_at[i + 1] && n < max; k++)
        out[n++] = kb_lex_strings + kb_lex_words[kb_lex_rel[k]].off;
    return n;
}

const char *
kb_lex_lemma(const char *w)
{
    return kb_lex_entry_lemma(kb_lex_find(w));
}

const char *
kb_lex_entry_lemma(const struct kb_lex_word *lw)
{
    return lw != NULL ? kb_lex_strings + lw->off : NULL;
}

bool
kb_lex_is_light(const char *w)
{
    const struct kb_lex_word *lw = kb_lex_find(w);

    return lw != NULL && lw->noun < KB_LEX_LIGHT_NOUN && lw->count >= KB_LEX_LIGHT_COUNT;
}
