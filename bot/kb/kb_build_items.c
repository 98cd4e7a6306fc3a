/*
 * kb_build_items.c - values a page writes as statements rather than names:
 * a list punctuated as one sentence ("working together;" / "with trust and
 * respect;" / "to make a difference."), and a run of "We ..." paragraphs
 * right under the values heading ("We are kind and caring to everyone."),
 * each a value named by its own words.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb_build_int.h"

size_t
kb_build_items_len(const char *t)
{
    static const char *const tails[] = {"; and", "; or", ", and", ", or",
                                        ";",     ",",    ".",     NULL};
    size_t n = strlen(t);

    while (n > 0 && t[n - 1] == ' ')
        n--;
    for (size_t i = 0; tails[i] != NULL; i++) {
        size_t m = strlen(tails[i]);

        /* "...." or "etc." keep their dots; a lone "." stays a name's */
        if (n > m + 1 && strncmp(t + n - m, tails[i], m) == 0 && t[n - m - 1] != '.') {
            n -= m;
            break;
        }
    }
    while (n > 0 && t[n - 1] == ' ')
        n--;
    return n;
}

/* Openings of a "We ..." paragraph that says what we will do or have, not what
   we are: a goal or a lead-in, never a value. */
static bool
we_value_start(const char *t)
{
    static const char *const not [] = {
        "we will ", "we'll ",  "we\xe2\x80\x99ll ", "we would ", "we have ", "we can ",
        "we want ", "we aim ", "we need ",          "we must ",  NULL};

    if (!kbw_starts_ci(t, "we ") || !islower((unsigned char)t[3]))
        return false;
    for (size_t i = 0; not [i] != NULL; i++) {
        if (kbw_starts_ci(t, not [i]))
            return false;
    }
    return true;
}

/* The first sentence of @t: its length without the full stop, or 0 when it
   is too short or too long to stand for a value (3 to 40 words). */
static size_t
first_sentence(const char *t)
{
    const char *p = t;
    size_t n;
    char *s;
    size_t words;

    for (;;) {
        p = strpbrk(p, ".!?");
        if (p == NULL) {
            n = strlen(t);
            break;
        }
        if (p[1] == '\0' || p[1] == ' ') {
            n = (size_t)(p - t);
            break;
        }
        p++;
    }
    s = xstrndup(t, n);
    words = kbw_words(s);
    free(s);
    return words >= 3 && words <= 40 ? n : 0;
}

/* Does the first sentence of @t speak of "values" ("We pride ourselves on a
   culture underpinned by 3 values and 5 behaviours."): a sentence about the
   values, which leads in to them and is none of them? */
static bool
speaks_of_values(const char *t)
{
    size_t n = first_sentence(t);
    char *s = xstrndup(t, n > 0 ? n : strlen(t));
    char *w = kbw_lower_words(s);
    bool found = false;

    for (const char *p = w; *p != '\0' && !found;) {
        size_t len = strcspn(p, " ");

        found = kbw_word_is(p, len, "values");
        p += len;
        while (*p == ' ')
            p++;
    }
    free(w);
    free(s);
    return found;
}

bool
kb_build_items_we_lead_in(const char *t)
{
    return we_value_start(t) && speaks_of_values(t);
}

/* Is @b a paragraph that could be one value written as a "We ..." statement:
   a sentence or two, the first of a value's length, not about the values? */
static bool
we_value_block(const struct kb_block *b)
{
    return b->kind == KB_BLOCK_PARAGRAPH && we_value_start(b->text) &&
           first_sentence(b->text) > 0 && kbw_words(b->text) <= 60 &&
           !kbw_is_intro(b->text) && !speaks_of_values(b->text);
}

/* Does "We ..." paragraph @b name its value ("We are caring: we show ...",
   "We are open. We share ..."), as the values section reads it? */
static bool
we_names_value(const struct kb_block *b)
{
    char *name, *def, *first;
    bool named;

    if (kbn_value_line(b->text, b->lead, &name, &def)) {
        free(name);
        free(def);
        return true;
    }
    first = xstrndup(b->text, first_sentence(b->text));
    named = kbw_words(first) < 5;
    free(first);
    return named;
}

size_t
kb_build_items_we_values(struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *p, *end = c->doc->blocks + c->doc->nblocks;
    size_t n = 0, named = 0, at;

    if (c->sect != SECT_VALUES || c->kb->nvalues != c->first_item || c->we_unsure ||
        !we_value_block(b))
        return 0;
    /* only prose between the values heading and the run: a lead-in paragraph,
       which may be a "We ..." sentence about the values */
    for (p = b - 1; p > c->doc->blocks && p->line > c->sect_line; p--) {
        if (p->kind != KB_BLOCK_PARAGRAPH ||
            (we_value_start(p->text) && !speaks_of_values(p->text)))
            return 0;
    }
    for (p = b; p < end && we_value_block(p); p++) {
        n++;
        named += we_names_value(p);
    }
    /* three or more, most naming no value, and nothing else of the section after
       them; where each names its value, the section reads them one by one */
    if (n < 3 || named * 2 >= n || we_names_value(b) ||
        (p < end && p->kind != KB_BLOCK_HEADING &&
         !(p->kind == KB_BLOCK_PARAGRAPH && kbw_title_like(p->text))))
        return 0;
    at = c->i;
    for (p = b; p < b + n; p++) {
        size_t len = first_sentence(p->text);
        char *name = xstrndup(p->text, len);
        const char *rest = p->text + len;

        while (*rest != '\0' && (strchr(".!? ", *rest) != NULL))
            rest++;
        c->i = (size_t)(p - c->doc->blocks);
        kbv_new_value(c, name, rest, p->line, FROM_LINE);
        free(name);
    }
    c->i = at;
    c->we_end = at + n;
    kbb_report(
        c,
        "unsure: %zu values under '%.60s' are written as 'We ...' statements (%s); "
        "each is taken whole as a value's name; check",
        n, c->sect_name ? c->sect_name : "",
        kbb_span(b->line, b->page, b[n - 1].line, b[n - 1].page).s);
    return n;
}

/* Does @t speak of what is to come ("What will be different by 2030", "Our
   plans for the future", "Where we want to be"): a word of intent or a year? */
static bool
says_ahead(const char *t)
{
    static const char *const words[] = {
        "will",       "future",      "ahead",   "want",   "achieve", "aspire",
        "aspiration", "aspirations", "plan",    "plans",  "focus",   "target",
        "targets",    "deliver",     "success", "change", "changes", NULL};
    char *w = kbw_lower_words(t);
    bool found = false;

    for (const char *p = w; *p != '\0' && !found;) {
        size_t len = strcspn(p, " ");

        found = len == 4 && p[0] == '2' && p[1] == '0' && isdigit((unsigned char)p[2]) &&
                isdigit((unsigned char)p[3]);
        for (size_t i = 0; words[i] != NULL && !found; i++)
            found = strlen(words[i]) == len && strncmp(p, words[i], len) == 0;
        p += len;
        while (*p == ' ')
            p++;
    }
    free(w);
    return found;
}

bool
kb_build_items_goal_run_supported(const struct kb_doc *doc, size_t head, size_t first,
                                  size_t end)
{
    const char *h = doc->blocks[head].text;
    size_t labelled = 0;

    if (kb_build_words_classify_mentions_goals(h) || says_ahead(h))
        return true;
    for (size_t j = first; j < end; j++)
        labelled += kb_build_words_classify_goal_prefix(doc->blocks[j].text) > 0;
    return labelled >= 2;
}
