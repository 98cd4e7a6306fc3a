/*
 * kb_build_prose_check.c - a page of running sentences about its organisation
 * (what it is and does, who leads it, how many staff, how it decides) is built
 * into passages, though it names no strategy; see kb_build_prose_check.h.
 */
#include <ctype.h>
#include <string.h>

#include "bot/kb/kb_build_int.h"
#include "bot/kb/kb_build_prose_check.h"

#define WORDS 64 /* words of a sentence looked at */
#define WLEN  24 /* letters of a word kept */

struct words {
    char w[WORDS][WLEN]; /* in lower case */
    bool upper[WORDS];   /* written with a capital */
    size_t n;
};

/* The words of @t (letters only) into @ws. */
static void
split(const char *t, struct words *ws)
{
    const unsigned char *p = (const unsigned char *)t;

    ws->n = 0;
    while (*p && ws->n < WORDS) {
        size_t o = 0;

        while (*p && !isalpha(*p))
            p++;
        if (*p == '\0')
            break;
        ws->upper[ws->n] = isupper(*p) != 0;
        while (isalpha(*p) || *p == '-') {
            if (o + 1 < WLEN)
                ws->w[ws->n][o++] = (char)tolower(*p);
            p++;
        }
        ws->w[ws->n][o] = '\0';
        ws->n++;
    }
}

/* A word naming a kind of organisation, or a body of one. */
static bool
org_noun(const char *w)
{
    static const char *const nouns[] = {
        "trust",    "partnership", "board",        "hospital", "hospitals",
        "service",  "council",     "organisation", "system",   "collaborative",
        "practice", "nhs",         "team",         "teams",    NULL};

    return kbw_word_in(w, strlen(w), nouns);
}

/* A word about the website, not the organisation: "We use cookies ...",
   "Sorry, we cannot find the page ...". */
static bool
web_word(const char *w)
{
    static const char *const web[] = {
        "cookie", "cookies", "website", "websites", "browser",    "page", "pages",
        "link",   "links",   "online",  "email",    "javascript", NULL};

    return kbw_word_in(w, strlen(w), web);
}

/* Is the subject of the sentence in @ws the organisation? */
static bool
org_subject(const struct words *ws)
{
    size_t caps = 0;

    for (size_t i = 0; i < ws->n; i++) {
        /* "we" is always a subject: "Each year we see ...", "... and we will" */
        if (strcmp(ws->w[i], "we") == 0)
            return true;
    }
    if (strcmp(ws->w[0], "our") == 0)
        return true;
    /* "The trust was founded ...", "She added that the trust will ...", "... and
       our teams have ...": the organisation, or a body of it, not after a
       preposition ("the values of the NHS") */
    for (size_t i = 0; i + 1 < ws->n; i++) {
        static const char *const dets[] = {"the", "this", "our", "its", NULL};
        static const char *const preps[] = {"of",   "to", "for",   "with",    "by",
                                            "from", "at", "in",    "on",      "about",
                                            "into", "as", "under", "between", NULL};

        if (!kbw_word_in(ws->w[i], strlen(ws->w[i]), dets) ||
            (i > 0 && kbw_word_in(ws->w[i - 1], strlen(ws->w[i - 1]), preps)))
            continue;
        if (org_noun(ws->w[i + 1]) || (i + 2 < ws->n && org_noun(ws->w[i + 2])))
            return true;
    }
    /* a part of it: "The main role of the Council of Governors is ..." */
    if (strcmp(ws->w[0], "the") == 0) {
        for (size_t i = 2; i <= 4 && i + 2 < ws->n; i++) {
            if (strcmp(ws->w[i], "of") == 0 &&
                (org_noun(ws->w[i + 1]) || org_noun(ws->w[i + 2])))
                return true;
        }
    }
    /* a name: two capitalised words or more, then one in lower case ("Kelby
       Community Health has ...") */
    while (caps < ws->n && ws->upper[caps])
        caps++;
    return caps >= 2 && caps < ws->n;
}

/* Is @t a running sentence about the organisation?  @after_one: the sentence
   before it is one, so "It meets ...", "They hold ..." go on about it. */
static bool
about_org(const char *t, bool after_one)
{
    struct words ws;
    size_t len = strlen(t), lower = 0;
    const char *end = t + len;

    /* it ends a sentence: ".", "!", or a quote closing one */
    while (end > t && strchr("\"')\xe2\x80\x9d\x99", end[-1]) != NULL)
        end--;
    if (end == t || (end[-1] != '.' && end[-1] != '!') || kbw_link_text(t))
        return false;
    split(t, &ws);
    if (ws.n < 6)
        return false;
    for (size_t i = 0; i < ws.n; i++) {
        if (web_word(ws.w[i]))
            return false;
        lower += !ws.upper[i];
    }
    if (lower < 3)
        return false;
    return org_subject(&ws) ||
           (after_one && (strcmp(ws.w[0], "it") == 0 || strcmp(ws.w[0], "they") == 0));
}

bool
kb_build_prose_check_is_about_org(const struct kb *kb)
{
    size_t n = 0;
    bool last = false;

    for (size_t i = 0; i < kb->npassages && n < KB_BUILD_PROSE_CHECK_MIN; i++) {
        last = about_org(kb->passages[i].text, last);
        n += last;
    }
    return n >= KB_BUILD_PROSE_CHECK_MIN;
}
