/*
 * test_kb_build.c - extraction by bot/kb/kb_build.c, item by item.
 *
 * The two real strategy documents are checked against what a reader finds
 * in them; the four layouts in tests/data/layouts/ against their
 * <name>.expect.json (format in tests/data/layouts/README.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "tests/test_util.h"
#include <jansson.h>

#include "bot/base/buf.h"
#include "bot/base/file.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_build.h"

#define TEWV_SRC "knowledge/sources/tewv-our-journey-to-change.txt"
#define CWPT_SRC "knowledge/sources/cwpt-people-at-our-heart.txt"

/* Returns the bytes of @path (relative to the repository root); free with free(). */
static char *
slurp(const char *path, size_t *len)
{
    char *data;
    enum bot_err err = file_read(path, KB_BUILD_MAX_DOC, &data, len);

    cr_assert_eq(err, BOT_OK, "%s: %s (run from the repository root)", path,
                 bot_strerror(err));
    return data;
}

/* Builds @len bytes at @text as org @org; asserts success. */
static struct kb *
build_text(const char *text, size_t len, const char *org, const char *doc)
{
    struct kb_build_opts o = {.org = org, .name = "Test Trust", .doc = doc};
    struct kb *kb = NULL;
    char *why = NULL;
    enum bot_err err = kb_build(text, len, &o, &kb, &why);

    cr_assert_eq(err, BOT_OK, "%s: %s: %s", doc, bot_strerror(err), why ? why : "");
    cr_assert_null(why, "%s: *why must stay NULL on success", doc);
    cr_assert_not_null(kb);
    return kb;
}

static struct kb *
build_file(const char *path, const char *org)
{
    size_t len;
    char *text = slurp(path, &len);
    const char *slash = strrchr(path, '/');
    struct kb *kb = build_text(text, len, org, slash ? slash + 1 : path);

    free(text);
    return kb;
}

/* -- tewv ---------------------------------------------------------------- */

struct want_goal {
    const char *title;
    unsigned line;
    const char *points[3];
    unsigned point_line; /* line of the first point; the others follow */
};

static const struct want_goal tewv_goals[] = {
    {"Goal 1: we will co-create high quality care",
     24,
     {"A timely response with help when it\xe2\x80\x99s needed",
      "Consistently patient-centred care, with positive outcomes",
      "Involvement in planning and personalising care and opportunities to help improve "
      "services"},
     25},
    {"Goal 2: we will be a great employer",
     28,
     {"Feel pride in what we do and the impact of our work",
      "Be supported and empowered to do our job well",
      "Feel safe to challenge, innovate and celebrate"},
     29},
    {"Goal 3: we will be a trusted partner",
     32,
     {"Deliver integrated services and improve population wellbeing",
      "Reduce health inequalities", "Offer training, job and career opportunities"},
     33},
};

struct want_value {
    const char *name;
    unsigned line;
    const char *behaviours[3];
    unsigned behaviour_line;
};

static const struct want_value tewv_values[] = {
    {"Respect", 38, {"Inclusive", "Considerate", "Open and honest"}, 40},
    {"Compassion", 43, {"Kind", "Fair", "Listening and acting"}, 45},
    {"Responsibility",
     48,
     {"Accountable", "Reliable and productive", "Challenging and improving"},
     50},
};

Test(kb_build, tewv_header_and_statements)
{
    struct kb *kb = build_file(TEWV_SRC, "tewv");

    cr_expect_str_eq(kb->org, "tewv");
    cr_expect_str_eq(kb->name, "Test Trust");
    cr_expect_str_eq(kb->short_name, "", "no short name given");
    cr_expect_str_eq(kb->doc, "tewv-our-journey-to-change.txt");
    cr_expect_str_eq(kb->strategy, "Our Journey to Change",
                     "\"X is our strategy\" names the strategy");
    cr_expect_str_eq(kb->goals_label, "goals");
    cr_assert_not_null(kb->mission.text);
    cr_expect_str_eq(kb->mission.text,
                     "We will support people to lead their best possible lives.");
    cr_expect_eq(kb->mission.line, 20);
    cr_expect_not(kb->mission.overlay);
    cr_assert_not_null(kb->vision.text);
    cr_expect_str_eq(kb->vision.text,
                     "We provide consistently good healthcare which helps our "
                     "communities become healthier and safer");
    cr_expect_eq(kb->vision.line, 22);
    cr_expect_eq(kb->nambitions, 0, "tewv states no ambition");
    kb_free(kb);
}

