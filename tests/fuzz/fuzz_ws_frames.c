/*
 * fuzz_ws_frames.c - libFuzzer entry point for the WebSocket frame
 * receiver (bot/net/wsframe.c) and the upgrade answer check.
 *
 * Input: one byte of options (bit 0: frames must be masked, as a server
 * sees them; bits 1-7: where to cut the rest in two), then the stream.
 * The stream is parsed whole and again in two pieces; both must report
 * exactly the same messages and end the same way, so a header or payload
 * split between reads is checked against the fast path on every input.
 * The whole input is also checked as an upgrade answer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"
#include "bot/net/wsframe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A running digest of what was reported, to compare two parses. */
struct trace {
    uint64_t h;
    size_t n;
};

static int
on_msg(void *arg, enum wsframe_kind kind, const char *buf, size_t len)
{
    struct trace *t = arg;

    t->h = (t->h ^ (uint64_t)kind) * 0x100000001b3ULL;
    t->h = (t->h ^ len) * 0x100000001b3ULL;
    if (buf != NULL) {
        if (buf[len] != '\0')
            abort(); /* payloads are NUL-terminated */
        if (kind == WSFRAME_MSG_TEXT && !utf8_is_valid_nul(buf, len))
            abort(); /* text is always checked */
        for (size_t i = 0; i < len; i++)
            t->h = (t->h ^ (unsigned char)buf[i]) * 0x100000001b3ULL;
    }
    t->n++;
    return 0;
}

static enum bot_err
parse(const uint8_t *p, size_t len, size_t cut, bool masked, struct trace *t, int *code)
{
    struct wsframe_rx rx;
    enum bot_err err;

    memset(t, 0, sizeof(*t));
    wsframe_rx_init(&rx, 4096, masked);
    err = wsframe_rx_feed(&rx, p, cut, on_msg, t);
    if (err == BOT_OK)
        err = wsframe_rx_feed(&rx, p + cut, len - cut, on_msg, t);
    *code = err == BOT_OK ? 0 : rx.close_code;
    if (err != BOT_OK && rx.close_code != WSFRAME_CLOSE_PROTOCOL &&
        rx.close_code != WSFRAME_CLOSE_BAD_DATA && rx.close_code != WSFRAME_CLOSE_TOO_BIG)
        abort();
    wsframe_rx_cleanup(&rx);
    return err;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    struct trace whole, split;
    enum bot_err e1, e2;
    int c1, c2, status;
    const char *why;
    size_t cut;

    if (!init) {
        xmalloc_json_init();
        init = 1;
    }
    (void)wsframe_upgrade_check((const char *)data, size, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
                                (size & 1) ? "xmpp" : NULL, &status, &why);
    if (size == 0)
        return 0;
    cut = (size_t)(data[0] >> 1) % size;
    e1 = parse(data + 1, size - 1, 0, data[0] & 1, &whole, &c1);
    e2 = parse(data + 1, size - 1, cut, data[0] & 1, &split, &c2);
    if (e1 != e2 || c1 != c2 || whole.h != split.h || whole.n != split.n)
        abort(); /* how the bytes were read changed what they meant */
    return 0;
}
