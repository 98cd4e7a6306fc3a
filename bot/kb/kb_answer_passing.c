/*
 * kb_answer_passing.c - a statement named in passing after what it is for:
 * "how we can achieve our vision for excellence in all that we do", "every
 * team works to deliver our mission for healthier lives".  The verb before
 * says the statement is an aim; the words after "for" say what it is, unless
 * they only say when or whose it is ("our vision for the future", "for
 * 2030", "for our trust").
 */
#include "bot/kb/kb_answer_int.h"

#include <ctype.h>
#include <string.h>

/* Verbs of reaching an aim, by stem. */
static const char *const reach[] = {"achiev", "deliv", "deliver", "realis", "realiz",
                                    "meet",   "reach", "fulfil",  "pursu",  NULL};

/* Words after "for" that name no aim: a time, a place or whose it is. */
static const char *const not_aim[] = {"the",  "our", "a",     "an",   "this", "that",
                                      "next", "its", "their", "your", NULL};

bool
kbaps_names_aim_for(const struct tokens *t, size_t k)
{
    if (k < 2 || k + 2 >= t->n)
        return false;
    return strcmp(t->w[k - 1].surface, "our") == 0 &&
           strcmp(t->w[k + 1].surface, "for") == 0 && in_list(t->w[k - 2].stem, reach) &&
           !in_list(t->w[k + 2].surface, not_aim) &&
           !isdigit((unsigned char)t->w[k + 2].surface[0]);
}
