/*
 * kb_answer_enumerate.c - things asked for by their number that the quoted
 * sentences only count.  "what are the four big shifts?" wants the shifts;
 * "Our plan is shaped by four big shifts we will make" says there are four
 * and names none, which staff would take for the answer and is not.  A
 * sentence answers when it lists at least as many items as asked ("Our three
 * pledges are to listen first, to act quickly and to follow through"), or the
 * answer quotes as many sentences.  Prefix kbaen_.
 */
#include "bot/kb/kb_answer_int.h"
#include "bot/kb/kb.h"

#include <ctype.h>
#include <string.h>

/* The number word or figure @w as a number (2 to 20), else 0. */
static unsigned
small_number(const char *w)
{
    static const char *const words[] = {
        "zero",     "one",      "two",      "three",   "four",    "five",
        "six",      "seven",    "eight",    "nine",    "ten",     "eleven",
        "twelve",   "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen", "twenty",   NULL};
    unsigned v = 0;

    if (isdigit((unsigned char)w[0])) {
        for (size_t i = 0; w[i]; i++) {
            if (!isdigit((unsigned char)w[i]) || v > 100)
                return 0;
            v = v * 10 + (unsigned)(w[i] - '0');
        }
    } else {
        for (size_t i = 0; words[i] && v == 0; i++)
            v = strcmp(w, words[i]) == 0 ? (unsigned)i : 0;
    }
    return v >= 2 && v <= 20 ? v : 0;
}

/*
 * How many things a "what are the N things" asks for: "what" (or "whats")
 * opening the question, a verb "be" or nothing before the number, and a word
 * that is no stop word one or two words after it ("what are our 4 big shifts", "whats the
 * four big shifts"); 0 otherwise ("how many", "what are the values").
 */
static unsigned
asked_by_number(const struct query *q)
{
    static const char *const be[] = {"are", "r", "were", "re", NULL};
    static const char *const det[] = {"the", "our", "all", "these", "those", NULL};
    size_t i = 0;

    if (q->n < 3 || has_phrase(q, "how", "many"))
        return 0;
    if (strcmp(q->w[0].surface, "what") == 0 && in_list(q->w[1].surface, be))
        i = 2;
    else if (strcmp(q->w[0].surface, "whats") == 0)
        i = 1;
    else
        return 0;
    if (i < q->n && in_list(q->w[i].surface, det))
        i++;
    if (i + 1 >= q->n || q->aside[i])
        return 0;
    unsigned n = small_number(q->w[i].surface);

    for (size_t k = i + 1; n > 0 && k < q->n && k <= i + 2; k++) {
        if (!q->stop[k])
            return n;
    }
    return 0;
}

/*
 * The items @s lists: parts parted by ", ", "; " or " and " ("to listen
 * first, to act quickly and to follow through": 3).  A sentence with none
 * is one item.
 */
static size_t
listed_items(const char *s)
{
    size_t n = 1;

    for (const char *p = s; *p; p++) {
        if ((p[0] == ',' || p[0] == ';') && p[1] == ' ')
            n++;
        else if (strncmp(p, " and ", 5) == 0 || strncmp(p, " or ", 4) == 0)
            n++;
    }
    return n;
}

bool
kbaen_counts_without_listing(const struct query *q, const struct kb_answer *a)
{
    size_t most = 0;
    unsigned n;

    if (!a->answered || a->intent != KB_INTENT_FACT || a->nrefs == 0)
        return false;
    n = asked_by_number(q);
    if (n == 0 || a->nrefs >= n)
        return false;
    for (size_t r = 0; r < a->nrefs; r++) {
        if (a->refs[r].kind != KB_DOC_PASSAGE || a->refs[r].item >= q->kb->npassages)
            return false;
        size_t k = listed_items(q->kb->passages[a->refs[r].item].text);

        most = k > most ? k : most;
    }
    return most < n;
}
