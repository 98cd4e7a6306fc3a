/*
 * kb_answer_prose.c - what a trust's own page says in its prose that the lists
 * `kb build` found do not: a count the page states ("The strategy sets out
 * five strategic ambitions:") where the items found are fewer or are not what
 * is counted, a lead-in quoted with the list it leads in, a list asked of with
 * words its items lack, and a list under a heading that names it ("Our
 * values") or after a colon whose items have no names of their own.  Counts
 * are in kb_answer_prose_count.c, a list under a heading or after a colon in
 * kb_answer_prose_heading.c (the three share the kbapr_ prefix); names,
 * labels and other organisations are in kb_answer_naming.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer_int.h"

/*
 * Is the heading @section a label, not a heading: words of no content only
 * ("Do", "Don't" over a behaviour list)?
 */
static bool
is_label(struct kb_engine *e, const char *section)
{
    const struct tokens *t = kba_tokens(e, section);

    for (size_t k = 0; k < t->n; k++) {
        if (!t->stop[k])
            return false;
    }
    return t->n > 0;
}

/*
 * Is passage @k followed, on the next line of its section, by one written
 * without a full stop: an item of a list that @k belongs to, its full stop a
 * slip ("... loneliness and depression." among items without)?
 */
static bool
unstopped_item_next(const struct kb *kb, size_t k)
{
    const struct kb_passage *ps = &kb->passages[k], *nx;
    size_t len;

    if (k + 1 >= kb->npassages)
        return false;
    nx = &kb->passages[k + 1];
    len = strlen(nx->text);
    return nx->line == ps->line + 1 && strcmp(nx->section, ps->section) == 0 && len > 0 &&
           nx->text[len - 1] != '.' && nx->text[len - 1] != ':';
}

/*
 * Short passages on the lines after passage @p: the items of the list it leads
 * in.  An item of several sentences is one line, and a long one on the line
 * right after an item is the next item; a label set over the list
 * ("which means we:" / "Do" / the items) leaves it in the lead-in's section.
 */
static size_t
items_after(struct kb_engine *e, const struct kb *kb, size_t p, size_t *items, size_t max)
{
    static const char *const back[] = {"these", "they",  "this", "it",
                                       "that",  "those", NULL};
    size_t n = 0, k = p + 1, stops = 0;
    unsigned line = kb->passages[p].line;
    const char *section = kb->passages[p].section;

    while (k < kb->npassages && kb->passages[k].line == line)
        k++;
    for (; k < kb->npassages && n < max; k++) {
        const struct kb_passage *ps = &kb->passages[k];
        size_t len = strlen(ps->text);

        const struct tokens *t = kba_tokens(e, ps->text);

        if (n == 0 && strcmp(ps->section, section) != 0 && is_label(e, ps->section))
            section = ps->section;
        /* "These refreshed values underpin ...": prose about the list, no item. */
        if (ps->line < line || (n == 0 && ps->line == line) ||
            ps->line > line + PROSE_LIST_GAP || strcmp(ps->section, section) != 0 ||
            (t->n > PROSE_ITEM_WORDS &&
             !(n > 0 && ps->line == line + 1 && t->n <= 2 * PROSE_ITEM_WORDS)) ||
            (len > 0 && ps->text[len - 1] == ':') ||
            (t->n > 0 && in_list(t->w[0].surface, back)) ||
            (n >= 2 && 2 * stops < n && len > 0 && ps->text[len - 1] == '.' &&
             !unstopped_item_next(kb, k)))
            break; /* past the list, or the next lead-in, or a sentence after items */
        stops += len > 0 && ps->text[len - 1] == '.';
        items[n++] = k;
        line = ps->line;
    }
    return n;
}

/* Answers with passage @p alone, or with the @n passages from @first. */
void
kbapr_quote_passages(struct kb_answer *a, size_t first, size_t n)
{
    a->intent = KB_INTENT_FACT;
    a->answered = true;
    a->yes_no = false;
    a->detail = false;
    a->confidence = 0.8;
    a->nrefs = 0;
    a->nfeatures = 0;
    for (size_t k = first; k < first + n; k++)
        add_ref(a, KB_DOC_PASSAGE, k, 0);
}

/* Quotes passage @p as the answer, and the list it leads in when it ends in ':'. */
void
kbapr_quote_with_list(struct kb_engine *e, const struct kb *kb, size_t p,
                      struct kb_answer *a)
{
    size_t items[KB_ANSWER_MAX_REFS], n, len = strlen(kb->passages[p].text);

