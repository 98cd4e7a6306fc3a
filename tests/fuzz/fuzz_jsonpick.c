/* fuzz_jsonpick.c - libFuzzer differential target: jsonpick_load() and
 * jsonpick_spans() against jansson.
 *
 * jsonpick.h promises that a document it vouches for is one
 * json_loadb(JSON_REJECT_DUPLICATES) accepts, with the same values in the
 * members kept.  The adapters' own targets reach the picker too, but only
 * check that nothing crashes; this one checks the promise.  The key tables
 * are shaped like the adapters' (nested objects, a key naming an array).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot/adapters/jsonpick.h"
#include "bot/base/xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct jsonpick_key inner_keys[] = {
    {"a", NULL}, {"b", NULL}, {"text", NULL}, {"n", NULL}, {NULL, NULL},
};
static const struct jsonpick_key keys[] = {
    {"type", NULL}, {"a", inner_keys}, {"b", NULL},       {"text", NULL},
    {"n", NULL},    {"list", NULL},    {"o", inner_keys}, {NULL, NULL},
};

/* The same members as slots: spans of "a"'s and "o"'s members share slots. */
enum { S_TYPE, S_A, S_B, S_TEXT, S_N, S_LIST, S_O, S_IA, S_IB, S_ITEXT, S_IN, S_COUNT };
static const struct jsonpick_slot inner_slots[] = {
    {"a", S_IA, NULL}, {"b", S_IB, NULL}, {"text", S_ITEXT, NULL},
    {"n", S_IN, NULL}, {NULL, -1, NULL},
};
static const struct jsonpick_slot slots[] = {
    {"type", S_TYPE, NULL}, {"a", S_A, inner_slots}, {"b", S_B, NULL},
    {"text", S_TEXT, NULL}, {"n", S_N, NULL},        {"list", S_LIST, NULL},
    {"o", S_O, NULL},       {NULL, -1, NULL},
};

/* Checks span @v against jansson's value @want (NULL: absent). */
static void
check_span(const struct jsonpick_span *v, const json_t *want)
{
    char *dec;
    size_t n, used, m;

    if (want == NULL) {
        if (v->type != 0)
            abort();
        return;
    }
    switch (json_typeof(want)) {
    case JSON_STRING:
        if (v->type != 's')
            abort();
        /* Decoded whole, and in two steps from a stop at any @max. */
        dec = xmalloc(v->len + 1);
        n = jsonpick_unescape(v->s, v->len, dec, SIZE_MAX, NULL);
        if (n != json_string_length(want) || memcmp(dec, json_string_value(want), n) != 0)
            abort();
        m = jsonpick_unescape(v->s, v->len, dec, v->len / 3, &used);
        if (used > v->len)
            abort();
        m += jsonpick_unescape(v->s + used, v->len - used, dec + m, SIZE_MAX, NULL);
        if (m != n || memcmp(dec, json_string_value(want), n) != 0)
            abort();
        free(dec);
        break;
    case JSON_INTEGER:
        if (v->type != 'i' || v->num != (long long)json_integer_value(want))
            abort();
        break;
    case JSON_REAL:
        if (v->type != 'r')
            abort();
        break;
    case JSON_TRUE:
    case JSON_FALSE:
    case JSON_NULL:
        if (v->type != (json_is_true(want) ? 't' : json_is_false(want) ? 'f' : 'n'))
            abort();
        break;
    case JSON_OBJECT:
    case JSON_ARRAY:
        if (v->type != (json_is_object(want) ? 'o' : 'a'))
            abort();
        break;
    }
}

/* Checks the spans @v of @data against jansson's @full, and the tree's spans. */
static void
check_spans(const struct jsonpick_span *v, const json_t *full)
{
    const json_t *a = json_object_get(full, "a");
    struct jsonpick_span t[S_COUNT];

    check_span(&v[S_TYPE], json_object_get(full, "type"));
    check_span(&v[S_A], a);
    check_span(&v[S_B], json_object_get(full, "b"));
    check_span(&v[S_TEXT], json_object_get(full, "text"));
    check_span(&v[S_N], json_object_get(full, "n"));
    check_span(&v[S_LIST], json_object_get(full, "list"));
    check_span(&v[S_O], json_object_get(full, "o"));
    check_span(&v[S_IA], json_is_object(a) ? json_object_get(a, "a") : NULL);
    check_span(&v[S_IB], json_is_object(a) ? json_object_get(a, "b") : NULL);
    check_span(&v[S_ITEXT], json_is_object(a) ? json_object_get(a, "text") : NULL);
    check_span(&v[S_IN], json_is_object(a) ? json_object_get(a, "n") : NULL);
    /* The tree's spans name the same types and numbers. */
    jsonpick_spans_tree(full, slots, t, S_COUNT);
    for (size_t i = 0; i < S_COUNT; i++) {
        if (t[i].type != v[i].type || (t[i].type == 'i' && t[i].num != v[i].num))
            abort();
    }
}

/* Checks picked @got against jansson's @full for the members @keep names. */
static void
check_object(const json_t *got, const json_t *full, const struct jsonpick_key *keep)
{
    const char *name;
    json_t *v;

    if (!json_is_object(got) || !json_is_object(full))
        abort();
    json_object_foreach((json_t *)got, name, v)
    {
        const struct jsonpick_key *k = keep;
        json_t *want = json_object_get(full, name);

        while (k != NULL && k->name != NULL && strcmp(k->name, name) != 0)
            k++;
        if (k == NULL || k->name == NULL || want == NULL)
            abort(); /* a member not asked for, or not in the document */
        if (json_is_object(want))
            check_object(v, want, k->sub);
        else if (json_is_array(want)) {
            if (!json_is_array(v) || json_array_size(v) != 0)
                abort();
        } else if (!json_equal(v, want))
            abort();
    }
    /* Every member asked for that the document has must have been kept. */
    for (const struct jsonpick_key *k = keep; k != NULL && k->name != NULL; k++) {
        if (json_object_get(full, k->name) != NULL &&
            json_object_get(got, k->name) == NULL)
            abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    json_t *got, *full;
    struct jsonpick_span v[S_COUNT];

    if (!init) {
        xmalloc_json_init();
        init = 1;
    }
    /* Both readers vouch for the same documents. */
    got = jsonpick_load((const char *)data, size, keys);
    if (jsonpick_spans((const char *)data, size, slots, v, S_COUNT) != (got != NULL))
        abort();
    if (got == NULL)
        return 0; /* left to jansson: nothing promised */
    full = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (full == NULL)
        abort(); /* vouched for a document jansson refuses */
    check_object(got, full, keys);
    check_spans(v, full);
    json_decref(full);
    json_decref(got);
    return 0;
}
