/* xmalloc.c - allocation that never returns NULL. */
#include "bot/base/xmalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot/base/fmt.h"
#include "bot/base/log.h"

void *
xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (p == NULL)
        fatalx("out of memory allocating %zu bytes", size);
    return p;
}

void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (p == NULL)
        fatalx("out of memory allocating %zu x %zu bytes", n, size);
    return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
    void *q;

    if (size != 0 && n > SIZE_MAX / size)
        fatalx("allocation overflow: %zu x %zu", n, size);
    q = realloc(p, (n * size) != 0 ? n * size : 1);
    if (q == NULL)
        fatalx("out of memory reallocating %zu x %zu bytes", n, size);
    return q;
}

char *
xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *
xstrdup_or_null(const char *s)
{
    return s != NULL ? xstrdup(s) : NULL;
}

char *
xstrndup(const char *s, size_t len)
{
    char *p = xmalloc(len + 1);

    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *
xasprintf(const char *fmt, ...)
{
    va_list ap, ap2;
    char small[256];
    int n;
    char *p;

    /* Formatted once into @small, copied when it fits (most do): a second
     * vsnprintf() just to measure cost as much as the first. */
    va_start(ap, fmt);
    va_copy(ap2, ap);
    if ((n = fmt_strings(small, sizeof(small), fmt, ap)) < 0)
        n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        fatalx("xasprintf: bad format");
    p = xmalloc((size_t)n + 1);
    if ((size_t)n < sizeof(small))
        memcpy(p, small, (size_t)n + 1);
    else
        vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

static void
json_free_fn(void *p)
{
    free(p);
}

void
xmalloc_json_init(void)
{
    json_set_alloc_funcs(xmalloc, json_free_fn);
}

void
xfree_secret(char *s)
{
    if (s != NULL) {
        volatile char *p = s; /* volatile: the writes are not optimised away */

        while (*p)
            *p++ = '\0';
        free(s);
    }
}
