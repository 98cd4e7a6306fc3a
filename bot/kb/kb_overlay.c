/* kb_overlay.c - curated additions merged into a built KB. */
#include "bot/kb/kb_overlay.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"

/* Checks that every key of @obj is one of @allowed (NULL-terminated). */
static bool
keys_known(json_t *obj, const char *const *allowed, const char *path, char **why)
{
    const char *key;
    json_t *v;

    json_object_foreach(obj, key, v)
    {
        bool ok = false;

        for (size_t i = 0; allowed[i] != NULL && !ok; i++)
            ok = strcmp(key, allowed[i]) == 0;
        if (!ok) {
            *why = xasprintf("%s: unknown key \"%s\"", path, key);
            return false;
        }
    }
    return true;
}

static bool
set_string(json_t *obj, const char *key, const char *path, char **dst, char **why)
{
    json_t *v = json_object_get(obj, key);

    if (v == NULL)
        return true;
    if (!json_is_string(v)) {
        *why = xasprintf("%s.%s: must be a string", path, key);
        return false;
    }
    free(*dst);
    *dst = xstrdup(json_string_value(v));
    return true;
}

static bool
string_list(json_t *arr, const char *path, char ***out, size_t *n, char **why)
{
    size_t i;
    json_t *v;

    if (!json_is_array(arr)) {
        *why = xasprintf("%s: must be an array of strings", path);
        return false;
    }
    json_array_foreach(arr, i, v)
    {
        if (!json_is_string(v) || json_string_length(v) == 0) {
            *why = xasprintf("%s[%zu]: must be a non-empty string", path, i);
            return false;
        }
        kb_strv_push(out, n, json_string_value(v));
    }
    return true;
}

static bool
set_statement(json_t *obj, const char *key, struct kb_text *t, char **why)
{
    json_t *v = json_object_get(obj, key), *text, *line;

    if (v == NULL)
        return true;
    if (json_is_null(v)) {
        free(t->text);
        *t = (struct kb_text){0};
        return true;
    }
    text = json_object_get(v, "text");
    line = json_object_get(v, "line");
    if (!json_is_object(v) || !json_is_string(text) || json_string_length(text) == 0 ||
        (line != NULL && (!json_is_integer(line) || json_integer_value(line) < 0))) {
        *why = xasprintf("overlay.%s: must be {\"text\": \"...\", \"line\": N} or null",
                         key);
        return false;
    }
    free(t->text);
    t->text = xstrdup(json_string_value(text));
    t->line = line ? (unsigned)json_integer_value(line) : 0;
    t->overlay = true;
    return true;
}

static bool
merge_values(struct kb *kb, json_t *obj, char **why)
{
    static const char *const keys[] = {"aliases", "description", "behaviours", NULL};
    const char *name;
    json_t *v;

    if (!json_is_object(obj)) {
        *why = xstrdup("overlay.values: must be an object keyed by value name");
        return false;
    }
    json_object_foreach(obj, name, v)
    {
        struct kb_value *val = kb_value_find(kb, name);
        char path[160];
        json_t *a;

        snprintf(path, sizeof(path), "overlay.values.%s", name);
        if (val == NULL) {
            *why = xasprintf("%s: the KB has no value of that name", path);
            return false;
        }
        if (!json_is_object(v)) {
            *why = xasprintf("%s: must be an object", path);
            return false;
        }
        if (!keys_known(v, keys, path, why))
            return false;
        if ((a = json_object_get(v, "aliases")) != NULL &&
            !string_list(a, path, &val->aliases, &val->naliases, why))
            return false;
        if (!set_string(v, "description", path, &val->description, why))
            return false;
        if ((a = json_object_get(v, "behaviours")) != NULL) {
            char **list = NULL;
            size_t n = 0;

            if (!string_list(a, path, &list, &n, why))
                return false;
            for (size_t i = 0; i < n; i++) {
                kb_text_push(&val->behaviours, &val->nbehaviours, list[i], val->line);
                val->behaviours[val->nbehaviours - 1].overlay = true;
                free(list[i]);
            }
            free(list);
        }
        val->overlay = true;
    }
    return true;
}

static struct kb_goal *
goal_by_key(struct kb *kb, const char *key)
{
    char *end;
    unsigned long n = strtoul(key, &end, 10);

    if (*key && *end == '\0') {
        for (size_t i = 0; i < kb->ngoals; i++) {
            if (kb->goals[i].number == n)
                return &kb->goals[i];
        }
        return NULL;
    }
    return kb_goal_find(kb, key);
}

