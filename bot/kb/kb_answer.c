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

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_set.h"
#include "bot/kb/kb_text.h"

#define MAX_WORDS 128

struct kb_engine {
    const struct kb_set *set; /* borrowed */
    struct kb_text *text;     /* owned */
    struct kb_index **idx;    /* owned, one per KB in set order */
    double threshold;
    double tie_margin;
};

/* One question, worked on. */
struct query {
    struct kb_word w[MAX_WORDS];
    bool content[MAX_WORDS]; /* not a stop word, not a topic word */
    size_t n;
    const struct kb *kb;
    const struct kb_index *idx;
};

/* -- topic vocabulary (stems) ------------------------------------------ */

static const char *const values_stems[] = {"valu",      "principl", "etho",
                                           "behaviour", "belief",   NULL};
static const char *const goals_stems[] = {"goal",   "prioriti", "object", "aim", "pillar",
                                          "target", "theme",    "focus",  NULL};
static const char *const summary_stems[] = {"summari", "summaris", "overview",
                                            "tldr",    "gist",     "nutshel",
                                            "recap",   "outlin",   NULL};
/* Words that say what a question is about without naming anything in it. */
static const char *const generic_stems[] = {
    "strategi", "plan",    "document", "overal",  "cover",   "stand",    "includ",
    "import",   "exact",   "word",     "wording", "name",    "call",     "current",
    "new",      "offici",  "big",      "top",     "mani",    "number",   "count",
    "total",    "describ", "explain",  "detail",  "about",   "descript", "point",
    "level",    "state",   "set",      "agre",    "strateg", "area",     "part",
    "fit",      "belong",  "talk",     "come",    "under",   "show",     "expect",
    "achiev",   "tri",     "live",     "put",     "go",      "somewher", NULL};
/* Clinical vocabulary, as word prefixes: any of these and the bot gives no content at
 * all. */
static const char *const clinical_prefixes[] = {
    "dose",        "dosage",      "mg",          "medication",  "meds",
    "medicine",    "prescri",     "symptom",     "diagnos",     "overdos",
    "antidepress", "antipsychot", "paracetamol", "ibuprofen",   "sertraline",
    "lithium",     "clozapine",   "insulin",     "sedat",       "suicid",
    "selfharm",    "tablet",      "pill",        "drug",        "psychosis",
    "psychotic",   "schizophren", "bipolar",     "anxiety",     "depress",
    "dementia",    "headache",    "fever",       "nausea",      "rash",
    "infection",   "wound",       "seizure",     "contraindic", "opioid",
    "morphine",    "diazepam",    "lorazepam",   "haloperidol", "olanzapine",
    "sectioned",   "ligature",    NULL};
/* Phrases that try to give the bot orders; the bot never follows or echoes them. */
static const char *const injection_stems[] = {
    "ignor",    "disregard", "pretend", "jailbreak", "prompt",
    "instruct", "announc",   "repeat",  "roleplay",  NULL};

static const char *const lexicon[] = {
    "values",    "value",      "principles", "behaviours", "behaviour", "goals",
    "goal",      "priorities", "priority",   "objectives", "objective", "aims",
    "pillars",   "ambitions",  "ambition",   "mission",    "vision",    "purpose",
    "strategy",  "summary",    "summarise",  "overview",   "launched",  "launch",
    "strategic", "chief",      "executive",  NULL};

static bool
in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i] != NULL; i++) {
        if (strcmp(s, list[i]) == 0)
            return true;
    }
    return false;
}

static bool
has_stem(const struct query *q, const char *const *list)
{
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
        if (strcmp(q->w[i].surface, surface) == 0)
            return true;
    }
    return false;
}

