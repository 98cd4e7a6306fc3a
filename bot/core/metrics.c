/* metrics.c - counters and one histogram, rendered as Prometheus text (format 0.0.4). */
#include "bot/core/metrics.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/adapters/adapter.h"
#include "bot/base/buf.h"
#include "bot/base/xmalloc.h"

static const double bounds[] = METRICS_BUCKETS;
#define NBUCKETS (sizeof(bounds) / sizeof(bounds[0]))

struct series {
    char *platform, *org; /* owned */
    uint64_t questions, answered, declined;
};

struct metrics {
    time_t start;
    struct series *series; /* owned array */
    size_t nseries;
    uint64_t buckets[NBUCKETS]; /* not cumulative: one count per bucket */
    uint64_t count;
    double sum;
    uint64_t reloads_ok, reloads_failed;
    time_t last_reload;
    bool last_reload_ok;
};

struct metrics *
metrics_new(time_t start)
{
    struct metrics *m = xcalloc(1, sizeof(*m));

    m->start = start;
    m->last_reload_ok = true;
    return m;
}

void
metrics_free(struct metrics *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->nseries; i++) {
        free(m->series[i].platform);
        free(m->series[i].org);
    }
    free(m->series);
    free(m);
}

static struct series *
find(struct metrics *m, const char *platform, const char *org)
{
    for (size_t i = 0; i < m->nseries; i++) {
        struct series *s = &m->series[i];

        if (strcmp(s->platform, platform) == 0 && strcmp(s->org, org) == 0)
            return s;
    }
    return NULL;
}

static struct series *
add(struct metrics *m, const char *platform, const char *org)
{
    struct series *s;

    m->series = xreallocarray(m->series, m->nseries + 1, sizeof(*m->series));
    s = &m->series[m->nseries++];
    memset(s, 0, sizeof(*s));
    s->platform = xstrdup(platform);
    s->org = xstrdup(org);
    return s;
}

void
metrics_question(struct metrics *m, const char *platform, const char *org,
                 const char *kind, double secs)
{
    struct series *s = find(m, platform, org);
    size_t b;

    /* Orgs come from the config, so the fold is a backstop; the last slot is
     * kept for it. */
    if (s == NULL && m->nseries < METRICS_MAX_SERIES - 1)
        s = add(m, platform, org);
    else if (s == NULL && (s = find(m, "other", "other")) == NULL)
        s = add(m, "other", "other");
    s->questions++;
    if (kind != NULL && strcmp(kind, "answer") == 0)
        s->answered++;
    else if (kind != NULL && strcmp(kind, "decline") == 0)
        s->declined++;
    if (!(secs >= 0)) /* NaN or negative: a clock step */
        secs = 0;
    for (b = 0; b < NBUCKETS && secs > bounds[b]; b++)
        ;
    if (b < NBUCKETS)
        m->buckets[b]++;
    m->count++;
    m->sum += secs;
}

void
metrics_reload(struct metrics *m, bool ok, time_t when)
{
    if (ok)
        m->reloads_ok++;
    else
        m->reloads_failed++;
    m->last_reload = when;
    m->last_reload_ok = ok;
}

/* A label value: backslash, double quote and newline escaped, as the format says. */
static void
label(struct buf *out, const char *v)
{
    for (; *v != '\0'; v++) {
        if (*v == '\\')
            (void)buf_adds(out, "\\\\");
        else if (*v == '"')
            (void)buf_adds(out, "\\\"");
        else if (*v == '\n')
            (void)buf_adds(out, "\\n");
        else
            (void)buf_add(out, v, 1);
    }
}

