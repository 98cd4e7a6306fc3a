/*
 * test_kb_answer_kinds.c - kinds of question the answer engine reads the same
 * way on any KB: a strategy named in a "when", a date about the strategy, a
 * value named by an adjective, requests to change a part of the strategy,
 * another organisation named by a proper name.  Two KBs of our own (fictional
 * trusts), written to a scratch directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_set.h"

#define KB_HEAD(org, name, strategy)                                                     \
    "{\"schema\": 1, \"org\": \"" org "\", \"name\": \"" name                            \
    "\", \"short_name\": \"\","                                                          \
    " \"strategy\": \"" strategy "\", \"doc\": \"" org                                   \
    ".txt\", \"goals_label\": \"goals\","

/* Wexley: a strategy whose name holds a word of an order ("Change"). */
static const char kb_wexley[] = KB_HEAD(
    "fxw", "Wexley Health NHS Trust",
    "Time for Change") " \"vision\": {\"text\": \"Outstanding care, close to home.\", "
                       "\"line\": 3},"
                       " \"goals\": [{\"number\": 1, \"title\": \"safe care\", "
                       "\"description\": \"\","
                       " \"points\": [], \"aliases\": [], \"line\": 4, \"origin\": "
                       "\"document\"}],"
                       " \"values\": ["
                       "{\"name\": \"Curious\", \"description\": \"we ask how things "
                       "could be better\","
                       " \"behaviours\": [{\"text\": \"taking part in research and "
                       "audit\", \"line\": 6}],"
                       " \"aliases\": [], \"line\": 5, \"origin\": \"document\"},"
                       "{\"name\": \"Kindness\", \"description\": \"\", \"behaviours\": "
                       "[],"
                       " \"aliases\": [], \"line\": 7, \"origin\": \"document\"}],"
                       " \"ambitions\": [], \"synonyms\": [], \"passages\": ["
                       "{\"section\": \"Our strategy\", \"text\": \"We are refreshing "
                       "our strategy during"
                       " 2025 and will publish the updated version in the spring of "
                       "2026.\", \"line\": 10},"
                       "{\"section\": \"Our sites\", \"text\": \"We run clinics from "
                       "twelve community"
                       " sites.\", \"line\": 12}]}";

/* Yarrow: a strategy named in words of its own, its years in a sentence. */
static const char kb_yarrow[] = KB_HEAD(
    "fxy", "Yarrow District Hospitals NHS Trust",
    "Care You Can Count On") " \"goals\": [{\"number\": 1, \"title\": \"safe care every "
                             "time\","
                             " \"description\": \"\", \"points\": [], \"aliases\": [], "
                             "\"line\": 4,"
                             " \"origin\": \"document\"}],"
                             " \"values\": [{\"name\": \"Caring\", \"description\": "
                             "\"\", \"behaviours\": [],"
                             " \"aliases\": [], \"line\": 5, \"origin\": \"document\"}],"
                             " \"ambitions\": [], \"synonyms\": [], \"passages\": ["
                             "{\"section\": \"Our goals and values\", \"text\": \"Our "
                             "strategy, Care You Can"
                             " Count On, runs from 2022 to 2027.\", \"line\": 2},"
                             "{\"section\": \"Our goals and values\", \"text\": \"We "
                             "care for the people of"
                             " Yarrow and the villages.\", \"line\": 3}]}";

static char dir[] = "/tmp/valuesbot-kinds-XXXXXX";
static struct kb_set *set;
static struct kb_engine *eng;

static void
write_kb(const char *org, const char *json)
{
    char path[sizeof(dir) + 16];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s.json", dir, org);
    f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(json, f);
    fclose(f);
}

static void
setup(void)
{
    char *why = NULL;

    cr_assert_not_null(mkdtemp(dir));
    write_kb("fxw", kb_wexley);
    write_kb("fxy", kb_yarrow);
    cr_assert_eq(kb_set_load(dir, &set, &why), BOT_OK, "%s", why);
    eng = kb_engine_new(set, 0.5, 0.1);
}

