/*
 * kb_build.c - strategy document to KB: the walk over the document model.
 *
 * kb_build_doc() reads the blocks of a kb_doc in order.  A heading, a short
 * title-like line or a lead-in sentence ending in ':' opens a section when
 * it says what it introduces (kb_build_words.c): a statement (mission,
 * vision, purpose, ambition, "why we exist", True North), whose text is
 * the next block; goals of any name; values.  Inside goals and values the
 * blocks beneath become items (kb_build_goals.c, kb_build_values.c).  Statements written
 * in a sentence, values listed in a sentence and passages come from every paragraph
 * (kb_build_text.c).  Then: values from a sentence when no section listed any, goals from
 * the fallbacks, duplicates dropped, and a report of what was found where and what the
 * builder is unsure of.
 *
 * kb_build() is kb_build_doc() over one source read by its reader.
 */
#include "bot/kb/kb_build.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/buf.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_build_int.h"
#include "bot/kb/kb_doc.h"

void
kbb_where(const struct bctx *c, unsigned *page, unsigned *src)
{
    const struct kb_block *b = c->i < c->doc->nblocks ? &c->doc->blocks[c->i] : NULL;

    *page = b ? b->page : 0;
    *src = b && c->doc->nsources > 1 ? b->src : 0;
}

void
kbb_report(struct bctx *c, const char *fmt, ...)
{
    va_list ap;
    char line_buf[512], *line;

    va_start(ap, fmt);
    vsnprintf(line_buf, sizeof(line_buf), fmt, ap);
    va_end(ap);
    if (c->nreport >= KB_BUILD_MAX_REPORT) {
        c->report_dropped++;
        return;
    }
    line = xstrdup(line_buf);
    if (c->nreport == c->report_cap) {
        c->report_cap = c->report_cap ? c->report_cap * 2 : 16;
        c->report = xreallocarray(c->report, c->report_cap, sizeof(*c->report));
    }
    c->report[c->nreport++] = line;
}

struct kbb_at
kbb_at(unsigned line, unsigned page)
{
    struct kbb_at a;

    if (line == 0 && page > 0)
        snprintf(a.s, sizeof(a.s), "page %u", page);
    else
        snprintf(a.s, sizeof(a.s), "line %u", line);
    return a;
}

struct kbb_at
kbb_span(unsigned line1, unsigned page1, unsigned line2, unsigned page2)
{
    struct kbb_at a;

    if (line1 == 0 && page1 > 0) {
        if (page2 > page1)
            snprintf(a.s, sizeof(a.s), "pages %u-%u", page1, page2);
        else
            snprintf(a.s, sizeof(a.s), "page %u", page1);
    } else {
        snprintf(a.s, sizeof(a.s), "lines %u-%u", line1, line2);
    }
    return a;
}

struct kbb_at
kbb_at_block(const struct kb_block *b)
{
    return kbb_at(b->line, b->page);
}

static const char *
from_words(enum from f)
{
    switch (f) {
    case FROM_HEADING:
        return "headings";
    case FROM_LABEL:
        return "labelled lines";
    case FROM_LINE:
        return "'Name: text' lines";
    case FROM_ITEM:
        return "a list";
    case FROM_BARE:
        return "bare lines";
    case FROM_ROW:
        return "a table";
    case FROM_PARA:
        return "paragraphs saying what will be done";
    default:
        return "lines";
    }
}

/* The section's heading for the report: of a lead-in, the sentence naming the list. */
static void
short_name(const struct bctx *c, char *out, size_t size)
{
    const char *s = c->sect_name ? c->sect_name : "", *word, *p, *e;
    size_t n;

    word = strrchr(c->k.label, ' ') ? strrchr(c->k.label, ' ') + 1
           : c->k.label[0]          ? c->k.label
                                    : "values";
    for (p = s; (e = strstr(p, ". ")) != NULL; p = e + 2) {
        char *sentence = xstrndup(p, (size_t)(e - p));
        bool names = kbw_find_ci(sentence, word) != NULL;

        free(sentence);
        if (names) {
            s = p;
            break;
        }
        s = e + 2;
    }
    e = strstr(s, ". ");
    n = e ? (size_t)(e - s) : strlen(s);
    if (n + 1 > size) {
        /* keep the end, where a lead-in names what follows; whole UTF-8 characters */
        s += n - (size - 8);
        while ((*s & 0xc0) == 0x80)
            s++;
        n = strlen(s) - (e ? strlen(e) : 0);
        snprintf(out, size, "...%.*s", (int)n, s);
        return;
    }
    snprintf(out, size, "%.*s", (int)n, s);
}

/* Reports what the section that is closing gave. */
void
kbb_close_section(struct bctx *c)
{
    size_t n;
    char name[72];

    short_name(c, name, sizeof(name));

    if (c->sect == SECT_GOALS || c->sect == SECT_VALUES) {
        bool goals = c->sect == SECT_GOALS;
        const char *what = goals ? (c->k.label[0] ? c->k.label : "goals") : "values";

        n = (goals ? c->kb->ngoals : c->kb->nvalues) - c->first_item;
        if (!goals && n == 1 && !c->extra &&
            (c->item_from == FROM_BARE || c->item_from == FROM_HEADING)) {
            /* one line under a values heading, with no behaviours and nothing like
               it after: a page's values are never one, and a lone line is a caption
               or a title */
            struct kb_value *v = &c->kb->values[c->kb->nvalues - 1];

            if (v->nbehaviours == 0) {
                kbb_report(
                    c,
                    "unsure: '%s' (%s) is the only line under '%s' read as a value; "
                    "not taken; check",
                    v->name, kbb_at(v->line, v->page).s, name);
                free(v->name);
                free(v->description);
                free(v->behaviours);
                c->kb->nvalues--;
                n = 0;
            }
        }
        if (n == 0 && !c->extra && !c->in_table && !c->named)
            kbb_report(c, "unsure: nothing under '%s' (%s) could be read as %s; check",
                       name, kbb_at(c->sect_line, c->sect_page).s, what);
        if (c->extra) {
            kbb_report(c,
                       "unsure: a further list of %s under '%s', %s, not taken: the "
                       "first list was; check",
                       what, name, kbb_at(c->sect_line, c->sect_page).s);
        } else if (n > 0) {
            unsigned first = goals ? c->kb->goals[c->first_item].line
                                   : c->kb->values[c->first_item].line;
            unsigned last = goals ? c->kb->goals[c->kb->ngoals - 1].line
                                  : c->kb->values[c->kb->nvalues - 1].line;
            unsigned pfirst = goals ? c->kb->goals[c->first_item].page
                                    : c->kb->values[c->first_item].page;
            unsigned plast = goals ? c->kb->goals[c->kb->ngoals - 1].page
                                   : c->kb->values[c->kb->nvalues - 1].page;

            char names[200] = "";

            for (size_t i = c->first_item; !goals && i < c->kb->nvalues; i++) {
                size_t used = strlen(names);

                snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : ": ",
                         c->kb->values[i].name);
            }
            kbb_report(c, "%zu %s under '%s', %s, from %s%s", n, what, name,
                       kbb_span(first, pfirst, last, plast).s, from_words(c->item_from),
                       names);
            if (goals) {
                c->goals_report = c->nreport; /* 1 + its index; dropped with the goals */
                c->goals_from = c->item_from;
            }
            if (c->k.count > 0 && c->k.count != n)
                kbb_report(
                    c, "unsure: the page says %u %s but %zu were found under '%s'; check",
                    c->k.count, what, n, name);
        }
    }
    c->sect = SECT_NONE;
    c->statement_due = false;
    c->extra = false;
    c->k = (struct klass){0};
    c->item_from = c->cur_from = FROM_NONE;
    c->sub_intro = false;
    free(c->beh_prefix);
    c->beh_prefix = NULL;
    c->we_unsure = false;
    c->named = c->beh_heading = false;
    c->named_level = 0;
    c->loose_end = 0;
    c->sent_end = 0;
    c->sub_lists = false;
    c->group_gap = 0;
    c->part_lead = false;
}

