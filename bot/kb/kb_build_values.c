/*
 * kb_build_values.c - values from the blocks of their section.
 *
 * Inside a values section: "Name: definition" / "Name - definition" lines
 * and items, acronym letters ("S - Safe: ..."), "We are caring: ...",
 * headings with "We will:" bullets, "What it means / What it looks like"
 * lines, bare names, values written as sentences in a list
 * (kb_build_values_sentence.c).  The shape of the first value ends a section
 * that runs on into something else.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb_build_int.h"
/* Adds a point or behaviour, up to KB_BUILD_MAX_SUB under one item. */
void
kbv_push_sub(const struct bctx *c, struct kb_text **arr, size_t *n, const char *text,
             unsigned line)
{
    if (*n < KB_BUILD_MAX_SUB) {
        kb_text_push(arr, n, text, line);
        kbb_where(c, &(*arr)[*n - 1].page, &(*arr)[*n - 1].src);
    }
}

/* -- values ------------------------------------------------------------ */

struct kb_value *
kbv_new_value(struct bctx *c, const char *name, const char *def, unsigned line,
              enum from from)
{
    struct kb *kb = c->kb;
    struct kb_value *v;

    kb->values = xreallocarray(kb->values, kb->nvalues + 1, sizeof(*kb->values));
    v = &kb->values[kb->nvalues++];
    memset(v, 0, sizeof(*v));
    v->name = xstrdup(name);
    kbw_squeeze(v->name);
    kbw_trim_separator(v->name); /* "Communication -" on a line of its own */
    v->description = xstrdup(def ? def : "");
    kbw_squeeze(v->description);
    v->line = line;
    kbb_where(c, &v->page, &v->src);
    if (c->item_from == FROM_NONE)
        c->item_from = from;
    c->cur_from = from;
    c->sub_intro = false;
    free(c->beh_prefix);
    c->beh_prefix = NULL;
    c->cur_block = c->i;
    if (c->value_first == 0)
        c->value_first = line;
    c->value_last = line;
    return v;
}

/* Calls to action and the like are never a value's name. */

static bool
plain_sentence(const struct bctx *c, const struct kb_block *b)
{
    return b->kind == KB_BLOCK_PARAGRAPH &&
           (!kbw_title_like(b->text) || kb_build_values_sentence_line(c, b)) &&
           !kbw_is_intro(b->text) && !kbw_caption_like(b->text);
}

/*
 * Is @b in a run of two or more plain sentence paragraphs that starts right
 * after the block that named the current value?
 */
static bool
sentence_run(const struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *first = c->doc->blocks + c->cur_block + 1,
                          *end = c->doc->blocks + c->doc->nblocks, *p;

    if (first > b)
        return false;
    for (p = first; p <= b; p++) {
        if (!plain_sentence(c, p))
            return false;
    }
    while (p < end && plain_sentence(c, p))
        p++;
    return p - first >= 2;
}

static void
add_value(struct bctx *c, const struct kb_block *b, char *name, char *def, enum from from)
{
    const char *rest;

    if (kbg_count_reached(c)) {
        kbb_close_section(c);
    } else if (def != NULL && kbn_field_of(def, &rest) == FIELD_WE &&
               !kbw_is_intro(def) && strchr(def, ':') != NULL &&
               strchr(def, ':') - def < 12) {
        struct kb_value *v = kbv_new_value(c, name, NULL, b->line, from);

        kbn_add_listed(c, v, rest, b->line);
        c->cur_list = b->list;
    } else {
        kbv_new_value(c, name, def, b->line, from);
        c->cur_list = b->list;
    }
    free(name);
    free(def);
}

/* Is @name one of the values a sentence named? */
static bool
named_value(const struct bctx *c, const char *name)
{
    for (size_t i = 0; i < c->ninl; i++) {
        if (kbw_same_name(c->inl[i].name, name))
            return true;
    }
    return false;
}

/*
 * "We have grouped the values under three headings: Positively,
 * Respectfully, Together." under the values heading: the headings it names
 * are the values; the other short lines and headings under each are its
 * behaviours, and a sentence under one of those explains it.  Returns true
 * if @b was read so.
 */
