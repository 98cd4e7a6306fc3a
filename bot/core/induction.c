/*
 * induction.c - the guided tour of the strategy, and its short check.
 *
 * A tour holds only a position (step, or check question) and its org;
 * every step is rendered from the KB when shown, so a KB reload mid-tour
 * shows the new wording and a shorter tour is clamped, never overrun.
 * Tours live in an array searched linearly: there are at most a few
 * thousand, and each message touches one.
 */
#include "bot/core/induction.h"

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

#define IND_WORDS    24 /* words of a message looked at for a command */
#define IND_MAX_OPTS 5  /* options offered for one check question */

enum phase {
    PHASE_TOUR,  /* showing step @step */
    PHASE_CHECK, /* asking check question @q */
};

struct tour {
    char *key; /* owned */
    char *org; /* owned: the tour is only continued for the same org */
    enum phase phase;
    size_t step; /* tour step shown last */
    size_t q;    /* check question asked last */
    time_t last; /* time of the last message */
};

struct induction {
    struct tour *tours; /* owned */
    size_t n, cap, max;
    unsigned timeout;
};

enum cmd {
    CMD_OTHER,
    CMD_NEXT,
    CMD_BACK,
    CMD_REPEAT,
    CMD_STOP,
    CMD_YES,
    CMD_NO,
};

struct check_q {
    char *prompt;                  /* owned */
    const char *opt[IND_MAX_OPTS]; /* borrowed from the KB or static */
    size_t nopt;
    size_t answer; /* index into @opt */
    char *explain; /* owned: why the answer is right */
};

struct induction *
induction_new(unsigned timeout, size_t max)
{
    struct induction *ind = xcalloc(1, sizeof(*ind));

    ind->timeout = timeout ? timeout : INDUCTION_TIMEOUT;
    ind->max = max ? max : INDUCTION_MAX_TOURS;
    return ind;
}

static void
tour_cleanup(struct tour *tr)
{
    free(tr->key);
    free(tr->org);
}

void
induction_free(struct induction *ind)
{
    if (ind == NULL)
        return;
    for (size_t i = 0; i < ind->n; i++)
        tour_cleanup(&ind->tours[i]);
    free(ind->tours);
    free(ind);
}

static void
tour_remove(struct induction *ind, size_t i)
{
    tour_cleanup(&ind->tours[i]);
    ind->tours[i] = ind->tours[--ind->n];
}

size_t
induction_expire(struct induction *ind, time_t now)
{
    size_t gone = 0;

    for (size_t i = 0; i < ind->n;) {
        if (now - ind->tours[i].last >= (time_t)ind->timeout) {
            tour_remove(ind, i);
            gone++;
        } else {
            i++;
        }
    }
    return gone;
}

size_t
induction_count(const struct induction *ind)
{
    return ind->n;
}

/* Returns @key's live tour, forgetting it if it timed out; NULL if none. */
static struct tour *
tour_find(struct induction *ind, const char *key, time_t now)
{
    for (size_t i = 0; i < ind->n; i++) {
        if (strcmp(ind->tours[i].key, key) != 0)
            continue;
        if (now - ind->tours[i].last >= (time_t)ind->timeout) {
            tour_remove(ind, i);
            return NULL;
        }
        return &ind->tours[i];
    }
    return NULL;
}

bool
induction_is_active(struct induction *ind, const char *key, time_t now)
{
    return tour_find(ind, key, now) != NULL;
}

/* -- The steps, from the KB. -- */

static const struct kb_ambition *purpose(const struct kb *kb);

static bool
has_vision_step(const struct kb *kb)
{
    /* With neither mission nor purpose, the vision is the welcome's line, not a step. */
    return kb->vision.text != NULL && (kb->mission.text != NULL || purpose(kb) != NULL);
}

size_t
induction_nsteps(const struct kb *kb)
{
    return 1 + (has_vision_step(kb) ? 1 : 0) + kb->ngoals + kb->nvalues + 1;
}

