/*
 * kb_answer_weight.c - one information weight per question word.
 *
 * A question's words do not carry it evenly: in "how many people helped
 * shape the strategy" the rare "shape" says what is asked, while "people",
 * "help" and "strategy" are on half the page and in every other question.
 * A word's weight is how rare its stem is among the KB's passages (the
 * index's inverse document frequency, counted when the KB was loaded) times
 * how rare the word is in general English (WordNet's sense-tagged corpus
 * counts, compiled into kb_lex_data.c by scripts/gen_lex.py).  Passage
 * coverage is the weighted share of the question's words a passage holds
 * (kb_answer_passage.c), so a passage holding the informative word covers
 * the question and one holding only its common words does not.
 */
#include "bot/kb/kb_answer_weight.h"

#include <math.h>

#include "bot/kb/kb_index.h"
#include "bot/kb/kb_lex.h"

/*
 * General rarity r is log(GENERAL_SPAN / (count + 1)) over log(GENERAL_SPAN),
 * in [0, 1]: 1 for a word never seen, 0.7 for "budget" (9), 0.44 for "shape"
 * (71), 0.25 for "people" (290), 0 for "be".  A word keeps GENERAL_FLOOR of
 * its KB weight whatever its rarity, and the rest in proportion to r: the
 * KB's own rarity still counts first.  A light word (kb_lex_is_light():
 * "help", "take", "serve") says what is done, not what about, and keeps
 * GENERAL_LIGHT of that, as an unknown light word costs LEX_LIGHT_CARRY of
 * a heavy one (kb_answer_passage.c).  Set by a grid over the dev parts of
 * the question sets (scripts/eval_sets.py): floor 0 / 0.3 / 0.4 / 0.5 / 0.6
 * / 0.7 / 1, span 500 / 2000 / 10000, light 1 / 0.7 / 0.5; with a floor under
 * 0.5 "where can i park at eastbrook" was answered from a passage naming the
 * place; at 0.7 and above nothing moved.
 */
#define GENERAL_SPAN  2000.0
#define GENERAL_FLOOR 0.5
#define GENERAL_LIGHT 0.5

double
kbawt_general(const char *surface)
{
    const struct kb_lex_word *lw = kb_lex_find(surface);
    double r;

    if (lw == NULL)
        return 1.0;
    r = log(GENERAL_SPAN / ((double)lw->count + 1.0)) / log(GENERAL_SPAN);
    r = r < 0 ? 0 : r > 1 ? 1 : r;
    r = GENERAL_FLOOR + (1.0 - GENERAL_FLOOR) * r;
    return kb_lex_is_light(surface) ? r * GENERAL_LIGHT : r;
}

double
kbawt_word(const struct kb_index *idx, size_t id, const char *surface)
{
    return kb_index_idf(idx, id) * kbawt_general(surface);
}
