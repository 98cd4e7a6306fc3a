/*
 * test_kb_diff.c - what changed between two KBs (bot/kb/kb_diff.c), on
 * copies of a shipped KB with one change made at a time.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_diff.h"

#define KB "knowledge/tewv.json"

static struct kb *
load(void)
{
    struct kb *kb;
    char *why = NULL;

    cr_assert_eq(kb_load_file(KB, &kb, &why), BOT_OK, "%s: %s", KB, why);
    cr_assert_geq(kb->nvalues, 3);
    cr_assert_geq(kb->ngoals, 2);
    return kb;
}

static void
set(char **field, const char *s)
{
    free(*field);
    *field = xstrdup(s);
}

/* As set(), taking @s (new). */
static void
take(char **field, char *s)
{
    free(*field);
    *field = s;
}

/* Diffs @a and @b, expects @n changes and each of @want (NULL-terminated) in the text. */
static void
expect(struct kb *a, struct kb *b, size_t n, const char *const *want)
{
    size_t got;
    char *text = kb_diff(a, b, &got);

    cr_expect_eq(got, n, "%zu changes, want %zu:\n%s", got, n, text);
    for (size_t i = 0; want[i] != NULL; i++)
        cr_expect(strstr(text, want[i]) != NULL, "no \"%s\" in:\n%s", want[i], text);
    free(text);
    kb_free(a);
    kb_free(b);
}

Test(kb_diff, nothing_changed_is_said_as_nothing)
{
    struct kb *a = load(), *b = load();
    size_t n;
    char *text = kb_diff(a, b, &n);

    cr_expect_eq(n, 0);
    cr_expect_str_eq(text, "");
    free(text);
    kb_free(a);
    kb_free(b);
}

Test(kb_diff, a_value_renamed_keeps_its_behaviours)
{
    struct kb *a = load(), *b = load();
    char *old = xstrdup(a->values[0].name),
         *want = xasprintf("\"%s\" is now \"Dignity\"", old);
    const char *const w[] = {"1 value renamed", "Value renamed", want, NULL};

    set(&b->values[0].name, "Dignity");
    expect(a, b, 1, w);
    free(old);
    free(want);
}

Test(kb_diff, values_added_and_removed)
{
    struct kb *a = load(), *b = load();
    char *gone = xasprintf("Value removed: \"%s\"", a->values[a->nvalues - 1].name);

    /* the last value replaced by another, with nothing in common */
    set(&b->values[b->nvalues - 1].name, "Curiosity");
    for (size_t k = 0; k < b->values[b->nvalues - 1].nbehaviours; k++)
        set(&b->values[b->nvalues - 1].behaviours[k].text, "something else entirely new");
    set(&b->values[b->nvalues - 1].description, "");
    {
        const char *const w2[] = {gone, "Value added: \"Curiosity\"", NULL};

        expect(a, b, 2, w2);
    }
    free(gone);
}

Test(kb_diff, behaviours_reworded_added_removed)
{
    struct kb *a = load(), *b = load();
    struct kb_value *v = &b->values[1];
    const char *const w[] = {"behaviour reworded", "was:", "now:", NULL};

    cr_assert_geq(v->nbehaviours, 1);
    take(&v->behaviours[0].text, xasprintf("%s always", a->values[1].behaviours[0].text));
    expect(a, b, 1, w);
}

Test(kb_diff, goals_and_statements)
{
    struct kb *a = load(), *b = load();
    const char *const w[] = {"Goal renamed", "Vision changed", "goal renamed",
                             "statement changed", NULL};

    take(&b->goals[0].title, xasprintf("%s for everyone", a->goals[0].title));
    set(&b->vision.text, "To be the best place to get care and to work.");
    expect(a, b, 2, w);
}

Test(kb_diff, a_goal_replaced_is_removed_and_added)
{
    struct kb *a = load(), *b = load();
    struct kb_goal *g = &b->goals[b->ngoals - 1];
    char *gone = xasprintf("Goal removed: \"%s\"", a->goals[a->ngoals - 1].title);
    const char *const w[] = {gone, "Goal added: \"Net zero by 2040\"", NULL};

    set(&g->title, "Net zero by 2040");
    set(&g->description, "We will cut our carbon emissions.");
    for (size_t k = 0; k < g->npoints; k++)
        set(&g->points[k].text, "Electric fleet");
    expect(a, b, 2, w);
    free(gone);
}
