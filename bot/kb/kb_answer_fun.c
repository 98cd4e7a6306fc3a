/*
 * kb_answer_fun.c - requests for entertainment ("tell me a joke", "do me a
 * quick rap about our values", "sing us a song about the goals"): a thing made
 * up to amuse, whatever it is about, so declined as content of the bot's own.
 * Prefix kbafn_.
 *
 * The kind is a noun of play with words (a joke, a poem, a song, a riddle) in
 * the object of a request, as an indefinite thing ("a joke", "a quick rap",
 * "some riddles"): "the story behind our vision" asks for what the page says,
 * "I have a quiz later" is no request.  The nouns are a few seeds and the
 * lemmas the lexicon relates to them ("tale", "gag", "ballad").
 */
#include "bot/kb/kb_answer_int.h"
#include "bot/kb/kb_lex.h"

#include <string.h>

static const char *const play_seeds[] = {"joke",   "poem",  "song",     "rap",   "rhyme",
                                         "riddle", "story", "limerick", "haiku", "quiz",
                                         "pun",    "verse", "sonnet",   NULL};
/* How many of a noun's related lemmas count: its commonest senses. */
#define FUN_RELATED 8
/* How far before the noun its indefinite article may stand ("a funny little story"). */
#define FUN_REACH 3

/* Is word @i a noun of play with words (a seed, its plural, or related to one)? */
static bool
is_play_noun(const struct query *q, size_t i)
{
    const char *s = q->w[i].surface, *lemma = kb_lex_entry_lemma(q->lex[i]);
    const char *rel[FUN_RELATED];
    char one[KB_WORD_MAX];
    size_t n = strlen(s), nr;

    if (in_list(s, play_seeds) || (lemma != NULL && in_list(lemma, play_seeds)))
        return true;
    if (n > 1 && n < sizeof(one) && s[n - 1] == 's') {
        memcpy(one, s, n - 1); /* "jokes", "raps" */
        one[n - 1] = '\0';
        if (in_list(one, play_seeds))
            return true;
    }
    if (q->lex[i] == NULL || q->lex[i]->noun < 50)
        return false;
    nr = kb_lex_entry_related(q->lex[i], rel, FUN_RELATED);
    for (size_t k = 0; k < nr; k++) {
        if (in_list(rel[k], play_seeds))
            return true;
    }
    return false;
}

bool
kbafn_is_play_object(const struct query *q, size_t j)
{
    if (q->aside[j])
        return false;
    /* The article first: a cheap test most words fail, then the noun. */
    for (size_t k = j; k-- > 0 && k + FUN_REACH >= j && !q->clause_start[k + 1];) {
        const char *s = q->w[k].surface;

        if (strcmp(s, "a") == 0 || strcmp(s, "an") == 0 || strcmp(s, "some") == 0 ||
            strcmp(s, "another") == 0)
            return is_play_noun(q, j);
    }
    return false;
}