static bool
named_values_block(struct bctx *c, const struct kb_block *b)
{
    struct kb *kb = c->kb;
    struct kb_value *v = kbg_in_section(c) > 0 ? &kb->values[kb->nvalues - 1] : NULL;
    const char *t = b->text;

    if (b->kind == KB_BLOCK_PARAGRAPH && v == NULL && !c->named && c->ninl > 0 &&
        c->inl[0].line == b->line && c->inl[0].page == b->page && !kbw_title_like(t) &&
        !kbw_is_intro(t)) {
        c->named = true;
        return true;
    }
    if (!c->named)
        return false;
    if (b->kind == KB_BLOCK_HEADING || b->kind == KB_BLOCK_ITEM || kbw_title_like(t)) {
        const char *n = kbn_skip_name_prefix(t);

        if (named_value(c, n)) {
            if (c->named_level == 0)
                c->named_level = b->kind == KB_BLOCK_HEADING ? b->level : 7;
            kbv_new_value(c, n, NULL, b->line,
                          b->kind == KB_BLOCK_ITEM ? FROM_ITEM : FROM_HEADING);
            c->cur_list = b->list;
            c->beh_heading = false;
            return true;
        }
        if (v == NULL && b->kind == KB_BLOCK_ITEM) {
            /* a list before any named heading: the values are listed after all */
            c->named = false;
            return false;
        }
        if (v == NULL) {
            /* a heading the sentence did not name, before any it did: the
               sentence was the list (finish_values() takes it) */
            kbb_close_section(c);
            return true;
        }
        if (b->kind == KB_BLOCK_HEADING && b->level <= c->named_level) {
            kbb_close_section(c); /* a heading as high as the values': they are over */
            return true;
        }
        kbv_push_sub(c, &v->behaviours, &v->nbehaviours, t, b->line);
        c->beh_heading = b->kind != KB_BLOCK_ITEM && !kbw_terminal(t);
        return true;
    }
    if (b->kind != KB_BLOCK_PARAGRAPH || v == NULL)
        return false;
    if (c->beh_heading && v->nbehaviours > 0) {
        /* "Be proactive" then "We look for ways to improve.": one behaviour */
        struct kb_text *last = &v->behaviours[v->nbehaviours - 1];
        char *joined = xasprintf("%s: %s", last->text, t);

        free(last->text);
        last->text = joined;
        c->beh_heading = false;
    } else if (v->description[0] == '\0' && v->nbehaviours == 0) {
        free(v->description);
        v->description = xstrdup(t);
    } else {
        kbv_push_sub(c, &v->behaviours, &v->nbehaviours, t, b->line);
    }
    return true;
}

/*
 * The first word in capitals of four letters or more in @t at or after
 * @from, standing alone (no letter either side); its length in *@len.
 */
static const char *
caps_word(const char *t, const char *from, size_t *len)
{
    for (const char *p = from; *p; p++) {
        size_t n = 0;

        if (p > t && isalpha((unsigned char)p[-1]))
            continue;
        while (isupper((unsigned char)p[n]))
            n++;
        if (n >= 4 && !isalpha((unsigned char)p[n])) {
            *len = n;
            return p;
        }
    }
    return NULL;
}

/*
 * The one word in capitals (four letters or more) in a sentence otherwise in
 * lower case, as a name ("LEARNING" -> "Learning"); NULL if none or several.
 */
static char *
capital_word(const char *t)
{
    size_t flen = 0, n;
    const char *found = caps_word(t, t, &flen);

    char *name;

    if (found == NULL || caps_word(t, found + flen, &n) != NULL)
        return NULL;
    /* "our UHCW Improvement methodology": a name's first word (an organisation's
       initials before a capitalised word, or after "our" or "the"), not a value */
    if ((found[flen] == ' ' && isupper((unsigned char)found[flen + 1]) &&
         islower((unsigned char)found[flen + 2])) ||
        (found - t >= 4 && (strncasecmp(found - 4, "our ", 4) == 0 ||
                            strncasecmp(found - 4, "the ", 4) == 0)))
        return NULL;
    name = xstrndup(found, flen);
    for (size_t i = 1; i < flen; i++)
        name[i] = (char)tolower((unsigned char)name[i]);
    return name;
}

/*
 * Is @b in a list where no item is written "Name: text" and some item is
 * too long to be a name ("Caring for our patients and each other with
 * compassion")?  Such a list holds behaviours, not value names: reported
 * at its first item, not taken.
 */
