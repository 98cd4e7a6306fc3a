/*
 * cmd_ask.c - "valuesbot ask" and "valuesbot chat": the answer engine on
 * the command line, for scripts, benchmarks and the terminal chat.
 */
#include "bot/cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "bot/base/args.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/core/compose.h"
#include "bot/core/config.h"
#include "bot/core/converse.h"
#include "bot/core/store.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_set.h"

struct session {
    struct config *cfg;
    struct kb_set *set;
    struct kb_engine *engine;
    const char *org;
    bool json;
    struct store *st; /* the unanswered log, or NULL when not recording */
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

static void
print_json(const struct kb_answer *a, const char *text)
{
    struct compose_source src[KB_ANSWER_MAX_REFS];
    const char *sug[8];
    size_t nsrc = compose_sources(a, src, KB_ANSWER_MAX_REFS);
    size_t nsug = compose_suggestions(a, sug, 8);
    json_t *o, *arr;
    char *s;

    o = json_pack("{sssbsfssss}", "org", a->kb->org, "answered", a->answered,
                  "confidence", a->confidence, "intent", kb_intent_name(a->intent),
                  "text", text);
    arr = json_array();
    for (size_t i = 0; i < nsrc; i++)
        json_array_append_new(arr, json_pack("{sssssi}", "doc", src[i].doc, "section",
                                             src[i].section, "line", (int)src[i].line));
    json_object_set_new(o, "sources", arr);
    arr = json_array();
    for (size_t i = 0; i < nsug; i++)
        json_array_append_new(arr, json_string(sug[i]));
    json_object_set_new(o, "suggestions", arr);
    if (a->nfeatures > 0) { /* what the passage model weighed: scripts/fit_answer.py */
        arr = json_array();
        for (size_t i = 0; i < a->nfeatures; i++)
            json_array_append_new(arr, json_real(a->features[i]));
        json_object_set_new(o, "features", arr);
    }
    s = json_dumps(o, JSON_COMPACT);
    puts(s);
    free(s);
    json_decref(o);
}

/* Answers one question and prints the reply.  Returns true when it was answered. */
static bool
answer_one(struct session *s, const char *question)
{
    struct kb_answer a;
    struct reply r = {0};
    char *text;

    kb_engine_answer(s->engine, s->org, question, strlen(question), &a);
    compose_answer(&a, &r);
    (void)converse_record(s->st, question, &a, s->cfg->decline_threshold, time(NULL));
    text = reply_format_plain(&r);
    if (s->json)
        print_json(&a, text);
    else
        printf("%s\n", text);
    free(text);
    reply_cleanup(&r);
    return a.answered;
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
    const char *kb = NULL, *org = NULL, *json = NULL, *record = NULL, *pos[64];
    const struct args_opt opts[] = {{"--kb", true, &kb},
                                    {"--org", true, &org},
                                    {"--json", false, &json},
                                    {"--record", false, &record}};
    struct session s = {0};
    int npos, status;

    if (!args_scan(argc, argv, opts, 4, pos, 64, &npos)) {
        fprintf(stderr, "usage: valuesbot ask [--kb PATH] [--org ID] [--json] [--record] "
                        "[QUESTION...]\n");
        return 2;
    }
    status = session_open(&s, kb, org);
    s.json = json != NULL;
    if (status == 0 && record != NULL)
        session_open_store(&s);
    if (status == 0 && npos > 0) {
        char *q = xstrdup(""), *tmp;

        for (int i = 0; i < npos; i++) {
            tmp = xasprintf("%s%s%s", q, i ? " " : "", pos[i]);
            free(q);
            q = tmp;
        }
        answer_one(&s, q);
        free(q);
    } else if (status == 0) {
        char *line = xmalloc(KB_QUESTION_MAX + 1);

        while (read_line(stdin, line, KB_QUESTION_MAX + 1)) {
            answer_one(&s, line);
            if (!s.json)
                putchar('\n');
            fflush(stdout);
        }
        free(line);
    }
    session_close(&s);
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
