/*
 * test_summary_render.c - managers' digests as each platform receives them:
 * each digest of bot/core/summary.c rendered for Slack (slack_format_parts(),
 * mrkdwn split under SLACK_MAX_TEXT), for Mattermost (mm_format(), Markdown
 * under MM_MAX_TEXT) and for the terminal (reply_format_plain()), compared
 * byte for byte with the fixture files tests/data/summaries/NAME.mrkdwn,
 * NAME.md and NAME.txt.
 *
 * A fixture holds every message of the digest, each after a line
 * "=== message I of N ===".  On a mismatch the output is written next to
 * the build (build/tests/summaries/NAME.EXT.actual) for diffing.  The
 * longlist KB has 40 goals and &, <, >, *, _, ~ and ` in its names, so its
 * Slack digest needs several messages, and every platform must escape.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <criterion/criterion.h>

#include "bot/adapters/mattermost/mattermost_int.h"
#include "bot/adapters/slack/slack_int.h"
#include "bot/base/buf.h"
#include "bot/base/file.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/reply.h"
#include "bot/core/summary.h"
#include "bot/kb/kb.h"
#include "tests/test_util.h"

#define FIXTURES "tests/data/summaries/"
#define ACTUAL   "build/tests/summaries/"

static struct kb *
load(const char *path)
{
    struct kb *kb;
    char *why = NULL;

    cr_assert_eq(kb_load_file(path, &kb, &why), BOT_OK, "%s: %s", path, why);
    return kb;
}

enum platform { SLACK, MATTERMOST, PLAIN };

static const char *const ext[] = {"mrkdwn", "md", "txt"};

/* Renders @r for @p in the fixture layout; *nparts (out) is how many messages. */
static char *
render(enum platform p, const struct reply *r, size_t *nparts)
{
    char **parts;
    size_t n = 1;
    struct buf b;

    if (p == SLACK) {
        n = slack_format_parts(r, SLACK_MAX_TEXT, &parts);
    } else {
        parts = xmalloc(sizeof(*parts));
        parts[0] = p == MATTERMOST ? mm_format(r, MM_MAX_TEXT) : reply_format_plain(r);
    }
    buf_init(&b, 1 << 20);
    for (size_t i = 0; i < n; i++) {
        cr_expect_leq(strlen(parts[i]),
                      (size_t)(p == SLACK ? SLACK_MAX_TEXT : MM_MAX_TEXT),
                      "message %zu is too long", i + 1);
        cr_assert_eq(
            buf_printf(&b, "=== message %zu of %zu ===\n%s\n", i + 1, n, parts[i]),
            BOT_OK);
        free(parts[i]);
    }
    free(parts);
    *nparts = n;
    return buf_take(&b);
}

static void
save_actual(const char *name, const char *got)
{
    char path[256];
    FILE *f;

    (void)mkdir("build/tests", 0755);
    (void)mkdir(ACTUAL, 0755);
    snprintf(path, sizeof(path), ACTUAL "%s.actual", name);
    if ((f = fopen(path, "w")) != NULL) {
        fputs(got, f);
        fclose(f);
    }
}

/* Renders the @kind digest of @kb_path for @p and compares it with fixture @name. */
static size_t
check_one(enum platform p, const char *kb_path, enum summary_kind kind,
          unsigned long week, const char *name)
{
    struct kb *kb = load(kb_path);
    struct reply r = {0};
    char path[256], *want = NULL, *got;
    size_t len, n;

    if (kind == SUMMARY_VALUE_OF_WEEK)
        summary_value_of_week(kb, week, &r);
    else
        summary_compose(kb, kind, &r);
    got = render(p, &r, &n);
    snprintf(path, sizeof(path), FIXTURES "%s.%s", name, ext[p]);
    if (file_read(path, 1 << 20, &want, &len) != BOT_OK) {
        save_actual(path + strlen(FIXTURES), got);
        cr_assert_fail("%s: cannot read (output in " ACTUAL "%s.actual)", path,
                       path + strlen(FIXTURES));
    }
    if (strcmp(got, want) != 0)
        save_actual(path + strlen(FIXTURES), got);
    cr_expect_str_eq(got, want, "%s differs (output in " ACTUAL "%s.actual)", path,
                     path + strlen(FIXTURES));
    free(want);
    free(got);
    reply_cleanup(&r);
    kb_free(kb);
    return n;
}

/* Checks every platform; returns how many Slack messages the digest took. */
static size_t
check(const char *kb_path, enum summary_kind kind, unsigned long week, const char *name)
{
    size_t n = check_one(SLACK, kb_path, kind, week, name);

    cr_expect_eq(check_one(MATTERMOST, kb_path, kind, week, name), 1);
    cr_expect_eq(check_one(PLAIN, kb_path, kind, week, name), 1);
    return n;
}

Test(summary_render, tewv_goals)
{
    cr_expect_eq(check("knowledge/tewv.json", SUMMARY_GOALS, 0, "tewv-goals"), 1);
    expect_no_leaks("tewv goals");
}

Test(summary_render, tewv_values)
{
    cr_expect_eq(check("knowledge/tewv.json", SUMMARY_VALUES, 0, "tewv-values"), 1);
}

Test(summary_render, tewv_whole_strategy)
{
    cr_expect_eq(check("knowledge/tewv.json", SUMMARY_STRATEGY, 0, "tewv-strategy"), 1);
}

Test(summary_render, tewv_value_of_the_week)
{
    cr_expect_eq(
        check("knowledge/tewv.json", SUMMARY_VALUE_OF_WEEK, 4, "tewv-value-week-5"), 1);
}

Test(summary_render, cwpt_priorities)
{
    cr_expect_eq(check("knowledge/cwpt.json", SUMMARY_GOALS, 0, "cwpt-goals"), 1);
}

Test(summary_render, long_list_split_and_escaped)
{
    cr_expect_gt(
        check(FIXTURES "longlist.json", SUMMARY_STRATEGY, 0, "longlist-strategy"), 1,
        "forty goals fit in no single Slack message");
    expect_no_leaks("long list");
}
