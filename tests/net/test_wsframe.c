/*
 * test_wsframe.c - the WebSocket frame codec: headers, masking, UTF-8, and
 * the receiver fed whole streams, byte by byte and in every two-piece split.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/net/wsframe.h"

/* What the receiver reported, as "<kind>:<payload>|" ("T:hi|P:|C:1000 bye|"). */
struct seen {
    char out[4096];
    int stop_after; /* ask to stop after this many reports; 0: never */
    int n;
};

static int
on_msg(void *arg, enum wsframe_kind kind, const char *buf, size_t len)
{
    struct seen *s = arg;
    size_t used = strlen(s->out);
    char k = "TBOPGC"[kind];

    if (kind == WSFRAME_MSG_OVER) {
        cr_expect_null(buf);
        snprintf(s->out + used, sizeof(s->out) - used, "O|");
    } else if (kind == WSFRAME_MSG_CLOSE && len >= 2) {
        cr_expect_eq(buf[len], '\0', "payloads are NUL-terminated");
        snprintf(s->out + used, sizeof(s->out) - used, "C:%u %.*s|",
                 (unsigned)(unsigned char)buf[0] << 8 | (unsigned char)buf[1],
                 (int)(len - 2), buf + 2);
    } else {
        cr_expect_eq(buf[len], '\0', "payloads are NUL-terminated");
        snprintf(s->out + used, sizeof(s->out) - used, "%c:%.*s|", k,
                 (int)(len > 40 ? 40 : len), buf);
    }
    return ++s->n == s->stop_after;
}

/* Appends a frame (FIN per @fin, opcode @op) to @out at *@len; @key: mask or NULL. */
static void
frame(unsigned char *out, size_t *len, bool fin, unsigned op, const char *payload,
      size_t n, const unsigned char *key)
{
    size_t h = wsframe_header_format(out + *len, op, n, key);

    if (!fin)
        out[*len] &= 0x7f;
    memcpy(out + *len + h, payload, n);
    if (key != NULL)
        wsframe_mask(out + *len + h, n, key, 0);
    *len += h + n;
}

static enum bot_err
feed_all(struct wsframe_rx *rx, const unsigned char *p, size_t len, struct seen *s)
{
    return wsframe_rx_feed(rx, p, len, on_msg, s);
}

Test(wsframe, header_lengths_use_the_shortest_form)
{
    unsigned char h[WSFRAME_MAX_HEADER];
    static const unsigned char key[4] = {1, 2, 3, 4};

    cr_expect_eq(wsframe_header_format(h, WSFRAME_TEXT, 125, NULL), 2);
    cr_expect_eq(h[0], 0x81);
    cr_expect_eq(h[1], 125);
    cr_expect_eq(wsframe_header_format(h, WSFRAME_BINARY, 126, key), 8);
    cr_expect_eq(h[0], 0x82);
    cr_expect_eq(h[1], 0x80 | 126);
    cr_expect_eq(h[2] << 8 | h[3], 126);
    cr_expect_eq(memcmp(h + 4, key, 4), 0);
    cr_expect_eq(wsframe_header_format(h, WSFRAME_TEXT, 65536, NULL), 10);
    cr_expect_eq(h[1], 127);
    cr_expect_eq(h[7] << 16 | h[8] << 8 | h[9], 65536);
    cr_expect_eq(wsframe_header_len(0, false), 2);
    cr_expect_eq(wsframe_header_len(65535, true), 8);
    cr_expect_eq(wsframe_header_len(65536, true), 14);
}

Test(wsframe, mask_matches_the_bytewise_definition_at_any_offset_and_length)
{
    static const unsigned char key[4] = {0x37, 0xfa, 0x21, 0x3d};
    unsigned char a[300], b[300];

    for (size_t off = 0; off < 8; off++) {
        for (size_t len = 0; len < 40; len++) {
            for (size_t i = 0; i < sizeof(a); i++)
                a[i] = b[i] = (unsigned char)(i * 7 + 3);
            wsframe_mask(a + 1, len, key, off); /* unaligned on purpose */
            for (size_t i = 0; i < len; i++)
                b[1 + i] ^= key[(off + i) & 3];
            cr_assert_eq(memcmp(a, b, sizeof(a)), 0, "off %zu len %zu", off, len);
        }
    }
    /* RFC 6455 5.7: "Hello" masked with 37 fa 21 3d. */
    memcpy(a, "Hello", 5);
    wsframe_mask(a, 5, key, 0);
    cr_expect_eq(memcmp(a, "\x7f\x9f\x4d\x51\x58", 5), 0);
}

