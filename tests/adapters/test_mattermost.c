/* test_mattermost.c - Mattermost frames in, events out; Markdown out; post outcomes;
 * seq tracking. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "bot/adapters/mattermost/mattermost_int.h"
#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/chat_event.h"
#include "bot/net/http.h"
#include "tests/test_util.h"

#define SELF "botuserid0000000000000000a"
#define NAME "valuesbot"
#define PID  "p5t4kz9hbpfo7q8k3mxcyfj1ce"
#define CH   "chan00000000000000000000ch"
#define ROOT "root00000000000000000000rt"

static void
setup(void)
{
    xmalloc_json_init();
}

TestSuite(mattermost, .init = setup);

/*
 * Returns a `posted` frame, new string: @post (JSON object text) is put in
 * data.post as a JSON string, as the server does.  @mentions may be NULL.
 */
static char *
posted(const char *ctype, const char *mentions, const char *post)
{
    json_t *data =
        json_pack("{s:s, s:s, s:s, s:s}", "channel_type", ctype, "post", post, "team_id",
                  "team0000000000000000000tm", "sender_name", "@alice");
    json_t *o;
    char *s;

    if (mentions != NULL)
        json_object_set_new(data, "mentions", json_string(mentions));
    o = json_pack("{s:s, s:o, s:{s:s}, s:i}", "event", "posted", "data", data,
                  "broadcast", "channel_id", CH, "seq", 7);
    s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

#define POST(extra, msg)                                                                 \
    "{\"id\":\"" PID                                                                     \
    "\",\"user_id\":\"alice0000000000000000000al\",\"channel_id\":\"" CH                 \
    "\",\"message\":\"" msg "\",\"type\":\"\",\"props\":{}" extra "}"

struct parse_case {
    const char *name; /* printed when the case fails */
    const char *ctype;
    const char *mentions;
    const char *post;
    enum bot_err want;
    const char *want_text;   /* checked only when want == BOT_OK */
    const char *want_thread; /* NULL: no thread */
    bool want_dm;
};

static const struct parse_case cases[] = {
    {"channel mention answered in a new thread on the post", "O", "[\"" SELF "\"]",
     POST(",\"root_id\":\"\"", "@valuesbot what are our values?"), BOT_OK,
     "what are our values?", PID, false},
    {"mention inside a thread answers the thread's root", "P", "[\"" SELF "\"]",
     POST(",\"root_id\":\"" ROOT "\"", "@valuesbot goals?"), BOT_OK, "goals?", ROOT,
     false},
    {"direct message answered without a mention, not in a thread", "D", NULL,
     POST("", "what is our vision?"), BOT_OK, "what is our vision?", NULL, true},
    {"direct message inside a thread stays in the thread", "D", NULL,
     POST(",\"root_id\":\"" ROOT "\"", "and goal 2?"), BOT_OK, "and goal 2?", ROOT, true},
    {"text mention counts when data.mentions is absent (older servers)", "O", NULL,
     POST("", "hey @ValuesBot, what is goal 1?"), BOT_OK, "hey , what is goal 1?", PID,
     false},
    {"mentions that is not JSON falls back to the text", "O", "not json",
     POST("", "@valuesbot: values"), BOT_OK, "values", PID, false},
    {"channel post without a mention is not for us", "O", NULL,
     POST("", "what are our values?"), BOT_EIGNORE, NULL, NULL, false},
    {"group DM without a mention is not for us", "G", "[]", POST("", "values?"),
     BOT_EIGNORE, NULL, NULL, false},
    {"a longer user name is not our mention", "O", NULL,
     POST("", "@valuesbot2 @valuesbot.old values?"), BOT_EIGNORE, NULL, NULL, false},
    {"an e-mail address is not a mention", "O", NULL, POST("", "mail x@valuesbot now"),
     BOT_EIGNORE, NULL, NULL, false},
    {"mentions of someone else only", "O", "[\"someone0000000000000000so\"]",
     POST("", "@alice values"), BOT_EIGNORE, NULL, NULL, false},
    {"mentions with white space, ours second", "O",
     " [ \"someone0000000000000000so\" ,\n\"" SELF "\" ] ", POST("", "values?"), BOT_OK,
     "values?", PID, false},
    {"mentions with an escape in an id", "O", "[\"\\u0062otuserid0000000000000000a\"]",
     POST("", "values?"), BOT_OK, "values?", PID, false},
    {"mentions holding something else than ids", "O", "[\"" SELF "\", 5, {}]",
     POST("", "values?"), BOT_OK, "values?", PID, false},
    {"mentions with text after the list falls back to the text", "O", "[\"" SELF "\"] x",
     POST("", "values?"), BOT_EIGNORE, NULL, NULL, false},
    {"our user id inside a person's post is not our post", "O", "[\"" SELF "\"]",
     POST(",\"metadata\":{\"user_id\":\"" SELF "\"}", "@valuesbot values"), BOT_OK,
     "values", PID, false},
    {"our own post with its user_id after the message is never answered", "O",
     "[\"" SELF "\"]",
     "{\"id\":\"" PID "\",\"channel_id\":\"" CH "\",\"message\":\"@valuesbot "
     "\\\"user_id\\\":\\\"x\\\"\",\"user_id\":\"" SELF "\",\"type\":\"\"}",
     BOT_EIGNORE, NULL, NULL, false},
    {"our own post is never answered", "D", NULL,
     "{\"id\":\"" PID "\",\"user_id\":\"" SELF "\",\"channel_id\":\"" CH
     "\",\"message\":\"Our values are\",\"type\":\"\",\"props\":{}}",
     BOT_EIGNORE, NULL, NULL, false},
    {"our own post is dropped at its user_id, unread past it", "D", NULL,
     "{\"id\":\"" PID "\",\"user_id\":\"" SELF "\",\"message\":\"cut off", BOT_EIGNORE,
     NULL, NULL, false},
    {"a person's post broken after its user_id is read whole and refused", "D", NULL,
     "{\"id\":\"" PID "\",\"user_id\":\"alice0000000000000000000al\",\"message\":"
     "\"cut off",
     BOT_EPARSE, NULL, NULL, false},
    {"another bot's post is ignored", "O", "[\"" SELF "\"]",
     POST(",\"props\":{\"from_bot\":\"true\"}", "@valuesbot values"), BOT_EIGNORE, NULL,
     NULL, false},
    {"a webhook's post is ignored", "O", "[\"" SELF "\"]",
     POST(",\"props\":{\"from_webhook\":\"true\"}", "@valuesbot values"), BOT_EIGNORE,
     NULL, NULL, false},
    {"system posts are ignored", "O", "[\"" SELF "\"]",
     "{\"id\":\"" PID "\",\"user_id\":\"alice0000000000000000000al\",\"channel_id\":\"" CH
     "\",\"message\":\"@valuesbot joined\",\"type\":\"system_join_channel\"}",
     BOT_EIGNORE, NULL, NULL, false},
    {"NUL in the message becomes a space", "D", NULL, POST("", "values\\u0000now"),
     BOT_OK, "values now", NULL, true},
    {"a lone surrogate is refused", "D", NULL, POST("", "values \\ud800"), BOT_EPARSE,
     NULL, NULL, false},
    {"post that is not JSON", "D", NULL, "{\"id\":\"abc\", \"message\": \"what",
     BOT_EPARSE, NULL, NULL, false},
    {"post that is an array", "D", NULL, "[]", BOT_EPARSE, NULL, NULL, false},
    {"post with fields of the wrong types", "D", NULL,
     "{\"id\":5,\"user_id\":[],\"channel_id\":{},\"message\":7}", BOT_EPARSE, NULL, NULL,
     false},
    {"ids that could escape a URL are refused", "D", NULL,
     "{\"id\":\"../../x\",\"user_id\":\"u1\",\"channel_id\":\"c1\",\"message\":\"m\"}",
     BOT_EPARSE, NULL, NULL, false},
    {"empty post object", "D", NULL, "{}", BOT_EPARSE, NULL, NULL, false},
};

Test(mattermost, posted_events_table)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct parse_case *c = &cases[i];
        char *frame = posted(c->ctype, c->mentions, c->post);
        struct chat_event ev;
        enum bot_err err = mm_event_parse(SELF, NAME, frame, strlen(frame), &ev);

        cr_expect_eq(err, c->want, "%s: got \"%s\"", c->name, bot_strerror(err));
        if (err == BOT_OK && c->want == BOT_OK) {
            cr_expect_str_eq(ev.text, c->want_text, "%s", c->name);
            cr_expect_str_eq(ev.platform, "mattermost", "%s", c->name);
            cr_expect_str_eq(ev.channel, CH, "%s", c->name);
            cr_expect_str_eq(ev.event_id, "mm:" PID, "%s", c->name);
            cr_expect_str_eq(ev.workspace, "team0000000000000000000tm", "%s", c->name);
            cr_expect_eq(ev.is_dm, c->want_dm, "%s", c->name);
            if (c->want_thread == NULL)
                cr_expect_null(ev.thread, "%s", c->name);
            else
                cr_expect_str_eq(ev.thread, c->want_thread, "%s", c->name);
        } else if (err != BOT_OK) {
            cr_expect_null(ev.text, "%s: *ev must be zeroed on error", c->name);
        }
        chat_event_cleanup(&ev);
        free(frame);
    }
    expect_no_leaks("posted events");
}

