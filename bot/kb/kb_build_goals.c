/*
 * kb_build_goals.c - goals from the blocks of their section, and from the
 * page when no section gave any.
 *
 * Inside a goals section: list items are goals (or, under a goal heading,
 * its points); a heading or a short title-like line is a goal, the
 * paragraph under it its description; "Goal 1 - ..." / "Priority 2: ..."
 * lines are goals with their label; a run of "Label: text" or bare lines
 * are goals.  A stated count ("our four priorities") and the shape of the
 * first item end a section that runs on into something else.  When no
 * section gave goals: goals named in one sentence, a numbered list run into
 * a paragraph, a run of bare lines under a heading (all reported unsure), in
 * kb_build_goals_fallback.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb_build_int.h"
/* -- goals ------------------------------------------------------------- */

/* A bold lead-in without its closing colon, dash or full stop, or NULL if nothing is
 * left. */
char *
kbg_lead_name(const char *lead)
{
    char *l = xstrdup(lead);
    size_t n = strlen(l);

    for (;;) {
        if (n > 0 && strchr(":.-, ", l[n - 1]) != NULL)
            n--;
        else if (n >= 3 && (unsigned char)l[n - 3] == 0xe2 &&
                 (unsigned char)l[n - 2] == 0x80 &&
                 ((unsigned char)l[n - 1] == 0x93 || (unsigned char)l[n - 1] == 0x94))
            n -= 3;
        else
            break;
    }
    l[n] = '\0';
    if (n == 0) {
        free(l);
        return NULL;
    }
    return l;
}

/*
 * Splits a goal into title and description: a bold lead-in; else, after
 * any label ("Big move 1:", which the goal's number and the KB's goals
 * label keep), a short head before a separator ("Our Patients: ...",
 * "Outstanding care - ..."); else, after a label, the first sentence.
 */
static char *
split_goal(const char *text, const char *lead, const char **rest)
{
    size_t pre = kb_build_words_classify_goal_prefix(text);
    const char *body = pre ? kbw_skip_separator(text + pre) : text, *sep, *dot;

    if (lead != NULL && strncmp(text, lead, strlen(lead)) == 0 &&
        kbw_words(lead) < kbw_words(text)) {
        char *l = kbg_lead_name(lead);
        size_t lp = l ? kb_build_words_classify_goal_prefix(lead) : 0;
        const char *after = lp ? kbw_skip_separator(lead + lp) : NULL;

        /* a lead that is only the label ("Strategic objective 1:") is no title */
        if (l != NULL && (lp == 0 || *after != '\0')) {
            char *title = lp ? kbg_lead_name(after) : xstrdup(l);

            free(l);
            if (title != NULL) {
                *rest = kbw_skip_separator(text + strlen(lead));
                return title;
            }
        } else {
            free(l);
        }
    }
    sep = kbw_separator(body, rest);
    if (sep != NULL && sep > body) {
        char *head = xstrndup(body, (size_t)(sep - body));
        bool ok = kbw_words(head) <= 8 && !kbw_terminal(head);

        if (ok)
            return head;
        free(head);
    }
    dot = strstr(body, ". ");
    if (dot != NULL && pre > 0) {
        *rest = dot + 2;
        return xstrndup(body, (size_t)(dot - body));
    }
    *rest = "";
    return xstrdup(body);
}

/* The number a label gives ("Goal 2:", "Pillar three -"), 0 if none. */
static unsigned
label_number(const char *text)
{
    size_t pre = kb_build_words_classify_goal_prefix(text), n = 0;

    while (n < pre && isalnum((unsigned char)text[pre - n - 1]))
        n++;
    return pre ? kbw_number_word(text + pre - n, n) : 0;
}