static bool
merge_goals(struct kb *kb, json_t *obj, char **why)
{
    static const char *const keys[] = {"aliases", "title", "description", NULL};
    const char *key;
    json_t *v;

    if (!json_is_object(obj)) {
        *why = xstrdup("overlay.goals: must be an object keyed by goal number or title");
        return false;
    }
    json_object_foreach(obj, key, v)
    {
        struct kb_goal *g = goal_by_key(kb, key);
        char path[160];
        json_t *a;

        snprintf(path, sizeof(path), "overlay.goals.%s", key);
        if (g == NULL) {
            *why = xasprintf("%s: the KB has no goal with that number or title", path);
            return false;
        }
        if (!json_is_object(v)) {
            *why = xasprintf("%s: must be an object", path);
            return false;
        }
        if (!keys_known(v, keys, path, why))
            return false;
        if ((a = json_object_get(v, "aliases")) != NULL &&
            !string_list(a, path, &g->aliases, &g->naliases, why))
            return false;
        if (!set_string(v, "title", path, &g->title, why) ||
            !set_string(v, "description", path, &g->description, why))
            return false;
        g->overlay = true;
    }
    return true;
}

static bool
add_ambitions(struct kb *kb, json_t *arr, char **why)
{
    static const char *const keys[] = {"kind", "title", "text", "line", NULL};
    size_t i;
    json_t *v;

    if (!json_is_array(arr)) {
        *why = xstrdup("overlay.ambitions: must be an array");
        return false;
    }
    json_array_foreach(arr, i, v)
    {
        const char *kind = NULL, *title = "", *text = NULL;
        json_int_t line = 0;
        char path[64];

        snprintf(path, sizeof(path), "overlay.ambitions[%zu]", i);
        if (!json_is_object(v) || !keys_known(v, keys, path, why) ||
            json_unpack(v, "{s:s, s?s, s:s, s?I}", "kind", &kind, "title", &title, "text",
                        &text, "line", &line) != 0 ||
            text[0] == '\0' || line < 0) {
            if (*why == NULL)
                *why = xasprintf("%s: needs \"kind\" and \"text\" strings", path);
            return false;
        }
        kb->ambitions =
            xreallocarray(kb->ambitions, kb->nambitions + 1, sizeof(*kb->ambitions));
        kb->ambitions[kb->nambitions++] = (struct kb_ambition){
            .kind = xstrdup(kind),
            .title = xstrdup(title),
            .text = xstrdup(text),
            .line = (unsigned)line,
            .overlay = true,
        };
    }
    return true;
}

/*
 * Reads the optional @key (an array of non-empty strings) of @obj into *out
 * (appended); absent is no error.
 */
static bool
opt_strings(json_t *obj, const char *key, const char *path, char ***out, size_t *n,
            char **why)
{
    json_t *a = json_object_get(obj, key);
    char sub[200];

    if (a == NULL)
        return true;
    snprintf(sub, sizeof(sub), "%s.%s", path, key);
    return string_list(a, sub, out, n, why);
}

/* Reads @path's required, non-empty string @key into *out (borrowed). */
static bool
required_string(json_t *obj, const char *key, const char *path, const char **out,
                char **why)
{
    json_t *v = json_object_get(obj, key);

    if (!json_is_string(v) || json_string_length(v) == 0) {
        *why = xasprintf("%s: needs a non-empty \"%s\" string", path, key);
        return false;
    }
    *out = json_string_value(v);
    return true;
}

/* Appends the strings of @list (freed) to @arr as texts from the overlay. */
static void
push_overlay_texts(struct kb_text **arr, size_t *n, char **list, size_t nlist)
{
    for (size_t i = 0; i < nlist; i++) {
        kb_text_push(arr, n, list[i], 0);
        (*arr)[*n - 1].overlay = true;
        free(list[i]);
    }
    free(list);
}

static void
free_strings(char **list, size_t n)
{
    for (size_t k = 0; k < n; k++)
        free(list[k]);
    free(list);
}

/*
 * Reads the object @v at @path of an "add" list: only @keys, a string under
 * @namekey (*name).  Returns false with *why set.
 */
