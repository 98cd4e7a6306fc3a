/*
 * converse.c - the conversation step shared by every platform.
 *
 * The message is analysed once, then order matters: a tour trigger starts
 * (or restarts) a tour; a live tour sees the message next, so "next" moves
 * it and a question is answered and followed by a reminder; then a
 * manager's request for a digest; then the answer engine, with a follow-up
 * read in the context of the last answer and a second question answered
 * after the first.  The decline and low-confidence answers are recorded
 * here, once, whichever path produced them.
 */
#include "bot/core/converse.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/buf.h"
#include "bot/base/xmalloc.h"
#include "bot/core/compose.h"
#include "bot/core/converse_ctx.h"
#include "bot/core/induction.h"
#include "bot/core/store.h"
#include "bot/core/summary.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_query.h"
#include "bot/kb/kb_set.h"
#include "bot/kb/kb_text.h"

#define CONVERSE_QUESTION_MAX 8192 /* bytes of a question read in context */

struct converse {
    struct kb_engine *engine; /* borrowed */
    const struct kb_set *set; /* borrowed */
    struct store *st;         /* borrowed, may be NULL */
    struct induction *ind;    /* owned */
    struct kb_text *text;     /* owned: splits the check options' and passages' words */
    double threshold;
    unsigned tour_timeout;       /* as given to converse_new() */
    unsigned timeout;            /* seconds a context is kept */
    struct converse_ctx_set ctx; /* what each conversation's last answer was about */
};

const char *
converse_kind_name(enum converse_kind kind)
{
    switch (kind) {
    case CONVERSE_ANSWER:
        return "answer";
    case CONVERSE_DECLINE:
        return "decline";
    case CONVERSE_HELP:
        return "help";
    case CONVERSE_TOUR:
        return "tour";
    case CONVERSE_SUMMARY:
        return "summary";
    }
    return "help";
}

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
    cv->tour_timeout = tour_timeout;
    cv->timeout = tour_timeout ? tour_timeout : INDUCTION_TIMEOUT;
    cv->text = kb_text_new();
    converse_ctx_init(&cv->ctx, CONVERSE_MAX_CONTEXTS);
    return cv;
}

void
converse_free(struct converse *cv)
{
    if (cv == NULL)
        return;
    induction_free(cv->ind);
    kb_text_free(cv->text);
    converse_ctx_cleanup(&cv->ctx);
    free(cv);
}

void
converse_reset(struct converse *cv)
{
    converse_ctx_cleanup(&cv->ctx);
    converse_ctx_init(&cv->ctx, CONVERSE_MAX_CONTEXTS);
    induction_free(cv->ind);
    cv->ind = induction_new(cv->tour_timeout, 0);
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
    converse_ctx_expire(&cv->ctx, now, cv->timeout);
    return induction_expire(cv->ind, now);
}