static void
drop_goals(struct kb *kb)
{
    for (size_t i = 0; i < kb->ngoals; i++) {
        struct kb_goal *g = &kb->goals[i];

        free(g->title);
        free(g->description);
        for (size_t k = 0; k < g->npoints; k++)
            free(g->points[k].text);
        free(g->points);
    }
    kb->ngoals = 0;
}

/* Are the goals so far bare lines or headings, none with points and none but
   the last with a description (the paragraph after the run)? */
static bool
bare_titles(const struct bctx *c)
{
    if (c->goals_from != FROM_HEADING && c->goals_from != FROM_BARE)
        return false;
    for (size_t i = 0; i < c->kb->ngoals; i++) {
        if ((c->kb->goals[i].description[0] != '\0' && i + 1 < c->kb->ngoals) ||
            c->kb->goals[i].npoints > 0)
            return false;
    }
    return true;
}

/* Takes back the report line of goals about to be dropped, if it was written. */
static void
withdraw_goals_report(struct bctx *c)
{
    size_t at;

    if (c->goals_report == 0)
        return;
    at = c->goals_report - 1;
    free(c->report[at]);
    memmove(&c->report[at], &c->report[at + 1],
            (c->nreport - at - 1) * sizeof(*c->report));
    c->nreport--;
    c->goals_report = 0;
}

static void
open_section(struct bctx *c, const struct kb_block *b, struct klass k)
{
    kbb_close_section(c);
    c->sect = k.sect;
    c->k = k;
    free(c->sect_name);
    c->sect_name = xstrdup(b->text);
    if (c->sect_name[0] && c->sect_name[strlen(c->sect_name) - 1] == ':')
        c->sect_name[strlen(c->sect_name) - 1] = '\0';
    c->sect_line = b->line;
    c->sect_page = b->page;
    c->statement_due = k.sect >= SECT_MISSION && k.sect <= SECT_PLEDGE;
    if (k.sect == SECT_GOALS && c->kb->ngoals >= 2 && bare_titles(c) &&
        b->kind == KB_BLOCK_PARAGRAPH && kbw_is_intro(b->text)) {
        /* short lines under a heading, with nothing of their own ("Plans",
           "Trust-wide annual plan", "2022-2023": a title wrapped in a narrow
           column), then a lead-in naming the goals over its list: the lines
           were no goals */
        withdraw_goals_report(c);
        kbb_report(c,
                   "unsure: dropped %zu goals read from bare lines (%s): a lead-in "
                   "naming the goals follows",
                   c->kb->ngoals, kbb_at(c->kb->goals[0].line, c->kb->goals[0].page).s);
        drop_goals(c->kb);
    }
    if (k.sect == SECT_GOALS && c->kb->ngoals == 1) {
        /* a list of one was no list: the heading above it named the page */
        withdraw_goals_report(c);
        kbb_report(c, "unsure: dropped the goal '%s' (%s): a list of goals follows",
                   c->kb->goals[0].title,
                   kbb_at(c->kb->goals[0].line, c->kb->goals[0].page).s);
        drop_goals(c->kb);
    }
    if (k.sect == SECT_GOALS) {
        c->first_item = c->kb->ngoals;
        c->extra = c->kb->ngoals > 0;
        if (!c->extra && k.label[0]) {
            free(c->kb->goals_label);
            c->kb->goals_label = xstrdup(k.label);
        }
    } else if (k.sect == SECT_VALUES) {
        c->first_item = c->kb->nvalues;
        c->extra = c->kb->nvalues > 0;
    }
}

struct sctx {
    struct bctx *c;
    unsigned line;
};

static void
scan_sentence(void *arg, const char *s, size_t len)
{
    struct sctx *x = arg;
    char *t = xstrndup(s, len);

    kbw_squeeze(t);
    kbt_sentence_statements(x->c, t, x->line);
    kbt_stated_ambition(x->c, t, x->line);
    kbn_inline_values(x->c, t, x->line);
    kbi_dashed_values(x->c, t, x->line);
    free(t);
}

/* A lead-in of one sentence and a few words, a bracketed gloss not counted. */
static bool
short_lead_in(const char *t)
{
    char *w;
    bool ok;

    if (strstr(t, ". ") != NULL)
        return false;
    w = kbw_lower_words(t);
    ok = kbw_words(w) <= 8;
    free(w);
    return ok;
}

/* @p continues the run of items (one list) or paragraphs that starts at @b. */
static bool
same_run(const struct kb_block *b, const struct kb_block *p)
{
    if (p->kind != b->kind)
        return false;
    return b->kind == KB_BLOCK_ITEM ? p->list == b->list
                                    : !kbw_is_intro(p->text) && !kbw_title_like(p->text);
}

/* A statement written as a lead-in and a list: "We will: a; b; c". */
static void
statement_list(struct bctx *c, const struct kb_block *b)
{
    struct buf text;
    const struct kb_block *end = c->doc->blocks + c->doc->nblocks;

    buf_init(&text, 1u << 16);
    if (c->stmt_intro != NULL)
        (void)buf_printf(&text, "%s", c->stmt_intro);
    for (const struct kb_block *p = b; p < end && p - b < 8 && same_run(b, p); p++) {
        size_t n = strlen(p->text);

        (void)buf_printf(&text, "%s%.*s%s", text.len ? " " : "",
                         (int)(n && p->text[n - 1] == '.' ? n - 1 : n), p->text,
                         p + 1 < end && same_run(b, p + 1) ? ";" : ".");
    }
    kbt_set_statement(c, c->sect, buf_str(&text), b->line);
    buf_cleanup(&text);
}

/* The all-capitals word (2 to 8 letters, not "NHS") in @t, copied to @out; false if
   none. */
