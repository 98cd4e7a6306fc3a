/*
 * kb_diff.c - what changed between two KBs (kb_diff.h).
 *
 * Items are matched by name (values) or title (goals), ignoring case and
 * spacing.  What is left on each side is paired when it is plainly the
 * same item under a new name: a value with the same behaviours or
 * definition, a goal in the same place with the same description, or
 * wording that shares most of its words.  What still has no partner was
 * added or removed.
 */
#include "bot/kb/kb_diff.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/buf.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"

#define DIFF_MAX (1024u * 1024) /* the report; two KBs of a few hundred items */

struct diff {
    struct buf out;
    size_t n;
    size_t values_added, values_removed, values_renamed, values_changed;
    size_t goals_added, goals_removed, goals_renamed, goals_changed;
    size_t statements;
};

static const char *
str(const char *s)
{
    return s != NULL ? s : "";
}

/* Whether @a and @b are the same words, whatever the case and spacing. */
static bool
same(const char *a, const char *b)
{
    a = str(a);
    b = str(b);
    for (;;) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (*a == '\0' || *b == '\0')
            return *a == *b;
        if ((*a | 0x20) != (*b | 0x20) && !((*a & 0x80) && *a == *b))
            return false;
        a++;
        b++;
    }
}

/* Words too common to say two sentences are about the same thing. */
static bool
is_filler(const char *w)
{
    static const char *const words[] = {
        "we", "will", "our", "and", "the",  "for",  "with", "to",   "of",
        "in", "be",   "us",  "are", "all",  "is",   "an",   "on",   "by",
        "at", "it",   "as",  "who", "that", "this", "you",  "your", NULL};

    for (size_t i = 0; words[i] != NULL; i++) {
        if (strcasecmp(w, words[i]) == 0)
            return true;
    }
    return false;
}

/* The share of words @a and @b have in common (fillers aside), 0 to 1. */
static double
overlap(const char *a, const char *b)
{
    char *wa[256], *wb[256];
    size_t na = 0, nb = 0, common = 0;
    char *ca = xstrdup(str(a)), *cb = xstrdup(str(b));
    double r;

    for (char *p = ca, *w = ca;; p++) {
        bool end = *p == '\0';

        if (end || *p == ' ' || *p == ',' || *p == '.' || *p == ';' || *p == ':') {
            *p = '\0';
            if (p - w >= 2 && na < 256 && !is_filler(w))
                wa[na++] = w;
            w = p + 1;
        }
        if (end)
            break;
    }
    for (char *p = cb, *w = cb;; p++) {
        bool end = *p == '\0';

        if (end || *p == ' ' || *p == ',' || *p == '.' || *p == ';' || *p == ':') {
            *p = '\0';
            if (p - w >= 2 && nb < 256 && !is_filler(w))
                wb[nb++] = w;
            w = p + 1;
        }
        if (end)
            break;
    }
    for (size_t i = 0; i < na; i++) {
        for (size_t j = 0; j < nb; j++) {
            if (wb[j] != NULL && strcasecmp(wa[i], wb[j]) == 0) {
                common++;
                wb[j] = NULL;
                break;
            }
        }
    }
    r = na + nb == 0 ? 0.0 : 2.0 * (double)common / (double)(na + nb);
    free(ca);
    free(cb);
    return r;
}