static bool
added_entry(json_t *v, const char *const *keys, const char *path, const char *namekey,
            const char **name, char **why)
{
    if (!json_is_object(v)) {
        *why = xasprintf("%s: must be an object", path);
        return false;
    }
    return keys_known(v, keys, path, why) && required_string(v, namekey, path, name, why);
}

/*
 * Reads what an added item may carry besides its name: "description" (*desc,
 * "" if absent), the strings under @listkey and "aliases".  On false nothing is
 * left allocated and *why is set.
 */
static bool
added_texts(json_t *v, const char *path, const char *listkey, const char **desc,
            char ***list, size_t *nlist, char ***aliases, size_t *naliases, char **why)
{
    json_t *d = json_object_get(v, "description");

    if (d != NULL && !json_is_string(d)) {
        *why = xasprintf("%s.description: must be a string", path);
        return false;
    }
    *desc = d != NULL ? json_string_value(d) : "";
    if (!opt_strings(v, listkey, path, list, nlist, why) ||
        !opt_strings(v, "aliases", path, aliases, naliases, why)) {
        free_strings(*list, *nlist);
        free_strings(*aliases, *naliases);
        *list = *aliases = NULL;
        *nlist = *naliases = 0;
        return false;
    }
    return true;
}

/*
 * "add": {"values": [{"name", "description", "behaviours", "aliases"}],
 * "goals": [{"title", "description", "points", "aliases"}]} - values and goals
 * the page states in a way the builder did not read (a picture, a diagram),
 * added by a content owner.  A name the KB already has is an error: change it
 * under "values" or "goals" instead.
 */
static bool
add_values(struct kb *kb, json_t *arr, char **why)
{
    static const char *const keys[] = {"name", "description", "behaviours", "aliases",
                                       NULL};
    size_t i;
    json_t *v;

    if (!json_is_array(arr)) {
        *why = xstrdup("overlay.add.values: must be an array of objects");
        return false;
    }
    json_array_foreach(arr, i, v)
    {
        struct kb_value val = {0};
        const char *name = NULL, *desc = "";
        char **beh = NULL;
        size_t nbeh = 0;
        char path[64];

        snprintf(path, sizeof(path), "overlay.add.values[%zu]", i);
        if (!added_entry(v, keys, path, "name", &name, why))
            return false;
        if (kb_value_find(kb, name) != NULL) {
            *why = xasprintf("%s: the KB already has the value \"%s\"; change it under "
                             "\"values\"",
                             path, name);
            return false;
        }
        if (!added_texts(v, path, "behaviours", &desc, &beh, &nbeh, &val.aliases,
                         &val.naliases, why))
            return false;
        val.name = xstrdup(name);
        val.description = xstrdup(desc);
        val.overlay = true;
        push_overlay_texts(&val.behaviours, &val.nbehaviours, beh, nbeh);
        kb->values = xreallocarray(kb->values, kb->nvalues + 1, sizeof(*kb->values));
        kb->values[kb->nvalues++] = val;
    }
    return true;
}

static bool
add_goals(struct kb *kb, json_t *arr, char **why)
{
    static const char *const keys[] = {"title", "description", "points", "aliases", NULL};
    size_t i;
    json_t *v;

    if (!json_is_array(arr)) {
        *why = xstrdup("overlay.add.goals: must be an array of objects");
        return false;
    }
    json_array_foreach(arr, i, v)
    {
        struct kb_goal g = {0};
        const char *title = NULL, *desc = "";
        char **pts = NULL;
        size_t npts = 0;
        unsigned number = 0;
        char path[64];

        snprintf(path, sizeof(path), "overlay.add.goals[%zu]", i);
        if (!added_entry(v, keys, path, "title", &title, why))
            return false;
        if (kb_goal_find(kb, title) != NULL) {
            *why = xasprintf("%s: the KB already has the goal \"%s\"; change it under "
                             "\"goals\"",
                             path, title);
            return false;
        }
        if (!added_texts(v, path, "points", &desc, &pts, &npts, &g.aliases, &g.naliases,
                         why))
            return false;
        for (size_t k = 0; k < kb->ngoals; k++) /* numbered after the last */
            number = kb->goals[k].number > number ? kb->goals[k].number : number;
        g.number = number + 1;
        g.title = xstrdup(title);
        g.description = xstrdup(desc);
        g.overlay = true;
        push_overlay_texts(&g.points, &g.npoints, pts, npts);
        kb->goals = xreallocarray(kb->goals, kb->ngoals + 1, sizeof(*kb->goals));
        kb->goals[kb->ngoals++] = g;
    }
    return true;
}

