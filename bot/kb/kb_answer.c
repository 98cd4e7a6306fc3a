/*
 * kb_answer.c - a question in, the right part of the strategy out.
 *
 * Order matters and is the policy: clinical questions are declined before
 * anything else (no clinical content, ever); small talk only when nothing
 * else is asked; structured questions by their topic words; passages
 * last, and only above the threshold.  The topic words are the generic
 * vocabulary of strategy documents, never a particular document's text.
 */
#include "bot/kb/kb_answer.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_answer_int.h"
#include "bot/kb/kb_index.h"
#include "bot/kb/kb_query.h"
#include "bot/kb/kb_set.h"
#include "bot/kb/kb_text.h"

const char *
kb_intent_name(enum kb_intent intent)
{
    static const char *const names[] = {
        [KB_INTENT_GREETING] = "greeting",
        [KB_INTENT_THANKS] = "thanks",
        [KB_INTENT_HELP] = "help",
        [KB_INTENT_VALUES] = "values",
        [KB_INTENT_VALUE] = "value",
        [KB_INTENT_VALUE_LOOKUP] = "value_lookup",
        [KB_INTENT_GOALS] = "goals",
        [KB_INTENT_GOAL] = "goal",
        [KB_INTENT_STATEMENT] = "statement",
        [KB_INTENT_AMBITIONS] = "ambitions",
        [KB_INTENT_SUMMARY] = "summary",
        [KB_INTENT_COUNT_GOALS] = "count_goals",
        [KB_INTENT_COUNT_VALUES] = "count_values",
        [KB_INTENT_FACT] = "fact",
        [KB_INTENT_CLARIFY] = "clarify",
        [KB_INTENT_NOT_A_VALUE] = "not_a_value",
        [KB_INTENT_NO_SUCH_GOAL] = "no_such_goal",
        [KB_INTENT_NO_MISSION] = "no_mission",
        [KB_INTENT_CLINICAL] = "clinical",
        [KB_INTENT_OUT_OF_SCOPE] = "out_of_scope",
        [KB_INTENT_OTHER_ORG] = "other_org",
        [KB_INTENT_REFUSE] = "refuse",
        [KB_INTENT_NO_VALUES] = "no_values",
        [KB_INTENT_NO_GOALS] = "no_goals",
    };

    if ((size_t)intent < sizeof(names) / sizeof(names[0]) && names[intent] != NULL)
        return names[intent];
    return "unknown";
}

/* -- engine ------------------------------------------------------------ */

struct kb_engine *
kb_engine_new(const struct kb_set *set, double threshold, double tie_margin)
{
    struct kb_engine *e = xcalloc(1, sizeof(*e));
    size_t n = kb_set_count(set);

    e->set = set;
    e->text = kb_text_new();
    e->idx = xcalloc(n, sizeof(*e->idx));
    for (size_t i = 0; i < n; i++)
        e->idx[i] = kb_index_new(kb_set_get(set, i), e->text);
    e->rel = xcalloc(n, sizeof(*e->rel));
    e->headings = xcalloc(n, sizeof(*e->headings));
    e->labels = xcalloc(n, sizeof(*e->labels));
    e->threshold = threshold;
    e->tie_margin = tie_margin;
    kbar_topics_build(e);
    e->statement = xcalloc(n * 3 + 1, sizeof(*e->statement));
    for (size_t i = 0; i < n * 3; i++)
        e->statement[i] = SIZE_MAX - 1;
    e->pdoc = xcalloc(n, sizeof(*e->pdoc));
    for (size_t i = 0; i < n; i++) {
        const struct kb *kb = kb_set_get(set, i);

        e->pdoc[i] = xcalloc(kb->npassages + 1, sizeof(**e->pdoc));
        for (size_t d = 0; d < kb_index_ndocs(e->idx[i]); d++) {
            struct kb_doc_ref ref = kb_index_doc(e->idx[i], d);

            if (ref.kind == KB_DOC_PASSAGE && ref.item < kb->npassages)
                e->pdoc[i][ref.item] = d;
        }
    }
    return e;
}

