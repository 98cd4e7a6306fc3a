/*
 * config.c - the one configuration file, with environment overrides.
 *
 * Unknown keys are errors (a misspelt "decline_treshold" would otherwise be
 * silently ignored) and so are secrets in the JSON.  Messages name the key
 * path ("slack.channels.C123: ...") so an operator can find it.
 */
#include "bot/core/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot/base/buf.h"
#include "bot/base/file.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/core/schedule.h"
#include "bot/core/summary.h"

#define SECRET_MAX 4096 /* a token file holds one token */

struct ctx {
    char *why;        /* owned: first problem */
    enum bot_err err; /* its code: BOT_EPARSE unless reading the file failed */
};

static bool fail(struct ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool
fail(struct ctx *c, const char *fmt, ...)
{
    va_list ap;
    char msg[512];

    if (c->why == NULL) {
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        c->why = xstrdup(msg);
    }
    return false;
}

static void
set(char **dst, const char *s)
{
    free(*dst);
    *dst = s ? xstrdup(s) : NULL;
}

/*
 * JSON has no comments, so a key named "comment" or starting with "comment_"
 * is one, in any object: config/valuesbot.example.json documents each key
 * beside it.
 */
static bool
is_comment(const char *key)
{
    return strcmp(key, "comment") == 0 || strncmp(key, "comment_", 8) == 0;
}

static bool
keys_known(struct ctx *c, json_t *obj, const char *path, const char *const *keys)
{
    const char *key;
    json_t *v;

    json_object_foreach(obj, key, v)
    {
        bool ok = is_comment(key);

        for (size_t i = 0; keys[i] && !ok; i++)
            ok = strcmp(keys[i], key) == 0;
        if (!ok)
            return fail(c, "%s%s%s: unknown key", path, *path ? "." : "", key);
    }
    return true;
}

static bool
get_string(struct ctx *c, json_t *obj, const char *path, const char *key, char **dst)
{
    json_t *v = json_object_get(obj, key);

    if (v == NULL)
        return true;
    if (!json_is_string(v) || json_string_length(v) == 0)
        return fail(c, "%s%s%s: must be a non-empty string", path, *path ? "." : "", key);
    set(dst, json_string_value(v));
    return true;
}

static bool
get_number(struct ctx *c, json_t *obj, const char *path, const char *key, double lo,
           double hi, double *dst)
{
    json_t *v = json_object_get(obj, key);

    if (v == NULL)
        return true;
    if (!json_is_number(v) || !(json_number_value(v) >= lo && json_number_value(v) <= hi))
        return fail(c, "%s.%s: must be a number from %g to %g", path, key, lo, hi);
    *dst = json_number_value(v);
    return true;
}

/* Reads a secret from @path: one line, trailing newline stripped. */
static bool
read_secret(struct ctx *c, const char *what, const char *path, char **dst)
{
    char *data;
    size_t len;
    enum bot_err err = file_read(path, SECRET_MAX, &data, &len);

    if (err)
        return fail(c, "%s: cannot read %s: %s", what, path,
                    err == BOT_ELIMIT ? "too large for a token file" : strerror(errno));
    while (len > 0 &&
           (data[len - 1] == '\n' || data[len - 1] == '\r' || data[len - 1] == ' '))
        data[--len] = '\0';
    if (len == 0 || strlen(data) != len || strchr(data, '\n') != NULL) {
        free(data);
        return fail(c, "%s: %s must hold exactly one token", what, path);
    }
    free(*dst);
    *dst = data;
    return true;
}

/* Reads @obj.@key, an object of platform id -> org id, as routes of @scope. */
static bool
get_routes(struct ctx *c, json_t *obj, const char *path, const char *key,
           const char *scope, struct config_platform *p)
{
    json_t *map = json_object_get(obj, key);
    const char *id;
    json_t *v;

    if (map == NULL)
        return true;
    if (!json_is_object(map))
        return fail(c, "%s: routes must be an object of id -> org", path);
    json_object_foreach(map, id, v)
    {
        if (is_comment(id))
            continue;
        if (!json_is_string(v) || json_string_length(v) == 0)
            return fail(c, "%s.%s: must name an org id", path, id);
        p->routes = xreallocarray(p->routes, p->nroutes + 1, sizeof(*p->routes));
        p->routes[p->nroutes++] =
            (struct config_route){.scope = xstrdup(scope),
                                  .id = xstrdup(id),
                                  .org = xstrdup(json_string_value(v))};
    }
    return true;
}

static bool
reject_secret(struct ctx *c, json_t *obj, const char *path, const char *key)
{
    if (json_object_get(obj, key) != NULL)
        return fail(c,
                    "%s.%s: secrets are not read from the config file; set the "
                    "environment variable or name a file with %s_file",
                    path, key, key);
    return true;
}

static bool
load_slack(struct ctx *c, json_t *obj, struct config_platform *p)
{
    static const char *const keys[] = {"api_url",    "app_token_file", "bot_token_file",
                                       "workspaces", "channels",       "slash_commands",
                                       "app_token",  "bot_token",      NULL};
    char *file = NULL;
    json_t *cmds;
    size_t i;
    json_t *v;
    bool ok;

    if (!json_is_object(obj))
        return fail(c, "slack: must be an object");
    ok = keys_known(c, obj, "slack", keys) &&
         reject_secret(c, obj, "slack", "app_token") &&
         reject_secret(c, obj, "slack", "bot_token") &&
         get_string(c, obj, "slack", "api_url", &p->url) &&
         get_routes(c, obj, "slack.workspaces", "workspaces", "workspace", p) &&
         get_routes(c, obj, "slack.channels", "channels", "channel", p);
    if (ok && get_string(c, obj, "slack", "app_token_file", &file) && file != NULL)
        ok = read_secret(c, "slack.app_token_file", file, &p->app_token);
    free(file);
    file = NULL;
    if (ok && get_string(c, obj, "slack", "bot_token_file", &file) && file != NULL)
        ok = read_secret(c, "slack.bot_token_file", file, &p->token);
    free(file);
    if (ok && (cmds = json_object_get(obj, "slash_commands")) != NULL) {
        if (!json_is_array(cmds))
            return fail(c, "slack.slash_commands: must be an array of \"/name\" strings");
        for (size_t k = 0; k < p->nslash; k++)
            free(p->slash_commands[k]);
        p->nslash = 0;
        json_array_foreach(cmds, i, v)
        {
            if (!json_is_string(v) || json_string_value(v)[0] != '/')
                return fail(c, "slack.slash_commands[%zu]: must start with /", i);
            p->slash_commands =
                xreallocarray(p->slash_commands, p->nslash + 1, sizeof(char *));
            p->slash_commands[p->nslash++] = xstrdup(json_string_value(v));
        }
    }
    return ok && c->why == NULL;
}

static bool
load_mattermost(struct ctx *c, json_t *obj, struct config_platform *p)
{
    static const char *const keys[] = {"url",      "token_file", "ca_file", "teams",
                                       "channels", "token",      NULL};
    char *file = NULL;
    bool ok;

    if (!json_is_object(obj))
        return fail(c, "mattermost: must be an object");
    ok = keys_known(c, obj, "mattermost", keys) &&
         reject_secret(c, obj, "mattermost", "token") &&
         get_string(c, obj, "mattermost", "url", &p->url) &&
         get_string(c, obj, "mattermost", "ca_file", &p->ca_file) &&
         get_routes(c, obj, "mattermost.teams", "teams", "team", p) &&
         get_routes(c, obj, "mattermost.channels", "channels", "channel", p);
    if (ok && get_string(c, obj, "mattermost", "token_file", &file) && file != NULL)
        ok = read_secret(c, "mattermost.token_file", file, &p->token);
    free(file);
    return ok && c->why == NULL;
}

/* Reads @obj.@key, an array of strings, into @dst as one comma-separated string. */
static bool
get_list(struct ctx *c, json_t *obj, const char *path, const char *key, char **dst)
{
    json_t *arr = json_object_get(obj, key), *v;
    struct buf b;
    size_t i;

    if (arr == NULL)
        return true;
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return fail(c, "%s.%s: must be a non-empty array of strings", path, key);
    buf_init(&b, CONFIG_MAX_FILE);
    json_array_foreach(arr, i, v)
    {
        const char *s = json_string_value(v);

        if (s == NULL || *s == '\0' || strchr(s, ',') != NULL) {
            buf_cleanup(&b);
            return fail(c, "%s.%s[%zu]: must be a non-empty string without commas", path,
                        key, i);
        }
        if ((i > 0 && buf_add(&b, ",", 1) != BOT_OK) ||
            buf_add(&b, s, strlen(s)) != BOT_OK) {
            buf_cleanup(&b);
            return fail(c, "%s.%s: too long", path, key);
        }
    }
    free(*dst);
    *dst = buf_take(&b);
    return true;
}

static bool
load_teams(struct ctx *c, json_t *obj, struct config_platform *p)
{
    static const char *const keys[] = {
        "app_id",    "app_password_file",    "tenant_id", "openid_metadata_url",
        "token_url", "allowed_service_urls", "ca_file",   "teams",
        "channels",  "app_password",         NULL};
    char *file = NULL;
    bool ok;

    if (!json_is_object(obj))
        return fail(c, "teams: must be an object");
    ok = keys_known(c, obj, "teams", keys) &&
         reject_secret(c, obj, "teams", "app_password") &&
         get_string(c, obj, "teams", "app_id", &p->app_id) &&
         get_string(c, obj, "teams", "tenant_id", &p->tenant_id) &&
         get_string(c, obj, "teams", "openid_metadata_url", &p->url) &&
         get_string(c, obj, "teams", "token_url", &p->token_url) &&
         get_list(c, obj, "teams", "allowed_service_urls", &p->allowed_urls) &&
         get_string(c, obj, "teams", "ca_file", &p->ca_file) &&
         get_routes(c, obj, "teams.teams", "teams", "team", p) &&
         get_routes(c, obj, "teams.channels", "channels", "channel", p);
    if (ok && get_string(c, obj, "teams", "app_password_file", &file) && file != NULL)
        ok = read_secret(c, "teams.app_password_file", file, &p->token);
    free(file);
    return ok && c->why == NULL;
}

/* Reads "schedules": an array of posts to make at set times (see schedule.h). */
static bool
load_schedules(struct ctx *c, json_t *arr, struct config *cfg)
{
    static const char *const keys[] = {"platform", "channel", "org", "what",
                                       "when",     "tz",      NULL};
    size_t i;
    json_t *v;

    if (!json_is_array(arr))
        return fail(c, "schedules: must be an array of objects");
    json_array_foreach(arr, i, v)
    {
        struct config_schedule s = {0};
        struct schedule_rule rule;
        enum summary_kind kind;
        char path[32], *why = NULL;
        bool ok;

        snprintf(path, sizeof(path), "schedules[%zu]", i);
        if (!json_is_object(v))
            return fail(c, "%s: must be an object", path);
        ok = keys_known(c, v, path, keys) &&
             get_string(c, v, path, "platform", &s.platform) &&
             get_string(c, v, path, "channel", &s.channel) &&
             get_string(c, v, path, "org", &s.org) &&
             get_string(c, v, path, "what", &s.what) &&
             get_string(c, v, path, "when", &s.when) &&
             get_string(c, v, path, "tz", &s.tz);
        if (ok &&
            (s.platform == NULL || s.channel == NULL || s.what == NULL || s.when == NULL))
            ok = fail(c, "%s: needs platform, channel, what and when", path);
        if (ok && !summary_kind_parse(s.what, &kind))
            ok = fail(c,
                      "%s.what: must be \"value_of_the_week\", \"digest\", \"goals\" "
                      "or \"values\"",
                      path);
        if (ok && !schedule_rule_parse(s.when, &rule, &why))
            ok = fail(c, "%s.when: %s", path, why);
        free(why);
        if (ok && s.tz != NULL && !schedule_tz_is_valid(s.tz))
            ok =
                fail(c, "%s.tz: \"%s\" is not a time zone this system knows", path, s.tz);
        if (ok) {
            if (s.tz == NULL)
                s.tz = xstrdup(SCHEDULE_TZ_DEFAULT);
            cfg->schedules =
                xreallocarray(cfg->schedules, cfg->nschedules + 1, sizeof(s));
            cfg->schedules[cfg->nschedules++] = s;
            continue;
        }
        free(s.platform);
        free(s.channel);
        free(s.org);
        free(s.what);
        free(s.when);
        free(s.tz);
        return false;
    }
    return true;
}

/* A whole number from @lo to @hi at @key of @obj, into *dst. */
static bool
get_uint(struct ctx *c, json_t *obj, const char *path, const char *key, unsigned lo,
         unsigned hi, unsigned *dst)
{
    json_t *v = json_object_get(obj, key);

    if (v == NULL)
        return true;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return fail(c, "%s.%s: must be a whole number from %u to %u", path, key, lo, hi);
    *dst = (unsigned)json_integer_value(v);
    return true;
}

static bool
get_rate(struct ctx *c, json_t *obj, const char *path, const char *key, unsigned *burst,
         unsigned *per_min)
{
    static const char *const keys[] = {"burst", "per_minute", NULL};
    json_t *v = json_object_get(obj, key);
    char where[64];

    if (v == NULL)
        return true;
    snprintf(where, sizeof(where), "%s.%s", path, key);
    return (json_is_object(v) || fail(c, "%s: must be an object", where)) &&
           keys_known(c, v, where, keys) &&
           get_uint(c, v, where, "burst", 1, 100000, burst) &&
           get_uint(c, v, where, "per_minute", 1, 6000000, per_min);
}

static bool
load_web(struct ctx *c, json_t *obj, struct config_web *w)
{
    static const char *const keys[] = {"enabled",           "origins",
                                       "trusted_proxies",   "user_header",
                                       "max_message",       "max_connections",
                                       "idle_timeout_secs", "rate_per_connection",
                                       "rate_per_address",  NULL};
    json_t *v;

    if (!json_is_object(obj))
        return fail(c, "web: must be an object");
    if (!keys_known(c, obj, "web", keys))
        return false;
    if ((v = json_object_get(obj, "enabled")) != NULL) {
        if (!json_is_boolean(v))
            return fail(c, "web.enabled: must be true or false");
        w->enabled = json_is_true(v);
        w->enabled_set = true;
    }
    return get_list(c, obj, "web", "origins", &w->origins) &&
           get_list(c, obj, "web", "trusted_proxies", &w->trusted_proxies) &&
           get_string(c, obj, "web", "user_header", &w->user_header) &&
           get_uint(c, obj, "web", "max_message", 256, 1024 * 1024, &w->max_message) &&
           get_uint(c, obj, "web", "max_connections", 1, 100000, &w->max_conns) &&
           get_uint(c, obj, "web", "idle_timeout_secs", 10, 86400, &w->idle_secs) &&
           get_rate(c, obj, "web", "rate_per_connection", &w->conn_burst,
                    &w->conn_per_min) &&
           get_rate(c, obj, "web", "rate_per_address", &w->addr_burst, &w->addr_per_min);
}

static bool
load_file(struct ctx *c, struct config *cfg, const char *path)
{
    static const char *const keys[] = {
        "default_org", "kb_path",    "db_path",        "log",       "answer",  "http",
        "slack",       "mattermost", "retention_days", "schedules", "comment", "teams",
        "web",         NULL};
    static const char *const log_keys[] = {"level", "format", NULL};
    static const char *const answer_keys[] = {"decline_threshold", "tie_margin", NULL};
    static const char *const http_keys[] = {"listen", NULL};
    char *data;
    size_t len;
    json_error_t jerr;
    json_t *root, *v;
    bool ok;
    enum bot_err err = file_read(path, CONFIG_MAX_FILE, &data, &len);

    if (err)
        c->err = err;
    if (err)
        return fail(c, "%s: %s", path,
                    err == BOT_ELIMIT ? "larger than the 1 MiB limit" : strerror(errno));
    root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    free(data);
    if (root == NULL)
        return fail(c, "%s: invalid JSON at line %d, column %d: %s", path, jerr.line,
                    jerr.column, jerr.text);
    ok = json_is_object(root) || fail(c, "%s: the top level must be an object", path);
    ok = ok && keys_known(c, root, "", keys) &&
         get_string(c, root, "", "default_org", &cfg->default_org) &&
         get_string(c, root, "", "kb_path", &cfg->kb_path) &&
         get_string(c, root, "", "db_path", &cfg->db_path);
    if (ok && (v = json_object_get(root, "retention_days")) != NULL) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 ||
            json_integer_value(v) > 3650)
            ok = fail(c, "retention_days: must be a whole number of days from 1 to 3650");
        else
            cfg->retention_days = (unsigned)json_integer_value(v);
    }
    if (ok && (v = json_object_get(root, "log")) != NULL) {
        char *format = NULL;

        ok = (json_is_object(v) || fail(c, "log: must be an object")) &&
             keys_known(c, v, "log", log_keys) &&
             get_string(c, v, "log", "level", &cfg->log_level) &&
             get_string(c, v, "log", "format", &format);
        if (ok && format != NULL) {
            if (strcmp(format, "json") != 0 && strcmp(format, "logfmt") != 0)
                ok = fail(c, "log.format: must be \"logfmt\" or \"json\"");
            cfg->log_json = strcmp(format, "json") == 0;
        }
        free(format);
    }
    if (ok && (v = json_object_get(root, "answer")) != NULL)
        ok = (json_is_object(v) || fail(c, "answer: must be an object")) &&
             keys_known(c, v, "answer", answer_keys) &&
             get_number(c, v, "answer", "decline_threshold", 0, 1,
                        &cfg->decline_threshold) &&
             get_number(c, v, "answer", "tie_margin", 0, 1, &cfg->tie_margin);
    if (ok && (v = json_object_get(root, "http")) != NULL)
        ok = (json_is_object(v) || fail(c, "http: must be an object")) &&
             keys_known(c, v, "http", http_keys) &&
             get_string(c, v, "http", "listen", &cfg->http_listen);
    if (ok && (v = json_object_get(root, "slack")) != NULL)
        ok = load_slack(c, v, &cfg->slack);
    if (ok && (v = json_object_get(root, "mattermost")) != NULL)
        ok = load_mattermost(c, v, &cfg->mattermost);
    if (ok && (v = json_object_get(root, "teams")) != NULL)
        ok = load_teams(c, v, &cfg->teams);
    if (ok && (v = json_object_get(root, "schedules")) != NULL)
        ok = load_schedules(c, v, cfg);
    if (ok && (v = json_object_get(root, "web")) != NULL)
        ok = load_web(c, v, &cfg->web);
    json_decref(root);
    return ok && c->why == NULL;
}

