/*
 * converse.c - the conversation step shared by every platform.
 *
 * Order matters: a tour trigger starts (or restarts) a tour; a live tour
 * sees the message next, so "next" moves it and a question is answered
 * and followed by a reminder; then a manager's request for a digest; then
 * the answer engine.  The decline and low-confidence answers are recorded
 * here, once, whichever path produced them.
 */
#include "bot/core/converse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/xmalloc.h"
#include "bot/core/compose.h"
#include "bot/core/induction.h"
#include "bot/core/store.h"
#include "bot/core/summary.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_set.h"
#include "bot/kb/kb_text.h"

struct converse {
    struct kb_engine *engine; /* borrowed */
    const struct kb_set *set; /* borrowed */
    struct store *st;         /* borrowed, may be NULL */
    struct induction *ind;    /* owned */
    struct kb_text *text;     /* owned: word splitting for commands and triggers */
    double threshold;
};

struct converse *
converse_new(struct kb_engine *engine, const struct kb_set *set, struct store *st,
             double threshold, unsigned tour_timeout)
{
    struct converse *cv = xcalloc(1, sizeof(*cv));

    cv->engine = engine;
    cv->set = set;
    cv->st = st;
    cv->threshold = threshold;
    cv->ind = induction_new(tour_timeout, 0);
    cv->text = kb_text_new();
    return cv;
}

void
converse_free(struct converse *cv)
{
    if (cv == NULL)
        return;
    induction_free(cv->ind);
    kb_text_free(cv->text);
    free(cv);
}

void
converse_swap(struct converse *cv, struct kb_engine *engine, const struct kb_set *set)
{
    cv->engine = engine;
    cv->set = set;
}

void
converse_reply_cleanup(struct converse_reply *out)
{
    reply_cleanup(&out->reply);
}

size_t
converse_expire(struct converse *cv, time_t now)
{
    return induction_expire(cv->ind, now);
}

size_t
converse_tours(const struct converse *cv)
{
    return induction_count(cv->ind);
}

/* "value: Compassion", "goal 2: we will be a great employer", or the intent's name. */
static char *
best_guess(const struct kb_answer *a)
{
    const struct kb *kb = a->kb;
    const struct kb_doc_ref *ref = a->nrefs ? &a->refs[0] : NULL;

    if (ref == NULL)
        return xstrdup(kb_intent_name(a->intent));
    switch (ref->kind) {
    case KB_DOC_GOAL: {
        size_t skip;

        return xasprintf("goal %u: %s", kb->goals[ref->item].number,
                         compose_goal_title(&kb->goals[ref->item], &skip));
    }
    case KB_DOC_VALUE:
        return xasprintf("value: %s", kb->values[ref->item].name);
    case KB_DOC_BEHAVIOUR:
        return xasprintf("value: %s (%s)", kb->values[ref->item].name,
                         kb->values[ref->item].behaviours[ref->sub].text);
    case KB_DOC_MISSION:
        return xstrdup("mission");
    case KB_DOC_VISION:
        return xstrdup("vision");
    case KB_DOC_AMBITION:
        return xasprintf("%s: %s", kb->ambitions[ref->item].kind,
                         kb->ambitions[ref->item].title);
    case KB_DOC_PASSAGE:
        return xasprintf("passage: %s", kb->passages[ref->item].section[0]
                                            ? kb->passages[ref->item].section
                                            : "(no section)");
    }
    return xstrdup(kb_intent_name(a->intent));
}

bool
converse_record(struct store *st, const char *question, const struct kb_answer *a,
                double threshold, time_t now)
{
    char *guess;
    bool ok;

    if (st == NULL || a->intent == KB_INTENT_GREETING || a->intent == KB_INTENT_THANKS ||
        a->intent == KB_INTENT_HELP)
        return false;
    if (a->answered && a->confidence >= threshold + CONVERSE_LOW_MARGIN)
        return false;
    if (a->intent == KB_INTENT_CLINICAL)
        return store_record(st, a->kb->org, now, "(clinical question: text not kept)",
                            "clinical", a->confidence) == BOT_OK;
    guess = best_guess(a);
    ok = store_record(st, a->kb->org, now, question, guess, a->confidence) == BOT_OK;
    free(guess);
    return ok;
}

static void
answer(struct converse *cv, const char *org, const char *text, size_t len, time_t now,
       struct converse_reply *out)
{
    struct kb_answer a;
    char *q = xmalloc(len + 1);

    memcpy(q, text, len);
    q[len] = '\0';
    kb_engine_answer(cv->engine, org, q, len, &a);
    compose_answer(&a, &out->reply);
    out->target = CONVERSE_TARGET_THREAD;
    if (a.intent == KB_INTENT_HELP || a.intent == KB_INTENT_GREETING ||
        a.intent == KB_INTENT_THANKS)
        out->kind = CONVERSE_HELP;
    else
        out->kind = a.answered ? CONVERSE_ANSWER : CONVERSE_DECLINE;
    out->recorded = converse_record(cv->st, q, &a, cv->threshold, now);
    free(q);
}

bool
converse_handle(struct converse *cv, const char *key, const char *org, const char *text,
                size_t len, time_t now, struct converse_reply *out)
{
    const struct kb *kb = kb_set_find(cv->set, org);
    enum summary_kind sk;

    memset(out, 0, sizeof(*out));
    if (kb == NULL)
        return false;
    if (len > KB_QUESTION_MAX)
        len = KB_QUESTION_MAX;
    if (induction_is_trigger(cv->text, text, len)) {
        induction_start(cv->ind, key, kb, now, &out->reply);
        out->target = CONVERSE_TARGET_DM;
        out->kind = CONVERSE_TOUR;
        return true;
    }
    switch (induction_handle(cv->ind, key, kb, cv->text, text, len, now, &out->reply)) {
    case INDUCTION_HANDLED:
        out->target = CONVERSE_TARGET_DM;
        out->kind = CONVERSE_TOUR;
        return true;
    case INDUCTION_QUESTION:
        answer(cv, org, text, len, now, out);
        induction_resume(cv->ind, key, kb, &out->reply);
        out->target = CONVERSE_TARGET_DM;
        return true;
    case INDUCTION_NONE:
        break;
    }
    if (summary_request_parse(cv->text, kb, text, len, &sk)) {
        summary_compose(kb, sk, &out->reply);
        out->target = CONVERSE_TARGET_CHANNEL;
        out->kind = CONVERSE_SUMMARY;
        return true;
    }
    answer(cv, org, text, len, now, out);
    return true;
}
