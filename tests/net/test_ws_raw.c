/*
 * test_ws_raw.c - the websocket client of bot/net/ws.c against a server
 * that writes raw bytes: a scripted upgrade answer, then scripted frames,
 * including the malformed ones a library server would never send.
 *
 * The server is a libuv TCP listener on the client's own loop (127.0.0.1,
 * port 0).  It reads the upgrade request, answers it (a correct 101 unless
 * the test scripts another answer), writes the script, and parses what the
 * client sends with the frame codec as a server does (masked frames).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "bot/base/xmalloc.h"
#include "bot/net/loop.h"
#include "bot/net/net_int.h"
#include "bot/net/ws.h"
#include "bot/net/wsframe.h"
#include "tests/net/loop_fixture.h"
#include "tests/net/tls_fixture.h"

struct srv {
    uv_tcp_t listener;
    uv_tcp_t peer;
    bool have_peer;
    int port;
    char req[8192]; /* the upgrade request */
    size_t nreq;
    bool upgraded;
    const char *answer;          /* the upgrade answer; NULL: a correct 101 */
    size_t answer_len;           /* its length; 0: strlen(answer) */
    const char *extra;           /* header lines added to a correct 101; NULL: none */
    bool split_answer;           /* the 101's blank line comes with the script, later */
    unsigned char script[70000]; /* frames written after the answer */
    size_t nscript;
    bool hangup_after_script; /* close the TCP connection once it is written */
    struct wsframe_rx rx;     /* the client's frames */
    char got[4096];           /* what the client sent: "T:..|G:..|C:1007|" */
    const char *on_ping[8];   /* bytes written in answer to the client's Nth PING */
    size_t non_ping;          /* ... how many (later PINGs get no answer at all) */
    size_t pings;             /* PINGs the client sent */
    bool eof;                 /* the client closed the TCP connection */
    SSL *ssl;                 /* TLS (wss), or NULL: plain */
    BIO *tls_in, *tls_out;    /* owned by ssl: ciphertext read and to write */
    bool close_notify;        /* the client ended TLS with a close_notify */
};

static struct {
    struct net_loop *loop;
    struct net_timer *guard, *later; /* later: writes a split answer's script */
    struct srv s;
    struct ws_conn *conn;
    int opens, closes;
    enum bot_err close_err;
    char why[200];
    char messages[4096];
    bool close_on_message;   /* ws_close() after the first message */
    uint64_t close_after_ms; /* ws_close() this long after on_open, or 0 */
    struct net_timer *closer;
    SSL_CTX *tls_ctx; /* the server's, for wss; or NULL */
    char ca_file[64]; /* the CA that signed its certificate, as PEM */
    uv_check_t check; /* counts the loop's turns */
    unsigned long turns;
} w;

static void
maybe_stop(void)
{
    if (w.closes > 0 && (w.s.eof || !w.s.have_peer))
        net_loop_stop(w.loop);
}

static void srv_write(const void *p, size_t len);

static int
srv_on_frame(void *arg, enum wsframe_kind kind, const char *buf, size_t len)
{
    size_t used = strlen(w.s.got);

    (void)arg;
    /* Never a PONG: bytes of the stream instead, while the script has some. */
    if (kind == WSFRAME_MSG_PING && w.s.pings++ < w.s.non_ping)
        srv_write(w.s.on_ping[w.s.pings - 1], strlen(w.s.on_ping[w.s.pings - 1]));
    if (kind == WSFRAME_MSG_CLOSE)
        snprintf(w.s.got + used, sizeof(w.s.got) - used, "C:%u|",
                 len >= 2 ? (unsigned)(unsigned char)buf[0] << 8 | (unsigned char)buf[1]
                          : 0);
    else
        snprintf(w.s.got + used, sizeof(w.s.got) - used, "%c:%.*s|", "TBOPGC"[kind],
                 (int)len, buf != NULL ? buf : "");
    return 0;
}

static void
srv_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b)
{
    (void)h;
    b->base = xmalloc(hint);
    b->len = hint;
}