    kbapr_quote_passages(a, p, 1);
    if (len == 0 || kb->passages[p].text[len - 1] != ':')
        return;
    n = items_after(e, kb, p, items, KB_ANSWER_MAX_REFS - 1);
    for (size_t k = 0; k < n; k++)
        add_ref(a, KB_DOC_PASSAGE, items[k], 0);
}

/*
 * The last ref of @a that is a lead-in ("Some of the highlights include:"),
 * or SIZE_MAX: the ranking often quotes a lead-in with the first of its items
 * or a sentence after the list, neither of which is the answer.
 */
static size_t
lead_in_ref(const struct query *q, const struct kb_answer *a)
{
    for (size_t r = a->nrefs; r-- > 0;) {
        const char *text;
        size_t len;

        if (a->refs[r].kind != KB_DOC_PASSAGE)
            continue;
        text = q->kb->passages[a->refs[r].item].text;
        len = strlen(text);
        if (len > 0 && text[len - 1] == ':')
            return r;
    }
    return SIZE_MAX;
}

/* Is passage @item among the refs @refs[0 .. @n) or the passages @items[0 .. @m)? */
static bool
quoted(const struct kb_doc_ref *refs, size_t n, const size_t *items, size_t m,
       size_t item)
{
    for (size_t j = 0; j < n; j++) {
        if (refs[j].kind == KB_DOC_PASSAGE && refs[j].item == item)
            return true;
    }
    for (size_t j = 0; j < m; j++) {
        if (items[j] == item)
            return true;
    }
    return false;
}

/*
 * A fact quoted from a lead-in ("Our Ambition (where we aspire to get to -
 * our True North) is:") says nothing without what it leads in, nor with only
 * the first of it: its items follow it, then what else was quoted.
 */
static void
continue_lead_in(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    struct kb_doc_ref rest[KB_ANSWER_MAX_REFS];
    size_t items[KB_ANSWER_MAX_REFS], n, r, nrest;

    if (a->intent != KB_INTENT_FACT || !a->answered || a->nrefs == 0)
        return;
    r = lead_in_ref(q, a);
    if (r == SIZE_MAX)
        return;
    n = items_after(e, q->kb, a->refs[r].item, items, KB_ANSWER_MAX_REFS - 1 - r);
    nrest = a->nrefs - r - 1;
    memcpy(rest, &a->refs[r + 1], nrest * sizeof(rest[0]));
    a->nrefs = r + 1;
    for (size_t k = 0; k < n; k++) {
        if (!quoted(a->refs, a->nrefs, NULL, 0, items[k]))
            add_ref(a, KB_DOC_PASSAGE, items[k], 0);
    }
    for (size_t k = 0; k < nrest; k++) {
        if (rest[k].kind != KB_DOC_PASSAGE ||
            !quoted(a->refs, a->nrefs, items, n, rest[k].item))
            add_ref(a, rest[k].kind, rest[k].item, rest[k].sub);
    }
}

/* Does @text hold the stem @stem (a word of it, tokenised)? */
bool
kbapr_text_has(struct kb_engine *e, const char *text, const char *stem)
{
    const struct tokens *t = kba_tokens(e, text);

    for (size_t k = 0; k < t->n; k++) {
        if (strcmp(t->w[k].stem, stem) == 0)
            return true;
    }
    return false;
}

/* Does any value (@values) or goal, with what it holds, have the stem @stem? */
static bool
items_have(struct kb_engine *e, const struct kb *kb, bool values, const char *stem)
{
    if (values) {
        for (size_t i = 0; i < kb->nvalues; i++) {
            const struct kb_value *v = &kb->values[i];

            if (kbapr_text_has(e, v->name, stem) ||
                kbapr_text_has(e, v->description, stem))
                return true;
            for (size_t k = 0; k < v->nbehaviours; k++) {
                if (kbapr_text_has(e, v->behaviours[k].text, stem))
                    return true;
            }
        }
        return false;
    }
    for (size_t i = 0; i < kb->ngoals; i++) {
        const struct kb_goal *g = &kb->goals[i];

        if (kbapr_text_has(e, g->title, stem) || kbapr_text_has(e, g->description, stem))
            return true;
        for (size_t k = 0; k < g->npoints; k++) {
            if (kbapr_text_has(e, g->points[k].text, stem))
                return true;
        }
    }
    return false;
}

