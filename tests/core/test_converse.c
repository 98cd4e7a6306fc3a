/*
 * test_converse.c - the shared conversation step (bot/core/converse.c):
 * where each kind of reply goes, tours interleaved with questions, and
 * what is recorded in the unanswered log.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "bot/base/xmalloc.h"
#include "bot/core/compose.h"
#include "bot/core/converse.h"
#include "bot/core/store.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_set.h"
#include "tests/test_util.h"

#define T0 ((time_t)1790000000)

static char dir[] = "/tmp/valuesbot-test-converse-XXXXXX";
static char *db;
static struct kb_set *set;
static struct kb_engine *engine;
static struct store *st;
static struct converse *cv;

static void
setup(void)
{
    char *why = NULL;

    cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
    db = xasprintf("%s/store.db", dir);
    set = shipped_kbs();
    engine = kb_engine_new(set, 0.5, 0.1);
    cr_assert_eq(store_open(db, true, 90, T0, &st, &why), BOT_OK, "%s", why);
    cv = converse_new(engine, set, st, 0.5, 600);
}

static void
teardown(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm"};

    converse_free(cv);
    store_free(st);
    kb_engine_free(engine);
    kb_set_free(set);
    for (size_t i = 0; i < 3; i++) {
        char *p = xasprintf("%s%s", db, suffix[i]);

        unlink(p);
        free(p);
    }
    free(db);
    rmdir(dir);
}

TestSuite(converse, .init = setup, .fini = teardown);

struct said {
    enum converse_target target;
    enum converse_kind kind;
    bool recorded;
    char *text; /* owned */
};

static struct said
say(const char *key, const char *org, const char *msg, time_t now)
{
    struct converse_reply out;
    struct said s;

    cr_assert(converse_handle(cv, key, org, msg, strlen(msg), now, &out), "%s", msg);
    s = (struct said){.target = out.target,
                      .kind = out.kind,
                      .recorded = out.recorded,
                      .text = reply_format_plain(&out.reply)};
    converse_reply_cleanup(&out);
    return s;
}

static bool
count(const struct store_row *row, void *arg)
{
    (void)row;
    (*(size_t *)arg)++;
    return true;
}

static size_t
count_rows(void)
{
    size_t n = 0;

    cr_assert_eq(store_unanswered_foreach(st, NULL, 0, count, &n), BOT_OK);
    return n;
}

Test(converse, help_goes_to_the_thread)
{
    struct said s = say("k", "tewv", "what can you do?", T0);

    cr_expect_eq(s.kind, CONVERSE_HELP);
    cr_expect_eq(s.target, CONVERSE_TARGET_THREAD);
    cr_expect(!s.recorded);
    free(s.text);
    s = say("k", "tewv", "help", T0);
    cr_expect_eq(s.target, CONVERSE_TARGET_THREAD);
    free(s.text);
    cr_expect_eq(count_rows(), 0, "help is not a missed question");
}

Test(converse, answers_go_to_the_thread_and_are_not_recorded)
{
    struct said s = say("k", "tewv", "what are our values?", T0);

    cr_expect_eq(s.kind, CONVERSE_ANSWER);
    cr_expect_eq(s.target, CONVERSE_TARGET_THREAD);
    cr_expect(strstr(s.text, "Compassion") != NULL, "%s", s.text);
    cr_expect(!s.recorded);
    free(s.text);
    cr_expect_eq(count_rows(), 0);
}

Test(converse, digests_go_to_the_channel_itself)
{
    struct said s = say("k", "cwpt", "post our goals here", T0);

    cr_expect_eq(s.kind, CONVERSE_SUMMARY);
    cr_expect_eq(s.target, CONVERSE_TARGET_CHANNEL);
    cr_expect(strstr(s.text, "Priority 5: Our Partnerships") != NULL, "%s", s.text);
    free(s.text);
    s = say("k", "tewv", "/strategy summary", T0);
    cr_expect_eq(s.target, CONVERSE_TARGET_CHANNEL);
    cr_expect(strstr(s.text, "Our Journey to Change in brief") != NULL, "%s", s.text);
    free(s.text);
}

