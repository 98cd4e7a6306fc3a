/* test_mm_glance.c - the look at a Mattermost frame before it is read whole:
 * which frames it drops (events with no question, our own posts), with what
 * seq, and that it leaves everything else to the strict reader. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "bot/adapters/mattermost/mattermost_int.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/chat_event.h"

#define SELF "botuserid0000000000000000a"
#define NAME "valuesbot"

static void
setup(void)
{
    xmalloc_json_init();
}

TestSuite(mm_glance, .init = setup);

/* A `posted` frame by @user, new string: the post a JSON string in data.post. */
static char *
posted_by(const char *user, const char *message)
{
    json_t *post = json_pack(
        "{s:s, s:I, s:s, s:s, s:s, s:s, s:{}}", "id", "post0000000000000000000po",
        "create_at", (json_int_t)1700000000000, "user_id", user, "channel_id",
        "chan00000000000000000000ch", "message", message, "type", "", "props");
    char *post_text = json_dumps(post, JSON_COMPACT);
    json_t *o = json_pack("{s:s, s:{s:s, s:s}, s:{s:s}, s:i}", "event", "posted", "data",
                          "channel_type", "O", "post", post_text, "broadcast",
                          "channel_id", "chan00000000000000000000ch", "seq", 12);
    char *s = json_dumps(o, JSON_COMPACT);

    json_decref(o);
    json_decref(post);
    free(post_text);
    return s;
}

/* The strict reader's verdict must never be a question for a frame the look drops. */
static void
expect_dropped(const char *frame, long long want_seq)
{
    long long seq = -2;
    struct chat_event ev;
    struct mm_frame f;

    cr_expect(mm_frame_glance(frame, strlen(frame), SELF, &seq), "%s", frame);
    cr_expect_eq(seq, want_seq, "%s: seq %lld", frame, seq);
    cr_expect_neq(mm_event_parse(SELF, NAME, frame, strlen(frame), &ev), BOT_OK, "%s",
                  frame);
    chat_event_cleanup(&ev);
    if (mm_frame_parse(frame, strlen(frame), &f) == BOT_OK)
        cr_expect_eq(f.seq, seq, "%s: the strict reader's seq", frame);
    mm_frame_cleanup(&f);
}

static void
expect_kept(const char *frame)
{
    long long seq;

    cr_expect_not(mm_frame_glance(frame, strlen(frame), SELF, &seq), "%s", frame);
}

Test(mm_glance, events_with_no_question_dropped_with_their_seq)
{
    expect_dropped(
        "{\"event\":\"typing\",\"data\":{\"parent_id\":\"\",\"user_id\":\"u1\"},"
        "\"broadcast\":{\"channel_id\":\"c\"},\"seq\":3}",
        3);
    expect_dropped(" { \"event\" : \"channel_viewed\" , \"seq\" : 0 } ", 0);
    expect_dropped("{\"event\":\"post_edited\",\"data\":{\"post\":\"{}\"},\"seq\":4}", 4);
    expect_dropped(
        "{\"seq\":41,\"event\":\"status_change\",\"data\":{\"s\":[1,{\"a\":\"}\"}]}}",
        41);
    expect_dropped("{\"event\":\"typing\"}", -1);
}

Test(mm_glance, our_own_post_dropped_and_anyone_elses_kept)
{
    char *own = posted_by(SELF, "Here is what the strategy says: \"care\" \\ more"),
         *other =
             posted_by("alice0000000000000000000al", "@valuesbot what are our values?"),
         *echo = posted_by("alice0000000000000000000al", "\"user_id\":\"" SELF "\"");

    expect_dropped(own, 12);
    expect_kept(other);
    expect_kept(echo); /* the id inside the message is not the author */
    free(own);
    free(other);
    free(echo);
}

Test(mm_glance, anything_unsure_left_to_the_strict_reader)
{
    static const char *const kept[] = {
        "{\"event\":\"hello\",\"data\":{\"connection_id\":\"c1\"},\"seq\":0}",
        "{\"status\":\"OK\",\"seq_reply\":2,\"data\":{\"text\":\"pong\"}}",
        "{\"event\":\"posted\",\"data\":{\"post\":\"{}\"},\"seq\":5}",
        "{\"event\":\"posted\",\"seq\":5}",
        "",
        "not json",
        "[\"event\",\"typing\"]",
        "{\"event\":\"typing\",\"seq\":3",           /* does not close */
        "{\"event\":\"typing\",\"seq\":3}x",         /* trailing bytes */
        "{\"event\":\"typing\",\"data\":{\"a\":\"}", /* a string that does not end */
        "{\"event\":\"posted\",\"event\":\"typing\",\"seq\":3}",
        "{\"ev\\u0065nt\":\"posted\",\"seq\":3}",
        "{\"event\":\"typing\",\"seq\":3,\"x\":1}x",
        "{\"event\":\"post\\u0065d\",\"seq\":3}",
        "{\"event\":5,\"seq\":3}",
        "{\"event\":\"typing\",\"seq\":-3}",
        "{\"event\":\"typing\",\"seq\":1.5}",
        "{\"event\":\"typing\",\"seq\":1e3}",
        "{\"event\":\"typing\",\"seq\":03}",
        "{\"event\":\"typing\",\"seq\":\"3\"}",
        "{\"event\":\"typing\",\"seq\":12345678901234567890}",
    };

    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
        expect_kept(kept[i]);
}

Test(mm_glance, no_self_id_drops_no_post)
{
    char *own = posted_by(SELF, "hello");
    long long seq;

    cr_expect_not(mm_frame_glance(own, strlen(own), NULL, &seq));
    free(own);
}

/* The look checks no more than it reads: a malformed frame of an event with
 * no question is ignored (the strict reader refuses it), never a question. */
Test(mm_glance, malformed_events_with_no_question_ignored)
{
    expect_dropped("{\"event\":\"typing\",\"event\":\"posted\",\"seq\":3}", 3);
    expect_dropped("{\"ev\\u0065nt\":\"posted\",\"event\":\"typing\",\"seq\":3}", 3);
    expect_dropped("{\"event\":\"typing\",\"data\":{\"a\":\"\x01\\q\"},\"seq\":5}", 5);
    expect_dropped("{\"event\":\"typing\",\"data\":[}},\"seq\":6}", 6);
}
