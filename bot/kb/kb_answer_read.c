/*
 * kb_answer_read.c - reading a message: markup, clauses, spelling, content.
 *
 * A question is split into words clause by clause (chatter around it marked
 * aside), typos are corrected against the topic lexicon and the KB's own
 * words, and each word is marked with the topic lists it is in and whether
 * it is content.  The topic lists are the generic vocabulary of strategy
 * documents, never a particular document's text.
 */
#include "bot/kb/kb_answer_int.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_index.h"
#include "bot/kb/kb_lex.h"
#include "bot/kb/kb_text.h"

#define TOPIC_SLOTS 512 /* a power of two, over twice the stems of all the lists */

/* -- topic vocabulary (stems) ------------------------------------------ */

static const char *const question_words[] = {"what",   "whats", "when", "whens", "where",
                                             "wheres", "who",   "whos", "whom",  "whose",
                                             "which",  "how",   "hows", "why",   NULL};

const char *const kbar_values_stems[] = {"valu",      "principl", "etho",
                                         "behaviour", "belief",   NULL};

const char *const kbar_goals_stems[] = {"goal",   "prioriti", "object", "aim", "pillar",
                                        "target", "theme",    "focus",  NULL};

/* Verbs that ask for the goals ("what are we prioritising", "trying to achieve"). */
const char *const kbar_goal_verbs[] = {"prioritis", "achiev", NULL};

const char *const kbar_summary_stems[] = {"summari", "summaris", "overview",
                                          "tldr",    "gist",     "nutshel",
                                          "recap",   "outlin",   NULL};

const char *const kbar_statement_stems[] = {"mission", "vision",   "purpos",
                                            "ambit",   "strategi", NULL};

/* Words that say what a question is about without naming anything in it. */
const char *const kbar_generic_stems[] = {
    "strategi", "plan",      "document", "overal",  "cover",    "stand",    "includ",
    "import",   "exact",     "word",     "wording", "name",     "call",     "current",
    "new",      "offici",    "big",      "top",     "mani",     "number",   "count",
    "total",    "describ",   "explain",  "detail",  "about",    "descript", "point",
    "level",    "state",     "set",      "agre",    "strateg",  "area",     "part",
    "fit",      "belong",    "talk",     "come",    "under",    "show",     "expect",
    "tri",      "live",      "put",      "go",      "somewher", "mention",  "bullet",
    "list",     "breakdown", "full",     "pls",     "plz",      "promis",   "offer",
    "page",     NULL};

/*
 * Phrases that try to give the bot orders; the bot never follows or echoes them.
 * Still an open-class list standing in for meanings the order reading has as
 * lexicon classes (kb_answer_order.c): ignoring (KBAWC_IGNORE), playing a part
 * (KBAWC_ROLE), saying again (KBAWC_SAY), the bot's set-up (KBAWC_SETUP).  Those
 * classes are wider ("tell", "forget", "key"), and a word of this list switches
 * off most answer steps (kb_answer.c's injection), so replacing it by them turns
 * answers into refusals; kept until each use is read by structure.
 */
const char *const kbar_injection_stems[] = {
    "ignor",    "disregard", "pretend", "jailbreak", "prompt",
    "instruct", "announc",   "repeat",  "roleplay",  NULL};

static const char *const lexicon[] = {
    "values",    "value",      "principles", "behaviours", "behaviour", "goals",
    "goal",      "priorities", "priority",   "objectives", "objective", "aims",
    "pillars",   "ambitions",  "ambition",   "mission",    "vision",    "purpose",
    "strategy",  "summary",    "summarise",  "overview",   "launched",  "launch",
    "strategic", "chief",      "executive",  "called",     "named",     "points",
    NULL};

/* -- question preparation ---------------------------------------------- */

/*
 * Removes platform markup from the question: Slack's <@U123>, <!channel>
 * and <#C1|name>, any @mention, and keeps the text of <url|text> links.
 */
char *
kbar_strip_mentions(const char *s, size_t len)
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
    switch (*p) { /* one test per byte of every question: no strchr() call */
    case ',':
    case ';':
    case ':':
    case '?':
    case '!':
    case '(':
    case ')':
    case '[':
    case ']':
        return 1;
    default:
        break;
    }
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

bool
kbar_is_question_word(const char *w)
{
    return in_list(w, question_words);
}

/* The words of a greeting ("good morning all"). */
const char *const kbar_greeting_words[] = {
    "hi", "hello", "hey",       "hiya", "morning", "good", "afternoon", "evening",
    "yo", "howdy", "greetings", "team", "there",   "all",  NULL};

