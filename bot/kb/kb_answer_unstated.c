/*
 * kb_answer_unstated.c - questions a page seems to answer but does not: a plan
 * year it does not cover ("the priorities for 2026/27" on a page of 2025/26's),
 * and things asked to be named that an item only mentions ("which councils are
 * we working with" of "work with local councils on healthy ageing").  Prefix
 * kbaun_.
 */
#include "bot/kb/kb_answer_int.h"
#include "bot/kb/kb.h"

#include <ctype.h>
#include <string.h>

/* A span of years, both ends full years: a plan year (2025, 2026) or a strategy's. */
struct span {
    unsigned from, to;
};

/* Reads the @n digits at @p as a number. */
static unsigned
digits(const char *p, size_t n)
{
    unsigned v = 0;

    for (size_t i = 0; i < n; i++)
        v = v * 10 + (unsigned)(p[i] - '0');
    return v;
}

/* How many digits start at @p (stopping at 5), with no digit before it (from @start). */
static size_t
run_at(const char *p, const char *start)
{
    size_t n = 0;

    if (p > start && isdigit((unsigned char)p[-1]))
        return 0;
    while (n < 5 && isdigit((unsigned char)p[n]))
        n++;
    return n;
}

/* Is @p a separator of a span: '/', '-', an en or em dash, " to ", with spaces? */
static size_t
separator_at(const char *p)
{
    size_t n = 0;

    while (p[n] == ' ')
        n++;
    if (p[n] == '/' || p[n] == '-')
        n++;
    else if ((unsigned char)p[n] == 0xe2 && (unsigned char)p[n + 1] == 0x80 &&
             ((unsigned char)p[n + 2] == 0x93 || (unsigned char)p[n + 2] == 0x94))
        n += 3;
    else if (strncmp(p + n, "to ", 3) == 0 && n > 0)
        n += 2;
    else
        return 0;
    while (p[n] == ' ')
        n++;
    return n;
}

/*
 * Reads the spans of years in @s into @out (at most @max): "2025/26",
 * "2025-2026", "24/25" (a plan year: the second year the one after the first)
 * when @plan_only, and any "2024–2029" or "2024 to 2029" besides.  Returns how
 * many.
 */
static size_t
spans_in(const char *s, bool plan_only, struct span *out, size_t max)
{
    size_t n = 0;

    for (const char *p = s; *p && n < max; p++) {
        size_t a = run_at(p, s), sep, b;
        unsigned from, to;

        if (a != 2 && a != 4)
            continue;
        sep = separator_at(p + a);
        /* two digits then two digits: only with a slash or a hyphen ("24/25") */
        if (sep == 0 || (a == 2 && sep != 1))
            continue;
        b = run_at(p + a + sep, s);
        if ((b != 2 && b != 4) || (a == 2 && b != 2))
            continue;
        from = a == 4 ? digits(p, 4) : 2000 + digits(p, 2);
        to = b == 4 ? digits(p + a + sep, 4) : from / 100 * 100 + digits(p + a + sep, 2);
        if (from < 1900 || from > 2099 || to <= from || to > from + 30)
            continue;
        if (plan_only && to != from + 1)
            continue;
        out[n++] = (struct span){from, to};
        p += a + sep + b - 1;
    }
    return n;
}

/* The spans a KB's text writes, into @out (at most @max); how many. */
static size_t
kb_spans(const struct kb *kb, struct span *out, size_t max)
{
    size_t n = 0;

#define TAKE(str)                                                                        \
    do {                                                                                 \
        if ((str) != NULL && n < max)                                                    \
            n += spans_in((str), false, out + n, max - n);                               \
    } while (0)
    TAKE(kb->strategy);
    TAKE(kb->goals_label);
    TAKE(kb->mission.text);
    TAKE(kb->vision.text);
    for (size_t i = 0; i < kb->ngoals; i++) {
        TAKE(kb->goals[i].title);
        TAKE(kb->goals[i].description);
        for (size_t k = 0; k < kb->goals[i].npoints; k++)
            TAKE(kb->goals[i].points[k].text);
    }
    for (size_t i = 0; i < kb->nambitions; i++)
        TAKE(kb->ambitions[i].text);
    for (size_t i = 0; i < kb->npassages; i++) {
        TAKE(kb->passages[i].section);
        TAKE(kb->passages[i].text);
    }
#undef TAKE
    return n;
}

