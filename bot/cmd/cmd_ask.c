/*
 * cmd_ask.c - "valuesbot ask" and "valuesbot chat": the bot on the command
 * line, for scripts, benchmarks, the evaluation sets and the terminal chat.
 *
 * Both go through the conversation step (bot/core/converse.c), so a line
 * gets exactly the reply a member of staff would get in chat: two
 * questions in one message answered in order with the source once, a
 * digest or a tour step when one is asked for.  `ask` reads each line as
 * its own conversation (a follow-up such as "and for pride?" is read as it
 * stands), unless --conversation carries the context from line to line.
 * It opens the unanswered log only with --record.
 *
 * `ask --json` prints one JSON object a line:
 *   org          the organisation asked about
 *   kind         "answer", "decline", "help", "tour" or "summary", as /metrics counts it
 *   answered     true when the reply gives what was asked; false for a decline.  A
 *                message of several questions is answered only when every part is; a
 *                declined part goes into the unanswered report (`valuesbot report`)
 *   confidence   0..1; for several parts the least sure part's
 *   intent       the engine's intent; for several parts the parts' intents joined by
 *                "+" ("values+fact"); "tour" or "summary" for a tour step or digest
 *   uncovered    (a decline, only when true) a thing the strategy doesn't cover at
 *                all ("where do I park"), not a fact about its subject it doesn't state
 *   text         the reply as plain text
 *   sources      [{doc, section, line}] the reply quotes, each once
 *   suggestions  example questions offered with a decline or help, each once
 *   features     (one answer decided by a passage) what the passage model weighed
 *                (scripts/fit_answer.py NAMES: the passage's, then the question's)
 *   parts        (several parts only) per question, in order: answered, confidence,
 *                intent, sources, suggestions, features, candidates
 *   candidates   (--candidates, one answer decided by a passage) the passages the ranker
 *                weighed (kb_rank.h), in the search's order: [{item, section, line,
 *                text, quote (the texts quoted were it chosen), hand, score, chosen,
 *                f (scripts/fit_rank.py NAMES)}]; for scripts/fit_rank.py
 * A tour step or digest is answered with confidence 1 and no sources.
 */
#include "bot/cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "bot/base/args.h"
#include "bot/base/buf.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/core/compose.h"
#include "bot/core/config.h"
#include "bot/core/converse.h"
#include "bot/core/store.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_rank.h"
#include "bot/kb/kb_set.h"

struct session {
    struct config *cfg;
    struct kb_set *set;
    struct kb_engine *engine;
    const char *org;
    bool json;
    bool conversation; /* ask: the lines are one conversation (--conversation) */
    struct store *st;  /* the unanswered log, or NULL when not recording */
    struct kb_rank_trace *trace; /* ask --candidates: what the ranker weighed, or NULL */
};

/* Opens the unanswered log; without it the bot still answers, and says why once. */
static void
session_open_store(struct session *s)
{
    char *why;

    if (store_open(s->cfg->db_path, true, s->cfg->retention_days, time(NULL), &s->st,
                   &why) != BOT_OK) {
        fprintf(stderr, "valuesbot: %s; unanswered questions will not be recorded\n",
                why);
        free(why);
    }
}

static int
session_open(struct session *s, const char *kb_path, const char *org)
{
    char *why;

    if (config_load(NULL, cmd_default_kb_path(), &s->cfg, &why) != BOT_OK) {
        fprintf(stderr, "valuesbot: config: %s\n", why);
        free(why);
        return 2;
    }
    if (kb_set_load(kb_path ? kb_path : s->cfg->kb_path, &s->set, &why) != BOT_OK) {
        fprintf(stderr, "valuesbot: %s\n", why);
        free(why);
        return 2;
    }
    s->org = org ? org : s->cfg->default_org;
    if (kb_set_find(s->set, s->org) == NULL) {
        fprintf(stderr, "valuesbot: no KB for org \"%s\" (have:", s->org);
        for (size_t i = 0; i < kb_set_count(s->set); i++)
            fprintf(stderr, " %s", kb_set_get(s->set, i)->org);
        fprintf(stderr, ")\n");
        return 2;
    }
    s->engine = kb_engine_new(s->set, s->cfg->decline_threshold, s->cfg->tie_margin);
    return 0;
}

static void
session_close(struct session *s)
{
    store_free(s->st);
    kb_engine_free(s->engine);
    kb_set_free(s->set);
    config_free(s->cfg);
}

/* Appends the sources of @a to @arr, leaving out any already there. */
static void
add_sources(json_t *arr, const struct kb_answer *a)
{
    struct compose_source src[KB_ANSWER_MAX_REFS];
    size_t n = compose_sources(a, src, KB_ANSWER_MAX_REFS);

    for (size_t i = 0; i < n; i++) {
        json_t *o = json_pack("{sssssi}", "doc", src[i].doc, "section", src[i].section,
                              "line", (int)src[i].line);
        size_t k;
        json_t *have;

        json_array_foreach(arr, k, have)
        {
            if (json_equal(have, o))
                break;
        }
        if (k < json_array_size(arr))
            json_decref(o);
        else
            json_array_append_new(arr, o);
    }
}

