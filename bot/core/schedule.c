/*
 * schedule.c - when scheduled posts fall due, and which are due now.
 *
 * Due times are found day by day in local time: for each calendar date
 * the rule allows, the wall-clock time is turned into an instant with
 * mktime() under the schedule's TZ, trying both standard and summer time
 * and keeping the interpretation that reads back as the same wall-clock
 * time.  That settles the two yearly edges without tables of our own:
 * a time the clocks skip has no such reading (standard time is used, one
 * hour later by the wall clock), and a time that happens twice has two,
 * of which the first is taken, once.
 */
#include "bot/core/schedule.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/file.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/core/config.h"
#include "bot/core/store.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_set.h"

#define SCHEDULE_DAYS_AHEAD 400 /* a rule always matches within a year and a bit */
#define SCHEDULE_TZ_MAX     64

struct entry {
    char *platform, *channel, *org, *tz; /* owned */
    char *key;                           /* owned: the store's job name */
    enum summary_kind what;
    struct schedule_rule rule;
    time_t mem_last;        /* last run, when there is no store */
    unsigned long mem_runs; /* runs, when there is no store */
};

struct schedule {
    struct entry *e; /* owned */
    size_t n;
};

static const char *const wday_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

static int
wday_parse(const char *s, size_t len)
{
    char low[4];

    if (len < 3 || len > 9)
        return -1;
    for (size_t i = 0; i < 3; i++)
        low[i] = (char)tolower((unsigned char)s[i]);
    low[3] = '\0';
    for (int d = 0; d < 7; d++) {
        if (strcmp(low, wday_names[d]) == 0)
            return d;
    }
    return -1;
}

static bool
rule_fail(char **why, const char *s, const char *what)
{
    *why = xasprintf("\"%s\": %s (want e.g. \"Mon 09:00\", \"daily 08:30\", \"monthly 1 "
                     "09:00\" or \"first Mon 09:00\")",
                     s, what);
    return false;
}

bool
schedule_rule_parse(const char *s, struct schedule_rule *rule, char **why)
{
    const char *p = s, *tok;
    unsigned h, m;
    int used = 0;

    *why = NULL;
    memset(rule, 0, sizeof(*rule));
    if (strlen(s) > 64)
        return rule_fail(why, "(too long)", "not a schedule");
    while (*p == ' ')
        p++;
    tok = p;
    while (*p && *p != ' ')
        p++;
    if (strncasecmp(tok, "daily", 5) == 0 && p - tok == 5) {
        rule->every = SCHEDULE_DAILY;
    } else if (strncasecmp(tok, "monthly", 7) == 0 && p - tok == 7) {
        char *end;
        unsigned long d = strtoul(p, &end, 10);

        if (end == p || d < 1 || d > 28)
            return rule_fail(why, s, "the day of the month must be from 1 to 28");
        rule->every = SCHEDULE_MONTHLY_DAY;
        rule->mday = (unsigned)d;
        p = end;
    } else if (strncasecmp(tok, "first", 5) == 0 && p - tok == 5) {
        int d;

        while (*p == ' ')
            p++;
        tok = p;
        while (*p && *p != ' ')
            p++;
        if ((d = wday_parse(tok, (size_t)(p - tok))) < 0)
            return rule_fail(why, s, "\"first\" must be followed by a weekday");
        rule->every = SCHEDULE_MONTHLY_FIRST;
        rule->wdays = 1u << d;
    } else if (isalpha((unsigned char)*tok)) {
        /* "Mon" or "Mon,Thu" */
        const char *q = tok;

        rule->every = SCHEDULE_WEEKLY;
        while (q < p) {
            const char *c = memchr(q, ',', (size_t)(p - q));
            const char *e = c ? c : p;
            int d = wday_parse(q, (size_t)(e - q));

            if (d < 0)
                return rule_fail(why, s, "unknown day");
            rule->wdays |= 1u << d;
            q = c ? c + 1 : p;
        }
    } else {
        rule->every = SCHEDULE_DAILY;
        p = tok; /* just "HH:MM" */
    }
    while (*p == ' ')
        p++;
    if (sscanf(p, "%2u:%2u%n", &h, &m, &used) != 2 || p[used] != '\0' || h > 23 ||
        m > 59 || !isdigit((unsigned char)p[used - 1]) || used < 4)
        return rule_fail(why, s, "the time must be HH:MM, 24-hour");
    rule->hour = h;
    rule->minute = m;
    return true;
}

