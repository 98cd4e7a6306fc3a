/*
 * kb_query.h - one message, understood once.
 *
 * kb_engine_analyse() (kb_answer.h) reads a message once: platform markup
 * removed, words and stems split clause by clause, spelling corrected
 * against the KB, and what the message's form says about it: whether it
 * leans on the answer before ("and for pride?", "tell me more", "which one
 * is about staff?") and where a second question starts ("what are our
 * values and when was it launched?").  The tour, the digests, the commands
 * and the answer read the same analysis; kb_engine_answer_query() answers
 * it.  The functions here are the parts of that reading that need no KB.
 */
#ifndef BOT_KB_KB_QUERY_H
#define BOT_KB_KB_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/kb/kb_text.h"

struct kb;
struct kb_query_work; /* the engine's working copy, private to kb_answer.c */

#define KB_QUERY_MAX_WORDS 128 /* words of a message read; the rest is ignored */
#define KB_QUERY_MAX_PARTS 2   /* questions answered from one message */

/* How a message leans on the answer before it. */
enum kb_follow {
    KB_FOLLOW_NONE,  /* it stands alone */
    KB_FOLLOW_MORE,  /* "tell me more", "go on", "more detail please" */
    KB_FOLLOW_WHICH, /* "which one is about staff?", "which of them covers ..." */
    KB_FOLLOW_ITEM,  /* "and for pride?", "what about the third one?", "and the
                        behaviours?" */
};

/* One question of a message: @len bytes at @off of the query's @text. */
struct kb_query_part {
    size_t off; /* bytes */
    size_t len; /* bytes */
};

/*
 * A message, analysed.  Caller's storage: fill with kb_engine_analyse(),
 * release with kb_query_cleanup().
 */
struct kb_query {
    const struct kb *kb; /* borrowed from the engine's set: the org asked about */
    char *text;          /* owned: the message with platform markup removed */
    size_t nwords;       /* of @words */
    bool slash;          /* the message starts with "/" (a command) */
    bool topical;        /* names values, goals, a statement, the strategy or a digest */
    enum kb_follow follow;
    size_t rest; /* KB_FOLLOW_ITEM, _WHICH: index in @words of what is asked about */
    struct kb_query_part parts[KB_QUERY_MAX_PARTS]; /* in order; one for most messages */
    size_t nparts;
    struct kb_query_work *work; /* owned: the engine's words, stems and marks */
    /* Last, as kb_query_reset() leaves it: only the first @nwords are set. */
    struct kb_word words[KB_QUERY_MAX_WORDS]; /* as typed: before spelling is corrected */
};

/*
 * Reads how the @n words at @w lean on an answer before them; *rest (out)
 * is the index of the first word of what is asked about (@n when nothing
 * is left).  "and for pride?" is KB_FOLLOW_ITEM with rest at "pride".
 */
enum kb_follow kb_query_follow(const struct kb_word *w, size_t n, size_t *rest);

/*
 * Finds the questions in the @len bytes at @s: a question mark followed by
 * another question, or "and", "also", "plus" followed by a question word
 * ("what are our values and when was it launched").  Writes at most
 * KB_QUERY_MAX_PARTS parts to @parts (out), offsets into @s without the
 * joining words, and returns how many (1 when the message is one question).
 */
size_t kb_query_split(const char *s, size_t len, struct kb_query_part *parts);

/*
 * Empties @kq without freeing: every member zero but the words, which
 * @nwords (now 0) bounds; the words are 8 KB, and zeroing them twice per
 * message was a tenth of a chat reply's instructions.
 */
void kb_query_reset(struct kb_query *kq);

/* Releases what @kq owns; @kq may be analysed again.  A zeroed or reset @kq is fine. */
void kb_query_cleanup(struct kb_query *kq);

#endif /* BOT_KB_KB_QUERY_H */