/* Appends the suggestions of @a to @arr, leaving out any already there. */
static void
add_suggestions(json_t *arr, const struct kb_answer *a)
{
    const char *sug[8];
    size_t n = compose_suggestions(a, sug, 8);

    for (size_t i = 0; i < n; i++) {
        size_t k;
        json_t *have;

        json_array_foreach(arr, k, have)
        {
            if (strcmp(json_string_value(have), sug[i]) == 0)
                break;
        }
        if (k == json_array_size(arr))
            json_array_append_new(arr, json_string(sug[i]));
    }
}

/* The candidates the ranker weighed for @a (its list in @t), as the header says. */
static json_t *
candidates_json(const struct kb_answer *a, const struct kb_rank_trace *t)
{
    const struct kb_rank_list *l = &t->lists[a->rank_list - 1];
    json_t *arr = json_array();

    for (size_t i = 0; i < l->n; i++) {
        const struct kb_rank_cand *c = &l->c[i];
        const struct kb_passage *p = &a->kb->passages[c->item];
        json_t *f = json_array(), *quote = json_array();

        for (size_t k = 0; k < KB_RANK_NFEAT; k++)
            json_array_append_new(f, json_real(c->f[k]));
        for (size_t k = 0; k < c->nquote; k++)
            json_array_append_new(quote, json_string(a->kb->passages[c->quote[k]].text));
        json_array_append_new(arr,
                              json_pack("{sisssisssosfsfsbso}", "item", (int)c->item,
                                        "section", p->section, "line", (int)p->line,
                                        "text", p->text, "quote", quote, "hand", c->hand,
                                        "score", c->score > -1e300 ? c->score : -1e9,
                                        "chosen", i == l->chosen, "f", f));
    }
    return arr;
}

/*
 * One answer's fields: answered, confidence, intent, sources, suggestions, features;
 * candidates when @t keeps them.
 */
static json_t *
answer_json(const struct kb_answer *a, const struct kb_rank_trace *t)
{
    json_t *o = json_pack("{sbsfss}", "answered", a->answered, "confidence",
                          a->confidence, "intent", kb_intent_name(a->intent));
    json_t *arr = json_array();

    if (a->uncovered)
        json_object_set_new(o, "uncovered", json_true());
    add_sources(arr, a);
    json_object_set_new(o, "sources", arr);
    arr = json_array();
    add_suggestions(arr, a);
    json_object_set_new(o, "suggestions", arr);
    if (a->nfeatures > 0) { /* what the passage model weighed: scripts/fit_answer.py */
        arr = json_array();
        for (size_t i = 0; i < a->nfeatures; i++)
            json_array_append_new(arr, json_real(a->features[i]));
        json_object_set_new(o, "features", arr);
    }
    if (t != NULL && a->rank_list > 0 && a->rank_list <= t->n)
        json_object_set_new(o, "candidates", candidates_json(a, t));
    return o;
}

/*
 * The reply as one JSON line; the header comment of this file defines the fields.  A
 * reply of one answer has that answer's fields; one of several parts is answered when
 * every part is, as sure as its least sure part, with the parts' intents joined by "+",
 * their sources and suggestions once each, and each part's own fields in "parts".
 */
static void
print_json(const char *org, const struct converse_reply *out, const char *text,
           const struct kb_rank_trace *t)
{
    json_t *o;
    char *s;

    if (out->nanswers == 1) {
        o = answer_json(&out->answers[0], t);
    } else if (out->nanswers == 0) { /* a tour step or a digest: the KB's own content */
        o = json_pack("{sbsfsss[]s[]}", "answered", true, "confidence", 1.0, "intent",
                      converse_kind_name(out->kind), "sources", "suggestions");
    } else {
        json_t *parts = json_array(), *src = json_array(), *sug = json_array();
        struct buf intent;
        bool answered = true;
        double conf = 1.0;

        buf_init(&intent, 64);
        for (size_t i = 0; i < out->nanswers; i++) {
            const struct kb_answer *a = &out->answers[i];

            answered &= a->answered;
            if (a->confidence < conf)
                conf = a->confidence;
            (void)buf_printf(&intent, "%s%s", i ? "+" : "", kb_intent_name(a->intent));
            add_sources(src, a);
            add_suggestions(sug, a);
            json_array_append_new(parts, answer_json(a, t));
        }
        o = json_pack("{sbsfsssoso}", "answered", answered, "confidence", conf, "intent",
                      buf_str(&intent), "sources", src, "suggestions", sug);
        json_object_set_new(o, "parts", parts);
        buf_cleanup(&intent);
    }
    json_object_set_new(o, "org", json_string(org));
    json_object_set_new(o, "kind", json_string(converse_kind_name(out->kind)));
    json_object_set_new(o, "text", json_string(text));
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    puts(s);
    free(s);
    json_decref(o);
}

/*
 * Answers one message as chat would, through the conversation step, and prints the
 * reply.  Without --conversation every message is its own conversation.
 */
