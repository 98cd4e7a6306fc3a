/*
 * kb_text_int.h - internals of kb_text.c shared with kb_text_stopwords.c.
 */
#ifndef BOT_KB_KB_TEXT_INT_H
#define BOT_KB_KB_TEXT_INT_H

#include <stddef.h>

/* Slots of kb_text.c's stop-word hash set (a power of two); the set stays under
   half full. */
#define KB_TEXT_STOP_SLOTS 1024u

/* The stop words, sorted, for bsearch; kb_text_stopwords_n of them. */
extern const char *const kb_text_stopwords_list[];
extern const size_t kb_text_stopwords_n;

#endif /* BOT_KB_KB_TEXT_INT_H */
