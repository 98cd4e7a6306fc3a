/*
 * ws.c - websocket client connections: lws carries the bytes, we frame them.
 *
 * libwebsockets 4.1 parses a client's incoming frames one byte at a time
 * (lws_ws_client_rx_sm() per byte), a fifth of the CPU of a Slack reply.
 * So a connection is an lws "RAW" client socket on the lws/libuv loop, and
 * everything above TCP is ours: TLS (ws_tls.c: OpenSSL over memory BIOs,
 * with the loop's verifying context, since lws 4.1 cannot finish a TLS
 * handshake on a raw client socket), the HTTP/1.1 upgrade (RFC 6455
 * section 4), and framing with wsframe.c, which takes whole reads.
 *
 * A connection object lives from ws_connect() until lws destroys its wsi
 * (LWS_CALLBACK_WSI_DESTROY), so lws never holds a pointer to freed memory;
 * the owner hears about the end once, through on_close.
 */
#include "bot/net/ws.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "bot/base/buf.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/net/net_int.h"
#include "bot/net/url.h"
#include "bot/net/ws_tls.h"
#include "bot/net/wsframe.h"

#define WS_DEFAULT_MAX    (1024 * 1024)
#define WS_MAX_QUEUED     (4 * 1024 * 1024) /* bytes waiting to be written */
#define WS_CLOSE_WAIT_MS  1000              /* some servers never answer a close frame */
#define WS_HANDSHAKE_SECS 20                /* connect to upgrade answer, TLS included */
#define WS_MAX_RESPONSE   (16 * 1024)       /* the server's upgrade answer, headers */
#define WS_WRITE_BATCH    (16 * 1024)       /* frames joined into one write */
#define WS_READ_CHUNK     (16 * 1024)       /* plaintext taken from TLS at a time */

struct ws_frame {
    struct ws_frame *next;
    ws_sent_fn *on_sent; /* or NULL */
    void *arg;
    size_t len;           /* payload bytes (what the queue cap counts) */
    size_t wire;          /* header and payload bytes, from start */
    unsigned char *start; /* the header, inside data */
    unsigned char data[]; /* WSFRAME_MAX_HEADER bytes of room, then the payload */
};

/* A frame written at once, whose sender hears so once the receive callback ends. */
struct ws_written {
    ws_sent_fn *on_sent;
    void *arg;
};

/*
 * A frame sent while its connection's message callback runs (a Slack ack)
 * is written at once when nothing waits before it, up to this size:
 * waiting for a WRITEABLE callback cost four epoll_ctl() calls per frame
 * (lws switches POLLOUT on and off, and libuv re-registers the socket each
 * time), for a socket that is nearly always writable.  lws keeps whatever
 * the kernel does not take and sends it before anything else.
 */
#define WS_DIRECT_MAX 1024

struct ws_conn {
    struct net_loop *loop;
    struct lws *wsi;                     /* NULL once lws has destroyed it */
    struct ws_options opt;               /* strings below are the owned copies */
    char *name;                          /* owned */
    char *auth_header;                   /* owned secret */
    char *subprotocol;                   /* owned */
    char *ca_file;                       /* owned, or NULL: the system's CAs */
    struct url url;                      /* owned */
    struct ws_tls *tls;                  /* owned, for wss; NULL until connected */
    bool tls_done;                       /* the TLS handshake finished and was verified */
    char accept[WSFRAME_ACCEPT_LEN + 1]; /* the Sec-WebSocket-Accept we expect */
    struct buf hs;                       /* the upgrade answer being read */
    bool upgraded;                       /* the server said 101 and passed our checks */
    struct wsframe_rx rx;                /* the incoming frame stream */
    uint64_t rng;                        /* xorshift64* state for mask keys */
    struct ws_frame *head, *tail;        /* owned queue of frames to write */
    size_t queued;                       /* payload bytes in the queue */
    bool ping_due;                       /* our keepalive PING waits to be written */
    bool pong_due;                       /* a PONG waits to be written, with: */
    unsigned char pong[WSFRAME_MAX_CONTROL];
    size_t npong;
    int close_code;       /* the code of the close frame to write, or 0 */
    size_t nclose_reason; /* ... and how many bytes of close_reason */
    char close_reason[WSFRAME_MAX_CONTROL - 2];
    bool hangup_after_close;       /* drop the socket once the close frame is out */
    char why[160];                 /* what ended the connection, for on_close */
    struct net_timer *close_timer; /* owned */
    struct net_timer *ping_timer;  /* owned: keepalive */
    uint64_t last_rx;              /* loop time of the last bytes received, ms */
    uv_getaddrinfo_t gai;          /* the host name lookup */
    bool resolving;                /* the lookup has not called back yet */
    bool in_connect;               /* inside lws_client_connect_via_info() */
    bool open;                     /* between the upgrade and the close */
    bool close_requested;          /* ws_close() was called */
    bool close_sent;               /* our close frame is out: nothing more can be */
    bool peer_closed;              /* the server's close frame arrived */
    bool reported;                 /* on_close has run (or must never run) */
    bool kill;                     /* drop the socket at lws's next callback */
    bool in_message;               /* inside opt.on_message: frames may go at once */
    struct ws_written *written;    /* owned: frames written during it, to tell */
    size_t nwritten, maxwritten;
    unsigned char *out; /* owned: WS_WRITE_BATCH bytes to join frames in, or NULL */
};

