/*
 * kb_build_names.c - how a line or a sentence names values.
 *
 * What may be a value's name (not a call to action, not a sentence), a
 * line written "Name: definition" / "Name - definition" or "We are
 * caring: ...", the fields of "What it means / What it looks like" lines,
 * behaviours listed after a name, and values named in a list inside a
 * sentence ("Our values are care, respect and openness").
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb_build_int.h"
static bool
action_start(const char *s)
{
    static const char *const verbs[] = {"download ", "read ",  "find ",  "contact ",
                                        "follow ",   "share ", "watch ", "visit ",
                                        "view ",     "see ",   "click ", "learn more",
                                        "our ",      "the ",   "this ",  NULL};

    for (size_t i = 0; verbs[i] != NULL; i++) {
        if (kbw_starts_ci(s, verbs[i]))
            return true;
    }
    return kbw_question_start(s);
}

/*
 * A job title: a few words, no sentence, one of them naming a post ("Chief
 * Executive", "Director of Nursing", "Non-Executive Director").  A line
 * "Name - Job title" names a person, not a value.
 */
static bool
job_title(const char *s)
{
    static const char *const posts[] = {
        "director",    "chief",     "officer",    "chair",     "chairman", "chairwoman",
        "chairperson", "manager",   "consultant", "secretary", "governor", "matron",
        "president",   "treasurer", "trustee",    "dean",      "surgeon",  "physician",
        "registrar",   "executive", NULL};
    char *w = kbw_lower_words(s);
    size_t n = kbw_words(w);
    bool post = false, we = false;

    for (const char *p = w; *p && n > 0 && n <= 7;) {
        size_t len = strcspn(p, " ");

        for (size_t i = 0; posts[i] != NULL && !post; i++)
            post = strlen(posts[i]) == len && strncmp(p, posts[i], len) == 0;
        we = we || (len == 2 && strncmp(p, "we", 2) == 0) ||
             (len == 3 && strncmp(p, "our", 3) == 0);
        p += len;
        while (*p == ' ')
            p++;
    }
    free(w);
    return post && !we && !kbw_terminal(s);
}

/* A person's name with an honorific ("Dr Ann Lee", "Professor Sam Ode"), or a
   line naming one and their post ("Mark Hollis - Chief Executive"). */
static bool
person(const char *s)
{
    static const char *const titles[] = {"dr ",   "mr ",   "mrs ",        "ms ",
                                         "miss ", "prof ", "professor ",  "sir ",
                                         "dame ", "cllr ", "councillor ", NULL};
    const char *rest, *sep;

    for (size_t i = 0; titles[i] != NULL; i++) {
        if (kbw_starts_ci(s, titles[i]) && isupper((unsigned char)s[strlen(titles[i])]))
            return true;
    }
    sep = kbw_separator(s, &rest);
    return sep != NULL && job_title(rest);
}

/* A value's name: up to five words (a bracketed gloss not counted), no sentence,
   not the name of another part of a page ("Behaviours", "Related pages"), not a
   person. */
bool
kbn_name_ok(const char *s)
{
    static const char *const parts[] = {
        "behaviours", "behaviors",           "our behaviours",   "related pages",
        "downloads",  "documents",           "more information", "contact us",
        "strategy",   "further information", "resources",        NULL};
    char *w = kbw_lower_words(s);
    size_t n = kbw_words(w);
    bool part = false;

    for (size_t i = 0; parts[i] != NULL && !part; i++)
        part = strcmp(w, parts[i]) == 0;
    /* "FIRST Trust values" (a banner's alt text) names the values, it is none */
    part = part || strcmp(w, "values") == 0 || strncmp(w, "values ", 7) == 0 ||
           (strlen(w) > 7 && strcmp(w + strlen(w) - 7, " values") == 0) ||
           strstr(w, " values ") != NULL;
    free(w);
    if (n == 0 || n > 5 || part || action_start(s) || person(s))
        return false;
    for (const char *p = s; *p; p++) {
        if (strchr(".:;!?\"|", *p) != NULL)
            return false;
    }
    return true;
}

/* "H - Honesty" -> "Honesty"; "We are caring" -> "caring". Returns borrowed @s past it.
 */
