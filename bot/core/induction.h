/*
 * induction.h - the guided tour of the strategy for new starters.
 *
 * The tour is generated from the KB each time a step is shown, so a trust
 * that rebuilds its KB gets its own tour: a welcome with the mission or
 * purpose, the vision, each goal or priority, each value with its
 * behaviours, and a close naming where to read the whole strategy.  After
 * the close an optional three-question check, also generated from the KB
 * ("Which of our values includes “Kind”?"), answered by number or by name.
 *
 * Many tours run at once, one per conversation key (the caller's choice:
 * one person in one conversation), in memory, each forgotten after a
 * timeout without a message.  Not thread-safe: one thread at a time.
 */
#ifndef BOT_CORE_INDUCTION_H
#define BOT_CORE_INDUCTION_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "bot/chat/reply.h"

struct kb;
struct kb_query;
struct kb_text;
struct induction; /* opaque: every tour in progress */

#define INDUCTION_TIMEOUT   (30 * 60) /* default: seconds of silence that end a tour */
#define INDUCTION_MAX_TOURS 10000 /* default cap; the least recently used goes first */
#define INDUCTION_CHECK_MAX 3     /* questions in the check */

enum induction_result {
    INDUCTION_NONE,     /* no tour for this key: handle the message as usual */
    INDUCTION_HANDLED,  /* a tour step, check question or goodbye is in @r */
    INDUCTION_QUESTION, /* not a tour command: answer it, then call induction_resume() */
};

/*
 * Returns a new, empty set of tours; free with induction_free().  A tour
 * with no message for @timeout seconds is forgotten; at most @max tours
 * are kept (0 selects the defaults above).
 */
struct induction *induction_new(unsigned timeout, size_t max);

/* Frees every tour.  NULL is a no-op. */
void induction_free(struct induction *ind);

/*
 * Returns true when the message @kq (its words) asks to start the tour:
 * "I'm new", "start induction", "induction", "/values induction", "take the
 * tour".  A question that merely mentions induction ("what do new starters
 * get paid?") is not a trigger.
 */
bool induction_is_trigger(const struct kb_query *kq);

/*
 * Starts a tour for @key over @kb (whose org is remembered), replacing any
 * tour @key had, and appends its first step to @r.
 */
void induction_start(struct induction *ind, const char *key, const struct kb *kb,
                     time_t now, struct reply *r);

/*
 * Handles the message @kq (its text and words) from @key at @now.  When @key has a live
 * tour (for @kb's org): "next", "back", "repeat", "stop" (and their usual synonyms) move
 * it and INDUCTION_HANDLED is returned with the step in @r; anything else returns
 * INDUCTION_QUESTION and leaves @r alone.  During the check, a number or an option's name
 * answers the question.  Returns INDUCTION_NONE when @key has no tour, or its tour timed
 * out (then it is forgotten).  @t splits the options' words.
 */
enum induction_result induction_handle(struct induction *ind, const char *key,
                                       const struct kb *kb, struct kb_text *t,
                                       const struct kb_query *kq, time_t now,
                                       struct reply *r);

/* Appends a one-line reminder of where @key's tour stands (after a question was
 * answered mid-tour) to @r.  Does nothing when @key has no tour. */
void induction_resume(struct induction *ind, const char *key, const struct kb *kb,
                      struct reply *r);

/* Returns true when @key has a tour that has not timed out by @now. */
bool induction_is_active(struct induction *ind, const char *key, time_t now);

/* Forgets every tour idle since before @now - timeout; returns how many. */
size_t induction_expire(struct induction *ind, time_t now);

/* Returns how many tours are held. */
size_t induction_count(const struct induction *ind);

/* Returns how many steps the tour of @kb has (welcome to close, without the check). */
size_t induction_nsteps(const struct kb *kb);

/* Appends step @i (0-based, below induction_nsteps()) of @kb's tour to @r. */
void induction_step(const struct kb *kb, size_t i, struct reply *r);

#endif /* BOT_CORE_INDUCTION_H */
