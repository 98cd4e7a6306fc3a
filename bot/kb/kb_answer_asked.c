/*
 * kb_answer_asked.c - the thing a "what" asks for.
 *
 * "what's the budget for the new eye unit": of the question's words, the
 * head of the phrase the "what" asks about ("budget") carries the question;
 * the others ("new", "eye", "unit") only say of what.  A passage that holds
 * those but not it ("Our new eye unit will open in 2027") answers another
 * question, however much of this one's wording it shares: the nearest
 * related passage, which staff would take for the answer.  So the asked
 * word weighs as a kind of answer does (kbak_type_factor()): a passage
 * without it, in itself or its heading, counts for ASKED_MISS of one with it
 * (kb_answer_passage.c).
 */
#include <stdint.h>

#include "bot/kb/kb_answer_int.h"
#include "bot/kb/kb_index.h"
#include "bot/kb/kb_lex.h"

/*
 * The asked word carries the question when it is a noun (WordNet's tagged
 * corpus: at least ASKED_NOUN per cent of its uses) of some information: seen
 * fewer than ASKED_COUNT times there ("budget" 9, "chair" 37, "town" 79), or
 * never; a frequent one ("approach" 113, "way" 387, "purpose" 106) says
 * little the other words do not ("what's our approach to partnership").
 */
#define ASKED_NOUN  50
#define ASKED_COUNT 100

/*
 * Does the phrase whose head is @at follow the question word straight on,
 * past a verb "be" and a determiner at most ("what's the budget", "what is
 * our budget", "which are the costs"), not past a clause ("what will I see
 * when staff ...": no noun is asked there)?
 */
static bool
follows_question_word(const struct query *q, size_t at)
{
    static const char *const pass[] = {"is",  "are",  "was",   "were", "s",     "the",
                                       "a",   "an",   "our",   "my",   "your",  "their",
                                       "its", "this", "these", "that", "those", NULL};
    size_t k = 0;

    while (k < at && !(q->cls[k] & KBAWC_QWORD))
        k++;
    for (k++; k < at && in_list(q->w[k].surface, pass); k++)
        ;
    for (; k < at; k++) {
        if (q->stop[k] || q->aside[k])
            return false;
    }
    return k == at;
}

/*
 * Which of @terms (@nterms) is the noun a "what" or "which" asks about
 * (kbak_asked_noun()), when the KB uses it; @nterms when the question asks
 * with another word, its asked noun is a kind of answer (a year, a date, a
 * place, a sum of money: the type factor weighs those), a topic's or a general word
 * ("what are the goals", "what's the plan"), or one the KB lacks (its cost is the unknown
 * word's).
 */
size_t
kbaa_asked_term(const struct query *q, const size_t *terms, size_t nterms)
{
    size_t at = kbak_asked_noun(q);
    const struct kb_lex_word *lw;

    if (at == SIZE_MAX || q->aside[at] || !q->content[at] || q->flags[at] != 0 ||
        kbak_is_type_noun(q, at) || kbapl_asks_place_noun(q, at) || kbamt_asks_sum(q) ||
        !follows_question_word(q, at))
        return nterms;
    lw = q->lex[at];
    if (lw != NULL && (lw->noun < ASKED_NOUN || lw->count >= ASKED_COUNT))
        return nterms;
    for (size_t t = 0; t < nterms; t++) {
        if (q->term_word[t] == at)
            return terms[t] != KB_INDEX_UNKNOWN ? t : nterms;
    }
    return nterms;
}
