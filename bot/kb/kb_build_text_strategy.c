/*
 * kb_build_text_strategy.c - the strategy's name, and whether the page states
 * enough of its own strategy to be built into passages alone.  Moved out of
 * kb_build_text.c unchanged.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/buf.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb_build_int.h"
#include "bot/kb/kb_build_prose_check.h"

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
kb_build_text_strategy_name(const struct kb_doc *doc)
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
kb_build_text_strategy_has_text(const struct bctx *c)
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
    /* or running sentences about the organisation: what it is, does, plans */
    return (sentences >= 1 && sentences + headings >= KB_BUILD_MIN_STRATEGY) ||
           kb_build_prose_check_is_about_org(kb);
}