/* The example of protocols.md §2.3, escapes exactly as the server writes them. */
Test(mattermost, nested_json_string_as_the_server_sends_it)
{
    static const char frame[] =
        "{\"event\":\"posted\",\"data\":{\"channel_display_name\":\"@alice\","
        "\"channel_name\":\"bot_user_id__alice_user_id\",\"channel_type\":\"D\","
        "\"mentions\":\"[\\\"bot_user_id\\\"]\",\"sender_name\":\"@alice\","
        "\"set_online\":true,\"team_id\":\"\",\"post\":\"{\\\"id\\\":"
        "\\\"p5t4kz9hbpfo7q8k3mxcyfj1ce\\\",\\\"create_at\\\":1736245300123,"
        "\\\"edit_at\\\":0,\\\"delete_at\\\":0,\\\"user_id\\\":\\\"alice_user_id\\\","
        "\\\"channel_id\\\":\\\"dm_channel_id\\\",\\\"root_id\\\":\\\"\\\","
        "\\\"message\\\":\\\"@helperbot how do I \\\\u003cb\\\\u003ereset\\\\u0026 "
        "2FA?\\\",\\\"type\\\":\\\"\\\",\\\"props\\\":{},\\\"metadata\\\":{}}\"},"
        "\"broadcast\":{\"omit_users\":null,\"user_id\":\"\",\"channel_id\":"
        "\"dm_channel_id\",\"team_id\":\"\"},\"seq\":7}";
    struct chat_event ev;

    cr_assert_eq(mm_event_parse("bot_user_id", "helperbot", frame, strlen(frame), &ev),
                 BOT_OK);
    cr_expect_str_eq(ev.text, "how do I <b>reset& 2FA?");
    cr_expect_str_eq(ev.channel, "dm_channel_id");
    cr_expect_str_eq(ev.user, "alice_user_id");
    cr_expect_null(ev.workspace, "a DM has no team");
    cr_expect(ev.is_dm);
    chat_event_cleanup(&ev);
}

