/*
 * kb_build_text.c - what the builder takes from sentences: statements
 * written inline ("Our vision is that ...", "Our vision: ...", a vision in
 * quotes in a news release), the strategy's name, and passages (every
 * sentence with its section; a quote's sentences naming the speaker).
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

/* -- passages ---------------------------------------------------------- */

struct pctx {
    struct bctx *c;
    unsigned line;
    const char *speaker;
    bool first;
};

static void
add_passage(void *arg, const char *s, size_t len)
{
    struct pctx *p = arg;
    struct kb *kb = p->c->kb;
    struct kb_passage *ps;
    char *text = xstrndup(s, len);

    kbw_squeeze(text);
    if (text[0] == '\0') {
        free(text);
        return;
    }
    if (p->speaker != NULL && !p->first) {
        char *t = xasprintf("%s said: %s", p->speaker, text);

        free(text);
        text = t;
    }
    p->first = false;
    if (kb->npassages == p->c->passages_cap) { /* doubling: a long page stays linear */
        p->c->passages_cap = p->c->passages_cap ? p->c->passages_cap * 2 : 64;
        kb->passages =
            xreallocarray(kb->passages, p->c->passages_cap, sizeof(*kb->passages));
    }
    ps = &kb->passages[kb->npassages++];
    ps->section = xstrdup(p->c->heading ? p->c->heading : "");
    ps->text = text;
    ps->line = p->line;
    kbb_where(p->c, &ps->page, &ps->src);
}

/* "Dr A B, Chief Executive, said: "..."": the speaker, as a new string, or NULL. */
static char *
speaker_of(const char *t)
{
    static const char *const verbs[] = {
        " said: ", " says: ",      " added: ",     " adds: ",
        " said, ", " commented: ", " explained: ", NULL};

    for (size_t i = 0; verbs[i] != NULL; i++) {
        const char *v = strstr(t, verbs[i]);
        size_t vl = strlen(verbs[i]);

        if (v != NULL && v - t < 160 &&
            (strncmp(v + vl, "\xe2\x80\x9c", 3) == 0 || v[vl] == '"')) {
            size_t n = (size_t)(v - t);

            while (n > 0 && t[n - 1] == ',')
                n--;
            return xstrndup(t, n);
        }
    }
    return NULL;
}

/*
 * A table row as one passage the answers can quote, each cell after the
 * first under its column's header: "Our people - Target: 7.2 or more;
 * Measure: staff survey".  The first row of a table is its header (as
 * kbr_row() reads it) and no passage.
 */
