/* test_slack_format.c - replies rendered as Slack mrkdwn, and Web API outcomes. */
#include <string.h>

#include <criterion/criterion.h>

#include "bot/adapters/slack/slack_int.h"
#include "bot/base/buf.h"
#include "bot/base/utf8.h"
#include "bot/chat/reply.h"
#include "bot/net/http.h"
#include "tests/test_util.h"

static char *
escaped(const char *s)
{
    struct buf b;

    buf_init(&b, 4096);
    slack_escape(&b, s);
    return buf_take(&b);
}

Test(slack_format, escapes_only_the_three_characters)
{
    char *s = escaped("a & b < c > d \"e\" 'f' *g*");

    cr_expect_str_eq(s, "a &amp; b &lt; c &gt; d \"e\" 'f' *g*");
    free(s);
}

Test(slack_format, never_emits_special_mentions_from_text)
{
    static const char *const evil[] = {"<!channel>",
                                       "<!here>",
                                       "<!everyone>",
                                       "<!subteam^S123|@ops>",
                                       "<@U123>",
                                       "<!group>",
                                       "<https://evil.example|click>"};
    struct reply r = {0};
    char *out;

    for (size_t i = 0; i < sizeof(evil) / sizeof(evil[0]); i++) {
        reply_add(&r, REPLY_PARA, NULL, evil[i]);
        reply_add(&r, REPLY_ITEM, evil[i], evil[i]);
        reply_add(&r, REPLY_QUOTE, NULL, evil[i]);
        reply_add(&r, REPLY_HEADING, NULL, evil[i]);
        reply_add(&r, REPLY_SOURCE, NULL, evil[i]);
    }
    out = slack_format(&r, 100000);
    cr_expect_null(strchr(out, '<'), "a raw < reached the output: %s", out);
    cr_expect_null(strchr(out, '>') != NULL && strstr(out, "\n> ") == NULL ? out : NULL);
    cr_expect_not_null(strstr(out, "&lt;!channel&gt;"));
    free(out);
    reply_cleanup(&r);
}

Test(slack_format, blocks_rendered_as_mrkdwn)
{
    struct reply r = {0};
    char *out;

    reply_add(&r, REPLY_HEADING, NULL, "Our values");
    reply_add(&r, REPLY_ITEM, "Respect", "We listen");
    reply_add(&r, REPLY_SUBITEM, NULL, "Kind & fair");
    reply_add(&r, REPLY_QUOTE, NULL, "line one\nline two");
    reply_add(&r, REPLY_SOURCE, NULL, "Source: the strategy");
    out = slack_format(&r, 100000);
    cr_expect_str_eq(out, "*Our values*\n"
                          "• *Respect*: We listen\n"
                          "    ◦ Kind &amp; fair\n\n"
                          "> line one\n> line two\n\n"
                          "_Source: the strategy_");
    free(out);
    reply_cleanup(&r);
}

Test(slack_format, long_replies_cut_at_a_line_with_an_ellipsis)
{
    struct reply r = {0};
    char *out;

    for (int i = 0; i < 400; i++)
        reply_addf(&r, REPLY_ITEM, NULL, "item %d & more words here", i);
    out = slack_format(&r, 1000);
    cr_expect_leq(strlen(out), 1000);
    cr_expect(strlen(out) > 900, "cut too early: %zu bytes", strlen(out));
    cr_expect_str_eq(out + strlen(out) - strlen("\n…"), "\n…");
    /* The cut is at a line end, so no escape is split. */
    cr_expect_null(strstr(out, "&am\n"));
    free(out);
    reply_cleanup(&r);
}