static void line(struct diff *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
line(struct diff *d, const char *fmt, ...)
{
    va_list ap;
    char small[512], *s = small;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        fatalx("kb_diff: bad format");
    if ((size_t)n >= sizeof(small)) {
        s = xmalloc((size_t)n + 1);
        va_start(ap, fmt);
        (void)vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    (void)buf_adds(&d->out, s);
    (void)buf_adds(&d->out, "\n");
    if (s != small)
        free(s);
}

/* A statement (mission, vision, purpose, ...) that may be absent on either side. */
static void
statement(struct diff *d, const char *what, const char *old, const char *new)
{
    if ((old == NULL || old[0] == '\0') && (new == NULL || new[0] == '\0'))
        return;
    if (same(old, new))
        return;
    d->n++;
    d->statements++;
    if (old == NULL || old[0] == '\0')
        line(d, "%s added: \"%s\"", what, new);
    else if (new == NULL || new[0] == '\0')
        line(d, "%s removed (was \"%s\")", what, old);
    else
        line(d, "%s changed:\n    was: \"%s\"\n    now: \"%s\"", what, old, new);
}

/* Added, removed and reworded entries of two lists (behaviours, points). */
static void
texts(struct diff *d, const char *owner, const char *what, const struct kb_text *a,
      size_t na, const struct kb_text *b, size_t nb)
{
    bool *used = xcalloc(nb + 1, sizeof(*used));
    bool *kept = xcalloc(na + 1, sizeof(*kept));

    for (size_t i = 0; i < na; i++) {
        for (size_t j = 0; j < nb; j++) {
            if (!used[j] && same(a[i].text, b[j].text)) {
                used[j] = kept[i] = true;
                break;
            }
        }
    }
    for (size_t i = 0; i < na; i++) {
        size_t best = nb;
        double score = 0.6;

        if (kept[i])
            continue;
        for (size_t j = 0; j < nb; j++) {
            double o = used[j] ? 0 : overlap(a[i].text, b[j].text);

            if (o >= score) {
                score = o;
                best = j;
            }
        }
        d->n++;
        if (best < nb) {
            used[best] = true;
            line(d, "%s: %s reworded:\n    was: \"%s\"\n    now: \"%s\"", owner, what,
                 a[i].text, b[best].text);
        } else {
            line(d, "%s: %s removed: \"%s\"", owner, what, a[i].text);
        }
    }
    for (size_t j = 0; j < nb; j++) {
        if (used[j])
            continue;
        d->n++;
        line(d, "%s: %s added: \"%s\"", owner, what, b[j].text);
    }
    free(used);
    free(kept);
}

static void
value_changes(struct diff *d, const struct kb_value *a, const struct kb_value *b)
{
    char *owner = xasprintf("Value \"%s\"", b->name);
    size_t before = d->n;

    if (!same(a->description, b->description)) {
        d->n++;
        if (a->description[0] == '\0')
            line(d, "%s: definition added: \"%s\"", owner, b->description);
        else if (b->description[0] == '\0')
            line(d, "%s: definition removed (was \"%s\")", owner, a->description);
        else
            line(d, "%s: definition changed:\n    was: \"%s\"\n    now: \"%s\"", owner,
                 a->description, b->description);
    }
    texts(d, owner, "behaviour", a->behaviours, a->nbehaviours, b->behaviours,
          b->nbehaviours);
    if (d->n > before)
        d->values_changed++;
    free(owner);
}

/* How plainly @a (old) and @b (new) are one value renamed. */
static double
value_kinship(const struct kb_value *a, const struct kb_value *b)
{
    size_t shared = 0;

    for (size_t i = 0; i < a->nbehaviours; i++) {
        for (size_t j = 0; j < b->nbehaviours; j++) {
            if (same(a->behaviours[i].text, b->behaviours[j].text) ||
                overlap(a->behaviours[i].text, b->behaviours[j].text) >= 0.8) {
                shared++;
                break;
            }
        }
    }
    if (a->nbehaviours > 0 && b->nbehaviours > 0)
        return 2.0 * (double)shared / (double)(a->nbehaviours + b->nbehaviours);
    if (a->description[0] != '\0' && b->description[0] != '\0')
        return overlap(a->description, b->description);
    return 0;
}

/*
 * Pairs the @na old items with the @nb new ones: first by the same name, then
 * each unpaired old item with the unpaired new item most akin to it (at least
 * 0.5).  match[i] (out) is the new index + 1, or 0; used[j] (out) marks the
 * new items paired; renamed[i] (out) marks pairs made by kinship.
 */
typedef const char *diff_name_fn(const struct kb *kb, size_t i);
typedef double diff_kin_fn(const struct kb *old, size_t i, const struct kb *new,
                           size_t j);

static void
pair_up(const struct kb *old, size_t na, const struct kb *new, size_t nb,
        diff_name_fn *name, diff_kin_fn *kin, size_t *match, bool *used, bool *renamed)
{
    for (size_t i = 0; i < na; i++) {
        for (size_t j = 0; j < nb; j++) {
            if (!used[j] && same(name(old, i), name(new, j))) {
                match[i] = j + 1;
                used[j] = true;
                break;
            }
        }
    }
    for (size_t i = 0; i < na; i++) {
        size_t best = nb;
        double score = 0.5;

        if (match[i])
            continue;
        for (size_t j = 0; j < nb; j++) {
            double k = used[j] ? 0 : kin(old, i, new, j);

            if (k >= score) {
                score = k;
                best = j;
            }
        }
        if (best < nb) {
            match[i] = best + 1;
            used[best] = true;
            renamed[i] = true;
        }
    }
}

static const char *
value_name(const struct kb *kb, size_t i)
{
    return kb->values[i].name;
}

static double
value_kin(const struct kb *old, size_t i, const struct kb *new, size_t j)
{
    return value_kinship(&old->values[i], &new->values[j]);
}

static void
values(struct diff *d, const struct kb *old, const struct kb *new)
{
    size_t na = old->nvalues, nb = new->nvalues;
    size_t *match = xcalloc(na + 1, sizeof(*match)); /* new index + 1, 0 for none */
    bool *used = xcalloc(nb + 1, sizeof(*used));
    bool *renamed = xcalloc(na + 1, sizeof(*renamed));

    pair_up(old, na, new, nb, value_name, value_kin, match, used, renamed);
    for (size_t i = 0; i < na; i++) {
        if (renamed[i]) {
            d->n++;
            d->values_renamed++;
            line(d, "Value renamed: \"%s\" is now \"%s\"", old->values[i].name,
                 new->values[match[i] - 1].name);
        }
    }
    for (size_t i = 0; i < na; i++) {
        if (match[i] == 0) {
            d->n++;
            d->values_removed++;
            line(d, "Value removed: \"%s\"", old->values[i].name);
        }
    }
    for (size_t j = 0; j < nb; j++) {
        const struct kb_value *v = &new->values[j];

        if (used[j])
            continue;
        d->n++;
        d->values_added++;
        line(d, "Value added: \"%s\"%s%s%s", v->name, v->description[0] ? " (\"" : "",
             v->description, v->description[0] ? "\")" : "");
        for (size_t k = 0; k < v->nbehaviours; k++)
            line(d, "    - %s", v->behaviours[k].text);
    }
    for (size_t i = 0; i < na; i++) {
        if (match[i])
            value_changes(d, &old->values[i], &new->values[match[i] - 1]);
    }
    free(match);
    free(used);
    free(renamed);
}

static void
goal_changes(struct diff *d, const struct kb_goal *a, const struct kb_goal *b)
{
    char *owner = xasprintf("Goal \"%s\"", b->title);
    size_t before = d->n;

    if (!same(a->description, b->description)) {
        d->n++;
        if (a->description[0] == '\0')
            line(d, "%s: description added: \"%s\"", owner, b->description);
        else if (b->description[0] == '\0')
            line(d, "%s: description removed (was \"%s\")", owner, a->description);
        else
            line(d, "%s: description changed:\n    was: \"%s\"\n    now: \"%s\"", owner,
                 a->description, b->description);
    }
    texts(d, owner, "point", a->points, a->npoints, b->points, b->npoints);
    if (d->n > before)
        d->goals_changed++;
    free(owner);
}

static double
goal_kinship(const struct kb_goal *a, const struct kb_goal *b)
{
    double t = overlap(a->title, b->title);

    if (a->description[0] != '\0' && same(a->description, b->description))
        return 1.0;
    if (a->description[0] != '\0' && b->description[0] != '\0')
        t = t > overlap(a->description, b->description)
                ? t
                : overlap(a->description, b->description);
    return t;
}

static const char *
goal_title(const struct kb *kb, size_t i)
{
    return kb->goals[i].title;
}

static double
goal_kin(const struct kb *old, size_t i, const struct kb *new, size_t j)
{
    return goal_kinship(&old->goals[i], &new->goals[j]);
}

static void
goals(struct diff *d, const struct kb *old, const struct kb *new)
{
    size_t na = old->ngoals, nb = new->ngoals;
    size_t *match = xcalloc(na + 1, sizeof(*match));
    bool *used = xcalloc(nb + 1, sizeof(*used));
    bool *renamed = xcalloc(na + 1, sizeof(*renamed));

    if (na > 0 && nb > 0 && !same(old->goals_label, new->goals_label)) {
        d->n++;
        line(d, "The goals are now called \"%s\" (were \"%s\")", new->goals_label,
             old->goals_label);
    }
    pair_up(old, na, new, nb, goal_title, goal_kin, match, used, renamed);
    for (size_t i = 0; i < na; i++) {
        if (renamed[i]) {
            d->n++;
            d->goals_renamed++;
            line(d, "Goal renamed: \"%s\" is now \"%s\"", old->goals[i].title,
                 new->goals[match[i] - 1].title);
        }
    }
    for (size_t i = 0; i < na; i++) {
        if (match[i] == 0) {
            d->n++;
            d->goals_removed++;
            line(d, "Goal removed: \"%s\"", old->goals[i].title);
        }
    }
    for (size_t j = 0; j < nb; j++) {
        if (used[j])
            continue;
        d->n++;
        d->goals_added++;
        line(d, "Goal added: \"%s\"%s%s%s", new->goals[j].title,
             new->goals[j].description[0] ? " (\"" : "", new->goals[j].description,
             new->goals[j].description[0] ? "\")" : "");
    }
    for (size_t i = 0; i < na; i++) {
        if (match[i])
            goal_changes(d, &old->goals[i], &new->goals[match[i] - 1]);
    }
    free(match);
    free(used);
    free(renamed);
}

static void
ambitions(struct diff *d, const struct kb *old, const struct kb *new)
{
    bool *used = xcalloc(new->nambitions + 1, sizeof(*used));

    for (size_t i = 0; i < old->nambitions; i++) {
        const struct kb_ambition *a = &old->ambitions[i];
        const char *now = NULL;
        char *what = xasprintf("%c%s%s%s", a->kind[0] & ~0x20, a->kind + 1,
                               a->title[0] ? " " : "", a->title);

        for (size_t j = 0; j < new->nambitions; j++) {
            if (!used[j] && same(a->kind, new->ambitions[j].kind) &&
                same(a->title, new->ambitions[j].title)) {
                used[j] = true;
                now = new->ambitions[j].text;
                break;
            }
        }
        statement(d, what, a->text, now);
        free(what);
    }
    for (size_t j = 0; j < new->nambitions; j++) {
        const struct kb_ambition *b = &new->ambitions[j];
        char *what;

        if (used[j])
            continue;
        what = xasprintf("%c%s%s%s", b->kind[0] & ~0x20, b->kind + 1,
                         b->title[0] ? " " : "", b->title);
        statement(d, what, NULL, b->text);
        free(what);
    }
    free(used);
}

/* "1 value added", "2 values added". */
static void
count(struct buf *b, size_t n, const char *noun, const char *verb, bool *first)
{
    if (n == 0)
        return;
    (void)buf_printf(b, "%s%zu %s%s %s", *first ? "" : ", ", n, noun, n == 1 ? "" : "s",
                     verb);
    *first = false;
}

char *
kb_diff(const struct kb *old, const struct kb *new, size_t *nchanges)
{
    struct diff d = {0};
    struct buf head;
    bool first = true;
    char *out;

    buf_init(&d.out, DIFF_MAX);
    if (!same(old->name, new->name)) {
        d.n++;
        line(&d, "Organisation name changed: \"%s\" is now \"%s\"", old->name, new->name);
    }
    if (!same(old->strategy, new->strategy)) {
        d.n++;
        if (old->strategy[0] == '\0')
            line(&d, "Strategy name added: \"%s\"", new->strategy);
        else if (new->strategy[0] == '\0')
            line(&d, "Strategy name removed (was \"%s\")", old->strategy);
        else
            line(&d, "Strategy renamed: \"%s\" is now \"%s\"", old->strategy,
                 new->strategy);
    }
    statement(&d, "Mission", old->mission.text, new->mission.text);
    statement(&d, "Vision", old->vision.text, new->vision.text);
    ambitions(&d, old, new);
    goals(&d, old, new);
    values(&d, old, new);
    if (nchanges != NULL)
        *nchanges = d.n;
    if (d.n == 0) {
        buf_cleanup(&d.out);
        return xstrdup("");
    }
    buf_init(&head, DIFF_MAX);
    (void)buf_printf(&head, "%zu change%s: ", d.n, d.n == 1 ? "" : "s");
    count(&head, d.values_added, "value", "added", &first);
    count(&head, d.values_removed, "value", "removed", &first);
    count(&head, d.values_renamed, "value", "renamed", &first);
    count(&head, d.values_changed, "value", "reworded", &first);
    count(&head, d.goals_added, "goal", "added", &first);
    count(&head, d.goals_removed, "goal", "removed", &first);
    count(&head, d.goals_renamed, "goal", "renamed", &first);
    count(&head, d.goals_changed, "goal", "reworded", &first);
    count(&head, d.statements, "statement", "changed", &first);
    if (first)
        (void)buf_adds(&head, "names");
    (void)buf_adds(&head, "\n\n");
    (void)buf_add(&head, d.out.data, d.out.len);
    buf_cleanup(&d.out);
    out = buf_take(&head);
    return out;
}
