/*
 * kb_build.c - strategy document (plain text or Markdown) to KB.
 *
 * Two passes.  The first cleans each line (Markdown markup, bullets,
 * numbering) and notes its shape.  The second walks the lines with a small
 * state machine: a heading opens a section, classified by its leading
 * keyword ("Our three goals" -> goals); inside the goals and values
 * sections, sub-headings, "Goal N:" lines, numbered items, "Name: text"
 * items and bullets become items, points and behaviours.  Every sentence
 * also becomes a passage under its section heading, so facts stated in
 * running text can be answered.
 *
 * Nothing here names a particular document: only the vocabulary in which
 * strategy pages are written (mission, vision, goals, priorities, values,
 * "We are:", ...).
 */
#include "bot/kb/kb_build.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/buf.h"
#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_doc.h"

enum sect {
    SECT_NONE = 0, /* no heading seen yet, or a heading with no keyword */
    SECT_MISSION,
    SECT_VISION,
    SECT_PURPOSE,
    SECT_VALUES,
    SECT_GOALS,
    SECT_AMBITION,
    SECT_TRUENORTH,
    SECT_PLEDGE,
};

enum origin {
    FROM_NONE = 0,
    FROM_HEADING, /* a sub-heading or a short title line */
    FROM_LINE,    /* "Goal N: ..." or "Name - ..." on one line */
    FROM_BULLET,  /* a bulleted "Name: description" */
};

struct line {
    char *text;   /* owned: markup, bullet and number stripped; trimmed */
    char *bold;   /* owned: a bold span the line starts with, or NULL */
    unsigned no;  /* 1-based line number in the document */
    int indent;   /* leading columns, tabs counted as 4 */
    int md_level; /* 1-6 for a Markdown heading, else 0 */
    unsigned num; /* the number of a numbered item ("1." "2)"), else 0 */
    bool bullet;  /* starts with a bullet marker */
    bool blank;   /* nothing left after cleaning */
};

struct builder {
    struct kb *kb;
    struct line *lines;
    size_t nlines;
    enum sect sect;
    int sect_level;      /* Markdown level of the section heading, 0 in plain text */
    char *sect_name;     /* owned: heading text, for passages */
    bool want_statement; /* a statement section's first text is still to come */
    long goal;           /* index of the goal being filled, or -1 */
    enum origin goal_from;
    long value; /* index of the value being filled, or -1 */
    enum origin value_from;
    bool label_set;
    struct kb_value *inline_values; /* owned: values listed in a sentence */
    size_t ninline;
};

/* -- small string helpers ---------------------------------------------- */

