/*
 * fuzz_kb_parse.c - libFuzzer entry point for the KB loader, kb_parse().
 *
 * Besides crashes, leaks and undefined behaviour, it checks the loader's
 * contract: a refusal always carries a reason, and whatever is accepted
 * formats to JSON that loads again and formats to the same bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/kb/kb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kb *kb = NULL, *again = NULL;
    char *why = NULL, *text, *text2;

    if (kb_parse((const char *)data, size, &kb, &why) != BOT_OK) {
        if (why == NULL || kb != NULL)
            abort(); /* a refusal must give a reason and no KB */
        free(why);
        return 0;
    }
    if (why != NULL)
        abort();
    text = kb_format(kb);
    if (kb_parse(text, strlen(text), &again, &why) != BOT_OK) {
        fprintf(stderr, "formatted KB does not load: %s\n", why);
        abort();
    }
    text2 = kb_format(again);
    if (strcmp(text, text2) != 0)
        abort(); /* format(parse(format(x))) must equal format(x) */
    free(text);
    free(text2);
    kb_free(kb);
    kb_free(again);
    return 0;
}
