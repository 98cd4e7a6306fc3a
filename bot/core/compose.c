/*
 * compose.c - an answer from the KB engine into a reply staff can read.
 *
 * Short, warm, plain English; the KB's exact wording for values,
 * behaviours and goals; the source named.  Nothing from the question is
 * ever copied into the reply: a decline says what the bot can answer, not
 * what it was asked, so an instruction hidden in a question goes nowhere.
 */
#include "bot/core/compose.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/buf.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"

#define COMPOSE_BRIEF_PASSAGES 3 /* a passages-only KB's summary: its first sentences */

/* How a count's reply opens: "Yes, we have", "No, we have" to a yes/no on it. */
static const char *
count_lead(const struct kb_answer *a, size_t n)
{
    if (a->count_asked == 0)
        return "We have";
    return a->count_asked == n ? "Yes, we have" : "No, we have";
}

static const char *
number_word(size_t n)
{
    static const char *const words[] = {"no",  "one",   "two",   "three", "four", "five",
                                        "six", "seven", "eight", "nine",  "ten"};

    return n < sizeof(words) / sizeof(words[0]) ? words[n] : NULL;
}

void
compose_source(const struct kb *kb, struct reply *r)
{
    /* A KB holding no strategy names its page, not "our strategy". */
    reply_addf(r, REPLY_SOURCE, NULL, "Source: %s, %s.",
               kb_has_strategy(kb) ? kb_strategy_name(kb) : kb->doc, kb->name);
}

/* The KB's value names as a list, "Respect, Compassion and Responsibility". */
static char *
value_names(const struct kb *kb)
{
    const char **names = xreallocarray(NULL, kb->nvalues + 1, sizeof(*names));
    char *s;

    for (size_t i = 0; i < kb->nvalues; i++)
        names[i] = kb->values[i].name;
    s = compose_join(names, kb->nvalues, "");
    free(names);
    return s;
}

static void
behaviours_text(const struct kb_value *v, struct buf *b)
{
    for (size_t k = 0; k < v->nbehaviours; k++) {
        if (k > 0)
            (void)buf_adds(b, "; ");
        (void)buf_adds(b, v->behaviours[k].text);
    }
}

void
compose_value_detail(const struct kb *kb, const struct kb_value *v, const char *prompt,
                     struct reply *r)
{
    if (v->description[0])
        reply_add(r, REPLY_PARA, NULL, v->description);
    if (v->nbehaviours) {
        reply_addf(r, REPLY_PARA, NULL, "Living %s means we are:", v->name);
        for (size_t k = 0; k < v->nbehaviours; k++)
            reply_add(r, REPLY_ITEM, NULL, v->behaviours[k].text);
    } else if (!v->description[0]) {
        reply_addf(r, REPLY_PARA, NULL, "%s is one of our %zu values. %s", v->name,
                   kb->nvalues, prompt);
    }
}

void
compose_value(const struct kb_value *v, struct reply *r)
{
    struct buf b;

    buf_init(&b, 64 * 1024);
    if (v->description[0])
        (void)buf_adds(&b, v->description);
    if (v->nbehaviours) {
        if (v->description[0])
            (void)buf_adds(&b, " ");
        (void)buf_adds(&b, "We are: ");
        behaviours_text(v, &b);
    }
    reply_add(r, REPLY_ITEM, v->name, buf_str(&b));
    buf_cleanup(&b);
}