static bool
behaviour_list(struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *first = b, *p, *end = c->doc->blocks + c->doc->nblocks;
    size_t n = 0, longer = 0;

    while (first > c->doc->blocks && (first - 1)->kind == KB_BLOCK_ITEM &&
           (first - 1)->list == b->list)
        first--;
    for (p = first; p < end && p->kind == KB_BLOCK_ITEM && p->list == b->list; p++) {
        char *name, *def;
        const char *nm = kbn_skip_name_prefix(p->text);
        char *bare;

        if (p->level > 1)
            continue;
        if (kbn_value_line(p->text, p->lead, &name, &def)) {
            free(name);
            free(def);
            return false;
        }
        /* "working together;" / "to make a difference.": a list run as one sentence */
        bare = xstrndup(nm, kb_build_items_len(nm));
        longer += !kbn_name_ok(bare);
        free(bare);
        n++;
    }
    if (longer == 0 || longer == n)
        return false;
    if (b == first)
        kbb_report(c,
                   "unsure: the list at %s under '%.60s' reads as behaviours, not value "
                   "names (%zu of its %zu items are sentences); not taken; check",
                   kbb_at_block(b).s, c->sect_name ? c->sect_name : "", longer, n);
    return true;
}

/*
 * A value written as what "we" do, as a heading over its behaviours: "We put
 * patients at the heart of everything we do" then a list (perhaps after "We
 * will:").  Longer than a name, but the heading and its list say what it is.
 */
static bool
we_heading(const struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *p = b + 1, *end = c->doc->blocks + c->doc->nblocks;
    char *w;
    bool ok;

    if (b->kind != KB_BLOCK_HEADING || !kbw_starts_ci(b->text, "we ") ||
        kbw_terminal(b->text) || strpbrk(b->text, ":;") != NULL)
        return false;
    w = kbw_lower_words(b->text);
    ok = kbw_words(w) >= 3 && kbw_words(w) <= 12 && strstr(w, "value") == NULL &&
         strstr(w, "behaviour") == NULL;
    free(w);
    if (p < end && p->kind == KB_BLOCK_PARAGRAPH && kbw_is_intro(p->text))
        p++;
    return ok && p < end && p->kind == KB_BLOCK_ITEM;
}

/*
 * Is the one word in capitals in @t one the page uses again and again ("the
 * experience of GOSH"): the organisation's own short name, not a value?
 */
static bool
page_acronym(const struct bctx *c, const char *t)
{
    size_t len = 0, blocks = 0;
    const char *at = caps_word(t, t, &len);
    for (size_t i = 0; at != NULL && i < c->doc->nblocks; i++) {
        const char *q = c->doc->blocks[i].text, *h;

        for (h = q; *h; h++) {
            if (strncmp(h, at, len) == 0 && (h == q || !isalpha((unsigned char)h[-1])) &&
                !isalpha((unsigned char)h[len])) {
                blocks++;
                break;
            }
        }
    }
    return blocks >= 3;
}

/* Does "we" come before the capitalised @name in @t? */
static bool
we_before(const char *t, const char *name)
{
    const char *at = NULL;

    for (const char *p = t; (p = kbw_find_ci(p, name)) != NULL; p++) {
        if (isupper((unsigned char)p[1])) {
            at = p;
            break;
        }
    }
    for (const char *p = t; at != NULL && p < at; p++) {
        if ((p == t || !isalpha((unsigned char)p[-1])) && kbw_starts_ci(p, "we "))
            return true;
    }
    return false;
}

/*
 * Is @b an item of the list right after a lead-in that names something other
 * than the values ("They set the standard for how we:")?
 */
static bool
after_other_intro(const struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *p = b;

    while (p > c->doc->blocks && p->kind == KB_BLOCK_ITEM)
        p--;
    return p->kind == KB_BLOCK_PARAGRAPH && kbw_is_intro(p->text) &&
           kb_build_words_classify_intro(p->text).sect != SECT_VALUES &&
           kb_build_words_classify(p->text).sect != SECT_VALUES;
}

/*
 * Is @b a name written as a sentence of its own ("Accountable and
 * responsible."), over a paragraph: up to four words, one full stop at the
 * end, a paragraph of six words or more after it?  A page sets its value
 * names so when they were bold lines, not headings.
 */
