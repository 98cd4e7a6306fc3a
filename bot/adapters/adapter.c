/* adapter.c - the list of compiled-in platforms, lookup by kind, and the loop for the
 * core. */
#include "bot/adapters/adapter.h"
#include "bot/adapters/adapter_int.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bot/adapters/jsonpick.h"
#include "bot/base/xmalloc.h"
#include "bot/net/httpd.h"
#include "bot/net/loop.h"

extern const struct adapter_ops slack_adapter_ops;
extern const struct adapter_ops mattermost_adapter_ops;
extern const struct adapter_ops teams_adapter_ops;
extern const struct adapter_ops web_adapter_ops;

/* Adding a platform: one extern above, one line here, one file. */
static const struct adapter_ops *const adapters[] = {
    &slack_adapter_ops,
    &mattermost_adapter_ops,
    &teams_adapter_ops,
    &web_adapter_ops,
};

const struct adapter_ops *
adapter_ops_find(const char *kind)
{
    for (size_t i = 0; i < sizeof(adapters) / sizeof(adapters[0]); i++) {
        if (strcmp(adapters[i]->kind, kind) == 0)
            return adapters[i];
    }
    return NULL;
}

const struct adapter_ops *
adapter_ops_at(size_t i)
{
    return i < sizeof(adapters) / sizeof(adapters[0]) ? adapters[i] : NULL;
}

enum bot_err
adapter_ops_check(const struct adapter_ops *ops)
{
    if (ops->kind == NULL || ops->create == NULL || ops->connect == NULL ||
        ops->parse == NULL || ops->send == NULL || ops->shutdown == NULL ||
        ops->destroy == NULL)
        return BOT_EINVAL;
    return BOT_OK;
}

struct net_loop *
adapter_loop_new(void)
{
    return net_loop_new();
}

void
adapter_loop_free(struct net_loop *loop)
{
    net_loop_free(loop);
}

void
adapter_loop_run(struct net_loop *loop)
{
    net_loop_run(loop);
}

void
adapter_loop_stop(struct net_loop *loop)
{
    net_loop_stop(loop);
}

enum bot_err
adapter_loop_on_signal(struct net_loop *loop, int signum, adapter_signal_fn *fn,
                       void *arg)
{
    return net_loop_on_signal(loop, signum, fn, arg);
}

struct net_timer *
adapter_timer_new(struct net_loop *loop, adapter_timer_fn *fn, void *arg)
{
    return net_timer_new(loop, fn, arg);
}

void
adapter_timer_start(struct net_timer *t, uint64_t ms)
{
    net_timer_start(t, ms);
}

void
adapter_timer_stop(struct net_timer *t)
{
    net_timer_stop(t);
}

void
adapter_timer_free(struct net_timer *t)
{
    net_timer_free(t);
}

enum bot_err
adapter_http_listen(struct net_loop *loop, const char *listen, adapter_http_fn *fn,
                    void *arg, int *port, char **why)
{
    return net_httpd_start(loop, listen, fn, arg, port, why);
}

enum bot_err
adapter_http_call(const char *listen, const char *method, const char *path, long *status,
                  char **body, char **why)
{
    return net_httpd_call(listen, method, path, status, body, why);
}

const char *
adapter_jstr(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

char *
adapter_json_id(const char *body, size_t len)
{
    json_t *root = json_loadb(body, len, 0, NULL);
    const char *id = adapter_jstr(root, "id");
    char *out = id != NULL && *id != '\0' ? xstrdup(id) : NULL;

    json_decref(root);
    return out;
}

unsigned
adapter_env_uint(const char *name, unsigned def, unsigned max)
{
    const char *v = getenv(name);
    char *end;
    unsigned long n;

    if (v == NULL || *v == '\0')
        return def;
    n = strtoul(v, &end, 10);
    return (*end != '\0' || n == 0 || n > max) ? def : (unsigned)n;
}

/* ---- Reading one member of a JSON object ------------------------------ */

static const char *
skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

const char *
adapter_json_skip_ws(const char *p, const char *end)
{
    return skip_ws(p, end);
}

/* @p at a '"': returns the byte after the closing quote, or NULL. */
static const char *
skip_string(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        p += jsonpick_plain_len(p, (size_t)(end - p), NULL);
        if (p >= end)
            break;
        if (*p == '\\')
            p++;
        else if (*p == '"')
            return p + 1;
    }
    return NULL;
}

/* Returns the byte after the value at @p, or NULL when it is broken. */
static const char *
skip_value(const char *p, const char *end)
{
    const char *start = p;
    unsigned depth = 0;

    if (p < end && *p == '"')
        return skip_string(p, end);
    if (p < end && (*p == '{' || *p == '[')) {
        while (p < end) {
            if (*p == '"') {
                if ((p = skip_string(p, end)) == NULL)
                    return NULL;
                continue;
            }
            if (*p == '{' || *p == '[')
                depth++;
            else if ((*p == '}' || *p == ']') && --depth == 0)
                return p + 1;
            p++;
        }
        return NULL;
    }
    while (p < end && (isalnum((unsigned char)*p) || *p == '-' || *p == '+' || *p == '.'))
        p++;
    return p > start ? p : NULL;
}

const char *
adapter_json_skip_string(const char *p, const char *end)
{
    return skip_string(p, end);
}

const char *
adapter_json_skip_value(const char *p, const char *end)
{
    return skip_value(p, end);
}

/* adapter_json_member(), or with @first adapter_json_first(). */
static int
json_member(const char *s, size_t len, const char *key, const char **val, size_t *vlen,
            bool first)
{
    const char *p, *end, *k, *v;
    size_t klen = strlen(key);
    int found = 0;

    if (s == NULL)
        return -1;
    end = s + len;
    p = skip_ws(s, end);
    if (p == end || *p != '{')
        return -1;
    p = skip_ws(p + 1, end);
    if (p < end && *p == '}')
        return skip_ws(p + 1, end) == end ? 0 : -1;
    for (;;) {
        if (p == end || *p != '"')
            return -1;
        k = p + 1;
        if ((p = skip_string(p, end)) == NULL)
            return -1;
        if (found == 0 && (size_t)(p - 1 - k) == klen && memcmp(k, key, klen) == 0)
            found = 1;
        else if (found == 1)
            found = 2; /* a later member: the one found stays */
        p = skip_ws(p, end);
        if (p == end || *p != ':')
            return -1;
        v = p = skip_ws(p + 1, end);
        if ((p = skip_value(p, end)) == NULL)
            return -1;
        if (found == 1) {
            *val = v;
            *vlen = (size_t)(p - v);
            if (first)
                return 1;
        }
        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p = skip_ws(p + 1, end);
            continue;
        }
        if (p < end && *p == '}')
            return skip_ws(p + 1, end) == end ? (found != 0) : -1;
        return -1;
    }
}

int
adapter_json_member(const char *s, size_t len, const char *key, const char **val,
                    size_t *vlen)
{
    return json_member(s, len, key, val, vlen, false);
}

int
adapter_json_first(const char *s, size_t len, const char *key, const char **val,
                   size_t *vlen)
{
    return json_member(s, len, key, val, vlen, true);
}