static const char *
env(const char *name)
{
    const char *v = getenv(name);

    return (v != NULL && v[0] != '\0') ? v : NULL;
}

static bool
load_env(struct ctx *c, struct config *cfg)
{
    const char *v;

    if ((v = env("VALUESBOT_ORG")) != NULL)
        set(&cfg->default_org, v);
    if ((v = env("VALUESBOT_KB")) != NULL)
        set(&cfg->kb_path, v);
    if ((v = env("VALUESBOT_DB")) != NULL)
        set(&cfg->db_path, v);
    if ((v = env("VALUESBOT_HTTP")) != NULL)
        set(&cfg->http_listen, v);
    if ((v = env("VALUESBOT_LOG_LEVEL")) != NULL)
        set(&cfg->log_level, v);
    if ((v = env("VALUESBOT_LOG_FORMAT")) != NULL) {
        if (strcmp(v, "json") != 0 && strcmp(v, "logfmt") != 0)
            return fail(c, "VALUESBOT_LOG_FORMAT: must be \"logfmt\" or \"json\"");
        cfg->log_json = strcmp(v, "json") == 0;
    }
    if ((v = env("VALUESBOT_DECLINE_THRESHOLD")) != NULL) {
        char *end;
        double d = strtod(v, &end);

        /* Written so that NaN, which compares false with everything, is refused. */
        if (*end != '\0' || !(d >= 0 && d <= 1))
            return fail(c, "VALUESBOT_DECLINE_THRESHOLD: must be a number from 0 to 1");
        cfg->decline_threshold = d;
    }
    if ((v = env("VALUESBOT_RETENTION_DAYS")) != NULL) {
        char *end;
        unsigned long d = strtoul(v, &end, 10);

        if (*end != '\0' || d < 1 || d > 3650)
            return fail(
                c, "VALUESBOT_RETENTION_DAYS: must be a whole number from 1 to 3650");
        cfg->retention_days = (unsigned)d;
    }
    if ((v = env("SLACK_API_URL")) != NULL)
        set(&cfg->slack.url, v);
    if ((v = env("SLACK_APP_TOKEN_FILE")) != NULL &&
        !read_secret(c, "SLACK_APP_TOKEN_FILE", v, &cfg->slack.app_token))
        return false;
    if ((v = env("SLACK_BOT_TOKEN_FILE")) != NULL &&
        !read_secret(c, "SLACK_BOT_TOKEN_FILE", v, &cfg->slack.token))
        return false;
    if ((v = env("SLACK_APP_TOKEN")) != NULL)
        set(&cfg->slack.app_token, v);
    if ((v = env("SLACK_BOT_TOKEN")) != NULL)
        set(&cfg->slack.token, v);
    if ((v = env("MATTERMOST_URL")) != NULL)
        set(&cfg->mattermost.url, v);
    if ((v = env("MATTERMOST_CA_FILE")) != NULL)
        set(&cfg->mattermost.ca_file, v);
    if ((v = env("MATTERMOST_TOKEN_FILE")) != NULL &&
        !read_secret(c, "MATTERMOST_TOKEN_FILE", v, &cfg->mattermost.token))
        return false;
    if ((v = env("MATTERMOST_TOKEN")) != NULL)
        set(&cfg->mattermost.token, v);
    if ((v = env("MICROSOFT_APP_ID")) != NULL)
        set(&cfg->teams.app_id, v);
    if ((v = env("MICROSOFT_APP_TENANT_ID")) != NULL)
        set(&cfg->teams.tenant_id, v);
    if ((v = env("MICROSOFT_APP_PASSWORD_FILE")) != NULL &&
        !read_secret(c, "MICROSOFT_APP_PASSWORD_FILE", v, &cfg->teams.token))
        return false;
    if ((v = env("MICROSOFT_APP_PASSWORD")) != NULL)
        set(&cfg->teams.token, v);
    if ((v = env("TEAMS_OPENID_METADATA_URL")) != NULL)
        set(&cfg->teams.url, v);
    if ((v = env("TEAMS_TOKEN_URL")) != NULL)
        set(&cfg->teams.token_url, v);
    if ((v = env("TEAMS_ALLOWED_SERVICE_URLS")) != NULL)
        set(&cfg->teams.allowed_urls, v);
    if ((v = env("TEAMS_CA_FILE")) != NULL)
        set(&cfg->teams.ca_file, v);
    if ((v = env("VALUESBOT_WEB")) != NULL) {
        if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
            return fail(c, "VALUESBOT_WEB: must be \"on\" or \"off\"");
        cfg->web.enabled = strcmp(v, "on") == 0;
        cfg->web.enabled_set = true;
    }
    if ((v = env("VALUESBOT_WEB_ORIGINS")) != NULL)
        set(&cfg->web.origins, v);
    if ((v = env("VALUESBOT_WEB_TRUSTED_PROXIES")) != NULL)
        set(&cfg->web.trusted_proxies, v);
    if ((v = env("VALUESBOT_WEB_USER_HEADER")) != NULL)
        set(&cfg->web.user_header, v);
    return true;
}

