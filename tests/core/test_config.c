/*
 * test_config.c - configuration loading in bot/core/config.c.
 *
 * Criterion runs every test in its own process, so setenv() here never
 * leaks into another test.  The set-up clears every variable the loader
 * reads, so the developer's own environment cannot change the results.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "tests/test_util.h"

#include "bot/base/file.h"
#include "bot/base/xmalloc.h"
#include "bot/core/config.h"

#define FULL "tests/data/config/full.json"

static const char *const env_names[] = {
    "VALUESBOT_CONFIG",
    "VALUESBOT_ORG",
    "VALUESBOT_KB",
    "VALUESBOT_DB",
    "VALUESBOT_HTTP",
    "VALUESBOT_LOG_LEVEL",
    "VALUESBOT_LOG_FORMAT",
    "VALUESBOT_DECLINE_THRESHOLD",
    "VALUESBOT_RETENTION_DAYS",
    "SLACK_API_URL",
    "SLACK_APP_TOKEN",
    "SLACK_APP_TOKEN_FILE",
    "SLACK_BOT_TOKEN",
    "SLACK_BOT_TOKEN_FILE",
    "MATTERMOST_URL",
    "MATTERMOST_CA_FILE",
    "MATTERMOST_TOKEN",
    "MATTERMOST_TOKEN_FILE",
    "MICROSOFT_APP_ID",
    "MICROSOFT_APP_PASSWORD",
    "MICROSOFT_APP_PASSWORD_FILE",
    "MICROSOFT_APP_TENANT_ID",
    "TEAMS_OPENID_METADATA_URL",
    "TEAMS_TOKEN_URL",
    "TEAMS_ALLOWED_SERVICE_URLS",
    "TEAMS_CA_FILE",
};

static char dir[] = "/tmp/valuesbot-test-config-XXXXXX";
static char *files[16]; /* owned: paths written by put(), removed at the end */
static size_t nfiles;

static void
setup(void)
{
    for (size_t i = 0; i < sizeof(env_names) / sizeof(env_names[0]); i++)
        unsetenv(env_names[i]);
    cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
}

static void
teardown(void)
{
    for (size_t i = 0; i < nfiles; i++) {
        unlink(files[i]);
        free(files[i]);
    }
    rmdir(dir);
}

TestSuite(config, .init = setup, .fini = teardown);

/* Writes @data to @name in the test directory; returns the path, borrowed. */
static const char *
put(const char *name, const char *data)
{
    char *p = xasprintf("%s/%s", dir, name);

    cr_assert_lt(nfiles, sizeof(files) / sizeof(files[0]));
    cr_assert_eq(file_write_atomic(p, data, strlen(data)), BOT_OK, "%s", p);
    files[nfiles++] = p;
    return p;
}

/* Loads @path with the environment as set; asserts success. */
static struct config *
load_ok(const char *path)
{
    struct config *cfg = NULL;
    char *why = NULL;
    enum bot_err err = config_load(path, "kb-default", &cfg, &why);

    cr_assert_eq(err, BOT_OK, "%s: %s", bot_strerror(err), why ? why : "");
    cr_assert_null(why);
    cr_assert_not_null(cfg);
    return cfg;
}

/* Loads @path, expects BOT_EPARSE; returns the reason, free with free(). */
static char *
load_bad(const char *path)
{
    struct config *cfg = (struct config *)1;
    char *why = NULL;
    enum bot_err err = config_load(path, "kb-default", &cfg, &why);

    cr_assert_neq(err, BOT_OK, "loaded although it should not");
    cr_assert_null(cfg, "*cfg must be NULL on error");
    cr_assert_not_null(why, "no reason given");
    return why;
}

Test(config, defaults_without_a_file)
{
    struct config *cfg = load_ok(NULL);

    cr_assert_null(cfg->file);
    cr_assert_str_eq(cfg->default_org, "tewv");
    cr_assert_str_eq(cfg->kb_path, "kb-default");
    cr_assert_str_eq(cfg->log_level, "info");
    cr_assert_not(cfg->log_json);
    cr_assert_float_eq(cfg->decline_threshold, 0.5, 1e-9);
    cr_assert_float_eq(cfg->tie_margin, 0.1, 1e-9);
    cr_assert_eq(cfg->retention_days, 90);
    cr_assert_eq(cfg->slack.nslash, 3);
    cr_assert_str_eq(cfg->slack.slash_commands[0], "/values");
    cr_assert_str_eq(cfg->slack.slash_commands[1], "/goals");
    cr_assert_str_eq(cfg->slack.slash_commands[2], "/strategy");
    cr_assert_not(cfg->slack.configured);
    cr_assert_not(cfg->mattermost.configured);
    cr_assert_null(cfg->slack.token);
    cr_assert_null(cfg->mattermost.token);
    cr_assert_eq(cfg->slack.nroutes + cfg->mattermost.nroutes, 0);
    config_free(cfg);
}

