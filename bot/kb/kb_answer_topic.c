/*
 * kb_answer_topic.c - answers about the values, the goals, the mission,
 * vision and purpose, the ambitions and the strategy's years.
 */
#include "bot/kb/kb_answer_int.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_index.h"
#include "bot/kb/kb_set.h"

/* "which value is about ...", "what value covers ...": one value, by what it says. */
static bool
asks_which_value(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        if (!q->aside[i] && (q->flags[i] & W_VALUES) &&
            (strcmp(q->w[i].surface, "value") == 0 || has_word(q, "which")))
            return true;
    }
    return false;
}

/*
 * The value whose definition or behaviour holds the question's words ("which
 * value is about sharing power": "Together: we share power with ..."), at
 * least half of their weight; two values near tied are offered both.  Returns
 * false, @a untouched, when none does.
 */
static bool
value_by_words(struct kb_engine *e, const struct query *q, const size_t *terms,
               size_t nterms, struct kb_answer *a)
{
    struct kb_hit hits[2];
    struct kb_doc_ref r, s;
    size_t n = kb_index_search(q->idx, terms, nterms,
                               (1u << KB_DOC_VALUE) | (1u << KB_DOC_BEHAVIOUR), hits, 2);

    if (n == 0 || hits[0].coverage < 0.5)
        return false;
    r = kb_index_doc(q->idx, hits[0].doc);
    a->intent = r.kind == KB_DOC_BEHAVIOUR ? KB_INTENT_VALUE_LOOKUP : KB_INTENT_VALUE;
    add_ref(a, r.kind, r.item, r.sub);
    if (n > 1 && (s = kb_index_doc(q->idx, hits[1].doc)).item != r.item &&
        hits[1].coverage >= 0.5 && hits[1].score >= hits[0].score * (1 - e->tie_margin)) {
        a->intent = KB_INTENT_CLARIFY;
        add_ref(a, s.kind, s.item, s.sub);
    }
    a->answered = true;
    a->confidence = 0.55 + 0.4 * hits[0].coverage;
    return true;
}

void
kbat_answer_values(struct kb_engine *e, const struct query *q, const size_t *terms,
                   size_t nterms, struct kb_answer *a)
{
    size_t vi = 0, bi = 0;
    double frac;

    /* "what are our values? i remember kindness": the list (kb_answer_aside.c);
       "kindness and ...?" too (kb_answer_rest.c). */
    if (kbaas_asks_whole_list(q, W_VALUES) || kbarst_asks_rest(q)) {
        a->intent = KB_INTENT_VALUES;
        a->answered = true;
        a->confidence = 0.9;
        add_all(a, KB_DOC_VALUE, q->kb->nvalues);
        return;
    }
    if (kbam_named_values(e, q, a) > 0) {
        a->intent = KB_INTENT_VALUE;
        a->confidence = 0.95;
        /*
         * "what behaviours go with respect?" where the document lists none:
         * it does not state them, so that is a decline (which says so).
         */
        a->answered = !kbam_asks_how_lived(q) || !kbam_values_bare(q->kb, a);
        a->yes_no = kbam_asks_yes_no(q);
        return;
    } else if (kbam_named_behaviour(e, q, &vi, &bi, &frac)) {
        a->intent = KB_INTENT_VALUE_LOOKUP;
        a->confidence = 0.6 + 0.35 * frac;
        add_ref(a, KB_DOC_BEHAVIOUR, vi, bi);
    } else if (nterms > 0 && !kbam_asks_yes_no(q) && asks_which_value(q) &&
               value_by_words(e, q, terms, nterms, a)) {
        return;
    } else if (nterms > 0 && kbal_answer_value(q, a)) {
        return; /* "which value is about teamwork": one means it */
    } else if (nterms > 0 && ((kbam_asks_yes_no(q) && !kbam_values_are_subject(q)) ||
                              kbam_names_unknown_quality(q))) {
        /*
         * "is honesty one of our values?", "what's the collaboration value
         * about": the KB has no such value or behaviour.  Say which it has.
         */
        a->intent = KB_INTENT_NOT_A_VALUE;
        a->confidence = 0.8;
        add_all(a, KB_DOC_VALUE, q->kb->nvalues);
        /* A yes/no question the list settles is answered: no, and here they are. */
        a->answered = kbam_asks_yes_no(q);
        return;
    } else {
        a->intent = KB_INTENT_VALUES;
        a->confidence = 0.9;
        add_all(a, KB_DOC_VALUE, q->kb->nvalues);
        /*
         * "the behaviours under our values" where the page lists none, "which
         * value is the most important?": the page names them and says no more.
         */
        a->answered = !(kbam_asks_how_lived(q) && !has_phrase(q, "day", "to") &&
                        kbam_values_bare(q->kb, a)) &&
                      !kbam_asks_ranking(q);
        return;
    }
    a->answered = true;
}