Test(kb_build, tewv_three_goals_with_points)
{
    struct kb *kb = build_file(TEWV_SRC, "tewv");

    cr_assert_eq(kb->ngoals, 3);
    for (size_t i = 0; i < 3; i++) {
        const struct want_goal *w = &tewv_goals[i];
        const struct kb_goal *g = &kb->goals[i];

        cr_expect_eq(g->number, i + 1, "goal %zu number", i + 1);
        cr_expect_str_eq(g->title, w->title, "goal %zu title", i + 1);
        cr_expect_eq(g->line, w->line, "goal %zu line", i + 1);
        cr_expect_not(g->overlay);
        cr_expect_eq(g->naliases, 0);
        cr_assert_eq(g->npoints, 3, "goal %zu has %zu points", i + 1, g->npoints);
        for (size_t k = 0; k < 3; k++) {
            cr_expect_str_eq(g->points[k].text, w->points[k], "goal %zu point %zu", i + 1,
                             k + 1);
            cr_expect_eq(g->points[k].line, w->point_line + k, "goal %zu point %zu line",
                         i + 1, k + 1);
        }
    }
    cr_expect_str_eq(
        kb->goals[0].description,
        "Therefore, people who use our services and their carers will experience:");
    cr_expect_str_eq(kb->goals[1].description, "Our colleagues will:");
    kb_free(kb);
}

Test(kb_build, tewv_three_values_with_behaviours)
{
    struct kb *kb = build_file(TEWV_SRC, "tewv");

    cr_assert_eq(kb->nvalues, 3);
    for (size_t i = 0; i < 3; i++) {
        const struct want_value *w = &tewv_values[i];
        const struct kb_value *v = &kb->values[i];

        cr_expect_str_eq(v->name, w->name, "value %zu", i + 1);
        cr_expect_eq(v->line, w->line, "%s line", w->name);
        cr_expect_not(v->overlay);
        cr_assert_eq(v->nbehaviours, 3, "%s has %zu behaviours", w->name, v->nbehaviours);
        for (size_t k = 0; k < 3; k++) {
            cr_expect_str_eq(v->behaviours[k].text, w->behaviours[k], "%s behaviour %zu",
                             w->name, k + 1);
            cr_expect_eq(v->behaviours[k].line, w->behaviour_line + k,
                         "%s behaviour %zu line", w->name, k + 1);
        }
    }
    kb_free(kb);
}

/* -- cwpt ---------------------------------------------------------------- */

static const struct {
    const char *title;
    const char *description;
} cwpt_goals[] = {
    {"Our Care",
     "People who use our services are supported and empowered to reach their "
     "full potential and to achieve the best possible health and wellbeing for "
     "them."},
    {"Our Colleagues",
     "People working here feel empowered, valued, respected, engaged, safe "
     "and healthy, and are developed and supported to do a great job."},
    {"Our Leadership",
     "Compassionate, inclusive and accountable leaders at every level, who "
     "enable personal growth and development for everyone."},
    {"Our Organisation",
     "Creating an environment which inspires shared learning, innovation, "
     "improvement, inclusion, co-production and sustainability."},
    {"Our Partnerships",
     "Collaborating with others to improve the health and wellbeing of people and local "
     "communities, because the whole of a person\xe2\x80\x99s healthcare journey "
     "matters"},
};

