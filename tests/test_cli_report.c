/*
 * test_cli_report.c - the terminal chat's tour, digests and unanswered log,
 * and `valuesbot report`, run as a user runs them.
 *
 * Each test spawns the real binary ($VALUESBOT_BIN, default
 * build/valuesbot) from the repository root, with stdin from a file, the
 * VALUESBOT_*, SLACK_* and MATTERMOST_* variables removed and
 * VALUESBOT_DB pointing into a fresh temporary directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "tests/test_cli_util.h"

static struct cli_dir d;

static void
setup(void)
{
    cli_dir_init(&d, "report");
}

static void
teardown(void)
{
    cli_dir_cleanup(&d);
}

TestSuite(cli_report, .init = setup, .fini = teardown, .timeout = 120);

/* Runs the binary with @args (NULL-terminated) and @input on stdin. */
static void
run(struct cli_run *r, const char *input, const char *const *args)
{
    cli_dir_run(&d, r, input, args);
}

static size_t
occurrences(const char *s, const char *part)
{
    size_t n = 0;

    for (const char *p = s; (p = strstr(p, part)) != NULL; p += strlen(part))
        n++;
    return n;
}

Test(cli_report, a_whole_tour_through_the_terminal_chat)
{
    static const char *const args[] = {"chat", "--org", "tewv", NULL};
    struct cli_run r;

    run(&r,
        "I'm new\nnext\nwhat is our mission?\nnext\nback\nnext\nnext\nnext\nnext\n"
        "next\nnext\nnext\nyes\n2\nwe will be a trusted partner\n3\nwhat are our "
        "values?\n",
        args);
    cr_expect_eq(r.code, 0, "stderr: %s", r.err);
    cr_expect_str_eq(r.err, "");
    cr_expect(
        strstr(r.out, "Welcome to Tees, Esk and Wear Valleys NHS Foundation Trust!"));
    cr_expect(strstr(r.out, "We will support people to lead their best possible lives."));
    cr_expect(strstr(r.out, "You're on step 2 of 9 of the tour."), "%s", r.out);
    cr_expect_eq(occurrences(r.out, "Goal 1 of 3"), 2,
                 "shown, then shown again after back");
    cr_expect(strstr(r.out, "Value 3 of 3: Responsibility"));
    cr_expect(strstr(r.out, "That's the tour"));
    cr_expect(strstr(r.out, "Question 1 of 3"));
    cr_expect(strstr(r.out, "Yes, Compassion."), "%s", r.out);
    cr_expect(strstr(r.out, "Yes, we will be a trusted partner."), "%s", r.out);
    cr_expect(strstr(r.out, "That's the end of the check."));
    /* After the tour, an ordinary answer. */
    cr_expect(strstr(r.out, "Our three values:"), "%s", r.out);
    cli_run_cleanup(&r);
}

Test(cli_report, a_cwpt_tour_is_its_own)
{
    static const char *const args[] = {"chat", "--org", "cwpt", NULL};
    struct cli_run r;

    run(&r, "start induction\nnext\nstop\n", args);
    cr_expect_eq(r.code, 0);
    cr_expect(
        strstr(r.out, "Welcome to Coventry and Warwickshire Partnership NHS Trust"));
    cr_expect(strstr(r.out, "Priority 1 of 5: Our Care"), "%s", r.out);
    cr_expect(strstr(r.out, "Thanks for taking the tour"));
    cr_expect(!strstr(r.out, "Tees"));
    cli_run_cleanup(&r);
}

Test(cli_report, a_manager_digest_in_the_terminal)
{
    static const char *const args[] = {"chat", NULL};
    struct cli_run r;

    run(&r, "summary of our values for the team\n", args);
    cr_expect_eq(r.code, 0);
    cr_expect(strstr(r.out,
                     "Our Journey to Change: our values\n"
                     "  • Respect: We are: Inclusive; Considerate; Open and honest"),
              "%s", r.out);
    cli_run_cleanup(&r);
}

Test(cli_report, chat_records_misses_and_report_groups_them)
{
    static const char *const chat[] = {"chat", NULL};
    static const char *const report[] = {"report", NULL};
    struct cli_run r;

    run(&r,
        "How do I book annual leave?\nhow do i book annual leave\n"
        "annual leave: how do I book it?\nhow do I book anual leave\n"
        "where is the staff car park?\nWhere's the staff car park\n"
        "what are our values?\nhello\nplease send my payslip to 07700 900123\n",
        chat);
    cr_expect_eq(r.code, 0, "%s", r.err);
    cli_run_cleanup(&r);
    run(&r, "", report);
    cr_expect_eq(r.code, 0, "%s", r.err);
    cr_expect(strstr(r.out, "7 unanswered questions in 3 groups"), "%s", r.out);
    /* Most frequent first, with its count. */
    cr_expect(strstr(r.out, "    4  ") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "    4  ") < strstr(r.out, "    2  "), "%s", r.out);
    cr_expect(strstr(r.out, "car park"), "%s", r.out);
    cr_expect(!strstr(r.out, "what are our values"), "answered questions are not logged");
    cr_expect(!strstr(r.out, "hello"), "greetings are not logged");
    cr_expect(!strstr(r.out, "900123"), "identifiers are not kept: %s", r.out);
    cr_expect(strstr(r.out, "[number]"), "%s", r.out);
    cli_run_cleanup(&r);
}

