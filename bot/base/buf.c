/* buf.c - a growable byte buffer with a hard cap. */
#include "bot/base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/xmalloc.h"

void
buf_init(struct buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void
buf_cleanup(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void
buf_cleanup_secret(struct buf *b)
{
    if (b->data != NULL) {
        volatile char *v = b->data; /* volatile: the writes are not optimised away */

        for (size_t i = 0; i < b->len; i++)
            v[i] = '\0';
    }
    buf_cleanup(b);
}

void
buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

void
buf_reserve(struct buf *b, size_t len)
{
    size_t want;

    if (len > b->max - b->len)
        len = b->max - b->len;
    want = b->len + len + 1;
    if (want > b->cap) {
        b->data = xreallocarray(b->data, want, 1);
        if (b->cap == 0)
            b->data[0] = '\0';
        b->cap = want;
    }
}

enum bot_err
buf_add(struct buf *b, const void *data, size_t len)
{
    if (len > b->max - b->len)
        return BOT_ELIMIT;
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;

        while (cap < b->len + len + 1)
            cap *= 2;
        b->data = xreallocarray(b->data, cap, 1);
        b->cap = cap;
    }
    if (len > 0)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return BOT_OK;
}

enum bot_err
buf_adds(struct buf *b, const char *s)
{
    return buf_add(b, s, strlen(s));
}

enum bot_err
buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;
    enum bot_err err;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return BOT_EINVAL;
    s = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    err = buf_add(b, s, (size_t)n);
    free(s);
    return err;
}

const char *
buf_str(const struct buf *b)
{
    return b->data ? b->data : "";
}

char *
buf_take(struct buf *b)
{
    char *s = b->data ? b->data : xstrdup("");

    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}
