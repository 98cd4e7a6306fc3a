/*
 * kb_build_words_classify.c - what a heading or a lead-in sentence says it
 * introduces (mission, vision, goals of every name, values), the stated count
 * ("our four priorities") and label prefixes ("Goal 1 -", "Pillar one:").
 * Moved out of kb_build_words.c unchanged.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/buf.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb_build_int.h"

/* The @i-th space-separated word of @words and its length, or NULL. */
static const char *
nth_word(const char *words, size_t i, size_t *len)
{
    const char *p = words;

    for (;;) {
        const char *end = strchr(p, ' ');
        size_t n = end ? (size_t)(end - p) : strlen(p);

        if (i == 0) {
            *len = n;
            return n ? p : NULL;
        }
        if (end == NULL)
            return NULL;
        p = end + 1;
        i--;
    }
}

static const char *const filler[] = {"our",
                                     "the",
                                     "a",
                                     "an",
                                     "its",
                                     "their",
                                     "this",
                                     "trust's",
                                     "@",
                                     "new",
                                     "key",
                                     "main",
                                     "core",
                                     "shared",
                                     "overall",
                                     "strategic",
                                     "well",
                                     "being",
                                     "wellbeing",
                                     "big",
                                     "five",
                                     "year",
                                     "organisational",
                                     "board's",
                                     "nhs",
                                     "s",
                                     "corporate",
                                     "annual",
                                     NULL};

static const char *const goal_words[] = {
    "goals",      "priorities", "objectives",  "aims",   "pillars",
    "ambitions",  "moves",      "commitments", "themes", "initiatives",
    "intentions", "promises",   "pledges",     NULL};

/* Words that may follow a section's keyword ("Our goals for 2025 are"). */
static const char *const trailing[] = {"are",  "is", "for", "to", "and",  "by",  "until",
                                       "from", "in", "of",  "we", "have", "our", NULL};

/* Words that may stand between a count and its keyword ("four strategic aims"). */
static const char *const count_quals[] = {
    "strategic",      "core",    "key",       "main",   "big",
    "well",           "being",   "wellbeing", "shared", "overarching",
    "organisational", "trust",   "trust's",   "new",    "refreshed",
    "revised",        "updated", "current",   "agreed", "corporate",
    "annual",         "overall", NULL};

static enum sect
keyword(const char *words, size_t *i, size_t nw, char *label, size_t label_size)
{
    size_t len = 0, len2 = 0;
    const char *w = nth_word(words, *i, &len), *w2 = nth_word(words, *i + 1, &len2);

    (void)nw;
    label[0] = '\0';
    if (w == NULL)
        return SECT_NONE;
    if (kbw_word_is(w, len, "mission"))
        return SECT_MISSION;
    if (kbw_word_is(w, len, "vision"))
        return SECT_VISION;
    if (kbw_word_is(w, len, "purpose"))
        return SECT_PURPOSE;
    if (kbw_word_is(w, len, "ambition"))
        return SECT_AMBITION;
    if (kbw_word_is(w, len, "values") || kbw_word_is(w, len, "principles"))
        return SECT_VALUES;
    if (kbw_word_is(w, len, "pledge") || kbw_word_is(w, len, "promise"))
        return SECT_PLEDGE;
    if (kbw_word_is(w, len, "true") && w2 != NULL && kbw_word_is(w2, len2, "north")) {
        (*i)++;
        return SECT_TRUENORTH;
    }
    if (kbw_word_is(w, len, "why") && w2 != NULL && kbw_word_is(w2, len2, "we") &&
        strncmp(w2 + len2, " exist", 6) == 0) {
        *i += 2;
        return SECT_PURPOSE;
    }
    if (kbw_word_in(w, len, goal_words)) {
        snprintf(label, label_size, "%.*s", (int)len, w);
        return SECT_GOALS;
    }
    /* "Our three areas of focus", "Our focus areas" */
    if (kbw_word_is(w, len, "areas") && w2 != NULL && kbw_word_is(w2, len2, "of") &&
        strncmp(w2 + len2, " focus", 6) == 0 &&
        (w2[len2 + 6] == '\0' || w2[len2 + 6] == ' ')) {
        *i += 2;
        snprintf(label, label_size, "areas of focus");
        return SECT_GOALS;
    }
    if (kbw_word_is(w, len, "focus") && w2 != NULL && kbw_word_is(w2, len2, "areas")) {
        (*i)++;
        snprintf(label, label_size, "focus areas");
        return SECT_GOALS;
    }
    return SECT_NONE;
}