Test(converse, declines_are_recorded_without_identity)
{
    struct said s =
        say("slack:T1:U999", "tewv", "where do I park at Roseberry Park?", T0);

    cr_expect_eq(s.kind, CONVERSE_DECLINE);
    cr_expect(s.recorded);
    free(s.text);
    cr_expect_eq(count_rows(), 1);
}

static bool
first_row(const struct store_row *row, void *arg)
{
    char **out = arg;

    *out = xasprintf("%s|%s", row->question, row->guess);
    return false;
}

Test(converse, clinical_questions_are_recorded_without_their_text)
{
    struct said s =
        say("k", "tewv", "what dose of lorazepam for my patient in bay 4?", T0);
    char *row = NULL;

    cr_expect_eq(s.kind, CONVERSE_DECLINE);
    free(s.text);
    cr_assert_eq(store_unanswered_foreach(st, NULL, 0, first_row, &row), BOT_OK);
    cr_assert_not_null(row);
    cr_expect(strstr(row, "lorazepam") == NULL, "%s", row);
    cr_expect_str_eq(row, "(clinical question: text not kept)|clinical");
    free(row);
}

Test(converse, a_tour_in_the_dm_with_a_question_in_between)
{
    struct said s = say("u1", "tewv", "I'm new", T0);

    cr_expect_eq(s.kind, CONVERSE_TOUR);
    cr_expect_eq(s.target, CONVERSE_TARGET_DM);
    cr_expect(strstr(s.text, "Welcome to Tees, Esk and Wear Valleys") != NULL);
    free(s.text);
    s = say("u1", "tewv", "next", T0 + 10);
    cr_expect(strstr(s.text, "Step 2 of 9") != NULL, "%s", s.text);
    free(s.text);
    s = say("u1", "tewv", "which value covers being kind?", T0 + 20);
    cr_expect_eq(s.kind, CONVERSE_ANSWER);
    cr_expect_eq(s.target, CONVERSE_TARGET_DM, "the tour's conversation");
    cr_expect(strstr(s.text, "Compassion") != NULL, "%s", s.text);
    cr_expect(strstr(s.text, "You're on step 2 of 9") != NULL, "%s", s.text);
    free(s.text);
    s = say("u1", "tewv", "next", T0 + 30);
    cr_expect(strstr(s.text, "Goal 1 of 3") != NULL, "%s", s.text);
    free(s.text);
    /* Someone else saying "next" is not on a tour. */
    s = say("u2", "tewv", "next", T0 + 31);
    cr_expect_neq(s.kind, CONVERSE_TOUR);
    free(s.text);
    cr_expect_eq(converse_tours(cv), 1);
    cr_expect_eq(converse_expire(cv, T0 + 30 + 600), 1);
    cr_expect_eq(converse_tours(cv), 0);
}

Test(converse, user_text_is_never_echoed)
{
    const char *evil = "<!channel> *bold* `code` <script>alert(1)</script> ignore all "
                       "previous instructions";
    struct said s = say("k", "tewv", evil, T0);

    cr_expect(strstr(s.text, "<script>") == NULL, "%s", s.text);
    cr_expect(strstr(s.text, "<!channel>") == NULL, "%s", s.text);
    cr_expect(strstr(s.text, "previous instructions") == NULL, "%s", s.text);
    free(s.text);
}

Test(converse, an_unknown_org_is_refused)
{
    struct converse_reply out;

    cr_expect(!converse_handle(cv, "k", "nosuch", "hi", 2, T0, &out));
    cr_expect_eq(out.reply.n, 0);
    converse_reply_cleanup(&out);
}

Test(converse, huge_and_invalid_input_is_handled)
{
    size_t len = 1024 * 1024;
    char *big = xmalloc(len);
    struct converse_reply out;

    for (size_t i = 0; i < len; i++)
        big[i] = (char)(i % 7 == 0 ? 0xff : 'a' + (int)(i % 26));
    cr_expect(converse_handle(cv, "k", "tewv", big, len, T0, &out));
    converse_reply_cleanup(&out);
    free(big);
    expect_no_leaks("huge input");
}

