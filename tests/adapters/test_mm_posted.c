/* test_mm_posted.c - a posted frame read in one pass (mm_posted.c): what it
 * takes it reads as the steps do (frame, then the post decoded, then read),
 * and what it does not take it leaves to them. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/adapters/mattermost/mm_priv.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/chat_event.h"

#define SELF "botuserid0000000000000000a"
#define NAME "valuesbot"

static void
setup(void)
{
    xmalloc_json_init();
}

TestSuite(mm_posted, .init = setup);

/* A posted frame whose data.post is @post, written as it stands in the frame
 * (already escaped once). */
static char *
frame_with(const char *post)
{
    const char *head = "{\"event\":\"posted\",\"data\":{\"channel_type\":\"O\","
                       "\"mentions\":\"[\\\"" SELF "\\\"]\",\"post\":\"";
    const char *tail = "\",\"team_id\":\"team0000000000000000000000t\"},"
                       "\"broadcast\":{\"channel_id\":\"c\"},\"seq\":7}";
    size_t n = strlen(head) + strlen(post) + strlen(tail) + 1;
    char *s = xmalloc(n);

    memcpy(s, head, strlen(head));
    memcpy(s + strlen(head), post, strlen(post));
    memcpy(s + strlen(head) + strlen(post), tail, strlen(tail) + 1);
    return s;
}

/* A post's members before and after its message, escaped once. */
#define POST_HEAD                                                                        \
    "{\\\"id\\\":\\\"post0000000000000000000po\\\",\\\"create_at\\\":1700000000000,"     \
    "\\\"user_id\\\":\\\"user00000000000000000000us\\\",\\\"channel_id\\\":"             \
    "\\\"chan00000000000000000000ch\\\",\\\"root_id\\\":\\\"\\\",\\\"message\\\":\\\""
#define POST_TAIL "\\\",\\\"type\\\":\\\"\\\",\\\"props\\\":{},\\\"metadata\\\":{}}"

/* The steps' verdict on @frame: the frame read, then its event. */
static enum bot_err
in_steps(const char *frame, struct chat_event *ev)
{
    struct mm_frame f;
    enum bot_err err;

    memset(ev, 0, sizeof(*ev));
    if ((err = mm_frame_read(frame, strlen(frame), &f)) == BOT_OK)
        err = mm_event_from_frame(SELF, NAME, &f, ev);
    mm_frame_cleanup(&f);
    return err;
}

/* The one pass and the steps agree on @frame; returns the one pass's verdict
 * (BOT_EAGAIN: left to the steps) and its text in @text (when OK). */
static enum bot_err
agree(const char *frame, char *text, size_t max)
{
    struct chat_event one, two;
    long long seq, look_seq;
    bool own;
    enum bot_err e1 = mm_posted_read(SELF, NAME, frame, strlen(frame), &seq, &own, &one);
    enum bot_err e2 = in_steps(frame, &two);

    if (own) {
        /* Our own post: dropped as the look drops it, with its seq. */
        cr_expect_eq(e1, BOT_EIGNORE, "%s", frame);
        cr_expect(mm_frame_glance(frame, strlen(frame), SELF, &look_seq), "%s", frame);
        cr_expect_eq(seq, look_seq, "%s", frame);
    } else if (e1 != BOT_EAGAIN) {
        cr_expect_eq(e1, e2, "%s: one pass %d, steps %d", frame, e1, e2);
        if (e1 == BOT_OK && e2 == BOT_OK) {
            cr_expect_str_eq(one.text, two.text, "%s", frame);
            cr_expect_str_eq(one.user, two.user, "%s", frame);
            cr_expect_str_eq(one.channel, two.channel, "%s", frame);
            cr_expect_str_eq(one.thread, two.thread, "%s", frame);
            cr_expect_eq(seq, 7);
            if (text != NULL)
                snprintf(text, max, "%s", one.text);
        }
    }
    chat_event_cleanup(&one);
    chat_event_cleanup(&two);
    return e1;
}