static void
srv_written(uv_write_t *req, int status)
{
    (void)status;
    free(req->data);
    free(req);
}

static void
srv_closed(uv_handle_t *h)
{
    (void)h;
}

static void
srv_write_raw(const void *p, size_t len)
{
    uv_write_t *req = xmalloc(sizeof(*req));
    uv_buf_t b;

    req->data = xmalloc(len);
    memcpy(req->data, p, len);
    b = uv_buf_init(req->data, (unsigned)len);
    cr_assert_eq(uv_write(req, (uv_stream_t *)&w.s.peer, &b, 1, srv_written), 0);
}

/* Sends what TLS wrote. */
static void
srv_tls_flush(void)
{
    char *data;
    long n = BIO_get_mem_data(w.s.tls_out, &data);

    if (n > 0)
        srv_write_raw(data, (size_t)n);
    (void)BIO_reset(w.s.tls_out);
}

/* Writes @len bytes of the stream to the client (through TLS for wss). */
static void
srv_write(const void *p, size_t len)
{
    if (w.s.ssl == NULL) {
        srv_write_raw(p, len);
        return;
    }
    cr_assert_eq(SSL_write(w.s.ssl, p, (int)len), (int)len);
    srv_tls_flush();
}

static void
srv_shutdown_done(uv_shutdown_t *req, int status)
{
    (void)status;
    free(req);
}

static void srv_script(void);

static void
on_later(void *arg)
{
    (void)arg;
    srv_script();
}

/* The upgrade request is complete: answer it and write the script. */
static void
srv_answer(void)
{
    char accept[WSFRAME_ACCEPT_LEN + 1];
    const char *key = strstr(w.s.req, "Sec-WebSocket-Key: ");

    cr_assert_not_null(key, "the request has a key: %s", w.s.req);
    wsframe_accept_key(key + 19, accept);
    if (w.s.answer == NULL) {
        char *answer =
            xasprintf("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n%s\r\n",
                      accept, w.s.extra != NULL ? w.s.extra : "");

        /* Split: the headers now, their blank line with the frames 50 ms later. */
        srv_write(answer, strlen(answer) - (w.s.split_answer ? 2 : 0));
        free(answer);
        if (w.s.split_answer) {
            net_timer_start(w.later, 50);
            return;
        }
    } else {
        srv_write(w.s.answer, w.s.answer_len ? w.s.answer_len : strlen(w.s.answer));
    }
    srv_script();
}

/* Writes the script (a split answer's blank line first). */
static void
srv_script(void)
{
    if (w.s.split_answer)
        srv_write("\r\n", 2);
    if (w.s.nscript > 0)
        srv_write(w.s.script, w.s.nscript);
    if (w.s.hangup_after_script) {
        uv_shutdown_t *req = xmalloc(sizeof(*req));

        uv_shutdown(req, (uv_stream_t *)&w.s.peer, srv_shutdown_done);
    }
}

static void srv_plain(const unsigned char *p, size_t len);

static void
srv_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b)
{
    (void)st;
    if (n < 0) {
        w.s.eof = true;
        uv_read_stop((uv_stream_t *)&w.s.peer);
        maybe_stop();
    } else if (n > 0 && w.s.ssl != NULL) {
        unsigned char plain[16384];
        int got;

        cr_assert_eq(BIO_write(w.s.tls_in, b->base, (int)n), (int)n);
        if (!SSL_is_init_finished(w.s.ssl))
            (void)SSL_do_handshake(w.s.ssl);
        while ((got = SSL_read(w.s.ssl, plain, sizeof(plain))) > 0)
            srv_plain(plain, (size_t)got);
        if (SSL_get_error(w.s.ssl, got) == SSL_ERROR_ZERO_RETURN)
            w.s.close_notify = true;
        srv_tls_flush();
    } else if (n > 0) {
        srv_plain((const unsigned char *)b->base, (size_t)n);
    }
    free(b->base);
}

