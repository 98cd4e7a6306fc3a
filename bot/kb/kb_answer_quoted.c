/*
 * kb_answer_quoted.c - a quote's own words.  `kb build` writes each sentence
 * of a quote after its first as "<speaker> said: <sentence>"
 * (kb_build_text_passages.c), so that every one names who said it; the
 * sentence itself may still point back at the one before ("Mel Smith, Chief
 * Executive said: This will build on ...").  Whether it does is read from the
 * words after the lead-in, as for a sentence that stands alone.
 */
#include "bot/kb/kb_answer_quoted.h"

#include <string.h>

/* The longest lead-in read as a speaker's: the builder's own limit for one. */
#define QUOTED_LEAD_MAX 160

const char *
kb_answer_quoted_words(const char *text)
{
    static const char said[] = " said: ";
    const char *v = strstr(text, said), *w;

    if (v == NULL || v - text > QUOTED_LEAD_MAX)
        return text;
    /* A lead-in names a speaker: no sentence ends in it. */
    for (const char *p = text; p < v; p++) {
        if ((*p == '.' || *p == '!' || *p == '?') && p[1] == ' ')
            return text;
    }
    w = v + sizeof(said) - 1;
    /* The first sentence opens the quote: "said: “This ...". */
    if (strncmp(w, "\xe2\x80\x9c", 3) == 0) /* U+201C */
        w += 3;
    else if (*w == '"')
        w++;
    return *w != '\0' ? w : text;
}
