/*
 * ws.c - websocket client connections on libwebsockets.
 *
 * The lws callback only translates reasons into calls on this module's
 * callbacks.  A connection object lives from ws_connect() until lws destroys
 * its wsi (LWS_CALLBACK_WSI_DESTROY), so lws never holds a pointer to freed
 * memory; the owner hears about the end once, through on_close.
 */
#include "bot/net/ws.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/buf.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/net/net_int.h"
#include "bot/net/url.h"

#define WS_DEFAULT_MAX   (1024 * 1024)
#define WS_MAX_QUEUED    (4 * 1024 * 1024) /* bytes waiting to be written */
#define WS_CLOSE_WAIT_MS 1000              /* some servers never answer a close frame */
#define WS_RX_KEEP       (16 * 1024) /* a bigger reassembly buffer is freed after use */
/* lws keeps LWS_WRITE_CLOSE (4) private and sends close frames itself, but
 * its 4.1 client skips the frame when a callback returns -1 to close. */
#define WS_WRITE_CLOSE ((enum lws_write_protocol)4)

struct ws_frame {
    struct ws_frame *next;
    ws_sent_fn *on_sent; /* or NULL */
    void *arg;
    size_t len;
    unsigned char data[]; /* LWS_PRE bytes of headroom, then the payload */
};

/* A frame written at once, whose sender hears so once the receive callback ends. */
struct ws_written {
    ws_sent_fn *on_sent;
    void *arg;
};

/*
 * A frame sent while its connection's message callback runs (a Slack ack)
 * is written at once when nothing waits before it, up to this size from a
 * buffer kept in the connection: waiting for a WRITEABLE callback cost
 * four epoll_ctl() calls per frame (lws switches POLLOUT on and off, and
 * libuv re-registers the socket each time), for a socket that is nearly
 * always writable.  lws keeps whatever the kernel does not take and sends
 * it before anything else.
 */
#define WS_DIRECT_MAX 1024

struct ws_conn {
    struct net_loop *loop;
    struct lws *wsi;               /* NULL once lws has destroyed it */
    struct ws_options opt;         /* strings below are the owned copies */
    char *name;                    /* owned */
    char *auth_header;             /* owned secret */
    char *subprotocol;             /* owned */
    char *ca_file;                 /* owned, or NULL: the system's CAs */
    struct url url;                /* owned */
    lws_retry_bo_t policy;         /* lws keeps a pointer to it */
    struct buf rx;                 /* the message being reassembled */
    bool rx_binary;                /* the message being received is binary */
    bool rx_over;                  /* it went over the cap: drop the rest */
    struct ws_frame *head, *tail;  /* owned queue of frames to write */
    size_t queued;                 /* payload bytes in the queue */
    struct net_timer *close_timer; /* owned */
    uv_getaddrinfo_t gai;          /* the host name lookup */
    bool resolving;                /* the lookup has not called back yet */
    bool in_connect;               /* inside lws_client_connect_via_info() */
    bool open;                     /* between ESTABLISHED and the close */
    bool close_requested;          /* ws_close() was called */
    bool close_sent;               /* our close frame is out: nothing more can be */
    bool reported;                 /* on_close has run (or must never run) */
    bool in_message;               /* inside opt.on_message: frames may go at once */
    struct ws_written *written;    /* owned: frames written during it, to tell */
    size_t nwritten, maxwritten;
    unsigned char *direct; /* owned: LWS_PRE + WS_DIRECT_MAX, or NULL */
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
    free(conn->direct);
    buf_cleanup(&conn->rx);
    net_timer_free(conn->close_timer);
    if (conn->auth_header != NULL) {
        volatile char *p = conn->auth_header;

        while (*p)
            *p++ = '\0';
        free(conn->auth_header);
    }
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
    if (conn->in_connect)
        return; /* ws_connect() reports the failure to its caller instead */
    conn->opt.on_close(conn, conn->opt.arg, conn->close_requested ? BOT_OK : err, why);
}

static void
on_close_timeout(void *arg)
{
    struct ws_conn *conn = arg;

    /* The peer did not answer our close frame in time: drop the socket. */
    if (conn->wsi != NULL)
        lws_set_timeout(conn->wsi, PENDING_TIMEOUT_CLOSE_ACK, LWS_TO_KILL_ASYNC);
}