Test(config, full_file_sets_every_key)
{
    struct config *cfg = load_ok(FULL);

    cr_assert_str_eq(cfg->file, FULL);
    cr_assert_str_eq(cfg->default_org, "cwpt");
    cr_assert_str_eq(cfg->kb_path, "knowledge");
    cr_assert_str_eq(cfg->db_path, "/tmp/valuesbot-test-full.db");
    cr_assert_str_eq(cfg->http_listen, "127.0.0.1:9090");
    cr_assert_str_eq(cfg->log_level, "debug");
    cr_assert(cfg->log_json);
    cr_assert_float_eq(cfg->decline_threshold, 0.35, 1e-9);
    cr_assert_float_eq(cfg->tie_margin, 0.05, 1e-9);
    cr_assert_eq(cfg->retention_days, 30);
    cr_assert_str_eq(cfg->slack.url, "https://slack.example.test/api/");
    cr_assert_str_eq(cfg->slack.app_token, "xapp-1-A000-fixture-not-a-secret",
                     "the token file's newline is stripped");
    cr_assert_str_eq(cfg->slack.token, "xoxb-0000-fixture-not-a-secret");
    cr_assert(cfg->slack.configured);
    cr_assert_eq(cfg->slack.nslash, 2, "the file's commands replace the defaults");
    cr_assert_str_eq(cfg->slack.slash_commands[0], "/trustvalues");
    cr_assert_str_eq(cfg->slack.slash_commands[1], "/trustgoals");
    cr_assert_str_eq(cfg->mattermost.url, "https://chat.example.test");
    cr_assert_str_eq(cfg->mattermost.token, "mm-fixture-not-a-secret",
                     "CRLF is stripped");
    cr_assert_str_eq(cfg->mattermost.ca_file, "tests/data/config/private-ca.pem");
    cr_assert(cfg->mattermost.configured);
    config_free(cfg);
}

Test(config, routes_are_found_by_scope_and_id)
{
    struct config *cfg = load_ok(FULL);

    cr_assert_eq(cfg->slack.nroutes, 3);
    cr_assert_str_eq(config_route_find(&cfg->slack, "workspace", "T0001"), "tewv");
    cr_assert_str_eq(config_route_find(&cfg->slack, "channel", "C0001"), "cwpt");
    cr_assert_str_eq(config_route_find(&cfg->slack, "channel", "C0002"), "tewv");
    cr_assert_null(config_route_find(&cfg->slack, "channel", "T0001"),
                   "scope must match");
    cr_assert_null(config_route_find(&cfg->slack, "channel", "C9999"));
    cr_assert_null(config_route_find(&cfg->slack, "team", "team1"),
                   "routes are per platform");
    cr_assert_str_eq(config_route_find(&cfg->mattermost, "team", "team1"), "tewv");
    cr_assert_str_eq(config_route_find(&cfg->mattermost, "channel", "chan1"), "cwpt");
    cr_assert_null(config_route_find(&cfg->mattermost, "workspace", "T0001"));
    config_free(cfg);
}

Test(config, config_path_from_the_environment)
{
    struct config *cfg;

    setenv("VALUESBOT_CONFIG", FULL, 1);
    cfg = load_ok(NULL);
    cr_assert_str_eq(cfg->file, FULL);
    cr_assert_str_eq(cfg->default_org, "cwpt");
    config_free(cfg);
}