Test(mattermost, frames_that_carry_no_question)
{
    static const char *const ignored[] = {
        "{\"event\":\"hello\",\"data\":{\"connection_id\":\"c1\"},\"seq\":0}",
        "{\"event\":\"typing\",\"data\":{\"parent_id\":\"\"},\"seq\":3}",
        "{\"event\":\"post_edited\",\"data\":{\"post\":\"{}\"},\"seq\":4}",
        "{\"status\":\"OK\",\"seq_reply\":2,\"data\":{\"text\":\"pong\"}}",
    };
    static const char *const bad[] = {
        "",
        "not json at all",
        "[1,2,3]",
        "{\"event\": 5, \"seq\": \"x\"}",
        "{\"event\":\"posted\",\"data\":\"a string, not an object\",\"seq\":5}",
        "{\"event\":\"posted\",\"data\":{\"post\":42},\"seq\":5}",
        "{\"event\":\"posted\",\"seq\":5}",
    };
    struct chat_event ev;

    for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) {
        cr_expect_eq(mm_event_parse(SELF, NAME, ignored[i], strlen(ignored[i]), &ev),
                     BOT_EIGNORE, "%s", ignored[i]);
        chat_event_cleanup(&ev);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cr_expect_eq(mm_event_parse(SELF, NAME, bad[i], strlen(bad[i]), &ev), BOT_EPARSE,
                     "%s", bad[i]);
        cr_expect_null(ev.channel);
        chat_event_cleanup(&ev);
    }
}

Test(mattermost, oversized_frame_refused_before_parsing)
{
    size_t n = MM_MAX_FRAME + 1;
    char *big = xmalloc(n + 1);
    struct chat_event ev;
    struct mm_frame f;

    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    big[n] = '\0';
    cr_expect_eq(mm_event_parse(SELF, NAME, big, n, &ev), BOT_ELIMIT);
    cr_expect_eq(mm_frame_parse(big, n, &f), BOT_ELIMIT);
    cr_expect_eq(f.seq, -1);
    free(big);
}

Test(mattermost, oversized_post_inside_a_frame_refused)
{
    size_t n = MM_MAX_POST + 1;
    char *msg = xmalloc(n + 1), *post, *frame;
    struct chat_event ev;

    memset(msg, 'a', n);
    msg[n] = '\0';
    post = xasprintf(POST("", "%s"), msg);
    frame = posted("D", NULL, post);
    cr_expect_lt(strlen(frame), MM_MAX_FRAME);
    cr_expect_eq(mm_event_parse(SELF, NAME, frame, strlen(frame), &ev), BOT_ELIMIT);
    cr_expect_null(ev.text);
    free(frame);
    free(post);
    free(msg);
}

Test(mattermost, frame_envelopes)
{
    struct mm_frame f;
    static const char hello[] =
        "{\"event\":\"hello\",\"data\":{\"server_version\":\"10.5\",\"connection_id\":"
        "\"yd6bn1bq3fd5xm8k3mtrbdjr6r\"},\"broadcast\":{},\"seq\":0}";
    static const char reply[] = "{\"status\":\"FAIL\",\"seq_reply\":3,\"error\":{}}";
    static const char odd_id[] = "{\"event\":\"hello\",\"data\":{\"connection_id\":"
                                 "\"a&b=c\"},\"seq\":0}";
    static const char noseq[] = "{\"event\":\"typing\",\"data\":{}}";

    cr_assert_eq(mm_frame_parse(hello, strlen(hello), &f), BOT_OK);
    cr_expect_str_eq(f.event, "hello");
    cr_expect_str_eq(f.connection_id, "yd6bn1bq3fd5xm8k3mtrbdjr6r");
    cr_expect_eq(f.seq, 0);
    cr_expect_eq(f.seq_reply, -1);
    mm_frame_cleanup(&f);

    cr_assert_eq(mm_frame_parse(reply, strlen(reply), &f), BOT_OK);
    cr_expect_null(f.event);
    cr_expect_str_eq(f.status, "FAIL");
    cr_expect_eq(f.seq_reply, 3);
    cr_expect_eq(f.seq, -1);
    mm_frame_cleanup(&f);

    cr_assert_eq(mm_frame_parse(odd_id, strlen(odd_id), &f), BOT_OK);
    cr_expect_null(f.connection_id, "an id that would change the resume URL is dropped");
    mm_frame_cleanup(&f);

    cr_assert_eq(mm_frame_parse(noseq, strlen(noseq), &f), BOT_OK);
    cr_expect_eq(f.seq, -1);
    mm_frame_cleanup(&f);

    cr_expect_eq(mm_frame_parse("{}", 2, &f), BOT_EPARSE);
    cr_expect_eq(mm_frame_parse("{\"seq\":1}", 9, &f), BOT_EPARSE);
    cr_expect_null(f.event);
}

