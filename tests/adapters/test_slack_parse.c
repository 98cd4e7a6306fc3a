/* test_slack_parse.c - Socket Mode envelopes in, normalised events out. */
#include <string.h>

#include <criterion/criterion.h>

#include "bot/adapters/slack/slack_int.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/chat_event.h"
#include "tests/test_util.h"

static struct adapter ad = {.name = "test-slack"};

#define EV(inner)                                                                        \
    "{\"envelope_id\":\"e1\",\"type\":\"events_api\",\"accepts_response_payload\":"      \
    "false,"                                                                             \
    "\"retry_attempt\":0,\"payload\":{\"team_id\":\"T1\",\"event_id\":\"Ev1\","          \
    "\"event\":" inner "}}"

struct parse_case {
    const char *name; /* printed when the case fails */
    const char *json;
    enum bot_err want;
    const char *want_text;   /* checked only when want == BOT_OK */
    const char *want_thread; /* NULL: no thread */
    bool want_dm;
};

static const struct parse_case cases[] = {
    {"app mention answered in the mention's thread",
     EV("{\"type\":\"app_mention\",\"user\":\"U1\",\"text\":\"<@UBOT> what are our "
        "values?\",\"ts\":\"1.2\",\"channel\":\"C1\"}"),
     BOT_OK, "what are our values?", "1.2", false},
    {"mention inside a thread answers the thread parent",
     EV("{\"type\":\"app_mention\",\"user\":\"U1\",\"text\":\"<@UBOT|valuesbot> goals\","
        "\"ts\":\"5.6\",\"thread_ts\":\"1.0\",\"channel\":\"C1\"}"),
     BOT_OK, "goals", "1.0", false},
    {"direct message answered in the DM",
     EV("{\"type\":\"message\",\"channel_type\":\"im\",\"user\":\"U1\",\"text\":\"vision?"
        "\","
        "\"ts\":\"3.4\",\"channel\":\"D1\"}"),
     BOT_OK, "vision?", NULL, true},
    {"entities decoded, only the three",
     EV("{\"type\":\"app_mention\",\"user\":\"U1\",\"text\":\"<@UBOT> a &amp; b "
        "&lt;c&gt; "
        "&quot;\",\"ts\":\"1.2\",\"channel\":\"C1\"}"),
     BOT_OK, "a & b <c> &quot;", "1.2", false},
    {"special mentions and user groups removed from the question",
     EV("{\"type\":\"app_mention\",\"user\":\"U1\",\"text\":\"<!channel> <@UBOT> "
        "<!subteam^S1|@ops> values <!here>\",\"ts\":\"1.2\",\"channel\":\"C1\"}"),
     BOT_OK, "values", "1.2", false},
    {"links and channel names keep their labels",
     EV("{\"type\":\"app_mention\",\"user\":\"U1\",\"text\":\"<@UBOT> see <#C9|staff> "
        "and "
        "<https://x.nhs.uk|the plan>\",\"ts\":\"1.2\",\"channel\":\"C1\"}"),
     BOT_OK, "see #staff and the plan", "1.2", false},
    {"edits are ignored",
     EV("{\"type\":\"message\",\"subtype\":\"message_changed\",\"channel_type\":\"im\","
        "\"channel\":\"D1\",\"ts\":\"1.2\",\"message\":{\"text\":\"x\"}}"),
     BOT_EIGNORE, NULL, NULL, false},
    {"a DM with a file is a person's question",
     EV("{\"type\":\"message\",\"subtype\":\"file_share\",\"channel_type\":\"im\","
        "\"user\":\"U1\",\"text\":\"what does this value mean?\",\"upload\":false,"
        "\"files\":[{\"id\":\"F1\",\"name\":\"shot.png\"}],\"ts\":\"3.4\","
        "\"channel\":\"D1\"}"),
     BOT_OK, "what does this value mean?", NULL, true},
    {"a thread reply also sent to the DM is answered in its thread",
     EV("{\"type\":\"message\",\"subtype\":\"thread_broadcast\",\"channel_type\":"
        "\"im\",\"user\":\"U1\",\"text\":\"and our goals?\",\"ts\":\"3.9\","
        "\"thread_ts\":\"3.1\",\"channel\":\"D1\"}"),
     BOT_OK, "and our goals?", "3.1", true},
    {"a /me line is a person's words",
     EV("{\"type\":\"message\",\"subtype\":\"me_message\",\"channel_type\":\"im\","
        "\"user\":\"U1\",\"text\":\"wonders about the vision\",\"ts\":\"3.4\","
        "\"channel\":\"D1\"}"),
     BOT_OK, "wonders about the vision", NULL, true},
    {"a join notice is ignored",
     EV("{\"type\":\"message\",\"subtype\":\"channel_join\",\"channel_type\":"
        "\"im\",\"user\":\"U1\",\"text\":\"<@U1> has joined the channel\","
        "\"ts\":\"1.2\",\"channel\":\"D1\"}"),
     BOT_EIGNORE, NULL, NULL, false},
    {"a pin notice is ignored",
     EV("{\"type\":\"message\",\"subtype\":\"pinned_item\",\"channel_type\":"
        "\"im\",\"user\":\"U1\",\"item_type\":\"C\",\"text\":\"pinned a "
        "message\",\"ts\":\"1.2\",\"channel\":\"D1\"}"),
     BOT_EIGNORE, NULL, NULL, false},
    {"a bot_message without bot_id is still a bot's",
     EV("{\"type\":\"message\",\"subtype\":\"bot_message\",\"channel_type\":"
        "\"im\",\"username\":\"otherbot\",\"text\":\"values?\",\"ts\":\"1.2\","
        "\"channel\":\"D1\"}"),
     BOT_EIGNORE, NULL, NULL, false},
    {"an undocumented subtype is ignored",
     EV("{\"type\":\"message\",\"subtype\":\"brand_new_notice\",\"channel_type\":"
        "\"im\",\"user\":\"U1\",\"text\":\"values?\",\"ts\":\"1.2\","
        "\"channel\":\"D1\"}"),
     BOT_EIGNORE, NULL, NULL, false},
    {"a mention carrying a file is answered",
     EV("{\"type\":\"app_mention\",\"subtype\":\"file_share\",\"user\":\"U1\","
        "\"text\":\"<@UBOT> values?\",\"ts\":\"1.2\",\"channel\":\"C1\"}"),
     BOT_OK, "values?", "1.2", false},
    {"a subtype that is not a string",
     EV("{\"type\":\"message\",\"subtype\":7,\"channel_type\":\"im\","
        "\"user\":\"U1\",\"text\":\"x\",\"ts\":\"1.2\",\"channel\":\"D1\"}"),
     BOT_EPARSE, NULL, NULL, false},
    {"bot messages are ignored",
     EV("{\"type\":\"message\",\"channel_type\":\"im\",\"user\":\"U1\",\"text\":\"hi\","
        "\"ts\":\"1.3\",\"channel\":\"D1\",\"bot_id\":\"B9\"}"),
     BOT_EIGNORE, NULL, NULL, false},
    {"plain channel messages are left to app_mention",
     EV("{\"type\":\"message\",\"channel_type\":\"channel\",\"user\":\"U1\",\"text\":"
        "\"hi\","
        "\"ts\":\"1.3\",\"channel\":\"C1\"}"),
     BOT_EIGNORE, NULL, NULL, false},
    {"other event types are ignored", EV("{\"type\":\"reaction_added\",\"user\":\"U1\"}"),
     BOT_EIGNORE, NULL, NULL, false},
    {"hello envelope is ignored", "{\"type\":\"hello\"}", BOT_EIGNORE, NULL, NULL, false},
    {"disconnect is ignored", "{\"type\":\"disconnect\",\"reason\":\"warning\"}",
     BOT_EIGNORE, NULL, NULL, false},
    {"interactive is ignored",
     "{\"envelope_id\":\"x\",\"type\":\"interactive\",\"payload\":{\"type\":\"shortcut\"}"
     "}",
     BOT_EIGNORE, NULL, NULL, false},
    {"truncated JSON", "{\"type\":", BOT_EPARSE, NULL, NULL, false},
    {"not an object", "[1,2]", BOT_EPARSE, NULL, NULL, false},
    {"no type", "{\"envelope_id\":\"x\"}", BOT_EPARSE, NULL, NULL, false},
    {"event without text",
     EV("{\"type\":\"app_mention\",\"user\":\"U1\",\"ts\":\"1.2\",\"channel\":\"C1\"}"),
     BOT_EPARSE, NULL, NULL, false},
    {"event that is not an object", EV("\"nope\""), BOT_EPARSE, NULL, NULL, false},
    {"text of the wrong type",
     EV("{\"type\":\"app_mention\",\"user\":\"U1\",\"text\":7,\"ts\":\"1.2\","
        "\"channel\":\"C1\"}"),
     BOT_EPARSE, NULL, NULL, false},
    {"slash command uses its text",
     "{\"envelope_id\":\"s1\",\"type\":\"slash_commands\",\"accepts_response_payload\":"
     "true,"
     "\"payload\":{\"team_id\":\"T1\",\"channel_id\":\"C1\",\"user_id\":\"U1\","
     "\"command\":\"/values\",\"text\":\"which value covers kindness\","
     "\"response_url\":\"https://hooks.slack.com/commands/1\"}}",
     BOT_OK, "which value covers kindness", NULL, false},
    {"slash command without text asks its own name",
     "{\"envelope_id\":\"s2\",\"type\":\"slash_commands\",\"payload\":{\"channel_id\":"
     "\"C1\","
     "\"user_id\":\"U1\",\"command\":\"/goals\",\"text\":\"\","
     "\"response_url\":\"https://hooks.slack.com/commands/2\"}}",
     BOT_OK, "goals", NULL, false},
    {"slash command without response_url",
     "{\"envelope_id\":\"s3\",\"type\":\"slash_commands\",\"payload\":{\"channel_id\":"
     "\"C1\","
     "\"user_id\":\"U1\",\"command\":\"/goals\"}}",
     BOT_EPARSE, NULL, NULL, false},
};

