/*
 * jsonw.h - compact JSON text written straight into a buffer.
 *
 * What jansson's json_dumps(JSON_COMPACT) writes, byte for byte, without its
 * per-container loop check (a snprintf("%p") and a hash table each) or its
 * per-character output: a reply's post body is written once per request,
 * and json_dumps() cost more than building the reply itself.
 */
#ifndef BOT_ADAPTERS_JSONW_H
#define BOT_ADAPTERS_JSONW_H

#include <stddef.h>

#include <jansson.h>

#include "bot/base/buf.h"

/* Appends @s (@len bytes, UTF-8) as a quoted JSON string, escaped as jansson does. */
void jsonw_string(struct buf *b, const char *s, size_t len);

/*
 * Appends @v as compact JSON, the text json_dumps(@v, JSON_COMPACT |
 * JSON_ENCODE_ANY) makes (members in the object's own order).  @v must hold
 * no cycle (jansson's constructors cannot make one without a json_incref of
 * a parent).
 */
void jsonw_value(struct buf *b, const json_t *v);

/* Returns @v as compact JSON, a new string (free with free()); see jsonw_value(). */
char *jsonw_dumps(const json_t *v);

#endif /* BOT_ADAPTERS_JSONW_H */
