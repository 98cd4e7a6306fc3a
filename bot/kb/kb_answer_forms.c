/*
 * kb_answer_forms.c - a question word that shares a value name's stem, not its sense.
 *
 * Snowball stems "opening" and "Openness" alike ("open"), "integrated" and
 * "Integrity" ("integr"), "kinds" and "Kindness" ("kind").  A value is often
 * named by a noun of quality, made from an adjective with -ness or -ity
 * ("open": Openness; "equal": Equality).  The adjective itself, its adverb
 * and the noun name the quality ("being open", "openly", "openness"); the
 * same stem with a verb's or a plain noun's ending is the word used as another
 * part of speech, with another sense ("the opening of the unit", "integrated
 * care", "what kinds of services"): it does not name the value.
 */
#include "bot/kb/kb_answer_int.h"

#include <string.h>

/* Does @w end with @end, with at least @keep letters before it? */
static bool
ends_with(const char *w, const char *end, size_t keep)
{
    size_t n = strlen(w), m = strlen(end);

    return n >= m + keep && strcmp(w + n - m, end) == 0;
}

/* A noun of quality: "openness", "integrity", "kindnesses", "equalities". */
static bool
is_quality_noun(const char *w)
{
    return ends_with(w, "ness", 3) || ends_with(w, "nesses", 3) ||
           ends_with(w, "ity", 3) || ends_with(w, "ities", 3);
}

/*
 * An ending of a verb ("opening", "opened", "opens"), an agent ("opener") or a
 * plural ("kinds"): the stem as another part of speech than the adjective.
 */
static bool
has_other_ending(const char *w)
{
    static const char *const ends[] = {"ing", "ings", "ed", "er", "ers", "s", NULL};

    for (size_t k = 0; ends[k] != NULL; k++) {
        if (ends_with(w, ends[k], 3))
            return true;
    }
    return false;
}

bool
kbafo_other_sense(const char *word, const char *name_word)
{
    return is_quality_noun(name_word) && !is_quality_noun(word) && has_other_ending(word);
}
