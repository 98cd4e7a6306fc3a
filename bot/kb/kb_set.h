/*
 * kb_set.h - every organisation's KB, loaded together.
 *
 * The loader takes a KB file or a directory of them (each <org>.json; the
 * overlays beside them, *.overlay.json, are build inputs and skipped) and
 * holds one KB per org id.  Loading is all or nothing, so a reload can
 * build a new set beside the old one and swap only when it loaded cleanly.
 */
#ifndef BOT_KB_KB_SET_H
#define BOT_KB_KB_SET_H

#include <stddef.h>

#include "bot/base/err.h"

struct kb;
struct kb_set;

/*
 * Loads the KB file or directory at @path into a new set (out @set; free
 * with kb_set_free()).  On failure returns the error of the first bad file
 * and *why (out, new string) names the file and the problem; *set is NULL.
 * A directory with no KB in it is BOT_EINVAL.
 */
enum bot_err kb_set_load(const char *path, struct kb_set **set, char **why);

/* Frees the set and its KBs.  NULL is a no-op. */
void kb_set_free(struct kb_set *set);

/* Borrowed: the KB of @org, or NULL; valid until kb_set_free(). */
const struct kb *kb_set_find(const struct kb_set *set, const char *org);

/* Returns how many KBs the set holds. */
size_t kb_set_count(const struct kb_set *set);

/* Borrowed: the @i-th KB in org-id order; @i must be below kb_set_count(). */
const struct kb *kb_set_get(const struct kb_set *set, size_t i);

#endif /* BOT_KB_KB_SET_H */
