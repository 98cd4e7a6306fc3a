/*
 * kb_build_goals_fallback.c - goals from the page when no section gave any:
 * goals named in one sentence, a numbered list run into a paragraph, a run
 * of bare lines under a heading (all reported unsure).  Moved out of
 * kb_build_goals.c unchanged.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb_build_docs.h"
#include "bot/kb/kb_build_int.h"

/* -- when no section gave any ------------------------------------------ */

/*
 * Where the names after a count start in @t, and (in @end) where they stop:
 * after a semicolon or colon ("... sit under four headings; A, B and C."),
 * or between two dashes right after the count's noun ("our four strategic
 * priorities – A, B, C and D – underpin ..."): the names are the noun's, in
 * apposition.  @dash says which; NULL if neither.
 */
static const char *
names_after_count(const char *t, const char **end, bool *dash)
{
    static const char *const dashes[] = {" \xe2\x80\x93 ", " \xe2\x80\x94 ", " - ", NULL};
    const char *sep = strpbrk(t, ";:");

    *dash = false;
    for (size_t i = 0; dashes[i] != NULL; i++) {
        const char *d = strstr(t, dashes[i]), *close;
        size_t dl = strlen(dashes[i]);

        if (d == NULL || (sep != NULL && sep < d) || !isupper((unsigned char)d[dl]))
            continue;
        close = strstr(d + dl, dashes[i]);
        if (close == NULL)
            continue;
        *dash = true;
        *end = close;
        return d;
    }
    if (sep == NULL || sep[1] != ' ' || !isupper((unsigned char)sep[2]))
        return NULL;
    *end = strstr(sep + 2, ". ");
    return sep;
}

/*
 * "Our ambitions sit under four headings; Caring for our patients, Supporting
 * our people, ... and Enhancing our performance.": a count before a semicolon
 * or colon (or a dash right after the count's goal noun), then as many names
 * in capitals.  Returns how many, 0 if not so.
 */
static size_t
counted_names(const char *t, char names[8][64])
{
    const char *end = NULL, *sep, *list;
    char *head, *w;
    unsigned count = 0;
    size_t n, last = 0;
    bool dash;

    sep = names_after_count(t, &end, &dash);
    if (sep == NULL)
        return 0;
    head = xstrndup(t, (size_t)(sep - t));
    if (!kb_build_words_classify_mentions_goals(head)) {
        free(head);
        return 0;
    }
    w = kbw_lower_words(head);
    for (const char *q = w; *q;) {
        size_t len = strcspn(q, " ");
        unsigned k = isdigit((unsigned char)*q) ? 0 : kbw_number_word(q, len);

        if (k >= 2 && k <= 8)
            count = k;
        last = (size_t)(q - w);
        q += len;
        while (*q == ' ')
            q++;
    }
    /* between dashes the names must stand right after the noun they name */
    if (dash && !kb_build_words_classify_mentions_goals(w + last))
        count = 0;
    free(w);
    free(head);
    list = sep + (dash ? strcspn(sep + 1, " ") + 2 : 2);
    n = count ? kbn_split_names(list, end ? end : list + strlen(list), 5, names) : 0;
    for (size_t i = 0; i < n; i++) {
        if (!isupper((unsigned char)names[i][0]))
            return 0;
    }
    return n == count ? n : 0;
}

/* "Our strategic themes are Quality and Safety, Patients, People and Sustainability." */
bool
kb_build_goals_fallback_inline_names(struct bctx *c, const struct kb_block *b)
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
    n = kbn_split_names(p, end ? end : p + strlen(p), 3, names);
found:
    for (size_t i = 0; i < n; i++) {
        if (!isupper((unsigned char)names[i][0]))
            return false;
    }
    for (size_t i = 0; i < n; i++)
        kbg_new_goal(c, names[i], NULL, 0, b->line, FROM_LINE);
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
        return kb_build_goals_fallback_inline_names(c, b);
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
            kbg_new_goal(c, q, NULL, 0, b->line, FROM_LINE);
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
        bool goals = kb_build_words_classify_mentions_goals(head);

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
        kbg_new_goal(c, title, NULL, k, b->line, FROM_LINE);
        free(title);
    }
    return true;
}

/* Does @t have no letter in lower case ("CONTINUE READING": a button)? */
static bool
all_capitals(const char *t)
{
    for (; *t; t++) {
        if (islower((unsigned char)*t))
            return false;
    }
    return true;
}

/* Is @t what "we" do now ("We share a common vision"): a behaviour, not a goal
   ("We will ..." says what is to be done)? */