/* Tells the senders of frames written at once (BOT_OK), unless @quiet. */
static void
written_flush(struct ws_conn *conn, bool quiet)
{
    /* A sender may send again from its callback: take one at a time. */
    for (size_t i = 0; i < conn->nwritten; i++) {
        struct ws_written w = conn->written[i];

        if (!quiet && w.on_sent != NULL)
            w.on_sent(conn, w.arg, BOT_OK);
    }
    conn->nwritten = 0;
}

/* Drops the queue; tells the senders that asked, unless @quiet. */
static void
queue_free(struct ws_conn *conn, bool quiet)
{
    struct ws_frame *f;

    while ((f = conn->head) != NULL) {
        conn->head = f->next;
        if (f->on_sent != NULL && !quiet && !conn->in_connect)
            f->on_sent(conn, f->arg, BOT_ENET);
        free(f);
    }
    conn->head = conn->tail = NULL;
    conn->queued = 0;
}

static void
conn_free(struct ws_conn *conn)
{
    queue_free(conn, true);
    written_flush(conn, true);
    free(conn->written);
    free(conn->out);
    buf_cleanup(&conn->hs);
    wsframe_rx_cleanup(&conn->rx);
    ws_tls_free(conn->tls);
    net_timer_free(conn->close_timer);
    net_timer_free(conn->ping_timer);
    xfree_secret(conn->auth_header);
    free(conn->name);
    free(conn->subprotocol);
    free(conn->ca_file);
    url_cleanup(&conn->url);
    free(conn);
}

static void
report_close(struct ws_conn *conn, enum bot_err err, const char *why)
{
    if (conn->reported)
        return;
    conn->reported = true;
    conn->open = false;
    /* Frames already on the wire went before the queue's: they were sent. */
    written_flush(conn, false);
    queue_free(conn, false);
    net_timer_stop(conn->close_timer);
    net_timer_stop(conn->ping_timer);
    if (conn->in_connect)
        return; /* ws_connect() reports the failure to its caller instead */
    if (conn->why[0] != '\0')
        why = conn->why;
    conn->opt.on_close(conn, conn->opt.arg, conn->close_requested ? BOT_OK : err, why);
}

