/*
 * test_induction.c - the guided tour (bot/core/induction.c): steps
 * generated from each KB, navigation, the check, timeouts and many people
 * at once.  Each "now" is a fixed instant: the clock is the test's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tests/core/test_message.h"
#include "tests/test_util.h"

#include "bot/base/xmalloc.h"
#include "bot/core/compose.h"
#include "bot/core/induction.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_query.h"
#include "bot/kb/kb_text.h"

#define T0 ((time_t)1790000000)

static struct kb_text *text;

static void
setup(void)
{
    text = kb_text_new();
}

static void
teardown(void)
{
    kb_text_free(text);
}

TestSuite(induction, .init = setup, .fini = teardown);

static struct kb *
load(const char *path)
{
    struct kb *kb;
    char *why = NULL;

    cr_assert_eq(kb_load_file(path, &kb, &why), BOT_OK, "%s: %s", path, why);
    return kb;
}

/* Sends @msg for @key and returns the reply as plain text (new string). */
static char *
say(struct induction *ind, const char *key, const struct kb *kb, const char *msg,
    time_t now, enum induction_result want)
{
    struct reply r = {0};
    struct kb_query kq = message(text, msg);
    enum induction_result got = induction_handle(ind, key, kb, text, &kq, now, &r);
    char *s;

    kb_query_cleanup(&kq);
    cr_assert_eq(got, want, "\"%s\": result %d, want %d", msg, got, want);
    s = reply_format_plain(&r);
    reply_cleanup(&r);
    return s;
}

static char *
start(struct induction *ind, const char *key, const struct kb *kb, time_t now)
{
    struct reply r = {0};
    char *s;

    induction_start(ind, key, kb, now, &r);
    s = reply_format_plain(&r);
    reply_cleanup(&r);
    return s;
}

static bool
has(const char *s, const char *part)
{
    return strstr(s, part) != NULL;
}

Test(induction, step_counts_follow_the_kb)
{
    struct kb *tewv = load("knowledge/tewv.json"), *cwpt = load("knowledge/cwpt.json");
    struct kb *nd = load("tests/data/induction/northdale.json");

    /* welcome, vision, 3 goals, 3 values, close */
    cr_expect_eq(induction_nsteps(tewv), 9);
    /* no mission or purpose: the vision is in the welcome; 5 priorities, 5 values */
    cr_expect_eq(induction_nsteps(cwpt), 12);
    /* purpose in the welcome, then the vision; 2 aims, 3 values */
    cr_expect_eq(induction_nsteps(nd), 8);
    kb_free(tewv);
    kb_free(cwpt);
    kb_free(nd);
}

/* Walks the whole tour of @path with "next" and checks every part of the KB appears. */
static void
walk_whole_tour(const char *path, const char *other_trust)
{
    struct kb *kb = load(path);
    struct induction *ind = induction_new(0, 0);
    char *all = start(ind, "u1", kb, T0), *s, *tmp;
    size_t n = induction_nsteps(kb);

    cr_expect(has(all, kb->name), "%s: the welcome names the trust", path);
    if (kb->mission.text)
        cr_expect(has(all, kb->mission.text), "%s: mission in the welcome", path);
    for (size_t i = 1; i < n; i++) {
        char want[64];

        s = say(ind, "u1", kb, "next", T0 + (time_t)i, INDUCTION_HANDLED);
        if (i + 1 < n) {
            snprintf(want, sizeof(want), "Step %zu of %zu", i + 1, n);
            cr_expect(has(s, want), "%s: step %zu: %s", path, i, s);
        }
        tmp = all;
        all = xasprintf("%s\n\n%s", tmp, s);
        free(tmp);
        free(s);
    }
    if (kb->vision.text)
        cr_expect(has(all, kb->vision.text), "%s: vision", path);
    for (size_t i = 0; i < kb->ngoals; i++) {
        size_t skip;
        const char *title = compose_goal_title(&kb->goals[i], &skip);

        cr_expect(has(all, title), "%s: goal %s", path, title);
        for (size_t k = 0; k < kb->goals[i].npoints; k++)
            cr_expect(has(all, kb->goals[i].points[k].text), "%s: point", path);
    }
    for (size_t i = 0; i < kb->nvalues; i++) {
        cr_expect(has(all, kb->values[i].name), "%s: value %s", path, kb->values[i].name);
        for (size_t k = 0; k < kb->values[i].nbehaviours; k++)
            cr_expect(has(all, kb->values[i].behaviours[k].text), "%s: behaviour %s",
                      path, kb->values[i].behaviours[k].text);
    }
    cr_expect(has(all, kb->doc), "%s: the close says where to read the strategy", path);
    cr_expect(!has(all, other_trust), "%s: another trust's words in the tour", path);
    free(all);
    induction_free(ind);
    kb_free(kb);
}

