/*
 * kb_doc_html_int.h - internals of the HTML reader, shared with its tests.
 */
#ifndef BOT_KB_KB_DOC_HTML_INT_H
#define BOT_KB_KB_DOC_HTML_INT_H

#include <stddef.h>

/*
 * Decodes the HTML page in the @len bytes at @buf to UTF-8: a BOM wins,
 * then the charset a <meta> tag declares (windows-1252 and its aliases
 * here, others through iconv), else UTF-8 with each byte that is not part
 * of a valid sequence read as windows-1252.  Returns a new NUL-terminated
 * string of *outlen (out) bytes; *charset (out) is borrowed, static: the
 * name of the encoding used, for messages.
 */
char *kb_doc_html_decode(const char *buf, size_t len, size_t *outlen,
                         const char **charset);

#endif /* BOT_KB_KB_DOC_HTML_INT_H */
