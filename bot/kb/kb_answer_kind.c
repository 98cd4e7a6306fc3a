/*
 * kb_answer_kind.c - the kind of answer a question wants and whether a
 * passage gives it: who (a name), when (a date), where (a place), how many
 * (a number of the thing asked), how much (an amount), why (a reason).
 * What a passage's text gives (a date, an amount, a name, a place...) is
 * read in kb_answer_kind_text.c; the two share the kbak_ prefix.
 */
#include "bot/kb/kb_answer_int.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "bot/kb/kb_lex.h"
#include "bot/kb/kb_text.h"

/*
 * A passage without the place a "where" asks for counts this share.  Fitted on
 * the dev parts (0.55 and 0.45 tried); the same rule for "which <things>"
 * wanting names was tried and dropped.
 */
#define WHERE_MISS 0.45
/*
 * A passage naming nobody but the post asked about ("who is our chief
 * executive": "the Ask the Chief Executive sessions") counts this share: as a
 * missing place (WHERE_MISS), below the threshold alone.
 */
#define POST_MISS 0.45
/* A passage giving no reason counts this share for a "why". */
#define WHY_MISS 0.8

/*
 * "what percentage of staff", "what proportion", "what %": a share, which a
 * passage gives as a per cent or a fraction (kbak_text_has_fraction()).
 */
static bool
asks_share(const struct query *q)
{
    static const char *const nouns[] = {"percentage", "percent", "proportion", "fraction",
                                        NULL};

    for (size_t i = 0; i + 1 < q->n; i++) {
        const char *n = q->w[i + 1].surface;

        if ((n[0] == 'p' || n[0] == 'f') && in_list(n, nouns) &&
            (strcmp(q->w[i].surface, "what") == 0 ||
             strcmp(q->w[i].surface, "which") == 0))
            return true;
    }
    /* "what % of", written with the sign: the tokeniser keeps no "%". */
    return q->raw != NULL && strchr(q->raw, '%') != NULL &&
           (strstr(q->raw, "what %") != NULL || strstr(q->raw, "What %") != NULL);
}

/*
 * "which partner organisations ...", "which site ...": the question wants the
 * things named.  The word after a leading "which", or NULL.
 */
