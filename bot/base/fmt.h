/*
 * fmt.h - vsnprintf() for the formats that only join strings.
 *
 * Most of what the bot formats per reply is text joined with text: a log
 * line ("%s: event=%s channel=%s ..."), a reply's line ("Our %s%svalues:"),
 * a key.  glibc's vsnprintf() takes a thousand instructions or more for one
 * of those; this takes the copies.
 */
#ifndef BOT_BASE_FMT_H
#define BOT_BASE_FMT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Formats @fmt with the arguments @ap into @out (@size bytes; NUL-terminated
 * when @size is not 0) exactly as vsnprintf() would, when the only
 * conversions in @fmt are "%s" and "%%" (a NULL string reads "(null)", as in
 * glibc).  Returns the length of the whole text, as vsnprintf() does, or -1
 * when @fmt has any other conversion: then nothing is written and no
 * argument read, so @ap is still the caller's to hand to vsnprintf().
 */
int fmt_strings(char *out, size_t size, const char *fmt, va_list ap);

/* snprintf(), by fmt_strings() when @fmt only joins strings. */
int fmt_snprintf(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* BOT_BASE_FMT_H */
