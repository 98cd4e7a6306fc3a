/* test_web_proto.c - the web chat's JSON protocol: client messages parsed and
 * refused with the right code; hello, reply and error frames; chips. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "bot/adapters/adapter.h"
#include "bot/adapters/web_int.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/reply.h"

static void
setup(void)
{
    xmalloc_json_init();
}

TestSuite(web_proto, .init = setup);

struct parse_case {
    const char *name; /* printed when the case fails */
    const char *msg;
    size_t len;            /* 0: strlen(msg) */
    const char *want_code; /* NULL: parsed */
};

static const struct parse_case cases[] = {
    {"ask", "{\"type\":\"ask\",\"id\":\"c1\",\"text\":\"what are our values?\"}", 0,
     NULL},
    {"ask without an id", "{\"type\":\"ask\",\"text\":\"values\"}", 0, NULL},
    {"ask with a null id", "{\"type\":\"ask\",\"id\":null,\"text\":\"values\"}", 0, NULL},
    {"org", "{\"type\":\"org\",\"org\":\"cwpt\"}", 0, NULL},
    {"not JSON", "what are our values?", 0, "bad_json"},
    {"truncated", "{\"type\":\"ask\",", 0, "bad_json"},
    {"an array", "[\"ask\"]", 0, "bad_json"},
    {"unknown type", "{\"type\":\"shout\",\"text\":\"x\"}", 0, "bad_json"},
    {"type not a string", "{\"type\":1,\"text\":\"x\"}", 0, "bad_json"},
    {"text not a string", "{\"type\":\"ask\",\"text\":5}", 0, "bad_json"},
    {"id not a string", "{\"type\":\"ask\",\"id\":[],\"text\":\"x\"}", 0, "bad_json"},
    {"duplicate keys", "{\"type\":\"ask\",\"text\":\"a\",\"text\":\"b\"}", 0, "bad_json"},
    {"escaped NUL", "{\"type\":\"ask\",\"text\":\"a\\u0000b\"}", 0, "bad_json"},
    {"org missing", "{\"type\":\"org\"}", 0, "bad_json"},
    {"invalid UTF-8", "{\"type\":\"ask\",\"text\":\"\xff\"}", 0, "bad_utf8"},
    {"overlong UTF-8", "{\"type\":\"ask\",\"text\":\"\xc0\xaf\"}", 0, "bad_utf8"},
    {"raw NUL byte", "{\"type\":\"ask\",\"text\":\"a\0\"}", 26, "bad_utf8"},
    {"empty", "", 0, "bad_json"},
};

Test(web_proto, parse_table)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct parse_case *c = &cases[i];
        struct web_msg m;
        const char *code = NULL;
        enum bot_err err =
            web_msg_parse(c->msg, c->len ? c->len : strlen(c->msg), &m, &code);

        if (c->want_code == NULL) {
            cr_expect_eq(err, BOT_OK, "%s: %s", c->name, code ? code : "-");
            cr_expect_null(code, "%s", c->name);
        } else {
            cr_expect_neq(err, BOT_OK, "%s", c->name);
            cr_expect_str_eq(code ? code : "(none)", c->want_code, "%s", c->name);
            cr_expect_null(m.text, "%s: *m must be zeroed on error", c->name);
        }
        web_msg_cleanup(&m);
    }
}

Test(web_proto, ask_fields)
{
    struct web_msg m;
    const char *code;
    const char *ask = "{\"type\":\"ask\",\"id\":\"c42\",\"text\":\"I'm new\"}";
    const char *org = "{\"type\":\"org\",\"org\":\"cwpt\"}";

    cr_assert_eq(web_msg_parse(ask, strlen(ask), &m, &code), BOT_OK);
    cr_expect_eq(m.type, WEB_MSG_ASK);
    cr_expect_str_eq(m.id, "c42");
    cr_expect_str_eq(m.text, "I'm new");
    web_msg_cleanup(&m);
    cr_assert_eq(web_msg_parse(org, strlen(org), &m, &code), BOT_OK);
    cr_expect_eq(m.type, WEB_MSG_ORG);
    cr_expect_str_eq(m.org, "cwpt");
    web_msg_cleanup(&m);
}

