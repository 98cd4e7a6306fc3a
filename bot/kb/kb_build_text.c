/*
 * kb_build_text.c - what the builder takes from sentences: statements
 * written inline ("Our vision is that ...", "Our vision: ...", a vision in
 * quotes in a news release); the strategy's name (kb_build_text_strategy.c)
 * and passages (kb_build_text_passages.c: every sentence with its section; a
 * quote's sentences naming the speaker).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/buf.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb_build_int.h"

static const char *
kind_name(enum sect s)
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

static void set_statement(struct bctx *c, enum sect s, const char *text, unsigned line);

static const char *
stmt_name(enum sect s)
{
    return s == SECT_MISSION ? "mission" : s == SECT_VISION ? "vision" : kind_name(s);
}

/* A copy of @text without quotes around all of it ("'To achieve ...'", "“...”."). */
static char *
unquoted(const char *text)
{
    static const char *const pairs[][2] = {{"\xe2\x80\x9c", "\xe2\x80\x9d"},
                                           {"\xe2\x80\x98", "\xe2\x80\x99"},
                                           {"\"", "\""},
                                           {"'", "'"}};
    size_t n = strlen(text);

    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        size_t o = strlen(pairs[i][0]), cl = strlen(pairs[i][1]), m = n;

        if (m > 0 && text[m - 1] == '.')
            m--;
        if (m >= o + cl + 1 && strncmp(text, pairs[i][0], o) == 0 &&
            strncmp(text + m - cl, pairs[i][1], cl) == 0 &&
            strstr(text + o, pairs[i][1]) == text + m - cl)
            return xstrndup(text + o, m - cl - o);
    }
    return xstrdup(text);
}

bool
kbt_about_statement(enum sect s, const char *t)
{
    const char *kind = stmt_name(s), *at;
    char *w;
    bool about = false;
    size_t n = strlen(kind);

    if (s != SECT_MISSION && s != SECT_VISION && s != SECT_PURPOSE)
        return false;
    w = kbw_lower_words(t);
    for (at = w; (at = strstr(at, kind)) != NULL; at += n) {
        if ((at == w || at[-1] == ' ') && (at[n] == ' ' || at[n] == '\0') && at != w &&
            !(at - w == 4 && strncmp(w, "our ", 4) == 0) &&
            !(at - w == 4 && strncmp(w, "the ", 4) == 0)) {
            about = true;
            break;
        }
    }
    free(w);
    return about;
}

void
kbt_set_statement(struct bctx *c, enum sect s, const char *text, unsigned line)
{
    char *t = unquoted(text);

    set_statement(c, s, t, line);
    free(t);
}

static void
set_statement(struct bctx *c, enum sect s, const char *text, unsigned line)
{
    struct kb *kb = c->kb;
    struct kb_text *t = s == SECT_MISSION  ? &kb->mission
                        : s == SECT_VISION ? &kb->vision
                                           : NULL;

    if (text[0] == '\0')
        return;
    if (t != NULL) {
        if (t->text != NULL)
            return;
        t->text = xstrdup(text);
        t->line = line;
        kbb_where(c, &t->page, &t->src);
    } else {
        const char *kind = kind_name(s);

        for (size_t i = 0; i < kb->nambitions; i++) {
            if (strcmp(kb->ambitions[i].kind, kind) == 0 ||
                strcasecmp(kb->ambitions[i].text, text) == 0)
                return;
        }
        kb->ambitions =
            xreallocarray(kb->ambitions, kb->nambitions + 1, sizeof(*kb->ambitions));
        kb->ambitions[kb->nambitions++] = (struct kb_ambition){.kind = xstrdup(kind),
                                                               .title = xstrdup(""),
                                                               .text = xstrdup(text),
                                                               .line = line};
        kbb_where(c, &kb->ambitions[kb->nambitions - 1].page,
                  &kb->ambitions[kb->nambitions - 1].src);
    }
    {
        unsigned page, src;

        kbb_where(c, &page, &src);
        kbb_report(c, "%s, %s", stmt_name(s), kbb_at(line, page).s);
    }
}

/* "Our vision: good care, every day." - a statement heading with its text on the line. */
bool
kbt_inline_statement(struct bctx *c, const struct kb_block *b)
{
    const char *colon = strstr(b->text, ": ");
    char *head;
    struct klass k;

    if (colon == NULL || b->kind == KB_BLOCK_ITEM ||
        kb_build_words_classify_goal_prefix(b->text) > 0)
        return false;
    head = xstrndup(b->text, (size_t)(colon - b->text));
    k = kbw_words(head) <= 6 ? kb_build_words_classify(head) : (struct klass){0};
    free(head);
    if (k.sect < SECT_MISSION || k.sect > SECT_PLEDGE ||
        (b->kind == KB_BLOCK_HEADING && kbw_words(colon + 2) < 3))
        return false;
    /* "Our vision is simple: ..." is a sentence, kept whole. */
    if (kbw_find_ci(b->text, " is ") != NULL && kbw_find_ci(b->text, " is ") < colon)
        return false;
    kbt_set_statement(c, k.sect, colon + 2, b->line);
    return true;
}