static enum bot_err
agree_message(const char *message, char *text, size_t max)
{
    size_t n = strlen(POST_HEAD) + strlen(message) + strlen(POST_TAIL) + 1;
    char *post = xmalloc(n), *frame;
    enum bot_err err;

    snprintf(post, n, "%s%s%s", POST_HEAD, message, POST_TAIL);
    frame = frame_with(post);
    err = agree(frame, text, max);
    free(frame);
    free(post);
    return err;
}

Test(mm_posted, a_question_is_read_in_one_pass)
{
    char text[256];

    cr_assert_eq(agree_message("@valuesbot what are our values?", text, sizeof(text)),
                 BOT_OK);
    cr_expect_str_eq(text, "what are our values?");
}

Test(mm_posted, escapes_of_the_post_and_of_the_frame_decode_as_in_steps)
{
    /* In the frame's text: \\\" is a quote of the message, \\n a newline,
     * \\\\ a backslash, \u003c (Go's way with <) a character of the frame's
     * string, \\u00e9 an escape of the post's. */
    static const struct {
        const char *name, *message, *want;
    } rows[] = {
        {"quote", "@valuesbot say \\\\\\\"hi\\\\\\\"", "say \"hi\""},
        {"newline", "@valuesbot a\\\\nb", "a\nb"},
        {"backslash", "@valuesbot a\\\\\\\\b", "a\\b"},
        {"slashes", "@valuesbot a\\/b\\\\/c\\\\\\/d", "a/b/c/d"},
        {"frame's \\u", "@valuesbot \\u003cb\\u003e \\u0026 \\u2028",
         "<b> & \xe2\x80\xa8"},
        {"post's \\u", "@valuesbot caf\\\\u00e9", "caf\xc3\xa9"},
        {"surrogate pair", "@valuesbot \\\\ud83d\\\\ude00!", "\xf0\x9f\x98\x80!"},
        {"raw UTF-8", "@valuesbot caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac"},
    };

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        char text[256] = "";

        cr_expect_eq(agree_message(rows[i].message, text, sizeof(text)), BOT_OK, "%s",
                     rows[i].name);
        cr_expect_str_eq(text, rows[i].want, "%s", rows[i].name);
    }
}

Test(mm_posted, what_it_does_not_take_is_left_to_the_steps)
{
    static const struct {
        const char *name, *message;
    } rows[] = {
        {"lone high surrogate", "@valuesbot \\\\ud83d!"},
        {"lone low surrogate", "@valuesbot \\\\ude00!"},
        {"\\u0000 in the post", "@valuesbot a\\\\u0000b"},
        {"a control byte in the post", "@valuesbot a\\nb"},
        {"the frame's surrogate", "@valuesbot \\ud83d\\ude00"},
        {"a quote by \\u", "@valuesbot a\\u0022b"},
        {"invalid UTF-8", "@valuesbot caf\xc3 x"},
        {"overlong UTF-8", "@valuesbot \xc0\xaf"},
        {"bad escape", "@valuesbot \\\\x41"},
        {"short \\u", "@valuesbot \\\\u12"},
    };

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        cr_expect_eq(agree_message(rows[i].message, NULL, 0), BOT_EAGAIN, "%s",
                     rows[i].name);
}

