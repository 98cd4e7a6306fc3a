/*
 * test_message.h - a message read as the engine reads it, without a KB, for
 * the tests of the parts converse hands its analysis to (tour, digests).
 */
#ifndef TESTS_CORE_TEST_MESSAGE_H
#define TESTS_CORE_TEST_MESSAGE_H

#include <string.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb_query.h"
#include "bot/kb/kb_text.h"

/* @msg's text and words, and whether it starts with "/".  Release with
 * kb_query_cleanup(). */
static inline struct kb_query
message(struct kb_text *t, const char *msg)
{
    struct kb_query kq = {.text = xstrdup(msg)};

    kq.nwords = kb_text_words(t, msg, strlen(msg), kq.words, KB_QUERY_MAX_WORDS);
    kq.slash = msg[strspn(msg, " \t")] == '/';
    return kq;
}

#endif /* TESTS_CORE_TEST_MESSAGE_H */
