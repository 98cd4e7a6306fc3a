/* reply.c - a platform-neutral reply, and its plain-text rendering. */
#include "bot/chat/reply.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/buf.h"
#include "bot/base/fmt.h"
#include "bot/base/xmalloc.h"

#define REPLY_MAX_TEXT (64 * 1024) /* far above any strategy answer */

/* Adds a block whose text @text is taken (owned by the reply from here). */
static void
add_take(struct reply *r, enum reply_kind kind, const char *label, char *text)
{
    /* The blocks grow in powers of two from four, so that their room follows
     * from @n (reply.h): one realloc() for a reply's first four blocks, not
     * one per block. */
    if (r->n == 0 || (r->n >= 4 && (r->n & (r->n - 1)) == 0))
        r->blocks = xreallocarray(r->blocks, r->n ? r->n * 2 : 4, sizeof(*r->blocks));
    r->blocks[r->n++] =
        (struct reply_block){.kind = kind, .label = xstrdup_or_null(label), .text = text};
}

void
reply_add(struct reply *r, enum reply_kind kind, const char *label, const char *text)
{
    add_take(r, kind, label, xstrdup(text));
}

void
reply_addf(struct reply *r, enum reply_kind kind, const char *label, const char *fmt, ...)
{
    va_list ap, ap2;
    char small[512], *s;
    int n;

    /* Formatted once into @small when it fits (most lines do), and the copy
     * kept: no second vsnprintf() to measure, no copy of a copy. */
    va_start(ap, fmt);
    va_copy(ap2, ap);
    if ((n = fmt_strings(small, sizeof(small), fmt, ap)) < 0)
        n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        n = 0;
        small[0] = '\0';
    }
    s = xmalloc((size_t)n + 1);
    if ((size_t)n < sizeof(small))
        memcpy(s, small, (size_t)n + 1);
    else
        vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    add_take(r, kind, label, s);
}

void
reply_copy(struct reply *dst, const struct reply *src)
{
    *dst = (struct reply){0};
    for (size_t i = 0; i < src->n; i++)
        reply_add(dst, src->blocks[i].kind, src->blocks[i].label, src->blocks[i].text);
}

void
reply_cleanup(struct reply *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->blocks[i].label);
        free(r->blocks[i].text);
    }
    free(r->blocks);
    r->blocks = NULL;
    r->n = 0;
}

char *
reply_format_plain(const struct reply *r)
{
    struct buf b;

    buf_init(&b, REPLY_MAX_TEXT);
    for (size_t i = 0; i < r->n; i++) {
        const struct reply_block *bl = &r->blocks[i];
        bool list = bl->kind == REPLY_ITEM || bl->kind == REPLY_SUBITEM;
        bool prev_list = i > 0 && (r->blocks[i - 1].kind == REPLY_ITEM ||
                                   r->blocks[i - 1].kind == REPLY_SUBITEM);

        /* A blank line between paragraphs, none inside a list. */
        if (i > 0 && list && (prev_list || r->blocks[i - 1].kind == REPLY_HEADING))
            (void)buf_adds(&b, "\n");
        else if (i > 0)
            (void)buf_adds(&b, "\n\n");
        switch (bl->kind) {
        case REPLY_ITEM:
            (void)buf_adds(&b, "  • ");
            break;
        case REPLY_SUBITEM:
            (void)buf_adds(&b, "      - ");
            break;
        case REPLY_QUOTE:
            (void)buf_adds(&b, "“");
            break;
        default:
            break;
        }
        if (bl->label != NULL)
            (void)buf_printf(&b, "%s%s", bl->label, bl->text[0] ? ": " : "");
        (void)buf_adds(&b, bl->text);
        if (bl->kind == REPLY_QUOTE)
            (void)buf_adds(&b, "”");
    }
    return buf_take(&b);
}
