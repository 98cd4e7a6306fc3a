/*
 * kb_answer_naming.c - names on a trust's own page and in staff's questions:
 * another organisation named the way staff type it ("what is nwas's vision",
 * "the vision of the royal free"), a term the page defines with a label
 * ("Develop: We will ..."), a name it defines in passing ("Side-by-Side (our
 * patient and public involvement group)"), what the set of values is called,
 * a value taken from a sentence described by the section that names it, and
 * a statement that only names itself.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_answer_int.h"
#include "bot/kb/kb_lex.h"
#include "bot/kb/kb_set.h"

/*
 * Is @w (folded) the organisation's own initials ("nwas" for North West
 * Ambulance Service NHS Trust, "elft" for East London NHS Foundation Trust):
 * its letters, first with first, in the order of the name's words' initials?
 */
static bool
is_own_initials(const char *name, const char *w)
{
    char init[64];
    size_t n = 0, k = 0;

    for (const char *p = name; *p && n + 1 < sizeof(init); p++) {
        if (isalpha((unsigned char)*p) && (p == name || !isalpha((unsigned char)p[-1])) &&
            !(strncasecmp(p, "and", 3) == 0 && !isalpha((unsigned char)p[3])) &&
            !(strncasecmp(p, "of", 2) == 0 && !isalpha((unsigned char)p[2])) &&
            !(strncasecmp(p, "the", 3) == 0 && !isalpha((unsigned char)p[3])))
            init[n++] = (char)tolower((unsigned char)*p);
    }
    init[n] = '\0';
    if (n == 0 || w[0] != init[0])
        return false;
    for (size_t i = 0; i < n && w[k] != '\0'; i++) {
        if (init[i] == w[k])
            k++;
    }
    return w[k] == '\0';
}

/* The word @len bytes at @start, folded into @buf; false if it does not fit. */
static bool
fold_word(const char *start, size_t len, char *buf, size_t max)
{
    if (len >= max)
        return false;
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)tolower((unsigned char)start[i]);
    buf[len] = '\0';
    return true;
}

/*
 * Is the folded word @w, as typed, a name that is not ours: no English word,
 * no stop word, none of the KB's words or names, not the organisation's
 * initials?  Asked of the word as typed: spelling makes "nwas" "was".
 */
static bool
is_foreign_name(const struct query *q, const char *w)
{
    const struct kb *kb = q->kb;

    /* Pronouns WordNet does not list: "everybody's values" are ours. */
    static const char *const pronouns[] = {"everybody", "anybody",  "somebody",
                                           "nobody",    "everyone", "anyone",
                                           "someone",   "noone",    NULL};

    if (strlen(w) < 3 || kb_text_is_stopword(w) || kb_lex_find(w) != NULL ||
        in_list(w, pronouns) || kb_index_knows_word(q->idx, w) || kbar_names_org(kb, w) ||
        kbar_contains_word(kb->name, w) || kbar_contains_word(kb->short_name, w) ||
        kbar_contains_word(kb->strategy, w) || is_own_initials(kb->name, w) ||
        is_own_initials(kb->org, w))
        return false;
    /* A word the question holds as typed is judged as the rest of scope judges it. */
    for (size_t i = 0; i < q->n; i++) {
        if (strcmp(q->w[i].surface, w) == 0)
            return !kbas_word_is_ours(q, &q->w[i]);
    }
    return true;
}

/* "michael's" is read as the one word "michaels" (kb_text.c): that form of @w. */
static const char *
joined_s(const char *w, char *buf)
{
    size_t n = strlen(w);

    memcpy(buf, w, n);
    buf[n] = 's';
    buf[n + 1] = '\0';
    return buf;
}

/*
 * Is the word after @p a stop word ("wen's the launch", "who's our chair"):
 * "'s" for "is", no possessive?
 */