/* Notes the first reason the connection ends (later ones are consequences). */
static void set_why(struct ws_conn *conn, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_why(struct ws_conn *conn, const char *fmt, ...)
{
    va_list ap;

    if (conn->why[0] != '\0')
        return;
    va_start(ap, fmt);
    vsnprintf(conn->why, sizeof(conn->why), fmt, ap);
    va_end(ap);
}

/*
 * Drops the socket from outside an lws callback of this connection.  An
 * lws timeout set from a libuv timer is only seen at lws's next event, so
 * the socket is also asked for a WRITEABLE callback, which returns -1.
 */
static void
hang_up(struct ws_conn *conn)
{
    conn->kill = true;
    if (conn->wsi != NULL) {
        lws_set_timeout(conn->wsi, PENDING_TIMEOUT_CLOSE_ACK, LWS_TO_KILL_ASYNC);
        lws_callback_on_writable(conn->wsi);
    }
}

/* Hands the ciphertext TLS produced to lws.  -1 when the socket failed. */
static int
tls_flush(struct ws_conn *conn)
{
    size_t n;
    const unsigned char *p = ws_tls_pending(conn->tls, &n);
    int rc = 0;

    if (n > 0) {
        if (lws_write(conn->wsi, (unsigned char *)p, n, LWS_WRITE_RAW) < 0)
            rc = -1;
        ws_tls_sent(conn->tls);
    }
    return rc;
}

/*
 * Writes @len bytes of the websocket stream (through TLS for wss).  For a
 * raw socket lws_write() takes everything: what the kernel does not, lws
 * keeps and sends before any later write.  -1 when the socket failed.
 */
static int
stream_write(struct ws_conn *conn, const unsigned char *p, size_t len)
{
    if (conn->tls == NULL)
        return lws_write(conn->wsi, (unsigned char *)p, len, LWS_WRITE_RAW) < 0 ? -1 : 0;
    if (ws_tls_write(conn->tls, p, len) != BOT_OK)
        return -1;
    return tls_flush(conn);
}

/* Returns 4 fresh mask bytes (xorshift64*, seeded from the system's RNG). */
static void
mask_key(struct ws_conn *conn, unsigned char *key)
{
    uint64_t x = conn->rng;
    uint32_t k;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    conn->rng = x;
    k = (uint32_t)((x * 0x2545f4914f6cdd1dULL) >> 32);
    memcpy(key, &k, 4);
}

/* Builds a masked frame at @out (room for WSFRAME_MAX_HEADER + @len); returns its size.
 */
static size_t
frame_build(struct ws_conn *conn, unsigned char *out, unsigned op, const void *payload,
            size_t len)
{
    unsigned char key[4];
    size_t h;

    mask_key(conn, key);
    h = wsframe_header_format(out, op, len, key);
    if (len > 0) {
        memcpy(out + h, payload, len);
        wsframe_mask(out + h, len, key, 0);
    }
    return h + len;
}

static void
on_close_timeout(void *arg)
{
    struct ws_conn *conn = arg;

    /* The peer did not answer our close frame in time: drop the socket. */
    hang_up(conn);
}

static void
on_ping_timer(void *arg)
{
    struct ws_conn *conn = arg;
    uint64_t ping_ms = (uint64_t)conn->opt.ping_secs * 1000;
    uint64_t hangup_ms = (uint64_t)conn->opt.hangup_secs * 1000;
    uint64_t idle = net_loop_now(conn->loop) - conn->last_rx;

    if (!conn->open || conn->wsi == NULL)
        return;
    if (idle >= hangup_ms) {
        log_warnx("%s: websocket silent for %llu s: dropping it", conn->name,
                  (unsigned long long)(idle / 1000));
        set_why(conn, "no data or pong for %llu s", (unsigned long long)(idle / 1000));
        hang_up(conn);
        return;
    }
    if (idle >= ping_ms) {
        conn->ping_due = true;
        lws_callback_on_writable(conn->wsi);
        net_timer_start(conn->ping_timer,
                        hangup_ms - idle < ping_ms ? hangup_ms - idle : ping_ms);
        return;
    }
    net_timer_start(conn->ping_timer, ping_ms - idle);
}

/* Queues a close frame with @code (0: none) and a reason of @len bytes (or NULL). */
static void
close_queue(struct ws_conn *conn, int code, const char *reason, size_t len, bool hangup)
{
    if (conn->close_code != 0 || conn->close_sent)
        return;
    conn->close_code = code != 0 ? code : -1;
    if (len > sizeof(conn->close_reason))
        len = sizeof(conn->close_reason);
    if (len > 0)
        memcpy(conn->close_reason, reason, len);
    conn->nclose_reason = len;
    conn->hangup_after_close = hangup;
    if (conn->wsi != NULL)
        lws_callback_on_writable(conn->wsi);
}

/* Tells the senders of the written frames @sent (a list) and frees them. */
static void
sent_tell(struct ws_conn *conn, struct ws_frame *sent)
{
    struct ws_frame *f;

    while ((f = sent) != NULL) {
        sent = f->next;
        if (f->on_sent != NULL && !conn->reported)
            f->on_sent(conn, f->arg, BOT_OK);
        free(f);
    }
}

/* Writes the close frame conn->close_code asks for.  -1 when the socket failed. */
static int
close_write(struct ws_conn *conn)
{
    unsigned char cl[WSFRAME_MAX_HEADER + WSFRAME_MAX_CONTROL];
    unsigned char pl[WSFRAME_MAX_CONTROL];
    size_t n = 0;

    if (conn->close_code > 0) {
        pl[0] = (unsigned char)(conn->close_code >> 8);
        pl[1] = (unsigned char)(conn->close_code & 0xff);
        memcpy(pl + 2, conn->close_reason, conn->nclose_reason);
        n = 2 + conn->nclose_reason;
    }
    conn->close_sent = true;
    return stream_write(conn, cl, frame_build(conn, cl, WSFRAME_CLOSE, pl, n));
}

/*
 * Writes what waits: a PONG, our PING, frames (joined, up to a batch),
 * then the close frame once the queue is empty.  -1 to drop the socket.
 */
static int
on_writeable(struct ws_conn *conn)
{
    struct ws_frame *f, *sent = NULL, *last = NULL;
    size_t used = 0;
    int rc = 0;

    if (conn->out == NULL)
        conn->out = xmalloc(WS_WRITE_BATCH);
    if (conn->pong_due) {
        conn->pong_due = false;
        used +=
            frame_build(conn, conn->out + used, WSFRAME_PONG, conn->pong, conn->npong);
    }
    if (conn->ping_due && !conn->close_sent) {
        conn->ping_due = false;
        used += frame_build(conn, conn->out + used, WSFRAME_PING, NULL, 0);
    }
    for (f = conn->close_sent ? NULL : conn->head; f != NULL; f = f->next) {
        if (used + f->wire > WS_WRITE_BATCH) {
            /* A frame bigger than a batch goes out on its own. */
            if (used == 0) {
                if (stream_write(conn, f->start, f->wire) < 0)
                    goto fail;
                last = f;
            }
            break;
        }
        memcpy(conn->out + used, f->start, f->wire);
        used += f->wire;
        last = f;
    }
    if (used > 0 && stream_write(conn, conn->out, used) < 0)
        goto fail;
    /* The frames up to @last are written: take them off the queue. */
    if (last != NULL) {
        sent = conn->head;
        conn->head = last->next;
        last->next = NULL;
        if (conn->head == NULL)
            conn->tail = NULL;
        for (f = sent; f != NULL; f = f->next)
            conn->queued -= f->len;
    }
    if (conn->head == NULL && conn->close_code != 0 && !conn->close_sent) {
        if (close_write(conn) < 0)
            rc = -1;
        else if (conn->hangup_after_close)
            rc = -1; /* the answer to the peer's close, or a protocol error: done */
    }
    if (rc == 0 && (conn->head != NULL || conn->pong_due || conn->ping_due ||
                    (conn->close_code != 0 && !conn->close_sent)))
        lws_callback_on_writable(conn->wsi);
    sent_tell(conn, sent);
    return rc;
fail:
    log_warnx("%s: websocket write failed", conn->name);
    set_why(conn, "write failed");
    return -1;
}

/* One whole message or control frame from the server. */
static int
on_frame(void *arg, enum wsframe_kind kind, const char *buf, size_t len)
{
    struct ws_conn *conn = arg;

    switch (kind) {
    case WSFRAME_MSG_TEXT:
    case WSFRAME_MSG_BINARY:
    case WSFRAME_MSG_OVER:
        if (!conn->open)
            return 0; /* closing: what still arrives is dropped */
        conn->in_message = true;
        if (kind == WSFRAME_MSG_TEXT)
            conn->opt.on_message(conn, conn->opt.arg, BOT_OK, buf, len);
        else
            conn->opt.on_message(conn, conn->opt.arg,
                                 kind == WSFRAME_MSG_OVER ? BOT_ELIMIT : BOT_EIGNORE,
                                 NULL, 0);
        conn->in_message = false;
        written_flush(conn, conn->reported);
        return conn->reported;
    case WSFRAME_MSG_PING:
        /* Only the latest ping needs its pong (RFC 6455 5.5.3). */
        memcpy(conn->pong, buf, len);
        conn->npong = len;
        conn->pong_due = true;
        lws_callback_on_writable(conn->wsi);
        return 0;
    case WSFRAME_MSG_PONG:
        return 0;
    case WSFRAME_MSG_CLOSE:
        conn->peer_closed = true;
        conn->open = false;
        if (len >= 2)
            set_why(conn, "closed by the server (%u)",
                    (unsigned)(unsigned char)buf[0] << 8 | (unsigned char)buf[1]);
        else
            set_why(conn, "closed by the server");
        /* Echo the code (RFC 6455 5.5.1), unless this answers our own close. */
        if (!conn->close_sent) {
            close_queue(conn,
                        len >= 2 ? (unsigned char)buf[0] << 8 | (unsigned char)buf[1] : 0,
                        NULL, 0, true);
            /* Ours may be queued already (ws_close()): no answer will follow it. */
            conn->hangup_after_close = true;
        }
        return 1;
    }
    return 0;
}

/*
 * Bytes of the websocket stream from the server (decrypted for wss).
 * Returns -1 to drop the socket.
 */
static int
on_stream(struct ws_conn *conn, const unsigned char *p, size_t len)
{
    if (!conn->upgraded) {
        size_t from = conn->hs.len > 3 ? conn->hs.len - 3 : 0, end;
        const char *eoh, *bad;
        int status;

        /* NUL bytes in the answer end the search early: then it is refused. */
        if (buf_add(&conn->hs, p, len) != BOT_OK ||
            ((eoh = strstr(conn->hs.data + from, "\r\n\r\n")) == NULL &&
             conn->hs.len > WS_MAX_RESPONSE) ||
            (eoh != NULL && (size_t)(eoh - conn->hs.data) + 4 > WS_MAX_RESPONSE)) {
            log_warnx("%s: websocket upgrade answer too long", conn->name);
            set_why(conn, "upgrade answer too long");
            return -1;
        }
        if (eoh == NULL) {
            if (conn->hs.len == strlen(conn->hs.data))
                return 0;
            set_why(conn, "upgrade answer holds a NUL byte");
            return -1;
        }
        end = (size_t)(eoh - conn->hs.data) + 4;
        if (wsframe_upgrade_check(conn->hs.data, end, conn->accept, conn->subprotocol,
                                  &status, &bad) != BOT_OK) {
            log_warnx("%s: websocket upgrade refused: HTTP %d, %s", conn->name, status,
                      bad);
            set_why(conn, "upgrade refused: HTTP %d, %s", status, bad);
            return -1;
        }
        conn->upgraded = true;
        p = (const unsigned char *)conn->hs.data + end;
        len = conn->hs.len - end;
        lws_set_timeout(conn->wsi, NO_PENDING_TIMEOUT, 0);
        if (conn->close_requested)
            return -1;
        conn->open = true;
        conn->last_rx = net_loop_now(conn->loop);
        net_timer_start(conn->ping_timer, (uint64_t)conn->opt.ping_secs * 1000);
        conn->opt.on_open(conn, conn->opt.arg);
        if (conn->reported)
            return -1;
        if (len == 0) {
            buf_cleanup(&conn->hs);
            return 0;
        }
    }
    if (wsframe_rx_feed(&conn->rx, p, len, on_frame, conn) != BOT_OK) {
        log_warnx("%s: websocket protocol error: %s", conn->name, conn->rx.why);
        set_why(conn, "protocol error: %s", conn->rx.why);
        conn->open = false;
        close_queue(conn, conn->rx.close_code, conn->rx.why, strlen(conn->rx.why), true);
    }
    if (conn->hs.data != NULL)
        buf_cleanup(&conn->hs);
    /* The answer to our close frame ends it. */
    if (conn->peer_closed && conn->close_sent)
        return -1;
    return conn->reported ? -1 : 0;
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
        set_why(conn, "upgrade request too long");
        rc = -1;
    } else {
        rc = stream_write(conn, (const unsigned char *)req.data, req.len);
    }
    /* It holds the secret: wipe it. */
    if (req.data != NULL) {
        volatile char *v = req.data;

        for (size_t i = 0; i < req.len; i++)
            v[i] = '\0';
    }
    buf_cleanup(&req);
    return rc;
}

