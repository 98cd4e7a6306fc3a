/*
 * kb_lex.c - word frequencies and related words from the generated WordNet tables.
 */
#include "bot/kb/kb_lex.h"

#include <stdlib.h>
#include <string.h>

static int
cmp_word(const void *key, const void *item)
{
    return strcmp(key, kb_lex_strings + ((const struct kb_lex_word *)item)->off);
}

static int
cmp_form(const void *key, const void *item)
{
    return strcmp(key, kb_lex_form_strings + ((const struct kb_lex_form *)item)->off);
}

static const struct kb_lex_word *
lookup(const char *w)
{
    return bsearch(w, kb_lex_words, kb_lex_nwords, sizeof(kb_lex_words[0]), cmp_word);
}

/* An irregular form's lemma ("held": hold), from WordNet's exception lists. */
static const struct kb_lex_word *
lookup_form(const char *w)
{
    const struct kb_lex_form *f =
        bsearch(w, kb_lex_forms, kb_lex_nforms, sizeof(kb_lex_forms[0]), cmp_form);

    return f != NULL ? &kb_lex_words[f->word] : NULL;
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
    } rules[] = {{"ies", "y"}, {"ied", "y"}, {"ing", ""}, {"ing", "e"}, {"ed", ""},
                 {"ed", "e"},  {"es", ""},   {"s", ""},   {"ly", ""}};
    char buf[64];
    size_t n = strlen(w);
    const struct kb_lex_word *c = lookup(w);

    if (c != NULL || (c = lookup_form(w)) != NULL || n >= sizeof(buf))
        return c;
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        size_t m = strlen(rules[i].end);

        if (n <= m + 2 || strcmp(w + n - m, rules[i].end) != 0)
            continue;
        /*
         * "-es" is a plural's only after a hiss ("boxes", "churches"); else the
         * "e" is the lemma's ("sites": site, not the verb sit).
         */
        if (strcmp(rules[i].end, "es") == 0 && !hisses(w, n - 2))
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
