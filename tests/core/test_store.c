/*
 * test_store.c - the SQLite store in bot/core/store.c: the unanswered log,
 * its retention limit, what it refuses to keep, and bad files.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <sqlite3.h>

#include "tests/test_util.h"

#include "bot/base/file.h"
#include "bot/base/xmalloc.h"
#include "bot/core/store.h"

#define DAY 86400
#define T0  ((time_t)1790000000) /* 2026-09-21, a fixed "now" */

static char dir[] = "/tmp/valuesbot-test-store-XXXXXX";
static char *db;

static void
setup(void)
{
    cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
    db = xasprintf("%s/store.db", dir);
}

static void
teardown(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};

    for (size_t i = 0; i < 4; i++) {
        char *p = xasprintf("%s%s", db, suffix[i]);

        unlink(p);
        free(p);
    }
    free(db);
    rmdir(dir);
}

TestSuite(store, .init = setup, .fini = teardown);

struct rows {
    size_t n;
    char *question[16];
    char *org[16];
    char *guess[16];
    time_t when[16];
    double confidence[16];
};

static bool
collect(const struct store_row *row, void *arg)
{
    struct rows *r = arg;

    if (r->n < 16) {
        r->question[r->n] = xstrdup(row->question);
        r->org[r->n] = xstrdup(row->org);
        r->guess[r->n] = xstrdup(row->guess);
        r->when[r->n] = row->when;
        r->confidence[r->n] = row->confidence;
    }
    r->n++;
    return true;
}

static void
rows_free(struct rows *r)
{
    for (size_t i = 0; i < r->n && i < 16; i++) {
        free(r->question[i]);
        free(r->org[i]);
        free(r->guess[i]);
    }
    memset(r, 0, sizeof(*r));
}

static bool
contains(const char *buf, size_t len, const char *s)
{
    size_t n = strlen(s);

    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(buf + i, s, n) == 0)
            return true;
    }
    return false;
}

static struct store *
open_ok(unsigned retention, time_t now)
{
    struct store *st;
    char *why = NULL;

    cr_assert_eq(store_open(db, true, retention, now, &st, &why), BOT_OK, "%s", why);
    cr_assert_null(why);
    return st;
}

Test(store, records_and_reads_back_newest_first)
{
    struct store *st = open_ok(90, T0);
    struct rows r = {0};

    cr_assert_eq(
        store_record(st, "tewv", T0, "where is the canteen?", "out_of_scope", 0.1),
        BOT_OK);
    cr_assert_eq(store_record(st, "cwpt", T0 + 5, "parking permits", NULL, 0.3), BOT_OK);
    cr_assert_eq(store_unanswered_foreach(st, NULL, 0, collect, &r), BOT_OK);
    cr_assert_eq(r.n, 2);
    cr_expect_str_eq(r.question[0], "parking permits");
    cr_expect_str_eq(r.org[0], "cwpt");
    cr_expect_str_eq(r.guess[0], "");
    cr_expect_eq(r.when[0], T0 + 5);
    cr_expect_str_eq(r.question[1], "where is the canteen?");
    cr_expect_str_eq(r.guess[1], "out_of_scope");
    cr_expect_float_eq(r.confidence[1], 0.1, 1e-9);
    rows_free(&r);
    cr_assert_eq(store_unanswered_foreach(st, "tewv", 0, collect, &r), BOT_OK);
    cr_expect_eq(r.n, 1, "the org filter keeps only tewv");
    rows_free(&r);
    cr_assert_eq(store_unanswered_foreach(st, NULL, T0 + 1, collect, &r), BOT_OK);
    cr_expect_eq(r.n, 1, "since filters by time");
    rows_free(&r);
    store_free(st);
    expect_no_leaks("record and read");
}

Test(store, the_schema_has_no_identity_columns)
{
    struct store *st = open_ok(90, T0);
    sqlite3 *raw;
    sqlite3_stmt *s;
    static const char *const banned[] = {"user", "channel", "team", "email",
                                         "name", "msg",     "ts",   "thread"};

    store_free(st);
    cr_assert_eq(sqlite3_open(db, &raw), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(raw,
                                    "SELECT name FROM pragma_table_info('unanswered')",
                                    -1, &s, NULL),
                 SQLITE_OK);
    size_t cols = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *col = (const char *)sqlite3_column_text(s, 0);

        cols++;
        for (size_t i = 0; i < sizeof(banned) / sizeof(banned[0]); i++)
            cr_expect_null(strstr(col, banned[i]), "column %s looks like an identity",
                           col);
    }
    cr_expect_eq(cols, 6, "id, org, at, question, guess, confidence");
    sqlite3_finalize(s);
    sqlite3_close(raw);
}