const struct kb_word *
kbak_which_thing(const struct query *q)
{
    for (size_t i = 0; i + 1 < q->n; i++) {
        if (q->aside[i] || !(q->cls[i] & KBAWC_QWORD))
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
    const struct kb_word *thing = kbak_which_thing(q);

    if (thing == NULL || kbak_text_names_some(passage))
        return false;
    for (size_t k = 0; k < pt->n; k++) {
        if (strcmp(pt->w[k].stem, thing->stem) == 0)
            return true;
    }
    return false;
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
bool
kbak_counts_thing(const struct query *q, const struct tokens *pt)
{
    size_t first = SIZE_MAX;

    for (size_t i = 0; i + 2 < q->n && first == SIZE_MAX; i++) {
        if (strcmp(q->w[i].surface, "how") != 0 ||
            strcmp(q->w[i + 1].surface, "many") != 0)
            continue;
        for (size_t k = i + 2; k < q->n && first == SIZE_MAX; k++) {
            if (!q->stop[k])
                first = k;
        }
    }
    if (first == SIZE_MAX)
        return false;
    if (counts_one(&q->w[first], pt))
        return true;
    for (size_t k = first + 1; k < q->n && !q->stop[k]; k++) {
        const struct kb_lex_word *lw = q->lex[k];

        if ((lw == NULL || lw->noun >= 50) && counts_one(&q->w[k], pt))
            return true;
    }
    return false;
}

/* Does a number come at most four words before @thing in @pt (see kbak_counts_thing())?
 */
static bool
counts_one(const struct kb_word *thing, const struct tokens *pt)
{
    bool people = is_everyone_word(thing);

    for (size_t k = 0; k < pt->n; k++) {
        /* Under another name, the number is the people's own: "1,240 colleagues",
         * "2,140 local people", not "six of its sites ... for colleagues". */
        if (people && strcmp(pt->w[k].stem, thing->stem) != 0) {
            if (is_people_token(&pt->w[k]) &&
                ((k >= 1 && kbar_is_number_word(pt->w[k - 1].surface)) ||
                 (k >= 2 && kbar_is_number_word(pt->w[k - 2].surface) &&
                  !is_people_token(&pt->w[k - 1]))))
                return true;
            continue;
        }
        /* A place under another name: "how many locations": "six of its sites". */
        if (strcmp(pt->w[k].stem, thing->stem) != 0 &&
            !(kbapl_is_place_noun(thing->surface) &&
              kbapl_is_place_noun(pt->w[k].surface)))
            continue;
        for (size_t j = k > 4 ? k - 4 : 0; j < k; j++) {
            if (kbar_is_number_word(pt->w[j].surface))
                return true;
        }
    }
    return false;
}

/*
 * Which of @terms is the people a "how many" question counts ("how many
 * people", "how many ppl"); @nterms when none.
 */
size_t
kbak_people_count_term(const struct query *q, size_t nterms)
{
    for (size_t i = 0; i + 2 < q->n; i++) {
        if (strcmp(q->w[i].surface, "how") != 0 ||
            strcmp(q->w[i + 1].surface, "many") != 0)
            continue;
        for (size_t k = i + 2; k < q->n; k++) {
            if (q->stop[k])
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
const char *
kbak_first_question_word(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        if (!q->aside[i] && (q->cls[i] & KBAWC_QWORD))
            return q->w[i].surface;
    }
    return "";
}

/*
 * Is "who" the question ("who set our values?"), not a relative pronoun
 * ("what will people who use our services experience")?  The first question
 * word of the asking clause decides.
 */
bool
kbak_asks_who(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        if (!q->aside[i] && (q->cls[i] & KBAWC_QWORD))
            return strcmp(q->w[i].surface, "who") == 0 ||
                   strcmp(q->w[i].surface, "whos") == 0;
    }
    return false;
}

/*
 * The noun the asking "what" or "which" is about: the head (last word) of the
 * first phrase after it ("what year", "what's the date of the launch", "which
 * is the day", not "this year's objectives"); SIZE_MAX when the question asks
 * with another word.
 */
size_t
kbak_asked_noun(const struct query *q)
{
    for (size_t i = 0; i < q->n; i++) {
        const char *w = q->w[i].surface;

        if (q->aside[i] || !(q->cls[i] & KBAWC_QWORD))
            continue;
        if (strcmp(w, "what") != 0 && strcmp(w, "whats") != 0 && strcmp(w, "which") != 0)
            return SIZE_MAX;
        for (size_t k = i + 1; k < q->n && !q->aside[k]; k++) {
            if (q->stop[k])
                continue;
            /* The phrase's head, its last word: "this year's corporate objectives". */
            while (k + 1 < q->n && !q->stop[k + 1] && !q->aside[k + 1])
                k++;
            return k;
        }
        return SIZE_MAX;
    }
    return SIZE_MAX;
}

/* Is the asked noun (asked_noun()) one of @nouns? */
static bool
asks_noun(const struct query *q, const char *const *nouns)
{
    size_t k = kbak_asked_noun(q);

    return k != SIZE_MAX && in_list(q->w[k].surface, nouns);
}

static const char *const year_nouns[] = {"year", "years", NULL};
static const char *const day_nouns[] = {"day", NULL};
static const char *const date_nouns[] = {"date", "dates", "year", "years",
                                         "day",  "month", NULL};

/*
 * Does the question ask for a date ("when", "what year")?  Not "where": "where
 * can i find our values?" wants the values.
 */
bool
kbak_asks_when_where(const struct query *q)
{
    /* The first question word decides: "which value is about noticing when ..." is no
     * "when". */
    for (size_t i = 0; i < q->n; i++) {
        const char *w = q->w[i].surface;

        if (q->aside[i] || !(q->cls[i] & KBAWC_QWORD))
            continue;
        if (strcmp(w, "what") == 0 || strcmp(w, "whats") == 0 || strcmp(w, "which") == 0)
            return asks_noun(q, (const char *const[]){"year", "date", "dates", NULL});
        return strcmp(w, "when") == 0 || strcmp(w, "whens") == 0;
    }
    return false;
}

/*
 * Does "how many" count something other than the values, the goals or the
 * ambitions ("how many listening events did we hold for the values", "how
 * many colleagues were involved")?  Its noun phrase (see kbak_counts_thing())
 * holds no topic word nor a generic one ("points"); "how many are there" counts
 * what the question is about.
 */
bool
kbak_counts_other_thing(const struct query *q)
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
bool
kbak_asks_for_type(const struct query *q)
{
    return has_word(q, "who") || has_word(q, "whos") || has_word(q, "when") ||
           has_word(q, "whens") || has_phrase(q, "how", "many") ||
           has_phrase(q, "how", "much") || has_phrase(q, "how", "long") ||
           asks_share(q) || strcmp(kbak_first_question_word(q), "why") == 0;
}

/*
 * Is the capitalised word at @p (up to a space or the end) one of the
 * question's own words, or one of them written out ("Exec" for "executive")?
 */
bool
kbak_is_question_own(const struct query *q, const char *p)
{
    char word[KB_WORD_MAX];
    size_t n = 0;

    while (isalpha((unsigned char)p[n]) && n + 1 < sizeof(word)) {
        word[n] = (char)tolower((unsigned char)p[n]);
        n++;
    }
    word[n] = '\0';
    for (size_t i = 0; i < q->n && n > 0; i++) {
        size_t m = strlen(q->w[i].surface);

        if (strcmp(q->w[i].surface, word) == 0 ||
            (m >= 4 && m < n && strncmp(q->w[i].surface, word, m) == 0))
            return true;
    }
    return false;
}

/*
 * Does the question ask for the holder of a post ("who is our chief
 * executive", "whos the chair", "what's the name of the medical director"):
 * the noun phrase after "who is" or "name of" ends in a word WordNet calls a
 * person, not a group ("staff", "patients")?  A group of people in a passage
 * then does not answer it; a name does.
 */
static bool
asks_post_holder(const struct query *q)
{
    static const char *const skip[] = {"is", "was",  "are", "s",    "will",
                                       "be", "the",  "our", "a",    "an",
                                       "my", "your", "of",  "name", NULL};
    size_t i = 0, head = SIZE_MAX;
    const struct kb_lex_word *lw;

    while (i < q->n && (q->aside[i] || !(q->cls[i] & KBAWC_QWORD)))
        i++;
    if (i >= q->n)
        return false;
    if (strcmp(q->w[i].surface, "what") == 0 || strcmp(q->w[i].surface, "whats") == 0) {
        while (i < q->n && strcmp(q->w[i].surface, "name") != 0)
            i++;
    }
    for (i++; i < q->n && in_list(q->w[i].surface, skip); i++)
        ;
    for (; i < q->n && q->content[i] && !q->aside[i]; i++)
        head = i;
    if (head == SIZE_MAX || is_people_token(&q->w[head]))
        return false;
    lw = q->lex[head];
    return lw != NULL && (lw->cls & KB_LEX_PERSON) && lw->noun >= 50;
}

/*
 * "year" in "what year", "date" in "which date": the kind of fact asked for
 * (as "when" is), no word a passage must hold ("in 2022" answers it).
 */
bool
kbak_is_type_noun(const struct query *q, size_t i)
{
    static const char *const nouns[] = {"year",       "years",    "date",       "dates",
                                        "day",        "month",    "percentage", "percent",
                                        "proportion", "fraction", NULL};

    /*
     * "when is the unit due?", "when will it be ready?": in a "when", a word
     * that only restates the time asked for; the date answers it.
     */
    static const char *const timing[] = {
        "due",     "expected", "scheduled", "ready",         "happen", "happening",
        "happens", "likely",   "roughly",   "approximately", NULL};

    if (i >= q->n || i >= MAX_WORDS)
        return false;
    if (kbamt_is_sum_noun(q, i))
        return true;
    if (strchr("dehlrsa", q->w[i].surface[0]) != NULL &&
        in_list(q->w[i].surface, timing) && kbak_asks_when_where(q))
        return true;
    if (i == 0)
        return false;
    /* "what day of the week": the week is the kind of day asked for. */
    if (strcmp(q->w[i].surface, "week") == 0 && i >= 3 &&
        strcmp(q->w[i - 1].surface, "the") == 0 &&
        strcmp(q->w[i - 2].surface, "of") == 0 && strcmp(q->w[i - 3].surface, "day") == 0)
        return true;
    /* "what year", "what's the date of the launch": the noun the "what" asks about. */
    return in_list(q->w[i].surface, nouns) && kbak_asked_noun(q) == i;
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
double
kbak_type_factor(struct kb_engine *e, const struct query *q, const char *passage)
{
    const char *qw = kbak_first_question_word(q);

    /* "the link to the video", "the url": a web address, not a sentence about it. */
    if (asks_address(q))
        return kbak_text_has_address(passage) ? 1.0 : 0.45;
    /* A month, a sum of money, or a line pointing at a document (kb_answer_grain.c). */
    double grain = kbag_grain_factor(e, q, passage);

    if (grain >= 0)
        return grain;
    /* "what year": a year, not a day of a month. */
    if (asks_noun(q, year_nouns))
        return kbak_text_has_year(passage) ? 1.0 : 0.45;
    /* "what day": a day of the week or a day of a month, not a year. */
    if (asks_noun(q, day_nouns))
        return kbak_text_has_day(passage) ? 1.0 : 0.55;
    /* The asking clause's first question word decides ("notice when ..." is no "when").
     */
    if (strcmp(qw, "when") == 0 || strcmp(qw, "whens") == 0 || asks_noun(q, date_nouns))
        return kbak_text_has_date(passage) ? 1.0 : 0.55;
    if (strcmp(qw, "who") == 0 || strcmp(qw, "whos") == 0)
        return asks_post_holder(q)
                   ? (kbak_text_has_name_besides(q, passage) ? 1.0 : POST_MISS)
                   : (kbawh_text_names_person(q, passage) ||
                              kbak_names_people(e, q, passage)
                          ? 1.0
                          : 0.55);
    /* "what's the name of our chief exec": a "who". */
    if (strcmp(qw, "what") == 0 || strcmp(qw, "whats") == 0) {
        if (has_phrase(q, "name", "of") && asks_post_holder(q))
            return kbak_text_has_name_besides(q, passage) ? 1.0 : POST_MISS;
    }
    if (strcmp(qw, "where") == 0 || strcmp(qw, "wheres") == 0)
        return kbak_text_has_place(passage) || kbapl_text_names_place(e, q, passage)
                   ? 1.0
                   : WHERE_MISS;
    /* "which sites", "which town": a place by its name, not the question's own. */
    if (kbapl_asks_place_noun(q, SIZE_MAX))
        return kbapl_text_names_proper_place(q, passage) ? 1.0 : WHERE_MISS;

    if ((qw[0] == 'w' && qw[1] == 'h' && (qw[2] == 'a' || qw[2] == 'i')) && asks_share(q))
        return kbak_text_has_fraction(passage) ? 1.0 : 0.45;
    if (has_phrase(q, "how", "many"))
        return kbak_counts_thing(q, kba_tokens(e, passage)) ? 1.0 : 0.45;
    /* "which partner organisations work in the hubs": a passage that names none
     * ("alongside partner organisations") does not say which. */
    if (mentions_unnamed(q, kba_tokens(e, passage), passage))
        return 0.45;
    /* "what's the budget for X", "how much will X cost": a sum of money. */
    if (kbamt_asks_sum(q))
        return kbamt_text_has_sum(passage) ? 1.0 : 0.45;
    if (has_phrase(q, "how", "much"))
        return kbak_text_has_amount(passage) ? 1.0 : 0.45;
    /* "why": a sentence giving a reason before one that only says what. */
    if (strcmp(qw, "why") == 0)
        return kbak_text_gives_reason(e, passage) ? 1.0 : WHY_MISS;
    return 1.0;
}