bool
kbaun_asks_other_plan_year(const struct query *q)
{
    struct span asked[4], page[64];
    size_t na, np;
    bool plans = false;

    if (q->raw == NULL || (na = spans_in(q->raw, true, asked, 4)) == 0)
        return false;
    np = kb_spans(q->kb, page, 64);
    for (size_t k = 0; k < np; k++)
        plans = plans || page[k].to == page[k].from + 1;
    /* a page with no plan year of its own does not say its lists are one year's */
    if (!plans)
        return false;
    for (size_t i = 0; i < na; i++) {
        bool covered = false;

        for (size_t k = 0; k < np && !covered; k++)
            covered = page[k].from <= asked[i].from && asked[i].to <= page[k].to;
        if (!covered)
            return true;
    }
    return false;
}

/* Does the stem of @thing stand in @text? */
static bool
holds_stem(struct kb_engine *e, const char *text, const struct kb_word *thing)
{
    const struct tokens *t = kba_tokens(e, text);

    for (size_t k = 0; k < t->n; k++) {
        if (strcmp(t->w[k].stem, thing->stem) == 0)
            return true;
    }
    return false;
}

/*
 * Does an item of title @title and text @text speak of the thing a "which"
 * asks for without naming one ("local councils", no council named)?
 */
static bool
leaves_unnamed(struct kb_engine *e, const struct query *q, const char *title,
               const char *text)
{
    const struct kb_word *thing = kbak_which_thing(q);

    /* "which goal ...", "which value ...": the item itself is the answer */
    if (thing == NULL || q->flags[thing - q->w] != 0 || kbak_text_names_some(title) ||
        kbak_text_names_some(text))
        return false;
    return holds_stem(e, title, thing) || holds_stem(e, text, thing);
}

bool
kbaun_item_leaves_unnamed(struct kb_engine *e, const struct query *q,
                          struct kb_doc_ref ref)
{
    const struct kb *kb = q->kb;

    if (ref.kind == KB_DOC_GOAL && ref.item < kb->ngoals)
        return leaves_unnamed(e, q, kb->goals[ref.item].title,
                              kb->goals[ref.item].description);
    if (ref.kind == KB_DOC_AMBITION && ref.item < kb->nambitions)
        return leaves_unnamed(e, q, kb->ambitions[ref.item].title,
                              kb->ambitions[ref.item].text);
    return false;
}

bool
kbaun_names_other_plural_possessive(const struct query *q)
{
    char buf[KB_QUESTION_MAX + 64];
    size_t n = 0;
    bool plural = false;

    if (q->raw == NULL)
        return false;
    /* "valleys' values" read as "valleys's values", which kb_answer_naming.c reads */
    for (const char *p = q->raw; *p && n + 3 < sizeof(buf); p++) {
        buf[n++] = *p;
        if (p[0] == '\'' && p > q->raw && p[-1] == 's' && (p[1] == ' ' || p[1] == '\0')) {
            buf[n++] = 's';
            plural = true;
        }
    }
    buf[n] = '\0';
    return plural && kbanm_names_other_possessive(q, buf);
}

