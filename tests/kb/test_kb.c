/* test_kb.c - the KB model of bot/kb/kb.c: checking loader and formatter. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "tests/test_util.h"

#include "bot/base/file.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"

#define TEWV_JSON "knowledge/tewv.json"
#define CWPT_JSON "knowledge/cwpt.json"

/* Returns the bytes of @path (relative to the repository root); free with free(). */
static char *
slurp(const char *path, size_t *len)
{
    char *data;
    enum bot_err err = file_read(path, 64u * 1024 * 1024, &data, len);

    cr_assert_eq(err, BOT_OK, "%s: %s (run from the repository root)", path,
                 bot_strerror(err));
    return data;
}

/* A valid header, then @rest (which starts with a comma) and a closing brace. */
#define KB_HEAD    "{\"schema\": 1, \"org\": \"x\", \"name\": \"X Trust\""
#define KB_MISSION ", \"mission\": {\"text\": \"We care.\", \"line\": 3}"

struct bad_case {
    const char *name; /* printed when the case fails */
    const char *json;
    size_t len;       /* 0: strlen(json) */
    const char *word; /* must appear in *why */
};

static const struct bad_case bad_cases[] = {
    {"invalid JSON", "{\"org\": \"x\",", 0, "invalid JSON"},
    {"trailing garbage", KB_HEAD KB_MISSION "} x", 0, "invalid JSON"},
    {"top level array", "[1, 2, 3]", 0, "top level"},
    {"top level string", "\"tewv\"", 0, "JSON"},
    {"goals not an array", KB_HEAD KB_MISSION ", \"goals\": {\"1\": \"a\"}}", 0, "array"},
    {"value name a number", KB_HEAD ", \"values\": [{\"name\": 7}]}", 0,
     "values[0].name"},
    {"value not an object", KB_HEAD ", \"values\": [\"Kind\"]}", 0, "values[0]"},
    {"missing org", "{\"name\": \"X\", \"mission\": {\"text\": \"m\"}}", 0, "org"},
    {"missing name", "{\"org\": \"x\", \"mission\": {\"text\": \"m\"}}", 0, "name"},
    {"org not a string", "{\"org\": 1, \"name\": \"X\", \"mission\": {\"text\": \"m\"}}",
     0, "org"},
    {"empty value name", KB_HEAD ", \"values\": [{\"name\": \"\"}]}", 0, "empty"},
    {"duplicate values ignoring case",
     KB_HEAD ", \"values\": [{\"name\": \"Respect\"}, {\"name\": \"RESPECT\"}]}", 0,
     "duplicate"},
    {"duplicate behaviours",
     KB_HEAD ", \"values\": [{\"name\": \"Kind\", \"behaviours\": "
             "[{\"text\": \"Fair\"}, {\"text\": \"fair\"}]}]}",
     0, "duplicate"},
    {"duplicate goal numbers",
     KB_HEAD ", \"goals\": [{\"number\": 1, \"title\": \"A\"}, "
             "{\"number\": 1, \"title\": \"B\"}]}",
     0, "duplicate goal number"},
    {"duplicate goal titles",
     KB_HEAD ", \"goals\": [{\"number\": 1, \"title\": \"Care\"}, "
             "{\"number\": 2, \"title\": \"care\"}]}",
     0, "duplicate goal"},
    {"goal number zero", KB_HEAD ", \"goals\": [{\"number\": 0, \"title\": \"A\"}]}", 0,
     "number"},
    {"goal number a string",
     KB_HEAD ", \"goals\": [{\"number\": \"1\", \"title\": \"A\"}]}", 0, "number"},
    {"goal without title", KB_HEAD ", \"goals\": [{\"number\": 1}]}", 0, "title"},
    {"mission not an object", KB_HEAD ", \"mission\": \"We care.\"}", 0, "mission"},
    {"mission with empty text", KB_HEAD ", \"mission\": {\"text\": \"\"}}", 0, "mission"},
    {"negative line", KB_HEAD ", \"mission\": {\"text\": \"m\", \"line\": -1}}", 0,
     "line"},
    {"unknown origin", KB_HEAD ", \"mission\": {\"text\": \"m\", \"origin\": \"web\"}}",
     0, "origin"},
    {"synonym with one phrase", KB_HEAD KB_MISSION ", \"synonyms\": [[\"ceo\"]]}", 0,
     "two or more"},
    {"passage without text", KB_HEAD KB_MISSION ", \"passages\": [{\"line\": 1}]}", 0,
     "passages[0].text"},
    {"ambition without kind", KB_HEAD KB_MISSION ", \"ambitions\": [{\"text\": \"t\"}]}",
     0, "kind"},
    {"escaped NUL inside a string", KB_HEAD ", \"values\": [{\"name\": \"a\\u0000b\"}]}",
     0, "NUL"},
    {"duplicate JSON keys", "{\"org\": \"x\", \"org\": \"y\", \"name\": \"X\"}", 0,
     "duplicate"},
    {"invalid UTF-8", "{\"org\": \"x\", \"name\": \"caf\xc3\x28\"}", 0, "UTF-8"},
    {"overlong UTF-8", "{\"org\": \"x\", \"name\": \"\xc0\xaf\"}", 0, "UTF-8"},
    {"NUL byte (binary)", "{\"org\"\0: \"x\"}", 13, "NUL"},
    {"upper-case org id",
     "{\"org\": \"TEWV\", \"name\": \"X\", \"mission\": {\"text\": \"m\"}}", 0,
     "lower-case"},
    {"org id with a space",
     "{\"org\": \"te wv\", \"name\": \"X\", \"mission\": {\"text\": \"m\"}}", 0,
     "lower-case"},
    {"empty org id", "{\"org\": \"\", \"name\": \"X\", \"mission\": {\"text\": \"m\"}}",
     0, "org"},
    {"unsupported schema", "{\"schema\": 2, \"org\": \"x\", \"name\": \"X\"}", 0,
     "schema"},
    {"schema a string", "{\"schema\": \"1\", \"org\": \"x\", \"name\": \"X\"}", 0,
     "schema"},
    {"no content", KB_HEAD "}", 0, "nothing to answer"},
    {"only empty arrays", KB_HEAD ", \"goals\": [], \"values\": [], \"mission\": null}",
     0, "nothing to answer"},
    {"empty input", "", 0, "invalid JSON"},
};