/* Does passage @i begin by pointing back at the one before it ("They are ...")? */
static bool
points_back(struct kb_engine *e, const struct kb *kb, size_t i)
{
    static const char *const back[] = {"it",   "this",  "these", "they",
                                       "that", "those", NULL};
    const struct tokens *t = kba_tokens(e, kb->passages[i].text);

    return i > 0 && t->n > 0 && in_list(t->w[0].surface, back) &&
           strcmp(kb->passages[i - 1].section, kb->passages[i].section) == 0;
}

/*
 * Adds passage @p with the sentence it points back to, before it, and the
 * one after that points back to it ("Digital, estates ... support the three
 * pillars." "They are not goals in themselves ...").
 */
static void
add_said(struct kb_engine *e, const struct kb *kb, size_t p, struct kb_answer *a)
{
    if (points_back(e, kb, p))
        add_ref(a, KB_DOC_PASSAGE, p - 1, 0);
    add_ref(a, KB_DOC_PASSAGE, p, 0);
    if (p + 1 < kb->npassages && points_back(e, kb, p + 1))
        add_ref(a, KB_DOC_PASSAGE, p + 1, 0);
}

/*
 * "are the enablers goals?", "are the enabling plans separate aims?": no goal
 * is named, and the page may say what the thing is ("They are not goals in
 * themselves", "they are not separate aims").  Adds the passage that holds
 * every word naming it (in its text, its heading, or the sentence it points
 * back to) and most of the question's words, after that sentence; nothing
 * when none does.
 */
static void
add_what_it_is(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    const struct kb *kb = q->kb;
    size_t best = SIZE_MAX, best_n = 0, nnamed = 0;

    for (size_t i = 0; i < q->n; i++)
        nnamed +=
            q->content[i] && !q->aside[i] && !(q->flags[i] & (W_GOALS | W_GOAL_VERB));
    if (nnamed == 0)
        return;
    for (size_t p = 0; p < kb->npassages; p++) {
        const char *text = kb->passages[p].text, *sec = kb->passages[p].section;
        size_t prev = points_back(e, kb, p) ? p - 1 : SIZE_MAX, got = 0;
        bool all = true;

        for (size_t i = 0; i < q->n && all; i++) {
            bool in =
                !q->stop[i] && !q->aside[i] && kbapr_text_has(e, text, q->w[i].stem);

            got += in;
            if (!q->content[i] || q->aside[i] || (q->flags[i] & (W_GOALS | W_GOAL_VERB)))
                continue;
            all = in || kbapr_text_has(e, sec, q->w[i].stem) ||
                  (prev != SIZE_MAX &&
                   kbapr_text_has(e, kb->passages[prev].text, q->w[i].stem));
        }
        if (all && got > best_n) {
            best = p;
            best_n = got;
        }
    }
    if (best != SIZE_MAX)
        add_said(e, kb, best, a);
}

