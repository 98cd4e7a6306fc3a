/* fuzz_mattermost_event.c - libFuzzer entry point for the Mattermost websocket
 * frame parsers (envelope, `posted` with its nested post JSON, mention text) and
 * the splitter of long replies. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/adapters/mattermost/mattermost_int.h"
#include "bot/adapters/mattermost/mm_priv.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/chat_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    struct mm_frame f;
    struct chat_event ev;
    struct mm_seqstate s = {-1, 0};
    struct reply r = {0};
    struct buf b;
    char *text, *out, **parts;
    size_t nparts;
    long long seq;
    bool dropped;

    if (!init) {
        xmalloc_json_init();
        init = 1;
    }
    dropped =
        mm_frame_glance((const char *)data, size, "botuserid0000000000000000a", &seq);

    /* The one pass (mm_posted.c) must agree with the steps on what it takes. */
    {
        struct chat_event one, two;
        enum bot_err e1, e2;
        long long seq1, seq2;
        bool own;

        e1 = mm_posted_read("botuserid0000000000000000a", "valuesbot", (const char *)data,
                            size, &seq1, &own, &one);
        if (own) {
            if (e1 != BOT_EIGNORE ||
                !mm_frame_glance((const char *)data, size, "botuserid0000000000000000a",
                                 &seq2) ||
                seq1 != seq2)
                abort(); /* our own post dropped otherwise than by the look */
        } else if (e1 != BOT_EAGAIN) {
            memset(&two, 0, sizeof(two));
            if ((e2 = mm_frame_read((const char *)data, size, &f)) == BOT_OK)
                e2 = mm_event_from_frame("botuserid0000000000000000a", "valuesbot", &f,
                                         &two);
            if (e1 != e2 ||
                (e2 == BOT_OK && (f.seq != seq1 || strcmp(one.text, two.text) != 0 ||
                                  strcmp(one.user, two.user) != 0 ||
                                  strcmp(one.msg_id, two.msg_id) != 0)))
                abort(); /* the one pass read it otherwise */
            mm_frame_cleanup(&f);
            chat_event_cleanup(&two);
        }
        chat_event_cleanup(&one);
    }
    if (mm_frame_parse((const char *)data, size, &f) == BOT_OK) {
        if (f.seq >= 0)
            (void)mm_seq_check(&s, f.seq);
        if (dropped && f.seq != seq)
            abort(); /* the look read another seq than the strict reader */
    }
    mm_frame_cleanup(&f);
    if (mm_event_parse("botuserid0000000000000000a", "valuesbot", (const char *)data,
                       size, &ev) == BOT_OK &&
        dropped)
        abort();             /* the look dropped a question */
    chat_event_cleanup(&ev); /* must be safe whatever parse returned */

    /* The text helpers see user text straight from the server. */
    text = xstrndup((const char *)data, size);
    free(mm_text_clean((const char *)data, size, "valuesbot"));
    (void)mm_text_mentions(text, "valuesbot");
    buf_init(&b, 8 * size + 16);
    mm_escape(&b, text);
    buf_cleanup(&b);
    reply_add(&r, REPLY_QUOTE, NULL, text);
    reply_add(&r, REPLY_ITEM, text, text);
    out = mm_format(&r, 64 + size % 512);
    free(out);
    /* The splitter sees whatever the answer holds: every cut must hold. */
    nparts = mm_split(text, MM_MIN_RUNES + size % 300, &parts);
    for (size_t i = 0; i < nparts; i++) {
        size_t runes = 0;

        for (const char *p = parts[i]; *p; p++)
            runes += ((unsigned char)*p & 0xC0) != 0x80;
        if (runes > MM_MIN_RUNES + size % 300 || parts[i][0] == '\0')
            abort(); /* over the limit, or an empty post */
        free(parts[i]);
    }
    free(parts);
    reply_cleanup(&r);
    free(text);
    return 0;
}