void
kb_engine_free(struct kb_engine *e)
{
    if (e == NULL)
        return;
    for (size_t i = 0; i < kb_set_count(e->set); i++) {
        kb_index_free(e->idx[i]);
        kb_related_index_free(e->rel[i]);
        kbase_headings_free(e->headings[i]);
        kbanm_labels_free(e->labels[i]);
        free(e->pdoc[i]);
    }
    free(e->rel);
    free(e->headings);
    free(e->labels);
    free(e->wordclass);
    free(e->pdoc);
    free(e->idx);
    for (size_t i = 0; i < e->nmemo; i++)
        free(e->memo[i].w);
    free(e->memo);
    free(e->statement);
    free(e->topics);
    kb_text_free(e->text);
    free(e);
}

/* -- KB strings, split into words once --------------------------------- */

static size_t
memo_slot(const struct tokens *memo, size_t nmemo, const char *s)
{
    size_t i = ((uintptr_t)s >> 3) * 0x9E3779B97F4A7C15ULL & (nmemo - 1);

    while (memo[i].s != NULL && memo[i].s != s)
        i = (i + 1) & (nmemo - 1);
    return i;
}

/* The memo's entry for @s, a string owned by one of the engine's KBs; filled on first
 * use. */
static struct tokens *
tokens_entry(struct kb_engine *e, const char *s)
{
    struct kb_word w[MAX_WORDS];
    size_t i;

    if (e->memo_used * 2 >= e->nmemo) {
        size_t n = e->nmemo ? e->nmemo * 2 : 256;
        struct tokens *m = xcalloc(n, sizeof(*m));

        for (size_t k = 0; k < e->nmemo; k++) {
            if (e->memo[k].s != NULL)
                m[memo_slot(m, n, e->memo[k].s)] = e->memo[k];
        }
        free(e->memo);
        e->memo = m;
        e->nmemo = n;
    }
    i = memo_slot(e->memo, e->nmemo, s);
    if (e->memo[i].s == NULL) {
        size_t n = kb_text_words(e->text, s, strlen(s), w, MAX_WORDS);

        /* The words, then a stop flag each: callers test the flag many times
         * per question, a hash probe and a strcmp() each before. */
        e->memo[i].s = s;
        e->memo[i].n = n;
        e->memo[i].pointer = -1;
        e->memo[i].w = xreallocarray(NULL, n ? n : 1, sizeof(*w) + sizeof(bool));
        memcpy(e->memo[i].w, w, n * sizeof(*w));
        e->memo[i].stop = (bool *)(void *)(e->memo[i].w + n);
        for (size_t k = 0; k < n; k++)
            e->memo[i].stop[k] = kb_text_is_stopword(w[k].surface);
        e->memo_used++;
    }
    return &e->memo[i];
}

/* Returns the words of @s, a string owned by one of the engine's KBs. */
const struct tokens *
kba_tokens(struct kb_engine *e, const char *s)
{
    return tokens_entry(e, s);
}

bool
kba_text_is_pointer(struct kb_engine *e, const char *s)
{
    struct tokens *t = tokens_entry(e, s);

    if (t->pointer < 0)
        t->pointer = kbag_text_is_pointer(s);
    return t->pointer;
}

void
kba_query_features(const struct query *q, const size_t *terms, size_t nterms, double *x)
{
    size_t unknown = 0;
    bool aside = false;

    for (size_t i = 0; i < nterms; i++)
        unknown += terms[i] == KB_INDEX_UNKNOWN;
    for (size_t i = 0; i < q->n; i++)
        aside = aside || q->aside[i];
    for (unsigned p = KBA_PATH_WHO; p <= KBA_PATH_TOPIC; p++)
        x[KBA_QUERY_FEAT + p - KBA_PATH_WHO] = q->path == p;
    x[KBA_QUERY_FEAT + 5] = (double)(nterms < 6 ? nterms : 6);
    x[KBA_QUERY_FEAT + 6] = nterms ? (double)unknown / (double)nterms : 0;
    x[KBA_QUERY_FEAT + 7] = kbam_asks_yes_no(q);
    x[KBA_QUERY_FEAT + 8] = aside;
    x[KBA_QUERY_FEAT + 9] = log(1.0 + (double)q->n);
}

