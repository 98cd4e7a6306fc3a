/*
 * kb_answer_remit.c - what the organisation itself provides and where (issue
 * 14): "which areas do we cover", "what kinds of services does the trust
 * provide", "where do we work".  A page says it in a clause whose subject is
 * the organisation (its name, "we", "the trust") and whose verb provides,
 * serves or covers ("The Trust - which provides mental health services across
 * Wexley and Dunmere - will ..."); that passage answers, and a page with none
 * declines rather than quoting the nearest passage on services.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer_int.h"

/* What the question asks of the organisation's remit. */
enum remit_ask {
    REMIT_NONE,
    REMIT_WHERE,    /* the places it serves: "where", "which areas" */
    REMIT_SERVICES, /* what it provides: "what services", "what kind of care" */
};

/* The verbs of providing, serving and covering, in the forms a page writes them. */
static const char *const remit_verbs[] = {
    "provide",  "provides", "providing", "provided",   "serve",   "serves",   "serving",
    "served",   "cover",    "covers",    "covering",   "covered", "offer",    "offers",
    "offering", "deliver",  "delivers",  "delivering", "operate", "operates", "operating",
    "work",     "works",    "working",   NULL};

/* Words between the subject and its verb: "we also provide", "which provides". */
static const char *const fillers[] = {
    "which", "that", "who", "also",     "now",       "currently", "already", "do",
    "does",  "will", "to",  "continue", "continues", "still",     NULL};

/* What the question calls the services ("what kind of care"). */
static const char *const service_nouns[] = {"service", "services", "care", NULL};

/* What a page's clause calls them: "safe and kind care" is how, not what. */
static const char *const stated_services[] = {"service", "services", NULL};

/* Is the folded word @w the organisation as subject ("we", "trust", its name)? */
static bool
is_org_subject(const struct kb *kb, const char *w)
{
    static const char *const subjects[] = {"we",           "trust",      "organisation",
                                           "organization", "foundation", NULL};

    return in_list(w, subjects) || kbar_names_org(kb, w);
}

/*
 * Is @w a word for the ground an organisation covers ("areas", "region")?  Not
 * WordNet's places at large: "what kind of communities do we serve" asks what
 * they are like, "which sites" the sites it runs.
 */
static bool
is_area_noun(const char *w)
{
    static const char *const areas[] = {
        "area",      "areas", "region", "regions",  "county",     "counties", "patch",
        "geography", "place", "places", "locality", "localities", NULL};

    return in_list(w, areas);
}

/*
 * What @q asks of the organisation's remit: a verb of @remit_verbs whose
 * subject is the organisation ("do we cover", "does the trust provide"), asked
 * "where" or about an area noun or the services.  Any other content word must
 * be absent: "where do we provide memory clinics" asks about the clinics.
 */
static enum remit_ask
asks_remit(const struct query *q)
{
    /* Words that only say how the answer is wanted: "which ones", "what kinds". */
    static const char *const vague[] = {"one",   "ones",    "kind",  "kinds", "type",
                                        "types", "sort",    "sorts", "main",  "different",
                                        "all",   "exactly", NULL};
    static const char *const *const verbs[] = {remit_verbs};
    static struct kb_text_wordsets verb_set = KB_TEXT_WORDSETS_INIT(verbs);
    size_t verb = SIZE_MAX, subject = SIZE_MAX;
    bool where = false, area = false, services = false, any_verb = false;

    /* No verb of providing, no remit asked: one hash probe per word first. */
    for (size_t i = 0; i < q->n && !any_verb; i++)
        any_verb = !q->aside[i] && kb_text_wordsets_find(&verb_set, q->w[i].surface) != 0;
    if (!any_verb)
        return REMIT_NONE;
    for (size_t i = 0; i < q->n; i++) {
        const char *w = q->w[i].surface;

        if (q->aside[i])
            continue;
        if (q->content[i] && !in_list(w, remit_verbs) && !is_org_subject(q->kb, w) &&
            !is_area_noun(w) && !in_list(w, service_nouns) && !in_list(w, vague))
            return REMIT_NONE;
        if (verb == SIZE_MAX && in_list(w, remit_verbs) && subject != SIZE_MAX &&
            i - subject <= 3)
            verb = i;
        if (is_org_subject(q->kb, w))
            subject = i;
        if (strcmp(w, "where") == 0 || strcmp(w, "wheres") == 0)
            where = true;
        if (is_area_noun(w))
            area = true;
        if (in_list(w, service_nouns))
            services = true;
    }
    if (verb == SIZE_MAX)
        return REMIT_NONE;
    if (where || area)
        return REMIT_WHERE;
    /* "what services do we provide": the services asked for, not "how". */
    if (services && (has_word(q, "what") || has_word(q, "whats") || has_word(q, "which")))
        return REMIT_SERVICES;
    return REMIT_NONE;
}