static const struct kb_ambition *
purpose(const struct kb *kb)
{
    for (size_t i = 0; i < kb->nambitions; i++) {
        if (strcmp(kb->ambitions[i].kind, "purpose") == 0)
            return &kb->ambitions[i];
    }
    return NULL;
}

static void
step_welcome(const struct kb *kb, struct reply *r)
{
    const struct kb_ambition *p = purpose(kb);

    const char *parts[4];
    char *goals = xasprintf("our %s", kb->goals_label), *list;
    size_t n = 0;

    /* Only what the KB holds: a page may state no mission, goals or values. */
    if (kb->mission.text || p != NULL)
        parts[n++] = "what we're here for";
    if (kb->vision.text)
        parts[n++] = "where we're going";
    if (kb->ngoals > 0)
        parts[n++] = goals;
    if (kb->nvalues > 0)
        parts[n++] = "our values";
    list = compose_join(parts, n, "");
    reply_addf(r, REPLY_HEADING, NULL, "Welcome to %s! 👋", kb->name);
    reply_addf(r, REPLY_PARA, NULL, "I'll take you through %s in %zu short steps%s%s.",
               kb_strategy_name(kb), induction_nsteps(kb), n > 0 ? ": " : "", list);
    free(list);
    free(goals);
    if (kb->mission.text)
        reply_add(r, REPLY_ITEM, "Our mission", kb->mission.text);
    else if (p != NULL)
        reply_add(r, REPLY_ITEM, "Our purpose", p->text);
    else if (kb->vision.text)
        reply_add(r, REPLY_ITEM, "Our vision", kb->vision.text);
}

static void
step_goal(const struct kb *kb, size_t i, struct reply *r)
{
    const struct kb_goal *g = &kb->goals[i];
    char *noun = kb_goal_noun(kb, true);
    size_t skip;
    const char *title = compose_goal_title(g, &skip);

    reply_addf(r, REPLY_HEADING, NULL, "%s %zu of %zu: %s", noun, i + 1, kb->ngoals,
               title);
    if (g->description[0])
        reply_add(r, REPLY_PARA, NULL, g->description);
    for (size_t k = 0; k < g->npoints; k++)
        reply_add(r, REPLY_ITEM, NULL, g->points[k].text);
    free(noun);
}

static void
step_value(const struct kb *kb, size_t i, struct reply *r)
{
    const struct kb_value *v = &kb->values[i];

    reply_addf(r, REPLY_HEADING, NULL, "Value %zu of %zu: %s", i + 1, kb->nvalues,
               v->name);
    compose_value_detail(kb, v, "Think about what it looks like in your team's day.", r);
}

static size_t check_generate(const struct kb *kb, struct check_q *qs);
static void check_cleanup(struct check_q *qs, size_t n);

static void
step_close(const struct kb *kb, struct reply *r)
{
    struct check_q qs[INDUCTION_CHECK_MAX];
    size_t nq = check_generate(kb, qs);

    reply_add(r, REPLY_HEADING, NULL, "That's the tour");
    if (kb->strategy[0])
        reply_addf(
            r, REPLY_PARA, NULL,
            "You can read the full strategy, %s, in %s (%s). Ask me about any part "
            "of it at any time.",
            kb->strategy, kb->doc, kb->name);
    else
        reply_addf(
            r, REPLY_PARA, NULL,
            "You can read the full strategy in %s (%s). Ask me about any part of it "
            "at any time.",
            kb->doc, kb->name);
    if (nq > 0)
        reply_addf(r, REPLY_PARA, NULL,
                   "Would you like a quick %zu-question check? It's just for you. Say "
                   "“yes” or “no”.",
                   nq);
    check_cleanup(qs, nq);
}

