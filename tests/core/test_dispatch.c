/* test_dispatch.c - dedupe, filters, routing, responders and pacing of
 * bot/core/dispatch.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/base/xmalloc.h"
#include "bot/core/config.h"
#include "bot/core/converse.h"
#include "bot/core/dispatch.h"
#include "bot/chat/reply.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_set.h"
#include "tests/test_util.h"

static struct config *cfg;
static struct kb_set *set;
static struct kb_engine *engine;
static struct converse *cv;
static struct dispatch *d;

static void
setup(void)
{
    char *why = NULL;

    xmalloc_json_init();
    unsetenv("VALUESBOT_CONFIG");
    unsetenv("VALUESBOT_ORG");
    cr_assert_eq(config_load(NULL, "knowledge", &cfg, &why), BOT_OK, "%s", why);
    set = shipped_kbs();
    engine = kb_engine_new(set, cfg->decline_threshold, cfg->tie_margin);
    cv = converse_new(engine, set, NULL, cfg->decline_threshold, 0);
    d = dispatch_new(cfg, cv);
}

static void
teardown(void)
{
    dispatch_free(d);
    converse_free(cv);
    kb_engine_free(engine);
    kb_set_free(set);
    config_free(cfg);
}

TestSuite(dispatch, .init = setup, .fini = teardown);

#define WALL ((time_t)1767225600) /* 2026-01-01, any fixed wall time */

static struct chat_event
event(const char *id, const char *channel, const char *text)
{
    return (struct chat_event){.platform = "slack",
                               .workspace = "T1",
                               .channel = (char *)channel,
                               .thread = "1.2",
                               .user = "U1",
                               .text = (char *)text,
                               .event_id = (char *)id};
}

Test(dispatch, answers_once_per_event_id)
{
    struct chat_event ev = event("Ev1", "C1", "what are our values?");
    struct chat_reply r;
    const char *why;

    cr_assert_eq(dispatch_event(d, &ev, 1000, WALL, &r, &why), BOT_OK);
    cr_expect_gt(r.body.n, 0);
    cr_expect_str_eq(r.channel, "C1");
    cr_expect_str_eq(r.thread, "1.2");
    cr_expect_str_eq(r.org, "tewv");
    chat_reply_cleanup(&r);
    /* The same event redelivered, even much later within the TTL, is not answered. */
    cr_expect_eq(dispatch_event(d, &ev, 1000 + DISPATCH_SEEN_TTL_MS - 1, WALL, &r, &why),
                 BOT_EIGNORE);
    cr_expect_str_eq(why, "duplicate event");
    cr_expect_eq(r.body.n, 0);
    /* After the TTL it is a new event again. */
    cr_expect_eq(dispatch_event(d, &ev, 1000 + DISPATCH_SEEN_TTL_MS + 1, WALL, &r, &why),
                 BOT_OK);
    chat_reply_cleanup(&r);
    expect_no_leaks("dispatch_event");
}

struct filter_case {
    const char *name;
    bool from_self, from_bot;
    const char *subtype;
};