Test(kb, parse_rejects_bad_input_with_a_reason)
{
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const struct bad_case *c = &bad_cases[i];
        size_t len = c->len ? c->len : strlen(c->json);
        struct kb *kb = (struct kb *)1;
        char *why = NULL;
        enum bot_err err = kb_parse(c->json, len, &kb, &why);

        cr_expect_eq(err, BOT_EPARSE, "%s: got %s", c->name, bot_strerror(err));
        cr_expect_null(kb, "%s: *out must be NULL on error", c->name);
        cr_expect_not_null(why, "%s: no reason given", c->name);
        if (why != NULL) {
            cr_expect_not_null(strstr(why, c->word), "%s: reason \"%s\" lacks \"%s\"",
                               c->name, why, c->word);
        }
        if (err == BOT_OK)
            kb_free(kb);
        free(why);
    }
    expect_no_leaks("bad input");
}

/*
 * kb check prints "<file>: <why>" as one line; names and ids quoted from
 * the file must not be able to split it (or forge a second line).
 */
static const struct bad_case oneline_cases[] = {
    {"org id holding a newline",
     "{\"org\": \"a\\nb\", \"name\": \"X\", \"mission\": {\"text\": \"m\"}}", 0,
     "lower-case"},
    {"duplicate value holding a newline",
     KB_HEAD ", \"values\": [{\"name\": \"A\\nB\"}, {\"name\": \"a\\nb\"}]}", 0,
     "duplicate"},
    {"goal title holding a newline",
     KB_HEAD ", \"goals\": [{\"number\": 1, \"title\": \"A\\nB\"}, "
             "{\"number\": 2, \"title\": \"a\\nb\"}]}",
     0, "duplicate"},
    {"plain bad input", "[]", 0, "top level"},
};