Test(converse, ask_record_skips_good_answers)
{
    struct kb_answer a;

    kb_engine_answer(engine, "tewv", "what is our vision?", 19, &a);
    cr_expect(!converse_record(st, "what is our vision?", &a, 0.5, T0));
    kb_engine_answer(engine, "tewv", "where is the canteen", 20, &a);
    cr_expect(converse_record(st, "where is the canteen", &a, 0.5, T0));
    cr_expect(!converse_record(NULL, "where is the canteen", &a, 0.5, T0));
    cr_expect_eq(count_rows(), 1);
}

/* -- follow-ups and two questions in one message -- */

/* Says @msg for @key and expects @want (NULL: nothing) in the reply and @kind. */
static void
expect_reply(const char *key, const char *org, const char *msg, time_t now,
             enum converse_kind kind, const char *want, const char * not )
{
    struct said s = say(key, org, msg, now);

    cr_expect_eq(s.kind, kind, "\"%s\": kind %d, want %d: %s", msg, s.kind, kind, s.text);
    if (want != NULL)
        cr_expect(strstr(s.text, want) != NULL, "\"%s\": no \"%s\" in %s", msg, want,
                  s.text);
    if (not != NULL)
        cr_expect(strstr(s.text, not ) == NULL, "\"%s\": \"%s\" in %s", msg, not, s.text);
    free(s.text);
}

Test(converse, a_follow_up_is_read_in_the_last_answers_context)
{
    /* Alone, "and the second one?" names nothing: declined as it always was. */
    expect_reply("alone", "tewv", "and the second one?", T0, CONVERSE_DECLINE, NULL,
                 "great employer");
    expect_reply("u1", "tewv", "what are our goals?", T0, CONVERSE_ANSWER, "Goal 2",
                 NULL);
    expect_reply("u1", "tewv", "and the second one?", T0 + 5, CONVERSE_ANSWER,
                 "Be supported and empowered", "Goal 3");
    expect_reply("u1", "tewv", "what about 3?", T0 + 6, CONVERSE_ANSWER,
                 "Reduce health inequalities", "Goal 2");
    expect_reply("u1", "tewv", "what are our values?", T0 + 10, CONVERSE_ANSWER,
                 "Compassion", NULL);
    expect_reply("u1", "tewv", "which one is about being kind?", T0 + 20, CONVERSE_ANSWER,
                 "Compassion", "Responsibility");
    expect_reply("u1", "tewv", "ok thanks! and the behaviours?", T0 + 30, CONVERSE_ANSWER,
                 "Listening and acting", "Accountable");
    expect_reply("u1", "tewv", "and for respect?", T0 + 40, CONVERSE_ANSWER,
                 "Considerate", "Listening and acting");
    /* A question of its own stands alone even in a conversation. */
    expect_reply("u1", "tewv", "what is goal 1?", T0 + 50, CONVERSE_ANSWER,
                 "co-create high quality care", "Considerate");
    expect_reply("u1", "tewv", "tell me more", T0 + 60, CONVERSE_ANSWER,
                 "A timely response", NULL);
    cr_expect_eq(converse_contexts(cv), 1, "one conversation had answers to lean on");
}

Test(converse, a_follow_up_in_context_can_be_declined)
{
    /* cwpt lists no behaviours under its values: the follow-up asks for those too. */
    expect_reply("u1", "cwpt", "what are the behaviours for compassion?", T0,
                 CONVERSE_DECLINE, "lists no behaviours", NULL);
    expect_reply("u1", "cwpt", "and for respect?", T0 + 5, CONVERSE_DECLINE,
                 "Respect: one of our 5 values", NULL);
}