/* A stream with every kind of frame, as a server sends it (unmasked). */
static size_t
sample_stream(unsigned char *out)
{
    static char big[70000];
    size_t len = 0;

    memset(big, 'x', sizeof(big));
    frame(out, &len, true, WSFRAME_TEXT, "hello", 5, NULL);
    frame(out, &len, false, WSFRAME_TEXT, "frag", 4, NULL);
    frame(out, &len, true, WSFRAME_PING, "p1", 2, NULL); /* between fragments */
    frame(out, &len, false, WSFRAME_CONT, "men", 3, NULL);
    frame(out, &len, true, WSFRAME_CONT, "ted", 3, NULL);
    frame(out, &len, true, WSFRAME_BINARY, "\x00\x01", 2, NULL);
    frame(out, &len, true, WSFRAME_TEXT, "", 0, NULL);
    frame(out, &len, true, WSFRAME_PONG, "", 0, NULL);
    frame(out, &len, true, WSFRAME_TEXT, big, sizeof(big), NULL); /* 64-bit length */
    frame(out, &len, true, WSFRAME_TEXT, big, 300, NULL);         /* 16-bit length */
    frame(out, &len, true, WSFRAME_CLOSE,
          "\x03\xe8"
          "bye",
          5, NULL);
    frame(out, &len, true, WSFRAME_TEXT, "after close", 11, NULL);
    return len;
}