static bool
acronym_in(const char *t, char *out, size_t size)
{
    for (const char *p = t; *p; p++) {
        size_t n = 0;

        if (p > t && isalpha((unsigned char)p[-1]))
            continue;
        while (isupper((unsigned char)p[n]))
            n++;
        if (n >= 2 && n <= 8 && n < size && !isalpha((unsigned char)p[n]) &&
            strncmp(p, "NHS", 3) != 0) {
            memcpy(out, p, n);
            out[n] = '\0';
            return true;
        }
    }
    return false;
}

/* Do the items of the list after @b begin with the letters of @acr, in order? */
static bool
initials_spell(const struct bctx *c, const struct kb_block *b, const char *acr)
{
    const struct kb_block *p = b + 1, *end = c->doc->blocks + c->doc->nblocks;
    size_t n = strlen(acr), k = 0;

    unsigned list;

    if (p < end && p->kind == KB_BLOCK_PARAGRAPH && !kbw_title_like(p->text))
        p++; /* a sentence between the heading and its list */
    list = p < end ? p->list : 0;
    for (; p < end && k < n && p->kind == KB_BLOCK_ITEM && p->list == list; p++, k++) {
        if (toupper((unsigned char)p->text[0]) != acr[k])
            return false;
    }
    return k == n && (p == end || p->kind != KB_BLOCK_ITEM || p->list != (p - 1)->list);
}

/*
 * A heading that names the values after other words: "Proud to CARE - our
 * values for the way we behave" (the values at the start of a part after a
 * dash or colon), or a heading with "values" whose acronym the initials of
 * the list under it spell.
 */
static bool
names_values_later(const struct bctx *c, const struct kb_block *b)
{
    const char *t = b->text, *p;
    char acr[9];

    if (!(b->kind == KB_BLOCK_HEADING ||
          (b->kind == KB_BLOCK_PARAGRAPH && !kbw_terminal(t))) ||
        kbw_words(t) > 20)
        return false;
    /* "The HEART of our culture", "Our PROUD behaviours:": no "values", but words
       that introduce them, and the list's initials spell the acronym (a list
       spelling "SBAR" under a heading on handovers is no values) */
    if (acronym_in(t, acr, sizeof(acr)) && kbw_introduces_values(t) &&
        initials_spell(c, b, acr))
        return true;
    if (kbw_is_intro(t))
        return false;
    for (p = t; (p = kbw_find_ci(p, "values")) != NULL; p += 6) {
        const char *q = p;

        if ((p > t && isalpha((unsigned char)p[-1])) || isalpha((unsigned char)p[6]))
            continue;
        if (q - t >= 4 && (kbw_starts_ci(q - 4, "our ") || kbw_starts_ci(q - 4, "the ")))
            q -= 4;
        while (q > t && q[-1] == ' ')
            q--;
        /* the part before ends in a dash or a colon */
        if (q > t && (q[-1] == ':' || q[-1] == '-' ||
                      (q - t >= 3 && (unsigned char)q[-3] == 0xe2 &&
                       (unsigned char)q[-2] == 0x80 &&
                       ((unsigned char)q[-1] == 0x93 || (unsigned char)q[-1] == 0x94))))
            return true;
        return acronym_in(t, acr, sizeof(acr)) && initials_spell(c, b, acr);
    }
    return false;
}

/* The last sentence of @t (borrowed). */
static const char *
last_sentence(const char *t)
{
    const char *last = t;

    for (const char *p = t; (p = strstr(p, ". ")) != NULL; p += 2)
        last = p + 2;
    return last;
}

/*
 * "... we will achieve this through our CARES values." then a name on a
 * line of its own (a heading, or a short line), perhaps with a sentence
 * under it, for each letter of the acronym in turn: the values are named
 * after the sentence.
 */
static bool
acronym_names_follow(const struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *p = b + 1, *end = c->doc->blocks + c->doc->nblocks;
    const char *s = last_sentence(b->text), *at;
    char acr[9];
    size_t n, k = 0;

    if (b->kind != KB_BLOCK_PARAGRAPH || !acronym_in(s, acr, sizeof(acr)) ||
        (at = strstr(s, acr)) == NULL || !kbw_starts_ci(at + strlen(acr), " values"))
        return false;
    n = strlen(acr);
    for (; p < end && k < n; k++) {
        if (!(p->kind == KB_BLOCK_HEADING ||
              (p->kind == KB_BLOCK_PARAGRAPH && kbw_title_like(p->text))) ||
            toupper((unsigned char)p->text[0]) != acr[k] || kbw_words(p->text) > 5)
            return false;
        p++;
        if (p < end && p->kind == KB_BLOCK_PARAGRAPH && !kbw_title_like(p->text) &&
            !kbw_is_intro(p->text))
            p++;
    }
    return k == n;
}

/* Is there a list of exactly @n items after @b, perhaps after a lead-in ending ':'? */
static bool
list_of(const struct bctx *c, const struct kb_block *b, unsigned n)
{
    const struct kb_block *p = b + 1, *end = c->doc->blocks + c->doc->nblocks;
    unsigned k = 0, list;

    if (p < end && p->kind == KB_BLOCK_PARAGRAPH && kbw_is_intro(p->text))
        p++;
    if (p >= end || p->kind != KB_BLOCK_ITEM)
        return false;
    list = p->list;
    for (; p < end && p->kind == KB_BLOCK_ITEM && p->list == list; p++)
        k += p->level <= 1;
    return k == n;
}

/*
 * Are there exactly @n groups of items right after @b (perhaps after a lead-in
 * ending ':'), each of two items or more, with no heading between: the @n
 * goals a sentence counts, each written as its list ("three overall
 * priorities" over three lists whose headings are images)?  Groups are told
 * apart by a new list or by a wider gap of lines than inside each group.
 * Returns the widest gap (in lines) inside a group, 0 if no such groups.
 */
static unsigned
lists_of(const struct bctx *c, const struct kb_block *b, unsigned n)
{
    const struct kb_block *p = b + 1, *first, *end = c->doc->blocks + c->doc->nblocks;
    unsigned inner = ~0u, groups = 1, items = 1;

    if (p < end && p->kind == KB_BLOCK_PARAGRAPH && kbw_is_intro(p->text))
        p++;
    if (p >= end || p->kind != KB_BLOCK_ITEM || kbb_pos(p) == 0)
        return 0;
    first = p;
    /* the narrowest gap between two items of a list is the gap inside a group; a
       wider one, or a new list, opens the next group */
    for (p = first + 1; p < end && p->kind == KB_BLOCK_ITEM; p++) {
        if (p->level > 1 || p->page != (p - 1)->page || kbb_pos(p) <= kbb_pos(p - 1))
            return 0;
        if (p->list == (p - 1)->list && kbb_pos(p) - kbb_pos(p - 1) < inner)
            inner = kbb_pos(p) - kbb_pos(p - 1);
    }
    for (p = first + 1; p < end && p->kind == KB_BLOCK_ITEM; p++) {
        if (p->list != (p - 1)->list || kbb_pos(p) - kbb_pos(p - 1) > inner) {
            if (items < 2)
                return 0;
            groups++;
            items = 0;
        }
        items++;
    }
    return groups == n && items >= 2 && inner != ~0u ? inner : 0;
}

