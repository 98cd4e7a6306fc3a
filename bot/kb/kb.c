/*
 * kb.c - the knowledge-base model: JSON in and out, with checking.
 *
 * The loader trusts nothing: a KB file is edited by people and may be
 * truncated, mistyped or not JSON at all.  Every problem becomes one line
 * that names the field, never a crash or an assert.
 */
#include "bot/kb/kb.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "bot/base/file.h"
#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"

struct kb *
kb_new(void)
{
    struct kb *kb = xcalloc(1, sizeof(*kb));

    kb->org = xstrdup("");
    kb->name = xstrdup("");
    kb->short_name = xstrdup("");
    kb->strategy = xstrdup("");
    kb->doc = xstrdup("");
    kb->goals_label = xstrdup("goals");
    return kb;
}

static void
texts_free(struct kb_text *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(t[i].text);
    free(t);
}

static void
strv_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void
kb_free(struct kb *kb)
{
    if (kb == NULL)
        return;
    strv_free(kb->sources, kb->nsources);
    free(kb->org);
    free(kb->name);
    free(kb->short_name);
    free(kb->strategy);
    free(kb->doc);
    free(kb->goals_label);
    free(kb->mission.text);
    free(kb->vision.text);
    for (size_t i = 0; i < kb->ngoals; i++) {
        free(kb->goals[i].title);
        free(kb->goals[i].description);
        texts_free(kb->goals[i].points, kb->goals[i].npoints);
        strv_free(kb->goals[i].aliases, kb->goals[i].naliases);
    }
    free(kb->goals);
    for (size_t i = 0; i < kb->nvalues; i++) {
        free(kb->values[i].name);
        free(kb->values[i].description);
        texts_free(kb->values[i].behaviours, kb->values[i].nbehaviours);
        strv_free(kb->values[i].aliases, kb->values[i].naliases);
    }
    free(kb->values);
    for (size_t i = 0; i < kb->nambitions; i++) {
        free(kb->ambitions[i].kind);
        free(kb->ambitions[i].title);
        free(kb->ambitions[i].text);
    }
    free(kb->ambitions);
    for (size_t i = 0; i < kb->npassages; i++) {
        free(kb->passages[i].section);
        free(kb->passages[i].text);
    }
    free(kb->passages);
    for (size_t i = 0; i < kb->nsynonyms; i++)
        strv_free(kb->synonyms[i].terms, kb->synonyms[i].n);
    free(kb->synonyms);
    free(kb);
}

void
kb_text_push(struct kb_text **arr, size_t *n, const char *text, unsigned line)
{
    *arr = xreallocarray(*arr, *n + 1, sizeof(**arr));
    (*arr)[*n] = (struct kb_text){.text = xstrdup(text), .line = line};
    (*n)++;
}

void
kb_strv_push(char ***arr, size_t *n, const char *s)
{
    *arr = xreallocarray(*arr, *n + 1, sizeof(**arr));
    (*arr)[*n] = xstrdup(s);
    (*n)++;
}

char *
kb_goal_noun(const struct kb *kb, bool capital)
{
    const char *label = kb->goals_label[0] ? kb->goals_label : "goals";
    /* "areas of focus": the noun is "area", not "focus" */
    const char *of = strstr(label, " of ");
    const char *end = of != NULL ? of : label + strlen(label), *start = end;
    char *noun;
    size_t n;

    while (start > label && start[-1] != ' ')
        start--;
    n = (size_t)(end - start);
    noun = xmalloc(n + 1);
    memcpy(noun, start, n);
    noun[n] = '\0';
    if (n > 3 && strcmp(noun + n - 3, "ies") == 0)
        memcpy(noun + n - 3, "y", 2);
    else if (n > 1 && noun[n - 1] == 's' && noun[n - 2] != 's' && noun[n - 2] != 'u')
        noun[n - 1] = '\0'; /* "aims"; not "focus", "progress" */
    if (capital)
        noun[0] = (char)toupper((unsigned char)noun[0]);
    return noun;
}

bool
kb_has_strategy(const struct kb *kb)
{
    /* Values alone are a values page; named, they are the named strategy's. */
    return kb->mission.text != NULL || kb->vision.text != NULL || kb->ngoals > 0 ||
           kb->nambitions > 0 || (kb->nvalues > 0 && kb->strategy[0] != '\0');
}

