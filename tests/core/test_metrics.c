/* test_metrics.c - counters, the histogram and the Prometheus text of bot/core/metrics.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/adapters/adapter.h"
#include "bot/base/buf.h"
#include "bot/core/metrics.h"

static char *
render(const struct metrics *m, const struct metrics_platform *p, size_t np, size_t kbs)
{
    struct buf b;

    buf_init(&b, 1 << 20);
    metrics_render(m, p, np, kbs, &b);
    return buf_take(&b);
}

/* The value of the sample line that starts with @series (name and labels). */
static double
sample(const char *text, const char *series)
{
    size_t n = strlen(series);

    for (const char *l = text; l != NULL && *l != '\0';) {
        const char *nl = strchr(l, '\n');

        if (strncmp(l, series, n) == 0 && l[n] == ' ')
            return strtod(l + n + 1, NULL);
        l = nl != NULL ? nl + 1 : NULL;
    }
    cr_log_error("no sample %s", series);
    return -1;
}

Test(metrics, empty_exposition_has_every_family_with_zeroes)
{
    struct metrics *m = metrics_new(1700000000);
    char *t = render(m, NULL, 0, 2);

    cr_assert(strstr(t, "# TYPE valuesbot_questions_total counter\n") != NULL);
    cr_assert(strstr(t, "# TYPE valuesbot_answer_seconds histogram\n") != NULL);
    cr_assert_eq(sample(t, "valuesbot_answer_seconds_bucket{le=\"+Inf\"}"), 0);
    cr_assert_eq(sample(t, "valuesbot_answer_seconds_count"), 0);
    cr_assert_eq(sample(t, "valuesbot_reloads_total{result=\"ok\"}"), 0);
    cr_assert_eq(sample(t, "valuesbot_last_reload_ok"), 1);
    cr_assert_eq(sample(t, "valuesbot_knowledge_bases_loaded"), 2);
    cr_assert_eq(sample(t, "process_start_time_seconds"), 1700000000);
    cr_assert_eq(t[strlen(t) - 1], '\n');
    free(t);
    metrics_free(m);
}

Test(metrics, questions_answers_and_declines_by_platform_and_org)
{
    struct metrics *m = metrics_new(0);
    char *t;

    metrics_question(m, "slack", "tewv", "answer", 0.001);
    metrics_question(m, "slack", "tewv", "answer", 0.001);
    metrics_question(m, "slack", "tewv", "decline", 0.001);
    metrics_question(m, "slack", "cwpt", "help", 0.001);
    metrics_question(m, "mattermost", "tewv", "tour", 0.001);
    t = render(m, NULL, 0, 2);
    cr_assert_eq(sample(t, "valuesbot_questions_total{platform=\"slack\",org=\"tewv\"}"),
                 3);
    cr_assert_eq(sample(t, "valuesbot_answered_total{platform=\"slack\",org=\"tewv\"}"),
                 2);
    cr_assert_eq(sample(t, "valuesbot_declined_total{platform=\"slack\",org=\"tewv\"}"),
                 1);
    cr_assert_eq(sample(t, "valuesbot_questions_total{platform=\"slack\",org=\"cwpt\"}"),
                 1);
    cr_assert_eq(sample(t, "valuesbot_answered_total{platform=\"slack\",org=\"cwpt\"}"),
                 0);
    cr_assert_eq(
        sample(t, "valuesbot_questions_total{platform=\"mattermost\",org=\"tewv\"}"), 1);
    free(t);
    metrics_free(m);
}