Test(store, identifiers_in_a_question_are_not_kept)
{
    struct store *st = open_ok(90, T0);
    struct rows r = {0};
    char *file;
    size_t len;

    cr_assert_eq(store_record(st, "tewv", T0,
                              "NHS number 943 476 5919, ring 07700-900123 or "
                              "jo.bloggs@nhs.net, ask <@U0123ABC> and @sam about room 12",
                              NULL, 0),
                 BOT_OK);
    cr_assert_eq(store_unanswered_foreach(st, NULL, 0, collect, &r), BOT_OK);
    cr_assert_eq(r.n, 1);
    cr_expect_str_eq(r.question[0], "NHS number [number], ring [number] or [email], ask "
                                    "[someone] and [someone] about room 12");
    rows_free(&r);
    store_free(st);
    /* Nothing of them reaches the file either (the WAL is checkpointed on close). */
    cr_assert_eq(file_read(db, 1 << 24, &file, &len), BOT_OK);
    cr_expect(!contains(file, len, "5919"));
    cr_expect(!contains(file, len, "bloggs"));
    cr_expect(!contains(file, len, "U0123ABC"));
    cr_expect(contains(file, len, "about room 12"), "the question itself is kept");
    free(file);
}

Test(store, scrub_cuts_long_text_and_cleans_bytes)
{
    char big[2000];
    char *s;

    memset(big, 'a', sizeof(big));
    s = store_scrub(big, sizeof(big), STORE_QUESTION_MAX);
    cr_expect_eq(strlen(s), STORE_QUESTION_MAX);
    free(s);
    s = store_scrub("caf\xc3\xa9 \xff\xfe tab\there\x01", 18, 100);
    cr_expect_str_eq(s, "caf\xc3\xa9    tab here ");
    free(s);
    /* A cut never splits a character. */
    s = store_scrub("\xc3\xa9\xc3\xa9\xc3\xa9", 6, 5);
    cr_expect_str_eq(s, "\xc3\xa9\xc3\xa9");
    free(s);
}

Test(store, retention_is_enforced_at_open)
{
    struct store *st = open_ok(30, T0);
    struct rows r = {0};

    cr_assert_eq(store_record(st, "tewv", T0 - 40 * DAY, "old question", NULL, 0),
                 BOT_OK);
    cr_assert_eq(store_record(st, "tewv", T0 - 10 * DAY, "recent question", NULL, 0),
                 BOT_OK);
    store_free(st);
    st = open_ok(30, T0);
    cr_assert_eq(store_unanswered_foreach(st, NULL, 0, collect, &r), BOT_OK);
    cr_assert_eq(r.n, 1, "the 40-day-old row is gone");
    cr_expect_str_eq(r.question[0], "recent question");
    rows_free(&r);
    store_free(st);
    /* A shorter limit at the next start takes effect at once. */
    st = open_ok(5, T0);
    cr_assert_eq(store_unanswered_foreach(st, NULL, 0, collect, &r), BOT_OK);
    cr_expect_eq(r.n, 0);
    store_free(st);
}

Test(store, retention_is_enforced_while_running)
{
    struct store *st = open_ok(1, T0);
    struct rows r = {0};

    cr_assert_eq(store_record(st, "tewv", T0, "first", NULL, 0), BOT_OK);
    /* Two days later, still running: recording sweeps out the expired row. */
    cr_assert_eq(store_record(st, "tewv", T0 + 2 * DAY, "second", NULL, 0), BOT_OK);
    cr_assert_eq(store_unanswered_foreach(st, NULL, 0, collect, &r), BOT_OK);
    cr_assert_eq(r.n, 1);
    cr_expect_str_eq(r.question[0], "second");
    rows_free(&r);
    store_free(st);
}

Test(store, prune_reports_how_many)
{
    struct store *st = open_ok(90, T0);
    size_t n = 99;

    for (int i = 0; i < 3; i++)
        cr_assert_eq(store_record(st, "tewv", T0, "q", NULL, 0), BOT_OK);
    cr_assert_eq(store_prune(st, T0 + 91 * DAY, &n), BOT_OK);
    cr_expect_eq(n, 3);
    store_free(st);
}