static bool
stopped_name(const struct kb_block *b, const struct kb_block *end)
{
    size_t n = strlen(b->text);
    char *bare;
    bool ok;

    if (b->kind != KB_BLOCK_PARAGRAPH || n < 2 || b->text[n - 1] != '.' ||
        memchr(b->text, '.', n - 1) != NULL || kbw_words(b->text) > 4 ||
        !isupper((unsigned char)b->text[0]) || b + 1 >= end ||
        b[1].kind != KB_BLOCK_PARAGRAPH || kbw_words(b[1].text) < 6)
        return false;
    bare = xstrndup(b->text, n - 1);
    ok = kbn_name_ok(bare);
    free(bare);
    return ok;
}

/*
 * Is @b one of two or more such names, the others within six blocks of it
 * (no heading between)?  A lone short sentence is only a sentence.
 */
static bool
stopped_names(const struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *first = c->doc->blocks, *end = first + c->doc->nblocks;

    if (!stopped_name(b, end))
        return false;
    for (const struct kb_block *p = b + 1; p < end && p <= b + 6; p++) {
        if (p->kind == KB_BLOCK_HEADING)
            break;
        if (stopped_name(p, end))
            return true;
    }
    for (const struct kb_block *p = b - 1; p >= first && p >= b - 6; p--) {
        if (p->kind == KB_BLOCK_HEADING)
            break;
        if (stopped_name(p, end))
            return true;
    }
    return false;
}

/* Do @a and @b sit on rows of one PDF page next to each other (no blank between)? */
static bool
pdf_adjacent(const struct kb_block *a, const struct kb_block *b)
{
    return a->row != 0 && a->src == b->src && a->page == b->page && b->row == a->row + 1;
}

/*
 * Is @b the second line of a PDF heading wrapped in a narrow column ("Working"
 * over "Together", a sentence right under them)?  The group stands alone (a
 * blank row before it), two short title lines and its sentence, nothing after:
 * one name over two lines, not two names.
 */
static bool
wrapped_name(const struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *first = c->doc->blocks, *end = first + c->doc->nblocks;
    const struct kb_block *h = b - 1, *s = b + 1;

    if (b == first || s >= end || b->row == 0 || !pdf_adjacent(h, b) ||
        !pdf_adjacent(b, s) || (h > first && pdf_adjacent(h - 1, h)) ||
        (s + 1 < end && pdf_adjacent(s, s + 1)))
        return false;
    return (h->kind == KB_BLOCK_HEADING || h->kind == KB_BLOCK_PARAGRAPH) &&
           (b->kind == KB_BLOCK_HEADING || b->kind == KB_BLOCK_PARAGRAPH) &&
           s->kind == KB_BLOCK_PARAGRAPH && kbw_words(h->text) <= 2 &&
           kbw_words(b->text) <= 2 && !kbw_terminal(h->text) && !kbw_terminal(b->text) &&
           kbw_title_like(b->text) && kbw_words(s->text) >= 5;
}

