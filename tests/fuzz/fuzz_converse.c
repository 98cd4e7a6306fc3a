/*
 * fuzz_converse.c - libFuzzer entry point for the conversation step: the
 * message analysis (kb_engine_analyse), follow-ups read in context, two
 * questions in one message, tours and digests.  The input is split at
 * newlines into the messages of one conversation, answered from the
 * shipped KBs (run from the repository root).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/xmalloc.h"
#include "bot/core/converse.h"
#include "bot/kb/kb_answer.h"
#include "bot/kb/kb_set.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct kb_set *set;
    static struct kb_engine *engine;
    struct converse *cv;
    const char *p = (const char *)data, *end = p + size;
    time_t now = 1790000000;

    if (set == NULL) {
        char *why = NULL;

        xmalloc_json_init();
        if (kb_set_load("knowledge", &set, &why) != BOT_OK)
            abort(); /* run from the repository root */
        engine = kb_engine_new(set, 0.5, 0.1);
    }
    cv = converse_new(engine, set, NULL, 0.5, 60);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
        struct converse_reply out;
        /* The first byte of a line picks the org and the place. */
        const char *org = len > 0 && (p[0] & 1) ? "cwpt" : "tewv";
        const char *place = len > 0 && (p[0] & 2) ? "C2" : "C1";

        (void)converse_handle_at(cv, "fuzz:T:U:dm", place, org, p, len, now, &out);
        converse_reply_cleanup(&out);
        now += len > 0 && (p[0] & 4) ? 61 : 1; /* sometimes past the timeout */
        p += len + 1;
    }
    converse_free(cv);
    return 0;
}
