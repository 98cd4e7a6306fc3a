/*
 * kb_answer_contact.c - requests for contact details (a phone number, an
 * email, an address, a way to get in touch) the page does not give: declined
 * plainly, never answered with a passage about the service the message names
 * ("what's the number for the crisis line?": not the goal about the crisis
 * line).  Prefix kbac_.
 */
#include "bot/kb/kb.h"
#include "bot/kb/kb_answer_int.h"
#include "bot/kb/kb_text.h"

#include <ctype.h>
#include <string.h>

/* Nouns that are a contact detail whatever stands around them. */
static const char *const contact_nouns[] = {"phone",    "telephone", "email",       "fax",
                                            "postcode", "e-mail",    "phonenumber", NULL};
/* Words after "number" or "address" that make it one to reach ("the number for", "to
 * ring"). */
static const char *const reach_words[] = {"for", "to", "of", NULL};

bool
kbac_is_contact_word(const char *s)
{
    return in_list(s, contact_nouns) || strcmp(s, "number") == 0 ||
           strcmp(s, "address") == 0 || strcmp(s, "contact") == 0 ||
           strcmp(s, "touch") == 0;
}

/* Does @q ask for a contact detail? */
static bool
asks_contact(const struct query *q)
{
    if (!(q->cls_any & KBAWC_CONTACT))
        return false; /* no word any of the tests below reads */
    for (size_t i = 0; i < q->n; i++) {
        const char *s = q->w[i].surface, *next = i + 1 < q->n ? q->w[i + 1].surface : "";

        if (in_list(s, contact_nouns))
            return true;
        /* "the number for the crisis line", not "the number of goals" */
        if (strcmp(s, "number") == 0 && (strcmp(next, "for") == 0 || i + 1 == q->n))
            return true;
        /* "the address of the hospital", not "address health inequalities" */
        if (strcmp(s, "address") == 0 && i > 0 && q->stop[i - 1] &&
            (i + 1 == q->n || in_list(next, reach_words)))
            return true;
        /* "contact details", "get in touch" */
        if (strcmp(s, "contact") == 0 &&
            (strcmp(next, "details") == 0 || strcmp(next, "number") == 0))
            return true;
        if (strcmp(s, "touch") == 0 && i > 0 && strcmp(q->w[i - 1].surface, "in") == 0)
            return true;
    }
    return false;
}

/* Does @s hold a contact detail: seven digits or more in a run (spaces between), an '@',
 * a web address? */
static bool
holds_contact(const char *s)
{
    size_t digits = 0;

    if (!s)
        return false;
    if (strchr(s, '@') || strstr(s, "www.") || strstr(s, "http"))
        return true;
    for (const char *p = s; *p; p++) {
        if (isdigit((unsigned char)*p))
            digits++;
        else if (*p != ' ' && *p != '-')
            digits = 0;
        if (digits >= 7)
            return true;
    }
    return false;
}

/* Does the KB give any contact detail? */
static bool
kb_gives_contact(const struct kb *kb)
{
    for (size_t i = 0; i < kb->npassages; i++) {
        if (holds_contact(kb->passages[i].text))
            return true;
    }
    for (size_t i = 0; i < kb->ngoals; i++) {
        if (holds_contact(kb->goals[i].description))
            return true;
        for (size_t k = 0; k < kb->goals[i].npoints; k++) {
            if (holds_contact(kb->goals[i].points[k].text))
                return true;
        }
    }
    return false;
}

bool
kbac_asks_missing_contact(const struct query *q)
{
    return asks_contact(q) && !kb_gives_contact(q->kb);
}