/*
 * Are the question's content words the KB's own words, not just its
 * stems?  Snowball stems "integrity" and "integrated" alike; an item is
 * taken as named outright only when its words are.
 */
static bool
words_as_written(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        if (q->content[i] && !q->aside[i] &&
            !kb_index_knows_word(q->idx, q->w[i].surface))
            return false;
    }
    return true;
}

/* Answers from the best document of any kind, when nothing structured was asked. */
static void
answer_open(struct kb_engine *e, const struct query *q, const size_t *terms,
            size_t nterms, struct kb_answer *a)
{
    struct kb_hit hits[2];
    size_t n;
    unsigned kinds = (1u << KB_DOC_GOAL) | (1u << KB_DOC_VALUE) |
                     (1u << KB_DOC_BEHAVIOUR) | (1u << KB_DOC_AMBITION);
    struct kb_doc_ref r;

    n = nterms ? kb_index_search(q->idx, terms, nterms, kinds, hits, 2) : 0;
    /*
     * A goal, value or ambition named outright ("tell me about our care",
     * "kindness?"), unless the question asks for a date, a name or a
     * number, which the item itself does not give.
     */
    if (n > 0 && hits[0].coverage >= 0.99 && !kbak_asks_for_type(q) &&
        words_as_written(q) &&
        !kbaun_item_leaves_unnamed(e, q, kb_index_doc(q->idx, hits[0].doc))) {
        r = kb_index_doc(q->idx, hits[0].doc);
        if (n > 1 && hits[1].coverage >= 0.99 &&
            hits[1].score >= hits[0].score * (1 - e->tie_margin)) {
            a->intent = KB_INTENT_CLARIFY;
            add_ref(a, r.kind, r.item, r.sub);
            r = kb_index_doc(q->idx, hits[1].doc);
            add_ref(a, r.kind, r.item, r.sub);
        } else {
            a->intent = r.kind == KB_DOC_GOAL        ? KB_INTENT_GOAL
                        : r.kind == KB_DOC_BEHAVIOUR ? KB_INTENT_VALUE_LOOKUP
                        : r.kind == KB_DOC_AMBITION  ? KB_INTENT_AMBITIONS
                                                     : KB_INTENT_VALUE;
            add_ref(a, r.kind, r.item, r.sub);
        }
        a->answered = true;
        a->confidence = 0.8;
        return;
    }
    kbap_answer_passages(e, q, terms, nterms, a);
}

/* Returns the index of @org's KB in the engine's set, or SIZE_MAX. */
static size_t
find_org(const struct kb_engine *e, const char *org)
{
    for (size_t ki = 0; ki < kb_set_count(e->set); ki++) {
        if (strcmp(kb_set_get(e->set, ki)->org, org) == 0)
            return ki;
    }
    return SIZE_MAX;
}

/*
 * Reads @clean (markup removed; borrowed by @q) for KB @ki into @q; when
 * @typed is not NULL, copies the words as typed there before spelling is
 * corrected (KB_QUERY_MAX_WORDS).  Returns how many words were typed.
 */
static size_t
query_prepare(struct kb_engine *e, size_t ki, const char *clean, struct query *q,
              struct kb_word *typed)
{
    size_t n;

    q->kb = kb_set_get(e->set, ki);
    q->idx = e->idx[ki];
    q->rel = &e->rel[ki];
    q->raw = clean;
    kbar_split_clauses(e, clean, q);
    n = q->n;
    if (typed != NULL)
        memcpy(typed, q->w, n * sizeof(q->w[0]));
    /* Spelling may change the words and their number ("ICB" read out): @typed
     * keeps the @n as written. */
    kbar_correct_spelling(e, q);
    kbar_mark_content(e, q);
    return n;
}

static void answer_query(struct kb_engine *e, struct query *q, struct kb_answer *a);