/* Does @sentence go on for more than a few words after naming @name? */
static bool
list_then_more(const char *sentence, const char *name)
{
    const char *at = kbw_find_ci(sentence, name);

    return at != NULL && kbw_words(at + strlen(name)) > 3;
}

/*
 * A heading (or a title line) that states the statement it names: "Our
 * vision is to be a leader in healthcare", "Our mission is to Care, Achieve
 * and Innovate".  Takes it and returns true; false for a heading that only
 * names one ("Our vision", "Our vision is simple:").
 */
static bool
heading_statement(struct bctx *c, const struct kb_block *b)
{
    const char *t = b->text, *is = kbw_find_ci(t, " is ");
    char *head;
    struct klass k;

    if (!kbw_starts_ci(t, "our ") || is == NULL || strpbrk(t, ":;") != NULL ||
        kbw_words(is + 4) < 3 || kbw_words(t) > 30)
        return false;
    head = xstrndup(t, (size_t)(is - t));
    k = kbw_words(head) <= 3 ? kbw_classify(head) : (struct klass){0};
    free(head);
    if (k.sect != SECT_MISSION && k.sect != SECT_VISION && k.sect != SECT_PURPOSE)
        return false;
    kbb_close_section(c);
    kbt_set_statement(c, k.sect, t, b->line);
    return true;
}

/* The number of items (at the top level) of the list right after @b, perhaps after a
   lead-in ending ':'; 0 if no list follows. */
static unsigned
list_after(const struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *p = b + 1, *end = c->doc->blocks + c->doc->nblocks;
    unsigned k = 0, list;

    if (p < end && p->kind == KB_BLOCK_PARAGRAPH && kbw_is_intro(p->text))
        p++;
    if (p >= end || p->kind != KB_BLOCK_ITEM)
        return 0;
    list = p->list;
    for (; p < end && p->kind == KB_BLOCK_ITEM && p->list == list; p++)
        k += p->level <= 1;
    return k;
}

/* Does a sentence of @t point to what follows it as the goals ("The headings below
   are our key strategic goals.", "Our objectives are set out below.")? */
static bool
goals_below(const char *t)
{
    char *w = kbw_lower_words(t);
    bool below = false;

    for (const char *p = w; *p && !below;) {
        size_t len = strcspn(p, " ");

        below = (len == 5 && strncmp(p, "below", 5) == 0) ||
                (len == 9 && strncmp(p, "following", 9) == 0);
        p += len;
        while (*p == ' ')
            p++;
    }
    free(w);
    return below && kbw_mentions_goals(t);
}

/* Is @t a lead-in alone on its line ("We will", "We will not:")?  Under each value
   the page repeats it: a label over the list, not a picture's repeated text. */
static bool
lead_in_line(const char *t)
{
    const char *rest = NULL;

    return kbn_field_of(t, &rest) != FIELD_NONE && *rest == '\0';
}