static const char *const cwpt_values[] = {"Compassion", "Respect", "Collaboration",
                                          "Excellence", "Integrity"};

Test(kb_build, cwpt_strategic_priorities)
{
    struct kb *kb = build_file(CWPT_SRC, "cwpt");

    cr_expect_str_eq(kb->goals_label, "strategic priorities");
    cr_assert_eq(kb->ngoals, 5);
    for (size_t i = 0; i < 5; i++) {
        const struct kb_goal *g = &kb->goals[i];

        cr_expect_eq(g->number, i + 1);
        cr_expect_str_eq(g->title, cwpt_goals[i].title, "priority %zu", i + 1);
        cr_expect_str_eq(g->description, cwpt_goals[i].description, "priority %zu",
                         i + 1);
        cr_expect_eq(g->line, 11 + i, "priority %zu line", i + 1);
        cr_expect_eq(g->npoints, 0);
    }
    kb_free(kb);
}

Test(kb_build, cwpt_values_listed_in_a_sentence)
{
    struct kb *kb = build_file(CWPT_SRC, "cwpt");

    cr_assert_eq(kb->nvalues, 5);
    for (size_t i = 0; i < 5; i++) {
        cr_expect_str_eq(kb->values[i].name, cwpt_values[i], "value %zu", i + 1);
        cr_expect_eq(kb->values[i].line, 16);
        cr_expect_eq(kb->values[i].nbehaviours, 0);
    }
    kb_free(kb);
}

Test(kb_build, cwpt_statements_ambition_and_passages)
{
    struct kb *kb = build_file(CWPT_SRC, "cwpt");
    const struct kb_ambition *teaching = NULL;
    bool launch = false;

    cr_expect_null(kb->mission.text, "the release states no mission");
    cr_expect_null(kb->vision.text, "no vision under a heading (the overlay adds it)");
    cr_expect_str_eq(kb->strategy, "People at our Heart",
                     "quoted name after \"strategy\"");
    for (size_t i = 0; i < kb->nambitions; i++) {
        if (strcmp(kb->ambitions[i].title, "Teaching Trust") == 0)
            teaching = &kb->ambitions[i];
    }
    cr_assert_not_null(teaching, "an ambition titled \"Teaching Trust\"");
    cr_expect_str_eq(teaching->kind, "ambition");
    cr_expect_not_null(strstr(teaching->text, "Teaching Trust"));
    cr_expect_eq(teaching->line, 4);
    for (size_t i = 0; i < kb->npassages; i++) {
        if (strstr(kb->passages[i].text, "25 May") != NULL) {
            launch = true;
            cr_expect_eq(kb->passages[i].line, 5, "the launch date is on line 5");
        }
    }
    cr_expect(launch, "a passage gives the launch date, 25 May");
    kb_free(kb);
}

static void
check_passages(const char *path, const char *org)
{
    struct kb *kb = build_file(path, org);

    cr_assert_gt(kb->npassages, 0, "%s: no passages", path);
    for (size_t i = 0; i < kb->npassages; i++) {
        cr_expect_gt(kb->passages[i].line, 0, "%s: passage %zu has no line", path, i);
        cr_expect_not_null(kb->passages[i].section);
        cr_expect_neq(kb->passages[i].text[0], '\0', "%s: passage %zu is empty", path, i);
        cr_expect_neq(kb->passages[i].text[0], ' ', "%s: passage %zu not trimmed", path,
                      i);
    }
    kb_free(kb);
}

Test(kb_build, every_passage_has_a_line_and_text)
{
    check_passages(TEWV_SRC, "tewv");
    check_passages(CWPT_SRC, "cwpt");
    check_passages("tests/data/layouts/northfield.md", "northfield");
    check_passages("tests/data/layouts/riverside.txt", "riverside");
    check_passages("tests/data/layouts/hillside.md", "hillside");
    check_passages("tests/data/layouts/seaview.txt", "seaview");
}

