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
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_answer_model.h"
#include "bot/kb/kb_lex.h"
#include "bot/kb/kb_related.h"
#include "bot/kb/kb_set.h"
#include "bot/kb/kb_text.h"

#define MAX_WORDS 128
/* Confidence kept per question word the KB never uses; in a who/when/how-many question.
 */
#define UNKNOWN_WORD_FACTOR  0.45
#define UNKNOWN_TYPED_FACTOR 0.45
/*
 * A passage without the place a "where" asks for counts this share.  Fitted on
 * the dev parts (0.55 and 0.45 tried); the same rule for "which <things>"
 * wanting names was tried and dropped.
 */
#define WHERE_MISS 0.45
/* A passage giving no reason counts this share for a "why". */
#define WHY_MISS 0.8
/* A quoted phrase this long that the KB nowhere has is someone else's (dev parts: 2, 3,
 * 4). */
#define QUOTE_MIN_WORDS 4
/* A second passage is quoted when its confidence is at least this share of the best's. */
/* A quoted sentence of fewer words brings the next one of its section (dev parts: 8-20).
 */
#define PASSAGE_SHORT  12
#define PASSAGE_SECOND 0.9
/* An unknown word at least this per cent a noun asks for an aspect of a goal. */
#define ASPECT_NOUN                                                                      \
    50 /* dev parts: the same from 30 to 70 */ /* flat from 0.8 to 1.0 on the dev parts  \
                                                */
/*
 * What an unknown word carries of a question (see unknown_factor()): a noun all
 * of it; another word by how rare it is in English, rare meaning seen less than
 * LEX_COMMON_COUNT times, weighted by LEX_OTHER_WEIGHT.  Fitted by a grid over
 * the dev parts of the three question sets (scripts/eval_sets.py); the result
 * is flat for 1 <= W <= 3 and 300 <= C <= 3000, and these are the middle.
 */
/*
 * A light word: one seen at least LEX_LIGHT_COUNT times in WordNet's tagged
 * corpus, under LEX_LIGHT_NOUN per cent of them as a noun ("happen", "take",
 * "ready"); unknown to the KB it carries LEX_LIGHT_CARRY of a question.
 * Fitted by a grid over the dev parts of the three question sets
 * (scripts/eval_sets.py): count 50/100/200 by carry 0.2/0.5; a wider rule
 * (every word weighed by its rarity) answered more of dev but declined fewer
 * of the holdout, and was dropped.
 */
#define LEX_LIGHT_NOUN  20
#define LEX_LIGHT_COUNT 50
#define LEX_LIGHT_CARRY 0.5
/*
 * A question word the KB lacks, met in a passage by a word WordNet relates to it
 * ("money": a passage on funding), costs this share of what it would cost
 * unmet: below an exact match, above nothing.  At most REL_MAX related KB
 * terms are looked for per word.
 */
#define REL_CREDIT 0.5
#define REL_MAX    8
/* A typed question's answer in the next sentence of the passage counts this share. */
#define NEXT_TYPE 0.9
/*
 * A question word not in a passage but in the sentence it points back to
 * ("This is down to ...") or in its section's heading counts this share of
 * one in the passage; at most CONTEXT_MAX passages are weighed in all.
 */
#define CONTEXT_CREDIT 0.5
#define CONTEXT_MAX    24

/* The words of one KB string, split once: the KB does not change under an engine. */
struct tokens {
    const char *s;     /* borrowed from the KB: the key */
    struct kb_word *w; /* owned */
    size_t n;
};

/* One stem of the topic lists and the W_* lists it is in. */
struct topic_slot {
    const char *stem; /* borrowed from a static list; NULL when the slot is free */
    unsigned flags;
};

#define TOPIC_SLOTS 512 /* a power of two, over twice the stems of all the lists */

struct kb_engine {
    const struct kb_set *set; /* borrowed */
    struct kb_text *text;     /* owned */
    struct kb_index **idx;    /* owned, one per KB in set order */
    struct tokens *memo;      /* owned: open-addressing hash on the string's address */
    size_t nmemo, memo_used;  /* slots (a power of two), slots in use */
    double threshold;
    double tie_margin;
    struct topic_slot *topics; /* owned: open-addressing set of the topic lists' stems */
    size_t *statement;         /* owned: per KB, the passage stating its mission, vision,
                                  purpose; SIZE_MAX none, SIZE_MAX - 1 not looked for yet */
    size_t **pdoc;             /* owned: per KB, each passage's document in its index */
    /* owned: per KB, what its values and goals mean; NULL until a question needs it */
    struct kb_related_index **rel;
};

static void topics_build(struct kb_engine *e);

/* One question, worked on. */
struct query {
    struct kb_word w[MAX_WORDS];
    bool content[MAX_WORDS]; /* not a stop word, not a topic word */
    bool aside[MAX_WORDS];   /* in a clause around the question ("was off sick, ...") */
    size_t n;
    const struct kb *kb;
    const struct kb_index *idx;
    struct kb_related_index **rel; /* the engine's slot for this KB: built on first use */
    /* The word each term of the last term list came from (content_terms(), "who"). */
    size_t term_word[MAX_WORDS * 2];
    unsigned flags[MAX_WORDS];    /* W_*: the topic lists each word's stem is in */
    unsigned any;                 /* the union of @flags */
    bool stop[MAX_WORDS];         /* a stop word */
    bool clause_start[MAX_WORDS]; /* the first word of a clause */
    const char *raw;              /* the question, markup removed: borrowed */
};

/* What a struct kb_query owns of the engine's reading (kb_query.h). */
struct kb_query_work {
    struct query q;
    size_t ki; /* the KB's index in the engine's set */
};

_Static_assert(MAX_WORDS == KB_QUERY_MAX_WORDS, "one word limit for both readings");

/* Which topic list a word's stem is in: found once per question, by mark_content(). */
enum {
    W_VALUES = 1u << 0,
    W_GOALS = 1u << 1,
    W_GOAL_VERB = 1u << 2,
    W_SUMMARY = 1u << 3,
    W_STATEMENT = 1u << 4,
    W_INJECTION = 1u << 5,
    W_GENERIC = 1u << 6,
};

/* -- topic vocabulary (stems) ------------------------------------------ */

static const char *const question_words[] = {"what",   "whats", "when", "whens", "where",
                                             "wheres", "who",   "whos", "whom",  "whose",
                                             "which",  "how",   "hows", "why",   NULL};

static const char *const values_stems[] = {"valu",      "principl", "etho",
                                           "behaviour", "belief",   NULL};
static const char *const goals_stems[] = {"goal",   "prioriti", "object", "aim", "pillar",
                                          "target", "theme",    "focus",  NULL};
/* Verbs that ask for the goals ("what are we prioritising", "trying to achieve"). */
static const char *const goal_verbs[] = {"prioritis", "achiev", NULL};
static const char *const summary_stems[] = {"summari", "summaris", "overview",
                                            "tldr",    "gist",     "nutshel",
                                            "recap",   "outlin",   NULL};
static const char *const statement_stems[] = {"mission", "vision",   "purpos",
                                              "ambit",   "strategi", NULL};
/* Words that say what a question is about without naming anything in it. */
static const char *const generic_stems[] = {
    "strategi", "plan",      "document", "overal",  "cover",    "stand",    "includ",
    "import",   "exact",     "word",     "wording", "name",     "call",     "current",
    "new",      "offici",    "big",      "top",     "mani",     "number",   "count",
    "total",    "describ",   "explain",  "detail",  "about",    "descript", "point",
    "level",    "state",     "set",      "agre",    "strateg",  "area",     "part",
    "fit",      "belong",    "talk",     "come",    "under",    "show",     "expect",
    "tri",      "live",      "put",      "go",      "somewher", "mention",  "bullet",
    "list",     "breakdown", "full",     "pls",     "plz",      "promis",   "offer",
    NULL};
/* Clinical vocabulary: any of these and the bot gives no content at all. */
static const char *const clinical_prefixes[] = {
    "dose",        "dosage",      "mg",          "medication",  "meds",
    "medicine",    "prescri",     "symptom",     "diagnos",     "overdos",
    "antidepress", "antipsychot", "paracetamol", "ibuprofen",   "sertraline",
    "lithium",     "clozapine",   "insulin",     "sedati",      "suicid",
    "selfharm",    "tablet",      "pill",        "drug",        "psychosis",
    "psychotic",   "schizophren", "bipolar",     "anxiety",     "depress",
    "dementia",    "headache",    "fever",       "nausea",      "rash",
    "infection",   "wound",       "seizure",     "contraindic", "opioid",
    "morphine",    "diazepam",    "lorazepam",   "haloperidol", "olanzapine",
    "sectioned",   "ligature",    "anxious",     "pain",        "chest",
    "bleed",       "blood",       "breath",      "allerg",      "vomit",
    "injur",       NULL};
/* Phrases that try to give the bot orders; the bot never follows or echoes them. */
static const char *const injection_stems[] = {
    "ignor",    "disregard", "pretend", "jailbreak", "prompt",
    "instruct", "announc",   "repeat",  "roleplay",  NULL};

static const char *const lexicon[] = {
    "values",    "value",      "principles", "behaviours", "behaviour", "goals",
    "goal",      "priorities", "priority",   "objectives", "objective", "aims",
    "pillars",   "ambitions",  "ambition",   "mission",    "vision",    "purpose",
    "strategy",  "summary",    "summarise",  "overview",   "launched",  "launch",
    "strategic", "chief",      "executive",  "called",     "named",     "points",
    NULL};

static bool
in_list(const char *s, const char *const *list)
{
    /* The first-letter test spares most strcmp calls: this runs per word per list. */
    for (size_t i = 0; list[i] != NULL; i++) {
        if (s[0] == list[i][0] && strcmp(s, list[i]) == 0)
            return true;
    }
    return false;
}

static bool
has_stem(const struct query *q, const char *const *list)
{
    /* The topic lists were looked up once per word by mark_content(). */
    if (list == values_stems)
        return q->any & W_VALUES;
    if (list == goals_stems)
        return q->any & W_GOALS;
    if (list == goal_verbs)
        return q->any & W_GOAL_VERB;
    if (list == summary_stems)
        return q->any & W_SUMMARY;
    if (list == statement_stems)
        return q->any & W_STATEMENT;
    if (list == injection_stems)
        return q->any & W_INJECTION;
    for (size_t i = 0; i < q->n; i++) {
        if (in_list(q->w[i].stem, list))
            return true;
    }
    return false;
}

static bool
has_word(const struct query *q, const char *surface)
{
    for (size_t i = 0; i < q->n; i++) {
        if (q->w[i].surface[0] == surface[0] && strcmp(q->w[i].surface, surface) == 0)
            return true;
    }
    return false;
}

/* "how many", "number of": the words in sequence. */
static bool
has_phrase(const struct query *q, const char *a, const char *b)
{
    for (size_t i = 0; i + 1 < q->n; i++) {
        if (q->w[i].surface[0] == a[0] && strcmp(q->w[i].surface, a) == 0 &&
            strcmp(q->w[i + 1].surface, b) == 0)
            return true;
    }
    return false;
}

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
    e->threshold = threshold;
    e->tie_margin = tie_margin;
    topics_build(e);
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
        free(e->pdoc[i]);
    }
    free(e->rel);
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

/* Returns the words of @s, a string owned by one of the engine's KBs. */
static const struct tokens *
kb_tokens(struct kb_engine *e, const char *s)
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

        e->memo[i].s = s;
        e->memo[i].n = n;
        e->memo[i].w = xreallocarray(NULL, n ? n : 1, sizeof(*w));
        memcpy(e->memo[i].w, w, n * sizeof(*w));
        e->memo_used++;
    }
    return &e->memo[i];
}

/* -- question preparation ---------------------------------------------- */

/*
 * Removes platform markup from the question: Slack's <@U123>, <!channel>
 * and <#C1|name>, any @mention, and keeps the text of <url|text> links.
 */
static char *
strip_mentions(const char *s, size_t len)
{
    char *out = xmalloc(len + 1), *w = out;

    for (size_t i = 0; i < len;) {
        if (s[i] == '<') {
            const char *close = memchr(s + i, '>', len - i);

            if (close != NULL) {
                const char *bar = memchr(s + i, '|', (size_t)(close - (s + i)));

                if (bar != NULL && s[i + 1] != '@' && s[i + 1] != '!' &&
                    s[i + 1] != '#') {
                    memcpy(w, bar + 1, (size_t)(close - bar - 1));
                    w += close - bar - 1;
                }
                *w++ = ' ';
                i = (size_t)(close - s) + 1;
                continue;
            }
        }
        if (s[i] == '@') {
            i++;
            while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_' ||
                               s[i] == '-' || s[i] == '.'))
                i++;
            *w++ = ' ';
            continue;
        }
        *w++ = s[i++];
    }
    *w = '\0';
    return out;
}