static bool
we_do(const char *t)
{
    return kbw_starts_ci(t, "we ") && !kbw_starts_ci(t, "we will ") &&
           !kbw_starts_ci(t, "we'll ") && !kbw_starts_ci(t, "we\xe2\x80\x99ll ");
}

/* The line of @b on its page or in its source, 0 if unknown. */
static unsigned
line_of(const struct kb_block *b)
{
    return b->line != 0 ? b->line : b->row;
}

/* Do @a and @b sit on lines next to each other (no blank line between)? */
static bool
adjacent(const struct kb_block *a, const struct kb_block *b)
{
    return a->src == b->src && a->page == b->page && line_of(a) != 0 &&
           line_of(b) == line_of(a) + 1;
}

/*
 * Does @b, after a blank line, follow two lines written one under the other
 * (a tight run, the run's spacing now broken)?  The run was a list set as
 * bare lines; what comes after the gap ("More in this section" and its links)
 * is another list, not more of it.
 */
bool
kb_build_goals_fallback_after_tight_run(const struct kb_doc *doc,
                                        const struct kb_block *b)
{
    const struct kb_block *p1 = b - 1, *p2 = b - 2;

    if (b - doc->blocks < 2)
        return false;
    return adjacent(p2, p1) && p1->src == b->src && p1->page == b->page &&
           line_of(b) > line_of(p1) + 1;
}

static bool
bare_line(const struct bctx *c, size_t k, bool first)
{
    const struct kb_block *b = &c->doc->blocks[k];

    /* a line the page repeats (alt text, a banner) is not one of a list */
    if (c->repeated != NULL && c->repeated[k])
        return false;
    return (b->kind == KB_BLOCK_PARAGRAPH || b->kind == KB_BLOCK_ITEM ||
            (first && b->kind == KB_BLOCK_HEADING)) &&
           (b->kind != KB_BLOCK_ITEM || b->level <= 1) && !kbw_link_text(b->text) &&
           !kbw_terminal(b->text) && !kbw_is_intro(b->text) && !kbw_is_nav(b->text) &&
           (isupper((unsigned char)b->text[0]) || (unsigned char)b->text[0] >= 0x80) &&
           kbw_words(b->text) <= 20 && !all_capitals(b->text);
}

/* Does @t end in a page number after a title ("Foreword 4", "3. Our people 12"):
   an entry of a contents list without dot leaders? */
static bool
page_numbered(const char *t)
{
    size_t n = strlen(t), digits = 0;

    while (n > 0 && t[n - 1] == ' ')
        n--;
    while (n > 0 && isdigit((unsigned char)t[n - 1])) {
        n--;
        digits++;
    }
    return digits > 0 && digits <= 3 && n > 1 && t[n - 1] == ' ' &&
           isalpha((unsigned char)t[n - 2]);
}

/* Does @t hold a date of its own ("Date: 16 Jan 2019 Status: Published"): a line of
   a document's control sheet, not a goal? */
static bool
dated_line(const char *t)
{
    char *w = kbw_lower_words(t);
    bool dated = false;

    /* any run of three words from a day number: "16 jan 2019" */
    for (const char *p = w; *p && !dated;) {
        size_t len = strcspn(p, " ");

        if (isdigit((unsigned char)*p) && len <= 2) {
            const char *q = p + len;
            char three[64];
            size_t k = 0, words = 0;

            while (*q == ' ')
                q++;
            snprintf(three, sizeof(three), "%.*s", (int)len, p);
            k = strlen(three);
            for (; *q && words < 2 && k + 1 < sizeof(three); words++) {
                size_t l2 = strcspn(q, " ");

                snprintf(three + k, sizeof(three) - k, " %.*s", (int)l2, q);
                k = strlen(three);
                q += l2;
                while (*q == ' ')
                    q++;
            }
            dated =
                words == 2 && isdigit((unsigned char)three[k - 1]) && kbw_is_date(three);
        }
        p += len;
        while (*p == ' ')
            p++;
    }
    free(w);
    return dated;
}

/* Is there, before or after the heading at @i, a heading of the same kind and level
   with a list right under it: parallel groups ("Respect", "Time to plan", "Care"
   each over its list), of which one alone is no set of goals? */