static int
on_receive(struct ws_conn *conn, struct lws *wsi, const void *in, size_t len)
{
    if (lws_is_first_fragment(wsi)) {
        buf_reset(&conn->rx);
        conn->rx_over = false;
        conn->rx_binary = lws_frame_is_binary(wsi) != 0;
    }
    if (!conn->rx_over && !conn->rx_binary && buf_add(&conn->rx, in, len) != BOT_OK) {
        conn->rx_over = true;
        buf_cleanup(&conn->rx);
        buf_init(&conn->rx, conn->opt.max_message);
    }
    if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi) != 0)
        return 0;
    conn->in_message = true;
    if (conn->rx_over)
        conn->opt.on_message(conn, conn->opt.arg, BOT_ELIMIT, NULL, 0);
    else if (conn->rx_binary)
        conn->opt.on_message(conn, conn->opt.arg, BOT_EIGNORE, NULL, 0);
    else
        conn->opt.on_message(conn, conn->opt.arg, BOT_OK, buf_str(&conn->rx),
                             conn->rx.len);
    conn->in_message = false;
    written_flush(conn, conn->reported);
    /* One large message must not pin its buffer for the life of the connection. */
    if (conn->rx.cap > WS_RX_KEEP)
        buf_cleanup(&conn->rx);
    else
        buf_reset(&conn->rx);
    conn->rx_over = false;
    return 0;
}

static int
on_writeable(struct ws_conn *conn, struct lws *wsi)
{
    struct ws_frame *f = conn->head;

    /* Frames queued before ws_close() (acks, say) still go out, then the close. */
    if (f == NULL) {
        if (conn->close_requested && !conn->close_sent) {
            /*
             * lws 4.1's client drops the socket without a close frame when a
             * WRITEABLE callback returns -1, even after lws_close_reason(), so
             * the close frame (1000, normal) is written here; the peer's
             * answer ends the connection (WS_PEER_INITIATED_CLOSE), or the
             * close timer does.
             */
            unsigned char frame[LWS_PRE + 2];

            frame[LWS_PRE] = (unsigned char)(LWS_CLOSE_STATUS_NORMAL >> 8);
            frame[LWS_PRE + 1] = (unsigned char)(LWS_CLOSE_STATUS_NORMAL & 0xff);
            conn->close_sent = true;
            if (lws_write(wsi, frame + LWS_PRE, 2, WS_WRITE_CLOSE) < 2)
                return -1;
        }
        return 0;
    }
    if (lws_write(wsi, f->data + LWS_PRE, f->len, LWS_WRITE_TEXT) < (int)f->len) {
        log_warnx("%s: websocket write failed", conn->name);
        return -1;
    }
    conn->head = f->next;
    if (conn->head == NULL)
        conn->tail = NULL;
    conn->queued -= f->len;
    if (conn->head != NULL || conn->close_requested)
        lws_callback_on_writable(wsi);
    if (f->on_sent != NULL)
        f->on_sent(conn, f->arg, BOT_OK);
    free(f);
    return 0;
}

