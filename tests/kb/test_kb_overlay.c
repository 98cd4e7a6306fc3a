/* test_kb_overlay.c - curated overlays merged by bot/kb/kb_overlay.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tests/test_util.h"

#include "bot/kb/kb.h"
#include "bot/kb/kb_overlay.h"

static struct kb *kb;

static void
setup(void)
{
    char *why = NULL;

    cr_assert_eq(kb_load_file("knowledge/tewv.json", &kb, &why), BOT_OK,
                 "knowledge/tewv.json: %s (run from the repository root)", why);
}

static void
teardown(void)
{
    kb_free(kb);
}

TestSuite(kb_overlay, .init = setup, .fini = teardown);

/* Applies @json to the fixture KB and asserts that it succeeds. */
static void
apply_ok(const char *json)
{
    char *why = NULL;
    enum bot_err err = kb_overlay_apply(kb, json, strlen(json), &why);

    cr_assert_eq(err, BOT_OK, "%s: %s", bot_strerror(err), why ? why : "");
    cr_assert_null(why, "*why must stay NULL on success");
}

Test(kb_overlay, merges_into_a_value_by_name_ignoring_case)
{
    struct kb_value *v;

    apply_ok("{\"values\": {\"respect\": {\"aliases\": [\"dignity\", \"courtesy\"], "
             "\"description\": \"We treat people as equals.\", "
             "\"behaviours\": [\"Curious\"]}}}");
    v = kb_value_find(kb, "Respect");
    cr_assert_not_null(v);
    cr_assert_str_eq(v->name, "Respect", "the name is not changed");
    cr_assert(v->overlay);
    cr_assert_eq(v->naliases, 2);
    cr_assert_str_eq(v->aliases[0], "dignity");
    cr_assert_str_eq(v->aliases[1], "courtesy");
    cr_assert_str_eq(v->description, "We treat people as equals.");
    cr_assert_eq(v->nbehaviours, 4, "behaviours are added, not replaced");
    cr_assert_str_eq(v->behaviours[0].text, "Inclusive");
    cr_assert_not(v->behaviours[0].overlay);
    cr_assert_str_eq(v->behaviours[3].text, "Curious");
    cr_assert(v->behaviours[3].overlay);
    cr_assert_not(kb_value_find(kb, "Compassion")->overlay, "other values untouched");
}

Test(kb_overlay, merges_into_a_goal_by_number)
{
    apply_ok("{\"goals\": {\"2\": {\"aliases\": [\"employer\", \"workforce\"], "
             "\"title\": \"We will be a great employer\"}}}");
    cr_assert_str_eq(kb->goals[1].title, "We will be a great employer");
    cr_assert_eq(kb->goals[1].naliases, 2);
    cr_assert_str_eq(kb->goals[1].aliases[1], "workforce");
    cr_assert(kb->goals[1].overlay);
    cr_assert_not(kb->goals[0].overlay);
    cr_assert_str_eq(kb->goals[1].description, "Our colleagues will:", "unchanged");
    cr_assert_eq(kb->goals[1].npoints, 3);
}

Test(kb_overlay, merges_into_a_goal_by_title)
{
    apply_ok(
        "{\"goals\": {\"We Will Be A Trusted Partner\": {\"aliases\": [\"partners\"], "
        "\"description\": \"With others.\"}}}");
    cr_assert_eq(kb->goals[2].naliases, 1);
    cr_assert_str_eq(kb->goals[2].aliases[0], "partners");
    cr_assert_str_eq(kb->goals[2].description, "With others.");
    cr_assert(kb->goals[2].overlay);
}

Test(kb_overlay, adds_ambitions_and_synonyms)
{
    size_t nam = kb->nambitions, nsyn = kb->nsynonyms;

    apply_ok(
        "{\"ambitions\": [{\"kind\": \"pledge\", \"title\": \"Zero waits\", "
        "\"text\": \"Nobody waits.\", \"line\": 7}, {\"kind\": \"ambition\", "
        "\"text\": \"Be outstanding.\"}], "
        "\"synonyms\": [[\"staff\", \"colleagues\", \"workforce\"], [\"a\", \"b\"]]}");
    cr_assert_eq(kb->nambitions, nam + 2);
    cr_assert_str_eq(kb->ambitions[nam].kind, "pledge");
    cr_assert_str_eq(kb->ambitions[nam].title, "Zero waits");
    cr_assert_str_eq(kb->ambitions[nam].text, "Nobody waits.");
    cr_assert_eq(kb->ambitions[nam].line, 7);
    cr_assert(kb->ambitions[nam].overlay);
    cr_assert_str_eq(kb->ambitions[nam + 1].title, "", "title is optional");
    cr_assert_eq(kb->nsynonyms, nsyn + 2);
    cr_assert_eq(kb->synonyms[nsyn].n, 3);
    cr_assert_str_eq(kb->synonyms[nsyn].terms[2], "workforce");
}