Test(slack_parse, table)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct parse_case *c = &cases[i];
        struct chat_event ev;
        enum bot_err err = slack_parse(&ad, c->json, strlen(c->json), &ev);

        cr_expect_eq(err, c->want, "%s: got \"%s\"", c->name, bot_strerror(err));
        if (err == BOT_OK && c->want == BOT_OK) {
            cr_expect_str_eq(ev.text, c->want_text, "%s", c->name);
            cr_expect_str_eq(ev.platform, "slack", "%s", c->name);
            cr_expect_str_eq(ev.channel, strstr(c->json, "\"D1\"") ? "D1" : "C1", "%s",
                             c->name);
            if (c->want_thread)
                cr_expect_str_eq(ev.thread, c->want_thread, "%s", c->name);
            else
                cr_expect_null(ev.thread, "%s", c->name);
            cr_expect_eq(ev.is_dm, c->want_dm, "%s", c->name);
            cr_expect_not_null(ev.event_id, "%s", c->name);
        } else {
            cr_expect_null(ev.text, "%s: *ev must be zeroed on error", c->name);
        }
        chat_event_cleanup(&ev);
    }
    expect_no_leaks("slack_parse");
}

/* Every subtype Slack documents is known (the table is searched by halves,
 * so a name out of order would read as unknown); only three are a person's. */