/* Length of the clause separator at @p, or 0: punctuation, dashes, " - ". */
static size_t
separator_len(const char *p)
{
    if (strchr(",;:?!()[]", *p) != NULL && *p != '\0')
        return 1;
    if (*p == '.' && (p[1] == ' ' || p[1] == '\0'))
        return 1;
    if (*p == ' ' && p[1] == '-' && p[2] == ' ')
        return 3;
    /* U+2013 en dash, U+2014 em dash, U+2026 ellipsis */
    if ((unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x80 &&
        ((unsigned char)p[2] == 0x93 || (unsigned char)p[2] == 0x94 ||
         (unsigned char)p[2] == 0xa6))
        return 3;
    /* An emoji ends a clause as a full stop would ("new HCA here 🙂 is ..."). */
    if ((unsigned char)p[0] >= 0xf0 && (unsigned char)p[0] <= 0xf4 && p[1] && p[2] &&
        p[3])
        return 4;
    return 0;
}

static bool
is_question_word(const char *w)
{
    return in_list(w, question_words);
}

/* The words of a greeting ("good morning all"). */
static const char *const greeting_words[] = {
    "hi", "hello", "hey",       "hiya", "morning", "good", "afternoon", "evening",
    "yo", "howdy", "greetings", "team", "there",   "all",  NULL};

/*
 * Splits @s into words, clause by clause.  Staff wrap questions in
 * chatter ("was off sick during the launch, when was it"): when one
 * clause asks (has a question word), the words of the others are marked
 * aside, and a word there that the KB does not know is not held against
 * the answer.  "but" also starts a clause.
 */
static void
split_clauses(struct kb_engine *e, const char *s, struct query *q)
{
    static const char *const aux[] = {"is",    "are",    "was",    "were",  "do",
                                      "does",  "did",    "can",    "could", "will",
                                      "would", "should", "has",    "have",  "isnt",
                                      "arent", "dont",   "doesnt", NULL};
    size_t clause[MAX_WORDS] = {0}, nclauses = 0, main = SIZE_MAX, qword = 0;
    size_t asked =
        SIZE_MAX; /* the last clause that ends in "?" or starts "is", "do"... */
    const char *p = s;

    q->n = 0;
    while (*p && q->n < MAX_WORDS) {
        size_t len = 0, sep = 0, n;

        while (p[len] && (sep = separator_len(p + len)) == 0)
            len++;
        n = kb_text_words(e->text, p, len, q->w + q->n, MAX_WORDS - q->n);
        if (n > 0 && (p[len] == '?' || in_list(q->w[q->n].surface, aux)))
            asked = nclauses;
        for (size_t i = q->n; i < q->n + n; i++) {
            q->clause_start[i] = i == q->n;
            if (strcmp(q->w[i].surface, "but") == 0 && i > q->n)
                nclauses++;
            clause[i] = nclauses;
            if (is_question_word(q->w[i].surface) && main != nclauses) {
                main = nclauses;
                qword = i;
            }
        }
        q->n += n;
        nclauses++;
        p += len + sep;
    }
    /*
     * "thinking of applying, sounds nice! is flexible working from day one
     * true?": with no question word, the clause that asks is the one ending
     * in "?" or starting as a yes/no question does; the rest is chatter.
     */
    if (main == SIZE_MAX && nclauses > 1)
        main = asked;
    /* "my manager asked what ...": what comes before the question word is aside too. */
    for (size_t i = 0; i < q->n; i++)
        q->aside[i] = main != SIZE_MAX && (clause[i] != main || i < qword);
    /*
     * A clause of greeting alone ("morning!", "good afternoon all,") is aside
     * whatever the question's form ("morning! do we use the values in ...").
     */
    for (size_t i = 0, start = 0; i <= q->n; i++) {
        bool greet = true, hello = false;

        if (i < q->n && clause[i] == clause[start])
            continue;
        for (size_t k = start; k < i && greet; k++) {
            bool g = in_list(q->w[k].surface, greeting_words);

            hello = hello || g;
            greet = g || kb_text_is_stopword(q->w[k].surface);
        }
        greet = greet && hello;
        for (size_t k = start; k < i && greet && (start > 0 || i < q->n); k++)
            q->aside[k] = true;
        start = i;
    }
}

static void
restem(struct kb_engine *e, struct kb_word *w, const char *surface)
{
    snprintf(w->surface, sizeof(w->surface), "%s", surface);
    kb_text_stem(e->text, w->surface, w->stem);
}

/*
 * A letter typed once that the word doubles, or twice that it does not
 * ("staf", "manny"): when @w is no English word and one such change makes
 * it a word of the KB or a common English word, returns that (in @buf).
 */
static const char *
fix_doubling(const struct query *q, const char *w, char *buf)
{
    size_t n = strlen(w);
    bool found = false;

    if (n + 2 > KB_WORD_MAX)
        return NULL;
    for (size_t i = 0; i < n && !found; i++) {
        /* double w[i] */
        memcpy(buf, w, i + 1);
        memcpy(buf + i + 1, w + i, n - i + 1);
        /* A consonant is doubled before a vowel or at the end ("staf", "comunity"). */
        found = isalpha((unsigned char)w[i]) && strchr("aeiouy", w[i]) == NULL &&
                (w[i + 1] == '\0' || strchr("aeiouy", w[i + 1]) != NULL) &&
                kb_index_knows_word(q->idx, buf);
        /* undouble w[i], w[i + 1] */
        if (!found && i + 1 < n && w[i] == w[i + 1]) {
            memcpy(buf, w, i);
            memcpy(buf + i, w + i + 1, n - i);
            found = kb_index_knows_word(q->idx, buf) || kb_text_is_stopword(buf) ||
                    kb_lex_count(buf) >= 10;
        }
    }
    /* Only a word English does not have is taken for a typo (looked up last: it is
     * dearer). */
    return found && kb_lex_find(w) == NULL ? buf : NULL;
}

/* Corrects typos against the topic lexicon and the KB's own words, nothing else. */
static void
correct_spelling(struct kb_engine *e, struct query *q)
{
    static const char *const follow_does[] = {
        "it",   "the",  "this", "that", "our",  "we",    "they", "a",
        "an",   "what", "why",  "how",  "when", "where", "who",  "which",
        "your", "my",   "its",  "he",   "she",  "you",   "i",    NULL};
    char buf[KB_WORD_MAX];

    /* "wat dose it say": "does", not a dose of anything. */
    for (size_t i = 0; i + 1 < q->n; i++) {
        if (strcmp(q->w[i].surface, "dose") == 0 &&
            in_list(q->w[i + 1].surface, follow_does))
            restem(e, &q->w[i], "does");
    }
    for (size_t i = 0; i < q->n; i++) {
        struct kb_word *w = &q->w[i];
        size_t n = strlen(w->surface), limit = n >= 9 ? 2 : 1;
        const char *fix = NULL;

        /*
         * "how many centres do we hav": a short word English does not have,
         * one letter short of a stop word, is that stop word.
         */
        if (n >= 3 && n <= 4 && !kb_text_is_stopword(w->surface) &&
            !kb_index_knows_word(q->idx, w->surface) &&
            (fix = kb_text_stopword_near(w->surface)) != NULL &&
            kb_lex_find(w->surface) == NULL) {
            restem(e, w, fix);
            continue;
        }
        if (n < 4 || isdigit((unsigned char)w->surface[0]) ||
            kb_text_is_stopword(w->surface) || in_list(w->surface, lexicon) ||
            in_list(w->stem, goal_verbs) || in_list(w->stem, goals_stems) ||
            in_list(w->stem, values_stems) || in_list(w->stem, summary_stems) ||
            kb_index_knows_word(q->idx, w->surface) || kb_index_has_term(q->idx, w->stem))
            continue;
        /* The same rules as kb_index_correct(): five letters, first letter kept. */
        for (size_t k = 0; lexicon[k] != NULL && fix == NULL && n >= 5; k++) {
            if (lexicon[k][0] == w->surface[0] &&
                kb_text_distance(w->surface, lexicon[k], limit) <= limit)
                fix = lexicon[k];
        }
        /* "waht are our valeus": question words are mistyped too. */
        for (size_t k = 0; question_words[k] != NULL && fix == NULL && n >= 4; k++) {
            if (question_words[k][0] == w->surface[0] &&
                kb_text_distance(w->surface, question_words[k], 1) <= 1)
                fix = question_words[k];
        }
        if (fix == NULL)
            fix = kb_index_correct(q->idx, w->surface);
        if (fix == NULL)
            fix = fix_doubling(q, w->surface, buf);
        if (fix != NULL)
            restem(e, w, fix);
    }
}

static const char *const ordinals[] = {"first", "second", "third",   "fourth",
                                       "fifth", "sixth",  "seventh", "eighth",
                                       "ninth", "tenth",  NULL};

static bool
is_ordinal(const char *w)
{
    return in_list(w, ordinals);
}

static bool
is_number_word(const char *w)
{
    static const char *const words[] = {
        "one",      "two",      "three",    "four",      "five",      "six",
        "seven",    "eight",    "nine",     "ten",       "eleven",    "twelve",
        "thirteen", "fourteen", "fifteen",  "sixteen",   "seventeen", "eighteen",
        "nineteen", "twenty",   "thirty",   "forty",     "fifty",     "sixty",
        "seventy",  "eighty",   "ninety",   "dozen",     "hundred",   "thousand",
        "million",  "dozens",   "hundreds", "thousands", NULL};

    return isdigit((unsigned char)w[0]) || in_list(w, words);
}

/* Is @w the organisation's id or short name, possibly possessive ("tewvs")? */
static bool
names_org(const struct kb *kb, const char *w)
{
    const char *names[] = {kb->org, kb->short_name};

    for (size_t k = 0; k < 2; k++) {
        size_t n = strlen(names[k]);

        if (n > 0 && strncasecmp(w, names[k], n) == 0 &&
            (w[n] == '\0' || (w[n] == 's' && w[n + 1] == '\0')))
            return true;
    }
    return false;
}

static size_t
topic_hash(const char *s)
{
    size_t h = 2166136261u;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Builds the set of the topic lists' stems, each with the lists it is in. */
static void
topics_build(struct kb_engine *e)
{
    static const struct {
        const char *const *list;
        unsigned flag;
    } lists[] = {{values_stems, W_VALUES},       {goals_stems, W_GOALS},
                 {goal_verbs, W_GOAL_VERB},      {summary_stems, W_SUMMARY},
                 {statement_stems, W_STATEMENT}, {injection_stems, W_INJECTION},
                 {generic_stems, W_GENERIC}};

    e->topics = xcalloc(TOPIC_SLOTS, sizeof(*e->topics));
    for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
        for (size_t i = 0; lists[l].list[i] != NULL; i++) {
            const char *st = lists[l].list[i];
            size_t h = topic_hash(st) & (TOPIC_SLOTS - 1);

            while (e->topics[h].stem != NULL && strcmp(e->topics[h].stem, st) != 0)
                h = (h + 1) & (TOPIC_SLOTS - 1);
            e->topics[h].stem = st;
            e->topics[h].flags |= lists[l].flag;
        }
    }
}

/* The W_* lists @stem is in: one hash lookup, not a walk along seven lists. */
static unsigned
topic_flags(const struct kb_engine *e, const char *stem)
{
    size_t h = topic_hash(stem) & (TOPIC_SLOTS - 1);

    while (e->topics[h].stem != NULL) {
        if (strcmp(e->topics[h].stem, stem) == 0)
            return e->topics[h].flags;
        h = (h + 1) & (TOPIC_SLOTS - 1);
    }
    return 0;
}

/* Is word @i the first part of a hyphenated word the tokens also hold joined? */
static bool
is_compound_head(const struct query *q, size_t i)
{
    size_t a, b;

    if (i + 2 >= q->n)
        return false;
    a = strlen(q->w[i].surface);
    b = strlen(q->w[i + 1].surface);
    return strlen(q->w[i + 2].surface) == a + b &&
           strncmp(q->w[i + 2].surface, q->w[i].surface, a) == 0 &&
           strcmp(q->w[i + 2].surface + a, q->w[i + 1].surface) == 0;
}

/*
 * Is word @i what this document calls its goals ("commitments", "enablers",
 * "big moves")?  The label's last word, after the label's word before it
 * when that one says more than "strategic" ("big moves", not "moves").
 */
static bool
is_goals_label(struct kb_engine *e, const struct query *q, size_t i)
{
    static const char *const plain[] = {"strateg", "strategi", "corpor", "key",
                                        "our",     "main",     "core",   NULL};
    const struct tokens *t;
    const struct kb_word *head;

    if (q->kb->goals_label == NULL || q->kb->goals_label[0] == '\0')
        return false;
    t = kb_tokens(e, q->kb->goals_label);
    if (t->n == 0)
        return false;
    head = &t->w[t->n - 1];
    if (strcmp(head->stem, q->w[i].stem) != 0 || strcmp(head->stem, "ambit") == 0 ||
        kb_text_is_stopword(head->surface))
        return false;
    if (t->n == 1 || in_list(t->w[t->n - 2].stem, plain))
        return true;
    return i > 0 && strcmp(q->w[i - 1].stem, t->w[t->n - 2].stem) == 0;
}

static void
mark_content(struct kb_engine *e, struct query *q)
{
    q->any = 0;
    for (size_t i = 0; i < q->n; i++) {
        const char *st = q->w[i].stem;
        unsigned f = 0;

        q->stop[i] = kb_text_is_stopword(q->w[i].surface);
        /* No stop word is in a topic list: spare the lookups. */
        if (q->stop[i]) {
            q->flags[i] = 0;
            q->content[i] = false;
            continue;
        }
        /*
         * The first part of a hyphenated word ("values-led": "values", "led",
         * "valuesled") modifies the rest: "are we a values-led organisation?"
         * asks about the organisation, not about the values.
         */
        f = is_compound_head(q, i) ? 0 : topic_flags(e, st);
        if (f == 0 && is_goals_label(e, q, i))
            f = W_GOALS;
        q->flags[i] = f;
        q->any |= f;

        /*
         * The organisation's own name ("tewv's" too) says nothing about what
         * is asked; nor does a single letter ("what r the values"), nor a
         * number word, which goal_number() reads.
         */
        if (names_org(q->kb, q->w[i].surface) || q->w[i].surface[1] == '\0' ||
            (i > 0 && strcmp(q->w[i - 1].surface, "how") == 0) ||
            (i + 1 < q->n && strcmp(q->w[i + 1].surface, "of") == 0 &&
             (strcmp(q->w[i].surface, "kind") == 0 ||
              strcmp(q->w[i].surface, "sort") == 0)) ||
            is_number_word(q->w[i].surface) || is_ordinal(q->w[i].surface)) {
            q->content[i] = false;
            continue;
        }
        /* "strategi" is a statement stem but, like the generic words, no content. */
        q->content[i] = !(f & (W_VALUES | W_GOALS | W_GOAL_VERB | W_SUMMARY | W_GENERIC |
                               W_INJECTION)) &&
                        strcmp(st, "mission") != 0 && strcmp(st, "vision") != 0 &&
                        strcmp(st, "purpos") != 0 && strcmp(st, "ambit") != 0;
    }
}

/*
 * Term ids of the content words.  A synonym phrase of the KB counts as its
 * group's one term ("CEO" and "chief executive" alike), so a question
 * phrased the other way is neither missed nor counted as unknown.
 */
static unsigned goal_number(const struct query *q);
static bool text_has_number(const char *s);
static bool names_strategy(struct kb_engine *e, const struct query *q);
static bool contains_word(const char *s, const char *w);

static size_t
content_terms(struct query *q, size_t *terms, size_t max)
{
    size_t n = 0;
    bool main_content = false;

    /*
     * Words of the chatter around a question count only when the question
     * itself names nothing ("was off sick during the launch, when was it");
     * otherwise "ty bot, last q - when's the launch?" would look for "last".
     */
    for (size_t i = 0; i < q->n; i++)
        main_content = main_content || (q->content[i] && !q->aside[i]);

    for (size_t i = 0; i < q->n && n < max; i++) {
        size_t len, group = kb_index_synonym(q->idx, q->w, q->n, i, &len);
        bool content = false;

        if (group != KB_INDEX_UNKNOWN && !(q->aside[i] && main_content)) {
            for (size_t k = i; k < i + len; k++)
                content = content || q->content[k];
            if (content) {
                q->term_word[n] = i;
                terms[n++] = group;
                i += len - 1;
                continue;
            }
        }
        /*
         * A number that picks a goal ("goal 2") is read by goal_number();
         * any other ("2027", "17 times 23") is a word to find.
         */
        if (q->content[i] || (isdigit((unsigned char)q->w[i].surface[0]) &&
                              (strlen(q->w[i].surface) >= 3 || goal_number(q) == 0))) {
            size_t id = kb_index_term(q->idx, q->w[i].stem);

            if (!q->aside[i] || (id != KB_INDEX_UNKNOWN && !main_content)) {
                q->term_word[n] = i;
                terms[n++] = id;
            }
        }
    }
    return n;
}

/* -- matching items ---------------------------------------------------- */

/* Do all the meaningful words of @name appear in the question? */
static bool
names_match(struct kb_engine *e, const struct query *q, const char *name)
{
    const struct tokens *t = kb_tokens(e, name);
    const struct kb_word *nw = t->w;
    size_t n = t->n, need = 0, got = 0;

    for (size_t k = 0; k < n; k++) {
        bool stop = kb_text_is_stopword(nw[k].surface);

        if (stop && n > 1)
            continue;
        need++;
        for (size_t i = 0; i < q->n; i++) {
            /*
             * Same stem and most of the letters: "excel" is not
             * "Excellence", though Snowball stems both to "excel".
             */
            if (strcmp(q->w[i].stem, nw[k].stem) == 0 &&
                strlen(q->w[i].surface) * 10 >= strlen(nw[k].surface) * 7) {
                got++;
                break;
            }
        }
    }
    return need > 0 && got == need;
}

static void add_ref(struct kb_answer *a, enum kb_doc_kind kind, size_t item, size_t sub);
static void answer_passages(struct kb_engine *e, const struct query *q,
                            const size_t *terms, size_t nterms, struct kb_answer *a);

/* Share of the meaningful words of @text that the question contains (0..1). */
static double
words_fraction(struct kb_engine *e, const struct query *q, const char *text)
{
    const struct tokens *t = kb_tokens(e, text);
    const struct kb_word *tw = t->w;
    size_t n = t->n, need = 0, got = 0;

    for (size_t k = 0; k < n; k++) {
        if (kb_text_is_stopword(tw[k].surface))
            continue;
        need++;
        for (size_t i = 0; i < q->n; i++) {
            size_t ls = strlen(tw[k].stem);

            /* "fairness" -> "fair", "honesty" -> "honesti" ~ "honest" */
            if (!q->content[i])
                continue;
            if (strcmp(q->w[i].stem, tw[k].stem) == 0 ||
                (ls >= 4 && strncmp(q->w[i].stem, tw[k].stem, ls) == 0)) {
                got++;
                break;
            }
        }
    }
    if (need == 0) {
        /* A title of stop words only ("Our Organisation"): its longer words count. */
        for (size_t k = 0; k < n; k++) {
            if (strlen(tw[k].surface) < 4)
                continue;
            need++;
            got += has_stem(q, (const char *const[]){tw[k].stem, NULL});
        }
    }
    return need ? (double)got / (double)need : 0;
}

/* The behaviour whose words the question names most fully; its fraction in *frac (out).
 */
static bool
named_behaviour(struct kb_engine *e, const struct query *q, size_t *value, size_t *sub,
                double *frac)
{
    *frac = 0;
    for (size_t i = 0; i < q->kb->nvalues; i++) {
        for (size_t k = 0; k < q->kb->values[i].nbehaviours; k++) {
            double f = words_fraction(e, q, q->kb->values[i].behaviours[k].text);

            if (f > *frac + 1e-9) {
                *frac = f;
                *value = i;
                *sub = k;
            }
        }
    }
    return *frac >= 0.5;
}

/* Goals whose title (or an alias) the question names in full; returns how many, refs
 * added. */
static size_t
named_goals(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    size_t n = 0;

    for (size_t i = 0; i < q->kb->ngoals; i++) {
        const struct kb_goal *g = &q->kb->goals[i];
        bool hit = words_fraction(e, q, g->title) >= 0.99;

        for (size_t k = 0; k < g->naliases && !hit; k++)
            hit = words_fraction(e, q, g->aliases[k]) >= 0.99;
        if (hit) {
            add_ref(a, KB_DOC_GOAL, i, 0);
            n++;
        }
    }
    return n;
}

/* True when one of @a, @b starts with the other and the shorter has 5+ letters. */
static bool
stems_share_root(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), l = la < lb ? la : lb;

    return l >= 5 && strncmp(a, b, l) == 0;
}

