/*
 * kb_answer_anaphor.c - a sentence that goes on from the one before it: it
 * opens on a pointer ("It opens in 2026.", "This will be ..."), a contracted
 * one as pages write them ("That’s why we’re ...", "It’s ..."), or a next
 * member of what the sentence before began to count ("... one of two
 * partners.  The second is ...", "Another partner is ..."), or a word that
 * joins it to the one before ("And so must we.").  Such a
 * sentence is quoted with the one before it, and the one before brings it.
 */
#include "bot/kb/kb_answer_int.h"

#include <string.h>

/* Pointers back, and their contractions as the tokenizer joins them ("that’s"). */
static const char *const back[] = {"it",     "this", "these",  "they",   "that", "those",
                                   "there",  "he",   "she",    "thats",  "its",  "theyre",
                                   "theres", "itll", "thatll", "theyll", NULL};

/* Words that join a sentence to the one before ("And so must we."), and "another". */
static const char *const joins[] = {"and", "but", "so", "yet", "another", NULL};

/* After "the": the next member of a count begun before ("The second is ..."). */
static const char *const next_member[] = {"second", "third",     "fourth", "fifth",
                                          "other",  "others",    "latter", "former",
                                          "rest",   "remaining", NULL};

bool
kbaan_joins_back(const struct tokens *t)
{
    return t->n > 0 && in_list(t->w[0].surface, joins) &&
           strcmp(t->w[0].surface, "another") != 0;
}

bool
kbaan_refers_back(const struct tokens *t)
{
    if (t->n == 0)
        return false;
    if (in_list(t->w[0].surface, back) || in_list(t->w[0].surface, joins))
        return true;
    return t->n > 1 && strcmp(t->w[0].surface, "the") == 0 &&
           in_list(t->w[1].surface, next_member);
}
