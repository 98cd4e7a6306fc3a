/*
 * store.c - the unanswered-question log and schedules' last runs, in SQLite.
 *
 * Statements are prepared once at open and reset after each use.  WAL lets
 * `valuesbot report` read while the daemon writes; the busy timeout covers
 * the short moments one waits for the other.  SQLite errors are logged
 * once here, with the file name but never the question text.
 */
#include "bot/core/store.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bot/base/buf.h"
#include "bot/base/log.h"
#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"

#define STORE_BUSY_MS     5000 /* a report reading beside the daemon waits this long */
#define STORE_PRUNE_EVERY 3600 /* seconds between retention sweeps while recording */
#define STORE_DIGITS_MAX  6    /* this many digits in a row look like an identifier */

enum {
    ST_INSERT,
    ST_PRUNE,
    ST_SELECT_ALL,
    ST_SELECT_ORG,
    ST_RUN_GET,
    ST_RUN_SET,
    ST_REF_PUT,
    ST_REF_GET,
    ST_N,
};

static const char *const sql_text[ST_N] = {
    [ST_INSERT] = "INSERT INTO unanswered (org, at, question, guess, confidence) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_PRUNE] = "DELETE FROM unanswered WHERE at < ?1",
    [ST_SELECT_ALL] = "SELECT org, at, question, guess, confidence FROM unanswered "
                      "WHERE at >= ?1 ORDER BY at DESC, id DESC",
    [ST_SELECT_ORG] = "SELECT org, at, question, guess, confidence FROM unanswered "
                      "WHERE at >= ?1 AND org = ?2 ORDER BY at DESC, id DESC",
    [ST_RUN_GET] = "SELECT at, runs FROM last_run WHERE job = ?1",
    [ST_RUN_SET] = "INSERT INTO last_run (job, at, runs) VALUES (?1, ?2, ?3) "
                   "ON CONFLICT (job) DO UPDATE SET at = excluded.at, runs = runs + ?3",
    [ST_REF_PUT] =
        "INSERT INTO conv_ref (platform, conv, service_url, tenant, at) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (platform, conv) DO UPDATE SET "
        "service_url = excluded.service_url, tenant = excluded.tenant, "
        "at = excluded.at",
    [ST_REF_GET] = "SELECT service_url, tenant FROM conv_ref WHERE platform = ?1 AND "
                   "conv = ?2",
};

/* No user, channel or message column, by design: see store.h. */
static const char schema[] =
    "CREATE TABLE IF NOT EXISTS unanswered ("
    " id INTEGER PRIMARY KEY,"
    " org TEXT NOT NULL,"
    " at INTEGER NOT NULL,"
    " question TEXT NOT NULL,"
    " guess TEXT NOT NULL DEFAULT '',"
    " confidence REAL NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS unanswered_at ON unanswered (at);"
    "CREATE TABLE IF NOT EXISTS last_run ("
    " job TEXT PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " runs INTEGER NOT NULL DEFAULT 0);"
    /* Where a Teams conversation is reached, for scheduled posts: its id, the
     * connector's URL and the tenant.  No message, no user. */
    "CREATE TABLE IF NOT EXISTS conv_ref ("
    " platform TEXT NOT NULL,"
    " conv TEXT NOT NULL,"
    " service_url TEXT NOT NULL,"
    " tenant TEXT NOT NULL DEFAULT '',"
    " at INTEGER NOT NULL,"
    " PRIMARY KEY (platform, conv));";

struct store {
    sqlite3 *db;
    char *path; /* owned, for messages */
    sqlite3_stmt *stmt[ST_N];
    unsigned retention; /* days */
    time_t pruned;      /* when the last sweep ran */
};

