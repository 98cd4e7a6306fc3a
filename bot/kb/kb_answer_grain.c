/*
 * kb_answer_grain.c - a passage that gives the kind of answer asked for, but
 * not at the grain asked: a year for "what month", a time for "how much will
 * it cost", a line that only points at another document ("You can find our
 * Travel Plan here.") for "what's in the travel plan".  Such a passage answers
 * the words, not the question, and weighs as one without the kind of answer
 * (kbak_type_factor()).  A pointer does answer where to find the document.
 */
#include "bot/kb/kb_answer_int.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* A passage at the wrong grain counts this share: as a missing kind (dev parts: 0.45). */
#define GRAIN_MISS 0.45

static const char *const month_names[] = {
    "January", "February",  "March",   "April",    "May",      "June", "July",
    "August",  "September", "October", "November", "December", NULL};

/* A month by its name, standing alone ("in March 2023", "May's launch"). */
static bool
text_has_month(const char *s)
{
    for (size_t i = 0; month_names[i] != NULL; i++) {
        size_t n = strlen(month_names[i]);

        for (const char *p = strstr(s, month_names[i]); p != NULL;
             p = strstr(p + 1, month_names[i])) {
            if ((p == s || !isalpha((unsigned char)p[-1])) &&
                !isalpha((unsigned char)p[n]))
                return true;
        }
    }
    return false;
}

/* Does @s hold one of @words (lowercase) as a word of its own, in any case? */
static bool
text_has_word_of(const char *s, const char *const *words)
{
    for (const char *p = s; *p; p++) {
        if (!isalpha((unsigned char)*p) || (p > s && isalpha((unsigned char)p[-1])))
            continue;
        for (size_t i = 0; words[i] != NULL; i++) {
            size_t n = strlen(words[i]);

            if (strncasecmp(p, words[i], n) == 0 && !isalpha((unsigned char)p[n]))
                return true;
        }
    }
    return false;
}

/*
 * A line that only points at another document: one sentence ending in
 * "here" that says where to look ("Our annual plan can be found here.", "You
 * can find our Green Plan here", "read more here"; not "research happens
 * here"), or naming a file ("Read the full strategy (PDF, 2.4MB)").
 */
bool
kbag_text_is_pointer(const char *s)
{
    static const char *const look[] = {"find",   "found", "click",    "read",
                                       "see",    "view",  "download", "available",
                                       "access", "visit", "more",     NULL};
    size_t n = strlen(s);

    for (const char *p = s; *p; p++) {
        /* a second sentence says something of its own */
        if ((*p == '.' || *p == '!' || *p == '?') && p[1] == ' ' &&
            isupper((unsigned char)p[2]))
            return false;
    }
    for (const char *p = s; *p; p++) {
        if ((*p == '(' || *p == '.') && strncasecmp(p + 1, "pdf", 3) == 0 &&
            !isalpha((unsigned char)p[4]))
            return true;
    }
    while (n > 0 &&
           (ispunct((unsigned char)s[n - 1]) || isspace((unsigned char)s[n - 1])))
        n--;
    return n >= 5 && strncasecmp(s + n - 4, "here", 4) == 0 &&
           !isalpha((unsigned char)s[n - 5]) && text_has_word_of(s, look);
}

/*
 * Does the question ask where a document is or how to get it ("where can i
 * find the travel plan", "how do i get the easy read version", "is there a
 * summary")?  A pointer answers that.
 */
static bool
asks_for_document(const struct query *q)
{
    static const char *const verbs[] = {"find",   "get",  "read",   "download", "see",
                                        "view",   "open", "access", "link",     "copy",
                                        "locate", "look", NULL};
    const char *qw = kbak_first_question_word(q);

    if (strcmp(qw, "where") == 0 || strcmp(qw, "wheres") == 0 || qw[0] == '\0')
        return true;
    if (kbam_asks_yes_no(q))
        return true;
    for (size_t i = 0; i < q->n; i++) {
        if (!q->aside[i] && in_list(q->w[i].surface, verbs))
            return true;
    }
    return false;
}

/* "what month", "which month did it launch": the month asked for by its noun. */
static bool
asks_month(const struct query *q)
{
    size_t k = kbak_asked_noun(q);

    return k != SIZE_MAX && (strcmp(q->w[k].surface, "month") == 0 ||
                             strcmp(q->w[k].surface, "months") == 0);
}

double
kbag_pointer_factor(struct kb_engine *e, const struct query *q, const char *passage)
{
    return kba_text_is_pointer(e, passage) && !asks_for_document(q) ? GRAIN_MISS : 1.0;
}

double
kbag_grain_factor(struct kb_engine *e, const struct query *q, const char *passage)
{
    if (kba_text_is_pointer(e, passage) && asks_for_document(q))
        return 1.0;
    if (asks_month(q))
        return text_has_month(passage) ? 1.0 : GRAIN_MISS;
    /* A sum of money (kb_answer_amount.c): a time or a count does not give one. */
    if (kbamt_asks_sum(q))
        return kbamt_text_has_sum(passage) ? 1.0 : GRAIN_MISS;
    return -1.0;
}