/* True when a content word of @text has @stem's root ("Trust" in the org name). */
static bool
text_has_root(struct kb_engine *e, const char *text, const char *stem)
{
    const struct tokens *t = kb_tokens(e, text);

    for (size_t k = 0; k < t->n; k++)
        if (!kb_text_is_stopword(t->w[k].surface) && stems_share_root(t->w[k].stem, stem))
            return true;
    return false;
}

/*
 * "the partnerships priority", "the employer goal": the one goal whose title
 * has a word of the question that no other goal's title has.  Words of the
 * organisation's or the strategy's name never count ("trust goals" is not
 * the "trusted partner" goal).  Returns the goal's index, or SIZE_MAX.
 */
static size_t
keyword_goal(struct kb_engine *e, const struct query *q)
{
    size_t found = SIZE_MAX;

    for (size_t i = 0; i < q->n; i++) {
        const char *qs = q->w[i].stem;
        size_t owner = SIZE_MAX, owners = 0;

        if (!q->content[i] || q->aside[i] || text_has_root(e, q->kb->name, qs) ||
            text_has_root(e, q->kb->strategy, qs) ||
            text_has_root(e, q->kb->short_name, qs))
            continue;
        for (size_t g = 0; g < q->kb->ngoals; g++) {
            if (text_has_root(e, q->kb->goals[g].title, qs)) {
                owner = g;
                owners++;
            }
        }
        if (owners != 1)
            continue;
        if (found != SIZE_MAX && found != owner)
            return SIZE_MAX; /* names two goals: not a keyword question */
        found = owner;
    }
    return found;
}

static void
add_ref(struct kb_answer *a, enum kb_doc_kind kind, size_t item, size_t sub)
{
    if (a->nrefs < KB_ANSWER_MAX_REFS)
        a->refs[a->nrefs++] = (struct kb_doc_ref){.kind = kind, .item = item, .sub = sub};
}

static size_t
named_values(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    size_t n = 0;

    for (size_t i = 0; i < q->kb->nvalues; i++) {
        const struct kb_value *v = &q->kb->values[i];
        bool hit = names_match(e, q, v->name);

        for (size_t k = 0; k < v->naliases && !hit; k++)
            hit = names_match(e, q, v->aliases[k]);
        if (hit) {
            add_ref(a, KB_DOC_VALUE, i, 0);
            n++;
        }
    }
    return n;
}

/*
 * "goal 2", "priority two", "the second objective", "number 3": the number
 * asked for, or 0.  "our 3 goals" and "the five priorities" are counts, not
 * an index, so a cardinal counts only after a goal word or "number".
 */
static unsigned
goal_number(const struct query *q)
{
    static const char *const words[] = {"one",   "two",   "three", "four", "five", "six",
                                        "seven", "eight", "nine",  "ten",  NULL};

    for (size_t i = 0; i < q->n; i++) {
        const char *s = q->w[i].surface;
        bool after = i > 0 && (in_list(q->w[i - 1].stem, goals_stems) ||
                               strcmp(q->w[i - 1].surface, "number") == 0 ||
                               strcmp(q->w[i - 1].surface, "no") == 0);

        if (isdigit((unsigned char)s[0])) {
            char *end;
            unsigned long v = strtoul(s, &end, 10);
            bool ordinal = strcmp(end, "st") == 0 || strcmp(end, "nd") == 0 ||
                           strcmp(end, "rd") == 0 || strcmp(end, "th") == 0;

            if (v > 0 && v < 100 && (ordinal || (after && *end == '\0')))
                return (unsigned)v;
        }
        for (size_t k = 0; ordinals[k] != NULL; k++) {
            if (strcmp(s, ordinals[k]) == 0)
                return (unsigned)k + 1;
        }
        for (size_t k = 0; words[k] != NULL && after; k++) {
            if (strcmp(s, words[k]) == 0)
                return (unsigned)k + 1;
        }
    }
    return 0;
}

/* Does the question ask for one goal ("which goal", "the staff priority") rather than
 * all? */
/*
 * "goals 1, 2 and 3", "priorities 2 and 4": after a goal word, a run of
 * numbers joined by "and" (commas split clauses, so the run may cross them).
 * Adds a reference to each goal numbered; returns how many.
 */
static size_t
goal_numbers(const struct query *q, struct kb_answer *a)
{
    size_t n = 0;

    for (size_t i = 1; i < q->n; i++) {
        if (!in_list(q->w[i - 1].stem, goals_stems) ||
            !isdigit((unsigned char)q->w[i].surface[0]))
            continue;
        for (size_t k = i; k < q->n; k++) {
            unsigned long v = strtoul(q->w[k].surface, NULL, 10);

            if (strcmp(q->w[k].surface, "and") == 0 || strcmp(q->w[k].surface, "or") == 0)
                continue;
            if (!isdigit((unsigned char)q->w[k].surface[0]))
                break;
            for (size_t g = 0; g < q->kb->ngoals; g++) {
                if (q->kb->goals[g].number == v && a->nrefs < KB_ANSWER_MAX_REFS) {
                    add_ref(a, KB_DOC_GOAL, g, 0);
                    n++;
                }
            }
        }
        break;
    }
    return n;
}

/* "the target", "measures of success", "KPIs", "how will we know": a figure. */
static bool
asks_measure(const struct query *q)
{
    return has_stem(q, (const char *const[]){"target", "measur", "kpi", "metric",
                                             "mileston", "benchmark", NULL});
}

/* Does goal @g give a figure anywhere (a number, a percentage, a year)? */
static bool
goal_has_number(const struct kb_goal *g)
{
    if (text_has_number(g->title) || text_has_number(g->description))
        return true;
    for (size_t k = 0; k < g->npoints; k++) {
        if (text_has_number(g->points[k].text))
            return true;
    }
    return false;
}

static bool
asks_for_one_goal(const struct query *q)
{
    if (has_word(q, "which") || has_phrase(q, "is", "there"))
        return true;
    for (size_t i = 0; i < q->n; i++) {
        size_t n = strlen(q->w[i].surface);

        if ((in_list(q->w[i].stem, goals_stems) || strcmp(q->w[i].stem, "ambit") == 0) &&
            q->w[i].surface[n - 1] != 's')
            return true;
    }
    return false;
}

/* Is any content word of the question unknown to this KB? */
static bool
has_unknown_content(const size_t *terms, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (terms[i] == KB_INDEX_UNKNOWN)
            return true;
    }
    return false;
}

/*
 * "what are the KPIs for goal 1", "the budget for goal 2": a word the KB
 * never uses that names an aspect the goal may not state, a noun or a word
 * English does not have.  Not a word for people ("what will service users
 * get under goal 1") nor a verb ("what does goal 1 promise carers").
 */
static bool
asks_unstated_aspect(const struct query *q, const size_t *terms, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct kb_lex_word *lw;

        if (terms[i] != KB_INDEX_UNKNOWN)
            continue;
        lw = kb_lex_find(q->w[q->term_word[i]].surface);
        if (lw == NULL || (!(lw->cls & KB_LEX_PERSON) && lw->noun >= ASPECT_NOUN))
            return true;
    }
    return false;
}

/* Is every value in @a named by a word English uses mostly as an adjective ("open")? */
static bool
adjective_value(const struct query *q, const struct kb_answer *a)
{
    for (size_t i = 0; i < a->nrefs; i++) {
        const struct kb_lex_word *lw;
        char w[KB_WORD_MAX];
        size_t n = 0;
        const char *name = q->kb->values[a->refs[i].item].name;

        while (name[n] && n + 1 < sizeof(w) && isalpha((unsigned char)name[n])) {
            w[n] = (char)tolower((unsigned char)name[n]);
            n++;
        }
        w[n] = '\0';
        if (name[n] != '\0' || (lw = kb_lex_find(w)) == NULL || lw->noun >= 50)
            return false;
    }
    return a->nrefs > 0;
}

/* -- passages ---------------------------------------------------------- */

static bool
text_has_date(const char *s)
{
    static const char *const months[] = {
        "January",   "February",  "March",   "April",    "May",      "June",   "July",
        "August",    "September", "October", "November", "December", "Monday", "Tuesday",
        "Wednesday", "Thursday",  "Friday",  "Saturday", "Sunday",   NULL};

    for (size_t i = 0; months[i] != NULL; i++) {
        const char *p = strstr(s, months[i]);

        if (p != NULL && !isalpha((unsigned char)p[strlen(months[i])]))
            return true;
    }
    for (const char *p = s; *p; p++) {
        if ((p[0] == '1' || p[0] == '2') && (p[1] == '9' || p[1] == '0') &&
            isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
            !isdigit((unsigned char)p[4]) && (p == s || !isdigit((unsigned char)p[-1])))
            return true;
    }
    return false;
}

/* A weekday ("Wednesday") or a day of a month ("25 May", "May 25"). */
static bool
text_has_day(const char *s)
{
    static const char *const days[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                       "Friday", "Saturday", "Sunday",    NULL};
    static const char *const months[] = {
        "January", "February",  "March",   "April",    "May",      "June", "July",
        "August",  "September", "October", "November", "December", NULL};

    for (size_t i = 0; days[i] != NULL; i++) {
        if (strstr(s, days[i]) != NULL)
            return true;
    }
    for (size_t i = 0; months[i] != NULL; i++) {
        size_t n = strlen(months[i]);

        for (const char *p = strstr(s, months[i]); p != NULL;
             p = strstr(p + 1, months[i])) {
            if ((p - s >= 2 && p[-1] == ' ' && isdigit((unsigned char)p[-2])) ||
                (p[n] == ' ' && isdigit((unsigned char)p[n + 1])))
                return true;
        }
    }
    return false;
}