Test(kb_build, given_strategy_and_short_name_are_used)
{
    size_t len;
    char *text = slurp(TEWV_SRC, &len);
    struct kb_build_opts o = {.org = "tewv",
                              .name = "N",
                              .short_name = "TEWV",
                              .strategy = "Given",
                              .doc = "d"};
    struct kb *kb;
    char *why = NULL;

    cr_assert_eq(kb_build(text, len, &o, &kb, &why), BOT_OK);
    cr_expect_str_eq(kb->strategy, "Given");
    cr_expect_str_eq(kb->short_name, "TEWV");
    cr_expect_str_eq(kb->doc, "d");
    kb_free(kb);
    free(text);
}

/* -- line endings and byte-order marks ---------------------------------- */

Test(kb_build, crlf_and_bom_give_the_same_kb)
{
    size_t len;
    char *text = slurp(TEWV_SRC, &len);
    struct buf crlf, bom;
    struct kb *a, *b, *c;
    char *fa, *fb, *fc;

    buf_init(&crlf, 2 * len + 8);
    buf_init(&bom, len + 8);
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n')
            cr_assert_eq(buf_add(&crlf, "\r", 1), BOT_OK);
        cr_assert_eq(buf_add(&crlf, &text[i], 1), BOT_OK);
    }
    cr_assert_eq(buf_add(&bom, "\xef\xbb\xbf", 3), BOT_OK);
    cr_assert_eq(buf_add(&bom, text, len), BOT_OK);
    a = build_text(text, len, "tewv", "t.txt");
    b = build_text(crlf.data, crlf.len, "tewv", "t.txt");
    c = build_text(bom.data, bom.len, "tewv", "t.txt");
    fa = kb_format(a);
    fb = kb_format(b);
    fc = kb_format(c);
    cr_expect_str_eq(fb, fa, "CRLF line endings change the KB");
    cr_expect_str_eq(fc, fa, "a byte-order mark changes the KB");
    free(fa);
    free(fb);
    free(fc);
    kb_free(a);
    kb_free(b);
    kb_free(c);
    buf_cleanup(&crlf);
    buf_cleanup(&bom);
    free(text);
}

/* -- layouts ------------------------------------------------------------- */

static bool
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void
expect_statement(const char *layout, const char *what, json_t *want,
                 const struct kb_text *got)
{
    if (json_is_null(want)) {
        cr_expect_null(got->text, "%s: %s should be null, got \"%s\"", layout, what,
                       got->text ? got->text : "");
        return;
    }
    cr_assert(json_is_string(want), "%s: bad expect file (%s)", layout, what);
    cr_expect_not_null(got->text, "%s: %s missing", layout, what);
    if (got->text != NULL) {
        cr_expect_str_eq(got->text, json_string_value(want), "%s: %s", layout, what);
        cr_expect_gt(got->line, 0, "%s: %s has no line", layout, what);
    }
}

static void
expect_texts(const char *layout, const char *what, json_t *want,
             const struct kb_text *got, size_t n)
{
    size_t i;
    json_t *w;

    cr_expect_eq(n, json_array_size(want), "%s: %s: %zu items, want %zu", layout, what, n,
                 json_array_size(want));
    json_array_foreach(want, i, w)
    {
        if (i >= n)
            break;
        cr_expect_str_eq(got[i].text, json_string_value(w), "%s: %s[%zu]", layout, what,
                         i);
        cr_expect_gt(got[i].line, 0, "%s: %s[%zu] has no line", layout, what, i);
    }
}

