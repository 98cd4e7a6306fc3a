/*
 * test_slack_summary.c - managers' digests as Slack receives them: each digest
 * of bot/core/summary.c rendered by the Slack adapter's mrkdwn formatter
 * (slack_format_parts(), split under SLACK_MAX_TEXT) and compared, byte for
 * byte, with the fixture files in tests/data/summaries/.
 *
 * A fixture holds every message of the digest, each after a line
 * "=== message I of N ===".  On a mismatch the output is written next to
 * the build (build/tests/summaries/NAME.actual) for diffing.  The
 * longlist KB has 40 goals and &, <, >, *, _, ~ and ` in its names, so its
 * digest needs several messages and escaping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <criterion/criterion.h>

#include "bot/adapters/slack_int.h"
#include "bot/base/buf.h"
#include "bot/base/file.h"
#include "bot/core/reply.h"
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

/* Renders @r as Slack messages in the fixture layout; *nparts (out) is how many. */
static char *
render(const struct reply *r, size_t *nparts)
{
    char **parts;
    size_t n = slack_format_parts(r, SLACK_MAX_TEXT, &parts);
    struct buf b;

    buf_init(&b, 1 << 20);
    for (size_t i = 0; i < n; i++) {
        cr_expect_leq(strlen(parts[i]), (size_t)SLACK_MAX_TEXT, "message %zu is too long",
                      i + 1);
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

/* Renders the @kind digest of @kb_path and compares it with fixture @name. */
static size_t
check(const char *kb_path, enum summary_kind kind, unsigned long week, const char *name)
{
    struct kb *kb = load(kb_path);
    struct reply r = {0};
    char path[256], *want = NULL, *got;
    size_t len, n;

    if (kind == SUMMARY_VALUE_OF_WEEK)
        summary_value_of_week(kb, week, &r);
    else
        summary_compose(kb, kind, &r);
    got = render(&r, &n);
    snprintf(path, sizeof(path), FIXTURES "%s.mrkdwn", name);
    if (file_read(path, 1 << 20, &want, &len) != BOT_OK) {
        save_actual(name, got);
        cr_assert_fail("%s: cannot read (output in " ACTUAL "%s.actual)", path, name);
    }
    if (strcmp(got, want) != 0)
        save_actual(name, got);
    cr_expect_str_eq(got, want, "%s differs from %s (output in " ACTUAL "%s.actual)",
                     name, path, name);
    free(want);
    free(got);
    reply_cleanup(&r);
    kb_free(kb);
    return n;
}

Test(slack_summary, tewv_goals)
{
    cr_expect_eq(check("knowledge/tewv.json", SUMMARY_GOALS, 0, "tewv-goals"), 1);
    expect_no_leaks("tewv goals");
}

Test(slack_summary, tewv_values)
{
    cr_expect_eq(check("knowledge/tewv.json", SUMMARY_VALUES, 0, "tewv-values"), 1);
}

Test(slack_summary, tewv_whole_strategy)
{
    cr_expect_eq(check("knowledge/tewv.json", SUMMARY_STRATEGY, 0, "tewv-strategy"), 1);
}

Test(slack_summary, tewv_value_of_the_week)
{
    cr_expect_eq(
        check("knowledge/tewv.json", SUMMARY_VALUE_OF_WEEK, 4, "tewv-value-week-5"), 1);
}

Test(slack_summary, cwpt_priorities)
{
    cr_expect_eq(check("knowledge/cwpt.json", SUMMARY_GOALS, 0, "cwpt-goals"), 1);
}

Test(slack_summary, long_list_split_and_escaped)
{
    cr_expect_gt(
        check(FIXTURES "longlist.json", SUMMARY_STRATEGY, 0, "longlist-strategy"), 1,
        "forty goals fit in no single Slack message");
    expect_no_leaks("long list");
}
