/*
 * test_schedule.c - due times across the UK clock changes, and posts that
 * are made once (bot/core/schedule.c), with a fake clock: every "now" is a
 * fixed instant, written as the UTC time it stands for.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "bot/base/xmalloc.h"
#include "bot/core/config.h"
#include "bot/core/schedule.h"
#include "bot/core/store.h"
#include "bot/kb/kb_set.h"
#include "tests/test_util.h"

#define HOUR 3600
#define DAY  86400
#define WEEK (7 * DAY)

/* Instants, UTC. */
#define MON_16_MAR_0900 ((time_t)1773651600) /* 09:00 GMT */
#define MON_23_MAR_0900 ((time_t)1774256400) /* 09:00 GMT */
#define MON_30_MAR_0800                                                                  \
    ((time_t)1774857600) /* 09:00 BST: clocks went forward on the 29th */
#define SAT_28_MAR_1200 ((time_t)1774699200)
#define SUN_29_MAR_0130 ((time_t)1774747800) /* 02:30 BST: 01:30 never happened */
#define MON_19_OCT_0800 ((time_t)1792396800) /* 09:00 BST */
#define MON_26_OCT_0900                                                                  \
    ((time_t)1793005200) /* 09:00 GMT: clocks went back on the 25th                      \
                          */
#define SAT_24_OCT_1200 ((time_t)1792843200)
#define SUN_25_OCT_0030 ((time_t)1792888200) /* 01:30 BST, the first 01:30 */
#define MON_26_OCT_0130 ((time_t)1792978200) /* 01:30 GMT the next day */
#define SUN_01_NOV_1000 ((time_t)1793527200)
#define MON_02_NOV_0900 ((time_t)1793610000)
#define MON_07_DEC_0900 ((time_t)1796634000)
#define TUE_01_DEC_0900 ((time_t)1796115600)
#define FRI_01_JAN_0900 ((time_t)1798794000)
#define MON_06_JUL_0800 ((time_t)1783324800)

static struct schedule_rule
rule(const char *s)
{
    struct schedule_rule r;
    char *why = NULL;

    cr_assert(schedule_rule_parse(s, &r, &why), "%s: %s", s, why);
    return r;
}

static time_t
next(const char *when, const char *tz, time_t after)
{
    struct schedule_rule r = rule(when);
    time_t t;

    cr_assert_eq(schedule_next(&r, tz, after, &t), BOT_OK, "%s %s", when, tz);
    return t;
}

Test(schedule, weekly_across_the_march_change)
{
    cr_expect_eq(next("Mon 09:00", "Europe/London", MON_16_MAR_0900), MON_23_MAR_0900,
                 "strictly after: not the same instant again");
    cr_expect_eq(next("Mon 09:00", "Europe/London", MON_23_MAR_0900), MON_30_MAR_0800,
                 "09:00 BST is 08:00 UTC");
    cr_expect_eq(next("Mon 09:00", "Europe/London", MON_23_MAR_0900 - 1),
                 MON_23_MAR_0900);
}

Test(schedule, weekly_across_the_october_change)
{
    cr_expect_eq(next("Mon 09:00", "Europe/London", MON_19_OCT_0800), MON_26_OCT_0900,
                 "09:00 GMT is 09:00 UTC");
}

Test(schedule, a_time_the_clocks_skip_falls_due_an_hour_later)
{
    cr_expect_eq(next("daily 01:30", "Europe/London", SAT_28_MAR_1200), SUN_29_MAR_0130);
}

Test(schedule, a_time_that_happens_twice_falls_due_once)
{
    time_t first = next("daily 01:30", "Europe/London", SAT_24_OCT_1200);

    cr_expect_eq(first, SUN_25_OCT_0030, "the first 01:30 (BST)");
    cr_expect_eq(next("daily 01:30", "Europe/London", first), MON_26_OCT_0130,
                 "not again at the second 01:30 (GMT) an hour later");
}

Test(schedule, monthly_rules)
{
    cr_expect_eq(next("first Mon 09:00", "Europe/London", SUN_01_NOV_1000),
                 MON_02_NOV_0900);
    cr_expect_eq(next("first Mon 09:00", "Europe/London", MON_02_NOV_0900),
                 MON_07_DEC_0900);
    cr_expect_eq(next("monthly 1 09:00", "Europe/London", MON_02_NOV_0900),
                 TUE_01_DEC_0900);
    cr_expect_eq(next("monthly 1 09:00", "Europe/London", TUE_01_DEC_0900),
                 FRI_01_JAN_0900, "across the year end");
}

