/*
 * test_config_web.c - the "web" section of the configuration (the web chat):
 * its defaults, when it is on, its keys, their bounds, the environment.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "bot/base/file.h"
#include "bot/base/xmalloc.h"
#include "bot/core/config.h"

static const char *const env_names[] = {
    "VALUESBOT_CONFIG",
    "VALUESBOT_WEB",
    "VALUESBOT_WEB_ORIGINS",
    "VALUESBOT_WEB_TRUSTED_PROXIES",
    "VALUESBOT_WEB_USER_HEADER",
    "SLACK_APP_TOKEN",
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN_FILE",
    "SLACK_BOT_TOKEN_FILE",
    "MATTERMOST_URL",
    "MATTERMOST_TOKEN",
    "MATTERMOST_TOKEN_FILE",
    "MICROSOFT_APP_ID",
    "MICROSOFT_APP_PASSWORD",
    "MICROSOFT_APP_PASSWORD_FILE",
};

static char dir[] = "/tmp/valuesbot-test-config-web-XXXXXX";
static char *path;

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
    if (path != NULL)
        unlink(path);
    free(path);
    rmdir(dir);
}

TestSuite(config_web, .init = setup, .fini = teardown);

static const char *
put(const char *data)
{
    free(path);
    path = xasprintf("%s/c.json", dir);
    cr_assert_eq(file_write_atomic(path, data, strlen(data)), BOT_OK);
    return path;
}

static struct config *
load(const char *p, char **why)
{
    struct config *cfg = NULL;

    *why = NULL;
    (void)config_load(p, "kb", &cfg, why);
    return cfg;
}

Test(config_web, on_by_default_without_a_platform_with_its_defaults)
{
    char *why;
    struct config *cfg = load(NULL, &why);

    cr_assert_not_null(cfg, "%s", why);
    cr_expect(cfg->web.enabled);
    cr_expect_not(cfg->web.enabled_set);
    cr_expect_null(cfg->web.origins);
    cr_expect_null(cfg->web.trusted_proxies);
    cr_expect_null(cfg->web.user_header);
    cr_expect_eq(cfg->web.max_message, 4096u);
    cr_expect_eq(cfg->web.max_conns, 2000u);
    cr_expect_gt(cfg->web.idle_secs, 0u);
    cr_expect_gt(cfg->web.conn_burst, 0u);
    cr_expect_gt(cfg->web.addr_per_min, cfg->web.conn_per_min);
    config_free(cfg);
}

Test(config_web, off_by_default_beside_a_platform_unless_set)
{
    char *why;
    struct config *cfg;

    setenv("MATTERMOST_URL", "https://mm.example", 1);
    setenv("MATTERMOST_TOKEN", "tok", 1);
    cfg = load(NULL, &why);
    cr_assert_not_null(cfg, "%s", why);
    cr_expect_not(cfg->web.enabled);
    config_free(cfg);
    setenv("VALUESBOT_WEB", "on", 1);
    cfg = load(NULL, &why);
    cr_expect(cfg->web.enabled);
    config_free(cfg);
    unsetenv("VALUESBOT_WEB");
    cfg = load(put("{\"web\": {\"enabled\": true}}"), &why);
    cr_assert_not_null(cfg, "%s", why);
    cr_expect(cfg->web.enabled);
    config_free(cfg);
}

Test(config_web, off_when_set_off)
{
    char *why;
    struct config *cfg;

    setenv("VALUESBOT_WEB", "off", 1);
    cfg = load(NULL, &why);
    cr_assert_not_null(cfg, "%s", why);
    cr_expect_not(cfg->web.enabled);
    config_free(cfg);
    setenv("VALUESBOT_WEB", "maybe", 1);
    cr_expect_null(load(NULL, &why));
    cr_expect_not_null(strstr(why, "VALUESBOT_WEB"), "%s", why);
    free(why);
}

Test(config_web, every_key_read)
{
    char *why;
    struct config *cfg =
        load(put("{\"web\": {\"origins\": [\"https://a.example\", \"https://b.example\"],"
                 " \"trusted_proxies\": [\"10.0.0.5\", \"10.1.0.0/16\"],"
                 " \"user_header\": \"X-Remote-User\", \"max_message\": 8192,"
                 " \"max_connections\": 50, \"idle_timeout_secs\": 60,"
                 " \"rate_per_connection\": {\"burst\": 2, \"per_minute\": 10},"
                 " \"rate_per_address\": {\"burst\": 20, \"per_minute\": 100}}}"),
             &why);

    cr_assert_not_null(cfg, "%s", why);
    cr_expect_str_eq(cfg->web.origins, "https://a.example,https://b.example");
    cr_expect_str_eq(cfg->web.trusted_proxies, "10.0.0.5,10.1.0.0/16");
    cr_expect_str_eq(cfg->web.user_header, "X-Remote-User");
    cr_expect_eq(cfg->web.max_message, 8192u);
    cr_expect_eq(cfg->web.max_conns, 50u);
    cr_expect_eq(cfg->web.idle_secs, 60u);
    cr_expect_eq(cfg->web.conn_burst, 2u);
    cr_expect_eq(cfg->web.conn_per_min, 10u);
    cr_expect_eq(cfg->web.addr_burst, 20u);
    cr_expect_eq(cfg->web.addr_per_min, 100u);
    config_free(cfg);
}

Test(config_web, environment_overrides_the_file)
{
    char *why;
    struct config *cfg;

    setenv("VALUESBOT_WEB_ORIGINS", "https://env.example", 1);
    setenv("VALUESBOT_WEB_TRUSTED_PROXIES", "127.0.0.1", 1);
    setenv("VALUESBOT_WEB_USER_HEADER", "X-Forwarded-User", 1);
    cfg = load(put("{\"web\": {\"origins\": [\"https://file.example\"]}}"), &why);
    cr_assert_not_null(cfg, "%s", why);
    cr_expect_str_eq(cfg->web.origins, "https://env.example");
    cr_expect_str_eq(cfg->web.trusted_proxies, "127.0.0.1");
    cr_expect_str_eq(cfg->web.user_header, "X-Forwarded-User");
    config_free(cfg);
}

Test(config_web, bad_values_named)
{
    static const char *const bad[][2] = {
        {"{\"web\": 1}", "web"},
        {"{\"web\": {\"enabled\": \"yes\"}}", "web.enabled"},
        {"{\"web\": {\"max_message\": 10}}", "web.max_message"},
        {"{\"web\": {\"max_connections\": 0}}", "web.max_connections"},
        {"{\"web\": {\"idle_timeout_secs\": 1.5}}", "web.idle_timeout_secs"},
        {"{\"web\": {\"origins\": \"https://a.example\"}}", "web.origins"},
        {"{\"web\": {\"rate_per_address\": {\"burst\": 0}}}",
         "web.rate_per_address.burst"},
        {"{\"web\": {\"rate_per_connection\": {\"bursts\": 1}}}",
         "web.rate_per_connection.bursts"},
        {"{\"web\": {\"origin\": []}}", "web.origin"},
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *why;

        cr_expect_null(load(put(bad[i][0]), &why), "%s loaded", bad[i][0]);
        cr_expect(why != NULL && strstr(why, bad[i][1]) != NULL, "%s: %s", bad[i][0],
                  why ? why : "(no reason)");
        free(why);
    }
}