Test(config, environment_overrides_the_file)
{
    struct config *cfg;

    setenv("VALUESBOT_ORG", "tewv", 1);
    setenv("VALUESBOT_KB", "/srv/kb", 1);
    setenv("VALUESBOT_DB", "/srv/db.sqlite", 1);
    setenv("VALUESBOT_HTTP", "0.0.0.0:80", 1);
    setenv("VALUESBOT_DECLINE_THRESHOLD", "0.75", 1);
    setenv("VALUESBOT_RETENTION_DAYS", "7", 1);
    setenv("VALUESBOT_LOG_LEVEL", "warn", 1);
    setenv("VALUESBOT_LOG_FORMAT", "logfmt", 1);
    cfg = load_ok(FULL);
    cr_assert_str_eq(cfg->default_org, "tewv");
    cr_assert_str_eq(cfg->kb_path, "/srv/kb");
    cr_assert_str_eq(cfg->db_path, "/srv/db.sqlite");
    cr_assert_str_eq(cfg->http_listen, "0.0.0.0:80");
    cr_assert_float_eq(cfg->decline_threshold, 0.75, 1e-9);
    cr_assert_eq(cfg->retention_days, 7);
    cr_assert_str_eq(cfg->log_level, "warn");
    cr_assert_not(cfg->log_json);
    config_free(cfg);
}

Test(config, empty_environment_variables_are_ignored)
{
    struct config *cfg;

    setenv("VALUESBOT_ORG", "", 1);
    setenv("VALUESBOT_DECLINE_THRESHOLD", "", 1);
    cfg = load_ok(NULL);
    cr_assert_str_eq(cfg->default_org, "tewv");
    cr_assert_float_eq(cfg->decline_threshold, 0.5, 1e-9);
    config_free(cfg);
}

Test(config, slack_tokens_from_the_environment)
{
    struct config *cfg;

    setenv("SLACK_APP_TOKEN", "xapp-1-env", 1);
    cfg = load_ok(NULL);
    cr_assert_not(cfg->slack.configured, "both tokens are needed");
    config_free(cfg);

    setenv("SLACK_BOT_TOKEN", "xoxb-env", 1);
    cfg = load_ok(NULL);
    cr_assert(cfg->slack.configured);
    cr_assert_str_eq(cfg->slack.app_token, "xapp-1-env");
    cr_assert_str_eq(cfg->slack.token, "xoxb-env");
    config_free(cfg);
}

Test(config, slack_environment_token_beats_the_token_file)
{
    struct config *cfg;

    setenv("SLACK_BOT_TOKEN", "xoxb-from-env", 1);
    cfg = load_ok(FULL);
    cr_assert_str_eq(cfg->slack.token, "xoxb-from-env");
    config_free(cfg);
}

Test(config, slack_token_files_from_the_environment)
{
    struct config *cfg;

    setenv("SLACK_APP_TOKEN_FILE", put("app", "xapp-from-file\n"), 1);
    setenv("SLACK_BOT_TOKEN_FILE", put("bot", "xoxb-from-file \r\n"), 1);
    cfg = load_ok(NULL);
    cr_assert_str_eq(cfg->slack.app_token, "xapp-from-file");
    cr_assert_str_eq(cfg->slack.token, "xoxb-from-file");
    cr_assert(cfg->slack.configured);
    config_free(cfg);
}

Test(config, mattermost_from_the_environment)
{
    struct config *cfg;

    setenv("MATTERMOST_URL", "https://mm.example.test", 1);
    cfg = load_ok(NULL);
    cr_assert_not(cfg->mattermost.configured, "a URL alone is not enough");
    config_free(cfg);

    setenv("MATTERMOST_TOKEN", "mm-env-token", 1);
    cfg = load_ok(NULL);
    cr_assert(cfg->mattermost.configured);
    cr_assert_str_eq(cfg->mattermost.url, "https://mm.example.test");
    cr_assert_str_eq(cfg->mattermost.token, "mm-env-token");
    config_free(cfg);

    setenv("MATTERMOST_TOKEN_FILE", put("mm", "mm-file-token\n"), 1);
    unsetenv("MATTERMOST_TOKEN");
    cfg = load_ok(NULL);
    cr_assert_str_eq(cfg->mattermost.token, "mm-file-token");
    config_free(cfg);
}

struct secret_case {
    const char *name; /* printed when the case fails */
    const char *json;
    const char *key;    /* the message names it */
    const char *secret; /* the message must not contain it */
};

static const struct secret_case secret_cases[] = {
    {"slack bot token", "{\"slack\": {\"bot_token\": \"xoxb-111-SECRETVALUE\"}}",
     "slack.bot_token", "SECRETVALUE"},
    {"slack app token", "{\"slack\": {\"app_token\": \"xapp-1-SECRETVALUE\"}}",
     "slack.app_token", "SECRETVALUE"},
    {"mattermost token",
     "{\"mattermost\": {\"url\": \"https://m.test\", \"token\": \"SECRETVALUE\"}}",
     "mattermost.token", "SECRETVALUE"},
};

