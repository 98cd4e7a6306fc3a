/* test_teams.c - Teams activities in, events out; the mention and markup removed;
 * Adaptive Card replies; connector URLs; the serviceUrl allow-list. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "bot/adapters/teams/teams_int.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/chat_event.h"
#include "bot/chat/reply.h"

#define BOT "28:11111111-2222-3333-4444-555555555555"

static void
setup(void)
{
    xmalloc_json_init();
}

TestSuite(teams, .init = setup);

static char *
clean(const char *text, const char *entities)
{
    json_t *e = entities ? json_loads(entities, 0, NULL) : NULL;
    char *s = teams_text_clean(text, e, BOT);

    json_decref(e);
    return s;
}

Test(teams, bot_mention_removed_other_mentions_kept_as_names)
{
    const char *ents = "[{\"type\":\"mention\",\"mentioned\":{\"id\":\"" BOT "\"},"
                       "\"text\":\"<at>valuesbot</at>\"},"
                       "{\"type\":\"mention\",\"mentioned\":{\"id\":\"29:1bob\"},"
                       "\"text\":\"<at>Bob</at>\"}]";
    char *s = clean(
        "<at>valuesbot</at> what are <at>Bob</at>'s values? <at>valuesbot</at>", ents);

    cr_expect_str_eq(s, "what are Bob's values?");
    free(s);
    /* The display name does not decide: a mention of someone else called
     * valuesbot stays. */
    s = clean("<at>valuesbot</at> hi",
              "[{\"type\":\"mention\",\"mentioned\":{\"id\":"
              "\"29:1impostor\"},\"text\":\"<at>valuesbot</at>\"}]");
    cr_expect_str_eq(s, "valuesbot hi");
    free(s);
}

Test(teams, html_and_entities_decoded_whitespace_collapsed)
{
    char *s = clean(
        "  what&nbsp;are <b>our</b>\n values&#63; &amp; goals&#x21; a &lt; b  ", NULL);

    cr_expect_str_eq(s, "what are our values? & goals! a < b");
    free(s);
    s = clean("is 3 < 4 and 5 > 2?", NULL);
    cr_expect_str_eq(s, "is 3 < 4 and 5 > 2?", "a raw '<' typed by the user stays");
    free(s);
    s = clean("<p>one</p><p>two</p>", NULL);
    cr_expect_str_eq(s, "one two");
    free(s);
    s = clean("&bogus; &#xZZ; &#0;", NULL);
    cr_expect_str_eq(s, "&bogus; &#xZZ; &#0;");
    free(s);
}

static enum bot_err
parse(const char *json, struct chat_event *ev, enum teams_kind *kind)
{
    return teams_activity_parse(BOT, json, strlen(json), ev, kind);
}

Test(teams, channel_message_parsed_into_an_event)
{
    const char *a =
        "{\"type\":\"message\",\"id\":\"1765000000123\",\"serviceUrl\":\"https://smba."
        "trafficmanager.net/emea/"
        "\",\"channelId\":\"msteams\",\"from\":{\"id\":\"29:1alice\"},"
        "\"conversation\":{\"isGroup\":true,\"conversationType\":\"channel\",\"id\":\"19:"
        "abc@"
        "thread.tacv2;messageid=1765000000100\"},\"recipient\":{\"id\":\"" BOT "\"},"
        "\"text\":\"<at>valuesbot</at> what are our values?\",\"entities\":[{\"type\":"
        "\"mention\",\"mentioned\":{\"id\":\"" BOT
        "\"},\"text\":\"<at>valuesbot</at>\"}],"
        "\"channelData\":{\"team\":{\"id\":\"19:team@thread.tacv2\"},\"channel\":{\"id\":"
        "\"19:abc@thread.tacv2\"},\"tenant\":{\"id\":\"t1\"}}}";
    struct chat_event ev;
    enum teams_kind kind;

    cr_assert_eq(parse(a, &ev, &kind), BOT_OK);
    cr_expect_eq(kind, TEAMS_MESSAGE);
    cr_expect_str_eq(ev.platform, "teams");
    cr_expect_str_eq(ev.workspace, "19:team@thread.tacv2");
    cr_expect_str_eq(ev.channel, "19:abc@thread.tacv2");
    cr_expect_str_eq(ev.thread, "19:abc@thread.tacv2;messageid=1765000000100");
    cr_expect_str_eq(ev.user, "29:1alice");
    cr_expect_str_eq(ev.text, "what are our values?");
    cr_expect_str_eq(ev.event_id, "teams:19:abc@thread.tacv2:1765000000123");
    cr_expect_str_eq(ev.msg_id, "1765000000123");
    cr_expect_not(ev.is_dm);
    cr_expect_not(ev.from_bot);
    chat_event_cleanup(&ev);
}