static void
check_layout(const char *name, const char *ext)
{
    char *src = xasprintf("tests/data/layouts/%s.%s", name, ext);
    char *exp = xasprintf("tests/data/layouts/%s.expect.json", name);
    json_error_t jerr;
    json_t *want = json_load_file(exp, 0, &jerr), *arr, *w;
    struct kb *kb;
    size_t i;

    cr_assert_not_null(want, "%s: %s", exp, jerr.text);
    kb = build_file(src, name);

    cr_expect(ends_with(kb->goals_label,
                        json_string_value(json_object_get(want, "goals_label"))),
              "%s: goals_label \"%s\" should end with \"%s\"", name, kb->goals_label,
              json_string_value(json_object_get(want, "goals_label")));
    expect_statement(name, "mission", json_object_get(want, "mission"), &kb->mission);
    expect_statement(name, "vision", json_object_get(want, "vision"), &kb->vision);

    arr = json_object_get(want, "goals");
    cr_expect_eq(kb->ngoals, json_array_size(arr), "%s: %zu goals, want %zu", name,
                 kb->ngoals, json_array_size(arr));
    json_array_foreach(arr, i, w)
    {
        const struct kb_goal *g;
        char what[48];

        if (i >= kb->ngoals)
            break;
        g = &kb->goals[i];
        snprintf(what, sizeof(what), "goal %zu points", i + 1);
        cr_expect_eq(g->number, json_integer_value(json_object_get(w, "number")),
                     "%s: goal %zu number %u", name, i + 1, g->number);
        cr_expect_str_eq(g->title, json_string_value(json_object_get(w, "title")),
                         "%s: goal %zu title", name, i + 1);
        cr_expect_str_eq(g->description,
                         json_string_value(json_object_get(w, "description")),
                         "%s: goal %zu description", name, i + 1);
        cr_expect_gt(g->line, 0, "%s: goal %zu has no line", name, i + 1);
        expect_texts(name, what, json_object_get(w, "points"), g->points, g->npoints);
    }

    arr = json_object_get(want, "values");
    cr_expect_eq(kb->nvalues, json_array_size(arr), "%s: %zu values, want %zu", name,
                 kb->nvalues, json_array_size(arr));
    json_array_foreach(arr, i, w)
    {
        const struct kb_value *v;
        char what[48];

        if (i >= kb->nvalues)
            break;
        v = &kb->values[i];
        snprintf(what, sizeof(what), "value %zu behaviours", i + 1);
        cr_expect_str_eq(v->name, json_string_value(json_object_get(w, "name")),
                         "%s: value %zu name", name, i + 1);
        cr_expect_str_eq(v->description,
                         json_string_value(json_object_get(w, "description")),
                         "%s: value %zu description", name, i + 1);
        cr_expect_gt(v->line, 0, "%s: value %zu has no line", name, i + 1);
        expect_texts(name, what, json_object_get(w, "behaviours"), v->behaviours,
                     v->nbehaviours);
    }

    arr = json_object_get(want, "ambitions");
    cr_expect_eq(kb->nambitions, json_array_size(arr), "%s: %zu ambitions, want %zu",
                 name, kb->nambitions, json_array_size(arr));
    json_array_foreach(arr, i, w)
    {
        if (i >= kb->nambitions)
            break;
        cr_expect_str_eq(kb->ambitions[i].kind,
                         json_string_value(json_object_get(w, "kind")),
                         "%s: ambition %zu kind", name, i + 1);
        cr_expect_str_eq(kb->ambitions[i].text,
                         json_string_value(json_object_get(w, "text")),
                         "%s: ambition %zu text", name, i + 1);
    }

    kb_free(kb);
    json_decref(want);
    free(src);
    free(exp);
}

Test(kb_build, layout_northfield)
{
    check_layout("northfield", "md");
}

Test(kb_build, layout_riverside)
{
    check_layout("riverside", "txt");
}

Test(kb_build, layout_hillside)
{
    check_layout("hillside", "md");
}

Test(kb_build, layout_seaview)
{
    check_layout("seaview", "txt");
}

/* -- what kb build writes, kb check must accept --------------------------- */

struct loadable_case {
    const char *name; /* printed when the case fails */
    const char *text; /* document; NULL: read from @path */
    const char *path;
};