void
induction_step(const struct kb *kb, size_t i, struct reply *r)
{
    size_t n = induction_nsteps(kb), k = i;

    if (i == 0) {
        step_welcome(kb, r);
    } else if (i + 1 >= n) {
        step_close(kb, r);
        return;
    } else {
        k = i - 1;
        if (has_vision_step(kb) && k-- == 0) {
            reply_add(r, REPLY_HEADING, NULL, "Where we're going");
            reply_add(r, REPLY_ITEM, "Our vision", kb->vision.text);
        } else if (k < kb->ngoals) {
            step_goal(kb, k, r);
        } else {
            step_value(kb, k - kb->ngoals, r);
        }
    }
    reply_addf(r, REPLY_SOURCE, NULL,
               "Step %zu of %zu. Say “next”, “back”, “repeat” or “stop”, or ask me "
               "anything.",
               i + 1, n);
}

/* -- The check. -- */

static void
check_cleanup(struct check_q *qs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(qs[i].prompt);
        free(qs[i].explain);
    }
}

/* Offers @kb's value names with @right among them, at most IND_MAX_OPTS. */
static void
value_options(const struct kb *kb, size_t right, struct check_q *q)
{
    size_t first = 0;

    if (kb->nvalues > IND_MAX_OPTS)
        first = right + IND_MAX_OPTS > kb->nvalues ? kb->nvalues - IND_MAX_OPTS : right;
    for (size_t i = first; i < kb->nvalues && q->nopt < IND_MAX_OPTS; i++) {
        if (i == right)
            q->answer = q->nopt;
        q->opt[q->nopt++] = kb->values[i].name;
    }
}

static void
goal_options(const struct kb *kb, size_t right, struct check_q *q)
{
    size_t first = 0;

    if (kb->ngoals > IND_MAX_OPTS)
        first = right + IND_MAX_OPTS > kb->ngoals ? kb->ngoals - IND_MAX_OPTS : right;
    for (size_t i = first; i < kb->ngoals && q->nopt < IND_MAX_OPTS; i++) {
        if (i == right)
            q->answer = q->nopt;
        size_t skip;

        q->opt[q->nopt++] = compose_goal_title(&kb->goals[i], &skip);
    }
}

/* A behaviour -> value question from value @v, or false if it has no behaviour. */
static bool
check_behaviour(const struct kb *kb, size_t v, struct check_q *q)
{
    const struct kb_value *val = &kb->values[v];
    const char *b;

    if (kb->nvalues < 2 || val->nbehaviours == 0)
        return false;
    b = val->behaviours[val->nbehaviours / 2].text;
    memset(q, 0, sizeof(*q));
    q->prompt = xasprintf("Which of our values includes being “%s”?", b);
    q->explain = xasprintf("“%s” is one of the behaviours of %s.", b, val->name);
    value_options(kb, v, q);
    return true;
}

/* A statement -> goal question from goal @g: its description, else a point. */
static bool
check_goal(const struct kb *kb, size_t g, struct check_q *q)
{
    const struct kb_goal *goal = &kb->goals[g];
    size_t dl = strlen(goal->description);
    const char *s;
    char *noun;

    if (kb->ngoals < 2)
        return false;
    if (dl > 0 && goal->description[dl - 1] != ':')
        s = goal->description;
    else if (goal->npoints > 0)
        s = goal->points[0].text;
    else
        return false;
    noun = kb_goal_noun(kb, false);
    memset(q, 0, sizeof(*q));
    q->prompt = xasprintf("Which %s does this come under? “%s”", noun, s);
    q->explain = xasprintf("It comes under %s %u.", noun, goal->number);
    goal_options(kb, g, q);
    free(noun);
    return true;
}

static const char *const number_words[] = {"one", "two",   "three", "four", "five",
                                           "six", "seven", "eight", "nine", "ten"};