Test(schedule, other_zones)
{
    cr_expect_eq(next("Mon 09:00", "UTC", MON_06_JUL_0800), MON_06_JUL_0800 + HOUR);
    cr_expect_eq(next("Mon 09:00", "Europe/London", MON_06_JUL_0800 - 1),
                 MON_06_JUL_0800);
    cr_expect_eq(next("Mon,Thu 09:00", "Europe/London", MON_06_JUL_0800),
                 MON_06_JUL_0800 + 3 * DAY);
    /* 09:00 in New York (EDT, UTC-4) in July is 13:00 UTC. */
    cr_expect_eq(next("Mon 09:00", "America/New_York", MON_06_JUL_0800),
                 MON_06_JUL_0800 + 5 * HOUR);
}

Test(schedule, the_process_time_zone_is_left_alone)
{
    setenv("TZ", "Asia/Tokyo", 1);
    (void)next("Mon 09:00", "Europe/London", MON_06_JUL_0800);
    cr_expect_str_eq(getenv("TZ"), "Asia/Tokyo");
    unsetenv("TZ");
    (void)next("Mon 09:00", "Europe/London", MON_06_JUL_0800);
    cr_expect_null(getenv("TZ"));
}

Test(schedule, bad_zones_are_refused)
{
    static const char *const bad[] = {"Mars/Olympus_Mons", "../../etc/passwd",
                                      "/etc/localtime",    "",
                                      "Europe/London\n",   "Europe/../London"};
    struct schedule_rule r = rule("Mon 09:00");
    time_t t;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cr_expect(!schedule_tz_is_valid(bad[i]), "%s", bad[i]);
        cr_expect_eq(schedule_next(&r, bad[i], 0, &t), BOT_EINVAL, "%s", bad[i]);
    }
    cr_expect(schedule_tz_is_valid("Europe/London"));
    cr_expect(schedule_tz_is_valid("UTC"));
}

Test(schedule, rule_parsing)
{
    static const char *const good[] = {
        "Mon 09:00",         "mon 9:05",         "daily 08:30",         "07:00",
        "Mon,Wed,Fri 12:00", "monthly 28 23:59", "first Tuesday 09:00", "Sunday 00:00"};
    static const char *const bad[] = {"Mon",
                                      "Mon 24:00",
                                      "Mon 09:60",
                                      "Funday 09:00",
                                      "monthly 29 09:00",
                                      "monthly 09:00",
                                      "first 09:00",
                                      "09:00 Mon",
                                      "Mon 09:00 extra",
                                      "",
                                      "Mon 9",
                                      "Mon -1:00"};
    struct schedule_rule r;
    char *why;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        cr_expect(schedule_rule_parse(good[i], &r, &why), "%s: %s", good[i], why);
        free(why);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        why = NULL;
        cr_expect(!schedule_rule_parse(bad[i], &r, &why), "%s accepted", bad[i]);
        cr_expect_not_null(why, "%s: no reason", bad[i]);
        free(why);
    }
    r = rule("mon 9:05");
    cr_expect_eq(r.every, SCHEDULE_WEEKLY);
    cr_expect_eq(r.wdays, 1u << 1);
    cr_expect_eq(r.hour, 9);
    cr_expect_eq(r.minute, 5);
}

/* -- schedule_due() with a store -- */

static char dir[] = "/tmp/valuesbot-test-schedule-XXXXXX";
static char *db;
static struct kb_set *set;
static struct config cfg;
static struct config_schedule entries[2];

static void
setup(void)
{
    cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
    db = xasprintf("%s/store.db", dir);
    set = shipped_kbs();
    entries[0] = (struct config_schedule){.platform = "slack",
                                          .channel = "C123",
                                          .org = "tewv",
                                          .what = "value_of_the_week",
                                          .when = "Mon 09:00",
                                          .tz = "Europe/London"};
    entries[1] = (struct config_schedule){.platform = "mattermost",
                                          .channel = "town-hall",
                                          .org = "cwpt",
                                          .what = "digest",
                                          .when = "monthly 1 09:00",
                                          .tz = "Europe/London"};
    cfg.schedules = entries;
    cfg.nschedules = 1;
}

static void
teardown(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm"};

    for (size_t i = 0; i < 3; i++) {
        char *p = xasprintf("%s%s", db, suffix[i]);

        unlink(p);
        free(p);
    }
    free(db);
    rmdir(dir);
    kb_set_free(set);
}

