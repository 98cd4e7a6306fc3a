/*
 * kb_answer_headcount.c - "how many staff do we have": the organisation's
 * head count, which a page writes in many shapes: "Our 7,500-strong
 * workforce", "a team of 300", "We employ around 8,700 people", "over 12,000
 * colleagues work for the trust", "a trust with 5,600 colleagues", "two
 * thousand nine hundred people".  A number of staff doing something ("140
 * staff took part in the inquiry", "900 colleagues went to the festival") or
 * staff as a modifier ("42 staff workshops") counts some of them, not all;
 * people the trust serves ("300,000 people") or volunteers are no staff.
 *
 * The question is a head count when what it counts is a word for the people
 * who work for the organisation ("staff", "colleagues", "employees",
 * "workforce"; "people" with a verb of working or employing) and it names
 * nothing else but the organisation and the frame of the question ("do we
 * have", "work here", "roughly", "in total").  Then the first passage giving a
 * head count answers; none, and the question is declined: the nearest number
 * of staff would be confidently wrong.
 */
#include "bot/kb/kb_answer_int.h"

#include <ctype.h>
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_lex.h"

/* Confidence of a head count stated outright. */
#define HEADCOUNT_CONF 0.8

/* Stems of words for the people who work for the organisation. */
static const char *const staff_stems[] = {"staff",  "colleagu",  "employe",   "workforc",
                                          "worker", "personnel", "headcount", NULL};
/* A group whose members the number after "of" counts ("a team of 300"). */
static const char *const group_stems[] = {"team", "famili", NULL};
/* Verbs of working for the organisation: its staff, counted by them. */
static const char *const work_stems[] = {"work", "employ", NULL};
/* Words between a number and what leads into it: "employ around", "a team of over". */
static const char *const lead_stems[] = {
    "over",  "around",   "about", "some", "nearly", "almost", "more",
    "than",  "approxim", "rough", "just", "of",     "a",      "an",
    "circa", "up",       "to",    "well", NULL};
/*
 * The frame of a head-count question: words that ask how many, or say of whom,
 * but name nothing a passage must hold.
 */
static const char *const frame_stems[] = {
    "how",   "mani",    "number",   "have",    "has",           "got",     "employ",
    "work",  "total",   "altogeth", "current", "now",           "rough",   "approxim",
    "exact", "overal",  "there",    "here",    "trust",         "organis", "organiz",
    "big",   "larg",    "size",     "peopl",   "ppl",           "do",      "does",
    "did",   "current", "today",    "roughli", "approximately", "in",      "all",
    NULL};

static bool
is_staff(const struct kb_word *w)
{
    return in_list(w->stem, staff_stems);
}

static bool
is_number_token(const struct kb_word *w)
{
    return kbar_is_number_word(w->surface) && strcmp(w->surface, "dozens") != 0 &&
           strcmp(w->surface, "hundreds") != 0 && strcmp(w->surface, "thousands") != 0;
}

/* Is the word mostly a verb to English ("took", "went", "attended")? */
static bool
is_verb(const char *surface)
{
    const struct kb_lex_word *lw = kb_lex_find(surface);

    return lw != NULL && lw->count >= 5 && lw->noun < 50;
}

/*
 * Do the staff named at @k of @pt stand for all of them: not a modifier of
 * the next noun ("staff workshops"), not the subject of another verb than
 * working ("140 staff took part", "colleagues were involved")?
 */
static bool
staff_stand_alone(const struct tokens *pt, size_t k)
{
    size_t j = k + 1;

    /* The next word, when no stop word comes between: a noun they modify. */
    if (j < pt->n && !pt->stop[j] && !is_number_token(&pt->w[j])) {
        const struct kb_lex_word *lw = kb_lex_find(pt->w[j].surface);

        if (in_list(pt->w[j].stem, work_stems))
            return true;
        return !(lw != NULL && lw->noun >= 50) && !is_verb(pt->w[j].surface);
    }
    for (; j < pt->n && pt->stop[j]; j++)
        ;
    if (j >= pt->n || in_list(pt->w[j].stem, work_stems))
        return true;
    return !is_verb(pt->w[j].surface);
}

/*
 * Is the number run ending before @k followed by a head count: skipping
 * "strong" ("7,500-strong") and the joined token the hyphen makes, then at
 * most two words describing them ("dedicated", "clinical")?  @people: what
 * may be counted besides staff ("people" after "employ").  Returns the
 * staff word's index or SIZE_MAX; *strong (out) whether "strong" was written.
 */
static size_t
counted_staff(const struct tokens *pt, size_t k, bool people, bool *strong)
{
    size_t adj = 0;

    *strong = false;
    for (; k < pt->n; k++) {
        const struct kb_word *w = &pt->w[k];

        if (strcmp(w->surface, "strong") == 0) {
            *strong = true;
            continue;
        }
        if (isdigit((unsigned char)w->surface[0]))
            continue; /* "500strong", the hyphenated compound joined */
        if (is_staff(w) || (*strong && in_list(w->stem, group_stems)) ||
            (people && strcmp(w->stem, "peopl") == 0))
            return k;
        /* "members of staff" */
        if (strcmp(w->stem, "member") == 0 && k + 2 < pt->n &&
            strcmp(pt->w[k + 1].surface, "of") == 0 && is_staff(&pt->w[k + 2]))
            return k + 2;
        if (pt->stop[k] || is_number_token(w) || ++adj > 2)
            return SIZE_MAX;
        if (kb_lex_find(w->surface) != NULL &&
            (kb_lex_find(w->surface)->cls & KB_LEX_PERSON))
            return SIZE_MAX; /* "volunteer", "patients": other people */
    }
    return SIZE_MAX;
}