static bool
check_count(const struct kb *kb, struct check_q *q)
{
    size_t n = kb->nvalues, lo;

    if (n < 1 || n > 9)
        return false;
    lo = n >= 2 ? n - 1 : n;
    memset(q, 0, sizeof(*q));
    q->prompt = xstrdup("How many values do we have?");
    for (size_t i = 0; i < 3; i++)
        q->opt[q->nopt++] = number_words[lo + i - 1];
    q->answer = n - lo;
    q->explain = xasprintf("We have %s values.", number_words[n - 1]);
    return true;
}

/* Writes up to INDUCTION_CHECK_MAX questions for @kb to @qs; returns how many. */
static size_t
check_generate(const struct kb *kb, struct check_q *qs)
{
    size_t n = 0;

    /* Vary the kind and draw from the middle, so the answer is not always option 1. */
    for (size_t k = 0; k < kb->nvalues && n < 1; k++)
        n += check_behaviour(kb, (kb->nvalues / 2 + k) % kb->nvalues, &qs[n]);
    for (size_t k = 0; k < kb->ngoals && n < 2; k++)
        n += check_goal(kb, (kb->ngoals - 1 + k) % kb->ngoals, &qs[n]);
    if (n < INDUCTION_CHECK_MAX)
        n += check_count(kb, &qs[n]);
    for (size_t k = 0; k < kb->nvalues && n < INDUCTION_CHECK_MAX; k++) {
        if (k != kb->nvalues / 2)
            n += check_behaviour(kb, k, &qs[n]);
    }
    for (size_t k = 0; k + 1 < kb->ngoals && n < INDUCTION_CHECK_MAX; k++)
        n += check_goal(kb, k, &qs[n]);
    return n;
}

static void
check_ask(const struct check_q *q, size_t i, size_t n, struct reply *r)
{
    reply_addf(r, REPLY_HEADING, NULL, "Question %zu of %zu", i + 1, n);
    reply_add(r, REPLY_PARA, NULL, q->prompt);
    for (size_t k = 0; k < q->nopt; k++) {
        char label[24];

        snprintf(label, sizeof(label), "%zu", k + 1);
        reply_add(r, REPLY_ITEM, label, q->opt[k]);
    }
    reply_add(r, REPLY_SOURCE, NULL, "Answer with a number or a name, or say “stop”.");
}

/* -- Reading what the person said. -- */

static bool
in(const char *w, const char *const *set)
{
    for (size_t i = 0; set[i]; i++) {
        if (strcmp(w, set[i]) == 0)
            return true;
    }
    return false;
}

static enum cmd
parse_cmd(const struct kb_query *kq)
{
    static const char *const filler[] = {
        "please", "ok",     "okay", "the", "tour", "step", "go",  "on",
        "thanks", "thank",  "you",  "a",   "one",  "that", "bot", "then",
        "now",    "cheers", "can",  "we",  "to",   NULL};
    static const char *const next[] = {"next", "continue", "more",    "forward", "carry",
                                       "n",    "onward",   "onwards", NULL};
    static const char *const back[] = {"back",   "previous", "prev",      "b",
                                       "before", "backward", "backwards", NULL};
    static const char *const repeat[] = {"repeat", "again", "r", "say", "reread", NULL};
    static const char *const stop[] = {"stop", "end",   "cancel", "finish", "exit",
                                       "quit", "leave", "enough", "done",   NULL};
    static const char *const yes[] = {"yes", "y",      "yeah", "yep",  "sure",
                                      "go",  "please", "ok",   "okay", NULL};
    static const char *const no[] = {"no", "nope", "skip", "nah", NULL};
    const struct kb_word *w = kq->words;
    size_t n = kq->nwords, kept = 0;
    const char *word = NULL;

    if (n == 0 || n >= IND_WORDS)
        return CMD_OTHER;
    for (size_t i = 0; i < n; i++) {
        if (!in(w[i].surface, filler)) {
            word = w[i].surface;
            kept++;
        }
    }
    if (kept == 0) /* "ok", "go on", "yes please" */
        return in(w[0].surface, yes) || in(w[n - 1].surface, yes) ? CMD_YES : CMD_OTHER;
    if (kept > 1) {
        /* "say that again", "that's enough": the last word decides. */
        word = w[n - 1].surface;
        if (!(in(word, repeat) || in(word, stop)) || n > 4)
            return CMD_OTHER;
    }
    if (in(word, next))
        return CMD_NEXT;
    if (in(word, back))
        return CMD_BACK;
    if (in(word, repeat))
        return CMD_REPEAT;
    if (in(word, stop))
        return CMD_STOP;
    if (in(word, yes))
        return CMD_YES;
    if (in(word, no))
        return CMD_NO;
    return CMD_OTHER;
}