Test(web_proto, limits_are_too_big)
{
    char id[WEB_MAX_ID + 2], *text = xmalloc(WEB_MAX_TEXT + 2), *msg;
    struct web_msg m;
    const char *code;

    memset(id, 'i', sizeof(id) - 1);
    id[sizeof(id) - 1] = '\0';
    memset(text, 'x', WEB_MAX_TEXT + 1);
    text[WEB_MAX_TEXT + 1] = '\0';
    msg = xasprintf("{\"type\":\"ask\",\"id\":\"%s\",\"text\":\"q\"}", id);
    cr_expect_eq(web_msg_parse(msg, strlen(msg), &m, &code), BOT_ELIMIT);
    cr_expect_str_eq(code, "too_big");
    free(msg);
    msg = xasprintf("{\"type\":\"ask\",\"id\":\"c1\",\"text\":\"%s\"}", text);
    cr_expect_eq(web_msg_parse(msg, strlen(msg), &m, &code), BOT_ELIMIT);
    cr_expect_str_eq(code, "too_big");
    free(msg);
    /* At the limits exactly: accepted. */
    id[WEB_MAX_ID] = '\0';
    text[WEB_MAX_TEXT] = '\0';
    msg = xasprintf("{\"type\":\"ask\",\"id\":\"%s\",\"text\":\"%s\"}", id, text);
    cr_expect_eq(web_msg_parse(msg, strlen(msg), &m, &code), BOT_OK);
    cr_expect_eq(strlen(m.id), WEB_MAX_ID);
    cr_expect_eq(strlen(m.text), WEB_MAX_TEXT);
    web_msg_cleanup(&m);
    free(msg);
    free(text);
}

static json_t *
load(char *s)
{
    json_error_t e;
    json_t *o = json_loads(s, 0, &e);

    cr_assert_not_null(o, "not JSON: %s", s);
    free(s);
    return o;
}

Test(web_proto, hello_with_and_without_an_org)
{
    const struct adapter_org orgs[] = {{"cwpt", "Coventry"}, {"tewv", "Tees"}};
    const char *const sugg[] = {"What are our values?"};
    json_t *o = load(web_render_hello("tewv", "Tees", orgs, 2, sugg, 1));

    cr_expect_str_eq(json_string_value(json_object_get(o, "type")), "hello");
    cr_expect_str_eq(json_string_value(json_object_get(o, "org")), "tewv");
    cr_expect_str_eq(json_string_value(json_object_get(o, "name")), "Tees");
    cr_expect_eq(json_array_size(json_object_get(o, "orgs")), 2);
    cr_expect_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(o, "orgs"), 0), "name")),
                     "Coventry");
    cr_expect_str_eq(
        json_string_value(json_array_get(json_object_get(o, "suggestions"), 0)),
        "What are our values?");
    json_decref(o);
    o = load(web_render_hello(NULL, NULL, orgs, 2, sugg, 1));
    cr_expect(json_is_null(json_object_get(o, "org")));
    cr_expect(json_is_null(json_object_get(o, "name")));
    json_decref(o);
}

