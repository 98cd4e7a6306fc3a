/*
 * test_cli.c - the valuesbot program, run as a user runs it.
 *
 * Each test spawns the real binary ($VALUESBOT_BIN, default
 * build/valuesbot) with posix_spawn, from the repository root, with the
 * VALUESBOT_*, SLACK_* and MATTERMOST_* variables removed from its
 * environment, and checks its exit status, stdout and stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/test_cli_util.h"

static char dir[] = "/tmp/valuesbot-test-cli-XXXXXX";
static char **env; /* owned: environ without our variables */

static void
setup(void)
{
    cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
    env = cli_env(NULL);
}

static void
teardown(void)
{
    static const char *const names[] = {
        "out",       "err",         "tewv.json", "cwpt.json", "huge.json",
        "blob.json", "latin1.json", "src.bin",   "meta.json", "valuesbot"};

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char *p = xasprintf("%s/%s", dir, names[i]);

        unlink(p);
        free(p);
    }
    rmdir(dir);
    free(env);
}

TestSuite(cli, .init = setup, .fini = teardown, .timeout = 120);

static char *
tmp(const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

/* Runs the binary with @args (NULL-terminated, without argv[0]), stdin empty. */
static void
run(struct cli_run *r, const char *const *args)
{
    char *out = tmp("out"), *err = tmp("err");

    cli_spawn(r, env, "/dev/null", out, err, args);
    free(out);
    free(err);
}

static size_t
count_lines(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static bool
starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Expects a clean exit with status @want: never a signal, whatever the input. */
#define EXPECT_EXIT(r, want, what)                                                       \
    do {                                                                                 \
        cr_expect((r)->exited, "%s: killed by signal %d; stderr: %s", what, (r)->code,   \
                  (r)->err);                                                             \
        cr_expect_eq((r)->code, want, "%s: exit %d, want %d; stderr: %s", what,          \
                     (r)->code, want, (r)->err);                                         \
    } while (0)

Test(cli, version_exits_zero)
{
    struct cli_run r;

    run(&r, (const char *[]){"version", NULL});
    EXPECT_EXIT(&r, 0, "version");
    cr_expect(starts_with(r.out, "valuesbot "), "stdout: %s", r.out);
    cr_expect_eq(count_lines(r.out), 1);
    cr_expect_str_eq(r.err, "");
    cli_run_cleanup(&r);
}

/* Which shared libraries the loader opened for @args (LD_DEBUG=files), in r->err. */
static void
run_traced(struct cli_run *r, const char *const *args)
{
    char *out = tmp("out"), *err = tmp("err");
    char **traced = cli_env("LD_DEBUG=files");

    cli_spawn(r, traced, "/dev/null", out, err, args);
    free(traced);
    free(out);
    free(err);
}

Test(cli, ask_loads_no_network_library)
{
    struct cli_run r;

    run_traced(&r,
               (const char *[]){"ask", "--org", "tewv", "what are our values?", NULL});
    EXPECT_EXIT(&r, 0, "ask");
    cr_expect(strstr(r.out, "Respect") != NULL, "stdout: %s", r.out);
    cr_expect(strstr(r.err, "libjansson") != NULL, "LD_DEBUG traced nothing: %s", r.err);
    cr_expect(strstr(r.err, "libcurl") == NULL, "ask opened libcurl");
    cr_expect(strstr(r.err, "libwebsockets") == NULL, "ask opened libwebsockets");
    cr_expect(strstr(r.err, "libssl") == NULL, "ask opened libssl");
    cli_run_cleanup(&r);
}

Test(cli, version_runs_the_networked_program)
{
    struct cli_run r;

    run_traced(&r, (const char *[]){"version", NULL});
    EXPECT_EXIT(&r, 0, "version");
    cr_expect(strstr(r.out, "slack") != NULL, "stdout: %s", r.out);
    cr_expect(strstr(r.err, "libwebsockets") != NULL,
              "version did not reach valuesbot-net");
    cli_run_cleanup(&r);
}

/* A valuesbot copied without its valuesbot-net says what is missing, once. */
Test(cli, run_without_the_networked_program_is_one_line)
{
    char *copy = tmp("valuesbot"), *data;
    size_t len;
    struct cli_run r;
    const char *saved = getenv("VALUESBOT_BIN");
    char *keep = saved ? xstrdup(saved) : NULL;

    if (access("/usr/local/libexec/valuesbot/valuesbot-net", X_OK) == 0)
        cr_skip_test("an installed valuesbot-net would be found");
    cr_assert_eq(file_read(cli_bin(), 64u << 20, &data, &len), BOT_OK);
    cr_assert_eq(file_write_atomic(copy, data, len), BOT_OK);
    cr_assert_eq(chmod(copy, 0755), 0);
    setenv("VALUESBOT_BIN", copy, 1);
    run(&r, (const char *[]){"run", NULL});
    if (keep)
        setenv("VALUESBOT_BIN", keep, 1);
    else
        unsetenv("VALUESBOT_BIN");
    EXPECT_EXIT(&r, 2, "run without valuesbot-net");
    cr_expect(strstr(r.err, "valuesbot-net") != NULL, "stderr: %s", r.err);
    cr_expect_eq(count_lines(r.err), 1, "stderr: %s", r.err);
    cli_run_cleanup(&r);
    free(keep);
    free(data);
    free(copy);
}

Test(cli, unknown_command_exits_two_with_usage)
{
    struct cli_run r;

    run(&r, (const char *[]){"frobnicate", NULL});
    EXPECT_EXIT(&r, 2, "frobnicate");
    cr_expect_str_eq(r.out, "");
    cr_expect_not_null(strstr(r.err, "usage"), "stderr: %s", r.err);
    cli_run_cleanup(&r);

    run(&r, (const char *[]){NULL});
    EXPECT_EXIT(&r, 2, "no command");
    cli_run_cleanup(&r);

    run(&r, (const char *[]){"kb", NULL});
    EXPECT_EXIT(&r, 2, "kb without a subcommand");
    cr_expect_not_null(strstr(r.err, "usage"), "stderr: %s", r.err);
    cli_run_cleanup(&r);

    run(&r, (const char *[]){"kb", "build", "--bogus", NULL});
    EXPECT_EXIT(&r, 2, "kb build --bogus");
    cli_run_cleanup(&r);
}

static void
rebuild(const char *org, const char *src)
{
    char *meta = xasprintf("knowledge/sources/%s.meta.json", org);
    char *overlay = xasprintf("knowledge/%s.overlay.json", org);
    char *committed = xasprintf("knowledge/%s.json", org);
    char *name = xasprintf("%s.json", org);
    char *out = tmp(name);
    char *want = cli_read_all(committed), *got;
    struct cli_run r;

    run(&r, (const char *[]){"kb", "build", src, "--meta", meta, "--overlay", overlay,
                             "-o", out, NULL});
    EXPECT_EXIT(&r, 0, org);
    /* stderr carries the builder's report, never an error */
    cr_expect_null(strstr(r.err, "valuesbot:"), "%s: stderr: %s", org, r.err);
    cli_run_cleanup(&r);
    got = cli_read_all(out);
    cr_expect_eq(strlen(got), strlen(want), "%s: rebuilt %zu bytes, committed %zu", org,
                 strlen(got), strlen(want));
    cr_expect_str_eq(got, want, "%s: rebuilding from %s does not give %s (run make kb?)",
                     org, src, committed);
    free(got);

    /* Without -o the same bytes go to stdout. */
    run(&r,
        (const char *[]){"kb", "build", src, "--meta", meta, "--overlay", overlay, NULL});
    EXPECT_EXIT(&r, 0, org);
    cr_expect_str_eq(r.out, want, "%s: stdout differs from %s", org, committed);
    cli_run_cleanup(&r);

    free(want);
    free(out);
    free(name);
    free(committed);
    free(overlay);
    free(meta);
}

Test(cli, rebuild_of_tewv_gives_the_committed_file)
{
    rebuild("tewv", "knowledge/sources/tewv-our-journey-to-change.txt");
}

Test(cli, rebuild_of_cwpt_gives_the_committed_file)
{
    rebuild("cwpt", "knowledge/sources/cwpt-people-at-our-heart.txt");
}

Test(cli, kb_check_accepts_the_committed_kbs)
{
    struct cli_run r;

    run(&r, (const char *[]){"kb", "check", "knowledge/tewv.json", NULL});
    EXPECT_EXIT(&r, 0, "kb check tewv");
    cr_expect(starts_with(r.out, "knowledge/tewv.json: ok"), "stdout: %s", r.out);
    cr_expect_eq(count_lines(r.out), 1);
    cr_expect_str_eq(r.err, "");
    cli_run_cleanup(&r);

    run(&r, (const char *[]){"kb", "check", "knowledge/tewv.json", "knowledge/cwpt.json",
                             NULL});
    EXPECT_EXIT(&r, 0, "kb check both");
    cr_expect_eq(count_lines(r.out), 2, "stdout: %s", r.out);
    cr_expect_not_null(strstr(r.out, "knowledge/cwpt.json: ok"), "stdout: %s", r.out);
    cli_run_cleanup(&r);
}

struct bad_file {
    const char *path; /* under tests/data/kb/ (see its README.md) */
    const char *word; /* the one line must say this */
};

static const struct bad_file bad_files[] = {
    {"tests/data/kb/invalid-json.json", "invalid JSON"},
    {"tests/data/kb/top-level-array.json", "object"},
    {"tests/data/kb/goals-not-array.json", "goals"},
    {"tests/data/kb/duplicate-values.json", "duplicate"},
    {"tests/data/kb/duplicate-goal-numbers.json", "duplicate"},
    {"tests/data/kb/bad-org.json", "org"},
    {"tests/data/kb/invalid-utf8.json", "UTF-8"},
    {"tests/data/kb/nul-byte.json", "binary"},
    {"tests/data/kb/empty.json", "JSON"},
    {"tests/data/kb/no-content.json", "nothing"},
    {"tests/data/kb/unsupported-schema.json", "schema"},
    {"tests/data/kb/value-name-number.json", "values[0].name"},
    {"tests/data/kb/no-such-file.json", "cannot read"},
    {"tests/data/kb", "cannot read"},
};

#define NBAD (sizeof(bad_files) / sizeof(bad_files[0]))

/* One line on stderr, naming @path first, and nothing on stdout. */
static void
expect_one_line(const struct cli_run *r, const char *path, const char *word)
{
    char *prefix = xasprintf("%s: ", path);

    EXPECT_EXIT(r, 2, path);
    cr_expect_str_eq(r->out, "", "%s: stdout", path);
    cr_expect_eq(count_lines(r->err), 1, "%s: want one line, got: %s", path, r->err);
    cr_expect(r->err[0] != '\0' && r->err[strlen(r->err) - 1] == '\n',
              "%s: the line ends in a newline", path);
    cr_expect(starts_with(r->err, prefix), "%s: the line names the file: %s", path,
              r->err);
    if (word != NULL)
        cr_expect_not_null(strstr(r->err, word), "%s: \"%s\" lacks \"%s\"", path, r->err,
                           word);
    free(prefix);
}

Test(cli, kb_check_gives_one_line_per_bad_file)
{
    for (size_t i = 0; i < NBAD; i++) {
        struct cli_run r;

        run(&r, (const char *[]){"kb", "check", bad_files[i].path, NULL});
        expect_one_line(&r, bad_files[i].path, bad_files[i].word);
        cli_run_cleanup(&r);
    }
}

Test(cli, kb_check_of_many_files_reports_each)
{
    const char *args[NBAD + 4];
    size_t n = 0;
    struct cli_run r;

    args[n++] = "kb";
    args[n++] = "check";
    args[n++] = "knowledge/cwpt.json";
    for (size_t i = 0; i < NBAD; i++)
        args[n++] = bad_files[i].path;
    args[n] = NULL;
    run(&r, args);
    EXPECT_EXIT(&r, 2, "kb check many");
    cr_expect_eq(count_lines(r.out), 1, "only the good file on stdout: %s", r.out);
    cr_expect_eq(count_lines(r.err), NBAD, "one line per bad file: %s", r.err);
    for (size_t i = 0; i < NBAD; i++) {
        char *prefix = xasprintf("%s: ", bad_files[i].path);

        cr_expect_not_null(strstr(r.err, prefix), "no line for %s", bad_files[i].path);
        free(prefix);
    }
    cli_run_cleanup(&r);
}

Test(cli, kb_check_keeps_one_line_when_the_file_holds_a_newline)
{
    struct cli_run r;

    /* An org id "bad\norg" is quoted in the message; a raw newline splits it. */
    run(&r, (const char *[]){"kb", "check", "tests/data/kb/org-with-newline.json", NULL});
    expect_one_line(&r, "tests/data/kb/org-with-newline.json", "org");
    cli_run_cleanup(&r);
}

Test(cli, kb_check_of_a_100_mb_file_is_one_line)
{
    char *p = tmp("huge.json");
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    struct cli_run r;

    cr_assert_geq(fd, 0, "%s", strerror(errno));
    cr_assert_eq(ftruncate(fd, (off_t)100 * 1024 * 1024), 0);
    close(fd);
    run(&r, (const char *[]){"kb", "check", p, NULL});
    unlink(p);
    expect_one_line(&r, p, "limit");
    cli_run_cleanup(&r);
    free(p);
}

Test(cli, kb_check_of_binary_files_is_one_line)
{
    static const char elf[] = "\x7f"
                              "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0";
    static const char latin1[] = "{\"org\": \"caf\xe9\"}";
    char *blob = tmp("blob.json"), *l1 = tmp("latin1.json");
    struct cli_run r;

    cr_assert_eq(file_write_atomic(blob, elf, sizeof(elf) - 1), BOT_OK);
    cr_assert_eq(file_write_atomic(l1, latin1, sizeof(latin1) - 1), BOT_OK);
    run(&r, (const char *[]){"kb", "check", blob, NULL});
    expect_one_line(&r, blob, "binary");
    cli_run_cleanup(&r);
    run(&r, (const char *[]){"kb", "check", l1, NULL});
    expect_one_line(&r, l1, "UTF-8");
    cli_run_cleanup(&r);
    free(blob);
    free(l1);
}

Test(cli, kb_check_of_the_program_itself_is_one_line)
{
    struct cli_run r;

    run(&r, (const char *[]){"kb", "check", cli_bin(), NULL});
    expect_one_line(&r, cli_bin(), NULL);
    cli_run_cleanup(&r);
}

Test(cli, kb_show_prints_both_organisations)
{
    static const char *const want[] = {
        "Tees, Esk and Wear Valleys NHS Foundation Trust (tewv)",
        "Coventry and Warwickshire Partnership NHS Trust (cwpt)",
        "Mission: We will support people to lead their best possible lives.",
        "Strategic priorities:",
        "  Respect\n",
        "  Compassion\n",
        "  Responsibility\n",
        "     - Open and honest\n",
        "  Collaboration\n",
        "  Excellence\n",
        "  Integrity\n",
        "Teaching Trust",
    };
    const char *const *argvs[] = {
        (const char *[]){"kb", "show", "knowledge", NULL},
        (const char *[]){"kb", "show", NULL},
    };

    for (size_t k = 0; k < 2; k++) {
        struct cli_run r;

        run(&r, argvs[k]);
        EXPECT_EXIT(&r, 0, k ? "kb show" : "kb show knowledge");
        cr_expect_str_eq(r.err, "");
        for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
            cr_expect_not_null(strstr(r.out, want[i]), "kb show lacks \"%s\"", want[i]);
        cr_expect_lt(strstr(r.out, "(cwpt)"), strstr(r.out, "(tewv)"), "org-id order");
        cli_run_cleanup(&r);
    }
}

Test(cli, kb_show_of_a_bad_path_is_one_line)
{
    struct cli_run r;

    run(&r, (const char *[]){"kb", "show", "tests/data/kb/bad-org.json", NULL});
    EXPECT_EXIT(&r, 2, "kb show bad");
    cr_expect_eq(count_lines(r.err), 1, "stderr: %s", r.err);
    cr_expect_not_null(strstr(r.err, "bad-org.json"), "stderr: %s", r.err);
    cr_expect_str_eq(r.out, "");
    cli_run_cleanup(&r);
}

Test(cli, kb_build_refuses_bad_sources_in_one_line)
{
    static const char bin_src[] = "Our mission\n\0\x01\x02\x03\n";
    char *src = tmp("src.bin");
    struct cli_run r;

    cr_assert_eq(file_write_atomic(src, bin_src, sizeof(bin_src) - 1), BOT_OK);
    run(&r, (const char *[]){"kb", "build", src, "--org", "x", "--name", "X", NULL});
    expect_one_line(&r, "valuesbot", "binary");
    cr_expect_not_null(strstr(r.err, src), "names the source: %s", r.err);
    cli_run_cleanup(&r);

    run(&r, (const char *[]){"kb", "build", "knowledge/sources/no-such.txt", "--org", "x",
                             "--name", "X", NULL});
    EXPECT_EXIT(&r, 2, "missing source");
    cr_expect_eq(count_lines(r.err), 1, "stderr: %s", r.err);
    cr_expect_not_null(strstr(r.err, "no-such.txt"), "stderr: %s", r.err);
    cli_run_cleanup(&r);

    run(&r, (const char *[]){"kb", "build",
                             "knowledge/sources/tewv-our-journey-to-change.txt", "--name",
                             "X", NULL});
    EXPECT_EXIT(&r, 2, "no --org");
    cr_expect_not_null(strstr(r.err, "--org"), "stderr: %s", r.err);
    cli_run_cleanup(&r);

    run(&r, (const char *[]){"kb", "build",
                             "knowledge/sources/tewv-our-journey-to-change.txt", "--org",
                             "TEWV", "--name", "X", NULL});
    EXPECT_EXIT(&r, 2, "upper-case --org");
    cr_expect_str_eq(r.out, "");
    cli_run_cleanup(&r);
    free(src);
}

Test(cli, kb_build_with_a_bad_meta_file_is_one_line)
{
    static const char *const metas[] = {"[1, 2]", "{\"org\": ", "\"tewv\""};
    char *meta = tmp("meta.json");

    for (size_t i = 0; i < sizeof(metas) / sizeof(metas[0]); i++) {
        struct cli_run r;

        cr_assert_eq(file_write_atomic(meta, metas[i], strlen(metas[i])), BOT_OK);
        run(&r, (const char *[]){"kb", "build",
                                 "knowledge/sources/tewv-our-journey-to-change.txt",
                                 "--meta", meta, NULL});
        EXPECT_EXIT(&r, 2, metas[i]);
        cr_expect_str_eq(r.out, "", "%s: stdout", metas[i]);
        cr_expect_eq(count_lines(r.err), 1, "%s: stderr: %s", metas[i], r.err);
        cr_expect_not_null(strstr(r.err, meta), "%s: names the meta file: %s", metas[i],
                           r.err);
        if (i == 0)
            cr_expect_null(
                strstr(r.err, "invalid JSON"),
                "valid JSON that is not an object is not \"invalid JSON\" at a line: %s",
                r.err);
        cli_run_cleanup(&r);
    }
    free(meta);
}

Test(cli, config_check_accepts_a_full_file)
{
    struct cli_run r;

    run(&r, (const char *[]){"config", "check", "tests/data/config/full.json", NULL});
    EXPECT_EXIT(&r, 0, "config check full.json");
    cr_expect(starts_with(r.out, "tests/data/config/full.json: ok"), "stdout: %s", r.out);
    cr_expect_null(strstr(r.out, "fixture-not-a-secret"), "tokens are never printed");
    cr_expect_str_eq(r.err, "");
    cli_run_cleanup(&r);

    run(&r, (const char *[]){"config", "check", NULL});
    EXPECT_EXIT(&r, 0, "config check with defaults");
    cli_run_cleanup(&r);
}

struct bad_config {
    const char *path;
    const char *word;   /* the key named on stderr */
    const char *secret; /* must not appear anywhere */
};

static const struct bad_config bad_configs[] = {
    {"tests/data/config/unknown-key.json", "answer.decline_treshold", NULL},
    {"tests/data/config/wrong-type.json", "retention_days", NULL},
    {"tests/data/config/token-in-json.json", "slack.bot_token", "ECHOED"},
    {"tests/data/config/unknown-org.json", "nosuchtrust", NULL},
    {"tests/data/config/no-such-config.json", "no-such-config.json", NULL},
};

Test(cli, config_check_names_the_bad_key)
{
    for (size_t i = 0; i < sizeof(bad_configs) / sizeof(bad_configs[0]); i++) {
        const struct bad_config *c = &bad_configs[i];
        struct cli_run r;

        run(&r, (const char *[]){"config", "check", c->path, NULL});
        EXPECT_EXIT(&r, 2, c->path);
        cr_expect_not_null(strstr(r.err, c->word), "%s: stderr lacks \"%s\": %s", c->path,
                           c->word, r.err);
        cr_expect_eq(count_lines(r.err), 1, "%s: stderr: %s", c->path, r.err);
        if (c->secret != NULL) {
            cr_expect_null(strstr(r.err, c->secret), "%s: secret on stderr", c->path);
            cr_expect_null(strstr(r.out, c->secret), "%s: secret on stdout", c->path);
        }
        cli_run_cleanup(&r);
    }
}

Test(cli, config_usage_errors_exit_two)
{
    struct cli_run r;

    run(&r, (const char *[]){"config", NULL});
    EXPECT_EXIT(&r, 2, "config");
    cli_run_cleanup(&r);
    run(&r, (const char *[]){"config", "check", "a.json", "b.json", NULL});
    EXPECT_EXIT(&r, 2, "config check a b");
    cli_run_cleanup(&r);
}