bool
kb_build_words_classify_introduces_values(const char *text)
{
    static const char *const words[] = {"behaviours", "behaviors",  "culture", "ethos",
                                        "stand for",  "believe in", NULL};
    char *w = kbw_lower_words(text);
    bool found = false;

    for (size_t i = 0; words[i] != NULL && !found; i++) {
        const char *p = strstr(w, words[i]);
        size_t n = strlen(words[i]);

        found = p != NULL && (p == w || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ');
    }
    free(w);
    return found;
}

bool
kb_build_words_classify_mentions_goals(const char *text)
{
    static const char *const one[] = {"goal",       "priority",  "objective",  "aim",
                                      "pillar",     "ambition",  "commitment", "theme",
                                      "initiative", "intention", NULL};
    char *w = kbw_lower_words(text);
    bool found = false;

    for (const char *p = w; *p && !found;) {
        size_t len = strcspn(p, " ");

        found = kbw_word_in(p, len, goal_words) || kbw_word_in(p, len, one);
        p += len;
        while (*p == ' ')
            p++;
    }
    free(w);
    return found;
}

/*
 * Classifies a heading: its first word after filler ("Our", "four",
 * "strategic") names the section; a few words may follow ("Our strategic
 * goals 2023-2028", "Our values (how we behave) are:"); a heading naming
 * two kinds ("Our vision, values and objectives") is a page title.
 */
struct klass
kb_build_words_classify(const char *text)
{
    struct klass k = {0};
    char *words = kbw_lower_words(text);
    size_t i = 0, len, nw = kbw_words(words), after = 0;
    const char *w;
    bool strategic = false, title = false;
    char label[32];

    while ((w = nth_word(words, i, &len)) != NULL &&
           (kbw_word_in(w, len, filler) || kbw_number_word(w, len) > 0)) {
        unsigned n = kbw_number_word(w, len);

        if (n > 0 && !(w > words && isdigit((unsigned char)*w) && len > 2))
            k.count = n;
        if (kbw_word_is(w, len, "strategic"))
            strategic = true;
        i++;
    }
    k.sect = keyword(words, &i, nw, label, sizeof(label));
    if (k.sect == SECT_NONE && nw >= 2 &&
        ((nw <= 5 && i > 0 && kbw_starts_ci(words, "our ")) || nw <= 3)) {
        /* "Our new look values", "Our refreshed values", "ICB Board Principles": a
           few words of their own before the keyword, which ends the heading */
        size_t last = nw - 1;

        if ((w = nth_word(words, last, &len)) != NULL &&
            (kbw_word_is(w, len, "values") || kbw_word_is(w, len, "principles"))) {
            k.sect = SECT_VALUES;
        } else if (w != NULL && nw <= 4 && kbw_starts_ci(words, "our ") &&
                   (kbw_word_is(w, len, "vision") || kbw_word_is(w, len, "mission") ||
                    kbw_word_is(w, len, "purpose"))) {
            /* "Our Group Vision", "Our Trust Mission": the statement's own
               heading, named by a word of the page's own */
            k.sect = kbw_word_is(w, len, "vision")    ? SECT_VISION
                     : kbw_word_is(w, len, "mission") ? SECT_MISSION
                                                      : SECT_PURPOSE;
        } else if (w != NULL && kbw_word_in(w, len, goal_words) && nw <= 4) {
            /* "Quality priorities", "Our clinical board's priorities": a kind of
               goals, named by a word of its own */
            k.sect = SECT_GOALS;
            k.qualified = true;
            snprintf(k.label, sizeof(k.label), "%.*s", (int)len, w);
        }
        goto out;
    }
    if (k.sect == SECT_NONE)
        goto out;
    /* "The purpose of this document is:", "the aims of these changes": about what
       "this" points at (the page, a form, a meeting), not the organisation */
    if ((w = nth_word(words, i + 1, &len)) != NULL && kbw_word_is(w, len, "of") &&
        (w = nth_word(words, i + 2, &len)) != NULL &&
        (kbw_word_is(w, len, "this") || kbw_word_is(w, len, "these") ||
         kbw_word_is(w, len, "that") || kbw_word_is(w, len, "those"))) {
        k.sect = SECT_NONE;
        goto out;
    }
    /* What follows the keyword: a few words; a second section ("and values") makes
       a page title; a relative clause ("Outcomes that matter") a phrase. */
    for (size_t j = i + 1; (w = nth_word(words, j, &len)) != NULL; j++) {
        char l2[32];
        size_t k2 = j;
        enum sect s2;

        if (isdigit((unsigned char)*w) || *w == '@')
            continue;
        if (kbw_word_is(w, len, "that") || kbw_word_is(w, len, "which") ||
            kbw_word_is(w, len, "who")) {
            k.sect = SECT_NONE;
            goto out;
        }
        s2 = keyword(words, &k2, nw, l2, sizeof(l2));
        if (s2 != SECT_NONE && s2 != k.sect)
            title = true;
        if (s2 != SECT_NONE) {
            j = k2;
            continue;
        }
        if (!kbw_word_in(w, len, trailing) && !kbw_word_in(w, len, filler))
            after++;
    }
    if (after > 3) {
        k.sect = SECT_NONE; /* a sentence or a headline, whatever it names */
        goto out;
    }
    if (title) {
        k.sect = SECT_TITLE;
        goto out;
    }
    if (k.sect == SECT_GOALS && i == 0) {
        /* "Promises 1 to 5", "Objectives 6-10": a part of a numbered set */
        size_t digits = 0, other = 0;

        for (size_t j = 1; (w = nth_word(words, j, &len)) != NULL; j++) {
            if (isdigit((unsigned char)*w))
                digits++;
            else if (!kbw_word_is(w, len, "to") && !kbw_word_is(w, len, "and"))
                other++;
        }
        k.qualified = digits > 0 && other == 0;
    }
    if (k.sect == SECT_GOALS) {
        if (strcmp(label, "moves") == 0)
            snprintf(k.label, sizeof(k.label), "big moves");
        else if (strategic)
            snprintf(k.label, sizeof(k.label), "strategic %s", label);
        else
            snprintf(k.label, sizeof(k.label), "%s", label);
    }
out:
    if (k.sect != SECT_GOALS && k.sect != SECT_VALUES)
        k.count = 0;
    free(words);
    return k;
}

/*
 * Classifies a lead-in sentence ending in ':' ("It is built around four
 * strategic goals:", "Our well-being objectives are:", "We have seven
 * values, agreed with staff in 2022:"): a count and a keyword, or "our"
 * and a keyword, or a keyword just before the colon.
 */
static struct klass classify_intro_words(const char *text);
static bool sources_intro(const char *t);

struct klass
kb_build_words_classify_intro(const char *text)
{
    const char *last = text, *p;
    struct klass k;

    /* the lead-in is the sentence that ends in ':'; earlier ones may name other lists */
    for (p = text; (p = strstr(p, ". ")) != NULL; p += 2)
        last = p + 2;
    if (sources_intro(last))
        return (struct klass){.sources = true};
    /* a lead-in is a sentence or two; a longer text is read no further */
    if (kbw_words(last) > 60)
        return (struct klass){0};
    k = classify_intro_words(last);
    if (k.sect == SECT_NONE && last != text && kbw_words(text) <= 120)
        k = classify_intro_words(text);
    return k;
}

/*
 * Does the lead-in @t end by saying where what follows comes from ("Our
 * priorities ... are drawn from:", "informed by:", "based on:") or that it
 * lists examples ("So, for example:")?  The list after it is neither the
 * goals nor the values, though the sentence names them.
 */
static bool
sources_intro(const char *t)
{
    static const char *const tails[] = {
        "drawn from",   "derived from",      "informed by",    "based on",
        "built on",     "shaped by",         "developed from", "developed with",
        "developed by", "developed through", "taken from",     "evolved through",
        "for example",  "for instance",      "such as",        NULL};
    char *w;
    size_t n;
    bool found = false;

    if (!kbw_is_intro(t))
        return false;
    w = kbw_lower_words(t);
    n = strlen(w);
    for (size_t i = 0; tails[i] != NULL && !found; i++) {
        size_t m = strlen(tails[i]);

        found =
            n >= m && strcmp(w + n - m, tails[i]) == 0 && (n == m || w[n - m - 1] == ' ');
    }
    free(w);
    return found;
}

static struct klass
classify_intro_words(const char *text)
{
    struct klass k = {0};
    char *words = kbw_lower_words(text);
    const char *w;
    size_t len;

    for (size_t i = 0; (w = nth_word(words, i, &len)) != NULL; i++) {
        unsigned n = kbw_number_word(w, len);
        bool our = kbw_word_is(w, len, "our") || kbw_word_is(w, len, "its") ||
                   kbw_word_is(w, len, "trust's") || kbw_word_is(w, len, "the") ||
                   kbw_word_is(w, len, "these"); /* "These values set our standards:" */
        size_t j = i + 1, l2;
        const char *w2;
        char label[32];
        enum sect s;
        bool strategic = false;

        if (n == 0 && !our)
            continue;
        if (our && (w2 = nth_word(words, j, &l2)) != NULL && kbw_number_word(w2, l2)) {
            n = kbw_number_word(w2, l2);
            j++;
        }
        while ((w2 = nth_word(words, j, &l2)) != NULL &&
               (kbw_word_in(w2, l2, count_quals) || *w2 == '@')) {
            strategic = strategic || kbw_word_is(w2, l2, "strategic");
            j++;
        }
        s = keyword(words, &j, 0, label, sizeof(label));
        /* "The roadmap focuses on five key areas that ...": counted areas, in a
           sentence that names a focus, are the goals */
        if (s == SECT_NONE && n > 0 && (w2 = nth_word(words, j, &l2)) != NULL &&
            kbw_word_is(w2, l2, "areas") && strstr(words, "focus") != NULL) {
            s = SECT_GOALS;
            snprintf(label, sizeof(label), "areas");
        }
        if (s != SECT_GOALS && s != SECT_VALUES)
            continue;
        /* "On the foundation of our values we have set five objectives:": a lead-in
           naming both is about the kind it counts, else the one named last */
        if (k.sect != SECT_NONE && (k.count > 0 || (n == 0 && s == k.sect)))
            continue;
        k.sect = s;
        k.count = n;
        k.label[0] = '\0';
        if (s == SECT_GOALS) {
            if (strcmp(label, "moves") == 0)
                snprintf(k.label, sizeof(k.label), "big moves");
            else
                snprintf(k.label, sizeof(k.label), "%s%s", strategic ? "strategic " : "",
                         label);
        }
        if (n > 0)
            break;
    }
    free(words);
    return k;
}

/*
 * A goal's label prefix: "Goal 1 -", "Priority 2:", "Pillar one:", "Big
 * move 3:", "Strategic objective 1:", "Ambition 4 -".  Returns the length
 * of the label with its number (the title keeps it), 0 if none.
 */
size_t
kb_build_words_classify_goal_prefix(const char *text)
{
    static const char *const heads[] = {"goal ",
                                        "objective ",
                                        "priority ",
                                        "aim ",
                                        "pillar ",
                                        "ambition ",
                                        "big move ",
                                        "commitment ",
                                        "promise ",
                                        "outcome ",
                                        "theme ",
                                        "strategic priority ",
                                        "strategic objective ",
                                        "strategic aim ",
                                        "strategic goal ",
                                        "well-being objective ",
                                        "wellbeing objective ",
                                        NULL};

    for (size_t i = 0; heads[i] != NULL; i++) {
        size_t h = strlen(heads[i]), n = 0;

        if (!kbw_starts_ci(text, heads[i]))
            continue;
        while (isalnum((unsigned char)text[h + n]))
            n++;
        if (n == 0 || kbw_number_word(text + h, n) == 0)
            return 0;
        h += n;
        if (text[h] == ':' || text[h] == '.' || text[h] == ')' ||
            strncmp(text + h, " -", 2) == 0 ||
            strncmp(text + h, " \xe2\x80\x93", 4) == 0 ||
            strncmp(text + h, " \xe2\x80\x94", 4) == 0)
            return h;
        return 0;
    }
    return 0;
}