struct kb_goal *
kbg_new_goal(struct bctx *c, const char *text, const char *lead, unsigned number,
             unsigned line, enum from from)
{
    struct kb *kb = c->kb;
    struct kb_goal *g;
    const char *rest;

    kb->goals = xreallocarray(kb->goals, kb->ngoals + 1, sizeof(*kb->goals));
    g = &kb->goals[kb->ngoals++];
    memset(g, 0, sizeof(*g));
    g->number = number ? number : label_number(text);
    g->line = line;
    kbb_where(c, &g->page, &g->src);
    g->title = split_goal(text, lead, &rest);
    kbw_squeeze(g->title);
    g->description = xstrdup(rest);
    if (c->item_from == FROM_NONE)
        c->item_from = from;
    c->cur_from = from;
    c->sub_intro = false;
    if (c->goal_first == 0)
        c->goal_first = line;
    c->goal_last = line;
    return g;
}

size_t
kbg_in_section(const struct bctx *c)
{
    size_t n = c->sect == SECT_GOALS ? c->kb->ngoals : c->kb->nvalues;

    return n - c->first_item;
}

bool
kbg_count_reached(const struct bctx *c)
{
    return c->k.count > 0 && kbg_in_section(c) >= c->k.count;
}

/* "Label: text" or "Label - text" with a short label: a goal written on one line. */
static bool
label_line(const char *text)
{
    const char *rest, *sep = kbw_separator(text, &rest);
    char *head;
    bool ok;

    if (sep == NULL || sep == text || *rest == '\0')
        return false;
    head = xstrndup(text, (size_t)(sep - text));
    ok = kbw_words(head) <= 6 && !kbw_terminal(head) &&
         (isupper((unsigned char)head[0]) || (unsigned char)head[0] >= 0x80);
    free(head);
    return ok;
}

/* "How we'll get there: ..." - a few words, a colon, and more. */
static bool
lead_in_colon(const char *t)
{
    const char *colon = strstr(t, ": ");
    char *head;
    bool ok;

    if (colon == NULL || colon[2] == '\0')
        return false;
    head = xstrndup(t, (size_t)(colon - t));
    ok = kbw_words(head) <= 6 && !kbw_terminal(head);
    free(head);
    return ok;
}

static void
count_sentence(void *arg, const char *s, size_t len)
{
    (void)s;
    (void)len;
    (*(size_t *)arg)++;
}

/*
 * A goal written as a paragraph of its own: one sentence of 4 to 40 words
 * saying what will be done ("We will provide the highest quality clinical
 * care."), not one about the goals themselves ("These objectives will form
 * the basis of ...").
 */
static bool
commitment(const struct kb_block *b)
{
    const char *t = b->text;
    size_t sentences = 0, n;
    char *w;
    bool will = false;

    if (b->kind != KB_BLOCK_PARAGRAPH || kbw_is_intro(t) || kbw_caption_like(t) ||
        kbw_link_text(t) || kbw_question_start(t) ||
        kb_build_words_classify_mentions_goals(t))
        return false;
    kbw_each_sentence(t, count_sentence, &sentences);
    if (sentences != 1)
        return false;
    w = kbw_lower_words(t);
    n = kbw_words(w);
    for (const char *p = w; *p && !will;) {
        size_t len = strcspn(p, " ");

        will = (len == 4 && strncmp(p, "will", 4) == 0) ||
               (len == 5 && strncmp(p, "we'll", 5) == 0);
        p += len;
        while (*p == ' ')
            p++;
    }
    free(w);
    return will && n >= 4 && n <= 40;
}

/* A short line over a goal's list of points: "Priorities", "Actions:", "How:". */
static bool
point_label(const struct kb_block *b)
{
    return (b->kind == KB_BLOCK_HEADING || b->kind == KB_BLOCK_PARAGRAPH) &&
           kbw_words(b->text) <= 3 && (kbw_is_intro(b->text) || kbw_title_like(b->text));
}

/*
 * Goals written as paragraphs under the goals' heading, each saying what
 * will be done, perhaps one under a short title of its own: the end of the
 * run that starts at @b if it holds three or more, else 0.  Anything else
 * (a list, a longer paragraph, a heading that opens a section) ends it.
 */