void
kbv_values_block(struct bctx *c, const struct kb_block *b)
{
    struct kb *kb = c->kb;
    struct kb_value *v = kbg_in_section(c) > 0 ? &kb->values[kb->nvalues - 1] : NULL;
    const char *t = b->text, *rest = NULL;
    enum field f = v != NULL ? kbn_field_of(t, &rest) : FIELD_NONE;
    char *name, *def;
    bool under = v != NULL && (c->cur_from == FROM_HEADING || c->cur_from == FROM_BARE);

    if (c->i < c->we_end) /* taken with the run of "We ..." paragraphs */
        return;
    if (v != NULL && c->cur_block + 1 == c->i && v->description[0] == '\0' &&
        v->nbehaviours == 0 && wrapped_name(c, b)) {
        char *joined = xasprintf("%s %s", v->name, t);

        free(v->name);
        v->name = joined;
        return;
    }
    if (named_values_block(c, b))
        return;
    if (c->i < c->sent_end) {
        kb_build_values_sentence_one(c, b);
        return;
    }
    if (b->kind == KB_BLOCK_ITEM && v == NULL &&
        (c->sent_end = kb_build_values_sentence_phrases(c, b)) > 0) {
        kbb_report(c,
                   "unsure: the values at %s are written as phrases, some long; each is "
                   "taken whole as a value's name; check",
                   kbb_at_block(b).s);
        kb_build_values_sentence_one(c, b);
        return;
    }
    if (b->kind == KB_BLOCK_ITEM && v == NULL &&
        (c->sent_end = kb_build_values_sentence_list(c, b)) > 0) {
        kbb_report(c,
                   "unsure: the values at %s are written as sentences; each is taken "
                   "whole as a value's name (up to a dash); check",
                   kbb_at_block(b).s);
        kb_build_values_sentence_one(c, b);
        return;
    }
    if (f != FIELD_NONE && (b->kind != KB_BLOCK_HEADING || *rest == '\0')) {
        free(c->beh_prefix);
        c->beh_prefix = *rest == '\0' ? kbn_negative_lead(t) : NULL;
        if (*rest == '\0') {
            c->sub_intro = true;
        } else if (f == FIELD_MEANS) {
            free(v->description);
            v->description = xstrdup(rest);
        } else {
            kbv_push_sub(c, &v->behaviours, &v->nbehaviours, f == FIELD_WE ? t : rest,
                         b->line);
        }
        if (c->cur_from == FROM_BARE)
            c->cur_from = FROM_HEADING;
        return;
    }
    if (b->kind == KB_BLOCK_ITEM && v != NULL && c->sub_intro &&
        c->cur_from == FROM_LINE && c->cur_block + 1 < c->i) {
        /* "Respect for all: in every contact ..." then "We will:" and a list */
        kbn_push_behaviour(c, v, t, b->line);
        return;
    }
    if (b->kind == KB_BLOCK_ITEM && v == NULL && behaviour_list(c, b))
        return;
    if (b->kind == KB_BLOCK_ITEM) {
        if (v == NULL && islower((unsigned char)t[0]) && after_other_intro(c, b))
            return; /* "... including how we:" then "recruit": not values */
        if (under &&
            (c->sub_intro || c->cur_from == FROM_HEADING || b->list != c->cur_list)) {
            kbn_push_behaviour(c, v, t, b->line);
            c->cur_from = FROM_HEADING;
            return;
        }
        if (v != NULL && b->level > 1) {
            kbv_push_sub(c, &v->behaviours, &v->nbehaviours, t, b->line);
            return;
        }
        if (kbn_value_line(t, b->lead, &name, &def)) {
            add_value(c, b, name, def, FROM_ITEM);
            return;
        }
        {
            /* "Personal responsibility." - a bare name with a full stop, or a
               semicolon where the list runs as one sentence */
            const char *nm = kbn_skip_name_prefix(t); /* "We pursue Excellence" */
            char *bare = xstrndup(nm, kb_build_items_len(nm));

            if (kbn_name_ok(bare)) {
                add_value(c, b, bare, NULL, FROM_ITEM);
                return;
            }
            free(bare);
        }
        if (v != NULL)
            kbb_close_section(c);
        return;
    }
    if (b->kind == KB_BLOCK_HEADING || kbw_title_like(t)) {
        const char *n = kbn_skip_name_prefix(t);

        if (under && v->description[0] == '\0' && kb_build_values_sentence_line(c, b) &&
            sentence_run(c, b)) {
            /* "Be proactive in ..." over a sentence, under a bare name: a behaviour */
            kbv_push_sub(c, &v->behaviours, &v->nbehaviours, t, b->line);
            return;
        }

        if (kbn_value_line(t, b->lead, &name, &def)) {
            if (def[0] != '\0') {
                /* "Improving lives - we strive ..." as a heading: bullets may follow */
                add_value(c, b, name, def,
                          b->kind == KB_BLOCK_HEADING ? FROM_HEADING : FROM_LINE);
                return;
            }
            free(name);
            free(def);
        }
        if (!kbn_name_ok(n) && v != NULL && c->cur_from == FROM_HEADING &&
            c->cur_block + 1 == c->i && v->description[0] == '\0' &&
            v->nbehaviours == 0 && kbw_words(t) >= 4 &&
            islower((unsigned char)t[strcspn(t, " ") + 1])) {
            /* "Taking Pride" then, as a heading too, "Being advocates of ...": a
               line of lower-case words right under the name defines it */
            free(v->description);
            v->description = xstrdup(t);
            return;
        }
        if (!kbn_name_ok(n) && we_heading(c, b) &&
            (c->item_from == FROM_NONE || c->item_from == FROM_HEADING)) {
            add_value(c, b, xstrdup(t), NULL, FROM_HEADING);
            return;
        }
        if (!kbn_name_ok(n) ||
            (c->item_from != FROM_NONE && c->item_from != FROM_HEADING &&
             c->item_from != FROM_BARE)) {
            kbb_close_section(c);
            return;
        }
        add_value(c, b, xstrdup(n), NULL,
                  b->kind == KB_BLOCK_HEADING ? FROM_HEADING : FROM_BARE);
        return;
    }
    if (b->kind != KB_BLOCK_PARAGRAPH)
        return;
    if (v == NULL && kb_build_items_we_values(c, b) > 0)
        return;
    if (v == NULL && kb_build_items_we_lead_in(t))
        return;
    if (stopped_names(c, b) &&
        (c->item_from == FROM_NONE || c->item_from == FROM_HEADING)) {
        /* "Accountable and responsible." over its paragraph, and another so */
        size_t n = strlen(t);

        add_value(c, b, xstrndup(t, n - 1), NULL, FROM_HEADING);
        return;
    }
    if (kbw_is_intro(t)) {
        if (v != NULL)
            c->sub_intro = true;
        else {
            struct klass k = kb_build_words_classify_intro(t);

            if (k.sect == SECT_VALUES && k.count > 0 && c->k.count == 0)
                c->k.count = k.count;
        }
        return;
    }
    if ((name = capital_word(t)) != NULL && (!we_before(t, name) || page_acronym(c, t))) {
        free(name);
        name = NULL;
    }
    if (name != NULL) {
        /* "We are always LEARNING and acting on what we hear.", "This means we are
           LEADING by example." */
        add_value(c, b, name, xstrdup(t), FROM_LINE);
        return;
    }
    if (c->we_unsure && kbw_starts_ci(t, "we ")) {
        /* one "We ..." statement named no value: the others are read the same way */
        kbb_report(c, "unsure: %s ('%.50s...') may name a value; not taken; check",
                   kbb_at_block(b).s, t);
        return;
    }
    if (kbn_value_line(t, b->lead, &name, &def)) {
        /* "Improving lives - we strive to ..." with bullets under it: they are its own */
        const struct kb_block *next = b + 1;
        bool list_follows =
            next < c->doc->blocks + c->doc->nblocks && next->kind == KB_BLOCK_ITEM;

        add_value(c, b, name, def, list_follows ? FROM_HEADING : FROM_LINE);
        return;
    }
    /* Two or more sentences, each its own paragraph, under a bare name: its
       behaviours (a web page's cards); one is its definition, below, and so is
       the first when the value before had a sentence as its definition only. */
    if (v != NULL && v->description[0] == '\0' &&
        (c->cur_from == FROM_HEADING || c->cur_from == FROM_BARE) &&
        !(kbg_in_section(c) > 1 && (v - 1)->description[0] &&
          (v - 1)->nbehaviours == 0) &&
        sentence_run(c, b)) {
        kbv_push_sub(c, &v->behaviours, &v->nbehaviours, t, b->line);
        return;
    }
    /* A definition under a bare name (a heading, or an item on its own). */
    if (v != NULL && v->description[0] == '\0' && v->nbehaviours == 0 &&
        (c->cur_from == FROM_HEADING ||
         (c->cur_from == FROM_BARE &&
          (kbg_in_section(c) == 1 || (v - 1)->description[0] || (v - 1)->nbehaviours)) ||
         (c->cur_from == FROM_ITEM && b > c->doc->blocks &&
          (b - 1)->kind == KB_BLOCK_ITEM &&
          (b - 1 == c->doc->blocks || (b - 2)->kind != KB_BLOCK_ITEM ||
           (b - 2)->list != (b - 1)->list)))) {
        free(v->description);
        v->description = xstrdup(t);
        return;
    }
    if (kbw_starts_ci(t, "we are ") || kbw_starts_ci(t, "we ")) {
        /* reads like a value's statement, but names none */
        kbb_report(c, "unsure: %s ('%.50s...') reads like a value but names none; check",
                   kbb_at_block(b).s, t);
        c->we_unsure = true;
        /* a value whose name the page gave as a picture, between names it set
           as sentences of their own: the values go on */
        if (v != NULL &&
            !(b + 1 < c->doc->blocks + c->doc->nblocks && stopped_names(c, b + 1)))
            kbb_close_section(c);
        return;
    }
    if (v == NULL) {
        struct klass k = kb_build_words_classify_intro(t);

        if (k.sect == SECT_VALUES && k.count > 0 && c->k.count == 0)
            c->k.count = k.count;
        return;
    }
    kbb_close_section(c);
}