static const struct loadable_case loadable_cases[] = {
    {"tewv", NULL, TEWV_SRC},
    {"cwpt", NULL, CWPT_SRC},
    {"northfield", NULL, "tests/data/layouts/northfield.md"},
    {"riverside", NULL, "tests/data/layouts/riverside.txt"},
    {"hillside", NULL, "tests/data/layouts/hillside.md"},
    {"seaview", NULL, "tests/data/layouts/seaview.txt"},
    {"a goal listed twice", "Our goals\n- Same goal\n- Same goal\n", NULL},
    {"numbered goals with one title",
     "Our mission\nWe care.\nOur goals\n1. Alpha\n2. Alpha\n", NULL},
    {"a behaviour listed twice", "Our values\nRespect\nWe are:\n- Kind\n- Kind\n", NULL},
};

Test(kb_build, built_kb_always_loads_back)
{
    for (size_t i = 0; i < sizeof(loadable_cases) / sizeof(loadable_cases[0]); i++) {
        const struct loadable_case *c = &loadable_cases[i];
        size_t len;
        char *text = c->text ? xstrdup(c->text) : slurp(c->path, &len);
        struct kb *kb, *back = NULL;
        char *json, *why = NULL, *again;
        enum bot_err err;

        if (c->text != NULL)
            len = strlen(text);
        kb = build_text(text, len, "x", c->name);
        json = kb_format(kb);
        err = kb_parse(json, strlen(json), &back, &why);
        cr_expect_eq(err, BOT_OK, "%s: kb_parse rejects what kb_build made: %s", c->name,
                     why ? why : "");
        if (err == BOT_OK) {
            again = kb_format(back);
            cr_expect_str_eq(again, json, "%s: format is not stable", c->name);
            free(again);
        }
        kb_free(back);
        kb_free(kb);
        free(json);
        free(why);
        free(text);
    }
}

/*
 * A heading or intro naming two goal words ("goals and priorities") sets
 * the label once; found by fuzz_kb_build as a leak, so the SAN build is
 * the one that fails here if the first label is dropped without a free.
 */
Test(kb_build, heading_with_two_goal_words)
{
    static const char doc[] =
        "Our goals and priorities\n- Alpha: first\n- Beta: second\n\n"
        "This plan sets out our aims and strategic objectives:\n"
        "- Gamma: third\n";
    struct kb *kb = build_text(doc, sizeof(doc) - 1, "x", "two-words.txt");

    cr_expect_geq(kb->ngoals, 2);
    cr_expect_str_eq(kb->goals[0].title, "Alpha");
    cr_expect(strcmp(kb->goals_label, "goals") == 0 ||
                  strcmp(kb->goals_label, "priorities") == 0,
              "label \"%s\" comes from the first goals heading", kb->goals_label);
    kb_free(kb);
    expect_no_leaks("heading");
}

/* -- refusals ------------------------------------------------------------ */

struct bad_doc {
    const char *name; /* printed when the case fails */
    const char *text;
    size_t len; /* 0: strlen(text) */
    const char *org;
    const char *org_name;
    enum bot_err want;
};

static const struct bad_doc bad_docs[] = {
    {"invalid UTF-8", "Our mission\nWe care for caf\xc3( people.\n", 0, "x", "X",
     BOT_EPARSE},
    {"overlong UTF-8", "Our mission\nWe \xc0\xaf care.\n", 0, "x", "X", BOT_EPARSE},
    {"NUL byte", "Our mission\nWe\0 care.\n", 21, "x", "X", BOT_EPARSE},
    {"empty document", "", 0, "x", "X", BOT_EPARSE},
    {"only blank lines", "\n\n   \n\t\n", 0, "x", "X", BOT_EPARSE},
    {"only prose",
     "Welcome to our website. We run three hospitals in the north of the county.\n"
     "Parking is free for blue badge holders at all of our sites.\n"
     "Visiting hours are from ten in the morning until eight at night.\n",
     0, "x", "X", BOT_EPARSE},
    {"upper-case org id", "Our mission\nWe care.\n", 0, "TEWV", "X", BOT_EINVAL},
    {"org id with a slash", "Our mission\nWe care.\n", 0, "../x", "X", BOT_EINVAL},
    {"empty org id", "Our mission\nWe care.\n", 0, "", "X", BOT_EINVAL},
    {"no org id", "Our mission\nWe care.\n", 0, NULL, "X", BOT_EINVAL},
    {"empty name", "Our mission\nWe care.\n", 0, "x", "", BOT_EINVAL},
    {"no name", "Our mission\nWe care.\n", 0, "x", NULL, BOT_EINVAL},
};