Test(wsframe, any_split_of_the_stream_reports_the_same)
{
    static unsigned char stream[80000];
    size_t len = sample_stream(stream);
    struct seen whole;
    struct wsframe_rx rx;
    char want[4096];

    memset(&whole, 0, sizeof(whole));
    wsframe_rx_init(&rx, 1 << 20, false);
    cr_assert_eq(feed_all(&rx, stream, len, &whole), BOT_OK);
    wsframe_rx_cleanup(&rx);
    snprintf(want, sizeof(want),
             "T:hello|P:p1|T:fragmented|B:|T:|G:|T:%.40s|T:%.40s|C:1000 bye|",
             "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
             "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    /* The binary payload starts with NUL, so %.*s shows it empty. */
    cr_expect_str_eq(whole.out, want);

    /* Byte by byte, and every two-piece split near the frame edges. */
    {
        struct seen s;

        memset(&s, 0, sizeof(s));
        wsframe_rx_init(&rx, 1 << 20, false);
        for (size_t i = 0; i < len; i++)
            cr_assert_eq(feed_all(&rx, stream + i, 1, &s), BOT_OK);
        wsframe_rx_cleanup(&rx);
        cr_expect_str_eq(s.out, whole.out, "byte by byte");
    }
    for (size_t cut = 0; cut <= 80; cut++) {
        struct seen s;

        memset(&s, 0, sizeof(s));
        wsframe_rx_init(&rx, 1 << 20, false);
        cr_assert_eq(feed_all(&rx, stream, cut, &s), BOT_OK);
        cr_assert_eq(feed_all(&rx, stream + cut, len - cut, &s), BOT_OK);
        wsframe_rx_cleanup(&rx);
        cr_expect_str_eq(s.out, whole.out, "cut at %zu", cut);
    }
}

Test(wsframe, masked_frames_are_unmasked_for_a_server)
{
    static const unsigned char key[4] = {0xde, 0xad, 0xbe, 0xef};
    unsigned char stream[512];
    size_t len = 0;
    struct seen s;
    struct wsframe_rx rx;

    frame(stream, &len, false, WSFRAME_TEXT, "masked ", 7, key);
    frame(stream, &len, true, WSFRAME_CONT, "text of some length", 19, key);
    frame(stream, &len, true, WSFRAME_PING, "pp", 2, key);
    memset(&s, 0, sizeof(s));
    wsframe_rx_init(&rx, 1024, true);
    for (size_t i = 0; i < len; i++)
        cr_assert_eq(feed_all(&rx, stream + i, 1, &s), BOT_OK);
    cr_expect_str_eq(s.out, "T:masked text of some length|P:pp|");
    wsframe_rx_cleanup(&rx);

    /* The same masked frames are a protocol error for a client. */
    memset(&s, 0, sizeof(s));
    wsframe_rx_init(&rx, 1024, false);
    cr_expect_eq(feed_all(&rx, stream, len, &s), BOT_EPARSE);
    cr_expect_eq(rx.close_code, WSFRAME_CLOSE_PROTOCOL);
    cr_expect_str_eq(s.out, "");
    wsframe_rx_cleanup(&rx);
}

Test(wsframe, a_message_over_the_cap_is_skipped_and_the_next_arrives)
{
    static unsigned char stream[8192];
    static char big[3000];
    size_t len = 0;
    struct seen s;
    struct wsframe_rx rx;

    memset(big, 'y', sizeof(big));
    frame(stream, &len, false, WSFRAME_TEXT, big, 600, NULL);
    frame(stream, &len, false, WSFRAME_CONT, big, 600, NULL); /* the sum passes 1024 */
    frame(stream, &len, true, WSFRAME_CONT, "end", 3, NULL);
    frame(stream, &len, true, WSFRAME_TEXT, big, sizeof(big), NULL);
    frame(stream, &len, true, WSFRAME_TEXT, "small", 5, NULL);
    memset(&s, 0, sizeof(s));
    wsframe_rx_init(&rx, 1024, false);
    cr_assert_eq(feed_all(&rx, stream, len, &s), BOT_OK);
    cr_expect_str_eq(s.out, "O|O|T:small|");
    wsframe_rx_cleanup(&rx);
}

Test(wsframe, a_callback_can_stop_the_feed)
{
    unsigned char stream[64];
    size_t len = 0;
    struct seen s;
    struct wsframe_rx rx;

    frame(stream, &len, true, WSFRAME_TEXT, "one", 3, NULL);
    frame(stream, &len, true, WSFRAME_TEXT, "two", 3, NULL);
    memset(&s, 0, sizeof(s));
    s.stop_after = 1;
    wsframe_rx_init(&rx, 1024, false);
    cr_assert_eq(feed_all(&rx, stream, len, &s), BOT_OK);
    cr_expect_str_eq(s.out, "T:one|");
    wsframe_rx_cleanup(&rx);
}

struct bad_case {
    const char *name;
    const char *bytes;
    size_t len;
    int code;
    const char *before; /* what was reported before the error */
};

static const struct bad_case bad_cases[] = {
    {"reserved bit", "\xc1\x00", 2, 1002, ""},
    {"unknown opcode", "\x83\x00", 2, 1002, ""},
    {"fragmented ping", "\x09\x00", 2, 1002, ""},
    {"ping over 125 bytes", "\x89\x7e\x00\x7e", 4, 1002, ""},
    {"continuation with no message", "\x80\x01x", 3, 1002, ""},
    {"text inside a fragmented text", "\x01\x01x\x81\x01y", 6, 1002, ""},
    {"64-bit length with the top bit", "\x81\x7f\x80\x00\x00\x00\x00\x00\x00\x00", 10,
     1002, ""},
    {"invalid UTF-8 text", "\x81\x02\xc3\x28", 4, 1007, ""},
    {"invalid UTF-8 across fragments", "\x01\x01\xe2\x80\x02\x82x", 7, 1007, ""},
    {"close of one byte", "\x88\x01\x03", 3, 1002, ""},
    {"close with a reserved code", "\x88\x02\x03\xed", 4, 1002, ""}, /* 1005 */
    {"close with code 999", "\x88\x02\x03\xe7", 4, 1002, ""},
    {"close reason not UTF-8", "\x88\x03\x03\xe8\xff", 5, 1007, ""},
    {"good frame then a bad one", "\x81\x02ok\x8f\x00", 6, 1002, "T:ok|"},
};

Test(wsframe, protocol_errors_table)
{
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const struct bad_case *c = &bad_cases[i];
        struct seen s;
        struct wsframe_rx rx;

        memset(&s, 0, sizeof(s));
        wsframe_rx_init(&rx, 1 << 20, false);
        cr_expect_eq(feed_all(&rx, (const unsigned char *)c->bytes, c->len, &s),
                     BOT_EPARSE, "%s", c->name);
        cr_expect_eq(rx.close_code, c->code, "%s: code %d", c->name, rx.close_code);
        cr_expect_not_null(rx.why, "%s", c->name);
        cr_expect_str_eq(s.out, c->before, "%s", c->name);
        /* Nothing more is parsed after an error. */
        cr_expect_eq(feed_all(&rx, (const unsigned char *)"\x81\x01z", 3, &s), BOT_OK);
        cr_expect_str_eq(s.out, c->before, "%s: after the error", c->name);
        wsframe_rx_cleanup(&rx);
    }
}