static bool
validate(struct ctx *c, struct config *cfg)
{
    enum log_level level;

    if (!log_level_parse(cfg->log_level, &level))
        return fail(c, "log.level: \"%s\" is not one of error, warn, info, debug",
                    cfg->log_level);
    if (cfg->slack.app_token != NULL && strncmp(cfg->slack.app_token, "xapp-", 5) != 0)
        return fail(c, "slack app token: must be an app-level token starting xapp-");
    if (cfg->slack.token != NULL && strncmp(cfg->slack.token, "xoxb-", 5) != 0)
        return fail(c, "slack bot token: must be a bot token starting xoxb-");
    for (size_t i = 0; i < cfg->nschedules; i++) {
        if (cfg->schedules[i].org == NULL)
            cfg->schedules[i].org = xstrdup(cfg->default_org);
    }
    cfg->slack.configured = cfg->slack.app_token != NULL && cfg->slack.token != NULL;
    cfg->mattermost.configured =
        cfg->mattermost.url != NULL && cfg->mattermost.token != NULL;
    cfg->teams.configured = cfg->teams.app_id != NULL && cfg->teams.token != NULL;
    if (!cfg->web.enabled_set)
        cfg->web.enabled = !cfg->slack.configured && !cfg->mattermost.configured &&
                           !cfg->teams.configured;
    if ((cfg->teams.app_id != NULL) != (cfg->teams.token != NULL))
        return fail(c, "teams: needs both MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD "
                       "(or MICROSOFT_APP_PASSWORD_FILE, teams.app_password_file)");
    if (strncmp(cfg->teams.url, "https://", 8) != 0 &&
        strncmp(cfg->teams.url, "http://", 7) != 0)
        return fail(c, "teams.openid_metadata_url: must start with https:// (or http:// "
                       "to loopback)");
    if (cfg->mattermost.url != NULL && strncmp(cfg->mattermost.url, "https://", 8) != 0 &&
        strncmp(cfg->mattermost.url, "http://", 7) != 0)
        return fail(c,
                    "mattermost.url: must start with https:// (or http:// to loopback)");
    return true;
}