/* Fills @a with the goal kbaw_theme_goal() finds; false when none. */
static bool
theme_goal(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    double score;
    size_t g = kbaw_theme_goal(e, q, &score);

    if (g == SIZE_MAX)
        return false;
    a->intent = KB_INTENT_GOAL;
    a->related = true;
    a->yes_no = kbam_asks_yes_no(q);
    a->answered = true;
    a->confidence = 0.6 + 0.3 * score;
    add_ref(a, KB_DOC_GOAL, g, 0);
    return true;
}

void
kbat_answer_goals(struct kb_engine *e, const struct query *q, const size_t *terms,
                  size_t nterms, struct kb_answer *a)
{
    unsigned num = kbam_goal_number(q);
    struct kb_hit hits[4];
    size_t n, known = 0;

    for (size_t i = 0; i < nterms; i++)
        known += terms[i] != KB_INDEX_UNKNOWN;

    /* "goals 1, 2 and 3": every goal numbered. */
    if (num > 0 && kbam_goal_numbers(q, a) > 1) {
        a->intent = KB_INTENT_GOAL;
        a->answered = true;
        a->confidence = 0.95;
        return;
    }
    a->nrefs = 0;
    if (num > 0) {
        for (size_t i = 0; i < q->kb->ngoals; i++) {
            if (q->kb->goals[i].number == num) {
                /*
                 * "what are the KPIs for goal 1": a word the KB never uses
                 * asks about something the goal does not state; only a
                 * passage may answer that, or the bot declines.
                 */
                if (kbam_asks_unstated_aspect(q, terms, nterms)) {
                    kbap_answer_passages(e, q, terms, nterms, a);
                    return;
                }
                a->intent = KB_INTENT_GOAL;
                /* "the measures of success for goal 2" where it gives no figure:
                 * as for a goal named by its words. */
                a->answered =
                    !(kbam_asks_measure(q) && !kbam_goal_has_number(&q->kb->goals[i]));
                a->confidence = 0.95;
                add_ref(a, KB_DOC_GOAL, i, 0);
                return;
            }
        }
        a->intent = KB_INTENT_NO_SUCH_GOAL;
        a->confidence = 0.8;
        goto list;
    }
    /*
     * "what do we want to achieve by 2027": an ambition is an aim too; so is
     * a mission or vision that says so in the question's words ("the
     * fundamental aim of the trust").
     */
    if (known > 0 && !kbagp_names_goal_title(e, q) &&
        kb_index_search(q->idx, terms, nterms, 1u << KB_DOC_AMBITION, hits, 1) == 1 &&
        hits[0].coverage >= 0.99) {
        a->intent = KB_INTENT_AMBITIONS;
        a->answered = true;
        a->confidence = 0.9;
        add_ref(a, KB_DOC_AMBITION, kb_index_doc(q->idx, hits[0].doc).item, 0);
        return;
    }
    /* "what do we prioritise" asks for the list, whatever else it names. */
    if (!has_stem(q, kbar_goals_stems) &&
        !has_stem(q, (const char *const[]){"ambit", NULL}))
        goto all;
    /* "what are the priorities? i remember our care": the list (kb_answer_aside.c). */
    if (kbaas_asks_whole_list(q, W_GOALS))
        goto all;
    if (kbam_named_goals(e, q, a) > 0) {
        if (a->nrefs == 1 && kbam_has_unknown_content(terms, nterms)) {
            a->nrefs = 0;
            kbap_answer_passages(e, q, terms, nterms, a);
            return;
        }
        a->intent = a->nrefs > 1 ? KB_INTENT_CLARIFY : KB_INTENT_GOAL;
        /* "the target for the partnerships priority" where it gives no figure. */
        a->answered = !(a->nrefs == 1 && kbam_asks_measure(q) &&
                        !kbam_goal_has_number(&q->kb->goals[a->refs[0].item]));
        a->confidence = 0.9;
        return;
    }
    if (kbam_asks_for_one_goal(q) && !kbam_has_unknown_content(terms, nterms) &&
        (n = kbam_keyword_goal(e, q)) != SIZE_MAX) {
        a->intent = KB_INTENT_GOAL;
        a->answered = true;
        a->confidence = 0.8;
        add_ref(a, KB_DOC_GOAL, n, 0);
        return;
    }
    n = known ? kb_index_search(q->idx, terms, nterms, 1u << KB_DOC_GOAL, hits, 4) : 0;
    if (n > 0 && hits[0].coverage >= 0.5 && kbam_asks_for_one_goal(q) &&
        !kbam_has_unknown_content(terms, nterms)) {
        struct kb_doc_ref r = kb_index_doc(q->idx, hits[0].doc);

        if (n > 1 && hits[1].score >= hits[0].score * (1 - e->tie_margin) &&
            hits[1].coverage >= 0.5) {
            a->intent = KB_INTENT_CLARIFY;
            add_ref(a, KB_DOC_GOAL, r.item, 0);
            add_ref(a, KB_DOC_GOAL, kb_index_doc(q->idx, hits[1].doc).item, 0);
        } else {
            a->intent = KB_INTENT_GOAL;
            add_ref(a, KB_DOC_GOAL, r.item, 0);
        }
        a->answered = true;
        a->confidence = 0.55 + 0.4 * hits[0].coverage;
        return;
    }
    if (nterms > 0 && kbam_has_unknown_content(terms, nterms) &&
        kbam_asks_for_one_goal(q) && kbal_answer_goal(q, a))
        return; /* "which priority is about looking after employees": one means it */
    if (nterms > 0 && kbam_has_unknown_content(terms, nterms) &&
        kbam_asks_for_one_goal(q) && theme_goal(e, q, a))
        return; /* "which goal covers getting help in good time": its words and meaning */
    if (nterms > 0 && kbam_has_unknown_content(terms, nterms) &&
        kbam_asks_for_one_goal(q)) {
        /* "which goal is about parking?": not one of ours; say which are. */
        a->intent = KB_INTENT_NO_SUCH_GOAL;
        a->confidence = 0.7;
        goto list;
    }
    /*
     * "the fundamental aim of the trust": no goal holds those words, but the
     * mission or vision says so in them.
     */
    if (known > 0 && kbam_asks_for_one_goal(q) && !kbat_names_strategy(e, q) &&
        kb_index_search(q->idx, terms, nterms,
                        (1u << KB_DOC_MISSION) | (1u << KB_DOC_VISION), hits, 1) == 1 &&
        hits[0].coverage >= 0.99) {
        a->intent = KB_INTENT_STATEMENT;
        a->answered = true;
        a->confidence = 0.9;
        add_ref(a, kb_index_doc(q->idx, hits[0].doc).kind, 0, 0);
        return;
    }
    /*
     * "is digital one of our pillars?": no goal is named, so no; and if a
     * passage says what it is ("Digital ... support the three pillars"), that too.
     */
    if (kbam_asks_yes_no(q) && nterms > 0) {
        a->intent = KB_INTENT_NO_SUCH_GOAL;
        a->answered = true;
        a->confidence = 0.75;
        add_all(a, KB_DOC_GOAL, q->kb->ngoals);
        if (known > 0 &&
            kb_index_search(q->idx, terms, nterms, 1u << KB_DOC_PASSAGE, hits, 1) == 1 &&
            hits[0].coverage >= 0.99)
            add_said(e, q->kb, kb_index_doc(q->idx, hits[0].doc).item, a);
        else if (known > 0)
            add_what_it_is(e, q, a);
        return;
    }
all:
    a->intent = KB_INTENT_GOALS;
    a->answered = true;
    a->confidence = 0.9;
    /* "the goals and what's under each one", "in full", "in detail" */
    a->detail = has_word(q, "each") || has_phrase(q, "in", "detail") ||
                has_word(q, "full") ||
                has_stem(q, (const char *const[]){"detail", "bullet", "point", NULL});
list:
    add_all(a, KB_DOC_GOAL, q->kb->ngoals);
}