/* Length of the separator after a goal's label at @p: ':', '-', '.', an en or em dash. */
static size_t
label_sep(const char *p)
{
    if ((unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x80 &&
        ((unsigned char)p[2] == 0x93 || (unsigned char)p[2] == 0x94))
        return 3;
    return *p == ':' || *p == '-' || *p == '.' ? 1 : 0;
}

const char *
compose_goal_title(const struct kb_goal *g, size_t *label_len)
{
    static const char *const numbers[] = {"one",  "two", "three", "four",
                                          "five", "six", "seven", "eight",
                                          "nine", "ten", NULL};
    const char *t = g->title, *p = t;

    *label_len = 0;
    /* Up to three words, then a number in digits or words, then a separator. */
    for (int words = 0; words < 4 && *p; words++) {
        const char *w = p, *end, *after;
        size_t n, sep;
        bool number = isdigit((unsigned char)*p);

        while (isalnum((unsigned char)*p))
            p++;
        end = p;
        n = (size_t)(end - w);
        for (size_t k = 0; numbers[k] != NULL && !number; k++)
            number = strlen(numbers[k]) == n && strncasecmp(w, numbers[k], n) == 0;
        if (n == 0)
            return t;
        while (*p == ' ')
            p++;
        sep = label_sep(p);
        if (number && words > 0 && sep > 0) {
            after = p + sep;
            while (*after == ' ')
                after++;
            if (*after == '\0')
                return t;
            *label_len = (size_t)(end - t);
            return after;
        }
        if (sep > 0)
            return t;
    }
    return t;
}

void
compose_goal_label(const struct kb *kb, const struct kb_goal *g, char **label,
                   const char **text)
{
    size_t n;
    char *noun;

    *text = compose_goal_title(g, &n);
    if (n > 0) {
        *label = xasprintf("%.*s", (int)n, g->title);
        return;
    }
    noun = kb_goal_noun(kb, true);
    *label = xasprintf("%s %u", noun, g->number);
    free(noun);
}

static void
add_goal(const struct kb *kb, const struct kb_goal *g, bool points, struct reply *r)
{
    char *label;
    const char *title;
    struct buf b;
    size_t dlen = strlen(g->description);

    compose_goal_label(kb, g, &label, &title);
    buf_init(&b, 64 * 1024);
    (void)buf_adds(&b, title);
    /* A description ending in ':' only leads into the points ("Our colleagues
       will:"); without them it says nothing. */
    if (dlen > 0 && (points || g->description[dlen - 1] != ':'))
        (void)buf_printf(&b, "%s%s",
                         ispunct((unsigned char)g->title[strlen(g->title) - 1]) ? " "
                         : islower((unsigned char)g->description[0])            ? ": "
                                                                                : ". ",
                         g->description);
    reply_add(r, REPLY_ITEM, label, buf_str(&b));
    if (points) {
        for (size_t k = 0; k < g->npoints; k++)
            reply_add(r, REPLY_SUBITEM, NULL, g->points[k].text);
    }
    buf_cleanup(&b);
    free(label);
}

static bool
label_is_goals(const struct kb *kb)
{
    return strcmp(kb->goals_label, "goals") == 0;
}

static void
compose_goals(const struct kb *kb, bool points, struct reply *r)
{
    const char *nw = number_word(kb->ngoals);

    if (label_is_goals(kb))
        reply_addf(r, REPLY_HEADING, NULL, "%s has %s%s goals:", kb_strategy_title(kb),
                   nw ? nw : "", nw ? "" : "these");
    else
        reply_addf(r, REPLY_HEADING, NULL,
                   "Our goals are the %s%s%s of %s:", nw ? nw : "", nw ? " " : "",
                   kb->goals_label, kb_strategy_name(kb));
    for (size_t i = 0; i < kb->ngoals; i++)
        add_goal(kb, &kb->goals[i], points, r);
}

static void
compose_values(const struct kb *kb, struct reply *r)
{
    const char *nw = number_word(kb->nvalues);

    reply_addf(r, REPLY_HEADING, NULL, "Our %s%svalues:", nw ? nw : "", nw ? " " : "");
    for (size_t i = 0; i < kb->nvalues; i++)
        compose_value(&kb->values[i], r);
}

static const char *
ambition_label(const struct kb_ambition *am)
{
    return am->title[0] ? am->title : am->kind;
}

static void
compose_ref(const struct kb *kb, const struct kb_doc_ref *ref, struct reply *r)
{
    switch (ref->kind) {
    case KB_DOC_GOAL:
        add_goal(kb, &kb->goals[ref->item], true, r);
        break;
    case KB_DOC_VALUE:
        compose_value(&kb->values[ref->item], r);
        break;
    case KB_DOC_BEHAVIOUR:
        compose_value(&kb->values[ref->item], r);
        break;
    case KB_DOC_MISSION:
        reply_add(r, REPLY_ITEM, "Our mission", kb->mission.text);
        break;
    case KB_DOC_VISION:
        reply_add(r, REPLY_ITEM, "Our vision", kb->vision.text);
        break;
    case KB_DOC_AMBITION: {
        char *label = xasprintf("Our %s", ambition_label(&kb->ambitions[ref->item]));

        reply_add(r, REPLY_ITEM, label, kb->ambitions[ref->item].text);
        free(label);
        break;
    }
    case KB_DOC_PASSAGE:
        reply_add(r, REPLY_QUOTE, NULL, kb->passages[ref->item].text);
        break;
    }
}

char *
compose_join(const char *const *parts, size_t n, const char *first)
{
    struct buf b;

    buf_init(&b, SIZE_MAX);
    for (size_t i = 0; i < n; i++) {
        buf_adds(&b, i == 0 ? first : i + 1 == n ? " and " : ", ");
        buf_adds(&b, parts[i]);
    }
    return buf_take(&b);
}

/*
 * What a decline offers instead: the parts this KB holds (a KB built from a
 * page that states no values or no goals does not offer them), and two
 * questions it can answer.
 */
static void
what_i_know(const struct kb *kb, struct reply *r)
{
    const char *parts[4];
    size_t n = 0;
    char *list;

    if (kb->mission.text)
        parts[n++] = "mission";
    if (kb->vision.text)
        parts[n++] = "vision";
    if (kb->ngoals > 0)
        parts[n++] = kb->goals_label;
    if (kb->nvalues > 0)
        parts[n++] = "values";
    list = compose_join(parts, n, "our ");
    if (!kb_has_strategy(kb)) {
        /* What the KB holds, and from where: no strategy it does not have. */
        reply_addf(r, REPLY_PARA, NULL,
                   "I can tell you %s%s%s %s (%s) says. Try “summarise the page”.",
                   n > 0 ? "about " : "", n > 0 ? list : "",
                   n > 0 ? ", and what" : "what", kb_strategy_name(kb), kb->doc);
    } else if (kb->nvalues > 0 && kb->ngoals > 0)
        reply_addf(
            r, REPLY_PARA, NULL,
            "I can tell you about %s: %s, and what the strategy says. Try “what are "
            "our values?”, “what's %s 2?” or “summarise the strategy”.",
            kb_strategy_name(kb), list, label_is_goals(kb) ? "goal" : "priority");
    else if (n > 0)
        reply_addf(
            r, REPLY_PARA, NULL,
            "I can tell you about %s: %s, and what the strategy says. Try “what %s "
            "our %s?” or “summarise the strategy”.",
            kb_strategy_name(kb), list, kb->nvalues > 0 || kb->ngoals > 0 ? "are" : "is",
            kb->nvalues > 0 ? "values" : parts[n - 1]);
    else
        reply_addf(r, REPLY_PARA, NULL,
                   "I can tell you what %s says. Try “summarise the strategy”.",
                   kb_strategy_name(kb));
    free(list);
}

/* Is @p a year, 1900 to 2099, standing alone? */
static bool
is_year(const char *p, const char *start)
{
    return (p == start || !isdigit((unsigned char)p[-1])) &&
           ((p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0')) &&
           isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
           !isdigit((unsigned char)p[4]);
}

/*
 * The years the strategy runs, as the document writes them ("2024 to 2029",
 * "2024–2029"): the first span of two years in its passages, added as an
 * item.  Nothing when the document gives none.
 */
static void
period(const struct kb *kb, struct reply *r)
{
    for (size_t i = 0; i < kb->npassages; i++) {
        const char *t = kb->passages[i].text;

        for (const char *p = strpbrk(t, "12"); p != NULL; p = strpbrk(p + 1, "12")) {
            const char *q = p + 4;
            size_t sep;

            if (!is_year(p, t))
                continue;
            if (strncmp(q, " to ", 4) == 0)
                sep = 4;
            else if (*q == '-')
                sep = 1;
            else if ((unsigned char)q[0] == 0xe2 && (unsigned char)q[1] == 0x80 &&
                     ((unsigned char)q[2] == 0x93 || (unsigned char)q[2] == 0x94))
                sep = 3;
            else
                continue;
            if (is_year(q + sep, t) && strncmp(q + sep, p, 2) == 0) {
                reply_addf(r, REPLY_PARA, NULL, "It runs %.*s.", (int)(q + sep + 4 - p),
                           p);
                return;
            }
        }
    }
}

/*
 * The help's other questions, of what the KB holds only: no "which value
 * covers being kind?" where the page lists no values.
 */
static void
other_questions(const struct kb *kb, struct reply *r)
{
    char vision[48], goals[64];
    const char *parts[3];
    size_t n = 0;
    struct buf b;
    char *list;

    if (kb->vision.text || kb->mission.text) {
        snprintf(vision, sizeof(vision), "“what is our %s?”",
                 kb->vision.text ? "vision" : "mission");
        parts[n++] = vision;
    }
    if (kb->nvalues > 0)
        parts[n++] = "“which value covers being kind?”";
    if (kb->ngoals > 0) {
        snprintf(goals, sizeof(goals), "“how many %s do we have?”", kb->goals_label);
        parts[n++] = goals;
    }
    if (n == 0)
        return;
    buf_init(&b, SIZE_MAX);
    for (size_t i = 0; i < n; i++) {
        buf_adds(&b, i == 0 ? "" : ", ");
        buf_adds(&b, parts[i]);
    }
    list = buf_take(&b);
    reply_addf(r, REPLY_PARA, NULL, "Other things to ask: %s.", list);
    free(list);
}

static void
compose_summary(const struct kb *kb, struct reply *r)
{
    char *values = value_names(kb);

    reply_addf(r, REPLY_HEADING, NULL, "%s in brief:", kb_strategy_title(kb));
    if (kb->mission.text)
        reply_add(r, REPLY_ITEM, "Mission", kb->mission.text);
    if (kb->vision.text)
        reply_add(r, REPLY_ITEM, "Vision", kb->vision.text);
    for (size_t i = 0; i < kb->nambitions; i++) {
        if (strcmp(kb->ambitions[i].kind, "purpose") == 0 || kb->ambitions[i].title[0])
            reply_add(r, REPLY_ITEM, ambition_label(&kb->ambitions[i]),
                      kb->ambitions[i].text);
    }
    if (kb->ngoals) {
        const char *nw = number_word(kb->ngoals);

        reply_addf(r, REPLY_PARA, NULL, "Our %s%s%s:", nw ? nw : "", nw ? " " : "",
                   kb->goals_label);
    }
    for (size_t i = 0; i < kb->ngoals; i++) {
        char *label;
        const char *title;

        compose_goal_label(kb, &kb->goals[i], &label, &title);
        reply_add(r, REPLY_ITEM, label, title);
        free(label);
    }
    if (kb->nvalues)
        reply_addf(r, REPLY_PARA, NULL, "Our values: %s.", values);
    free(values);
    if (kb->mission.text == NULL && kb->vision.text == NULL && kb->nambitions == 0 &&
        kb->ngoals == 0 && kb->nvalues == 0) {
        /* a KB of passages alone (a page that states no values, goals or
           statements): its opening sentences, in the page's words */
        for (size_t i = 0; i < kb->npassages && i < COMPOSE_BRIEF_PASSAGES; i++)
            reply_add(r, REPLY_QUOTE, NULL, kb->passages[i].text);
    }
    period(kb, r);
}

/* Says plainly what the bot was asked to do that it does not do, and why. */
static void
compose_refusal(const struct kb_answer *a, struct reply *r)
{
    const char *name = kb_strategy_name(a->kb);

    switch (a->refusal) {
    case KB_REFUSE_INVENT:
        reply_addf(r, REPLY_PARA, NULL,
                   "I can't write or make up anything new: I only quote %s as written.",
                   name);
        break;
    case KB_REFUSE_ROLE:
        reply_addf(r, REPLY_PARA, NULL,
                   "I can't speak as anyone else: I only quote %s as written.", name);
        break;
    case KB_REFUSE_RULES:
        reply_addf(r, REPLY_PARA, NULL,
                   "I can't set aside how I work: I only answer from %s, as written.",
                   name);
        break;
    case KB_REFUSE_SETUP:
        reply_addf(r, REPLY_PARA, NULL,
                   "I can't share how I'm set up: I only answer questions about %s.",
                   name);
        break;
    case KB_REFUSE_CHANGE:
    default:
        reply_addf(r, REPLY_PARA, NULL,
                   "I can't change, add to or announce what %s says: I only quote it as "
                   "written.",
                   name);
        break;
    }
}

void
compose_answer(const struct kb_answer *a, struct reply *r)
{
    const struct kb *kb = a->kb;

    switch (a->intent) {
    case KB_INTENT_GREETING:
        reply_add(r, REPLY_PARA, NULL, "Hello! 👋");
        what_i_know(kb, r);
        return;
    case KB_INTENT_THANKS:
        reply_add(r, REPLY_PARA, NULL,
                  "You're welcome. Ask me any time about our strategy.");
        return;
    case KB_INTENT_HELP:
        what_i_know(kb, r);
        other_questions(kb, r);
        return;
    case KB_INTENT_VALUES:
        if (!a->answered)
            reply_addf(r, REPLY_PARA, NULL, "%s doesn't say that; it names our values.",
                       kb_strategy_title(kb));
        compose_values(kb, r);
        break;
    case KB_INTENT_VALUE:
        if (a->related && a->nrefs > 0)
            reply_addf(r, REPLY_PARA, NULL, "The closest of our values in meaning is %s:",
                       kb->values[a->refs[0].item].name);
        if (a->yes_no && a->nrefs > 0) {
            char *all = value_names(kb);

            if (a->nrefs == 1)
                reply_addf(r, REPLY_PARA, NULL, "Yes: %s is one of our %zu values (%s).",
                           kb->values[a->refs[0].item].name, kb->nvalues, all);
            else
                reply_addf(r, REPLY_PARA, NULL,
                           "Yes: all of those are among our %zu values (%s).",
                           kb->nvalues, all);
            free(all);
        }
        for (size_t i = 0; i < a->nrefs; i++) {
            const struct kb_value *v = &kb->values[a->refs[i].item];
            char *all;

            if (v->nbehaviours > 0 || v->description[0]) {
                compose_ref(kb, &a->refs[i], r);
                /* A description, declined as the behaviours asked for. */
                if (!a->answered && v->nbehaviours == 0)
                    reply_addf(r, REPLY_PARA, NULL, "%s lists no behaviours under it.",
                               kb_strategy_title(kb));
                continue;
            }
            if (a->yes_no)
                continue; /* the "Yes: ..." line said all there is */
            /* The document names the value but says nothing more about it. */
            all = value_names(kb);
            reply_addf(r, REPLY_ITEM, v->name,
                       "one of our %zu values (%s). %s lists no behaviours under it.",
                       kb->nvalues, all, kb_strategy_title(kb));
            free(all);
        }
        break;
    case KB_INTENT_VALUE_LOOKUP: {
        const struct kb_value *v = &kb->values[a->refs[0].item];

        reply_addf(r, REPLY_PARA, NULL, "“%s” comes under our value %s.",
                   v->behaviours[a->refs[0].sub].text, v->name);
        compose_value(v, r);
        break;
    }
    case KB_INTENT_GOALS:
        compose_goals(kb, a->detail, r);
        break;
    case KB_INTENT_GOAL:
        if (a->related)
            reply_addf(r, REPLY_PARA, NULL, "%s of our %s in meaning is:",
                       a->yes_no ? "Not in those words; the closest" : "The closest",
                       kb->goals_label);
        if (!a->answered)
            reply_addf(r, REPLY_PARA, NULL,
                       "%s gives no figure for this %s:", kb_strategy_title(kb),
                       label_is_goals(kb) ? "goal" : "priority");
        /* fall through */
    case KB_INTENT_STATEMENT:
    case KB_INTENT_AMBITIONS:
    case KB_INTENT_FACT:
        /* The heading a sentence stands under, when it answers or frames it
           ("what years does it cover": "Trust strategy 2025-2030"). */
        if (a->intent == KB_INTENT_FACT && a->heading && a->nrefs > 0 &&
            a->refs[0].kind == KB_DOC_PASSAGE)
            reply_addf(r, REPLY_PARA, NULL, "%s says, under “%s”:", kb_strategy_title(kb),
                       kb->passages[a->refs[0].item].section);
        else if (a->intent == KB_INTENT_FACT)
            reply_addf(r, REPLY_PARA, NULL, "%s says:", kb_strategy_title(kb));
        for (size_t i = 0; i < a->nrefs; i++)
            compose_ref(kb, &a->refs[i], r);
        break;
    case KB_INTENT_SUMMARY:
        compose_summary(kb, r);
        break;
    case KB_INTENT_COUNT_GOALS: {
        const char *nw = number_word(kb->ngoals);

        reply_addf(r, REPLY_PARA, NULL, "%s %zu %s%s%s:", count_lead(a, kb->ngoals),
                   kb->ngoals, kb->goals_label, nw ? ", that is " : "", nw ? nw : "");
        for (size_t i = 0; i < kb->ngoals; i++)
            add_goal(kb, &kb->goals[i], false, r);
        break;
    }
    case KB_INTENT_COUNT_VALUES: {
        const char *nw = number_word(kb->nvalues);
        size_t nb = 0;
        char *all = value_names(kb);

        reply_addf(r, REPLY_PARA, NULL, "%s %zu values%s%s: %s.",
                   count_lead(a, kb->nvalues), kb->nvalues, nw ? ", that is " : "",
                   nw ? nw : "", all);
        free(all);
        /* Where the strategy lists behaviours, the count of those is asked too. */
        for (size_t i = 0; i < kb->nvalues; i++) {
            if (kb->values[i].nbehaviours > 0)
                compose_value(&kb->values[i], r);
            nb += kb->values[i].nbehaviours;
        }
        if (nb > 0) {
            nw = number_word(nb);
            reply_addf(r, REPLY_PARA, NULL, "That is %zu behaviours in all%s%s.", nb,
                       nw ? ", " : "", nw ? nw : "");
        }
        break;
    }
    case KB_INTENT_CLARIFY:
        reply_add(r, REPLY_PARA, NULL, "Did you mean one of these?");
        for (size_t i = 0; i < a->nrefs; i++)
            compose_ref(kb, &a->refs[i], r);
        break;
    case KB_INTENT_NOT_A_VALUE: {
        char *all = value_names(kb);

        if (a->related && a->nrefs > 0) {
            /* "is kindness one of our values?" with Compassion: not by that name. */
            reply_addf(r, REPLY_PARA, NULL,
                       "%s The closest of our %zu values in meaning is %s; they are %s.",
                       a->answered ? "Not by that name."
                                   : "That isn't one of our values.",
                       kb->nvalues, kb->values[a->refs[0].item].name, all);
            free(all);
            if (kb->values[a->refs[0].item].nbehaviours > 0 ||
                kb->values[a->refs[0].item].description[0])
                compose_ref(kb, &a->refs[0], r);
            break;
        }
        reply_addf(r, REPLY_PARA, NULL,
                   "%s isn't one of our values. Our %zu values are %s.",
                   a->answered ? "No, that" : "That", kb->nvalues, all);
        free(all);
        break;
    }
    case KB_INTENT_NO_SUCH_GOAL:
        if (a->answered)
            reply_addf(r, REPLY_PARA, NULL, "No, that isn't one of our %s.",
                       kb->goals_label);
        else
            reply_addf(r, REPLY_PARA, NULL, "I can't find that among our %s.",
                       kb->goals_label);
        compose_goals(kb, false, r);
        for (size_t i = 0; i < a->nrefs; i++) {
            if (a->refs[i].kind != KB_DOC_PASSAGE)
                continue;
            reply_addf(r, REPLY_PARA, NULL, "%s says:", kb_strategy_title(kb));
            compose_ref(kb, &a->refs[i], r);
        }
        break;
    case KB_INTENT_NO_MISSION:
        reply_addf(r, REPLY_PARA, NULL, "%s doesn't state a mission statement.",
                   kb_strategy_title(kb));
        for (size_t i = 0; i < a->nrefs; i++)
            compose_ref(kb, &a->refs[i], r);
        break;
    case KB_INTENT_NO_VALUES:
    case KB_INTENT_NO_GOALS:
        reply_addf(r, REPLY_PARA, NULL, "%s doesn't list %s.", kb_strategy_title(kb),
                   a->intent == KB_INTENT_NO_VALUES ? "values" : "goals");
        what_i_know(kb, r);
        return;
    case KB_INTENT_CLINICAL:
        reply_add(
            r, REPLY_PARA, NULL,
            "I can't help with clinical questions. Please follow your clinical guidance "
            "or ask a senior clinical colleague.");
        what_i_know(kb, r);
        return;
    case KB_INTENT_OUT_OF_SCOPE:
        if (a->uncovered) {
            reply_addf(r, REPLY_PARA, NULL,
                       "Sorry, %s doesn't cover that, so I can't help with it here.",
                       kb_strategy_name(kb));
            what_i_know(kb, r);
            return;
        }
        reply_addf(r, REPLY_PARA, NULL, "Sorry, I don't know that: %s doesn't say.",
                   kb_strategy_name(kb));
        /* What the page does say of the thing asked, when it names it. */
        if (a->nrefs > 0 && a->refs[0].kind == KB_DOC_PASSAGE) {
            reply_add(r, REPLY_PARA, NULL, "All it says of that is:");
            for (size_t i = 0; i < a->nrefs; i++)
                compose_ref(kb, &a->refs[i], r);
        }
        what_i_know(kb, r);
        return;
    case KB_INTENT_OTHER_ORG:
        reply_addf(r, REPLY_PARA, NULL,
                   "I only know the strategy of %s, so I can't speak for another "
                   "organisation.",
                   kb->name);
        what_i_know(kb, r);
        return;
    case KB_INTENT_REFUSE:
        compose_refusal(a, r);
        what_i_know(kb, r);
        return;
    }
    compose_source(kb, r);
}

void
compose_answers(const struct kb_answer *a, size_t n, struct reply *r)
{
    static const char *const nth[] = {"first", "second", "third", "fourth"};
    const struct kb *kb = a[0].kb;

    for (size_t i = 0; i < n; i++) {
        struct reply one = {0};

        if (!a[i].answered) {
            reply_addf(r, REPLY_PARA, NULL,
                       "I can't find the answer to your %s question in %s.",
                       i < 4 ? nth[i] : "other", kb_strategy_name(kb));
            continue;
        }
        compose_answer(&a[i], &one);
        for (size_t k = 0; k < one.n; k++) {
            if (one.blocks[k].kind != REPLY_SOURCE)
                reply_add(r, one.blocks[k].kind, one.blocks[k].label, one.blocks[k].text);
        }
        reply_cleanup(&one);
    }
    compose_source(kb, r);
}

size_t
compose_suggestions(const struct kb_answer *a, const char **out, size_t max)
{
    static const char *const examples[] = {"What are our values?", "What are our goals?",
                                           "Summarise the strategy"};
    size_t n = 0;

    if (a->answered && a->intent != KB_INTENT_HELP && a->intent != KB_INTENT_GREETING)
        return 0;
    /* Only what the KB holds: no values question where the page lists none. */
    for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]) && n < max; i++) {
        if (a->kb != NULL &&
            ((i == 0 && a->kb->nvalues == 0) || (i == 1 && a->kb->ngoals == 0)))
            continue;
        /* A KB of a page holding no strategy summarises the page. */
        out[n++] = i == 2 && a->kb != NULL && !kb_has_strategy(a->kb)
                       ? "Summarise the page"
                       : examples[i];
    }
    return n;
}