Test(web_proto, reply_blocks_text_and_answered)
{
    struct reply r = {0};
    json_t *o, *blocks;

    reply_add(&r, REPLY_HEADING, NULL, "Our values");
    reply_add(&r, REPLY_ITEM, "Respect", "We are <b>inclusive</b> & open");
    reply_add(&r, REPLY_SOURCE, NULL, "Source: Our Journey to Change");
    o = load(web_render_reply("c1", "answer", &r, NULL, 0));
    cr_expect_str_eq(json_string_value(json_object_get(o, "type")), "reply");
    cr_expect_str_eq(json_string_value(json_object_get(o, "re")), "c1");
    cr_expect(json_is_true(json_object_get(o, "answered")));
    blocks = json_object_get(o, "blocks");
    cr_assert_eq(json_array_size(blocks), 3);
    cr_expect_str_eq(
        json_string_value(json_object_get(json_array_get(blocks, 0), "kind")), "heading");
    cr_expect(json_is_null(json_object_get(json_array_get(blocks, 0), "label")));
    cr_expect_str_eq(
        json_string_value(json_object_get(json_array_get(blocks, 1), "label")),
        "Respect");
    /* Text stays text: the page puts it in textContent, never markup. */
    cr_expect_str_eq(
        json_string_value(json_object_get(json_array_get(blocks, 1), "text")),
        "We are <b>inclusive</b> & open");
    cr_expect_str_eq(
        json_string_value(json_object_get(json_array_get(blocks, 2), "kind")), "source");
    cr_expect_not_null(strstr(json_string_value(json_object_get(o, "text")), "Respect"));
    cr_expect_eq(json_array_size(json_object_get(o, "suggestions")), 0);
    json_decref(o);
    reply_cleanup(&r);
}

Test(web_proto, decline_is_not_answered_and_offers_examples)
{
    const char *const sugg[] = {"What are our values?", "What are our goals?"};
    struct reply r = {0};
    json_t *o;

    reply_add(&r, REPLY_PARA, NULL, "Sorry, I don't know that.");
    o = load(web_render_reply("c9", "decline", &r, sugg, 2));
    cr_expect(json_is_false(json_object_get(o, "answered")));
    cr_expect_eq(json_array_size(json_object_get(o, "suggestions")), 2);
    json_decref(o);
    reply_cleanup(&r);
}

Test(web_proto, did_you_mean_items_become_chips)
{
    struct reply r = {0};
    const char *chips[WEB_MAX_CHIPS];
    size_t n;

    reply_add(&r, REPLY_PARA, NULL, "Did you mean one of these?");
    reply_add(&r, REPLY_ITEM, "Compassion", "one of our values");
    reply_add(&r, REPLY_SUBITEM, NULL, "Kind");
    reply_add(&r, REPLY_ITEM, NULL, "Great care");
    reply_add(&r, REPLY_SOURCE, NULL, "Source: strategy");
    n = web_chips(&r, "answer", chips, WEB_MAX_CHIPS);
    cr_assert_eq(n, 2);
    cr_expect_str_eq(chips[0], "Compassion");
    cr_expect_str_eq(chips[1], "Great care");
    reply_cleanup(&r);
}

Test(web_proto, items_after_a_statement_are_not_chips)
{
    struct reply r = {0};
    const char *chips[WEB_MAX_CHIPS];

    reply_add(&r, REPLY_PARA, NULL, "Our goals are these.");
    reply_add(&r, REPLY_ITEM, "Goal 1", "Co-create safe care");
    cr_expect_eq(web_chips(&r, "answer", chips, WEB_MAX_CHIPS), 0);
    /* A tour step offers its next step instead. */
    cr_expect_eq(web_chips(&r, "tour", chips, WEB_MAX_CHIPS), 2);
    cr_expect_str_eq(chips[0], "Next");
    reply_cleanup(&r);
}

Test(web_proto, error_frame)
{
    json_t *o = load(web_render_error("rate_limited", "Please wait.", 7));

    cr_expect_str_eq(json_string_value(json_object_get(o, "type")), "error");
    cr_expect_str_eq(json_string_value(json_object_get(o, "code")), "rate_limited");
    cr_expect_eq(json_integer_value(json_object_get(o, "retry_after")), 7);
    json_decref(o);
    o = load(web_render_error("bad_json", "Sorry.", 0));
    cr_expect_null(json_object_get(o, "retry_after"));
    json_decref(o);
}