Test(induction, each_trust_gets_its_own_tour)
{
    walk_whole_tour("knowledge/tewv.json", "Coventry");
    walk_whole_tour("knowledge/cwpt.json", "Tees");
    walk_whole_tour("tests/data/induction/northdale.json", "Tees");
    expect_no_leaks("tours");
}

Test(induction, next_back_repeat_and_stop)
{
    struct kb *kb = load("knowledge/tewv.json");
    struct induction *ind = induction_new(0, 0);
    char *s;

    free(start(ind, "u1", kb, T0));
    s = say(ind, "u1", kb, "back", T0 + 1, INDUCTION_HANDLED);
    cr_expect(has(s, "This is the first step."), "%s", s);
    cr_expect(has(s, "Step 1 of 9"), "%s", s);
    free(s);
    s = say(ind, "u1", kb, "Next please", T0 + 2, INDUCTION_HANDLED);
    cr_expect(has(s, "Our vision"), "%s", s);
    free(s);
    s = say(ind, "u1", kb, "ok", T0 + 3, INDUCTION_HANDLED);
    cr_expect(has(s, "Goal 1 of 3: we will co-create high quality care"), "%s", s);
    free(s);
    s = say(ind, "u1", kb, "say that again", T0 + 4, INDUCTION_HANDLED);
    cr_expect(has(s, "Goal 1 of 3"), "repeat stays: %s", s);
    free(s);
    s = say(ind, "u1", kb, "no", T0 + 5, INDUCTION_HANDLED);
    cr_expect(has(s, "No problem."), "a \"no\" mid-tour is not a question: %s", s);
    free(s);
    s = say(ind, "u1", kb, "go back", T0 + 5, INDUCTION_HANDLED);
    cr_expect(has(s, "Step 2 of 9"), "%s", s);
    free(s);
    s = say(ind, "u1", kb, "stop", T0 + 6, INDUCTION_HANDLED);
    cr_expect(has(s, "Thanks for taking the tour"), "%s", s);
    free(s);
    cr_expect_eq(induction_count(ind), 0);
    s = say(ind, "u1", kb, "next", T0 + 7, INDUCTION_NONE);
    free(s);
    induction_free(ind);
    kb_free(kb);
}

Test(induction, a_question_mid_tour_is_handed_back_and_the_tour_resumes)
{
    struct kb *kb = load("knowledge/tewv.json");
    struct induction *ind = induction_new(0, 0);
    struct reply r = {0};
    char *s;

    free(start(ind, "u1", kb, T0));
    free(say(ind, "u1", kb, "next", T0 + 1, INDUCTION_HANDLED));
    s = say(ind, "u1", kb, "what's next for the trust?", T0 + 2, INDUCTION_QUESTION);
    cr_expect_str_eq(s, "", "the caller answers questions");
    free(s);
    induction_resume(ind, "u1", kb, &r);
    s = reply_format_plain(&r);
    cr_expect(has(s, "step 2 of 9"), "%s", s);
    free(s);
    reply_cleanup(&r);
    s = say(ind, "u1", kb, "next", T0 + 3, INDUCTION_HANDLED);
    cr_expect(has(s, "Goal 1 of 3"), "the tour carries on where it was: %s", s);
    free(s);
    induction_free(ind);
    kb_free(kb);
}

