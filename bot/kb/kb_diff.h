/*
 * kb_diff.h - what changed between two KBs, in words a comms officer reads.
 */
#ifndef BOT_KB_KB_DIFF_H
#define BOT_KB_KB_DIFF_H

#include <stddef.h>

struct kb;

/*
 * Compares @old with @new: the organisation and strategy names, mission,
 * vision and the other statements, goals (added, removed, renamed,
 * reworded, their points) and values (added, removed, renamed, their
 * definitions and behaviours).  Returns a new string of lines, a summary
 * first, or "" when nothing a reader would notice changed; free with
 * free().  *@nchanges (out, may be NULL) is the number of changes.
 */
char *kb_diff(const struct kb *old, const struct kb *new, size_t *nchanges);

#endif /* BOT_KB_KB_DIFF_H */