struct text_case {
    const char *name;
    const char *in;
    const char *want;
};

Test(mattermost, mention_stripped_from_the_question)
{
    static const struct text_case tc[] = {
        {"leading mention", "@valuesbot what are our values?", "what are our values?"},
        {"mention with a colon", "@valuesbot: values", "values"},
        {"mention with a comma, any case", "@VALUESBOT, values", "values"},
        {"mention in the middle", "so @valuesbot what now", "so  what now"},
        {"mention at the end", "values please @valuesbot", "values please"},
        {"mention followed by a full stop", "ask @valuesbot.", "ask ."},
        {"other users stay", "@valuesbot ask @alice", "ask @alice"},
        {"a longer name stays", "@valuesbot2 hi", "@valuesbot2 hi"},
        {"only the mention", "@valuesbot", ""},
        {"white space trimmed", "  \n@valuesbot \t values \r\n", "values"},
    };

    for (size_t i = 0; i < sizeof(tc) / sizeof(tc[0]); i++) {
        char *out = mm_text_clean(tc[i].in, strlen(tc[i].in), NAME);

        cr_expect_str_eq(out, tc[i].want, "%s", tc[i].name);
        free(out);
    }
    cr_expect(mm_text_mentions("hi @valuesbot", NAME));
    cr_expect(mm_text_mentions("(@valuesbot)", NAME));
    cr_expect_not(mm_text_mentions("hi @valuesbot_x", NAME));
    cr_expect_not(mm_text_mentions("hi @valuesbot.x", NAME));
    cr_expect_not(mm_text_mentions("hi valuesbot", NAME));
    cr_expect_not(mm_text_mentions("hi @valuesbot", NULL));
}

static char *
escaped(const char *s)
{
    struct buf b;

    buf_init(&b, 1 << 20);
    mm_escape(&b, s);
    return buf_take(&b);
}

Test(mattermost, markdown_escaping)
{
    static const struct text_case tc[] = {
        {"plain text unchanged", "Our values: respect, compassion.",
         "Our values: respect, compassion."},
        {"@channel in a code span", "ping @channel now", "ping `@channel` now"},
        {"@all and @here, any case, before punctuation", "@ALL. @Here!",
         "`@ALL`. `@Here`!"},
        {"@channel glued to a word", "x@channel", "x`@channel`"},
        {"@channel followed by a hyphen", "@channel-wide", "`@channel`-wide"},
        {"names that only start alike stay", "@allison @channels @hereford",
         "@allison @channels @hereford"},
        {"a trailing underscore still notifies", "@here_", "`@here`\\_"},
        {"emphasis characters", "a *b* ~c~", "a \\*b\\* \\~c\\~"},
        {"underscore inside a word stays", "snake_case", "snake_case"},
        {"underscore emphasis escaped", "_x_", "\\_x\\_"},
        {"links and code", "[a](b) `c`", "\\[a\\](b) \\`c\\`"},
        {"backslash doubled", "a\\b", "a\\\\b"},
        {"heading at a line start", "# big", "\\# big"},
        {"quote and list at line starts", "> q\n- item\n  + x",
         "\\> q\n\\- item\n  \\+ x"},
        {"ordered list number", "1. first\n22) second", "1\\. first\n22\\) second"},
        {"number in a sentence stays", "goal 1. next", "goal 1. next"},
        {"hyphen inside a line stays", "co-create", "co-create"},
        {"angle brackets", "<b>", "\\<b\\>"},
    };

    for (size_t i = 0; i < sizeof(tc) / sizeof(tc[0]); i++) {
        char *out = escaped(tc[i].in);

        cr_expect_str_eq(out, tc[i].want, "%s", tc[i].name);
        free(out);
    }
}

/* True when @p starts with @name not followed by a letter or digit. */
static bool
special_at(const char *p, const char *name)
{
    size_t n = strlen(name);

    return strncasecmp(p, name, n) == 0 && !isalnum((unsigned char)p[n]);
}

/* Whatever the input, no @channel/@all/@here is left outside a code span. */
Test(mattermost, no_channel_wide_mention_survives_escaping)
{
    static const char *const parts[] = {"@channel", "@all", "@here", "@HERE", "`", "\\",
                                        "x",        " ",    "\n",    "@",     "*", "_"};
    const size_t n = sizeof(parts) / sizeof(parts[0]);

    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++)
            for (size_t c = 0; c < n; c++) {
                char in[64];
                char *out;
                bool code = false;

                snprintf(in, sizeof(in), "%s%s%s", parts[a], parts[b], parts[c]);
                out = escaped(in);
                for (const char *p = out; *p; p++) {
                    if (*p == '\\' && p[1] != '\0') {
                        p++;
                        continue;
                    }
                    if (*p == '`') {
                        code = !code;
                        continue;
                    }
                    if (!code && *p == '@') {
                        cr_expect(!special_at(p, "@channel") && !special_at(p, "@here") &&
                                      !special_at(p, "@all"),
                                  "\"%s\" -> \"%s\"", in, out);
                    }
                }
                free(out);
            }
}