TestSuite(due, .init = setup, .fini = teardown);

static struct store *
store(void)
{
    struct store *st;
    char *why = NULL;

    cr_assert_eq(store_open(db, true, 90, MON_16_MAR_0900, &st, &why), BOT_OK, "%s", why);
    return st;
}

/* Runs schedule_due() at @now; returns how many posts, and the first one's heading. */
static size_t
due_at(struct schedule *sc, struct store *st, time_t now, char *heading, size_t max)
{
    struct schedule_post *posts;
    size_t n = schedule_due(sc, set, st, now, &posts);

    heading[0] = '\0';
    if (n > 0) {
        cr_assert_gt(posts[0].reply.n, 0);
        cr_assert_eq(posts[0].reply.blocks[0].kind, REPLY_HEADING);
        snprintf(heading, max, "%s", posts[0].reply.blocks[0].text);
    }
    schedule_posts_free(posts, n);
    return n;
}

Test(due, first_sight_only_starts_the_clock)
{
    struct store *st = store();
    struct schedule *sc = schedule_new(&cfg);
    char h[128];

    cr_expect_eq(due_at(sc, st, MON_16_MAR_0900 + 60, h, sizeof(h)), 0,
                 "a new schedule does not post at once");
    cr_expect_eq(due_at(sc, st, MON_23_MAR_0900 - 1, h, sizeof(h)), 0);
    cr_expect_eq(due_at(sc, st, MON_23_MAR_0900, h, sizeof(h)), 1);
    cr_expect_str_eq(h, "Value of the week: Respect");
    cr_expect_eq(due_at(sc, st, MON_23_MAR_0900 + 30, h, sizeof(h)), 0, "once only");
    schedule_free(sc);
    store_free(st);
    expect_no_leaks("due");
}

Test(due, the_post_names_its_channel_and_when_it_fell_due)
{
    struct store *st = store();
    struct schedule *sc = schedule_new(&cfg);
    struct schedule_post *posts;
    size_t n;

    (void)schedule_due(sc, set, st, MON_16_MAR_0900 + 60, &posts);
    n = schedule_due(sc, set, st, MON_23_MAR_0900 + 120, &posts);
    cr_assert_eq(n, 1);
    cr_expect_str_eq(posts[0].platform, "slack");
    cr_expect_str_eq(posts[0].channel, "C123");
    cr_expect_str_eq(posts[0].org, "tewv");
    cr_expect_eq(posts[0].what, SUMMARY_VALUE_OF_WEEK);
    cr_expect_eq(posts[0].due, MON_23_MAR_0900);
    schedule_posts_free(posts, n);
    schedule_free(sc);
    store_free(st);
}

Test(due, downtime_gives_one_post_not_one_per_missed_week)
{
    struct store *st = store();
    struct schedule *sc = schedule_new(&cfg);
    char h[128];

    (void)due_at(sc, st, MON_16_MAR_0900 + 60, h, sizeof(h));
    /* Down for five weeks, back on a Wednesday. */
    cr_expect_eq(due_at(sc, st, MON_16_MAR_0900 + 5 * WEEK + 2 * DAY, h, sizeof(h)), 1);
    cr_expect_eq(due_at(sc, st, MON_16_MAR_0900 + 5 * WEEK + 2 * DAY + 60, h, sizeof(h)),
                 0);
    cr_expect_eq(due_at(sc, st, MON_16_MAR_0900 + 6 * WEEK - HOUR, h, sizeof(h)), 1,
                 "the next Monday (09:00 BST) posts as usual");
    cr_expect_str_eq(h, "Value of the week: Compassion", "the rotation moved on by one");
    schedule_free(sc);
    store_free(st);
}

