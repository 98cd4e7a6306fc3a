/*
 * kb_build_block.c - one block of the walk: what a heading, a lead-in sentence
 * or a line opens, and to whom the block goes (a section's items, a statement,
 * passages).  Moved out of kb_build.c unchanged.
 */
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
    if (acronym_in(t, acr, sizeof(acr)) && kb_build_words_classify_introduces_values(t) &&
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
    k = kbw_words(head) <= 3 ? kb_build_words_classify(head) : (struct klass){0};
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
    return below && kb_build_words_classify_mentions_goals(t);
}

/* Is @t a lead-in alone on its line ("We will", "We will not:")?  Under each value
   the page repeats it: a label over the list, not a picture's repeated text. */
static bool
lead_in_line(const char *t)
{
    const char *rest = NULL;

    return kbn_field_of(t, &rest) != FIELD_NONE && *rest == '\0';
}

void
kb_build_block_read(struct bctx *c, const struct kb_block *b)
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
       behave) are:"); a longer lead-in is read by kb_build_words_classify_intro() below
     */
    titlish = b->kind == KB_BLOCK_HEADING ||
              (b->kind == KB_BLOCK_PARAGRAPH &&
               (kbw_title_like(ht) || (kbw_is_intro(ht) && short_lead_in(ht))));
    if (titlish && ht != t) {
        struct klass k = kb_build_words_classify(ht);

        free(undecorated);
        if (k.sect != SECT_NONE && k.sect != SECT_TITLE) {
            kbb_open_section(c, b, k);
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
    /* "Ambition 3: A greener Holmby" heading a page before any goals: the goal
       the page is about, whatever its label's word says elsewhere */
    if (c->sect != SECT_GOALS && c->kb->ngoals == 0 &&
        (b->kind == KB_BLOCK_HEADING || c->i == 0) && kbw_words(t) <= 12 &&
        kb_build_words_classify_goal_prefix(t) > 0) {
        struct klass g = {.sect = SECT_GOALS};
        size_t w = strcspn(t, " ");

        snprintf(g.label, sizeof(g.label), "%.*ss", (int)(w < 40 ? w : 40), t);
        for (char *q = g.label; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        kbb_open_section(c, b, g);
        kbg_goals_block(c, b);
        return;
    }
    if (titlish) {
        struct klass k = kb_build_words_classify(t);

        /* "Ambition" among value headings is a value, not a statement. */
        if (c->sect == SECT_VALUES && k.sect >= SECT_MISSION && k.sect <= SECT_PLEDGE &&
            c->kb->nvalues > c->first_item && kbw_words(t) <= 2 &&
            !kbw_starts_ci(t, "our ") && !kbw_starts_ci(t, "the "))
            k.sect = SECT_NONE;
        /* "Ambition 2: A great place to work" among goals so labelled is the next
           goal, not a statement of ambition */
        if (c->sect == SECT_GOALS && k.sect >= SECT_MISSION && k.sect <= SECT_PLEDGE &&
            kb_build_words_classify_goal_prefix(t) > 0)
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
            kbb_open_section(c, b, k);
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
        kbb_open_section(c, b, (struct klass){.sect = SECT_VALUES});
        free(c->sect_name); /* the report names the sentence with the acronym */
        c->sect_name = xstrdup(last_sentence(t));
        return;
    }
    if (!c->statement_due && c->sect != SECT_VALUES && names_values_later(c, b)) {
        kbb_open_section(c, b, (struct klass){.sect = SECT_VALUES});
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
        struct klass k = kb_build_words_classify_intro(t);

        /* as many lists in a row as the count, no heading between: each list
           a goal, though the first alone would fit the count too */
        if (k.sect == SECT_GOALS && k.count >= 2 && lists_of(c, b, k.count)) {
            kbw_each_sentence(t, scan_sentence, &(struct sctx){c, b->line});
            kbb_open_section(c, b, k);
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
            kbb_open_section(c, b, k);
            return;
        }
        /* "The headings below are our key strategic goals. ..." then a list: the
           sentence points to the list as the goals, though it counts none */
        if (k.sect == SECT_GOALS && !k.sources && k.count == 0 && goals_below(t) &&
            list_after(c, b) >= 2 && list_after(c, b) <= 12) {
            kbw_each_sentence(t, scan_sentence, &(struct sctx){c, b->line});
            kbb_open_section(c, b, k);
            return;
        }
    }
    if (b->kind == KB_BLOCK_PARAGRAPH && kbw_is_intro(t) && !c->statement_due) {
        struct klass k = kb_build_words_classify_intro(t);
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
                kbw_words(head) <= 4 ? kb_build_words_classify(head) : (struct klass){0};

            free(head);
            if (h.sect >= SECT_MISSION && h.sect <= SECT_PLEDGE) {
                kbb_open_section(c, b, h);
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
                kbb_open_section(c, b, (struct klass){.sect = named});
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
            kbb_open_section(c, b, k);
            return;
        }
        if (c->sect == k.sect && k.count && !c->k.count) {
            c->k.count = k.count;
            return;
        }
        if (k.sect == SECT_NONE && c->sect != SECT_GOALS && c->sect != SECT_VALUES) {
            /* "We care about the whole person, through:" then "Name: text" lines: a
               list, but of what the lead-in does not say; not guessed */
            size_t n = kb_build_values_sentence_unnamed_list(c, b);

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
