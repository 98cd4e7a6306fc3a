/*
 * kb_build_items.c - goals and values from the blocks of their section.
 *
 * Inside a goals section: list items are goals (or, under a goal heading,
 * its points); a heading or a short title-like line is a goal, the
 * paragraph under it its description; "Goal 1 - ..." / "Priority 2: ..."
 * lines are goals with their label; a run of "Label: text" or bare lines
 * are goals.  Inside a values section: "Name: definition" / "Name -
 * definition" lines and items, acronym letters ("S - Safe: ..."), "We are
 * caring: ...", headings with "We will:" bullets, "What it means / What it
 * looks like" lines, bare names; tables by their header row.  A stated
 * count ("our four priorities") and the shape of the first item end a
 * section that runs on into something else.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb_build_int.h"

/* Adds a point or behaviour, up to KB_BUILD_MAX_SUB under one item. */
static void
push_sub(const struct bctx *c, struct kb_text **arr, size_t *n, const char *text,
         unsigned line)
{
    if (*n < KB_BUILD_MAX_SUB) {
        kb_text_push(arr, n, text, line);
        kbb_where(c, &(*arr)[*n - 1].page, &(*arr)[*n - 1].src);
    }
}

/* -- goals ------------------------------------------------------------- */

static bool inline_goal_names(struct bctx *c, const struct kb_block *b);

/* A bold lead-in without its closing colon, dash or full stop, or NULL if nothing is
 * left. */
