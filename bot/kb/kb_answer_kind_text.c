/*
 * kb_answer_kind_text.c - what kind of answer a passage's text gives: a date
 * or a day, a year, a fraction or an amount, a number, a web address, a
 * name, a reason, a group of people, a place.  kb_answer_kind.c weighs these
 * against the kind of answer the question wants; the two share the kbak_
 * prefix.
 */
#include "bot/kb/kb_answer_int.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "bot/kb/kb_lex.h"
#include "bot/kb/kb_text.h"
/* -- what a passage gives ---------------------------------------------- */

bool
kbak_text_has_date(const char *s)
{
    static const char *const months[] = {
        "January",   "February",  "March",   "April",    "May",      "June",   "July",
        "August",    "September", "October", "November", "December", "Monday", "Tuesday",
        "Wednesday", "Thursday",  "Friday",  "Saturday", "Sunday",   NULL};

    for (size_t i = 0; months[i] != NULL; i++) {
        const char *p = strstr(s, months[i]);

        if (p != NULL && !isalpha((unsigned char)p[strlen(months[i])]))
            return true;
    }
    for (const char *p = s; *p; p++) {
        if ((p[0] == '1' || p[0] == '2') && (p[1] == '9' || p[1] == '0') &&
            isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
            !isdigit((unsigned char)p[4]) && (p == s || !isdigit((unsigned char)p[-1])))
            return true;
    }
    return false;
}

/* A weekday ("Wednesday") or a day of a month ("25 May", "May 25"). */
bool
kbak_text_has_day(const char *s)
{
    static const char *const days[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                       "Friday", "Saturday", "Sunday",    NULL};
    static const char *const months[] = {
        "January", "February",  "March",   "April",    "May",      "June", "July",
        "August",  "September", "October", "November", "December", NULL};

    for (size_t i = 0; days[i] != NULL; i++) {
        if (strstr(s, days[i]) != NULL)
            return true;
    }
    for (size_t i = 0; months[i] != NULL; i++) {
        size_t n = strlen(months[i]);

        for (const char *p = strstr(s, months[i]); p != NULL;
             p = strstr(p + 1, months[i])) {
            if ((p - s >= 2 && p[-1] == ' ' && isdigit((unsigned char)p[-2])) ||
                (p[n] == ' ' && isdigit((unsigned char)p[n + 1])))
                return true;
        }
    }
    return false;
}

