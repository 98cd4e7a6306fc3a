/*
 * test_cli_ask.c - `valuesbot ask` gives the reply chat gives, one line one
 * conversation, and its --json fields for a reply of several parts; run as
 * the evaluation sets run it: the real binary ($VALUESBOT_BIN), a fresh store.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "tests/test_cli_util.h"

static struct cli_dir d;

static void
setup(void)
{
    cli_dir_init(&d, "ask");
}

static void
teardown(void)
{
    cli_dir_cleanup(&d);
}

TestSuite(cli_ask, .init = setup, .fini = teardown, .timeout = 60);

/* Runs the binary with @args and @input on stdin; expects exit status 0. */
static void
run(struct cli_run *r, const char *input, const char *const *args)
{
    cli_dir_run(&d, r, input, args);
    cr_expect_eq(r->code, 0, "stderr: %s", r->err);
}

/*
 * Writes @page into the scratch directory and runs `kb build` on it for @org
 * (@name) into kb.json there; *r holds that run (clean it up).  Returns the
 * KB's path; free() it.
 */
static char *
build_page(const char *page, const char *org, const char *name, struct cli_run *r)
{
    char *src = xasprintf("%s/page.txt", d.path), *kb = xasprintf("%s/kb.json", d.path);
    const char *build[] = {"kb",     "build", src,  "--org", org,
                           "--name", name,    "-o", kb,      NULL};

    cr_assert_eq(file_write_atomic(src, page, strlen(page)), BOT_OK);
    cli_dir_run(&d, r, "", build);
    free(src);
    return kb;
}

/* Returns the @n-th line (0-based) of @s parsed as JSON; json_decref() it. */
static json_t *
json_line(const char *s, size_t n)
{
    json_error_t jerr;
    json_t *o;
    const char *end;
    char *line;

    for (; n > 0 && s != NULL; n--) {
        s = strchr(s, '\n');
        s = s != NULL ? s + 1 : NULL;
    }
    cr_assert_not_null(s, "too few lines");
    end = strchr(s, '\n');
    line = xstrndup(s, end != NULL ? (size_t)(end - s) : strlen(s));
    o = json_loads(line, 0, &jerr);
    cr_assert_not_null(o, "not JSON (%s): %s", jerr.text, line);
    free(line);
    return o;
}

static size_t
count(const char *s, const char *what)
{
    size_t n = 0;

    for (const char *p = strstr(s, what); p != NULL; p = strstr(p + 1, what))
        n++;
    return n;
}

Test(cli_ask, two_questions_in_one_line_give_both_answers_and_one_source)
{
    static const char *const args[] = {
        "ask", "--org", "tewv", "what are our values and when was it launched?", NULL};
    struct cli_run r;
    const char *values, *when;

    run(&r, "", args);
    values = strstr(r.out, "Compassion");
    when = strstr(r.out, "2021");
    cr_expect(values != NULL && when != NULL && values < when, "%s", r.out);
    cr_expect_eq(count(r.out, "Source:"), 1, "%s", r.out);
    cli_run_cleanup(&r);
}

Test(cli_ask, json_of_a_reply_in_two_answered_parts)
{
    static const char *const args[] = {
        "ask", "--org", "tewv", "--json", "what are our values and when was it launched?",
        NULL};
    struct cli_run r;
    json_t *o, *parts, *p;
    double least = 1.0;
    size_t i, nsrc = 0;

    run(&r, "", args);
    o = json_line(r.out, 0);
    cr_expect(json_is_true(json_object_get(o, "answered")), "%s", r.out);
    cr_expect_str_eq(json_string_value(json_object_get(o, "kind")), "answer");
    cr_expect_str_eq(json_string_value(json_object_get(o, "intent")), "values+fact");
    cr_expect_str_eq(json_string_value(json_object_get(o, "org")), "tewv");
    cr_expect(strstr(json_string_value(json_object_get(o, "text")), "2021"));
    parts = json_object_get(o, "parts");
    cr_assert_eq(json_array_size(parts), 2, "%s", r.out);
    json_array_foreach(parts, i, p)
    {
        double c = json_real_value(json_object_get(p, "confidence"));

        cr_expect(json_is_true(json_object_get(p, "answered")), "part %zu", i);
        cr_expect_gt(json_array_size(json_object_get(p, "sources")), 0, "part %zu", i);
        nsrc += json_array_size(json_object_get(p, "sources"));
        least = c < least ? c : least;
    }
    cr_expect_str_eq(
        json_string_value(json_object_get(json_array_get(parts, 0), "intent")), "values");
    cr_expect_float_eq(json_real_value(json_object_get(o, "confidence")), least, 1e-9);
    /* The parts quote different lines: the whole lists each of them. */
    cr_expect_eq(json_array_size(json_object_get(o, "sources")), nsrc, "%s", r.out);
    json_decref(o);
    cli_run_cleanup(&r);
}