Test(kb_overlay, replaced_vision_is_marked_overlay_in_the_json)
{
    char *json, *why = NULL;
    const char *v;
    struct kb *back;

    apply_ok("{\"org\": \"tewv\", \"vision\": {\"text\": \"A corrected vision.\", "
             "\"line\": 22}}");
    cr_assert_str_eq(kb->vision.text, "A corrected vision.");
    cr_assert_eq(kb->vision.line, 22);
    cr_assert(kb->vision.overlay);
    cr_assert_not(kb->mission.overlay);
    json = kb_format(kb);
    v = strstr(json, "\"vision\": {");
    cr_assert_not_null(v, "%s", json);
    cr_assert_not_null(strstr(v, "\"origin\": \"overlay\""));
    cr_assert_lt(strstr(v, "\"origin\": \"overlay\"") - v, 120,
                 "the origin belongs to the vision object");
    cr_assert_eq(kb_parse(json, strlen(json), &back, &why), BOT_OK, "%s", why);
    cr_assert(back->vision.overlay, "the mark survives a reload");
    kb_free(back);
    free(json);
}

Test(kb_overlay, null_mission_removes_it)
{
    char *json;

    apply_ok("{\"mission\": null}");
    cr_assert_null(kb->mission.text);
    cr_assert_eq(kb->mission.line, 0);
    json = kb_format(kb);
    cr_assert_not_null(strstr(json, "\"mission\": null"));
    free(json);
}

Test(kb_overlay, sets_names_and_label)
{
    apply_ok("{\"comment\": \"reviewed\", \"short_name\": \"T\", \"strategy\": \"S\", "
             "\"goals_label\": \"aims\"}");
    cr_assert_str_eq(kb->short_name, "T");
    cr_assert_str_eq(kb->strategy, "S");
    cr_assert_str_eq(kb->goals_label, "aims");
}

Test(kb_overlay, empty_overlay_changes_nothing)
{
    char *before = kb_format(kb), *after;

    apply_ok("{}");
    after = kb_format(kb);
    cr_assert_str_eq(after, before);
    free(before);
    free(after);
}

Test(kb_overlay, committed_overlays_apply)
{
    static const char *const paths[] = {"knowledge/tewv.overlay.json"};
    char *why = NULL;
    struct kb *fresh;

    cr_assert_eq(kb_load_file("knowledge/tewv.json", &fresh, &why), BOT_OK);
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        FILE *f = fopen(paths[i], "rb");
        char buf[65536];
        size_t n;

        cr_assert_not_null(f, "%s", paths[i]);
        n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        cr_assert_eq(kb_overlay_apply(fresh, buf, n, &why), BOT_OK, "%s: %s", paths[i],
                     why ? why : "");
    }
    kb_free(fresh);
}

struct reload_case {
    const char *name; /* printed when the case fails */
    const char *json;
};

static const struct reload_case reload_cases[] = {
    {"alias and synonym", "{\"values\": {\"Respect\": {\"aliases\": [\"dignity\"]}}, "
                          "\"synonyms\": [[\"ceo\", \"chief executive\"]]}"},
    {"behaviour the document already lists",
     "{\"values\": {\"Respect\": {\"behaviours\": [\"inclusive\"]}}}"},
    {"goal renamed to another goal's title",
     "{\"goals\": {\"1\": {\"title\": \"we will be a great employer\"}}}"},
    {"ambition with an empty kind",
     "{\"ambitions\": [{\"kind\": \"\", \"text\": \"t\"}]}"},
    {"ambition on a line past the loader's limit",
     "{\"ambitions\": [{\"kind\": \"a\", \"text\": \"t\", \"line\": 200000000}]}"},
    {"vision on a line past the loader's limit",
     "{\"vision\": {\"text\": \"v\", \"line\": 200000000}}"},
    {"empty goals label", "{\"goals_label\": \"\"}"},
    {"empty strategy", "{\"strategy\": \"\"}"},
};

/*
 * What `kb build --overlay` writes must pass `kb check`: an overlay either
 * is refused or gives a KB that kb_parse() accepts.
 */
