/*
 * test_summary.c - digests for channels and the value of the week
 * (bot/core/summary.c): exact plain-text output for both committed KBs and
 * a fixture trust, and which requests ask for a digest.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tests/core/test_message.h"
#include "tests/test_util.h"

#include "bot/base/xmalloc.h"
#include "bot/core/summary.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_query.h"
#include "bot/kb/kb_text.h"

static struct kb *
load(const char *path)
{
    struct kb *kb;
    char *why = NULL;

    cr_assert_eq(kb_load_file(path, &kb, &why), BOT_OK, "%s: %s", path, why);
    return kb;
}

static char *
render(const struct kb *kb, enum summary_kind kind)
{
    struct reply r = {0};
    char *s;

    summary_compose(kb, kind, &r);
    s = reply_format_plain(&r);
    reply_cleanup(&r);
    return s;
}

Test(summary, tewv_goals_exactly)
{
    struct kb *kb = load("knowledge/tewv.json");
    char *s = render(kb, SUMMARY_GOALS);

    cr_expect_str_eq(s, "Our Journey to Change: our goals\n"
                        "  • Goal 1: we will co-create high quality care\n"
                        "  • Goal 2: we will be a great employer\n"
                        "  • Goal 3: we will be a trusted partner\n"
                        "\n"
                        "Source: Our Journey to Change, Tees, Esk and Wear Valleys NHS "
                        "Foundation Trust.");
    free(s);
    kb_free(kb);
    expect_no_leaks("goals");
}

Test(summary, tewv_values_exactly)
{
    struct kb *kb = load("knowledge/tewv.json");
    char *s = render(kb, SUMMARY_VALUES);

    cr_expect_str_eq(
        s,
        "Our Journey to Change: our values\n"
        "  • Respect: We are: Inclusive; Considerate; Open and honest\n"
        "  • Compassion: We are: Kind; Fair; Listening and acting\n"
        "  • Responsibility: We are: Accountable; Reliable and productive; Challenging "
        "and improving\n"
        "\n"
        "Source: Our Journey to Change, Tees, Esk and Wear Valleys NHS Foundation "
        "Trust.");
    free(s);
    kb_free(kb);
}

Test(summary, whole_strategy_has_every_part_in_order)
{
    struct kb *kb = load("knowledge/tewv.json");
    char *s = render(kb, SUMMARY_STRATEGY);
    const char *parts[] = {"Our Journey to Change in brief",
                           "Mission: We will support",
                           "Vision: We provide",
                           "Our goals",
                           "Goal 3: we will be a trusted",
                           "Our values",
                           "Responsibility: We are",
                           "Source: "};
    const char *at = s;

    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        const char *p = strstr(at, parts[i]);

        cr_expect_not_null(p, "\"%s\" missing or out of order in:\n%s", parts[i], s);
        if (p)
            at = p;
    }
    free(s);
    kb_free(kb);
}

Test(summary, cwpt_priorities_use_their_own_name_and_one_line_each)
{
    struct kb *kb = load("knowledge/cwpt.json");
    struct reply r = {0};

    summary_compose(kb, SUMMARY_GOALS, &r);
    cr_assert_eq(r.n, 1 + kb->ngoals + 1);
    cr_expect_str_eq(r.blocks[0].text, "People at our Heart: our strategic priorities");
    for (size_t i = 0; i < kb->ngoals; i++) {
        cr_expect_eq(r.blocks[1 + i].kind, REPLY_ITEM);
        cr_expect_null(strchr(r.blocks[1 + i].text, '\n'), "one line");
        cr_expect_eq(strncmp(r.blocks[1 + i].label, "Priority ", 9), 0);
    }
    cr_expect_eq(r.blocks[r.n - 1].kind, REPLY_SOURCE);
    reply_cleanup(&r);
    kb_free(kb);
}

Test(summary, values_named_without_behaviours_are_listed_by_name)
{
    struct kb *kb = load("knowledge/cwpt.json");
    char *s = render(kb, SUMMARY_VALUES);

    cr_expect_str_eq(s, "People at our Heart: our values\n"
                        "  • Compassion\n"
                        "  • Respect\n"
                        "  • Collaboration\n"
                        "  • Excellence\n"
                        "  • Integrity\n"
                        "\n"
                        "Source: People at our Heart, Coventry and Warwickshire "
                        "Partnership NHS Trust.");
    free(s);
    kb_free(kb);
}

Test(summary, value_of_the_week_rotates)
{
    struct kb *kb = load("tests/data/induction/northdale.json");
    struct reply r = {0};
    char *s;

    summary_value_of_week(kb, 0, &r);
    s = reply_format_plain(&r);
    cr_expect_str_eq(s, "Value of the week: Courage\n"
                        "\n"
                        "We speak up and try new things.\n"
                        "\n"
                        "Living Courage means we are:\n"
                        "\n"
                        "  • Speaking up\n"
                        "  • Trying new ideas\n"
                        "\n"
                        "Source: Better Together 2030, Northdale Community Health NHS "
                        "Trust.");
    free(s);
    reply_cleanup(&r);
    summary_value_of_week(kb, 4, &r);
    cr_expect_str_eq(r.blocks[0].text, "Value of the week: Kindness", "4 mod 3 = 1");
    reply_cleanup(&r);
    summary_value_of_week(kb, 2, &r);
    cr_expect_str_eq(r.blocks[0].text, "Value of the week: Openness");
    cr_expect_not_null(strstr(r.blocks[1].text, "one of our 3 values"));
    reply_cleanup(&r);
    kb_free(kb);
}

struct request_case {
    const char *text;
    bool want;
    enum summary_kind kind;
};

static const struct request_case requests[] = {
    {"post our goals here", true, SUMMARY_GOALS},
    {"summary of our values for the team", true, SUMMARY_VALUES},
    {"/strategy summary", true, SUMMARY_STRATEGY},
    {"/values summary", true, SUMMARY_VALUES},
    {"/goals digest", true, SUMMARY_GOALS},
    {"Could you share the strategy with the channel?", true, SUMMARY_STRATEGY},
    {"please post our strategic aims here", true, SUMMARY_GOALS},
    {"post a digest of our goals and values", true, SUMMARY_STRATEGY},
    {"what are our values?", false, 0},
    {"summarise the strategy", false, 0},
    {"what does the strategy say about team working?", false, 0},
    {"post", false, 0},
    {"/values induction", false, 0},
    {"/strategy", false, 0},
    {"who put the values together?", false, 0},
    {"when did we share our goals with staff", false, 0},
    {"", false, 0},
    {"\xff\xfe post values", true, SUMMARY_VALUES},
};

Test(summary, which_requests_ask_for_a_digest)
{
    struct kb *kb = load("tests/data/induction/northdale.json");
    struct kb_text *t = kb_text_new();

    for (size_t i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
        const struct request_case *c = &requests[i];
        enum summary_kind kind = SUMMARY_VALUE_OF_WEEK;
        struct kb_query kq = message(t, c->text);
        bool got = summary_request_parse(kb, &kq, &kind);

        kb_query_cleanup(&kq);
        cr_expect_eq(got, c->want, "\"%s\": got %d", c->text, got);
        if (got && c->want)
            cr_expect_eq(kind, c->kind, "\"%s\": kind %s", c->text,
                         summary_kind_name(kind));
    }
    kb_text_free(t);
    kb_free(kb);
}

Test(summary, kind_names_round_trip)
{
    enum summary_kind kinds[] = {SUMMARY_STRATEGY, SUMMARY_GOALS, SUMMARY_VALUES,
                                 SUMMARY_VALUE_OF_WEEK};
    enum summary_kind k;

    for (size_t i = 0; i < 4; i++) {
        cr_expect(summary_kind_parse(summary_kind_name(kinds[i]), &k));
        cr_expect_eq(k, kinds[i]);
    }
    cr_expect(summary_kind_parse("strategy", &k));
    cr_expect_eq(k, SUMMARY_STRATEGY);
    cr_expect(!summary_kind_parse("weekly", &k));
}
