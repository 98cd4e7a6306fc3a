/*
 * kb_doc_spaced.h - values named in one sentence, kept apart only by runs of
 * white space.
 */
#ifndef BOT_KB_KB_DOC_SPACED_H
#define BOT_KB_KB_DOC_SPACED_H

/*
 * A copy of @s whose sentence naming the values ("Our values are safe  caring
 * excellent.") has its names, kept apart only by runs of two spaces or more,
 * three or more of one to three words each, separated by ", " instead; NULL
 * when @s holds no such sentence.  Free with free().
 */
char *kb_doc_spaced(const char *s);

#endif
