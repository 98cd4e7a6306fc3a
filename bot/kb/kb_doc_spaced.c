/*
 * kb_doc_spaced.c - values named in one sentence whose names the page kept
 * apart only by white space: each name was its own element ("Our values are
 * <span>safe</span>&nbsp; <span>caring</span> ..."), and the text keeps a run
 * of two spaces or more between them ("Our values are safe  caring
 * excellent.").  Collapsed to one space they would read as prose; the runs
 * are made ", " first, so that the sentence lists its names as any other.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb_doc_spaced.h"

/* The length of the white space (as kb_doc_add collapses it) at @p, 0 if none. */
static size_t
space_at(const char *p)
{
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        return 1;
    if ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xa0)
        return 2;
    return 0;
}

/* The length of the run of white space at @p, and its count of spaces in *@n. */
static size_t
run_at(const char *p, size_t *n)
{
    size_t len = 0, k;

    *n = 0;
    while ((k = space_at(p + len)) > 0) {
        len += k;
        (*n)++;
    }
    return len;
}

/* Words in @s up to @e (white space apart); 0 when one holds no letter. */
static size_t
short_words(const char *s, const char *e)
{
    size_t n = 0;

    while (s < e) {
        size_t k, runs;
        bool letter = false;

        if ((k = run_at(s, &runs)) > 0) {
            s += k;
            continue;
        }
        while (s < e && space_at(s) == 0) {
            if (strchr(",;:()\"", *s) != NULL)
                return 0; /* punctuated: the page separates its own way */
            letter = letter || isalpha((unsigned char)*s);
            s++;
        }
        if (!letter)
            return 0;
        n++;
    }
    return n;
}

/*
 * The end of the lead-in naming the values at @s ("values are ", "values: ",
 * "values of "), or NULL.
 */
static const char *
values_lead(const char *s, const char *end)
{
    for (const char *p = s; p + 6 <= end; p++) {
        if (strncasecmp(p, "values", 6) != 0 || (p > s && isalpha((unsigned char)p[-1])))
            continue;
        p += 6;
        if (strncasecmp(p, " are ", 5) == 0)
            return p + 5;
        if (strncmp(p, ": ", 2) == 0)
            return p + 2;
        if (strncasecmp(p, " of ", 4) == 0)
            return p + 4;
        return NULL;
    }
    return NULL;
}

char *
kb_doc_spaced(const char *s)
{
    const char *start = s, *lead, *p, *end, *runs[8];
    size_t nruns = 0, n, names;
    char *out, *o;

    /* the sentence that names the values: from the start or a full stop */
    for (p = s; *p; p++) {
        if ((*p == '.' || *p == '!' || *p == '?') && space_at(p + 1) > 0) {
            if (values_lead(start, p) != NULL)
                break;
            start = p + 1;
        }
    }
    end = p;
    lead = values_lead(start, end);
    if (lead == NULL)
        return NULL;
    while (space_at(lead) > 0)
        lead++;
    /* the names: apart from one another by runs of two spaces or more, each of
       one to three words; the first may be the lead-in's last words */
    for (p = lead; p < end;) {
        size_t k = run_at(p, &n);

        if (k == 0) {
            p++;
            continue;
        }
        if (n >= 2 && p > lead && p + k < end) {
            if (nruns == 8)
                return NULL;
            runs[nruns++] = p;
        }
        p += k;
    }
    if (nruns < 2)
        return NULL;
    names = 0;
    for (size_t i = 0; i <= nruns; i++) {
        const char *a = i == 0 ? lead : runs[i - 1] + run_at(runs[i - 1], &n);
        const char *b = i == nruns ? end : runs[i];
        size_t w;

        if (i == nruns && b > a && b[-1] == '.')
            b--;
        w = short_words(a, b);
        if (w == 0 || w > 3)
            return NULL;
        names++;
    }
    if (names < 3)
        return NULL;
    out = xmalloc(strlen(s) + 2 * nruns + 1);
    o = out;
    p = s;
    for (size_t i = 0; i < nruns; i++) {
        memcpy(o, p, (size_t)(runs[i] - p));
        o += runs[i] - p;
        memcpy(o, ", ", 2);
        o += 2;
        p = runs[i] + run_at(runs[i], &n);
    }
    memcpy(o, p, strlen(p) + 1);
    return out;
}