Test(dispatch, never_answers_bots_itself_or_subtypes)
{
    static const struct filter_case cases[] = {
        {"own message", true, false, NULL},
        {"another bot", false, true, NULL},
        {"an edit", false, false, "message_changed"},
        {"a join", false, false, "channel_join"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char id[16];
        struct chat_event ev;
        struct chat_reply r;
        const char *why;

        snprintf(id, sizeof(id), "EvF%zu", i);
        ev = event(id, "C1", "what are our values?");
        ev.from_self = cases[i].from_self;
        ev.from_bot = cases[i].from_bot;
        ev.subtype = (char *)cases[i].subtype;
        cr_expect_eq(dispatch_event(d, &ev, 5, WALL, &r, &why), BOT_EIGNORE, "%s",
                     cases[i].name);
        cr_expect_not_null(why, "%s", cases[i].name);
    }
}

Test(dispatch, paces_one_message_per_second_per_channel)
{
    cr_expect_eq(dispatch_pace(d, "C1", 10000), 0);
    cr_expect_eq(dispatch_pace(d, "C1", 10000), DISPATCH_PACE_MS);
    cr_expect_eq(dispatch_pace(d, "C1", 10100), 2 * DISPATCH_PACE_MS - 100);
    /* Other channels are not held up by C1. */
    cr_expect_eq(dispatch_pace(d, "C2", 10100), 0);
    /* Once the slot has passed, no wait. */
    cr_expect_eq(dispatch_pace(d, "C1", 20000), 0);
}

Test(dispatch, replies_carry_their_pacing_delay)
{
    struct chat_event a = event("EvP1", "C7", "what are our goals?");
    struct chat_event b = event("EvP2", "C7", "what is our vision?");
    struct chat_event c = event("EvP3", "C8", "what is our vision?");
    struct chat_reply r;
    const char *why;

    cr_assert_eq(dispatch_event(d, &a, 500, WALL, &r, &why), BOT_OK);
    cr_expect_eq(r.delay_ms, 0);
    chat_reply_cleanup(&r);
    cr_assert_eq(dispatch_event(d, &b, 500, WALL, &r, &why), BOT_OK);
    cr_expect_eq(r.delay_ms, DISPATCH_PACE_MS);
    chat_reply_cleanup(&r);
    cr_assert_eq(dispatch_event(d, &c, 500, WALL, &r, &why), BOT_OK);
    cr_expect_eq(r.delay_ms, 0);
    chat_reply_cleanup(&r);
}

Test(dispatch, routes_channel_then_workspace_then_default)
{
    struct config_route routes[] = {
        {.scope = "workspace", .id = "TCW", .org = "cwpt"},
        {.scope = "channel", .id = "CTEWV", .org = "tewv"},
    };
    struct chat_event ev = event("EvR", "CX", "x");

    cr_expect_str_eq(dispatch_route(cfg, &ev), cfg->default_org);
    cfg->slack.routes = routes;
    cfg->slack.nroutes = 2;
    ev.workspace = "TCW";
    cr_expect_str_eq(dispatch_route(cfg, &ev), "cwpt");
    ev.channel = "CTEWV";
    cr_expect_str_eq(dispatch_route(cfg, &ev), "tewv", "the channel route wins");
    ev.platform = "mattermost";
    cr_expect_str_eq(dispatch_route(cfg, &ev), cfg->default_org,
                     "routes are per platform");
    cfg->slack.routes = NULL;
    cfg->slack.nroutes = 0;
}

Test(dispatch, org_without_kb_gets_a_polite_decline)
{
    struct config_route routes[] = {{.scope = "channel", .id = "CNOKB", .org = "nokb"}};
    struct chat_event ev = event("EvN", "CNOKB", "what are our values?");
    struct chat_reply r;
    const char *why;
    char *text;

    cfg->slack.routes = routes;
    cfg->slack.nroutes = 1;
    cr_assert_eq(dispatch_event(d, &ev, 1, WALL, &r, &why), BOT_OK);
    text = reply_format_plain(&r.body);
    cr_expect(strstr(text, "Sorry") != NULL, "%s", text);
    cr_expect_null(strstr(text, "Respect"), "never another org's answer: %s", text);
    free(text);
    chat_reply_cleanup(&r);
    cfg->slack.routes = NULL;
    cfg->slack.nroutes = 0;
}

Test(dispatch, response_url_replies_are_not_paced)
{
    struct chat_event a = event("EvS1", "C9", "values");
    struct chat_event b = event("EvS2", "C9", "goals");
    struct chat_reply r;
    const char *why;

    a.reply_url = b.reply_url = "https://hooks.slack.com/x";
    cr_assert_eq(dispatch_event(d, &a, 1, WALL, &r, &why), BOT_OK);
    chat_reply_cleanup(&r);
    cr_assert_eq(dispatch_event(d, &b, 1, WALL, &r, &why), BOT_OK);
    cr_expect_eq(r.delay_ms, 0);
    cr_expect_str_eq(r.reply_url, "https://hooks.slack.com/x");
    chat_reply_cleanup(&r);
}

Test(dispatch, tour_asked_in_a_channel_moves_to_the_dm)
{
    struct chat_event ev = event("EvT1", "C1", "I'm new, start induction");
    struct chat_event next = event("EvT2", "D1", "next");
    struct chat_reply r;
    const char *why;
    char key_channel[128], key_dm[128];

    cr_assert_eq(dispatch_event(d, &ev, 1, WALL, &r, &why), BOT_OK);
    cr_expect_str_eq(r.dm_user, "U1", "the tour goes to the person's DM");
    cr_expect_null(r.thread);
    cr_expect_null(r.reply_url);
    chat_reply_cleanup(&r);
    /* The DM is the same conversation: "next" continues the tour. */
    next.is_dm = true;
    next.thread = NULL;
    dispatch_key(&ev, key_channel, sizeof(key_channel));
    dispatch_key(&next, key_dm, sizeof(key_dm));
    cr_expect_str_eq(key_channel, key_dm);
    cr_assert_eq(dispatch_event(d, &next, 2, WALL + 5, &r, &why), BOT_OK);
    cr_expect_null(r.dm_user, "already in the DM");
    cr_expect_str_eq(r.channel, "D1");
    chat_reply_cleanup(&r);
}

Test(dispatch, digest_goes_to_the_channel_not_a_thread)
{
    struct chat_event ev = event("EvD1", "C5", "post our goals here");
    struct chat_reply r;
    const char *why;

    cr_assert_eq(dispatch_event(d, &ev, 1, WALL, &r, &why), BOT_OK);
    cr_expect(r.in_channel);
    cr_expect_null(r.thread);
    cr_expect_str_eq(r.channel, "C5");
    chat_reply_cleanup(&r);
}

Test(dispatch, answers_stay_in_the_thread)
{
    struct chat_event ev = event("EvA1", "C5", "what is our vision?");
    struct chat_reply r;
    const char *why;

    cr_assert_eq(dispatch_event(d, &ev, 1, WALL, &r, &why), BOT_OK);
    cr_expect_not(r.in_channel);
    cr_expect_null(r.dm_user);
    cr_expect_str_eq(r.thread, "1.2");
    chat_reply_cleanup(&r);
}
