/*
 * kb_build_prose.c - goals and statements a page gives in running prose
 * rather than under a heading that names them.
 *
 * "Over the next five years we have three main priorities." then as many
 * headings, each over a paragraph: the sentence counts the goals and the
 * headings name them, though no heading says "priorities".  "... shaped by
 * our vision to help every family live well at home, and ...": the vision,
 * named in passing by what it sets out to do.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb_build_int.h"

/* Is @b a heading, or a title-like line, that names no section of its own? */
static bool
plain_heading(const struct kb_block *b)
{
    if (b->kind != KB_BLOCK_HEADING &&
        !(b->kind == KB_BLOCK_PARAGRAPH && kbw_title_like(b->text)))
        return false;
    return kb_build_words_classify(b->text).sect == SECT_NONE && !kbw_is_nav(b->text) &&
           !kbw_link_text(b->text);
}

/* Is @b text under a heading: a paragraph that is no title, or a list item? */
static bool
body_text(const struct kb_block *b)
{
    return b->kind == KB_BLOCK_ITEM ||
           (b->kind == KB_BLOCK_PARAGRAPH && !kbw_title_like(b->text));
}

bool
kbp_headings_of(const struct bctx *c, const struct kb_block *b, unsigned n)
{
    const struct kb_block *p = b + 1, *end = c->doc->blocks + c->doc->nblocks;
    unsigned k = 0, level = 0;

    while (k < n && p < end) {
        const struct kb_block *h = p++;

        if (!plain_heading(h))
            return false;
        /* the headings counted stand at one level */
        if (k == 0)
            level = h->level;
        else if (h->level != level)
            return false;
        if (p >= end || !body_text(p))
            return false;
        while (p < end && body_text(p))
            p++;
        k++;
    }
    return k == n;
}

/*
 * "Everything we do is shaped by our vision to help every family live well at
 * home, and ...": the statement named in passing by an infinitive after "our
 * mission" or "our vision", up to the clause's end.  "our vision to 2030" (a
 * year) and "our vision to the board" (a noun phrase) state nothing.
 */
void
kbp_infinitive_statement(struct bctx *c, const char *s, unsigned line)
{
    static const char *const pats[] = {"our mission to ", "our vision to "};
    static const char *const stops[] = {",",   ";",    ":",     " \xe2\x80\x93 ",
                                        " - ", " is ", " are ", NULL};
    static const char *const not_verbs[] = {"the",  "a",     "an",     "our",
                                            "this", "these", "that",   "all",
                                            "date", "life",  "reality"};

    for (size_t i = 0; i < 2; i++) {
        const char *p = kbw_find_ci(s, pats[i]), *start, *verb;
        size_t wl;
        bool verb_ok = true;
        char *text;

        /* "our" as a word: "your vision to ..." is someone else's */
        while (p != NULL && p > s && isalnum((unsigned char)p[-1]))
            p = kbw_find_ci(p + 1, pats[i]);
        if (p == NULL || c->weak[i].text != NULL)
            continue;
        start = p + strlen(pats[i]) - 3; /* from "to " */
        verb = start + 3;
        wl = strcspn(verb, " ,.;");
        if (wl < 2 || !islower((unsigned char)verb[0]))
            continue;
        for (size_t k = 0; k < sizeof(not_verbs) / sizeof(not_verbs[0]); k++)
            verb_ok = verb_ok && !(strlen(not_verbs[k]) == wl &&
                                   strncmp(verb, not_verbs[k], wl) == 0);
        if (!verb_ok)
            continue;
        text = kbt_clause_until(start, stops);
        if (kbw_words(text) < 5) {
            free(text);
            continue;
        }
        text[0] = 'T'; /* "To help ...": a statement as the page would head it */
        c->weak[i].text = text;
        c->weak[i].line = line;
        kbb_where(c, &c->weak[i].page, &c->weak[i].src);
    }
}

struct colon_ctx {
    struct bctx *c;
    const struct kb_block *b;
    size_t n; /* goals taken */
};

/*
 * Does @head (the words before the colon) lead in to goals as what the colon
 * lists?  Not when it counts something else ("three groups") or names who
 * shaped them ("Our priorities were shaped by ...": " by " after the goals'
 * word).
 */
