/*
 * engine_fixture.h - one answer engine per test file, over a KB set: a
 * suite's .init calls engine_open() with the set, its .fini engine_close().
 * Include it once, in a test file (it defines the file's set and eng).
 */
#ifndef TESTS_KB_ENGINE_FIXTURE_H
#define TESTS_KB_ENGINE_FIXTURE_H

#include <string.h>

#include <criterion/criterion.h>

#include "bot/chat/reply.h"
#include "bot/core/compose.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_set.h"

static struct kb_set *set;
static struct kb_engine *eng;

/* Takes @s and starts the engine over it, with the shipped threshold and margin. */
static inline void
engine_open(struct kb_set *s)
{
    set = s;
    eng = kb_engine_new(set, 0.5, 0.1);
}

/* Loads the KB set in @dir (relative to the repository root) and opens it. */
static inline void
engine_open_dir(const char *dir)
{
    struct kb_set *s = NULL;
    char *why = NULL;

    cr_assert_eq(kb_set_load(dir, &s, &why), BOT_OK, "%s: %s", dir, why);
    engine_open(s);
}

static inline void
engine_close(void)
{
    kb_engine_free(eng);
    kb_set_free(set);
}

/* Answers @q for @org; fails the test when no KB is loaded for @org. */
static inline struct kb_answer
engine_ask(const char *org, const char *q)
{
    struct kb_answer a;

    cr_assert(kb_engine_answer(eng, org, q, strlen(q), &a), "no KB for %s", org);
    return a;
}

/* Answers @q for @org into *@a (when not NULL); returns the plain-text reply as a
 * user sees it, free with free(). */
static inline char *
engine_reply(const char *org, const char *q, struct kb_answer *a)
{
    struct kb_answer tmp;
    struct reply r = {0};
    char *text;

    if (a == NULL)
        a = &tmp;
    *a = engine_ask(org, q);
    compose_answer(a, &r);
    text = reply_format_plain(&r);
    reply_cleanup(&r);
    return text;
}

/* Does the answer quote a passage containing @s? */
static inline bool
engine_quotes(const struct kb_answer *a, const char *s)
{
    for (size_t k = 0; k < a->nrefs; k++) {
        if (a->refs[k].kind == KB_DOC_PASSAGE &&
            strstr(a->kb->passages[a->refs[k].item].text, s) != NULL)
            return true;
    }
    return false;
}

#endif /* TESTS_KB_ENGINE_FIXTURE_H */
