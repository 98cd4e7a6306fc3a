/*
 * test_kb_related_answer.c - values and goals found by words that mean them
 * (kb_related.h) in the answer engine, and the replies that say so: never a
 * flat "yes" for a word that is only related.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/chat/reply.h"
#include "bot/core/compose.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_set.h"
#include "tests/test_util.h"

#include "tests/kb/engine_fixture.h"

static void
setup(void)
{
    engine_open(shipped_kbs());
}

TestSuite(kb_related_answer, .init = setup, .fini = engine_close);

/* Answers @q for @org into *a (out); returns the plain-text reply, free with free(). */
static char *
ask(const char *org, const char *q, struct kb_answer *a)
{
    return engine_reply(org, q, a);
}

/* The index of @org's value or goal called @name. */
static size_t
item(const char *org, enum kb_doc_kind kind, const char *name)
{
    const struct kb *kb = kb_set_find(set, org);

    cr_assert_not_null(kb);
    for (size_t i = 0; kind == KB_DOC_VALUE && i < kb->nvalues; i++) {
        if (strcmp(kb->values[i].name, name) == 0)
            return i;
    }
    for (size_t i = 0; kind == KB_DOC_GOAL && i < kb->ngoals; i++) {
        if (strstr(kb->goals[i].title, name) != NULL)
            return i;
    }
    cr_assert_fail("%s has no %s", org, name);
    return 0;
}

struct related_case {
    const char *org, *q;
    enum kb_intent intent;
    enum kb_doc_kind kind;
    const char *name; /* the item meant */
    bool answered;
    const char *says; /* in the reply */
};

static const struct related_case cases[] = {
    /* Asked for by theme: the item that means it, said to be the closest. */
    {"cwpt", "which value is about teamwork", KB_INTENT_VALUE, KB_DOC_VALUE,
     "Collaboration", true, "closest of our values in meaning is Collaboration"},
    {"tewv", "which value is about empathy?", KB_INTENT_VALUE, KB_DOC_VALUE, "Compassion",
     true, "Compassion"},
    {"tewv", "do we have a goal about collaborating with other organisations",
     KB_INTENT_GOAL, KB_DOC_GOAL, "trusted partner", true, "trusted partner"},
    /* A yes/no: not by that name, the closest named, the values listed. */
    {"cwpt", "is kindness one of our values?", KB_INTENT_NOT_A_VALUE, KB_DOC_VALUE,
     "Compassion", true, "Not by that name"},
    {"cwpt", "is teamwork a value here?", KB_INTENT_NOT_A_VALUE, KB_DOC_VALUE,
     "Collaboration", true, "Excellence"},
    /* A value presumed ours: declined, the closest named. */
    {"cwpt", "what's the kindness value about?", KB_INTENT_NOT_A_VALUE, KB_DOC_VALUE,
     "Compassion", false, "isn't one of our values"},
};

Test(kb_related_answer, related_word_finds_the_item)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct related_case *c = &cases[i];
        struct kb_answer a;
        char *text = ask(c->org, c->q, &a);

        cr_expect_eq(a.intent, c->intent, "%s: intent %s", c->q,
                     kb_intent_name(a.intent));
        cr_expect(a.related, "%s: not marked related", c->q);
        cr_expect_eq(a.answered, c->answered, "%s", c->q);
        cr_assert_geq(a.nrefs, 1, "%s", c->q);
        cr_expect_eq(a.refs[0].kind, c->kind, "%s", c->q);
        cr_expect_eq(a.refs[0].item, item(c->org, c->kind, c->name), "%s", c->q);
        cr_expect_not_null(strstr(text, c->says), "%s: %s", c->q, text);
        cr_expect_null(strstr(text, "Yes"), "%s: a flat yes: %s", c->q, text);
        free(text);
    }
}

/* Words that mean nothing of ours, and words the KB has, are left as they were. */
Test(kb_related_answer, unrelated_or_known_words_are_not_related)
{
    static const char *const qs[][2] = {
        {"cwpt", "is courage one of our values?"},
        {"cwpt", "which value is about parking"},
        {"cwpt", "is compassion one of our values?"},
        {"tewv", "is respect one of our values"},
        {"cwpt", "which goal is about being a trusted partner"},
        {"tewv", "what's the teaching trust ambition"},
    };

    for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
        struct kb_answer a;
        char *text = ask(qs[i][0], qs[i][1], &a);

        cr_expect_not(a.related, "%s: related: %s", qs[i][1], text);
        cr_expect_null(strstr(text, "closest"), "%s: %s", qs[i][1], text);
        free(text);
    }
}

/* A value with no behaviours listed: the related value does not invent them. */
Test(kb_related_answer, no_behaviours_invented)
{
    struct kb_answer a;
    char *text = ask("cwpt", "what behaviours come under teamwork?", &a);

    cr_expect_not(a.answered, "%s", text);
    free(text);
}