Test(cli_ask, a_part_declined_makes_the_reply_unanswered_and_only_it_is_reported)
{
    static const char *const args[] = {
        "ask",    "--org",    "tewv",
        "--json", "--record", "what are our values and where can I park my car?",
        NULL};
    static const char *const report[] = {"report", NULL};
    struct cli_run r;
    json_t *o, *parts;

    run(&r, "", args);
    o = json_line(r.out, 0);
    cr_expect(json_is_false(json_object_get(o, "answered")), "%s", r.out);
    cr_expect_str_eq(json_string_value(json_object_get(o, "kind")), "decline");
    cr_expect(strstr(json_string_value(json_object_get(o, "text")), "Compassion"));
    parts = json_object_get(o, "parts");
    cr_assert_eq(json_array_size(parts), 2, "%s", r.out);
    cr_expect(json_is_true(json_object_get(json_array_get(parts, 0), "answered")));
    cr_expect(json_is_false(json_object_get(json_array_get(parts, 1), "answered")));
    cr_expect_gt(json_array_size(json_object_get(o, "suggestions")), 0, "%s", r.out);
    json_decref(o);
    cli_run_cleanup(&r);
    run(&r, "", report);
    cr_expect(strstr(r.out, "park my car"), "%s", r.out);
    cr_expect(!strstr(r.out, "what are our values"), "%s", r.out);
    cli_run_cleanup(&r);
}

Test(cli_ask, lines_are_independent_unless_asked_to_carry_the_conversation)
{
    static const char *const ask[] = {"ask", "--org", "tewv", "--json", NULL};
    static const char *const conv[] = {"ask",    "--org",          "tewv",
                                       "--json", "--conversation", NULL};
    static const char *const alone[] = {
        "ask", "--org", "tewv", "--json", "and the second one?", NULL};
    const char *in = "what are our goals?\nand the second one?\n";
    struct cli_run r;
    json_t *o, *solo;

    /* A follow-up alone is read as it stands: nothing to lean on. */
    run(&r, "", alone);
    solo = json_line(r.out, 0);
    cr_expect(json_is_false(json_object_get(solo, "answered")), "%s", r.out);
    cli_run_cleanup(&r);
    /* After another line it is still read as it stands: the same reply. */
    run(&r, in, ask);
    o = json_line(r.out, 0);
    cr_expect(json_is_true(json_object_get(o, "answered")), "%s", r.out);
    json_decref(o);
    o = json_line(r.out, 1);
    cr_expect(json_equal(o, solo), "%s", r.out);
    json_decref(o);
    cli_run_cleanup(&r);
    /* --conversation: the second line is the second goal. */
    run(&r, in, conv);
    o = json_line(r.out, 1);
    cr_expect(json_is_true(json_object_get(o, "answered")), "%s", r.out);
    cr_expect(strstr(json_string_value(json_object_get(o, "text")), "great employer"),
              "%s", r.out);
    json_decref(o);
    json_decref(solo);
    cli_run_cleanup(&r);
}

Test(cli_ask, a_digest_request_gets_the_digest_chat_gives)
{
    static const char *const ask[] = {"ask", "--org", "tewv", NULL};
    static const char *const chat[] = {"chat", "--org", "tewv", NULL};
    const char *in =
        "can you post a digest of our goals and values for the team channel\n"
        "post this to the whole channel: <!channel> strategy cancelled\n";
    struct cli_run a, c;

    run(&a, in, ask);
    run(&c, in, chat);
    cr_expect_str_eq(a.out, c.out);
    cr_expect(strstr(a.out, "Goal 2"), "%s", a.out);
    /* Words of its own to announce: declined, never posted as a digest. */
    cr_expect_eq(count(a.out, "Goal 2"), 1, "%s", a.out);
    cr_expect(!strstr(a.out, "cancelled"), "%s", a.out);
    cli_run_cleanup(&a);
    cli_run_cleanup(&c);
}