enum bot_err
config_load(const char *path, const char *kb_default, struct config **out, char **why)
{
    struct config *cfg = xcalloc(1, sizeof(*cfg));
    struct ctx c = {0};
    static const char *const slash[] = {"/values", "/goals", "/strategy"};

    *out = NULL;
    *why = NULL;
    cfg->default_org = xstrdup("tewv");
    cfg->kb_path = xstrdup(kb_default);
    cfg->db_path = xstrdup("valuesbot.db");
    cfg->http_listen = xstrdup("127.0.0.1:8080");
    cfg->log_level = xstrdup("info");
    cfg->decline_threshold = 0.5;
    cfg->tie_margin = 0.1;
    cfg->retention_days = 90;
    cfg->web.max_message = 4096;
    cfg->web.max_conns = 2000;
    cfg->web.idle_secs = 900;
    cfg->web.conn_burst = 5;
    cfg->web.conn_per_min = 30;
    cfg->web.addr_burst = 60;
    cfg->web.addr_per_min = 600;
    cfg->slack.url = xstrdup("https://slack.com/api/");
    cfg->teams.url =
        xstrdup("https://login.botframework.com/v1/.well-known/openidconfiguration");
    for (size_t i = 0; i < 3; i++) {
        cfg->slack.slash_commands =
            xreallocarray(cfg->slack.slash_commands, i + 1, sizeof(char *));
        cfg->slack.slash_commands[cfg->slack.nslash++] = xstrdup(slash[i]);
    }
    if (path == NULL)
        path = env("VALUESBOT_CONFIG");
    if (path != NULL) {
        cfg->file = xstrdup(path);
        if (!load_file(&c, cfg, path))
            goto bad;
    }
    if (!load_env(&c, cfg) || !validate(&c, cfg))
        goto bad;
    *out = cfg;
    return BOT_OK;
bad:
    *why = c.why;
    config_free(cfg);
    return c.err ? c.err : BOT_EPARSE;
}

