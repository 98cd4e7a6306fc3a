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

/*
 * A sum of money: a currency sign ("£3 million", "$5") or a number with a
 * word for money after it ("2 million", "40 thousand pounds").
 */
static bool
text_has_money(const char *s)
{
    static const char *const units[] = {"million", "billion", "pound", "pounds",
                                        "m",       "bn",      NULL};

    for (const char *p = s; *p; p++) {
        char word[16];
        size_t n = 0;
        const char *q = p;

        if (strncmp(p, "\xc2\xa3", 2) == 0 || *p == '$' ||
            strncmp(p, "\xe2\x82\xac", 3) == 0)
            return true; /* £, $, € */
        if (!isdigit((unsigned char)*p) || (p > s && isalnum((unsigned char)p[-1])))
            continue;
        while (isdigit((unsigned char)*q) || *q == ',' || *q == '.')
            q++;
        if (*q == ' ')
            q++;
        while (isalpha((unsigned char)*q) && n + 1 < sizeof(word))
            word[n++] = (char)tolower((unsigned char)*q++);
        word[n] = '\0';
        if (n > 0 && !isalpha((unsigned char)*q) && in_list(word, units))
            return true;
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

/*
 * "how much will the centre cost", "what's the budget for the unit", "how
 * much funding": money, which a time ("over five years") or a count does not
 * give.  Not "how much do we spend on agency staff" alone: a spend is cut by a
 * share as often as it is given as a sum.
 */
static bool
asks_money(const struct query *q)
{
    static const char *const money[] = {"cost",  "costs",  "costing", "budget", "budgets",
                                        "price", "priced", "funding", "funded", NULL};
    const char *qw = kbak_first_question_word(q);
    bool named = false;

    for (size_t i = 0; i < q->n && !named; i++)
        named = !q->aside[i] && in_list(q->w[i].surface, money);
    if (!named)
        return false;
    return has_phrase(q, "how", "much") || strcmp(qw, "what") == 0 ||
           strcmp(qw, "whats") == 0;
}

double
kbag_pointer_factor(const struct query *q, const char *passage)
{
    return kbag_text_is_pointer(passage) && !asks_for_document(q) ? GRAIN_MISS : 1.0;
}

double
kbag_grain_factor(const struct query *q, const char *passage)
{
    if (kbag_text_is_pointer(passage) && asks_for_document(q))
        return 1.0;
    if (asks_month(q))
        return text_has_month(passage) ? 1.0 : GRAIN_MISS;
    if (asks_money(q))
        return text_has_money(passage) ? 1.0 : GRAIN_MISS;
    return -1.0;
}
