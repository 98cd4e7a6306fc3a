/*
 * kb_answer_rest.c - one item of a list given, the rest asked for (issue 14):
 * "so we've only got 2 values? kindness and ...?", "our values are kindness
 * and what else?", "values: fairness, and the rest?".  The question trails
 * off after "and", with nothing after it or only words asking for more ("what
 * else", "the rest", "the others"): the value named is what the asker
 * remembers, the whole list is what they want.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer_int.h"

/* Words after a trailing "and" that ask for what is left ("and what else"). */
static const char *const rest_words[] = {"what",   "else", "the",  "rest", "other",
                                         "others", "one",  "ones", "more", NULL};

bool
kbarst_asks_rest(const struct query *q)
{
    size_t k = q->n;

    while (k > 0 && in_list(q->w[k - 1].surface, rest_words))
        k--;
    /* "and" last, with a word before it: the item the asker remembers. */
    return k >= 2 && strcmp(q->w[k - 1].surface, "and") == 0;
}