Test(slack_parse, documented_subtypes_known_and_three_human)
{
    static const char *const documented[] = {
        "assistant_app_thread",
        "bot_add",
        "bot_message",
        "bot_remove",
        "channel_archive",
        "channel_canvas_updated",
        "channel_convert_to_private",
        "channel_convert_to_public",
        "channel_join",
        "channel_leave",
        "channel_name",
        "channel_posting_permissions",
        "channel_purpose",
        "channel_topic",
        "channel_unarchive",
        "ekm_access_denied",
        "file_comment",
        "file_mention",
        "file_share",
        "group_archive",
        "group_join",
        "group_leave",
        "group_name",
        "group_purpose",
        "group_topic",
        "group_unarchive",
        "huddle_thread",
        "joiner_notification",
        "me_message",
        "message_changed",
        "message_deleted",
        "message_replied",
        "pinned_item",
        "reminder_add",
        "slackbot_response",
        "thread_broadcast",
        "tombstone",
        "unpinned_item",
    };
    size_t human = 0;
    bool known;

    for (size_t i = 0; i < sizeof(documented) / sizeof(documented[0]); i++) {
        if (slack_subtype_is_human(documented[i], &known))
            human++;
        cr_expect(known, "%s: not found in the table", documented[i]);
    }
    cr_expect_eq(human, 3);
    cr_expect(slack_subtype_is_human(NULL, &known) && known, "no subtype: a person");
    cr_expect(!slack_subtype_is_human("zzz_new", &known) && !known);
}