const char *
kb_strategy_name(const struct kb *kb)
{
    if (!kb_has_strategy(kb))
        return kb->nsources > 1 ? "the pages I was built from"
                                : "the page I was built from";
    return kb->strategy[0] ? kb->strategy : "our strategy";
}

const char *
kb_strategy_title(const struct kb *kb)
{
    if (!kb_has_strategy(kb))
        return kb->nsources > 1 ? "The pages I was built from"
                                : "The page I was built from";
    return kb->strategy[0] ? kb->strategy : "Our strategy";
}

struct kb_value *
kb_value_find(const struct kb *kb, const char *name)
{
    for (size_t i = 0; i < kb->nvalues; i++) {
        if (strcasecmp(kb->values[i].name, name) == 0)
            return &kb->values[i];
    }
    return NULL;
}

struct kb_goal *
kb_goal_find(const struct kb *kb, const char *title)
{
    for (size_t i = 0; i < kb->ngoals; i++) {
        if (strcasecmp(kb->goals[i].title, title) == 0)
            return &kb->goals[i];
    }
    return NULL;
}

/* -- parsing ----------------------------------------------------------- */

struct parse_ctx {
    const struct kb *kb; /* being parsed: its sources, for items' "source" */
    char *why;           /* owned: the first problem found */
};