Test(induction, a_silent_tour_times_out)
{
    struct kb *kb = load("knowledge/tewv.json");
    struct induction *ind = induction_new(600, 0);

    free(start(ind, "u1", kb, T0));
    free(start(ind, "u2", kb, T0 + 500));
    cr_expect(induction_is_active(ind, "u1", T0 + 599));
    free(say(ind, "u1", kb, "next", T0 + 599 + 600, INDUCTION_NONE));
    cr_expect_eq(induction_count(ind), 1, "u1 forgotten, u2 kept");
    cr_expect_eq(induction_expire(ind, T0 + 500 + 599), 0);
    cr_expect_eq(induction_expire(ind, T0 + 500 + 600), 1);
    cr_expect_eq(induction_count(ind), 0);
    induction_free(ind);
    kb_free(kb);
}

Test(induction, several_people_at_once)
{
    struct kb *tewv = load("knowledge/tewv.json"), *cwpt = load("knowledge/cwpt.json");
    struct induction *ind = induction_new(0, 0);
    char key[32], *s;

    for (int i = 0; i < 200; i++) {
        snprintf(key, sizeof(key), "slack:T1:U%d", i);
        free(start(ind, key, i % 2 ? cwpt : tewv, T0 + i));
        for (int k = 0; k < i % 4; k++)
            free(say(ind, key, i % 2 ? cwpt : tewv, "next", T0 + i, INDUCTION_HANDLED));
    }
    cr_expect_eq(induction_count(ind), 200);
    s = say(ind, "slack:T1:U7", cwpt, "repeat", T0 + 300, INDUCTION_HANDLED);
    cr_expect(has(s, "Step 4 of 12"), "U7 (cwpt) took three steps: %s", s);
    free(s);
    s = say(ind, "slack:T1:U6", tewv, "repeat", T0 + 300, INDUCTION_HANDLED);
    cr_expect(has(s, "Step 3 of 9"), "U6 (tewv) took two steps: %s", s);
    free(s);
    /* A tour belongs to its org: the same key under another org is not it. */
    free(say(ind, "slack:T1:U6", cwpt, "next", T0 + 301, INDUCTION_NONE));
    induction_free(ind);
    kb_free(tewv);
    kb_free(cwpt);
}

Test(induction, the_oldest_tour_goes_when_the_cap_is_reached)
{
    struct kb *kb = load("knowledge/tewv.json");
    struct induction *ind = induction_new(0, 3);

    free(start(ind, "a", kb, T0));
    free(start(ind, "b", kb, T0 + 1));
    free(start(ind, "c", kb, T0 + 2));
    free(start(ind, "d", kb, T0 + 3));
    cr_expect_eq(induction_count(ind), 3);
    cr_expect(!induction_is_active(ind, "a", T0 + 4));
    cr_expect(induction_is_active(ind, "d", T0 + 4));
    induction_free(ind);
    kb_free(kb);
}

/* Moves @key's tour to its close step. */
static void
to_close(struct induction *ind, const char *key, const struct kb *kb)
{
    free(start(ind, key, kb, T0));
    for (size_t i = 1; i < induction_nsteps(kb); i++)
        free(say(ind, key, kb, "next", T0 + 1, INDUCTION_HANDLED));
}

Test(induction, the_check_is_generated_from_the_kb_and_never_judges)
{
    struct kb *kb = load("knowledge/tewv.json");
    struct induction *ind = induction_new(0, 0);
    char *s;

    to_close(ind, "u1", kb);
    s = say(ind, "u1", kb, "yes", T0 + 2, INDUCTION_HANDLED);
    cr_expect(has(s, "Question 1 of 3"), "%s", s);
    cr_expect(has(s, "Which of our values includes being “Fair”?"), "%s", s);
    cr_expect(has(s, "2: Compassion"), "%s", s);
    free(s);
    /* Typed, not numbered, and with a typo. */
    s = say(ind, "u1", kb, "compasion", T0 + 3, INDUCTION_HANDLED);
    cr_expect(has(s, "Yes, Compassion."), "%s", s);
    cr_expect(has(s, "Question 2 of 3"), "%s", s);
    free(s);
    s = say(ind, "u1", kb, "9", T0 + 4, INDUCTION_HANDLED);
    cr_expect(has(s, "Please pick a number from 1 to 3."), "%s", s);
    free(s);
    s = say(ind, "u1", kb, "1", T0 + 5, INDUCTION_HANDLED);
    cr_expect(has(s, "The answer is we will be a trusted partner."), "%s", s);
    cr_expect(!has(s, "wrong") && !has(s, "incorrect") && !has(s, "Wrong"), "%s", s);
    cr_expect(has(s, "How many values do we have?"), "%s", s);
    free(s);
    s = say(ind, "u1", kb, "three", T0 + 6, INDUCTION_HANDLED);
    cr_expect(has(s, "Yes, three."), "%s", s);
    cr_expect(has(s, "That's the end of the check."), "%s", s);
    free(s);
    cr_expect_eq(induction_count(ind), 0);
    induction_free(ind);
    kb_free(kb);
}