Test(kb, parse_reasons_stay_on_one_line)
{
    for (size_t i = 0; i < sizeof(oneline_cases) / sizeof(oneline_cases[0]); i++) {
        const struct bad_case *c = &oneline_cases[i];
        struct kb *kb = NULL;
        char *why = NULL;
        enum bot_err err = kb_parse(c->json, strlen(c->json), &kb, &why);

        cr_expect_eq(err, BOT_EPARSE, "%s: got %s", c->name, bot_strerror(err));
        cr_assert_not_null(why, "%s: no reason given", c->name);
        cr_expect_not_null(strstr(why, c->word), "%s: reason \"%s\" lacks \"%s\"",
                           c->name, why, c->word);
        cr_expect_null(strchr(why, '\n'), "%s: reason is not one line: \"%s\"", c->name,
                       why);
        cr_expect_null(strchr(why, '\r'), "%s: reason holds a carriage return", c->name);
        kb_free(kb);
        free(why);
    }
}

Test(kb, parse_minimal_kb_fills_defaults)
{
    const char *json = "{\"org\": \"x-1_b\", \"name\": \"X Trust\", "
                       "\"mission\": {\"text\": \"We care.\"}, \"goals_label\": \"\"}";
    struct kb *kb;
    char *why = NULL;

    cr_assert_eq(kb_parse(json, strlen(json), &kb, &why), BOT_OK, "%s", why);
    cr_assert_null(why);
    cr_assert_str_eq(kb->org, "x-1_b");
    cr_assert_str_eq(kb->name, "X Trust");
    cr_assert_str_eq(kb->short_name, "");
    cr_assert_str_eq(kb->strategy, "");
    cr_assert_str_eq(kb->goals_label, "goals", "an empty label falls back to \"goals\"");
    cr_assert_str_eq(kb->mission.text, "We care.");
    cr_assert_eq(kb->mission.line, 0);
    cr_assert_not(kb->mission.overlay);
    cr_assert_null(kb->vision.text);
    cr_assert_eq(kb->ngoals + kb->nvalues + kb->npassages + kb->nsynonyms, 0);
    kb_free(kb);
}

Test(kb, parse_reads_tewv_fields)
{
    size_t len;
    char *data = slurp(TEWV_JSON, &len);
    struct kb *kb;
    char *why = NULL;
    const struct kb_value *v;

    cr_assert_eq(kb_parse(data, len, &kb, &why), BOT_OK, "%s", why);
    cr_assert_str_eq(kb->org, "tewv");
    cr_assert_str_eq(kb->short_name, "TEWV");
    cr_assert_eq(kb->ngoals, 3);
    cr_assert_eq(kb->nvalues, 3);
    cr_assert_eq(kb->mission.line, 20);
    cr_assert_eq(kb->goals[1].number, 2);
    cr_assert_str_eq(kb->goals[1].title, "we will be a great employer");
    cr_assert_eq(kb->goals[1].npoints, 3);
    cr_assert_eq(kb->goals[1].points[2].line, 31);
    v = kb_value_find(kb, "COMPASSION");
    cr_assert_not_null(v, "value lookup ignores case");
    cr_assert_str_eq(v->name, "Compassion");
    cr_assert_eq(v->nbehaviours, 3);
    cr_assert_str_eq(v->behaviours[2].text, "Listening and acting");
    cr_assert_null(kb_value_find(kb, "Kindness"));
    cr_assert_eq(kb_goal_find(kb, "WE WILL BE A TRUSTED PARTNER"), &kb->goals[2]);
    cr_assert_null(kb_goal_find(kb, "we will be"));
    cr_assert_geq(kb->nsynonyms, 1);
    cr_assert_gt(kb->npassages, 10);
    kb_free(kb);
    free(data);
}