static bool failf(struct parse_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static bool
failf(struct parse_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    char msg[512];

    if (ctx->why != NULL)
        return false;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    /* A reason is one line: a name quoted from the file may hold control characters. */
    for (char *p = msg; *p; p++) {
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    }
    ctx->why = xstrdup(msg);
    return false;
}

/* Reads string member @key of @obj into a new string; @required decides absence. */
static bool
get_str(struct parse_ctx *ctx, json_t *obj, const char *path, const char *key,
        bool required, bool nonempty, char **out)
{
    json_t *v = json_object_get(obj, key);

    if (v == NULL || json_is_null(v)) {
        if (required)
            return failf(ctx, "%s.%s: missing", path, key);
        *out = xstrdup("");
        return true;
    }
    if (!json_is_string(v))
        return failf(ctx, "%s.%s: must be a string", path, key);
    if (nonempty && json_string_length(v) == 0)
        return failf(ctx, "%s.%s: must not be empty", path, key);
    if (strlen(json_string_value(v)) != json_string_length(v))
        return failf(ctx, "%s.%s: contains a NUL character", path, key);
    *out = xstrdup(json_string_value(v));
    return true;
}

static bool
get_line(struct parse_ctx *ctx, json_t *obj, const char *path, unsigned *out)
{
    json_t *v = json_object_get(obj, "line");

    *out = 0;
    if (v == NULL || json_is_null(v))
        return true;
    if (!json_is_integer(v) || json_integer_value(v) < 0 ||
        json_integer_value(v) > 100000000)
        return failf(ctx, "%s.line: must be a line number", path);
    *out = (unsigned)json_integer_value(v);
    return true;
}

/* The optional "page" (of a PDF) and "source" (index into "sources") of an item. */
static bool
get_where(struct parse_ctx *ctx, json_t *obj, const char *path, const struct kb *kb,
          unsigned *page, unsigned *src)
{
    json_t *p = json_object_get(obj, "page"), *s = json_object_get(obj, "source");

    *page = *src = 0;
    if (p != NULL && !json_is_null(p)) {
        if (!json_is_integer(p) || json_integer_value(p) < 0 ||
            json_integer_value(p) > 1000000)
            return failf(ctx, "%s.page: must be a page number", path);
        *page = (unsigned)json_integer_value(p);
    }
    if (s != NULL && !json_is_null(s)) {
        if (!json_is_integer(s) || json_integer_value(s) < 0 ||
            (size_t)json_integer_value(s) >= (kb->nsources ? kb->nsources : 1))
            return failf(ctx, "%s.source: must index \"sources\"", path);
        *src = (unsigned)json_integer_value(s);
    }
    return true;
}

static bool
get_origin(struct parse_ctx *ctx, json_t *obj, const char *path, bool *overlay)
{
    json_t *v = json_object_get(obj, "origin");

    *overlay = false;
    if (v == NULL)
        return true;
    if (!json_is_string(v))
        return failf(ctx, "%s.origin: must be \"document\" or \"overlay\"", path);
    if (strcmp(json_string_value(v), "overlay") == 0)
        *overlay = true;
    else if (strcmp(json_string_value(v), "document") != 0)
        return failf(ctx, "%s.origin: must be \"document\" or \"overlay\"", path);
    return true;
}

static bool
get_array(struct parse_ctx *ctx, json_t *obj, const char *path, const char *key,
          json_t **out)
{
    json_t *v = json_object_get(obj, key);

    *out = v;
    if (v == NULL || json_is_null(v)) {
        *out = NULL;
        return true;
    }
    if (!json_is_array(v))
        return failf(ctx, "%s.%s: must be an array", path, key);
    return true;
}

/* A statement (mission, vision) or a list item: {"text": ..., "line": N}. */
static bool
get_text_obj(struct parse_ctx *ctx, json_t *v, const char *path, struct kb_text *t)
{
    if (!json_is_object(v))
        return failf(ctx, "%s: must be an object with \"text\"", path);
    if (!get_str(ctx, v, path, "text", true, true, &t->text))
        return false;
    return get_line(ctx, v, path, &t->line) &&
           get_where(ctx, v, path, ctx->kb, &t->page, &t->src) &&
           get_origin(ctx, v, path, &t->overlay);
}

static bool
get_texts(struct parse_ctx *ctx, json_t *obj, const char *path, const char *key,
          struct kb_text **arr, size_t *n)
{
    json_t *a, *v;
    size_t i;
    char sub[160];

    if (!get_array(ctx, obj, path, key, &a))
        return false;
    if (a == NULL)
        return true;
    json_array_foreach(a, i, v)
    {
        struct kb_text t = {0};

        snprintf(sub, sizeof(sub), "%s.%s[%zu]", path, key, i);
        if (!get_text_obj(ctx, v, sub, &t)) {
            free(t.text);
            return false;
        }
        for (size_t k = 0; k < *n; k++) {
            if (strcasecmp((*arr)[k].text, t.text) == 0) {
                failf(ctx, "%s: duplicate \"%s\"", sub, t.text);
                free(t.text);
                return false;
            }
        }
        *arr = xreallocarray(*arr, *n + 1, sizeof(**arr));
        (*arr)[(*n)++] = t;
    }
    return true;
}

static bool
get_strv(struct parse_ctx *ctx, json_t *obj, const char *path, const char *key,
         char ***arr, size_t *n)
{
    json_t *a, *v;
    size_t i;

    if (!get_array(ctx, obj, path, key, &a))
        return false;
    if (a == NULL)
        return true;
    json_array_foreach(a, i, v)
    {
        if (!json_is_string(v) || json_string_length(v) == 0 ||
            strlen(json_string_value(v)) != json_string_length(v))
            return failf(ctx, "%s.%s[%zu]: must be a non-empty string", path, key, i);
        kb_strv_push(arr, n, json_string_value(v));
    }
    return true;
}

static bool
parse_goals(struct parse_ctx *ctx, json_t *root, struct kb *kb)
{
    json_t *a, *v;
    size_t i;
    char path[64];

    if (!get_array(ctx, root, "kb", "goals", &a) || a == NULL)
        return ctx->why == NULL;
    kb->goals = xcalloc(json_array_size(a), sizeof(*kb->goals));
    json_array_foreach(a, i, v)
    {
        struct kb_goal *g = &kb->goals[i];
        json_t *num;

        snprintf(path, sizeof(path), "goals[%zu]", i);
        kb->ngoals = i + 1;
        if (!json_is_object(v))
            return failf(ctx, "%s: must be an object", path);
        if (!get_str(ctx, v, path, "title", true, true, &g->title) ||
            !get_str(ctx, v, path, "description", false, false, &g->description) ||
            !get_texts(ctx, v, path, "points", &g->points, &g->npoints) ||
            !get_strv(ctx, v, path, "aliases", &g->aliases, &g->naliases) ||
            !get_line(ctx, v, path, &g->line) ||
            !get_where(ctx, v, path, kb, &g->page, &g->src) ||
            !get_origin(ctx, v, path, &g->overlay))
            return false;
        num = json_object_get(v, "number");
        if (!json_is_integer(num) || json_integer_value(num) < 1 ||
            json_integer_value(num) > 1000)
            return failf(ctx, "%s.number: must be a whole number from 1", path);
        g->number = (unsigned)json_integer_value(num);
        for (size_t k = 0; k < i; k++) {
            if (strcasecmp(kb->goals[k].title, g->title) == 0)
                return failf(ctx, "%s: duplicate goal \"%s\"", path, g->title);
            if (kb->goals[k].number == g->number)
                return failf(ctx, "%s: duplicate goal number %u", path, g->number);
        }
    }
    return true;
}

static bool
parse_values(struct parse_ctx *ctx, json_t *root, struct kb *kb)
{
    json_t *a, *v;
    size_t i;
    char path[64];

    if (!get_array(ctx, root, "kb", "values", &a) || a == NULL)
        return ctx->why == NULL;
    kb->values = xcalloc(json_array_size(a), sizeof(*kb->values));
    json_array_foreach(a, i, v)
    {
        struct kb_value *val = &kb->values[i];

        snprintf(path, sizeof(path), "values[%zu]", i);
        kb->nvalues = i + 1;
        if (!json_is_object(v))
            return failf(ctx, "%s: must be an object", path);
        if (!get_str(ctx, v, path, "name", true, true, &val->name) ||
            !get_str(ctx, v, path, "description", false, false, &val->description) ||
            !get_texts(ctx, v, path, "behaviours", &val->behaviours, &val->nbehaviours) ||
            !get_strv(ctx, v, path, "aliases", &val->aliases, &val->naliases) ||
            !get_line(ctx, v, path, &val->line) ||
            !get_where(ctx, v, path, kb, &val->page, &val->src) ||
            !get_origin(ctx, v, path, &val->overlay))
            return false;
        for (size_t k = 0; k < i; k++) {
            if (strcasecmp(kb->values[k].name, val->name) == 0)
                return failf(ctx, "%s: duplicate value \"%s\"", path, val->name);
        }
    }
    return true;
}

static bool
parse_ambitions(struct parse_ctx *ctx, json_t *root, struct kb *kb)
{
    json_t *a, *v;
    size_t i;
    char path[64];

    if (!get_array(ctx, root, "kb", "ambitions", &a) || a == NULL)
        return ctx->why == NULL;
    kb->ambitions = xcalloc(json_array_size(a), sizeof(*kb->ambitions));
    json_array_foreach(a, i, v)
    {
        struct kb_ambition *am = &kb->ambitions[i];

        snprintf(path, sizeof(path), "ambitions[%zu]", i);
        kb->nambitions = i + 1;
        if (!json_is_object(v))
            return failf(ctx, "%s: must be an object", path);
        if (!get_str(ctx, v, path, "kind", true, true, &am->kind) ||
            !get_str(ctx, v, path, "title", false, false, &am->title) ||
            !get_str(ctx, v, path, "text", true, true, &am->text) ||
            !get_line(ctx, v, path, &am->line) ||
            !get_where(ctx, v, path, kb, &am->page, &am->src) ||
            !get_origin(ctx, v, path, &am->overlay))
            return false;
    }
    return true;
}

static bool
parse_passages(struct parse_ctx *ctx, json_t *root, struct kb *kb)
{
    json_t *a, *v;
    size_t i;
    char path[64];

    if (!get_array(ctx, root, "kb", "passages", &a) || a == NULL)
        return ctx->why == NULL;
    kb->passages = xcalloc(json_array_size(a), sizeof(*kb->passages));
    json_array_foreach(a, i, v)
    {
        struct kb_passage *p = &kb->passages[i];

        snprintf(path, sizeof(path), "passages[%zu]", i);
        kb->npassages = i + 1;
        if (!json_is_object(v))
            return failf(ctx, "%s: must be an object", path);
        if (!get_str(ctx, v, path, "section", false, false, &p->section) ||
            !get_str(ctx, v, path, "text", true, true, &p->text) ||
            !get_line(ctx, v, path, &p->line) ||
            !get_where(ctx, v, path, kb, &p->page, &p->src))
            return false;
    }
    return true;
}

static bool
parse_synonyms(struct parse_ctx *ctx, json_t *root, struct kb *kb)
{
    json_t *a, *v;
    size_t i;
    char path[64];

    if (!get_array(ctx, root, "kb", "synonyms", &a) || a == NULL)
        return ctx->why == NULL;
    kb->synonyms = xcalloc(json_array_size(a), sizeof(*kb->synonyms));
    json_array_foreach(a, i, v)
    {
        json_t *wrap;
        bool ok;

        snprintf(path, sizeof(path), "synonyms[%zu]", i);
        kb->nsynonyms = i + 1;
        if (!json_is_array(v) || json_array_size(v) < 2)
            return failf(ctx, "%s: must be an array of two or more phrases", path);
        wrap = json_pack("{sO}", "terms", v);
        ok = get_strv(ctx, wrap, path, "terms", &kb->synonyms[i].terms,
                      &kb->synonyms[i].n);
        json_decref(wrap);
        if (!ok)
            return false;
    }
    return true;
}

static bool
parse_statement(struct parse_ctx *ctx, json_t *root, const char *key, struct kb_text *t)
{
    json_t *v = json_object_get(root, key);

    if (v == NULL || json_is_null(v))
        return true;
    return get_text_obj(ctx, v, key, t);
}

static bool
check_org_id(struct parse_ctx *ctx, const char *org)
{
    for (const char *p = org; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_'))
            return failf(ctx, "kb.org: \"%s\" must be lower-case letters, digits, - or _",
                         org);
    }
    return true;
}

enum bot_err
kb_parse(const char *buf, size_t len, struct kb **out, char **why)
{
    struct parse_ctx ctx = {0};
    json_error_t jerr;
    json_t *root = NULL, *schema;
    struct kb *kb = NULL;
    size_t bad;
    bool ok;

    *out = NULL;
    *why = NULL;
    if (!utf8_is_valid(buf, len, &bad)) {
        if (memchr(buf, '\0', len) != NULL)
            *why = xasprintf("binary data (NUL byte at offset %zu), not a KB file",
                             (size_t)((const char *)memchr(buf, '\0', len) - buf));
        else
            *why = xasprintf("invalid UTF-8 at byte offset %zu", bad);
        return BOT_EPARSE;
    }
    root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        *why = xasprintf("invalid JSON at line %d, column %d: %s", jerr.line, jerr.column,
                         jerr.text);
        return BOT_EPARSE;
    }
    if (!json_is_object(root)) {
        *why = xstrdup("the top level must be a JSON object");
        json_decref(root);
        return BOT_EPARSE;
    }
    schema = json_object_get(root, "schema");
    if (schema != NULL &&
        (!json_is_integer(schema) || json_integer_value(schema) != KB_SCHEMA)) {
        *why =
            xasprintf("kb.schema: unsupported (this build reads schema %d)", KB_SCHEMA);
        json_decref(root);
        return BOT_EPARSE;
    }
    kb = xcalloc(1, sizeof(*kb));
    ctx.kb = kb;
    ok = get_strv(&ctx, root, "kb", "sources", &kb->sources, &kb->nsources) &&
         get_str(&ctx, root, "kb", "org", true, true, &kb->org) &&
         check_org_id(&ctx, kb->org) &&
         get_str(&ctx, root, "kb", "name", true, true, &kb->name) &&
         get_str(&ctx, root, "kb", "short_name", false, false, &kb->short_name) &&
         get_str(&ctx, root, "kb", "strategy", false, false, &kb->strategy) &&
         get_str(&ctx, root, "kb", "doc", false, false, &kb->doc) &&
         get_str(&ctx, root, "kb", "goals_label", false, false, &kb->goals_label) &&
         parse_statement(&ctx, root, "mission", &kb->mission) &&
         parse_statement(&ctx, root, "vision", &kb->vision) &&
         parse_goals(&ctx, root, kb) && parse_values(&ctx, root, kb) &&
         parse_ambitions(&ctx, root, kb) && parse_passages(&ctx, root, kb) &&
         parse_synonyms(&ctx, root, kb);
    if (ok && kb->goals_label[0] == '\0') {
        free(kb->goals_label);
        kb->goals_label = xstrdup("goals");
    }
    /* kb build keeps a page that states no values or goals as its statements and
       passages: the bot answers from them and declines the rest */
    if (ok && kb->ngoals == 0 && kb->nvalues == 0 && kb->mission.text == NULL &&
        kb->vision.text == NULL && kb->nambitions == 0 && kb->npassages == 0)
        ok = failf(&ctx, "kb: no mission, vision, goals, values or passages: nothing to "
                         "answer from");
    json_decref(root);
    if (!ok) {
        kb_free(kb);
        *why = ctx.why;
        return BOT_EPARSE;
    }
    *out = kb;
    return BOT_OK;
}