Test(mattermost, reply_rendered_as_markdown)
{
    struct reply r = {0};
    char *out;

    reply_add(&r, REPLY_HEADING, NULL, "Our values");
    reply_add(&r, REPLY_ITEM, "Respect", "we are inclusive");
    reply_add(&r, REPLY_SUBITEM, NULL, "open and honest");
    reply_add(&r, REPLY_QUOTE, NULL, "line one\nline two");
    reply_add(&r, REPLY_PARA, NULL, "Tell @channel!");
    reply_add(&r, REPLY_SOURCE, NULL, "Our Journey to Change");
    out = mm_format(&r, MM_MAX_TEXT);
    cr_expect_str_eq(out, "**Our values**\n\n"
                          "- **Respect**: we are inclusive\n"
                          "  - open and honest\n\n"
                          "> line one\n> line two\n\n"
                          "Tell `@channel`!\n\n"
                          "*Our Journey to Change*");
    free(out);
    reply_cleanup(&r);
}

Test(mattermost, long_reply_cut_within_the_limit)
{
    struct reply r = {0};
    char *out;

    for (int i = 0; i < 400; i++)
        reply_addf(&r, REPLY_ITEM, NULL, "item %d with *stars* and “quotes” é", i);
    out = mm_format(&r, 2000);
    cr_expect_leq(strlen(out), 2000);
    cr_expect(strstr(out, "\n…") != NULL, "ends with an ellipsis");
    cr_expect_str_eq(out + strlen(out) - strlen("\n…"), "\n…");
    free(out);
    reply_cleanup(&r);

    /* One long line: cut inside it, never in a UTF-8 sequence or after a lone '\'. */
    for (size_t max = 40; max < 80; max++) {
        struct reply one = {0};
        char *s;

        reply_add(&one, REPLY_PARA, NULL,
                  "ééééé****ééééé****ééééé****ééééé****ééééé****é");
        s = mm_format(&one, max);
        cr_expect_leq(strlen(s), max);
        {
            size_t len = strlen(s) - strlen("\n…"), bs = 0;

            while (bs < len && s[len - 1 - bs] == '\\')
                bs++;
            cr_expect_eq(bs % 2, 0, "max %zu: \"%s\" ends in a lone backslash", max, s);
            cr_expect_neq((unsigned char)s[len - 1] & 0xC0, 0xC0, "max %zu: split char",
                          max);
        }
        free(s);
        reply_cleanup(&one);
    }
}

static struct http_response
resp(long status, const char *body, long retry_after, long reset)
{
    return (struct http_response){.err = BOT_OK,
                                  .status = status,
                                  .body = body,
                                  .len = strlen(body),
                                  .retry_after = retry_after,
                                  .ratelimit_reset = reset};
}

Test(mattermost, post_outcomes)
{
    struct http_response r;
    char error[160];
    long ms;
    const long long now = 1800000000;

    r = resp(201, "{\"id\":\"x\"}", -1, -1);
    cr_expect_eq(mm_outcome(&r, now, &ms, error, sizeof(error)), MM_POSTED);

    r = resp(429, "limit exceeded", 2, 2);
    cr_expect_eq(mm_outcome(&r, now, &ms, error, sizeof(error)), MM_RETRY);
    cr_expect_eq(ms, 2000, "Retry-After first");

    r = resp(429, "limit exceeded", -1, 3);
    cr_expect_eq(mm_outcome(&r, now, &ms, error, sizeof(error)), MM_RETRY);
    cr_expect_eq(ms, 3000, "X-Ratelimit-Reset as seconds from now");

    r = resp(429, "limit exceeded", -1, now + 5);
    cr_expect_eq(mm_outcome(&r, now, &ms, error, sizeof(error)), MM_RETRY);
    cr_expect_eq(ms, 5000, "X-Ratelimit-Reset as an epoch time");

    r = resp(429, "limit exceeded", -1, -1);
    cr_expect_eq(mm_outcome(&r, now, &ms, error, sizeof(error)), MM_RETRY);
    cr_expect_eq(ms, 1000, "no hint: one second");

    r = resp(502, "<html>Bad Gateway</html>", -1, -1);
    cr_expect_eq(mm_outcome(&r, now, &ms, error, sizeof(error)), MM_RETRY);
    cr_expect_eq(ms, 0, "5xx: the caller backs off");

    r = resp(400,
             "{\"id\":\"api.post.create_post.root_id.app_error\",\"message\":\"Invalid "
             "RootId parameter.\",\"status_code\":400}",
             -1, -1);
    cr_expect_eq(mm_outcome(&r, now, &ms, error, sizeof(error)), MM_BAD_ROOT);

    r = resp(400, "{\"id\":\"model.post.is_valid.msg.app_error\"}", -1, -1);
    cr_expect_eq(mm_outcome(&r, now, &ms, error, sizeof(error)), MM_FAILED);
    cr_expect(strstr(error, "model.post.is_valid.msg.app_error") != NULL);

    r = resp(401, "{\"id\":\"api.context.session_expired.app_error\"}", -1, -1);
    cr_expect_eq(mm_outcome(&r, now, &ms, error, sizeof(error)), MM_AUTH);

    r = resp(403, "not json", -1, -1);
    cr_expect_eq(mm_outcome(&r, now, &ms, error, sizeof(error)), MM_FAILED);

    r = (struct http_response){.err = BOT_ENET, .error = "connection refused"};
    cr_expect_eq(mm_outcome(&r, now, &ms, error, sizeof(error)), MM_RETRY);
    cr_expect_str_eq(error, "connection refused");
}