static int
ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
            size_t len)
{
    struct ws_conn *conn = wsi != NULL ? lws_get_opaque_user_data(wsi) : NULL;

    if (conn == NULL)
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    switch (reason) {
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: {
        unsigned char **p = in, *end = *p + len;

        if (conn->auth_header != NULL &&
            lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_AUTHORIZATION,
                                         (const unsigned char *)conn->auth_header,
                                         (int)strlen(conn->auth_header), p, end))
            return -1;
        break;
    }
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        report_close(conn, BOT_ENET, in != NULL ? (const char *)in : "connection failed");
        break;
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        if (conn->close_requested)
            return -1;
        conn->open = true;
        conn->opt.on_open(conn, conn->opt.arg);
        break;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        return on_receive(conn, wsi, in, len);
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        return on_writeable(conn, wsi);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        conn->open = false;
        /* The answer to our close: do not echo it, just hang up. */
        if (conn->close_sent)
            return -1;
        break;
    case LWS_CALLBACK_CLIENT_CLOSED:
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
 * lws gives each connection a receive buffer of this size; a longer frame
 * arrives in several callbacks, which on_receive() joins.  Chat events are
 * a few kilobytes, so 16 KB rarely splits one and saves 48 KB a connection
 * over the 64 KB this was.
 */
#define WS_RX_BUFFER (16 * 1024)

const struct lws_protocols ws_protocols[] = {
    {"valuesbot-ws", ws_callback, 0, WS_RX_BUFFER, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

/*
 * Hands @conn to lws, to connect to @address (an IP literal, so lws does no
 * blocking lookup) while TLS SNI, certificate name and Host use the URL's
 * host.  BOT_ENET when lws fails inside the call; no callback has run then.
 */
static enum bot_err
start_lws(struct ws_conn *conn, const char *address)
{
    struct lws_client_connect_info i;
    struct lws_context *ctx;
    char *hostport;

    if (net_lws_context(conn->loop, &ctx) != BOT_OK)
        return BOT_ENET;
    hostport = (conn->url.port == (conn->url.tls ? 443 : 80))
                   ? xstrdup(conn->url.host)
                   : xasprintf("%s:%d", conn->url.host, conn->url.port);
    memset(&i, 0, sizeof(i));
    i.context = ctx;
    i.address = address;
    i.port = conn->url.port;
    i.path = conn->url.path;
    i.host = hostport;
    i.origin = hostport;
    i.ssl_connection = conn->url.tls ? LCCSCF_USE_SSL : 0;
    i.protocol = conn->subprotocol;
    i.local_protocol_name = ws_protocols[0].name;
    i.opaque_user_data = conn;
    i.retry_and_idle_policy = &conn->policy;
    i.pwsi = &conn->wsi;
    if (conn->url.tls && conn->ca_file != NULL &&
        (i.vhost = net_lws_vhost_for_ca(conn->loop, conn->ca_file)) == NULL) {
        free(hostport);
        return BOT_ENET;
    }

    conn->in_connect = true;
    (void)lws_client_connect_via_info(&i);
    conn->in_connect = false;
    free(hostport);
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
    conn->name = xstrdup(opt->name != NULL ? opt->name : "ws");
    conn->auth_header = xstrdup_or_null(opt->auth_header);
    conn->subprotocol = xstrdup_or_null(opt->subprotocol);
    conn->ca_file = xstrdup_or_null(opt->ca_file);
    conn->opt.name = conn->opt.auth_header = conn->opt.subprotocol = NULL;
    conn->opt.ca_file = NULL;
    buf_init(&conn->rx, conn->opt.max_message);
    conn->close_timer = net_timer_new(loop, on_close_timeout, conn);
    conn->policy.secs_since_valid_ping = (uint16_t)(opt->ping_secs ? opt->ping_secs : 10);
    conn->policy.secs_since_valid_hangup =
        (uint16_t)(opt->hangup_secs ? opt->hangup_secs : 30);

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
        if (conn->direct == NULL)
            conn->direct = xmalloc(LWS_PRE + WS_DIRECT_MAX);
        memcpy(conn->direct + LWS_PRE, buf, len);
        if (lws_write(conn->wsi, conn->direct + LWS_PRE, len, LWS_WRITE_TEXT) >=
            (int)len) {
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
    f = xmalloc(sizeof(*f) + LWS_PRE + len);
    f->next = NULL;
    f->on_sent = on_sent;
    f->arg = arg;
    f->len = len;
    memcpy(f->data + LWS_PRE, buf, len);
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
        lws_callback_on_writable(conn->wsi);
        net_timer_start(conn->close_timer, WS_CLOSE_WAIT_MS);
    } else {
        lws_set_timeout(conn->wsi, PENDING_TIMEOUT_CLOSE_ACK, LWS_TO_KILL_ASYNC);
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
    if (conn->resolving)
        uv_cancel((uv_req_t *)&conn->gai); /* on_resolved frees it */
    if (conn->wsi != NULL)
        lws_set_timeout(conn->wsi, PENDING_TIMEOUT_CLOSE_ACK, LWS_TO_KILL_ASYNC);
}

bool
ws_is_open(const struct ws_conn *conn)
{
    return conn->open && !conn->close_requested;
}