/* Is @p a year, 1900 to 2099, standing alone in @start? */
static bool
is_year_at(const char *p, const char *start)
{
    return (p == start || !isdigit((unsigned char)p[-1])) &&
           ((p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0')) &&
           isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
           !isdigit((unsigned char)p[4]);
}

/* A year ("in 2023", "by 2027"). */
static bool
text_has_year(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (is_year_at(p, s))
            return true;
    }
    return false;
}

/*
 * An amount, what "how much" asks for: money ("£2m", "$5"), a share ("10%",
 * "ten per cent") or a measure ("six weeks", "40 hours").  A count of things
 * ("two new operating theatres") says how many, not how much; a year says when.
 */
static bool
text_has_amount(const char *s)
{
    static const char *const units[] = {
        "%",       "per",   "percent", "m",      "bn",     "k",       "million",
        "billion", "pound", "pounds",  "hour",   "hours",  "day",     "days",
        "week",    "weeks", "month",   "months", "minute", "minutes", "mile",
        "miles",   "year",  "years",   NULL};
    static const char *const numbers[] = {"one",     "two",      "three", "four",
                                          "five",    "six",      "ten",   "half",
                                          "hundred", "thousand", NULL};

    for (const char *p = s; *p; p++) {
        char word[16];
        size_t n = 0;
        const char *q = p, *prev = p;

        if (strncmp(p, "\xc2\xa3", 2) == 0 || *p == '$' ||
            strncmp(p, "\xe2\x82\xac", 3) == 0)
            return true; /* £, $, € */
        if (p > s && isalnum((unsigned char)p[-1]))
            continue;
        if (isdigit((unsigned char)*p)) {
            while (isdigit((unsigned char)*q) || *q == ',' || *q == '.')
                q++;
            if (q - p == 4 && is_year_at(p, s))
                continue;
        } else {
            while (isalpha((unsigned char)*q) && n + 1 < sizeof(word))
                word[n++] = (char)tolower((unsigned char)*q++);
            word[n] = '\0';
            if (n == 0 || !in_list(word, numbers))
                continue;
        }
        /* the unit after the number, one space at most between */
        prev = q;
        if (*q == ' ')
            q++;
        n = 0;
        if (*q == '%')
            return true;
        while (isalpha((unsigned char)*q) && n + 1 < sizeof(word))
            word[n++] = (char)tolower((unsigned char)*q++);
        word[n] = '\0';
        if (n > 0 && !isalpha((unsigned char)*q) && in_list(word, units) &&
            (n > 2 || q - prev == (ptrdiff_t)n)) /* "2m", "3bn": written on */
            return true;
    }
    return false;
}

/* A web address ("https://...", "www.", "example.nhs.uk"). */
static bool
text_has_address(const char *s)
{
    return strstr(s, "http") != NULL || strstr(s, "www.") != NULL ||
           strstr(s, ".uk") != NULL || strstr(s, ".com") != NULL ||
           strstr(s, ".org") != NULL;
}

static bool
text_has_number(const char *s)
{
    static const char *const words[] = {" one ",     " two ",    " three ", " four ",
                                        " five ",    " six ",    " ten ",   " hundred",
                                        " thousand", " million", NULL};

    for (const char *p = s; *p; p++) {
        if (isdigit((unsigned char)*p))
            return true;
    }
    for (size_t i = 0; words[i] != NULL; i++) {
        if (strstr(s, words[i]) != NULL)
            return true;
    }
    return false;
}

/* Two capitalised words in a row, not at the start of the sentence: a name. */
static bool
text_has_name(const char *s)
{
    const char *p = strchr(s, ' ');

    while (p != NULL) {
        const char *a = p + 1, *b = strchr(a, ' ');

        if (b == NULL)
            break;
        if (isupper((unsigned char)a[0]) && islower((unsigned char)a[1]) &&
            isupper((unsigned char)b[1]) && islower((unsigned char)b[2]))
            return true;
        p = b;
    }
    return false;
}

/*
 * Does @s name something: a capitalised word past the sentence's first
 * ("alongside Mind and Age UK"), or a list ("colleagues, patients and carers")?
 */
static bool
text_names_some(const char *s)
{
    const char *comma = strchr(s, ',');

    for (const char *p = strchr(s, ' '); p != NULL; p = strchr(p + 1, ' ')) {
        if (isupper((unsigned char)p[1]))
            return true;
    }
    return comma != NULL && strstr(comma, " and ") != NULL;
}

/*
 * Does @s give a reason ("because", "so that", "to help", "which means")?
 * The words a sentence explains with, tokenised: no topic.
 */
static bool
text_gives_reason(struct kb_engine *e, const char *s)
{
    static const char *const why[] = {"because", "so",      "therefore", "reason",
                                      "means",   "why",     "help",      "helps",
                                      "order",   "ensure",  "enable",    "since",
                                      "due",     "matters", "important", NULL};
    const struct tokens *t = kb_tokens(e, s);

    for (size_t k = 0; k < t->n; k++) {
        if (in_list(t->w[k].surface, why))
            return true;
    }
    return false;
}

/*
 * "which partner organisations ...", "which site ...": the question wants the
 * things named.  The word after a leading "which", or NULL.
 */
static const struct kb_word *
which_thing(const struct query *q)
{
    for (size_t i = 0; i + 1 < q->n; i++) {
        if (q->aside[i] || !is_question_word(q->w[i].surface))
            continue;
        return strcmp(q->w[i].surface, "which") == 0 && q->content[i + 1] ? &q->w[i + 1]
                                                                          : NULL;
    }
    return NULL;
}

/*
 * Does the passage speak of the things asked for without naming one ("alongside
 * partner organisations" for "which partner organisations")?  A passage that
 * does not use the word may be the thing itself ("which commitment is about the
 * environment": the commitment's own sentence).
 */
static bool
mentions_unnamed(const struct query *q, const struct tokens *pt, const char *passage)
{
    const struct kb_word *thing = which_thing(q);

    if (thing == NULL || text_names_some(passage))
        return false;
    for (size_t k = 0; k < pt->n; k++) {
        if (strcmp(pt->w[k].stem, thing->stem) == 0)
            return true;
    }
    return false;
}

/* Is @w (folded) a word for a person or a group of people (WordNet)? */
static bool
is_person_word(const char *w)
{
    const struct kb_lex_word *lw = kb_lex_find(w);

    return lw != NULL && (lw->cls & KB_LEX_PERSON) && lw->noun >= 50;
}

/* Is the token a word for people ("staff", "colleagues", "carers")? */
static bool
is_people_token(const struct kb_word *t)
{
    static const char *const people[] = {"staff",   "colleagu", "patient", "carer",
                                         "partner", "peopl",    "user",    "member",
                                         "employe", "resid",    NULL};

    /* Not WordNet's person class: its "year" (of students) and "hospital" are people. */
    return in_list(t->stem, people);
}

/*
 * Is the word one for people in general ("people", "ppl", "persons")?  A count
 * of them is answered by a count of any people ("1,240 colleagues"); a count
 * of "staff" is not answered by a count of "people".
 */
static bool
is_everyone_word(const struct kb_word *t)
{
    static const char *const everyone[] = {"peopl", "person", "ppl", "folk", NULL};

    return in_list(t->stem, everyone);
}

/*
 * "how many sites": the thing counted is the first meaningful word after
 * "how many"; a passage answers only when a number comes at most four
 * words before that thing ("six of its sites"), not anywhere in it.  A
 * count of people ("how many people", "how many ppl") is answered by a
 * number of any people the page names ("1,240 colleagues, patients and
 * carers"): people are counted under whatever name the page gives them.
 */
static bool counts_one(const struct kb_word *thing, const struct tokens *pt);

/*
 * The words of a noun phrase name the thing counted, its head last: "how many
 * coastline conversations events" counts events ("eleven community events"),
 * "how many urgent treatment centres" centres or urgent ones.  The phrase runs
 * from the first meaningful word to the next stop word; its words English
 * uses mostly as nouns (or does not know: names) may be the head.
 */
static bool
counts_thing(const struct query *q, const struct tokens *pt)
{
    size_t first = SIZE_MAX;

    for (size_t i = 0; i + 2 < q->n && first == SIZE_MAX; i++) {
        if (strcmp(q->w[i].surface, "how") != 0 ||
            strcmp(q->w[i + 1].surface, "many") != 0)
            continue;
        for (size_t k = i + 2; k < q->n && first == SIZE_MAX; k++) {
            if (!kb_text_is_stopword(q->w[k].surface))
                first = k;
        }
    }
    if (first == SIZE_MAX)
        return false;
    if (counts_one(&q->w[first], pt))
        return true;
    for (size_t k = first + 1; k < q->n && !kb_text_is_stopword(q->w[k].surface); k++) {
        const struct kb_lex_word *lw = kb_lex_find(q->w[k].surface);

        if ((lw == NULL || lw->noun >= 50) && counts_one(&q->w[k], pt))
            return true;
    }
    return false;
}

/* Does a number come at most four words before @thing in @pt (see counts_thing())? */
static bool
counts_one(const struct kb_word *thing, const struct tokens *pt)
{
    bool people = is_everyone_word(thing);

    for (size_t k = 0; k < pt->n; k++) {
        /* Under another name, the number is the people's own: "1,240 colleagues",
         * "2,140 local people", not "six of its sites ... for colleagues". */
        if (people && strcmp(pt->w[k].stem, thing->stem) != 0) {
            if (is_people_token(&pt->w[k]) &&
                ((k >= 1 && is_number_word(pt->w[k - 1].surface)) ||
                 (k >= 2 && is_number_word(pt->w[k - 2].surface) &&
                  !is_people_token(&pt->w[k - 1]))))
                return true;
            continue;
        }
        if (strcmp(pt->w[k].stem, thing->stem) != 0)
            continue;
        for (size_t j = k > 4 ? k - 4 : 0; j < k; j++) {
            if (is_number_word(pt->w[j].surface))
                return true;
        }
    }
    return false;
}

/*
 * Which of @terms is the people a "how many" question counts ("how many
 * people", "how many ppl"); @nterms when none.
 */
static size_t
people_count_term(const struct query *q, size_t nterms)
{
    for (size_t i = 0; i + 2 < q->n; i++) {
        if (strcmp(q->w[i].surface, "how") != 0 ||
            strcmp(q->w[i + 1].surface, "many") != 0)
            continue;
        for (size_t k = i + 2; k < q->n; k++) {
            if (kb_text_is_stopword(q->w[k].surface))
                continue;
            if (!is_everyone_word(&q->w[k]))
                return nterms;
            for (size_t t = 0; t < nterms; t++) {
                if (q->term_word[t] == k)
                    return t;
            }
            return nterms;
        }
    }
    return nterms;
}

/* The first question word of the asking clause, or "". */
static const char *
first_question_word(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        if (!q->aside[i] && is_question_word(q->w[i].surface))
            return q->w[i].surface;
    }
    return "";
}

/*
 * Is "who" the question ("who set our values?"), not a relative pronoun
 * ("what will people who use our services experience")?  The first question
 * word of the asking clause decides.
 */
static bool
asks_who(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        if (!q->aside[i] && is_question_word(q->w[i].surface))
            return strcmp(q->w[i].surface, "who") == 0 ||
                   strcmp(q->w[i].surface, "whos") == 0;
    }
    return false;
}

/*
 * Does the question ask for a date ("when", "what year")?  Not "where": "where
 * can i find our values?" wants the values.
 */
static bool
asks_when_where(const struct query *q)
{
    /* The first question word decides: "which value is about noticing when ..." is no
     * "when". */
    for (size_t i = 0; i < q->n; i++) {
        const char *w = q->w[i].surface;

        if (q->aside[i] || !is_question_word(w))
            continue;
        if (i + 1 < q->n && (strcmp(w, "what") == 0 || strcmp(w, "which") == 0))
            return strcmp(q->w[i + 1].surface, "year") == 0 ||
                   strcmp(q->w[i + 1].surface, "date") == 0;
        return strcmp(w, "when") == 0 || strcmp(w, "whens") == 0;
    }
    return false;
}

/*
 * Does "how many" count something other than the values, the goals or the
 * ambitions ("how many listening events did we hold for the values", "how
 * many colleagues were involved")?  Its noun phrase (see counts_thing())
 * holds no topic word nor a generic one ("points"); "how many are there" counts
 * what the question is about.
 */
static bool
counts_other_thing(const struct query *q)
{
    for (size_t i = 0; i + 2 < q->n; i++) {
        bool any = false;

        if (strcmp(q->w[i].surface, "how") != 0 ||
            strcmp(q->w[i + 1].surface, "many") != 0)
            continue;
        for (size_t k = i + 2; k < q->n; k++) {
            if (q->stop[k]) {
                if (any)
                    break;
                continue;
            }
            /* "how many points are under goal 1": a generic word counts in the topic */
            if (q->flags[k] || strcmp(q->w[k].stem, "ambit") == 0)
                return false;
            any = true;
        }
        return any;
    }
    return false;
}

/* Does the question ask for a name, a date or a number ("who", "when", "how many")? */
static bool
asks_for_type(const struct query *q)
{
    return has_word(q, "who") || has_word(q, "whos") || has_word(q, "when") ||
           has_word(q, "whens") || has_phrase(q, "how", "many") ||
           has_phrase(q, "how", "much") || has_phrase(q, "how", "long");
}

/* Does @passage name a group of people the question does not ("staff", "carers")? */
static bool
names_people(struct kb_engine *e, const struct query *q, const char *passage)
{
    static const char *const people[] = {"staff",   "colleagu", "patient",   "carer",
                                         "partner", "peopl",    "user",      "member",
                                         "repres",  "employe",  "communiti", NULL};
    const struct tokens *t = kb_tokens(e, passage);

    for (size_t k = 0; k < t->n; k++) {
        if ((in_list(t->w[k].stem, people) || is_person_word(t->w[k].surface)) &&
            !has_stem(q, (const char *const[]){t->w[k].stem, NULL}))
            return true;
    }
    return false;
}

/*
 * A place named in @s: a capitalised word after "in", "at", "across",
 * "near" or "from" ("launched at the Emergency Operations Centre in Wexley").
 */
static bool
text_has_place(const char *s)
{
    static const char *const preps[] = {" in ",   " at ",     " across ", " near ",
                                        " from ", " at the ", " in the ", NULL};

    for (size_t i = 0; preps[i] != NULL; i++) {
        size_t n = strlen(preps[i]);

        for (const char *p = strstr(s, preps[i]); p != NULL;
             p = strstr(p + 1, preps[i])) {
            if (isupper((unsigned char)p[n]) && islower((unsigned char)p[n + 1]))
                return true;
        }
    }
    return false;
}

/*
 * "year" in "what year", "date" in "which date": the kind of fact asked for
 * (as "when" is), no word a passage must hold ("in 2022" answers it).
 */
static bool
is_type_noun(const struct query *q, size_t i)
{
    static const char *const nouns[] = {"year", "years", "date", "dates",
                                        "day",  "month", NULL};

    if (i == 0 || i >= q->n || i >= MAX_WORDS)
        return false;
    /* "what day of the week": the week is the kind of day asked for. */
    if (strcmp(q->w[i].surface, "week") == 0 && i >= 3 &&
        strcmp(q->w[i - 1].surface, "the") == 0 &&
        strcmp(q->w[i - 2].surface, "of") == 0 && strcmp(q->w[i - 3].surface, "day") == 0)
        return true;
    return in_list(q->w[i].surface, nouns) && (strcmp(q->w[i - 1].surface, "what") == 0 ||
                                               strcmp(q->w[i - 1].surface, "which") == 0);
}

/*
 * Does the question ask for a web address ("what's the link to the video",
 * "the url for the plan", "website")?  "The link between teaching and
 * quality" is no address.
 */
static bool
asks_address(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        const char *w = q->w[i].surface;

        if (strcmp(w, "url") == 0 || strcmp(w, "website") == 0 ||
            strcmp(w, "webpage") == 0 || strcmp(w, "weblink") == 0)
            return true;
        if ((strcmp(w, "link") == 0 || strcmp(w, "links") == 0) && i + 1 < q->n &&
            (strcmp(q->w[i + 1].surface, "to") == 0 ||
             strcmp(q->w[i + 1].surface, "for") == 0))
            return true;
    }
    return false;
}

/*
 * A question's type word asks for a kind of fact: "when" wants a date,
 * "who" a name, "how many" a number of the thing asked.  A passage without
 * one answers the words but not the question, so it counts for less.
 */
static double
type_factor(struct kb_engine *e, const struct query *q, const char *passage)
{
    const char *qw = first_question_word(q);

    /* "the link to the video", "the url": a web address, not a sentence about it. */
    if (asks_address(q))
        return text_has_address(passage) ? 1.0 : 0.45;
    /* "what year": a year, not a day of a month. */
    if (has_phrase(q, "what", "year") || has_phrase(q, "which", "year"))
        return text_has_year(passage) ? 1.0 : 0.45;
    /* "what day": a day of the week or a day of a month, not a year. */
    if (has_phrase(q, "what", "day") || has_phrase(q, "which", "day"))
        return text_has_day(passage) ? 1.0 : 0.55;
    /* The asking clause's first question word decides ("notice when ..." is no "when").
     */
    if (strcmp(qw, "when") == 0 || strcmp(qw, "whens") == 0 ||
        has_phrase(q, "what", "date") || has_phrase(q, "what", "year") ||
        has_phrase(q, "what", "day"))
        return text_has_date(passage) ? 1.0 : 0.55;
    if (strcmp(qw, "who") == 0 || strcmp(qw, "whos") == 0)
        return text_has_name(passage) || names_people(e, q, passage) ? 1.0 : 0.55;
    if (strcmp(qw, "where") == 0 || strcmp(qw, "wheres") == 0)
        return text_has_place(passage) ? 1.0 : WHERE_MISS;

    if (has_phrase(q, "how", "many"))
        return counts_thing(q, kb_tokens(e, passage)) ? 1.0 : 0.45;
    /* "which partner organisations work in the hubs": a passage that names none
     * ("alongside partner organisations") does not say which. */
    if (mentions_unnamed(q, kb_tokens(e, passage), passage))
        return 0.45;
    if (has_phrase(q, "how", "much"))
        return text_has_amount(passage) ? 1.0 : 0.45;
    /* "why": a sentence giving a reason before one that only says what. */
    if (strcmp(qw, "why") == 0)
        return text_gives_reason(e, passage) ? 1.0 : WHY_MISS;
    return 1.0;
}

/*
 * What a question word the KB never uses costs the answer: a noun, a rare
 * word or a name ("canteen", "deputy", "kpi") asks about something the
 * document may not state, and costs @base; a light word ("happen", "take")
 * carries little of the question and costs less.
 */
static double
unknown_factor(const char *surface, double base, bool asked)
{
    const struct kb_lex_word *lw = kb_lex_find(surface);
    size_t n = strlen(surface);
    double carry = 1.0;

    if (lw != NULL && lw->noun < LEX_LIGHT_NOUN && lw->count >= LEX_LIGHT_COUNT)
        carry = LEX_LIGHT_CARRY;
    /*
     * A verb's form ("hosting", "shaped": not the lemma as written) says what
     * is done, not what about: however often its lemma is a noun, it carries
     * as a light word does; unless it is what is asked ("who designed it").
     */
    if (lw != NULL && n > 4 && !asked &&
        (strcmp(surface + n - 3, "ing") == 0 || strcmp(surface + n - 2, "ed") == 0) &&
        strcmp(surface, kb_lex_strings + lw->off) != 0)
        carry = LEX_LIGHT_CARRY;
    return 1.0 - (1.0 - base) * carry;
}

/* A question word the KB lacks, as answer_passages() weighs it. */
struct unknown_word {
    double f;     /* the share of confidence it leaves (unknown_factor()) */
    size_t at, n; /* its related KB terms: the search list's [at, at + n) */
};

/*
 * The KB terms WordNet relates to the question word @surface ("money":
 * fund; "site": location), written to @out (at most @max); not a stop word,
 * a topic word (the values, the goals: those are asked for by name) nor a
 * term the question already has (@have, @nhave).  Returns how many.
 */
static size_t
related_terms(struct kb_engine *e, const struct query *q, const char *surface,
              const size_t *have, size_t nhave, size_t *out, size_t max)
{
    const char *rel[REL_MAX * 2];
    const struct kb_lex_word *lw = kb_lex_find(surface);
    size_t nrel, n = 0;

    /* A person or a role is no other: "the medical director" is not the chief executive.
     */
    if (lw == NULL || (lw->cls & KB_LEX_PERSON))
        return 0;
    nrel = kb_lex_related(surface, rel, REL_MAX * 2);

    for (size_t r = 0; r < nrel && n < max; r++) {
        char stem[KB_WORD_MAX];
        size_t id;
        bool dup = false;

        if (strlen(rel[r]) >= KB_WORD_MAX || kb_text_is_stopword(rel[r]))
            continue;
        kb_text_stem(e->text, rel[r], stem);
        if (topic_flags(e, stem) != 0 || !kb_index_has_term(q->idx, stem))
            continue;
        id = kb_index_term(q->idx, stem);
        for (size_t k = 0; k < nhave && !dup; k++)
            dup = have[k] == id;
        for (size_t k = 0; k < n && !dup; k++)
            dup = out[k] == id;
        if (!dup)
            out[n++] = id;
    }
    return n;
}