struct seq_case {
    const char *name;
    long long expect; /* state before */
    unsigned skipped;
    long long seq;
    enum mm_seq want;
    long long want_expect; /* state after */
};

Test(mattermost, seq_gap_logic)
{
    static const struct seq_case sc[] = {
        {"first event sets the position", -1, 0, 5, MM_SEQ_OK, 6},
        {"the next one in order", 6, 0, 6, MM_SEQ_OK, 7},
        {"a redelivered older event changes nothing", 7, 0, 3, MM_SEQ_OLD, 7},
        {"one missing: a gap, resume from the missing one", 7, 0, 8, MM_SEQ_GAP, 7},
        {"a jump: a gap", 7, 0, 20, MM_SEQ_GAP, 7},
        {"one skipped huge frame covers one missing seq", 7, 1, 8, MM_SEQ_SKIP, 9},
        {"skipped frames cover no more than their number", 7, 1, 9, MM_SEQ_GAP, 7},
        {"in order clears the skipped count", 7, 3, 7, MM_SEQ_OK, 8},
    };

    for (size_t i = 0; i < sizeof(sc) / sizeof(sc[0]); i++) {
        struct mm_seqstate s = {sc[i].expect, sc[i].skipped};

        cr_expect_eq(mm_seq_check(&s, sc[i].seq), sc[i].want, "%s", sc[i].name);
        cr_expect_eq(s.expect, sc[i].want_expect, "%s: expect", sc[i].name);
        if (sc[i].want == MM_SEQ_OK || sc[i].want == MM_SEQ_SKIP)
            cr_expect_eq(s.skipped, 0, "%s: skipped", sc[i].name);
    }
}

Test(mattermost, stream_with_a_withheld_event)
{
    /* hello 0, events 1 2, 3 withheld, 4 arrives: the gap holds at 3 until a
     * replay sends 3 again. */
    struct mm_seqstate s = {-1, 0};

    cr_expect_eq(mm_seq_check(&s, 0), MM_SEQ_OK);
    cr_expect_eq(mm_seq_check(&s, 1), MM_SEQ_OK);
    cr_expect_eq(mm_seq_check(&s, 2), MM_SEQ_OK);
    cr_expect_eq(mm_seq_check(&s, 4), MM_SEQ_GAP);
    cr_expect_eq(mm_seq_check(&s, 5), MM_SEQ_GAP, "still missing 3");
    cr_expect_eq(s.expect, 3);
    cr_expect_eq(mm_seq_check(&s, 3), MM_SEQ_OK, "the replay");
    cr_expect_eq(mm_seq_check(&s, 4), MM_SEQ_OK);
    cr_expect_eq(s.expect, 5);
}

Test(mattermost, parse_hook_without_an_adapter_state)
{
    struct adapter ad = {.name = "test-mm"};
    char *frame = posted("D", NULL, POST("", "values"));
    struct chat_event ev;

    cr_expect_eq(mattermost_parse(&ad, frame, strlen(frame), &ev), BOT_OK);
    cr_expect_str_eq(ev.text, "values");
    chat_event_cleanup(&ev);
    free(frame);
}

/* ---- Splitting long replies ------------------------------------------- */

static size_t
runes(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void
parts_free(char **parts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(parts[i]);
    free(parts);
}

/* What every split must keep: each part within @max runes and valid UTF-8,
 * with an even number of unescaped backticks outside fences (no code span
 * cut) and balanced fence lines. */
static void
check_parts(char **parts, size_t n, size_t max, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        const char *s = parts[i];
        size_t ticks = 0, fences = 0;
        bool line_start = true;

        cr_assert_leq(runes(s), max, "%s: part %zu has %zu runes", name, i, runes(s));
        cr_assert(utf8_is_valid(s, strlen(s), NULL), "%s: part %zu not UTF-8", name, i);
        cr_assert_neq(s[0], '\0', "%s: part %zu empty", name, i);
        for (const char *p = s; *p; p++) {
            if (line_start && strncmp(p, "```", 3) == 0) {
                fences++;
                p += strcspn(p, "\n");
                if (*p == '\0')
                    break;
                continue;
            }
            line_start = *p == '\n';
            if (*p == '\\' && p[1] != '\0') {
                p++;
                line_start = false;
            } else if (*p == '`' && fences % 2 == 0) {
                ticks++;
            }
        }
        cr_assert_eq(ticks % 2, 0, "%s: part %zu cuts a code span: %s", name, i, s);
        cr_assert_eq(fences % 2, 0, "%s: part %zu leaves a fence open", name, i);
    }
}

/* The parts joined without the fence lines a split adds: the original text
 * with blank lines between parts dropped. */
static char *
unsplit(char **parts, size_t n)
{
    struct buf b;

    buf_init(&b, SIZE_MAX / 2);
    for (size_t i = 0; i < n; i++) {
        (void)buf_adds(&b, parts[i]);
        (void)buf_adds(&b, "\n");
    }
    return buf_take(&b);
}