/* "how many", "number of": the words in sequence. */
static bool
has_phrase(const struct query *q, const char *a, const char *b)
{
    for (size_t i = 0; i + 1 < q->n; i++) {
        if (strcmp(q->w[i].surface, a) == 0 && strcmp(q->w[i + 1].surface, b) == 0)
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
    e->threshold = threshold;
    e->tie_margin = tie_margin;
    return e;
}

void
kb_engine_free(struct kb_engine *e)
{
    if (e == NULL)
        return;
    for (size_t i = 0; i < kb_set_count(e->set); i++)
        kb_index_free(e->idx[i]);
    free(e->idx);
    kb_text_free(e->text);
    free(e);
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

static void
restem(struct kb_engine *e, struct kb_word *w, const char *surface)
{
    snprintf(w->surface, sizeof(w->surface), "%s", surface);
    kb_text_stem(e->text, w->surface, w->stem);
}

/* Corrects typos against the topic lexicon and the KB's own words, nothing else. */
static void
correct_spelling(struct kb_engine *e, struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        struct kb_word *w = &q->w[i];
        const char *fix = NULL;

        if (strlen(w->surface) < 4 || isdigit((unsigned char)w->surface[0]) ||
            kb_text_is_stopword(w->surface) || in_list(w->surface, lexicon) ||
            kb_index_knows_word(q->idx, w->surface) ||
            kb_index_term(q->idx, w->stem) != KB_INDEX_UNKNOWN)
            continue;
        for (size_t k = 0; lexicon[k] != NULL && fix == NULL; k++) {
            if (kb_text_distance(w->surface, lexicon[k],
                                 strlen(w->surface) >= 8 ? 2 : 1) <=
                (strlen(w->surface) >= 8 ? 2u : 1u))
                fix = lexicon[k];
        }
        if (fix == NULL)
            fix = kb_index_correct(q->idx, w->surface);
        if (fix != NULL)
            restem(e, w, fix);
    }
}

static void
mark_content(struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        const char *st = q->w[i].stem;

        /* The organisation's own name says nothing about what is asked. */
        if (strcmp(q->w[i].surface, q->kb->org) == 0 ||
            strcasecmp(q->w[i].surface, q->kb->short_name) == 0) {
            q->content[i] = false;
            continue;
        }

        q->content[i] = !kb_text_is_stopword(q->w[i].surface) &&
                        !in_list(st, values_stems) && !in_list(st, goals_stems) &&
                        !in_list(st, summary_stems) && !in_list(st, generic_stems) &&
                        strcmp(st, "mission") != 0 && strcmp(st, "vision") != 0 &&
                        strcmp(st, "purpos") != 0 && strcmp(st, "ambit") != 0 &&
                        !in_list(st, injection_stems);
    }
}