Test(config, token_in_the_json_is_refused_without_echoing_it)
{
    for (size_t i = 0; i < sizeof(secret_cases) / sizeof(secret_cases[0]); i++) {
        const struct secret_case *c = &secret_cases[i];
        char *name = xasprintf("secret%zu.json", i);
        char *why = load_bad(put(name, c->json));

        cr_expect_not_null(strstr(why, c->key), "%s: \"%s\" lacks %s", c->name, why,
                           c->key);
        cr_expect_null(strstr(why, c->secret), "%s: the message echoes the token: %s",
                       c->name, why);
        free(why);
        free(name);
    }
}

Test(config, token_in_the_fixture_is_refused)
{
    char *why = load_bad("tests/data/config/token-in-json.json");

    cr_assert_not_null(strstr(why, "slack.bot_token"), "%s", why);
    cr_assert_null(strstr(why, "ECHOED"), "%s", why);
    free(why);
}

struct token_file_case {
    const char *name; /* printed when the case fails */
    const char *content;
    const char *want; /* NULL: must be refused */
};

static const struct token_file_case token_file_cases[] = {
    {"one token, LF", "xoxb-1\n", "xoxb-1"},
    {"one token, no newline", "xoxb-2", "xoxb-2"},
    {"one token, CRLF and blank lines", "xoxb-3\r\n\r\n", "xoxb-3"},
    {"two lines", "xoxb-4\nxoxb-5\n", NULL},
    {"empty file", "", NULL},
    {"only a newline", "\n", NULL},
};

Test(config, token_files_hold_exactly_one_token)
{
    for (size_t i = 0; i < sizeof(token_file_cases) / sizeof(token_file_cases[0]); i++) {
        const struct token_file_case *c = &token_file_cases[i];
        char *name = xasprintf("token%zu", i);
        struct config *cfg = NULL;
        char *why = NULL;
        enum bot_err err;

        setenv("SLACK_BOT_TOKEN_FILE", put(name, c->content), 1);
        err = config_load(NULL, "kb", &cfg, &why);
        if (c->want != NULL) {
            cr_expect_eq(err, BOT_OK, "%s: %s", c->name, why ? why : "");
            if (err == BOT_OK)
                cr_expect_str_eq(cfg->slack.token, c->want, "%s", c->name);
        } else {
            cr_expect_neq(err, BOT_OK, "%s: accepted", c->name);
            cr_expect_not_null(why, "%s: no reason", c->name);
            if (why != NULL)
                cr_expect_not_null(strstr(why, "SLACK_BOT_TOKEN_FILE"), "%s: %s", c->name,
                                   why);
        }
        config_free(cfg);
        free(why);
        free(name);
    }
}

Test(config, missing_and_oversized_token_files_are_refused)
{
    char *big = xmalloc(10000);
    char *why;

    setenv("SLACK_BOT_TOKEN_FILE", "/nonexistent/valuesbot/token", 1);
    why = load_bad(NULL);
    cr_assert_not_null(strstr(why, "SLACK_BOT_TOKEN_FILE"), "%s", why);
    free(why);

    memset(big, 'x', 9999);
    big[9999] = '\0';
    setenv("SLACK_BOT_TOKEN_FILE", put("big", big), 1);
    why = load_bad(NULL);
    cr_assert_not_null(strstr(why, "too large"), "%s", why);
    cr_assert_null(strstr(why, "xxxxxxxx"), "the content is not echoed: %s", why);
    free(why);
    free(big);
}

struct prefix_case {
    const char *name;
    const char *var;
    const char *value;
    const char *word;
};

static const struct prefix_case prefix_cases[] = {
    {"user token as bot token", "SLACK_BOT_TOKEN", "xoxp-PRIVATE-123", "xoxb-"},
    {"bot token as app token", "SLACK_APP_TOKEN", "xoxb-PRIVATE-123", "xapp-"},
    {"garbage bot token", "SLACK_BOT_TOKEN", "PRIVATE", "xoxb-"},
};

Test(config, slack_tokens_must_have_the_right_prefix)
{
    for (size_t i = 0; i < sizeof(prefix_cases) / sizeof(prefix_cases[0]); i++) {
        const struct prefix_case *c = &prefix_cases[i];
        struct config *cfg = NULL;
        char *why = NULL;

        unsetenv("SLACK_BOT_TOKEN");
        unsetenv("SLACK_APP_TOKEN");
        setenv(c->var, c->value, 1);
        cr_expect_neq(config_load(NULL, "kb", &cfg, &why), BOT_OK, "%s: accepted",
                      c->name);
        cr_expect_null(cfg);
        cr_assert_not_null(why, "%s", c->name);
        cr_expect_not_null(strstr(why, c->word), "%s: %s", c->name, why);
        cr_expect_null(strstr(why, "PRIVATE"), "%s: token echoed: %s", c->name, why);
        config_free(cfg);
        free(why);
    }
}