Test(kb_overlay, result_always_loads_back)
{
    for (size_t i = 0; i < sizeof(reload_cases) / sizeof(reload_cases[0]); i++) {
        const struct reload_case *c = &reload_cases[i];
        struct kb *fresh, *back = NULL;
        char *why = NULL, *json;
        enum bot_err err;

        cr_assert_eq(kb_load_file("knowledge/tewv.json", &fresh, &why), BOT_OK);
        err = kb_overlay_apply(fresh, c->json, strlen(c->json), &why);
        if (err != BOT_OK) {
            cr_expect_not_null(why, "%s: refused without a reason", c->name);
            free(why);
            kb_free(fresh);
            continue;
        }
        json = kb_format(fresh);
        err = kb_parse(json, strlen(json), &back, &why);
        cr_expect_eq(err, BOT_OK, "%s: overlay accepted, but the KB no longer loads: %s",
                     c->name, why ? why : "");
        free(why);
        free(json);
        kb_free(back);
        kb_free(fresh);
    }
}

struct bad_case {
    const char *name; /* printed when the case fails */
    const char *json;
    const char *word; /* must appear in *why */
};

static const struct bad_case bad_cases[] = {
    {"invalid JSON", "{\"values\": ", "invalid JSON"},
    {"top level array", "[]", "object"},
    {"duplicate keys", "{\"strategy\": \"a\", \"strategy\": \"b\"}", "duplicate"},
    {"invalid UTF-8", "{\"strategy\": \"caf\xc3(\"}", "UTF-8"},
    {"unknown top-level key", "{\"visoin\": {\"text\": \"x\"}}", "unknown key"},
    {"wrong org", "{\"org\": \"cwpt\"}", "another organisation"},
    {"org not a string", "{\"org\": 1}", "org"},
    {"value not in the KB", "{\"values\": {\"Kindness\": {\"aliases\": [\"k\"]}}}",
     "Kindness"},
    {"values not an object", "{\"values\": [\"Respect\"]}", "values"},
    {"unknown key in a value", "{\"values\": {\"Respect\": {\"alias\": [\"x\"]}}}",
     "unknown key"},
    {"value entry not an object", "{\"values\": {\"Respect\": \"dignity\"}}", "Respect"},
    {"value aliases not an array", "{\"values\": {\"Respect\": {\"aliases\": \"x\"}}}",
     "array"},
    {"value alias empty", "{\"values\": {\"Respect\": {\"aliases\": [\"\"]}}}",
     "non-empty"},
    {"value description a number", "{\"values\": {\"Respect\": {\"description\": 5}}}",
     "string"},
    {"goal number not in the KB", "{\"goals\": {\"7\": {\"aliases\": [\"x\"]}}}", "goal"},
    {"goal title not in the KB", "{\"goals\": {\"Be nice\": {\"aliases\": [\"x\"]}}}",
     "Be nice"},
    {"unknown key in a goal", "{\"goals\": {\"1\": {\"points\": [\"x\"]}}}",
     "unknown key"},
    {"goal entry not an object", "{\"goals\": {\"1\": [\"x\"]}}", "goals.1"},
    {"vision not an object", "{\"vision\": \"x\"}", "vision"},
    {"vision with empty text", "{\"vision\": {\"text\": \"\"}}", "vision"},
    {"mission with negative line", "{\"mission\": {\"text\": \"m\", \"line\": -2}}",
     "mission"},
    {"ambition without text", "{\"ambitions\": [{\"kind\": \"pledge\"}]}",
     "ambitions[0]"},
    {"ambition with empty text", "{\"ambitions\": [{\"kind\": \"a\", \"text\": \"\"}]}",
     "ambitions[0]"},
    {"ambition with unknown key", "{\"ambitions\": [{\"kind\": \"a\", \"txt\": \"t\"}]}",
     "unknown key"},
    {"ambitions not an array", "{\"ambitions\": {}}", "array"},
    {"synonym with one phrase", "{\"synonyms\": [[\"ceo\"]]}", "two or more"},
    {"bad value entry, then bad ambitions",
     "{\"values\": {\"Respect\": \"x\"}, \"ambitions\": 5}", "Respect"},
    {"synonym phrase a number", "{\"synonyms\": [[\"ceo\", 1]]}", "synonyms[0]"},
    {"added value the KB has", "{\"add\": {\"values\": [{\"name\": \"respect\"}]}}",
     "already has"},
    {"added goal the KB has",
     "{\"add\": {\"goals\": [{\"title\": \"we will be a great employer\"}]}}",
     "already has"},
    {"added value without a name", "{\"add\": {\"values\": [{\"description\": \"d\"}]}}",
     "add.values[0]"},
    {"added goal with an empty title", "{\"add\": {\"goals\": [{\"title\": \"\"}]}}",
     "add.goals[0]"},
    {"unknown key in an added value",
     "{\"add\": {\"values\": [{\"name\": \"Curiosity\", \"behaviors\": [\"x\"]}]}}",
     "unknown key"},
    {"unknown key under add", "{\"add\": {\"value\": []}}", "unknown key"},
    {"add.values not an array", "{\"add\": {\"values\": {\"name\": \"x\"}}}", "array"},
    {"added goal points not strings",
     "{\"add\": {\"goals\": [{\"title\": \"Greener estates\", \"points\": [1]}]}}",
     "points"},
};