static char *
lead_name(const char *lead)
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
    size_t pre = kbw_goal_prefix(text);
    const char *body = pre ? kbw_skip_separator(text + pre) : text, *sep, *dot;

    if (lead != NULL && strncmp(text, lead, strlen(lead)) == 0 &&
        kbw_words(lead) < kbw_words(text)) {
        char *l = lead_name(lead);
        size_t lp = l ? kbw_goal_prefix(lead) : 0;
        const char *after = lp ? kbw_skip_separator(lead + lp) : NULL;

        /* a lead that is only the label ("Strategic objective 1:") is no title */
        if (l != NULL && (lp == 0 || *after != '\0')) {
            char *title = lp ? lead_name(after) : xstrdup(l);

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
    size_t pre = kbw_goal_prefix(text), n = 0;

    while (n < pre && isalnum((unsigned char)text[pre - n - 1]))
        n++;
    return pre ? kbw_number_word(text + pre - n, n) : 0;
}

struct kb_goal *
kbi_new_goal(struct bctx *c, const char *text, const char *lead, unsigned number,
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

static size_t
in_section(const struct bctx *c)
{
    size_t n = c->sect == SECT_GOALS ? c->kb->ngoals : c->kb->nvalues;

    return n - c->first_item;
}

static bool
count_reached(const struct bctx *c)
{
    return c->k.count > 0 && in_section(c) >= c->k.count;
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
        kbw_link_text(t) || kbw_question_start(t) || kbw_mentions_goals(t))
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
                   kbw_classify(p->text).sect == SECT_NONE &&
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
    struct kb_goal *g = in_section(c) > 0 ? &c->kb->goals[c->kb->ngoals - 1] : NULL;

    if (commitment(b)) {
        kbi_new_goal(c, b->text, NULL, 0, b->line, FROM_PARA);
    } else if (b->kind == KB_BLOCK_ITEM) {
        if (g != NULL)
            push_sub(c, &g->points, &g->npoints, b->text, b->line);
    } else if (g != NULL && b + 1 < c->doc->blocks + c->doc->nblocks &&
               (b + 1)->kind == KB_BLOCK_ITEM && point_label(b)) {
        return; /* "Priorities" over the list of the goal above */
    } else if (b->kind != KB_BLOCK_PARAGRAPH || kbw_title_like(b->text)) {
        kbi_new_goal(c, b->text, NULL, 0, b->line, FROM_PARA);
        c->cur_from = FROM_BARE;
    } else if (g != NULL && g->description[0] == '\0') {
        free(g->description);
        g->description = xstrdup(b->text);
    }
}

void
kbi_goals_block(struct bctx *c, const struct kb_block *b)
{
    struct kb *kb = c->kb;
    struct kb_goal *g = in_section(c) > 0 ? &kb->goals[kb->ngoals - 1] : NULL;
    const char *t = b->text;
    bool titlish = b->kind == KB_BLOCK_HEADING || kbw_title_like(t);
    size_t pre = kbw_goal_prefix(t);

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
    if (b->kind == KB_BLOCK_ITEM) {
        bool under = g != NULL && (c->cur_from == FROM_HEADING ||
                                   c->cur_from == FROM_LABEL || c->cur_from == FROM_BARE);

        if (g != NULL &&
            (under || b->level > 1 ||
             (c->sub_intro && c->cur_from == FROM_ITEM && b->list != c->cur_list))) {
            push_sub(c, &g->points, &g->npoints, t, b->line);
            return;
        }
        if (g != NULL && c->item_from != FROM_ITEM && c->item_from != FROM_NONE) {
            kbb_close_section(c);
            return;
        }
        if (count_reached(c)) {
            kbb_close_section(c);
            return;
        }
        kbi_new_goal(c, t, b->lead, b->number, b->line, FROM_ITEM);
        c->cur_list = b->list;
        return;
    }
    if (kbw_is_intro(t) && b->kind != KB_BLOCK_HEADING) {
        if (g != NULL)
            c->sub_intro = true;
        else {
            struct klass k = kbw_classify_intro(t);

            if (k.sect == SECT_GOALS && k.count > 0 && c->k.count == 0)
                c->k.count = k.count;
        }
        if (pre == 0)
            return;
    }
    if (pre > 0) {
        if (count_reached(c) ||
            (c->item_from != FROM_NONE && c->item_from != FROM_LABEL)) {
            kbb_close_section(c);
            return;
        }
        kbi_new_goal(c, t, b->lead, 0, b->line, FROM_LABEL);
        return;
    }
    if (titlish) {
        if (kbw_question_start(t) || count_reached(c) ||
            (c->item_from != FROM_NONE && c->item_from != FROM_HEADING &&
             c->item_from != FROM_BARE) ||
            (c->item_from == FROM_BARE && b->kind == KB_BLOCK_HEADING && g != NULL)) {
            kbb_close_section(c);
            return;
        }
        kbi_new_goal(c, t, b->lead, 0, b->line,
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
        if (count_reached(c)) {
            kbb_close_section(c);
            return;
        }
        kbi_new_goal(c, t, b->lead, 0, b->line, FROM_LINE);
        return;
    }
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
    if (g == NULL && inline_goal_names(c, b))
        return;
    if (g == NULL) {
        /* An opening sentence: "Our eight strategic objectives run from ..." */
        struct klass k = kbw_classify_intro(t);

        if (k.sect == SECT_GOALS && k.count > 0 && c->k.count == 0)
            c->k.count = k.count;
        return;
    }
    /* a list under a labelled goal, run into one paragraph by a PDF ("How we'll get
       there: run theatres ... offer more clinics"): a lead-in, a colon, the rest */
    if (c->cur_from == FROM_LABEL && c->item_from == FROM_LABEL && g->npoints == 0 &&
        lead_in_colon(t)) {
        push_sub(c, &g->points, &g->npoints, t, b->line);
        return;
    }
    kbb_close_section(c);
}

/* -- values ------------------------------------------------------------ */

struct kb_value *
kbi_new_value(struct bctx *c, const char *name, const char *def, unsigned line,
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
action_start(const char *s)
{
    static const char *const verbs[] = {"download ", "read ",  "find ",  "contact ",
                                        "follow ",   "share ", "watch ", "visit ",
                                        "view ",     "see ",   "click ", "learn more",
                                        "our ",      "the ",   "this ",  NULL};

    for (size_t i = 0; verbs[i] != NULL; i++) {
        if (kbw_starts_ci(s, verbs[i]))
            return true;
    }
    return kbw_question_start(s);
}

/* A value's name: up to five words (a bracketed gloss not counted), no sentence,
   not the name of another part of a page ("Behaviours", "Related pages"). */
static bool
name_ok(const char *s)
{
    static const char *const parts[] = {
        "behaviours", "behaviors",           "our behaviours",   "related pages",
        "downloads",  "documents",           "more information", "contact us",
        "strategy",   "further information", "resources",        NULL};
    char *w = kbw_lower_words(s);
    size_t n = kbw_words(w);
    bool part = false;

    for (size_t i = 0; parts[i] != NULL && !part; i++)
        part = strcmp(w, parts[i]) == 0;
    /* "FIRST Trust values" (a banner's alt text) names the values, it is none */
    part = part || strcmp(w, "values") == 0 || strncmp(w, "values ", 7) == 0 ||
           (strlen(w) > 7 && strcmp(w + strlen(w) - 7, " values") == 0) ||
           strstr(w, " values ") != NULL;
    free(w);
    if (n == 0 || n > 5 || part || action_start(s))
        return false;
    for (const char *p = s; *p; p++) {
        if (strchr(".:;!?\"|", *p) != NULL)
            return false;
    }
    return true;
}

/* "H - Honesty" -> "Honesty"; "We are caring" -> "caring". Returns borrowed @s past it.
 */
static const char *
skip_name_prefix(const char *s)
{
    if (isupper((unsigned char)s[0]) && (s[1] == ' ') &&
        (strncmp(s + 2, "- ", 2) == 0 || strncmp(s + 2, "\xe2\x80\x93 ", 4) == 0 ||
         strncmp(s + 2, "\xe2\x80\x94 ", 4) == 0 || strncmp(s + 2, ": ", 2) == 0))
        return kbw_skip_separator(s + 2);
    if (kbw_starts_ci(s, "we ") && islower((unsigned char)s[3])) {
        /* "We pursue Excellence": a verb, then the name in capitals */
        const char *verb_end = strchr(s + 3, ' ');

        if (verb_end != NULL && !kbw_starts_ci(s, "we are ") &&
            isupper((unsigned char)verb_end[1]) && kbw_words(s) <= 4 &&
            strpbrk(s, ".:;,") == NULL)
            return verb_end + 1;
    }
    if (kbw_starts_ci(s, "we are ")) {
        /* the name runs to the first colon, full stop or dash, a few words in */
        const char *rest, *dash = kbw_separator(s + 7, &rest);
        size_t n = strcspn(s + 7, ":.");
        char *name;

        if (dash != NULL && (size_t)(dash - (s + 7)) < n)
            n = (size_t)(dash - (s + 7));
        name = xstrndup(s + 7, n);
        bool ok = kbw_words(name) <= 3;

        free(name);
        if (ok)
            return s + 7;
    }
    return s;
}

/*
 * Parses "Name: definition", "Name - definition", "**Name** - ...",
 * "S - Safe: ...", "We are caring: ...", "We are open. ...".  On success
 * returns true with *name and *def (out, new strings).
 */
static bool
value_line(const char *text, const char *lead, char **name, char **def)
{
    const char *t = skip_name_prefix(text), *rest = NULL, *sep;

    if (lead != NULL && strncmp(text, lead, strlen(lead)) == 0) {
        char *ln = lead_name(lead);
        const char *l = ln ? skip_name_prefix(ln) : NULL;

        if (l == NULL || !name_ok(l)) {
            free(ln);
            return false;
        }
        *name = xstrdup(l);
        *def = xstrdup(kbw_skip_separator(text + strlen(lead)));
        free(ln);
        return true;
    }
    if (t != text && kbw_starts_ci(text, "we are ")) {
        /* "We are open. We share ...", "We are compassionate.", "We are Caring - ..." */
        const char *dot = strchr(t, '.'), *colon = kbw_separator(t, &rest);

        if (colon != NULL && (dot == NULL || colon < dot)) {
            sep = colon;
        } else if (dot != NULL) {
            sep = dot;
            rest = kbw_skip_separator(dot + 1);
        } else {
            sep = t + strlen(t);
            rest = sep;
        }
    } else {
        sep = kbw_separator(t, &rest);
        if (sep == NULL)
            return false;
    }
    if (sep == t)
        return false;
    *name = xstrndup(t, (size_t)(sep - t));
    kbw_squeeze(*name);
    if (!name_ok(*name)) {
        free(*name);
        return false;
    }
    /* "Last updated: November 2025" is a page's date, not a value */
    if (kbw_is_date(rest)) {
        free(*name);
        return false;
    }
    *def = xstrdup(rest);
    return true;
}

enum field {
    FIELD_NONE = 0,
    FIELD_MEANS, /* "What it means: ..." -> definition */
    FIELD_LOOKS, /* "What it looks like: ..." -> behaviour, label dropped */
    FIELD_WE,    /* "We will: ..." / "We won't: ..." -> behaviour as written */
};

/* The field a line under a value starts with; *rest (out) is after its colon. */
static enum field
field_of(const char *t, const char **rest)
{
    static const char *const means[] = {"what it means:", "what this means:", "meaning:",
                                        "definition:",    "in short:",        NULL};
    static const char *const looks[] = {"what it looks like:",
                                        "this looks like:",
                                        "what you will see:",
                                        "what you'll see:",
                                        "looks like:",
                                        "in practice:",
                                        "what this looks like:",
                                        "behaviours:",
                                        "how we behave:",
                                        "you will see:",
                                        NULL};
    static const char *const we[] = {
        "we will:",   "we won't:",   "we will not:", "we are:", "we do:", "we don't:",
        "we do not:", "we are not:", "i will:",      "we:",     NULL};

    for (size_t i = 0; means[i] != NULL; i++) {
        if (kbw_starts_ci(t, means[i])) {
            *rest = kbw_skip_separator(t + strlen(means[i]));
            return FIELD_MEANS;
        }
    }
    for (size_t i = 0; looks[i] != NULL; i++) {
        if (kbw_starts_ci(t, looks[i])) {
            *rest = kbw_skip_separator(t + strlen(looks[i]));
            return FIELD_LOOKS;
        }
    }
    for (size_t i = 0; we[i] != NULL; i++) {
        if (kbw_starts_ci(t, we[i])) {
            *rest = kbw_skip_separator(t + strlen(we[i]));
            return FIELD_WE;
        }
    }
    return FIELD_NONE;
}

/* "We don't:", "We will not:", "Don't": a lead-in for what not to do, without its
   colon, as a new string; NULL for any other line. */
static char *
negative_lead(const char *t)
{
    static const char *const neg[] = {
        "we won't", "we will not", "we don't", "we do not", "we are not", "don't",
        "do not",   "we never",    "we wont",  "we dont",   NULL};
    size_t n = strlen(t);

    while (n > 0 && (t[n - 1] == ':' || t[n - 1] == ' ' || t[n - 1] == '.'))
        n--;
    for (size_t i = 0; neg[i] != NULL; i++) {
        if (n == strlen(neg[i]) && strncasecmp(t, neg[i], n) == 0)
            return xstrndup(t, n);
    }
    {
        /* "Don’t", "We don’t": a curly apostrophe */
        char *plain = xstrndup(t, n), *q;

        while ((q = strstr(plain, "\xe2\x80\x99")) != NULL)
            memmove(q + 1, q + 3, strlen(q + 3) + 1), *q = '\'';
        for (size_t i = 0; neg[i] != NULL; i++) {
            if (strcasecmp(plain, neg[i]) == 0) {
                free(plain);
                return xstrndup(t, n);
            }
        }
        free(plain);
    }
    return NULL;
}

/* Adds behaviour @t to @v, after the negative lead-in it stands under, if any:
   "We don't" and "ignore people" make "We don't ignore people". */
static void
push_behaviour(const struct bctx *c, struct kb_value *v, const char *t, unsigned line)
{
    char *joined;

    if (c->beh_prefix == NULL) {
        push_sub(c, &v->behaviours, &v->nbehaviours, t, line);
        return;
    }
    joined = xasprintf("%s %s", c->beh_prefix, t);
    {
        char *first = joined + strlen(c->beh_prefix) + 1;

        if (isupper((unsigned char)first[0]) && islower((unsigned char)first[1]))
            first[0] = (char)tolower((unsigned char)first[0]);
    }
    push_sub(c, &v->behaviours, &v->nbehaviours, joined, line);
    free(joined);
}

/* "We are: welcoming, patient and thoughtful" - behaviours listed after a field. */
static void
add_listed(const struct bctx *c, struct kb_value *v, const char *list, unsigned line)
{
    char *s = xstrdup(list), *p = s, *and = NULL;

    /* "a, b and c" / "a, b, and c": the last " and " separates too */
    for (char *q = s; (q = strstr(q, " and ")) != NULL; q++)
        and = q;
    if (and != NULL) {
        memmove(and+1, and+4, strlen(and+4) + 1);
        and[0] = ',';
    }
    for (;;) {
        char *e = strchr(p, ','), *item;
        size_t n;

        if (e != NULL)
            *e = '\0';
        kbw_squeeze(p);
        item = p;
        n = strlen(item);
        while (n > 0 && strchr(".;", item[n - 1]))
            item[--n] = '\0';
        if (n > 0)
            push_sub(c, &v->behaviours, &v->nbehaviours, item, line);
        if (e == NULL)
            break;
        p = e + 1;
    }
    free(s);
}

static bool
plain_sentence(const struct kb_block *b)
{
    return b->kind == KB_BLOCK_PARAGRAPH && !kbw_title_like(b->text) &&
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
        if (!plain_sentence(p))
            return false;
    }
    while (p < end && plain_sentence(p))
        p++;
    return p - first >= 2;
}

static void
add_value(struct bctx *c, const struct kb_block *b, char *name, char *def, enum from from)
{
    const char *rest;

    if (count_reached(c)) {
        kbb_close_section(c);
    } else if (def != NULL && field_of(def, &rest) == FIELD_WE && !kbw_is_intro(def) &&
               strchr(def, ':') != NULL && strchr(def, ':') - def < 12) {
        struct kb_value *v = kbi_new_value(c, name, NULL, b->line, from);

        add_listed(c, v, rest, b->line);
        c->cur_list = b->list;
    } else {
        kbi_new_value(c, name, def, b->line, from);
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
    struct kb_value *v = in_section(c) > 0 ? &kb->values[kb->nvalues - 1] : NULL;
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
        const char *n = skip_name_prefix(t);

        if (named_value(c, n)) {
            if (c->named_level == 0)
                c->named_level = b->kind == KB_BLOCK_HEADING ? b->level : 7;
            kbi_new_value(c, n, NULL, b->line,
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
        push_sub(c, &v->behaviours, &v->nbehaviours, t, b->line);
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
        push_sub(c, &v->behaviours, &v->nbehaviours, t, b->line);
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
        const char *nm = skip_name_prefix(p->text);
        size_t len = strlen(nm);
        char *bare;

        if (p->level > 1)
            continue;
        if (value_line(p->text, p->lead, &name, &def)) {
            free(name);
            free(def);
            return false;
        }
        bare = xstrndup(nm, len > 1 && nm[len - 1] == '.' ? len - 1 : len);
        longer += !name_ok(bare);
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

/* The text of item @b without a closing full stop, as a new string. */
static char *
bare_item(const struct kb_block *b)
{
    const char *nm = skip_name_prefix(b->text);
    size_t len = strlen(nm);

    return xstrndup(nm, len > 1 && nm[len - 1] == '.' ? len - 1 : len);
}

/*
 * Values written as sentences: "four core values" (or "The values are:")
 * right before a list whose every item is a sentence, as many as the count
 * says ("Treat everyone with respect and dignity - our colleagues ...", "Be
 * open and transparent in all our dealings").  The page says the list is
 * its values, and names them no shorter.  Returns the block after the list
 * when @b starts such a list, else 0.
 */
static size_t
sentence_values(const struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *p, *end = c->doc->blocks + c->doc->nblocks,
                              *before = b > c->doc->blocks ? b - 1 : NULL;
    size_t n = 0, lines = 0;
    bool lead;

    if (before == NULL || (before->kind == KB_BLOCK_ITEM && before->list == b->list))
        return 0;
    /* a lead-in naming the values ("The values are:"), or a sentence counting them */
    lead = before->kind == KB_BLOCK_PARAGRAPH && kbw_is_intro(before->text) &&
           (kbw_classify(before->text).sect == SECT_VALUES ||
            kbw_classify_intro(before->text).sect == SECT_VALUES);
    if (!lead && !(before->kind == KB_BLOCK_PARAGRAPH && c->k.count > 0 &&
                   kbw_classify_intro(before->text).sect == SECT_VALUES))
        return 0;
    for (p = b; p < end && p->kind == KB_BLOCK_ITEM && p->list == b->list; p++) {
        char *name, *def, *bare;
        bool named = false;

        if (p->level > 1)
            return 0;
        if (value_line(p->text, p->lead, &name, &def)) {
            free(name);
            free(def);
            lines++;
        } else {
            bare = bare_item(p);
            named = name_ok(bare);
            free(bare);
        }
        if (named || kbw_words(p->text) < 4)
            return 0;
        n++;
    }
    /* a list of "Name - text" lines is read as such */
    if (n < 2 || lines == n || (c->k.count > 0 && c->k.count != n) ||
        (c->k.count == 0 && !lead))
        return 0;
    return (size_t)(p - c->doc->blocks);
}

/* An item of a list sentence_values() found: the sentence up to a dash is the name. */
static void
sentence_value(struct bctx *c, const struct kb_block *b)
{
    const char *rest, *sep = kbw_separator(b->text, &rest);
    char *name, *def = NULL;

    if (sep != NULL && sep > b->text && kbw_words(rest) > 0) {
        name = xstrndup(b->text, (size_t)(sep - b->text));
        def = xstrdup(rest);
    } else {
        name = bare_item(b);
    }
    kbi_new_value(c, name, def, b->line, FROM_ITEM);
    c->cur_list = b->list;
    free(name);
    free(def);
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
           kbw_classify_intro(p->text).sect != SECT_VALUES &&
           kbw_classify(p->text).sect != SECT_VALUES;
}

void
kbi_values_block(struct bctx *c, const struct kb_block *b)
{
    struct kb *kb = c->kb;
    struct kb_value *v = in_section(c) > 0 ? &kb->values[kb->nvalues - 1] : NULL;
    const char *t = b->text, *rest = NULL;
    enum field f = v != NULL ? field_of(t, &rest) : FIELD_NONE;
    char *name, *def;
    bool under = v != NULL && (c->cur_from == FROM_HEADING || c->cur_from == FROM_BARE);

    if (named_values_block(c, b))
        return;
    if (c->i < c->sent_end) {
        sentence_value(c, b);
        return;
    }
    if (b->kind == KB_BLOCK_ITEM && v == NULL &&
        (c->sent_end = sentence_values(c, b)) > 0) {
        kbb_report(c,
                   "unsure: the values at %s are written as sentences; each is taken "
                   "whole as a value's name (up to a dash); check",
                   kbb_at_block(b).s);
        sentence_value(c, b);
        return;
    }
    if (f != FIELD_NONE && b->kind != KB_BLOCK_HEADING) {
        free(c->beh_prefix);
        c->beh_prefix = *rest == '\0' ? negative_lead(t) : NULL;
        if (*rest == '\0') {
            c->sub_intro = true;
        } else if (f == FIELD_MEANS) {
            free(v->description);
            v->description = xstrdup(rest);
        } else {
            push_sub(c, &v->behaviours, &v->nbehaviours, f == FIELD_WE ? t : rest,
                     b->line);
        }
        if (c->cur_from == FROM_BARE)
            c->cur_from = FROM_HEADING;
        return;
    }
    if (b->kind == KB_BLOCK_ITEM && v != NULL && c->sub_intro &&
        c->cur_from == FROM_LINE && c->cur_block + 1 < c->i) {
        /* "Respect for all: in every contact ..." then "We will:" and a list */
        push_behaviour(c, v, t, b->line);
        return;
    }
    if (b->kind == KB_BLOCK_ITEM && v == NULL && behaviour_list(c, b))
        return;
    if (b->kind == KB_BLOCK_ITEM) {
        if (v == NULL && islower((unsigned char)t[0]) && after_other_intro(c, b))
            return; /* "... including how we:" then "recruit": not values */
        if (under &&
            (c->sub_intro || c->cur_from == FROM_HEADING || b->list != c->cur_list)) {
            push_behaviour(c, v, t, b->line);
            c->cur_from = FROM_HEADING;
            return;
        }
        if (v != NULL && b->level > 1) {
            push_sub(c, &v->behaviours, &v->nbehaviours, t, b->line);
            return;
        }
        if (value_line(t, b->lead, &name, &def)) {
            add_value(c, b, name, def, FROM_ITEM);
            return;
        }
        {
            /* "Personal responsibility." - a bare name with a full stop */
            const char *nm = skip_name_prefix(t); /* "We pursue Excellence" */
            size_t n = strlen(nm);
            char *bare = xstrndup(nm, n > 1 && nm[n - 1] == '.' ? n - 1 : n);

            if (name_ok(bare)) {
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
        const char *n = skip_name_prefix(t);

        if (value_line(t, b->lead, &name, &def)) {
            if (def[0] != '\0') {
                /* "Improving lives - we strive ..." as a heading: bullets may follow */
                add_value(c, b, name, def,
                          b->kind == KB_BLOCK_HEADING ? FROM_HEADING : FROM_LINE);
                return;
            }
            free(name);
            free(def);
        }
        if (!name_ok(n) && we_heading(c, b) &&
            (c->item_from == FROM_NONE || c->item_from == FROM_HEADING)) {
            add_value(c, b, xstrdup(t), NULL, FROM_HEADING);
            return;
        }
        if (!name_ok(n) || (c->item_from != FROM_NONE && c->item_from != FROM_HEADING &&
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
    if (kbw_is_intro(t)) {
        if (v != NULL)
            c->sub_intro = true;
        else {
            struct klass k = kbw_classify_intro(t);

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
    if (value_line(t, b->lead, &name, &def)) {
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
        !(in_section(c) > 1 && (v - 1)->description[0] && (v - 1)->nbehaviours == 0) &&
        sentence_run(c, b)) {
        push_sub(c, &v->behaviours, &v->nbehaviours, t, b->line);
        return;
    }
    /* A definition under a bare name (a heading, or an item on its own). */
    if (v != NULL && v->description[0] == '\0' && v->nbehaviours == 0 &&
        (c->cur_from == FROM_HEADING ||
         (c->cur_from == FROM_BARE &&
          (in_section(c) == 1 || (v - 1)->description[0] || (v - 1)->nbehaviours)) ||
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
        if (v != NULL)
            kbb_close_section(c);
        return;
    }
    if (v == NULL) {
        struct klass k = kbw_classify_intro(t);

        if (k.sect == SECT_VALUES && k.count > 0 && c->k.count == 0)
            c->k.count = k.count;
        return;
    }
    kbb_close_section(c);
}

size_t
kbi_unnamed_list(const struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *p = b + 1, *end = c->doc->blocks + c->doc->nblocks;
    size_t n = 0;

    for (; p < end && (p->kind == KB_BLOCK_PARAGRAPH || p->kind == KB_BLOCK_ITEM); p++) {
        char *name, *def;
        bool ok;

        if (!value_line(p->text, p->lead, &name, &def))
            break;
        ok = def[0] != '\0' && kbw_words(name) <= 3 && isupper((unsigned char)name[0]);
        free(name);
        free(def);
        if (!ok)
            break;
        n++;
    }
    return n >= 3 ? n : 0;
}

/* -- tables ------------------------------------------------------------ */

static bool
all_questions(const struct kb_block *b)
{
    size_t n = 0;

    for (size_t i = 0; i < b->ncells; i++) {
        if (b->cells[i][0] == '\0')
            continue;
        if (!kbw_question_start(b->cells[i]))
            return false;
        n++;
    }
    return n > 0;
}

/*
 * A table row.  The first row of a table is its header: section names in
 * several columns ("Our purpose | Our vision | Our goals | Our values")
 * make a strategy-on-a-page table read by columns; "Value | What it means |
 * What you will see" a values table read by rows.
 */
void
kbi_row(struct bctx *c, const struct kb_block *b)
{
    if (!c->in_table) {
        size_t named = 0;

        c->in_table = true;
        c->table_line = b->line;
        c->table_page = b->page;
        c->table_goals = c->table_values = 0;
        c->col_table = c->row_values = c->row_goals = false;
        c->name_col = c->def_col = c->beh_col = -1;
        for (size_t i = 0; i < b->ncells && i < 8; i++) {
            struct klass k = kbw_classify(b->cells[i]);

            c->col_sect[i] = k.sect == SECT_TITLE ? SECT_NONE : (int)k.sect;
            named += k.sect != SECT_NONE && k.sect != SECT_TITLE;
        }
        if (named >= 2 && b->ncells >= 2) {
            c->col_table = true;
            kbb_close_section(c);
            return;
        }
        /* no header: "Respect | We treat everyone with dignity." under the values'
           heading, a name and a sentence defining it: every row is a value */
        if (c->sect == SECT_VALUES && in_section(c) == 0 && !c->extra && b->ncells >= 2 &&
            name_ok(b->cells[0]) && kbw_words(b->cells[1]) >= 3 &&
            kbw_terminal(b->cells[1])) {
            c->row_values = true;
            c->name_col = 0;
            c->def_col = 1;
            c->beh_col = b->ncells > 2 ? 2 : -1;
        }
        if (!c->row_values) { /* a headerless first row is a value: read below */
            for (size_t i = 0; i < b->ncells && i < 8; i++) {
                const char *h = b->cells[i];

                if (i == 0 &&
                    (strcasecmp(h, "value") == 0 || strcasecmp(h, "values") == 0 ||
                     strcasecmp(h, "our values") == 0 ||
                     (c->sect == SECT_VALUES && kbw_words(h) <= 2)))
                    c->name_col = 0;
                else if (kbw_find_ci(h, "mean") || kbw_find_ci(h, "definition") ||
                         kbw_find_ci(h, "what it is"))
                    c->def_col = (int)i;
                else if (kbw_find_ci(h, "see") || kbw_find_ci(h, "looks like") ||
                         kbw_find_ci(h, "behaviour"))
                    c->beh_col = (int)i;
            }
            /* "Objective | What we will achieve | Measure" under the goals' heading */
            c->row_goals = c->sect == SECT_GOALS && in_section(c) == 0 && !c->extra &&
                           b->ncells >= 2 && kbw_words(b->cells[0]) <= 3 &&
                           kbw_mentions_goals(b->cells[0]);
            if (c->row_goals)
                return;
            if (!(c->name_col == 0 && (c->def_col > 0 || c->beh_col > 0)))
                kbb_report(
                    c,
                    "a table at %s ('%.60s') was kept as passages: its header names "
                    "no values or sections",
                    kbb_at_block(b).s, b->text);
            if (c->name_col == 0 && (c->def_col > 0 || c->beh_col > 0)) {
                c->row_values = true;
                if (c->sect != SECT_VALUES || in_section(c) > 0) {
                    kbb_close_section(c);
                    c->sect = SECT_VALUES;
                    c->first_item = c->kb->nvalues;
                    c->extra = c->kb->nvalues > 0;
                }
            }
            return;
        }
    }
    if (c->col_table) {
        if (all_questions(b) || c->kb->ngoals >= KB_BUILD_MAX_ITEMS ||
            c->kb->nvalues >= KB_BUILD_MAX_ITEMS)
            return;
        for (size_t i = 0; i < b->ncells && i < 8; i++) {
            const char *cell = b->cells[i];
            enum sect s = (enum sect)c->col_sect[i];

            if (cell[0] == '\0')
                continue;
            if (s == SECT_GOALS) {
                if (c->goal_how == NULL)
                    c->goal_how = xstrdup("a table column");
                kbi_new_goal(c, cell, NULL, 0, b->line, FROM_ROW);
                c->table_goals++;
            } else if (s == SECT_VALUES && name_ok(cell)) {
                if (c->value_how == NULL)
                    c->value_how = xstrdup("a table column");
                kbi_new_value(c, cell, NULL, b->line, FROM_ROW);
                c->table_values++;
            } else if (s != SECT_NONE && s != SECT_VALUES && s != SECT_GOALS) {
                kbt_set_statement(c, s, cell, b->line);
            }
        }
        return;
    }
    if (c->row_goals && b->ncells >= 2 && b->cells[0][0] &&
        c->kb->ngoals < KB_BUILD_MAX_ITEMS && !kbw_terminal(b->cells[0]) &&
        kbw_words(b->cells[0]) <= 12) {
        struct kb_goal *g = kbi_new_goal(c, b->cells[0], NULL, 0, b->line, FROM_ROW);
        const char *d = b->cells[1];

        free(g->title); /* the first cell is the title, whatever its punctuation */
        g->title = xstrdup(b->cells[0]);
        free(g->description);
        g->description = xstrdup(d);
        for (size_t i = 2; i < b->ncells; i++) {
            if (b->cells[i][0])
                push_sub(c, &g->points, &g->npoints, b->cells[i], b->line);
        }
        return;
    }
    if (c->row_values && !c->extra && b->ncells > 0 &&
        c->kb->nvalues < KB_BUILD_MAX_ITEMS && name_ok(b->cells[0])) {
        struct kb_value *v;

        if (c->value_how == NULL)
            c->value_how = xstrdup("a table");
        v = kbi_new_value(c, b->cells[0],
                          c->def_col > 0 && (size_t)c->def_col < b->ncells
                              ? b->cells[c->def_col]
                              : NULL,
                          b->line, FROM_ROW);
        if (c->beh_col > 0 && (size_t)c->beh_col < b->ncells && b->cells[c->beh_col][0])
            push_sub(c, &v->behaviours, &v->nbehaviours, b->cells[c->beh_col], b->line);
    }
}

/* Reports what a table read by columns gave, when the table ends. */
void
kbi_table_end(struct bctx *c)
{
    if (c->in_table && c->col_table && (c->table_goals || c->table_values))
        kbb_report(c, "%zu goals and %zu values from a table read by columns, %s",
                   c->table_goals, c->table_values,
                   kbb_at(c->table_line, c->table_page).s);
    c->in_table = false;
}

/* -- lists inside a sentence ------------------------------------------- */

static bool
stop_word(const char *w, size_t len)
{
    static const char *const stops[] = {
        "at",     "in",      "all",   "to",       "which",     "that", "are",  "is",
        "stay",   "stays",   "guide", "guides",   "will",      "as",   "for",  "with",
        "remain", "remains", "every", "underpin", "underpins", "sit",  "sits", "the",
        "we",     "our",     "and",   "have",     "has",       "were", "was",  "run",
        "runs",   "lie",     "lies",  "shape",    "shapes",    NULL};

    for (size_t i = 0; stops[i] != NULL; i++) {
        if (len == strlen(stops[i]) && strncasecmp(w, stops[i], len) == 0)
            return true;
    }
    return false;
}

/* Does a preposition start the word at @q (after spaces)? */
static bool
preposition_follows(const char *q)
{
    static const char *const preps[] = {"with ", "by ",      "into ",
                                        "from ", "through ", NULL};

    while (*q == ' ')
        q++;
    for (size_t i = 0; preps[i] != NULL; i++) {
        if (kbw_starts_ci(q, preps[i]))
            return true;
    }
    return false;
}

/*
 * Splits "a, b and c" (or "a; b; and c") at @list, ending at @end, into at
 * most 8 names of at most @max_words words in @out.  The last name is cut before the
 * sentence goes on
 * ("teamwork at the centre of ...").  Returns how many, 0 if any is not a
 * short name.
 */
static size_t
split_names(const char *list, const char *end, size_t max_words, char out[8][64])
{
    char *s = xstrndup(list, (size_t)(end - list)), *p = s;
    char sep = strchr(s, ';') ? ';' : ',';
    size_t n = 0;
    bool ok = true;

    for (;;) {
        char *e = strchr(p, sep), *item;
        char *and;

        if (e != NULL)
            *e = '\0';
        kbw_squeeze(p);
        item = p;
        if (kbw_starts_ci(item, "and "))
            item += 4;
        else if (kbw_starts_ci(item, "or "))
            item += 3;
        if (e == NULL && n >= 2 && sep == ',' &&
            (kbw_starts_ci(item, "the ") || kbw_starts_ci(item, "this ") ||
             kbw_starts_ci(item, "our ") || kbw_starts_ci(item, "its "))) {
            /* "a, b and c, the strategy has ...": the list ended at "b and c" */
            char *last = out[n - 1], *a2 = strstr(last, " and ");

            if (a2 != NULL && n < 8) {
                *a2 = '\0';
                snprintf(out[n++], 64, "%s", a2 + 5);
            }
            break;
        }
        /* "b and c" in the last comma item holds two. */
        and = e == NULL && sep == ',' ? strstr(item, " and ") : NULL;
        if (and != NULL) {
            *and = '\0';
            if (n < 8)
                snprintf(out[n++], 64, "%s", item);
            item = and+5;
        }
        if (e == NULL && max_words <= 3) {
            /* Cut the last name before the sentence goes on (names of a few words;
               longer ones run to the end of their sentence). */
            char *q = item;
            size_t words = 0;

            while (*q) {
                char *ws = q;
                size_t len;

                while (*q && *q != ' ')
                    q++;
                len = (size_t)(q - ws);
                if (words > 0 && stop_word(ws, len)) {
                    ws[-1] = '\0';
                    break;
                }
                /* "learning combined with a grassroots approach": a participle and
                   a preposition carry the sentence on past the name */
                if (words > 0 && len > 3 && strncmp(q - 2, "ed", 2) == 0 &&
                    preposition_follows(q)) {
                    ws[-1] = '\0';
                    break;
                }
                words++;
                while (*q == ' ')
                    q++;
            }
        }
        {
            size_t len = strlen(item);

            while (len > 0 && strchr(".:;, ", item[len - 1]))
                item[--len] = '\0';
            kbw_trim_separator(item); /* "Support - with the first letters ..." */
        }
        if (*item == '\0' || kbw_words(item) > max_words ||
            strpbrk(item, "0123456789\"") != NULL)
            ok = false;
        else if (n < 8)
            snprintf(out[n++], 64, "%s", item);
        if (e == NULL)
            break;
        p = e + 1;
    }
    free(s);
    return ok && n >= 2 ? n : 0;
}

/*
 * Values listed in a sentence: "Our values are partnership, openness and
 * care", "three values: respect, hope and teamwork", "values of compassion,
 * courage and teamwork at the centre", "values - respect, teamwork and
 * integrity - stay", "five core values ... guide how we work: A; B; and C".
 */
void
kbi_inline_values(struct bctx *c, const char *s, unsigned line)
{
    const char *v = NULL, *p, *list = NULL, *end;
    bool are = false;
    char names[8][64];
    size_t n;

    if (c->ninl > 0)
        return;
    /* "Values in Action reflects our values of care, ...": the first "values" that a
       list follows */
    for (p = s; (p = kbw_find_ci(p, "values")) != NULL; p += 6) {
        if ((p == s || !isalpha((unsigned char)p[-1])) && !isalpha((unsigned char)p[6])) {
            if (v == NULL)
                v = p + 6;
            if (kbw_starts_ci(p + 6, " are ") || kbw_starts_ci(p + 6, " of ") ||
                kbw_starts_ci(p + 6, ": ") || kbw_starts_ci(p + 6, " - ") ||
                kbw_starts_ci(p + 6, " \xe2\x80\x93 ") ||
                kbw_starts_ci(p + 6, " \xe2\x80\x94 ")) {
                v = p + 6;
                break;
            }
        }
    }
    if (v == NULL)
        return;
    if (kbw_starts_ci(v, " are ") && !kbw_starts_ci(v, " are at ")) {
        list = v + 5;
        are = true;
    } else if (kbw_starts_ci(v, " of ")) {
        list = v + 4;
    } else if (kbw_starts_ci(v, ": ")) {
        list = v + 2;
    } else if (kbw_starts_ci(v, " \xe2\x80\x93 ") || kbw_starts_ci(v, " \xe2\x80\x94 ") ||
               kbw_starts_ci(v, " - ")) {
        const char *e2;

        list = kbw_skip_separator(v);
        e2 = strstr(list, " \xe2\x80\x93 ");
        if (e2 == NULL)
            e2 = strstr(list, " \xe2\x80\x94 ");
        if (e2 == NULL)
            e2 = strstr(list, " - ");
        if (e2 != NULL) {
            const char *after = kbw_skip_separator(e2);
            /* "values - which were set by staff - guide how ...: A; B" */
            const char *colon = strrchr(after, ':');

            if (colon != NULL && colon[1] == ' ') {
                list = colon + 2;
            } else {
                n = split_names(list, e2, 3, names);
                goto found;
            }
        }
    } else if ((p = strrchr(v, ':')) != NULL && p[1] == ' ') {
        list = p + 2;
    }
    if (list == NULL)
        return;
    end = list + strlen(list);
    n = split_names(list, end, 3, names);
found:
    /* "our values are well-embedded and widely known" describes them: two lower-case
       words after "are" are read as a description, three or more as a list */
    if (are && n == 2 && islower((unsigned char)names[0][0]) &&
        islower((unsigned char)names[1][0]))
        n = 0;
    for (size_t i = 0; i < n; i++) {
        c->inl = xreallocarray(c->inl, c->ninl + 1, sizeof(*c->inl));
        c->inl[c->ninl++] = (struct kb_value){
            .name = xstrdup(names[i]), .description = xstrdup(""), .line = line};
        kbb_where(c, &c->inl[c->ninl - 1].page, &c->inl[c->ninl - 1].src);
    }
}

/* -- when no section gave any ------------------------------------------ */

/*
 * "Our ambitions sit under four headings; Caring for our patients, Supporting
 * our people, ... and Enhancing our performance.": a count before a semicolon
 * or colon, then as many names in capitals.  Returns how many, 0 if not so.
 */
static size_t
counted_names(const char *t, char names[8][64])
{
    const char *sep = strpbrk(t, ";:"), *list, *end;
    char *head, *w;
    unsigned count = 0;
    size_t n;

    if (sep == NULL || sep[1] != ' ' || !isupper((unsigned char)sep[2]))
        return 0;
    head = xstrndup(t, (size_t)(sep - t));
    if (!kbw_mentions_goals(head)) {
        free(head);
        return 0;
    }
    w = kbw_lower_words(head);
    for (const char *q = w; *q;) {
        size_t len = strcspn(q, " ");
        unsigned k = isdigit((unsigned char)*q) ? 0 : kbw_number_word(q, len);

        if (k >= 2 && k <= 8)
            count = k;
        q += len;
        while (*q == ' ')
            q++;
    }
    free(w);
    free(head);
    list = sep + 2;
    end = strstr(list, ". ");
    n = count ? split_names(list, end ? end : list + strlen(list), 5, names) : 0;
    for (size_t i = 0; i < n; i++) {
        if (!isupper((unsigned char)names[i][0]))
            return 0;
    }
    return n == count ? n : 0;
}

/* "Our strategic themes are Quality and Safety, Patients, People and Sustainability." */
static bool
inline_goal_names(struct bctx *c, const struct kb_block *b)
{
    static const char *const kw[] = {
        "objectives are ", "priorities are ", "goals are ", "aims are ",
        "themes are ",     "pillars are ",    NULL};
    const char *p = NULL, *end;
    char names[8][64];
    size_t n;

    for (size_t i = 0; kw[i] != NULL && p == NULL; i++) {
        p = kbw_find_ci(b->text, kw[i]);
        if (p != NULL)
            p += strlen(kw[i]);
    }
    if (p == NULL) {
        n = counted_names(b->text, names);
        goto found;
    }
    if (!isupper((unsigned char)*p))
        return false;
    end = strstr(p, ". ");
    n = split_names(p, end ? end : p + strlen(p), 3, names);
found:
    for (size_t i = 0; i < n; i++) {
        if (!isupper((unsigned char)names[i][0]))
            return false;
    }
    for (size_t i = 0; i < n; i++)
        kbi_new_goal(c, names[i], NULL, 0, b->line, FROM_LINE);
    return n > 0;
}

/* "Our objectives for 2025/26 are to reduce ..., to recruit ..., and to cut ..." */
static bool
inline_goals(struct bctx *c, const struct kb_block *b)
{
    static const char *const kw[] = {"objectives", "priorities", "goals", "aims", NULL};
    const char *t = b->text, *p = NULL, *are;
    char *s;
    size_t n = 0;

    are = kbw_find_ci(t, " are to ");
    if (are == NULL)
        return inline_goal_names(c, b);
    for (size_t i = 0; kw[i] != NULL && p == NULL; i++) {
        for (const char *q = t; (q = kbw_find_ci(q, kw[i])) != NULL && q < are; q++) {
            if (are - q <= 40)
                p = q;
        }
    }
    if (p == NULL)
        return false;
    s = xstrdup(are + 8);
    {
        char *dot = strstr(s, ". ");

        if (dot != NULL)
            dot[1] = '\0';
    }
    for (char *q = s, *e;; q = e) {
        char *next = strstr(q, ", to ");
        char *and = strstr(q, ", and to ");
        size_t len;

        if (and != NULL && (next == NULL || and < next)) {
            *and = '\0';
            e = and+9;
        } else if (next != NULL) {
            *next = '\0';
            e = next + 5;
        } else {
            e = NULL;
        }
        len = strlen(q);
        while (len > 0 && (q[len - 1] == '.' || q[len - 1] == ' '))
            q[--len] = '\0';
        if (len > 0) {
            kbi_new_goal(c, q, NULL, 0, b->line, FROM_LINE);
            n++;
        }
        if (e == NULL)
            break;
    }
    free(s);
    if (n > 0) {
        free(c->goal_how);
        c->goal_how = xstrdup("inline list in a sentence");
    }
    return n > 0;
}

/* Where "@k. " stands as a list number (after a space, before a capital) in @t from
   @from on; NULL if nowhere. */
static const char *
number_mark(const char *t, const char *from, unsigned k)
{
    char mark[8];

    snprintf(mark, sizeof(mark), "%u. ", k);
    for (const char *p = from; (p = strstr(p, mark)) != NULL; p++) {
        if ((p == t || p[-1] == ' ') && isupper((unsigned char)p[strlen(mark)]))
            return p;
    }
    return NULL;
}

/*
 * A numbered list run into one paragraph, as a PDF read back line by line
 * may give it ("These strategic objectives ...: 1. Putting people at the
 * heart ... 4. The best health ... 2. Working together ..."): the sentence
 * before "1." speaks of goals, and 1 to N (three or more) all follow, in any
 * order (two columns of numbers read across).  Each number's text runs to
 * the next number; the last to the end of its sentence or a colon.
 */
static bool
run_in_numbers(struct bctx *c, const struct kb_block *b)
{
    const char *t = b->text, *at[10], *first = number_mark(t, t, 1), *lead;
    unsigned n = 0;

    if (first == NULL)
        return false;
    lead = first;
    while (lead > t && !(lead[-1] == ' ' && lead - t >= 2 && lead[-2] == '.'))
        lead--;
    {
        char *head = xstrndup(lead, (size_t)(first - lead));
        bool goals = kbw_mentions_goals(head);

        free(head);
        if (!goals)
            return false;
    }
    at[0] = first;
    for (unsigned k = 2; k <= 9 && (at[k - 1] = number_mark(t, first, k)) != NULL; k++)
        n = k;
    if (n < 3)
        return false;
    for (unsigned k = 1; k <= n; k++) {
        const char *s = at[k - 1] + 3, *e = NULL;
        char *title;

        for (unsigned j = 1; j <= n; j++) {
            if (at[j - 1] > at[k - 1] && (e == NULL || at[j - 1] < e))
                e = at[j - 1];
        }
        if (e == NULL) { /* the last: to a colon or the end of its sentence */
            const char *colon = strchr(s, ':'), *stop = strstr(s, ". ");

            e = s + strlen(s);
            if (stop != NULL && stop < e)
                e = stop;
            if (colon != NULL && colon < e) {
                /* "... resources services Planning Objectives:": the lead-in that
                   follows, words in capitals before the colon, is not the goal's */
                e = colon;
                for (;;) {
                    const char *w = e;

                    while (w > s && w[-1] == ' ')
                        w--;
                    while (w > s && w[-1] != ' ')
                        w--;
                    if (w == s || !isupper((unsigned char)*w))
                        break;
                    e = w;
                }
            }
        }
        title = xstrndup(s, (size_t)(e - s));
        kbw_squeeze(title);
        kbi_new_goal(c, title, NULL, k, b->line, FROM_LINE);
        free(title);
    }
    return true;
}

static bool
bare_line(const struct kb_block *b, bool first)
{
    return (b->kind == KB_BLOCK_PARAGRAPH || b->kind == KB_BLOCK_ITEM ||
            (first && b->kind == KB_BLOCK_HEADING)) &&
           (b->kind != KB_BLOCK_ITEM || b->level <= 1) && !kbw_link_text(b->text) &&
           !kbw_terminal(b->text) && !kbw_is_intro(b->text) && !kbw_is_nav(b->text) &&
           (isupper((unsigned char)b->text[0]) || (unsigned char)b->text[0] >= 0x80) &&
           kbw_words(b->text) <= 20;
}

/* Is the line @b already a value's name or behaviour? */
static bool
taken(const struct bctx *c, const struct kb_block *b)
{
    const struct kb *kb = c->kb;
    const char *text = b->text;

    for (size_t i = 0; i < kb->nvalues; i++) {
        if (strcasecmp(kb->values[i].name, text) == 0 ||
            (kb->values[i].line == b->line && kb->values[i].line != 0 &&
             kb->values[i].src == b->src && kb->values[i].page == b->page))
            return true;
        for (size_t k = 0; k < kb->values[i].nbehaviours; k++) {
            if (strcmp(kb->values[i].behaviours[k].text, text) == 0)
                return true;
        }
    }
    return false;
}

void
kbi_fallbacks(struct bctx *c)
{
    const struct kb_doc *doc = c->doc;

    if (c->kb->ngoals == 0) {
        /* A heading and then a run of three or more bare lines. */
        for (size_t i = 0; i + 3 < doc->nblocks && c->kb->ngoals == 0; i++) {
            size_t k = i + 1;

            if (doc->blocks[i].kind != KB_BLOCK_HEADING)
                continue;
            /* bare lines, or one list's items, right under the heading */
            while (k < doc->nblocks && bare_line(&doc->blocks[k], k == i + 1) &&
                   (doc->blocks[k].kind == KB_BLOCK_ITEM) ==
                       (doc->blocks[i + 1].kind == KB_BLOCK_ITEM) &&
                   doc->blocks[k].list == doc->blocks[i + 1].list)
                k++;
            /* a heading that speaks of values ("Proud to CARE, our values for ...")
               heads no goals */
            if (kbw_classify(doc->blocks[i].text).sect != SECT_NONE ||
                taken(c, &doc->blocks[i + 1]) ||
                kbw_find_ci(doc->blocks[i].text, "values") != NULL)
                continue;
            if (k - i - 1 < 3 || k - i - 1 > 10)
                continue;
            {
                /* single words under a heading that does not call them goals are
                   labels ("Situation", "Background", ...), not goals */
                bool word = false;

                for (size_t j = i + 1; j < k && !word; j++)
                    word = kbw_words(doc->blocks[j].text) < 2;
                if (word)
                    continue;
            }
            c->first_item = 0;
            c->item_from = FROM_NONE;
            for (size_t j = i + 1; j < k; j++) {
                c->i = j;
                kbi_new_goal(c, doc->blocks[j].text, NULL, 0, doc->blocks[j].line,
                             FROM_BARE);
            }
            free(c->goal_how);
            c->goal_how = xasprintf("under '%s'", doc->blocks[i].text);
            kbb_report(c,
                       "unsure: %zu goals taken from the lines under '%s' (%s): "
                       "the heading does not call them goals; check",
                       k - i - 1, doc->blocks[i].text,
                       kbb_span(doc->blocks[i + 1].line, doc->blocks[i + 1].page,
                                doc->blocks[k - 1].line, doc->blocks[k - 1].page)
                           .s);
        }
        for (size_t i = 0; i < doc->nblocks && c->kb->ngoals == 0; i++) {
            c->i = i;
            if (doc->blocks[i].kind == KB_BLOCK_PARAGRAPH &&
                inline_goals(c, &doc->blocks[i]))
                kbb_report(c, "unsure: %zu goals taken from one sentence, %s; check",
                           c->kb->ngoals, kbb_at_block(&doc->blocks[i]).s);
        }
        for (size_t i = 0; i < doc->nblocks && c->kb->ngoals == 0; i++) {
            c->i = i;
            if (doc->blocks[i].kind == KB_BLOCK_PARAGRAPH &&
                run_in_numbers(c, &doc->blocks[i]))
                kbb_report(c,
                           "unsure: %zu goals taken from a numbered list run into one "
                           "paragraph, %s; check",
                           c->kb->ngoals, kbb_at_block(&doc->blocks[i]).s);
        }
    }
}
