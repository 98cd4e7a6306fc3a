/* fmt.c - vsnprintf() for the formats that only join strings. */
#include "bot/base/fmt.h"

#include <stdio.h>
#include <string.h>

/* Copies @n bytes of @s to @out at *@at, as far as @size leaves room (the
 * last byte kept for the NUL); *@at counts every byte, kept or not. */
static void
put(char *out, size_t size, size_t *at, const char *s, size_t n)
{
    if (*at + 1 < size) {
        size_t room = size - 1 - *at;

        memcpy(out + *at, s, n < room ? n : room);
    }
    *at += n;
}

int
fmt_strings(char *out, size_t size, const char *fmt, va_list ap)
{
    size_t at = 0;
    const char *p;

    /* The whole format checked before any argument is read. */
    for (p = strchr(fmt, '%'); p != NULL; p = strchr(p + 2, '%')) {
        if (p[1] != 's' && p[1] != '%')
            return -1;
    }
    for (p = fmt; *p != '\0';) {
        const char *pc = strchr(p, '%');
        size_t lit = pc != NULL ? (size_t)(pc - p) : strlen(p);

        put(out, size, &at, p, lit);
        if (pc == NULL)
            break;
        if (pc[1] == '%') {
            put(out, size, &at, "%", 1);
        } else {
            const char *s = va_arg(ap, const char *);

            if (s == NULL)
                s = "(null)";
            put(out, size, &at, s, strlen(s));
        }
        p = pc + 2;
    }
    if (size > 0)
        out[at < size ? at : size - 1] = '\0';
    return at > (size_t)0x7fffffff ? -1 : (int)at;
}

int
fmt_snprintf(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    if ((n = fmt_strings(out, size, fmt, ap)) < 0)
        n = vsnprintf(out, size, fmt, ap);
    va_end(ap);
    return n;
}