bool
schedule_tz_is_valid(const char *tz)
{
    const char *dir = getenv("TZDIR");
    char *path, *data = NULL;
    size_t len;
    bool ok;

    if (tz == NULL || tz[0] == '\0' || tz[0] == '/' || strlen(tz) > SCHEDULE_TZ_MAX ||
        strstr(tz, "..") != NULL)
        return false;
    for (const char *p = tz; *p; p++) {
        if (!isalnum((unsigned char)*p) && strchr("/_+-", *p) == NULL)
            return false;
    }
    if (strcmp(tz, "UTC") == 0)
        return true;
    path = xasprintf("%s/%s", dir && dir[0] ? dir : "/usr/share/zoneinfo", tz);
    ok = file_read(path, 1024 * 1024, &data, &len) == BOT_OK && len >= 4 &&
         memcmp(data, "TZif", 4) == 0;
    free(data);
    free(path);
    return ok;
}

/* -- Calendar arithmetic on day numbers (days since 1970-01-01), after H. Hinnant. -- */

long
schedule_days_from_civil(long y, unsigned m, unsigned d)
{
    long era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static void
civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
    long era;
    unsigned doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long)yoe + era * 400 + (*m <= 2);
}

static bool
day_matches(const struct schedule_rule *rule, long days)
{
    long y;
    unsigned m, d,
        wday = (unsigned)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */

    civil_from_days(days, &y, &m, &d);
    switch (rule->every) {
    case SCHEDULE_DAILY:
        return true;
    case SCHEDULE_WEEKLY:
        return (rule->wdays >> wday) & 1;
    case SCHEDULE_MONTHLY_DAY:
        return d == rule->mday;
    case SCHEDULE_MONTHLY_FIRST:
        return ((rule->wdays >> wday) & 1) && d <= 7;
    }
    return false;
}

/* Sets TZ to @tz for a computation; restore with tz_pop().  Loop thread only. */
static char *
tz_push(const char *tz)
{
    const char *old = getenv("TZ");
    char *saved = xstrdup_or_null(old);

    setenv("TZ", tz, 1);
    tzset();
    return saved;
}

static void
tz_pop(char *saved)
{
    if (saved != NULL)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved);
}

/* The first instant on local date @days at the rule's time, under the current TZ. */
static time_t
instant_on(const struct schedule_rule *rule, long days)
{
    long y;
    unsigned m, d;
    time_t best = (time_t)-1, fallback = (time_t)-1;

    civil_from_days(days, &y, &m, &d);
    for (int dst = 0; dst <= 1; dst++) {
        struct tm tm = {.tm_year = (int)(y - 1900),
                        .tm_mon = (int)m - 1,
                        .tm_mday = (int)d,
                        .tm_hour = (int)rule->hour,
                        .tm_min = (int)rule->minute,
                        .tm_isdst = dst};
        struct tm back;
        time_t t = mktime(&tm);

        if (t == (time_t)-1 || localtime_r(&t, &back) == NULL)
            continue;
        if (dst == 0)
            fallback = t;
        if (back.tm_hour == (int)rule->hour && back.tm_min == (int)rule->minute &&
            back.tm_mday == (int)d && (best == (time_t)-1 || t < best))
            best = t;
    }
    /* A time the clocks skip: its standard-time reading, an hour later on the clock. */
    return best != (time_t)-1 ? best : fallback;
}

enum bot_err
schedule_next(const struct schedule_rule *rule, const char *tz, time_t after,
              time_t *next)
{
    struct tm local;
    char *saved;
    long day;
    enum bot_err err = BOT_EINVAL;

    *next = 0;
    if (!schedule_tz_is_valid(tz))
        return BOT_EINVAL;
    saved = tz_push(tz);
    if (localtime_r(&after, &local) == NULL)
        goto out;
    day = schedule_days_from_civil((long)local.tm_year + 1900, (unsigned)local.tm_mon + 1,
                                   (unsigned)local.tm_mday);
    /* Start a day early: in the hour after midnight UTC a local date can lag. */
    for (long i = -1; i <= SCHEDULE_DAYS_AHEAD; i++) {
        time_t t;

        if (!day_matches(rule, day + i))
            continue;
        t = instant_on(rule, day + i);
        if (t != (time_t)-1 && t > after) {
            *next = t;
            err = BOT_OK;
            break;
        }
    }
out:
    tz_pop(saved);
    return err;
}