static bool
add_items(struct kb *kb, json_t *obj, char **why)
{
    static const char *const keys[] = {"values", "goals", NULL};
    json_t *v;

    if (!json_is_object(obj)) {
        *why = xstrdup("overlay.add: must be an object with \"values\" and/or \"goals\"");
        return false;
    }
    if (!keys_known(obj, keys, "overlay.add", why))
        return false;
    if ((v = json_object_get(obj, "values")) != NULL && !add_values(kb, v, why))
        return false;
    if ((v = json_object_get(obj, "goals")) != NULL && !add_goals(kb, v, why))
        return false;
    return true;
}

static bool
add_synonyms(struct kb *kb, json_t *arr, char **why)
{
    size_t i;
    json_t *v;

    if (!json_is_array(arr)) {
        *why = xstrdup("overlay.synonyms: must be an array of arrays of phrases");
        return false;
    }
    json_array_foreach(arr, i, v)
    {
        struct kb_synonym syn = {0};
        char path[64];

        snprintf(path, sizeof(path), "overlay.synonyms[%zu]", i);
        if (!json_is_array(v) || json_array_size(v) < 2) {
            *why = xasprintf("%s: must list two or more phrases", path);
            return false;
        }
        if (!string_list(v, path, &syn.terms, &syn.n, why)) {
            for (size_t k = 0; k < syn.n; k++)
                free(syn.terms[k]);
            free(syn.terms);
            return false;
        }
        kb->synonyms =
            xreallocarray(kb->synonyms, kb->nsynonyms + 1, sizeof(*kb->synonyms));
        kb->synonyms[kb->nsynonyms++] = syn;
    }
    return true;
}

enum bot_err
kb_overlay_apply(struct kb *kb, const char *buf, size_t len, char **why)
{
    static const char *const keys[] = {
        "org",   "short_name", "strategy", "goals_label", "mission", "vision", "values",
        "goals", "ambitions",  "synonyms", "comment",     "add",     NULL};
    json_error_t jerr;
    json_t *root, *v;
    bool ok;

    *why = NULL;
    if (!utf8_is_valid(buf, len, NULL)) {
        *why = xstrdup("overlay: invalid UTF-8 or binary data");
        return BOT_EPARSE;
    }
    root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        *why = xasprintf("overlay: invalid JSON at line %d, column %d: %s", jerr.line,
                         jerr.column, jerr.text);
        return BOT_EPARSE;
    }
    ok = json_is_object(root) ||
         (*why = xstrdup("overlay: must be a JSON object")) == NULL;
    ok = ok && keys_known(root, keys, "overlay", why);
    v = json_object_get(root, "org");
    if (ok && v != NULL &&
        (!json_is_string(v) || strcmp(json_string_value(v), kb->org))) {
        *why = xasprintf("overlay.org: is for another organisation than \"%s\"", kb->org);
        ok = false;
    }
    ok = ok && set_string(root, "short_name", "overlay", &kb->short_name, why) &&
         set_string(root, "strategy", "overlay", &kb->strategy, why) &&
         set_string(root, "goals_label", "overlay", &kb->goals_label, why) &&
         set_statement(root, "mission", &kb->mission, why) &&
         set_statement(root, "vision", &kb->vision, why);
    if (ok && (v = json_object_get(root, "add")) != NULL)
        ok = add_items(kb, v, why);
    if (ok && (v = json_object_get(root, "values")) != NULL)
        ok = merge_values(kb, v, why);
    if (ok && (v = json_object_get(root, "goals")) != NULL)
        ok = merge_goals(kb, v, why);
    if (ok && (v = json_object_get(root, "ambitions")) != NULL)
        ok = add_ambitions(kb, v, why);
    if (ok && (v = json_object_get(root, "synonyms")) != NULL)
        ok = add_synonyms(kb, v, why);
    json_decref(root);
    if (ok) {
        /* The merged KB must still be valid: e.g. no goal renamed onto another. */
        char *text = kb_format(kb), *reason = NULL;
        struct kb *check = NULL;

        if (kb_parse(text, strlen(text), &check, &reason) != BOT_OK) {
            *why = xasprintf("overlay: the merged KB is not valid: %s", reason);
            ok = false;
        }
        free(reason);
        kb_free(check);
        free(text);
    }
    return ok ? BOT_OK : BOT_EPARSE;
}