/*
 * Does @text begin by pointing back at the sentence before ("It opens in
 * 2026.", "This will be on the old market hall site.")?
 */
static bool
refers_back(struct kb_engine *e, const char *text)
{
    static const char *const back[] = {"it",    "this",  "these", "they", "that",
                                       "those", "there", "he",    "she",  NULL};
    const struct tokens *t = kb_tokens(e, text);

    return t->n > 0 && in_list(t->w[0].surface, back);
}

/*
 * The passage after @item when it continues it: the same section, the next
 * line at most; SIZE_MAX when none.
 */
static size_t
next_passage(const struct kb *kb, size_t item)
{
    const struct kb_passage *p = &kb->passages[item];

    if (item + 1 < kb->npassages &&
        strcmp(kb->passages[item + 1].section, p->section) == 0 &&
        kb->passages[item + 1].line <= p->line + 1)
        return item + 1;
    return SIZE_MAX;
}

/* The passage before @item when @item continues it (see next_passage()); SIZE_MAX none.
 */
static size_t
prev_passage(const struct kb *kb, size_t item)
{
    return item > 0 && next_passage(kb, item - 1) == item ? item - 1 : SIZE_MAX;
}

/* Does the heading @section hold the term @id? */
static bool
heading_has(struct kb_engine *e, const struct query *q, const char *section, size_t id)
{
    const struct tokens *t = kb_tokens(e, section);

    for (size_t k = 0; k < t->n; k++) {
        if (!kb_text_is_stopword(t->w[k].surface) &&
            kb_index_term(q->idx, t->w[k].stem) == id)
            return true;
    }
    return false;
}

/*
 * The share of the question's known words (@known, @nknown; @total their
 * distinct weight) passage @item holds: in full those it has, CONTEXT_CREDIT
 * those the sentence it points back to has or its heading.  Writes the
 * share from its context to *ctx (out).
 */
static double
passage_coverage(struct kb_engine *e, const struct query *q, const size_t *pdoc,
                 const size_t *known, size_t nknown, double total, size_t item,
                 double *ctx)
{
    const struct kb_passage *p = &q->kb->passages[item];
    size_t prev = refers_back(e, p->text) ? prev_passage(q->kb, item) : SIZE_MAX;
    double got = 0, more = 0;

    for (size_t k = 0; k < nknown; k++) {
        bool dup = false;
        double idf;

        for (size_t j = 0; j < k; j++)
            dup = dup || known[j] == known[k];
        if (dup)
            continue;
        idf = kb_index_idf(q->idx, known[k]);
        if (kb_index_doc_has(q->idx, pdoc[item], known[k]))
            got += idf;
        else if ((prev != SIZE_MAX && kb_index_doc_has(q->idx, pdoc[prev], known[k])) ||
                 heading_has(e, q, p->section, known[k]))
            more += CONTEXT_CREDIT * idf;
    }
    *ctx = total > 0 ? more / total : 0;
    return total > 0 ? (got + more) / total : 0;
}

/*
 * Adds @item to the passages weighed (@cand, *@ncand of CONTEXT_MAX) unless
 * it is there.
 */
static void
add_candidate(size_t *cand, size_t *ncand, size_t item)
{
    for (size_t k = 0; k < *ncand; k++) {
        if (cand[k] == item)
            return;
    }
    if (*ncand < CONTEXT_MAX)
        cand[(*ncand)++] = item;
}

/*
 * The passages weighed: the search's hits, best first (@hits, @n); the
 * sentence after each that points back to it; and the sentences under a
 * heading that holds a known word ("the next chapter": the sentences under
 * "The next chapter of our strategy").  Returns how many, in @cand.
 */
static size_t
candidates(struct kb_engine *e, const struct query *q, const struct kb_hit *hits,
           size_t n, const size_t *known, size_t nknown, size_t *cand)
{
    size_t ncand = 0;
    const char *last = NULL;

    for (size_t i = 0; i < n; i++)
        add_candidate(cand, &ncand, kb_index_doc(q->idx, hits[i].doc).item);
    for (size_t i = 0; i < n; i++) {
        size_t next = next_passage(q->kb, cand[i]);

        if (next != SIZE_MAX && refers_back(e, q->kb->passages[next].text))
            add_candidate(cand, &ncand, next);
    }
    for (size_t i = 0; i < q->kb->npassages && ncand < CONTEXT_MAX; i++) {
        const char *sec = q->kb->passages[i].section;
        bool has = false;

        if (sec[0] == '\0' || (last != NULL && strcmp(sec, last) == 0))
            continue;
        last = sec;
        for (size_t k = 0; k < nknown && !has; k++)
            has = heading_has(e, q, sec, known[k]);
        for (size_t j = i;
             has && j < q->kb->npassages && strcmp(q->kb->passages[j].section, sec) == 0;
             j++)
            add_candidate(cand, &ncand, j);
    }
    return ncand;
}

/*
 * Confidence in a passage: the share of the question's known words it
 * holds (by inverse document frequency), times 0.8 for every word of the
 * question the KB never uses (it asks about something the document may
 * not state), times the type factor.
 */
static void
answer_passages(struct kb_engine *e, const struct query *q, const size_t *terms,
                size_t nterms, struct kb_answer *a)
{
    struct kb_hit hits[8];
    double conf[CONTEXT_MAX];
    size_t cand[CONTEXT_MAX], ncand;
    const size_t *pdoc = e->pdoc[0];
    size_t known[MAX_WORDS * 2], nknown = 0, n, ndistinct = 0, nsearch;
    double best = 0, penalty = 1, second = 0;
    size_t best_i = 0, heavy = 0, light = 0, foreign = 0, best_next = SIZE_MAX;
    double *x = a->features;
    /*
     * The unknown words a related word may meet (see related_terms()): each
     * one's cost and its related terms, searched after the known ones.
     */
    struct unknown_word unk[8] = {{0}};
    size_t nunk = 0;
    bool kinded;

    /*
     * A "who", "when" or "how many" question with a word the KB does not
     * know asks about someone or something else ("the deputy chief
     * executive"): answering with the nearest fact would be confidently wrong.
     */
    bool typed = asks_for_type(q);
    /*
     * "where do i park", "how can i book leave": a task of one's own, which
     * a strategy does not explain; every word it does not know counts fully.
     */
    bool task = has_phrase(q, "do", "i") || has_phrase(q, "can", "i") ||
                has_phrase(q, "should", "i") || has_phrase(q, "i", "need");

    /*
     * The strategy's name in a question ("how many people helped develop One
     * Hospital, Two Towns") stands for the strategy, as "the strategy" would:
     * its words are no fact a passage must repeat.
     */
    bool named = names_strategy(e, q), other = false;
    size_t pi = people_count_term(q, nterms);
    size_t people_term = pi < nterms ? terms[pi] : KB_INDEX_UNKNOWN;
    double total = 0, people_penalty = 1;

    /*
     * "who wrote the strategy": when no word but the topic's is known, the
     * word the KB lacks is all the question asks, however light.
     */
    bool anchored = false;

    for (size_t i = 0; i < nterms; i++)
        anchored =
            anchored || (terms[i] != KB_INDEX_UNKNOWN && q->content[q->term_word[i]]);
    /* Only while a known word besides the name is left to look for. */
    for (size_t i = 0; i < nterms && named; i++)
        other = other || (terms[i] != KB_INDEX_UNKNOWN &&
                          !contains_word(q->kb->strategy, q->w[q->term_word[i]].surface));
    for (size_t i = 0; i < nterms; i++) {
        double base = typed ? UNKNOWN_TYPED_FACTOR : UNKNOWN_WORD_FACTOR;

        if (is_type_noun(q, q->term_word[i]))
            continue;
        if (named && other &&
            contains_word(q->kb->strategy, q->w[q->term_word[i]].surface))
            continue;
        if (terms[i] != KB_INDEX_UNKNOWN)
            known[nknown++] = terms[i];
        else if (i == pi)
            people_penalty = base; /* unless a passage counts people by another name */
        else {
            const char *w = q->w[q->term_word[i]].surface;
            size_t at = q->term_word[i];
            double f =
                task || !anchored
                    ? base
                    : unknown_factor(w, base,
                                     at > 0 && is_question_word(q->w[at - 1].surface));

            penalty *= f;
            heavy += f <= base;
            light += f > base;
            foreign += kb_lex_find(w) == NULL;
            if (nunk < sizeof(unk) / sizeof(unk[0]))
                unk[nunk++] = (struct unknown_word){.f = f};
        }
    }
    /* Related terms go after the known ones: searched, but not in the coverage. */
    nsearch = nknown;
    for (size_t u = 0, i = 0; i < nterms && u < nunk; i++) {
        const char *w = q->w[q->term_word[i]].surface;

        if (terms[i] != KB_INDEX_UNKNOWN || i == pi || is_type_noun(q, q->term_word[i]) ||
            (named && other && contains_word(q->kb->strategy, w)))
            continue;
        unk[u].at = nsearch;
        unk[u].n = nknown > 0
                       ? related_terms(e, q, w, known, nsearch, known + nsearch, REL_MAX)
                       : 0;
        nsearch += unk[u].n;
        u++;
    }
    for (size_t i = 0; i < nknown; i++) {
        bool dup = false;

        for (size_t k = 0; k < i; k++)
            dup = dup || known[k] == known[i];
        total += dup ? 0 : kb_index_idf(q->idx, known[i]);
        ndistinct += !dup;
    }
    n = kb_index_search(q->idx, known, nsearch, 1u << KB_DOC_PASSAGE, hits, 8);
    kinded = typed || strcmp(first_question_word(q), "where") == 0 ||
             strcmp(first_question_word(q), "wheres") == 0 ||
             strcmp(first_question_word(q), "why") == 0;
    for (size_t k = 0; k < kb_set_count(e->set); k++) {
        if (e->idx[k] == q->idx)
            pdoc = e->pdoc[k];
    }
    ncand = n > 0 ? candidates(e, q, hits, n, known, nknown, cand) : 0;
    for (size_t i = 0; i < ncand; i++) {
        size_t item = cand[i], next = SIZE_MAX;
        const struct kb_passage *p = &q->kb->passages[item];
        double ctx, coverage, pen = penalty;
        size_t met = 0;

        coverage = passage_coverage(e, q, pdoc, known, nknown, total, item, &ctx);
        /*
         * Context counts for a question wanting a kind of answer (a name, a date,
         * a place, a number) that the passage gives: else the sentence it points
         * back to, or its heading's first, answers it better.
         */
        if (ctx > 0 && (!kinded || type_factor(e, q, p->text) < 1)) {
            coverage -= ctx;
            ctx = 0;
        }
        /* A related word lightens the cost of the word it stands for. */
        for (size_t u = 0; u < nunk; u++) {
            bool hit = false;

            for (size_t k = unk[u].at; k < unk[u].at + unk[u].n && !hit; k++)
                hit = kb_index_doc_has(q->idx, pdoc[item], known[k]);
            if (hit) {
                pen *= (1.0 - (1.0 - unk[u].f) * (1.0 - REL_CREDIT)) / unk[u].f;
                met++;
            }
        }

        /*
         * "how many people": a passage that counts people under another name
         * ("1,240 colleagues, patients and carers") holds the thing counted.
         */
        double pp = people_penalty;

        if (pi < nterms && !kb_index_doc_has(q->idx, pdoc[item], people_term) &&
            counts_thing(q, kb_tokens(e, p->text))) {
            pp = 1;
            if (people_term != KB_INDEX_UNKNOWN && total > 0)
                coverage += kb_index_idf(q->idx, people_term) / total;
        }
        double tf = type_factor(e, q, p->text);

        coverage = passage_coverage(e, q, pdoc, known, nknown, total, item, &ctx);
        /*
         * Context counts for a question wanting a kind of answer (a name, a date,
         * a place, a number) that the passage gives: else the sentence it points
         * back to, or its heading's first, answers it better.
         */
        if (ctx > 0 && (!kinded || type_factor(e, q, p->text) < 1)) {
            coverage -= ctx;
            ctx = 0;
        }
        /*
         * "when is the unit due?": "The unit is being built." "It opens in 2026."
         * Not "which partners": the next sentence names none without the word.
         */
        if (tf < 1 && which_thing(q) == NULL) {
            next = next_passage(q->kb, item);
            if (next != SIZE_MAX && refers_back(e, q->kb->passages[next].text) &&
                type_factor(e, q, q->kb->passages[next].text) > tf)
                tf = type_factor(e, q, q->kb->passages[next].text) * NEXT_TYPE;
            else
                next = SIZE_MAX;
            /* "how many enablers": "Our five enablers" over "Digital, estates, ...". */
            if (next == SIZE_MAX && p->section[0] != '\0' &&
                type_factor(e, q, p->section) * NEXT_TYPE > tf)
                tf = type_factor(e, q, p->section) * NEXT_TYPE;
        }
        conf[i] = coverage * pp * tf * pen;
        /* Rank by confidence, then by BM25 among equals. */
        if (conf[i] > best + 1e-9) {
            second = best;
            best = conf[i];
            best_i = i;
            best_next = next;
            x[0] = coverage;
            x[5] = tf < 1;
            x[8] = pp < 1;
            x[12] = (double)met;
            x[13] = next != SIZE_MAX;
            x[14] = ctx;
        } else if (conf[i] > second) {
            second = conf[i];
        }
    }
    a->confidence = best;
    if (n == 0) {
        a->intent = KB_INTENT_OUT_OF_SCOPE;
        return;
    }
    /*
     * Whether the best passage answers: the passage model over what was
     * measured (kb_answer_model.h); the features in this order.
     */
    x[1] = log(best > 0.01 ? best : 0.01);
    x[2] = (double)heavy;
    x[3] = (double)light;
    x[4] = (double)foreign;
    x[6] = typed;
    x[7] = task;
    x[9] = (double)(ndistinct < 6 ? ndistinct : 6);
    x[10] = named;
    x[11] = best - second;
    a->nfeatures = KB_ANSWER_NFEAT;
    a->confidence = kb_answer_model_p(x);
    if (a->confidence < e->threshold) {
        a->intent = KB_INTENT_OUT_OF_SCOPE;
        return;
    }
    a->intent = KB_INTENT_FACT;
    a->answered = true;
    add_ref(a, KB_DOC_PASSAGE, cand[best_i], 0);
    /*
     * A short sentence often leads into the next ("We all have a personal part
     * to play in this transformation." "We must develop our skills ..."): quote
     * the next sentence of the same section with it.
     */
    {
        size_t item = a->refs[0].item, next = next_passage(q->kb, item);
        size_t prev = prev_passage(q->kb, item);

        if (next != SIZE_MAX &&
            (best_next == next ||
             kb_tokens(e, q->kb->passages[item].text)->n < PASSAGE_SHORT ||
             refers_back(e, q->kb->passages[next].text)))
            add_ref(a, KB_DOC_PASSAGE, next, 0);
        /* "This is down to ...": with the sentence it points back to, before it. */
        if (prev != SIZE_MAX && refers_back(e, q->kb->passages[item].text)) {
            add_ref(a, KB_DOC_PASSAGE, prev, 0);
            memmove(&a->refs[1], &a->refs[0], (a->nrefs - 1) * sizeof(a->refs[0]));
            a->refs[0] = (struct kb_doc_ref){.kind = KB_DOC_PASSAGE, .item = prev};
        }
    }
    /*
     * A second passage as good as the first answers as much of the question
     * ("who was involved": the one sentence says "one thousand people", the
     * other "colleagues, patients, carers"): quote both, in document order.
     */
    for (size_t i = 0; i < ncand; i++) {
        size_t item = cand[i];
        bool have = false;

        if (i == best_i || conf[i] < best * PASSAGE_SECOND)
            continue;
        for (size_t k = 0; k < a->nrefs; k++)
            have = have || a->refs[k].item == item;
        if (have)
            continue;
        add_ref(a, KB_DOC_PASSAGE, item, 0);
        /* In document order. */
        for (size_t k = a->nrefs - 1; k > 0 && a->refs[k - 1].item > a->refs[k].item;
             k--) {
            struct kb_doc_ref t = a->refs[k - 1];

            a->refs[k - 1] = a->refs[k];
            a->refs[k] = t;
        }
        break;
    }
}