static void
on_block(struct bctx *c, const struct kb_block *b)
{
    const char *t = b->text;
    char *undecorated = NULL;
    const char *ht = t; /* the text classified: a heading's trailing "..." dropped */
    bool titlish;

    if (c->skip_due || c->skip_list != 0) {
        /* the list after a lead-in to sources or examples: passages only */
        if (b->kind == KB_BLOCK_ITEM && (c->skip_due || b->list == c->skip_list)) {
            c->skip_list = b->list;
            c->skip_due = false;
            return;
        }
        c->skip_due = false;
        c->skip_list = 0;
    }
    if (kbw_ellipsis(t) > 0 && kbw_words(t) <= 6 &&
        (b->kind == KB_BLOCK_HEADING || b->kind == KB_BLOCK_PARAGRAPH)) {
        /* "Our new look Values..." */
        undecorated = xstrndup(t, strlen(t) - kbw_ellipsis(t));
        kbw_squeeze(undecorated);
        ht = undecorated;
    } else if (b->kind == KB_BLOCK_PARAGRAPH &&
               (undecorated = kbw_glossed_heading(t)) != NULL) {
        ht = undecorated; /* "Our Mission - Why we wear our badge." */
    }
    if ((b->kind == KB_BLOCK_HEADING ||
         (b->kind == KB_BLOCK_PARAGRAPH && kbw_title_like(t))) &&
        !c->statement_due && heading_statement(c, b)) {
        free(undecorated);
        return;
    }
    /* a heading, a title line, or a short one-sentence lead-in ("Our values (how we
       behave) are:"); a longer lead-in is read by kbw_classify_intro() below */
    titlish = b->kind == KB_BLOCK_HEADING ||
              (b->kind == KB_BLOCK_PARAGRAPH &&
               (kbw_title_like(ht) || (kbw_is_intro(ht) && short_lead_in(ht))));
    if (titlish && ht != t) {
        struct klass k = kbw_classify(ht);

        free(undecorated);
        if (k.sect != SECT_NONE && k.sect != SECT_TITLE) {
            open_section(c, b, k);
            if (b->kind == KB_BLOCK_HEADING) {
                free(c->heading);
                c->heading = xstrdup(c->sect_name);
            }
            return;
        }
    } else {
        free(undecorated);
    }

    /* inside a run of goals written as paragraphs, with their lists: a label over a
       list ("Priorities") names the goal's points, not a section */
    if (c->sect == SECT_GOALS && c->i < c->loose_end) {
        kbg_goals_block(c, b);
        return;
    }
    /* a caption, or a paragraph that reads as one ("Photo: ..." from a web page) */
    if (b->kind == KB_BLOCK_CAPTION ||
        (b->kind == KB_BLOCK_PARAGRAPH && kbw_caption_like(t)))
        return;
    if (b->kind == KB_BLOCK_ROW) {
        kbr_row(c, b);
        return;
    }
    kbr_table_end(c);
    if (kbw_is_nav(t))
        return;
    if (kbi_statement_item(c, b))
        return;
    if (titlish) {
        struct klass k = kbw_classify(t);

        /* "Ambition" among value headings is a value, not a statement. */
        if (c->sect == SECT_VALUES && k.sect >= SECT_MISSION && k.sect <= SECT_PLEDGE &&
            c->kb->nvalues > c->first_item && kbw_words(t) <= 2 &&
            !kbw_starts_ci(t, "our ") && !kbw_starts_ci(t, "the "))
            k.sect = SECT_NONE;

        if (k.sect != SECT_NONE) {
            if (k.sect == SECT_TITLE) {
                kbb_close_section(c);
                if (b->kind == KB_BLOCK_HEADING) {
                    free(c->heading);
                    c->heading = xstrdup(t);
                }
                return;
            }
            /* "Quality priorities" then its list, then "Operational priorities" and
               its own: one set of goals in parts */
            if (k.sect == SECT_GOALS && c->sect == SECT_GOALS && k.qualified &&
                !c->extra && strcmp(k.label, c->k.label) == 0 &&
                (c->sub_lists || c->k.qualified) && c->kb->ngoals > c->first_item) {
                c->sub_lists = true;
                c->part_lead = true;
                if (b->kind == KB_BLOCK_HEADING) {
                    free(c->heading);
                    c->heading = xstrdup(t);
                }
                return;
            }
            /* "Our strategic objectives" then "Our six strategic objectives ...:" */
            if (k.sect == c->sect && (k.sect == SECT_GOALS || k.sect == SECT_VALUES) &&
                c->kb->ngoals + c->kb->nvalues >= c->first_item &&
                (c->sect == SECT_GOALS ? c->kb->ngoals : c->kb->nvalues) ==
                    c->first_item &&
                b->kind != KB_BLOCK_HEADING) {
                if (k.count && !c->k.count)
                    c->k.count = k.count;
                if (k.qualified && strcmp(k.label, c->k.label) == 0)
                    c->sub_lists = true;
                return;
            }
            open_section(c, b, k);
            if (b->kind == KB_BLOCK_HEADING) {
                free(c->heading);
                c->heading = xstrdup(c->sect_name);
            }
            return;
        }
    }
    if (!c->statement_due && c->sect != SECT_VALUES && c->kb->nvalues == 0 &&
        acronym_names_follow(c, b)) {
        kbw_each_sentence(t, scan_sentence, &(struct sctx){c, b->line});
        open_section(c, b, (struct klass){.sect = SECT_VALUES});
        free(c->sect_name); /* the report names the sentence with the acronym */
        c->sect_name = xstrdup(last_sentence(t));
        return;
    }
    if (!c->statement_due && c->sect != SECT_VALUES && names_values_later(c, b)) {
        open_section(c, b, (struct klass){.sect = SECT_VALUES});
        if (b->kind == KB_BLOCK_HEADING) {
            free(c->heading);
            c->heading = xstrdup(c->sect_name);
        }
        return;
    }
    if (b->kind == KB_BLOCK_PARAGRAPH && !kbw_is_intro(t) && !c->statement_due &&
        c->sect != SECT_GOALS && c->kb->ngoals == 0) {
        /* "... the framework features six priorities." then a list of six (after a
           lead-in of its own, perhaps): the count says what the list is */
        struct klass k = kbw_classify_intro(t);

        /* as many lists in a row as the count, no heading between: each list
           a goal, though the first alone would fit the count too */
        if (k.sect == SECT_GOALS && k.count >= 2 && lists_of(c, b, k.count)) {
            kbw_each_sentence(t, scan_sentence, &(struct sctx){c, b->line});
            open_section(c, b, k);
            c->group_gap = lists_of(c, b, k.count);
            kbb_report(c,
                       "unsure: the %u %s at %s are written as %u lists with no "
                       "headings: each goal is named by its list's first item, the "
                       "rest its points; check",
                       k.count, k.label, kbb_at_block(b).s, k.count);
            return;
        }
        /* "We have three main priorities." then three headings, each over its
           text: the headings are the goals (kb_build_prose.c) */
        if (k.sect == SECT_GOALS && k.count >= 2 &&
            (list_of(c, b, k.count) || kbp_headings_of(c, b, k.count))) {
            kbw_each_sentence(t, scan_sentence, &(struct sctx){c, b->line});
            open_section(c, b, k);
            return;
        }
        /* "The headings below are our key strategic goals. ..." then a list: the
           sentence points to the list as the goals, though it counts none */
        if (k.sect == SECT_GOALS && !k.sources && k.count == 0 && goals_below(t) &&
            list_after(c, b) >= 2 && list_after(c, b) <= 12) {
            kbw_each_sentence(t, scan_sentence, &(struct sctx){c, b->line});
            open_section(c, b, k);
            return;
        }
    }
    if (b->kind == KB_BLOCK_PARAGRAPH && kbw_is_intro(t) && !c->statement_due) {
        struct klass k = kbw_classify_intro(t);
        const char *is = kbw_find_ci(t, " is ");

        /* "... and are drawn from:", "So, for example:" - the list is neither */
        if (k.sources) {
            kbw_each_sentence(t, scan_sentence, &(struct sctx){c, b->line});
            c->skip_due = true;
            return;
        }

        /* "Our mission is what we do every day:" - the statement follows */
        if (k.sect == SECT_NONE && is != NULL && kbw_starts_ci(t, "our ")) {
            char *head = xstrndup(t, (size_t)(is - t));
            struct klass h =
                kbw_words(head) <= 4 ? kbw_classify(head) : (struct klass){0};

            free(head);
            if (h.sect >= SECT_MISSION && h.sect <= SECT_PLEDGE) {
                open_section(c, b, h);
                return;
            }
        }

        /* "We have also launched a new vision for the Trust, which is:" - a lead-in
           naming one kind of statement, ending "is:": the statement follows */
        if (k.sect == SECT_NONE) {
            const char *ls = last_sentence(t);
            size_t n = strlen(ls);
            enum sect named = SECT_NONE;
            unsigned kinds = 0;
            char *w = kbw_lower_words(ls);

            for (const char *p = w; *p;) {
                size_t len = strcspn(p, " ");
                enum sect s = len == 7 && strncmp(p, "mission", 7) == 0   ? SECT_MISSION
                              : len == 6 && strncmp(p, "vision", 6) == 0  ? SECT_VISION
                              : len == 7 && strncmp(p, "purpose", 7) == 0 ? SECT_PURPOSE
                                                                          : SECT_NONE;

                if (s != SECT_NONE && s != named) {
                    named = s;
                    kinds++;
                }
                p += len;
                while (*p == ' ')
                    p++;
                /* "the purpose of this document is:" is about what "this" points
                   at (the page, a meeting, a form), not the trust's */
                if (s != SECT_NONE && strncmp(p, "of ", 3) == 0 &&
                    (kbw_starts_ci(p + 3, "this ") || kbw_starts_ci(p + 3, "these ") ||
                     kbw_starts_ci(p + 3, "that ") || kbw_starts_ci(p + 3, "those ")))
                    kinds = 2;
            }
            free(w);
            if (kinds == 1 && n > 4 && strcmp(ls + n - 4, " is:") == 0) {
                open_section(c, b, (struct klass){.sect = named});
                return;
            }
        }
        /* A lead-in naming goals or values opens them ("It is built around four goals:").
         */
        if ((k.sect == SECT_GOALS || k.sect == SECT_VALUES) &&
            !(c->sect == k.sect &&
              (k.sect == SECT_GOALS ? c->kb->ngoals : c->kb->nvalues) == c->first_item)) {
            size_t had = c->ninl;

            kbw_each_sentence(t, scan_sentence, &(struct sctx){c, b->line});
            /* "Powered by our values of a, b and c, the strategy has three aims:" -
               the values were in the sentence; what follows the colon is not them */
            if (k.sect == SECT_VALUES && had == 0 && c->ninl > 0 &&
                list_then_more(last_sentence(t), c->inl[c->ninl - 1].name))
                return;
            open_section(c, b, k);
            return;
        }
        if (c->sect == k.sect && k.count && !c->k.count) {
            c->k.count = k.count;
            return;
        }
        if (k.sect == SECT_NONE && c->sect != SECT_GOALS && c->sect != SECT_VALUES) {
            /* "We care about the whole person, through:" then "Name: text" lines: a
               list, but of what the lead-in does not say; not guessed */
            size_t n = kbv_unnamed_list(c, b);

            if (n > 0)
                kbb_report(c,
                           "unsure: %zu 'Name: text' lines follow '%.60s' (%s): they may "
                           "be values or goals, but the lead-in does not say; not taken; "
                           "check",
                           n, t, kbb_at_block(b).s);
        }
    }
    if (b->kind == KB_BLOCK_HEADING) {
        free(c->heading);
        c->heading = xstrdup(t);
    }
    if (kbt_inline_statement(c, b))
        return;
    if (b->kind == KB_BLOCK_PARAGRAPH) {
        kbw_each_sentence(t, scan_sentence, &(struct sctx){c, b->line});
        c->stmt_next = SECT_NONE;
    }
    if (c->statement_due && b->kind == KB_BLOCK_PARAGRAPH && kbw_is_intro(t)) {
        /* "Our vision" / "We will:" / a list: the statement is the list */
        free(c->stmt_intro);
        c->stmt_intro = xstrdup(t);
        return;
    }
    if (c->statement_due) {
        c->statement_due = false;
        if (b->kind == KB_BLOCK_ITEM ||
            (b->kind == KB_BLOCK_PARAGRAPH && c->stmt_intro != NULL)) {
            statement_list(c, b);
        } else if (b->kind == KB_BLOCK_PARAGRAPH && kbt_about_statement(c->sect, t)) {
            /* a sentence about the vision, under "Our vision and strategy": the
               statement itself may come later, under a heading of its own */
            kbb_report(c, "unsure: %s speaks of the %s but is not it; not taken",
                       kbb_at_block(b).s,
                       c->sect == SECT_VISION    ? "vision"
                       : c->sect == SECT_MISSION ? "mission"
                                                 : "purpose");
        } else {
            kbt_set_statement(c, c->sect, t, b->line);
        }
        free(c->stmt_intro);
        c->stmt_intro = NULL;
        return;
    }
    if (c->extra)
        return;
    /* links, and short lines the page repeats (image alt text), are not items */
    if ((c->sect == SECT_GOALS || c->sect == SECT_VALUES) &&
        ((kbw_link_text(t) && b->kind == KB_BLOCK_ITEM) ||
         (c->repeated != NULL && c->repeated[c->i] && !lead_in_line(t))))
        return;
    /* "Find out more", "Read our annual report": the list is over */
    if ((c->sect == SECT_GOALS || c->sect == SECT_VALUES) && kbw_link_text(t)) {
        kbb_close_section(c);
        return;
    }
    if ((c->sect == SECT_GOALS && c->kb->ngoals >= KB_BUILD_MAX_ITEMS) ||
        (c->sect == SECT_VALUES && c->kb->nvalues >= KB_BUILD_MAX_ITEMS)) {
        kbb_report(c,
                   "unsure: more than %d %s from %s: the rest not read; is this a "
                   "strategy page?",
                   KB_BUILD_MAX_ITEMS, c->sect == SECT_GOALS ? "goals" : "values",
                   kbb_at_block(b).s);
        kbb_close_section(c);
        return;
    }
    if (c->sect == SECT_GOALS)
        kbg_goals_block(c, b);
    else if (c->sect == SECT_VALUES)
        kbv_values_block(c, b);
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

static void
free_value(struct kb_value *v)
{
    free(v->name);
    free(v->description);
    for (size_t k = 0; k < v->nbehaviours; k++)
        free(v->behaviours[k].text);
    free(v->behaviours);
}

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
            free_value(&kb->values[i]);
            continue;
        }
        kb->values[w++] = kb->values[i];
    }
    kb->nvalues = w;
}