static void
row_passage(struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *h = c->row_head;
    struct buf text;
    size_t cells = 0;

    if (!c->in_rows) {
        bool header = true;

        c->in_rows = true;
        for (size_t i = 0; i < b->ncells && header; i++)
            header = kbw_words(b->cells[i]) <= 6 && !kbw_terminal(b->cells[i]);
        if (header) {
            c->row_head = b;
            return;
        }
    }
    buf_init(&text, 1u << 16);
    for (size_t i = 0; i < b->ncells; i++) {
        const char *cell = b->cells[i], *head = h != NULL && i > 0 && i < h->ncells &&
                                                        strcmp(h->cells[i], cell) != 0
                                                    ? h->cells[i]
                                                    : "";

        if (cell[0] == '\0')
            continue;
        (void)buf_printf(&text, "%s%s%s%s",
                         cells == 0                     ? ""
                         : cells == 1 && b->cells[0][0] ? " \xe2\x80\x93 "
                                                        : "; ",
                         head, head[0] ? ": " : "", cell);
        cells++;
    }
    if (cells > 0) {
        struct pctx p = {c, b->line, NULL, false};

        add_passage(&p, buf_str(&text), text.len);
    }
    buf_cleanup(&text);
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

void
kbt_passages(struct bctx *c, const struct kb_block *b)
{
    struct pctx p = {c, b->line, NULL, true};
    char *speaker = NULL;

    if (b->kind == KB_BLOCK_ROW) {
        if (c->in_rows && c->i > 0 && c->doc->blocks[c->i - 1].src != b->src) {
            c->row_head = NULL; /* a new page: its table is another */
            c->in_rows = false;
        }
        row_passage(c, b);
        return;
    }
    c->row_head = NULL; /* a table ends at anything else */
    c->in_rows = false;
    if (b->kind == KB_BLOCK_HEADING || kbw_is_nav(b->text))
        return;
    speaker = speaker_of(b->text);
    if (speaker != NULL) {
        free(c->quote_speaker);
        c->quote_speaker = xstrdup(speaker);
        p.speaker = speaker;
    } else if (c->quote_speaker != NULL &&
               (strncmp(b->text, "\xe2\x80\x9c", 3) == 0 || b->text[0] == '"')) {
        p.speaker = c->quote_speaker; /* the quote goes on in a new paragraph */
        p.first = false;
    } else {
        free(c->quote_speaker);
        c->quote_speaker = NULL;
    }
    kbw_each_sentence(b->text, add_passage, &p);
    free(speaker);
}

/* -- the strategy's name ----------------------------------------------- */

/* A name as a page writes it: capitalised, a few words. */
static char *
name_if_ok(const char *s, size_t n)
{
    char *raw = xstrndup(s, n), *out;

    kbw_squeeze(raw);
    out = kbw_strip_years(raw);
    free(raw);
    while (strlen(out) > 0 && strchr(".,:;", out[strlen(out) - 1]))
        out[strlen(out) - 1] = '\0';
    if (out[0] == '\0' || kbw_words(out) > 7 ||
        !(isupper((unsigned char)out[0]) || isdigit((unsigned char)out[0])) ||
        kbw_starts_ci(out, "our ") || kbw_starts_ci(out, "the ") ||
        kbw_starts_ci(out, "this ") || kbw_starts_ci(out, "it ")) {
        free(out);
        return NULL;
    }
    return out;
}

static char *
name_after_comma_at(const char *p, size_t wl)
{
    const char *q = p + wl, *e;

    if (kbw_starts_ci(q, " for ")) { /* "strategy for 2025 to 2030, " */
        const char *comma = strstr(q, ", ");

        if (comma == NULL || comma - q > 24 || !isdigit((unsigned char)q[5]))
            return NULL;
        q = comma;
    }
    if (strncmp(q, ", ", 2) != 0)
        return NULL;
    q += 2;
    for (e = strstr(q, ", "); e != NULL; e = strstr(e + 2, ", ")) {
        if (islower((unsigned char)e[2]))
            return name_if_ok(q, (size_t)(e - q));
    }
    return NULL;
}

static char *
name_after_comma(const char *t, const char *word)
{
    size_t wl = strlen(word);

    for (const char *p = t; (p = kbw_find_ci(p, word)) != NULL; p += wl) {
        char *name;

        if (p > t && isalpha((unsigned char)p[-1]))
            continue;
        if ((name = name_after_comma_at(p, wl)) != NULL)
            return name;
    }
    return NULL;
}

/* "... from Fit for Morrowfield 2021-2026 remain ...": a name before a span of years
   (kbp_year_span()). */
static char *
name_before_years(const char *t)
{
    for (const char *p = t; *p; p++) {
        const char *start, *w;
        size_t n;

        /* "2021-2026", "2022 – 26", "(2021-26)" */
        if ((p > t && p[-1] != ' ') || kbp_year_span(p) == 0)
            continue;
        /* back over capitalised words and small joining words, to a capital */
        start = NULL;
        for (w = p - 1; w > t;) {
            const char *ws = w;

            while (ws > t && ws[-1] != ' ')
                ws--;
            n = (size_t)(w - ws);
            if (isupper((unsigned char)*ws))
                start = ws;
            else if (!(n == 3 && strncmp(ws, "for", 3) == 0) &&
                     !(n == 3 && strncmp(ws, "and", 3) == 0) &&
                     !(n == 2 && strncmp(ws, "of", 2) == 0) &&
                     !(n == 2 && strncmp(ws, "to", 2) == 0))
                break;
            if (ws == t)
                break;
            w = ws - 1;
        }
        if (start != NULL && start < p - 1)
            return name_if_ok(start, (size_t)(p - 1 - start));
    }
    return NULL;
}

static char *
strategy_in(const char *t)
{
    const char *p, *e;
    char *name = NULL;

    /* "Closer to Home is our five-year strategy." ("Our Journey to Change" too) */
    if ((p = kbw_find_ci(t, " is our ")) != NULL &&
        (e = kbw_find_ci(p, "strategy")) != NULL && e - p < 40 &&
        kbw_words(t) - kbw_words(p) <= 7) {
        char *raw = xstrndup(t, (size_t)(p - t));

        name = kbw_strip_years(raw);
        free(raw);
        if (isupper((unsigned char)name[0]))
            return name;
        free(name);
        name = NULL;
    }
    /* "Our strategy: Steady Ground 2024-2029", "Our Strategy 2024-2029: Moving Forward"
     */
    if (kbw_starts_ci(t, "our strategy") && (p = strstr(t, ": ")) != NULL && p - t < 30 &&
        (name = name_if_ok(p + 2, strlen(p + 2))) != NULL)
        return name;
    /* "Mind the Future: our strategy for 2025-2030" */
    if ((p = kbw_find_ci(t, ": our strategy")) != NULL &&
        (name = name_if_ok(t, (size_t)(p - t))) != NULL)
        return name;
    /* "Our strategy, Care You Can Count On, runs ...", "its new strategy, Brighter
     * Together, at", "our joint forward plan, Healthy Eastmere, in July", "Our strategy
     * for 2025 to 2030, One Hospital, Two Towns, brings": the name runs to the comma
     * before a word in lower case */
    if ((name = name_after_comma(t, "strategy")) != NULL ||
        (name = name_after_comma(t, "plan")) != NULL)
        return name;
    /* "Our strategy for 2024 to 2029 is called Valley Health." */
    if ((p = kbw_find_ci(t, " is called ")) != NULL &&
        (name = name_if_ok(p + 11, strcspn(p + 11, ".,;"))) != NULL)
        return name;
    /* "launches 'Every Second Counts' strategy", "'People at our Heart' sets out" */
    for (p = t; *p; p++) {
        size_t ql = strncmp(p, "\xe2\x80\x98", 3) == 0 ? 3 : *p == '\'' ? 1 : 0;
        const char *close;

        if (ql == 0 || (p > t && isalnum((unsigned char)p[-1])))
            continue;
        close = ql == 3 ? strstr(p + 3, "\xe2\x80\x99") : strchr(p + 1, '\'');
        if (close == NULL)
            break;
        if ((kbw_starts_ci(close + ql, " strategy") ||
             kbw_starts_ci(close + ql, " trust strategy") ||
             (p >= t + 9 && kbw_find_ci(p - 10 > t ? p - 10 : t, "strategy") != NULL &&
              kbw_find_ci(p - 10 > t ? p - 10 : t, "strategy") < p)) &&
            (name = name_if_ok(p + ql, (size_t)(close - p - ql))) != NULL)
            return name;
        p = close;
    }
    return NULL;
}

char *
kbt_strategy(const struct kb_doc *doc)
{
    for (size_t i = 0; i < doc->nblocks; i++) {
        char *n = strategy_in(doc->blocks[i].text);

        if (n != NULL)
            return n;
    }
    /* last: a name written before its years, anywhere */
    for (size_t i = 0; i < doc->nblocks; i++) {
        char *n = doc->blocks[i].kind == KB_BLOCK_PARAGRAPH
                      ? name_before_years(doc->blocks[i].text)
                      : NULL;

        if (n != NULL)
            return n;
    }
    return xstrdup("");
}

/* -- strategy text ----------------------------------------------------- */

#define STRAT_WORDS 80 /* words of a sentence looked at */

/*
 * The words of @t in lower case, letters only, "'s" kept ("trust's", the
 * curly apostrophe as a straight one), into @buf (of @size); their starts in
 * @w.  Returns how many (at most STRAT_WORDS).
 */
static size_t
lower_words(const char *t, char *buf, size_t size, const char *w[STRAT_WORDS])
{
    size_t n = 0, o = 0;
    bool in = false;

    for (const unsigned char *p = (const unsigned char *)t; *p && o + 2 < size; p++) {
        size_t apos = *p == '\''                                       ? 1
                      : (p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0x99) ? 3
                                                                       : 0;

        if (isalpha(*p)) {
            if (!in && n == STRAT_WORDS)
                break;
            if (!in)
                w[n++] = buf + o;
            in = true;
            buf[o++] = (char)tolower(*p);
        } else if (in && apos > 0 && isalpha(p[apos])) {
            buf[o++] = '\'';
            p += apos - 1;
        } else if (in) {
            buf[o++] = '\0';
            in = false;
        }
    }
    buf[o] = '\0';
    return n;
}

/*
 * Does @t speak of the organisation's own strategy: a word for a part of it
 * ("strategy", "vision", "values", "priorities", "plan", ...) after "our",
 * "the", "this", "these", "its" or a possessive ("the Trust's"), with at most
 * two words between ("this two-year strategy", "the revised Together
 * Strategy")?  "National priorities" and "the principles and values of the
 * NHS" do not.
 */
static bool
speaks_of_strategy(const char *t)
{
    static const char *const parts[] = {
        "strategy", "strategies", "strategic", "vision",     "mission",     "values",
        "purpose",  "ambition",   "ambitions", "priorities", "objectives",  "goals",
        "aims",     "plan",       "plans",     "roadmap",    "commitments", NULL};
    static const char *const dets[] = {"our", "the", "this", "these", "its", NULL};
    char buf[1024];
    const char *w[STRAT_WORDS];
    size_t n = lower_words(t, buf, sizeof(buf), w);

    for (size_t i = 1; i < n; i++) {
        bool part = false;

        for (size_t k = 0; parts[k] != NULL && !part; k++)
            part = strcmp(w[i], parts[k]) == 0;
        for (size_t back = 1; part && back <= 3 && back <= i; back++) {
            const char *d = w[i - back];
            size_t dl = strlen(d);

            for (size_t k = 0; dets[k] != NULL; k++) {
                if (strcmp(d, dets[k]) == 0)
                    return true;
            }
            if (dl > 2 && d[dl - 2] == '\'' && d[dl - 1] == 's')
                return true;
        }
    }
    return false;
}

/* The number of items of six words or more, ending a sentence, in the list that
   starts at block @i or after one paragraph there. */
static size_t
list_of_sentences(const struct kb_doc *doc, size_t i)
{
    size_t n = 0, list;

    if (i < doc->nblocks && doc->blocks[i].kind == KB_BLOCK_PARAGRAPH)
        i++;
    if (i >= doc->nblocks || doc->blocks[i].kind != KB_BLOCK_ITEM)
        return 0;
    list = doc->blocks[i].list;
    for (; i < doc->nblocks && doc->blocks[i].kind == KB_BLOCK_ITEM &&
           doc->blocks[i].list == list;
         i++) {
        const char *t = doc->blocks[i].text;
        size_t len = strlen(t);

        n += kbw_words(t) >= 6 && len > 0 && t[len - 1] == '.';
    }
    return n;
}

bool
kbt_has_strategy_text(const struct bctx *c)
{
    const struct kb *kb = c->kb;
    size_t sentences = 0, headings = 0;

    for (size_t i = 0; i < kb->npassages; i++) {
        const char *t = kb->passages[i].text;
        size_t len = strlen(t);

        /* a question asks about the strategy, a link points to it: neither states
           any of it */
        if (len == 0 || t[len - 1] == '?' || kbw_words(t) < 6 || kbw_link_text(t))
            continue;
        sentences += speaks_of_strategy(t);
    }
    for (size_t i = 0; i < c->doc->nblocks; i++) {
        const struct kb_block *b = &c->doc->blocks[i];

        if (b->kind == KB_BLOCK_HEADING && kbw_words(b->text) >= 3 &&
            !kbw_link_text(b->text) && speaks_of_strategy(b->text)) {
            headings++;
            /* "Our beliefs and values" over a list of three or more sentences
               (after a lead-in, perhaps): the list states them */
            if (list_of_sentences(c->doc, i + 1) >= 3)
                sentences++;
        }
    }
    return sentences >= 1 && sentences + headings >= KB_BUILD_MIN_STRATEGY;
}