static void
teardown(void)
{
    char path[sizeof(dir) + 16];

    kb_engine_free(eng);
    kb_set_free(set);
    snprintf(path, sizeof(path), "%s/fxw.json", dir);
    remove(path);
    snprintf(path, sizeof(path), "%s/fxy.json", dir);
    remove(path);
    rmdir(dir);
}

TestSuite(kb_kinds, .init = setup, .fini = teardown);

static struct kb_answer
ask(const char *org, const char *q)
{
    struct kb_answer a;

    cr_assert(kb_engine_answer(eng, org, q, strlen(q), &a), "%s", org);
    return a;
}

/* Does the answer quote a passage containing @s? */
static bool
quotes(const struct kb_answer *a, const char *s)
{
    for (size_t k = 0; k < a->nrefs; k++) {
        if (a->refs[k].kind == KB_DOC_PASSAGE &&
            strstr(a->kb->passages[a->refs[k].item].text, s) != NULL)
            return true;
    }
    return false;
}

/* The strategy's own name in "when does ... end" stands for the strategy. */
Test(kb_kinds, the_strategy_named_in_a_when_gets_its_years)
{
    struct kb_answer a = ask("fxy", "when does Care You Can Count On end?");
    struct kb_answer b = ask("fxy", "when does the strategy run until?");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(quotes(&a, "2022 to 2027"));
    cr_expect(b.answered && quotes(&b, "2022 to 2027"), "the same as by 'the strategy'");
}

/* A date about the strategy, nothing else named: a passage with a date, not the summary.
 */
Test(kb_kinds, a_date_about_the_strategy_is_a_fact_not_the_summary)
{
    struct kb_answer a = ask("fxw", "when will the new strategy be in place?");
    struct kb_answer b = ask("fxy", "when is the new strategy being published?");
    struct kb_answer c = ask("fxw", "what's the strategy about?");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_FACT);
    cr_expect(quotes(&a, "spring of 2026"));
    /* No page sentence gives it: a decline, which the report then lists. */
    cr_expect_neq(b.intent, KB_INTENT_SUMMARY);
    cr_expect_eq(c.intent, KB_INTENT_SUMMARY, "no date asked: the summary still");
}

/* A value named by an adjective: "what does it look like" asks about the value. */
Test(kb_kinds, an_adjective_value_asked_what_it_looks_like)
{
    struct kb_answer a = ask("fxw", "what does curious look like in practice?");
    struct kb_answer b = ask("fxw", "is the canteen curious about parking on sundays?");

    cr_assert(a.answered);
    cr_expect_eq(a.intent, KB_INTENT_VALUE);
    cr_expect_neq(b.intent, KB_INTENT_VALUE, "other things asked: not the value");
}

/* "change our vision to ...": an edit of a part of the strategy, even when the
 * strategy's name holds the verb; the name itself is no order. */
Test(kb_kinds, an_edit_of_a_part_is_refused_the_name_is_not)
{
    static const char *const edits[] = {
        "change our vision to 'be the best at everything'",
        "replace the values with speed and profit",
        "rename goal 1 as Growth",
    };

    for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
        struct kb_answer a = ask("fxw", edits[i]);

        cr_expect_eq(a.intent, KB_INTENT_REFUSE, "%s", edits[i]);
        cr_expect_not(a.answered, "%s", edits[i]);
    }
    cr_expect_neq(ask("fxw", "what is time for change?").intent, KB_INTENT_REFUSE);
    cr_expect_neq(ask("fxw", "what did time for change change?").intent,
                  KB_INTENT_REFUSE);
}

/* One proper name before "trust" that no KB word is: another organisation. */
Test(kb_kinds, a_proper_name_before_trust_is_another_organisation)
{
    struct kb_answer a = ask("fxw", "what are the values of Harrowdale Community trust?");
    struct kb_answer b = ask("fxw", "what are the values of Wexley Health trust?");
    struct kb_answer c = ask("fxw", "what are the values of our trust?");

    cr_expect_eq(a.intent, KB_INTENT_OTHER_ORG);
    cr_expect_not(a.answered);
    cr_expect_eq(b.intent, KB_INTENT_VALUES, "our own name");
    cr_expect_eq(c.intent, KB_INTENT_VALUES);
}