static void
head(struct buf *out, const char *name, const char *type, const char *help)
{
    (void)buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
per_series(const struct metrics *m, struct buf *out, const char *name, const char *help,
           size_t field)
{
    head(out, name, "counter", help);
    for (size_t i = 0; i < m->nseries; i++) {
        const struct series *s = &m->series[i];
        uint64_t v = field == 0 ? s->questions : field == 1 ? s->answered : s->declined;

        (void)buf_printf(out, "%s{platform=\"", name);
        label(out, s->platform);
        (void)buf_adds(out, "\",org=\"");
        label(out, s->org);
        (void)buf_printf(out, "\"} %llu\n", (unsigned long long)v);
    }
}

/* One sample per platform of the value @get gives. */
static void
per_platform(struct buf *out, const struct metrics_platform *p, size_t np,
             const char *name, const char *type, const char *help,
             uint64_t (*get)(const struct metrics_platform *, size_t), size_t arg)
{
    head(out, name, type, help);
    for (size_t i = 0; i < np; i++) {
        (void)buf_printf(out, "%s{platform=\"", name);
        label(out, p[i].name);
        (void)buf_printf(out, "\"} %llu\n", (unsigned long long)get(&p[i], arg));
    }
}

/* The uint64_t counter of p->stats at byte offset @off. */
static uint64_t
get_counter(const struct metrics_platform *p, size_t off)
{
    uint64_t v;

    memcpy(&v, (const char *)p->stats + off, sizeof(v));
    return v;
}

static uint64_t
get_connected(const struct metrics_platform *p, size_t unused)
{
    (void)unused;
    return p->connected ? 1 : 0;
}

static uint64_t
get_reconnects(const struct metrics_platform *p, size_t unused)
{
    (void)unused;
    return p->stats->connects > 0 ? p->stats->connects - 1 : 0;
}

/* The adapters' counters, each a counter of struct adapter_stats. */
static const struct {
    const char *name, *help;
    size_t off;
} counters[] = {
    {"valuesbot_posts_total", "Messages posted to the platform.",
     offsetof(struct adapter_stats, posts)},
    {"valuesbot_posts_retried_total", "Post attempts made after a failed one.",
     offsetof(struct adapter_stats, posts_retried)},
    {"valuesbot_posts_failed_total",
     "Replies the platform rejected or that were given up on.",
     offsetof(struct adapter_stats, posts_failed)},
    {"valuesbot_rate_limited_total", "HTTP 429 answers from the platform.",
     offsetof(struct adapter_stats, rate_limited)},
};

void
metrics_render(const struct metrics *m, const struct metrics_platform *p, size_t np,
               size_t kbs, struct buf *out)
{
    uint64_t cum = 0;

    per_series(m, out, "valuesbot_questions_total",
               "Messages the bot replied to (answers, declines, help, tours, digests).",
               0);
    per_series(m, out, "valuesbot_answered_total",
               "Questions answered from the knowledge base.", 1);
    per_series(m, out, "valuesbot_declined_total",
               "Questions the bot said it could not answer.", 2);
    head(out, "valuesbot_answer_seconds", "histogram",
         "Time from a message arriving to its reply being ready to send.");
    for (size_t b = 0; b < NBUCKETS; b++) {
        cum += m->buckets[b];
        (void)buf_printf(out, "valuesbot_answer_seconds_bucket{le=\"%g\"} %llu\n",
                         bounds[b], (unsigned long long)cum);
    }
    (void)buf_printf(out, "valuesbot_answer_seconds_bucket{le=\"+Inf\"} %llu\n",
                     (unsigned long long)m->count);
    (void)buf_printf(out, "valuesbot_answer_seconds_sum %.9f\n", m->sum);
    (void)buf_printf(out, "valuesbot_answer_seconds_count %llu\n",
                     (unsigned long long)m->count);

    per_platform(out, p, np, "valuesbot_connected", "gauge",
                 "1 while the platform's socket is up and delivering events.",
                 get_connected, 0);
    per_platform(out, p, np, "valuesbot_reconnects_total", "counter",
                 "Connections made after the first (drops, refreshes, replacements).",
                 get_reconnects, 0);
    for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
        per_platform(out, p, np, counters[i].name, "counter", counters[i].help,
                     get_counter, counters[i].off);

    head(out, "valuesbot_reloads_total", "counter",
         "Reloads of config and knowledge bases, by result.");
    (void)buf_printf(out,
                     "valuesbot_reloads_total{result=\"ok\"} %llu\n"
                     "valuesbot_reloads_total{result=\"failed\"} %llu\n",
                     (unsigned long long)m->reloads_ok,
                     (unsigned long long)m->reloads_failed);
    head(out, "valuesbot_last_reload_ok", "gauge",
         "1 when the last reload succeeded (or none was asked for), 0 when it was "
         "refused.");
    (void)buf_printf(out, "valuesbot_last_reload_ok %d\n", m->last_reload_ok ? 1 : 0);
    head(out, "valuesbot_last_reload_timestamp_seconds", "gauge",
         "When the last reload was asked for (0: never).");
    (void)buf_printf(out, "valuesbot_last_reload_timestamp_seconds %lld\n",
                     (long long)m->last_reload);
    head(out, "valuesbot_knowledge_bases_loaded", "gauge",
         "Knowledge bases loaded and answering.");
    (void)buf_printf(out, "valuesbot_knowledge_bases_loaded %zu\n", kbs);
    head(out, "process_start_time_seconds", "gauge",
         "Start time of the process since the Unix epoch, in seconds.");
    (void)buf_printf(out, "process_start_time_seconds %lld\n", (long long)m->start);
}