const char *
kbn_skip_name_prefix(const char *s)
{
    if (isupper((unsigned char)s[0]) && (s[1] == ' ') &&
        (strncmp(s + 2, "- ", 2) == 0 || strncmp(s + 2, "\xe2\x80\x93 ", 4) == 0 ||
         strncmp(s + 2, "\xe2\x80\x94 ", 4) == 0 || strncmp(s + 2, ": ", 2) == 0))
        return kbw_skip_separator(s + 2);
    if (kbw_starts_ci(s, "we ") && islower((unsigned char)s[3])) {
        /* "We pursue Excellence": a verb, then the name in capitals */
        const char *verb_end = strchr(s + 3, ' ');

        if (verb_end != NULL && !kbw_starts_ci(s, "we are ") &&
            isupper((unsigned char)verb_end[1]) && kbw_words(s) <= 4 &&
            strpbrk(s, ".:;,") == NULL)
            return verb_end + 1;
    }
    if (kbw_starts_ci(s, "we are ")) {
        /* the name runs to the first colon, full stop or dash, a few words in */
        const char *rest, *dash = kbw_separator(s + 7, &rest);
        size_t n = strcspn(s + 7, ":.");
        char *name;

        if (dash != NULL && (size_t)(dash - (s + 7)) < n)
            n = (size_t)(dash - (s + 7));
        name = xstrndup(s + 7, n);
        bool ok = kbw_words(name) <= 3;

        free(name);
        if (ok)
            return s + 7;
    }
    return s;
}

/*
 * Parses "Name: definition", "Name - definition", "**Name** - ...",
 * "S - Safe: ...", "We are caring: ...", "We are open. ...".  On success
 * returns true with *name and *def (out, new strings).
 */
bool
kbn_value_line(const char *text, const char *lead, char **name, char **def)
{
    const char *t = kbn_skip_name_prefix(text), *rest = NULL, *sep;

    if (lead != NULL && strncmp(text, lead, strlen(lead)) == 0) {
        char *ln = kbg_lead_name(lead);
        const char *l = ln ? kbn_skip_name_prefix(ln) : NULL;

        if (l == NULL || !kbn_name_ok(l)) {
            free(ln);
            return false;
        }
        *name = xstrdup(l);
        *def = xstrdup(kbw_skip_separator(text + strlen(lead)));
        free(ln);
        return true;
    }
    if (t != text && kbw_starts_ci(text, "we are ")) {
        /* "We are open. We share ...", "We are compassionate.", "We are Caring - ..." */
        const char *dot = strchr(t, '.'), *colon = kbw_separator(t, &rest);

        if (colon != NULL && (dot == NULL || colon < dot)) {
            sep = colon;
        } else if (dot != NULL) {
            sep = dot;
            rest = kbw_skip_separator(dot + 1);
        } else {
            sep = t + strlen(t);
            rest = sep;
        }
    } else {
        sep = kbw_separator(t, &rest);
        if (sep == NULL)
            return false;
    }
    if (sep == t)
        return false;
    *name = xstrndup(t, (size_t)(sep - t));
    kbw_squeeze(*name);
    if (!kbn_name_ok(*name)) {
        free(*name);
        return false;
    }
    /* "Last updated: November 2025" is a page's date, not a value; "Mark Hollis -
       Chief Executive" is a person */
    if (kbw_is_date(rest) || job_title(rest)) {
        free(*name);
        return false;
    }
    *def = xstrdup(rest);
    return true;
}