/* Starts TLS on a connected socket: its ClientHello goes out. */
static int
tls_start(struct ws_conn *conn)
{
    SSL_CTX *ctx = net_tls_client_ctx(conn->loop, conn->ca_file);

    if (ctx == NULL) {
        set_why(conn, "TLS: cannot load the CA file");
        return -1;
    }
    if ((conn->tls = ws_tls_new(ctx, conn->url.host)) == NULL) {
        log_warnx("%s: TLS cannot start for %s", conn->name, conn->url.host);
        set_why(conn, "TLS: cannot start");
        return -1;
    }
    return tls_flush(conn);
}

/* Ciphertext from the socket: finish the handshake, then decrypt. */
static int
on_tls_bytes(struct ws_conn *conn, const unsigned char *in, size_t len)
{
    unsigned char plain[WS_READ_CHUNK];
    enum bot_err err = ws_tls_feed(conn->tls, in, len);
    size_t n;

    if (err == BOT_EAGAIN)
        return tls_flush(conn);
    if (err == BOT_OK && !conn->tls_done) {
        conn->tls_done = true;
        if (tls_flush(conn) < 0 || send_upgrade(conn) < 0)
            return -1;
    }
    while (err == BOT_OK &&
           (err = ws_tls_read(conn->tls, plain, sizeof(plain), &n)) == BOT_OK) {
        if (on_stream(conn, plain, n) < 0)
            return -1;
    }
    if (err == BOT_ENET) {
        if (!conn->tls_done || !conn->peer_closed) {
            log_warnx("%s: %s with %s", conn->name, ws_tls_why(conn->tls),
                      conn->url.host);
            set_why(conn, "%s", ws_tls_why(conn->tls));
        }
        return -1;
    }
    return tls_flush(conn);
}