bool
induction_is_trigger(const struct kb_query *kq)
{
    static const char *const key[] = {"induction", "onboarding", "tour", "orientation",
                                      NULL};
    static const char *const newish[] = {"new",      "started", "joined",
                                         "starting", "joining", NULL};
    static const char *const who[] = {"i",      "im",   "ive", "starter",
                                      "joiner", "here", "me",  NULL};
    static const char *const allowed[] = {
        "i",           "im",        "ive",     "am",        "a",          "an",
        "the",         "to",        "here",    "just",      "start",      "begin",
        "my",          "please",    "me",      "give",      "can",        "could",
        "you",         "take",      "do",      "go",        "through",    "want",
        "would",       "like",      "lets",    "let",       "us",         "hi",
        "hello",       "hey",       "so",      "ok",        "and",        "trust",
        "team",        "staff",     "member",  "starter",   "joiner",     "values",
        "guided",      "show",      "around",  "with",      "of",         "this",
        "today",       "recently",  "have",    "been",      "new",        "started",
        "joined",      "starting",  "joining", "induction", "onboarding", "tour",
        "orientation", "quick",     "nhs",     "some",      "need",       "an",
        "your",        "colleague", "role",    "job",       "week",       NULL};
    enum { ALLOWED = 1u << 0, KEY = 1u << 1, NEWISH = 1u << 2, WHO = 1u << 3 };
    static const char *const *const lists[] = {allowed, key, newish, who}; /* bit order */
    static struct kb_text_wordsets sets = KB_TEXT_WORDSETS_INIT(lists);
    const struct kb_word *w = kq->words;
    size_t n = kq->nwords;
    bool has_key = false, has_new = false, has_who = false;

    if (n == 0 || n >= IND_WORDS)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint32_t bits = kb_text_wordsets_find(&sets, w[i].surface);

        if (!(bits & ALLOWED))
            return false;
        has_key |= (bits & KEY) != 0;
        has_new |= (bits & NEWISH) != 0;
        has_who |= (bits & WHO) != 0;
    }
    return has_key || (has_new && has_who);
}

/*
 * Returns which option @text names, by number or by the option's words; -1
 * if none, -2 for a number that is not an option's.
 */
static long
check_choice(struct kb_text *t, const struct check_q *q, const struct kb_query *kq)
{
    const char *text = kq->text;
    size_t len = strlen(text);
    const struct kb_word *tw = kq->words;
    struct kb_word ow[IND_WORDS];
    size_t nt = kq->nwords < IND_WORDS ? kq->nwords : IND_WORDS, i = 0;
    long found = -1;
    char *end;
    unsigned long num;

    while (i < len && isspace((unsigned char)text[i]))
        i++;
    if (i < len && isdigit((unsigned char)text[i])) {
        num = strtoul(text + i, &end, 10);
        while (*end == ' ' || *end == '.' || *end == ')' || *end == '\r')
            end++;
        if (*end == '\0' && num >= 1 && num <= q->nopt)
            return (long)num - 1;
        return *end == '\0' ? -2 : -1;
    }
    for (size_t k = 0; k < q->nopt; k++) {
        size_t no = kb_text_words(t, q->opt[k], strlen(q->opt[k]), ow, IND_WORDS);
        size_t need = 0, got = 0;

        for (size_t a = 0; a < no; a++) {
            if (kb_text_is_stopword(ow[a].surface) && no > 1)
                continue;
            need++;
            for (size_t b = 0; b < nt; b++) {
                if (strcmp(ow[a].stem, tw[b].stem) == 0 ||
                    (strlen(ow[a].stem) > 4 &&
                     kb_text_distance(ow[a].stem, tw[b].stem, 1) <= 1)) {
                    got++;
                    break;
                }
            }
        }
        if (need > 0 && got == need) {
            if (found >= 0)
                return -1; /* names two options */
            found = (long)k;
        }
    }
    return found;
}