/* The field a line under a value starts with; *rest (out) is after its colon. */
enum field
kbn_field_of(const char *t, const char **rest)
{
    static const char *const means[] = {"what it means:", "what this means:", "meaning:",
                                        "definition:",    "in short:",        NULL};
    static const char *const looks[] = {"what it looks like:",
                                        "this looks like:",
                                        "what you will see:",
                                        "what you'll see:",
                                        "looks like:",
                                        "in practice:",
                                        "what this looks like:",
                                        "behaviours:",
                                        "how we behave:",
                                        "you will see:",
                                        NULL};
    static const char *const we[] = {
        "we will:",   "we won't:",   "we will not:", "we are:", "we do:", "we don't:",
        "we do not:", "we are not:", "i will:",      "we:",     NULL};

    for (size_t i = 0; means[i] != NULL; i++) {
        if (kbw_starts_ci(t, means[i])) {
            *rest = kbw_skip_separator(t + strlen(means[i]));
            return FIELD_MEANS;
        }
    }
    for (size_t i = 0; looks[i] != NULL; i++) {
        if (kbw_starts_ci(t, looks[i])) {
            *rest = kbw_skip_separator(t + strlen(looks[i]));
            return FIELD_LOOKS;
        }
    }
    for (size_t i = 0; we[i] != NULL; i++) {
        if (kbw_starts_ci(t, we[i])) {
            *rest = kbw_skip_separator(t + strlen(we[i]));
            return FIELD_WE;
        }
    }
    {
        /* "We will" or "We will not" as a line of its own, without its colon: the
           same lead-in over the list that follows */
        size_t n = strlen(t), k;

        while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '.'))
            n--;
        for (size_t i = 0; we[i + 1] != NULL; i++) { /* not the bare "we" */
            k = strlen(we[i]) - 1;
            if (n == k && strncasecmp(t, we[i], k) == 0) {
                *rest = t + strlen(t);
                return FIELD_WE;
            }
        }
    }
    return FIELD_NONE;
}

/* "We don't:", "We will not:", "Don't": a lead-in for what not to do, without its
   colon, as a new string; NULL for any other line. */
char *
kbn_negative_lead(const char *t)
{
    static const char *const neg[] = {
        "we won't", "we will not", "we don't", "we do not", "we are not", "don't",
        "do not",   "we never",    "we wont",  "we dont",   NULL};
    size_t n = strlen(t);

    while (n > 0 && (t[n - 1] == ':' || t[n - 1] == ' ' || t[n - 1] == '.'))
        n--;
    for (size_t i = 0; neg[i] != NULL; i++) {
        if (n == strlen(neg[i]) && strncasecmp(t, neg[i], n) == 0)
            return xstrndup(t, n);
    }
    {
        /* "Don’t", "We don’t": a curly apostrophe */
        char *plain = xstrndup(t, n), *q;

        while ((q = strstr(plain, "\xe2\x80\x99")) != NULL)
            memmove(q + 1, q + 3, strlen(q + 3) + 1), *q = '\'';
        for (size_t i = 0; neg[i] != NULL; i++) {
            if (strcasecmp(plain, neg[i]) == 0) {
                free(plain);
                return xstrndup(t, n);
            }
        }
        free(plain);
    }
    return NULL;
}

/* Adds behaviour @t to @v, after the negative lead-in it stands under, if any:
   "We don't" and "ignore people" make "We don't ignore people". */
void
kbn_push_behaviour(const struct bctx *c, struct kb_value *v, const char *t, unsigned line)
{
    char *joined;

    if (c->beh_prefix == NULL) {
        kbv_push_sub(c, &v->behaviours, &v->nbehaviours, t, line);
        return;
    }
    joined = xasprintf("%s %s", c->beh_prefix, t);
    {
        char *first = joined + strlen(c->beh_prefix) + 1;

        if (isupper((unsigned char)first[0]) && islower((unsigned char)first[1]))
            first[0] = (char)tolower((unsigned char)first[0]);
    }
    kbv_push_sub(c, &v->behaviours, &v->nbehaviours, joined, line);
    free(joined);
}

/* "We are: welcoming, patient and thoughtful" - behaviours listed after a field. */
void
kbn_add_listed(const struct bctx *c, struct kb_value *v, const char *list, unsigned line)
{
    char *s = xstrdup(list), *p = s, *and = NULL;

    /* "a, b and c" / "a, b, and c": the last " and " separates too */
    for (char *q = s; (q = strstr(q, " and ")) != NULL; q++)
        and = q;
    if (and != NULL) {
        memmove(and+1, and+4, strlen(and+4) + 1);
        and[0] = ',';
    }
    for (;;) {
        char *e = strchr(p, ','), *item;
        size_t n;

        if (e != NULL)
            *e = '\0';
        kbw_squeeze(p);
        item = p;
        n = strlen(item);
        while (n > 0 && strchr(".;", item[n - 1]))
            item[--n] = '\0';
        if (n > 0)
            kbv_push_sub(c, &v->behaviours, &v->nbehaviours, item, line);
        if (e == NULL)
            break;
        p = e + 1;
    }
    free(s);
}

/* -- lists inside a sentence ------------------------------------------- */

