/*
 * summary.h - digests of the strategy for managers to post in a channel.
 *
 * A digest is built from the KB alone: the goals or priorities with one
 * line each, the values with their behaviours, and the source.  The same
 * blocks serve a manager's "post our goals here" and the scheduled posts
 * (a monthly digest, a value of the week).  Digests belong in the channel
 * itself, not in a thread: see converse.h for the routing flag.
 */
#ifndef BOT_CORE_SUMMARY_H
#define BOT_CORE_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/chat/reply.h"

struct kb;
struct kb_query;

enum summary_kind {
    SUMMARY_STRATEGY,      /* the whole strategy: purpose, goals, values */
    SUMMARY_GOALS,         /* goals or priorities only */
    SUMMARY_VALUES,        /* values with behaviours only */
    SUMMARY_VALUE_OF_WEEK, /* one value, chosen by a rotation count */
};

/* Appends the @kind digest of @kb to @r; for SUMMARY_VALUE_OF_WEEK, value 0. */
void summary_compose(const struct kb *kb, enum summary_kind kind, struct reply *r);

/*
 * Appends the value-of-the-week post for rotation step @n to @r: value
 * n mod (number of values), with its behaviours.  A KB without values gets
 * the goals digest instead.
 */
void summary_value_of_week(const struct kb *kb, unsigned long n, struct reply *r);

/*
 * Returns true when the message @kq (its words) asks for a digest to be posted:
 * "post our goals here", "summary of our values for the team",
 * "/strategy summary", "share the strategy with the channel".  *kind (out)
 * is the variant asked for.  A plain question ("what are our values?",
 * "summarise the strategy") is not a request to post and returns false.
 * @kb (may be NULL) adds its own name for goals.
 */
bool summary_request_parse(const struct kb *kb, const struct kb_query *kq,
                           enum summary_kind *kind);

/* Returns the config name of @kind: "digest", "goals", "values", "value_of_the_week". */
const char *summary_kind_name(enum summary_kind kind);

/* Reads a config name (as summary_kind_name(), "strategy" also for the digest) into
 * *kind (out).  Returns false for an unknown name. */
bool summary_kind_parse(const char *name, enum summary_kind *kind);

#endif /* BOT_CORE_SUMMARY_H */