/* Bytes of the stream from the client (decrypted for wss). */
static void
srv_plain(const unsigned char *p, size_t len)
{
    if (!w.s.upgraded) {
        char *eoh;
        size_t take =
            len < sizeof(w.s.req) - 1 - w.s.nreq ? len : sizeof(w.s.req) - 1 - w.s.nreq;

        memcpy(w.s.req + w.s.nreq, p, take);
        w.s.nreq += take;
        w.s.req[w.s.nreq] = '\0';
        if ((eoh = strstr(w.s.req, "\r\n\r\n")) != NULL) {
            size_t end = (size_t)(eoh - w.s.req) + 4;

            w.s.upgraded = true;
            srv_answer();
            /* Frames right behind the request (none expected). */
            (void)wsframe_rx_feed(&w.s.rx, (const unsigned char *)w.s.req + end,
                                  w.s.nreq - end, srv_on_frame, NULL);
        }
    } else {
        (void)wsframe_rx_feed(&w.s.rx, p, len, srv_on_frame, NULL);
    }
}

static void
srv_on_connection(uv_stream_t *l, int status)
{
    cr_assert_eq(status, 0);
    cr_assert(!w.s.have_peer, "one connection only");
    uv_tcp_init(&w.loop->uv, &w.s.peer);
    cr_assert_eq(uv_accept(l, (uv_stream_t *)&w.s.peer), 0);
    w.s.have_peer = true;
    if (w.tls_ctx != NULL) {
        w.s.ssl = SSL_new(w.tls_ctx);
        w.s.tls_in = BIO_new(BIO_s_mem());
        w.s.tls_out = BIO_new(BIO_s_mem());
        BIO_set_mem_eof_return(w.s.tls_in, -1);
        SSL_set_bio(w.s.ssl, w.s.tls_in, w.s.tls_out);
        SSL_set_accept_state(w.s.ssl);
    }
    uv_read_start((uv_stream_t *)&w.s.peer, srv_alloc, srv_read);
}

static void
setup(void)
{
    memset(&w, 0, sizeof(w));
    xmalloc_json_init();
    w.loop = net_loop_new();
    w.guard = loop_guard_new(w.loop, 10000);
    w.later = net_timer_new(w.loop, on_later, NULL);
    wsframe_rx_init(&w.s.rx, 1 << 20, true);
    w.s.port = loop_listen(w.loop, &w.s.listener, 4, srv_on_connection);
}

static void
teardown(void)
{
    net_timer_free(w.closer);
    SSL_free(w.s.ssl);
    SSL_CTX_free(w.tls_ctx);
    if (w.ca_file[0] != '\0')
        unlink(w.ca_file);
    net_timer_free(w.guard);
    net_timer_free(w.later);
    uv_close((uv_handle_t *)&w.s.listener, srv_closed);
    if (w.s.have_peer)
        uv_close((uv_handle_t *)&w.s.peer, srv_closed);
    wsframe_rx_cleanup(&w.s.rx);
    net_loop_free(w.loop);
}

TestSuite(ws_raw, .init = setup, .fini = teardown, .timeout = 30);

static void
on_closer(void *arg)
{
    (void)arg;
    if (w.conn != NULL)
        ws_close(w.conn);
}

static void
on_open(struct ws_conn *conn, void *arg)
{
    (void)conn;
    (void)arg;
    w.opens++;
    if (w.close_after_ms > 0) {
        w.closer = net_timer_new(w.loop, on_closer, NULL);
        net_timer_start(w.closer, w.close_after_ms);
    }
}

static void
on_message(struct ws_conn *conn, void *arg, enum bot_err err, const char *buf, size_t len)
{
    (void)arg;
    loop_trace_message(w.messages, sizeof(w.messages), err, buf, len, 100);
    if (w.close_on_message)
        ws_close(conn);
}

static void
on_close(struct ws_conn *conn, void *arg, enum bot_err err, const char *why)
{
    (void)conn;
    (void)arg;
    w.closes++;
    w.close_err = err;
    snprintf(w.why, sizeof(w.why), "%s", why);
    w.conn = NULL;
    maybe_stop();
}