enum bot_err
kb_load_file(const char *path, struct kb **out, char **why)
{
    char *data;
    size_t len;
    enum bot_err err;

    *out = NULL;
    *why = NULL;
    err = file_read(path, KB_MAX_FILE, &data, &len);
    if (err == BOT_ELIMIT) {
        *why = xasprintf("file is larger than the %u MiB limit for a KB",
                         KB_MAX_FILE / (1024 * 1024));
        return err;
    }
    if (err) {
        *why = xasprintf("cannot read: %s", strerror(errno));
        return err;
    }
    err = kb_parse(data, len, out, why);
    free(data);
    return err;
}

/* -- formatting -------------------------------------------------------- */

/* Adds "page" and "source" to @o when they say something; returns @o. */
static json_t *
where(json_t *o, unsigned page, unsigned src)
{
    if (page > 0)
        json_object_set_new(o, "page", json_integer(page));
    if (src > 0)
        json_object_set_new(o, "source", json_integer(src));
    return o;
}

static json_t *
text_obj(const struct kb_text *t)
{
    json_t *o;

    if (t->text == NULL)
        return json_null();
    o = where(json_pack("{sssI}", "text", t->text, "line", (json_int_t)t->line), t->page,
              t->src);
    if (t->overlay)
        json_object_set_new(o, "origin", json_string("overlay"));
    return o;
}

