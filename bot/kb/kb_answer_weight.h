/*
 * kb_answer_weight.h - how much of a question a word carries: one information
 * weight per question word, from how rare its stem is in this KB and how
 * rare the word is in general English.  Prefix kbawt_.
 */
#ifndef BOT_KB_KB_ANSWER_WEIGHT_H
#define BOT_KB_KB_ANSWER_WEIGHT_H

#include <stddef.h>

struct kb_index;

/*
 * Returns the share (0, 1] of its KB weight that the folded word @surface
 * keeps for how common it is in general English (WordNet's tagged corpus,
 * kb_lex.h): 1 for a word the lexicon never saw (a name, a rare word), less
 * the more often it was seen ("people", "new"), and half that again for a
 * light word ("help", "serve": kb_lex_is_light()).
 */
double kbawt_general(const char *surface);

/*
 * Returns the information weight of the question word @surface whose stem is
 * the term @id of @idx (KB_INDEX_UNKNOWN for a stem the KB never uses): its
 * inverse document frequency in the KB, read from the index built when the KB
 * was loaded, times kbawt_general().  No KB or lexicon scan: a table look-up.
 */
double kbawt_word(const struct kb_index *idx, size_t id, const char *surface);

#endif /* BOT_KB_KB_ANSWER_WEIGHT_H */