Test(teams, personal_chat_is_a_dm_and_bots_are_marked)
{
    const char *a =
        "{\"type\":\"message\",\"id\":\"1\",\"from\":{\"id\":\"" BOT "\"},"
        "\"conversation\":{\"conversationType\":\"personal\",\"id\":\"a:1x\"},"
        "\"text\":\"hello\"}";
    struct chat_event ev;
    enum teams_kind kind;

    cr_assert_eq(parse(a, &ev, &kind), BOT_OK);
    cr_expect(ev.is_dm);
    cr_expect(ev.from_self);
    cr_expect(ev.from_bot);
    cr_expect_null(ev.thread);
    cr_expect_null(ev.workspace);
    chat_event_cleanup(&ev);
}

Test(teams, events_classified_and_not_answered)
{
    const char *welcome = "{\"type\":\"conversationUpdate\",\"conversation\":{\"id\":"
                          "\"19:g@thread.tacv2\"},"
                          "\"membersAdded\":[{\"id\":\"29:1bob\"},{\"id\":\"" BOT "\"}]}";
    const char *member = "{\"type\":\"conversationUpdate\",\"conversation\":{\"id\":\"19:"
                         "g@thread.tacv2\"},"
                         "\"membersAdded\":[{\"id\":\"29:1bob\"}]}";
    const char *install = "{\"type\":\"installationUpdate\",\"action\":\"add\","
                          "\"conversation\":{\"id\":\"a:1\"}}";
    const char *others[] = {"messageUpdate",   "messageDelete", "typing",
                            "messageReaction", "invoke",        "event",
                            "somethingNew"};
    struct chat_event ev;
    enum teams_kind kind;
    char buf[256];

    cr_expect_eq(parse(welcome, &ev, &kind), BOT_EIGNORE);
    cr_expect_eq(kind, TEAMS_WELCOME);
    cr_expect_eq(parse(member, &ev, &kind), BOT_EIGNORE);
    cr_expect_eq(kind, TEAMS_IGNORED);
    cr_expect_eq(parse(install, &ev, &kind), BOT_EIGNORE);
    cr_expect_eq(kind, TEAMS_INSTALL);
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        snprintf(buf, sizeof(buf),
                 "{\"type\":\"%s\",\"id\":\"1\",\"from\":{\"id\":\"29:1a\"},"
                 "\"conversation\":{\"id\":\"a:1\"},\"text\":\"what are our values?\"}",
                 others[i]);
        cr_expect_eq(parse(buf, &ev, &kind), BOT_EIGNORE, "%s", others[i]);
        cr_expect_eq(kind, TEAMS_IGNORED);
        cr_expect_null(ev.text);
    }
    cr_expect_eq(parse("[1]", &ev, &kind), BOT_EPARSE);
    cr_expect_eq(parse("{\"type\":\"message\"}", &ev, &kind), BOT_EPARSE);
    cr_expect_eq(parse("{not json", &ev, &kind), BOT_EPARSE);
}