Test(wsframe, huge_claimed_length_uses_no_memory_beyond_the_cap)
{
    /* A frame claiming 2^62 bytes: over the cap, skipped as it streams. */
    static const unsigned char hdr[] = {0x81, 0x7f, 0x40, 0, 0, 0, 0, 0, 0, 0};
    unsigned char junk[4096];
    struct seen s;
    struct wsframe_rx rx;

    memset(junk, 'j', sizeof(junk));
    memset(&s, 0, sizeof(s));
    wsframe_rx_init(&rx, 1024, false);
    cr_assert_eq(feed_all(&rx, hdr, sizeof(hdr), &s), BOT_OK);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(feed_all(&rx, junk, sizeof(junk), &s), BOT_OK);
    cr_expect_eq(rx.msg.cap, 0, "nothing buffered for a skipped message");
    cr_expect_str_eq(s.out, "");
    wsframe_rx_cleanup(&rx);
}

Test(wsframe, accept_key_of_the_rfc_example)
{
    char out[WSFRAME_ACCEPT_LEN + 1];

    /* RFC 6455 section 1.3. */
    wsframe_accept_key("dGhlIHNhbXBsZSBub25jZQ==", out);
    cr_expect_str_eq(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

struct upgrade_case {
    const char *name;
    const char *resp;
    const char *subprotocol;
    enum bot_err want;
    int status;
};

#define ACCEPT "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
#define OK101  "HTTP/1.1 101 Switching Protocols\r\n"

static const struct upgrade_case upgrade_cases[] = {
    {"plain",
     OK101 "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " ACCEPT
           "\r\n\r\n",
     NULL, BOT_OK, 101},
    {"any case, spaces, token list",
     OK101 "upgrade:WebSocket \r\nCONNECTION:  keep-alive, upgrade\r\n"
           "sec-websocket-accept:\t" ACCEPT "\r\n\r\n",
     NULL, BOT_OK, 101},
    {"bare LF line ends",
     "HTTP/1.1 101 OK\nUpgrade: websocket\nConnection: upgrade\n"
     "Sec-WebSocket-Accept: " ACCEPT "\n\n",
     NULL, BOT_OK, 101},
    {"subprotocol echoed",
     OK101 "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " ACCEPT
           "\r\nSec-WebSocket-Protocol: xmpp\r\n\r\n",
     "xmpp", BOT_OK, 101},
    {"subprotocol missing",
     OK101 "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " ACCEPT
           "\r\n\r\n",
     "xmpp", BOT_EPARSE, 101},
    {"subprotocol not asked for",
     OK101 "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " ACCEPT
           "\r\nSec-WebSocket-Protocol: xmpp\r\n\r\n",
     NULL, BOT_EPARSE, 101},
    {"refused with 401", "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", NULL,
     BOT_EPARSE, 401},
    {"wrong accept",
     OK101 "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
           "AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n",
     NULL, BOT_EPARSE, 101},
    {"accept with a suffix",
     OK101 "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " ACCEPT
           "x\r\n\r\n",
     NULL, BOT_EPARSE, 101},
    {"no upgrade header",
     OK101 "Connection: Upgrade\r\nSec-WebSocket-Accept: " ACCEPT "\r\n\r\n", NULL,
     BOT_EPARSE, 101},
    {"connection without the token",
     OK101 "Upgrade: websocket\r\nConnection: upgrades\r\nSec-WebSocket-Accept: " ACCEPT
           "\r\n\r\n",
     NULL, BOT_EPARSE, 101},
    {"not HTTP", "SSH-2.0-OpenSSH\r\n\r\n", NULL, BOT_EPARSE, 0},
    {"short", "HTTP/1.1 10\r\n\r\n", NULL, BOT_EPARSE, 0},
};

Test(wsframe, upgrade_check_table)
{
    for (size_t i = 0; i < sizeof(upgrade_cases) / sizeof(upgrade_cases[0]); i++) {
        const struct upgrade_case *c = &upgrade_cases[i];
        const char *why = NULL;
        int status = -1;
        enum bot_err err = wsframe_upgrade_check(c->resp, strlen(c->resp), ACCEPT,
                                                 c->subprotocol, &status, &why);

        cr_expect_eq(err, c->want, "%s: %s", c->name, why ? why : "ok");
        cr_expect_eq(status, c->status, "%s: status %d", c->name, status);
        if (c->want != BOT_OK)
            cr_expect_not_null(why, "%s", c->name);
    }
}
