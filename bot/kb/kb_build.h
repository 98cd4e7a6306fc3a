/*
 * kb_build.h - strategy document (plain text or Markdown) to KB.
 *
 * Extraction is general: it recognises how strategy pages are written
 * (headings such as "Our mission" or "Our three goals", "Goal N:" lines,
 * bulleted and numbered lists, "Name: description" items, values given
 * inline in a sentence, behaviours under a value) and holds no string
 * taken from any particular document.  What extraction cannot know comes
 * from the overlay (kb_overlay.h).
 */
#ifndef BOT_KB_KB_BUILD_H
#define BOT_KB_KB_BUILD_H

#include <stddef.h>

#include "bot/base/err.h"

struct kb;
struct kb_doc;

#define KB_BUILD_MAX_DOC (4u * 1024 * 1024) /* a strategy page is tens of KB */

struct kb_build_opts {
    const char *org;        /* borrowed: org id, required */
    const char *name;       /* borrowed: organisation name, required */
    const char *short_name; /* borrowed, may be NULL */
    const char *strategy;   /* borrowed: strategy name; NULL: guessed from the text */
    const char *doc;        /* borrowed: source file name recorded as provenance */
};

/*
 * Builds a KB from the document in the @len bytes at @text.  On success *out
 * (out) is a new KB; free with kb_free().  Returns BOT_EPARSE with *why (out,
 * new string) for invalid UTF-8, binary data or a document with nothing
 * recognisable in it, BOT_ELIMIT for one over KB_BUILD_MAX_DOC, and BOT_EINVAL
 * for a bad org id or an empty name.
 */
enum bot_err kb_build(const char *text, size_t len, const struct kb_build_opts *opts,
                      struct kb **out, char **why);

/*
 * Builds a KB from @doc (its blocks, from one or more sources read by
 * kb_doc_read()).  As kb_build(); besides, *report (out, new string, may
 * be NULL) is what a content owner reads: what was found and where ("5
 * values under 'Our values', lines 14-18"), and what the builder was unsure
 * of, one line each; it is set on a "found nothing" failure too, so that the
 * owner sees what was looked at.
 */
enum bot_err kb_build_doc(const struct kb_doc *doc, const struct kb_build_opts *opts,
                          struct kb **out, char **report, char **why);

#endif /* BOT_KB_KB_BUILD_H */