Test(store, a_file_that_is_not_a_database_is_a_clear_error)
{
    static const char junk[] = "this is not an SQLite database, it is a text file\n"
                               "with several lines of text in it, long enough to "
                               "fill a header and a page of junk...................\n";
    struct store *st = NULL;
    char *why = NULL;

    cr_assert_eq(file_write_atomic(db, junk, sizeof(junk) - 1), BOT_OK);
    cr_expect_eq(store_open(db, true, 90, T0, &st, &why), BOT_EPARSE);
    cr_expect_null(st);
    cr_assert_not_null(why);
    cr_expect_not_null(strstr(why, db), "names the file: %s", why);
    cr_expect_not_null(strstr(why, "not a valuesbot store"), "%s", why);
    cr_expect_null(strchr(why, '\n'));
    free(why);
    expect_no_leaks("broken file");
}

Test(store, an_unwritable_place_is_a_clear_error)
{
    struct store *st = NULL;
    char *why = NULL, *path = xasprintf("%s/no/such/dir/store.db", dir);

    cr_expect_eq(store_open(path, true, 90, T0, &st, &why), BOT_EIO);
    cr_expect_null(st);
    cr_assert_not_null(why);
    cr_expect_not_null(strstr(why, "cannot open"), "%s", why);
    free(why);
    free(path);
}

Test(store, open_without_create_does_not_make_a_file)
{
    struct store *st = NULL;
    char *why = NULL;

    cr_expect_eq(store_open(db, false, 90, T0, &st, &why), BOT_EIO);
    cr_expect_null(st);
    cr_expect_eq(access(db, F_OK), -1);
    free(why);
}

Test(store, a_read_only_file_cannot_be_written_but_does_not_crash)
{
    struct store *st = open_ok(90, T0);
    char *why = NULL;

    store_free(st);
    cr_assert_eq(chmod(db, 0400), 0);
    if (access(db, W_OK) == 0)
        cr_skip_test("running as root: permissions do not apply");
    cr_expect_neq(store_open(db, true, 90, T0, &st, &why), BOT_OK);
    cr_expect_not_null(why);
    free(why);
}

Test(store, last_run_counts_runs_but_not_starting_points)
{
    struct store *st = open_ok(90, T0);
    time_t when = 1;
    unsigned long runs = 7;

    cr_assert_eq(store_last_run_get(st, "job", &when, &runs), BOT_OK);
    cr_expect_eq(when, 0);
    cr_expect_eq(runs, 0);
    cr_assert_eq(store_last_run_set(st, "job", T0, false), BOT_OK);
    cr_assert_eq(store_last_run_get(st, "job", &when, &runs), BOT_OK);
    cr_expect_eq(when, T0);
    cr_expect_eq(runs, 0);
    cr_assert_eq(store_last_run_set(st, "job", T0 + 60, true), BOT_OK);
    cr_assert_eq(store_last_run_set(st, "job", T0 + 120, true), BOT_OK);
    store_free(st);
    st = open_ok(90, T0);
    cr_assert_eq(store_last_run_get(st, "job", &when, &runs), BOT_OK);
    cr_expect_eq(when, T0 + 120, "kept across a restart");
    cr_expect_eq(runs, 2);
    cr_assert_eq(store_last_run_get(st, "other", &when, NULL), BOT_OK);
    cr_expect_eq(when, 0);
    store_free(st);
}

Test(store, free_of_null_is_a_no_op)
{
    store_free(NULL);
}

Test(store, conversation_references_kept_replaced_and_read_back)
{
    struct store *st = open_ok(90, T0);
    char *url, *tenant;

    cr_expect_eq(store_ref_get(st, "teams", "19:c@thread.tacv2", &url, &tenant),
                 BOT_EIGNORE);
    cr_expect_null(url);
    cr_assert_eq(store_ref_put(st, "teams", "19:c@thread.tacv2",
                               "https://smba.trafficmanager.net/emea/", "t1", T0),
                 BOT_OK);
    /* The conversation moved to another region's connector. */
    cr_assert_eq(store_ref_put(st, "teams", "19:c@thread.tacv2",
                               "https://smba.trafficmanager.net/uk/", NULL, T0 + 60),
                 BOT_OK);
    cr_assert_eq(store_ref_get(st, "teams", "19:c@thread.tacv2", &url, &tenant), BOT_OK);
    cr_expect_str_eq(url, "https://smba.trafficmanager.net/uk/");
    cr_expect_null(tenant);
    free(url);
    free(tenant);
    cr_expect_eq(store_ref_get(st, "slack", "19:c@thread.tacv2", &url, &tenant),
                 BOT_EIGNORE, "per platform");
    /* Kept over a restart, and not swept by the questions' retention. */
    store_free(st);
    st = open_ok(1, T0 + 10 * 86400);
    cr_assert_eq(store_ref_get(st, "teams", "19:c@thread.tacv2", &url, &tenant), BOT_OK);
    free(url);
    free(tenant);
    store_free(st);
}