/* Is @p a year, 1900 to 2099, standing alone in @start? */
bool
kbak_is_year_at(const char *p, const char *start)
{
    return (p == start || !isdigit((unsigned char)p[-1])) &&
           ((p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0')) &&
           isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
           !isdigit((unsigned char)p[4]);
}

/* A year ("in 2023", "by 2027"). */
bool
kbak_text_has_year(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (kbak_is_year_at(p, s))
            return true;
    }
    return false;
}

/*
 * A share of a whole written out: "by a quarter", "two thirds", "half of",
 * "nine in ten", "per cent"; a fraction after "a", "one" or a number word,
 * not "every quarter" (a time).
 */
bool
kbak_text_has_fraction(const char *s)
{
    static const char *const parts[] = {
        " a quarter", " a third",    " a half",   " thirds",  " quarters", " half of",
        " in ten",    " out of ten", " per cent", " percent", NULL};

    if (strchr(s, '%') != NULL)
        return true;
    for (size_t i = 0; parts[i] != NULL; i++) {
        const char *p = strstr(s, parts[i]);
        size_t n = strlen(parts[i]);

        if (p != NULL && !isalpha((unsigned char)p[n]))
            return true;
    }
    return false;
}

/*
 * An amount, what "how much" asks for: money ("£2m", "$5"), a share ("10%",
 * "ten per cent") or a measure ("six weeks", "40 hours").  A count of things
 * ("two new operating theatres") says how many, not how much; a year says when.
 */
bool
kbak_text_has_amount(const char *s)
{
    static const char *const units[] = {
        "%",       "per",   "percent", "m",      "bn",     "k",       "million",
        "billion", "pound", "pounds",  "hour",   "hours",  "day",     "days",
        "week",    "weeks", "month",   "months", "minute", "minutes", "mile",
        "miles",   "year",  "years",   NULL};
    static const char *const numbers[] = {"one",     "two",      "three", "four",
                                          "five",    "six",      "ten",   "half",
                                          "hundred", "thousand", NULL};

    if (kbak_text_has_fraction(s))
        return true;
    for (const char *p = s; *p; p++) {
        char word[16];
        size_t n = 0;
        const char *q = p, *prev = p;

        if (strncmp(p, "\xc2\xa3", 2) == 0 || *p == '$' ||
            strncmp(p, "\xe2\x82\xac", 3) == 0)
            return true; /* £, $, € */
        if (p > s && isalnum((unsigned char)p[-1]))
            continue;
        if (isdigit((unsigned char)*p)) {
            while (isdigit((unsigned char)*q) || *q == ',' || *q == '.')
                q++;
            if (q - p == 4 && kbak_is_year_at(p, s))
                continue;
        } else {
            while (isalpha((unsigned char)*q) && n + 1 < sizeof(word))
                word[n++] = (char)tolower((unsigned char)*q++);
            word[n] = '\0';
            if (n == 0 || !in_list(word, numbers))
                continue;
        }
        /* the unit after the number, one space at most between */
        prev = q;
        if (*q == ' ')
            q++;
        n = 0;
        if (*q == '%')
            return true;
        while (isalpha((unsigned char)*q) && n + 1 < sizeof(word))
            word[n++] = (char)tolower((unsigned char)*q++);
        word[n] = '\0';
        if (n > 0 && !isalpha((unsigned char)*q) && in_list(word, units) &&
            (n > 2 || q - prev == (ptrdiff_t)n)) /* "2m", "3bn": written on */
            return true;
    }
    return false;
}

/* A web address ("https://...", "www.", "example.nhs.uk"). */
bool
kbak_text_has_address(const char *s)
{
    return strstr(s, "http") != NULL || strstr(s, "www.") != NULL ||
           strstr(s, ".uk") != NULL || strstr(s, ".com") != NULL ||
           strstr(s, ".org") != NULL;
}

bool
kbak_text_has_number(const char *s)
{
    static const char *const words[] = {" one ",     " two ",    " three ", " four ",
                                        " five ",    " six ",    " ten ",   " hundred",
                                        " thousand", " million", NULL};

    for (const char *p = s; *p; p++) {
        if (isdigit((unsigned char)*p))
            return true;
    }
    for (size_t i = 0; words[i] != NULL; i++) {
        if (strstr(s, words[i]) != NULL)
            return true;
    }
    return false;
}

/* Two capitalised words in a row, not at the start of the sentence: a name. */
bool
kbak_text_has_name(const char *s)
{
    const char *p = strchr(s, ' ');

    while (p != NULL) {
        const char *a = p + 1, *b = strchr(a, ' ');

        if (b == NULL)
            break;
        if (isupper((unsigned char)a[0]) && islower((unsigned char)a[1]) &&
            isupper((unsigned char)b[1]) && islower((unsigned char)b[2]))
            return true;
        p = b;
    }
    return false;
}

/*
 * Does @s name something: a capitalised word past the sentence's first
 * ("alongside Mind and Age UK"), or a list ("colleagues, patients and carers")?
 */
bool
kbak_text_names_some(const char *s)
{
    const char *comma = strchr(s, ',');

    for (const char *p = strchr(s, ' '); p != NULL; p = strchr(p + 1, ' ')) {
        if (isupper((unsigned char)p[1]))
            return true;
    }
    return comma != NULL && strstr(comma, " and ") != NULL;
}

/*
 * Does @s give a reason ("because", "so that", "to help", "which means")?
 * The words a sentence explains with, tokenised: no topic.
 */
bool
kbak_text_gives_reason(struct kb_engine *e, const char *s)
{
    static const char *const why[] = {"because", "so",      "therefore", "reason",
                                      "means",   "why",     "help",      "helps",
                                      "order",   "ensure",  "enable",    "since",
                                      "due",     "matters", "important", NULL};
    const struct tokens *t = kba_tokens(e, s);

    for (size_t k = 0; k < t->n; k++) {
        if (in_list(t->w[k].surface, why))
            return true;
    }
    return false;
}

bool
kbak_text_capital_pair(const struct query *q, const char *s, kbak_pair_fn *keep)
{
    const char *p = strchr(s, ' ');

    while (p != NULL) {
        const char *a = p + 1, *b = strchr(a, ' ');

        if (b == NULL)
            break;
        if (isupper((unsigned char)a[0]) && islower((unsigned char)a[1]) &&
            isupper((unsigned char)b[1]) && islower((unsigned char)b[2]) &&
            keep(q, a, b + 1))
            return true;
        p = b;
    }
    return false;
}

/* Are the words at @a and @b not both words the question uses? */
static bool
not_both_own(const struct query *q, const char *a, const char *b)
{
    return !(kbak_is_question_own(q, a) && kbak_is_question_own(q, b));
}

/*
 * A name besides the question's own words: two capitalised words in a row,
 * past the sentence's first, not both words the question uses ("raise
 * questions at the Ask the Chief Executive sessions" names nobody for "who is
 * our chief executive").
 */
bool
kbak_text_has_name_besides(const struct query *q, const char *s)
{
    return kbak_text_capital_pair(q, s, not_both_own);
}

/*
 * Is @w (folded) a word mostly used of a person or a group of people (WordNet:
 * "volunteers", "families"), not one with a rare sense of people ("services",
 * "chapter", "neighbourhood")?
 */
static bool
is_person_word(const char *w)
{
    const struct kb_lex_word *lw = kb_lex_find(w);

    return lw != NULL && (lw->cls & KB_LEX_PEOPLE) && lw->noun >= 50;
}

/* Does @passage name a group of people the question does not ("staff", "carers")? */
bool
kbak_names_people(struct kb_engine *e, const struct query *q, const char *passage)
{
    static const char *const people[] = {"staff",   "colleagu", "patient",   "carer",
                                         "partner", "peopl",    "user",      "member",
                                         "repres",  "employe",  "communiti", NULL};
    const struct tokens *t = kba_tokens(e, passage);

    for (size_t k = 0; k < t->n; k++) {
        if ((in_list(t->w[k].stem, people) || is_person_word(t->w[k].surface)) &&
            !has_stem(q, (const char *const[]){t->w[k].stem, NULL}))
            return true;
    }
    return false;
}

/*
 * A place named in @s: a capitalised word after "in", "at", "across",
 * "near", "from" or "on the" ("launched at the Emergency Operations Centre in
 * Wexley", "published on the Intranet").
 */
bool
kbak_text_has_place(const char *s)
{
    static const char *const preps[] = {" in ",     " at ",     " across ",
                                        " near ",   " from ",   " at the ",
                                        " in the ", " on the ", NULL};

    for (size_t i = 0; preps[i] != NULL; i++) {
        size_t n = strlen(preps[i]);

        for (const char *p = strstr(s, preps[i]); p != NULL;
             p = strstr(p + 1, preps[i])) {
            /* "in Wexley", "on the NHS Lanarkshire Public Website" */
            if (isupper((unsigned char)p[n]) && isalpha((unsigned char)p[n + 1]))
                return true;
        }
    }
    return false;
}
