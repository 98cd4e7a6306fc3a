/*
 * adapter_int.h - small helpers every platform adapter uses.
 *
 * Only the adapters (bot/adapters/) include this; the core sees them through
 * adapter.h alone.
 */
#ifndef BOT_ADAPTERS_ADAPTER_INT_H
#define BOT_ADAPTERS_ADAPTER_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "bot/adapters/outbox.h" /* the reply pipeline (and its posting queue) */

/* Returns the string member @key of @obj (borrowed), or NULL when @obj is not
 * an object, or @key is missing or not a string. */
const char *adapter_jstr(const json_t *obj, const char *key);

/* Returns the string member "id" of the JSON object in @body (@len bytes) as
 * a new string: what a server answers when it made a channel or a
 * conversation; NULL when there is none or it is empty. */
char *adapter_json_id(const char *body, size_t len);

/*
 * Finds the member @key of the JSON object @s (@len bytes) without building
 * a tree: a scan that only skips values (strings, nesting).  Returns 1 and
 * sets *@val and *@vlen to the value's text when found at the top level, 0
 * when the object has no such member, -1 when @s is not an object or its
 * structure is broken (unbalanced, an unterminated string).  Keys written
 * with escapes are not matched.
 */
int adapter_json_member(const char *s, size_t len, const char *key, const char **val,
                        size_t *vlen);

/*
 * As adapter_json_member(), but the scan ends at the first member @key at
 * the top level: 1 then says nothing of the text after its value (which may
 * be broken, or name @key again).  For a look at one member near the start
 * of a long document, before (or instead of) reading it whole.
 */
int adapter_json_first(const char *s, size_t len, const char *key, const char **val,
                       size_t *vlen);

/* Returns @p past JSON whitespace (space, tab, newline, return), at most @end. */
const char *adapter_json_skip_ws(const char *p, const char *end);

/* With @p at a '"': returns the byte after the string's closing quote, or NULL. */
const char *adapter_json_skip_string(const char *p, const char *end);

/* Returns the byte after the JSON value at @p (a string, an object or array to
 * its bracket, a scalar), or NULL when it does not close. */
const char *adapter_json_skip_value(const char *p, const char *end);

/* Returns environment variable @name as a number from 1 to @max, or @def when
 * it is unset, empty, not a number or out of range (test knobs). */
unsigned adapter_env_uint(const char *name, unsigned def, unsigned max);

#endif /* BOT_ADAPTERS_ADAPTER_INT_H */