static size_t
loose_run(const struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *p = b, *end = c->doc->blocks + c->doc->nblocks;
    size_t n = 0, titled = 0, listed = 0;

    while (p < end) {
        if (commitment(p)) {
            const struct kb_block *q = ++p;

            n++;
            /* its points: a list, perhaps under a short label ("Priorities") */
            if (q + 1 < end && q->kind != KB_BLOCK_ITEM && point_label(q) &&
                (q + 1)->kind == KB_BLOCK_ITEM)
                q++;
            if (q < end && q->kind == KB_BLOCK_ITEM) {
                unsigned list = q->list;

                while (q < end && q->kind == KB_BLOCK_ITEM && q->list == list)
                    q++;
                p = q;
                listed++;
            }
        } else if (p + 1 < end && p->kind != KB_BLOCK_ITEM && kbw_title_like(p->text) &&
                   kb_build_words_classify(p->text).sect == SECT_NONE &&
                   (p + 1)->kind == KB_BLOCK_PARAGRAPH && !kbw_is_intro((p + 1)->text) &&
                   !kbw_title_like((p + 1)->text)) {
            titled++;
            p += 2;
        } else {
            break;
        }
    }
    return (n >= 3 || (n >= 2 && listed == n)) && n > titled
               ? (size_t)(p - c->doc->blocks)
               : 0;
}

/* A block of a run loose_run() found. */
static void
loose_goal(struct bctx *c, const struct kb_block *b)
{
    struct kb_goal *g = kbg_in_section(c) > 0 ? &c->kb->goals[c->kb->ngoals - 1] : NULL;

    if (commitment(b)) {
        kbg_new_goal(c, b->text, NULL, 0, b->line, FROM_PARA);
    } else if (b->kind == KB_BLOCK_ITEM) {
        if (g != NULL)
            kbv_push_sub(c, &g->points, &g->npoints, b->text, b->line);
    } else if (g != NULL && b + 1 < c->doc->blocks + c->doc->nblocks &&
               (b + 1)->kind == KB_BLOCK_ITEM && point_label(b)) {
        return; /* "Priorities" over the list of the goal above */
    } else if (b->kind != KB_BLOCK_PARAGRAPH || kbw_title_like(b->text)) {
        kbg_new_goal(c, b->text, NULL, 0, b->line, FROM_PARA);
        c->cur_from = FROM_BARE;
    } else if (g != NULL && g->description[0] == '\0') {
        free(g->description);
        g->description = xstrdup(b->text);
    }
}

/*
 * Do paragraphs after @b (a paragraph) run to a list item numbered @n, the next
 * of a numbered list the paragraphs interrupt?
 */
static bool
numbered_on(const struct bctx *c, const struct kb_block *b, unsigned n)
{
    const struct kb_block *end = c->doc->blocks + c->doc->nblocks;

    if (b->kind != KB_BLOCK_PARAGRAPH)
        return false;
    for (const struct kb_block *p = b + 1; p < end && p < b + 12; p++) {
        if (p->kind == KB_BLOCK_ITEM)
            return p->number == n && p->level == 1;
        if (p->kind != KB_BLOCK_PARAGRAPH && p->kind != KB_BLOCK_CAPTION)
            return false;
    }
    return false;
}

/*
 * Goals written as headings, each over paragraphs of its own ("The best place
 * to work", an icon's name, then three paragraphs): is the paragraph being
 * read followed, after more paragraphs, by a heading at the goal's level that
 * is itself over running text?  Then the paragraphs are the goal's and the
 * heading is the next goal.
 */
static bool
heading_goals_go_on(const struct bctx *c)
{
    const struct kb_doc *doc = c->doc;
    size_t h = c->i, j = c->i + 1;

    while (h > 0 && doc->blocks[h].kind != KB_BLOCK_HEADING)
        h--;
    if (doc->blocks[h].kind != KB_BLOCK_HEADING)
        return false;
    while (j < doc->nblocks && doc->blocks[j].kind == KB_BLOCK_PARAGRAPH)
        j++;
    if (j >= doc->nblocks || doc->blocks[j].kind != KB_BLOCK_HEADING ||
        doc->blocks[j].level != doc->blocks[h].level ||
        kb_build_words_classify(doc->blocks[j].text).sect != SECT_NONE ||
        kbw_is_nav(doc->blocks[j].text) || kbw_link_text(doc->blocks[j].text) ||
        kbw_terminal(doc->blocks[j].text) || kbw_words(doc->blocks[j].text) > 12)
        return false;
    /* under it (past an icon's name, a line of a few words): running text */
    j++;
    if (j < doc->nblocks && doc->blocks[j].kind == KB_BLOCK_PARAGRAPH &&
        kbw_words(doc->blocks[j].text) <= 3)
        j++;
    return j < doc->nblocks && doc->blocks[j].kind == KB_BLOCK_PARAGRAPH &&
           kbw_words(doc->blocks[j].text) >= 15;
}