struct bad_case {
    const char *name; /* printed when the case fails */
    const char *json;
    const char *word; /* must appear in the reason */
};

static const struct bad_case bad_cases[] = {
    {"invalid JSON", "{\"default_org\": ", "invalid JSON"},
    {"top level array", "[]", "top level"},
    {"duplicate key", "{\"default_org\": \"a\", \"default_org\": \"b\"}", "duplicate"},
    {"unknown top-level key", "{\"defualt_org\": \"tewv\"}", "defualt_org: unknown key"},
    {"unknown nested key", "{\"answer\": {\"decline_treshold\": 0.4}}",
     "answer.decline_treshold: unknown key"},
    {"unknown slack key", "{\"slack\": {\"channel\": {}}}", "slack.channel: unknown key"},
    {"unknown mattermost key", "{\"mattermost\": {\"team\": {}}}",
     "mattermost.team: unknown key"},
    {"org a number", "{\"default_org\": 5}", "default_org"},
    {"org empty", "{\"default_org\": \"\"}", "default_org"},
    {"retention a string", "{\"retention_days\": \"90\"}", "retention_days"},
    {"retention zero", "{\"retention_days\": 0}", "retention_days"},
    {"retention fractional", "{\"retention_days\": 1.5}", "retention_days"},
    {"threshold a string", "{\"answer\": {\"decline_threshold\": \"high\"}}",
     "answer.decline_threshold"},
    {"threshold above one", "{\"answer\": {\"decline_threshold\": 1.5}}",
     "answer.decline_threshold"},
    {"tie margin negative", "{\"answer\": {\"tie_margin\": -0.1}}", "answer.tie_margin"},
    {"answer not an object", "{\"answer\": 0.5}", "answer"},
    {"log not an object", "{\"log\": \"debug\"}", "log"},
    {"invalid log level", "{\"log\": {\"level\": \"verbose\"}}", "log.level"},
    {"invalid log format", "{\"log\": {\"format\": \"xml\"}}", "log.format"},
    {"slack not an object", "{\"slack\": true}", "slack"},
    {"slash commands not an array", "{\"slack\": {\"slash_commands\": \"/values\"}}",
     "slack.slash_commands"},
    {"slash command without slash", "{\"slack\": {\"slash_commands\": [\"values\"]}}",
     "slack.slash_commands[0]"},
    {"routes not an object", "{\"slack\": {\"channels\": [\"C1\"]}}", "slack.channels"},
    {"route to a number", "{\"slack\": {\"channels\": {\"C1\": 3}}}",
     "slack.channels.C1"},
    {"mattermost url without scheme",
     "{\"mattermost\": {\"url\": \"chat.example.test\"}}", "mattermost.url"},
    {"http listen a number", "{\"http\": {\"listen\": 8080}}", "http.listen"},
};

Test(config, bad_files_name_the_key)
{
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const struct bad_case *c = &bad_cases[i];
        char *name = xasprintf("bad%zu.json", i);
        const char *path;
        struct config *cfg = NULL;
        char *why = NULL;
        enum bot_err err;

        if (nfiles == sizeof(files) / sizeof(files[0])) {
            for (size_t k = 0; k < nfiles; k++) {
                unlink(files[k]);
                free(files[k]);
            }
            nfiles = 0;
        }
        path = put(name, c->json);
        err = config_load(path, "kb", &cfg, &why);
        cr_expect_eq(err, BOT_EPARSE, "%s: got %s", c->name, bot_strerror(err));
        cr_expect_null(cfg, "%s", c->name);
        cr_expect_not_null(why, "%s: no reason", c->name);
        if (why != NULL)
            cr_expect_not_null(strstr(why, c->word), "%s: \"%s\" lacks \"%s\"", c->name,
                               why, c->word);
        config_free(cfg);
        free(why);
        free(name);
    }
    expect_no_leaks("bad files");
}

