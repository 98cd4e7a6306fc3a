/*
 * kb_answer_who.c - does a passage name who: a person by name ("Ada
 * Pemberton", "Mel Coombes") or by a role ("the Chief Executive"), not only
 * words that are written in capitals because they are a title: the strategy's
 * own ("Our Road Ahead"), the organisation's ("Partnership Trust") or a plan's
 * ("the Regional Care Plan").  kbak_type_factor() asks it for a "who".
 *
 * Two capitalised words in a row are a person's name when one of them is
 * neither an English word the lexicon knows (WordNet's tagged corpus), a stop
 * word, nor a word of the organisation's or the strategy's name: people's
 * names are the words a general lexicon lacks.  A word the lexicon calls a
 * person ("Executive", "Director", "Chair") makes the pair a role.
 */
#include "bot/kb/kb_answer_int.h"

#include <ctype.h>
#include <strings.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_lex.h"

/* Longest word looked at; a longer one is taken as a name. */
#define WHO_WORD_MAX 32

enum word_kind { WORD_TITLE, WORD_NAME, WORD_ROLE };

/* Is the folded word @w one of the words of @title ("our", "road", "ahead")? */
static bool
in_title(const char *title, const char *w, size_t n)
{
    for (const char *p = title; p != NULL && *p; p++) {
        if ((p == title || !isalpha((unsigned char)p[-1])) && strncasecmp(p, w, n) == 0 &&
            !isalpha((unsigned char)p[n]))
            return true;
    }
    return false;
}

/* What the capitalised word at @s is: part of a title, a name or a role. */
static enum word_kind
word_kind(const struct query *q, const char *s)
{
    char w[WHO_WORD_MAX];
    size_t n = 0;
    const struct kb_lex_word *lw;

    while (isalpha((unsigned char)s[n]) && n + 1 < sizeof(w)) {
        w[n] = (char)tolower((unsigned char)s[n]);
        n++;
    }
    if (isalpha((unsigned char)s[n]))
        return WORD_NAME;
    w[n] = '\0';
    if (q->kb != NULL && (in_title(q->kb->name, w, n) || in_title(q->kb->strategy, w, n)))
        return WORD_TITLE;
    if (kb_text_is_stopword(w))
        return WORD_TITLE;
    lw = kb_lex_find(w);
    if (lw == NULL)
        return WORD_NAME;
    return (lw->cls & KB_LEX_PERSON) && lw->noun >= 50 ? WORD_ROLE : WORD_TITLE;
}

/* Is either of the words at @a and @b a name or a role, not a title's word? */
static bool
names_someone(const struct query *q, const char *a, const char *b)
{
    return word_kind(q, a) != WORD_TITLE || word_kind(q, b) != WORD_TITLE;
}

bool
kbawh_text_names_person(const struct query *q, const char *s)
{
    return kbak_text_capital_pair(q, s, names_someone);
}
