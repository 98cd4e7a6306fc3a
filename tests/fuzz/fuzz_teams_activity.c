/* fuzz_teams_activity.c - libFuzzer entry point for the Teams activity parser, its
 * text cleaner and the connector URL builder (bot/adapters/teams/). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/adapters/teams/teams_int.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/chat_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    struct chat_event ev;
    enum teams_kind kind;
    char *text;

    if (!init) {
        xmalloc_json_init();
        init = 1;
    }
    (void)teams_activity_parse("28:app", (const char *)data, size, &ev, &kind);
    chat_event_cleanup(&ev);
    /* The text arrives straight from the user (with markup and entities). */
    text = xstrndup((const char *)data, size);
    free(teams_text_clean(text, NULL, "28:app"));
    free(teams_conv_url("https://smba.trafficmanager.net/emea/", text, text));
    (void)teams_url_allowed(text, "https://smba.trafficmanager.net/emea/");
    free(text);
    return 0;
}