Test(config, bad_fixture_files_name_the_key)
{
    char *why = load_bad("tests/data/config/unknown-key.json");

    cr_assert_not_null(strstr(why, "answer.decline_treshold"), "%s", why);
    free(why);
    why = load_bad("tests/data/config/wrong-type.json");
    cr_assert_not_null(strstr(why, "retention_days"), "%s", why);
    free(why);
}

struct env_case {
    const char *name;
    const char *var;
    const char *value;
};

static const struct env_case bad_env_cases[] = {
    {"threshold not a number", "VALUESBOT_DECLINE_THRESHOLD", "abc"},
    {"threshold with trailing junk", "VALUESBOT_DECLINE_THRESHOLD", "0.5x"},
    {"threshold above one", "VALUESBOT_DECLINE_THRESHOLD", "1.5"},
    {"threshold negative", "VALUESBOT_DECLINE_THRESHOLD", "-0.1"},
    {"threshold infinite", "VALUESBOT_DECLINE_THRESHOLD", "inf"},
    {"threshold not a number (nan)", "VALUESBOT_DECLINE_THRESHOLD", "nan"},
    {"retention zero", "VALUESBOT_RETENTION_DAYS", "0"},
    {"retention negative", "VALUESBOT_RETENTION_DAYS", "-1"},
    {"retention too long", "VALUESBOT_RETENTION_DAYS", "3651"},
    {"retention a word", "VALUESBOT_RETENTION_DAYS", "ninety"},
    {"log format", "VALUESBOT_LOG_FORMAT", "xml"},
    {"log level", "VALUESBOT_LOG_LEVEL", "loud"},
    {"mattermost url", "MATTERMOST_URL", "ftp://chat.example.test"},
};

Test(config, bad_environment_values_are_refused)
{
    for (size_t i = 0; i < sizeof(bad_env_cases) / sizeof(bad_env_cases[0]); i++) {
        const struct env_case *c = &bad_env_cases[i];
        struct config *cfg = NULL;
        char *why = NULL;
        enum bot_err err;

        setenv(c->var, c->value, 1);
        err = config_load(NULL, "kb", &cfg, &why);
        unsetenv(c->var);
        cr_expect_eq(err, BOT_EPARSE, "%s: %s=%s accepted", c->name, c->var, c->value);
        cr_expect_null(cfg, "%s", c->name);
        if (err != BOT_OK)
            cr_expect_not_null(why, "%s: no reason", c->name);
        config_free(cfg);
        free(why);
    }
    expect_no_leaks("bad environment");
}

Test(config, missing_file_is_eio_and_names_it)
{
    struct config *cfg = (struct config *)1;
    char *why = NULL;
    enum bot_err err = config_load("/nonexistent/valuesbot.json", "kb", &cfg, &why);

    cr_expect_eq(err, BOT_EIO, "got %s", bot_strerror(err));
    cr_assert_null(cfg);
    cr_assert_not_null(why);
    cr_assert_not_null(strstr(why, "/nonexistent/valuesbot.json"), "%s", why);
    free(why);
}

Test(config, file_over_one_mib_is_elimit)
{
    char *big = xmalloc(CONFIG_MAX_FILE + 100);
    struct config *cfg = (struct config *)1;
    char *why = NULL;
    enum bot_err err;

    memset(big, ' ', CONFIG_MAX_FILE + 99);
    big[0] = '{';
    big[CONFIG_MAX_FILE + 98] = '}';
    big[CONFIG_MAX_FILE + 99] = '\0';
    err = config_load(put("big.json", big), "kb", &cfg, &why);
    cr_expect_eq(err, BOT_ELIMIT, "got %s", bot_strerror(err));
    cr_assert_null(cfg);
    cr_assert_not_null(why);
    cr_assert_not_null(strstr(why, "limit"), "%s", why);
    free(why);
    free(big);
}

Test(config, free_of_null_is_a_no_op)
{
    config_free(NULL);
}

/* Every key of @obj other than a comment has a comment beside it. */
static void
expect_documented(json_t *obj, const char *path)
{
    const char *key;
    json_t *v;

    json_object_foreach(obj, key, v)
    {
        char *doc;
        bool beside;

        if (strcmp(key, "comment") == 0 || strncmp(key, "comment_", 8) == 0)
            continue;
        doc = xasprintf("comment_%s", key);
        beside = json_object_get(obj, doc) != NULL;
        free(doc);
        /* A section (an object with no comment beside it) documents its keys
           itself; a route map has its comment beside it. */
        if (!beside && json_is_object(v))
            expect_documented(v, key);
        else
            cr_expect(beside, "%s.%s has no comment in the example", path, key);
    }
}