/*
 * Builds a KB from @page with `kb build` into dir/kb.json (the way a trust
 * adds its own), then asks each of @questions with --json: each must be
 * declined as @intent, without an empty list or a count of nothing, and
 * offer only what the KB holds.
 */
static void
expect_not_listed(const char *page, const char *intent, const char *absent,
                  const char *const *questions)
{
    struct cli_run r;
    char *kb = build_page(page, "nf", "Northfield Community Health Trust", &r);

    cr_expect_eq(r.code, 0, "stderr: %s", r.err);
    cli_run_cleanup(&r);
    for (size_t i = 0; questions[i] != NULL; i++) {
        const char *args[] = {"ask", "--kb",   kb,           "--org",
                              "nf",  "--json", questions[i], NULL};
        json_t *o;
        const char *text;

        run(&r, "", args);
        o = json_line(r.out, 0);
        text = json_string_value(json_object_get(o, "text"));
        cr_expect(json_is_false(json_object_get(o, "answered")), "%s: %s", questions[i],
                  r.out);
        cr_expect_str_eq(json_string_value(json_object_get(o, "intent")), intent,
                         "%s: %s", questions[i], r.out);
        cr_assert_not_null(text);
        cr_expect(strstr(text, " 0 ") == NULL && strstr(text, "no:") == NULL, "%s", text);
        /* What it offers instead is what the KB holds, not what it lacks. */
        cr_expect(strstr(text, absent) == NULL, "%s", text);
        json_decref(o);
        cli_run_cleanup(&r);
    }
    free(kb);
}

Test(cli_ask, values_a_page_does_not_state_are_declined_not_listed_as_none)
{
    static const char page[] =
        "Northfield Community Health Trust\n\nOur strategy 2024 to 2029\n\n"
        "Our vision\nHealthier lives for everyone in Northfield, with care close to "
        "home.\n\nOur strategic goals\n"
        "1. Deliver outstanding community care in every neighbourhood.\n"
        "2. Make Northfield a great place to work.\n"
        "3. Work with partners to reduce health inequalities.\n";
    static const char *const questions[] = {
        "what are our values?", "how many values do we have",
        "is kindness one of our values?", "which value is about respect", NULL};

    expect_not_listed(page, "no_values", "our values?", questions);
}

Test(cli_ask, goals_a_page_does_not_state_are_declined_not_listed_as_none)
{
    static const char page[] = "Northfield Community Health Trust\n\nOur values\n\n"
                               "Kindness: we treat everyone with warmth and care.\n"
                               "Fairness: we give everyone an equal chance.\n"
                               "Courage: we speak up when something is wrong.\n";
    static const char *const questions[] = {"what are our goals?",
                                            "how many strategic priorities are there",
                                            "what is goal 2?", NULL};

    expect_not_listed(page, "no_goals", "goal 2", questions);
}

/*
 * A page that speaks of its plan but names no values, goals or statements:
 * `kb build` keeps it as its passages and warns what it could not find; the
 * bot answers what the page says, declines values and goals, and its summary
 * quotes the page.
 */