static bool
is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Trims @s in place and collapses runs of white space to one space. */
static void
squeeze(char *s)
{
    char *w = s;
    bool space = true;

    for (char *r = s; *r; r++) {
        if (is_space((unsigned char)*r)) {
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

/* Returns true when @s starts with @prefix, ignoring ASCII case. */
static bool
starts_with_ci(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* Returns the first occurrence of @needle in @hay, ignoring ASCII case, or NULL. */
static const char *
ci_find(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for (; *hay; hay++) {
        if (strncasecmp(hay, needle, n) == 0)
            return hay;
    }
    return NULL;
}

/* Skips one dash-like separator (-, en dash, em dash, colon) and spaces. */
static const char *
skip_separator(const char *p)
{
    while (*p == ' ')
        p++;
    if (*p == '-' || *p == ':')
        p++;
    else if (strncmp(p, "\xe2\x80\x93", 3) == 0 || strncmp(p, "\xe2\x80\x94", 3) == 0)
        p += 3;
    while (*p == ' ')
        p++;
    return p;
}

/*
 * Finds a "title - description" separator in @s: " - ", " – ", " — " or
 * ": ".  Returns its start and sets *rest (out) past it, or NULL.
 */
static const char *
find_separator(const char *s, const char **rest)
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

static size_t
count_words(const char *s)
{
    size_t n = 0;
    bool in = false;

    for (; *s; s++) {
        bool w = !is_space((unsigned char)*s);

        if (w && !in)
            n++;
        in = w;
    }
    return n;
}

/* Returns a new lower-case copy of @s with (...) removed and non-letters as spaces. */
static char *
heading_words(const char *s)
{
    char *out = xmalloc(strlen(s) + 1), *w = out;
    int depth = 0;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')' && depth > 0)
            depth--;
        else if (depth == 0)
            *w++ = isalnum(*p) ? (char)tolower(*p) : ' ';
    }
    *w = '\0';
    squeeze(out);
    return out;
}

/* Returns true when @word is the @i-th space-separated word of @words. */
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

/* -- classification ---------------------------------------------------- */

static const char *const filler_words[] = {
    "our",   "the",    "a",     "an",   "its",     "their",  "this",
    "trust", "trusts", "s",     "two",  "three",   "four",   "five",
    "six",   "seven",  "eight", "nine", "ten",     "one",    "strategic",
    "core",  "key",    "main",  "new",  "overall", "shared", NULL};

static const char *const goal_words[] = {"goals",   "priorities", "objectives", "aims",
                                         "pillars", "ambitions",  NULL};

static const char *const value_words[] = {"values", "principles", NULL};

/*
 * Classifies a heading by its leading keyword, after filler words such as
 * "Our", "three" or "strategic".  Headings where the keyword is followed by
 * more than a few words ("Vision and Eye Care Centre opens") are not
 * sections.  *strategic (out) says whether "strategic" qualified it.
 */
static enum sect
classify_heading(const char *text, bool *strategic)
{
    char *words = heading_words(text);
    size_t i = 0, len, nwords = count_words(words);
    const char *w;
    enum sect s = SECT_NONE;

    *strategic = false;
    while ((w = nth_word(words, i, &len)) != NULL && word_in(w, len, filler_words)) {
        if (word_is(w, len, "strategic"))
            *strategic = true;
        i++;
    }
    if (w == NULL)
        goto out;
    if (word_is(w, len, "mission"))
        s = SECT_MISSION;
    else if (word_is(w, len, "vision"))
        s = SECT_VISION;
    else if (word_is(w, len, "purpose"))
        s = SECT_PURPOSE;
    else if (word_in(w, len, value_words))
        s = SECT_VALUES;
    else if (word_is(w, len, "ambitions") && nwords - i <= 1)
        s = SECT_AMBITION; /* "Our ambitions" heading: each item is one */
    else if (word_in(w, len, goal_words))
        s = SECT_GOALS;
    else if (word_is(w, len, "ambition"))
        s = SECT_AMBITION;
    else if (word_is(w, len, "pledge") || word_is(w, len, "pledges") ||
             word_is(w, len, "promise") || word_is(w, len, "commitment"))
        s = SECT_PLEDGE;
    else if (word_is(w, len, "true") && (w = nth_word(words, i + 1, &len)) != NULL &&
             word_is(w, len, "north")) {
        s = SECT_TRUENORTH;
        i++;
    } else if (word_is(w, len, "why") &&
               strstr(words, "why we exist") == words + (w - words))
        s = SECT_PURPOSE;
    /* "Our values and behaviours", "Our objectives are": a few words may follow. */
    if (s != SECT_NONE && nwords - i - 1 > 3)
        s = SECT_NONE;
out:
    free(words);
    return s;
}

/* Returns the goal keyword a heading or intro uses, as the label ("strategic
 * priorities"). */
static char *
goals_label_of(const char *text, bool strategic)
{
    char *words = heading_words(text);
    size_t i = 0, len;
    const char *w;
    char *label = NULL;

    while ((w = nth_word(words, i++, &len)) != NULL) {
        if (word_in(w, len, goal_words)) {
            char *kw = xstrndup(w, len);

            free(label); /* "Our goals and priorities": the last keyword names them */
            label = strategic ? xasprintf("strategic %s", kw) : xstrdup(kw);
            free(kw);
        }
    }
    free(words);
    return label;
}

/* Title Case or UPPER CASE: every word of three or more letters but "and", "the", ... */
static bool
is_title_case(const char *s)
{
    static const char *const small[] = {"and",  "the",  "for", "with",
                                        "from", "into", NULL};
    size_t checked = 0;
    int depth = 0;

    for (const char *p = s; *p;) {
        const char *start;
        size_t n = 0;
        char lw[8];

        if (!isalpha((unsigned char)*p)) {
            depth += (*p == '(') - (*p == ')');
            p++;
            continue;
        }
        start = p;
        while (isalpha((unsigned char)p[n]))
            n++;
        p += n;
        /* A parenthetical is a gloss, not the title. */
        if (n < 3 || depth > 0)
            continue;
        if (n < sizeof(lw)) {
            for (size_t i = 0; i < n; i++)
                lw[i] = (char)tolower((unsigned char)start[i]);
            lw[n] = '\0';
            if (word_in(lw, n, small))
                continue;
        }
        if (!isupper((unsigned char)*start))
            return false;
        checked++;
    }
    return checked > 0;
}

static bool
ends_with_terminal(const char *s)
{
    size_t n = strlen(s);

    if (n == 0)
        return false;
    if (strchr(".!?,;", s[n - 1]) != NULL)
        return true;
    /* a closing quote after a full stop, or an ellipsis */
    if (n >= 3 && strcmp(s + n - 3, "\xe2\x80\xa6") == 0)
        return true;
    if (n >= 4 && strcmp(s + n - 3, "\xe2\x80\x9d") == 0 && strchr(".!?", s[n - 4]))
        return true;
    return false;
}

static const struct line *
next_nonblank(const struct builder *b, size_t i)
{
    for (size_t k = i + 1; k < b->nlines; k++) {
        if (!b->lines[k].blank)
            return &b->lines[k];
    }
    return NULL;
}

/* A line that introduces a list: ends with ':' ("We are:", "Our colleagues will:"). */
static bool
is_intro(const struct line *ln)
{
    size_t n = strlen(ln->text);

    return n > 0 && ln->text[n - 1] == ':';
}

/* A plain-text heading: a short line without closing punctuation, or a Title: */
static bool
is_plain_heading(const struct builder *b, size_t i)
{
    const struct line *ln = &b->lines[i];
    char *words;
    size_t nw;
    bool strategic;

    if (ln->md_level || ln->bullet || ln->num || ln->blank)
        return false;
    words = heading_words(ln->text);
    nw = count_words(words);
    free(words);
    if (nw == 0 || nw > 12)
        return false;
    if (is_intro(ln))
        return classify_heading(ln->text, &strategic) != SECT_NONE ||
               is_title_case(ln->text);
    if (nw > 8 || ends_with_terminal(ln->text) || strstr(ln->text, ": ") != NULL)
        return false;
    if (!isupper((unsigned char)ln->text[0]) && !isdigit((unsigned char)ln->text[0]))
        return false;
    return next_nonblank(b, i) != NULL;
}

/* -- line cleaning ----------------------------------------------------- */

/* Removes Markdown links, images, emphasis and code markers from @s in place. */
static void
strip_markup(char *s)
{
    char *w = s;

    for (char *r = s; *r;) {
        if (r[0] == '!' && r[1] == '[') {
            r++;
            continue;
        }
        if (r[0] == '[') {
            char *close = strchr(r, ']');

            if (close != NULL && close[1] == '(' && strchr(close, ')') != NULL) {
                size_t n = (size_t)(close - r - 1);

                memmove(w, r + 1, n);
                w += n;
                r = strchr(close, ')') + 1;
                continue;
            }
        }
        if (*r == '*' || *r == '`' || (r[0] == '_' && r[1] == '_')) {
            r += (r[0] == '_') ? 2 : 1;
            continue;
        }
        *w++ = *r++;
    }
    *w = '\0';
}

static void
clean_line(struct line *ln, const char *raw, size_t len, unsigned no)
{
    char *s = xstrndup(raw, len), *p = s;

    memset(ln, 0, sizeof(*ln));
    ln->no = no;
    for (; *p == ' ' || *p == '\t'; p++)
        ln->indent += (*p == '\t') ? 4 : 1;
    while (*p == '>')
        for (p++; *p == ' '; p++)
            ;
    if (*p == '#') {
        int level = 0;

        while (p[level] == '#')
            level++;
        if (level <= 6 && (p[level] == ' ' || p[level] == '\0')) {
            ln->md_level = level;
            p += level;
        }
    }
    while (*p == ' ')
        p++;
    if ((p[0] == '-' || p[0] == '*' || p[0] == '+') && p[1] == ' ') {
        ln->bullet = true;
        p += 2;
    } else if (strncmp(p, "\xe2\x80\xa2", 3) == 0 || strncmp(p, "\xc2\xb7", 2) == 0) {
        ln->bullet = true; /* bullet or middle dot */
        p += (p[0] == '\xc2') ? 2 : 3;
    }
    while (*p == ' ')
        p++;
    if (isdigit((unsigned char)*p)) {
        char *end = p;
        unsigned long n = strtoul(p, &end, 10);

        if ((*end == '.' || *end == ')') && (end[1] == ' ') && n > 0 && n < 1000) {
            ln->num = (unsigned)n;
            p = end + 2;
        }
    }
    while (*p == ' ')
        p++;
    if (p[0] == '*' && p[1] == '*') {
        char *close = strstr(p + 2, "**");

        if (close != NULL && close > p + 2) {
            ln->bold = xstrndup(p + 2, (size_t)(close - p - 2));
            squeeze(ln->bold);
        }
    }
    ln->text = xstrdup(p);
    free(s);
    strip_markup(ln->text);
    squeeze(ln->text);
    /* A lone "*Published ...*" or "---" leaves nothing useful. */
    ln->blank = ln->text[0] == '\0' || strspn(ln->text, "-=_*") == strlen(ln->text);
}

/* -- sentences and passages -------------------------------------------- */

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
        w -= 2; /* "e.g" */
    n = (size_t)(dot - w);
    if (n == 1 && isupper((unsigned char)*w))
        return true; /* an initial: "J. Smith" */
    if (n == 0 || n >= sizeof(word))
        return false;
    for (size_t i = 0; i < n; i++)
        word[i] = (char)tolower((unsigned char)w[i]);
    word[n] = '\0';
    return word_in(word, n, abbrevs);
}

/* Calls @fn for each sentence of @text. */
static void
each_sentence(const char *text, void (*fn)(void *, const char *, size_t), void *arg)
{
    const char *start = text, *p = text;

    while (*p) {
        if (*p == '.' || *p == '!' || *p == '?') {
            const char *end = p + 1;

            /* Keep a closing quote with its sentence. */
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

struct sentence_ctx {
    struct builder *b;
    unsigned line;
};

static void
add_passage(void *arg, const char *s, size_t len)
{
    struct sentence_ctx *ctx = arg;
    struct kb *kb = ctx->b->kb;
    struct kb_passage *p;
    char *text = xstrndup(s, len);

    squeeze(text);
    if (text[0] == '\0') {
        free(text);
        return;
    }
    kb->passages = xreallocarray(kb->passages, kb->npassages + 1, sizeof(*kb->passages));
    p = &kb->passages[kb->npassages++];
    p->section = xstrdup(ctx->b->sect_name ? ctx->b->sect_name : "");
    p->text = text;
    p->line = ctx->line;
}

/* -- lists inside a sentence ------------------------------------------- */

/* Splits "a, b and c" or "a; b; and c" into items, calling @fn for each. */
static void
split_list(const char *text, void (*fn)(void *, const char *), void *arg)
{
    char *s = xstrdup(text), *p = s;
    char sep = strchr(s, ';') ? ';' : ',';
    size_t n = strlen(s), count = 0;
    char **items = NULL;

    while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ' '))
        s[--n] = '\0';
    for (;;) {
        char *end = strchr(p, sep);

        if (end != NULL)
            *end = '\0';
        squeeze(p);
        if (starts_with_ci(p, "and "))
            p += 4;
        else if (starts_with_ci(p, "or "))
            p += 3;
        if (*p) {
            items = xreallocarray(items, count + 1, sizeof(*items));
            items[count++] = p;
        }
        if (end == NULL)
            break;
        p = end + 1;
    }
    for (size_t i = 0; i < count; i++) {
        char *and = strstr(items[i], " and ");

        /* "a, b and c": the last comma item holds two. */
        if (i == count - 1 && sep == ',' && count >= 2 && and != NULL) {
            *and = '\0';
            fn(arg, items[i]);
            fn(arg, and+5);
        } else {
            fn(arg, items[i]);
        }
    }
    free(items);
    free(s);
}

struct list_ctx {
    char **items;
    size_t n;
};

static void
collect_item(void *arg, const char *item)
{
    struct list_ctx *ctx = arg;

    kb_strv_push(&ctx->items, &ctx->n, item);
}

static void
list_ctx_cleanup(struct list_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n; i++)
        free(ctx->items[i]);
    free(ctx->items);
}

/* A value name: one to three words, each capitalised but "and", "of", ... */
static bool
looks_like_name(const char *s)
{
    size_t nw = count_words(s);

    if (nw == 0 || nw > 3 || !isupper((unsigned char)s[0]))
        return false;
    for (const char *p = s; *p; p++) {
        if (strchr(".:;!?\"", *p) != NULL)
            return false;
    }
    return true;
}

/*
 * Values listed inline: "Our values are Caring, Open and Ambitious." or
 * "five core values ... guide how we work: Compassion; Respect; and
 * Integrity."  Kept as candidates, used only when no values section gave any.
 */
static void
find_inline_values(struct builder *b, const char *sentence, unsigned line)
{
    const char *v = NULL, *p, *list = NULL;
    struct list_ctx items = {0};

    for (p = sentence; (p = ci_find(p, "values")) != NULL; p += 6) {
        if ((p == sentence || !isalpha((unsigned char)p[-1])) &&
            !isalpha((unsigned char)p[6]))
            v = p;
        if (v != NULL)
            break;
    }
    if (v == NULL || b->ninline > 0)
        return;
    if ((list = strrchr(v, ':')) != NULL)
        list++;
    else if (starts_with_ci(v + 6, " are "))
        list = v + 11;
    else if (starts_with_ci(v + 6, " of "))
        list = v + 10;
    if (list == NULL)
        return;
    split_list(list, collect_item, &items);
    if (items.n >= 2) {
        bool all_names = true;

        for (size_t i = 0; i < items.n; i++)
            all_names = all_names && looks_like_name(items.items[i]);
        if (all_names) {
            for (size_t i = 0; i < items.n; i++) {
                b->inline_values = xreallocarray(b->inline_values, b->ninline + 1,
                                                 sizeof(*b->inline_values));
                b->inline_values[b->ninline++] = (struct kb_value){
                    .name = xstrdup(items.items[i]),
                    .description = xstrdup(""),
                    .line = line,
                };
            }
        }
    }
    list_ctx_cleanup(&items);
}

/* -- ambitions stated in a sentence ------------------------------------ */

/* Returns the first quoted phrase in @s as a new string, or NULL. */
static char *
quoted_phrase(const char *s)
{
    static const char *const opens[] = {"\xe2\x80\x98", "\xe2\x80\x9c", "'", "\"", NULL};
    static const char *const closes[] = {"\xe2\x80\x99", "\xe2\x80\x9d", "'", "\"", NULL};

    for (size_t i = 0; opens[i] != NULL; i++) {
        const char *o = strstr(s, opens[i]), *c;

        if (o == NULL)
            continue;
        o += strlen(opens[i]);
        c = strstr(o, closes[i]);
        if (c != NULL && c > o && (size_t)(c - o) < 60 && isupper((unsigned char)*o))
            return xstrndup(o, (size_t)(c - o));
    }
    return NULL;
}

static void
add_ambition(struct kb *kb, const char *kind, const char *title, const char *text,
             unsigned line)
{
    for (size_t i = 0; i < kb->nambitions; i++) {
        if ((title[0] && strcasecmp(kb->ambitions[i].title, title) == 0) ||
            strcasecmp(kb->ambitions[i].text, text) == 0)
            return;
    }
    kb->ambitions =
        xreallocarray(kb->ambitions, kb->nambitions + 1, sizeof(*kb->ambitions));
    kb->ambitions[kb->nambitions++] = (struct kb_ambition){.kind = xstrdup(kind),
                                                           .title = xstrdup(title),
                                                           .text = xstrdup(text),
                                                           .line = line};
}

/* "one of our key ambitions is to become ...", "the main aim being to achieve ..." */
static void
find_stated_ambition(struct builder *b, const char *sentence, unsigned line)
{
    static const char *const heads[] = {"ambition", "ambitions", "aim", "aims", NULL};
    static const char *const verbs[] = {" is to ", " are to ", " being to ", " was to ",
                                        NULL};
    char *lower = heading_words(sentence);
    bool found = false;

    for (size_t i = 0; heads[i] != NULL && !found; i++) {
        for (size_t k = 0; verbs[k] != NULL && !found; k++) {
            char *pat = xasprintf(" %s%s", heads[i], verbs[k]);

            found = strstr(lower, pat) != NULL;
            free(pat);
        }
    }
    if (found) {
        char *title = quoted_phrase(sentence);

        add_ambition(b->kb, "ambition", title ? title : "", sentence, line);
        free(title);
    }
    free(lower);
}

struct scan_ctx {
    struct builder *b;
    unsigned line;
};

static void
scan_sentence(void *arg, const char *s, size_t len)
{
    struct scan_ctx *ctx = arg;
    char *text = xstrndup(s, len);

    squeeze(text);
    find_inline_values(ctx->b, text, ctx->line);
    find_stated_ambition(ctx->b, text, ctx->line);
    free(text);
}

/* -- items ------------------------------------------------------------- */

/*
 * Splits an item into title and description: a leading bold span, else a
 * "Title - description" or "Title: description" separator after a short
 * title, else the first sentence.  Returns the new title; *rest (out) is
 * the description, borrowed from @text.
 */
static char *
split_title(const char *text, const char *bold, const char **rest)
{
    const char *sep, *dot;

    if (bold != NULL && starts_with_ci(text, bold)) {
        *rest = skip_separator(text + strlen(bold));
        return xstrdup(bold);
    }
    sep = find_separator(text, rest);
    if (sep != NULL && sep > text) {
        char *title = xstrndup(text, (size_t)(sep - text));

        if (count_words(title) <= 10)
            return title;
        free(title);
    }
    dot = strstr(text, ". ");
    if (dot != NULL) {
        *rest = dot + 2;
        return xstrndup(text, (size_t)(dot - text));
    }
    *rest = "";
    return xstrdup(text);
}

static struct kb_goal *
new_goal(struct builder *b, unsigned number, const char *text, const char *bold,
         unsigned line, enum origin from)
{
    struct kb *kb = b->kb;
    struct kb_goal *g;
    const char *rest;
    char *title;

    kb->goals = xreallocarray(kb->goals, kb->ngoals + 1, sizeof(*kb->goals));
    g = &kb->goals[kb->ngoals];
    memset(g, 0, sizeof(*g));
    g->number = number;
    g->line = line;
    title = split_title(text, bold, &rest);
    squeeze(title);
    g->title = title;
    g->description = xstrdup(rest);
    squeeze(g->description);
    kb->ngoals++;
    b->goal = (long)kb->ngoals - 1;
    b->goal_from = from;
    return g;
}

static struct kb_value *
new_value(struct builder *b, const char *name, unsigned line, enum origin from)
{
    struct kb *kb = b->kb;
    struct kb_value *v;

    kb->values = xreallocarray(kb->values, kb->nvalues + 1, sizeof(*kb->values));
    v = &kb->values[kb->nvalues];
    memset(v, 0, sizeof(*v));
    v->name = xstrdup(name);
    squeeze(v->name);
    v->description = xstrdup("");
    v->line = line;
    kb->nvalues++;
    b->value = (long)kb->nvalues - 1;
    b->value_from = from;
    return v;
}

static void
add_behaviour(void *arg, const char *text)
{
    struct kb_value *v = arg;

    kb_text_push(&v->behaviours, &v->nbehaviours, text, v->line);
}

/*
 * "Kind - We are: welcoming, patient and thoughtful." or "Kindness - we treat
 * everyone with warmth."  Returns false if @ln is not of that shape.
 */
static bool
value_from_line(struct builder *b, const struct line *ln)
{
    const char *rest = NULL, *sep;
    char *name;
    struct kb_value *v;

    if (ln->bold != NULL && starts_with_ci(ln->text, ln->bold)) {
        name = xstrdup(ln->bold);
        rest = skip_separator(ln->text + strlen(ln->bold));
    } else {
        sep = find_separator(ln->text, &rest);
        if (sep == NULL || sep == ln->text)
            return false;
        name = xstrndup(ln->text, (size_t)(sep - ln->text));
    }
    squeeze(name);
    if (!looks_like_name(name)) {
        free(name);
        return false;
    }
    v = new_value(b, name, ln->no, ln->bullet ? FROM_BULLET : FROM_LINE);
    free(name);
    if (*rest) {
        const char *colon = strchr(rest, ':');

        /* "We are: a, b and c" - an intro of a few words, then the list. */
        if (colon != NULL && colon - rest < 24 && colon[1] == ' ') {
            v->line = ln->no;
            split_list(colon + 2, add_behaviour, v);
        } else {
            free(v->description);
            v->description = xstrdup(rest);
        }
    }
    return true;
}

/* Inside a section, should the heading at @i be an item (value, goal)? */
static bool
heading_is_item(const struct builder *b, size_t i)
{
    const struct line *ln = &b->lines[i], *next;

    if (b->sect != SECT_VALUES && b->sect != SECT_GOALS)
        return false;
    if (ln->md_level)
        return b->sect_level > 0 && ln->md_level > b->sect_level;
    /* Plain text: a title line is an item only when a list follows it. */
    next = next_nonblank(b, i);
    if (next == NULL)
        return false;
    if (next->bullet || next->num || is_intro(next))
        return true;
    next = next_nonblank(b, (size_t)(next - b->lines));
    return next != NULL && (next->bullet || is_intro(next));
}

static void
open_section(struct builder *b, const struct line *ln, enum sect s, bool strategic)
{
    free(b->sect_name);
    b->sect_name = xstrdup(ln->text);
    {
        size_t n = strlen(b->sect_name);

        if (n > 0 && b->sect_name[n - 1] == ':')
            b->sect_name[n - 1] = '\0';
    }
    b->sect = s;
    b->sect_level = ln->md_level;
    b->want_statement = s == SECT_MISSION || s == SECT_VISION || s == SECT_PURPOSE ||
                        s == SECT_AMBITION || s == SECT_TRUENORTH || s == SECT_PLEDGE;
    b->goal = -1;
    b->value = -1;
    if (s == SECT_GOALS && !b->label_set) {
        char *label = goals_label_of(ln->text, strategic);

        if (label != NULL) {
            free(b->kb->goals_label);
            b->kb->goals_label = label;
            b->label_set = true;
        }
    }
}

static const char *
ambition_kind(enum sect s)
{
    switch (s) {
    case SECT_PURPOSE:
        return "purpose";
    case SECT_TRUENORTH:
        return "true north";
    case SECT_PLEDGE:
        return "pledge";
    default:
        return "ambition";
    }
}

static void
set_statement(struct builder *b, const char *text, unsigned line)
{
    struct kb_text *t = NULL;

    if (b->sect == SECT_MISSION)
        t = &b->kb->mission;
    else if (b->sect == SECT_VISION)
        t = &b->kb->vision;
    if (t != NULL) {
        if (t->text == NULL) {
            t->text = xstrdup(text);
            t->line = line;
        }
    } else {
        add_ambition(b->kb, ambition_kind(b->sect), "", text, line);
    }
}

/* "Goal 2: ...", "Objective 1 - ...", "Priority 3. ..." */
static bool
goal_prefix(const char *text, unsigned *num, const char **rest)
{
    static const char *const words[] = {
        "goal ",   "objective ", "priority ",           "aim ",
        "pillar ", "ambition ",  "strategic priority ", "strategic objective ",
        NULL};

    for (size_t i = 0; words[i] != NULL; i++) {
        if (starts_with_ci(text, words[i])) {
            char *end;
            unsigned long n = strtoul(text + strlen(words[i]), &end, 10);

            if (end == text + strlen(words[i]) || n == 0 || n >= 1000)
                return false;
            *num = (unsigned)n;
            *rest = skip_separator(*end == '.' || *end == ')' ? end + 1 : end);
            return true;
        }
    }
    return false;
}

static void
on_goals_line(struct builder *b, const struct line *ln)
{
    unsigned num;
    const char *rest;
    struct kb_goal *g = b->goal >= 0 ? &b->kb->goals[b->goal] : NULL;

    if (!ln->bullet && goal_prefix(ln->text, &num, &rest) && *rest) {
        new_goal(b, num, rest, NULL, ln->no, FROM_LINE);
    } else if (ln->num && !ln->bullet &&
               (g == NULL || g->npoints == 0 || ln->indent == 0) &&
               (g == NULL || b->goal_from != FROM_HEADING)) {
        new_goal(b, ln->num, ln->text, ln->bold, ln->no, FROM_LINE);
    } else if ((ln->bullet || ln->num) && g != NULL && b->goal_from != FROM_BULLET) {
        kb_text_push(&g->points, &g->npoints, ln->text, ln->no);
    } else if (ln->bullet) {
        new_goal(b, 0, ln->text, ln->bold, ln->no, FROM_BULLET);
    } else if (g != NULL && b->goal_from == FROM_HEADING && g->description[0] == '\0' &&
               g->npoints == 0 && !is_intro(ln)) {
        free(g->description);
        g->description = xstrdup(ln->text);
    }
}

static void
on_values_line(struct builder *b, const struct line *ln)
{
    struct kb_value *v = b->value >= 0 ? &b->kb->values[b->value] : NULL;

    if (ln->bullet && v != NULL && b->value_from == FROM_HEADING) {
        kb_text_push(&v->behaviours, &v->nbehaviours, ln->text, ln->no);
    } else if (value_from_line(b, ln)) {
        /* done */
    } else if (ln->bullet && v != NULL) {
        kb_text_push(&v->behaviours, &v->nbehaviours, ln->text, ln->no);
    } else if (ln->bullet && looks_like_name(ln->text)) {
        new_value(b, ln->text, ln->no, FROM_BULLET);
    } else if (v != NULL && b->value_from == FROM_HEADING && v->description[0] == '\0' &&
               v->nbehaviours == 0 && !is_intro(ln)) {
        free(v->description);
        v->description = xstrdup(ln->text);
    }
}

/* An intro such as "... sets out five strategic priorities:" opens a goals list. */
static bool
intro_opens_goals(struct builder *b, const struct line *ln)
{
    char *words, *last;
    size_t n;
    bool yes;

    if (!is_intro(ln) || b->sect == SECT_GOALS)
        return false;
    words = heading_words(ln->text);
    last = strrchr(words, ' ');
    last = last ? last + 1 : words;
    n = strlen(last);
    yes = word_in(last, n, goal_words) && !word_is(last, n, "ambitions");
    if (yes) {
        bool strategic = strstr(words, "strategic") != NULL;

        open_section(b, ln, SECT_GOALS, strategic);
    }
    free(words);
    return yes;
}

static void
on_heading(struct builder *b, size_t i)
{
    const struct line *ln = &b->lines[i];
    bool strategic;
    enum sect s;

    if (heading_is_item(b, i)) {
        if (b->sect == SECT_VALUES) {
            new_value(b, ln->text, ln->no, FROM_HEADING);
        } else {
            unsigned num;
            const char *rest;

            if (goal_prefix(ln->text, &num, &rest) && *rest)
                new_goal(b, num, rest, NULL, ln->no, FROM_HEADING);
            else
                new_goal(b, ln->num, ln->text, ln->bold, ln->no, FROM_HEADING);
        }
        return;
    }
    s = classify_heading(ln->text, &strategic);
    open_section(b, ln, s, strategic);
}

/* "OUR MISSION: To provide ..." - a keyword heading with its statement on the line. */
static bool
inline_heading(struct builder *b, const struct line *ln)
{
    const char *colon = strstr(ln->text, ": ");
    char *head;
    bool strategic;
    enum sect s;
    struct line tmp;

    if (colon == NULL || ln->bullet || ln->num || ln->md_level)
        return false;
    head = xstrndup(ln->text, (size_t)(colon - ln->text));
    s = count_words(head) <= 5 ? classify_heading(head, &strategic) : SECT_NONE;
    if (s == SECT_NONE || s == SECT_VALUES || s == SECT_GOALS) {
        free(head);
        return false;
    }
    tmp = *ln;
    tmp.text = head;
    open_section(b, &tmp, s, strategic);
    free(head);
    set_statement(b, colon + 2, ln->no);
    b->want_statement = false;
    return true;
}

static void
on_text(struct builder *b, size_t i)
{
    const struct line *ln = &b->lines[i];
    struct sentence_ctx pctx = {b, ln->no};
    struct scan_ctx sctx = {b, ln->no};

    if (inline_heading(b, ln)) {
        each_sentence(strstr(ln->text, ": ") + 2, add_passage, &pctx);
        return;
    }
    each_sentence(ln->text, add_passage, &pctx);
    each_sentence(ln->text, scan_sentence, &sctx);
    if (intro_opens_goals(b, ln))
        return;
    if (b->want_statement) {
        b->want_statement = false;
        if (b->sect == SECT_AMBITION && ln->bullet)
            b->want_statement = true; /* "Our ambitions": one per bullet */
        set_statement(b, ln->text, ln->no);
        return;
    }
    if (b->sect == SECT_GOALS)
        on_goals_line(b, ln);
    else if (b->sect == SECT_VALUES)
        on_values_line(b, ln);
}

/* -- finishing --------------------------------------------------------- */

static void
number_goals(struct kb *kb)
{
    bool ok = true;

    for (size_t i = 0; i < kb->ngoals && ok; i++) {
        ok = kb->goals[i].number != 0;
        for (size_t k = 0; k < i && ok; k++)
            ok = kb->goals[k].number != kb->goals[i].number;
    }
    if (!ok) {
        for (size_t i = 0; i < kb->ngoals; i++)
            kb->goals[i].number = (unsigned)i + 1;
    }
}

/* Drops repeated entries of a list (a page that lists a behaviour twice). */
static void
dedupe_texts(struct kb_text *t, size_t *n)
{
    size_t w = 0;

    for (size_t i = 0; i < *n; i++) {
        bool dup = false;

        for (size_t k = 0; k < w && !dup; k++)
            dup = strcasecmp(t[k].text, t[i].text) == 0;
        if (dup)
            free(t[i].text);
        else
            t[w++] = t[i];
    }
    *n = w;
}

/* Drops goals and values whose names repeat (a page that lists them twice). */
static void
drop_duplicates(struct kb *kb)
{
    size_t w = 0;

    for (size_t i = 0; i < kb->nvalues; i++)
        dedupe_texts(kb->values[i].behaviours, &kb->values[i].nbehaviours);
    for (size_t i = 0; i < kb->ngoals; i++)
        dedupe_texts(kb->goals[i].points, &kb->goals[i].npoints);
    for (size_t i = 0; i < kb->ngoals; i++) {
        struct kb_goal *g = &kb->goals[i];

        bool dup = false;

        for (size_t k = 0; k < w && !dup; k++)
            dup = strcasecmp(kb->goals[k].title, g->title) == 0;
        if (dup) {
            free(g->title);
            free(g->description);
            for (size_t k = 0; k < g->npoints; k++)
                free(g->points[k].text);
            free(g->points);
            continue;
        }
        kb->goals[w++] = *g;
    }
    kb->ngoals = w;
    w = 0;

    for (size_t i = 0; i < kb->nvalues; i++) {
        bool dup = false;

        for (size_t k = 0; k < w && !dup; k++)
            dup = strcasecmp(kb->values[k].name, kb->values[i].name) == 0;
        if (dup) {
            struct kb_value *v = &kb->values[i];

            free(v->name);
            free(v->description);
            for (size_t k = 0; k < v->nbehaviours; k++)
                free(v->behaviours[k].text);
            free(v->behaviours);
            continue;
        }
        kb->values[w++] = kb->values[i];
    }
    kb->nvalues = w;
}

/* A strategy's name: "X is our strategy" or a quoted name after "strategy". */
static char *
guess_strategy(const struct kb *kb)
{
    for (size_t i = 0; i < kb->npassages; i++) {
        const char *t = kb->passages[i].text, *p;

        if ((p = strstr(t, " is our strategy")) != NULL && p > t && p - t < 60)
            return xstrndup(t, (size_t)(p - t));
        if ((p = ci_find(t, "strategy")) != NULL) {
            char *q = quoted_phrase(p);

            if (q != NULL)
                return q;
        }
    }
    return xstrdup("");
}

static bool
org_id_ok(const char *org)
{
    if (org == NULL || org[0] == '\0')
        return false;
    for (const char *p = org; *p; p++) {
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-' &&
            *p != '_')
            return false;
    }
    return true;
}

