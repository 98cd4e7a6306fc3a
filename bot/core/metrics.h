/*
 * metrics.h - what the running bot counts, in the Prometheus text format.
 *
 * The core counts questions (every message it replied to), answers and
 * declines by platform and org, how long each answer took, and KB reloads;
 * the adapters count their own connects, posts, retries and 429s
 * (struct adapter_stats), which are rendered beside them.  Everything is
 * on the loop thread; nothing here locks.
 */
#ifndef BOT_CORE_METRICS_H
#define BOT_CORE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct adapter_stats;
struct buf;
struct metrics; /* opaque */

#define METRICS_MAX_SERIES 256 /* platform x org pairs counted; more are folded */

/* Upper bounds of the answer-time histogram, in seconds. */
#define METRICS_BUCKETS                                                                  \
    {                                                                                    \
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0 \
    }

/* One platform as /metrics shows it. */
struct metrics_platform {
    const char *name;                  /* borrowed: "slack", "mattermost" */
    const struct adapter_stats *stats; /* borrowed */
    bool connected;
};

/* Returns new, zeroed metrics started at @start (for process_start_time_seconds). */
struct metrics *metrics_new(time_t start);

/* Frees @m.  NULL is a no-op. */
void metrics_free(struct metrics *m);

/*
 * Counts one reply on @platform for @org: @kind is chat_reply.kind
 * ("answer" and "decline" are counted as such; every kind is a question),
 * @secs how long deciding and composing it took.
 */
void metrics_question(struct metrics *m, const char *platform, const char *org,
                      const char *kind, double secs);

/* Counts one reload of config and KBs, @ok or refused, at @when. */
void metrics_reload(struct metrics *m, bool ok, time_t when);

/*
 * Appends the whole exposition to @out: the core's counters, then each of
 * @np platforms in @p, and @kbs, the number of KBs loaded.
 */
void metrics_render(const struct metrics *m, const struct metrics_platform *p, size_t np,
                    size_t kbs, struct buf *out);

#endif /* BOT_CORE_METRICS_H */