size_t
converse_contexts(const struct converse *cv)
{
    return cv->ctx.n;
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

/* -- context: what the last answer was about ------------------------------ */

/* The context of @key, unless it has expired or is another org's (then forgotten). */
static struct converse_ctx *
context_find(struct converse *cv, const char *key, const char *org, time_t now)
{
    struct converse_ctx *c = converse_ctx_find(&cv->ctx, key);

    if (c != NULL && (now - c->last >= (time_t)cv->timeout || strcmp(c->org, org) != 0)) {
        converse_ctx_remove(&cv->ctx, c);
        return NULL;
    }
    return c;
}

static bool
is_smalltalk(enum kb_intent intent)
{
    return intent == KB_INTENT_GREETING || intent == KB_INTENT_THANKS ||
           intent == KB_INTENT_HELP;
}

/* Does the stem name what a list item holds: behaviours, meaning, points, measures? */
static bool
is_aspect(const char *st)
{
    static const char *const stems[] = {"behaviour", "mean",   "point",  "descript",
                                        "detail",    "measur", "target", NULL};

    /* Most words start with none of the stems' letters: one test each. */
    if (st[0] == '\0' || strchr("bdmpt", st[0]) == NULL)
        return false;
    for (size_t k = 0; stems[k] != NULL; k++) {
        if (strcmp(st, stems[k]) == 0)
            return true;
    }
    return false;
}

/* Was the text of @kq about behaviours, meaning or points (what a list item holds)? */
static bool
asks_detail(const struct kb_query *kq)
{
    for (size_t i = 0; i < kq->nwords; i++) {
        if (is_aspect(kq->words[i].stem) || (kq->words[i].surface[0] == 'u' &&
                                             strcmp(kq->words[i].surface, "under") == 0))
            return true;
    }
    return false;
}

/* What @a was about; CONVERSE_CTX_NONE for anything a follow-up cannot lean on. */
static enum converse_ctx_topic
answer_topic(const struct kb_answer *a, size_t *item)
{
    *item = a->nrefs > 0 ? a->refs[0].item : 0;
    switch (a->intent) {
    case KB_INTENT_VALUES:
    case KB_INTENT_COUNT_VALUES:
    case KB_INTENT_NOT_A_VALUE:
        return CONVERSE_CTX_VALUES;
    case KB_INTENT_VALUE:
        return a->nrefs == 1 ? CONVERSE_CTX_VALUE : CONVERSE_CTX_VALUES;
    case KB_INTENT_VALUE_LOOKUP:
        return a->nrefs > 0 ? CONVERSE_CTX_VALUE : CONVERSE_CTX_VALUES;
    case KB_INTENT_GOALS:
    case KB_INTENT_COUNT_GOALS:
    case KB_INTENT_NO_SUCH_GOAL:
        return CONVERSE_CTX_GOALS;
    case KB_INTENT_GOAL:
        return a->nrefs == 1 && a->refs[0].kind == KB_DOC_GOAL ? CONVERSE_CTX_GOAL
                                                               : CONVERSE_CTX_GOALS;
    default:
        return CONVERSE_CTX_NONE;
    }
}

/*
 * Remembers what @a (the answer to @kq) was about for @key.  Small talk
 * keeps the context ("thanks! and for pride?"); any other answer replaces
 * it, and one no follow-up can lean on forgets it.
 */
static void
context_note(struct converse *cv, const char *key, const struct kb_query *kq,
             const struct kb_answer *a, time_t now)
{
    struct converse_ctx *c = context_find(cv, key, a->kb->org, now);
    size_t item;
    enum converse_ctx_topic topic = answer_topic(a, &item);

    if (is_smalltalk(a->intent)) {
        if (c != NULL)
            c->last = now;
        return;
    }
    if (topic == CONVERSE_CTX_NONE) {
        if (c != NULL)
            converse_ctx_remove(&cv->ctx, c);
        return;
    }
    if (c == NULL)
        c = converse_ctx_add(&cv->ctx, key, a->kb->org);
    c->topic = topic;
    c->item = item;
    c->detail = a->detail || asks_detail(kq);
    c->last = now;
}

/* Appends the words @from..@to of @kq to @b, space separated. */
static void
add_words(struct buf *b, const struct kb_query *kq, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        (void)buf_printf(b, " %s", kq->words[i].surface);
}

/*
 * Which item of a list of @n the word names ("3", "third", "three", "last"):
 * 1-based, or 0 when it names none.  "one" alone is a pronoun ("the second
 * one"), not a position.
 */
static size_t
position(const char *w, size_t n)
{
    static const char *const words[] = {"first", "second", "third",   "fourth",
                                        "fifth", "sixth",  "seventh", "eighth",
                                        "ninth", "tenth",  NULL};
    static const char *const numbers[] = {
        "", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", NULL};

    if (isdigit((unsigned char)w[0]))
        return strtoul(w, NULL, 10);
    if (strcmp(w, "last") == 0)
        return n;
    for (size_t i = 0; words[i] != NULL; i++) {
        if (strcmp(w, words[i]) == 0 || strcmp(w, numbers[i]) == 0)
            return i + 1;
    }
    return 0;
}

/* Is what @kq asks about an aspect alone ("the behaviours", "its meaning")? */
static bool
only_aspect(const struct kb_query *kq)
{
    bool any = false;

    for (size_t i = kq->rest; i < kq->nwords; i++) {
        if (is_aspect(kq->words[i].stem))
            any = true;
        else if (!kb_text_is_stopword(kq->words[i].surface))
            return false;
    }
    return any;
}

/*
 * Writes the words of @kq to @b with its first pronoun for what was answered
 * (@plural: a list, "they", "them", "their", "those", "these"; else one item,
 * "it", "its") replaced by @subject.  Returns false when it has none.
 */
static bool
replace_pronoun(struct buf *b, const struct kb_query *kq, bool plural,
                const char *subject)
{
    static const char *const many[] = {"they", "them", "their", "those", "these", NULL};
    static const char *const one[] = {"it", "its", NULL};
    const char *const *set = plural ? many : one;
    size_t at = kq->nwords;

    for (size_t i = 0; i < kq->nwords && at == kq->nwords; i++) {
        for (size_t k = 0; set[k] != NULL; k++) {
            if (strcmp(kq->words[i].surface, set[k]) == 0)
                at = i;
        }
    }
    if (at == kq->nwords)
        return false;
    for (size_t i = 0; i < kq->nwords; i++)
        (void)buf_printf(b, "%s%s", i ? " " : "",
                         i == at ? subject : kq->words[i].surface);
    return true;
}

/*
 * Reads the follow-up @kq in context @c: returns the question it stands for
 * ("and for pride?" after the behaviours of Kindness: "what are the
 * behaviours for pride"), built from the KB's words and the follow-up's own,
 * or NULL when @kq does not lean on @c.  Free with free().
 */
static char *
read_in_context(const struct kb *kb, const struct converse_ctx *c,
                const struct kb_query *kq)
{
    bool values = c->topic == CONVERSE_CTX_VALUES || c->topic == CONVERSE_CTX_VALUE;
    const char *noun = values ? "value" : "goal";
    struct buf b;
    char *subject;
    bool aspect = false;
    size_t pos = 0;

    /* "and the behaviours?": a topic word, but only the aspect of what was answered. */
    if (kq->topical && !(kq->follow == KB_FOLLOW_ITEM && only_aspect(kq)))
        return NULL;
    /* A reload may have taken the item away. */
    if ((c->topic == CONVERSE_CTX_VALUE && c->item >= kb->nvalues) ||
        (c->topic == CONVERSE_CTX_GOAL && c->item >= kb->ngoals))
        return NULL;
    if (c->topic == CONVERSE_CTX_VALUE)
        subject = xasprintf("%s", kb->values[c->item].name);
    else if (c->topic == CONVERSE_CTX_GOAL)
        subject = xasprintf("goal %u", kb->goals[c->item].number);
    else
        subject = xasprintf("our %ss", noun);
    buf_init(&b, CONVERSE_QUESTION_MAX);
    for (size_t i = kq->rest; i < kq->nwords; i++) {
        aspect = aspect || is_aspect(kq->words[i].stem);
        if (pos == 0)
            pos = position(kq->words[i].surface, values ? kb->nvalues : kb->ngoals);
    }
    switch (kq->follow) {
    case KB_FOLLOW_MORE:
        if (c->topic == CONVERSE_CTX_VALUE)
            (void)buf_printf(&b, "what does %s mean and what are its behaviours",
                             subject);
        else if (c->topic == CONVERSE_CTX_GOAL)
            (void)buf_printf(&b, "what is under %s", subject);
        else
            (void)buf_printf(&b, "what are %s and what is under each one", subject);
        break;
    case KB_FOLLOW_WHICH:
        /* "which one is about staff?": which value (or goal) is about staff. */
        (void)buf_printf(&b, "which %s", noun);
        add_words(&b, kq, kq->rest, kq->nwords);
        break;
    case KB_FOLLOW_ITEM:
        if (kq->rest == kq->nwords) {
            free(subject);
            buf_cleanup(&b);
            return NULL;
        }
        if (aspect) {
            /* "and the behaviours?": the behaviours of what was answered. */
            (void)buf_printf(&b, "what");
            add_words(&b, kq, kq->rest, kq->nwords);
            (void)buf_printf(&b, " of %s", subject);
        } else if (pos > 0 && values) {
            /* "and the second one?": that value of the list. */
            if (pos > kb->nvalues) {
                free(subject);
                buf_cleanup(&b);
                return NULL;
            }
            (void)buf_printf(&b, "what does %s mean", kb->values[pos - 1].name);
        } else if (pos > 0) {
            /* "what about 3", "and the third one?": that goal (the engine reads numbers).
             */
            (void)buf_printf(&b, "what is goal %zu", pos);
        } else if (values && c->detail) {
            /* "and for pride?" after the behaviours of a value. */
            (void)buf_printf(&b, "what are the behaviours for");
            add_words(&b, kq, kq->rest, kq->nwords);
        } else if (values) {
            (void)buf_printf(&b, "what does");
            add_words(&b, kq, kq->rest, kq->nwords);
            (void)buf_printf(&b, " mean as one of our values");
        } else {
            (void)buf_printf(&b, "which goal is about");
            add_words(&b, kq, kq->rest, kq->nwords);
        }
        break;
    case KB_FOLLOW_NONE:
        /* "what do they mean?" after the goals: the pronoun stands for them. */
        if (!replace_pronoun(
                &b, kq, c->topic == CONVERSE_CTX_VALUES || c->topic == CONVERSE_CTX_GOALS,
                subject)) {
            free(subject);
            buf_cleanup(&b);
            return NULL;
        }
        break;
    }
    free(subject);
    return buf_take(&b);
}

/* -- answering ------------------------------------------------------------- */

static enum converse_kind
kind_of(const struct kb_answer *a)
{
    if (is_smalltalk(a->intent))
        return CONVERSE_HELP;
    return a->answered ? CONVERSE_ANSWER : CONVERSE_DECLINE;
}

/*
 * Answers @kq, read in the context @c (may be NULL) when it leans on it,
 * into @a (out).  Returns the question text that was answered in context
 * (free with free()), or NULL when @kq was answered as it stands.
 */
static char *
answer_in_context(struct converse *cv, const char *org, const struct converse_ctx *c,
                  struct kb_query *kq, struct kb_answer *a)
{
    char *q = c != NULL ? read_in_context(kq->kb, c, kq) : NULL;
    struct kb_query rq;

    if (q != NULL && kb_engine_analyse(cv->engine, org, q, strlen(q), &rq)) {
        kb_engine_answer_query(cv->engine, &rq, a);
        kb_query_cleanup(&rq);
        return q;
    }
    free(q);
    kb_engine_answer_query(cv->engine, kq, a);
    return NULL;
}

/* Is @a the same reply as @b would be (one thing asked twice over)? */
static bool
same_answer(const struct kb_answer *a, const struct kb_answer *b)
{
    return a->intent == b->intent && a->nrefs == b->nrefs && a->detail == b->detail &&
           (a->nrefs == 0 || memcmp(&a->refs[0], &b->refs[0], sizeof(a->refs[0])) == 0);
}

/* Does @a end the conversation's questions (a decline that must stand for the whole)? */
static bool
is_hard_decline(const struct kb_answer *a)
{
    return a->intent == KB_INTENT_CLINICAL || a->intent == KB_INTENT_REFUSE ||
           a->intent == KB_INTENT_OTHER_ORG;
}

/* Does @kq hold a pronoun ("what is it", "what do they mean")? */
static bool
has_pronoun(const struct kb_query *kq)
{
    static const char *const pronouns[] = {"it",    "its",   "they",  "them",
                                           "their", "those", "these", NULL};

    for (size_t i = 0; i < kq->nwords; i++) {
        for (size_t k = 0; pronouns[k] != NULL; k++) {
            if (strcmp(kq->words[i].surface, pronouns[k]) == 0)
                return true;
        }
    }
    return false;
}

/*
 * Is @w a function word of four letters or more?  (The engine's stop words
 * also hold words a question asks about: "idea", "plan".)
 */
static bool
is_function_word(const char *w)
{
    static const char *const words[] = {
        "what",  "whats", "when", "where", "which", "whose",  "does",   "have",  "were",
        "with",  "that",  "this", "there", "their", "they",   "them",   "these", "those",
        "about", "your",  "from", "will",  "would", "could",  "should", "been",  "being",
        "into",  "than",  "then", "some",  "many",  "much",   "more",   "most",  "also",
        "just",  "only",  "very", "here",  "tell",  "please", "again",  "know",  NULL};

    for (size_t i = 0; words[i] != NULL; i++) {
        if (strcmp(w, words[i]) == 0)
            return true;
    }
    return false;
}

/* Does @a quote a passage holding a word of @kq that carries meaning? */
static bool
quotes_words_of(struct converse *cv, const struct kb_answer *a, const struct kb_query *kq)
{
    struct kb_word w[KB_QUERY_MAX_WORDS];

    for (size_t r = 0; r < a->nrefs; r++) {
        const char *text;
        size_t n;

        if (a->refs[r].kind != KB_DOC_PASSAGE)
            continue;
        text = a->kb->passages[a->refs[r].item].text;
        n = kb_text_words(cv->text, text, strlen(text), w, KB_QUERY_MAX_WORDS);
        for (size_t i = 0; i < kq->nwords; i++) {
            if (strlen(kq->words[i].surface) < 4 ||
                is_function_word(kq->words[i].surface))
                continue;
            for (size_t k = 0; k < n; k++) {
                if (strcmp(kq->words[i].stem, w[k].stem) == 0)
                    return true;
            }
        }
    }
    return false;
}

/*
 * Two questions in one message: answers each part, the second read in the
 * context of the first's answer, and composes both in order with the source
 * once.  Returns false, with @out untouched, when the message reads better
 * whole (@whole): a part is small talk or a hard decline, both parts give
 * the same answer or both are declined, the second leans on the first by a
 * pronoun, or one part is declined and the whole found another answer or
 * the answer found quotes the declined part's words.
 */
static bool
answer_parts(struct converse *cv, const char *key, const char *org,
             const struct kb_query *kq, const struct kb_answer *whole, time_t now,
             struct converse_reply *out)
{
    struct kb_query pq[KB_QUERY_MAX_PARTS];
    struct kb_answer pa[KB_QUERY_MAX_PARTS];
    struct converse_ctx ctx = {0};
    char *ctxq = NULL;
    size_t nans = 0, n = 0;
    bool ok = false;

    for (; n < kq->nparts && n < KB_QUERY_MAX_PARTS; n++) {
        const struct kb_query_part *p = &kq->parts[n];

        if (!kb_engine_analyse(cv->engine, org, kq->text + p->off, p->len, &pq[n])) {
            kb_query_cleanup(&pq[n]);
            goto out;
        }
        free(ctxq);
        ctxq = answer_in_context(cv, org,
                                 n > 0 && ctx.topic != CONVERSE_CTX_NONE ? &ctx : NULL,
                                 &pq[n], &pa[n]);
        /* "does cwpt have a mission? what is it": the pronoun is the first part's. */
        if (n > 0 && ctxq == NULL && ctx.topic == CONVERSE_CTX_NONE && !pq[n].topical &&
            has_pronoun(&pq[n])) {
            n++;
            goto out;
        }
        ctx.topic = answer_topic(&pa[n], &ctx.item);
        ctx.detail = pa[n].detail || asks_detail(&pq[n]);
        if (is_smalltalk(pa[n].intent) || is_hard_decline(&pa[n])) {
            n++;
            goto out;
        }
        nans += pa[n].answered;
    }
    if (nans == 0 || same_answer(&pa[0], &pa[1]))
        goto out;
    /* "what are the goals and what's under each one": the whole message is the first
     * part in full, so the second asked for what is under the first's items. */
    if (whole->answered && whole->detail && !pa[0].detail &&
        whole->intent == pa[0].intent)
        goto out;
    if (nans < n) {
        size_t yes = pa[0].answered ? 0 : 1;

        /* The whole message found another answer ("do we have a rehab unit? how many
         * beds"), or the answer found speaks to the other part too ("who won the
         * dragons den and what was the idea"): the parts lean on each other. */
        if ((whole->answered && !same_answer(whole, &pa[yes])) ||
            quotes_words_of(cv, &pa[yes], &pq[1 - yes]))
            goto out;
    }
    ok = true;
    out->target = CONVERSE_TARGET_THREAD;
    /* A part declined is a question the content owners must see: the reply did not give
     * all that was asked, as /metrics and `ask --json` count it. */
    out->kind = nans == n ? CONVERSE_ANSWER : CONVERSE_DECLINE;
    compose_answers(pa, n, &out->reply);
    memcpy(out->answers, pa, n * sizeof(pa[0]));
    out->nanswers = n;
    for (size_t i = 0; i < n; i++) {
        const struct kb_query_part *p = &kq->parts[i];
        char *q = xstrndup(kq->text + p->off, p->len);

        out->recorded |= converse_record(cv->st, q, &pa[i], cv->threshold, now);
        free(q);
    }
    for (size_t i = 0; i < n; i++) {
        if (pa[n - 1 - i].answered) {
            context_note(cv, key, &pq[n - 1 - i], &pa[n - 1 - i], now);
            break;
        }
    }
out:
    free(ctxq);
    for (size_t i = 0; i < n; i++)
        kb_query_cleanup(&pq[i]);
    return ok;
}

static void
answer(struct converse *cv, const char *key, const char *org, struct kb_query *kq,
       time_t now, struct converse_reply *out)
{
    struct kb_answer a;
    struct converse_ctx *c = context_find(cv, key, org, now);
    char *inctx = answer_in_context(cv, org, c, kq, &a);

    out->target = CONVERSE_TARGET_THREAD;
    if (inctx == NULL && kq->nparts > 1 && answer_parts(cv, key, org, kq, &a, now, out)) {
        return;
    }
    free(inctx);
    compose_answer(&a, &out->reply);
    out->kind = kind_of(&a);
    out->answers[0] = a;
    out->nanswers = 1;
    out->recorded = converse_record(cv->st, kq->text, &a, cv->threshold, now);
    context_note(cv, key, kq, &a, now);
}

/*
 * Is the digest request @kq one the engine would answer?  "post this to the whole
 * channel: <!channel> strategy cancelled" asks to announce words of its own, which the
 * engine declines: no digest goes into the channel for it.
 */
static bool
digest_is_wanted(struct converse *cv, struct kb_query *kq)
{
    struct kb_answer a;

    kb_engine_answer_query(cv->engine, kq, &a);
    return a.answered;
}

bool
converse_handle(struct converse *cv, const char *key, const char *org, const char *text,
                size_t len, time_t now, struct converse_reply *out)
{
    return converse_handle_at(cv, key, NULL, org, text, len, now, out);
}

bool
converse_handle_at(struct converse *cv, const char *key, const char *place,
                   const char *org, const char *text, size_t len, time_t now,
                   struct converse_reply *out)
{
    struct kb_query kq;
    enum summary_kind sk;
    char *where = place != NULL ? xasprintf("%s|%s", key, place) : NULL;
    const char *ckey = where != NULL ? where : key; /* the context's key */

    memset(out, 0, sizeof(*out));
    if (len > KB_QUESTION_MAX)
        len = KB_QUESTION_MAX;
    if (!kb_engine_analyse(cv->engine, org, text, len, &kq)) {
        kb_query_cleanup(&kq);
        free(where);
        return false;
    }
    if (induction_is_trigger(&kq)) {
        induction_start(cv->ind, key, kq.kb, now, &out->reply);
        out->target = CONVERSE_TARGET_DM;
        out->kind = CONVERSE_TOUR;
        goto out;
    }
    switch (induction_handle(cv->ind, key, kq.kb, cv->text, &kq, now, &out->reply)) {
    case INDUCTION_HANDLED:
        out->target = CONVERSE_TARGET_DM;
        out->kind = CONVERSE_TOUR;
        goto out;
    case INDUCTION_QUESTION:
        answer(cv, ckey, org, &kq, now, out);
        induction_resume(cv->ind, key, kq.kb, &out->reply);
        out->target = CONVERSE_TARGET_DM;
        goto out;
    case INDUCTION_NONE:
        break;
    }
    if (summary_request_parse(kq.kb, &kq, &sk) && digest_is_wanted(cv, &kq)) {
        summary_compose(kq.kb, sk, &out->reply);
        out->target = CONVERSE_TARGET_CHANNEL;
        out->kind = CONVERSE_SUMMARY;
        goto out;
    }
    answer(cv, ckey, org, &kq, now, out);
out:
    kb_query_cleanup(&kq);
    free(where);
    return true;
}