void
kbg_goals_block(struct bctx *c, const struct kb_block *b)
{
    struct kb *kb = c->kb;
    struct kb_goal *g = kbg_in_section(c) > 0 ? &kb->goals[kb->ngoals - 1] : NULL;
    const char *t = b->text;
    bool titlish = b->kind == KB_BLOCK_HEADING || kbw_title_like(t);
    size_t pre = kb_build_words_classify_goal_prefix(t);

    if (g == NULL && c->item_from == FROM_NONE && c->loose_end == 0 &&
        b->kind == KB_BLOCK_PARAGRAPH)
        c->loose_end = loose_run(c, b);
    if (c->i < c->loose_end) {
        loose_goal(c, b);
        return;
    }
    if (c->part_lead) {
        /* a part's own sentence ("Create equity of access ..."), then its list */
        if (b->kind == KB_BLOCK_PARAGRAPH && !kbw_title_like(t))
            return;
        c->part_lead = false;
    }
    if (c->item_from == FROM_PARA) {
        kbb_close_section(c); /* the paragraphs are over */
        return;
    }
    if (b->kind == KB_BLOCK_ITEM && c->group_gap > 0) {
        /* goals written as lists with no headings: a list's first item names its
           goal, the others are its points (and its description) */
        if (g != NULL && b->list == c->cur_list && c->i > 0 &&
            kbb_pos(b) - kbb_pos(&c->doc->blocks[c->i - 1]) <= c->group_gap) {
            char *d =
                g->description[0] ? xasprintf("%s; %s", g->description, t) : xstrdup(t);

            free(g->description);
            g->description = d;
            kbv_push_sub(c, &g->points, &g->npoints, t, b->line);
            return;
        }
        if (kbg_count_reached(c)) {
            kbb_close_section(c);
            return;
        }
        kbg_new_goal(c, t, b->lead, 0, b->line, FROM_ITEM);
        c->cur_list = b->list;
        return;
    }
    if (b->kind == KB_BLOCK_ITEM) {
        bool under = g != NULL && (c->cur_from == FROM_HEADING ||
                                   c->cur_from == FROM_LABEL || c->cur_from == FROM_BARE);

        if (g != NULL &&
            (under || b->level > 1 ||
             (c->sub_intro && c->cur_from == FROM_ITEM && b->list != c->cur_list))) {
            kbv_push_sub(c, &g->points, &g->npoints, t, b->line);
            return;
        }
        if (g != NULL && c->item_from != FROM_ITEM && c->item_from != FROM_NONE) {
            kbb_close_section(c);
            return;
        }
        if (kbg_count_reached(c)) {
            kbb_close_section(c);
            return;
        }
        kbg_new_goal(c, t, b->lead, b->number, b->line, FROM_ITEM);
        c->cur_list = b->list;
        return;
    }
    if (kbw_is_intro(t) && b->kind != KB_BLOCK_HEADING) {
        if (g != NULL)
            c->sub_intro = true;
        else {
            struct klass k = kb_build_words_classify_intro(t);

            if (k.sect == SECT_GOALS && k.count > 0 && c->k.count == 0)
                c->k.count = k.count;
        }
        if (pre == 0)
            return;
    }
    if (pre > 0) {
        if (kbg_count_reached(c) ||
            (c->item_from != FROM_NONE && c->item_from != FROM_LABEL)) {
            kbb_close_section(c);
            return;
        }
        kbg_new_goal(c, t, b->lead, 0, b->line, FROM_LABEL);
        return;
    }
    if (titlish) {
        /* goals set as bare lines one under the other, then a blank line and
           another such run: the goals ended with the tight run */
        bool run_over = g != NULL && kbg_in_section(c) >= 2 && b->line != 0 &&
                        (b - 1)->line == g->line && (b - 2)->line == (g - 1)->line &&
                        kb_build_goals_fallback_after_tight_run(c->doc, b);

        if (run_over || kbw_question_start(t) || kbg_count_reached(c) ||
            (c->item_from != FROM_NONE && c->item_from != FROM_HEADING &&
             c->item_from != FROM_BARE) ||
            (c->item_from == FROM_BARE && b->kind == KB_BLOCK_HEADING && g != NULL)) {
            kbb_close_section(c);
            return;
        }
        kbg_new_goal(c, t, b->lead, 0, b->line,
                     b->kind == KB_BLOCK_HEADING ? FROM_HEADING : FROM_BARE);
        if (c->item_from == FROM_BARE && c->cur_from == FROM_HEADING)
            c->item_from = FROM_HEADING;
        if (c->item_from == FROM_HEADING && c->cur_from == FROM_BARE)
            c->cur_from = FROM_HEADING;
        return;
    }
    if (b->kind != KB_BLOCK_PARAGRAPH)
        return;
    if (label_line(t) && (c->item_from == FROM_NONE || c->item_from == FROM_LINE)) {
        if (kbg_count_reached(c)) {
            kbb_close_section(c);
            return;
        }
        kbg_new_goal(c, t, b->lead, 0, b->line, FROM_LINE);
        return;
    }
    /* an icon's name ("shield icon") between a goal's heading and its text */
    if (g != NULL && c->cur_from == FROM_HEADING && g->description[0] == '\0' &&
        kbw_words(t) <= 3 && !kbw_terminal(t) && c->i + 1 < c->doc->nblocks &&
        c->doc->blocks[c->i + 1].kind == KB_BLOCK_PARAGRAPH &&
        kbw_words(c->doc->blocks[c->i + 1].text) >= 15)
        return;
    if (g != NULL &&
        (c->cur_from == FROM_HEADING || c->cur_from == FROM_BARE ||
         c->cur_from == FROM_LABEL) &&
        g->description[0] == '\0' && g->npoints == 0 && !c->sub_intro) {
        free(g->description);
        g->description = xstrdup(t);
        if (c->cur_from == FROM_BARE)
            c->cur_from = FROM_HEADING;
        if (c->item_from == FROM_BARE)
            c->item_from = FROM_HEADING;
        return;
    }
    if (g != NULL && c->cur_from == FROM_ITEM && g->number > 0 &&
        numbered_on(c, b, g->number + 1)) {
        /* "1. Title", paragraphs about it, "2. Title": the paragraphs are the
           goal's; the first is its description */
        if (g->description[0] == '\0') {
            free(g->description);
            g->description = xstrdup(t);
        }
        return;
    }
    if (g == NULL && kb_build_goals_fallback_inline_names(c, b))
        return;
    if (g == NULL) {
        /* An opening sentence: "Our eight strategic objectives run from ..." */
        struct klass k = kb_build_words_classify_intro(t);

        if (k.sect == SECT_GOALS && k.count > 0 && c->k.count == 0)
            c->k.count = k.count;
        return;
    }
    /* a list under a labelled goal, run into one paragraph by a PDF ("How we'll get
       there: run theatres ... offer more clinics"): a lead-in, a colon, the rest */
    if (c->cur_from == FROM_LABEL && c->item_from == FROM_LABEL && g->npoints == 0 &&
        lead_in_colon(t)) {
        kbv_push_sub(c, &g->points, &g->npoints, t, b->line);
        return;
    }
    /* more paragraphs about a goal that is a heading, the next goal a heading too */
    if (c->cur_from == FROM_HEADING && c->item_from == FROM_HEADING &&
        heading_goals_go_on(c))
        return;
    kbb_close_section(c);
}
