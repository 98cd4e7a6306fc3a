/*
 * test_cli_util.h - running the real valuesbot binary from a Criterion test.
 *
 * The binary is $VALUESBOT_BIN (default build/valuesbot), spawned from the
 * repository root with the VALUESBOT_*, SLACK_* and MATTERMOST_* variables
 * removed from its environment, so the developer's own settings cannot
 * change a result.
 */
#ifndef TESTS_TEST_CLI_UTIL_H
#define TESTS_TEST_CLI_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "bot/base/file.h"
#include "bot/base/xmalloc.h"

extern char **environ;

#define CLI_OUT_MAX (16u * 1024 * 1024)

struct cli_run {
    bool exited; /* false: killed by a signal */
    int code;    /* exit status, or the signal number */
    char *out;   /* owned: everything written to stdout */
    char *err;   /* owned: everything written to stderr */
};

static inline const char *
cli_bin(void)
{
    const char *b = getenv("VALUESBOT_BIN");

    return (b != NULL && b[0] != '\0') ? b : "build/valuesbot";
}

/* environ without our variables, then @extra ("NAME=value") if not NULL; free(). */
static inline char **
cli_env(char *extra)
{
    size_t n = 0;
    char **env;

    for (char **e = environ; *e; e++)
        n++;
    env = xcalloc(n + 2, sizeof(*env));
    n = 0;
    for (char **e = environ; *e; e++) {
        if (strncmp(*e, "VALUESBOT_", 10) != 0 && strncmp(*e, "SLACK_", 6) != 0 &&
            strncmp(*e, "MATTERMOST_", 11) != 0)
            env[n++] = *e;
    }
    env[n] = extra;
    return env;
}

static inline char *
cli_read_all(const char *path)
{
    char *data;
    size_t len;

    cr_assert_eq(file_read(path, CLI_OUT_MAX, &data, &len), BOT_OK, "%s", path);
    return data;
}

/*
 * Runs the binary with @args (NULL-terminated, without argv[0]) and @env,
 * standard input from the file @in, output through the files @out and @err.
 */
static inline void
cli_spawn(struct cli_run *r, char **env, const char *in, const char *out, const char *err,
          const char *const *args)
{
    const char *argv[32];
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int status, rc;
    size_t n = 0;

    argv[n++] = cli_bin();
    while (*args != NULL && n < 31)
        argv[n++] = *args++;
    argv[n] = NULL;
    cr_assert_eq(access(cli_bin(), X_OK), 0, "%s: %s (build it, or set VALUESBOT_BIN)",
                 cli_bin(), strerror(errno));
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    rc = posix_spawn(&pid, cli_bin(), &fa, NULL, (char *const *)argv, env);
    posix_spawn_file_actions_destroy(&fa);
    cr_assert_eq(rc, 0, "posix_spawn %s: %s", cli_bin(), strerror(rc));
    while (waitpid(pid, &status, 0) < 0)
        cr_assert_eq(errno, EINTR, "waitpid: %s", strerror(errno));
    r->exited = WIFEXITED(status);
    r->code = r->exited ? WEXITSTATUS(status) : WTERMSIG(status);
    r->out = cli_read_all(out);
    r->err = cli_read_all(err);
}

static inline void
cli_run_cleanup(struct cli_run *r)
{
    free(r->out);
    free(r->err);
}

/*
 * A suite's scratch directory: a fresh store (VALUESBOT_DB in @env) and the
 * files a run's standard input and output go through.
 */
struct cli_dir {
    char path[64];
    char *db;    /* owned: path/unanswered.db */
    char *dbvar; /* owned: "VALUESBOT_DB=" db */
    char **env;  /* owned array: environ's strings and dbvar */
};

/* Makes /tmp/valuesbot-test-@name-XXXXXX for @d. */
static inline void
cli_dir_init(struct cli_dir *d, const char *name)
{
    snprintf(d->path, sizeof(d->path), "/tmp/valuesbot-test-%s-XXXXXX", name);
    cr_assert_not_null(mkdtemp(d->path), "mkdtemp: %s", strerror(errno));
    d->db = xasprintf("%s/unanswered.db", d->path);
    d->dbvar = xasprintf("VALUESBOT_DB=%s", d->db);
    d->env = cli_env(d->dbvar);
}

/* Removes @d's directory and every file in it. */
static inline void
cli_dir_cleanup(struct cli_dir *d)
{
    DIR *dh = opendir(d->path);
    struct dirent *de;

    while (dh != NULL && (de = readdir(dh)) != NULL) {
        char *p;

        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        p = xasprintf("%s/%s", d->path, de->d_name);
        unlink(p);
        free(p);
    }
    if (dh != NULL)
        closedir(dh);
    rmdir(d->path);
    free(d->env);
    free(d->dbvar);
    free(d->db);
}

/* Runs the binary with @args and @input on stdin in @d; a signal is never a pass. */
static inline void
cli_dir_run(struct cli_dir *d, struct cli_run *r, const char *input,
            const char *const *args)
{
    char *in = xasprintf("%s/in", d->path), *out = xasprintf("%s/out", d->path),
         *err = xasprintf("%s/err", d->path);

    cr_assert_eq(file_write_atomic(in, input, strlen(input)), BOT_OK);
    cli_spawn(r, d->env, in, out, err, args);
    cr_assert(r->exited, "killed by signal %d; stderr: %s", r->code, r->err);
    free(in);
    free(out);
    free(err);
}

#endif /* TESTS_TEST_CLI_UTIL_H */