Test(slack_parse, event_id_comes_from_the_payload)
{
    const char *j = EV("{\"type\":\"app_mention\",\"user\":\"U1\",\"text\":\"x\","
                       "\"ts\":\"1.2\",\"channel\":\"C1\"}");
    struct chat_event ev;

    cr_assert_eq(slack_parse(&ad, j, strlen(j), &ev), BOT_OK);
    cr_expect_str_eq(ev.event_id, "Ev1");
    cr_expect_str_eq(ev.workspace, "T1");
    cr_expect_str_eq(ev.user, "U1");
    chat_event_cleanup(&ev);
}

Test(slack_parse, slash_command_keeps_its_response_url)
{
    const char *j = "{\"envelope_id\":\"s9\",\"type\":\"slash_commands\",\"payload\":{"
                    "\"channel_id\":\"C1\",\"user_id\":\"U1\",\"command\":\"/values\","
                    "\"text\":\"x\",\"response_url\":\"https://hooks.slack.com/c/9\"}}";
    struct chat_event ev;

    cr_assert_eq(slack_parse(&ad, j, strlen(j), &ev), BOT_OK);
    cr_expect(ev.is_command);
    cr_expect_str_eq(ev.reply_url, "https://hooks.slack.com/c/9");
    cr_expect_str_eq(ev.event_id, "envelope:s9");
    chat_event_cleanup(&ev);
}

Test(slack_parse, redelivered_command_keeps_its_key_from_the_trigger_id)
{
    static const char *const env[] = {"s1", "s2"};
    struct chat_event ev[2];
    struct slack_envelope e;
    char j[512];

    for (int i = 0; i < 2; i++) {
        snprintf(j, sizeof(j),
                 "{\"envelope_id\":\"%s\",\"type\":\"slash_commands\","
                 "\"accepts_response_payload\":true,\"payload\":{\"channel_id\":\"C1\","
                 "\"user_id\":\"U1\",\"command\":\"/values\",\"text\":\"\","
                 "\"response_url\":\"https://hooks.slack.com/c/9\","
                 "\"trigger_id\":\"13.45.ab\"}}",
                 env[i]);
        cr_assert_eq(slack_parse(&ad, j, strlen(j), &ev[i]), BOT_OK);
        cr_assert_eq(slack_envelope_parse(j, strlen(j), &e), BOT_OK);
        cr_expect(e.accepts_payload);
        slack_envelope_cleanup(&e);
    }
    /* Two envelopes, one invocation: the core sees one event id. */
    cr_expect_str_eq(ev[0].event_id, "command:13.45.ab");
    cr_expect_str_eq(ev[1].event_id, ev[0].event_id);
    chat_event_cleanup(&ev[0]);
    chat_event_cleanup(&ev[1]);
}