static void
round_trip_is_byte_exact(const char *path)
{
    size_t len;
    char *data = slurp(path, &len);
    struct kb *kb;
    char *why = NULL, *out;

    cr_assert_eq(kb_parse(data, len, &kb, &why), BOT_OK, "%s: %s", path, why);
    out = kb_format(kb);
    cr_assert_not_null(out);
    cr_expect_eq(strlen(out), len, "%s: formatted %zu bytes, file has %zu", path,
                 strlen(out), len);
    cr_expect_str_eq(out, data, "%s: kb_format(kb_parse(file)) differs from the file",
                     path);
    free(out);
    kb_free(kb);
    free(data);
}

Test(kb, round_trip_tewv_is_byte_exact)
{
    round_trip_is_byte_exact(TEWV_JSON);
}

Test(kb, round_trip_cwpt_is_byte_exact)
{
    round_trip_is_byte_exact(CWPT_JSON);
}

Test(kb, format_parse_format_is_stable)
{
    /* A hand-written KB in another key order and without optional fields. */
    const char *json =
        "{\"values\": [{\"name\": \"Kind\", \"aliases\": [\"kindness\"], \"behaviours\": "
        "[{\"text\": \"Listen\", \"line\": 9, \"origin\": \"overlay\"}]}], "
        "\"name\": \"X Trust\", \"org\": \"x\", \"vision\": {\"text\": \"V\", "
        "\"origin\": "
        "\"overlay\"}, \"goals\": [{\"number\": 4, \"title\": \"T\", \"points\": "
        "[{\"text\": \"p \\u2013 q\"}]}], \"ambitions\": [{\"kind\": \"pledge\", "
        "\"text\": "
        "\"We promise.\"}], \"synonyms\": [[\"a\", \"b\", \"c\"]], \"passages\": "
        "[{\"text\": \"Hello.\", \"line\": 1}]}";
    struct kb *a, *b;
    char *why = NULL, *fa, *fb;

    cr_assert_eq(kb_parse(json, strlen(json), &a, &why), BOT_OK, "%s", why);
    fa = kb_format(a);
    cr_assert_eq(kb_parse(fa, strlen(fa), &b, &why), BOT_OK, "%s", why);
    fb = kb_format(b);
    cr_assert_str_eq(fa, fb);
    cr_assert_eq(fa[strlen(fa) - 1], '\n', "formatted KB ends in a newline");
    cr_assert(b->vision.overlay, "origin overlay survives a round trip");
    cr_assert(b->values[0].behaviours[0].overlay);
    cr_assert_eq(b->values[0].behaviours[0].line, 9);
    cr_assert_str_eq(b->values[0].aliases[0], "kindness");
    cr_assert_eq(b->goals[0].number, 4);
    cr_assert_str_eq(b->goals[0].points[0].text, "p \xe2\x80\x93 q");
    cr_assert_eq(b->synonyms[0].n, 3);
    cr_assert_null(b->mission.text);
    cr_assert_not_null(strstr(fb, "\"mission\": null"), "absent mission is written null");
    free(fa);
    free(fb);
    kb_free(a);
    kb_free(b);
}

Test(kb, round_trip_twice_from_real_file_is_stable)
{
    size_t len;
    char *data = slurp(CWPT_JSON, &len);
    struct kb *a, *b;
    char *why = NULL, *fa, *fb;

    cr_assert_eq(kb_parse(data, len, &a, &why), BOT_OK, "%s", why);
    fa = kb_format(a);
    cr_assert_eq(kb_parse(fa, strlen(fa), &b, &why), BOT_OK, "%s", why);
    fb = kb_format(b);
    cr_assert_str_eq(fa, fb);
    free(fa);
    free(fb);
    kb_free(a);
    kb_free(b);
    free(data);
}

static char tmpdir[] = "/tmp/valuesbot-test-kb-XXXXXX";

static char *
temp_path(const char *name)
{
    if (tmpdir[strlen(tmpdir) - 1] == 'X')
        cr_assert_not_null(mkdtemp(tmpdir));
    return xasprintf("%s/%s", tmpdir, name);
}

