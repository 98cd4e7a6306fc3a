/*
 * bench_kb_build.c - time to build a KB from a page, in process.
 *
 * For each text page given, builds the KB (reader, extraction, report)
 * once to warm up and then ROUNDS times, timing every build with the
 * monotonic clock.  Prints, per page, its size and the median build time,
 * and over all pages the median, the 90th percentile, and the median of
 * the pages of 3,000 to 5,000 bytes (the "4,000-character page").
 * A benchmark, not a test: it asserts nothing.
 *
 * Usage: bench_kb_build [-q] [-r ROUNDS] PAGE...
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot/base/file.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_build.h"
#include "bot/kb/kb_doc.h"

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

static double
median(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Builds @len bytes at @data as one source; returns the time taken in ms. */
static double
build_once(const char *data, size_t len, const char *name)
{
    struct kb_build_opts o = {.org = "bench", .name = "Bench Trust", .doc = name};
    struct kb_doc doc;
    struct kb *kb = NULL;
    char *why = NULL, *report = NULL;
    double t0 = now_ns();

    kb_doc_init(&doc);
    if (kb_doc_read(&doc, data, len, kb_doc_sniff(data, len, name), name, &why) == BOT_OK)
        (void)kb_build_doc(&doc, &o, &kb, &report, &why);
    kb_doc_cleanup(&doc);
    kb_free(kb);
    free(report);
    free(why);
    return (now_ns() - t0) / 1e6;
}

int
main(int argc, char **argv)
{
    int rounds = 50, first = 1;
    bool quiet = false;
    double *all = NULL, *mid = NULL;
    size_t nall = 0, nmid = 0;

    while (first < argc && argv[first][0] == '-') {
        if (strcmp(argv[first], "-q") == 0) {
            quiet = true;
            first++;
        } else if (strcmp(argv[first], "-r") == 0 && first + 1 < argc) {
            rounds = (int)strtol(argv[first + 1], NULL, 10);
            first += 2;
        } else {
            break;
        }
    }
    if (first >= argc || rounds < 1) {
        fprintf(stderr, "usage: bench_kb_build [-q] [-r ROUNDS] PAGE...\n");
        return 2;
    }
    for (int i = first; i < argc; i++) {
        char *data;
        size_t len;
        double *t = xreallocarray(NULL, (size_t)rounds, sizeof(*t)), m;

        if (file_read(argv[i], KB_BUILD_MAX_DOC, &data, &len) != BOT_OK) {
            fprintf(stderr, "bench_kb_build: %s: cannot read\n", argv[i]);
            free(t);
            return 2;
        }
        build_once(data, len, argv[i]);
        for (int r = 0; r < rounds; r++)
            t[r] = build_once(data, len, argv[i]);
        m = median(t, (size_t)rounds);
        if (!quiet)
            printf("%6zu bytes  median %.3f ms  %s\n", len, m, argv[i]);
        all = xreallocarray(all, nall + 1, sizeof(*all));
        all[nall++] = m;
        if (len >= 3000 && len <= 5000) {
            mid = xreallocarray(mid, nmid + 1, sizeof(*mid));
            mid[nmid++] = m;
        }
        free(t);
        free(data);
    }
    {
        double p90;

        qsort(all, nall, sizeof(*all), cmp_double);
        p90 = all[(size_t)((double)nall * 0.9) < nall ? (size_t)((double)nall * 0.9)
                                                      : nall - 1];
        printf("%zu pages, %d rounds: median of page medians %.3f ms, p90 %.3f ms", nall,
               rounds, median(all, nall), p90);
        if (nmid > 0)
            printf("; pages of 3,000-5,000 bytes (%zu): median %.3f ms", nmid,
                   median(mid, nmid));
        printf("\n");
    }
    free(all);
    free(mid);
    return 0;
}