static void
answer_one(struct session *s, struct converse *cv, const char *question)
{
    struct converse_reply out;
    char *text;

    if (!s->conversation)
        converse_reset(cv);
    if (s->trace != NULL)
        kb_rank_trace_reset(s->trace);
    (void)converse_handle(cv, "ask", s->org, question, strlen(question), time(NULL),
                          &out);
    text = reply_format_plain(&out.reply);
    if (s->json)
        print_json(s->org, &out, text, s->trace);
    else
        printf("%s\n", text);
    free(text);
    converse_reply_cleanup(&out);
}

/* Reads one line of at most KB_QUESTION_MAX bytes into @line; drops the rest of a longer
 * one. */
static bool
read_line(FILE *f, char *line, size_t max)
{
    size_t n = 0;
    int c;

    while ((c = getc(f)) != EOF && c != '\n') {
        if (n + 1 < max)
            line[n++] = (char)c;
    }
    line[n] = '\0';
    return c != EOF || n > 0;
}

int
cmd_ask(int argc, char **argv)
{
    const char *kb = NULL, *org = NULL, *json = NULL, *record = NULL, *conv = NULL,
               *cands = NULL, *pos[64];
    const struct args_opt opts[] = {{"--kb", true, &kb},
                                    {"--org", true, &org},
                                    {"--json", false, &json},
                                    {"--record", false, &record},
                                    {"--conversation", false, &conv},
                                    {"--candidates", false, &cands}};
    struct session s = {0};
    struct converse *cv = NULL;
    int npos, status;

    if (!args_scan(argc, argv, opts, 6, pos, 64, &npos)) {
        fprintf(stderr, "usage: valuesbot ask [--kb PATH] [--org ID] [--json] [--record] "
                        "[--conversation] [--candidates] [QUESTION...]\n");
        return 2;
    }
    status = session_open(&s, kb, org);
    s.json = json != NULL || cands != NULL;
    if (status == 0 &&
        cands != NULL) { /* --candidates: --json with what the ranker weighed */
        s.trace = xcalloc(1, sizeof(*s.trace));
        kb_engine_trace_ranks(s.engine, s.trace);
    }
    s.conversation = conv != NULL;
    if (status == 0 && record != NULL)
        session_open_store(&s);
    if (status == 0)
        cv = converse_new(s.engine, s.set, s.st, s.cfg->decline_threshold, 0);
    if (status == 0 && npos > 0) {
        char *q = xstrdup(""), *tmp;

        for (int i = 0; i < npos; i++) {
            tmp = xasprintf("%s%s%s", q, i ? " " : "", pos[i]);
            free(q);
            q = tmp;
        }
        answer_one(&s, cv, q);
        free(q);
    } else if (status == 0) {
        char *line = xmalloc(KB_QUESTION_MAX + 1);

        while (read_line(stdin, line, KB_QUESTION_MAX + 1)) {
            answer_one(&s, cv, line);
            if (!s.json)
                putchar('\n');
            fflush(stdout);
        }
        free(line);
    }
    converse_free(cv);
    session_close(&s);
    free(s.trace);
    return status;
}

/* The terminal is one person in one conversation: one key, and every reply is shown. */
static void
chat_one(struct converse *cv, const char *org, const char *line)
{
    struct converse_reply out;
    char *text;

    (void)converse_handle(cv, "terminal", org, line, strlen(line), time(NULL), &out);
    text = reply_format_plain(&out.reply);
    printf("%s\n", text);
    free(text);
    converse_reply_cleanup(&out);
}

int
cmd_chat(int argc, char **argv)
{
    const char *kb = NULL, *org = NULL, *pos[1];
    const struct args_opt opts[] = {{"--kb", true, &kb}, {"--org", true, &org}};
    struct session s = {0};
    struct converse *cv;
    bool tty = isatty(STDIN_FILENO);
    char *line;
    int npos, status;

    if (!args_scan(argc, argv, opts, 2, pos, 0, &npos)) {
        fprintf(stderr, "usage: valuesbot chat [--kb PATH] [--org ID]\n");
        return 2;
    }
    status = session_open(&s, kb, org);
    if (status != 0) {
        session_close(&s);
        return status;
    }
    session_open_store(&s);
    cv = converse_new(s.engine, s.set, s.st, s.cfg->decline_threshold, 0);
    if (tty) {
        const struct kb *k = kb_set_find(s.set, s.org);

        printf("valuesbot: ask me about %s (%s). Type \"quit\" to leave, or \"I'm "
               "new\" for a tour.\n\n",
               kb_strategy_name(k), k->name);
    }
    line = xmalloc(KB_QUESTION_MAX + 1);
    for (;;) {
        if (tty) {
            fputs("you> ", stdout);
            fflush(stdout);
        }
        if (!read_line(stdin, line, KB_QUESTION_MAX + 1))
            break;
        if (strcmp(line, "quit") == 0 || strcmp(line, "exit") == 0)
            break;
        if (line[strspn(line, " \t\r")] == '\0')
            continue;
        if (tty)
            fputs("\nbot> ", stdout);
        chat_one(cv, s.org, line);
        putchar('\n');
        fflush(stdout);
    }
    free(line);
    converse_free(cv);
    session_close(&s);
    return 0;
}