Test(due, a_restart_neither_repeats_nor_loses_the_rotation)
{
    struct store *st = store();
    struct schedule *sc = schedule_new(&cfg);
    char h[128];

    (void)due_at(sc, st, MON_16_MAR_0900 + 60, h, sizeof(h));
    cr_expect_eq(due_at(sc, st, MON_23_MAR_0900 + 60, h, sizeof(h)), 1);
    schedule_free(sc);
    store_free(st);
    /* The bot restarts a minute later. */
    st = store();
    sc = schedule_new(&cfg);
    cr_expect_eq(due_at(sc, st, MON_23_MAR_0900 + 120, h, sizeof(h)), 0);
    cr_expect_eq(due_at(sc, st, MON_30_MAR_0800, h, sizeof(h)), 1);
    cr_expect_str_eq(h, "Value of the week: Compassion");
    cr_expect_eq(due_at(sc, st, MON_30_MAR_0800 + WEEK, h, sizeof(h)), 1);
    cr_expect_str_eq(h, "Value of the week: Responsibility");
    cr_expect_eq(due_at(sc, st, MON_30_MAR_0800 + 2 * WEEK, h, sizeof(h)), 1);
    cr_expect_str_eq(h, "Value of the week: Respect", "round again");
    schedule_free(sc);
    store_free(st);
}

Test(due, without_a_store_it_still_posts_once)
{
    struct schedule *sc = schedule_new(&cfg);
    char h[128];

    (void)due_at(sc, NULL, MON_16_MAR_0900 + 60, h, sizeof(h));
    cr_expect_eq(due_at(sc, NULL, MON_23_MAR_0900 + 60, h, sizeof(h)), 1);
    cr_expect_eq(due_at(sc, NULL, MON_23_MAR_0900 + 61, h, sizeof(h)), 0);
    schedule_free(sc);
}

Test(due, the_first_due_time_after_the_first_start_is_posted)
{
    struct schedule *sc = schedule_new(&cfg);
    time_t start = MON_23_MAR_0900 - 30 * 60, wake;
    char h[128];

    /* Started at 08:30 for a Monday 09:00 post: the timer must wake at once to
     * start the clock, then at 09:00, when the post is made. */
    wake = schedule_next_wakeup(sc, NULL, start);
    cr_expect_eq(wake, start, "an unseen entry wakes the timer at once");
    cr_expect_eq(due_at(sc, NULL, wake, h, sizeof(h)), 0,
                 "first sight only starts the clock");
    wake = schedule_next_wakeup(sc, NULL, start + 1);
    cr_expect_eq(wake, MON_23_MAR_0900);
    cr_expect_eq(due_at(sc, NULL, wake, h, sizeof(h)), 1, "the 09:00 post is made");
    schedule_free(sc);
}

Test(due, a_monthly_digest_for_another_org)
{
    struct store *st = store();
    struct schedule *sc;
    char h[128];

    cfg.nschedules = 2;
    sc = schedule_new(&cfg);
    cr_assert_eq(schedule_count(sc), 2);
    (void)due_at(sc, st, MON_02_NOV_0900, h, sizeof(h));
    cr_expect_eq(schedule_next_wakeup(sc, st, MON_02_NOV_0900),
                 MON_07_DEC_0900 - 4 * WEEK,
                 "the next Monday's value of the week is the earliest");
    cr_expect_eq(due_at(sc, st, TUE_01_DEC_0900 - 1, h, sizeof(h)), 1,
                 "the weekly post (Mon 30 Nov) but not yet the digest");
    cr_expect_str_eq(h, "Value of the week: Respect");
    {
        struct schedule_post *posts;
        size_t n = schedule_due(sc, set, st, TUE_01_DEC_0900, &posts);

        cr_assert_eq(n, 1);
        cr_expect_str_eq(posts[0].channel, "town-hall");
        cr_expect_str_eq(posts[0].reply.blocks[0].text, "People at our Heart in brief");
        schedule_posts_free(posts, n);
    }
    schedule_free(sc);
    store_free(st);
}

Test(due, an_org_without_a_kb_posts_nothing)
{
    struct schedule *sc;
    char h[128];

    entries[0].org = "nosuch";
    sc = schedule_new(&cfg);
    (void)due_at(sc, NULL, MON_16_MAR_0900 + 60, h, sizeof(h));
    cr_expect_eq(due_at(sc, NULL, MON_23_MAR_0900 + 60, h, sizeof(h)), 0);
    schedule_free(sc);
}

Test(due, an_empty_schedule)
{
    struct config none = {0};
    struct schedule *sc = schedule_new(&none);
    struct schedule_post *posts;

    cr_expect_eq(schedule_count(sc), 0);
    cr_expect_eq(schedule_due(sc, set, NULL, MON_23_MAR_0900, &posts), 0);
    cr_expect_null(posts);
    cr_expect_eq(schedule_next_wakeup(sc, NULL, MON_23_MAR_0900), 0);
    schedule_free(sc);
    schedule_free(NULL);
    schedule_posts_free(NULL, 0);
}