static void
cleanup_tmp(void)
{
    if (tmpdir[strlen(tmpdir) - 1] != 'X') {
        static const char *const names[] = {"big.json", "bin.json", "ok.json"};

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            char *p = xasprintf("%s/%s", tmpdir, names[i]);

            unlink(p);
            free(p);
        }
        rmdir(tmpdir);
    }
}

TestSuite(kb_load, .fini = cleanup_tmp);

Test(kb_load, file_over_16_mib_is_elimit)
{
    char *p = temp_path("big.json");
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    struct kb *kb = (struct kb *)1;
    char *why = NULL;
    enum bot_err err;

    cr_assert_geq(fd, 0, "%s: %s", p, strerror(errno));
    cr_assert_eq(ftruncate(fd, (off_t)KB_MAX_FILE + 1), 0);
    close(fd);
    err = kb_load_file(p, &kb, &why);
    unlink(p); /* now, not in .fini: a crash must not leave 16 MiB behind */
    cr_assert_eq(err, BOT_ELIMIT, "got %s", bot_strerror(err));
    cr_assert_null(kb);
    cr_assert_not_null(why);
    cr_assert_not_null(strstr(why, "limit"), "%s", why);
    cr_assert_null(strstr(why, p), "why must not include the path: %s", why);
    free(why);
    free(p);
}

Test(kb_load, missing_file_is_eio)
{
    struct kb *kb = (struct kb *)1;
    char *why = NULL;
    const char *p = "tests/data/kb/there-is-no-such-file.json";

    cr_assert_eq(kb_load_file(p, &kb, &why), BOT_EIO);
    cr_assert_null(kb);
    cr_assert_not_null(why);
    cr_assert_null(strstr(why, "there-is-no-such-file"), "why must not include the path");
    free(why);
}

Test(kb_load, binary_file_is_eparse)
{
    static const char bin[] = "\x7f"
                              "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0";
    char *p = temp_path("bin.json");
    FILE *f = fopen(p, "wb");
    struct kb *kb;
    char *why = NULL;

    cr_assert_not_null(f);
    fwrite(bin, 1, sizeof(bin) - 1, f);
    fclose(f);
    cr_assert_eq(kb_load_file(p, &kb, &why), BOT_EPARSE);
    cr_assert_not_null(strstr(why, "binary"), "%s", why);
    free(why);
    free(p);
}

Test(kb_load, good_file_loads)
{
    struct kb *kb;
    char *why = NULL;

    cr_assert_eq(kb_load_file(TEWV_JSON, &kb, &why), BOT_OK, "%s", why);
    cr_assert_null(why);
    cr_assert_str_eq(kb->org, "tewv");
    kb_free(kb);
}

Test(kb, new_kb_is_empty_and_free_of_null_is_a_no_op)
{
    struct kb *kb = kb_new();

    cr_assert_str_eq(kb->org, "");
    cr_assert_str_eq(kb->name, "");
    cr_assert_str_eq(kb->goals_label, "goals");
    cr_assert_null(kb->mission.text);
    cr_assert_eq(kb->ngoals + kb->nvalues + kb->nambitions + kb->npassages, 0);
    kb_free(kb);
    kb_free(NULL);
}

Test(kb, push_helpers_copy_their_strings)
{
    struct kb_text *t = NULL;
    char **v = NULL;
    size_t nt = 0, nv = 0;
    char src[] = "first";

    kb_text_push(&t, &nt, src, 7);
    kb_strv_push(&v, &nv, src);
    src[0] = 'X';
    kb_text_push(&t, &nt, "second", 8);
    kb_strv_push(&v, &nv, "second");
    cr_assert_eq(nt, 2);
    cr_assert_eq(nv, 2);
    cr_assert_str_eq(t[0].text, "first");
    cr_assert_eq(t[0].line, 7);
    cr_assert_not(t[0].overlay);
    cr_assert_str_eq(t[1].text, "second");
    cr_assert_str_eq(v[0], "first");
    cr_assert_str_eq(v[1], "second");
    for (size_t i = 0; i < 2; i++) {
        free(t[i].text);
        free(v[i]);
    }
    free(t);
    free(v);
}
