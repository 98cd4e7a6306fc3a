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
    c->we_end = 0;
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

void
kbb_open_section(struct bctx *c, const struct kb_block *b, struct klass k)
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
        kb_build_finish_free_value(&c->inl[i]);
    free(c->inl);
    for (size_t i = 0; i < c->nreport; i++)
        free(c->report[i]);
    free(c->report);
    free(c->goal_how);
    free(c->value_how);
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
    kb_build_repeat_drop(whole, &view, &joined, &njoined);
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
    c.repeated = kb_build_repeat_find(doc);
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
            kb_build_text_passages_block(&c, b);
        }
        kb_build_block_read(&c, b);
    }
    kbr_table_end(&c);
    kbb_close_section(&c);
    kbt_weak_statements(&c);
    kbn_values_pointed_back(&c);
    kb_build_finish_values(&c);
    kb_build_values_sentence_we_paragraphs(&c);
    kb_build_goals_fallback_run(&c);
    kb_build_finish_goal_sections(&c);
    kb_build_finish_drop_duplicates(kb);
    kb_build_finish_number_goals(kb);
    free(kb->strategy);
    kb->strategy =
        opts->strategy ? xstrdup(opts->strategy) : kb_build_text_strategy_name(doc);
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
        kb->vision.text == NULL && kb->nambitions == 0 &&
        !kb_build_text_strategy_has_text(&c)) {
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