/* The number word or figure @w as a number (2 to 20), else 0. */
static unsigned
small_number(const char *w)
{
    static const char *const words[] = {
        "zero",     "one",      "two",      "three",   "four",    "five",
        "six",      "seven",    "eight",    "nine",    "ten",     "eleven",
        "twelve",   "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen", "twenty",   NULL};
    unsigned v = 0;

    if (isdigit((unsigned char)w[0])) {
        for (size_t i = 0; w[i]; i++) {
            if (!isdigit((unsigned char)w[i]) || v > 100)
                return 0;
            v = v * 10 + (unsigned)(w[i] - '0');
        }
    } else {
        for (size_t i = 0; words[i] && v == 0; i++)
            v = strcmp(w, words[i]) == 0 ? (unsigned)i : 0;
    }
    return v >= 2 && v <= 20 ? v : 0;
}

/*
 * How many things the question asks to be named: "which six sites", "list all
 * six launch sites", "what are our 2 community hospitals called" (a number
 * before a noun, the things asked for by "which", a list or their names); 0
 * when it asks no such thing ("how many").
 */
static unsigned
names_asked(const struct query *q)
{
    static const char *const naming[] = {"which", "list",  "called",
                                         "name",  "names", NULL};
    bool asks = false;

    if (has_phrase(q, "how", "many"))
        return 0;
    for (size_t i = 0; i < q->n && !asks; i++)
        asks = !q->aside[i] && in_list(q->w[i].surface, naming);
    for (size_t i = 0; asks && i + 1 < q->n; i++) {
        unsigned n = q->aside[i] ? 0 : small_number(q->w[i].surface);

        for (size_t k = i + 1; n > 0 && k < q->n && k <= i + 2; k++) {
            if (!q->stop[k])
                return n;
        }
    }
    return 0;
}

/* Does the word starting at @p begin with a capital? */
static bool
capital_at(const char *p)
{
    while (*p == ' ')
        p++;
    return isupper((unsigned char)*p);
}

/* Does the segment [@p, @end) end in a capitalised word ("... across Coventry")? */
static bool
ends_capital(const char *p, const char *end)
{
    const char *w = end;

    while (w > p && !isalpha((unsigned char)w[-1]))
        w--;
    while (w > p && isalpha((unsigned char)w[-1]))
        w--;
    return w < end && isupper((unsigned char)*w);
}

/*
 * The longest list of names in @s: items parted by ", " or " and ", the first
 * ending in a capitalised word, the next ones starting with one ("across
 * Coventry, Warwickshire and Solihull": 3).
 */
static size_t
longest_name_list(const char *s)
{
    size_t best = 0, run = 0;
    const char *seg = s;

    for (;;) {
        const char *comma = strchr(seg, ','), *and = strstr(seg, " and ");
        const char *end = comma && (!and || comma < and) ? comma : and;
        const char *next = end == NULL ? NULL : end + (end == comma ? 1 : 5);

        if (run > 0 && capital_at(seg))
            run++;
        else
            run = 0;
        if (run > best)
            best = run;
        if (end == NULL)
            break;
        /* an item that ends in a name opens a list ("across Coventry,") */
        if (run == 0 && ends_capital(seg, end))
            run = 1;
        if (run > best)
            best = run;
        seg = next;
    }
    return best;
}

/*
 * The passages quoted together name what each lists: "across Coventry,
 * Warwickshire and Solihull" and "St Michael's Hospital in Warwick" are four
 * names between them, not the six sites asked for.
 */
bool
kbaun_names_fewer_than_asked(const struct query *q, const struct kb_answer *a)
{
    unsigned n;
    size_t named = 0;

    if (!a->answered || a->intent != KB_INTENT_FACT || a->nrefs == 0)
        return false;
    for (size_t k = 0; k < a->nrefs; k++) {
        if (a->refs[k].kind != KB_DOC_PASSAGE || a->refs[k].item >= q->kb->npassages)
            return false;
    }
    n = names_asked(q);
    for (size_t k = 0; k < a->nrefs && n > 0 && named < n; k++)
        named += longest_name_list(q->kb->passages[a->refs[k].item].text);
    return n > 0 && named < n;
}