/*
 * "hw many", "wat r our values", "hwo set them": a question word mistyped by
 * one letter (added, dropped, changed or swapped), unless it could be two.  Taken for
 * one only where a question word stands, the first word of its clause or
 * before a word that follows one ("many", "is", "r"), when English uses it
 * rarely or never and the KB not at all.  Returns the question word or NULL.
 */
static const char *
mistyped_question_word(const struct query *q, size_t i, bool first)
{
    static const char *const follow[] = {
        "many", "much", "long", "often", "is",    "are",  "was",  "were", "do",
        "does", "did",  "can",  "will",  "would", "r",    "u",    "our",  "the",
        "we",   "i",    "you",  "its",   "it",    "this", "they", NULL};
    static const char *const asked[] = {"what",  "when", "where", "who",
                                        "which", "how",  "why",   NULL};
    const char *w = q->w[i].surface, *fix = NULL;
    size_t n = strlen(w);

    /* Every question word starts "w" or "h": the cheap tests first (every word
     * of every question comes here). */
    if (n < 2 || n > 5 || (w[0] != 'w' && w[0] != 'h' && w[1] != 'w' && w[1] != 'h'))
        return NULL;
    if (kbar_is_question_word(w) ||
        (!first && (i + 1 >= q->n || !in_list(q->w[i + 1].surface, follow))))
        return NULL;
    for (size_t k = 0; asked[k] != NULL; k++) {
        const char *a = asked[k];

        /* "hwo" is "how" or "who": a word that could be either is neither. */
        if ((a[0] == w[0] || (a[0] == w[1] && a[1] == w[0])) &&
            kb_text_distance(w, a, 1) <= 1) {
            if (fix != NULL)
                return NULL;
            fix = a;
        }
    }
    if (fix == NULL || kb_text_is_stopword(w) || kb_lex_count(w) >= 5 ||
        kb_index_knows_word(q->idx, w))
        return NULL;
    return fix;
}

/*
 * Splits @s into words, clause by clause.  Staff wrap questions in
 * chatter ("was off sick during the launch, when was it"): when one
 * clause asks (has a question word), the words of the others are marked
 * aside, and a word there that the KB does not know is not held against
 * the answer.  "but" also starts a clause.
 */