Test(kb_overlay, rejects_bad_overlays_with_a_reason)
{
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const struct bad_case *c = &bad_cases[i];
        char *why = NULL;
        enum bot_err err = kb_overlay_apply(kb, c->json, strlen(c->json), &why);

        cr_expect_eq(err, BOT_EPARSE, "%s: got %s (why: %s)", c->name, bot_strerror(err),
                     why ? why : "none");
        cr_expect_not_null(why, "%s: no reason given", c->name);
        if (why != NULL)
            cr_expect_not_null(strstr(why, c->word), "%s: reason \"%s\" lacks \"%s\"",
                               c->name, why, c->word);
        free(why);
    }
    expect_no_leaks("bad overlays");
}

/* "add": values and goals the builder did not find, written by a content owner:
   appended, marked as from the overlay, goals numbered after the last; an
   alias given with them finds them; the result loads back. */
Test(kb_overlay, adds_values_and_goals)
{
    size_t nv = kb->nvalues, ng = kb->ngoals;
    unsigned last = 0;
    struct kb_value *v;
    struct kb_goal *g;
    struct kb *back = NULL;
    char *json, *why = NULL;

    for (size_t i = 0; i < ng; i++)
        last = kb->goals[i].number > last ? kb->goals[i].number : last;
    apply_ok("{\"add\": {\"values\": [{\"name\": \"Curiosity\", \"description\": "
             "\"We ask why.\", \"behaviours\": [\"We try new ways\"], \"aliases\": "
             "[\"inquisitive\"]}], \"goals\": [{\"title\": \"Greener estates\", "
             "\"points\": [\"Halve the carbon of our buildings by 2032\"]}]}}");
    cr_assert_eq(kb->nvalues, nv + 1);
    cr_assert_eq(kb->ngoals, ng + 1);
    v = kb_value_find(kb, "curiosity");
    cr_assert_not_null(v);
    cr_expect(v->overlay);
    cr_expect_str_eq(v->description, "We ask why.");
    cr_assert_eq(v->nbehaviours, 1);
    cr_expect(v->behaviours[0].overlay);
    cr_assert_eq(v->naliases, 1);
    cr_expect_str_eq(v->aliases[0], "inquisitive");
    g = kb_goal_find(kb, "Greener estates");
    cr_assert_not_null(g);
    cr_expect(g->overlay);
    cr_expect_eq(g->number, last + 1);
    cr_expect_str_eq(g->description, "");
    cr_assert_eq(g->npoints, 1);
    cr_expect_str_eq(g->points[0].text, "Halve the carbon of our buildings by 2032");
    json = kb_format(kb);
    cr_assert_eq(kb_parse(json, strlen(json), &back, &why), BOT_OK, "%s", why);
    cr_expect_not_null(kb_value_find(back, "Curiosity"));
    cr_expect(kb_value_find(back, "Curiosity")->overlay, "origin survives a round trip");
    cr_expect_not_null(kb_goal_find(back, "Greener estates"));
    kb_free(back);
    free(json);
}

/* Added, then changed in the same overlay: "values" and "goals" see the added
   ones. */
Test(kb_overlay, added_values_can_be_changed_in_the_same_overlay)
{
    apply_ok("{\"add\": {\"values\": [{\"name\": \"Curiosity\"}]}, \"values\": "
             "{\"Curiosity\": {\"aliases\": [\"wonder\"]}}}");
    cr_assert_not_null(kb_value_find(kb, "Curiosity"));
    cr_expect_eq(kb_value_find(kb, "Curiosity")->naliases, 1);
}
