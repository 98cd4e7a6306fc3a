/*
 * buf.h - a growable byte buffer with a hard cap, after curl's dynbuf.
 *
 * Every buffer filled from a file or the network has a cap; going past it
 * fails with BOT_ELIMIT and leaves the contents as they were.  The data is
 * always NUL-terminated so it can be used as a C string.
 */
#ifndef BOT_BASE_BUF_H
#define BOT_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "bot/base/err.h"

struct buf {
    char *data; /* owned; NULL until the first append, NUL-terminated after */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* hard limit on len */
};

/* Initialises @b with a limit of @max bytes. */
void buf_init(struct buf *b, size_t max);

/* Frees the data; @b may be reused after buf_init(). */
void buf_cleanup(struct buf *b);

/* Overwrites the data (a secret: a token, a header carrying one), then frees it. */
void buf_cleanup_secret(struct buf *b);

/* Empties @b without freeing its storage. */
void buf_reset(struct buf *b);

/*
 * Makes room for @len more bytes at once (capped at the buffer's cap), so
 * that a text of a known size is written without a reallocation for each
 * doubling of the storage.
 */
void buf_reserve(struct buf *b, size_t len);

/* buf_add() when the storage must grow (or the cap is passed). */
enum bot_err buf_add_grow(struct buf *b, const void *data, size_t len);

/*
 * Appends @len bytes.  BOT_ELIMIT when the result would exceed the cap.
 * Inline while they fit the storage: a reply's JSON, Markdown and log line
 * are written a few bytes at a time, and the call cost more than the copy.
 */
static inline enum bot_err
buf_add(struct buf *b, const void *data, size_t len)
{
    if (b->cap - b->len > len && len <= b->max - b->len) {
        if (len > 0)
            memcpy(b->data + b->len, data, len);
        b->len += len;
        b->data[b->len] = '\0';
        return BOT_OK;
    }
    return buf_add_grow(b, data, len);
}

/* Appends a C string.  BOT_ELIMIT as buf_add(). */
static inline enum bot_err
buf_adds(struct buf *b, const char *s)
{
    return buf_add(b, s, strlen(s));
}

/* Appends formatted text.  BOT_ELIMIT as buf_add(). */
enum bot_err buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Borrowed: the contents as a C string ("" when empty); valid until the next change. */
const char *buf_str(const struct buf *b);

/* Returns the contents as a new string and resets @b; free with free(). */
char *buf_take(struct buf *b);

#endif /* BOT_BASE_BUF_H */