static unsigned ping_secs, hangup_secs; /* 0: the defaults */

static void
run(const char *auth, const char *subprotocol)
{
    char url[64];
    struct ws_options opt = {.max_message = 4096,
                             .ping_secs = ping_secs,
                             .hangup_secs = hangup_secs,
                             .auth_header = auth,
                             .subprotocol = subprotocol,
                             .name = "test",
                             .on_open = on_open,
                             .on_message = on_message,
                             .on_close = on_close,
                             .ca_file = w.tls_ctx != NULL ? w.ca_file : NULL};

    snprintf(url, sizeof(url), "%s://127.0.0.1:%d/socket?x=1",
             w.tls_ctx != NULL ? "wss" : "ws", w.s.port);
    cr_assert_eq(ws_connect(w.loop, url, &opt, &w.conn), BOT_OK);
    net_loop_run(w.loop);
}

/* The server speaks TLS with a certificate for @san, from a CA the client trusts. */
static void
serve_tls(const char *san)
{
    X509 *ca;

    w.tls_ctx = tls_server_ctx_new("valuesbot test server", san, &ca);
    snprintf(w.ca_file, sizeof(w.ca_file), "/tmp/valuesbot-test-ws-raw-%d.pem",
             (int)getpid());
    tls_write_pem(ca, w.ca_file);
    X509_free(ca);
}

/* Appends a server frame (unmasked) to the script. */
static void
script(bool fin, unsigned op, const void *payload, size_t len)
{
    size_t h = wsframe_header_format(w.s.script + w.s.nscript, op, len, NULL);

    if (!fin)
        w.s.script[w.s.nscript] &= 0x7f;
    memcpy(w.s.script + w.s.nscript + h, payload, len);
    w.s.nscript += h + len;
}

static void
script_raw(const void *p, size_t len)
{
    memcpy(w.s.script + w.s.nscript, p, len);
    w.s.nscript += len;
}

Test(ws_raw, upgrade_request_carries_the_rfc_headers_and_ours)
{
    script(true, WSFRAME_TEXT, "hi", 2);
    w.close_on_message = true;
    run("Bearer secret-token", NULL);
    cr_expect(strncmp(w.s.req, "GET /socket?x=1 HTTP/1.1\r\n", 26) == 0, "%s", w.s.req);
    cr_expect(strstr(w.s.req, "\r\nUpgrade: websocket\r\n") != NULL);
    cr_expect(strstr(w.s.req, "\r\nConnection: Upgrade\r\n") != NULL);
    cr_expect(strstr(w.s.req, "\r\nSec-WebSocket-Version: 13\r\n") != NULL);
    cr_expect(strstr(w.s.req, "\r\nAuthorization: Bearer secret-token\r\n") != NULL);
    cr_expect(strstr(w.s.req, "\r\nHost: 127.0.0.1:") != NULL);
    cr_expect(strstr(w.s.req, "Sec-WebSocket-Protocol") == NULL);
    cr_expect_str_eq(w.messages, "T:hi|");
    cr_expect_str_eq(w.s.got, "C:1000|", "a masked close frame, parsed as a server does");
    cr_expect_eq(w.close_err, BOT_OK);
}

Test(ws_raw, whole_stream_in_one_write_with_pings_between_fragments)
{
    static char big[3000];

    memset(big, 'z', sizeof(big));
    script(false, WSFRAME_TEXT, "frag", 4);
    script(true, WSFRAME_PING, "ping-1", 6);
    script(true, WSFRAME_CONT, "mented", 6);
    script(true, WSFRAME_BINARY, "\x01", 1);
    script(true, WSFRAME_TEXT, big, sizeof(big));    /* 16-bit length */
    script(true, WSFRAME_CLOSE, "\x03\xe9going", 7); /* 1001 */
    run(NULL, NULL);
    cr_expect_eq(w.opens, 1);
    cr_expect(strncmp(w.messages, "T:fragmented|B:|T:zzz", 21) == 0, "%s", w.messages);
    cr_expect_str_eq(w.s.got, "G:ping-1|C:1001|", "pong with the payload, close echoed");
    cr_expect_eq(w.closes, 1);
    cr_expect_eq(w.close_err, BOT_ENET, "closed by the server");
    cr_expect(strstr(w.why, "1001") != NULL, "%s", w.why);
}