/*
 * Adds the passage that states the organisation's @stem ("vision",
 * "mission", "purpos"): one where the word is followed by "is", "are", "to"
 * or a colon-like break ("Our vision is that ..."), or failing that the first
 * sentence under a heading that names it.  Nothing when none does.
 */
static size_t find_statement_passage(struct kb_engine *e, const struct kb *kb,
                                     const char *stem);

static void
add_statement_passage(struct kb_engine *e, const struct query *q, const char *stem,
                      struct kb_answer *a)
{
    static const char *const stems[] = {"mission", "vision", "purpos"};
    size_t k = 0, ki = 0, *slot;

    while (k < 2 && strcmp(stems[k], stem) != 0)
        k++;
    while (ki + 1 < kb_set_count(e->set) && kb_set_get(e->set, ki) != q->kb)
        ki++;
    /* The KB does not change under the engine: look once per KB and kind. */
    slot = &e->statement[ki * 3 + k];
    if (*slot == SIZE_MAX - 1)
        *slot = find_statement_passage(e, q->kb, stem);
    if (*slot != SIZE_MAX)
        add_ref(a, KB_DOC_PASSAGE, *slot, 0);
}

/* The passage that states @stem, or SIZE_MAX (see add_statement_passage()). */
static size_t
find_statement_passage(struct kb_engine *e, const struct kb *kb, const char *stem)
{
    for (size_t i = 0; i < kb->npassages; i++) {
        const struct tokens *t = kba_tokens(e, kb->passages[i].text);

        /* Near the start: "Our vision is ...", "The Trust's purpose is to ..." */
        for (size_t k = 0; k + 1 < t->n && k <= 3; k++) {
            const char *next = t->w[k + 1].surface;

            if (strcmp(t->w[k].stem, stem) == 0 &&
                (strcmp(next, "is") == 0 || strcmp(next, "are") == 0 ||
                 strcmp(next, "to") == 0 || strcmp(next, "statement") == 0) &&
                !kbanm_is_about_statement(t, stem)) {
                return i;
            }
        }
    }
    for (size_t i = 0; i < kb->npassages; i++) {
        const char *sec = kb->passages[i].section;

        if (sec[0] && kbam_text_has_root(e, sec, stem) && kba_tokens(e, sec)->n <= 4) {
            return kbanm_is_about_statement(kba_tokens(e, kb->passages[i].text), stem)
                       ? SIZE_MAX
                       : i;
        }
    }
    /* Named in passing, on a page that states it nowhere else: "They support our
     * mission to enable thriving communities.", "achieve our vision for
     * excellence in all that we do" (kb_answer_passing.c). */
    for (size_t i = 0; i < kb->npassages; i++) {
        const struct tokens *t = kba_tokens(e, kb->passages[i].text);

        for (size_t k = 1; k + 2 < t->n; k++) {
            if (strcmp(t->w[k].stem, stem) == 0 &&
                ((strcmp(t->w[k - 1].surface, "our") == 0 &&
                  (strcmp(t->w[k + 1].surface, "to") == 0 ||
                   strcmp(t->w[k + 1].surface, "is") == 0)) ||
                 kbaps_names_aim_for(t, k)) &&
                !kbanm_is_about_statement(t, stem))
                return i;
        }
    }
    return SIZE_MAX;
}