/*
 * Goals listed by name first ("Safety", "Partnerships") and each explained
 * further down under its name as a line of its own: the paragraph under that
 * line is the goal's description.
 */
static void
goal_sections(struct bctx *c)
{
    const struct kb_doc *doc = c->doc;

    for (size_t i = 0; i < c->kb->ngoals; i++) {
        struct kb_goal *g = &c->kb->goals[i];

        if (g->description[0] != '\0' || g->npoints > 0 || kbw_words(g->title) > 5)
            continue;
        for (size_t k = 0; k + 1 < doc->nblocks; k++) {
            const struct kb_block *b = &doc->blocks[k], *next = b + 1;

            if (b->line <= g->line || b->kind == KB_BLOCK_ITEM ||
                !kbw_same_name(b->text, g->title) || next->kind != KB_BLOCK_PARAGRAPH ||
                kbw_title_like(next->text) || kbw_is_intro(next->text))
                continue;
            free(g->description);
            g->description = xstrdup(next->text);
            break;
        }
    }
}

/* "Kindness means we treat ...": a definition for a value named in a sentence. */
static void
means_definitions(struct bctx *c)
{
    for (size_t i = 0; i < c->doc->nblocks; i++) {
        const char *t = c->doc->blocks[i].text;

        for (size_t k = 0; k < c->kb->nvalues; k++) {
            struct kb_value *v = &c->kb->values[k];
            size_t n = strlen(v->name);

            if (v->description[0] == '\0' && strncasecmp(t, v->name, n) == 0 &&
                strncmp(t + n, " means ", 7) == 0) {
                free(v->description);
                v->description = xstrdup(t + n + 7);
            }
        }
    }
}

static void
finish_values(struct bctx *c)
{
    struct kb *kb = c->kb;

    if (kb->nvalues == 0 && c->ninl > 0) {
        free(kb->values); /* values taken and then dropped may leave it allocated */
        kb->values = c->inl;
        kb->nvalues = c->ninl;
        c->inl = NULL;
        c->ninl = 0;
        kbb_report(c, "%zu values, inline list in a sentence, %s", kb->nvalues,
                   kbb_at(kb->values[0].line, kb->values[0].page).s);
        kbn_inline_sections(c);
    } else if (kb->nvalues > 0 && c->ninl > 0) {
        /* The sentence and the list should agree. */
        for (size_t i = 0; i < c->ninl; i++) {
            bool listed = false;

            for (size_t k = 0; k < kb->nvalues && !listed; k++)
                listed = kbw_same_name(kb->values[k].name, c->inl[i].name);
            if (!listed)
                kbb_report(c,
                           "unsure: '%s' is named as a value in a sentence (%s) but not "
                           "listed with the values; not added; check",
                           c->inl[i].name, kbb_at(c->inl[i].line, c->inl[i].page).s);
        }
    }
    kbi_statement_values(c);
    means_definitions(c);
    {
        size_t with = 0;

        for (size_t i = 0; i < kb->nvalues; i++)
            with += kb->values[i].nbehaviours > 0;
        if (with > 0 && with < kb->nvalues) {
            for (size_t i = 0; i < kb->nvalues; i++) {
                if (kb->values[i].nbehaviours == 0)
                    kbb_report(c,
                               "value '%s' (%s) has no behaviours listed, unlike the "
                               "others",
                               kb->values[i].name,
                               kbb_at(kb->values[i].line, kb->values[i].page).s);
            }
        }
    }
}

