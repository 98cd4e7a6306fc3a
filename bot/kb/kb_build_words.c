/*
 * kb_build_words.c - the builder's words: what a heading or a lead-in
 * sentence says it introduces (mission, vision, goals of every name,
 * values), the stated count ("our four priorities"), label prefixes
 * ("Goal 1 -", "Pillar one:"), separators, sentences.
 *
 * Nothing here names a particular document, only the vocabulary in which
 * strategy pages are written.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/buf.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb_build_int.h"

bool
kbw_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

void
kbw_squeeze(char *s)
{
    char *w = s;
    bool space = true;

    for (char *r = s; *r; r++) {
        if (kbw_space((unsigned char)*r)) {
            if (!space)
                *w++ = ' ';
            space = true;
        } else {
            *w++ = *r;
            space = false;
        }
    }
    if (w > s && w[-1] == ' ')
        w--;
    *w = '\0';
}

bool
kbw_starts_ci(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

const char *
kbw_find_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    int first = tolower((unsigned char)needle[0]);

    for (; *hay; hay++) {
        if (tolower((unsigned char)*hay) == first && strncasecmp(hay, needle, n) == 0)
            return hay;
    }
    return NULL;
}

size_t
kbw_words(const char *s)
{
    size_t n = 0;
    bool in = false;

    for (; *s; s++) {
        bool w = !kbw_space((unsigned char)*s);

        if (w && !in)
            n++;
        in = w;
    }
    return n;
}

/* Ends with closing punctuation (. ! ? , ;), perhaps before a closing quote. */
bool
kbw_terminal(const char *s)
{
    size_t n = strlen(s);

    if (n >= 3 && (strcmp(s + n - 3, "\xe2\x80\x9d") == 0 ||
                   strcmp(s + n - 3, "\xe2\x80\x99") == 0))
        n -= 3;
    else if (n >= 1 && (s[n - 1] == '"' || s[n - 1] == '\''))
        n--;
    if (n >= 3 && strncmp(s + n - 3, "\xe2\x80\xa6", 3) == 0)
        return true;
    return n > 0 && strchr(".!?,;", s[n - 1]) != NULL;
}

size_t
kbw_ellipsis(const char *s)
{
    size_t n = strlen(s);

    if (n >= 3 && strcmp(s + n - 3, "\xe2\x80\xa6") == 0)
        return 3;
    if (n >= 3 && strcmp(s + n - 3, "...") == 0)
        return n >= 4 && s[n - 4] == '.' ? 0 : 3;
    return 0;
}

bool
kbw_is_intro(const char *s)
{
    size_t n = strlen(s);

    return n > 0 && s[n - 1] == ':';
}

/* Short, capitalised, no closing punctuation: a title, a name, a bare goal. */
bool
kbw_title_like(const char *s)
{
    unsigned char c = (unsigned char)s[0];

    if (s[0] == '\0' || kbw_terminal(s) || kbw_is_intro(s) || kbw_is_nav(s))
        return false;
    if (!isupper(c) && !isdigit(c) && c < 0x80)
        return false;
    return kbw_words(s) <= 12;
}

/*
 * A heading with a gloss after a dash, written as a sentence ("Our Mission -
 * Why we wear our badge.", "Our Values – how we work"): "Our" and at most
 * three words, then at most eight; the words before the dash as a new
 * string, or NULL.  A value's line ("Respect – we listen.") does not start
 * with "Our".
 */
char *
kbw_glossed_heading(const char *s)
{
    static const char *const dashes[] = {" - ", " \xe2\x80\x93 ", " \xe2\x80\x94 ", NULL};

    if (!kbw_starts_ci(s, "our ") || kbw_words(s) > 12)
        return NULL;
    for (size_t i = 0; dashes[i] != NULL; i++) {
        const char *d = strstr(s, dashes[i]), *gloss;
        char *head;

        if (d == NULL)
            continue;
        gloss = d + strlen(dashes[i]);
        head = xstrndup(s, (size_t)(d - s));
        if (kbw_words(head) <= 4 && kbw_title_like(head) && kbw_words(gloss) <= 8 &&
            strstr(gloss, ". ") == NULL && strchr(gloss, ':') == NULL)
            return head;
        free(head);
        return NULL;
    }
    return NULL;
}