bool
kbat_answer_statements(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    bool mission = has_stem(q, (const char *const[]){"mission", NULL});
    bool vision = has_stem(q, (const char *const[]){"vision", NULL});
    bool purpose = has_stem(q, (const char *const[]){"purpos", NULL}) ||
                   (has_word(q, "why") && has_word(q, "exist")) ||
                   (has_stem(q, (const char *const[]){"reason", NULL}) &&
                    has_stem(q, (const char *const[]){"exist", NULL})) ||
                   has_phrase(q, "reason", "we") || has_phrase(q, "here", "for") ||
                   (has_word(q, "why") && has_phrase(q, "what", "we"));
    bool have_purpose = false;
    unsigned described = mission || vision || purpose ? 0 : kbaq_statement_described(q);

    mission = mission || (described & KBAQ_MISSION);
    vision = vision || (described & KBAQ_VISION);
    if (!mission && !vision && !purpose)
        return false;
    /* "how many people helped shape the vision", "when was the mission agreed". */
    if (!purpose && kbaq_answer_statement_fact(e, q, a))
        return true;
    if (purpose) {
        for (size_t i = 0; i < q->kb->nambitions; i++) {
            if (strcmp(q->kb->ambitions[i].kind, "purpose") == 0) {
                add_ref(a, KB_DOC_AMBITION, i, 0);
                have_purpose = true;
            }
        }
        /* A strategy without a stated purpose states why it exists in its mission. */
        if (!have_purpose)
            mission = true;
    }
    if (mission && q->kb->mission.text != NULL)
        add_ref(a, KB_DOC_MISSION, 0, 0);
    if (vision && q->kb->vision.text != NULL) {
        add_ref(a, KB_DOC_VISION, 0, 0);
        /* An ambition the document gives as part of its vision is part of the answer. */
        for (size_t i = 0; i < q->kb->nambitions; i++) {
            if (strcmp(q->kb->ambitions[i].kind, "purpose") != 0 &&
                kbam_text_has_root(e, q->kb->ambitions[i].text, "vision"))
                add_ref(a, KB_DOC_AMBITION, i, 0);
        }
    }
    /*
     * A statement the KB does not hold may still be written in a passage
     * ("Our vision is that together, we will ...", a heading "Our purpose"
     * over a sentence): quote that.
     */
    if (mission && q->kb->mission.text == NULL && !have_purpose)
        add_statement_passage(e, q, "mission", a);
    if (vision && q->kb->vision.text == NULL)
        add_statement_passage(e, q, "vision", a);
    if (purpose && !have_purpose && q->kb->mission.text == NULL)
        add_statement_passage(e, q, "purpos", a);
    if (a->nrefs > 0 && a->refs[0].kind == KB_DOC_PASSAGE) {
        a->intent = KB_INTENT_FACT;
        a->answered = true;
        a->confidence = 0.85;
        return true;
    }
    if (mission && q->kb->mission.text == NULL && !have_purpose && !vision) {
        a->intent = KB_INTENT_NO_MISSION;
        a->confidence = 0.9;
        if (q->kb->vision.text != NULL)
            add_ref(a, KB_DOC_VISION, 0, 0);
        return true;
    }
    if (a->nrefs == 0) {
        a->intent = KB_INTENT_OUT_OF_SCOPE;
        return true;
    }
    kbabo_add_lists(q, a); /* "mission + values" */
    a->intent = KB_INTENT_STATEMENT;
    a->answered = true;
    a->confidence = 0.95;
    return true;
}