/* The quoted text starting at @p (an opening quote), as a new string, or NULL. */
static char *
quoted_at(const char *p)
{
    const char *close;

    if (strncmp(p, "\xe2\x80\x9c", 3) == 0) {
        close = strstr(p + 3, "\xe2\x80\x9d");
        return close ? xstrndup(p + 3, (size_t)(close - p - 3)) : NULL;
    }
    if (*p == '"') {
        close = strchr(p + 1, '"');
        return close ? xstrndup(p + 1, (size_t)(close - p - 1)) : NULL;
    }
    if (strncmp(p, "\xe2\x80\x98", 3) == 0) {
        /* 'single quotes': the closing one is no apostrophe ("it's") */
        for (close = p + 3; (close = strstr(close, "\xe2\x80\x99")) != NULL; close += 3) {
            if (!isalpha((unsigned char)close[3]))
                return xstrndup(p + 3, (size_t)(close - p - 3));
        }
    }
    return NULL;
}

/*
 * "To achieve our vision of improving the health of our patients, we ...":
 * a statement named in passing, from its "-ing" word to the clause's end;
 * kept aside until the page is read (kbt_weak_statements()).
 */
/*
 * "... deliver our ‘Excellent Care Everywhere’ vision": a statement named in
 * passing by its quoted words right before "vision" or "mission" (@word),
 * after "our"; as a new string, or NULL.
 */
static char *
quoted_name_before(const char *s, const char *word)
{
    static const char *const quotes[][2] = {{"\xe2\x80\x98", "\xe2\x80\x99"},
                                            {"\xe2\x80\x9c", "\xe2\x80\x9d"},
                                            {"\"", "\""},
                                            {"'", "'"}};

    for (size_t q = 0; q < sizeof(quotes) / sizeof(quotes[0]); q++) {
        char *tail = xasprintf("%s %s", quotes[q][1], word);
        const char *at = kbw_find_ci(s, tail), *open = NULL;
        size_t ol = strlen(quotes[q][0]);

        free(tail);
        if (at == NULL ||
            isalpha((unsigned char)at[strlen(quotes[q][1]) + 1 + strlen(word)]))
            continue;
        /* the opening quote, the last before the closing one, right after "our " */
        for (const char *p = s; p + ol <= at; p++) {
            if (strncmp(p, quotes[q][0], ol) == 0 && p >= s + 4 &&
                kbw_starts_ci(p - 4, "our ") &&
                (p == s + 4 || !isalpha((unsigned char)p[-5])))
                open = p;
        }
        if (open != NULL && at > open + ol) {
            char *name = xstrndup(open + ol, (size_t)(at - open - ol));

            if (kbw_words(name) >= 2 && kbw_words(name) <= 8)
                return name;
            free(name);
        }
    }
    return NULL;
}

static void
weak_statement(struct bctx *c, const char *s, unsigned line)
{
    static const char *const pats[] = {"our mission of ", "our vision of "};
    static const char *const words[] = {"mission", "vision"};

    for (size_t i = 0; i < 2; i++) {
        char *name = c->weak[i].text == NULL ? quoted_name_before(s, words[i]) : NULL;

        if (name != NULL) {
            c->weak[i].text = name;
            c->weak[i].line = line;
            kbb_where(c, &c->weak[i].page, &c->weak[i].src);
        }
    }
    static const char *const stops[] = {
        ",", ";", ":", " \xe2\x80\x93 ", " - ", " we ", " is ", " are ", NULL};

    for (size_t i = 0; i < 2; i++) {
        const char *p = kbw_find_ci(s, pats[i]), *start;
        size_t wl;
        char *text;

        /* "our" as a word: "your vision of ..." is someone else's */
        while (p != NULL && p > s && isalnum((unsigned char)p[-1]))
            p = kbw_find_ci(p + 1, pats[i]);
        if (p == NULL || c->weak[i].text != NULL)
            continue;
        start = p + strlen(pats[i]);
        wl = strcspn(start, " ,.;");
        if (wl < 5 || strncmp(start + wl - 3, "ing", 3) != 0)
            continue;
        text = kbt_clause_until(start, stops);
        if (kbw_words(text) < 4) {
            free(text);
            continue;
        }
        c->weak[i].text = text;
        c->weak[i].line = line;
        kbb_where(c, &c->weak[i].page, &c->weak[i].src);
    }
    kbp_infinitive_statement(c, s, line);
}

void
kbt_weak_statements(struct bctx *c)
{
    struct kb_text *t[2] = {&c->kb->mission, &c->kb->vision};

    for (size_t i = 0; i < 2; i++) {
        struct kb_text *w = &c->weak[i];

        if (w->text != NULL && t[i]->text == NULL) {
            *t[i] = *w;
            w->text = NULL;
            kbb_report(c, "%s, named in passing, %s", i == 0 ? "mission" : "vision",
                       kbb_at(t[i]->line, t[i]->page).s);
        }
        free(w->text);
        w->text = NULL;
    }
}

/*
 * Statements in a sentence: "Our vision is that ..." (the whole sentence),
 * and "a new vision for the service: "..."" (the quoted text).
 */