/* Menus, breadcrumbs, share bars: "Home | About us | ...", "Home > About us". */
bool
kbw_is_nav(const char *s)
{
    return strstr(s, " | ") != NULL || strstr(s, " > ") != NULL ||
           strstr(s, " \xe2\x80\xba ") != NULL || strstr(s, " / ") != NULL ||
           strstr(s, "://") != NULL || strstr(s, "\xc2\xa9") != NULL;
}

/* "Photo: ...", "Image: ...", "[Graphic ...]", "HEART values banner": a caption. */
bool
kbw_caption_like(const char *t)
{
    static const char *const heads[] = {
        "photo:",   "photo caption:", "image:",         "picture:",         "caption:",
        "graphic:", "illustration:",  "image caption:", "picture caption:", NULL};
    static const char *const tails[] = {" banner", " graphic", " infographic",
                                        " logo",   " image",   " photo",
                                        " poster", " diagram", NULL};
    size_t n = strlen(t);

    if (n == 0)
        return false;
    for (size_t i = 0; heads[i] != NULL; i++) {
        if (kbw_starts_ci(t, heads[i]))
            return true;
    }
    if (n > 2 && t[0] == '[' && t[n - 1] == ']')
        return true;
    if (kbw_words(t) > 6 || kbw_terminal(t))
        return false;
    for (size_t i = 0; tails[i] != NULL; i++) {
        size_t m = strlen(tails[i]);

        if (n > m && strcasecmp(t + n - m, tails[i]) == 0)
            return true;
    }
    return false;
}

/*
 * A contents entry: a title, a dot leader ("....", "…") and a page number at
 * the end of the line ("Values .......... 8").  It names a part of a document
 * printed elsewhere, and is none of it.
 */
bool
kbw_contents_entry(const char *t, size_t n)
{
    size_t digits = 0, dots = 0;

    while (n > 0 && isspace((unsigned char)t[n - 1]))
        n--;
    while (n > 0 && isdigit((unsigned char)t[n - 1]) && digits < 5) {
        n--;
        digits++;
    }
    if (digits == 0 || digits > 4)
        return false;
    for (;;) {
        if (n > 0 && (t[n - 1] == '.' || t[n - 1] == ' ')) {
            dots += t[n - 1] == '.';
            n--;
        } else if (n >= 3 && memcmp(t + n - 3, "\xe2\x80\xa6", 3) == 0) {
            dots += 3;
            n -= 3;
        } else {
            break;
        }
    }
    return dots >= 4 && n > 0;
}

/* Links and calls to action: "Our strategy can be downloaded here.", "Click here". */
bool
kbw_link_text(const char *s)
{
    static const char *const in[] = {"click here",      " found here", " downloaded here",
                                     " available here", "(pdf",        " read more",
                                     "find out more",   NULL};
    static const char *const starts[] = {"download ", "read our ", "read the ", "watch ",
                                         "click ",    "visit ",    NULL};

    for (size_t i = 0; in[i] != NULL; i++) {
        if (kbw_find_ci(s, in[i]) != NULL)
            return true;
    }
    for (size_t i = 0; starts[i] != NULL; i++) {
        if (kbw_starts_ci(s, starts[i]))
            return true;
    }
    return false;
}

bool
kbw_question_start(const char *s)
{
    static const char *const q[] = {"how ",   "what ", "why ",   "who ",
                                    "where ", "when ", "which ", NULL};

    for (size_t i = 0; q[i] != NULL; i++) {
        if (kbw_starts_ci(s, q[i]))
            return true;
    }
    return false;
}

/*
 * Finds the first "title - description" separator in @s: ": ", " - ",
 * " – " or " — ".  Returns its start and sets *rest (out) past it, or NULL.
 */