Test(metrics, histogram_buckets_are_cumulative_with_sum_and_count)
{
    struct metrics *m = metrics_new(0);
    char *t;

    metrics_question(m, "slack", "tewv", "answer", 0.00005); /* le 0.0001 */
    metrics_question(m, "slack", "tewv", "answer", 0.003);   /* le 0.005 */
    metrics_question(m, "slack", "tewv", "answer",
                     0.005);                              /* le 0.005: bounds inclusive */
    metrics_question(m, "slack", "tewv", "answer", 2.0);  /* only +Inf */
    metrics_question(m, "slack", "tewv", "answer", -1.0); /* a clock step: counted as 0 */
    t = render(m, NULL, 0, 1);
    cr_assert_eq(sample(t, "valuesbot_answer_seconds_bucket{le=\"0.0001\"}"), 2);
    cr_assert_eq(sample(t, "valuesbot_answer_seconds_bucket{le=\"0.0025\"}"), 2);
    cr_assert_eq(sample(t, "valuesbot_answer_seconds_bucket{le=\"0.005\"}"), 4);
    cr_assert_eq(sample(t, "valuesbot_answer_seconds_bucket{le=\"1\"}"), 4);
    cr_assert_eq(sample(t, "valuesbot_answer_seconds_bucket{le=\"+Inf\"}"), 5);
    cr_assert_eq(sample(t, "valuesbot_answer_seconds_count"), 5);
    cr_assert_float_eq(sample(t, "valuesbot_answer_seconds_sum"), 2.00805, 1e-9);
    free(t);
    metrics_free(m);
}

Test(metrics, label_values_are_escaped)
{
    struct metrics *m = metrics_new(0);
    char *t;

    metrics_question(m, "slack", "a\"b\\c\nd", "answer", 0);
    t = render(m, NULL, 0, 1);
    cr_assert_eq(
        sample(t,
               "valuesbot_questions_total{platform=\"slack\",org=\"a\\\"b\\\\c\\nd\"}"),
        1);
    free(t);
    metrics_free(m);
}

Test(metrics, series_are_bounded_and_the_rest_folded)
{
    struct metrics *m = metrics_new(0);
    char org[16], *t;
    size_t lines = 0;

    for (int i = 0; i < METRICS_MAX_SERIES + 50; i++) {
        snprintf(org, sizeof(org), "org%d", i);
        metrics_question(m, "slack", org, "answer", 0);
    }
    metrics_question(m, "slack", "org0", "answer", 0); /* an early one still counts */
    t = render(m, NULL, 0, 1);
    for (const char *p = t; (p = strstr(p, "valuesbot_questions_total{")) != NULL; p++)
        lines++;
    cr_assert_eq(lines, METRICS_MAX_SERIES);
    cr_assert_eq(sample(t, "valuesbot_questions_total{platform=\"slack\",org=\"org0\"}"),
                 2);
    cr_assert_eq(sample(t, "valuesbot_questions_total{platform=\"other\",org=\"other\"}"),
                 51);
    free(t);
    metrics_free(m);
}

Test(metrics, platform_counters_and_reloads)
{
    struct metrics *m = metrics_new(0);
    struct adapter_stats st = {.connects = 4,
                               .posts = 10,
                               .posts_retried = 2,
                               .posts_failed = 1,
                               .rate_limited = 3};
    struct adapter_stats none = {0};
    struct metrics_platform p[] = {{"slack", &st, true}, {"mattermost", &none, false}};
    char *t;

    metrics_reload(m, true, 100);
    metrics_reload(m, false, 200);
    t = render(m, p, 2, 2);
    cr_assert_eq(sample(t, "valuesbot_connected{platform=\"slack\"}"), 1);
    cr_assert_eq(sample(t, "valuesbot_connected{platform=\"mattermost\"}"), 0);
    cr_assert_eq(sample(t, "valuesbot_reconnects_total{platform=\"slack\"}"), 3);
    cr_assert_eq(sample(t, "valuesbot_reconnects_total{platform=\"mattermost\"}"), 0);
    cr_assert_eq(sample(t, "valuesbot_posts_total{platform=\"slack\"}"), 10);
    cr_assert_eq(sample(t, "valuesbot_posts_retried_total{platform=\"slack\"}"), 2);
    cr_assert_eq(sample(t, "valuesbot_posts_failed_total{platform=\"slack\"}"), 1);
    cr_assert_eq(sample(t, "valuesbot_rate_limited_total{platform=\"slack\"}"), 3);
    cr_assert_eq(sample(t, "valuesbot_reloads_total{result=\"ok\"}"), 1);
    cr_assert_eq(sample(t, "valuesbot_reloads_total{result=\"failed\"}"), 1);
    cr_assert_eq(sample(t, "valuesbot_last_reload_ok"), 0);
    cr_assert_eq(sample(t, "valuesbot_last_reload_timestamp_seconds"), 200);
    free(t);
    metrics_free(m);
}