void
kbt_sentence_statements(struct bctx *c, const char *s, unsigned line)
{
    static const struct {
        const char *word;
        enum sect sect;
    } kinds[] = {{"mission", SECT_MISSION},
                 {"vision", SECT_VISION},
                 {"purpose", SECT_PURPOSE},
                 {"ambition", SECT_AMBITION}};

    weak_statement(c, s, line);
    if (c->stmt_next != SECT_NONE) {
        enum sect next = c->stmt_next;

        c->stmt_next = SECT_NONE;
        kbt_set_statement(c, next, s, line);
        return;
    }
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        const char *w = kbw_find_ci(s, kinds[i].word), *p;
        size_t wl = strlen(kinds[i].word);

        if (w == NULL || isalpha((unsigned char)w[wl]) ||
            (w > s && isalpha((unsigned char)w[-1])))
            continue;
        /* "Our vision is ...", "Our mission is ... and our vision is ..." */
        /* "It is our vision to deliver ...": the same statement, turned round */
        if (w == s + 10 && kbw_starts_ci(s, "it is our ") &&
            kbw_starts_ci(w + wl, " to ") && !kbw_is_intro(s)) {
            kbt_set_statement(c, kinds[i].sect, s, line);
            continue;
        }
        if (w >= s + 4 && kbw_starts_ci(w - 4, "our ") &&
            (w - 4 == s || (w - 8 >= s && kbw_starts_ci(w - 8, "and "))) &&
            !kbw_is_intro(s) &&
            (kbw_starts_ci(w + wl, " is ") || kbw_starts_ci(w + wl, " is:"))) {
            /* "Our vision is clear." says nothing yet: the next sentence does */
            if (kbw_words(w + wl) <= 3 && kbw_terminal(s))
                c->stmt_next = kinds[i].sect;
            else
                kbt_set_statement(c, kinds[i].sect, s, line);
            continue;
        }
        /* a quote opening within a few words after the keyword */
        for (p = w + wl; *p && p - (w + wl) < 40; p++) {
            /* 'single quotes' name things too ("its vision, 'Care First'"):
               a statement only right after "mission:" or "our mission, " */
            if ((strncmp(p, "\xe2\x80\x9c", 3) == 0 || *p == '"' ||
                 (strncmp(p, "\xe2\x80\x98", 3) == 0 && p == w + wl + 2 &&
                  (w[wl] == ':' ||
                   (w[wl] == ',' && w >= s + 4 && kbw_starts_ci(w - 4, "our "))))) &&
                (p[-1] == ' ' || p[-1] == ':')) {
                char *q = quoted_at(p);

                if (q != NULL && kbw_words(q) >= 3)
                    kbt_set_statement(c, kinds[i].sect, q, line);
                free(q);
                break;
            }
        }
    }
}

/* "one of the main aims being to achieve 'Teaching Trust' status": an ambition, titled.
 */
void
kbt_stated_ambition(struct bctx *c, const char *s, unsigned line)
{
    static const char *const pats[] = {" ambition is to ",
                                       " ambitions is to ",
                                       " aims being to ",
                                       " aim being to ",
                                       " aim is to ",
                                       " aims is to ",
                                       NULL};
    struct kb *kb = c->kb;
    const char *q = NULL, *close;

    for (size_t i = 0; pats[i] != NULL && q == NULL; i++)
        q = kbw_find_ci(s, pats[i]);
    if (q == NULL || kbw_starts_ci(s, "our ambition is"))
        return;
    q = strstr(q, "\xe2\x80\x98");
    if (q == NULL || (close = strstr(q + 3, "\xe2\x80\x99")) == NULL || close - q > 64)
        return;
    for (size_t i = 0; i < kb->nambitions; i++) {
        if (strcmp(kb->ambitions[i].text, s) == 0 ||
            strncmp(kb->ambitions[i].title, q + 3, (size_t)(close - q - 3)) == 0)
            return;
    }
    kb->ambitions =
        xreallocarray(kb->ambitions, kb->nambitions + 1, sizeof(*kb->ambitions));
    kb->ambitions[kb->nambitions++] =
        (struct kb_ambition){.kind = xstrdup("ambition"),
                             .title = xstrndup(q + 3, (size_t)(close - q - 3)),
                             .text = xstrdup(s),
                             .line = line};
    kbb_where(c, &kb->ambitions[kb->nambitions - 1].page,
              &kb->ambitions[kb->nambitions - 1].src);
    kbb_report(c, "ambition '%s', %s", kb->ambitions[kb->nambitions - 1].title,
               kbb_at(line, kb->ambitions[kb->nambitions - 1].page).s);
}

char *
kbt_clause_until(const char *start, const char *const *stops)
{
    const char *end = start + strlen(start);

    for (size_t k = 0; stops[k] != NULL; k++) {
        const char *q = strstr(start, stops[k]);

        if (q != NULL && q < end)
            end = q;
    }
    while (end > start && (end[-1] == '.' || end[-1] == ' '))
        end--;
    return xstrndup(start, (size_t)(end - start));
}