enum bot_err
kb_build(const char *text, size_t len, const struct kb_build_opts *opts, struct kb **out,
         char **why)
{
    struct builder b = {.goal = -1, .value = -1};
    size_t bad;
    const char *p, *end;
    unsigned no = 0;
    enum bot_err err = BOT_OK;

    *out = NULL;
    *why = NULL;
    if (!org_id_ok(opts->org)) {
        *why = xstrdup("--org must be lower-case letters, digits, - or _");
        return BOT_EINVAL;
    }
    if (opts->name == NULL || opts->name[0] == '\0') {
        *why = xstrdup("--name must not be empty");
        return BOT_EINVAL;
    }
    if (len > KB_BUILD_MAX_DOC) {
        *why = xasprintf("document is larger than the %u MiB limit",
                         KB_BUILD_MAX_DOC / (1024 * 1024));
        return BOT_ELIMIT;
    }
    if (!utf8_is_valid(text, len, &bad)) {
        *why = memchr(text, '\0', len) != NULL
                   ? xstrdup("binary data (NUL byte), not a text document")
                   : xasprintf("invalid UTF-8 at byte offset %zu", bad);
        return BOT_EPARSE;
    }
    /* A UTF-8 byte-order mark is not text. */
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        len -= 3;
    }
    for (p = text; p < text + len; p = end + 1) {
        end = memchr(p, '\n', (size_t)(text + len - p));
        if (end == NULL)
            end = text + len;
        b.lines = xreallocarray(b.lines, b.nlines + 1, sizeof(*b.lines));
        clean_line(&b.lines[b.nlines++], p, (size_t)(end - p), ++no);
    }
    b.kb = kb_new();
    free(b.kb->org);
    b.kb->org = xstrdup(opts->org);
    free(b.kb->name);
    b.kb->name = xstrdup(opts->name);
    free(b.kb->short_name);
    b.kb->short_name = xstrdup(opts->short_name ? opts->short_name : "");
    free(b.kb->doc);
    b.kb->doc = xstrdup(opts->doc ? opts->doc : "");
    for (size_t i = 0; i < b.nlines; i++) {
        if (b.lines[i].blank)
            continue;
        if (b.lines[i].md_level || is_plain_heading(&b, i)) {
            /* After a statement heading, its statement comes next, however short. */
            if (b.want_statement && !b.lines[i].md_level) {
                bool strategic;

                if (classify_heading(b.lines[i].text, &strategic) == SECT_NONE) {
                    on_text(&b, i);
                    continue;
                }
            }
            on_heading(&b, i);
        } else {
            on_text(&b, i);
        }
    }
    if (b.kb->nvalues == 0 && b.ninline > 0) {
        b.kb->values = b.inline_values;
        b.kb->nvalues = b.ninline;
        b.inline_values = NULL;
        b.ninline = 0;
    }
    drop_duplicates(b.kb);
    number_goals(b.kb);
    free(b.kb->strategy);
    b.kb->strategy = opts->strategy ? xstrdup(opts->strategy) : guess_strategy(b.kb);
    if (b.kb->ngoals == 0 && b.kb->nvalues == 0 && b.kb->mission.text == NULL &&
        b.kb->vision.text == NULL) {
        *why = xstrdup("found no mission, vision, goals or values in the document");
        err = BOT_EPARSE;
        kb_free(b.kb);
    } else {
        *out = b.kb;
    }
    for (size_t i = 0; i < b.nlines; i++) {
        free(b.lines[i].text);
        free(b.lines[i].bold);
    }
    free(b.lines);
    free(b.sect_name);
    for (size_t i = 0; i < b.ninline; i++) {
        free(b.inline_values[i].name);
        free(b.inline_values[i].description);
    }
    free(b.inline_values);
    return err;
}

