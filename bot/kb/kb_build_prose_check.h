/*
 * kb_build_prose_check.h - does a page say enough about its organisation in
 * running sentences to be built into passages, though it names no strategy?
 */
#ifndef BOT_KB_KB_BUILD_PROSE_CHECK_H
#define BOT_KB_KB_BUILD_PROSE_CHECK_H

#include <stdbool.h>

#include "bot/kb/kb.h"

/* Sentences about the organisation a page needs to be built from them alone. */
#define KB_BUILD_PROSE_CHECK_MIN 3

/*
 * Does @kb hold KB_BUILD_PROSE_CHECK_MIN passages or more that are running
 * sentences about the organisation: a full sentence (six words or more, three
 * of them in lower case, ending in a full stop or a quote, no question, no
 * link) whose subject is the organisation ("we", "Our staff ...", "The trust
 * ...", "The board ...", a name of capitalised words: "Marsh Vale Health NHS
 * Trust employs ...") and that says nothing of the website itself (cookies, a
 * page, a browser, a link)?  A menu, a cookie notice, an error page, link
 * lines, a contents list or addresses have none or one.
 */
bool kb_build_prose_check_is_about_org(const struct kb *kb);

#endif /* BOT_KB_KB_BUILD_PROSE_CHECK_H */
