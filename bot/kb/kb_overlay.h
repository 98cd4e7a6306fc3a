/*
 * kb_overlay.h - curated additions merged into a built KB.
 *
 * An overlay is a small JSON file that content owners edit, without C, to
 * add what extraction cannot know: aliases for values and goals, synonyms,
 * a corrected statement, an ambition the document states in prose, and
 * ("add") values or goals the builder did not find (a page that shows them
 * in a picture).  Every item it supplies or changes is marked as coming from
 * the overlay.
 */
#ifndef BOT_KB_KB_OVERLAY_H
#define BOT_KB_KB_OVERLAY_H

#include <stddef.h>

#include "bot/base/err.h"

struct kb;

/*
 * Merges the overlay JSON in the @len bytes at @buf into @kb.  Returns
 * BOT_EPARSE with *why (out, new string) for invalid JSON, an unknown key
 * (so a typo is not silently ignored), a wrong type, a value or goal to
 * change that the KB does not have, or one to add that it already has.  @kb may be partly
 * changed on error.
 */
enum bot_err kb_overlay_apply(struct kb *kb, const char *buf, size_t len, char **why);

#endif /* BOT_KB_KB_OVERLAY_H */