Test(cli_report, report_json_and_filters)
{
    static const char *const chat_t[] = {"chat", "--org", "tewv", NULL};
    static const char *const chat_c[] = {"chat", "--org", "cwpt", NULL};
    static const char *const report[] = {"report", "--org", "cwpt", "--json", NULL};
    static const char *const future[] = {"report", "--since", "2999-01-01", NULL};
    struct cli_run r;
    json_error_t jerr;
    json_t *root, *groups;

    run(&r, "where is the canteen?\n", chat_t);
    cli_run_cleanup(&r);
    run(&r, "where can I get a parking permit?\nparking permit where?\n", chat_c);
    cli_run_cleanup(&r);
    run(&r, "", report);
    cr_expect_eq(r.code, 0, "%s", r.err);
    root = json_loads(r.out, 0, &jerr);
    cr_assert_not_null(root, "%s: %s", jerr.text, r.out);
    cr_expect_str_eq(json_string_value(json_object_get(root, "org")), "cwpt");
    cr_expect_eq(json_integer_value(json_object_get(root, "questions")), 2);
    groups = json_object_get(root, "groups");
    cr_assert_eq(json_array_size(groups), 1, "%s", r.out);
    cr_expect_eq(json_integer_value(json_object_get(json_array_get(groups, 0), "count")),
                 2);
    cr_expect_str_eq(json_string_value(json_object_get(json_array_get(groups, 0), "org")),
                     "cwpt");
    cr_expect_not_null(json_object_get(json_array_get(groups, 0), "best_guess"));
    cr_expect_not_null(json_object_get(json_array_get(groups, 0), "last_seen"));
    json_decref(root);
    cli_run_cleanup(&r);
    run(&r, "", future);
    cr_expect_eq(r.code, 0);
    cr_expect(strstr(r.out, "No unanswered questions recorded since 2999-01-01."), "%s",
              r.out);
    cli_run_cleanup(&r);
}

Test(cli_report, report_before_anything_was_recorded)
{
    static const char *const report[] = {"report", NULL};
    struct cli_run r;

    run(&r, "", report);
    cr_expect_eq(r.code, 0, "%s", r.err);
    cr_expect_str_eq(r.out, "No unanswered questions recorded.\n");
    cr_expect_eq(access(d.db, F_OK), -1, "report creates no store");
    cli_run_cleanup(&r);
}

Test(cli_report, a_broken_store_is_one_clear_line)
{
    static const char *const report[] = {"report", NULL};
    static const char *const chat[] = {"chat", NULL};
    static const char junk[] = "not a database at all, just some text in a file that "
                               "someone pointed db_path at by mistake, long enough.\n";
    struct cli_run r;

    cr_assert_eq(file_write_atomic(d.db, junk, sizeof(junk) - 1), BOT_OK);
    run(&r, "", report);
    cr_expect_eq(r.code, 2);
    cr_expect(strstr(r.err, "not a valuesbot store"), "%s", r.err);
    cr_expect_eq(occurrences(r.err, "\n"), 1, "%s", r.err);
    cli_run_cleanup(&r);
    /* The chat still answers; it says once that it cannot record. */
    run(&r, "where is the canteen?\nwhat are our values?\n", chat);
    cr_expect_eq(r.code, 0);
    cr_expect(strstr(r.out, "Respect"), "%s", r.out);
    cr_expect(strstr(r.err, "will not be recorded"), "%s", r.err);
    cr_expect_eq(occurrences(r.err, "\n"), 1, "%s", r.err);
    cli_run_cleanup(&r);
}

Test(cli_report, ask_records_only_with_record)
{
    static const char *const ask[] = {"ask", "where is the canteen?", NULL};
    static const char *const ask_rec[] = {"ask", "--record", "where is the canteen?",
                                          NULL};
    static const char *const report[] = {"report", NULL};
    struct cli_run r;

    run(&r, "", ask);
    cli_run_cleanup(&r);
    cr_expect_eq(access(d.db, F_OK), -1, "plain ask records nothing");
    run(&r, "", ask_rec);
    cli_run_cleanup(&r);
    run(&r, "", report);
    cr_expect(strstr(r.out, "1 unanswered question in 1 group"), "%s", r.out);
    cli_run_cleanup(&r);
}

Test(cli_report, usage_errors_exit_two)
{
    static const char *const bad_date[] = {"report", "--since", "31/01/2026", NULL};
    static const char *const bad_day[] = {"report", "--since", "2026-02-30", NULL};
    static const char *const extra[] = {"report", "everything", NULL};
    static const char *const bad_limit[] = {"report", "--limit", "-3", NULL};
    const char *const *cases[] = {bad_date, bad_day, extra, bad_limit};
    struct cli_run r;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        run(&r, "", cases[i]);
        cr_expect_eq(r.code, 2, "case %zu", i);
        cr_expect(strstr(r.err, "usage: valuesbot report") ||
                      occurrences(r.err, "\n") == 1,
                  "case %zu: %s", i, r.err);
        cli_run_cleanup(&r);
    }
}