bool
kbat_answer_ambitions(const struct query *q, const size_t *terms, size_t nterms,
                      struct kb_answer *a)
{
    struct kb_hit hits[2];
    size_t n = 0;

    for (size_t i = 0; i < q->kb->nambitions; i++)
        n += strcmp(q->kb->ambitions[i].kind, "purpose") != 0;
    if (n == 0)
        return false; /* "ambitions" then means the goals */
    if (nterms > 0 &&
        kb_index_search(q->idx, terms, nterms, 1u << KB_DOC_AMBITION, hits, 1) == 1 &&
        hits[0].coverage >= 0.5) {
        add_ref(a, KB_DOC_AMBITION, kb_index_doc(q->idx, hits[0].doc).item, 0);
    } else if (nterms > 0 && kbam_has_unknown_content(terms, nterms)) {
        return false;
    } else {
        for (size_t i = 0; i < q->kb->nambitions; i++) {
            if (strcmp(q->kb->ambitions[i].kind, "purpose") != 0)
                add_ref(a, KB_DOC_AMBITION, i, 0);
        }
    }
    a->intent = KB_INTENT_AMBITIONS;
    a->answered = true;
    a->confidence = 0.9;
    return true;
}

/*
 * A yes/no question ("did", "do", "does", "has", "will"; "are" with the values
 * its subject) about the values or
 * goals that also names something the KB knows and no value or goal ("did
 * patients have any say in the values?").
 */
