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

static struct cli_dir d;

static void
setup(void)
{
    cli_dir_init(&d, "dialogue");
}

static void
teardown(void)
{
    cli_dir_cleanup(&d);
}

TestSuite(cli_dialogue, .init = setup, .fini = teardown, .timeout = 60);

/* Runs `valuesbot chat --org @org` with @input on stdin. */
static void
chat(struct cli_run *r, const char *org, const char *input)
{
    const char *const args[] = {"chat", "--org", org, NULL};

    cli_dir_run(&d, r, input, args);
    cr_expect_eq(r->code, 0, "stderr: %s", r->err);
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
    cr_expect(strstr(r.out, "Our Journey to Change doesn't say"), "%s", r.out);
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