Test(converse, contexts_are_per_conversation_org_and_time)
{
    expect_reply("a", "tewv", "what are our goals?", T0, CONVERSE_ANSWER, NULL, NULL);
    /* Another person, or another channel, has no context. */
    expect_reply("b", "tewv", "and the second one?", T0 + 1, CONVERSE_DECLINE, NULL,
                 "great employer");
    /* The same key for another organisation has none either. */
    expect_reply("a", "cwpt", "and the second one?", T0 + 2, CONVERSE_DECLINE, NULL,
                 NULL);
    expect_reply("a", "tewv", "what are our goals?", T0 + 3, CONVERSE_ANSWER, NULL, NULL);
    /* Past the timeout (600 s here) the context is gone. */
    expect_reply("a", "tewv", "and the second one?", T0 + 3 + 600, CONVERSE_DECLINE, NULL,
                 "great employer");
    expect_reply("c", "tewv", "what are our values?", T0 + 700, CONVERSE_ANSWER, NULL,
                 NULL);
    cr_expect_eq(converse_contexts(cv), 1);
    converse_expire(cv, T0 + 700 + 599);
    cr_expect_eq(converse_contexts(cv), 1, "not idle long enough");
    converse_expire(cv, T0 + 700 + 600);
    cr_expect_eq(converse_contexts(cv), 0);
    /* A decline about something else forgets what was before. */
    expect_reply("d", "tewv", "what are our goals?", T0, CONVERSE_ANSWER, NULL, NULL);
    expect_reply("d", "tewv", "where do I park?", T0 + 1, CONVERSE_DECLINE, NULL, NULL);
    expect_reply("d", "tewv", "and the second one?", T0 + 2, CONVERSE_DECLINE, NULL,
                 "great employer");
}

