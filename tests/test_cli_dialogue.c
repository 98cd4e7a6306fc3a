/*
 * test_cli_dialogue.c - follow-ups and two questions in one message through
 * the terminal chat (`valuesbot chat`), run as a user runs it: the real
 * binary ($VALUESBOT_BIN), stdin from a file, a fresh store.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/test_cli_util.h"

static char dir[] = "/tmp/valuesbot-test-dialogue-XXXXXX";
static char **env; /* owned array; the strings are environ's or dbvar */
static char *dbvar;

static void
setup(void)
{
    cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
    dbvar = xasprintf("VALUESBOT_DB=%s/unanswered.db", dir);
    env = cli_env(dbvar);
}

static void
teardown(void)
{
    static const char *const names[] = {
        "unanswered.db", "unanswered.db-wal", "unanswered.db-shm", "in", "out", "err"};

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char *p = xasprintf("%s/%s", dir, names[i]);

        unlink(p);
        free(p);
    }
    rmdir(dir);
    free(env);
    free(dbvar);
}

TestSuite(cli_dialogue, .init = setup, .fini = teardown, .timeout = 60);

/* Runs `valuesbot chat --org @org` with @input on stdin. */
static void
chat(struct cli_run *r, const char *org, const char *input)
{
    const char *const args[] = {"chat", "--org", org, NULL};
    char *in = xasprintf("%s/in", dir), *out = xasprintf("%s/out", dir),
         *err = xasprintf("%s/err", dir);

    cr_assert_eq(file_write_atomic(in, input, strlen(input)), BOT_OK);
    cli_spawn(r, env, in, out, err, args);
    cr_assert(r->exited, "killed by signal %d; stderr: %s", r->code, r->err);
    cr_expect_eq(r->code, 0, "stderr: %s", r->err);
    free(in);
    free(out);
    free(err);
}

Test(cli_dialogue, a_follow_up_after_an_answer)
{
    struct cli_run r;
    const char *goals, *second;

    chat(&r, "tewv", "what are our goals?\nand the second one?\n");
    goals = strstr(r.out, "Goal 3: we will be a trusted partner");
    second = strstr(r.out, "Be supported and empowered to do our job well");
    cr_expect(goals != NULL && second != NULL && goals < second, "%s", r.out);
    cli_run_cleanup(&r);
    /* The same follow-up as the first message has nothing to lean on. */
    chat(&r, "tewv", "and the second one?\n");
    cr_expect(strstr(r.out, "Be supported") == NULL, "%s", r.out);
    cr_expect(strstr(r.out, "isn't in Our Journey to Change"), "%s", r.out);
    cli_run_cleanup(&r);
}

Test(cli_dialogue, two_questions_in_one_line)
{
    struct cli_run r;
    const char *vision, *count;

    chat(&r, "cwpt", "what's our vision? and how many priorities do we have\n");
    vision = strstr(r.out, "To put people truly at the heart");
    count = strstr(r.out, "We have 5");
    cr_expect(vision != NULL && count != NULL && vision < count, "%s", r.out);
    cr_assert_not_null(strstr(r.out, "Source:"), "%s", r.out);
    cr_expect_null(strstr(strstr(r.out, "Source:") + 1, "Source:"), "one source: %s",
                   r.out);
    cli_run_cleanup(&r);
}