const char *
kbw_separator(const char *s, const char **rest)
{
    static const char *const seps[] = {" - ", " \xe2\x80\x93 ", " \xe2\x80\x94 ", ": "};
    const char *best = NULL;
    size_t best_len = 0;

    for (size_t i = 0; i < sizeof(seps) / sizeof(seps[0]); i++) {
        const char *p = strstr(s, seps[i]);

        if (p != NULL && (best == NULL || p < best)) {
            best = p;
            best_len = strlen(seps[i]);
        }
    }
    if (best != NULL)
        *rest = best + best_len;
    return best;
}

/* Skips one separator (-, –, —, :, .) and the spaces around it. */
const char *
kbw_skip_separator(const char *p)
{
    while (*p == ' ')
        p++;
    if (*p == '-' || *p == ':' || *p == '.')
        p++;
    else if (strncmp(p, "\xe2\x80\x93", 3) == 0 || strncmp(p, "\xe2\x80\x94", 3) == 0)
        p += 3;
    while (*p == ' ')
        p++;
    return p;
}

unsigned
kbw_number_word(const char *w, size_t len)
{
    static const char *const nums[] = {"one",    "two",    "three", "four", "five",
                                       "six",    "seven",  "eight", "nine", "ten",
                                       "eleven", "twelve", NULL};
    char buf[8];

    if (len > 0 && len < 3 && isdigit((unsigned char)w[0])) {
        unsigned n = 0;

        for (size_t i = 0; i < len; i++) {
            if (!isdigit((unsigned char)w[i]))
                return 0;
            n = n * 10 + (unsigned)(w[i] - '0');
        }
        return n;
    }
    if (len == 0 || len >= sizeof(buf))
        return 0;
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)tolower((unsigned char)w[i]);
    buf[len] = '\0';
    for (size_t i = 0; nums[i] != NULL; i++) {
        if (strcmp(buf, nums[i]) == 0)
            return (unsigned)i + 1;
    }
    return 0;
}

/*
 * A new copy of @s in lower case with (...) removed, any " - explanation"
 * after a dash removed, and everything but letters, digits and apostrophes
 * made a space.  Words that were an acronym in capitals ("HEART") become
 * "@" so that they read as a qualifier.
 */
char *
kbw_lower_words(const char *s)
{
    char *out = xmalloc(strlen(s) + 2), *w = out;
    int depth = 0;
    bool lower = false; /* an all-capitals heading has no acronyms to tell apart */

    for (const char *q = s; *q && !lower; q++)
        lower = islower((unsigned char)*q);

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '(') {
            depth++;
        } else if (*p == ')' && depth > 0) {
            depth--;
        } else if (depth > 0) {
            continue;
        } else if ((p[0] == ' ' && p[1] == '-' && p[2] == ' ') ||
                   (p[0] == ' ' && p[1] == 0xe2 && p[2] == 0x80 &&
                    (p[3] == 0x93 || p[3] == 0x94))) {
            break; /* "Our mission - why we answer every call" */
        } else if (lower && isupper(*p) && isupper(p[1]) &&
                   (p == (const unsigned char *)s || !isalpha(p[-1]))) {
            size_t n = 0;

            while (isupper(p[n]))
                n++;
            if (!isalpha(p[n]) && n >= 2 && n <= 8 &&
                !(n == 3 && strncmp((const char *)p, "NHS", 3) == 0)) {
                *w++ = '@';
                p += n - 1;
                continue;
            }
            *w++ = (char)tolower(*p);
        } else if (isalnum(*p) || *p == '\'') {
            *w++ = (char)tolower(*p);
        } else if (*p == 0xe2 && p[1] == 0x80 && p[2] == 0x99) {
            *w++ = '\'';
            p += 2;
        } else {
            *w++ = ' ';
        }
    }
    *w = '\0';
    kbw_squeeze(out);
    return out;
}

static bool
word_is(const char *w, size_t len, const char *s)
{
    return len == strlen(s) && strncmp(w, s, len) == 0;
}