Test(mm_posted, malformed_posts_and_frames_are_the_steps_to_judge)
{
    static const char *const posts[] = {
        "{\\\"id\\\":1",                               /* post does not close */
        "{\\\"id\\\":\\\"a\\\",\\\"id\\\":\\\"b\\\"}", /* a key twice */
        "{\\\"i\\\\u0064\\\":\\\"a\\\"}",              /* a key with an escape */
        "[1,2]",                                       /* not an object */
        "{\\\"n\\\":1e5}",                             /* an exponent */
        "{\\\"n\\\":0123}",                            /* a leading zero */
        "{\\\"n\\\":1234567890123456}",                /* too many digits */
        "{\\\"a\\\":tru}",                             /* a broken literal */
        "{\\\"a\\\":[1,]}",                            /* a trailing comma */
        "{\\\"a\\\":1}  x",                            /* text after the post */
        "{\\\"a\\\":\\t1}",                            /* a tab by escape */
        "{\\\"a\\\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
        "}",
    };

    for (size_t i = 0; i < sizeof(posts) / sizeof(posts[0]); i++) {
        char *frame = frame_with(posts[i]);

        cr_expect_eq(agree(frame, NULL, 0), BOT_EAGAIN, "%s", posts[i]);
        free(frame);
    }
    /* A frame broken after a good post: the steps'. */
    cr_expect_eq(
        agree("{\"event\":\"posted\",\"data\":{\"post\":\"{}\"},\"seq\":", NULL, 0),
        BOT_EAGAIN);
    /* Other events, and posted written otherwise: the steps'. */
    cr_expect_eq(agree("{\"event\":\"typing\",\"data\":{},\"seq\":1}", NULL, 0),
                 BOT_EAGAIN);
    cr_expect_eq(
        agree("{\"seq\":1,\"event\":\"posted\",\"data\":{\"post\":\"{}\"}}", NULL, 0),
        BOT_EAGAIN);
}

Test(mm_posted, posts_that_are_no_question_for_us_agree)
{
    /* A bot's post, a bad id: read in one pass, judged as before. */
    {
        char *frame = frame_with(
            "{\\\"id\\\":\\\"post0000000000000000000po\\\",\\\"user_id\\\":"
            "\\\"user00000000000000000000us\\\",\\\"channel_id\\\":"
            "\\\"chan00000000000000000000ch\\\",\\\"message\\\":\\\"@valuesbot hi\\\","
            "\\\"props\\\":{\\\"from_bot\\\":\\\"true\\\"}}");

        cr_expect_eq(agree(frame, NULL, 0), BOT_EIGNORE);
        free(frame);
    }
    {
        char *frame = frame_with("{\\\"id\\\":\\\"bad id!\\\",\\\"user_id\\\":"
                                 "\\\"user00000000000000000000us\\\",\\\"channel_id\\\":"
                                 "\\\"chan00000000000000000000ch\\\",\\\"message\\\":"
                                 "\\\"@valuesbot hi\\\"}");

        cr_expect_eq(agree(frame, NULL, 0), BOT_EPARSE);
        free(frame);
    }
}

Test(mm_posted, our_own_post_is_dropped_as_the_look_drops_it)
{
    char *frame =
        frame_with("{\\\"id\\\":\\\"post0000000000000000000po\\\",\\\"user_id\\\":"
                   "\\\"" SELF "\\\",\\\"channel_id\\\":"
                   "\\\"chan00000000000000000000ch\\\",\\\"message\\\":\\\"hi\\\"}");
    long long seq;
    bool own;
    struct chat_event ev;

    cr_expect_eq(mm_posted_read(SELF, NAME, frame, strlen(frame), &seq, &own, &ev),
                 BOT_EIGNORE);
    cr_expect(own);
    cr_expect_eq(seq, 7);
    cr_expect_eq(agree(frame, NULL, 0), BOT_EIGNORE);
    free(frame);
}

Test(mm_posted, our_own_post_the_look_would_not_see_is_left_to_the_steps)
{
    /* A \\u escape of the frame's before the user_id stops the look; a
     * user_id written with an escape is not the look's either. */
    static const char *const posts[] = {
        "{\\\"id\\\":\\\"p\\u0061\\\",\\\"user_id\\\":\\\"" SELF "\\\"}",
        "{\\\"id\\\":\\\"p\\\",\\\"user_id\\\":"
        "\\\"botuserid000000000000000\\\\u0030a\\\"}",
    };

    for (size_t i = 0; i < sizeof(posts) / sizeof(posts[0]); i++) {
        char *frame = frame_with(posts[i]);
        long long seq;
        bool own;
        struct chat_event ev;

        cr_expect_eq(mm_posted_read(SELF, NAME, frame, strlen(frame), &seq, &own, &ev),
                     BOT_EAGAIN, "%s", posts[i]);
        cr_expect_not(own);
        chat_event_cleanup(&ev);
        free(frame);
    }
}