static void
platform_cleanup(struct config_platform *p)
{
    free(p->url);
    xfree_secret(p->token);
    xfree_secret(p->app_token);
    free(p->ca_file);
    free(p->app_id);
    free(p->tenant_id);
    free(p->token_url);
    free(p->allowed_urls);
    for (size_t i = 0; i < p->nslash; i++)
        free(p->slash_commands[i]);
    free(p->slash_commands);
    for (size_t i = 0; i < p->nroutes; i++) {
        free(p->routes[i].scope);
        free(p->routes[i].id);
        free(p->routes[i].org);
    }
    free(p->routes);
}

void
config_free(struct config *cfg)
{
    if (cfg == NULL)
        return;
    free(cfg->file);
    free(cfg->default_org);
    free(cfg->kb_path);
    free(cfg->db_path);
    free(cfg->http_listen);
    free(cfg->log_level);
    platform_cleanup(&cfg->slack);
    platform_cleanup(&cfg->mattermost);
    platform_cleanup(&cfg->teams);
    free(cfg->web.origins);
    free(cfg->web.trusted_proxies);
    free(cfg->web.user_header);
    for (size_t i = 0; i < cfg->nschedules; i++) {
        free(cfg->schedules[i].platform);
        free(cfg->schedules[i].channel);
        free(cfg->schedules[i].org);
        free(cfg->schedules[i].what);
        free(cfg->schedules[i].when);
        free(cfg->schedules[i].tz);
    }
    free(cfg->schedules);
    free(cfg);
}

const char *
config_route_find(const struct config_platform *p, const char *scope, const char *id)
{
    for (size_t i = 0; i < p->nroutes; i++) {
        if (strcmp(p->routes[i].scope, scope) == 0 && strcmp(p->routes[i].id, id) == 0)
            return p->routes[i].org;
    }
    return NULL;
}