/*
 * Bridge until extraction works on blocks: the blocks written back as
 * Markdown-like text for the line-based builder above.
 */
enum bot_err
kb_build_doc(const struct kb_doc *doc, const struct kb_build_opts *opts, struct kb **out,
             char **report, char **why)
{
    struct buf text;
    enum bot_err err;

    *report = NULL;
    buf_init(&text, KB_BUILD_MAX_DOC);
    for (size_t i = 0; i < doc->nblocks; i++) {
        const struct kb_block *bl = &doc->blocks[i];

        switch (bl->kind) {
        case KB_BLOCK_HEADING:
            err = buf_printf(&text, "\n%.*s %s\n\n", (int)(bl->level ? bl->level : 2),
                             "######", bl->text);
            break;
        case KB_BLOCK_ITEM:
            err = bl->number ? buf_printf(&text, "%u. %s\n", bl->number, bl->text)
                             : buf_printf(&text, "- %s\n", bl->text);
            break;
        default:
            err = buf_printf(&text, "%s\n", bl->text);
            break;
        }
        if (err) {
            buf_cleanup(&text);
            *why = xasprintf("document is larger than the %u MiB limit",
                             KB_BUILD_MAX_DOC / (1024 * 1024));
            return BOT_ELIMIT;
        }
    }
    err = kb_build(buf_str(&text), text.len, opts, out, why);
    buf_cleanup(&text);
    return err;
}
