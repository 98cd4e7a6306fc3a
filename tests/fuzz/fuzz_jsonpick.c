/* fuzz_jsonpick.c - libFuzzer differential target: jsonpick_load() against jansson.
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

    if (!init) {
        xmalloc_json_init();
        init = 1;
    }
    got = jsonpick_load((const char *)data, size, keys);
    if (got == NULL)
        return 0; /* left to jansson: nothing promised */
    full = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (full == NULL)
        abort(); /* vouched for a document jansson refuses */
    check_object(got, full, keys);
    json_decref(full);
    json_decref(got);
    return 0;
}