/* Term ids of the content words, plus the other phrases of any KB synonym they name. */
static size_t
content_terms(struct kb_engine *e, const struct query *q, size_t *terms, size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < q->n && n < max; i++) {
        if (q->content[i] && !isdigit((unsigned char)q->w[i].surface[0]))
            terms[n++] = kb_index_term(q->idx, q->w[i].stem);
    }
    for (size_t s = 0; s < q->kb->nsynonyms; s++) {
        const struct kb_synonym *syn = &q->kb->synonyms[s];
        bool hit = false;

        for (size_t t = 0; t < syn->n && !hit; t++) {
            struct kb_word pw[8];
            size_t np =
                kb_text_words(e->text, syn->terms[t], strlen(syn->terms[t]), pw, 8);
            size_t matched = 0;

            for (size_t k = 0; k < np; k++)
                matched += has_word(q, pw[k].surface);
            hit = np > 0 && matched == np;
        }
        if (!hit)
            continue;
        /* Replace the unknown terms of the phrase asked with the other phrasings. */
        for (size_t t = 0; t < syn->n; t++) {
            struct kb_word pw[8];
            size_t np =
                kb_text_words(e->text, syn->terms[t], strlen(syn->terms[t]), pw, 8);

            for (size_t k = 0; k < np && n < max; k++) {
                size_t id = kb_index_term(q->idx, pw[k].stem);

                if (id == KB_INDEX_UNKNOWN)
                    continue;
                for (size_t j = 0; j < n; j++) {
                    if (terms[j] == KB_INDEX_UNKNOWN) {
                        terms[j] = id;
                        id = KB_INDEX_UNKNOWN;
                        break;
                    }
                }
                if (id != KB_INDEX_UNKNOWN)
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
    struct kb_word nw[16];
    size_t n = kb_text_words(e->text, name, strlen(name), nw, 16), need = 0, got = 0;

    for (size_t k = 0; k < n; k++) {
        bool stop = kb_text_is_stopword(nw[k].surface);

        if (stop && n > 1)
            continue;
        need++;
        for (size_t i = 0; i < q->n; i++) {
            if (strcmp(q->w[i].stem, nw[k].stem) == 0) {
                got++;
                break;
            }
        }
    }
    return need > 0 && got == need;
}

static void add_ref(struct kb_answer *a, enum kb_doc_kind kind, size_t item, size_t sub);

/* Share of the meaningful words of @text that the question contains (0..1). */
static double
words_fraction(struct kb_engine *e, const struct query *q, const char *text)
{
    struct kb_word tw[32];
    size_t n = kb_text_words(e->text, text, strlen(text), tw, 32), need = 0, got = 0;

    for (size_t k = 0; k < n; k++) {
        if (kb_text_is_stopword(tw[k].surface))
            continue;
        need++;
        for (size_t i = 0; i < q->n; i++) {
            size_t ls = strlen(tw[k].stem);

            /* "fairness" -> "fair", "honesty" -> "honesti" ~ "honest" */
            if (strcmp(q->w[i].stem, tw[k].stem) == 0 ||
                (ls >= 4 && strncmp(q->w[i].stem, tw[k].stem, ls) == 0)) {
                got++;
                break;
            }
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
    static const char *const ordinals[] = {"first", "second", "third",   "fourth",
                                           "fifth", "sixth",  "seventh", "eighth",
                                           "ninth", "tenth",  NULL};
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
static bool
asks_for_one_goal(const struct query *q)
{
    if (has_word(q, "which") || has_phrase(q, "is", "there"))
        return true;
    for (size_t i = 0; i < q->n; i++) {
        size_t n = strlen(q->w[i].surface);

        if (in_list(q->w[i].stem, goals_stems) && q->w[i].surface[n - 1] != 's')
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

/* -- passages ---------------------------------------------------------- */

static bool
text_has_date(const char *s)
{
    static const char *const months[] = {
        "January", "February",  "March",   "April",    "May",      "June", "July",
        "August",  "September", "October", "November", "December", NULL};

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
 * A question's type word asks for a kind of fact: "when" wants a date,
 * "who" a name, "how many" a number.  A passage without one answers the
 * words but not the question, so it counts for less.
 */
static double
type_factor(const struct query *q, const char *passage)
{
    if (has_word(q, "when") || has_phrase(q, "what", "date") ||
        has_phrase(q, "what", "year"))
        return text_has_date(passage) ? 1.0 : 0.55;
    if (has_word(q, "who") || has_word(q, "whos"))
        return text_has_name(passage) ? 1.0 : 0.55;
    if (has_phrase(q, "how", "many") || has_phrase(q, "how", "much"))
        return text_has_number(passage) ? 1.0 : 0.45;
    return 1.0;
}

static void
answer_passages(struct kb_engine *e, const struct query *q, const size_t *terms,
                size_t nterms, struct kb_answer *a)
{
    struct kb_hit hits[8];
    size_t n = kb_index_search(q->idx, terms, nterms, 1u << KB_DOC_PASSAGE, hits, 8);
    double best = 0;
    size_t best_i = 0;

    for (size_t i = 0; i < n; i++) {
        const struct kb_passage *p =
            &q->kb->passages[kb_index_doc(q->idx, hits[i].doc).item];
        double c = hits[i].coverage * type_factor(q, p->text);

        /* Rank by confidence, then by BM25 among equals. */
        if (c > best + 1e-9) {
            best = c;
            best_i = i;
        }
    }
    a->confidence = best;
    if (n == 0 || best < e->threshold) {
        a->intent = KB_INTENT_OUT_OF_SCOPE;
        return;
    }
    a->intent = KB_INTENT_FACT;
    a->answered = true;
    add_ref(a, KB_DOC_PASSAGE, kb_index_doc(q->idx, hits[best_i].doc).item, 0);
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
    static const char *const greetings[] = {
        "hi", "hello", "hey",       "hiya", "morning", "good", "afternoon", "evening",
        "yo", "howdy", "greetings", "team", "there",   "all",  NULL};
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
            (has_word(q, "help") || has_phrase(q, "can", "you") ||
             has_phrase(q, "can", "i") || has_phrase(q, "who", "are") ||
             has_phrase(q, "you", "do"))) {
            a->intent = KB_INTENT_HELP;
            return true;
        }
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

static void
answer_values(struct kb_engine *e, const struct query *q, size_t nterms,
              struct kb_answer *a)
{
    size_t vi = 0, bi = 0;
    double frac;

    if (named_values(e, q, a) > 0) {
        a->intent = KB_INTENT_VALUE;
        a->confidence = 0.95;
    } else if (named_behaviour(e, q, &vi, &bi, &frac)) {
        a->intent = KB_INTENT_VALUE_LOOKUP;
        a->confidence = 0.6 + 0.35 * frac;
        add_ref(a, KB_DOC_BEHAVIOUR, vi, bi);
    } else if (nterms > 0 && (strcmp(q->w[0].surface, "is") == 0 ||
                              strcmp(q->w[0].surface, "are") == 0)) {
        /* "is honesty one of our values?" and the KB has no such value or behaviour. */
        a->intent = KB_INTENT_NOT_A_VALUE;
        a->confidence = 0.8;
        for (size_t i = 0; i < q->kb->nvalues; i++)
            add_ref(a, KB_DOC_VALUE, i, 0);
        return;
    } else {
        a->intent = KB_INTENT_VALUES;
        a->confidence = 0.9;
        for (size_t i = 0; i < q->kb->nvalues; i++)
            add_ref(a, KB_DOC_VALUE, i, 0);
    }
    a->answered = true;
}

static void
answer_goals(struct kb_engine *e, const struct query *q, const size_t *terms,
             size_t nterms, struct kb_answer *a)
{
    unsigned num = goal_number(q);
    struct kb_hit hits[4];
    size_t n, known = 0, known_terms[MAX_WORDS * 2];

    for (size_t i = 0; i < nterms; i++) {
        if (terms[i] != KB_INDEX_UNKNOWN)
            known_terms[known++] = terms[i];
    }

    if (num > 0) {
        for (size_t i = 0; i < q->kb->ngoals; i++) {
            if (q->kb->goals[i].number == num) {
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
    if (named_goals(e, q, a) > 0) {
        a->intent = a->nrefs > 1 ? KB_INTENT_CLARIFY : KB_INTENT_GOAL;
        a->answered = true;
        a->confidence = 0.9;
        return;
    }
    n = known ? kb_index_search(q->idx, known_terms, known, 1u << KB_DOC_GOAL, hits, 4)
              : 0;
    if (n > 0 && hits[0].coverage >= 0.5 && asks_for_one_goal(q)) {
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
    if (nterms > 0 && has_unknown_content(terms, nterms) && asks_for_one_goal(q)) {
        /* "which goal is about parking?": not one of ours; say which are. */
        a->intent = KB_INTENT_NO_SUCH_GOAL;
        a->confidence = 0.7;
        goto list;
    }
    a->intent = KB_INTENT_GOALS;
    a->answered = true;
    a->confidence = 0.9;
list:
    for (size_t i = 0; i < q->kb->ngoals; i++)
        add_ref(a, KB_DOC_GOAL, i, 0);
}

static bool
answer_statements(const struct query *q, struct kb_answer *a)
{
    bool mission = has_stem(q, (const char *const[]){"mission", NULL});
    bool vision = has_stem(q, (const char *const[]){"vision", NULL});
    bool purpose = has_stem(q, (const char *const[]){"purpos", NULL}) ||
                   (has_word(q, "why") && has_word(q, "exist")) ||
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
    if (vision && q->kb->vision.text != NULL)
        add_ref(a, KB_DOC_VISION, 0, 0);
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

/* Is the question only the strategy's own name ("what is Our Journey to Change?")? */
static bool
names_strategy(struct kb_engine *e, const struct query *q)
{
    return q->kb->strategy[0] != '\0' && names_match(e, q, q->kb->strategy);
}

/* Answers from the best document of any kind, when nothing structured was asked. */
static void
answer_open(struct kb_engine *e, const struct query *q, const size_t *terms,
            size_t nterms, struct kb_answer *a)
{
    struct kb_hit hits[2];
    size_t n;
    unsigned kinds =
        (1u << KB_DOC_GOAL) | (1u << KB_DOC_VALUE) | (1u << KB_DOC_BEHAVIOUR);
    struct kb_doc_ref r;

    n = nterms ? kb_index_search(q->idx, terms, nterms, kinds, hits, 2) : 0;
    /* A goal or value named outright ("tell me about our care", "kindness?"). */
    if (n > 0 && hits[0].coverage >= 0.99 && !has_word(q, "when") &&
        !has_word(q, "who")) {
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
    for (size_t i = 0; i < q->n; i++) {
        for (size_t k = 0; clinical_prefixes[k] != NULL; k++) {
            const char *p = clinical_prefixes[k];

            if (strncmp(q->w[i].surface, p, strlen(p)) == 0)
                return true;
        }
    }
    return has_phrase(q, "self", "harm") || has_phrase(q, "side", "effects") ||
           has_phrase(q, "side", "effect");
}

bool
kb_engine_answer(struct kb_engine *e, const char *org, const char *question, size_t len,
                 struct kb_answer *a)
{
    struct query q;
    size_t terms[MAX_WORDS * 2], nterms, ki;
    char *clean;
    bool values_topic, goals_topic, injection;

    memset(a, 0, sizeof(*a));
    for (ki = 0; ki < kb_set_count(e->set); ki++) {
        if (strcmp(kb_set_get(e->set, ki)->org, org) == 0)
            break;
    }
    if (ki == kb_set_count(e->set))
        return false;
    q.kb = a->kb = kb_set_get(e->set, ki);
    q.idx = e->idx[ki];
    if (len > KB_QUESTION_MAX)
        len = utf8_truncate_len(question, KB_QUESTION_MAX);
    clean = strip_mentions(question, len);
    q.n = kb_text_words(e->text, clean, strlen(clean), q.w, MAX_WORDS);
    free(clean);
    correct_spelling(e, &q);
    mark_content(&q);
    nterms = content_terms(e, &q, terms, sizeof(terms) / sizeof(terms[0]));
    a->intent = KB_INTENT_OUT_OF_SCOPE;

    if (q.n == 0) {
        a->intent = KB_INTENT_HELP;
        a->answered = true;
        a->confidence = 1;
        return true;
    }
    if (is_clinical(&q)) {
        a->intent = KB_INTENT_CLINICAL;
        a->confidence = 1;
        return true;
    }
    injection = has_stem(&q, injection_stems) || strcmp(q.w[0].surface, "say") == 0 ||
                strcmp(q.w[0].surface, "post") == 0 || has_phrase(&q, "tell", "everyone");
    values_topic = has_stem(&q, values_stems) || has_phrase(&q, "stand", "for");
    goals_topic = has_stem(&q, goals_stems);
    if (!injection && smalltalk(&q, a)) {
        a->answered = true;
        a->confidence = 1;
        return true;
    }
    if ((has_phrase(&q, "how", "many") || has_phrase(&q, "number", "of")) &&
        (values_topic || goals_topic ||
         has_stem(&q, (const char *const[]){"ambit", NULL}))) {
        a->intent =
            goals_topic || !values_topic ? KB_INTENT_COUNT_GOALS : KB_INTENT_COUNT_VALUES;
        a->answered = true;
        a->confidence = 0.95;
        return true;
    }
    if (answer_statements(&q, a))
        return true;
    if (values_topic && goals_topic) {
        a->intent = KB_INTENT_SUMMARY;
        a->answered = true;
        a->confidence = 0.9;
        return true;
    }
    if (values_topic) {
        answer_values(e, &q, nterms, a);
        return true;
    }
    if (has_stem(&q, (const char *const[]){"ambit", NULL}) &&
        answer_ambitions(&q, terms, nterms, a))
        return true;
    if (goals_topic || has_stem(&q, (const char *const[]){"ambit", NULL})) {
        answer_goals(e, &q, terms, nterms, a);
        return true;
    }
    if (has_stem(&q, summary_stems) ||
        (nterms == 0 && has_stem(&q, (const char *const[]){"strategi", NULL})) ||
        (names_strategy(e, &q) && !has_word(&q, "when") && !has_word(&q, "who"))) {
        a->intent = KB_INTENT_SUMMARY;
        a->answered = true;
        a->confidence = 0.9;
        return true;
    }
    if (named_values(e, &q, a) > 0 && !has_word(&q, "when") && !has_word(&q, "who")) {
        a->intent = KB_INTENT_VALUE;
        a->answered = true;
        a->confidence = 0.85;
        return true;
    }
    if (injection || nterms == 0) {
        a->intent = KB_INTENT_OUT_OF_SCOPE;
        return true;
    }
    {
        size_t vi = 0, bi = 0;
        double frac;

        /* "what does accountable come under": a behaviour named, nothing else. */
        if (!has_unknown_content(terms, nterms) &&
            named_behaviour(e, &q, &vi, &bi, &frac) && frac >= 0.99 && nterms <= 2 &&
            !has_word(&q, "when") && !has_word(&q, "who")) {
            a->intent = KB_INTENT_VALUE_LOOKUP;
            a->answered = true;
            a->confidence = 0.85;
            add_ref(a, KB_DOC_BEHAVIOUR, vi, bi);
            return true;
        }
    }
    answer_open(e, &q, terms, nterms, a);
    return true;
}
