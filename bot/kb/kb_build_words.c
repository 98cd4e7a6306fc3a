/*
 * kb_build_words.c - the builder's words: the shapes of lines (title-like,
 * captions, links, contents entries, dates), separators, sentences.  What a
 * heading or a lead-in sentence says it introduces (mission, vision, goals of
 * every name, values), the stated count ("our four priorities") and label
 * prefixes ("Goal 1 -", "Pillar one:") are in kb_build_words_classify.c.
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
#include "bot/kb/kb_build_docs.h"
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
    return kb_build_docs_link(s);
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

bool
kbw_word_is(const char *w, size_t len, const char *s)
{
    return len == strlen(s) && strncmp(w, s, len) == 0;
}

bool
kbw_word_in(const char *w, size_t len, const char *const *list)
{
    for (size_t i = 0; list[i] != NULL; i++) {
        if (kbw_word_is(w, len, list[i]))
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
        else if (kbw_word_in(p, len, months))
            dated += !kbw_word_is(p, len, "of");
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
    return kbw_word_in(word, n, abbrevs);
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