Test(slack_format, long_line_cut_keeps_utf8_and_escapes_whole)
{
    struct reply r = {0};
    struct buf b;
    char *out;

    buf_init(&b, 100000);
    for (int i = 0; i < 500; i++)
        (void)buf_adds(&b, "é&");
    reply_add(&r, REPLY_PARA, NULL, buf_str(&b));
    out = slack_format(&r, 301);
    cr_expect_leq(strlen(out), 301);
    for (const char *p = out; *p; p++) {
        if (*p == '&')
            cr_expect(strncmp(p, "&amp;", 5) == 0, "split escape at %zu",
                      (size_t)(p - out));
    }
    /* Every é is whole: each 0xC3 is followed by its continuation byte. */
    for (const char *p = out; *p; p++) {
        if ((unsigned char)*p == 0xC3)
            cr_expect_eq((unsigned char)p[1], 0xA9);
    }
    free(out);
    buf_cleanup(&b);
    reply_cleanup(&r);
}

static struct http_response
resp(long status, const char *body, long retry_after)
{
    return (struct http_response){.err = BOT_OK,
                                  .status = status,
                                  .body = body,
                                  .len = strlen(body),
                                  .retry_after = retry_after};
}

Test(slack_outcome, classification)
{
    char error[100];
    long retry;
    struct http_response r;

    r = resp(200, "{\"ok\":true,\"ts\":\"1.2\"}", -1);
    cr_expect_eq(slack_outcome(&r, false, &retry, error, sizeof(error)), SLACK_POSTED);

    r = resp(200, "{\"ok\":false,\"error\":\"not_in_channel\"}", -1);
    cr_expect_eq(slack_outcome(&r, false, &retry, error, sizeof(error)), SLACK_FAILED);
    cr_expect_str_eq(error, "not_in_channel");

    r = resp(429, "{\"ok\":false,\"error\":\"ratelimited\"}", 3);
    cr_expect_eq(slack_outcome(&r, false, &retry, error, sizeof(error)), SLACK_RETRY);
    cr_expect_eq(retry, 3000);

    r = resp(429, "", -1);
    cr_expect_eq(slack_outcome(&r, false, &retry, error, sizeof(error)), SLACK_RETRY);
    cr_expect_eq(retry, 1000);

    r = resp(503, "<html>", -1);
    cr_expect_eq(slack_outcome(&r, false, &retry, error, sizeof(error)), SLACK_RETRY);
    cr_expect_eq(retry, 0);

    r = resp(404, "nope", -1);
    cr_expect_eq(slack_outcome(&r, false, &retry, error, sizeof(error)), SLACK_FAILED);

    r = resp(200, "ok", -1); /* response_url answers plain "ok" */
    cr_expect_eq(slack_outcome(&r, true, &retry, error, sizeof(error)), SLACK_POSTED);
    cr_expect_eq(slack_outcome(&r, false, &retry, error, sizeof(error)), SLACK_FAILED);

    r = (struct http_response){
        .err = BOT_ENET, .error = "Connection refused", .body = "", .retry_after = -1};
    cr_expect_eq(slack_outcome(&r, false, &retry, error, sizeof(error)), SLACK_RETRY);
    cr_expect_str_eq(error, "Connection refused");
}

/* A post's answer echoes the message; "ok" is read without parsing it all,
 * and only a true at the top level of a well-formed object counts. */
Test(slack_outcome, ok_read_only_at_the_top_of_a_well_formed_object)
{
    char error[100];
    long retry;
    struct http_response r;

    r = resp(200,
             " {\"channel\":\"C1\",\"message\":{\"ok\":false,\"text\":\"a \\\"} ]\","
             "\"blocks\":[{\"type\":\"section\"},[1,2]]},\"ok\" : true } ",
             -1);
    cr_expect_eq(slack_outcome(&r, false, &retry, error, sizeof(error)), SLACK_POSTED);

    r = resp(200, "{\"message\":{\"ok\":true},\"ok\":false,\"error\":\"x\"}", -1);
    cr_expect_eq(slack_outcome(&r, false, &retry, error, sizeof(error)), SLACK_FAILED,
                 "a nested ok:true is not the answer's");
    cr_expect_str_eq(error, "x");

    r = resp(200, "{\"ok\":true,\"message\":{\"text\":\"unterminated}", -1);
    cr_expect_eq(slack_outcome(&r, false, &retry, error, sizeof(error)), SLACK_FAILED,
                 "a broken body is not taken as posted");

    r = resp(200, "{\"ok\":true} trailing", -1);
    cr_expect_eq(slack_outcome(&r, false, &retry, error, sizeof(error)), SLACK_FAILED);

    r = resp(200, "{\"ok\":\"true\"}", -1);
    cr_expect_eq(slack_outcome(&r, false, &retry, error, sizeof(error)), SLACK_FAILED,
                 "the string \"true\" is not true");
}

