/*
 * ws_handshake.c - what a websocket client connection does between the TCP
 * connect and its first frame: TLS for wss (ws_tls.c, then the same layer
 * decrypts every read), the HTTP/1.1 upgrade request and the check of the
 * server's answer (RFC 6455 section 4).
 */
#include "bot/net/ws_int.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "bot/base/log.h"

int
ws_handshake_answer(struct ws_conn *conn, const unsigned char **p, size_t *len)
{
    size_t from = conn->hs.len > 3 ? conn->hs.len - 3 : 0, end;
    const char *eoh, *bad;
    int status;

    /* NUL bytes in the answer end the search early: then it is refused. */
    if (buf_add(&conn->hs, *p, *len) != BOT_OK ||
        ((eoh = strstr(conn->hs.data + from, "\r\n\r\n")) == NULL &&
         conn->hs.len > WS_MAX_RESPONSE) ||
        (eoh != NULL && (size_t)(eoh - conn->hs.data) + 4 > WS_MAX_RESPONSE)) {
        log_warnx("%s: websocket upgrade answer too long", conn->name);
        ws_set_why(conn, "upgrade answer too long");
        return -1;
    }
    if (eoh == NULL) {
        if (conn->hs.len == strlen(conn->hs.data))
            return 0;
        ws_set_why(conn, "upgrade answer holds a NUL byte");
        return -1;
    }
    end = (size_t)(eoh - conn->hs.data) + 4;
    if (wsframe_upgrade_check(conn->hs.data, end, conn->accept, conn->subprotocol,
                              &status, &bad) != BOT_OK) {
        log_warnx("%s: websocket upgrade refused: HTTP %d, %s", conn->name, status, bad);
        ws_set_why(conn, "upgrade refused: HTTP %d, %s", status, bad);
        return -1;
    }
    conn->upgraded = true;
    *p = (const unsigned char *)conn->hs.data + end;
    *len = conn->hs.len - end;
    lws_set_timeout(conn->wsi, NO_PENDING_TIMEOUT, 0);
    if (conn->close_requested)
        return -1;
    conn->open = true;
    conn->last_rx = net_loop_now(conn->loop);
    net_timer_start(conn->ping_timer, (uint64_t)conn->opt.ping_secs * 1000);
    conn->opt.on_open(conn, conn->opt.arg);
    if (conn->reported)
        return -1;
    return 1;
}

/* Writes the upgrade request (RFC 6455 4.1). */
static int
send_upgrade(struct ws_conn *conn)
{
    unsigned char nonce[16];
    char key[WSFRAME_KEY_LEN + 1];
    bool v6 = strchr(conn->url.host, ':') != NULL;
    bool dflt = conn->url.port == (conn->url.tls ? 443 : 80);
    struct buf req;
    int rc;

    /* lws's /dev/urandom, read once per connection (OpenSSL's RNG would
     * start its DRBG, heap and pages, for a plaintext connection too). */
    if (lws_get_random(lws_get_context(conn->wsi), nonce, sizeof(nonce)) !=
            sizeof(nonce) ||
        lws_get_random(lws_get_context(conn->wsi), &conn->rng, sizeof(conn->rng)) !=
            sizeof(conn->rng))
        fatalx("net: no randomness from the system");
    conn->rng |= 1; /* xorshift must not start at 0 */
    EVP_EncodeBlock((unsigned char *)key, nonce, sizeof(nonce));
    wsframe_accept_key(key, conn->accept);

    buf_init(&req, WS_MAX_RESPONSE);
    (void)buf_printf(&req, "GET %s HTTP/1.1\r\nHost: %s%s%s", conn->url.path,
                     v6 ? "[" : "", conn->url.host, v6 ? "]" : "");
    if (!dflt)
        (void)buf_printf(&req, ":%d", conn->url.port);
    (void)buf_printf(&req,
                     "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
                     "Origin: %s://%s%s%s",
                     key, conn->url.tls ? "https" : "http", v6 ? "[" : "", conn->url.host,
                     v6 ? "]" : "");
    if (!dflt)
        (void)buf_printf(&req, ":%d", conn->url.port);
    (void)buf_adds(&req, "\r\n");
    if (conn->subprotocol != NULL)
        (void)buf_printf(&req, "Sec-WebSocket-Protocol: %s\r\n", conn->subprotocol);
    if (conn->auth_header != NULL)
        (void)buf_printf(&req, "Authorization: %s\r\n", conn->auth_header);
    if (buf_adds(&req, "\r\n") != BOT_OK) {
        ws_set_why(conn, "upgrade request too long");
        rc = -1;
    } else {
        rc = ws_io_write(conn, (const unsigned char *)req.data, req.len);
    }
    buf_cleanup_secret(&req); /* it holds the token */
    return rc;
}

/* Starts TLS on a connected socket: its ClientHello goes out. */
static int
tls_start(struct ws_conn *conn)
{
    SSL_CTX *ctx = net_tls_client_ctx(conn->loop, conn->ca_file);

    if (ctx == NULL) {
        ws_set_why(conn, "TLS: cannot load the CA file");
        return -1;
    }
    if ((conn->tls = ws_tls_new(ctx, conn->url.host)) == NULL) {
        log_warnx("%s: TLS cannot start for %s", conn->name, conn->url.host);
        ws_set_why(conn, "TLS: cannot start");
        return -1;
    }
    return ws_io_tls_flush(conn);
}

/* Ciphertext from the socket: finish the handshake, then decrypt. */
int
ws_handshake_tls_bytes(struct ws_conn *conn, const unsigned char *in, size_t len)
{
    unsigned char plain[WS_READ_CHUNK];
    enum bot_err err = ws_tls_feed(conn->tls, in, len);
    size_t n;

    if (err == BOT_EAGAIN)
        return ws_io_tls_flush(conn);
    if (err == BOT_OK && !conn->tls_done) {
        conn->tls_done = true;
        if (ws_io_tls_flush(conn) < 0 || send_upgrade(conn) < 0)
            return -1;
    }
    while (err == BOT_OK &&
           (err = ws_tls_read(conn->tls, plain, sizeof(plain), &n)) == BOT_OK) {
        if (ws_io_stream(conn, plain, n) < 0)
            return -1;
    }
    if (err == BOT_ENET) {
        if (!conn->tls_done || !conn->peer_closed) {
            log_warnx("%s: %s with %s", conn->name, ws_tls_why(conn->tls),
                      conn->url.host);
            ws_set_why(conn, "%s", ws_tls_why(conn->tls));
        }
        return -1;
    }
    return ws_io_tls_flush(conn);
}

int
ws_handshake_start(struct ws_conn *conn)
{
    return conn->url.tls ? tls_start(conn) : send_upgrade(conn);
}