/* The words of @s, folded, with where each starts: enough for one sentence. */
struct remit_words {
    char w[96][32];
    size_t at[96];
    size_t n;
};

static void
split_words(const char *s, struct remit_words *out)
{
    size_t i = 0;

    out->n = 0;
    while (s[i] != '\0' && out->n < 96) {
        size_t len = 0;

        if (!isalpha((unsigned char)s[i])) {
            i++;
            continue;
        }
        out->at[out->n] = i;
        while (isalpha((unsigned char)s[i])) {
            if (len + 1 < sizeof(out->w[0]))
                out->w[out->n][len++] = (char)tolower((unsigned char)s[i]);
            i++;
        }
        out->w[out->n][len] = '\0';
        out->n++;
    }
}

/* Does @clause (up to @end) name a place by its name: "across Wexley", "in the North"? */
static bool
clause_names_place(const char *clause, const char *end)
{
    static const char *const preps[] = {
        " across ", " in ", " throughout ", " for ", " covering ", " serving ", NULL};

    for (size_t i = 0; preps[i] != NULL; i++) {
        size_t n = strlen(preps[i]);

        for (const char *p = strstr(clause, preps[i]); p != NULL && p < end;
             p = strstr(p + 1, preps[i])) {
            const char *x = p + n;

            if (strncmp(x, "the ", 4) == 0)
                x += 4;
            if (x < end && isupper((unsigned char)x[0]))
                return true;
        }
    }
    return false;
}

/*
 * Does passage @text say what the organisation provides or where: a remit
 * verb whose subject (past the fillers) is the organisation, and in the rest
 * of its clause a place by name (REMIT_WHERE) or a service noun
 * (REMIT_SERVICES)?
 */
static bool
states_remit(const struct kb *kb, const char *text, enum remit_ask ask)
{
    struct remit_words ws;

    split_words(text, &ws);
    for (size_t k = 1; k < ws.n; k++) {
        size_t j = k;

        if (!in_list(ws.w[k], remit_verbs))
            continue;
        while (j > 0 && in_list(ws.w[j - 1], fillers))
            j--;
        if (j == 0 || !is_org_subject(kb, ws.w[j - 1]))
            continue;
        const char *clause = text + ws.at[k];
        const char *end = clause + strcspn(clause, ".;)");

        if (ask == REMIT_WHERE && clause_names_place(clause, end))
            return true;
        if (ask == REMIT_SERVICES) {
            for (size_t m = k + 1; m < ws.n && text + ws.at[m] < end; m++) {
                if (in_list(ws.w[m], stated_services))
                    return true;
            }
        }
    }
    return false;
}

bool
kbarm_answer_remit(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    enum remit_ask ask = asks_remit(q);

    (void)e;
    if (ask == REMIT_NONE)
        return false;
    for (size_t p = 0; p < q->kb->npassages; p++) {
        if (states_remit(q->kb, q->kb->passages[p].text, ask)) {
            a->intent = KB_INTENT_FACT;
            a->answered = true;
            a->confidence = 0.85;
            add_ref(a, KB_DOC_PASSAGE, p, 0);
            return true;
        }
    }
    /* The page does not say what the organisation provides or where. */
    a->intent = KB_INTENT_OUT_OF_SCOPE;
    a->answered = false;
    a->confidence = 0.8;
    return true;
}
