/*
 * kb_answer_scope.c - what the bot declines or answers without content:
 * small talk, clinical questions, requests to change or invent content,
 * other organisations, quoted premises that are not ours, counts that are
 * not ours, and requests for a digest of the whole strategy.
 */
#include "bot/kb/kb_answer_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_index.h"
#include "bot/kb/kb_lex.h"
#include "bot/kb/kb_set.h"
#include "bot/kb/kb_text.h"

/* A quoted phrase this long that the KB nowhere has is someone else's (dev parts: 2, 3,
 * 4). */
#define QUOTE_MIN_WORDS 4

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

/* -- small talk -------------------------------------------------------- */

/* Are all the words of @q stop words or of class @cls (KBAWC_*), and *@any of it? */
static bool
only_words_from(const struct query *q, unsigned cls, bool *any)
{
    *any = false;
    for (size_t i = 0; i < q->n; i++) {
        if (q->cls[i] & cls)
            *any = true;
        else if (!q->stop[i])
            return false;
    }
    return true;
}

const char *const kbas_thanks_words[] = {
    "thanks",      "thank",   "cheers", "ta",      "thx",  "great", "brilliant",
    "perfect",     "helpful", "lovely", "awesome", "nice", "cool",  "much",
    "appreciated", "good",    "bye",    "goodbye", NULL};

/*
 * "should we say thank you?", "when do I say thanks": a question about
 * thanking, the word of thanks after a verb of saying in a message opened by
 * a question word or an asking auxiliary.  "I
 * wanted to say thank you" thanks.
 */
static bool
asks_about_thanks(const struct query *q)
{
    static const char *const askers[] = {"should", "shall", "must",  "do",   "does",
                                         "did",    "ought", "when",  "why",  "how",
                                         "who",    "where", "which", "what", NULL};
    size_t first = 0;

    while (first < q->n && (q->cls[first] & KBAWC_GREETING))
        first++;
    if (first >= q->n || !in_list(q->w[first].surface, askers))
        return false;
    for (size_t i = first + 1; i + 1 < q->n; i++) {
        if ((q->cls[i] & KBAWC_SAY) && (q->cls[i + 1] & KBAWC_THANKS))
            return true;
    }
    return false;
}