Test(teams, reply_is_a_card_with_text_fallback_and_no_markup_from_text)
{
    struct reply r = {0};
    char *s;
    json_t *o, *att, *card;
    const char *text;

    reply_add(&r, REPLY_HEADING, NULL, "Our values");
    reply_add(&r, REPLY_ITEM, "Respect", "we listen <at>General</at>");
    reply_add(&r, REPLY_QUOTE, NULL, "Quoted words");
    reply_add(&r, REPLY_SOURCE, NULL, "Source: Our Journey to Change, TEWV.");
    s = teams_render(&r, BOT, "19:c@thread.tacv2;messageid=1", "1");
    o = json_loads(s, 0, NULL);
    cr_assert_not_null(o, "%s", s);
    cr_expect_str_eq(json_string_value(json_object_get(o, "type")), "message");
    cr_expect_str_eq(json_string_value(json_object_get(o, "replyToId")), "1");
    cr_expect_str_eq(json_string_value(json_object_get(o, "summary")), "**Our values**",
                     "the notification shows the first line");
    att = json_array_get(json_object_get(o, "attachments"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(att, "contentType")),
                     "application/vnd.microsoft.card.adaptive");
    card = json_object_get(att, "content");
    cr_expect_str_eq(json_string_value(json_object_get(card, "version")), "1.2");
    text = json_string_value(json_object_get(card, "fallbackText"));
    cr_assert_not_null(text);
    cr_expect_not_null(strstr(text, "**Respect**"));
    cr_expect_not_null(strstr(text, "Source: Our Journey to Change"));
    cr_expect_null(strstr(s, "<at>"), "no mention markup: %s", s);
    cr_expect_null(json_object_get(o, "entities"), "no mention entities");
    json_decref(o);
    free(s);
    reply_cleanup(&r);
}

Test(teams, long_reply_is_text_only_within_the_limit)
{
    struct reply r = {0};
    char *s, para[1001];
    json_t *o;

    memset(para, 'w', 1000);
    para[1000] = '\0';
    for (int i = 0; i < 60; i++)
        reply_add(&r, REPLY_PARA, NULL, para);
    s = teams_render(&r, NULL, NULL, NULL);
    o = json_loads(s, 0, NULL);
    cr_assert_not_null(o);
    cr_expect_null(json_object_get(o, "attachments"), "a card over 28 KB is not sent");
    cr_expect_leq(strlen(json_string_value(json_object_get(o, "text"))), TEAMS_TEXT_MAX);
    json_decref(o);
    free(s);
    reply_cleanup(&r);
}

Test(teams, connector_urls_keep_the_path_and_encode_the_id)
{
    char *u = teams_conv_url("https://smba.trafficmanager.net/emea/",
                             "19:abc@thread.tacv2;messageid=17", "17");

    cr_expect_str_eq(u, "https://smba.trafficmanager.net/emea/v3/conversations/"
                        "19%3Aabc%40thread.tacv2%3Bmessageid%3D17/activities/17");
    free(u);
    u = teams_conv_url("https://smba.trafficmanager.net/teams", "a:1", NULL);
    cr_expect_str_eq(u, "https://smba.trafficmanager.net/teams/v3/conversations/a%3A1/"
                        "activities");
    free(u);
    u = teams_conv_base("19:abc@thread.tacv2;messageid=17");
    cr_expect_str_eq(u, "19:abc@thread.tacv2");
    free(u);
}

Test(teams, service_url_allow_list)
{
    cr_expect(
        teams_url_allowed(TEAMS_DEFAULT_URLS, "https://smba.trafficmanager.net/emea/"));
    cr_expect(teams_url_allowed(TEAMS_DEFAULT_URLS,
                                "https://smba.infra.gcc.teams.microsoft.com/teams"));
    cr_expect_not(teams_url_allowed(TEAMS_DEFAULT_URLS,
                                    "https://smba.trafficmanager.net.evil.example/"));
    cr_expect_not(
        teams_url_allowed(TEAMS_DEFAULT_URLS, "http://smba.trafficmanager.net/"));
    cr_expect_not(teams_url_allowed(TEAMS_DEFAULT_URLS, "https://evil.example/"));
    cr_expect(
        teams_url_allowed("http://127.0.0.1:5000/teams", "http://127.0.0.1:5000/teams/"));
    cr_expect_not(teams_url_allowed("http://127.0.0.1:5000/teams",
                                    "http://127.0.0.1:5000/teamsevil/"));
    cr_expect_not(teams_url_allowed(" , ", "https://x/"));
}