static bool
stop_word(const char *w, size_t len)
{
    static const char *const stops[] = {
        "at",     "in",      "all",   "to",       "which",     "that", "are",  "is",
        "stay",   "stays",   "guide", "guides",   "will",      "as",   "for",  "with",
        "remain", "remains", "every", "underpin", "underpins", "sit",  "sits", "the",
        "we",     "our",     "and",   "have",     "has",       "were", "was",  "run",
        "runs",   "lie",     "lies",  "shape",    "shapes",    NULL};

    for (size_t i = 0; stops[i] != NULL; i++) {
        if (len == strlen(stops[i]) && strncasecmp(w, stops[i], len) == 0)
            return true;
    }
    return false;
}

/* Does a preposition start the word at @q (after spaces)? */
static bool
preposition_follows(const char *q)
{
    static const char *const preps[] = {"with ", "by ",      "into ",
                                        "from ", "through ", NULL};

    while (*q == ' ')
        q++;
    for (size_t i = 0; preps[i] != NULL; i++) {
        if (kbw_starts_ci(q, preps[i]))
            return true;
    }
    return false;
}

/*
 * Splits "a, b and c" (or "a; b; and c") at @list, ending at @end, into at
 * most 8 names of at most @max_words words in @out.  The last name is cut before the
 * sentence goes on
 * ("teamwork at the centre of ...").  Returns how many, 0 if any is not a
 * short name.
 */
size_t
kbn_split_names(const char *list, const char *end, size_t max_words, char out[8][64])
{
    char *s = xstrndup(list, (size_t)(end - list)), *p = s;
    char sep = strchr(s, ';') ? ';' : ',';
    size_t n = 0;
    bool ok = true;

    for (;;) {
        char *e = strchr(p, sep), *item;
        char *and;

        if (e != NULL)
            *e = '\0';
        kbw_squeeze(p);
        item = p;
        if (kbw_starts_ci(item, "and "))
            item += 4;
        else if (kbw_starts_ci(item, "or "))
            item += 3;
        if (e == NULL && n >= 2 && sep == ',' &&
            (kbw_starts_ci(item, "the ") || kbw_starts_ci(item, "this ") ||
             kbw_starts_ci(item, "our ") || kbw_starts_ci(item, "its "))) {
            /* "a, b and c, the strategy has ...": the list ended at "b and c" */
            char *last = out[n - 1], *a2 = strstr(last, " and ");

            if (a2 != NULL && n < 8) {
                *a2 = '\0';
                snprintf(out[n++], 64, "%s", a2 + 5);
            }
            break;
        }
        /* "b and c" in the last comma item holds two; "Sharing and open and
           Together": the "and" before a capital starts the last name when the names
           are capitalised */
        and = e == NULL && sep == ',' ? strstr(item, " and ") : NULL;
        if (and != NULL && isupper((unsigned char)item[0])) {
            for (char *a = and; (a = strstr(a + 1, " and ")) != NULL;) {
                if (isupper((unsigned char)a[5]))
                    and = a;
            }
        }
        if (and != NULL) {
            *and = '\0';
            if (n < 8)
                snprintf(out[n++], 64, "%s", item);
            item = and+5;
        }
        if (e == NULL && max_words <= 3) {
            /* Cut the last name before the sentence goes on (names of a few words;
               longer ones run to the end of their sentence). */
            char *q = item;
            size_t words = 0;

            while (*q) {
                char *ws = q;
                size_t len;

                while (*q && *q != ' ')
                    q++;
                len = (size_t)(q - ws);
                if (words > 0 && stop_word(ws, len)) {
                    ws[-1] = '\0';
                    break;
                }
                /* "learning combined with a grassroots approach": a participle and
                   a preposition carry the sentence on past the name */
                if (words > 0 && len > 3 && strncmp(q - 2, "ed", 2) == 0 &&
                    preposition_follows(q)) {
                    ws[-1] = '\0';
                    break;
                }
                words++;
                while (*q == ' ')
                    q++;
            }
        }
        {
            size_t len = strlen(item);

            while (len > 0 && strchr(".:;, ", item[len - 1]))
                item[--len] = '\0';
            kbw_trim_separator(item); /* "Support - with the first letters ..." */
        }
        /* "what you like, what you don't like and how you think ...": clauses, not
           names */
        if (*item == '\0' || kbw_words(item) > max_words ||
            strpbrk(item, "0123456789\"") != NULL || kbw_question_start(item))
            ok = false;
        else if (n < 8)
            snprintf(out[n++], 64, "%s", item);
        if (e == NULL)
            break;
        p = e + 1;
    }
    free(s);
    return ok && n >= 2 ? n : 0;
}

