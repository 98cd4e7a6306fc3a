/*
 * cmd_report.c - "valuesbot report": what staff asked that the bot could
 * not answer, most frequent first, for the content owners.
 *
 * Questions that differ only in case, punctuation, word order, little
 * words or a typo are one group: each is reduced to its sorted content
 * stems (the answer engine's own normalisation, bot/kb/kb_text.h), and
 * groups whose stems match one for one, allowing one edit in longer stems,
 * are merged.  The newest wording stands for the group.
 */
#include "bot/cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "bot/base/args.h"
#include "bot/base/buf.h"
#include "bot/base/file.h"
#include "bot/base/xmalloc.h"
#include "bot/core/config.h"
#include "bot/core/schedule.h"
#include "bot/core/store.h"
#include "bot/kb/kb_text.h"

#define REPORT_WORDS    64 /* words of a question used for grouping */
#define REPORT_VARIANTS 5  /* other wordings listed per group */
#define REPORT_LIMIT    50 /* groups shown unless --limit says otherwise */

struct group {
    char *org;    /* owned */
    char **stems; /* owned: sorted, distinct content stems */
    size_t nstems;
    char *question;                  /* owned: the newest wording */
    char *variants[REPORT_VARIANTS]; /* owned: other wordings, newest first */
    size_t nvariants;
    char *guess; /* owned: best guess of the newest */
    size_t count;
    time_t last;
};

struct report {
    struct kb_text *text;
    struct group *g; /* owned */
    size_t n;
    size_t rows;
};

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
stems_of(struct kb_text *t, const char *q, char ***out, size_t *n)
{
    struct kb_word w[REPORT_WORDS];
    size_t nw = kb_text_words(t, q, strlen(q), w, REPORT_WORDS), k = 0;
    char **s = xcalloc(nw ? nw : 1, sizeof(*s));
    bool content = false;

    for (size_t i = 0; i < nw; i++)
        content |= !kb_text_is_stopword(w[i].surface);
    for (size_t i = 0; i < nw; i++) {
        /* A question of little words only ("what is it?") keeps them all. */
        if (!content || !kb_text_is_stopword(w[i].surface))
            s[k++] = xstrdup(w[i].stem);
    }
    qsort(s, k, sizeof(*s), cmp_str);
    *n = 0;
    for (size_t i = 0; i < k; i++) {
        if (*n > 0 && strcmp(s[*n - 1], s[i]) == 0)
            free(s[i]);
        else
            s[(*n)++] = s[i];
    }
    *out = s;
}

static bool
stems_near(char **a, size_t na, char **b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++) {
        if (strcmp(a[i], b[i]) == 0)
            continue;
        if (strlen(a[i]) < 5 || kb_text_distance(a[i], b[i], 1) > 1)
            return false;
    }
    return true;
}

static void
group_free(struct group *g)
{
    free(g->org);
    for (size_t i = 0; i < g->nstems; i++)
        free(g->stems[i]);
    free(g->stems);
    free(g->question);
    for (size_t i = 0; i < g->nvariants; i++)
        free(g->variants[i]);
    free(g->guess);
}

static bool
on_row(const struct store_row *row, void *arg)
{
    struct report *rep = arg;
    char **stems;
    size_t n;
    struct group *g = NULL;

    rep->rows++;
    stems_of(rep->text, row->question, &stems, &n);
    for (size_t i = 0; i < rep->n && g == NULL; i++) {
        if (strcmp(rep->g[i].org, row->org) == 0 &&
            stems_near(rep->g[i].stems, rep->g[i].nstems, stems, n))
            g = &rep->g[i];
    }
    if (g == NULL) {
        rep->g = xreallocarray(rep->g, rep->n + 1, sizeof(*rep->g));
        g = &rep->g[rep->n++];
        /* Rows come newest first, so the first seen is the newest. */
        *g = (struct group){.org = xstrdup(row->org),
                            .stems = stems,
                            .nstems = n,
                            .question = xstrdup(row->question),
                            .guess = xstrdup(row->guess),
                            .last = row->when};
    } else {
        bool seen = strcmp(g->question, row->question) == 0;

        for (size_t i = 0; i < g->nvariants && !seen; i++)
            seen = strcmp(g->variants[i], row->question) == 0;
        if (!seen && g->nvariants < REPORT_VARIANTS)
            g->variants[g->nvariants++] = xstrdup(row->question);
        for (size_t i = 0; i < n; i++)
            free(stems[i]);
        free(stems);
    }
    g->count++;
    return true;
}

static int
cmp_group(const void *a, const void *b)
{
    const struct group *x = a, *y = b;

    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (x->last != y->last)
        return x->last > y->last ? -1 : 1;
    return strcmp(x->question, y->question);
}

static bool
parse_date(const char *s, time_t *out)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d, used = 0;

    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || s[used] != '\0' ||
        used != 10 || y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return false;
    *out = (time_t)schedule_days_from_civil(y, (unsigned)m, (unsigned)d) * 86400;
    return true;
}

static void
date_format(time_t t, char *buf, size_t len)
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

