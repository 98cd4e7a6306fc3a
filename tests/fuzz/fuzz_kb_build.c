/*
 * fuzz_kb_build.c - libFuzzer entry point for the document extractor,
 * kb_build(), with fixed options.
 *
 * It finds crashes, leaks and undefined behaviour, and checks that a
 * refusal carries a reason and that an accepted document formats to JSON.
 * With VALUESBOT_FUZZ_STRICT=1 in the environment it also requires that
 * kb_parse() accepts what kb_build() made (what `kb build` writes, `kb
 * check` must pass); that check is opt-in while builder output can still
 * hold duplicates the loader refuses.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_build.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int strict;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *s = getenv("VALUESBOT_FUZZ_STRICT");

    (void)argc;
    (void)argv;
    strict = s != NULL && strcmp(s, "1") == 0;
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct kb_build_opts opts = {
        .org = "fuzz", .name = "Fuzz NHS Trust", .short_name = "FZ", .doc = "fuzz.txt"};
    struct kb *kb = NULL, *back = NULL;
    char *why = NULL, *text;
    json_t *root;

    if (kb_build((const char *)data, size, &opts, &kb, &why) != BOT_OK) {
        if (why == NULL || kb != NULL)
            abort(); /* a refusal must give a reason and no KB */
        free(why);
        return 0;
    }
    text = kb_format(kb);
    root = json_loads(text, 0, NULL);
    if (root == NULL)
        abort(); /* kb_format must always write JSON */
    json_decref(root);
    if (strict) {
        if (kb_parse(text, strlen(text), &back, &why) != BOT_OK) {
            fprintf(stderr, "built KB does not load: %s\n", why);
            abort();
        }
        kb_free(back);
    }
    free(text);
    kb_free(kb);
    return 0;
}