static bool
word_in(const char *w, size_t len, const char *const *list)
{
    for (size_t i = 0; list[i] != NULL; i++) {
        if (word_is(w, len, list[i]))
            return true;
    }
    return false;
}

/* @s in lower case with "&" read as "and" and other marks as spaces, squeezed. */
static char *
name_key(const char *s)
{
    struct buf b;
    char *out;

    buf_init(&b, 1u << 12);
    for (const char *p = s; *p; p++) {
        if (*p == '&')
            (void)buf_printf(&b, " and ");
        else if (isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80)
            (void)buf_printf(&b, "%c", tolower((unsigned char)*p));
        else
            (void)buf_printf(&b, " ");
    }
    out = xstrdup(buf_str(&b));
    buf_cleanup(&b);
    kbw_squeeze(out);
    return out;
}

bool
kbw_same_name(const char *a, const char *b)
{
    char *x = name_key(a), *y = name_key(b);
    bool same = x[0] != '\0' && strcmp(x, y) == 0;

    free(x);
    free(y);
    return same;
}

bool
kbw_is_date(const char *s)
{
    static const char *const months[] = {
        "january", "february",  "march",   "april",    "may",      "june", "july",
        "august",  "september", "october", "november", "december", "jan",  "feb",
        "mar",     "apr",       "jun",     "jul",      "aug",      "sep",  "sept",
        "oct",     "nov",       "dec",     "of",       NULL};
    char *w = kbw_lower_words(s);
    const char *p = w;
    size_t n = 0, dated = 0;

    while (*p) {
        size_t len = strcspn(p, " "), d = 0;

        while (d < len && isdigit((unsigned char)p[d]))
            d++;
        if (d > 0 && (d == len ||
                      (len - d == 2 &&
                       (strncmp(p + d, "st", 2) == 0 || strncmp(p + d, "nd", 2) == 0 ||
                        strncmp(p + d, "rd", 2) == 0 || strncmp(p + d, "th", 2) == 0))))
            dated++;
        else if (word_in(p, len, months))
            dated += !word_is(p, len, "of");
        else
            break;
        n++;
        p += len;
        while (*p == ' ')
            p++;
    }
    bool date = *p == '\0' && n > 0 && n <= 5 && dated > 0;

    free(w);
    return date;
}

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
    "intentions", "promises",   NULL};

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
    if (word_is(w, len, "mission"))
        return SECT_MISSION;
    if (word_is(w, len, "vision"))
        return SECT_VISION;
    if (word_is(w, len, "purpose"))
        return SECT_PURPOSE;
    if (word_is(w, len, "ambition"))
        return SECT_AMBITION;
    if (word_is(w, len, "values") || word_is(w, len, "principles"))
        return SECT_VALUES;
    if (word_is(w, len, "pledge") || word_is(w, len, "promise"))
        return SECT_PLEDGE;
    if (word_is(w, len, "true") && w2 != NULL && word_is(w2, len2, "north")) {
        (*i)++;
        return SECT_TRUENORTH;
    }
    if (word_is(w, len, "why") && w2 != NULL && word_is(w2, len2, "we") &&
        strncmp(w2 + len2, " exist", 6) == 0) {
        *i += 2;
        return SECT_PURPOSE;
    }
    if (word_in(w, len, goal_words)) {
        snprintf(label, label_size, "%.*s", (int)len, w);
        return SECT_GOALS;
    }
    /* "Our three areas of focus", "Our focus areas" */
    if (word_is(w, len, "areas") && w2 != NULL && word_is(w2, len2, "of") &&
        strncmp(w2 + len2, " focus", 6) == 0 &&
        (w2[len2 + 6] == '\0' || w2[len2 + 6] == ' ')) {
        *i += 2;
        snprintf(label, label_size, "areas of focus");
        return SECT_GOALS;
    }
    if (word_is(w, len, "focus") && w2 != NULL && word_is(w2, len2, "areas")) {
        (*i)++;
        snprintf(label, label_size, "focus areas");
        return SECT_GOALS;
    }
    return SECT_NONE;
}