/* -- Moving through a tour. -- */

static struct tour *
tour_add(struct induction *ind, const char *key, const char *org, time_t now)
{
    struct tour *tr;

    if (ind->n == ind->max) {
        size_t oldest = 0;

        for (size_t i = 1; i < ind->n; i++) {
            if (ind->tours[i].last < ind->tours[oldest].last)
                oldest = i;
        }
        tour_remove(ind, oldest);
    }
    if (ind->n == ind->cap) {
        ind->cap = ind->cap ? ind->cap * 2 : 16;
        ind->tours = xreallocarray(ind->tours, ind->cap, sizeof(*ind->tours));
    }
    tr = &ind->tours[ind->n++];
    *tr = (struct tour){.key = xstrdup(key), .org = xstrdup(org), .last = now};
    return tr;
}

void
induction_start(struct induction *ind, const char *key, const struct kb *kb, time_t now,
                struct reply *r)
{
    struct tour *tr = tour_find(ind, key, now);

    if (tr != NULL) {
        free(tr->org);
        *tr = (struct tour){.key = tr->key, .org = xstrdup(kb->org), .last = now};
    } else {
        tr = tour_add(ind, key, kb->org, now);
    }
    induction_step(kb, 0, r);
}

static void
tour_end(struct induction *ind, struct tour *tr, const struct kb *kb, struct reply *r)
{
    reply_addf(r, REPLY_PARA, NULL,
               "Thanks for taking the tour. Ask me about %s any time, or say “start "
               "induction” to go through it again.",
               kb_strategy_name(kb));
    tour_remove(ind, (size_t)(tr - ind->tours));
}

static enum induction_result
handle_check(struct induction *ind, struct tour *tr, const struct kb *kb,
             struct kb_text *t, const struct kb_query *kq, struct reply *r)
{
    struct check_q qs[INDUCTION_CHECK_MAX];
    size_t nq = check_generate(kb, qs);
    enum cmd cmd = parse_cmd(kq);
    enum induction_result res = INDUCTION_HANDLED;
    long choice;

    if (tr->q >= nq) {
        tour_end(ind, tr, kb, r);
        goto out;
    }
    choice = check_choice(t, &qs[tr->q], kq);
    if (choice < 0 && cmd == CMD_STOP) {
        tour_end(ind, tr, kb, r);
        goto out;
    }
    if (choice == -2) {
        reply_addf(r, REPLY_PARA, NULL, "Please pick a number from 1 to %zu.",
                   qs[tr->q].nopt);
        check_ask(&qs[tr->q], tr->q, nq, r);
        goto out;
    }
    if (choice < 0 && cmd == CMD_REPEAT) {
        check_ask(&qs[tr->q], tr->q, nq, r);
        goto out;
    }
    if (choice < 0 && cmd != CMD_NEXT && cmd != CMD_NO) {
        res = INDUCTION_QUESTION;
        goto out;
    }
    /* Feedback says what was right, and never that the person was wrong. */
    if (choice == (long)qs[tr->q].answer)
        reply_addf(r, REPLY_PARA, NULL, "Yes, %s. %s", qs[tr->q].opt[qs[tr->q].answer],
                   qs[tr->q].explain);
    else
        reply_addf(r, REPLY_PARA, NULL, "The answer is %s. %s",
                   qs[tr->q].opt[qs[tr->q].answer], qs[tr->q].explain);
    if (++tr->q < nq) {
        check_ask(&qs[tr->q], tr->q, nq, r);
    } else {
        reply_add(r, REPLY_PARA, NULL, "That's the end of the check.");
        tour_end(ind, tr, kb, r);
    }
out:
    check_cleanup(qs, nq);
    return res;
}