static char *
squeeze(const char *s)
{
    struct buf b;

    buf_init(&b, SIZE_MAX / 2);
    for (; *s; s++) {
        if (!isspace((unsigned char)*s))
            (void)buf_add(&b, s, 1);
    }
    return b.len > 0 ? buf_take(&b) : xstrdup("");
}

Test(mattermost, split_short_text_is_one_post)
{
    char **parts;
    size_t n = mm_split("**Our values**\n\n- Compassion", 16000, &parts);

    cr_assert_eq(n, 1);
    cr_assert_str_eq(parts[0], "**Our values**\n\n- Compassion");
    parts_free(parts, n);
    cr_assert_eq(mm_split(" \n\n ", 16000, &parts), 0);
    free(parts);
}

Test(mattermost, split_short_text_loses_leading_line_ends_and_trailing_space)
{
    char **parts;
    size_t n = mm_split("\r\n\n  - Café\n\n> ✓ done \t\n", 16000, &parts);

    cr_assert_eq(n, 1);
    cr_assert_str_eq(parts[0], "  - Café\n\n> ✓ done");
    parts_free(parts, n);
}

Test(mattermost, split_at_paragraphs_in_order)
{
    struct buf b;
    char **parts, *joined, *a, *z;
    size_t n;

    buf_init(&b, SIZE_MAX / 2);
    for (int i = 0; i < 40; i++)
        (void)buf_printf(&b, "%sParagraph %02d says something about the value of care.",
                         i ? "\n\n" : "", i);
    n = mm_split(buf_str(&b), 200, &parts);
    cr_assert_gt(n, 5);
    check_parts(parts, n, 200, "paragraphs");
    for (size_t i = 0; i < n; i++) {
        /* Whole paragraphs only: each part starts and ends one. */
        cr_assert_eq(strncmp(parts[i], "Paragraph ", 10), 0, "part %zu: %s", i, parts[i]);
        cr_assert_eq(parts[i][strlen(parts[i]) - 1], '.', "part %zu: %s", i, parts[i]);
    }
    joined = unsplit(parts, n);
    a = squeeze(joined);
    z = squeeze(buf_str(&b));
    cr_assert_str_eq(a, z, "text lost, doubled or reordered");
    free(a);
    free(z);
    free(joined);
    parts_free(parts, n);
    buf_cleanup(&b);
}

Test(mattermost, split_counts_characters_not_bytes_and_never_cuts_one)
{
    struct buf b;
    char **parts, *joined;
    size_t n, total = 0;

    /* One long "word" of 2-, 3- and 4-byte characters: no good place to cut. */
    buf_init(&b, SIZE_MAX / 2);
    for (int i = 0; i < 400; i++)
        (void)buf_adds(&b, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    n = mm_split(buf_str(&b), 150, &parts);
    check_parts(parts, n, 150, "multibyte");
    for (size_t i = 0; i < n; i++)
        total += runes(parts[i]);
    cr_assert_eq(total, 1200);
    cr_assert_leq(n, 11, "%zu posts for 1200 characters of 150", n);
    joined = unsplit(parts, n);
    for (size_t i = 0, j = 0; joined[i]; i++) {
        if (joined[i] != '\n')
            cr_assert_eq(joined[i], buf_str(&b)[j++], "byte %zu differs", i);
    }
    free(joined);
    parts_free(parts, n);
    buf_cleanup(&b);
}

Test(mattermost, split_never_cuts_a_character_in_code)
{
    /* Where no line or space is left to cut at: a fenced block of one long
     * line, and a code span longer than a post (cut it must be). */
    static const char *const heads[] = {"```\n", "`"}, *const tails[] = {"\n```", "`"};

    for (size_t k = 0; k < 2; k++) {
        struct buf b;
        char **parts;
        size_t n;

        buf_init(&b, SIZE_MAX / 2);
        (void)buf_adds(&b, heads[k]);
        for (int i = 0; i < 400; i++)
            (void)buf_adds(&b, i % 3 ? "\xe2\x82\xac" : "\xf0\x9f\x98\x80");
        (void)buf_adds(&b, tails[k]);
        n = mm_split(buf_str(&b), 150, &parts);
        cr_assert_gt(n, 2);
        for (size_t i = 0; i < n; i++) {
            cr_assert_leq(runes(parts[i]), 150, "case %zu part %zu", k, i);
            cr_assert(utf8_is_valid(parts[i], strlen(parts[i]), NULL),
                      "case %zu: part %zu cuts a character", k, i);
        }
        parts_free(parts, n);
        buf_cleanup(&b);
    }
}

Test(mattermost, split_keeps_code_spans_and_escapes_whole)
{
    struct buf b;
    char **parts;
    size_t n;

    buf_init(&b, SIZE_MAX / 2);
    for (int i = 0; i < 30; i++)
        (void)buf_adds(&b, "text \\* and `a code span with spaces in it` then \\_ more ");
    n = mm_split(buf_str(&b), 120, &parts);
    cr_assert_gt(n, 5);
    check_parts(parts, n, 120, "spans");
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(parts[i]), bs = 0;

        while (bs < len && parts[i][len - 1 - bs] == '\\')
            bs++;
        cr_assert_eq(bs % 2, 0, "part %zu ends in a lone escape: %s", i, parts[i]);
    }
    parts_free(parts, n);
    buf_cleanup(&b);
}