Test(config, example_file_loads_and_documents_every_key)
{
    struct config *cfg = load_ok("config/valuesbot.example.json");
    json_error_t jerr;
    json_t *root = json_load_file("config/valuesbot.example.json", 0, &jerr);

    cr_assert_not_null(root, "%s", jerr.text);
    cr_expect_str_eq(cfg->default_org, "tewv");
    cr_expect_float_eq(cfg->decline_threshold, 0.5, 1e-9);
    cr_expect_eq(cfg->retention_days, 90u);
    cr_expect_eq(cfg->slack.nslash, 3u);
    cr_expect_str_eq(config_route_find(&cfg->slack, "channel", "C0123456"), "cwpt");
    cr_expect_null(config_route_find(&cfg->slack, "channel", "comment"));
    expect_documented(root, "");
    json_decref(root);
    config_free(cfg);
}

Test(config, comment_keys_are_ignored_but_near_misses_are_not)
{
    struct config *cfg = load_ok(
        put("c.json",
            "{\"comment\": \"x\", \"comment_kb_path\": \"y\", \"log\": {\"comment\": 1},"
            " \"slack\": {\"channels\": {\"comment\": \"not a route\"}}}"));
    char *why;

    cr_expect_eq(cfg->slack.nroutes, 0u);
    config_free(cfg);
    why = load_bad(put("d.json", "{\"comments\": \"x\"}"));
    cr_expect_not_null(strstr(why, "comments: unknown key"), "%s", why);
    free(why);
}

Test(config, example_file_schedules)
{
    struct config *cfg = load_ok("config/valuesbot.example.json");

    cr_assert_eq(cfg->nschedules, 3u);
    cr_expect_str_eq(cfg->schedules[0].what, "value_of_the_week");
    cr_expect_str_eq(cfg->schedules[0].when, "Mon 09:00");
    cr_expect_str_eq(cfg->schedules[1].tz, "Europe/London", "the default zone");
    cr_expect_str_eq(cfg->schedules[2].platform, "teams");
    cr_expect_str_eq(cfg->schedules[2].org, "tewv", "the default org");
    config_free(cfg);
}

Test(config, schedules_are_read_with_their_defaults)
{
    struct config *cfg = load_ok(put(
        "s.json", "{\"default_org\": \"cwpt\", \"schedules\": ["
                  "{\"platform\": \"slack\", \"channel\": \"C1\", \"org\": \"tewv\","
                  " \"what\": \"values\", \"when\": \"daily 08:30\", \"tz\": \"UTC\"},"
                  "{\"comment\": \"monthly\", \"platform\": \"mattermost\","
                  " \"channel\": \"town-hall\", \"what\": \"digest\","
                  " \"when\": \"monthly 1 09:00\"}]}"));

    cr_assert_eq(cfg->nschedules, 2u);
    cr_expect_str_eq(cfg->schedules[0].platform, "slack");
    cr_expect_str_eq(cfg->schedules[0].channel, "C1");
    cr_expect_str_eq(cfg->schedules[0].org, "tewv");
    cr_expect_str_eq(cfg->schedules[0].tz, "UTC");
    cr_expect_str_eq(cfg->schedules[1].org, "cwpt", "the default org");
    cr_expect_str_eq(cfg->schedules[1].tz, "Europe/London", "the default zone");
    config_free(cfg);
    cfg = load_ok(NULL);
    cr_expect_eq(cfg->nschedules, 0u, "none by default");
    config_free(cfg);
    expect_no_leaks("schedules");
}

struct schedule_case {
    const char *json;
    const char *want; /* in the message */
};