void
kbw_trim_separator(char *s)
{
    size_t n = strlen(s);

    for (;;) {
        if (n > 1 && (s[n - 1] == ':' || (s[n - 1] == '-' && s[n - 2] == ' ')))
            n--;
        else if (n > 4 && s[n - 4] == ' ' && (unsigned char)s[n - 3] == 0xe2 &&
                 (unsigned char)s[n - 2] == 0x80 &&
                 ((unsigned char)s[n - 1] == 0x93 || (unsigned char)s[n - 1] == 0x94))
            n -= 3;
        else
            break;
        while (n > 0 && s[n - 1] == ' ')
            n--;
    }
    s[n] = '\0';
}

bool
kbw_introduces_values(const char *text)
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
kbw_mentions_goals(const char *text)
{
    static const char *const one[] = {"goal",       "priority",  "objective",  "aim",
                                      "pillar",     "ambition",  "commitment", "theme",
                                      "initiative", "intention", NULL};
    char *w = kbw_lower_words(text);
    bool found = false;

    for (const char *p = w; *p && !found;) {
        size_t len = strcspn(p, " ");

        found = word_in(p, len, goal_words) || word_in(p, len, one);
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
kbw_classify(const char *text)
{
    struct klass k = {0};
    char *words = kbw_lower_words(text);
    size_t i = 0, len, nw = kbw_words(words), after = 0;
    const char *w;
    bool strategic = false, title = false;
    char label[32];

    while ((w = nth_word(words, i, &len)) != NULL &&
           (word_in(w, len, filler) || kbw_number_word(w, len) > 0)) {
        unsigned n = kbw_number_word(w, len);

        if (n > 0 && !(w > words && isdigit((unsigned char)*w) && len > 2))
            k.count = n;
        if (word_is(w, len, "strategic"))
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
            (word_is(w, len, "values") || word_is(w, len, "principles"))) {
            k.sect = SECT_VALUES;
        } else if (w != NULL && nw <= 4 && kbw_starts_ci(words, "our ") &&
                   (word_is(w, len, "vision") || word_is(w, len, "mission") ||
                    word_is(w, len, "purpose"))) {
            /* "Our Group Vision", "Our Trust Mission": the statement's own
               heading, named by a word of the page's own */
            k.sect = word_is(w, len, "vision")    ? SECT_VISION
                     : word_is(w, len, "mission") ? SECT_MISSION
                                                  : SECT_PURPOSE;
        } else if (w != NULL && word_in(w, len, goal_words) && nw <= 4) {
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
    if ((w = nth_word(words, i + 1, &len)) != NULL && word_is(w, len, "of") &&
        (w = nth_word(words, i + 2, &len)) != NULL &&
        (word_is(w, len, "this") || word_is(w, len, "these") || word_is(w, len, "that") ||
         word_is(w, len, "those"))) {
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
        if (word_is(w, len, "that") || word_is(w, len, "which") ||
            word_is(w, len, "who")) {
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
        if (!word_in(w, len, trailing) && !word_in(w, len, filler))
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
            else if (!word_is(w, len, "to") && !word_is(w, len, "and"))
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
kbw_classify_intro(const char *text)
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
        bool our = word_is(w, len, "our") || word_is(w, len, "its") ||
                   word_is(w, len, "trust's") || word_is(w, len, "the");
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
               (word_in(w2, l2, count_quals) || *w2 == '@')) {
            strategic = strategic || word_is(w2, l2, "strategic");
            j++;
        }
        s = keyword(words, &j, 0, label, sizeof(label));
        /* "The roadmap focuses on five key areas that ...": counted areas, in a
           sentence that names a focus, are the goals */
        if (s == SECT_NONE && n > 0 && (w2 = nth_word(words, j, &l2)) != NULL &&
            word_is(w2, l2, "areas") && strstr(words, "focus") != NULL) {
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
kbw_goal_prefix(const char *text)
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

static bool
is_abbreviation(const char *start, const char *dot)
{
    static const char *const abbrevs[] = {"mr",  "mrs", "ms",  "dr", "st",   "prof", "no",
                                          "e.g", "i.e", "etc", "vs", "cllr", NULL};
    const char *w = dot;
    char word[8];
    size_t n;

    while (w > start && isalpha((unsigned char)w[-1]))
        w--;
    if (w > start + 1 && w[-1] == '.' && isalpha((unsigned char)w[-2]))
        w -= 2;
    n = (size_t)(dot - w);
    if (n == 1 && isupper((unsigned char)*w))
        return true;
    if (n == 0 || n >= sizeof(word))
        return false;
    for (size_t i = 0; i < n; i++)
        word[i] = (char)tolower((unsigned char)w[i]);
    word[n] = '\0';
    return word_in(word, n, abbrevs);
}

void
kbw_each_sentence(const char *text, void (*fn)(void *, const char *, size_t), void *arg)
{
    const char *start = text, *p = text;

    while (*p) {
        if (*p == '.' || *p == '!' || *p == '?') {
            const char *end = p + 1;

            while (*end == '"' || *end == '\'' || strncmp(end, "\xe2\x80\x9d", 3) == 0 ||
                   strncmp(end, "\xe2\x80\x99", 3) == 0)
                end += (*end == '"' || *end == '\'') ? 1 : 3;
            if (*end == ' ' &&
                (isupper((unsigned char)end[1]) || isdigit((unsigned char)end[1]) ||
                 end[1] == '"' || (unsigned char)end[1] == 0xe2) &&
                !(*p == '.' && is_abbreviation(start, p))) {
                fn(arg, start, (size_t)(end - start));
                start = end + 1;
                p = start;
                continue;
            }
        }
        p++;
    }
    if (*start)
        fn(arg, start, strlen(start));
}

/* A copy of @s without trailing years: "Closer to Home 2024-2029" -> "Closer to Home". */
char *
kbw_strip_years(const char *s)
{
    char *out = xstrdup(s);
    size_t n = strlen(out);

    for (;;) {
        size_t k = n;

        while (k > 0 && (isdigit((unsigned char)out[k - 1]) || out[k - 1] == '/' ||
                         out[k - 1] == '-' || out[k - 1] == ' ' || out[k - 1] == '(' ||
                         out[k - 1] == ')' ||
                         (k >= 3 && (unsigned char)out[k - 3] == 0xe2 &&
                          (unsigned char)out[k - 2] == 0x80 &&
                          ((unsigned char)out[k - 1] == 0x93 ||
                           (unsigned char)out[k - 1] == 0x94)) ||
                         ((unsigned char)out[k - 1] == 0x80 && k >= 2) ||
                         ((unsigned char)out[k - 1] == 0xe2)))
            k--;
        if (k >= 3 && strncmp(out + k - 3, " to", 3) == 0 && k < n)
            k -= 3;
        /* only strip when what went was a year ("2024"), not "Stavelow 2030"'s only word
         */
        if (k == n)
            break;
        {
            bool year = false;

            for (size_t j = k; j + 3 < n; j++) {
                if (isdigit((unsigned char)out[j]) &&
                    isdigit((unsigned char)out[j + 1]) &&
                    isdigit((unsigned char)out[j + 2]) &&
                    isdigit((unsigned char)out[j + 3]))
                    year = true;
            }
            if (!year || kbw_words(out) - kbw_words(out + k) == 0)
                break;
            /* "Stavelow 2030": a single year after one word is part of the name */
            {
                char *tail = xstrndup(out + k, n - k);
                bool range = strchr(tail, '-') || strstr(tail, "\xe2\x80\x93") ||
                             strstr(tail, " to ") || strchr(tail, '/');

                free(tail);
                if (!range)
                    break;
            }
        }
        out[k] = '\0';
        n = k;
        while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == ','))
            out[--n] = '\0';
    }
    return out;
}
