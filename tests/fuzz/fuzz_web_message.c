/* fuzz_web_message.c - libFuzzer entry point for the web chat's message
 * parser, and the reply and error frames its output feeds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/adapters/web_int.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    struct web_msg m;
    const char *code = NULL;
    char org[WEB_MAX_ID + 1];

    if (!init) {
        xmalloc_json_init();
        init = 1;
    }
    if (web_msg_parse((const char *)data, size, &m, &code) == BOT_OK) {
        struct reply r = {0};
        const char *chips[WEB_MAX_CHIPS];
        char *s;

        if (m.type == WEB_MSG_ASK) {
            reply_add(&r, REPLY_PARA, NULL, m.text);
            reply_add(&r, REPLY_ITEM, m.id, m.text);
        }
        (void)web_chips(&r, "tour", chips, WEB_MAX_CHIPS);
        s = web_render_reply(m.id, "answer", &r, NULL, 0);
        free(s);
        reply_cleanup(&r);
    } else {
        free(web_render_error(code, "x", 0));
    }
    web_msg_cleanup(&m);
    if (size < 256) {
        char *q = strndup((const char *)data, size);

        web_query_org(q, org, sizeof(org));
        (void)web_origin_allowed(q, "bot:8080", "https://a.example,https://b.example");
        free(q);
    }
    return 0;
}