struct bad_stream {
    const char *name;
    const char *bytes;
    size_t len;
    const char *got; /* the close the client sends */
};

static const struct bad_stream bad_streams[] = {
    {"invalid UTF-8 text", "\x81\x03\x61\xc3\x28", 5, "C:1007|"},
    {"masked frame from the server", "\x81\x82\x01\x02\x03\x04\x60\x60", 8, "C:1002|"},
    {"unknown opcode", "\x83\x00", 2, "C:1002|"},
    {"oversized ping", "\x89\x7e\x00\x80", 4, "C:1002|"},
    {"reserved bits", "\xf1\x00", 2, "C:1002|"},
};

Test(ws_raw, protocol_errors_close_with_their_code)
{
    for (size_t i = 0; i < sizeof(bad_streams) / sizeof(bad_streams[0]); i++) {
        const struct bad_stream *c = &bad_streams[i];

        /* A fresh world per case, as in setup(). */
        if (i > 0) {
            teardown();
            setup();
        }
        script(true, WSFRAME_TEXT, "before", 6);
        script_raw(c->bytes, c->len);
        script(true, WSFRAME_TEXT, "after", 5);
        run(NULL, NULL);
        cr_expect_str_eq(w.messages, "T:before|", "%s", c->name);
        cr_expect_str_eq(w.s.got, c->got, "%s", c->name);
        cr_expect_eq(w.closes, 1, "%s", c->name);
        cr_expect_eq(w.close_err, BOT_ENET, "%s", c->name);
        cr_expect(strstr(w.why, "protocol error") != NULL, "%s: %s", c->name, w.why);
    }
}

struct bad_answer {
    const char *name;
    const char *answer;
    size_t len; /* 0: strlen */
};