static bool
sibling_group(const struct kb_doc *doc, size_t i)
{
    const struct kb_block *h = &doc->blocks[i];

    for (size_t j = 0; j + 1 < doc->nblocks; j++) {
        const struct kb_block *o = &doc->blocks[j];

        if (j == i || o->kind != KB_BLOCK_HEADING || o->level != h->level ||
            o->src != h->src || doc->blocks[j + 1].kind != KB_BLOCK_ITEM ||
            (i + 1 < doc->nblocks && doc->blocks[j + 1].list == doc->blocks[i + 1].list))
            continue;
        /* only the headings next to this one's run: nothing but items between */
        if (j < i) {
            size_t k = j + 1;

            while (k < i && doc->blocks[k].kind == KB_BLOCK_ITEM)
                k++;
            if (k == i)
                return true;
        } else {
            size_t k = i + 1;

            while (k < j && doc->blocks[k].kind == KB_BLOCK_ITEM)
                k++;
            if (k == j)
                return true;
        }
    }
    return false;
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
kb_build_goals_fallback_run(struct bctx *c)
{
    const struct kb_doc *doc = c->doc;

    if (c->kb->ngoals == 0) {
        /* A heading and then a run of three or more bare lines. */
        for (size_t i = 0; i + 3 < doc->nblocks && c->kb->ngoals == 0; i++) {
            size_t k = i + 1, labelled;

            if (doc->blocks[i].kind != KB_BLOCK_HEADING)
                continue;
            /* bare lines, or one list's items, right under the heading */
            while (k < doc->nblocks && bare_line(c, k, k == i + 1) &&
                   (doc->blocks[k].kind == KB_BLOCK_ITEM) ==
                       (doc->blocks[i + 1].kind == KB_BLOCK_ITEM) &&
                   doc->blocks[k].list == doc->blocks[i + 1].list &&
                   !(k >= i + 3 && doc->blocks[k].kind != KB_BLOCK_ITEM &&
                     kb_build_goals_fallback_after_tight_run(doc, &doc->blocks[k])))
                k++;
            /* a heading that speaks of values ("Proud to CARE, our values for ...")
               heads no goals */
            if (kb_build_words_classify(doc->blocks[i].text).sect != SECT_NONE ||
                taken(c, &doc->blocks[i + 1]) ||
                kbw_find_ci(doc->blocks[i].text, "values") != NULL)
                continue;
            if (k - i - 1 < 3 || k - i - 1 > 10 ||
                !kb_build_items_goal_run_supported(doc, i, i + 1, k))
                continue;
            {
                /* single words under a heading that does not call them goals are
                   labels ("Situation", "Background", ...), and what "we" do now
                   ("We share a common vision") behaviours: not goals; nor are lines
                   that open a section ("Our values") or are the values already read,
                   a contents list's entries ("Foreword 4"), a document's control
                   sheet ("Date: 16 Jan 2019"), or one of parallel groups */
                bool not_goals = sibling_group(doc, i);
                size_t paged = 0, editions = 0;

                for (size_t j = i + 1; j < k && !not_goals; j++) {
                    const char *t = doc->blocks[j].text;

                    paged += page_numbered(t);
                    editions += kb_build_docs_edition(t);
                    not_goals = kbw_words(t) < 2 || we_do(t) ||
                                kb_build_words_classify(t).sect > SECT_TITLE ||
                                taken(c, &doc->blocks[j]) || dated_line(t);
                }
                /* most lines a document's title and edition ("Annual Plan
                   2024/25"): a list of publications */
                if (not_goals || paged >= 2 || editions * 2 > k - i - 1)
                    continue;
            }
            c->first_item = 0;
            c->item_from = FROM_NONE;
            labelled = 0;
            for (size_t j = i + 1; j < k; j++)
                labelled += kb_build_words_classify_goal_prefix(doc->blocks[j].text) > 0;
            for (size_t j = i + 1; j < k; j++) {
                c->i = j;
                /* a contents line naming parts of the page ("Our vision, goals and
                   values") is none of them; where lines say "Goal One: ...", the
                   others ("Your feedback") are not goals */
                if (kb_build_words_classify(doc->blocks[j].text).sect == SECT_TITLE ||
                    (labelled >= 2 &&
                     kb_build_words_classify_goal_prefix(doc->blocks[j].text) == 0))
                    continue;
                kbg_new_goal(c, doc->blocks[j].text, NULL, 0, doc->blocks[j].line,
                             FROM_BARE);
            }
            if (c->kb->ngoals == 0)
                continue;
            free(c->goal_how);
            c->goal_how = xasprintf("under '%s'", doc->blocks[i].text);
            kbb_report(c,
                       "unsure: %zu goals taken from the lines under '%s' (%s): "
                       "the heading does not call them goals; check",
                       c->kb->ngoals, doc->blocks[i].text,
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
            if (kbp_colon_goals(c, &doc->blocks[i]) > 0)
                kbb_report(c,
                           "unsure: %zu goals taken from after the colon of one "
                           "sentence, %s; check",
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
