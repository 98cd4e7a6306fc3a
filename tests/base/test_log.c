/* test_log.c - one line per event, as logfmt or JSON, with levels (bot/base/log.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "bot/base/log.h"
#include "bot/base/xmalloc.h"

/* Runs the logging calls of each test with stderr sent to a file, then reads it. */
static char path[64];

static void
capture(void)
{
    int fd;

    snprintf(path, sizeof(path), "/tmp/valuesbot-log-XXXXXX");
    fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    fflush(stderr);
    cr_assert_geq(dup2(fd, STDERR_FILENO), 0);
    close(fd);
}

static char *
captured(size_t *lines)
{
    FILE *f;
    char *s = xcalloc(1, 65536);
    size_t n;

    fflush(stderr);
    f = fopen(path, "r");
    n = fread(s, 1, 65535, f);
    fclose(f);
    unlink(path);
    s[n] = '\0';
    *lines = 0;
    for (const char *p = s; *p; p++)
        *lines += *p == '\n';
    return s;
}

Test(log, json_lines_parse_and_keep_the_message_whole)
{
    const char *msg = "say \"hi\"\n\tthen \\ leave \x01 \xc3\xa9";
    size_t lines;
    char *out, *nl;
    json_t *o;

    capture();
    log_set_level(LOG_LEVEL_INFO);
    log_set_json(true);
    log_info("%s", msg);
    log_warnx("second");
    out = captured(&lines);
    cr_assert_eq(lines, 2, "%s", out);
    nl = strchr(out, '\n');
    *nl = '\0';
    o = json_loads(out, 0, NULL);
    cr_assert_not_null(o, "not JSON: %s", out);
    cr_expect_str_eq(json_string_value(json_object_get(o, "level")), "info");
    cr_expect_str_eq(json_string_value(json_object_get(o, "msg")), msg);
    cr_expect_not_null(json_object_get(o, "ts"));
    json_decref(o);
    o = json_loads(nl + 1, 0, NULL);
    cr_expect_str_eq(json_string_value(json_object_get(o, "level")), "warn");
    json_decref(o);
    free(out);
}

Test(log, logfmt_is_one_line_per_event_with_the_message_quoted)
{
    size_t lines;
    char *out;

    capture();
    log_set_level(LOG_LEVEL_INFO);
    log_set_json(false);
    log_warnx("two\nlines and a \"quote\"");
    out = captured(&lines);
    cr_assert_eq(lines, 1, "%s", out);
    cr_expect(strncmp(out, "ts=", 3) == 0, "%s", out);
    cr_expect_not_null(
        strstr(out, " level=warn msg=\"two\\nlines and a \\\"quote\\\"\"\n"), "%s", out);
    free(out);
}

Test(log, levels_filter_before_anything_is_written)
{
    size_t lines;
    char *out;

    capture();
    log_set_json(false);
    log_set_level(LOG_LEVEL_WARN);
    log_info("not written");
    log_debug("not written");
    log_warnx("written");
    out = captured(&lines);
    cr_expect_eq(lines, 1, "%s", out);
    cr_expect_null(strstr(out, "not written"));
    cr_expect(log_enabled(LOG_LEVEL_ERROR) && !log_enabled(LOG_LEVEL_INFO));
    free(out);
}

/* A message that escapes to more than a line holds is cut, and the line
 * still ends with its closing quote (and brace) and one newline. */
Test(log, overlong_message_cut_and_the_line_still_well_formed)
{
    char *big = xcalloc(1, 2001);
    size_t lines;
    char *out, *nl;
    json_t *o;

    memset(big, '\x01', 2000); /* each escapes to six bytes */
    capture();
    log_set_level(LOG_LEVEL_INFO);
    log_set_json(true);
    log_info("%s", big);
    log_set_json(false);
    log_info("%s", big);
    out = captured(&lines);
    cr_assert_eq(lines, 2, "%s", out);
    nl = strchr(out, '\n');
    *nl = '\0';
    cr_expect_leq(strlen(out), 4095);
    o = json_loads(out, 0, NULL);
    cr_assert_not_null(o, "cut JSON line does not parse");
    cr_expect_gt(strlen(json_string_value(json_object_get(o, "msg"))), 500);
    json_decref(o);
    cr_expect_leq(strlen(nl + 1), 4096);
    cr_expect_eq(nl[strlen(nl + 1)], '\n');
    cr_expect_eq(nl[strlen(nl + 1) - 1], '"');
    free(out);
    free(big);
}

