/* buf.c - a growable byte buffer with a hard cap. */
#include "bot/base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/fmt.h"
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
buf_add_grow(struct buf *b, const void *data, size_t len)
{
    if (len > b->max - b->len)
        return BOT_ELIMIT;
    if (b->len + len + 1 > b->cap) {
        /* From 256: most buffers hold a line, a post or a reply, and each
         * doubling from less is one more realloc() and copy of it. */
        size_t cap = b->cap ? b->cap : 256;

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
buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    char small[256];
    int n;

    /* Formatted once into @small when it fits (most do); a longer one is
     * measured there and formatted again into the buffer. */
    va_start(ap, fmt);
    va_copy(ap2, ap);
    if ((n = fmt_strings(small, sizeof(small), fmt, ap)) < 0)
        n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_end(ap2);
        return BOT_EINVAL;
    }
    if ((size_t)n < sizeof(small)) {
        va_end(ap2);
        return buf_add(b, small, (size_t)n);
    }
    if ((size_t)n > b->max - b->len) {
        va_end(ap2);
        return BOT_ELIMIT;
    }
    buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    b->len += (size_t)n;
    va_end(ap2);
    return BOT_OK;
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