static json_t *
texts_arr(const struct kb_text *t, size_t n)
{
    json_t *a = json_array();

    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, text_obj(&t[i]));
    return a;
}

static json_t *
strv_arr(char *const *v, size_t n)
{
    json_t *a = json_array();

    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

static const char *
origin(bool overlay)
{
    return overlay ? "overlay" : "document";
}

char *
kb_format(const struct kb *kb)
{
    json_t *root, *a;
    char *text, *out;

    root = json_pack("{sisssssssssssssoso}", "schema", KB_SCHEMA, "org", kb->org, "name",
                     kb->name, "short_name", kb->short_name, "strategy", kb->strategy,
                     "doc", kb->doc, "goals_label", kb->goals_label, "mission",
                     text_obj(&kb->mission), "vision", text_obj(&kb->vision));
    if (kb->nsources > 1)
        json_object_set_new(root, "sources", strv_arr(kb->sources, kb->nsources));
    a = json_array();
    for (size_t i = 0; i < kb->ngoals; i++) {
        const struct kb_goal *g = &kb->goals[i];

        json_array_append_new(
            a, where(json_pack("{sIsssssososIss}", "number", (json_int_t)g->number,
                               "title", g->title, "description", g->description, "points",
                               texts_arr(g->points, g->npoints), "aliases",
                               strv_arr(g->aliases, g->naliases), "line",
                               (json_int_t)g->line, "origin", origin(g->overlay)),
                     g->page, g->src));
    }
    json_object_set_new(root, "goals", a);
    a = json_array();
    for (size_t i = 0; i < kb->nvalues; i++) {
        const struct kb_value *v = &kb->values[i];

        json_array_append_new(
            a, where(json_pack("{sssssososIss}", "name", v->name, "description",
                               v->description, "behaviours",
                               texts_arr(v->behaviours, v->nbehaviours), "aliases",
                               strv_arr(v->aliases, v->naliases), "line",
                               (json_int_t)v->line, "origin", origin(v->overlay)),
                     v->page, v->src));
    }
    json_object_set_new(root, "values", a);
    a = json_array();
    for (size_t i = 0; i < kb->nambitions; i++) {
        const struct kb_ambition *am = &kb->ambitions[i];

        json_array_append_new(
            a, where(json_pack("{sssssssIss}", "kind", am->kind, "title", am->title,
                               "text", am->text, "line", (json_int_t)am->line, "origin",
                               origin(am->overlay)),
                     am->page, am->src));
    }
    json_object_set_new(root, "ambitions", a);
    a = json_array();
    for (size_t i = 0; i < kb->nsynonyms; i++)
        json_array_append_new(a, strv_arr(kb->synonyms[i].terms, kb->synonyms[i].n));
    json_object_set_new(root, "synonyms", a);
    a = json_array();
    for (size_t i = 0; i < kb->npassages; i++) {
        const struct kb_passage *p = &kb->passages[i];

        json_array_append_new(a,
                              where(json_pack("{sssssI}", "section", p->section, "text",
                                              p->text, "line", (json_int_t)p->line),
                                    p->page, p->src));
    }
    json_object_set_new(root, "passages", a);
    text = json_dumps(root, JSON_INDENT(2));
    json_decref(root);
    out = xasprintf("%s\n", text);
    free(text);
    return out;
}
