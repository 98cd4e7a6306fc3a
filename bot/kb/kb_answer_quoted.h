/* kb_answer_quoted.h - a quote's own words, past the speaker's lead-in. */
#ifndef BOT_KB_KB_ANSWER_QUOTED_H
#define BOT_KB_KB_ANSWER_QUOTED_H

/*
 * Returns the words of passage text @text after a speaker's lead-in ("Ada
 * Brook, Chair said: " and an opening quotation mark): a pointer into @text,
 * or @text itself when it has no lead-in.  Borrowed, as @text.
 */
const char *kb_answer_quoted_words(const char *text);

#endif /* BOT_KB_KB_ANSWER_QUOTED_H */