/* -- the policy -------------------------------------------------------- */

static bool
only_words_from(const struct query *q, const char *const *allowed, bool *any)
{
    *any = false;
    for (size_t i = 0; i < q->n; i++) {
        if (in_list(q->w[i].surface, allowed))
            *any = true;
        else if (!kb_text_is_stopword(q->w[i].surface))
            return false;
    }
    return true;
}

static bool
smalltalk(const struct query *q, struct kb_answer *a)
{
    const char *const *greetings = greeting_words;
    static const char *const thanks[] = {
        "thanks",      "thank",   "cheers", "ta",      "thx",  "great", "brilliant",
        "perfect",     "helpful", "lovely", "awesome", "nice", "cool",  "much",
        "appreciated", "good",    "bye",    "goodbye", NULL};
    bool any;

    if (has_word(q, "help") || has_phrase(q, "can", "you") ||
        has_phrase(q, "you", "do") || has_phrase(q, "who", "are") ||
        has_phrase(q, "what", "are") || has_phrase(q, "can", "i")) {
        bool content = false;

        for (size_t i = 0; i < q->n; i++)
            content = content || (q->content[i] && strcmp(q->w[i].surface, "help") != 0);
        if (!content && !has_stem(q, values_stems) && !has_stem(q, goals_stems) &&
            !has_stem(q, summary_stems) && !has_stem(q, statement_stems) &&
            (has_word(q, "help") || has_phrase(q, "can", "you") ||
             has_phrase(q, "can", "i") || has_phrase(q, "who", "are") ||
             has_phrase(q, "you", "do"))) {
            a->intent = KB_INTENT_HELP;
            return true;
        }
    }
    if (has_phrase(q, "how", "are") && has_word(q, "you") && q->n <= 5) {
        a->intent = KB_INTENT_GREETING;
        return true;
    }
    if (only_words_from(q, greetings, &any) && any) {
        a->intent = KB_INTENT_GREETING;
        return true;
    }
    if (only_words_from(q, thanks, &any) && any &&
        (has_word(q, "thanks") || has_word(q, "thank") || has_word(q, "cheers") ||
         has_word(q, "ta") || has_word(q, "thx") || has_word(q, "bye") ||
         has_word(q, "goodbye") || has_word(q, "appreciated"))) {
        a->intent = KB_INTENT_THANKS;
        return true;
    }
    return false;
}

/*
 * Does the question name a quality the KB never mentions ("the
 * collaboration value", "behaviours under responsibility")?  Values are
 * named by abstract nouns, so an unknown word with an abstract-noun ending
 * is taken for the name of a value this organisation does not have.
 */
static bool
names_unknown_quality(const struct query *q)
{
    static const char *const endings[] = {"ion", "ity",  "ness", "ence", "ance", "ism",
                                          "ty",  "ship", "hood", "ment", NULL};

    for (size_t i = 0; i < q->n; i++) {
        const char *w = q->w[i].surface;
        size_t n = strlen(w);

        bool near = false;

        if (!q->content[i] || q->aside[i] ||
            kb_index_term(q->idx, q->w[i].stem) != KB_INDEX_UNKNOWN)
            continue;
        /* It names a value when it stands by the word "value" ("the X value",
         * "X as a value", "behaviours under X"), not "values for my supervision". */
        for (size_t k = i >= 3 ? i - 3 : 0; k < q->n && k <= i + 3; k++)
            near = near || in_list(q->w[k].stem, values_stems);
        if (!near || (i > 0 && strcmp(q->w[i - 1].surface, "my") == 0))
            continue;
        for (size_t k = 0; endings[k] != NULL; k++) {
            size_t m = strlen(endings[k]);

            if (n > m + 2 && strcmp(w + n - m, endings[k]) == 0)
                return true;
        }
    }
    return false;
}

/*
 * Does the question ask how a value is lived: its behaviours, what it looks
 * like, what it asks of staff, how it is defined?
 */
static bool
asks_how_lived(const struct query *q)
{
    return has_stem(q, (const char *const[]){"behaviour", "behavior", "defin",
                                             "statement", "practic", NULL}) ||
           has_phrase(q, "look", "like") || has_phrase(q, "looks", "like") ||
           has_phrase(q, "ask", "of") || has_phrase(q, "day", "to");
}

/* "which is the most important", "our favourite value": a ranking. */
static bool
asks_ranking(const struct query *q)
{
    return has_phrase(q, "most", "important") || has_phrase(q, "least", "important") ||
           has_word(q, "favourite") || has_word(q, "favorite") || has_word(q, "ranked") ||
           has_phrase(q, "most", "valued");
}

/* Does the document say nothing about the values in @a but their names? */
static bool
values_bare(const struct kb *kb, const struct kb_answer *a)
{
    for (size_t i = 0; i < a->nrefs; i++) {
        const struct kb_value *v = &kb->values[a->refs[i].item];

        if (a->refs[i].kind == KB_DOC_VALUE && (v->nbehaviours > 0 || v->description[0]))
            return false;
    }
    return a->nrefs > 0;
}

/* Does the asking clause start "is" or "are" ("hi! is 'excellent' one of our values?")?
 */
static bool
asks_yes_no(const struct query *q)
{
    /* The asking clause, or any clause when none has a question word ("hello! new
       here 🙂 is 'excellent' one of our values?"). */
    for (size_t i = 0; i < q->n; i++) {
        if (q->aside[i] || !q->clause_start[i])
            continue;
        if (strcmp(q->w[i].surface, "is") == 0 || strcmp(q->w[i].surface, "are") == 0)
            return true;
    }
    return false;
}

/*
 * "are the values used in appraisals?": the values are what the yes/no question
 * is about (the first word after "is"/"are" that is no stop word), not the
 * list a quality is sought in ("is honesty one of our values?").
 */
static bool
values_are_subject(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        if (q->aside[i] || !q->clause_start[i] ||
            (strcmp(q->w[i].surface, "is") != 0 && strcmp(q->w[i].surface, "are") != 0))
            continue;
        for (size_t k = i + 1; k < q->n; k++) {
            if (!q->stop[k])
                return (q->flags[k] & W_VALUES) != 0;
        }
    }
    return false;
}

/*
 * The value or goal (@kind) a word of the question means though the KB does
 * not use it ("teamwork": Collaboration), or SIZE_MAX; its closeness in *score.
 * Only words the KB lacks count (those it has are matched as written), and
 * no light word ("pay", "take": they mean too much).
 */
static size_t
related_item(const struct query *q, enum kb_related_kind kind, double *score)
{
    const char *w[MAX_WORDS];
    size_t n = 0;

    for (size_t i = 0; i < q->n; i++) {
        if (q->content[i] && !q->aside[i] && !kb_lex_is_light(q->w[i].surface) &&
            kb_index_term(q->idx, q->w[i].stem) == KB_INDEX_UNKNOWN)
            w[n++] = q->w[i].surface;
    }
    *score = 0;
    if (n == 0)
        return SIZE_MAX;
    /* Built when first needed: most questions name what they ask for. */
    if (*q->rel == NULL)
        *q->rel = kb_related_index_new(q->kb);
    return kb_related_best(*q->rel, kind, w, n, score);
}

/*
 * "which value is about X", "is there a goal on X", "do we have a value for
 * X", "what value means X": an item sought by what it is about, not one
 * named ("the X value": that presumes it is ours).
 */
static bool
asks_by_theme(const struct query *q)
{
    return has_word(q, "which") || has_phrase(q, "is", "there") ||
           has_phrase(q, "we", "have") || has_phrase(q, "what", "value") ||
           has_phrase(q, "what", "goal");
}

static void
answer_values(struct kb_engine *e, const struct query *q, size_t nterms,
              struct kb_answer *a)
{
    double rs;
    size_t vi = 0, bi = 0;
    double frac;

    if (named_values(e, q, a) > 0) {
        a->intent = KB_INTENT_VALUE;
        a->confidence = 0.95;
        /*
         * "what behaviours go with respect?" where the document lists none:
         * it does not state them, so that is a decline (which says so).
         */
        a->answered = !asks_how_lived(q) || !values_bare(q->kb, a);
        a->yes_no = asks_yes_no(q);
        return;
    } else if (named_behaviour(e, q, &vi, &bi, &frac)) {
        a->intent = KB_INTENT_VALUE_LOOKUP;
        a->confidence = 0.6 + 0.35 * frac;
        add_ref(a, KB_DOC_BEHAVIOUR, vi, bi);
    } else if (nterms > 0 &&
               (asks_by_theme(q) || asks_yes_no(q) || names_unknown_quality(q)) &&
               !values_are_subject(q) &&
               (vi = related_item(q, KB_RELATED_VALUE, &rs)) != SIZE_MAX) {
        /*
         * "which value is about teamwork": not a word of the values, but one
         * means it (Collaboration).  "is teamwork one of our values?" is no
         * flat yes but no, not by that name; "what's the teamwork value about"
         * presumes a value we do not have: declined, the closest named.
         */
        a->related = true;
        a->yes_no = asks_yes_no(q);
        a->confidence = 0.6 + 0.3 * rs;
        add_ref(a, KB_DOC_VALUE, vi, 0);
        if (a->yes_no || !asks_by_theme(q)) {
            a->intent = KB_INTENT_NOT_A_VALUE;
            a->answered = a->yes_no;
        } else {
            a->intent = KB_INTENT_VALUE;
            a->answered = !asks_how_lived(q) || !values_bare(q->kb, a);
        }
        return;
    } else if (nterms > 0 &&
               ((asks_yes_no(q) && !values_are_subject(q)) || names_unknown_quality(q))) {
        /*
         * "is honesty one of our values?", "what's the collaboration value
         * about": the KB has no such value or behaviour.  Say which it has.
         */
        a->intent = KB_INTENT_NOT_A_VALUE;
        a->confidence = 0.8;
        for (size_t i = 0; i < q->kb->nvalues; i++)
            add_ref(a, KB_DOC_VALUE, i, 0);
        /* A yes/no question the list settles is answered: no, and here they are. */
        a->answered = asks_yes_no(q);
        return;
    } else {
        a->intent = KB_INTENT_VALUES;
        a->confidence = 0.9;
        for (size_t i = 0; i < q->kb->nvalues; i++)
            add_ref(a, KB_DOC_VALUE, i, 0);
        /*
         * "the behaviours under our values" where the page lists none, "which
         * value is the most important?": the page names them and says no more.
         */
        a->answered = !(asks_how_lived(q) && !has_phrase(q, "day", "to") &&
                        values_bare(q->kb, a)) &&
                      !asks_ranking(q);
        return;
    }
    a->answered = true;
}