/* A yes/no question: "is ... ?" or "do we ... ?", "does it ...", "have we ...". */
static bool
asks_do_we(const struct query *q)
{
    static const char *const aux[] = {"do", "does", "did", "have", "has", NULL};

    if (kbam_asks_yes_no(q))
        return true;
    for (size_t i = 0; i < q->n; i++) {
        if (!q->aside[i])
            return in_list(q->w[i].surface, aux);
    }
    return false;
}

/*
 * "what will the values guide", "what are the objectives for tackling
 * inequalities", "what do the values spell out": the list asked about with
 * words its items do not hold.  The passage that names the list (or follows a
 * sentence of its paragraph that does: "these spell out BEST") with every one
 * of those words is the answer, not the list.
 */
static bool
answer_qualified_list(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    const struct kb *kb = q->kb;
    bool values = a->intent == KB_INTENT_VALUES;
    unsigned want = values ? W_VALUES : W_GOALS;
    const char *topic = NULL, *words[MAX_WORDS];
    size_t n = 0;
    bool yes_no, verb = false;

    if (!a->answered || !(values || a->intent == KB_INTENT_GOALS))
        return false;
    for (size_t i = 0; i < q->n; i++) {
        if (q->aside[i])
            continue;
        if ((q->flags[i] & want) && topic == NULL) {
            topic = q->w[i].stem;
            /* "do we focus on ...": the topic word a verb, "we" its subject. */
            verb = i > 0 && (strcmp(q->w[i - 1].surface, "we") == 0 ||
                             strcmp(q->w[i - 1].surface, "you") == 0);
        } else if (q->content[i] && !(q->cls[i] & KBAWC_QWORD)) {
            if (items_have(e, kb, values, q->w[i].stem))
                return false; /* the list answers it */
            words[n++] = q->w[i].stem;
        }
    }
    if (topic == NULL || n == 0)
        return false;
    yes_no = verb && asks_do_we(q);
    for (size_t p = 0; p < kb->npassages; p++) {
        const struct kb_passage *ps = &kb->passages[p];
        bool all = true;

        for (size_t k = 0; k < n && all; k++)
            all = kbapr_text_has(e, ps->text, words[k]);
        /* "do we focus on prevention?": a yes/no of what we do needs only its words. */
        if (!all || !(yes_no || kbapr_text_has(e, ps->text, topic) ||
                      (p > 0 && kb->passages[p - 1].line == ps->line &&
                       kbapr_text_has(e, kb->passages[p - 1].text, topic))))
            continue;
        kbapr_quote_with_list(e, kb, p, a);
        return true;
    }
    return false;
}

/*
 * "what are the targets for staff turnover", "what are the behaviours under
 * acting with integrity": the list asked of something after "for", "on",
 * "under" that the page never mentions (a word the KB does not have at all).
 * The whole list would be a confident wrong answer: say it is not there.
 */
static bool
decline_unknown_qualifier(const struct query *q, struct kb_answer *a)
{
    /* Not "about": "which value is about teamwork" asks for a value by meaning. */
    static const char *const preps[] = {"for",       "on",      "under", "around",
                                        "regarding", "towards", NULL};
    /* "the goals for my team brief": what the list is wanted for, not a topic. */
    static const char *const dets[] = {"my",   "a",    "an",   "the",   "our",
                                       "your", "this", "next", "their", NULL};
    bool values = a->intent == KB_INTENT_VALUES, after = false, topic = false;

    if (!a->answered || !(values || a->intent == KB_INTENT_GOALS))
        return false;
    for (size_t i = 0; i < q->n; i++) {
        const struct kb_word *w = &q->w[i];

        if (q->aside[i])
            continue;
        if (q->flags[i] & (values ? W_VALUES : W_GOALS))
            topic = true;
        else if (topic && !after && in_list(w->surface, preps)) {
            if (i + 1 < q->n && in_list(q->w[i + 1].surface, dets))
                return false;
            after = true;
        } else if (after && q->content[i] &&
                   kb_index_term(q->idx, w->stem) == KB_INDEX_UNKNOWN &&
                   !kb_index_knows_word(q->idx, w->surface) &&
                   !kbar_names_org(q->kb, w->surface) &&
                   !kbar_is_number_word(w->surface)) {
            a->intent = values ? KB_INTENT_NOT_A_VALUE : KB_INTENT_NO_SUCH_GOAL;
            a->answered = false;
            a->confidence = 0.8;
            return true;
        }
    }
    return false;
}