bool
kbat_asks_about_topic(struct kb_engine *e, const struct query *q)
{
    static const char *const aux[] = {"did",  "do",   "does", "has", "have",
                                      "will", "were", "was",  NULL};
    struct kb_answer tmp;
    struct kb_hit hits[1];
    size_t terms[MAX_WORDS], n = 0;
    bool lead = false, other = false;

    for (size_t i = 0; i < q->n; i++) {
        if (q->aside[i])
            continue;
        if (q->clause_start[i] && in_list(q->w[i].surface, aux))
            lead = true;
        /* "are the values used in appraisals?" as "do we use the values in ...". */
        if (q->clause_start[i] && !lead && kbam_values_are_subject(q))
            lead = true;
        if (q->content[i] && kb_index_term(q->idx, q->w[i].stem) != KB_INDEX_UNKNOWN)
            other = true;
    }
    if (!lead || !other)
        return false;
    memset(&tmp, 0, sizeof(tmp));
    if (kbam_named_values(e, q, &tmp) > 0 || kbam_named_goals(e, q, &tmp) > 0)
        return false;
    /* "does any goal mention training?": a goal or a behaviour says so itself. */
    for (size_t i = 0; i < q->n; i++) {
        if (q->content[i] && !q->aside[i])
            terms[n++] = kb_index_term(q->idx, q->w[i].stem);
    }
    return !(n > 0 &&
             kb_index_search(q->idx, terms, n,
                             (1u << KB_DOC_GOAL) | (1u << KB_DOC_BEHAVIOUR), hits,
                             1) == 1 &&
             hits[0].coverage >= 0.99);
}

/* "when does it end", "how long does it run", "until when": the span of something. */
bool
kbat_asks_how_long(const struct query *q)
{
    static const char *const span[] = {"end",   "run",   "finish", "last", "until",
                                       "cover", "expir", "go",     "long", NULL};

    /*
     * About the strategy itself, not "how long was the engagement"; "year" in "what
     * year" is the kind of fact asked for, and the strategy's own name ("when does
     * Care You Can Count On end") stands for the strategy.
     */
    for (size_t i = 0; i < q->n; i++) {
        if (q->content[i] && !q->aside[i] && !in_list(q->w[i].stem, span) &&
            !kbak_is_type_noun(q, i) && !kbaf_is_span_noun(q->w[i].surface) &&
            !(q->kb->strategy[0] && kbar_contains_word(q->kb->strategy, q->w[i].surface)))
            return false;
    }
    return has_phrase(q, "how", "long") || has_phrase(q, "until", "when") ||
           ((has_word(q, "when") || has_word(q, "whens") ||
             has_phrase(q, "what", "year") || has_phrase(q, "which", "year")) &&
            has_stem(q, (const char *const[]){"end", "run", "finish", "last", "until",
                                              "cover", "expir", NULL})) ||
           has_phrase(q, "what", "years") || has_phrase(q, "which", "years") ||
           kbaf_asks_span(q);
}

/* The value of the @n digits at @p. */
static int
digits_value(const char *p, int n)
{
    int v = 0;

    for (int i = 0; i < n && isdigit((unsigned char)p[i]); i++)
        v = v * 10 + (p[i] - '0');
    return v;
}

/*
 * The years of the longest span ("2024-2029", "2024 to 2029": 5; "2024/25": 1)
 * @t gives, or 0 when none.
 */
