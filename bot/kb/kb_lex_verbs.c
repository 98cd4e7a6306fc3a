/*
 * kb_lex_verbs.c - the class of meaning of an English verb, by a binary
 * search of the lemmas scripts/gen_lex.py --verbs wrote, after the inflection
 * is undone.
 */
#include "bot/kb/kb_lex_verbs.h"

#include <string.h>

#include "bot/kb/kb_lex.h"

#define VERB_MAX 32 /* letters of a form looked up; longer words are of no class */

/* The classes of the lemma @w, 0 when the table lacks it. */
static unsigned
lemma_class(const char *w)
{
    size_t lo = 0, hi = kb_lex_verbs_n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(w, kb_lex_verbs_strings + kb_lex_verbs_at[mid]);

        if (c == 0)
            return kb_lex_verbs_cls[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

unsigned
kb_lex_verbs_class(const char *w)
{
    /* Regular endings and what they replace, longest first ("tidied": tidy). */
    static const char *const ends[][2] = {{"ies", "y"}, {"ied", "y"}, {"ing", ""},
                                          {"ing", "e"}, {"ed", ""},   {"ed", "e"},
                                          {"es", ""},   {"s", ""}};
    char base[VERB_MAX + 2];
    size_t n = strlen(w);
    const char *lemma;
    unsigned cls;

    if (n == 0 || n > VERB_MAX)
        return 0;
    if ((cls = lemma_class(w)) != 0)
        return cls;
    if ((lemma = kb_lex_lemma(w)) != NULL && (cls = lemma_class(lemma)) != 0)
        return cls; /* "rewrote": rewrite */
    for (size_t k = 0; k < sizeof(ends) / sizeof(ends[0]); k++) {
        size_t e = strlen(ends[k][0]), stem;

        if (n <= e + 1 || strcmp(w + n - e, ends[k][0]) != 0)
            continue;
        stem = n - e;
        memcpy(base, w, stem);
        memcpy(base + stem, ends[k][1], strlen(ends[k][1]) + 1);
        if ((cls = lemma_class(base)) != 0)
            return cls;
        /* "swapped", "scrapping": the consonant doubled before the ending */
        if (ends[k][1][0] == '\0' && stem > 2 && base[stem - 1] == base[stem - 2]) {
            base[stem - 1] = '\0';
            if ((cls = lemma_class(base)) != 0)
                return cls;
        }
    }
    return 0;
}
