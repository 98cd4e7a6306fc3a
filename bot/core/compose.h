/*
 * compose.h - turning a KB answer into a platform-neutral reply.
 *
 * The reply is built from the KB's own words; nothing from the question is
 * copied into it.  Adapters render the reply; the terminal and `ask` use
 * reply_format_plain().
 */
#ifndef BOT_CORE_COMPOSE_H
#define BOT_CORE_COMPOSE_H

#include <stddef.h>

#include "bot/chat/reply.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"

struct compose_source {
    const char *doc;     /* borrowed from the KB: source document file name */
    const char *section; /* borrowed: section heading or item kind */
    unsigned line;       /* line in the document, 0 if none */
};

/* Appends "Source: <strategy>, <organisation>." to @r. */
void compose_source(const struct kb *kb, struct reply *r);

/* Appends @v as one list item: its name, then its description and behaviours. */
void compose_value(const struct kb_value *v, struct reply *r);

/*
 * @parts joined as a list ("a, b and c"), @first before the first; a new
 * string: free() it.
 */
char *compose_join(const char *const *parts, size_t n, const char *first);

/*
 * Appends @v of @kb in full, for a reply about that one value: its
 * description, then "Living <name> means we are:" and its behaviours as
 * items.  A value with neither gets "<name> is one of our N values. " and
 * @prompt (a question for the reader) instead.
 */
void compose_value_detail(const struct kb *kb, const struct kb_value *v,
                          const char *prompt, struct reply *r);

/*
 * The title of goal @g without the page's own label ("Goal 1: we will ..." ->
 * "we will ..."); *label_len (out) is the label's length ("Goal 1"), 0 when
 * the title has none and the whole title is returned.  Borrowed from @g.
 */
const char *compose_goal_title(const struct kb_goal *g, size_t *label_len);

/*
 * The label and text to show goal @g of @kb as one item.  A title that keeps
 * the page's own label ("Goal 1: we will co-create ...", "Priority 2 - Our
 * People") is split at it: *label (out) "Goal 1", *text (out) the rest;
 * otherwise *label is "<Noun> <number>" and *text the title.  Free *label
 * with free(); *text is borrowed from @g.
 */
void compose_goal_label(const struct kb *kb, const struct kb_goal *g, char **label,
                        const char **text);

/* Appends the reply for @a to @r. */
void compose_answer(const struct kb_answer *a, struct reply *r);

/*
 * Appends the replies for the @n answers at @a, the questions of one
 * message in order (all from one KB): an answered one as compose_answer()
 * gives it without its source line, a declined one as a line saying which
 * question the strategy does not answer; then the source, once.
 */
void compose_answers(const struct kb_answer *a, size_t n, struct reply *r);

/* Writes at most @max sources of @a to @out (out); returns how many.  Borrowed from the
 * KB. */
size_t compose_sources(const struct kb_answer *a, struct compose_source *out, size_t max);

/* Writes at most @max example questions for a decline or help to @out; returns how many.
 */
size_t compose_suggestions(const struct kb_answer *a, const char **out, size_t max);

#endif /* BOT_CORE_COMPOSE_H */
