/*
 * kb_answer_called.c - a strategy or plan the page names only in a sentence,
 * on a KB with no strategy name: "The Trust has launched its new five-year
 * strategy – First for our patients ...", "we responded with the creation of
 * the Shaping our Future Wellbeing Strategy", "the regional healthcare plan is
 * called “Better Health ...”".  "what's our strategy called?" is answered by a
 * sentence of our own naming one ("our", "its", "we"; not "whose" or "their"
 * plan); "what is the regional plan called?" by one naming a plan with the
 * question's other words.  The sentence is quoted.
 */
#include "bot/kb/kb_answer_int.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "bot/kb/kb.h"

/* Words of a question about a name that qualify no plan. */
static const char *const plain[] = {"strategi", "plan",    "name",    "call", "our",
                                    "new",      "current", "overall", "main", "trust",
                                    "organis",  "organiz", "full",    NULL};

/* Short words a title keeps in lower case ("Shaping our Future Wellbeing"). */
static const char *const title_small[] = {"our", "for",  "and", "of", "the", "to",
                                          "in",  "with", "at",  "a",  "&",   NULL};

/* Is the word at @p (@n bytes) "strategy" or "plan", in any case? */
static bool
is_plan_word(const char *p, size_t n)
{
    return (n == 8 && strncasecmp(p, "strategy", 8) == 0) ||
           (n == 4 && strncasecmp(p, "plan", 4) == 0);
}

/* Does a name start at @p: a capital letter or an opening quote? */
static bool
name_starts(const char *p)
{
    return isupper((unsigned char)*p) || *p == '"' || *p == '\'' ||
           strncmp(p, "\xe2\x80\x9c", 3) == 0 || strncmp(p, "\xe2\x80\x98", 3) == 0;
}

/* After the plan word at @p: "is called X", "called X", "named X", "– X", ": X". */
static bool
named_after(const char *p)
{
    static const char *const leads[] = {
        "is called ",    "is named ", "called ", "named ", "\xe2\x80\x93 ",
        "\xe2\x80\x94 ", "- ",        ": ",      NULL};

    while (*p == ' ')
        p++;
    for (size_t k = 0; leads[k]; k++) {
        size_t n = strlen(leads[k]);

        if (strncmp(p, leads[k], n) == 0) {
            p += n;
            while (*p == ' ')
                p++;
            return name_starts(p);
        }
    }
    return false;
}

/*
 * Before the capitalised plan word at @p in @text: a title of at least three
 * words, two capitalised ("the Shaping our Future Wellbeing Strategy"); not
 * "Our Trust Strategy".
 */
static bool
named_before(const char *text, const char *p)
{
    size_t words = 0, caps = 0;
    const char *q = p;

    if (!isupper((unsigned char)*p))
        return false;
    while (q > text) {
        const char *end = q, *start;
        char w[16];
        size_t n;

        while (end > text && end[-1] == ' ')
            end--;
        start = end;
        while (start > text && isalnum((unsigned char)start[-1]))
            start--;
        n = (size_t)(end - start);
        if (n == 0 || n >= sizeof(w))
            break;
        memcpy(w, start, n);
        w[n] = '\0';
        if (isupper((unsigned char)w[0]))
            caps++;
        else if (!kb_text_in_list(w, title_small))
            break;
        words++;
        q = start;
    }
    return words >= 3 && caps >= 2;
}

/*
 * Does @text name a plan or strategy, ours (@own: "our", "its", "we" in it, no
 * "whose" or "their" before the plan word) or any?
 */
static bool
names_plan(const char *text, bool own)
{
    for (const char *p = text; *p; p++) {
        size_t n = 0;

        if (p > text && isalpha((unsigned char)p[-1]))
            continue;
        while (isalpha((unsigned char)p[n]))
            n++;
        if (n == 0 || !is_plan_word(p, n)) {
            p += n ? n - 1 : 0;
            continue;
        }
        if (named_after(p + n) || named_before(text, p)) {
            if (!own)
                return true;
            for (const char *b = text; b < p; b++) {
                if ((strncasecmp(b, "whose ", 6) == 0 ||
                     strncasecmp(b, "their ", 6) == 0) &&
                    (b == text || !isalpha((unsigned char)b[-1])))
                    return false;
            }
            return true;
        }
        p += n - 1;
    }
    return false;
}

/* Does the passage's @t hold a word of our own ("our", "its", "we", "us")? */
static bool
speaks_of_own(const struct tokens *t)
{
    static const char *const own[] = {"our", "its", "we", "us", NULL};

    for (size_t k = 0; k < t->n; k++) {
        if (in_list(t->w[k].surface, own))
            return true;
    }
    return false;
}

bool
kbacl_answer_plan_name(struct kb_engine *e, const struct query *q, struct kb_answer *a)
{
    size_t qual[MAX_WORDS], nqual = 0;

    for (size_t i = 0; i < q->n; i++) {
        if (!q->content[i] || q->aside[i] || in_list(q->w[i].stem, plain) ||
            kbar_is_question_word(q->w[i].surface))
            continue;
        qual[nqual++] = i;
    }
    for (size_t i = 0; i < q->kb->npassages; i++) {
        const char *text = q->kb->passages[i].text;
        const struct tokens *t = kba_tokens(e, text);
        bool all = true;

        for (size_t k = 0; k < nqual && all; k++) {
            bool met = false;

            for (size_t j = 0; j < t->n && !met; j++)
                met = strcmp(t->w[j].stem, q->w[qual[k]].stem) == 0;
            all = met;
        }
        if (!all || !names_plan(text, nqual == 0) || (nqual == 0 && !speaks_of_own(t)))
            continue;
        a->intent = KB_INTENT_FACT;
        a->answered = true;
        a->confidence = 0.85;
        add_ref(a, KB_DOC_PASSAGE, i, 0);
        return true;
    }
    return false;
}
