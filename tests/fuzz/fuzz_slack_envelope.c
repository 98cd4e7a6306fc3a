/* fuzz_slack_envelope.c - libFuzzer entry point for the Slack Socket Mode frame parsers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/adapters/slack/slack_int.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/chat_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    struct adapter ad = {.name = "fuzz"};
    struct slack_envelope env;
    struct chat_event ev;
    char *text;

    if (!init) {
        xmalloc_json_init();
        init = 1;
    }
    (void)slack_envelope_parse((const char *)data, size, &env);
    slack_envelope_cleanup(&env);
    (void)slack_parse(&ad, (const char *)data, size, &ev);
    chat_event_cleanup(&ev); /* must be safe whatever parse returned */

    /* The text cleaner sees user text straight from Slack. */
    text = xstrndup((const char *)data, size);
    free(slack_text_clean(text));
    free(text);
    return 0;
}