static int
ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
            size_t len)
{
    struct ws_conn *conn = wsi != NULL ? lws_get_opaque_user_data(wsi) : NULL;

    if (conn == NULL)
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    switch (reason) {
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        report_close(conn, BOT_ENET, in != NULL ? (const char *)in : "connection failed");
        break;
    case LWS_CALLBACK_RAW_CONNECTED:
        lws_set_timeout(wsi, PENDING_TIMEOUT_AWAITING_SERVER_RESPONSE, WS_HANDSHAKE_SECS);
        if (conn->close_requested || conn->reported || conn->kill)
            return -1;
        return conn->url.tls ? tls_start(conn) : send_upgrade(conn);
    case LWS_CALLBACK_RAW_RX:
        if (conn->reported || conn->kill)
            return -1;
        conn->last_rx = net_loop_now(conn->loop);
        if (conn->tls != NULL)
            return on_tls_bytes(conn, in, len);
        return on_stream(conn, in, len);
    case LWS_CALLBACK_RAW_WRITEABLE:
        if (conn->kill)
            return -1;
        if (!conn->upgraded || (conn->tls != NULL && !conn->tls_done))
            return 0;
        return on_writeable(conn);
    case LWS_CALLBACK_RAW_CLOSE:
        report_close(conn, BOT_ENET, "connection closed");
        break;
    case LWS_CALLBACK_WSI_DESTROY:
        report_close(conn, BOT_ENET, "connection lost");
        lws_set_opaque_user_data(wsi, NULL);
        conn->wsi = NULL;
        if (!conn->in_connect)
            conn_free(conn);
        break;
    default:
        break;
    }
    return 0;
}

