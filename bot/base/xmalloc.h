/*
 * xmalloc.h - allocation that never returns NULL.
 *
 * Out-of-memory aborts through fatalx(), as in tmux and OpenSMTPD: the
 * daemon runs under a supervisor, and this removes unreachable branches.
 * This is the only file allowed to call malloc and friends directly.
 */
#ifndef BOT_BASE_XMALLOC_H
#define BOT_BASE_XMALLOC_H

#include <stddef.h>

/* Returns a new block of @size bytes (at least 1); free with free(). */
void *xmalloc(size_t size);

/* Returns a new zeroed array of @n blocks of @size bytes; free with free(). */
void *xcalloc(size_t n, size_t size);

/* Resizes @p to @n elements of @size bytes, checking the product for overflow. */
void *xreallocarray(void *p, size_t n, size_t size);

/* Returns a new copy of @s; free with free(). */
char *xstrdup(const char *s);

/* Returns a new copy of @s, or NULL when @s is NULL. */
char *xstrdup_or_null(const char *s);

/* Returns a new NUL-terminated copy of the first @len bytes of @s. */
char *xstrndup(const char *s, size_t len);

/* Returns a new string formatted as printf would; free with free(). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Points jansson at these allocators, so its out-of-memory aborts too. */
void xmalloc_json_init(void);

/* Overwrites the string @s (a token) with zeros, then frees it.  NULL is a no-op. */
void xfree_secret(char *s);

#endif /* BOT_BASE_XMALLOC_H */