Test(kb_build, refuses_bad_documents_and_options)
{
    for (size_t i = 0; i < sizeof(bad_docs) / sizeof(bad_docs[0]); i++) {
        const struct bad_doc *c = &bad_docs[i];
        struct kb_build_opts o = {.org = c->org, .name = c->org_name, .doc = "bad.txt"};
        struct kb *kb = (struct kb *)1;
        char *why = NULL;
        size_t len = c->len ? c->len : strlen(c->text);
        enum bot_err err = kb_build(c->text, len, &o, &kb, &why);

        cr_expect_eq(err, c->want, "%s: got %s, want %s", c->name, bot_strerror(err),
                     bot_strerror(c->want));
        cr_expect_null(kb, "%s: *out must be NULL on error", c->name);
        cr_expect_not_null(why, "%s: no reason given", c->name);
        if (why != NULL)
            cr_expect_neq(why[0], '\0', "%s: empty reason", c->name);
        if (err == BOT_OK)
            kb_free(kb);
        free(why);
    }
    expect_no_leaks("refusals");
}

Test(kb_build, reasons_say_what_is_wrong)
{
    struct kb_build_opts o = {.org = "x", .name = "X"};
    struct kb *kb;
    char *why;

    cr_assert_eq(kb_build("a\xff", 2, &o, &kb, &why), BOT_EPARSE);
    cr_expect_not_null(strstr(why, "UTF-8"), "%s", why);
    free(why);
    cr_assert_eq(kb_build("a\0b", 3, &o, &kb, &why), BOT_EPARSE);
    cr_expect(strstr(why, "NUL") != NULL || strstr(why, "binary") != NULL, "%s", why);
    free(why);
}

Test(kb_build, document_over_the_limit_is_elimit)
{
    size_t len = KB_BUILD_MAX_DOC + 1;
    char *text = xmalloc(len);
    struct kb_build_opts o = {.org = "x", .name = "X"};
    struct kb *kb = (struct kb *)1;
    char *why = NULL;

    memset(text, 'a', len);
    memcpy(text, "Our mission\nWe care.\n", 21);
    cr_assert_eq(kb_build(text, len, &o, &kb, &why), BOT_ELIMIT);
    cr_assert_null(kb);
    cr_assert_not_null(why);
    free(why);
    free(text);
}

Test(kb_build, document_at_the_limit_is_built)
{
    size_t len = KB_BUILD_MAX_DOC;
    char *text = xmalloc(len);
    struct kb_build_opts o = {.org = "x", .name = "X"};
    struct kb *kb = NULL;
    char *why = NULL;
    static const char head[] = "Our mission\nWe care.\n";

    /*
     * Filler in 4 KiB lines: a thousand passages.  (64-byte lines give 65536
     * passages, and growing the passage array one element at a time then
     * takes minutes under ASan, whose realloc always copies.)
     */
    for (size_t i = 0; i < len; i++)
        text[i] = (i % 4096 == 4095) ? '\n' : 'a';
    memcpy(text, head, sizeof(head) - 1);
    cr_assert_eq(kb_build(text, len, &o, &kb, &why), BOT_OK, "%s", why ? why : "");
    cr_assert_str_eq(kb->mission.text, "We care.");
    kb_free(kb);
    free(text);
}
