/*
 * kb_answer_prose.c - what a trust's own page says in its prose that the lists
 * `kb build` found do not: a count the page states ("The strategy sets out
 * five strategic ambitions:") where the items found are fewer or are not what
 * is counted, a lead-in quoted with the list it leads in, a list asked of with
 * words its items lack, and a list under a heading that names it ("Our
 * values") or after a colon whose items have no names of their own.  Names,
 * labels and other organisations are in kb_answer_naming.c.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer_int.h"

/* A list's items: passages of at most this many words... */
#define PROSE_ITEM_WORDS 30
/* ...on lines at most this far apart (a blank line and an empty bullet between). */
#define PROSE_LIST_GAP 4

/* The value of a number written as digits or as a word "one" to "twenty"; 0 if none. */
static long
number_value(const char *s)
{
    static const char *const words[] = {
        "one",     "two",     "three",     "four",     "five",     "six",      "seven",
        "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen", "fourteen",
        "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",   NULL};

    if (isdigit((unsigned char)s[0])) {
        char *e;
        long v = strtol(s, &e, 10);

        return *e == '\0' && v < 1000 ? v : 0;
    }
    for (size_t i = 0; words[i]; i++) {
        if (strcmp(s, words[i]) == 0)
            return (long)i + 1;
    }
    return 0;
}

/*
 * The noun counted in "how many strategic ambitions are there", "how many
 * behaviours go with each value": of the words after "how many" (or "number
 * of") up to a stop word, the first plural, else the last; NULL if none.
 */
static const struct kb_word *
counted_noun(const struct query *q)
{
    for (size_t i = 0; i + 2 < q->n; i++) {
        const struct kb_word *last = NULL;

        if (!((strcmp(q->w[i].surface, "how") == 0 &&
               strcmp(q->w[i + 1].surface, "many") == 0) ||
              (strcmp(q->w[i].surface, "number") == 0 &&
               strcmp(q->w[i + 1].surface, "of") == 0)))
            continue;
        for (size_t k = i + 2; k < q->n && k < i + 5 && !q->stop[k]; k++) {
            size_t n = strlen(q->w[k].surface);

            last = &q->w[k];
            if (n > 3 && q->w[k].surface[n - 1] == 's')
                return last;
        }
        return last;
    }
    return NULL;
}

/* Is @s a word of time that a number before the counted noun may belong to? */
static bool
is_time_word(const char *s)
{
    static const char *const time[] = {"year", "years", "yearly", "month", "months",
                                       "week", "weeks", "day",    "days",  NULL};

    return in_list(s, time);
}

/*
 * The number passage @p states of the noun with stem @stem ("five strategic
 * ambitions", "a statement of eight behaviours"); 0 if it states none.  "one of
 * our values" counts nothing, nor does "five year priorities".
 */
static long
stated_count(struct kb_engine *e, const struct kb *kb, size_t p, const char *stem)
{
    const struct tokens *t = kba_tokens(e, kb->passages[p].text);

    for (size_t k = 1; k < t->n; k++) {
        if (strcmp(t->w[k].stem, stem) != 0)
            continue;
        for (size_t b = k; b-- > 0 && b + 3 >= k;) {
            long v = number_value(t->w[b].surface);

            if (v > 0) {
                if (strcmp(t->w[b + 1].surface, "of") == 0)
                    break;
                return v;
            }
            if (kb_text_is_stopword(t->w[b].surface) || is_time_word(t->w[b].surface))
                break;
        }
    }
    return 0;
}

/* How many of the counted things the count intent would say the KB has. */
static size_t
listed_count(const struct query *q, const struct kb_answer *a, const struct kb_word *noun)
{
    if (strncmp(noun->stem, "behavio", 7) == 0) {
        size_t n = 0;

        for (size_t i = 0; i < q->kb->nvalues; i++)
            n += q->kb->values[i].nbehaviours;
        return n;
    }
    return a->intent == KB_INTENT_COUNT_VALUES ? q->kb->nvalues : q->kb->ngoals;
}

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
    size_t n = 0, k = p + 1;
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
            (t->n > 0 && in_list(t->w[0].surface, back)))
            break; /* past the list, or the next lead-in */
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
 * "how many strategic ambitions are there" where the page says "five" and
 * lists two; "how many behaviours go with each value" where it says "eight"
 * and lists none: the page's own sentence, not the count of what was found.
 */
