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
 * This file holds a connection's life: ws_connect() and the name lookup,
 * the lws callback, ws_close() and the free, and the public API.  What
 * comes between the TCP connect and the first frame is ws_handshake.c; the
 * frames both ways, the keepalive and the close frames are ws_io.c
 * (ws_int.h is what the three share).
 *
 * A connection object lives from ws_connect() until lws destroys its wsi
 * (LWS_CALLBACK_WSI_DESTROY), so lws never holds a pointer to freed memory;
 * the owner hears about the end once, through on_close.
 */
#include "bot/net/ws.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/net/ws_int.h"

#define WS_DEFAULT_MAX    (1024 * 1024)
#define WS_MAX_QUEUED     (4 * 1024 * 1024) /* bytes waiting to be written */
#define WS_CLOSE_WAIT_MS  1000              /* some servers never answer a close frame */
#define WS_HANDSHAKE_SECS 20                /* connect to upgrade answer, TLS included */

/*
 * A frame sent while its connection's message callback runs (a Slack ack)
 * is written at once when nothing waits before it, up to this size:
 * waiting for a WRITEABLE callback cost four epoll_ctl() calls per frame
 * (lws switches POLLOUT on and off, and libuv re-registers the socket each
 * time), for a socket that is nearly always writable.  lws keeps whatever
 * the kernel does not take and sends it before anything else.
 */
#define WS_DIRECT_MAX 1024

/* Tells the senders of frames written at once (BOT_OK), unless @quiet. */
void
ws_written_flush(struct ws_conn *conn, bool quiet)
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
    ws_written_flush(conn, true);
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
    ws_written_flush(conn, false);
    queue_free(conn, false);
    net_timer_stop(conn->close_timer);
    net_timer_stop(conn->ping_timer);
    if (conn->in_connect)
        return; /* ws_connect() reports the failure to its caller instead */
    if (conn->why[0] != '\0')
        why = conn->why;
    conn->opt.on_close(conn, conn->opt.arg, conn->close_requested ? BOT_OK : err, why);
}

void
ws_set_why(struct ws_conn *conn, const char *fmt, ...)
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
void
ws_hang_up(struct ws_conn *conn)
{
    conn->kill = true;
    if (conn->wsi != NULL) {
        lws_set_timeout(conn->wsi, PENDING_TIMEOUT_CLOSE_ACK, LWS_TO_KILL_ASYNC);
        lws_callback_on_writable(conn->wsi);
    }
}

static void
on_close_timeout(void *arg)
{
    struct ws_conn *conn = arg;

    /* The peer did not answer our close frame in time: drop the socket. */
    ws_hang_up(conn);
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
        return ws_handshake_start(conn);
    case LWS_CALLBACK_RAW_RX:
        if (conn->reported || conn->kill)
            return -1;
        conn->last_rx = net_loop_now(conn->loop);
        if (conn->tls != NULL)
            return ws_handshake_tls_bytes(conn, in, len);
        return ws_io_stream(conn, in, len);
    case LWS_CALLBACK_RAW_WRITEABLE:
        if (conn->kill)
            return -1;
        if (!conn->upgraded || (conn->tls != NULL && !conn->tls_done))
            return 0;
        return ws_io_writeable(conn);
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
    /* The answer's headers and the most one read brings behind them: a raw
     * read (NET_READ_SIZE) or TLS plaintext (WS_READ_CHUNK). */
    buf_init(&conn->hs,
             WS_MAX_RESPONSE +
                 (NET_READ_SIZE > WS_READ_CHUNK ? NET_READ_SIZE : WS_READ_CHUNK));
    wsframe_rx_init(&conn->rx, conn->opt.max_message, false);
    conn->close_timer = net_timer_new(loop, on_close_timeout, conn);
    conn->ping_timer = net_timer_new(loop, ws_io_on_ping_timer, conn);

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

        if (ws_io_write(conn, frame,
                        ws_io_frame_build(conn, frame, WSFRAME_TEXT, buf, len)) == 0) {
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
    f->wire = ws_io_frame_build(conn, f->start, WSFRAME_TEXT, buf, len);
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
        ws_io_close_queue(conn, WSFRAME_CLOSE_NORMAL, NULL, 0, false);
        net_timer_start(conn->close_timer, WS_CLOSE_WAIT_MS);
    } else if (!conn->peer_closed) {
        ws_hang_up(conn);
    }
}

void
ws_abandon(struct ws_conn *conn)
{
    conn->reported = true;
    conn->open = false;
    conn->close_requested = true;
    queue_free(conn, true);
    ws_written_flush(conn, true);
    net_timer_stop(conn->close_timer);
    net_timer_stop(conn->ping_timer);
    if (conn->resolving)
        uv_cancel((uv_req_t *)&conn->gai); /* on_resolved frees it */
    ws_hang_up(conn);
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
