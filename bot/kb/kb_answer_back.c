/*
 * kb_answer_back.c - a sentence that points back at the one before through an
 * object pronoun ("Children and families helped us write it through our
 * forum."): what "it" stands for is in the sentence before, so that
 * sentence's words count as its context (kb_answer_passage.c), as they do for
 * a sentence that begins "It ..." or "This ...".
 */
#include "bot/kb/kb_answer_int.h"

bool
kbabk_object_refers_back(struct kb_engine *e, const char *text)
{
    static const char *const pronouns[] = {"it", "them", NULL};
    const struct tokens *t = kba_tokens(e, text);

    /* Straight after a word that is no stop word: a verb's object ("write it",
     * "shaped them"), not a subject ("as it grows", "so it is"). */
    for (size_t k = 1; k < t->n; k++) {
        if (!t->stop[k - 1] && in_list(t->w[k].surface, pronouns))
            return true;
    }
    return false;
}