/*
 * lws hands a raw socket at most tx_packet_size bytes per send() and keeps
 * the rest for the next POLLOUT, while on_sent has already been told: a
 * 4 KB cap (the default) let a Slack slash command's long ack trail its
 * response_url post.  So everything a write holds goes to the kernel at once.
 */
#define WS_TX_PACKET (WS_MAX_QUEUED + WS_WRITE_BATCH)

const struct lws_protocols ws_protocols[] = {
    {"valuesbot-ws", ws_callback, 0, 0, 0, NULL, WS_TX_PACKET},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

/*
 * Hands @conn to lws, to open a raw TCP connection to @address (an IP
 * literal, so lws does no blocking lookup).  BOT_ENET when lws fails
 * inside the call; no callback has run then.
 */
static enum bot_err
start_lws(struct ws_conn *conn, const char *address)
{
    struct lws_client_connect_info i;
    struct lws_context *ctx;

    if (net_lws_context(conn->loop, &ctx) != BOT_OK)
        return BOT_ENET;
    memset(&i, 0, sizeof(i));
    i.context = ctx;
    i.address = address;
    i.port = conn->url.port;
    i.path = conn->url.path;
    i.host = conn->url.host;
    i.method = "RAW";
    i.local_protocol_name = ws_protocols[0].name;
    i.opaque_user_data = conn;
    i.pwsi = &conn->wsi;

    conn->in_connect = true;
    (void)lws_client_connect_via_info(&i);
    conn->in_connect = false;
    if (!conn->reported && conn->wsi != NULL)
        return BOT_OK;
    if (conn->wsi != NULL) {
        lws_set_opaque_user_data(conn->wsi, NULL);
        lws_set_timeout(conn->wsi, PENDING_TIMEOUT_CLOSE_ACK, LWS_TO_KILL_ASYNC);
        conn->wsi = NULL;
    }
    log_warnx("%s: cannot connect to %s port %d", conn->name, conn->url.host,
              conn->url.port);
    return BOT_ENET;
}

static void
on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
    struct ws_conn *conn = req->data;
    char ip[64] = "";

    conn->resolving = false;
    if (status == 0 && res != NULL) {
        const struct addrinfo *a = res;

        /* IPv4 first: a dual-stack name such as localhost may point at a
         * server listening on 127.0.0.1 only. */
        for (const struct addrinfo *p = res; p != NULL; p = p->ai_next) {
            if (p->ai_family == AF_INET) {
                a = p;
                break;
            }
        }
        uv_ip_name(a->ai_addr, ip, sizeof(ip));
    }
    uv_freeaddrinfo(res);
    if (conn->reported) { /* abandoned while resolving */
        conn_free(conn);
        return;
    }
    if (conn->close_requested) {
        report_close(conn, BOT_OK, "closed");
        conn_free(conn);
        return;
    }
    if (ip[0] == '\0') {
        log_warnx("%s: cannot resolve %s: %s", conn->name, conn->url.host,
                  status ? uv_strerror(status) : "no address");
        report_close(conn, BOT_ENET, "DNS lookup failed");
        conn_free(conn);
        return;
    }
    if (start_lws(conn, ip) != BOT_OK) {
        conn->reported = false;
        report_close(conn, BOT_ENET, "connect failed");
        conn_free(conn);
    }
}