static enum bot_err
db_fail(struct store *st, const char *what)
{
    log_warnx("store %s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
    return BOT_EIO;
}

static sqlite3_stmt *
stmt_get(struct store *st, int which)
{
    sqlite3_stmt *s = st->stmt[which];

    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
}

enum bot_err
store_open(const char *path, bool create, unsigned retention_days, time_t now,
           struct store **out, char **why)
{
    struct store *st = xcalloc(1, sizeof(*st));
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    enum bot_err err = BOT_EIO;
    int rc;

    *out = NULL;
    *why = NULL;
    st->path = xstrdup(path);
    st->retention = retention_days ? retention_days : 1;
    rc = sqlite3_open_v2(path, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        *why = xasprintf("store %s: cannot open: %s", path,
                         st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
        goto bad;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
    /* The first statement that reads the file tells a non-database apart. */
    rc = sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    /* WAL with synchronous=NORMAL never corrupts and skips the fsync per
     * insert: a declined question is logged on the loop thread, before a
     * Slack command's ack (which carries the answer). */
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(st->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(st->db, schema, NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        int prim = rc & 0xff;

        if (prim == SQLITE_NOTADB || prim == SQLITE_CORRUPT) {
            err = BOT_EPARSE;
            *why = xasprintf("store %s: not a valuesbot store (%s); move it aside or "
                             "set db_path to a new file",
                             path, sqlite3_errmsg(st->db));
        } else {
            *why = xasprintf("store %s: %s", path, sqlite3_errmsg(st->db));
        }
        goto bad;
    }
    for (int i = 0; i < ST_N; i++) {
        if (sqlite3_prepare_v3(st->db, sql_text[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &st->stmt[i], NULL) != SQLITE_OK) {
            err = BOT_EPARSE;
            *why = xasprintf("store %s: unexpected schema: %s", path,
                             sqlite3_errmsg(st->db));
            goto bad;
        }
    }
    if (store_prune(st, now, NULL) != BOT_OK) {
        *why = xasprintf("store %s: cannot enforce retention: %s", path,
                         sqlite3_errmsg(st->db));
        goto bad;
    }
    *out = st;
    return BOT_OK;
bad:
    store_free(st);
    return err;
}

void
store_free(struct store *st)
{
    if (st == NULL)
        return;
    for (int i = 0; i < ST_N; i++)
        sqlite3_finalize(st->stmt[i]);
    sqlite3_close(st->db);
    free(st->path);
    free(st);
}

enum bot_err
store_prune(struct store *st, time_t now, size_t *n)
{
    sqlite3_stmt *s = stmt_get(st, ST_PRUNE);
    sqlite3_int64 cutoff = (sqlite3_int64)now - (sqlite3_int64)st->retention * 86400;

    sqlite3_bind_int64(s, 1, cutoff);
    if (sqlite3_step(s) != SQLITE_DONE)
        return db_fail(st, "prune");
    if (n != NULL)
        *n = (size_t)sqlite3_changes(st->db);
    st->pruned = now;
    sqlite3_reset(s);
    return BOT_OK;
}

static bool
is_digit_run(const char *p, const char *end, const char **stop)
{
    size_t digits = 0;
    const char *q = p, *last = p;

    /* Digits with single spaces, dashes or dots between them: "943 476 5919". */
    while (q < end) {
        if (isdigit((unsigned char)*q)) {
            digits++;
            last = ++q;
        } else if ((*q == ' ' || *q == '-' || *q == '.') && q + 1 < end &&
                   isdigit((unsigned char)q[1]) && digits > 0) {
            q++;
        } else {
            break;
        }
    }
    *stop = last;
    return digits >= STORE_DIGITS_MAX;
}

char *
store_scrub(const char *text, size_t len, size_t max)
{
    struct buf b;
    const char *p = text, *end = text + len;
    char *out;

    buf_init(&b, len * 10 + 64); /* "@" alone becomes "[someone]" */
    while (p < end) {
        const char *stop;
        unsigned char c = (unsigned char)*p;

        if (isdigit(c) && is_digit_run(p, end, &stop)) {
            (void)buf_adds(&b, "[number]");
            p = stop;
        } else if (!isspace(c) && c != '<') {
            /* One word: an address or a mention is replaced whole. */
            const char *w = p, *at;

            while (p < end && !isspace((unsigned char)*p) && *p != '<')
                p++;
            /* Trailing punctuation stays: "mail a@b.nhs.net, or" keeps its comma. */
            while (p > w + 1 && strchr(".,;:!?)", p[-1]) != NULL)
                p--;
            at = memchr(w, '@', (size_t)(p - w));
            if (at != NULL && at > w && memchr(at, '.', (size_t)(p - at)) != NULL)
                (void)buf_adds(&b, "[email]");
            else if (at != NULL)
                (void)buf_adds(&b, "[someone]");
            else {
                /* Up to the next digit, which may start a long number. */
                const char *d = w + 1;

                while (d < p && !isdigit((unsigned char)*d))
                    d++;
                (void)buf_add(&b, w, (size_t)(d - w));
                p = d;
            }
        } else if (c == '<') {
            /* Slack and Mattermost mentions: <@U123>, <#C1|name>, <!here>. */
            const char *gt = memchr(p, '>', (size_t)(end - p));

            if (gt != NULL && gt - p < 64 &&
                (p[1] == '@' || p[1] == '#' || p[1] == '!')) {
                (void)buf_adds(&b, "[someone]");
                p = gt + 1;
            } else {
                (void)buf_adds(&b, "<");
                p++;
            }
        } else {
            (void)buf_adds(&b, " ");
            p++;
        }
    }
    out = buf_take(&b);
    /* Invalid UTF-8 and control characters become spaces. */
    for (size_t i = 0, n = strlen(out); i < n;) {
        size_t bad;

        if (utf8_is_valid(out + i, n - i, &bad))
            break;
        out[i + bad] = ' ';
        i += bad + 1;
    }
    for (char *q = out; *q; q++) {
        if ((unsigned char)*q < 0x20 || *q == 0x7f)
            *q = ' ';
    }
    out[utf8_truncate_len(out, max)] = '\0';
    return out;
}

enum bot_err
store_record(struct store *st, const char *org, time_t when, const char *question,
             const char *guess, double confidence)
{
    sqlite3_stmt *s;
    char *q = store_scrub(question, strlen(question), STORE_QUESTION_MAX);
    char *g = store_scrub(guess ? guess : "", guess ? strlen(guess) : 0, STORE_GUESS_MAX);
    enum bot_err err = BOT_OK;

    if (when - st->pruned >= STORE_PRUNE_EVERY || when < st->pruned)
        (void)store_prune(st, when, NULL);
    s = stmt_get(st, ST_INSERT);
    sqlite3_bind_text(s, 1, org, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)when);
    sqlite3_bind_text(s, 3, q, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, g, -1, SQLITE_STATIC);
    sqlite3_bind_double(s, 5, confidence);
    if (sqlite3_step(s) != SQLITE_DONE)
        err = db_fail(st, "record");
    sqlite3_reset(s);
    free(q);
    free(g);
    return err;
}

enum bot_err
store_unanswered_foreach(struct store *st, const char *org, time_t since,
                         store_row_fn *fn, void *arg)
{
    sqlite3_stmt *s = stmt_get(st, org ? ST_SELECT_ORG : ST_SELECT_ALL);
    enum bot_err err = BOT_OK;
    int rc;

    sqlite3_bind_int64(s, 1, (sqlite3_int64)since);
    if (org != NULL)
        sqlite3_bind_text(s, 2, org, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_row row = {
            .org = (const char *)sqlite3_column_text(s, 0),
            .when = (time_t)sqlite3_column_int64(s, 1),
            .question = (const char *)sqlite3_column_text(s, 2),
            .guess = (const char *)sqlite3_column_text(s, 3),
            .confidence = sqlite3_column_double(s, 4),
        };

        if (row.org == NULL || row.question == NULL)
            continue;
        if (row.guess == NULL)
            row.guess = "";
        if (!fn(&row, arg))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        err = db_fail(st, "read");
    sqlite3_reset(s);
    return err;
}

enum bot_err
store_last_run_get(struct store *st, const char *key, time_t *when, unsigned long *runs)
{
    sqlite3_stmt *s = stmt_get(st, ST_RUN_GET);
    enum bot_err err = BOT_OK;
    int rc;

    *when = 0;
    if (runs != NULL)
        *runs = 0;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *when = (time_t)sqlite3_column_int64(s, 0);
        if (runs != NULL)
            *runs = (unsigned long)sqlite3_column_int64(s, 1);
    } else if (rc != SQLITE_DONE) {
        err = db_fail(st, "last run");
    }
    sqlite3_reset(s);
    return err;
}

enum bot_err
store_last_run_set(struct store *st, const char *key, time_t when, bool counted)
{
    sqlite3_stmt *s = stmt_get(st, ST_RUN_SET);
    enum bot_err err = BOT_OK;

    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)when);
    sqlite3_bind_int(s, 3, counted ? 1 : 0);
    if (sqlite3_step(s) != SQLITE_DONE)
        err = db_fail(st, "last run");
    sqlite3_reset(s);
    return err;
}

enum bot_err
store_ref_put(struct store *st, const char *platform, const char *conv,
              const char *service_url, const char *tenant, time_t when)
{
    sqlite3_stmt *s = stmt_get(st, ST_REF_PUT);
    enum bot_err err = BOT_OK;

    sqlite3_bind_text(s, 1, platform, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, conv, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, service_url, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, tenant != NULL ? tenant : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, (sqlite3_int64)when);
    if (sqlite3_step(s) != SQLITE_DONE)
        err = db_fail(st, "conversation reference");
    sqlite3_reset(s);
    return err;
}

enum bot_err
store_ref_get(struct store *st, const char *platform, const char *conv,
              char **service_url, char **tenant)
{
    sqlite3_stmt *s = stmt_get(st, ST_REF_GET);
    enum bot_err err = BOT_EIGNORE;
    int rc;

    *service_url = *tenant = NULL;
    sqlite3_bind_text(s, 1, platform, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, conv, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const char *u = (const char *)sqlite3_column_text(s, 0);
        const char *t = (const char *)sqlite3_column_text(s, 1);

        *service_url = xstrdup(u != NULL ? u : "");
        *tenant = t != NULL && *t != '\0' ? xstrdup(t) : NULL;
        err = BOT_OK;
    } else if (rc != SQLITE_DONE) {
        err = db_fail(st, "conversation reference");
    }
    sqlite3_reset(s);
    return err;
}