/*
 * "what years does the strategy cover" answered by a sentence under the
 * heading "Trust strategy 2025-2030: Towards Excellence": the years are in the
 * heading, so the reply shows it.
 */
static void
show_heading_years(const struct query *q, struct kb_answer *a)
{
    const struct kb_passage *ps;

    if (a->intent != KB_INTENT_FACT || !a->answered || a->nrefs != 1 ||
        a->refs[0].kind != KB_DOC_PASSAGE || !kbat_asks_how_long(q))
        return;
    ps = &q->kb->passages[a->refs[0].item];
    a->heading = !kbak_text_has_year(ps->text) && kbak_text_has_year(ps->section);
}

/*
 * A lead-in quoted alone ("we simplified our values into three 'We...'
 * statements to create shared ownership:") whose list the page does not give:
 * "what are the three we statements" is not answered by it.
 */
static void
decline_dangling_lead_in(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    size_t items[1];
    const char *text;
    size_t len;

    /* Only a list asked for: "how were the values agreed" is the lead-in's own news. */
    if (a->intent != KB_INTENT_FACT || !a->answered || a->nrefs != 1 ||
        a->refs[0].kind != KB_DOC_PASSAGE ||
        !(has_phrase(q, "what", "are") || has_word(q, "list")))
        return;
    text = q->kb->passages[a->refs[0].item].text;
    len = strlen(text);
    if (len > 0 && text[len - 1] == ':' &&
        items_after(e, q->kb, a->refs[0].item, items, 1) == 0)
        a->answered = false;
}

/*
 * "how are we going to achieve the vision" answered by "Our vision is to ...":
 * the lead-in right after it ("We will do this by:") and its list say how.
 */
static void
add_how_lead_in(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    const struct kb *kb = q->kb;
    size_t p, items[KB_ANSWER_MAX_REFS], n;
    const char *text;

    const struct kb_doc_ref *last;

    if (!(a->intent == KB_INTENT_FACT || a->intent == KB_INTENT_STATEMENT) ||
        !a->answered || a->nrefs == 0 || strcmp(kbak_first_question_word(q), "how") != 0)
        return;
    last = &a->refs[a->nrefs - 1];
    if (last->kind == KB_DOC_PASSAGE) {
        p = last->item + 1;
    } else if ((last->kind == KB_DOC_VISION && kb->vision.text != NULL) ||
               (last->kind == KB_DOC_MISSION && kb->mission.text != NULL)) {
        /* The statement's own sentence among the passages, by its line. */
        unsigned line = last->kind == KB_DOC_VISION ? kb->vision.line : kb->mission.line;

        for (p = 0; p < kb->npassages && kb->passages[p].line != line; p++)
            ;
        while (p + 1 < kb->npassages && kb->passages[p + 1].line == line)
            p++;
        p++;
    } else {
        return;
    }
    if (p == 0 || p >= kb->npassages ||
        strcmp(kb->passages[p].section, kb->passages[p - 1].section) != 0)
        return;
    text = kb->passages[p].text;
    if (text[0] == '\0' || text[strlen(text) - 1] != ':' ||
        a->nrefs + 1 >= KB_ANSWER_MAX_REFS)
        return;
    add_ref(a, KB_DOC_PASSAGE, p, 0);
    n = items_after(e, kb, p, items, KB_ANSWER_MAX_REFS - a->nrefs);
    for (size_t k = 0; k < n; k++)
        add_ref(a, KB_DOC_PASSAGE, items[k], 0);
}

void
kbapr_finish(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    if (a->kb == NULL)
        return;
    kbagp_add_goal_part(q, a);
    if (kbame_answer_mentioned(e, q, a))
        return;
    if (kbasp_answer_said(e, q, a))
        return;
    if (kbase_answer_named_section(e, q, a)) {
        continue_lead_in(e, q, a);
        return;
    }
    if (kbanm_answer_what_called(e, q, a) || kbapr_answer_stated_count(e, q, a) ||
        answer_qualified_list(e, q, a) || kbanm_answer_labelled_term(e, q, a))
        return;
    if (decline_unknown_qualifier(q, a))
        return;
    kbapr_decline_behaviours_not_listed(e, q, a);
    kbanm_describe_bare_value(e, q, a);
    if (kbanm_answer_defined_name(q, a))
        return;
    kbanm_replace_self_naming_statement(e, q, a);
    add_how_lead_in(e, q, a);
    continue_lead_in(e, q, a);
    decline_dangling_lead_in(e, q, a);
    show_heading_years(q, a);
}