/* "and for pride?", "what about goal 3?": an item asked of as the one before was. */
static bool
is_follow_up_item(const struct query *q)
{
    size_t rest;

    return kb_query_follow(q->w, q->n, &rest) == KB_FOLLOW_ITEM;
}

bool
kb_engine_answer(struct kb_engine *e, const char *org, const char *question, size_t len,
                 struct kb_answer *a)
{
    struct query q;
    size_t ki = find_org(e, org);
    char *clean;

    memset(a, 0, sizeof(*a));
    if (ki == SIZE_MAX)
        return false;
    if (len > KB_QUESTION_MAX)
        len = utf8_truncate_len(question, KB_QUESTION_MAX);
    clean = kbar_strip_mentions(question, len);
    (void)query_prepare(e, ki, clean, &q, NULL);
    answer_query(e, &q, a);
    free(clean);
    return true;
}

bool
kb_engine_analyse(struct kb_engine *e, const char *org, const char *text, size_t len,
                  struct kb_query *kq)
{
    size_t ki = find_org(e, org);
    struct query *q;
    const char *p;

    kb_query_reset(kq);
    if (ki == SIZE_MAX)
        return false;
    if (len > KB_QUESTION_MAX)
        len = utf8_truncate_len(text, KB_QUESTION_MAX);
    kq->text = kbar_strip_mentions(text, len);
    kq->work = xmalloc(sizeof(*kq->work));
    kq->work->ki = ki;
    q = &kq->work->q;
    kq->nwords = query_prepare(e, ki, kq->text, q, kq->words);
    kq->kb = q->kb;
    for (p = kq->text; *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'; p++)
        ;
    kq->slash = *p == '/';
    kq->topical =
        (q->any & (W_VALUES | W_GOALS | W_GOAL_VERB | W_SUMMARY | W_STATEMENT)) != 0;
    kq->follow = kb_query_follow(kq->words, kq->nwords, &kq->rest);
    kq->nparts = kb_query_split(kq->text, strlen(kq->text), kq->parts);
    return true;
}

void
kb_engine_answer_query(struct kb_engine *e, struct kb_query *kq, struct kb_answer *a)
{
    memset(a, 0, sizeof(*a));
    assert(kq->work != NULL);
    answer_query(e, &kq->work->q, a);
}

/*
 * A question about the values (or goals) of a KB that lists none is not
 * answered with an empty list or a count of 0: the page the KB came from
 * states none, and the reply says so.  A KB from a page that gives only
 * goals (or only values) is a normal result of `kb build`.
 */
static void
decline_unlisted(struct kb_engine *e, struct query *q, struct kb_answer *a)
{
    bool values = a->intent == KB_INTENT_VALUES || a->intent == KB_INTENT_VALUE ||
                  a->intent == KB_INTENT_VALUE_LOOKUP ||
                  a->intent == KB_INTENT_COUNT_VALUES ||
                  a->intent == KB_INTENT_NOT_A_VALUE;
    bool goals = a->intent == KB_INTENT_GOALS || a->intent == KB_INTENT_GOAL ||
                 a->intent == KB_INTENT_COUNT_GOALS ||
                 a->intent == KB_INTENT_NO_SUCH_GOAL;

    if (a->kb == NULL ||
        !((values && a->kb->nvalues == 0) || (goals && a->kb->ngoals == 0)))
        return;
    if (kbapr_answer_stated_count(e, q, a))
        return; /* "how many": a count the page states, naming none */
    if (kbaf_answer_listed_in_passages(e, q, a))
        return; /* a list the page gives in its prose */
    if (kbapr_answer_under_heading(e, q, a))
        return; /* items with no names under "Our values" */
    if (kbap_answer_unlisted(e, q, a))
        return; /* a fact the page states about them */
    a->intent = values ? KB_INTENT_NO_VALUES : KB_INTENT_NO_GOALS;
    a->answered = false;
    a->yes_no = false;
    a->detail = false;
    a->confidence = 0.9;
    a->nrefs = 0;
    a->nfeatures = 0;
}

/* Does the KB list behaviours under any of its values? */
static bool
lists_behaviours(const struct kb *kb)
{
    for (size_t i = 0; i < kb->nvalues; i++) {
        if (kb->values[i].nbehaviours > 0)
            return true;
    }
    return false;
}

/* "what does it look like", "the behaviours": how a value is lived, asked outright. */
static bool
asks_looks_like(const struct query *q)
{
    return has_phrase(q, "look", "like") || has_phrase(q, "looks", "like") ||
           has_stem(q, (const char *const[]){"behaviour", "behavior", NULL});
}

/*
 * The policy, in order, over a prepared question.  @q's term lists are
 * worked on: scratch, which the next call fills again.
 */
static void
answer_policy(struct kb_engine *e, struct query *q, struct kb_answer *a)
{
    size_t terms[MAX_WORDS * 2], nterms;
    bool values_topic, goals_topic, injection, other, unquoted, acronym;
    int premise;

    a->kb = q->kb;
    nterms = kbar_content_terms(q, terms, sizeof(terms) / sizeof(terms[0]));
    a->intent = KB_INTENT_OUT_OF_SCOPE;
    q->path = KBA_PATH_OPEN;

    if (q->n == 0) {
        a->intent = KB_INTENT_HELP;
        a->answered = true;
        a->confidence = 1;
        return;
    }
    if (kbas_is_clinical(q)) {
        a->intent = KB_INTENT_CLINICAL;
        a->confidence = 1;
        return;
    }
    /*
     * A request the bot declines comes before the checks below, so that the
     * reply names it ("write me a poem", not "that isn't in the strategy").
     */
    injection = has_stem(q, kbar_injection_stems) ||
                strcmp(q->w[0].surface, "say") == 0 ||
                strcmp(q->w[0].surface, "post") == 0 || has_phrase(q, "tell", "everyone");
    if (kbao_read_request(q, &a->refusal) || kbas_asks_to_change(q) ||
        kbao_asks_to_publish(q)) {
        a->intent = KB_INTENT_REFUSE;
        a->answered = false;
        a->confidence = 0.9;
        return;
    }
    if (kbao_casts_bot(q)) {
        a->intent = KB_INTENT_REFUSE;
        a->refusal = KB_REFUSE_ROLE;
        a->confidence = 0.9;
        return;
    }
    if (kbac_asks_missing_contact(q) || kbaop_asks_opinion(q))
        return; /* out of scope: no way to reach anyone, or the bot's own view */
    acronym = kbas_names_value_acronym(q->kb, q->raw);
    other = !acronym && (kbas_names_other_org(q, q->raw) || kbas_names_loaded_org(e, q) ||
                         kbaun_names_other_plural_possessive(q));
    /* "add 'all staff get friday off'": a quote to add is not a premise. */
    unquoted =
        !other && kbas_quotes_unknown_phrase(e, q, q->raw) && !kbas_injection_words(q);
    if (unquoted) {
        a->intent = KB_INTENT_OUT_OF_SCOPE;
        return;
    }
    if (other) {
        a->intent = KB_INTENT_OTHER_ORG;
        a->confidence = 0.9;
        return;
    }
    /* "the 'fundamental aim' the chair talks about": the statement quoted. */
    if (!injection && kbaq_answer_quoted_statement(e, q, a))
        return;
    values_topic = has_stem(q, kbar_values_stems) || has_phrase(q, "stand", "for");
    goals_topic = has_stem(q, kbar_goals_stems) || has_stem(q, kbar_goal_verbs);
    if (!injection && kbas_smalltalk(q, a)) {
        a->answered = true;
        a->confidence = 1;
        return;
    }
    /*
     * "who set our values": a person or a group, which only a passage
     * names; there the topic words count as words to find.
     */
    if (kbak_asks_who(q) && !injection) {
        size_t wterms[MAX_WORDS], nw = 0;

        for (size_t i = 0; i < q->n; i++) {
            if (!q->stop[i] && !q->aside[i] && !kbar_names_org(q->kb, q->w[i].surface) &&
                !in_list(q->w[i].stem, kbar_injection_stems)) {
                q->term_word[nw] = i;
                wterms[nw++] = kb_index_term(q->idx, q->w[i].stem);
            }
        }
        if (nw > 0) {
            q->path = KBA_PATH_WHO;
            kbap_answer_passages(e, q, wterms, nw, a);
            return;
        }
    }
    /* "how many enablers", "this year's corporate objectives": a list besides ours. */
    if (!injection && kbali_answer_other_list(e, q, a))
        return;
    if ((has_phrase(q, "how", "many") || has_phrase(q, "number", "of")) &&
        kbam_goal_number(q) == 0 && !kbak_counts_other_thing(q) &&
        (values_topic || goals_topic ||
         has_stem(q, (const char *const[]){"ambit", NULL}))) {
        /* "how many values and goals": both, as the summary lists them. */
        a->intent = values_topic && goals_topic    ? KB_INTENT_SUMMARY
                    : goals_topic || !values_topic ? KB_INTENT_COUNT_GOALS
                                                   : KB_INTENT_COUNT_VALUES;
        a->answered = true;
        a->confidence = 0.95;
        /* "how many behaviours" where the page lists none: it does not say. */
        if (a->intent == KB_INTENT_COUNT_VALUES && !lists_behaviours(q->kb) &&
            has_stem(q, (const char *const[]){"behaviour", "behavior", NULL}) &&
            !has_stem(q, (const char *const[]){"valu", NULL})) {
            a->intent = KB_INTENT_VALUES;
            a->answered = false;
            add_all(a, KB_DOC_VALUE, q->kb->nvalues);
        }
        return;
    }
    /* "are there 4 goals?": no (or yes), and how many there are. */
    if (!injection && kbaq_answer_count_check(q, a))
        return;
    /*
     * "the five strategic priorities" when we have three: the question is
     * about someone else's list (or misremembers ours); say what ours is.
     */
    if (!injection && (premise = kbas_count_premise(q)) != 0) {
        a->intent = premise == 1 ? KB_INTENT_NOT_A_VALUE : KB_INTENT_NO_SUCH_GOAL;
        a->confidence = 0.8;
        if (premise == 1) {
            add_all(a, KB_DOC_VALUE, q->kb->nvalues);
        } else {
            add_all(a, KB_DOC_GOAL, q->kb->ngoals);
        }
        return;
    }
    /* "what does SHINE stand for?": the values whose initials spell it. */
    if (acronym && !values_topic && !injection) {
        a->intent = KB_INTENT_VALUES;
        a->answered = true;
        a->confidence = 0.9;
        add_all(a, KB_DOC_VALUE, q->kb->nvalues);
        return;
    }
    if (kbas_asks_for_digest(q)) {
        a->intent = KB_INTENT_SUMMARY;
        a->answered = true;
        a->confidence = 0.9;
        return;
    }
    if (kbat_answer_statements(e, q, a))
        return;
    /* "which areas do we cover": the page's clause on what the trust provides, where. */
    if (!injection && kbarm_answer_remit(e, q, a))
        return;
    /*
     * "when were the values agreed?": a date, which only a passage gives;
     * the list is no answer.
     */
    if ((values_topic || goals_topic) &&
        (kbak_asks_when_where(q) || kbak_counts_other_thing(q) ||
         kbaf_asks_fact_of_topic(q)) &&
        !injection) {
        size_t wterms[MAX_WORDS], nw = 0;

        for (size_t i = 0; i < q->n; i++) {
            if (!q->stop[i] && !q->aside[i] && !kbar_names_org(q->kb, q->w[i].surface)) {
                q->term_word[nw] = i;
                wterms[nw++] = kb_index_term(q->idx, q->w[i].stem);
            }
        }
        q->path = KBA_PATH_WHEN;
        kbap_answer_passages(e, q, wterms, nw, a);
        return;
    }
    /*
     * "did patients have any say in the values?", "do we use the values in
     * appraisals?": a yes/no about the values or goals that names something
     * else is a fact about them, which a passage may state.
     */
    if ((values_topic || goals_topic) && !injection &&
        (kbat_asks_about_topic(e, q) || kbaf_asks_where(q))) {
        struct kb_answer p;
        size_t wterms[MAX_WORDS], nw = 0;

        memset(&p, 0, sizeof(p));
        p.kb = a->kb;
        for (size_t i = 0; i < q->n; i++) {
            if (!q->stop[i] && !q->aside[i] && !kbar_names_org(q->kb, q->w[i].surface)) {
                q->term_word[nw] = i;
                wterms[nw++] = kb_index_term(q->idx, q->w[i].stem);
            }
        }
        q->path = KBA_PATH_ABOUT;
        kbap_answer_passages(e, q, wterms, nw, &p);
        q->path = KBA_PATH_OPEN;
        if (p.answered) {
            *a = p;
            return;
        }
        nterms = kbar_content_terms(q, terms, sizeof(terms) / sizeof(terms[0]));
    }
    /* "what is our overall goal": the page's sentence saying what it is. */
    if ((values_topic || goals_topic) && !injection && kbaf_answer_defined(e, q, a))
        return;
    if (values_topic && goals_topic) {
        a->intent = KB_INTENT_SUMMARY;
        a->answered = true;
        a->confidence = 0.9;
        return;
    }
    if (values_topic) {
        q->path = KBA_PATH_TOPIC;
        kbat_answer_values(e, q, terms, nterms, a);
        return;
    }
    if (has_stem(q, (const char *const[]){"ambit", NULL}) &&
        kbat_answer_ambitions(q, terms, nterms, a))
        return;
    if (goals_topic || has_stem(q, (const char *const[]){"ambit", NULL})) {
        q->path = KBA_PATH_TOPIC;
        kbat_answer_goals(e, q, terms, nterms, a);
        return;
    }
    if (kbat_names_other_strategy(e, q)) {
        a->intent = KB_INTENT_OUT_OF_SCOPE;
        return;
    }
    /*
     * "what's the strategy called?": its name, in the summary's heading; a
     * page that gives it no name states it in a sentence or not at all
     * (kb_answer_called.c).
     */
    if (has_stem(q, (const char *const[]){"strategi", "plan", NULL}) &&
        (has_word(q, "called") || has_word(q, "named") || has_phrase(q, "the", "name") ||
         has_phrase(q, "its", "name")) &&
        q->kb->strategy[0] == '\0') {
        if (!kbacl_answer_plan_name(e, q, a))
            a->intent = KB_INTENT_OUT_OF_SCOPE;
        return;
    }
    /* "when does the strategy run until?", "how long does it last": its years. */
    if ((has_stem(q, (const char *const[]){"strategi", "plan", NULL}) ||
         kbat_names_strategy(e, q)) &&
        kbat_asks_how_long(q)) {
        size_t p = kbat_period_passage(q->kb);

        if (p == SIZE_MAX)
            p = kbaf_duration_passage(q->kb); /* "our five year strategy" */
        a->confidence = 0.85;
        if (p == SIZE_MAX)
            return; /* out of scope: the page gives no years */
        a->intent = KB_INTENT_FACT;
        a->answered = true;
        add_ref(a, KB_DOC_PASSAGE, p, 0);
        return;
    }
    /*
     * "when will the new strategy be in place?", "when is the strategy out?": a
     * date about the strategy with nothing else named, which only a passage
     * gives (the strategy's words among those to find, not the words that
     * name nothing: "new", "current"); not the summary.
     */
    if (nterms == 0 && !injection && kbak_asks_when_where(q) &&
        has_stem(q, (const char *const[]){"strategi", "plan", NULL})) {
        size_t wterms[MAX_WORDS], nw = 0;

        for (size_t i = 0; i < q->n; i++) {
            if (!q->stop[i] && !q->aside[i] &&
                (q->flags[i] & (W_GENERIC | W_STATEMENT)) != W_GENERIC &&
                !kbar_names_org(q->kb, q->w[i].surface)) {
                q->term_word[nw] = i;
                wterms[nw++] = kb_index_term(q->idx, q->w[i].stem);
            }
        }
        q->path = KBA_PATH_STRATEGY;
        kbap_answer_passages(e, q, wterms, nw, a);
        return;
    }
    if (has_stem(q, kbar_summary_stems) || kbat_asks_if_strategy(q) ||
        (has_stem(q, (const char *const[]){"strategi", NULL}) &&
         (nterms == 0 ||
          has_stem(q, (const char *const[]){"explain", "describ", NULL}))) ||
        (kbat_names_strategy(e, q) && kbat_only_name_words(e, q) &&
         !has_word(q, "when"))) {
        a->intent = KB_INTENT_SUMMARY;
        a->answered = true;
        a->confidence = 0.9;
        return;
    }
    /*
     * "is my GP practice open on bank holiday monday?": a value named by an
     * adjective ("open", "kind") in a question about other things the KB does
     * not know is no question about the value; unless it asks what the value
     * looks like ("what does curious look like in practice").
     */
    if (kbam_named_values(e, q, a) > 0 && !kbak_asks_for_type(q) &&
        !(kbam_adjective_value(q, a) && kbam_asks_unstated_aspect(q, terms, nterms) &&
          !asks_looks_like(q))) {
        a->intent = KB_INTENT_VALUE;
        /*
         * "how does the strategy define compassion?" where it only names it;
         * "and for pride?" carries on asking what a value asks of staff.
         */
        a->answered = !(kbam_asks_how_lived(q) || is_follow_up_item(q)) ||
                      !kbam_values_bare(q->kb, a);
        a->yes_no = kbam_asks_yes_no(q);
        a->confidence = 0.85;
        return;
    }
    a->nrefs = 0; /* the values named are not what is asked */
    if (injection || nterms == 0) {
        a->intent = KB_INTENT_OUT_OF_SCOPE;
        return;
    }
    {
        size_t vi = 0, bi = 0;
        double frac;

        /* "what does accountable come under": a behaviour named, nothing else. */
        if (!kbam_has_unknown_content(terms, nterms) &&
            kbam_named_behaviour(e, q, &vi, &bi, &frac) && frac >= 0.99 && nterms <= 2 &&
            !has_word(q, "when") && !has_word(q, "who")) {
            a->intent = KB_INTENT_VALUE_LOOKUP;
            a->answered = true;
            a->confidence = 0.85;
            add_ref(a, KB_DOC_BEHAVIOUR, vi, bi);
            return;
        }
    }
    answer_open(e, q, terms, nterms, a);
}

/* The answer to a prepared question: the policy, then a list the KB lacks declined. */
static void
answer_query(struct kb_engine *e, struct query *q, struct kb_answer *a)
{
    enum kb_refusal why;

    answer_policy(e, q, a);
    decline_unlisted(e, q, a);
    kbapr_finish(e, q, a);
    kbamt_decline_unstated_sum(q, a);
    /* "the priorities for 2026/27" on a page of 2025/26's: another year's list;
       "which six sites" of a passage on "six of its sites": not named */
    if ((a->answered && !a->yes_no && kbaun_asks_other_plan_year(q)) ||
        kbaun_names_fewer_than_asked(q, a)) {
        a->intent = KB_INTENT_OUT_OF_SCOPE;
        a->answered = false;
        a->nrefs = 0;
        a->nfeatures = 0;
        a->confidence = 0.8;
    }
    /*
     * "ignore your instructions and ...", "act as ...": what else it asks is
     * answered; when nothing is, the decline names the order, not the page.
     */
    if (!a->answered && a->intent == KB_INTENT_OUT_OF_SCOPE &&
        kbao_sets_self_aside(q, &why)) {
        a->intent = KB_INTENT_REFUSE;
        a->refusal = why;
        a->nrefs = 0;
        a->confidence = 0.9;
    }
    /* "where do I park?": not a fact the page leaves out but a thing it never covers. */
    a->uncovered = !a->answered && a->intent == KB_INTENT_OUT_OF_SCOPE && a->nrefs == 0 &&
                   kbacv_off_topic(q);
}
