/*
 * schedule.h - scheduled posts: a value of the week, a monthly digest.
 *
 * Each entry of the config's "schedules" names a channel, an org, what to
 * post and when, as local wall-clock time in an IANA time zone ("Mon
 * 09:00" in "Europe/London" stays 09:00 across the clock changes).  The
 * runtime calls schedule_due() from a timer (schedule_next_wakeup() says
 * when); each post it returns has been marked as run in the store, so a
 * post is made at most once, and a bot that was down when posts fell due
 * makes each one once when it is back, not once per missed time.
 *
 * Time zones come from the system's zoneinfo through TZ and localtime_r:
 * the TZ variable is set for the computation and restored after it, so
 * these functions are for the loop thread only, like everything here.
 */
#ifndef BOT_CORE_SCHEDULE_H
#define BOT_CORE_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "bot/base/err.h"
#include "bot/chat/reply.h"
#include "bot/core/summary.h"

struct config;
struct kb_set;
struct store;
struct schedule; /* opaque */

#define SCHEDULE_TZ_DEFAULT "Europe/London"

enum schedule_every {
    SCHEDULE_DAILY,         /* every day */
    SCHEDULE_WEEKLY,        /* on the days in @wdays */
    SCHEDULE_MONTHLY_DAY,   /* on day @mday of each month */
    SCHEDULE_MONTHLY_FIRST, /* on the first of the days in @wdays (one day) of each month
                             */
};

/* When a schedule falls due, in local time. */
struct schedule_rule {
    enum schedule_every every;
    unsigned wdays;  /* bit 0 Sunday .. bit 6 Saturday */
    unsigned mday;   /* 1..28 for SCHEDULE_MONTHLY_DAY */
    unsigned hour;   /* 0..23 */
    unsigned minute; /* 0..59 */
};

/* One post that has fallen due.  Every string is owned. */
struct schedule_post {
    char *platform; /* "slack", "mattermost", ... from the config */
    char *channel;  /* the platform's channel id */
    char *org;
    enum summary_kind what;
    time_t due;         /* when it fell due (may be long before now after downtime) */
    struct reply reply; /* the post, to send to the channel itself, not a thread */
};

/*
 * Parses @s into @rule (out): "[DAYS ]HH:MM" where DAYS is "daily", a
 * weekday ("Mon"), a list ("Mon,Thu"), "monthly D" (D from 1 to 28), or
 * "first Mon" (the first Monday of each month).  Returns false with *why
 * (out, new string) saying what is wrong.
 */
bool schedule_rule_parse(const char *s, struct schedule_rule *rule, char **why);

/* Returns true when @tz names a time zone in the system zoneinfo ("Europe/London",
 * "UTC").  Names with "..", a leading "/" or odd characters are refused. */
bool schedule_tz_is_valid(const char *tz);

/*
 * Computes the first time after @after at which @rule falls due in @tz
 * into *next (out).  A day has at most one: when the clocks go back and
 * the time happens twice, the first counts; when they go forward over it,
 * it falls due one hour later, at the same standard time.  Returns
 * BOT_EINVAL for an invalid @tz.
 */
enum bot_err schedule_next(const struct schedule_rule *rule, const char *tz, time_t after,
                           time_t *next);

/* Returns a new schedule of @cfg's entries (copied); free with schedule_free(). */
struct schedule *schedule_new(const struct config *cfg);

/* Frees @sc.  NULL is a no-op. */
void schedule_free(struct schedule *sc);

/* Returns how many entries @sc has. */
size_t schedule_count(const struct schedule *sc);

/*
 * Returns the posts that are due at @now, built from @set (borrowed), in
 * *posts (out; a new array, free with schedule_posts_free(); NULL when
 * none), and marks each as run at @now in @st (NULL: in memory only, lost
 * on restart).  An entry seen for the first time only starts its clock:
 * it posts at its next due time, not at once.  An entry whose org has no
 * KB, or whose run cannot be recorded, posts nothing (and is logged).
 * Value-of-the-week posts rotate through the values by run count.
 */
size_t schedule_due(struct schedule *sc, const struct kb_set *set, struct store *st,
                    time_t now, struct schedule_post **posts);

/* Frees @n posts at @posts.  NULL is a no-op. */
void schedule_posts_free(struct schedule_post *posts, size_t n);

/*
 * Returns when schedule_due() next has something to do after @now (the
 * earliest due time, or @now for an entry whose clock has not started), so
 * a timer can be armed; 0 when @sc is empty.
 */
time_t schedule_next_wakeup(struct schedule *sc, struct store *st, time_t now);

/* Returns the number of days from 1970-01-01 to the date @y-@m-@d (proleptic
 * Gregorian; @m 1..12, @d 1..31), negative before 1970. */
long schedule_days_from_civil(long y, unsigned m, unsigned d);

#endif /* BOT_CORE_SCHEDULE_H */