/*
 * Values listed in a sentence: "Our values are partnership, openness and
 * care", "three values: respect, hope and teamwork", "values of compassion,
 * courage and teamwork at the centre", "values - respect, teamwork and
 * integrity - stay", "five core values ... guide how we work: A; B; and C".
 */
void
kbn_inline_values(struct bctx *c, const char *s, unsigned line)
{
    const char *v = NULL, *p, *list = NULL, *end;
    bool are = false;
    char names[8][64];
    size_t n;

    if (c->ninl > 0)
        return;
    /* "Values in Action reflects our values of care, ...": the first "values" that a
       list follows */
    for (p = s; (p = kbw_find_ci(p, "values")) != NULL; p += 6) {
        if ((p == s || !isalpha((unsigned char)p[-1])) && !isalpha((unsigned char)p[6])) {
            if (v == NULL)
                v = p + 6;
            if (kbw_starts_ci(p + 6, " are ") || kbw_starts_ci(p + 6, " of ") ||
                kbw_starts_ci(p + 6, ": ") || kbw_starts_ci(p + 6, " - ") ||
                kbw_starts_ci(p + 6, " \xe2\x80\x93 ") ||
                kbw_starts_ci(p + 6, " \xe2\x80\x94 ")) {
                v = p + 6;
                break;
            }
        }
    }
    if (v == NULL)
        return;
    if (*v == ',' && (p = strstr(v, ", are ")) != NULL && p - v < 80 &&
        memchr(v, '.', (size_t)(p - v)) == NULL) {
        /* "Our values, which are at the heart of everything we do, are A, B and C" */
        v = p + 1;
    }
    if (kbw_starts_ci(v, " are ") && !kbw_starts_ci(v, " are at ")) {
        list = v + 5;
        /* "Our values are to be caring, safe and excellent" */
        if (kbw_starts_ci(list, "to be "))
            list += 6;
        are = true;
        if ((p = strrchr(list, ':')) != NULL && p[1] == ' ') {
            /* "The values are based around four key points: A, B, C and D" - the
               names follow the colon */
            list = p + 2;
            are = false;
        }
    } else if (kbw_starts_ci(v, " of ")) {
        list = v + 4;
    } else if (kbw_starts_ci(v, ": ")) {
        list = v + 2;
    } else if (kbw_starts_ci(v, " \xe2\x80\x93 ") || kbw_starts_ci(v, " \xe2\x80\x94 ") ||
               kbw_starts_ci(v, " - ")) {
        const char *e2;

        list = kbw_skip_separator(v);
        e2 = strstr(list, " \xe2\x80\x93 ");
        if (e2 == NULL)
            e2 = strstr(list, " \xe2\x80\x94 ");
        if (e2 == NULL)
            e2 = strstr(list, " - ");
        if (e2 != NULL) {
            const char *after = kbw_skip_separator(e2);
            /* "values - which were set by staff - guide how ...: A; B" */
            const char *colon = strrchr(after, ':');

            if (colon != NULL && colon[1] == ' ') {
                list = colon + 2;
            } else {
                n = kbn_split_names(list, e2, 3, names);
                goto found;
            }
        }
    } else if ((p = strrchr(v, ':')) != NULL && p[1] == ' ') {
        list = p + 2;
    }
    if (list == NULL)
        return;
    end = list + strlen(list);
    n = kbn_split_names(list, end, 3, names);
found:
    /* "our values are well-embedded and widely known" describes them: two lower-case
       words after "are" are read as a description, three or more as a list */
    if (are && n == 2 && islower((unsigned char)names[0][0]) &&
        islower((unsigned char)names[1][0]))
        n = 0;
    for (size_t i = 0; i < n; i++) {
        c->inl = xreallocarray(c->inl, c->ninl + 1, sizeof(*c->inl));
        c->inl[c->ninl++] = (struct kb_value){
            .name = xstrdup(names[i]), .description = xstrdup(""), .line = line};
        kbb_where(c, &c->inl[c->ninl - 1].page, &c->inl[c->ninl - 1].src);
    }
}

