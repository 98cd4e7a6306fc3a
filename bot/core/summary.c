/*
 * summary.c - strategy digests for channels, and the value of the week.
 *
 * The KB's own wording throughout; nothing from the request is copied into
 * the digest.  A goal gets one line: its title, and its description when
 * that is a sentence rather than the lead-in to a list ("Our colleagues
 * will:").
 */
#include "bot/core/summary.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/buf.h"
#include "bot/base/xmalloc.h"
#include "bot/core/compose.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_query.h"
#include "bot/kb/kb_text.h"

#define SUMMARY_WORDS 64 /* words of a request looked at */

static void
add_goals(const struct kb *kb, bool heading, struct reply *r)
{
    if (heading)
        reply_addf(r, REPLY_HEADING, NULL, "Our %s",
                   kb->goals_label[0] ? kb->goals_label : "goals");
    for (size_t i = 0; i < kb->ngoals; i++) {
        const struct kb_goal *g = &kb->goals[i];
        size_t dl = strlen(g->description);
        char *item;
        const char *title;

        compose_goal_label(kb, g, &item, &title);
        if (dl > 0 && g->description[dl - 1] != ':')
            reply_addf(r, REPLY_ITEM, item, "%s: %s", title, g->description);
        else
            reply_add(r, REPLY_ITEM, item, title);
        free(item);
    }
}

static void
add_values(const struct kb *kb, bool heading, struct reply *r)
{
    if (heading)
        reply_add(r, REPLY_HEADING, NULL, "Our values");
    for (size_t i = 0; i < kb->nvalues; i++)
        compose_value(&kb->values[i], r);
}

void
summary_compose(const struct kb *kb, enum summary_kind kind, struct reply *r)
{
    switch (kind) {
    case SUMMARY_VALUE_OF_WEEK:
        summary_value_of_week(kb, 0, r);
        return;
    case SUMMARY_GOALS:
        reply_addf(r, REPLY_HEADING, NULL, "%s: our %s", kb_strategy_title(kb),
                   kb->goals_label[0] ? kb->goals_label : "goals");
        if (kb->ngoals == 0)
            reply_addf(r, REPLY_PARA, NULL, "%s names no %s.", kb_strategy_title(kb),
                       kb->goals_label);
        else
            add_goals(kb, false, r);
        break;
    case SUMMARY_VALUES:
        reply_addf(r, REPLY_HEADING, NULL, "%s: our values", kb_strategy_title(kb));
        if (kb->nvalues == 0)
            reply_addf(r, REPLY_PARA, NULL, "%s names no values.", kb_strategy_title(kb));
        else
            add_values(kb, false, r);
        break;
    case SUMMARY_STRATEGY:
        reply_addf(r, REPLY_HEADING, NULL, "%s in brief", kb_strategy_title(kb));
        if (kb->mission.text)
            reply_add(r, REPLY_ITEM, "Mission", kb->mission.text);
        if (kb->vision.text)
            reply_add(r, REPLY_ITEM, "Vision", kb->vision.text);
        if (kb->ngoals)
            add_goals(kb, true, r);
        if (kb->nvalues)
            add_values(kb, true, r);
        break;
    }
    compose_source(kb, r);
}

void
summary_value_of_week(const struct kb *kb, unsigned long n, struct reply *r)
{
    const struct kb_value *v;

    if (kb->nvalues == 0) {
        summary_compose(kb, SUMMARY_GOALS, r);
        return;
    }
    v = &kb->values[n % kb->nvalues];
    reply_addf(r, REPLY_HEADING, NULL, "Value of the week: %s", v->name);
    compose_value_detail(kb, v, "What does it mean in your team?", r);
    compose_source(kb, r);
}

/* Does a message starting with @w ask a question ("who put ...") rather than give an
 * order? */
static bool
asks_who_when(const char *w)
{
    static const char *const words[] = {"who",   "whos", "when", "whens",
                                        "where", "why",  NULL};

    return kb_text_in_list(w, words);
}