enum induction_result
induction_handle(struct induction *ind, const char *key, const struct kb *kb,
                 struct kb_text *t, const struct kb_query *kq, time_t now,
                 struct reply *r)
{
    struct tour *tr = tour_find(ind, key, now);
    size_t n = induction_nsteps(kb);
    enum cmd cmd;

    if (tr == NULL || strcmp(tr->org, kb->org) != 0)
        return INDUCTION_NONE;
    tr->last = now;
    if (tr->step >= n)
        tr->step = n - 1; /* the KB was reloaded with fewer steps */
    if (tr->phase == PHASE_CHECK)
        return handle_check(ind, tr, kb, t, kq, r);
    cmd = parse_cmd(kq);
    switch (cmd) {
    case CMD_YES:
    case CMD_NEXT:
        if (tr->step + 1 < n) {
            induction_step(kb, ++tr->step, r);
        } else {
            struct check_q qs[INDUCTION_CHECK_MAX];
            size_t nq = check_generate(kb, qs);

            if (nq == 0) {
                tour_end(ind, tr, kb, r);
            } else {
                tr->phase = PHASE_CHECK;
                tr->q = 0;
                check_ask(&qs[0], 0, nq, r);
            }
            check_cleanup(qs, nq);
        }
        return INDUCTION_HANDLED;
    case CMD_BACK:
        if (tr->step == 0)
            reply_add(r, REPLY_PARA, NULL, "This is the first step.");
        else
            tr->step--;
        induction_step(kb, tr->step, r);
        return INDUCTION_HANDLED;
    case CMD_REPEAT:
        induction_step(kb, tr->step, r);
        return INDUCTION_HANDLED;
    case CMD_NO:
        if (tr->step + 1 < n) {
            reply_add(r, REPLY_PARA, NULL,
                      "No problem. Say “next” to carry on, or “stop” to end the tour.");
            return INDUCTION_HANDLED;
        }
        /* FALLTHROUGH */
    case CMD_STOP:
        tour_end(ind, tr, kb, r);
        return INDUCTION_HANDLED;
    case CMD_OTHER:
        break;
    }
    return INDUCTION_QUESTION;
}

void
induction_resume(struct induction *ind, const char *key, const struct kb *kb,
                 struct reply *r)
{
    struct tour *tr = NULL;

    for (size_t i = 0; i < ind->n && tr == NULL; i++) {
        if (strcmp(ind->tours[i].key, key) == 0)
            tr = &ind->tours[i];
    }
    if (tr == NULL || strcmp(tr->org, kb->org) != 0)
        return;
    if (tr->phase == PHASE_CHECK)
        reply_add(r, REPLY_SOURCE, NULL,
                  "Back to the check: answer with a number or a name, say “repeat” to "
                  "see the question, or “stop”.");
    else if (tr->step + 1 >= induction_nsteps(kb))
        reply_add(r, REPLY_SOURCE, NULL,
                  "That was the end of the tour: say “yes” for the quick check, or "
                  "“no” to finish.");
    else
        reply_addf(r, REPLY_SOURCE, NULL,
                   "You're on step %zu of %zu of the tour. Say “next” to carry on, "
                   "“repeat” to see this step again, or “stop”.",
                   tr->step + 1, induction_nsteps(kb));
}