static const struct bad_answer bad_answers[] = {
    {"refused", "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", 0},
    {"wrong accept",
     "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
     "Connection: Upgrade\r\nSec-WebSocket-Accept: bm90IHRoZSByaWdodCBvbmU=\r\n\r\n",
     0},
    {"not a websocket", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", 0},
    {"NUL in the headers", "HTTP/1.1 101 Switching\0 Protocols\r\n\r\n", 37},
};

Test(ws_raw, bad_upgrade_answers_never_open)
{
    for (size_t i = 0; i < sizeof(bad_answers) / sizeof(bad_answers[0]); i++) {
        if (i > 0) {
            teardown();
            setup();
        }
        w.s.answer = bad_answers[i].answer;
        w.s.answer_len = bad_answers[i].len;
        script(true, WSFRAME_TEXT, "never", 5);
        run(NULL, NULL);
        cr_expect_eq(w.opens, 0, "%s", bad_answers[i].name);
        cr_expect_eq(w.closes, 1, "%s", bad_answers[i].name);
        cr_expect_eq(w.close_err, BOT_ENET, "%s", bad_answers[i].name);
        cr_expect_str_eq(w.messages, "", "%s", bad_answers[i].name);
    }
}

/* An answer's headers may take up to 16 KB, and the read that ends them may
   carry frames too (here the headers' blank line comes with 12 KB of frames);
   headers past 16 KB are refused. */
Test(ws_raw, long_upgrade_answer_with_frames_behind_it)
{
    static char pad[16 * 1024 + 64], big[4000];
    size_t n = 15 * 1024;

    memset(big, 'f', sizeof(big));
    memcpy(pad, "X-Pad: ", 7);
    memset(pad + 7, 'p', n);
    memcpy(pad + 7 + n, "\r\n", 3);
    w.s.extra = pad;
    w.s.split_answer = true;
    for (int i = 0; i < 3; i++)
        script(true, WSFRAME_TEXT, big, sizeof(big));
    script(true, WSFRAME_CLOSE, "\x03\xe8", 2);
    run(NULL, NULL);
    cr_expect_eq(w.opens, 1, "%s", w.why);
    /* on_message() keeps 100 bytes of each. */
    for (int i = 0; i < 3; i++) {
        const char *m = w.messages + i * 103;

        cr_expect(strncmp(m, "T:", 2) == 0 && strspn(m + 2, "f") == 100 && m[102] == '|',
                  "message %d: %.110s", i, m);
    }
    cr_expect_eq(strlen(w.messages), 3 * 103, "%s", w.messages);

    teardown();
    setup();
    memset(pad + 7, 'p', sizeof(pad) - 10);
    memcpy(pad + sizeof(pad) - 3, "\r\n", 3);
    w.s.extra = pad;
    script(true, WSFRAME_TEXT, "never", 5);
    run(NULL, NULL);
    cr_expect_eq(w.opens, 0);
    cr_expect(strstr(w.why, "too long") != NULL, "%s", w.why);
}

Test(ws_raw, subprotocol_asked_and_echoed)
{
    /* The scripted server names no subprotocol in its answer. */
    script(true, WSFRAME_TEXT, "x", 1);
    run(NULL, "xmpp");
    cr_expect(strstr(w.s.req, "\r\nSec-WebSocket-Protocol: xmpp\r\n") != NULL);
    cr_expect_eq(w.opens, 0, "a server that does not echo the subprotocol is refused");
}

Test(ws_raw, hangup_mid_frame_reports_once)
{
    script(true, WSFRAME_TEXT, "whole", 5);
    script_raw("\x81\x7e\x10\x00partial", 11); /* claims 4096 bytes */
    w.s.hangup_after_script = true;
    run(NULL, NULL);
    cr_expect_str_eq(w.messages, "T:whole|");
    cr_expect_eq(w.closes, 1);
    cr_expect_eq(w.close_err, BOT_ENET);
}

Test(ws_raw, oversized_message_is_skipped_and_the_connection_carries_on)
{
    static char big[6000];

    memset(big, 'o', sizeof(big));
    script(true, WSFRAME_TEXT, big, sizeof(big)); /* cap 4096 */
    script(true, WSFRAME_TEXT, "next", 4);
    script(true, WSFRAME_CLOSE, "\x03\xe8", 2);
    run(NULL, NULL);
    cr_expect_str_eq(w.messages, "L:|T:next|");
    cr_expect_str_eq(w.s.got, "C:1000|");
}

Test(ws_raw, a_silent_server_is_pinged_then_dropped)
{
    ping_secs = 1;
    hangup_secs = 2;
    script(true, WSFRAME_TEXT, "then silence", 12);
    run(NULL, NULL);
    cr_expect_str_eq(w.messages, "T:then silence|");
    cr_expect(strncmp(w.s.got, "P:|", 3) == 0, "a PING after 1 s: %s", w.s.got);
    cr_expect_eq(w.closes, 1);
    cr_expect_eq(w.close_err, BOT_ENET);
    cr_expect(strstr(w.why, "no data or pong") != NULL, "%s", w.why);
}

/*
 * The keepalive rule: a PING that goes unanswered is no reason to drop while
 * other bytes keep arriving (here, a piece of the stream in answer to each of
 * the first four PINGs, two of them only parts of a frame); silence is.  With
 * PINGs after 1 s and the drop after 3 s, a rule that wanted PONGs would drop
 * at 3 s, before the last piece; only a 2 s stall of this process could make
 * the test fail for want of time.
 */
Test(ws_raw, unanswered_pings_keep_a_streaming_connection_and_silence_drops_it)
{
    ping_secs = 1;
    hangup_secs = 3;
    net_timer_start(w.guard, 25000);
    w.s.on_ping[0] = "\x81\x05he"; /* a header and part of its payload */
    w.s.on_ping[1] = "llo";
    w.s.on_ping[2] = "\x81\x02ok";
    w.s.on_ping[3] = "\x81\x02go";
    w.s.non_ping = 4;
    run(NULL, NULL);
    cr_expect_str_eq(w.messages, "T:hello|T:ok|T:go|", "%s", w.why);
    cr_expect_eq(w.opens, 1);
    cr_expect_eq(w.closes, 1);
    cr_expect_eq(w.close_err, BOT_ENET);
    cr_expect(strstr(w.why, "no data or pong") != NULL, "%s", w.why);
    /* Four PINGs answered with bytes, then more PINGs into the silence. */
    cr_expect_geq(w.s.pings, 5, "%zu PINGs", w.s.pings);
    cr_expect(strstr(w.s.got, "G:") == NULL, "the client never sent a PONG: %s", w.s.got);
}

static void
on_check(uv_check_t *c)
{
    (void)c;
    w.turns++;
}

/*
 * Our close frame is out and the server does not answer it; the keepalive
 * PING falls due meanwhile (1 s after the open, the close at 0.5 s, its
 * wait ends at 1.5 s).  No PING may follow a close frame, and none is
 * owed: the socket must not be asked for WRITEABLE again and again until
 * the wait ends (it was, once a loop turn).  A loop turn is counted for
 * each wake-up, whatever the machine's load: a few dozen without that spin.
 */
Test(ws_raw, a_ping_due_after_our_close_frame_neither_goes_out_nor_spins)
{
    ping_secs = 1;
    hangup_secs = 10;
    w.close_after_ms = 500;
    uv_check_init(&w.loop->uv, &w.check);
    uv_check_start(&w.check, on_check);
    run(NULL, NULL);
    uv_check_stop(&w.check);
    uv_close((uv_handle_t *)&w.check, NULL);
    cr_expect_eq(w.opens, 1);
    cr_expect_eq(w.closes, 1);
    cr_expect_eq(w.close_err, BOT_OK, "%s", w.why);
    cr_expect_str_eq(w.s.got, "C:1000|", "our close frame and nothing after it");
    cr_expect_lt(w.turns, 500, "%lu loop turns", w.turns);
}

/*
 * wss: the same stream through TLS (a message over one TLS record among
 * them); the server closes, the client answers, and TLS ends with a
 * close_notify, not a bare TCP close the server would read as truncation.
 */
Test(ws_raw, wss_stream_then_the_close_handshake_ends_tls_cleanly)
{
    static char big[3000];

    memset(big, 'z', sizeof(big));
    serve_tls("IP:127.0.0.1");
    script(true, WSFRAME_TEXT, "over tls", 8);
    script(true, WSFRAME_PING, "p", 1);
    script(true, WSFRAME_TEXT, big, sizeof(big));
    script(true, WSFRAME_CLOSE, "\x03\xe8", 2);
    run(NULL, NULL);
    cr_expect_eq(w.opens, 1, "%s", w.why);
    cr_expect(strncmp(w.messages, "T:over tls|T:zzz", 16) == 0, "%s", w.messages);
    cr_expect_str_eq(w.s.got, "G:p|C:1000|", "pong, then the close echoed");
    cr_expect_eq(w.closes, 1);
    cr_expect(w.s.close_notify, "TLS ended with a close_notify");
}

Test(ws_raw, wss_certificate_for_another_address_is_refused_before_the_upgrade)
{
    serve_tls("IP:127.0.0.2");
    script(true, WSFRAME_TEXT, "never", 5);
    run(NULL, NULL);
    cr_expect_eq(w.opens, 0);
    cr_expect_eq(w.closes, 1);
    cr_expect_eq(w.close_err, BOT_ENET);
    cr_expect(strstr(w.why, "IP address mismatch") != NULL, "%s", w.why);
    cr_expect_eq(w.s.nreq, 0, "no upgrade request (no token) went to it");
    cr_expect_str_eq(w.messages, "");
}
