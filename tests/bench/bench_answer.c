/*
 * bench_answer.c - time per question of the answer engine, in process.
 *
 * Loads every KB under knowledge/ (both organisations), reads the
 * evaluation questions, answers each once to warm up, then answers the
 * whole set ROUNDS times, timing every question on its own with the
 * monotonic clock.  Prints the median, the 90th percentile and the mean
 * per question.  A benchmark, not a test: it asserts nothing.
 *
 * Usage: bench_answer [QUESTIONS.jsonl [ROUNDS]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "bot/base/xmalloc.h"
#include "bot/core/compose.h"
#include "bot/chat/reply.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_set.h"

struct question {
    char org[32];
    char *text;
};

static double
now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static size_t
load_questions(const char *path, struct question **out)
{
    FILE *f = fopen(path, "r");
    char line[8192];
    size_t n = 0;

    *out = NULL;
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        json_error_t err;
        json_t *o = json_loads(line, 0, &err);
        const char *org, *q;

        if (o == NULL || json_unpack(o, "{s:s, s:s}", "org", &org, "q", &q) != 0) {
            json_decref(o);
            continue;
        }
        *out = xreallocarray(*out, n + 1, sizeof(**out));
        snprintf((*out)[n].org, sizeof((*out)[n].org), "%s", org);
        (*out)[n].text = xstrdup(q);
        n++;
        json_decref(o);
    }
    fclose(f);
    return n;
}

/* Answers and composes one question, as the bot does; returns the reply's length. */
static size_t
answer(struct kb_engine *e, const struct question *q)
{
    struct kb_answer a;
    struct reply r = {0};
    char *text;
    size_t len;

    kb_engine_answer(e, q->org, q->text, strlen(q->text), &a);
    compose_answer(&a, &r);
    text = reply_format_plain(&r);
    len = strlen(text);
    free(text);
    reply_cleanup(&r);
    return len;
}

int
main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "tests/eval/questions.jsonl";
    long rounds = argc > 2 ? strtol(argv[2], NULL, 10) : 20;
    struct kb_set *set;
    struct kb_engine *e;
    struct question *qs;
    char *why = NULL;
    size_t n, total = 0, sink = 0;
    double *t, sum = 0, t0;

    if (kb_set_load("knowledge", &set, &why) != 0) {
        fprintf(stderr, "bench_answer: %s\n", why);
        return 2;
    }
    e = kb_engine_new(set, 0.5, 0.1);
    n = load_questions(path, &qs);
    if (n == 0 || rounds < 1) {
        fprintf(stderr, "bench_answer: no questions in %s\n", path);
        return 2;
    }
    for (size_t i = 0; i < n; i++) /* warm-up: caches, memo, branch predictors */
        sink += answer(e, &qs[i]);
    t = xreallocarray(NULL, n * (size_t)rounds, sizeof(*t));
    for (long r = 0; r < rounds; r++) {
        for (size_t i = 0; i < n; i++) {
            t0 = now_ns();
            sink += answer(e, &qs[i]);
            t[total] = now_ns() - t0;
            sum += t[total++];
        }
    }
    qsort(t, total, sizeof(*t), cmp_double);
    printf("questions: %zu x %ld rounds, %zu KBs loaded\n", n, rounds, kb_set_count(set));
    printf("per question (answer + compose + plain text): median %.2f us, p90 %.2f us, "
           "mean %.2f us\n",
           t[total / 2] / 1e3, t[total * 9 / 10] / 1e3, sum / (double)total / 1e3);
    if (sink == 0)
        printf("(no replies?)\n");
    free(t);
    for (size_t i = 0; i < n; i++)
        free(qs[i].text);
    free(qs);
    kb_engine_free(e);
    kb_set_free(set);
    return 0;
}