bool
kbas_smalltalk(const struct query *q, struct kb_answer *a)
{
    bool any;

    if (has_word(q, "help") || has_phrase(q, "can", "you") ||
        has_phrase(q, "you", "do") || has_phrase(q, "who", "are") ||
        has_phrase(q, "what", "are") || has_phrase(q, "can", "i")) {
        bool content = false;

        for (size_t i = 0; i < q->n; i++)
            content = content || (q->content[i] && strcmp(q->w[i].surface, "help") != 0);
        if (!content && !has_stem(q, kbar_values_stems) &&
            !has_stem(q, kbar_goals_stems) && !has_stem(q, kbar_summary_stems) &&
            !has_stem(q, kbar_statement_stems) &&
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
    if (!(q->cls_any & (KBAWC_GREETING | KBAWC_THANKS)))
        return false; /* neither a greeting nor thanks in it */
    if (only_words_from(q, KBAWC_GREETING, &any) && any) {
        a->intent = KB_INTENT_GREETING;
        return true;
    }
    if (only_words_from(q, KBAWC_THANKS, &any) && any && !asks_about_thanks(q) &&
        (has_word(q, "thanks") || has_word(q, "thank") || has_word(q, "cheers") ||
         has_word(q, "ta") || has_word(q, "thx") || has_word(q, "bye") ||
         has_word(q, "goodbye") || has_word(q, "appreciated"))) {
        a->intent = KB_INTENT_THANKS;
        return true;
    }
    return false;
}

bool
kbas_is_clinical_word(const struct kb_word *w)
{
    /*
     * Entries of six letters or more are word prefixes ("antidepress");
     * shorter ones must be the whole word or its stem, so that "pillars"
     * is not a "pill" and "marks" not an "mg".
     */
    for (size_t k = 0; clinical_prefixes[k] != NULL; k++) {
        const char *p = clinical_prefixes[k];
        size_t n;

        if (w->surface[0] != p[0])
            continue;
        n = strlen(p);
        if (n >= 6 ? strncmp(w->surface, p, n) == 0
                   : strcmp(w->surface, p) == 0 || strcmp(w->stem, p) == 0)
            return true;
    }
    return false;
}

bool
kbas_is_clinical(const struct query *q)
{
    /* Each word's own test was made once, by kbawc_classes().  "which priority
     * covers infections" asks where a topic sits in the strategy. */
    return ((q->cls_any & KBAWC_CLINICAL) || has_phrase(q, "self", "harm") ||
            has_phrase(q, "side", "effects") || has_phrase(q, "side", "effect")) &&
           !kbawi_asks_for_part(q);
}

/* -- requests to change content, other organisations, digests --------- */

/* Words that name a part of the strategy ("values", "goal", "mission"). */
static bool
is_topic_word(const struct kb_word *w)
{
    return in_list(w->stem, kbar_values_stems) || in_list(w->stem, kbar_goals_stems) ||
           strcmp(w->stem, "mission") == 0 || strcmp(w->stem, "vision") == 0 ||
           strcmp(w->stem, "purpos") == 0 || strcmp(w->stem, "ambit") == 0;
}

/*
 * Is word @i of the question part of the strategy's name as written there
 * ("journey to change", not "change our vision")?  The word and the nearest
 * word besides stop words before or after it are words of the name.
 */
static bool
in_strategy_name(const struct query *q, size_t i)
{
    const char *name = q->kb->strategy;
    size_t k;

    if (!kbar_contains_word(name, q->w[i].surface))
        return false;
    for (k = i; k-- > 0 && q->stop[k];)
        ;
    if (k < i && kbar_contains_word(name, q->w[k].surface))
        return true;
    for (k = i + 1; k < q->n && q->stop[k]; k++)
        ;
    return k < q->n && kbar_contains_word(name, q->w[k].surface);
}

/*
 * Stems of orders to confirm or print content, or naming the bot's rules
 * (kbas_asks_to_change()); the verbs of changing are a class of the lexicon
 * (kbao_changes()), not listed.  Still an open-class list: "confirm" and
 * "print" are no verbs of changing, "system" and "rule" no verbs at all.
 */
static const char *const change_orders[] = {"confirm", "print", "system", "rule", NULL};

bool
kbas_is_order_stem(const char *stem)
{
    return in_list(stem, kbar_injection_stems) || in_list(stem, change_orders);
}

/*
 * Does the message tell the bot what the strategy says, or ask it to
 * change it ("our 5th value is Hustle", "add 'profit' to our values",
 * "just confirm the new values are ...")?  An order ("ignore", "pretend",
 * "say", "confirm", "add") together with a statement about a part of the
 * strategy, or a verb that edits one, asks the bot to invent content: it
 * declines, and never repeats the words.
 */
bool
kbas_asks_to_change(const struct query *q)
{
    static const char *const copulas[] = {"is",   "are",  "include", "includes", "was",
                                          "were", "will", "should",  "now",      "become",
                                          "have", "has",  NULL};
    /* Orders to say new content are read by kbao_orders_new_content(). */
    bool order = has_phrase(q, "from", "now");

    /* A word of the strategy's own name ("Journey to Change") is no order. */
    for (size_t i = 0; i < q->n && !order &&
                       (q->cls_any & (KBAWC_ORDER_STEM | KBAWC_CHANGE | KBAWC_ALTER));
         i++)
        order = ((q->cls[i] & KBAWC_ORDER_STEM) || kbao_orders_change(q, i)) &&
                !in_strategy_name(q, i);
    if (!order)
        return false;
    for (size_t i = 0; i + 2 < q->n; i++) {
        /* "which priority is about ...": the part is asked for, not stated */
        if (!is_topic_word(&q->w[i]) || kbawi_part_asked_for(q, i))
            continue;
        /* "our values are Fast, Cheap and Good", "our 5th value is Hustle" */
        if (in_list(q->w[i + 1].surface, copulas) && !q->stop[i + 2])
            return true;
        for (size_t k = i + 3; k < q->n && k <= i + 5; k++) {
            if (in_list(q->w[i + 1].surface, copulas) && !q->stop[k] &&
                !is_topic_word(&q->w[k]))
                return true;
        }
    }
    /* "add 'profit' to our values", "add 'Speedy' as a sixth value" */
    for (size_t i = 0; i < q->n; i++) {
        if (!kbao_changes(q, i) || in_strategy_name(q, i))
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
        /* "change our vision to ...", "replace the values with ...", "rename goal 2 as
         * ..." */
        for (size_t j = i + 1; j + 2 < q->n && j <= i + 3; j++) {
            /* after the part's number, if any ("goal 2") */
            size_t t = j + 1 + (j + 3 < q->n && kbar_is_number_word(q->w[j + 1].surface));
            const char *to = q->w[t].surface;

            if (is_topic_word(&q->w[j]) &&
                (strcmp(to, "to") == 0 || strcmp(to, "into") == 0 ||
                 strcmp(to, "with") == 0 || strcmp(to, "as") == 0))
                return true;
        }
    }
    return false;
}

/* Any word that gives the bot an order or edits content ("add", "ignore", "say")? */
bool
kbas_injection_words(const struct query *q)
{
    /* Kept as a table: the verb class here (any verb of altering, addressed or not)
     * cost answers ("how do we grow confidence" lost its section). */
    static const char *const edits[] = {"add",   "chang", "replac",  "remov", "renam",
                                        "updat", "delet", "confirm", NULL};

    return has_stem(q, kbar_injection_stems) || has_stem(q, edits) ||
           strcmp(q->w[0].surface, "say") == 0 || has_phrase(q, "say", "that");
}

/*
 * Does @raw hold a word in capitals (three to ten letters) that the initials of
 * the values spell, in order ("SHINE": Safe, Honest, Inclusive, Nurturing,
 * Excellent)?
 */
bool
kbas_names_value_acronym(const struct kb *kb, const char *raw)
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
    /* the possessive as folded ("trust's": "trusts") */
    static const char *const owners[] = {"trusts", "boards", "icbs", "councils", NULL};

    static const char *const nouns[] = {"trust",    "nhs", "hospital",   "hospitals",
                                        "board",    "ft",  "foundation", "service",
                                        "services", "icb", "council",    "ccg",
                                        "ics",      "icp", "pcn",        NULL};

    return in_list(surface, nouns) || in_list(surface, owners);
}

/* Is the word in the KB, in the organisation's own names, or a word of no content? */
static bool
word_is_ours(const struct query *q, const struct kb_word *w)
{
    return kb_text_is_stopword(w->surface) || kb_index_knows_word(q->idx, w->surface) ||
           kb_index_term(q->idx, w->stem) != KB_INDEX_UNKNOWN ||
           kbar_names_org(q->kb, w->surface) || in_list(w->stem, kbar_generic_stems) ||
           is_topic_word(w) || kbar_is_number_word(w->surface) ||
           kbar_contains_word(q->kb->name, w->surface) ||
           kbar_contains_word(q->kb->short_name, w->surface) ||
           kbar_contains_word(q->kb->strategy, w->surface);
}

bool
kbas_word_is_ours(const struct query *q, const struct kb_word *w)
{
    return word_is_ours(q, w);
}

/* Is the word @w (folded) written with a capital at one of its places in @raw? */
static bool
written_capitalised(const char *raw, const char *w)
{
    size_t n = strlen(w);

    for (const char *p = raw; *p; p++) {
        if ((p == raw || !isalnum((unsigned char)p[-1])) && strncasecmp(p, w, n) == 0 &&
            !isalnum((unsigned char)p[n]) && isupper((unsigned char)*p))
            return true;
    }
    return false;
}

/*
 * Does the question ask about another organisation ("what are Penmarrow
 * Coastal Mental Health's values?", "the values of coventry and
 * warwickshire partnership trust")?  A name the KB has never heard of,
 * written as a possessive before a part of the strategy or as the words
 * before an organisation noun, is someone else's; answering with ours
 * would be confidently wrong.
 */
bool
kbas_names_other_org(const struct query *q, const char *raw)
{
    if (kbanm_names_other_possessive(q, raw) || kbanm_names_other_of(q))
        return true; /* "what is nwas's vision", "the vision of the royal free" */
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
    /*
     * "... coventry and warwickshire partnership trust"; or one word before
     * the noun that is a name, written in capitals and no English word
     * ("the values of Harrowdale Community Health trust").
     */
    for (size_t i = 1; i < q->n; i++) {
        size_t unknown = 0, run = i;
        bool name = false;

        if (!is_org_noun(q->w[i].surface))
            continue;
        /* the name's own words before the noun ("kelmscott and fold community") */
        while (run > 0 &&
               (!q->stop[run - 1] || strcmp(q->w[run - 1].surface, "and") == 0))
            run--;
        for (size_t k = i >= 5 ? i - 5 : 0; k < i; k++) {
            if (word_is_ours(q, &q->w[k]) || q->aside[k])
                continue;
            unknown++;
            /* no English word: capitalised, or in lower case within the name */
            name = name || (q->lex[k] == NULL &&
                            (k >= run || written_capitalised(raw, q->w[k].surface)));
        }
        if (unknown >= 2 || name)
            return true;
    }
    /*
     * "what does NHS Strathbrennan value", "what does Harrowdale prioritise":
     * a name (capitalised, no English word, none of ours) after "NHS", or as
     * the subject of "does", "do", "did".
     */
    for (size_t i = 1; i < q->n; i++) {
        const char *before = q->w[i - 1].surface;

        /* The cheap tests first: every question comes here. */
        if (!(strcmp(before, "nhs") == 0 || strcmp(before, "does") == 0 ||
              strcmp(before, "do") == 0 || strcmp(before, "did") == 0) ||
            q->aside[i] || strlen(q->w[i].surface) < 4 ||
            !written_capitalised(raw, q->w[i].surface) || word_is_ours(q, &q->w[i]) ||
            q->lex[i] != NULL)
            continue;
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
    const struct tokens *t = kba_tokens(e, name);

    for (size_t i = 0; i < q->n; i++) {
        for (size_t j = 0; j < t->n; j++) {
            size_t qi = i, tj = j, run = 0;
            bool foreign = false;

            /* A start on a stop word (either side) reads as the start after
             * it, and one on two stems that differ reads no run: only the
             * starts on a pair of equal stems need the walk. */
            if (q->stop[i] || t->stop[j] || q->w[i].stem[0] != t->w[j].stem[0])
                continue;
            while (qi < q->n && tj < t->n) {
                if (q->stop[qi]) {
                    qi++;
                    continue;
                }
                if (t->stop[tj]) {
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
bool
kbas_names_loaded_org(struct kb_engine *e, const struct query *q)
{
    for (size_t k = 0; k < kb_set_count(e->set); k++) {
        const struct kb *o = kb_set_get(e->set, k);

        if (o == q->kb)
            continue;
        for (size_t i = 0; i < q->n && o->short_name[0] != '\0'; i++) {
            if (strlen(o->short_name) >= 3 && kbar_names_org(o, q->w[i].surface) &&
                !word_is_ours(q, &q->w[i]))
                return true;
        }
        if (says_name(e, q, o->name) || says_name(e, q, o->strategy))
            return true;
        /* "the coventry trust": one word of its name, none of ours, before a noun of one.
         */
        for (size_t i = 1; i < q->n; i++) {
            const struct kb_word *w = &q->w[i - 1];

            if (is_org_noun(q->w[i].surface) && !q->aside[i - 1] &&
                strlen(w->surface) >= 4 && !is_org_noun(w->surface) &&
                kbar_contains_word(o->name, w->surface) && !word_is_ours(q, w))
                return true;
        }
    }
    return false;
}

bool
kbas_text_has_run(struct kb_engine *e, const char *text, const struct kb_word *w,
                  size_t n)
{
    const struct tokens *t = kba_tokens(e, text);

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
        if (kbas_text_has_run(e, fixed[i], w, n))
            return true;
    }
    for (size_t i = 0; i < kb->ngoals; i++) {
        const struct kb_goal *g = &kb->goals[i];

        if (kbas_text_has_run(e, g->title, w, n) ||
            kbas_text_has_run(e, g->description, w, n))
            return true;
        for (size_t k = 0; k < g->npoints; k++) {
            if (kbas_text_has_run(e, g->points[k].text, w, n))
                return true;
        }
    }
    for (size_t i = 0; i < kb->nvalues; i++) {
        const struct kb_value *v = &kb->values[i];

        if (kbas_text_has_run(e, v->name, w, n) ||
            kbas_text_has_run(e, v->description, w, n))
            return true;
        for (size_t k = 0; k < v->nbehaviours; k++) {
            if (kbas_text_has_run(e, v->behaviours[k].text, w, n))
                return true;
        }
    }
    for (size_t i = 0; i < kb->nambitions; i++) {
        if (kbas_text_has_run(e, kb->ambitions[i].title, w, n) ||
            kbas_text_has_run(e, kb->ambitions[i].text, w, n))
            return true;
    }
    for (size_t i = 0; i < kb->npassages; i++) {
        if (kbas_text_has_run(e, kb->passages[i].text, w, n) ||
            kbas_text_has_run(e, kb->passages[i].section, w, n))
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
bool
kbas_quotes_unknown_phrase(struct kb_engine *e, const struct query *q, const char *raw)
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
int
kbas_count_premise(const struct query *q)
{
    unsigned v;
    int kind = kbas_count_named(q, &v);

    if (kind == 1)
        return q->kb->nvalues > 0 && v != q->kb->nvalues ? 1 : 0;
    if (kind == 2)
        return q->kb->ngoals > 0 && v != q->kb->ngoals ? 2 : 0;
    return 0;
}

int
kbas_count_named(const struct query *q, unsigned *count)
{
    static const char *const words[] = {"two",   "three", "four", "five", "six",
                                        "seven", "eight", "nine", "ten",  NULL};
    static const char *const between[] = {
        "core",      "strategic",      "trust", "main",  "key", "big",
        "corporate", "organisational", "well",  "being", "our", NULL};

    if (!(q->cls_any & KBAWC_NUMBER))
        return 0; /* no digit nor number word */
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
        *count = (unsigned)v;
        if (in_list(q->w[k].stem, kbar_values_stems) && strcmp(q->w[k].stem, "valu") == 0)
            return 1;
        if (in_list(q->w[k].stem, kbar_goals_stems))
            return 2;
    }
    return 0;
}

/*
 * Does the message ask for the whole strategy at once ("tl;dr", "give me
 * everything", "mission, vision and values in one go", "the whole strategy
 * on one page")?  Three parts named together, or a digest phrase.
 */
bool
kbas_asks_for_digest(const struct query *q)
{
    static const char *const pairs[][2] = {
        {"tl", "dr"},      {"sum", "up"},   {"whole", "strategy"}, {"one", "page"},
        {"key", "points"}, {"in", "brief"}, {"short", "version"},  {"in", "short"},
    };
    unsigned parts = 0; /* bits: values, goals, mission, vision, ambition or purpose */
    bool everything = false, one_go = false;

    /* One pass over the words (this runs for every question). */
    for (size_t i = 0; i < q->n; i++) {
        const char *sf = q->w[i].surface, *next;
        unsigned c = q->cls[i];

        if (c & KBAWC_VALUES_STEM)
            parts |= 1;
        else if (c & KBAWC_GOALS_STEM)
            parts |= 2;
        else if (c & KBAWC_MISSION)
            parts |= 4;
        else if (c & KBAWC_VISION)
            parts |= 8;
        else if (c & KBAWC_AMBITION)
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
    return (everything && (parts != 0 || has_stem(q, kbar_statement_stems))) ||
           (one_go && parts);
}