Test(induction, the_check_can_be_declined_or_left)
{
    struct kb *kb = load("tests/data/induction/northdale.json");
    struct induction *ind = induction_new(0, 0);
    char *s;

    to_close(ind, "u1", kb);
    s = say(ind, "u1", kb, "no thanks", T0 + 2, INDUCTION_HANDLED);
    cr_expect(has(s, "Thanks for taking the tour"), "%s", s);
    free(s);
    cr_expect_eq(induction_count(ind), 0);
    to_close(ind, "u2", kb);
    s = say(ind, "u2", kb, "yes", T0 + 2, INDUCTION_HANDLED);
    cr_expect(has(s, "Which of our values includes being “Patient”?"), "%s", s);
    free(s);
    s = say(ind, "u2", kb, "who is the chief executive?", T0 + 3, INDUCTION_QUESTION);
    free(s);
    s = say(ind, "u2", kb, "stop", T0 + 4, INDUCTION_HANDLED);
    cr_expect(has(s, "Thanks for taking the tour"), "%s", s);
    free(s);
    cr_expect_eq(induction_count(ind), 0);
    induction_free(ind);
    kb_free(kb);
}

struct trigger_case {
    const char *text;
    bool want;
};

static const struct trigger_case triggers[] = {
    {"I'm new", true},
    {"im new here", true},
    {"I am a new starter", true},
    {"I’ve just joined the trust", true},
    {"I just joined", true},
    {"start induction", true},
    {"induction", true},
    {"Induction please", true},
    {"/values induction", true},
    {"take the tour", true},
    {"can you give me the guided tour?", true},
    {"what do new starters get paid?", false},
    {"what's new in the strategy?", false},
    {"induction of labour policy", false},
    {"what are our values?", false},
    {"new", false},
    {"", false},
    {"\xff\xfe", false},
};

Test(induction, what_starts_a_tour)
{
    for (size_t i = 0; i < sizeof(triggers) / sizeof(triggers[0]); i++) {
        struct kb_query kq = message(text, triggers[i].text);

        cr_expect_eq(induction_is_trigger(&kq), triggers[i].want, "\"%s\"",
                     triggers[i].text);
        kb_query_cleanup(&kq);
    }
}

Test(induction, free_of_null_is_a_no_op)
{
    induction_free(NULL);
}

Test(induction, the_welcome_names_only_what_the_kb_holds)
{
    /* Northdale without a mission, a strategy name or values, as `kb build`
     * makes from a page that states only a vision and goals. */
    struct kb *kb = load("tests/data/induction/northdale-novalues.json");
    struct induction *ind = induction_new(600, 0);
    char *s = start(ind, "u1", kb, 1000), *last = NULL;

    cr_expect(has(s, "where we're going and our "), "%s", s);
    cr_expect(!has(s, "values") && !has(s, "here for"), "%s", s);
    for (int i = 0; i < 20 && !has(s, "That's the tour"); i++) {
        free(last);
        last = s;
        s = say(ind, "u1", kb, "next", 1000, INDUCTION_HANDLED);
    }
    cr_expect(has(s, "You can read the full strategy in "), "%s", s);
    free(last);
    free(s);
    induction_free(ind);
    kb_free(kb);
}