static bool
before_stop_word(const char *p)
{
    char buf[KB_WORD_MAX];
    size_t n = 0;

    while (*p == ' ')
        p++;
    while (isalpha((unsigned char)p[n]))
        n++;
    return n > 0 && fold_word(p, n, buf, sizeof(buf)) && kb_text_is_stopword(buf);
}

bool
kbanm_names_other_possessive(const struct query *q, const char *raw)
{
    for (const char *p = raw; *p; p++) {
        const char *end = p, *start;
        size_t skip;

        if (p[0] == '\'' && p[1] == 's')
            skip = 2;
        else if ((unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x80 &&
                 (unsigned char)p[2] == 0x99 && p[3] == 's')
            skip = 4;
        else
            continue;
        if (isalnum((unsigned char)p[skip]) || end == raw ||
            !isalpha((unsigned char)end[-1]) || before_stop_word(p + skip))
            continue;
        /* The words that end in the possessive: "leeds and york partnership's". */
        for (int words = 0; words < 4; words++) {
            char buf[KB_WORD_MAX], joined[KB_WORD_MAX + 1];

            start = end;
            while (start > raw && isalpha((unsigned char)start[-1]))
                start--;
            if (!fold_word(start, (size_t)(end - start), buf, sizeof(buf) - 1))
                break;
            if (is_foreign_name(q, buf) && is_foreign_name(q, joined_s(buf, joined)))
                return true;
            /* Past "and", and past a name's last word English has as a word of
               no content ("Alder Hey's"); not past "is" or "what". */
            if (kb_text_is_stopword(buf) && strcmp(buf, "and") != 0 && words > 0)
                break;
            if (start - raw < 2 || start[-1] != ' ')
                break;
            end = start - 1;
        }
    }
    return false;
}

bool
kbanm_names_other_of(const struct query *q)
{
    const unsigned topic = W_VALUES | W_GOALS | W_STATEMENT;

    for (size_t i = 0; i + 2 < q->n; i++) {
        size_t k = i + 2, unknown = 0;

        if (q->aside[i] || !(q->flags[i] & topic) ||
            strcmp(q->w[i + 1].surface, "of") != 0)
            continue;
        if (strcmp(q->w[k].surface, "the") == 0)
            k++;
        for (; k < q->n && !q->aside[k]; k++) {
            const struct kb_word *w = &q->w[k];

            if (kb_text_is_stopword(w->surface))
                continue;
            if (kbas_word_is_ours(q, w))
                return false; /* "the vision of our trust", "of the strategy" */
            unknown++;
        }
        return unknown >= 2;
    }
    return false;
}

/* Words that ask what a term means and name nothing: "what does X mean". */
static bool
is_meaning_word(const char *surface)
{
    static const char *const words[] = {"mean",    "means", "meaning", "meant",  "stand",
                                        "explain", "tell",  "about",   "define", NULL};

    return in_list(surface, words);
}

/*
 * A KB's passages written "Label: what it says" with a label of one to four
 * words, and those words: found once per KB (the label is no KB string of its
 * own, so not in the engine's memo), in passage order.
 */
struct kbanm_label {
    size_t p;
    size_t n;
    struct kb_word w[4];
    bool stop[4];
};

struct kbanm_labels {
    size_t n;
    struct kbanm_label *l;
    /* Per value, the passages kbanm_describe_bare_value() quotes for it: the
     * first and how many; BARE_UNKNOWN not looked for yet, 0 passages none. */
    size_t *bare_first, *bare_n;
};

#define BARE_UNKNOWN SIZE_MAX

static struct kbanm_labels *
labels_build(struct kb_engine *e, const struct kb *kb)
{
    struct kbanm_labels *ls = xcalloc(1, sizeof(*ls));

    ls->bare_first = xreallocarray(NULL, kb->nvalues + 1, sizeof(*ls->bare_first));
    ls->bare_n = xreallocarray(NULL, kb->nvalues + 1, sizeof(*ls->bare_n));
    for (size_t i = 0; i < kb->nvalues; i++)
        ls->bare_n[i] = BARE_UNKNOWN;

    for (size_t p = 0; p < kb->npassages; p++) {
        const char *text = kb->passages[p].text, *colon = strchr(text, ':');
        struct kb_word t[6];
        struct kbanm_label *l;
        size_t n;

        if (colon == NULL || colon == text || colon[1] != ' ' || colon[2] == '\0')
            continue;
        n = kb_text_words(e->text, text, (size_t)(colon - text), t,
                          sizeof(t) / sizeof(t[0]));
        if (n == 0 || n > 4)
            continue;
        ls->l = xreallocarray(ls->l, ls->n + 1, sizeof(*ls->l));
        l = &ls->l[ls->n++];
        l->p = p;
        l->n = n;
        for (size_t k = 0; k < n; k++) {
            l->w[k] = t[k];
            l->stop[k] = kb_text_is_stopword(t[k].surface);
        }
    }
    return ls;
}

/* The naming cache of @q's KB, built on the first question that needs it. */
static struct kbanm_labels *
labels_of(struct kb_engine *e, const struct query *q)
{
    size_t ki = 0;

    while (ki + 1 < kb_set_count(e->set) && kb_set_get(e->set, ki) != q->kb)
        ki++;
    if (e->labels[ki] == NULL)
        e->labels[ki] = labels_build(e, q->kb);
    return e->labels[ki];
}

void
kbanm_labels_free(struct kbanm_labels *ls)
{
    if (ls == NULL)
        return;
    free(ls->l);
    free(ls->bare_first);
    free(ls->bare_n);
    free(ls);
}

/*
 * Is the label @l's words (stop words aside) exactly the question's content
 * words?
 */
static bool
labels_term(const struct query *q, const struct kbanm_label *l, bool exact)
{
    const struct kb_word *t = l->w;
    size_t n = l->n, nl = 0;

    for (size_t k = 0; k < n; k++) {
        bool asked = false;

        if (l->stop[k])
            continue;
        nl++;
        for (size_t i = 0; i < q->n && !asked; i++)
            asked = !q->aside[i] && strcmp(q->w[i].stem, t[k].stem) == 0 &&
                    (!exact || strcmp(q->w[i].surface, t[k].surface) == 0);
        if (!asked)
            return false;
    }
    for (size_t i = 0; i < q->n; i++) {
        bool in_label = false;

        if (q->aside[i] || !q->content[i] || is_meaning_word(q->w[i].surface))
            continue;
        for (size_t k = 0; k < n && !in_label; k++)
            in_label = strcmp(q->w[i].stem, t[k].stem) == 0;
        if (!in_label)
            return false;
    }
    return nl > 0;
}

/* Does the KB text @text hold the word @surface as written? */
static bool
text_has_surface(struct kb_engine *e, const char *text, const char *surface)
{
    const struct tokens *t = kba_tokens(e, text);

    for (size_t k = 0; k < t->n; k++) {
        if (strcmp(t->w[k].surface, surface) == 0)
            return true;
    }
    return false;
}

/*
 * Does the one goal or ambition @a gives hold the question's content words
 * as written ("collaborate"), not only their stems ("collaboration")?
 */
static bool
item_has_words_as_written(struct kb_engine *e, const struct query *q,
                          const struct kb_answer *a)
{
    const struct kb_doc_ref *r = &a->refs[0];
    const char *texts[2];

    if (r->kind == KB_DOC_GOAL) {
        texts[0] = q->kb->goals[r->item].title;
        texts[1] = q->kb->goals[r->item].description;
    } else if (r->kind == KB_DOC_AMBITION) {
        texts[0] = q->kb->ambitions[r->item].title;
        texts[1] = q->kb->ambitions[r->item].text;
    } else {
        return true;
    }
    for (size_t i = 0; i < q->n; i++) {
        if (q->aside[i] || !q->content[i] || is_meaning_word(q->w[i].surface))
            continue;
        if (!text_has_surface(e, texts[0], q->w[i].surface) &&
            !text_has_surface(e, texts[1], q->w[i].surface))
            return false;
    }
    return true;
}

/*
 * "what does develop mean" on a page that says "Develop: We will develop our
 * organisation ...": a term the page defines with a label, asked where the
 * answer found nothing or offered a choice, or where the one goal found holds
 * the term only by its stem ("collaboration" for "what does collaborate mean")
 * and the label holds it as written.
 */
bool
kbanm_answer_labelled_term(struct kb_engine *e, const struct query *q,
                           struct kb_answer *a)
{
    bool exact = (a->intent == KB_INTENT_GOAL || a->intent == KB_INTENT_AMBITIONS) &&
                 a->nrefs == 1;
    const struct kbanm_labels *ls;

    if (!(a->intent == KB_INTENT_CLARIFY || a->intent == KB_INTENT_OUT_OF_SCOPE ||
          exact) ||
        (exact && item_has_words_as_written(e, q, a)))
        return false;
    ls = labels_of(e, q);
    for (size_t i = 0; i < ls->n; i++) {
        if (!labels_term(q, &ls->l[i], exact))
            continue;
        kbapr_quote_with_list(e, q->kb, ls->l[i].p, a);
        a->confidence = 0.75;
        return true;
    }
    return false;
}

/* Does @text hold @phrase, any case, at word bounds? */
static bool
has_phrase_ci(const char *text, const char *phrase)
{
    size_t n = strlen(phrase);

    if (n == 0)
        return false;
    for (const char *p = text; *p; p++) {
        if ((p == text || !isalnum((unsigned char)p[-1])) &&
            strncasecmp(p, phrase, n) == 0 && !isalnum((unsigned char)p[n]))
            return true;
    }
    return false;
}

/*
 * Does @text name the value @name: its words, any case, written with a capital
 * ("We can be BOLD", "make sure Every Person Counts"), and for a one-word name
 * not as the sentence's first word ("work together" is no value named)?
 */
static bool
names_value(const char *text, const char *name)
{
    size_t n = strlen(name);

    if (n == 0)
        return false;
    for (const char *p = text; *p; p++) {
        if ((p == text || !isalnum((unsigned char)p[-1])) &&
            strncasecmp(p, name, n) == 0 && !isalnum((unsigned char)p[n]) &&
            isupper((unsigned char)*p) && (p != text || strchr(name, ' ') != NULL))
            return true;
    }
    return false;
}

/* How many of the KB's value names passage @p holds. */
static size_t
values_named(const struct kb *kb, size_t p)
{
    size_t n = 0;

    for (size_t i = 0; i < kb->nvalues; i++)
        n += has_phrase_ci(kb->passages[p].text, kb->values[i].name);
    return n;
}

/*
 * "what does every person counts mean" where `kb build` took the values from a
 * sentence ("Our new values are Bold, Every person counts, ...") and what the
 * page says of each stands apart: the passages under a heading of its name, or
 * the passages of the section where a sentence names it alone ("We can make
 * sure EVERY PERSON COUNTS by ..."), when none names another value.
 */
/*
 * The passages that describe value @v alone (see kbanm_describe_bare_value()):
 * the first in *@first and how many, 0 when none does.  A function of the KB
 * and the value only.
 */
static size_t
bare_value_passages(const struct kb *kb, size_t v, size_t *first_out)
{
    const char *name = kb->values[v].name;

    for (size_t p = 0; p < kb->npassages; p++) {
        const char *section = kb->passages[p].section;
        size_t first = p, last = p, named = 0;

        if (strcasecmp(section, name) != 0 &&
            !(names_value(kb->passages[p].text, name) && values_named(kb, p) == 1))
            continue;
        while (first > 0 && strcmp(kb->passages[first - 1].section, section) == 0)
            first--;
        while (last + 1 < kb->npassages &&
               strcmp(kb->passages[last + 1].section, section) == 0)
            last++;
        for (size_t k = first; k <= last; k++)
            named +=
                values_named(kb, k) > 0 && !has_phrase_ci(kb->passages[k].text, name);
        if (named > 0 || last - first + 1 > 8 || section[0] == '\0')
            return 0; /* a section about the values, not this one */
        *first_out = first;
        return last - first + 1;
    }
    return 0;
}

void
kbanm_describe_bare_value(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    const struct kb *kb = q->kb;
    struct kbanm_labels *ls;
    size_t v;

    /* Not a value found by meaning, nor a decline of behaviours the page lacks. */
    if (a->intent != KB_INTENT_VALUE || !a->answered || a->related || a->nrefs != 1 ||
        a->refs[0].kind != KB_DOC_VALUE || !kbam_values_bare(kb, a) ||
        has_stem(q, (const char *const[]){"behaviour", "behavior", NULL}))
        return;
    v = a->refs[0].item;
    ls = labels_of(e, q);
    /* The KB does not change under the engine: look once per value. */
    if (ls->bare_n[v] == BARE_UNKNOWN)
        ls->bare_n[v] = bare_value_passages(kb, v, &ls->bare_first[v]);
    if (ls->bare_n[v] > 0)
        kbapr_quote_passages(a, ls->bare_first[v], ls->bare_n[v]);
}

bool
kbanm_is_about_statement(const struct tokens *t, const char *stem)
{
    static const char *const words[] = {"set",       "shown", "below", "above",
                                        "available", "here",  NULL};

    for (size_t k = 0; k + 2 < t->n; k++) {
        const char *w = t->w[k + 2].surface;
        size_t n = strlen(w);

        if (strcmp(t->w[k].stem, stem) == 0 && (strcmp(t->w[k + 1].surface, "is") == 0 ||
                                                strcmp(t->w[k + 1].surface, "are") == 0))
            return in_list(w, words) || (n > 4 && strcmp(w + n - 2, "ly") == 0) ||
                   (n > 4 && strcmp(w + n - 2, "ed") == 0);
    }
    return false;
}

/*
 * The name asked of in "who is side by side", "what's Fieldfare Voices": the
 * words after "who is" / "what is" (stop words aside, none of the topic's),
 * into @buf as typed-folded words joined by spaces; false if none.
 */
static bool
asked_name(const struct query *q, char *buf, size_t max)
{
    size_t i = 0, len = 0;

    while (i < q->n && (q->aside[i] || !(q->cls[i] & KBAWC_QWORD)))
        i++;
    if (i + 2 >= q->n ||
        !(strcmp(q->w[i].surface, "who") == 0 || strcmp(q->w[i].surface, "what") == 0) ||
        !(strcmp(q->w[i + 1].surface, "is") == 0 ||
          strcmp(q->w[i + 1].surface, "are") == 0))
        return false;
    for (i += 2; i < q->n; i++) {
        size_t n = strlen(q->w[i].surface);

        if (q->aside[i] || (q->flags[i] & (W_VALUES | W_GOALS | W_STATEMENT)))
            return false;
        if (len + n + 2 > max)
            return false;
        if (len > 0)
            buf[len++] = ' ';
        memcpy(buf + len, q->w[i].surface, n);
        len += n;
    }
    buf[len] = '\0';
    return len >= 3;
}

/* Does @text name @name (words joined by spaces or hyphens), then " (" or ", our"? */
static const char *
names_then_defines(const char *text, const char *name)
{
    for (const char *p = text; *p; p++) {
        const char *a = p, *b = name;

        if (p != text && isalnum((unsigned char)p[-1]))
            continue;
        while (*a && *b &&
               (tolower((unsigned char)*a) == *b ||
                ((*a == '-' || *a == ' ') && *b == ' '))) {
            a++;
            b++;
        }
        if (*b == '\0' && !isalnum((unsigned char)*a) &&
            (strncmp(a, " (", 2) == 0 || strncmp(a, ", our ", 6) == 0))
            return a;
    }
    return NULL;
}

/*
 * "who is side by side?" where the page says "... with Side-by-Side (our patient
 * and public involvement group), ...": the passage that names it and says what
 * it is, where the answer found nothing.
 */
bool
kbanm_answer_defined_name(const struct query *q, struct kb_answer *a)
{
    char name[96];

    if (a->answered || a->intent != KB_INTENT_OUT_OF_SCOPE ||
        !asked_name(q, name, sizeof(name)))
        return false;
    for (size_t p = 0; p < q->kb->npassages; p++) {
        if (names_then_defines(q->kb->passages[p].text, name) == NULL)
            continue;
        kbapr_quote_passages(a, p, 1);
        a->confidence = 0.75;
        return true;
    }
    return false;
}

/*
 * "what are our values called?": the sentence that names the set ("They are
 * called 'We Care'", "we are calling them Our Always Values"), in a passage
 * that names the list or follows one of its paragraph that does.
 */
bool
kbanm_answer_what_called(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    const struct kb *kb = q->kb;
    const char *topic = NULL;

    if (!(has_word(q, "called") || has_word(q, "named") || has_phrase(q, "we", "call")) ||
        !(a->intent == KB_INTENT_VALUES || a->intent == KB_INTENT_GOALS ||
          a->intent == KB_INTENT_NO_VALUES || a->intent == KB_INTENT_NO_GOALS ||
          a->intent == KB_INTENT_FACT))
        return false;
    for (size_t i = 0; i < q->n && topic == NULL; i++) {
        if (!q->aside[i] && (q->flags[i] & (W_VALUES | W_GOALS)))
            topic = q->w[i].stem;
    }
    if (topic == NULL)
        return false;
    for (size_t p = 0; p < kb->npassages; p++) {
        const char *text = kb->passages[p].text;

        if (!(kbapr_text_has(e, text, "call") || strstr(text, "known as") != NULL) ||
            !(kbapr_text_has(e, text, topic) ||
              (p > 0 && kb->passages[p - 1].line == kb->passages[p].line &&
               kbapr_text_has(e, kb->passages[p - 1].text, topic))))
            continue;
        for (size_t r = 0; r < a->nrefs; r++) {
            if (a->refs[r].kind == KB_DOC_PASSAGE && a->refs[r].item == p)
                return false; /* said already */
        }
        kbapr_quote_passages(a, p, 1);
        return true;
    }
    return false;
}

/*
 * "what's our vision" where `kb build` took for it a sentence about the vision
 * ("To help us deliver the very best care ..., we've outlined a vision of what
 * that looks like"): a statement that names itself is no statement; the
 * passage that says "Our vision is to ..." is.
 */
void
kbanm_replace_self_naming_statement(struct kb_engine *e, const struct query *q,
                                    struct kb_answer *a)
{
    const struct kb *kb = q->kb;

    for (size_t r = 0; r < a->nrefs; r++) {
        bool vision = a->refs[r].kind == KB_DOC_VISION;
        const char *stem = vision ? "vision" : "mission";
        const struct kb_text *st = vision ? &kb->vision : &kb->mission;

        if (a->intent != KB_INTENT_STATEMENT ||
            !(vision || a->refs[r].kind == KB_DOC_MISSION) || st->text == NULL ||
            !kbapr_text_has(e, st->text, stem))
            continue;
        for (size_t p = 0; p < kb->npassages; p++) {
            const struct tokens *t = kba_tokens(e, kb->passages[p].text);

            if (strcmp(kb->passages[p].text, st->text) == 0 ||
                kbanm_is_about_statement(t, stem))
                continue;
            for (size_t k = 0; k + 2 < t->n && k <= 3; k++) {
                if (strcmp(t->w[k].stem, stem) == 0 &&
                    strcmp(t->w[k + 1].surface, "is") == 0) {
                    a->refs[r] = (struct kb_doc_ref){.kind = KB_DOC_PASSAGE, .item = p};
                    a->intent = KB_INTENT_FACT;
                    return;
                }
            }
        }
    }
}