Test(slack_format, long_replies_split_between_blocks)
{
    struct reply r = {0};
    char **parts;
    size_t n, total = 0;

    reply_add(&r, REPLY_HEADING, NULL, "Our values");
    for (int i = 0; i < 300; i++)
        reply_addf(&r, REPLY_ITEM, NULL, "item %03d & more", i);
    n = slack_format_parts(&r, 1000, &parts);
    cr_expect_gt(n, 1);
    for (size_t i = 0; i < n; i++) {
        cr_expect_leq(strlen(parts[i]), 1000, "part %zu", i);
        cr_expect_neq(parts[i][0], '\n', "part %zu starts with a separator", i);
        cr_expect_null(strstr(parts[i], "…"), "nothing is cut when blocks fit");
        total += strlen(parts[i]);
        free(parts[i]);
    }
    free(parts);
    /* Every item made it, in one of the parts. */
    cr_expect_gt(total, 300 * strlen("• item 000 &amp; more"));
    reply_cleanup(&r);
}

Test(slack_format, short_reply_is_one_part_and_empty_reply_too)
{
    struct reply r = {0};
    char **parts;
    size_t n;

    n = slack_format_parts(&r, 1000, &parts);
    cr_assert_eq(n, 1);
    cr_expect_str_eq(parts[0], "");
    free(parts[0]);
    free(parts);
    reply_add(&r, REPLY_PARA, NULL, "a < b");
    n = slack_format_parts(&r, 1000, &parts);
    cr_assert_eq(n, 1);
    cr_expect_str_eq(parts[0], "a &lt; b");
    free(parts[0]);
    free(parts);
    reply_cleanup(&r);
}

/* ---- Block Kit -------------------------------------------------------- */

