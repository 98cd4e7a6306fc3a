/*
 * store.h - the bot's durable state: one embedded SQLite file.
 *
 * It holds three tables and nothing else:
 *   - unanswered: questions the bot declined or answered with low
 *     confidence, for the content owners (org, time, the question's text
 *     with numbers and addresses blanked, best guess, confidence).  It has
 *     no column for a user, channel or message id: the API cannot store an
 *     identity because it is never given one.  Rows older than the
 *     retention limit are deleted when the store opens and again at most
 *     once an hour while it records.
 *   - last_run: for each scheduled post, when it last ran and how many
 *     times, so a restart neither repeats nor floods posts.
 *   - conv_ref: for each Teams conversation the bot has seen, where it is
 *     reached (the connector's serviceUrl and the tenant), so a scheduled
 *     post can go there after a restart.  No message, no user.
 * One thread at a time per store (the loop thread in the daemon).
 */
#ifndef BOT_CORE_STORE_H
#define BOT_CORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "bot/base/err.h"

#define STORE_QUESTION_MAX 500 /* bytes of a question kept; longer ones are cut */
#define STORE_GUESS_MAX    200 /* bytes of a best guess kept */

struct store; /* opaque */

/* One recorded question, as read back by store_unanswered_foreach(). */
struct store_row {
    const char *org;      /* borrowed: valid during the callback only */
    time_t when;          /* seconds since the epoch, UTC */
    const char *question; /* borrowed: scrubbed question text */
    const char *guess;    /* borrowed: best guess ("value: Compassion"), may be "" */
    double confidence;    /* 0..1 */
};

/* Called once per row; return false to stop early. */
typedef bool store_row_fn(const struct store_row *row, void *arg);

/*
 * Opens (and with @create, creates) the store at @path, sets WAL mode and a
 * busy timeout, creates the tables, and deletes unanswered rows older than
 * @retention_days (at least 1) before @now.  On success *out (out) is a
 * new store; free with store_free().  Returns BOT_EIO when the file cannot
 * be opened or created, or does not exist and @create is false, and
 * BOT_EPARSE when it is not a valid store (not SQLite, or corrupt); *why
 * (out, new string) then says so and names @path.
 */
enum bot_err store_open(const char *path, bool create, unsigned retention_days,
                        time_t now, struct store **out, char **why);

/* Closes @st.  NULL is a no-op. */
void store_free(struct store *st);

/*
 * Records one unanswered question for @org at @when: @question is scrubbed
 * (see store_scrub()) and cut to STORE_QUESTION_MAX bytes, @guess (may be
 * NULL) to STORE_GUESS_MAX.  Prunes expired rows if the last prune was over
 * an hour before @when.  Returns BOT_EIO when SQLite fails (logged once).
 */
enum bot_err store_record(struct store *st, const char *org, time_t when,
                          const char *question, const char *guess, double confidence);

/* Deletes unanswered rows older than the retention limit before @now; *n (out, may be
 * NULL) is how many.  BOT_EIO on failure. */
enum bot_err store_prune(struct store *st, time_t now, size_t *n);

/*
 * Calls @fn for every unanswered row of @org (NULL: every org) recorded at
 * or after @since, newest first.  BOT_EIO on failure.
 */
enum bot_err store_unanswered_foreach(struct store *st, const char *org, time_t since,
                                      store_row_fn *fn, void *arg);

/*
 * Reads when the job @key last ran (*when, out: 0 if never) and how many
 * times it has run (*runs, out, may be NULL).  BOT_EIO on failure.
 */
enum bot_err store_last_run_get(struct store *st, const char *key, time_t *when,
                                unsigned long *runs);

/*
 * Records that @key ran at @when, adding one to its run count when
 * @counted (false: a starting point, not a run).  BOT_EIO on failure.
 */
enum bot_err store_last_run_set(struct store *st, const char *key, time_t when,
                                bool counted);

/*
 * Keeps where @conv on @platform is reached: @service_url and @tenant (may
 * be NULL), seen at @when; replaces an older reference.  BOT_EIO on failure.
 */
enum bot_err store_ref_put(struct store *st, const char *platform, const char *conv,
                           const char *service_url, const char *tenant, time_t when);

/*
 * Reads the reference of @conv on @platform into *service_url and *tenant
 * (out, new strings; *tenant NULL when none).  BOT_EIGNORE when there is
 * none, BOT_EIO on failure.
 */
enum bot_err store_ref_get(struct store *st, const char *platform, const char *conv,
                           char **service_url, char **tenant);

/*
 * Returns a copy of @text (@len bytes) fit to store: invalid UTF-8 and
 * control characters become spaces; e-mail addresses, @-mentions and runs
 * of six or more digits (NHS, phone and hospital numbers) are replaced by
 * "[email]", "[someone]" and "[number]"; cut to @max bytes on a character
 * boundary.  Free with free().
 */
char *store_scrub(const char *text, size_t len, size_t max);

#endif /* BOT_CORE_STORE_H */