/*
 * Values named in the sentence before one that points back to them: "we are
 * welcoming, respectful, reassuring and communicative.  Our values were chosen
 * by our patients ..." (or "These values ...", "These are our values").  Three
 * names or more, of one or two words each, after "we are".
 */
void
kbn_values_pointed_back(struct bctx *c)
{
    const struct kb *kb = c->kb;

    if (kb->nvalues > 0 || c->ninl > 0)
        return;
    for (size_t i = 0; i + 1 < kb->npassages; i++) {
        const char *next = kb->passages[i + 1].text, *t = kb->passages[i].text, *we;
        char names[8][64];
        size_t n;

        if (!kbw_starts_ci(next, "our values ") &&
            !kbw_starts_ci(next, "these values ") &&
            !kbw_starts_ci(next, "these are our values"))
            continue;
        for (we = kbw_find_ci(t, "we are "); we != NULL;
             we = kbw_find_ci(we + 1, "we are ")) {
            if (we == t || !isalpha((unsigned char)we[-1]))
                break;
        }
        if (we == NULL)
            continue;
        n = kbn_split_names(we + 7, we + strlen(we), 2, names);
        if (n < 3)
            continue;
        for (size_t k = 0; k < n; k++) {
            c->inl = xreallocarray(c->inl, c->ninl + 1, sizeof(*c->inl));
            c->inl[c->ninl++] = (struct kb_value){.name = xstrdup(names[k]),
                                                  .description = xstrdup(""),
                                                  .line = kb->passages[i].line,
                                                  .page = kb->passages[i].page,
                                                  .src = kb->passages[i].src};
        }
        return;
    }
}

/* Does @t hold @name in capitals as words of their own ("We can be BOLD by ...")? */
static bool
names_in_capitals(const char *t, const char *name)
{
    size_t n = strlen(name);
    char *up = xstrdup(name);
    bool found = false;

    for (char *q = up; *q; q++)
        *q = (char)toupper((unsigned char)*q);
    for (const char *p = t; !found && (p = strstr(p, up)) != NULL; p++)
        found =
            (p == t || !isalpha((unsigned char)p[-1])) && !isalpha((unsigned char)p[n]);
    free(up);
    return found && n >= 3;
}

void
kbn_inline_sections(struct bctx *c)
{
    const struct kb_doc *doc = c->doc;
    struct kb *kb = c->kb;

    for (size_t i = 0; i < kb->nvalues; i++) {
        struct kb_value *v = &kb->values[i];

        if (v->description[0] != '\0' || v->nbehaviours > 0)
            continue;
        for (size_t h = 0; h < doc->nblocks; h++) {
            const struct kb_block *b = &doc->blocks[h];
            size_t headings = 0;

            if (b->line <= v->line || b->src != v->src)
                continue;
            if (b->kind == KB_BLOCK_HEADING && kbw_same_name(b->text, v->name)) {
                /* the value's name as a heading: a line under it defines it, the
                   list under that gives its behaviours; the next heading after
                   those ends it */
                for (size_t j = h + 1; j < doc->nblocks; j++) {
                    const struct kb_block *p = &doc->blocks[j];

                    if (p->kind == KB_BLOCK_ITEM && p->level <= 1 &&
                        v->description[0] != '\0') {
                        kbv_push_sub(c, &v->behaviours, &v->nbehaviours, p->text,
                                     p->line);
                    } else if ((p->kind == KB_BLOCK_HEADING ||
                                p->kind == KB_BLOCK_PARAGRAPH) &&
                               v->description[0] == '\0' && headings == 0 &&
                               kbw_words(p->text) >= 3 && !kbw_is_intro(p->text)) {
                        free(v->description);
                        v->description = xstrdup(p->text);
                        headings++;
                    } else {
                        break;
                    }
                }
                break;
            }
            if (b->kind == KB_BLOCK_PARAGRAPH && kbw_terminal(b->text) &&
                names_in_capitals(b->text, v->name)) {
                /* "We can be BOLD by striving to be the best ...": the sentence
                   that names it in capitals says what it means */
                free(v->description);
                v->description = xstrdup(b->text);
                break;
            }
        }
    }
}