void
kbar_split_clauses(struct kb_engine *e, const char *s, struct query *q)
{
    static const char *const aux[] = {"is",    "are",    "was",    "were",  "do",
                                      "does",  "did",    "can",    "could", "will",
                                      "would", "should", "has",    "have",  "isnt",
                                      "arent", "dont",   "doesnt", NULL};
    size_t clause[MAX_WORDS] = {0}, nclauses = 0, main = SIZE_MAX, qword = 0;
    size_t asked =
        SIZE_MAX; /* the last clause that ends in "?" or starts "is", "do"... */
    const char *p = s;
    bool hello_any = false;

    q->n = 0;
    while (*p && q->n < MAX_WORDS) {
        size_t len = 0, sep = 0, n;

        while (p[len] && (sep = separator_len(p + len)) == 0)
            len++;
        n = kb_text_words(e->text, p, len, q->w + q->n, MAX_WORDS - q->n);
        if (n > 0 && (p[len] == '?' || in_list(q->w[q->n].surface, aux)))
            asked = nclauses;
        for (size_t i = q->n; i < q->n + n; i++) {
            bool asks;

            q->clause_start[i] = i == q->n;
            q->n += n; /* the clause's words, for the word after @i */
            asks = kbar_is_question_word(q->w[i].surface) ||
                   mistyped_question_word(q, i, i == q->n - n) != NULL;
            q->n -= n;
            if (strcmp(q->w[i].surface, "but") == 0 && i > q->n)
                nclauses++;
            clause[i] = nclauses;
            if (asks && main != nclauses) {
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
     * A message without a greeting word has no such clause.
     */
    for (size_t i = 0; i < q->n && !hello_any; i++)
        hello_any = in_list(q->w[i].surface, kbar_greeting_words);
    for (size_t i = 0, start = 0; i <= q->n && hello_any; i++) {
        bool greet = true, hello = false;

        if (i < q->n && clause[i] == clause[start])
            continue;
        for (size_t k = start; k < i && greet; k++) {
            bool g = in_list(q->w[k].surface, kbar_greeting_words);

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

/* Is @w (folded) written all in capitals in @raw ("UTC", "EPR")? */
static bool
written_in_capitals(const char *raw, const char *w)
{
    size_t n = strlen(w);

    for (const char *p = raw; *p; p++) {
        bool caps = strncasecmp(p, w, n) == 0 &&
                    (p == raw || !isalnum((unsigned char)p[-1])) &&
                    !isalnum((unsigned char)p[n]);

        for (size_t k = 0; k < n && caps; k++)
            caps = isupper((unsigned char)p[k]) || isdigit((unsigned char)p[k]);
        if (caps)
            return true;
    }
    return false;
}

/*
 * The words of the KB whose initials spell the acronym @w ("utc": "urgent
 * treatment centre"): @n words in a row of one of its passages, none a stop
 * word.  Returns the passage's tokens and writes the first word's index to
 * *at, or NULL when no passage has them.
 */
static const struct tokens *
acronym_words(struct kb_engine *e, const struct kb *kb, const char *w, size_t *at)
{
    size_t n = strlen(w);

    for (size_t p = 0; p < kb->npassages; p++) {
        const struct tokens *t = kba_tokens(e, kb->passages[p].text);

        for (size_t i = 0; i + n <= t->n; i++) {
            size_t k = 0;

            while (k < n && t->w[i + k].surface[0] == w[k] &&
                   !kb_text_is_stopword(t->w[i + k].surface))
                k++;
            if (k == n) {
                *at = i;
                return t;
            }
        }
    }
    return NULL;
}

/*
 * "where's the new UTC going?", "the EPR objective": an acronym the KB never
 * uses, written in capitals, stands for the words of the KB whose initials
 * spell it ("urgent treatment centre"); they take its place in the question.
 */
static void
expand_acronyms(struct kb_engine *e, struct query *q)
{
    bool caps = false;

    /* Most questions hold no two capitals in a row: nothing to look up. */
    for (const char *p = q->raw; *p && !caps; p++)
        caps = isupper((unsigned char)p[0]) && isupper((unsigned char)p[1]);
    for (size_t i = 0; i < q->n && caps; i++) {
        const char *w = q->w[i].surface;
        size_t n = strlen(w), at = 0;
        const struct tokens *t;

        if (n < 2 || n > 5 || q->n + n - 1 > MAX_WORDS || kb_text_is_stopword(w) ||
            kb_index_knows_word(q->idx, w) || !written_in_capitals(q->raw, w) ||
            (t = acronym_words(e, q->kb, w, &at)) == NULL)
            continue;
        memmove(&q->w[i + n], &q->w[i + 1], (q->n - i - 1) * sizeof(q->w[0]));
        memmove(&q->aside[i + n], &q->aside[i + 1], (q->n - i - 1) * sizeof(q->aside[0]));
        memmove(&q->clause_start[i + n], &q->clause_start[i + 1],
                (q->n - i - 1) * sizeof(q->clause_start[0]));
        for (size_t k = 0; k < n; k++) {
            q->w[i + k] = t->w[at + k];
            q->aside[i + k] = q->aside[i];
            q->clause_start[i + k] = k == 0 && q->clause_start[i];
        }
        q->n += n - 1;
        i += n - 1;
    }
}

/* Corrects typos against the topic lexicon and the KB's own words, nothing else. */
void
kbar_correct_spelling(struct kb_engine *e, struct query *q)
{
    static const char *const follow_does[] = {
        "it",   "the",  "this", "that", "our",  "we",    "they", "a",
        "an",   "what", "why",  "how",  "when", "where", "who",  "which",
        "your", "my",   "its",  "he",   "she",  "you",   "i",    NULL};
    char buf[KB_WORD_MAX];

    expand_acronyms(e, q);
    /* "wat dose it say": "does", not a dose of anything. */
    for (size_t i = 0; i + 1 < q->n; i++) {
        if (strcmp(q->w[i].surface, "dose") == 0 &&
            in_list(q->w[i + 1].surface, follow_does))
            restem(e, &q->w[i], "does");
    }
    for (size_t i = 0; i < q->n; i++) {
        struct kb_word *w = &q->w[i];
        size_t n = strlen(w->surface), limit = n >= 9 ? 2 : 1;
        const char *fix = mistyped_question_word(q, i, q->clause_start[i]);
        bool stop, known;

        if (fix != NULL) {
            restem(e, w, fix);
            continue;
        }
        /* Each asked once: the word does not change until it is corrected. */
        stop = kb_text_is_stopword(w->surface);
        known = !stop && kb_index_knows_word(q->idx, w->surface);

        /*
         * "how many centres do we hav": a short word English does not have,
         * one letter short of a stop word, is that stop word.
         */
        if (n >= 3 && n <= 4 && !stop && !known &&
            (fix = kb_text_stopword_near(w->surface)) != NULL &&
            kb_lex_find(w->surface) == NULL) {
            restem(e, w, fix);
            continue;
        }
        /* "core vals pls", "how many gols": a topic word written short. */
        if (!stop && !known && !kb_index_has_term(q->idx, w->stem) &&
            (fix = kbaw_short_form(w->surface, lexicon)) != NULL) {
            restem(e, w, fix);
            continue;
        }
        if (n < 4 || isdigit((unsigned char)w->surface[0]) || stop ||
            in_list(w->surface, lexicon) || in_list(w->stem, kbar_goal_verbs) ||
            in_list(w->stem, kbar_goals_stems) || in_list(w->stem, kbar_values_stems) ||
            in_list(w->stem, kbar_summary_stems) || known ||
            kb_index_has_term(q->idx, w->stem))
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

const char *const kbar_ordinals[] = {"first", "second", "third",   "fourth",
                                     "fifth", "sixth",  "seventh", "eighth",
                                     "ninth", "tenth",  NULL};

static bool
is_ordinal(const char *w)
{
    return in_list(w, kbar_ordinals);
}

/* "2nd", "3rd", "21st": an ordinal in digits, which picks a goal as "second" does. */
static bool
is_digit_ordinal(const char *w)
{
    size_t n = strspn(w, "0123456789");

    return n > 0 && (strcmp(w + n, "st") == 0 || strcmp(w + n, "nd") == 0 ||
                     strcmp(w + n, "rd") == 0 || strcmp(w + n, "th") == 0);
}

bool
kbar_is_number_word(const char *w)
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
bool
kbar_names_org(const struct kb *kb, const char *w)
{
    const char *names[] = {kb->org, kb->short_name};

    for (size_t k = 0; k < 2; k++) {
        size_t n;

        /* The first letters first: most words are no name (folding only ever
         * makes two letters equal that are equal with the 0x20 bit set). */
        if ((w[0] | 0x20) != (names[k][0] | 0x20))
            continue;
        n = strlen(names[k]);
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
void
kbar_topics_build(struct kb_engine *e)
{
    static const struct {
        const char *const *list;
        unsigned flag;
    } lists[] = {{kbar_values_stems, W_VALUES},       {kbar_goals_stems, W_GOALS},
                 {kbar_goal_verbs, W_GOAL_VERB},      {kbar_summary_stems, W_SUMMARY},
                 {kbar_statement_stems, W_STATEMENT}, {kbar_injection_stems, W_INJECTION},
                 {kbar_generic_stems, W_GENERIC}};

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
unsigned
kbar_topic_flags(const struct kb_engine *e, const char *stem)
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
    t = kba_tokens(e, q->kb->goals_label);
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

void
kbar_mark_content(struct kb_engine *e, struct query *q)
{
    q->any = 0;
    q->cls_any = 0;
    for (size_t i = 0; i < q->n; i++) {
        const char *st = q->w[i].stem;
        unsigned f = 0;

        q->lex[i] = kb_lex_find(q->w[i].surface);
        q->cls[i] = kbawc_classes(e, &q->w[i]);
        q->cls_any |= q->cls[i];
        q->stop[i] = (q->cls[i] & KBAWC_STOP) != 0;
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
        f = is_compound_head(q, i) ? 0 : kbar_topic_flags(e, st);
        if (f == 0 && is_goals_label(e, q, i))
            f = W_GOALS;
        q->flags[i] = f;
        q->any |= f;

        /*
         * The organisation's own name ("tewv's" too) says nothing about what
         * is asked; nor does a single letter ("what r the values"), nor a
         * number word, which kbam_goal_number() reads.
         */
        if (kbar_names_org(q->kb, q->w[i].surface) || q->w[i].surface[1] == '\0' ||
            (i > 0 && strcmp(q->w[i - 1].surface, "how") == 0) ||
            (i + 1 < q->n && strcmp(q->w[i + 1].surface, "of") == 0 &&
             (strcmp(q->w[i].surface, "kind") == 0 ||
              strcmp(q->w[i].surface, "sort") == 0)) ||
            kbar_is_number_word(q->w[i].surface) || is_ordinal(q->w[i].surface)) {
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
size_t
kbar_content_terms(struct query *q, size_t *terms, size_t max)
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
         * A number that picks a goal ("goal 2") is read by kbam_goal_number();
         * any other ("2027", "17 times 23") is a word to find.
         */
        if (q->content[i] ||
            (isdigit((unsigned char)q->w[i].surface[0]) &&
             ((strlen(q->w[i].surface) >= 3 && !is_digit_ordinal(q->w[i].surface)) ||
              kbam_goal_number(q) == 0))) {
            size_t id = kb_index_term(q->idx, q->w[i].stem);

            if (!q->aside[i] || (id != KB_INDEX_UNKNOWN && !main_content)) {
                q->term_word[n] = i;
                terms[n++] = id;
            }
        }
    }
    return n;
}

/* Does @s hold @w (folded) at the start of one of its words, ignoring case? */
bool
kbar_contains_word(const char *s, const char *w)
{
    size_t n = strlen(w);

    for (const char *p = s; *p; p++) {
        if ((p == s || !isalnum((unsigned char)p[-1])) && strncasecmp(p, w, n) == 0)
            return true;
    }
    return false;
}