static void
print_plain(const struct report *rep, size_t limit, const char *org, const char *since)
{
    char when[32];

    if (rep->rows == 0) {
        printf("No unanswered questions recorded%s%s%s%s.\n", org ? " for " : "",
               org ? org : "", since ? " since " : "", since ? since : "");
        return;
    }
    printf("%zu unanswered question%s in %zu group%s%s%s%s%s, most frequent first:\n\n",
           rep->rows, rep->rows == 1 ? "" : "s", rep->n, rep->n == 1 ? "" : "s",
           org ? " for " : "", org ? org : "", since ? " since " : "",
           since ? since : "");
    printf("%5s  %-16s  %-6s  %s\n", "count", "last seen (UTC)", "org", "question");
    for (size_t i = 0; i < rep->n && i < limit; i++) {
        const struct group *g = &rep->g[i];

        date_format(g->last, when, sizeof(when));
        printf("%5zu  %-16s  %-6s  %s\n", g->count, when, g->org, g->question);
        for (size_t k = 0; k < g->nvariants; k++)
            printf("%5s  %-16s  %-6s    also: %s\n", "", "", "", g->variants[k]);
        if (g->guess[0])
            printf("%5s  %-16s  %-6s    best guess: %s\n", "", "", "", g->guess);
    }
    if (rep->n > limit)
        printf("\n(%zu more groups; use --limit N to see them)\n", rep->n - limit);
}

static void
print_json(const struct report *rep, size_t limit, const char *org, const char *since)
{
    json_t *o = json_object(), *arr = json_array();
    char when[32], *s;

    json_object_set_new(o, "org", org ? json_string(org) : json_null());
    json_object_set_new(o, "since", since ? json_string(since) : json_null());
    json_object_set_new(o, "questions", json_integer((json_int_t)rep->rows));
    for (size_t i = 0; i < rep->n && i < limit; i++) {
        const struct group *g = &rep->g[i];
        json_t *v = json_array();
        struct tm tm;

        gmtime_r(&g->last, &tm);
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
        for (size_t k = 0; k < g->nvariants; k++)
            json_array_append_new(v, json_string(g->variants[k]));
        json_array_append_new(arr, json_pack("{sssIssssssso}", "org", g->org, "count",
                                             (json_int_t)g->count, "last_seen", when,
                                             "question", g->question, "best_guess",
                                             g->guess, "variants", v));
    }
    json_object_set_new(o, "groups", arr);
    s = json_dumps(o, JSON_INDENT(2));
    puts(s);
    free(s);
    json_decref(o);
}

int
cmd_report(int argc, char **argv)
{
    const char *org = NULL, *since = NULL, *json = NULL, *db = NULL, *lim = NULL;
    const char *pos[1];
    const struct args_opt opts[] = {{"--org", true, &org},
                                    {"--since", true, &since},
                                    {"--json", false, &json},
                                    {"--db", true, &db},
                                    {"--limit", true, &lim}};
    struct report rep = {0};
    struct config *cfg = NULL;
    struct store *st = NULL;
    time_t from = 0;
    size_t limit = REPORT_LIMIT;
    char *why = NULL, *end;
    int npos, status = 2;

    if (!args_scan(argc, argv, opts, 5, pos, 0, &npos)) {
        fprintf(stderr,
                "usage: valuesbot report [--org ID] [--since YYYY-MM-DD] [--json] "
                "[--limit N] [--db PATH]\n");
        return 2;
    }
    if (since != NULL && !parse_date(since, &from)) {
        fprintf(stderr, "valuesbot: --since: \"%s\" is not a date like 2026-01-31\n",
                since);
        return 2;
    }
    if (lim != NULL) {
        unsigned long l = strtoul(lim, &end, 10);

        if (*end != '\0' || l < 1 || l > 100000 || lim[0] == '-') {
            fprintf(stderr, "valuesbot: --limit: must be a whole number from 1\n");
            return 2;
        }
        limit = l;
    }
    if (config_load(NULL, cmd_default_kb_path(), &cfg, &why) != BOT_OK) {
        fprintf(stderr, "valuesbot: config: %s\n", why);
        goto out;
    }
    if (db == NULL)
        db = cfg->db_path;
    rep.text = kb_text_new();
    if (!file_exists(db)) {
        /* Nothing has been recorded yet: an empty report, and no file created. */
        status = 0;
    } else if (store_open(db, false, cfg->retention_days, time(NULL), &st, &why) !=
               BOT_OK) {
        fprintf(stderr, "valuesbot: %s\n", why);
        goto out;
    } else if (store_unanswered_foreach(st, org, from, on_row, &rep) != BOT_OK) {
        fprintf(stderr, "valuesbot: store %s: cannot be read (see the log above)\n", db);
        goto out;
    } else {
        status = 0;
    }
    if (rep.n > 1) /* qsort(NULL, 0, ...) is undefined */
        qsort(rep.g, rep.n, sizeof(*rep.g), cmp_group);
    if (json != NULL)
        print_json(&rep, limit, org, since);
    else
        print_plain(&rep, limit, org, since);
out:
    for (size_t i = 0; i < rep.n; i++)
        group_free(&rep.g[i]);
    free(rep.g);
    kb_text_free(rep.text);
    store_free(st);
    config_free(cfg);
    free(why);
    return status;
}