static size_t
chars(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Whole escapes only: every & starts &amp; &lt; or &gt;, and no raw < or >. */
static void
expect_escaped(const char *s, const char *where)
{
    for (const char *p = s; *p; p++) {
        if (*p == '&')
            cr_expect(strncmp(p, "&amp;", 5) == 0 || strncmp(p, "&lt;", 4) == 0 ||
                          strncmp(p, "&gt;", 4) == 0,
                      "%s: split or raw & at \"%.12s\"", where, p);
        cr_expect(*p != '<', "%s: raw < at \"%.20s\"", where, p);
    }
    cr_expect(utf8_is_valid(s, strlen(s), NULL), "%s: UTF-8 cut", where);
}

/* The blocks of @m read back as JSON (a new array): what a post carries. */
static json_t *
blocks_of(const struct slack_message *m)
{
    json_t *a = json_loads(m->blocks, 0, NULL);

    cr_assert(json_is_array(a), "blocks are not a JSON array: %s", m->blocks);
    cr_expect_eq(json_array_size(a), m->nblocks, "nblocks for %s", m->blocks);
    return a;
}

/* Checks every limit Slack puts on @msgs; returns the blocks' text in order. */
static char *
expect_within_limits(const struct slack_message *msgs, size_t n, size_t max)
{
    struct buf all;

    buf_init(&all, SIZE_MAX / 2);
    for (size_t i = 0; i < n; i++) {
        json_t *blocks = blocks_of(&msgs[i]);
        size_t nb = json_array_size(blocks);

        cr_expect_leq(strlen(msgs[i].text), max, "message %zu text", i);
        cr_expect_leq(nb, SLACK_MAX_BLOCKS, "message %zu blocks", i);
        cr_expect(msgs[i].text[0] != '\0', "message %zu has no fallback text", i);
        expect_escaped(msgs[i].text, "text");
        for (size_t j = 0; j < nb; j++) {
            json_t *b = json_array_get(blocks, j);
            const char *type = json_string_value(json_object_get(b, "type"));
            json_t *t = json_object_get(b, "text");

            cr_assert_not_null(type);
            if (strcmp(type, "header") == 0) {
                const char *s = json_string_value(json_object_get(t, "text"));

                cr_expect_str_eq(json_string_value(json_object_get(t, "type")),
                                 "plain_text");
                cr_expect_leq(chars(s), SLACK_HEADER_MAX);
                cr_expect_null(strpbrk(s, "<>&"), "header needs escaping: %s", s);
                (void)buf_printf(&all, "[h]%s", s);
            } else if (strcmp(type, "section") == 0) {
                const char *s = json_string_value(json_object_get(t, "text"));

                cr_expect_str_eq(json_string_value(json_object_get(t, "type")), "mrkdwn");
                cr_expect_gt(strlen(s), 0);
                cr_expect_leq(chars(s), SLACK_SECTION_MAX);
                expect_escaped(s, "section");
                (void)buf_printf(&all, "[s]%s", s);
            } else {
                json_t *els = json_object_get(b, "elements");

                cr_expect_str_eq(type, "context");
                cr_expect_gt(json_array_size(els), 0);
                cr_expect_leq(json_array_size(els), SLACK_CONTEXT_ITEMS);
                for (size_t k = 0; k < json_array_size(els); k++) {
                    const char *s = json_string_value(
                        json_object_get(json_array_get(els, k), "text"));

                    cr_expect_leq(chars(s), SLACK_SECTION_MAX);
                    expect_escaped(s, "context");
                    (void)buf_printf(&all, "[c]%s", s);
                }
            }
        }
        json_decref(blocks);
    }
    return buf_take(&all);
}

Test(slack_render, heading_body_and_source_as_header_section_context)
{
    struct reply r = {0};
    struct slack_message *m;
    char *text;
    size_t n;
    json_t *want, *blocks;

    reply_add(&r, REPLY_HEADING, NULL, "Our values");
    reply_add(&r, REPLY_ITEM, "Respect", "We listen");
    reply_add(&r, REPLY_ITEM, "Care", "Kind & fair");
    reply_add(&r, REPLY_SOURCE, NULL, "Source: the strategy");
    n = slack_render(&r, SLACK_MAX_TEXT, &m);
    cr_assert_eq(n, 1);
    want = json_loads(
        "[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":\"Our values\","
        "\"emoji\":true}},"
        "{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":"
        "\"• *Respect*: We listen\\n• *Care*: Kind &amp; fair\"}},"
        "{\"type\":\"context\",\"elements\":[{\"type\":\"mrkdwn\","
        "\"text\":\"_Source: the strategy_\"}]}]",
        0, NULL);
    cr_assert_not_null(want);
    blocks = blocks_of(&m[0]);
    cr_expect(json_equal(blocks, want), "blocks: %s", m[0].blocks);
    json_decref(blocks);
    /* The fallback text says the same as the blocks, as mrkdwn. */
    text = slack_format(&r, SLACK_MAX_TEXT);
    cr_expect_str_eq(m[0].text, text);
    free(text);
    json_decref(want);
    slack_messages_free(m, n);
    reply_cleanup(&r);
}

Test(slack_render, heading_that_needs_escaping_or_is_long_becomes_a_bold_section)
{
    char long_heading[SLACK_HEADER_MAX + 2];
    struct reply r = {0};
    struct slack_message *m;
    json_t *blocks;
    size_t n;

    memset(long_heading, 'h', sizeof(long_heading) - 1);
    long_heading[sizeof(long_heading) - 1] = '\0';
    reply_add(&r, REPLY_HEADING, NULL, "Values & <!channel>");
    reply_add(&r, REPLY_HEADING, NULL, long_heading);
    n = slack_render(&r, SLACK_MAX_TEXT, &m);
    cr_assert_eq(n, 1);
    blocks = blocks_of(&m[0]);
    cr_assert_eq(json_array_size(blocks), 1);
    cr_expect_str_eq(
        json_string_value(json_object_get(json_array_get(blocks, 0), "type")), "section");
    cr_expect_eq(strncmp(json_string_value(json_object_get(
                             json_object_get(json_array_get(blocks, 0), "text"), "text")),
                         "*Values &amp; &lt;!channel&gt;*", 30),
                 0);
    json_decref(blocks);
    free(expect_within_limits(m, n, SLACK_MAX_TEXT));
    slack_messages_free(m, n);
    reply_cleanup(&r);
}

Test(slack_render, injection_never_reaches_blocks_or_text)
{
    static const char *const evil[] = {"<!channel>",   "<!here>",
                                       "<!everyone>",  "<!subteam^S123|@ops>",
                                       "<@U123>",      "<https://evil.example|click>",
                                       "&lt;!here&gt;"};
    struct reply r = {0};
    struct slack_message *m;
    size_t n;

    for (size_t i = 0; i < sizeof(evil) / sizeof(evil[0]); i++) {
        reply_add(&r, REPLY_HEADING, NULL, evil[i]);
        reply_add(&r, REPLY_PARA, NULL, evil[i]);
        reply_add(&r, REPLY_ITEM, evil[i], evil[i]);
        reply_add(&r, REPLY_QUOTE, NULL, evil[i]);
        reply_add(&r, REPLY_SOURCE, NULL, evil[i]);
    }
    n = slack_render(&r, SLACK_MAX_TEXT, &m);
    for (size_t i = 0; i < n; i++) {
        json_t *blocks = blocks_of(&m[i]);
        char *json = json_dumps(blocks, JSON_COMPACT);

        cr_expect_null(strstr(json, "<!"), "special mention in blocks: %s", json);
        cr_expect_null(strstr(json, "<@"), "mention in blocks: %s", json);
        cr_expect_null(strstr(m[i].text, "<!"));
        free(json);
        json_decref(blocks);
    }
    free(expect_within_limits(m, n, SLACK_MAX_TEXT));
    slack_messages_free(m, n);
    reply_cleanup(&r);
}

Test(slack_render, many_blocks_split_into_messages_within_limits_in_order)
{
    struct reply r = {0};
    struct slack_message *m;
    char *all, want[128];
    const char *p;
    size_t n;

    /* 150 header + section + context triples: 450 blocks, short texts. */
    for (int i = 0; i < 150; i++) {
        reply_addf(&r, REPLY_HEADING, NULL, "Part %03d", i);
        reply_addf(&r, REPLY_PARA, NULL, "body %03d & more", i);
        reply_addf(&r, REPLY_SOURCE, NULL, "source %03d", i);
    }
    n = slack_render(&r, SLACK_MAX_TEXT, &m);
    cr_expect_geq(n, 450 / SLACK_MAX_BLOCKS, "%zu messages", n);
    all = expect_within_limits(m, n, SLACK_MAX_TEXT);
    p = all;
    for (int i = 0; i < 150; i++) {
        snprintf(want, sizeof(want),
                 "[h]Part %03d[s]body %03d &amp; more[c]_source %03d_", i, i, i);
        cr_expect_not_null(p = strstr(p, want), "%s missing or out of order", want);
        if (p == NULL)
            break;
    }
    free(all);
    slack_messages_free(m, n);
    reply_cleanup(&r);
}

Test(slack_render, sources_share_a_context_of_at_most_ten_elements)
{
    struct reply r = {0};
    struct slack_message *m;
    size_t n;

    for (int i = 0; i < 25; i++)
        reply_addf(&r, REPLY_SOURCE, NULL, "source %d", i);
    n = slack_render(&r, SLACK_MAX_TEXT, &m);
    cr_assert_eq(n, 1);
    cr_expect_eq(m[0].nblocks, 3, "10 + 10 + 5 elements");
    free(expect_within_limits(m, n, SLACK_MAX_TEXT));
    slack_messages_free(m, n);
    reply_cleanup(&r);
}

Test(slack_render, long_block_split_whole_never_inside_utf8_or_escape)
{
    struct reply r = {0};
    struct slack_message *m;
    struct buf b, joined;
    char *full, *all;
    size_t n;

    buf_init(&b, SIZE_MAX / 2);
    for (int i = 0; i < 4000; i++)
        (void)buf_adds(&b, "é&"); /* no space or line end: a hard split */
    reply_add(&r, REPLY_PARA, NULL, buf_str(&b));
    n = slack_render(&r, SLACK_MAX_TEXT, &m);
    cr_expect_gt(n, 1);
    all = expect_within_limits(m, n, SLACK_MAX_TEXT);
    /* Nothing cut: the messages together are the whole block. */
    buf_init(&joined, SIZE_MAX / 2);
    for (size_t i = 0; i < n; i++)
        (void)buf_adds(&joined, m[i].text);
    full = slack_format(&r, SIZE_MAX / 2);
    cr_expect_str_eq(buf_str(&joined), full);
    free(full);
    free(all);
    buf_cleanup(&joined);
    buf_cleanup(&b);
    slack_messages_free(m, n);
    reply_cleanup(&r);
}

Test(slack_render, block_over_a_section_splits_at_a_space_in_one_message)
{
    struct reply r = {0};
    struct slack_message *m;
    struct buf b;
    char *all;
    size_t n;

    buf_init(&b, SIZE_MAX / 2);
    for (int i = 0; i < 700; i++) /* 3500 bytes: over a section, under a message */
        (void)buf_adds(&b, "word ");
    reply_add(&r, REPLY_PARA, NULL, buf_str(&b));
    n = slack_render(&r, SLACK_MAX_TEXT, &m);
    cr_assert_eq(n, 1);
    cr_expect_eq(m[0].nblocks, 2);
    cr_expect_str_eq(m[0].text, buf_str(&b), "the fallback text is the whole block");
    all = expect_within_limits(m, n, SLACK_MAX_TEXT);
    free(all);
    buf_cleanup(&b);
    slack_messages_free(m, n);
    reply_cleanup(&r);
}

Test(slack_render, utf8_reply_rendered_alike_without_checks)
{
    struct reply r = {0};
    struct slack_message *a, *b;
    struct buf long_text;
    size_t na, nb;

    buf_init(&long_text, SIZE_MAX / 2);
    for (int i = 0; i < 3000; i++)
        (void)buf_adds(&long_text, "é€"); /* split with no space: inside no character */
    reply_add(&r, REPLY_HEADING, NULL, "Nos valeurs — «respect»");
    reply_add(&r, REPLY_ITEM, "Café", "Kind & fair <ok>");
    reply_add(&r, REPLY_QUOTE, NULL, "ligne un\nligne deux ✓");
    reply_add(&r, REPLY_PARA, NULL, buf_str(&long_text));
    reply_add(&r, REPLY_SOURCE, NULL, "Source: the strategy, p. 3");
    na = slack_render(&r, SLACK_MAX_TEXT, &a);
    nb = slack_render_utf8(&r, SLACK_MAX_TEXT, &b);
    cr_assert_eq(na, nb);
    cr_expect_gt(na, 1, "the long block makes several messages");
    for (size_t i = 0; i < na; i++) {
        cr_expect_str_eq(a[i].text, b[i].text, "message %zu text", i);
        cr_expect_str_eq(a[i].blocks, b[i].blocks, "message %zu blocks", i);
        cr_expect_eq(a[i].nblocks, b[i].nblocks);
    }
    free(expect_within_limits(b, nb, SLACK_MAX_TEXT));
    slack_messages_free(a, na);
    slack_messages_free(b, nb);
    buf_cleanup(&long_text);
    reply_cleanup(&r);
}