Test(slack_parse, oversized_frame_is_rejected_before_parsing)
{
    size_t len = SLACK_MAX_FRAME + 1;
    char *big = xcalloc(1, len + 1);
    struct chat_event ev;

    memset(big, ' ', len);
    big[0] = '{';
    big[len - 1] = '}';
    cr_expect_eq(slack_parse(&ad, big, len, &ev), BOT_ELIMIT);
    cr_expect_null(ev.text);
    free(big);
}

Test(slack_parse, invalid_utf8_and_nul_are_parse_errors)
{
    static const char bad_utf8[] = "{\"type\":\"events_api\",\"payload\":{\"event\":{"
                                   "\"type\":\"app_mention\",\"text\":\"\xff\xfe\"}}}";
    static const char nul[] = "{\"type\":\"events_api\",\"payload\":{\"event\":{"
                              "\"type\":\"app_mention\",\"text\":\"a\\u0000b\"}}}";
    struct chat_event ev;

    cr_expect_eq(slack_parse(&ad, bad_utf8, sizeof(bad_utf8) - 1, &ev), BOT_EPARSE);
    cr_expect_eq(slack_parse(&ad, nul, sizeof(nul) - 1, &ev), BOT_EPARSE);
}

Test(slack_envelope, fields)
{
    static const char hello[] =
        "{\"type\":\"hello\",\"num_connections\":2,\"debug_info\":{\"host\":\"h\","
        "\"approximate_connection_time\":18060},\"connection_info\":{\"app_id\":\"A1\"}}";
    static const char disc[] =
        "{\"type\":\"disconnect\",\"reason\":\"refresh_requested\"}";
    static const char retry[] =
        "{\"envelope_id\":\"e7\",\"type\":\"events_api\",\"retry_attempt\":2,"
        "\"retry_reason\":\"timeout\",\"payload\":{}}";
    struct slack_envelope env;

    cr_assert_eq(slack_envelope_parse(hello, strlen(hello), &env), BOT_OK);
    cr_expect_str_eq(env.type, "hello");
    cr_expect_eq(env.approx_secs, 18060);
    cr_expect_eq(env.num_connections, 2);
    cr_expect_null(env.envelope_id);
    slack_envelope_cleanup(&env);

    cr_assert_eq(slack_envelope_parse(disc, strlen(disc), &env), BOT_OK);
    cr_expect_str_eq(env.reason, "refresh_requested");
    slack_envelope_cleanup(&env);

    cr_assert_eq(slack_envelope_parse(retry, strlen(retry), &env), BOT_OK);
    cr_expect_str_eq(env.envelope_id, "e7");
    cr_expect_eq(env.retry_attempt, 2);
    slack_envelope_cleanup(&env);

    cr_expect_eq(slack_envelope_parse("{}", 2, &env), BOT_EPARSE);
    cr_expect_eq(slack_envelope_parse("", 0, &env), BOT_EPARSE);
    cr_expect_eq(slack_envelope_parse("{\"type\":5}", 10, &env), BOT_EPARSE);
}

struct clean_case {
    const char *name;
    const char *in;
    const char *want;
};

static const struct clean_case clean_cases[] = {
    {"plain", "what are our values", "what are our values"},
    {"leading mention", "<@U123> hi", "hi"},
    {"legacy mention with name", "<@U123|bot>   hi  ", "hi"},
    {"mention in the middle", "tell <@U9> about goal 2", "tell  about goal 2"},
    {"everyone", "<!everyone> values", "values"},
    {"date keeps its fallback", "<!date^1392734382^{date}|Feb 18> plans", "Feb 18 plans"},
    {"bare link", "<https://a.b/c?d=1&amp;e=2>", "https://a.b/c?d=1&e=2"},
    {"unclosed bracket kept", "a &lt; b <c", "a < b <c"},
    {"double-encoded stays once-decoded", "&amp;lt;", "&lt;"},
    {"only white space", " \t\n ", ""},
    {"empty", "", ""},
};

Test(slack_text, clean_table)
{
    for (size_t i = 0; i < sizeof(clean_cases) / sizeof(clean_cases[0]); i++) {
        char *got = slack_text_clean(clean_cases[i].in);

        cr_expect_str_eq(got, clean_cases[i].want, "%s", clean_cases[i].name);
        free(got);
    }
}