enum bot_err
ws_connect(struct net_loop *loop, const char *url, const struct ws_options *opt,
           struct ws_conn **out)
{
    struct addrinfo hints;
    struct in6_addr a6;
    struct ws_conn *conn;
    enum bot_err err;
    char port[8];

    *out = NULL;
    conn = xcalloc(1, sizeof(*conn));
    if ((err = url_parse(url, &conn->url)) != BOT_OK ||
        (strcmp(conn->url.scheme, "wss") != 0 && strcmp(conn->url.scheme, "ws") != 0)) {
        url_cleanup(&conn->url);
        free(conn);
        return err ? err : BOT_EINVAL;
    }
    conn->loop = loop;
    conn->opt = *opt;
    if (conn->opt.max_message == 0)
        conn->opt.max_message = WS_DEFAULT_MAX;
    if (conn->opt.ping_secs == 0)
        conn->opt.ping_secs = 10;
    if (conn->opt.hangup_secs == 0)
        conn->opt.hangup_secs = 30;
    conn->name = xstrdup(opt->name != NULL ? opt->name : "ws");
    conn->auth_header = xstrdup_or_null(opt->auth_header);
    conn->subprotocol = xstrdup_or_null(opt->subprotocol);
    conn->ca_file = xstrdup_or_null(opt->ca_file);
    conn->opt.name = conn->opt.auth_header = conn->opt.subprotocol = NULL;
    conn->opt.ca_file = NULL;
    /* The answer's headers (at most WS_MAX_RESPONSE) and the rest of the read
     * that ends them: frames the server sends at once may share it. */
    buf_init(&conn->hs, WS_MAX_RESPONSE + WS_READ_CHUNK);
    wsframe_rx_init(&conn->rx, conn->opt.max_message, false);
    conn->close_timer = net_timer_new(loop, on_close_timeout, conn);
    conn->ping_timer = net_timer_new(loop, on_ping_timer, conn);