/*
 * Is @w the organisation's, a possessive folded onto a word of its name
 * ("trusts", "tarnfields"): "the trust's 12,000 staff"?
 */
static bool
names_us(const struct kb *kb, const struct kb_word *w)
{
    char one[KB_WORD_MAX];
    size_t n = strlen(w->surface);

    if (strcmp(w->surface, "our") == 0 || strcmp(w->surface, "its") == 0 ||
        strcmp(w->surface, "their") == 0)
        return true;
    if (n < 3 || n >= sizeof(one) || w->surface[n - 1] != 's')
        return false;
    memcpy(one, w->surface, n - 1);
    one[n - 1] = '\0';
    return strcmp(one, "trust") == 0 || kbar_names_org(kb, one) ||
           kbar_contains_word(kb->name, one);
}

/* Does the passage @pt of @kb state the organisation's head count? */
static bool
states_headcount(const struct kb *kb, const struct tokens *pt)
{
    for (size_t i = 0; i < pt->n; i++) {
        size_t end = i, lead = i, staff;
        bool strong, employ = false, ours = false, group = false, have = false;

        if (!is_number_token(&pt->w[i]) || (i > 0 && is_number_token(&pt->w[i - 1])))
            continue;
        while (end + 1 < pt->n && is_number_token(&pt->w[end + 1]))
            end++;
        /* What leads into the number: "employ around", "our", "a team of", "with". */
        while (lead > 0 && in_list(pt->w[lead - 1].stem, lead_stems))
            lead--;
        if (lead > 0) {
            const struct kb_word *t = &pt->w[lead - 1];

            employ = strcmp(t->stem, "employ") == 0;
            ours = names_us(kb, t);
            have = strcmp(t->surface, "with") == 0 || strcmp(t->stem, "have") == 0 ||
                   strcmp(t->surface, "has") == 0;
            group = (is_staff(t) || in_list(t->stem, group_stems)) && lead < i &&
                    strcmp(pt->w[lead].surface, "of") == 0;
        }
        if (group)
            return true; /* "a team of 300", "a workforce of around 6,000 people" */
        staff = counted_staff(pt, end + 1, true, &strong);
        if (staff == SIZE_MAX)
            continue;
        if (strong || employ || ours)
            return true;
        /* People are staff when they work ("4,200 people work for us"), below. */
        if (strcmp(pt->w[staff].stem, "peopl") == 0)
            have = false;
        /* "a trust with 5,600 colleagues", not "involving 2,600 colleagues". */
        if (have && staff_stand_alone(pt, staff))
            return true;
        for (size_t j = staff + 1; j < pt->n; j++) {
            if (in_list(pt->w[j].stem, work_stems))
                return true; /* "12,000 colleagues work for the trust" */
            if (!pt->stop[j])
                break;
        }
    }
    return false;
}

/*
 * Does @q ask the head count: "how many" or "number of" counting a word for
 * staff (or "people" with a verb of working), "what's our headcount", "how
 * big is our workforce", and nothing else named?
 */
static bool
asks_headcount(const struct query *q)
{
    bool counts = false, staff = false, people = false, works = false;

    if (!(has_phrase(q, "how", "many") || has_phrase(q, "number", "of") ||
          has_phrase(q, "size", "of") || has_phrase(q, "how", "big") ||
          has_phrase(q, "how", "large") || has_word(q, "headcount")))
        return false;
    for (size_t i = 0; i < q->n; i++) {
        const struct kb_word *w = &q->w[i];

        if (q->aside[i])
            continue;
        /* "how many employees", which spelling may have made the KB's "employs". */
        if (is_staff(w) || (i >= 2 && strcmp(w->stem, "employ") == 0 &&
                            strcmp(q->w[i - 1].surface, "many") == 0)) {
            staff = true;
            continue;
        }
        if (strcmp(w->stem, "peopl") == 0 || strcmp(w->surface, "ppl") == 0)
            people = true;
        if (in_list(w->stem, work_stems))
            works = true;
        if (q->stop[i] || in_list(w->stem, frame_stems) ||
            in_list(w->surface, frame_stems) || kbar_names_org(q->kb, w->surface) ||
            kbar_contains_word(q->kb->name, w->surface) ||
            kbar_contains_word(q->kb->short_name, w->surface))
            continue;
        return false; /* something else is named: "how many staff took part in ..." */
    }
    counts = staff || (people && works);
    return counts;
}

bool
kbahc_answer_headcount(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    if (!asks_headcount(q))
        return false;
    a->intent = KB_INTENT_OUT_OF_SCOPE;
    a->answered = false;
    a->confidence = HEADCOUNT_CONF;
    for (size_t p = 0; p < q->kb->npassages; p++) {
        if (!states_headcount(q->kb, kba_tokens(e, q->kb->passages[p].text)))
            continue;
        a->intent = KB_INTENT_FACT;
        a->answered = true;
        add_ref(a, KB_DOC_PASSAGE, p, 0);
        break;
    }
    return true;
}