/* A copy of @s with its first @from replaced by @to (the caller frees it). */
static char *
replaced(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    size_t head, nto, rest;
    char *out;

    cr_assert_not_null(at, "%s not in %s", from, s);
    head = (size_t)(at - s);
    nto = strlen(to);
    rest = strlen(at + strlen(from));
    out = xmalloc(head + nto + rest + 1);
    memcpy(out, s, head);
    memcpy(out + head, to, nto);
    memcpy(out + head + nto, at + strlen(from), rest + 1);
    return out;
}

/*
 * A frame is read as spans, or by jansson when the picker does not vouch for
 * it (here: a key written with an escape, the same key to jansson): every
 * case of the table reads the same either way.
 */
Test(slack_parse, frames_jansson_reads_give_what_the_picker_gives)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct parse_case *c = &cases[i];
        struct chat_event a, b;
        enum bot_err ea, eb;
        char *alt;

        if (strstr(c->json, "\"type\"") == NULL || c->want == BOT_EPARSE)
            continue;
        alt = replaced(c->json, "\"type\"", "\"typ\\u0065\"");
        ea = slack_parse(&ad, c->json, strlen(c->json), &a);
        eb = slack_parse(&ad, alt, strlen(alt), &b);
        cr_expect_eq(eb, ea, "%s: %s, picked %s", c->name, bot_strerror(eb),
                     bot_strerror(ea));
        if (ea == BOT_OK && eb == BOT_OK) {
            cr_expect_str_eq(b.text, a.text, "%s", c->name);
            cr_expect_str_eq(b.channel, a.channel, "%s", c->name);
            cr_expect_str_eq(b.user, a.user, "%s", c->name);
            cr_expect_str_eq(b.event_id, a.event_id, "%s", c->name);
            cr_expect_eq(b.thread == NULL, a.thread == NULL, "%s", c->name);
            if (a.thread != NULL && b.thread != NULL)
                cr_expect_str_eq(b.thread, a.thread, "%s", c->name);
            cr_expect_eq(b.is_dm, a.is_dm, "%s", c->name);
        }
        chat_event_cleanup(&a);
        chat_event_cleanup(&b);
        free(alt);
    }
}

/* A member's JSON type decides as a tree's did: null is "not there" for a
 * subtype, but "there" for a bot_profile. */
Test(slack_parse, member_types_read_as_the_tree_read_them)
{
    static const struct {
        const char *name; /* printed when the case fails */
        const char *json;
        enum bot_err want;
    } typed[] = {
        {"subtype null is a person's message",
         EV("{\"type\":\"app_mention\",\"subtype\":null,\"user\":\"U1\",\"text\":\"hi\","
            "\"channel\":\"C1\",\"ts\":\"1.2\"}"),
         BOT_OK},
        {"subtype a number is malformed",
         EV("{\"type\":\"app_mention\",\"subtype\":7,\"user\":\"U1\",\"text\":\"hi\","
            "\"channel\":\"C1\",\"ts\":\"1.2\"}"),
         BOT_EPARSE},
        {"bot_profile null is still a bot's",
         EV("{\"type\":\"app_mention\",\"bot_profile\":null,\"user\":\"U1\",\"text\":"
            "\"hi\",\"channel\":\"C1\",\"ts\":\"1.2\"}"),
         BOT_EIGNORE},
        {"event an array is malformed", EV("[{\"type\":\"app_mention\"}]"), BOT_EPARSE},
        {"payload not an object is malformed",
         "{\"envelope_id\":\"e1\",\"type\":\"events_api\",\"payload\":\"x\"}",
         BOT_EPARSE},
    };

    for (size_t i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
        struct chat_event ev;
        enum bot_err err = slack_parse(&ad, typed[i].json, strlen(typed[i].json), &ev);

        cr_expect_eq(err, typed[i].want, "%s: got %s", typed[i].name, bot_strerror(err));
        chat_event_cleanup(&ev);
    }
}