    if (inet_pton(AF_INET, conn->url.host, &a6) == 1 ||
        inet_pton(AF_INET6, conn->url.host, &a6) == 1) {
        if (start_lws(conn, conn->url.host) != BOT_OK) {
            conn->reported = true;
            conn_free(conn);
            return BOT_ENET;
        }
        *out = conn;
        return BOT_OK;
    }
    /* lws 4.1 (without its async resolver) would call getaddrinfo() on the
     * loop thread; libuv resolves on its thread pool instead. */
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(port, sizeof(port), "%d", conn->url.port);
    conn->gai.data = conn;
    if (uv_getaddrinfo(&loop->uv, &conn->gai, on_resolved, conn->url.host, port,
                       &hints) != 0) {
        conn->reported = true;
        conn_free(conn);
        return BOT_ENET;
    }
    conn->resolving = true;
    *out = conn;
    return BOT_OK;
}

enum bot_err
ws_send(struct ws_conn *conn, const char *buf, size_t len)
{
    return ws_send_notify(conn, buf, len, NULL, NULL);
}

enum bot_err
ws_send_notify(struct ws_conn *conn, const char *buf, size_t len, ws_sent_fn *on_sent,
               void *arg)
{
    struct ws_frame *f;

    if (!conn->open || conn->close_sent)
        return BOT_EAGAIN;
    if (conn->queued + len > WS_MAX_QUEUED)
        return BOT_ELIMIT;
    if (conn->in_message && conn->head == NULL && len <= WS_DIRECT_MAX &&
        !lws_partial_buffered(conn->wsi)) {
        unsigned char frame[WSFRAME_MAX_HEADER + WS_DIRECT_MAX];

        if (stream_write(conn, frame, frame_build(conn, frame, WSFRAME_TEXT, buf, len)) ==
            0) {
            if (conn->nwritten == conn->maxwritten) {
                conn->maxwritten = conn->maxwritten ? conn->maxwritten * 2 : 8;
                conn->written = xreallocarray(conn->written, conn->maxwritten,
                                              sizeof(*conn->written));
            }
            conn->written[conn->nwritten++] = (struct ws_written){on_sent, arg};
            return BOT_OK;
        }
        /* The socket failed: queued, the frame fails with the connection. */
    }
    f = xmalloc(sizeof(*f) + WSFRAME_MAX_HEADER + len);
    f->next = NULL;
    f->on_sent = on_sent;
    f->arg = arg;
    f->len = len;
    /* The payload lands at f->data + WSFRAME_MAX_HEADER, its header just before. */
    f->start = f->data + WSFRAME_MAX_HEADER - wsframe_header_len(len, true);
    f->wire = frame_build(conn, f->start, WSFRAME_TEXT, buf, len);
    if (conn->tail != NULL)
        conn->tail->next = f;
    else
        conn->head = f;
    conn->tail = f;
    conn->queued += len;
    lws_callback_on_writable(conn->wsi);
    return BOT_OK;
}

void
ws_close(struct ws_conn *conn)
{
    if (conn->close_requested || conn->reported)
        return;
    conn->close_requested = true;
    if (conn->resolving)
        uv_cancel((uv_req_t *)&conn->gai); /* on_resolved reports the close */
    if (conn->wsi == NULL)
        return;
    if (conn->open) {
        /* Frames queued before this (acks, say) still go out, then the close. */
        close_queue(conn, WSFRAME_CLOSE_NORMAL, NULL, 0, false);
        net_timer_start(conn->close_timer, WS_CLOSE_WAIT_MS);
    } else if (!conn->peer_closed) {
        hang_up(conn);
    }
}

void
ws_abandon(struct ws_conn *conn)
{
    conn->reported = true;
    conn->open = false;
    conn->close_requested = true;
    queue_free(conn, true);
    written_flush(conn, true);
    net_timer_stop(conn->close_timer);
    net_timer_stop(conn->ping_timer);
    if (conn->resolving)
        uv_cancel((uv_req_t *)&conn->gai); /* on_resolved frees it */
    hang_up(conn);
}

bool
ws_is_open(const struct ws_conn *conn)
{
    return conn->open && !conn->close_requested;
}

uint64_t
ws_idle_ms(const struct ws_conn *conn)
{
    return net_loop_now(conn->loop) - conn->last_rx;
}