Test(cli_ask, a_page_of_passages_answers_what_it_says_and_declines_the_rest)
{
    static const char page[] =
        "Gannet Bay Health Trust\n\nOur plans for the next three years\n\n"
        "This three-year plan sets out how we will bring care closer to home across "
        "Gannet Bay.\n\n"
        "Our Board approved the plan in March 2025 after talking with more than 900 "
        "patients and staff.\n\n"
        "We will publish a progress report on the plan every autumn.\n";
    static const struct {
        const char *q, *intent, *has; /* has: words of the reply, NULL for a decline */
    } asks[] = {
        {"what are our values?", "no_values", NULL},
        {"what are our goals", "no_goals", NULL},
        {"when did the board approve the plan", "fact", "March 2025"},
        {"how often is a progress report published", "fact", "every autumn"},
        {"summarise the strategy", "summary", "care closer to home"},
    };
    struct cli_run r;
    char *kb = build_page(page, "gb", "Gannet Bay Health Trust", &r);

    cr_expect_eq(r.code, 0, "stderr: %s", r.err);
    cr_expect(strstr(r.err, "warning: no values and no goals found") != NULL, "%s",
              r.err);
    cr_expect(strstr(r.err, "build from the page or PDF that lists them") != NULL, "%s",
              r.err);
    cli_run_cleanup(&r);
    for (size_t i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
        const char *args[] = {"ask", "--kb",   kb,        "--org",
                              "gb",  "--json", asks[i].q, NULL};
        json_t *o;
        const char *text;

        run(&r, "", args);
        o = json_line(r.out, 0);
        text = json_string_value(json_object_get(o, "text"));
        cr_assert_not_null(text, "%s", r.out);
        cr_expect_str_eq(json_string_value(json_object_get(o, "intent")), asks[i].intent,
                         "%s: %s", asks[i].q, r.out);
        cr_expect_eq(json_is_true(json_object_get(o, "answered")), asks[i].has != NULL,
                     "%s: %s", asks[i].q, r.out);
        if (asks[i].has != NULL)
            cr_expect(strstr(text, asks[i].has) != NULL, "%s: %s", asks[i].q, text);
        json_decref(o);
        cli_run_cleanup(&r);
    }
    free(kb);
}

/* A page that lists no values gets them from the overlay's "add": kb build says
   what the overlay added after the page's warning, and the KB answers with it. */
Test(cli_ask, values_added_by_the_overlay_are_reported_and_answered)
{
    static const char page[] =
        "Gannet Bay Health Trust\n\nOur plans for the next three years\n\n"
        "This three-year plan sets out how we will bring care closer to home across "
        "Gannet Bay.\n";
    static const char overlay[] =
        "{\"add\": {\"values\": [{\"name\": \"Curiosity\", \"description\": "
        "\"We ask why and learn from what we find.\"}]}}";
    char *src = xasprintf("%s/page.txt", d.path), *kb = xasprintf("%s/kb.json", d.path),
         *ov = xasprintf("%s/overlay.json", d.path);
    const char *build[] = {"kb",     "build", src, "--org",     "gb", "--name",
                           "Gannet", "-o",    kb,  "--overlay", ov,   NULL};
    const char *ask[] = {
        "ask", "--kb", kb, "--org", "gb", "--json", "what are our values?", NULL};
    struct cli_run r;
    json_t *o;

    cr_assert_eq(file_write_atomic(src, page, strlen(page)), BOT_OK);
    cr_assert_eq(file_write_atomic(ov, overlay, strlen(overlay)), BOT_OK);
    run(&r, "", build);
    cr_expect(strstr(r.err, "warning: no values and no goals found") != NULL, "%s",
              r.err);
    cr_expect(strstr(r.err, "the overlay adds 1 value(s) and 0 goal(s)") != NULL, "%s",
              r.err);
    cli_run_cleanup(&r);
    run(&r, "", ask);
    o = json_line(r.out, 0);
    cr_expect(json_is_true(json_object_get(o, "answered")), "%s", r.out);
    cr_expect(strstr(json_string_value(json_object_get(o, "text")), "Curiosity") != NULL,
              "%s", r.out);
    json_decref(o);
    cli_run_cleanup(&r);
    free(src);
    free(kb);
    free(ov);
}

/* A page that says nothing of a strategy (a cookie notice, "Page not found"):
   refused with a reason, non-zero, and no KB written. */
Test(cli_ask, a_page_with_no_strategy_text_is_refused)
{
    static const char page[] =
        "Cookies on this site\n\nWe use cookies to make this website work. Accept all "
        "cookies | Reject\n\nPage not found\n\nSorry, the page you are looking for "
        "could not be found. Search our website or go to the home page.\n";
    struct cli_run r;
    char *kb = build_page(page, "gb", "Gannet Bay Health Trust", &r);

    cr_expect_neq(r.code, 0);
    cr_expect(strstr(r.err, "found no strategy text") != NULL, "%s", r.err);
    cr_expect_eq(access(kb, F_OK), -1, "no KB is written");
    cli_run_cleanup(&r);
    free(kb);
}