static void
answer_goals(struct kb_engine *e, const struct query *q, const size_t *terms,
             size_t nterms, struct kb_answer *a)
{
    unsigned num = goal_number(q);
    double rs;
    struct kb_hit hits[4];
    size_t n, known = 0;

    for (size_t i = 0; i < nterms; i++)
        known += terms[i] != KB_INDEX_UNKNOWN;

    /* "goals 1, 2 and 3": every goal numbered. */
    if (num > 0 && goal_numbers(q, a) > 1) {
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
                if (asks_unstated_aspect(q, terms, nterms)) {
                    answer_passages(e, q, terms, nterms, a);
                    return;
                }
                a->intent = KB_INTENT_GOAL;
                a->answered = true;
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
    if (known > 0 &&
        kb_index_search(q->idx, terms, nterms, 1u << KB_DOC_AMBITION, hits, 1) == 1 &&
        hits[0].coverage >= 0.99) {
        a->intent = KB_INTENT_AMBITIONS;
        a->answered = true;
        a->confidence = 0.9;
        add_ref(a, KB_DOC_AMBITION, kb_index_doc(q->idx, hits[0].doc).item, 0);
        return;
    }
    /* "what do we prioritise" asks for the list, whatever else it names. */
    if (!has_stem(q, goals_stems) && !has_stem(q, (const char *const[]){"ambit", NULL}))
        goto all;
    if (named_goals(e, q, a) > 0) {
        if (a->nrefs == 1 && has_unknown_content(terms, nterms)) {
            a->nrefs = 0;
            answer_passages(e, q, terms, nterms, a);
            return;
        }
        a->intent = a->nrefs > 1 ? KB_INTENT_CLARIFY : KB_INTENT_GOAL;
        /* "the target for the partnerships priority" where it gives no figure. */
        a->answered = !(a->nrefs == 1 && asks_measure(q) &&
                        !goal_has_number(&q->kb->goals[a->refs[0].item]));
        a->confidence = 0.9;
        return;
    }
    if (asks_for_one_goal(q) && !has_unknown_content(terms, nterms) &&
        (n = keyword_goal(e, q)) != SIZE_MAX) {
        a->intent = KB_INTENT_GOAL;
        a->answered = true;
        a->confidence = 0.8;
        add_ref(a, KB_DOC_GOAL, n, 0);
        return;
    }
    n = known ? kb_index_search(q->idx, terms, nterms, 1u << KB_DOC_GOAL, hits, 4) : 0;
    if (n > 0 && hits[0].coverage >= 0.5 && asks_for_one_goal(q) &&
        !has_unknown_content(terms, nterms)) {
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
    if (nterms > 0 && has_unknown_content(terms, nterms) && asks_for_one_goal(q) &&
        asks_by_theme(q) && (n = related_item(q, KB_RELATED_GOAL, &rs)) != SIZE_MAX) {
        /* "which priority is about looking after employees": one means it. */
        a->intent = KB_INTENT_GOAL;
        a->related = true;
        a->yes_no = asks_yes_no(q);
        a->answered = true;
        a->confidence = 0.6 + 0.3 * rs;
        add_ref(a, KB_DOC_GOAL, n, 0);
        return;
    }
    if (nterms > 0 && has_unknown_content(terms, nterms) && asks_for_one_goal(q)) {
        /* "which goal is about parking?": not one of ours; say which are. */
        a->intent = KB_INTENT_NO_SUCH_GOAL;
        a->confidence = 0.7;
        goto list;
    }
    /*
     * "the fundamental aim of the trust": no goal holds those words, but the
     * mission or vision says so in them.
     */
    if (known > 0 && asks_for_one_goal(q) && !names_strategy(e, q) &&
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
    if (asks_yes_no(q) && nterms > 0) {
        a->intent = KB_INTENT_NO_SUCH_GOAL;
        a->answered = true;
        a->confidence = 0.75;
        for (size_t i = 0; i < q->kb->ngoals; i++)
            add_ref(a, KB_DOC_GOAL, i, 0);
        if (known > 0 &&
            kb_index_search(q->idx, terms, nterms, 1u << KB_DOC_PASSAGE, hits, 1) == 1 &&
            hits[0].coverage >= 0.99)
            add_ref(a, KB_DOC_PASSAGE, kb_index_doc(q->idx, hits[0].doc).item, 0);
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
    for (size_t i = 0; i < q->kb->ngoals; i++)
        add_ref(a, KB_DOC_GOAL, i, 0);
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
        const struct tokens *t = kb_tokens(e, kb->passages[i].text);

        /* Near the start: "Our vision is ...", "The Trust's purpose is to ..." */
        for (size_t k = 0; k + 1 < t->n && k <= 3; k++) {
            const char *next = t->w[k + 1].surface;

            if (strcmp(t->w[k].stem, stem) == 0 &&
                (strcmp(next, "is") == 0 || strcmp(next, "are") == 0 ||
                 strcmp(next, "to") == 0 || strcmp(next, "statement") == 0)) {
                return i;
            }
        }
    }
    for (size_t i = 0; i < kb->npassages; i++) {
        const char *sec = kb->passages[i].section;

        if (sec[0] && text_has_root(e, sec, stem) && kb_tokens(e, sec)->n <= 4) {
            return i;
        }
    }
    return SIZE_MAX;
}

static bool
answer_statements(struct kb_engine *e, const struct query *q, struct kb_answer *a)
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

    if (!mission && !vision && !purpose)
        return false;
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
                text_has_root(e, q->kb->ambitions[i].text, "vision"))
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
    a->intent = KB_INTENT_STATEMENT;
    a->answered = true;
    a->confidence = 0.95;
    return true;
}

static bool
answer_ambitions(const struct query *q, const size_t *terms, size_t nterms,
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
    } else if (nterms > 0 && has_unknown_content(terms, nterms)) {
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
static bool
asks_about_topic(struct kb_engine *e, const struct query *q)
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
        if (q->clause_start[i] && !lead && values_are_subject(q))
            lead = true;
        if (q->content[i] && kb_index_term(q->idx, q->w[i].stem) != KB_INDEX_UNKNOWN)
            other = true;
    }
    if (!lead || !other)
        return false;
    memset(&tmp, 0, sizeof(tmp));
    if (named_values(e, q, &tmp) > 0 || named_goals(e, q, &tmp) > 0)
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
static bool
asks_how_long(const struct query *q)
{
    static const char *const span[] = {"end",   "run",   "finish", "last", "until",
                                       "cover", "expir", "go",     "long", NULL};

    /* About the strategy itself, not "how long was the engagement"; "year" in "what
     * year" is the kind of fact asked for. */
    for (size_t i = 0; i < q->n; i++) {
        if (q->content[i] && !q->aside[i] && !in_list(q->w[i].stem, span) &&
            !is_type_noun(q, i))
            return false;
    }
    return has_phrase(q, "how", "long") || has_phrase(q, "until", "when") ||
           ((has_word(q, "when") || has_word(q, "whens") ||
             has_phrase(q, "what", "year") || has_phrase(q, "which", "year")) &&
            has_stem(q, (const char *const[]){"end", "run", "finish", "last", "until",
                                              "cover", "expir", NULL})) ||
           has_phrase(q, "what", "years") || has_phrase(q, "which", "years");
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

        if (!is_year_at(p, t))
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
        if (is_year_at(r, t))
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
static size_t
period_passage(const struct kb *kb)
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
                if (text_has_year(kb->passages[k].text))
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
static bool
asks_if_strategy(const struct query *q)
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
static bool
names_strategy(struct kb_engine *e, const struct query *q)
{
    return q->kb->strategy[0] != '\0' && names_match(e, q, q->kb->strategy);
}

/* Are all the content words of the question words of the strategy's name? */
static bool
only_name_words(struct kb_engine *e, const struct query *q)
{
    const struct tokens *t = kb_tokens(e, q->kb->strategy);

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
static bool
names_other_strategy(struct kb_engine *e, const struct query *q)
{
    for (size_t i = 1; i < q->n; i++) {
        if (strcmp(q->w[i].stem, "strategi") == 0 && q->content[i - 1])
            return !names_strategy(e, q);
    }
    return false;
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
    if (n > 0 && hits[0].coverage >= 0.99 && !asks_for_type(q) && words_as_written(q)) {
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
    answer_passages(e, q, terms, nterms, a);
}

static bool
is_clinical(const struct query *q)
{
    /*
     * Entries of six letters or more are word prefixes ("antidepress");
     * shorter ones must be the whole word or its stem, so that "pillars"
     * is not a "pill" and "marks" not an "mg".
     */
    for (size_t i = 0; i < q->n; i++) {
        for (size_t k = 0; clinical_prefixes[k] != NULL; k++) {
            const char *p = clinical_prefixes[k];
            size_t n;

            if (q->w[i].surface[0] != p[0])
                continue;
            n = strlen(p);
            if (n >= 6 ? strncmp(q->w[i].surface, p, n) == 0
                       : strcmp(q->w[i].surface, p) == 0 || strcmp(q->w[i].stem, p) == 0)
                return true;
        }
    }
    return has_phrase(q, "self", "harm") || has_phrase(q, "side", "effects") ||
           has_phrase(q, "side", "effect");
}

/* -- requests to change content, other organisations, digests --------- */

/* Does @s hold @w (folded) at the start of one of its words, ignoring case? */
static bool
contains_word(const char *s, const char *w)
{
    size_t n = strlen(w);

    for (const char *p = s; *p; p++) {
        if ((p == s || !isalnum((unsigned char)p[-1])) && strncasecmp(p, w, n) == 0)
            return true;
    }
    return false;
}

/* Words that name a part of the strategy ("values", "goal", "mission"). */
static bool
is_topic_word(const struct kb_word *w)
{
    return in_list(w->stem, values_stems) || in_list(w->stem, goals_stems) ||
           strcmp(w->stem, "mission") == 0 || strcmp(w->stem, "vision") == 0 ||
           strcmp(w->stem, "purpos") == 0 || strcmp(w->stem, "ambit") == 0;
}

/*
 * Does the message tell the bot what the strategy says, or ask it to
 * change it ("our 5th value is Hustle", "add 'profit' to our values",
 * "just confirm the new values are ...")?  An order ("ignore", "pretend",
 * "say", "confirm", "add") together with a statement about a part of the
 * strategy, or a verb that edits one, asks the bot to invent content: it
 * declines, and never repeats the words.
 */
static bool
asks_to_change(const struct query *q)
{
    static const char *const orders[] = {
        "confirm", "add",    "chang", "replac", "remov", "renam", "translat",
        "print",   "system", "rule",  "updat",  "delet", NULL};
    static const char *const edits[] = {"add",      "chang", "replac", "remov", "renam",
                                        "translat", "updat", "delet",  NULL};
    static const char *const copulas[] = {"is",   "are",  "include", "includes", "was",
                                          "were", "will", "should",  "now",      "become",
                                          "have", "has",  NULL};
    bool order = strcmp(q->w[0].surface, "say") == 0 ||
                 strcmp(q->w[0].surface, "tell") == 0 || has_phrase(q, "from", "now") ||
                 has_phrase(q, "say", "that") || has_phrase(q, "tell", "staff") ||
                 has_phrase(q, "tell", "everyone");

    /* A word of the strategy's own name ("Journey to Change") is no order. */
    for (size_t i = 0; i < q->n && !order; i++)
        order =
            (in_list(q->w[i].stem, injection_stems) || in_list(q->w[i].stem, orders)) &&
            !contains_word(q->kb->strategy, q->w[i].surface);
    if (!order)
        return false;
    for (size_t i = 0; i + 2 < q->n; i++) {
        if (!is_topic_word(&q->w[i]))
            continue;
        /* "our values are Fast, Cheap and Good", "our 5th value is Hustle" */
        if (in_list(q->w[i + 1].surface, copulas) &&
            !kb_text_is_stopword(q->w[i + 2].surface))
            return true;
        for (size_t k = i + 3; k < q->n && k <= i + 5; k++) {
            if (in_list(q->w[i + 1].surface, copulas) &&
                !kb_text_is_stopword(q->w[k].surface) && !is_topic_word(&q->w[k]))
                return true;
        }
    }
    /* "add 'profit' to our values", "add 'Speedy' as a sixth value" */
    for (size_t i = 0; i < q->n; i++) {
        if (!in_list(q->w[i].stem, edits) ||
            contains_word(q->kb->strategy, q->w[i].surface))
            continue;
        for (size_t k = i + 1; k < q->n; k++) {
            if (strcmp(q->w[k].surface, "to") != 0 &&
                strcmp(q->w[k].surface, "as") != 0 &&
                strcmp(q->w[k].surface, "into") != 0 &&
                strcmp(q->w[k].surface, "all") != 0)
                continue;
            for (size_t j = k + 1; j < q->n && j <= k + 4; j++) {
                if (is_topic_word(&q->w[j]))
                    return true;
            }
        }
    }
    return false;
}

/* Any word that gives the bot an order or edits content ("add", "ignore", "say")? */
static bool
injection_words(const struct query *q)
{
    static const char *const edits[] = {"add",   "chang", "replac",  "remov", "renam",
                                        "updat", "delet", "confirm", NULL};

    return has_stem(q, injection_stems) || has_stem(q, edits) ||
           strcmp(q->w[0].surface, "say") == 0 || has_phrase(q, "say", "that");
}

/*
 * Does @raw hold a word in capitals (three to ten letters) that the initials of
 * the values spell, in order ("SHINE": Safe, Honest, Inclusive, Nurturing,
 * Excellent)?
 */
static bool
names_value_acronym(const struct kb *kb, const char *raw)
{
    if (kb->nvalues < 3 || kb->nvalues > 10)
        return false;
    for (const char *p = raw; *p; p++) {
        size_t n = 0;

        if (!isupper((unsigned char)*p) || (p > raw && isalpha((unsigned char)p[-1])))
            continue;
        while (isupper((unsigned char)p[n]))
            n++;
        if (n == kb->nvalues && !isalpha((unsigned char)p[n])) {
            size_t k = 0;

            while (k < n && toupper((unsigned char)kb->values[k].name[0]) == p[k])
                k++;
            if (k == n)
                return true;
        }
        p += n ? n - 1 : 0;
    }
    return false;
}

/* Words an organisation's name ends in ("... Partnership Trust", "... NHS"). */
static bool
is_org_noun(const char *surface)
{
    static const char *const nouns[] = {"trust",    "nhs", "hospital",   "hospitals",
                                        "board",    "ft",  "foundation", "service",
                                        "services", "icb", "council",    NULL};

    return in_list(surface, nouns);
}

/* Is the word in the KB, in the organisation's own names, or a word of no content? */
static bool
word_is_ours(const struct query *q, const struct kb_word *w)
{
    return kb_text_is_stopword(w->surface) || kb_index_knows_word(q->idx, w->surface) ||
           kb_index_term(q->idx, w->stem) != KB_INDEX_UNKNOWN ||
           names_org(q->kb, w->surface) || in_list(w->stem, generic_stems) ||
           is_topic_word(w) || is_number_word(w->surface) ||
           contains_word(q->kb->name, w->surface) ||
           contains_word(q->kb->short_name, w->surface) ||
           contains_word(q->kb->strategy, w->surface);
}

/*
 * Does the question ask about another organisation ("what are Penmarrow
 * Coastal Mental Health's values?", "the values of coventry and
 * warwickshire partnership trust")?  A name the KB has never heard of,
 * written as a possessive before a part of the strategy or as the words
 * before an organisation noun, is someone else's; answering with ours
 * would be confidently wrong.
 */
static bool
names_other_org(const struct query *q, const char *raw)
{
    /* "X's values": a capitalised word the KB does not know, then 's. */
    for (const char *p = raw; (p = strstr(p, "s ")) != NULL; p++) {
        const char *end = p, *start;

        if (end - raw >= 2 && end[-1] == '\'')
            end -= 1;
        else if (end - raw >= 4 && (unsigned char)end[-1] == 0x99 &&
                 (unsigned char)end[-2] == 0x80 && (unsigned char)end[-3] == 0xe2)
            end -= 3;
        else
            continue;
        /* The capitalised words that end in the possessive: "Penmarrow Coastal Health's".
         */
        for (int words = 0; words < 5; words++) {
            char word[KB_WORD_MAX];
            size_t n;

            start = end;
            while (start > raw && isalpha((unsigned char)start[-1]))
                start--;
            n = (size_t)(end - start);
            if (n < 3 || n >= sizeof(word) || !isupper((unsigned char)start[0]))
                break;
            for (size_t i = 0; i < n; i++)
                word[i] = (char)tolower((unsigned char)start[i]);
            word[n] = '\0';
            for (size_t i = 0; i < q->n; i++) {
                const char *sf = q->w[i].surface;

                if (strcmp(sf, word) == 0 ||
                    (strncmp(sf, word, n) == 0 && sf[n] == 's' && sf[n + 1] == '\0')) {
                    if (!word_is_ours(q, &q->w[i]) && !is_org_noun(word))
                        return true;
                    break;
                }
            }
            if (start - raw < 2 || start[-1] != ' ')
                break;
            end = start - 1;
        }
    }
    /* "... coventry and warwickshire partnership trust" */
    for (size_t i = 1; i < q->n; i++) {
        size_t unknown = 0;

        if (!is_org_noun(q->w[i].surface))
            continue;
        for (size_t k = i >= 5 ? i - 5 : 0; k < i; k++) {
            if (!word_is_ours(q, &q->w[k]) && !q->aside[k])
                unknown++;
        }
        if (unknown >= 2)
            return true;
    }
    return false;
}

/*
 * Does the question hold at least two words in a row (stop words aside) of
 * @name, one of them a word our KB does not have?
 */
static bool
says_name(struct kb_engine *e, const struct query *q, const char *name)
{
    const struct tokens *t = kb_tokens(e, name);

    for (size_t i = 0; i < q->n; i++) {
        for (size_t j = 0; j < t->n; j++) {
            size_t qi = i, tj = j, run = 0;
            bool foreign = false;

            while (qi < q->n && tj < t->n) {
                if (q->stop[qi]) {
                    qi++;
                    continue;
                }
                if (kb_text_is_stopword(t->w[tj].surface)) {
                    tj++;
                    continue;
                }
                if (strcmp(q->w[qi].stem, t->w[tj].stem) != 0)
                    break;
                foreign = foreign || !word_is_ours(q, &q->w[qi]);
                run++;
                qi++;
                tj++;
            }
            if (run >= 2 && foreign)
                return true;
        }
    }
    return false;
}

/*
 * Does the question name another organisation the bot holds a KB for, by
 * its name, short name or strategy ("what did tees esk and wear valleys
 * decide about its values", "what's in journey to change")?
 */
static bool
names_loaded_org(struct kb_engine *e, const struct query *q)
{
    for (size_t k = 0; k < kb_set_count(e->set); k++) {
        const struct kb *o = kb_set_get(e->set, k);

        if (o == q->kb)
            continue;
        for (size_t i = 0; i < q->n && o->short_name[0] != '\0'; i++) {
            if (strlen(o->short_name) >= 3 && names_org(o, q->w[i].surface) &&
                !word_is_ours(q, &q->w[i]))
                return true;
        }
        if (says_name(e, q, o->name) || says_name(e, q, o->strategy))
            return true;
    }
    return false;
}

/* Does @text hold the words @w[0..n) in a row (by stem)? */
static bool
text_has_run(struct kb_engine *e, const char *text, const struct kb_word *w, size_t n)
{
    const struct tokens *t = kb_tokens(e, text);

    for (size_t i = 0; i + n <= t->n; i++) {
        size_t k = 0;

        while (k < n && strcmp(t->w[i + k].stem, w[k].stem) == 0)
            k++;
        if (k == n)
            return true;
    }
    return false;
}

/* Does any text of the KB hold the words @w[0..n) in a row? */
static bool
kb_has_run(struct kb_engine *e, const struct kb *kb, const struct kb_word *w, size_t n)
{
    const char *fixed[] = {kb->name, kb->strategy,
                           kb->mission.text ? kb->mission.text : "",
                           kb->vision.text ? kb->vision.text : ""};

    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        if (text_has_run(e, fixed[i], w, n))
            return true;
    }
    for (size_t i = 0; i < kb->ngoals; i++) {
        const struct kb_goal *g = &kb->goals[i];

        if (text_has_run(e, g->title, w, n) || text_has_run(e, g->description, w, n))
            return true;
        for (size_t k = 0; k < g->npoints; k++) {
            if (text_has_run(e, g->points[k].text, w, n))
                return true;
        }
    }
    for (size_t i = 0; i < kb->nvalues; i++) {
        const struct kb_value *v = &kb->values[i];

        if (text_has_run(e, v->name, w, n) || text_has_run(e, v->description, w, n))
            return true;
        for (size_t k = 0; k < v->nbehaviours; k++) {
            if (text_has_run(e, v->behaviours[k].text, w, n))
                return true;
        }
    }
    for (size_t i = 0; i < kb->nambitions; i++) {
        if (text_has_run(e, kb->ambitions[i].title, w, n) ||
            text_has_run(e, kb->ambitions[i].text, w, n))
            return true;
    }
    for (size_t i = 0; i < kb->npassages; i++) {
        if (text_has_run(e, kb->passages[i].text, w, n) ||
            text_has_run(e, kb->passages[i].section, w, n))
            return true;
    }
    return false;
}

/* Is the byte run at @p an opening or closing quote mark?  Sets *len (out). */
static bool
is_quote(const unsigned char *p, size_t *len)
{
    if (*p == '\'' || *p == '"') {
        *len = 1;
        return true;
    }
    /* U+2018, U+2019, U+201C, U+201D */
    if (p[0] == 0xe2 && p[1] == 0x80 &&
        (p[2] == 0x98 || p[2] == 0x99 || p[2] == 0x9c || p[2] == 0x9d)) {
        *len = 3;
        return true;
    }
    return false;
}

/*
 * Does the question quote QUOTE_MIN_WORDS words or more that the KB nowhere has in a
 * row ("what does 'people at our heart' mean for us", asked of another
 * trust)?  Then its premise is someone else's text.
 */
static bool
quotes_unknown_phrase(struct kb_engine *e, const struct query *q, const char *raw)
{
    const unsigned char *s = (const unsigned char *)raw;

    for (size_t i = 0; s[i];) {
        size_t ql, cl;

        /* Jump to the next byte that may start a quote mark. */
        i += strcspn(raw + i, "'\"\xe2");
        if (s[i] == '\0')
            break;
        if (!is_quote(s + i, &ql) || (i > 0 && isalnum(s[i - 1])) ||
            !isalpha(s[i + ql])) {
            i++;
            continue;
        }
        for (size_t j = i + ql; s[j]; j++) {
            struct kb_word w[16];
            size_t n;

            if (!is_quote(s + j, &cl) || !isalnum(s[j - 1]) || isalnum(s[j + cl]))
                continue;
            n = kb_text_words(e->text, raw + i + ql, j - i - ql, w, 16);
            if (n >= QUOTE_MIN_WORDS && n < 16 && !kb_has_run(e, q->kb, w, n))
                return true;
            i = j;
            break;
        }
        i += ql;
    }
    return false;
}

/*
 * A count the question takes for granted ("the five strategic priorities",
 * "our 4 core values") that is not ours: 1 for values, 2 for goals, 0 when
 * none is stated or it is right.
 */
static int
count_premise(const struct query *q)
{
    static const char *const words[] = {"two",   "three", "four", "five", "six",
                                        "seven", "eight", "nine", "ten",  NULL};
    static const char *const between[] = {
        "core",      "strategic",      "trust", "main",  "key", "big",
        "corporate", "organisational", "well",  "being", "our", NULL};

    for (size_t i = 0; i + 1 < q->n; i++) {
        const char *w = q->w[i].surface;
        unsigned long v = 0;
        size_t k = i + 1;

        if (isdigit((unsigned char)w[0])) {
            char *end;

            v = strtoul(w, &end, 10);
            if (*end != '\0')
                continue;
        } else {
            for (size_t j = 0; words[j] != NULL; j++) {
                if (strcmp(w, words[j]) == 0)
                    v = j + 2;
            }
        }
        if (v < 2 || v > 20)
            continue;
        while (k < q->n && k < i + 3 && in_list(q->w[k].surface, between))
            k++;
        if (k >= q->n || q->w[k].surface[strlen(q->w[k].surface) - 1] != 's')
            continue;
        if (in_list(q->w[k].stem, values_stems) && strcmp(q->w[k].stem, "valu") == 0)
            return q->kb->nvalues > 0 && v != q->kb->nvalues ? 1 : 0;
        if (in_list(q->w[k].stem, goals_stems))
            return q->kb->ngoals > 0 && v != q->kb->ngoals ? 2 : 0;
    }
    return 0;
}

/*
 * Does the message ask for the whole strategy at once ("tl;dr", "give me
 * everything", "mission, vision and values in one go", "the whole strategy
 * on one page")?  Three parts named together, or a digest phrase.
 */
static bool
asks_for_digest(const struct query *q)
{
    static const char *const pairs[][2] = {
        {"tl", "dr"},      {"sum", "up"},   {"whole", "strategy"}, {"one", "page"},
        {"key", "points"}, {"in", "brief"}, {"short", "version"},  {"in", "short"},
    };
    unsigned parts = 0; /* bits: values, goals, mission, vision, ambition or purpose */
    bool everything = false, one_go = false;

    /* One pass over the words (this runs for every question). */
    for (size_t i = 0; i < q->n; i++) {
        const char *st = q->w[i].stem, *sf = q->w[i].surface, *next;

        if (in_list(st, values_stems))
            parts |= 1;
        else if (in_list(st, goals_stems))
            parts |= 2;
        else if (strcmp(st, "mission") == 0)
            parts |= 4;
        else if (strcmp(st, "vision") == 0)
            parts |= 8;
        else if (strcmp(st, "ambit") == 0 || strcmp(st, "purpos") == 0)
            parts |= 16;
        everything = everything || strcmp(sf, "everything") == 0;
        if (i + 1 == q->n)
            break;
        next = q->w[i + 1].surface;
        one_go = one_go || (strcmp(sf, "one") == 0 && strcmp(next, "go") == 0);
        for (size_t k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
            if (sf[0] == pairs[k][0][0] && strcmp(sf, pairs[k][0]) == 0 &&
                strcmp(next, pairs[k][1]) == 0)
                return true;
        }
    }
    if (__builtin_popcount(parts) >= 3)
        return true;
    return (everything && (parts != 0 || has_stem(q, statement_stems))) ||
           (one_go && parts);
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
 * corrected (KB_QUERY_MAX_WORDS).
 */
static void
query_prepare(struct kb_engine *e, size_t ki, const char *clean, struct query *q,
              struct kb_word *typed)
{
    q->kb = kb_set_get(e->set, ki);
    q->idx = e->idx[ki];
    q->rel = &e->rel[ki];
    q->raw = clean;
    split_clauses(e, clean, q);
    if (typed != NULL)
        memcpy(typed, q->w, q->n * sizeof(q->w[0]));
    correct_spelling(e, q);
    mark_content(e, q);
}

static void answer_query(struct kb_engine *e, struct query *q, struct kb_answer *a);
static void decline_unlisted(struct kb_answer *a);

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
    clean = strip_mentions(question, len);
    query_prepare(e, ki, clean, &q, NULL);
    answer_query(e, &q, a);
    decline_unlisted(a);
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

    memset(kq, 0, sizeof(*kq));
    if (ki == SIZE_MAX)
        return false;
    if (len > KB_QUESTION_MAX)
        len = utf8_truncate_len(text, KB_QUESTION_MAX);
    kq->text = strip_mentions(text, len);
    kq->work = xmalloc(sizeof(*kq->work));
    kq->work->ki = ki;
    q = &kq->work->q;
    query_prepare(e, ki, kq->text, q, kq->words);
    kq->kb = q->kb;
    kq->nwords = q->n;
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
    decline_unlisted(a);
}

/*
 * A question about the values (or goals) of a KB that lists none is not
 * answered with an empty list or a count of 0: the page the KB came from
 * states none, and the reply says so.  A KB from a page that gives only
 * goals (or only values) is a normal result of `kb build`.
 */
static void
decline_unlisted(struct kb_answer *a)
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
    a->intent = values ? KB_INTENT_NO_VALUES : KB_INTENT_NO_GOALS;
    a->answered = false;
    a->yes_no = false;
    a->detail = false;
    a->confidence = 0.9;
    a->nrefs = 0;
    a->nfeatures = 0;
}

/*
 * The policy, in order, over a prepared question.  @q's term lists are
 * worked on: scratch, which the next call fills again.
 */
static void
answer_query(struct kb_engine *e, struct query *q, struct kb_answer *a)
{
    size_t terms[MAX_WORDS * 2], nterms;
    bool values_topic, goals_topic, injection, other, unquoted, acronym;
    int premise;

    a->kb = q->kb;
    nterms = content_terms(q, terms, sizeof(terms) / sizeof(terms[0]));
    a->intent = KB_INTENT_OUT_OF_SCOPE;

    if (q->n == 0) {
        a->intent = KB_INTENT_HELP;
        a->answered = true;
        a->confidence = 1;
        return;
    }
    if (is_clinical(q)) {
        a->intent = KB_INTENT_CLINICAL;
        a->confidence = 1;
        return;
    }
    if (asks_to_change(q)) {
        a->intent = KB_INTENT_REFUSE;
        a->confidence = 0.9;
        return;
    }
    acronym = names_value_acronym(q->kb, q->raw);
    other = !acronym && (names_other_org(q, q->raw) || names_loaded_org(e, q));
    /* "add 'all staff get friday off'": a quote to add is not a premise. */
    unquoted = !other && quotes_unknown_phrase(e, q, q->raw) && !injection_words(q);
    if (unquoted) {
        a->intent = KB_INTENT_OUT_OF_SCOPE;
        return;
    }
    if (other) {
        a->intent = KB_INTENT_OTHER_ORG;
        a->confidence = 0.9;
        return;
    }
    injection = has_stem(q, injection_stems) || strcmp(q->w[0].surface, "say") == 0 ||
                strcmp(q->w[0].surface, "post") == 0 || has_phrase(q, "tell", "everyone");
    values_topic = has_stem(q, values_stems) || has_phrase(q, "stand", "for");
    goals_topic = has_stem(q, goals_stems) || has_stem(q, goal_verbs);
    if (!injection && smalltalk(q, a)) {
        a->answered = true;
        a->confidence = 1;
        return;
    }
    /*
     * "who set our values": a person or a group, which only a passage
     * names; there the topic words count as words to find.
     */
    if (asks_who(q) && !injection) {
        size_t wterms[MAX_WORDS], nw = 0;

        for (size_t i = 0; i < q->n; i++) {
            if (!kb_text_is_stopword(q->w[i].surface) && !q->aside[i] &&
                !names_org(q->kb, q->w[i].surface) &&
                !in_list(q->w[i].stem, injection_stems)) {
                q->term_word[nw] = i;
                wterms[nw++] = kb_index_term(q->idx, q->w[i].stem);
            }
        }
        if (nw > 0) {
            answer_passages(e, q, wterms, nw, a);
            return;
        }
    }
    if ((has_phrase(q, "how", "many") || has_phrase(q, "number", "of")) &&
        goal_number(q) == 0 && !counts_other_thing(q) &&
        (values_topic || goals_topic ||
         has_stem(q, (const char *const[]){"ambit", NULL}))) {
        a->intent =
            goals_topic || !values_topic ? KB_INTENT_COUNT_GOALS : KB_INTENT_COUNT_VALUES;
        a->answered = true;
        a->confidence = 0.95;
        return;
    }
    /*
     * "the five strategic priorities" when we have three: the question is
     * about someone else's list (or misremembers ours); say what ours is.
     */
    if (!injection && (premise = count_premise(q)) != 0) {
        a->intent = premise == 1 ? KB_INTENT_NOT_A_VALUE : KB_INTENT_NO_SUCH_GOAL;
        a->confidence = 0.8;
        if (premise == 1) {
            for (size_t i = 0; i < q->kb->nvalues; i++)
                add_ref(a, KB_DOC_VALUE, i, 0);
        } else {
            for (size_t i = 0; i < q->kb->ngoals; i++)
                add_ref(a, KB_DOC_GOAL, i, 0);
        }
        return;
    }
    /* "what does SHINE stand for?": the values whose initials spell it. */
    if (acronym && !values_topic && !injection) {
        a->intent = KB_INTENT_VALUES;
        a->answered = true;
        a->confidence = 0.9;
        for (size_t i = 0; i < q->kb->nvalues; i++)
            add_ref(a, KB_DOC_VALUE, i, 0);
        return;
    }
    if (asks_for_digest(q)) {
        a->intent = KB_INTENT_SUMMARY;
        a->answered = true;
        a->confidence = 0.9;
        return;
    }
    if (answer_statements(e, q, a))
        return;
    /*
     * "when were the values agreed?": a date, which only a passage gives;
     * the list is no answer.
     */
    if ((values_topic || goals_topic) && (asks_when_where(q) || counts_other_thing(q)) &&
        !injection) {
        size_t wterms[MAX_WORDS], nw = 0;

        for (size_t i = 0; i < q->n; i++) {
            if (!kb_text_is_stopword(q->w[i].surface) && !q->aside[i] &&
                !names_org(q->kb, q->w[i].surface)) {
                q->term_word[nw] = i;
                wterms[nw++] = kb_index_term(q->idx, q->w[i].stem);
            }
        }
        answer_passages(e, q, wterms, nw, a);
        return;
    }
    /*
     * "did patients have any say in the values?", "do we use the values in
     * appraisals?": a yes/no about the values or goals that names something
     * else is a fact about them, which a passage may state.
     */
    if ((values_topic || goals_topic) && !injection && asks_about_topic(e, q)) {
        struct kb_answer p;
        size_t wterms[MAX_WORDS], nw = 0;

        memset(&p, 0, sizeof(p));
        p.kb = a->kb;
        for (size_t i = 0; i < q->n; i++) {
            if (!q->stop[i] && !q->aside[i] && !names_org(q->kb, q->w[i].surface)) {
                q->term_word[nw] = i;
                wterms[nw++] = kb_index_term(q->idx, q->w[i].stem);
            }
        }
        answer_passages(e, q, wterms, nw, &p);
        if (p.answered) {
            *a = p;
            return;
        }
        nterms = content_terms(q, terms, sizeof(terms) / sizeof(terms[0]));
    }
    if (values_topic && goals_topic) {
        a->intent = KB_INTENT_SUMMARY;
        a->answered = true;
        a->confidence = 0.9;
        return;
    }
    if (values_topic) {
        answer_values(e, q, nterms, a);
        return;
    }
    if (has_stem(q, (const char *const[]){"ambit", NULL}) &&
        answer_ambitions(q, terms, nterms, a))
        return;
    if (goals_topic || has_stem(q, (const char *const[]){"ambit", NULL})) {
        answer_goals(e, q, terms, nterms, a);
        return;
    }
    if (names_other_strategy(e, q)) {
        a->intent = KB_INTENT_OUT_OF_SCOPE;
        return;
    }
    /*
     * "what's the strategy called?": its name, in the summary's heading; a
     * page that gives it no name does not state it.
     */
    if (has_stem(q, (const char *const[]){"strategi", "plan", NULL}) &&
        (has_word(q, "called") || has_word(q, "named") || has_phrase(q, "the", "name") ||
         has_phrase(q, "its", "name")) &&
        q->kb->strategy[0] == '\0') {
        a->intent = KB_INTENT_OUT_OF_SCOPE;
        return;
    }
    /* "when does the strategy run until?", "how long does it last": its years. */
    if ((has_stem(q, (const char *const[]){"strategi", "plan", NULL}) ||
         names_strategy(e, q)) &&
        asks_how_long(q)) {
        size_t p = period_passage(q->kb);

        a->confidence = 0.85;
        if (p == SIZE_MAX)
            return; /* out of scope: the page gives no years */
        a->intent = KB_INTENT_FACT;
        a->answered = true;
        add_ref(a, KB_DOC_PASSAGE, p, 0);
        return;
    }
    if (has_stem(q, summary_stems) || asks_if_strategy(q) ||
        (has_stem(q, (const char *const[]){"strategi", NULL}) &&
         (nterms == 0 ||
          has_stem(q, (const char *const[]){"explain", "describ", NULL}))) ||
        (names_strategy(e, q) && only_name_words(e, q) && !has_word(q, "when"))) {
        a->intent = KB_INTENT_SUMMARY;
        a->answered = true;
        a->confidence = 0.9;
        return;
    }
    /*
     * "is my GP practice open on bank holiday monday?": a value named by an
     * adjective ("open", "kind") in a question about other things the KB does
     * not know is no question about the value.
     */
    if (named_values(e, q, a) > 0 && !asks_for_type(q) &&
        !(adjective_value(q, a) && asks_unstated_aspect(q, terms, nterms))) {
        a->intent = KB_INTENT_VALUE;
        /*
         * "how does the strategy define compassion?" where it only names it;
         * "and for pride?" carries on asking what a value asks of staff.
         */
        a->answered =
            !(asks_how_lived(q) || is_follow_up_item(q)) || !values_bare(q->kb, a);
        a->yes_no = asks_yes_no(q);
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
        if (!has_unknown_content(terms, nterms) &&
            named_behaviour(e, q, &vi, &bi, &frac) && frac >= 0.99 && nterms <= 2 &&
            !has_word(q, "when") && !has_word(q, "who")) {
            a->intent = KB_INTENT_VALUE_LOOKUP;
            a->answered = true;
            a->confidence = 0.85;
            add_ref(a, KB_DOC_BEHAVIOUR, vi, bi);
            return;
        }
    }
    answer_open(e, q, terms, nterms, a);
    return;
}