static bool
answer_stated_count(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    const struct kb_word *noun;
    bool behaviours;

    if (!(a->intent == KB_INTENT_COUNT_GOALS || a->intent == KB_INTENT_COUNT_VALUES ||
          (a->intent == KB_INTENT_VALUES && !a->answered)) ||
        (noun = counted_noun(q)) == NULL)
        return false;
    behaviours = strncmp(noun->stem, "behavio", 7) == 0;
    if (a->intent == KB_INTENT_VALUES && !behaviours)
        return false;
    /* A lead-in that states it ("sets out five strategic ambitions:") first. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t p = 0; p < q->kb->npassages; p++) {
            const char *text = q->kb->passages[p].text;
            size_t len = strlen(text);
            long v;

            if (pass == 0 && (len == 0 || text[len - 1] != ':'))
                continue;
            v = stated_count(e, q->kb, p, noun->stem);
            if (v == 0 || (size_t)v == listed_count(q, a, noun))
                continue;
            kbapr_quote_with_list(e, q->kb, p, a);
            return true;
        }
    }
    return false;
}

/*
 * A fact quoted from a lead-in ("Our Ambition (where we aspire to get to -
 * our True North) is:") says nothing without what it leads in.
 */
static void
continue_lead_in(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    const struct kb_doc_ref *last;
    size_t items[KB_ANSWER_MAX_REFS], n, len;
    const char *text;

    if (a->intent != KB_INTENT_FACT || !a->answered || a->nrefs == 0)
        return;
    last = &a->refs[a->nrefs - 1];
    if (last->kind != KB_DOC_PASSAGE)
        return;
    text = q->kb->passages[last->item].text;
    len = strlen(text);
    if (len == 0 || text[len - 1] != ':')
        return;
    n = items_after(e, q->kb, last->item, items, KB_ANSWER_MAX_REFS - a->nrefs);
    for (size_t k = 0; k < n; k++) {
        bool seen = false;

        for (size_t r = 0; r < a->nrefs; r++)
            seen = seen ||
                   (a->refs[r].kind == KB_DOC_PASSAGE && a->refs[r].item == items[k]);
        if (!seen)
            add_ref(a, KB_DOC_PASSAGE, items[k], 0);
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
        } else if (q->content[i] && !kbar_is_question_word(q->w[i].surface)) {
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
 * "what are the eight behaviours under caring" on a page that says "each value
 * is accompanied by eight behaviours" and lists none: a value's description is
 * not those behaviours, and the page does not give them.
 */
static void
decline_behaviours_not_listed(struct kb_engine *e, const struct query *q,
                              struct kb_answer *a)
{
    static const char *const behaviour[] = {"behaviour", "behavior", NULL};
    const struct kb *kb = q->kb;
    bool stated = false;

    if (a->intent != KB_INTENT_VALUE || !a->answered || a->nrefs == 0 ||
        !has_stem(q, behaviour))
        return;
    for (size_t i = 0; i < kb->nvalues; i++) {
        if (kb->values[i].nbehaviours > 0)
            return;
    }
    for (size_t r = 0; r < a->nrefs; r++) {
        if (a->refs[r].kind != KB_DOC_VALUE)
            return;
    }
    for (size_t p = 0; p < kb->npassages && !stated; p++)
        stated = stated_count(e, kb, p, "behaviour") > 0;
    if (stated)
        a->answered = false;
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
    if (kbame_answer_mentioned(e, q, a))
        return;
    if (kbasp_answer_said(e, q, a))
        return;
    if (kbase_answer_named_section(e, q, a)) {
        continue_lead_in(e, q, a);
        return;
    }
    if (kbanm_answer_what_called(e, q, a) || answer_stated_count(e, q, a) ||
        answer_qualified_list(e, q, a) || kbanm_answer_labelled_term(e, q, a))
        return;
    if (decline_unknown_qualifier(q, a))
        return;
    decline_behaviours_not_listed(e, q, a);
    kbanm_describe_bare_value(q, a);
    if (kbanm_answer_defined_name(q, a))
        return;
    kbanm_replace_self_naming_statement(e, q, a);
    add_how_lead_in(e, q, a);
    continue_lead_in(e, q, a);
    decline_dangling_lead_in(e, q, a);
    show_heading_years(q, a);
}

/*
 * Does the heading @section name the list asked for and nothing else ("Our
 * values", "Our values and behaviours"; not "Our vision and values")?
 */
static bool
heading_names_only(struct kb_engine *e, const char *section, unsigned want)
{
    const struct tokens *t = kba_tokens(e, section);
    bool named = false;

    for (size_t k = 0; k < t->n; k++) {
        unsigned f = kbar_topic_flags(e, t->w[k].stem);

        if (kb_text_is_stopword(t->w[k].surface))
            continue;
        if (f & want)
            named = true;
        else if (!(f & W_GENERIC) && strncmp(t->w[k].stem, "behavio", 7) != 0)
            return false;
    }
    return named;
}

/* Are all the words of passage @p (stop words aside) in the question? */
static bool
item_asked(struct kb_engine *e, const struct query *q, size_t p)
{
    const struct tokens *t = kba_tokens(e, q->kb->passages[p].text);
    size_t n = 0;

    for (size_t k = 0; k < t->n; k++) {
        bool asked = false;

        if (kb_text_is_stopword(t->w[k].surface))
            continue;
        for (size_t i = 0; i < q->n && !asked; i++)
            asked = !q->aside[i] && strcmp(q->w[i].stem, t->w[k].stem) == 0;
        if (!asked)
            return false;
        n++;
    }
    return n > 0;
}

/*
 * Does @text end in a list after a colon, "...: Compassion, Accountability,
 * Respect and Excellence.": three or more items of one to four words, each
 * starting with a capital?
 */
static bool
ends_in_inline_list(const char *text)
{
    const char *p = strrchr(text, ':');
    size_t items = 0, words = 0;
    bool start = true;

    if (p == NULL)
        return false;
    for (p++; *p; p++) {
        if (*p == ' ')
            continue;
        if (start && !isupper((unsigned char)*p))
            return false;
        start = false;
        if (*p == ',' || (p[-1] == ' ' && strncmp(p, "and ", 4) == 0) || *p == '.') {
            items += words > 0;
            if (words > 4)
                return false;
            words = 0;
            start = *p != '.';
            if (*p == '.')
                return p[1] == '\0' && items >= 3;
            p += *p == ',' ? 0 : 3;
            continue;
        }
        if (isalpha((unsigned char)*p) && (p[-1] == ' ' || p[-1] == ':'))
            words++;
    }
    items += words > 0;
    return items >= 3 && words <= 4;
}

/*
 * "what are our values", "how many values" on a page that names them only in a
 * sentence `kb build` did not take ("The values are based around four key
 * points: Compassion, Accountability, Respect and Excellence."): that sentence.
 */
static bool
answer_inline_list(struct kb_engine *e, const struct query *q, struct kb_answer *a,
                   unsigned want)
{
    const struct kb *kb = q->kb;

    if (!(a->intent == KB_INTENT_VALUES || a->intent == KB_INTENT_GOALS ||
          a->intent == KB_INTENT_COUNT_VALUES || a->intent == KB_INTENT_COUNT_GOALS))
        return false;
    for (size_t p = 0; p < kb->npassages; p++) {
        const struct tokens *t = kba_tokens(e, kb->passages[p].text);
        bool named = false;

        /* The list asked for by its own word: "principles" are no "values". */
        for (size_t k = 0; k < t->n && !named; k++) {
            for (size_t i = 0; i < q->n && !named; i++)
                named = (q->flags[i] & want) && strcmp(q->w[i].stem, t->w[k].stem) == 0;
        }
        if (!named || !ends_in_inline_list(kb->passages[p].text))
            continue;
        /* "what do our values define": something else than the list is asked. */
        for (size_t i = 0; i < q->n && named; i++) {
            if (q->content[i] && !q->aside[i] && !kbar_is_question_word(q->w[i].surface))
                named = kbapr_text_has(e, kb->passages[p].text, q->w[i].stem);
        }
        if (!named)
            return false;
        kbapr_quote_passages(a, p, 1);
        return true;
    }
    return false;
}

/*
 * The one sentence with words under the heading whose section starts at
 * passage @first, when it speaks of the list itself (a word of @want: "Our
 * values - Care, Dignity ... - are shown in", "Everything we do is underpinned
 * by our values: people feel ..."): how the page states the list it does not
 * set out.  SIZE_MAX when the section holds more, or says nothing of the list.
 */
static size_t
sole_sentence(struct kb_engine *e, const struct kb *kb, size_t first, unsigned want)
{
    size_t found = SIZE_MAX;

    for (size_t p = first; p < kb->npassages && strcmp(kb->passages[p].section,
                                                       kb->passages[first].section) == 0;
         p++) {
        const struct tokens *t = kba_tokens(e, kb->passages[p].text);
        bool named = false;

        if (t->n == 0)
            continue; /* the bars of a table's empty cells */
        if (found != SIZE_MAX || t->n > 2 * PROSE_ITEM_WORDS)
            return SIZE_MAX;
        for (size_t k = 0; k < t->n && !named; k++)
            named = (kbar_topic_flags(e, t->w[k].stem) & want) != 0;
        if (!named)
            return SIZE_MAX;
        found = p;
    }
    return found;
}

bool
kbapr_answer_under_heading(struct kb_engine *e, const struct query *q,
                           struct kb_answer *a)
{
    const struct kb *kb = q->kb;
    bool values =
        kb->nvalues == 0 &&
        (a->intent == KB_INTENT_VALUES || a->intent == KB_INTENT_VALUE ||
         a->intent == KB_INTENT_VALUE_LOOKUP || a->intent == KB_INTENT_NOT_A_VALUE);
    bool goals =
        kb->ngoals == 0 && (a->intent == KB_INTENT_GOALS || a->intent == KB_INTENT_GOAL ||
                            a->intent == KB_INTENT_NO_SUCH_GOAL);
    bool list = a->intent == KB_INTENT_VALUES || a->intent == KB_INTENT_GOALS;

    if ((kb->nvalues == 0 &&
         (a->intent == KB_INTENT_VALUES || a->intent == KB_INTENT_COUNT_VALUES) &&
         answer_inline_list(e, q, a, W_VALUES)) ||
        (kb->ngoals == 0 &&
         (a->intent == KB_INTENT_GOALS || a->intent == KB_INTENT_COUNT_GOALS) &&
         answer_inline_list(e, q, a, W_GOALS)))
        return true;

    /* The list, or "is building trust one of our behaviours?": an item of it. */
    if (!(values || goals) || (!list && !kbam_asks_yes_no(q)))
        return false;
    for (size_t p = 0; p < kb->npassages; p++) {
        const char *section = kb->passages[p].section;
        size_t first = p, n = 0;

        if (section[0] == '\0' ||
            !heading_names_only(e, section, values ? W_VALUES : W_GOALS))
            continue;
        /* The list itself; its behaviours, which one sentence does not give, are
         * not. */
        if (list && !has_stem(q, (const char *const[]){"behaviour", "behavior", NULL}) &&
            (p = sole_sentence(e, kb, first, values ? W_VALUES : W_GOALS)) != SIZE_MAX) {
            kbapr_quote_passages(a, p, 1);
            return true;
        }
        p = first;
        while (p < kb->npassages && strcmp(kb->passages[p].section, section) == 0) {
            /* Sentences of one paragraph share its line: prose, not a list. */
            if (kba_tokens(e, kb->passages[p].text)->n > PROSE_ITEM_WORDS ||
                (p > first && kb->passages[p].line == kb->passages[p - 1].line))
                return false;
            n++;
            p++;
        }
        if (n < 2 || n > KB_ANSWER_MAX_REFS)
            return false;
        if (list) {
            kbapr_quote_passages(a, first, n);
            return true;
        }
        for (size_t k = first; k < first + n; k++) {
            if (item_asked(e, q, k)) {
                kbapr_quote_passages(a, k, 1);
                return true;
            }
        }
        return false;
    }
    return false;
}