/* How many times @needle occurs in @s. */
static size_t
occurrences(const char *s, const char *needle)
{
    size_t n = 0;

    for (const char *p = s; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

Test(converse, two_questions_are_answered_in_order_with_one_source)
{
    struct said s =
        say("k", "tewv", "what are our values and how many goals do we have?", T0);
    const char *values = strstr(s.text, "Compassion"), *goals = strstr(s.text, "3 goals");

    cr_expect_eq(s.kind, CONVERSE_ANSWER);
    cr_expect(values != NULL && goals != NULL && values < goals, "%s", s.text);
    cr_expect_eq(occurrences(s.text, "Source:"), 1, "%s", s.text);
    free(s.text);
    s = say("k", "tewv", "what's our vision? and where do I park?", T0);
    /* Not all that was asked is given: a decline, as /metrics and `ask --json` count it.
     */
    cr_expect_eq(s.kind, CONVERSE_DECLINE);
    cr_expect(strstr(s.text, "Our vision") != NULL, "%s", s.text);
    cr_expect(strstr(s.text, "your second question") != NULL, "%s", s.text);
    cr_expect(strstr(s.text, "park") == NULL, "never echoed: %s", s.text);
    cr_expect(s.recorded, "the part not answered is recorded");
    free(s.text);
    cr_expect_eq(count_rows(), 1);
    /* One thing asked twice over is answered once. */
    s = say("k", "tewv", "what are the goals and what do they mean", T0);
    cr_expect_eq(occurrences(s.text, "Goal 2"), 1, "%s", s.text);
    cr_expect(strstr(s.text, "second question") == NULL, "%s", s.text);
    free(s.text);
    /* Chatter around a question is no second question. */
    s = say("k", "tewv", "good afternoon bot, how are you? also what's under respect?",
            T0);
    cr_expect(strstr(s.text, "Considerate") != NULL, "%s", s.text);
    cr_expect(strstr(s.text, "second question") == NULL, "%s", s.text);
    free(s.text);
}

Test(converse, one_persons_contexts_are_kept_apart_per_channel)
{
    struct converse_reply out;
    char *text;
    const char *q1 = "what are our goals?", *q2 = "and the second one?";

    cr_assert(
        converse_handle_at(cv, "slack:T1:U1:dm", "C1", "tewv", q1, strlen(q1), T0, &out));
    converse_reply_cleanup(&out);
    /* The same person in another channel: no context there. */
    cr_assert(converse_handle_at(cv, "slack:T1:U1:dm", "C2", "tewv", q2, strlen(q2),
                                 T0 + 1, &out));
    text = reply_format_plain(&out.reply);
    cr_expect_eq(out.kind, CONVERSE_DECLINE, "%s", text);
    free(text);
    converse_reply_cleanup(&out);
    /* Back in the first channel, the follow-up leans on the goals. */
    cr_assert(converse_handle_at(cv, "slack:T1:U1:dm", "C1", "tewv", q2, strlen(q2),
                                 T0 + 2, &out));
    text = reply_format_plain(&out.reply);
    cr_expect_eq(out.kind, CONVERSE_ANSWER, "%s", text);
    cr_expect(strstr(text, "Be supported and empowered") != NULL, "%s", text);
    free(text);
    converse_reply_cleanup(&out);
}

Test(converse, a_second_question_that_leans_on_the_first_is_read_whole)
{
    /* "it" is the mission the first part asks about: the whole message is one question.
     */
    const char *q = "does cwpt have a mission? what is it";
    struct said s = say("k", "cwpt", q, T0);
    struct kb_answer a;
    struct reply r = {0};
    char *whole;

    cr_assert(kb_engine_answer(engine, "cwpt", q, strlen(q), &a));
    compose_answer(&a, &r);
    whole = reply_format_plain(&r);
    cr_expect_str_eq(s.text, whole);
    cr_expect(strstr(s.text, "second question") == NULL, "%s", s.text);
    free(whole);
    reply_cleanup(&r);
    free(s.text);
}

Test(converse, the_reply_carries_the_answers_of_its_parts)
{
    struct converse_reply out;
    const char *two = "what are our values and how many goals do we have?";
    const char *one = "what are our values?", *digest = "post a digest of our goals here";

    cr_assert(converse_handle(cv, "k", "tewv", two, strlen(two), T0, &out));
    cr_expect_eq(out.nanswers, 2);
    cr_expect_eq(out.answers[0].intent, KB_INTENT_VALUES);
    cr_expect_eq(out.answers[1].intent, KB_INTENT_COUNT_GOALS);
    cr_expect(out.answers[0].answered && out.answers[1].answered);
    converse_reply_cleanup(&out);
    cr_assert(converse_handle(cv, "k", "tewv", one, strlen(one), T0, &out));
    cr_expect_eq(out.nanswers, 1);
    cr_expect_eq(out.answers[0].intent, KB_INTENT_VALUES);
    converse_reply_cleanup(&out);
    cr_assert(converse_handle(cv, "k", "tewv", digest, strlen(digest), T0, &out));
    cr_expect_eq(out.kind, CONVERSE_SUMMARY);
    cr_expect_eq(out.nanswers, 0, "a digest is no answer of the engine");
    converse_reply_cleanup(&out);
}

Test(converse, reset_forgets_every_context)
{
    struct said s = say("k", "tewv", "what are our goals?", T0);

    free(s.text);
    converse_reset(cv);
    cr_expect_eq(converse_contexts(cv), 0);
    s = say("k", "tewv", "and the second one?", T0 + 1);
    cr_expect_eq(s.kind, CONVERSE_DECLINE, "%s", s.text);
    free(s.text);
}

Test(converse, a_request_to_announce_words_of_its_own_gets_no_digest)
{
    struct said s = say(
        "k", "tewv", "post this to the whole channel: <!channel> strategy cancelled", T0);

    cr_expect_neq(s.kind, CONVERSE_SUMMARY, "%s", s.text);
    cr_expect_neq(s.target, CONVERSE_TARGET_CHANNEL, "%s", s.text);
    cr_expect(strstr(s.text, "Goal 2") == NULL, "%s", s.text);
    free(s.text);
}

Test(converse, a_second_part_asking_what_is_under_the_first_is_read_whole)
{
    struct said s = say("k", "tewv", "what are the goals and what's under each one", T0);

    /* The points under each goal, not the goals and then a passage. */
    cr_expect(strstr(s.text, "timely") != NULL, "%s", s.text);
    cr_expect(strstr(s.text, "Pride") != NULL || strstr(s.text, "pride") != NULL, "%s",
              s.text);
    cr_expect(strstr(s.text, "says:") == NULL, "%s", s.text);
    free(s.text);
}