static int
cmp_text(const void *a, const void *b)
{
    const struct kb_block *const *x = a, *const *y = b;

    return strcmp((*x)->text, (*y)->text);
}

/* Marks the short non-item lines that occur more than once (alt text, banners). */
static bool *
find_repeated(const struct kb_doc *doc)
{
    const struct kb_block **sorted;
    bool *rep = xcalloc(doc->nblocks ? doc->nblocks : 1, sizeof(*rep));

    if (doc->nblocks == 0)
        return rep;
    sorted = xreallocarray(NULL, doc->nblocks, sizeof(*sorted));
    for (size_t i = 0; i < doc->nblocks; i++)
        sorted[i] = &doc->blocks[i];
    qsort(sorted, doc->nblocks, sizeof(*sorted), cmp_text);
    for (size_t i = 0; i + 1 < doc->nblocks; i++) {
        if (strcmp(sorted[i]->text, sorted[i + 1]->text) != 0)
            continue;
        for (size_t k = i; k <= i + 1; k++) {
            const struct kb_block *b = sorted[k];

            if (b->kind != KB_BLOCK_ITEM && !kbw_is_intro(b->text) &&
                kbw_words(b->text) <= 8)
                rep[b - doc->blocks] = true;
        }
    }
    free(sorted);
    return rep;
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

static enum bot_err
check_opts(const struct kb_build_opts *opts, char **why)
{
    if (!org_id_ok(opts->org)) {
        *why = xstrdup("--org must be lower-case letters, digits, - or _");
        return BOT_EINVAL;
    }
    if (opts->name == NULL || opts->name[0] == '\0') {
        *why = xstrdup("--name must not be empty");
        return BOT_EINVAL;
    }
    return BOT_OK;
}

static void
bctx_cleanup(struct bctx *c)
{
    free(c->repeated);
    free(c->sect_name);
    free(c->stmt_intro);
    free(c->heading);
    free(c->quote_speaker);
    free(c->beh_prefix);
    free(c->weak[0].text);
    free(c->weak[1].text);
    for (size_t i = 0; i < c->ninl; i++)
        free_value(&c->inl[i]);
    free(c->inl);
    for (size_t i = 0; i < c->nreport; i++)
        free(c->report[i]);
    free(c->report);
    free(c->goal_how);
    free(c->value_how);
}

/*
 * Does @b open a list of other documents' titles, as a document-sharing site
 * prints under a document ("Similar documents")?  The titles name other
 * organisations' plans and visions; none of them is the page's.
 */
static bool
other_documents(const struct kb_block *b)
{
    static const char *const heads[] = {
        "similar documents",    "related documents", "recommended documents",
        "more documents",       "other documents",   "similar publications",
        "related publications", "you may also like", "you might also like",
        "documents like this",  "more like this",    NULL};
    char *w;
    bool found = false;

    if (b->kind != KB_BLOCK_HEADING && b->kind != KB_BLOCK_PARAGRAPH)
        return false;
    w = kbw_lower_words(b->text);
    for (size_t i = 0; heads[i] != NULL && !found; i++)
        found = strcmp(w, heads[i]) == 0;
    free(w);
    return found;
}

/* A paragraph long enough to be running text, not a document's title. */
#define KB_BUILD_PROSE_WORDS 25

/*
 * @doc without a paragraph repeated right after itself (an accordion's title
 * repeated as the first line of its panel: "We are kind - ..." twice), and
 * without a list of other documents' titles (from "Similar documents" to the
 * next paragraph of running text), into @view; the blocks are borrowed from
 * @doc, free only view->blocks.
 */
/*
 * Is @b the rest of the paragraph @p, cut by a hard line break ("... to
 * secretaries," then "consultants, ... are expected to demonstrate:")?  The
 * line right after, in the same source, starting in lower case after a line
 * that ends with no full stop, colon or other end.
 */
static bool
wrapped_on(const struct kb_block *p, unsigned p_last, const struct kb_block *b)
{
    size_t n = strlen(p->text);
    unsigned char last = n ? (unsigned char)p->text[n - 1] : '.';

    return p->kind == KB_BLOCK_PARAGRAPH && b->kind == KB_BLOCK_PARAGRAPH &&
           p->src == b->src && p->page == b->page && p->line != 0 &&
           b->line == p_last + 1 && islower((unsigned char)b->text[0]) &&
           strchr(".:;!?", last) == NULL && last != '"' && p->lead == NULL;
}

/*
 * Where an image's alt text naming a section ("UHCW NHS Trust values") runs
 * into the heading after it with no space ("...valuesCompassion"), the text
 * after the join; NULL if @t has no such join.
 */
static const char *
after_alt_text(const char *t)
{
    static const char *const ends[] = {"values",     "vision", "mission",    "objectives",
                                       "priorities", "goals",  "behaviours", NULL};

    for (const char *p = t; *p; p++) {
        if (!islower((unsigned char)p[0]) || !isupper((unsigned char)p[1]) ||
            !islower((unsigned char)p[2]))
            continue;
        for (size_t i = 0; ends[i] != NULL; i++) {
            size_t n = strlen(ends[i]);

            if ((size_t)(p + 1 - t) >= n && strncmp(p + 1 - n, ends[i], n) == 0 &&
                (p + 1 - n == t || p[-(ptrdiff_t)n] == ' '))
                return p + 1;
        }
    }
    return NULL;
}

/* The length of a number run into the words after it ("00016858Our vision is"): an
   image's file number left before a paragraph; 0 if none. */
static size_t
glued_number(const char *t)
{
    size_t n = 0;

    while (isdigit((unsigned char)t[n]))
        n++;
    return n >= 5 && isupper((unsigned char)t[n]) && islower((unsigned char)t[n + 1]) ? n
                                                                                      : 0;
}

static void
unrepeated(const struct kb_doc *doc, struct kb_doc *view, char ***owned, size_t *nowned)
{
    bool others = false;
    unsigned last_line = 0; /* the last line of the block last kept */

    *view = *doc;
    view->blocks =
        xreallocarray(NULL, doc->nblocks ? doc->nblocks : 1, sizeof(*view->blocks));
    view->nblocks = 0;
    for (size_t i = 0; i < doc->nblocks; i++) {
        const struct kb_block *b = &doc->blocks[i], *p = i ? &doc->blocks[i - 1] : NULL;

        if (other_documents(b)) {
            others = true;
            continue;
        }
        if (others &&
            (b->kind != KB_BLOCK_PARAGRAPH || kbw_words(b->text) < KB_BUILD_PROSE_WORDS))
            continue;
        others = false;
        if (p != NULL && b->kind == KB_BLOCK_PARAGRAPH && p->kind == b->kind &&
            p->src == b->src && strcmp(p->text, b->text) == 0)
            continue;
        if (view->nblocks > 0 &&
            wrapped_on(&view->blocks[view->nblocks - 1], last_line, b)) {
            struct kb_block *q = &view->blocks[view->nblocks - 1];
            char *joined = xasprintf("%s %s", q->text, b->text);

            *owned = xreallocarray(*owned, *nowned + 1, sizeof(**owned));
            (*owned)[(*nowned)++] = joined;
            q->text = joined;
            last_line = b->line;
            continue;
        }
        view->blocks[view->nblocks++] = *b;
        last_line = b->line;
        if (b->kind == KB_BLOCK_HEADING || b->kind == KB_BLOCK_PARAGRAPH)
            view->blocks[view->nblocks - 1].text += glued_number(b->text);
        if ((b->kind == KB_BLOCK_HEADING || b->kind == KB_BLOCK_PARAGRAPH) &&
            after_alt_text(b->text) != NULL) {
            char *rest = xstrdup(after_alt_text(b->text));

            *owned = xreallocarray(*owned, *nowned + 1, sizeof(**owned));
            (*owned)[(*nowned)++] = rest;
            view->blocks[view->nblocks - 1].text = rest;
        }
    }
}

enum bot_err
kb_build_doc(const struct kb_doc *whole, const struct kb_build_opts *opts,
             struct kb **out, char **report, char **why)
{
    struct kb_doc view;
    const struct kb_doc *doc = &view;
    char **joined = NULL; /* texts of paragraphs joined across line breaks */
    size_t njoined = 0;
    struct bctx c = {.doc = doc};
    struct kb *kb;
    enum bot_err err = BOT_OK;

    *out = NULL;
    *report = NULL;
    *why = NULL;
    if ((err = check_opts(opts, why)) != BOT_OK)
        return err;
    unrepeated(whole, &view, &joined, &njoined);
    kb = c.kb = kb_new();
    free(kb->org);
    kb->org = xstrdup(opts->org);
    free(kb->name);
    kb->name = xstrdup(opts->name);
    free(kb->short_name);
    kb->short_name = xstrdup(opts->short_name ? opts->short_name : "");
    free(kb->doc);
    kb->doc = xstrdup(opts->doc ? opts->doc : doc->nsources ? doc->sources[0] : "");
    if (doc->nsources > 1) { /* items name their source by index */
        for (size_t i = 0; i < doc->nsources; i++)
            kb_strv_push(&kb->sources, &kb->nsources, doc->sources[i]);
    }
    c.repeated = find_repeated(doc);
    for (size_t i = 0; i < doc->nblocks; i++) {
        const struct kb_block *b = &doc->blocks[i];

        c.i = i;
        if (b->kind == KB_BLOCK_PARAGRAPH && kbw_title_like(b->text) &&
            i + 1 < doc->nblocks && doc->blocks[i + 1].kind == KB_BLOCK_PARAGRAPH &&
            !kbw_title_like(doc->blocks[i + 1].text)) {
            /* a title line over running text names the passages under it */
            free(c.heading);
            c.heading = xstrdup(b->text);
        } else {
            kbt_passages(&c, b);
        }
        on_block(&c, b);
    }
    kbr_table_end(&c);
    kbb_close_section(&c);
    kbt_weak_statements(&c);
    kbn_values_pointed_back(&c);
    finish_values(&c);
    kbv_we_paragraphs(&c);
    kbg_fallbacks(&c);
    goal_sections(&c);
    drop_duplicates(kb);
    number_goals(kb);
    free(kb->strategy);
    kb->strategy = opts->strategy ? xstrdup(opts->strategy) : kbt_strategy(doc);
    if (kb->strategy[0])
        kbb_report(&c, "strategy: %s", kb->strategy);
    if (kb->nvalues == 0)
        kbb_report(&c, "unsure: no values found (looked for a values heading, a lead-in "
                       "naming values, values in a sentence)");
    if (kb->ngoals == 0)
        kbb_report(&c, "unsure: no goals found (looked for headings and lead-ins naming "
                       "goals, objectives, priorities, aims, ambitions, pillars, "
                       "commitments)");
    if (kb->ngoals == 0 && kb->nvalues == 0 && kb->mission.text == NULL &&
        kb->vision.text == NULL && kb->nambitions == 0 && !kbt_has_strategy_text(&c)) {
        *why = xstrdup("found no strategy text: no mission, vision, purpose, goals or "
                       "values, and no sentences about the organisation's strategy, "
                       "plans or values (a menu, a cookie notice or an error page?); "
                       "build from the page or PDF that states the strategy");
        kb_free(kb);
        err = BOT_EPARSE;
    } else {
        if (kb->ngoals == 0 && kb->nvalues == 0)
            kbb_report(&c,
                       "warning: no values and no goals found: the KB holds %s%zu "
                       "passages of the page, the bot answers from them and says the "
                       "strategy lists no values or goals; to add them, build from the "
                       "page or PDF that lists them as well (kb build PAGE "
                       "STRATEGY.pdf ...), or add them (\"add\") or a statement the page "
                       "makes in prose (\"ambitions\") in the overlay (--overlay)",
                       kb->mission.text || kb->vision.text || kb->nambitions
                           ? "its statements and "
                           : "only ",
                       kb->npassages);
        *out = kb;
    }
    {
        struct buf r;

        buf_init(&r, 1u << 20);
        for (size_t i = 0; i < c.nreport; i++)
            (void)buf_printf(&r, "%s\n", c.report[i]);
        if (c.report_dropped > 0)
            (void)buf_printf(&r, "... and %zu more lines like these\n", c.report_dropped);
        *report = xstrdup(buf_str(&r));
        buf_cleanup(&r);
    }
    bctx_cleanup(&c);
    free(view.blocks);
    for (size_t i = 0; i < njoined; i++)
        free(joined[i]);
    free(joined);
    return err;
}

enum bot_err
kb_build(const char *text, size_t len, const struct kb_build_opts *opts, struct kb **out,
         char **why)
{
    struct kb_doc doc;
    char *report = NULL;
    enum bot_err err;

    *out = NULL;
    *why = NULL;
    if ((err = check_opts(opts, why)) != BOT_OK)
        return err;
    if (len > KB_BUILD_MAX_DOC) {
        *why = xasprintf("document is larger than the %u MiB limit",
                         KB_BUILD_MAX_DOC / (1024 * 1024));
        return BOT_ELIMIT;
    }
    kb_doc_init(&doc);
    err = kb_doc_read(&doc, text, len, kb_doc_sniff(text, len, opts->doc),
                      opts->doc ? opts->doc : "", why);
    if (err == BOT_OK)
        err = kb_build_doc(&doc, opts, out, &report, why);
    free(report);
    kb_doc_cleanup(&doc);
    return err;
}
