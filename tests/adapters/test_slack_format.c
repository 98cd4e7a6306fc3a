/* test_slack_format.c - replies rendered as Slack mrkdwn, and Web API outcomes. */
#include <string.h>

#include <criterion/criterion.h>

#include "bot/adapters/slack_int.h"
#include "bot/base/buf.h"
#include "bot/core/reply.h"
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