static const struct schedule_case bad_schedules[] = {
    {"{\"schedules\": {}}", "schedules: must be an array"},
    {"{\"schedules\": [1]}", "schedules[0]: must be an object"},
    {"{\"schedules\": [{\"platform\": \"slack\", \"channel\": \"C1\", \"what\": "
     "\"values\"}]}",
     "schedules[0]: needs platform, channel, what and when"},
    {"{\"schedules\": [{\"platform\": \"slack\", \"channel\": \"C1\", \"what\": "
     "\"weekly\", \"when\": \"Mon 09:00\"}]}",
     "schedules[0].what: must be"},
    {"{\"schedules\": [{\"platform\": \"slack\", \"channel\": \"C1\", \"what\": "
     "\"values\", \"when\": \"Mon 25:00\"}]}",
     "schedules[0].when: \"Mon 25:00\": the time must be HH:MM"},
    {"{\"schedules\": [{\"platform\": \"slack\", \"channel\": \"C1\", \"what\": "
     "\"values\", \"when\": \"Mon 09:00\", \"tz\": \"Europe/Atlantis\"}]}",
     "schedules[0].tz: \"Europe/Atlantis\" is not a time zone"},
    {"{\"schedules\": [{\"platform\": \"slack\", \"channel\": \"C1\", \"what\": "
     "\"values\", \"when\": \"Mon 09:00\", \"cron\": \"* * * * *\"}]}",
     "schedules[0].cron: unknown key"},
    {"{\"schedules\": [{\"platform\": \"slack\", \"channel\": \"C1\", \"what\": "
     "\"values\", \"when\": \"Mon 09:00\"}, {\"platform\": \"\"}]}",
     "schedules[1].platform: must be a non-empty string"},
};

Test(config, bad_schedules_name_the_entry)
{
    for (size_t i = 0; i < sizeof(bad_schedules) / sizeof(bad_schedules[0]); i++) {
        char name[16], *why;

        snprintf(name, sizeof(name), "bad%zu.json", i);
        why = load_bad(put(name, bad_schedules[i].json));
        cr_expect_not_null(strstr(why, bad_schedules[i].want), "case %zu: %s", i, why);
        free(why);
    }
    expect_no_leaks("bad schedules");
}

Test(config, teams_from_the_file_and_the_environment)
{
    struct config *cfg;
    char *why, *json;

    json = xasprintf(
        "{\"teams\": {\"app_id\": \"app-guid\", \"tenant_id\": \"tenant-guid\","
        " \"app_password_file\": \"%s\","
        " \"allowed_service_urls\": [\"https://a.example/\", \"https://b.example/\"],"
        " \"teams\": {\"19:t@thread.tacv2\": \"cwpt\"},"
        " \"channels\": {\"19:c@thread.tacv2\": \"tewv\"}}}",
        put("pw0", "file-secret0\n"));
    cfg = load_ok(put("t.json", json));
    free(json);
    cr_expect(cfg->teams.configured);
    cr_expect_str_eq(cfg->teams.token, "file-secret0");
    cr_expect_str_eq(cfg->teams.allowed_urls, "https://a.example/,https://b.example/");
    cr_expect_str_eq(config_route_find(&cfg->teams, "team", "19:t@thread.tacv2"), "cwpt");
    cr_expect_str_eq(config_route_find(&cfg->teams, "channel", "19:c@thread.tacv2"),
                     "tewv");
    cr_expect_str_eq(cfg->teams.url,
                     "https://login.botframework.com/v1/.well-known/openidconfiguration");
    config_free(cfg);
    /* Half a credential is a mistake worth saying. */
    why = load_bad(put("t2.json", "{\"teams\": {\"app_id\": \"app-guid\"}}"));
    cr_expect_not_null(strstr(why, "MICROSOFT_APP_PASSWORD"), "%s", why);
    free(why);

    setenv("MICROSOFT_APP_ID", "env-app", 1);
    setenv("MICROSOFT_APP_PASSWORD_FILE", put("pw", "file-secret\n"), 1);
    setenv("MICROSOFT_APP_TENANT_ID", "env-tenant", 1);
    setenv("TEAMS_ALLOWED_SERVICE_URLS", "http://127.0.0.1:1/teams/", 1);
    cfg = load_ok(NULL);
    cr_expect(cfg->teams.configured);
    cr_expect_str_eq(cfg->teams.app_id, "env-app");
    cr_expect_str_eq(cfg->teams.token, "file-secret");
    cr_expect_str_eq(cfg->teams.tenant_id, "env-tenant");
    cr_expect_str_eq(cfg->teams.allowed_urls, "http://127.0.0.1:1/teams/");
    config_free(cfg);
    setenv("MICROSOFT_APP_PASSWORD", "env-secret", 1);
    cfg = load_ok(NULL);
    cr_expect_str_eq(cfg->teams.token, "env-secret", "the variable wins over the file");
    config_free(cfg);
}

Test(config, teams_password_never_in_the_file)
{
    char *why =
        load_bad(put("t3.json", "{\"teams\": {\"app_password\": \"hunter2-secret\"}}"));

    cr_expect_not_null(strstr(why, "teams.app_password"), "%s", why);
    cr_expect_null(strstr(why, "hunter2-secret"), "%s", why);
    free(why);
}