static int
year_span(const char *t)
{
    int best = 0;

    for (const char *p = strpbrk(t, "12"); p != NULL; p = strpbrk(p + 1, "12")) {
        const char *r = p + 4;
        int from, to;

        if (!kbak_is_year_at(p, t))
            continue;
        if (strncmp(r, " to ", 4) == 0)
            r += 4;
        else if (*r == '-' || *r == '/')
            r += 1;
        else if ((unsigned char)r[0] == 0xe2 && (unsigned char)r[1] == 0x80 &&
                 ((unsigned char)r[2] == 0x93 || (unsigned char)r[2] == 0x94))
            r += 3;
        else
            continue;
        from = digits_value(p, 4);
        if (kbak_is_year_at(r, t))
            to = digits_value(r, 4);
        else if (isdigit((unsigned char)r[0]) && isdigit((unsigned char)r[1]) &&
                 !isdigit((unsigned char)r[2]))
            to = from - from % 100 + digits_value(r, 2);
        else
            continue;
        if (to - from > best)
            best = to - from;
    }
    return best;
}

/*
 * The passage that gives the strategy's years, how long it runs: a span of
 * several years in a passage or in the heading it is under ("Our strategy:
 * Closer to Home 2024-2029") before a single year's ("our annual plan for
 * 2024/25").  SIZE_MAX when none does.
 */
size_t
kbat_period_passage(const struct kb *kb)
{
    size_t one = SIZE_MAX;

    for (size_t i = 0; i < kb->npassages; i++) {
        int span = year_span(kb->passages[i].text),
            sec = year_span(kb->passages[i].section);

        if (span >= 2)
            return i;
        /* The heading gives the years: the first sentence under it that names one. */
        if (sec >= 2) {
            for (size_t k = i; k < kb->npassages && strcmp(kb->passages[k].section,
                                                           kb->passages[i].section) == 0;
                 k++) {
                if (kbak_text_has_year(kb->passages[k].text))
                    return k;
            }
            return i;
        }
        if ((span > 0 || sec > 0) && one == SIZE_MAX)
            one = i;
    }
    return one;
}

/* "is there a strategy i should read?", "do we have a strategy?" */
bool
kbat_asks_if_strategy(const struct query *q)
{
    for (size_t i = 0; i + 1 < q->n; i++) {
        size_t k = i + 1;

        if (strcmp(q->w[i].surface, "there") != 0 && strcmp(q->w[i].surface, "have") != 0)
            continue;
        if (k + 1 < q->n &&
            (strcmp(q->w[k].surface, "a") == 0 || strcmp(q->w[k].surface, "an") == 0 ||
             strcmp(q->w[k].surface, "any") == 0))
            k++;
        if (strcmp(q->w[k].stem, "strategi") == 0)
            return true;
    }
    return false;
}

/* Is the question only the strategy's own name ("what is Our Journey to Change?")? */
bool
kbat_names_strategy(struct kb_engine *e, const struct query *q)
{
    return q->kb->strategy[0] != '\0' && kbam_names_match(e, q, q->kb->strategy);
}

/* Are all the content words of the question words of the strategy's name? */
bool
kbat_only_name_words(struct kb_engine *e, const struct query *q)
{
    const struct tokens *t = kba_tokens(e, q->kb->strategy);

    for (size_t i = 0; i < q->n; i++) {
        bool in_name = false;

        for (size_t k = 0; k < t->n && !in_name; k++)
            in_name = strcmp(t->w[k].stem, q->w[i].stem) == 0;
        if (q->content[i] && !in_name)
            return false;
    }
    return true;
}

/*
 * "what's the people at our heart strategy": a word right before
 * "strategy" names a strategy; if it is not ours, the premise is wrong,
 * and the nearest passage would be a confident wrong answer.
 */
bool
kbat_names_other_strategy(struct kb_engine *e, const struct query *q)
{
    for (size_t i = 1; i < q->n; i++) {
        /* "the long-term strategy" where the page says "our Long-Term Strategy": ours */
        /* "the refreshed strategy": ours, described, not named. */
        if (strcmp(q->w[i].stem, "strategi") == 0 && q->content[i - 1] &&
            !kbaq_is_participle(q->w[i - 1].surface))
            return !kbat_names_strategy(e, q) &&
                   !kbaf_kb_says_before_strategy(e, q->kb, q->w[i - 1].stem);
    }
    return false;
}