/*
 * Runs @crash in a child whose stderr is a pipe, after one buffered info
 * line; returns what the child wrote and sets *sig to the signal it died of.
 */
static char *
run_crashing_child(void (*crash)(void), int *sig)
{
    int fds[2], status;
    char *out = xmalloc(8192);
    size_t len = 0;
    ssize_t n;
    pid_t pid;

    cr_assert_eq(pipe(fds), 0);
    pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDERR_FILENO);
        log_set_level(LOG_LEVEL_INFO);
        log_set_json(false);
        log_set_buffered(true);
        log_info("the line before the crash");
        crash();
        _exit(0);
    }
    close(fds[1]);
    while ((n = read(fds[0], out + len, 8191 - len)) > 0)
        len += (size_t)n;
    out[len] = '\0';
    close(fds[0]);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    *sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return out;
}

static void
crash_abort(void)
{
    abort(); /* what a failed assert() does */
}

Test(log, buffered_lines_survive_an_abort)
{
    int sig;
    char *out = run_crashing_child(crash_abort, &sig);

    cr_expect_eq(sig, SIGABRT, "child ended with signal %d", sig);
    cr_expect_not_null(strstr(out, "the line before the crash"), "lost: [%s]", out);
    free(out);
}

static void
crash_segv(void)
{
    /* A page that may not be touched: a real fault, not one UBSan sees coming. */
    int fd = open("/dev/zero", O_RDONLY);
    volatile char *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE, fd, 0);

    if (fd < 0 || p == MAP_FAILED)
        _exit(3);
    *p = 1; /* the handler must not swallow it */
}

Test(log, buffered_lines_survive_a_fault_and_the_fault_still_ends_the_process)
{
    int sig;
    char *out = run_crashing_child(crash_segv, &sig);

    cr_expect(sig == SIGSEGV || strstr(out, "AddressSanitizer") != NULL,
              "child ended with signal %d: [%s]", sig, out);
    cr_expect_not_null(strstr(out, "the line before the crash"), "lost: [%s]", out);
    free(out);
}

/*
 * Plain runs between escapes are copied a run at a time, up to the room the
 * line has left: cut anywhere, the line is whole and its message a prefix.
 */
Test(log, plain_runs_cut_at_the_room_left_keep_the_line_whole)
{
    static const char *const unit[] = {"aaaa\x01", "a\"b\\c", "abcdefgh\n"};

    for (size_t u = 0; u < sizeof(unit) / sizeof(unit[0]); u++) {
        char *big = xcalloc(1, 2048), *out, *nl;
        size_t lines, n = strlen(unit[u]);
        const char *msg;
        json_t *o;

        for (size_t i = 0; i + n < 2047; i += n)
            memcpy(big + i, unit[u], n);
        capture();
        log_set_level(LOG_LEVEL_INFO);
        log_set_json(true);
        log_info("%s", big);
        log_set_json(false);
        log_info("%s", big);
        out = captured(&lines);
        cr_assert_eq(lines, 2, "unit %zu: %s", u, out);
        nl = strchr(out, '\n');
        *nl = '\0';
        cr_expect_leq(strlen(out), 4095, "unit %zu", u);
        o = json_loads(out, 0, NULL);
        cr_assert_not_null(o, "unit %zu: the JSON line does not parse", u);
        msg = json_string_value(json_object_get(o, "msg"));
        cr_assert_not_null(msg);
        cr_expect_gt(strlen(msg), 1000, "unit %zu", u);
        cr_expect_eq(strncmp(msg, big, strlen(msg)), 0, "unit %zu: not a prefix", u);
        json_decref(o);
        cr_expect_leq(strlen(nl + 1), 4096, "unit %zu", u);
        cr_expect_eq(nl[strlen(nl + 1)], '\n', "unit %zu", u);
        cr_expect_eq(nl[strlen(nl + 1) - 1], '"', "unit %zu", u);
        free(out);
        free(big);
    }
}