/* What a word of a digest request says: one bit per list (summary_request_parse()). */
enum {
    REQ_POST = 1u << 0,
    REQ_DIGEST = 1u << 1,
    REQ_AUDIENCE = 1u << 2,
    REQ_GOALS = 1u << 3,
    REQ_VALUES = 1u << 4,
    REQ_WHOLE = 1u << 5,
};

bool
summary_request_parse(const struct kb *kb, const struct kb_query *kq,
                      enum summary_kind *kind)
{
    static const char *const post[] = {"post", "share", "pin", "put", "send", NULL};
    static const char *const digest[] = {"summary", "summarise", "digest", "overview",
                                         "roundup", "recap",     NULL};
    static const char *const audience[] = {"here",      "channel", "team", "everyone",
                                           "everybody", "staff",   NULL};
    static const char *const goals[] = {"goal",       "goals",     "priority",
                                        "priorities", "objective", "objectives",
                                        "ambitions",  NULL};
    static const char *const values[] = {"value", "values", "behaviours", NULL};
    static const char *const whole[] = {"strategy", "summary",    "digest",
                                        "overview", "everything", NULL};
    /* In the order of the REQ_* bits. */
    static const char *const *const lists[] = {post,  digest, audience,
                                               goals, values, whole};
    static struct kb_text_wordsets sets = KB_TEXT_WORDSETS_INIT(lists);
    const struct kb_word *w = kq->words;
    size_t n = kq->nwords < SUMMARY_WORDS ? kq->nwords : SUMMARY_WORDS, start;
    bool slash, has_post = false, has_digest = false, has_audience = false;
    bool has_goals = false, has_values = false, has_whole = false;
    const char *label_word = NULL;

    slash = kq->slash;
    if (kb != NULL && kb->goals_label[0]) {
        label_word = strrchr(kb->goals_label, ' ');
        label_word = label_word ? label_word + 1 : kb->goals_label;
    }
    /* "/strategy summary": the command word itself says what to summarise. */
    start = slash ? 1 : 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = w[i].surface;
        uint32_t bits = kb_text_wordsets_find(&sets, s);

        has_post |= i >= start && (bits & REQ_POST);
        has_digest |= i >= start && (bits & REQ_DIGEST);
        has_audience |= i >= start && (bits & REQ_AUDIENCE);
        has_goals |= (bits & REQ_GOALS) || (label_word && strcmp(s, label_word) == 0);
        has_values |= (bits & REQ_VALUES) != 0;
        has_whole |= (bits & REQ_WHOLE) != 0;
    }
    if (slash) {
        if (n < 2 || !(has_digest || has_post))
            return false;
    } else if (!(has_post || (has_digest && has_audience))) {
        return false;
    } else if (n > 0 && asks_who_when(w[0].surface)) {
        return false; /* "who put the values together": a question, no order */
    }
    if (has_goals && !has_values)
        *kind = SUMMARY_GOALS;
    else if (has_values && !has_goals)
        *kind = SUMMARY_VALUES;
    else if (has_values || has_goals || has_whole)
        *kind = SUMMARY_STRATEGY;
    else
        return false;
    return true;
}

const char *
summary_kind_name(enum summary_kind kind)
{
    switch (kind) {
    case SUMMARY_STRATEGY:
        return "digest";
    case SUMMARY_GOALS:
        return "goals";
    case SUMMARY_VALUES:
        return "values";
    case SUMMARY_VALUE_OF_WEEK:
        return "value_of_the_week";
    }
    return "digest";
}

bool
summary_kind_parse(const char *name, enum summary_kind *kind)
{
    if (strcmp(name, "digest") == 0 || strcmp(name, "strategy") == 0)
        *kind = SUMMARY_STRATEGY;
    else if (strcmp(name, "goals") == 0)
        *kind = SUMMARY_GOALS;
    else if (strcmp(name, "values") == 0)
        *kind = SUMMARY_VALUES;
    else if (strcmp(name, "value_of_the_week") == 0)
        *kind = SUMMARY_VALUE_OF_WEEK;
    else
        return false;
    return true;
}