struct schedule *
schedule_new(const struct config *cfg)
{
    struct schedule *sc = xcalloc(1, sizeof(*sc));

    sc->e = xcalloc(cfg->nschedules ? cfg->nschedules : 1, sizeof(*sc->e));
    for (size_t i = 0; i < cfg->nschedules; i++) {
        const struct config_schedule *c = &cfg->schedules[i];
        struct entry *e = &sc->e[sc->n];
        char *why;

        /* config_load() checked these; an entry that fails here is skipped. */
        if (!schedule_rule_parse(c->when, &e->rule, &why) ||
            !summary_kind_parse(c->what, &e->what)) {
            free(why);
            continue;
        }
        e->platform = xstrdup(c->platform);
        e->channel = xstrdup(c->channel);
        e->org = xstrdup(c->org);
        e->tz = xstrdup(c->tz);
        e->key = xasprintf("schedule %s %s %s %s %s %s", c->platform, c->channel, c->org,
                           c->what, c->when, c->tz);
        sc->n++;
    }
    return sc;
}

void
schedule_free(struct schedule *sc)
{
    if (sc == NULL)
        return;
    for (size_t i = 0; i < sc->n; i++) {
        free(sc->e[i].platform);
        free(sc->e[i].channel);
        free(sc->e[i].org);
        free(sc->e[i].tz);
        free(sc->e[i].key);
    }
    free(sc->e);
    free(sc);
}

size_t
schedule_count(const struct schedule *sc)
{
    return sc->n;
}

static enum bot_err
last_get(struct entry *e, struct store *st, time_t *last, unsigned long *runs)
{
    if (st != NULL)
        return store_last_run_get(st, e->key, last, runs);
    *last = e->mem_last;
    *runs = e->mem_runs;
    return BOT_OK;
}

static enum bot_err
last_set(struct entry *e, struct store *st, time_t when, bool counted)
{
    if (st != NULL)
        return store_last_run_set(st, e->key, when, counted);
    e->mem_last = when;
    e->mem_runs += counted;
    return BOT_OK;
}

size_t
schedule_due(struct schedule *sc, const struct kb_set *set, struct store *st, time_t now,
             struct schedule_post **posts)
{
    size_t n = 0;

    *posts = NULL;
    for (size_t i = 0; i < sc->n; i++) {
        struct entry *e = &sc->e[i];
        const struct kb *kb;
        struct schedule_post *p;
        time_t last, due;
        unsigned long runs;

        if (last_get(e, st, &last, &runs) != BOT_OK)
            continue;
        if (last == 0) {
            (void)last_set(e, st, now, false);
            continue;
        }
        if (schedule_next(&e->rule, e->tz, last, &due) != BOT_OK || due > now)
            continue;
        if ((kb = kb_set_find(set, e->org)) == NULL) {
            log_warnx("schedule %s %s: no KB for org %s; not posted", e->platform,
                      e->channel, e->org);
            continue;
        }
        /* Mark first: a post that cannot be recorded as made is not made. */
        if (last_set(e, st, now, true) != BOT_OK)
            continue;
        *posts = xreallocarray(*posts, n + 1, sizeof(**posts));
        p = &(*posts)[n++];
        *p = (struct schedule_post){.platform = xstrdup(e->platform),
                                    .channel = xstrdup(e->channel),
                                    .org = xstrdup(e->org),
                                    .what = e->what,
                                    .due = due};
        if (e->what == SUMMARY_VALUE_OF_WEEK)
            summary_value_of_week(kb, runs, &p->reply);
        else
            summary_compose(kb, e->what, &p->reply);
    }
    return n;
}

void
schedule_posts_free(struct schedule_post *posts, size_t n)
{
    if (posts == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        free(posts[i].platform);
        free(posts[i].channel);
        free(posts[i].org);
        reply_cleanup(&posts[i].reply);
    }
    free(posts);
}

time_t
schedule_next_wakeup(struct schedule *sc, struct store *st, time_t now)
{
    time_t best = 0;

    for (size_t i = 0; i < sc->n; i++) {
        struct entry *e = &sc->e[i];
        time_t last, due;
        unsigned long runs;

        if (last_get(e, st, &last, &runs) != BOT_OK)
            last = now;
        if (last == 0) {
            /* Never seen: schedule_due() must start its clock now, or the
             * first due time would only start it and post nothing. */
            due = now;
        } else if (schedule_next(&e->rule, e->tz, last, &due) != BOT_OK) {
            continue;
        }
        if (due < now)
            due = now;
        if (best == 0 || due < best)
            best = due;
    }
    return best;
}