static bool
lists_goals(const char *head)
{
    char *w = kbw_lower_words(head);
    const char *p = w, *after_goal = NULL;
    bool ok = true;

    while (*p && ok) {
        size_t len = strcspn(p, " ");
        const char *next = p + len;
        char word[32];

        while (*next == ' ')
            next++;
        snprintf(word, sizeof(word), "%.*s", (int)(len < 31 ? len : 31), p);
        if (kb_build_words_classify_mentions_goals(word))
            after_goal = next;
        /* a count names the goals ("our three initiatives"), perhaps after a
           word ("three strategic initiatives") */
        if (kbw_number_word(p, len) >= 2 && *next) {
            size_t l2 = strcspn(next, " ");
            const char *third = next + l2;
            char two[64];

            while (*third == ' ')
                third++;
            snprintf(two, sizeof(two), "%.*s %.*s", (int)(l2 < 31 ? l2 : 31), next,
                     (int)(strcspn(third, " ") < 31 ? strcspn(third, " ") : 31), third);
            ok = kb_build_words_classify_mentions_goals(two);
        }
        p = next;
    }
    if (ok && after_goal != NULL)
        ok = strncmp(after_goal, "by ", 3) != 0 && strstr(after_goal, " by ") == NULL;
    free(w);
    return ok && after_goal != NULL;
}

/* One sentence of kbp_colon_goals(): @s of @len bytes. */
static void
colon_sentence(void *arg, const char *s, size_t len)
{
    struct colon_ctx *x = arg;
    char *t, *colon, *end, *head, names[8][64];
    struct klass k;
    size_t n;

    if (x->n > 0)
        return;
    t = xstrndup(s, len);
    kbw_squeeze(t);
    colon = strstr(t, ": ");
    if (colon == NULL || strstr(colon + 2, ": ") != NULL) {
        free(t);
        return;
    }
    end = colon + strlen(colon);
    while (end > colon && (end[-1] == '.' || end[-1] == ' '))
        end--;
    head = xasprintf("%.*s:", (int)(colon - t), t);
    k = kb_build_words_classify_intro(head);
    n = k.sect == SECT_GOALS && !k.sources && lists_goals(head)
            ? kbn_split_names(colon + 2, end, 4, names)
            : 0;
    free(head);
    if (n < 2 || (k.count != 0 && n != k.count))
        n = 0;
    for (size_t i = 0; i < n; i++) {
        /* names, not clauses or what the list points at */
        if (!kbn_name_ok(names[i]) || kbw_starts_ci(names[i], "the ") ||
            kbw_starts_ci(names[i], "our ") || kbw_starts_ci(names[i], "we "))
            n = 0;
    }
    for (size_t i = 0; i < n; i++) {
        names[i][0] = (char)toupper((unsigned char)names[i][0]);
        kbg_new_goal(x->c, names[i], NULL, 0, x->b->line, FROM_LINE);
    }
    x->n = n;
    free(t);
}

/*
 * "It also describes our strategic initiatives, and the work that falls under
 * each: inspirational people, exceptional care, and transforming lives.": a
 * sentence whose words before its colon would lead in to the goals, the goals
 * named after it to the sentence's end.  For when no section gave goals;
 * returns how many were taken.
 */
size_t
kbp_colon_goals(struct bctx *c, const struct kb_block *b)
{
    struct colon_ctx x = {c, b, 0};

    if (b->kind != KB_BLOCK_PARAGRAPH || kbw_is_intro(b->text))
        return 0;
    kbw_each_sentence(b->text, colon_sentence, &x);
    if (x.n > 0) {
        free(c->goal_how);
        c->goal_how = xstrdup("inline list after a colon");
    }
    return x.n;
}

/* Four digits at @p, not part of a longer number. */
static bool
four_digits(const char *p)
{
    return isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
           isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
           !isdigit((unsigned char)p[4]);
}

size_t
kbp_year_span(const char *p)
{
    const char *q = p;
    size_t d = 0;

    if (*q == '(')
        q++;
    if (!four_digits(q))
        return 0;
    q += 4;
    while (*q == ' ')
        q++;
    if (strncmp(q, "\xe2\x80\x93", 3) == 0 || strncmp(q, "\xe2\x80\x94", 3) == 0)
        q += 3;
    else if (*q == '-')
        q++;
    else if (strncmp(q, "to ", 3) == 0)
        q += 2;
    else
        return 0;
    while (*q == ' ')
        q++;
    while (isdigit((unsigned char)q[d]))
        d++;
    if (d != 2 && d != 4)
        return 0;
    q += d;
    if (*p == '(') {
        if (*q != ')')
            return 0;
        q++;
    }
    return (size_t)(q - p);
}
