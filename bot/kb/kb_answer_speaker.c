/*
 * kb_answer_speaker.c - "what did james benson say about the values": words a
 * person the page names is quoted as saying.  News releases and values pages
 * quote their chief executive or a member of staff by name ("Chief Executive
 * Officer, James Benson, said:" then the quote); staff ask for it by the name,
 * typed in lower case, and a verb of saying.  The passage naming the person
 * answers, with the quote it leads in; what the question says it is about
 * ("the values") picks the passage when the page names the person twice.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer_int.h"

/* Verbs of saying, as typed: the question asks for someone's words. */
static const char *const saying[] = {"say",   "says",   "said",    "saying",
                                     "think", "thinks", "thought", "comment",
                                     "quote", "quoted", NULL};

/*
 * Does @text hold the words @a and @b (folded) in a row, each written with a
 * capital ("James Benson", "Dr Jason Dungu"): a name?
 */
static bool
names_pair(const char *text, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);

    for (const char *p = text; *p; p++) {
        if ((p != text && isalnum((unsigned char)p[-1])) || !isupper((unsigned char)*p) ||
            strncasecmp(p, a, la) != 0 || p[la] != ' ' ||
            !isupper((unsigned char)p[la + 1]) || strncasecmp(p + la + 1, b, lb) != 0 ||
            isalnum((unsigned char)p[la + 1 + lb]))
            continue;
        return true;
    }
    return false;
}

/*
 * Is passage @k a line of the quote that passage @p, ending in ':', leads in:
 * on the lines right after it, in its section, opening with a quotation mark?
 */
static bool
is_quote_line(const struct kb *kb, size_t p, size_t k)
{
    const char *t = kb->passages[k].text, *lead = kb->passages[p].text;
    size_t len = strlen(lead);

    return len > 0 && lead[len - 1] == ':' &&
           strcmp(kb->passages[k].section, kb->passages[p].section) == 0 &&
           kb->passages[k].line > kb->passages[k - 1].line &&
           kb->passages[k].line <= kb->passages[k - 1].line + 2 &&
           (t[0] == '"' || strncmp(t, "\xe2\x80\x9c", 3) == 0 /* U+201C */);
}

/* Does passage text @text name the person the question names (two words in a row)? */
static bool
names_person(const struct query *q, const char *text)
{
    for (size_t i = 0; i + 1 < q->n; i++) {
        if (q->stop[i] || q->stop[i + 1] || q->aside[i] || q->aside[i + 1])
            continue;
        if (names_pair(text, q->w[i].surface, q->w[i + 1].surface))
            return true;
    }
    return false;
}

/* Does passage @p, or the quote lines after it, hold the stem @stem? */
static bool
said_has(struct kb_engine *e, const struct kb *kb, size_t p, const char *stem)
{
    for (size_t k = p; k < kb->npassages && k <= p + 4; k++) {
        if (k > p && !is_quote_line(kb, p, k))
            break;
        if (kbapr_text_has(e, kb->passages[k].text, stem))
            return true;
    }
    return false;
}

/*
 * How many of the question's content words (the name and the verb aside)
 * passage @p and its quote hold, or -1 when one it names is in neither ("what
 * did she say about parking"): the words were about something else.
 */
static int
about(struct kb_engine *e, const struct query *q, size_t p)
{
    const struct kb *kb = q->kb;
    bool name[MAX_WORDS] = {false};
    int n = 0;

    /* The words of the name: each pair in a row the passage writes as one. */
    for (size_t i = 0; i + 1 < q->n; i++) {
        if (names_pair(kb->passages[p].text, q->w[i].surface, q->w[i + 1].surface))
            name[i] = name[i + 1] = true;
    }
    for (size_t i = 0; i < q->n; i++) {
        if (!q->content[i] || q->aside[i] || in_list(q->w[i].surface, saying) || name[i])
            continue;
        if (!said_has(e, kb, p, q->w[i].stem))
            return -1;
        n++;
    }
    return n;
}

/*
 * Does passage @p give someone's words: a quotation mark, a verb of saying
 * ("said", "adds"), or quote lines after it?  "Guests included Ada
 * Winterbourne ..." names a person and gives none of their words.
 */
static bool
quotes(const struct kb *kb, size_t p)
{
    static const char *const verbs[] = {" said",  " says", " adds",
                                        " added", " told", NULL};
    const char *t = kb->passages[p].text;

    if (strchr(t, '"') != NULL || strstr(t, "\xe2\x80\x9c") != NULL ||
        (p + 1 < kb->npassages && is_quote_line(kb, p, p + 1)))
        return true;
    for (size_t k = 0; verbs[k] != NULL; k++) {
        if (strstr(t, verbs[k]) != NULL)
            return true;
    }
    return false;
}

bool
kbasp_answer_said(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    const struct kb *kb = q->kb;
    size_t best = SIZE_MAX;
    int best_n = -1;
    bool says = false, named = false, quoted = false;

    for (size_t i = 1; i < q->n && !says; i++)
        says = !q->aside[i] && in_list(q->w[i].surface, saying);
    /* "say that ...", "tell everyone what she said": an order, not a question. */
    if (!says || q->n == 0 || in_list(q->w[0].surface, saying) ||
        kbas_injection_words(q) || a->intent == KB_INTENT_REFUSE ||
        a->intent == KB_INTENT_OTHER_ORG || a->intent == KB_INTENT_CLINICAL)
        return false;
    for (size_t p = 0; p < kb->npassages; p++) {
        int n;

        if (!names_person(q, kb->passages[p].text))
            continue;
        if (!quotes(kb, p)) {
            named = true;
            continue;
        }
        quoted = true;
        n = about(e, q, p);
        if (n > best_n) {
            best = p;
            best_n = n;
        }
    }
    if (named && !quoted) {
        /* "what did ada winterbourne say": named, never quoted */
        a->intent = KB_INTENT_OUT_OF_SCOPE;
        a->answered = false;
        a->nrefs = 0;
        a->nfeatures = 0;
        a->confidence = 0.8;
        return true;
    }
    if (best == SIZE_MAX)
        return false;
    for (size_t r = 0; r < a->nrefs; r++) {
        if (a->intent == KB_INTENT_FACT && a->answered &&
            a->refs[r].kind == KB_DOC_PASSAGE && a->refs[r].item == best)
            return false; /* the passages found it: their answer stands */
    }
    kbapr_quote_passages(a, best, 1);
    for (size_t k = best + 1;
         k < kb->npassages && k <= best + 4 && is_quote_line(kb, best, k); k++)
        add_ref(a, KB_DOC_PASSAGE, k, 0);
    return true;
}