Test(mattermost, split_closes_and_reopens_a_fenced_block)
{
    struct buf b;
    char **parts, *a, *z;
    size_t n;
    struct buf joined;

    buf_init(&b, SIZE_MAX / 2);
    (void)buf_adds(&b, "Before the code.\n\n```python\n");
    for (int i = 0; i < 60; i++)
        (void)buf_printf(&b, "x_%02d = `tick` * %d  # a line of code\n", i, i);
    (void)buf_adds(&b, "```\n\nAfter the code.");
    n = mm_split(buf_str(&b), 300, &parts);
    cr_assert_gt(n, 5);
    check_parts(parts, n, 300, "fence");
    /* Without the fence lines the split added, the text is the same. */
    buf_init(&joined, SIZE_MAX / 2);
    for (size_t i = 0; i < n; i++) {
        const char *p = parts[i];

        if (i > 0 && strncmp(p, "```python\n", 10) == 0)
            p += 10;
        (void)buf_add(&joined, p, strlen(p));
        if (i + 1 < n && joined.len >= 4 &&
            strcmp(joined.data + joined.len - 4, "\n```") == 0 &&
            strncmp(parts[i + 1], "```python\n", 10) == 0)
            joined.len -= 4;
        (void)buf_adds(&joined, "\n");
    }
    a = squeeze(buf_str(&joined));
    z = squeeze(buf_str(&b));
    cr_assert_str_eq(a, z);
    for (size_t i = 1; i + 1 < n; i++)
        cr_assert_eq(strncmp(parts[i], "```python\n", 10), 0, "part %zu: %.40s", i,
                     parts[i]);
    free(a);
    free(z);
    buf_cleanup(&joined);
    parts_free(parts, n);
    buf_cleanup(&b);
}

Test(mattermost, split_small_server_limit_is_raised_to_the_floor)
{
    char **parts;
    char text[400];
    size_t n;

    memset(text, 'a', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    n = mm_split(text, 10, &parts);
    check_parts(parts, n, MM_MIN_RUNES, "floor");
    cr_assert_leq(n, 4);
    parts_free(parts, n);
}

Test(mattermost, ratelimit_hold_only_when_nothing_remains)
{
    static const struct {
        const char *name;
        long remaining, reset;
        long want;
    } holds[] = {
        {"requests left", 3, 5, 0},
        {"header absent", -1, 5, 0},
        {"none left: until the reset (seconds from now)", 0, 4, 4000},
        {"none left: reset as an epoch time", 0, 1700000007L, 7000},
        {"none left: reset past", 0, 1699999990L, 1000},
        {"none left: reset absent", 0, -1, 1000},
        {"none left: reset absurd", 0, 86400, 600000},
    };

    for (size_t i = 0; i < sizeof(holds) / sizeof(holds[0]); i++)
        cr_expect_eq(mm_ratelimit_hold(holds[i].remaining, holds[i].reset, 1700000000LL),
                     holds[i].want, "%s", holds[i].name);
}

/*
 * A post is decoded on the stack up to a size and on the heap past it: a
 * question and our own reply read the same at every length around the
 * change, with quotes and line ends (escaped twice in the frame) throughout.
 */
Test(mattermost, posts_of_every_size_read_the_same)
{
    static const size_t lens[] = {10, 1000, 3900, 4000, 4100, 8000, 12000};

    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        size_t n = lens[i];
        char *msg = xmalloc(n + 16), *want = xmalloc(n + 1), *post, *frame, *own;
        struct chat_event ev;
        size_t m = 0, w = 0;

        m += (size_t)snprintf(msg, 16, "@valuesbot ");
        while (w < n) {
            /* Ends on a letter: a trailing line end is trimmed from a question. */
            const char *unit = w + 1 == n    ? "v"
                               : w % 7 == 3  ? "\\\""
                               : w % 11 == 5 ? "\\n"
                                             : "v";

            want[w++] = unit[0] != '\\' ? unit[0] : unit[1] == 'n' ? '\n' : '"';
            m += (size_t)snprintf(msg + m, 3, "%s", unit);
            msg = xreallocarray(msg, m + 16, 1);
        }
        want[w] = '\0';
        post = xasprintf(POST("", "%s"), msg);
        frame = posted("O", "[\"" SELF "\"]", post);
        cr_assert_eq(mm_event_parse(SELF, NAME, frame, strlen(frame), &ev), BOT_OK,
                     "%zu bytes", n);
        cr_expect_eq(strlen(ev.text), strlen(want), "%zu bytes", n);
        cr_expect_str_eq(ev.text, want, "%zu bytes", n);
        chat_event_cleanup(&ev);
        /* The same post as ours: dropped, whatever its size. */
        free(frame);
        own =
            xasprintf("{\"id\":\"" PID "\",\"user_id\":\"" SELF "\",\"channel_id\":\"" CH
                      "\",\"message\":\"%s\",\"type\":\"\",\"props\":{}}",
                      msg);
        frame = posted("O", NULL, own);
        cr_expect_eq(mm_event_parse(SELF, NAME, frame, strlen(frame), &ev), BOT_EIGNORE,
                     "%zu bytes", n);
        chat_event_cleanup(&ev);
        free(own);
        free(frame);
        free(post);
        free(msg);
        free(want);
    }
}
