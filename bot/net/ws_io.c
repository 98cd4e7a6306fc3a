/*
 * ws_io.c - a websocket client connection's frames: the write queue and
 * what the WRITEABLE callback sends (pongs, our keepalive pings, frames
 * joined into one write, the close frame), and the frames that arrive,
 * parsed by wsframe.c from whole reads.
 *
 * Keepalive: a connection that has received nothing for ping_secs sends a
 * PING; one that has received nothing at all (no PONG, no data, not a
 * byte of a frame) for hangup_secs is dropped.  A PING that goes
 * unanswered is no reason to drop while other bytes keep arriving.
 */
#include "bot/net/ws_int.h"

#include <stdlib.h>
#include <string.h>

#include "bot/base/log.h"
#include "bot/base/xmalloc.h"

/* Hands the ciphertext TLS produced to lws.  -1 when the socket failed. */
int
ws_io_tls_flush(struct ws_conn *conn)
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
int
ws_io_write(struct ws_conn *conn, const unsigned char *p, size_t len)
{
    if (conn->tls == NULL)
        return lws_write(conn->wsi, (unsigned char *)p, len, LWS_WRITE_RAW) < 0 ? -1 : 0;
    if (ws_tls_write(conn->tls, p, len) != BOT_OK)
        return -1;
    return ws_io_tls_flush(conn);
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
size_t
ws_io_frame_build(struct ws_conn *conn, unsigned char *out, unsigned op,
                  const void *payload, size_t len)
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

void
ws_io_on_ping_timer(void *arg)
{
    struct ws_conn *conn = arg;
    uint64_t ping_ms = (uint64_t)conn->opt.ping_secs * 1000;
    uint64_t hangup_ms = (uint64_t)conn->opt.hangup_secs * 1000;
    uint64_t idle = net_loop_now(conn->loop) - conn->last_rx;

    /* Once our close frame is out, the close timer decides, and no PING may follow. */
    if (!conn->open || conn->wsi == NULL || conn->close_sent)
        return;
    if (idle >= hangup_ms) {
        log_warnx("%s: websocket silent for %llu s: dropping it", conn->name,
                  (unsigned long long)(idle / 1000));
        ws_set_why(conn, "no data or pong for %llu s", (unsigned long long)(idle / 1000));
        ws_hang_up(conn);
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

/*
 * The websocket is closed and the socket goes: for wss, TLS says so first
 * with a close_notify (RFC 8446 6.1), so that the server sees an orderly
 * end, not a truncation.  Returns -1, to drop the socket.
 */
static int
tls_end(struct ws_conn *conn)
{
    if (conn->tls != NULL && conn->tls_done) {
        ws_tls_close(conn->tls);
        (void)ws_io_tls_flush(conn);
    }
    return -1;
}

/* Queues a close frame with @code (0: none) and a reason of @len bytes (or NULL). */
void
ws_io_close_queue(struct ws_conn *conn, int code, const char *reason, size_t len,
                  bool hangup)
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
    return ws_io_write(conn, cl, ws_io_frame_build(conn, cl, WSFRAME_CLOSE, pl, n));
}

/*
 * Writes what waits: a PONG, our PING, frames (joined, up to a batch),
 * then the close frame once the queue is empty.  -1 to drop the socket.
 */
int
ws_io_writeable(struct ws_conn *conn)
{
    struct ws_frame *f, *sent = NULL, *last = NULL;
    size_t used = 0;
    int rc = 0;

    if (conn->out == NULL)
        conn->out = xmalloc(WS_WRITE_BATCH);
    if (conn->pong_due) {
        conn->pong_due = false;
        used += ws_io_frame_build(conn, conn->out + used, WSFRAME_PONG, conn->pong,
                                  conn->npong);
    }
    /* A PING due when our close frame went out is dropped, not kept waiting: a
     * flag left set would ask for WRITEABLE at every loop turn until the end. */
    if (conn->ping_due) {
        conn->ping_due = false;
        if (!conn->close_sent)
            used += ws_io_frame_build(conn, conn->out + used, WSFRAME_PING, NULL, 0);
    }
    for (f = conn->close_sent ? NULL : conn->head; f != NULL; f = f->next) {
        if (used + f->wire > WS_WRITE_BATCH) {
            /* A frame bigger than a batch goes out on its own. */
            if (used == 0) {
                if (ws_io_write(conn, f->start, f->wire) < 0)
                    goto fail;
                last = f;
            }
            break;
        }
        memcpy(conn->out + used, f->start, f->wire);
        used += f->wire;
        last = f;
    }
    if (used > 0 && ws_io_write(conn, conn->out, used) < 0)
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
            rc = tls_end(conn); /* the answer to the peer's close, or a protocol error */
    }
    if (rc == 0 && (conn->head != NULL || conn->pong_due || conn->ping_due ||
                    (conn->close_code != 0 && !conn->close_sent)))
        lws_callback_on_writable(conn->wsi);
    sent_tell(conn, sent);
    return rc;
fail:
    log_warnx("%s: websocket write failed", conn->name);
    ws_set_why(conn, "write failed");
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
        ws_written_flush(conn, conn->reported);
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
            ws_set_why(conn, "closed by the server (%u)",
                       (unsigned)(unsigned char)buf[0] << 8 | (unsigned char)buf[1]);
        else
            ws_set_why(conn, "closed by the server");
        /* Echo the code (RFC 6455 5.5.1), unless this answers our own close. */
        if (!conn->close_sent) {
            ws_io_close_queue(
                conn, len >= 2 ? (unsigned char)buf[0] << 8 | (unsigned char)buf[1] : 0,
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
int
ws_io_stream(struct ws_conn *conn, const unsigned char *p, size_t len)
{
    if (!conn->upgraded) {
        int rc = ws_handshake_answer(conn, &p, &len);

        if (rc <= 0)
            return rc;
    }
    if (wsframe_rx_feed(&conn->rx, p, len, on_frame, conn) != BOT_OK) {
        log_warnx("%s: websocket protocol error: %s", conn->name, conn->rx.why);
        ws_set_why(conn, "protocol error: %s", conn->rx.why);
        conn->open = false;
        ws_io_close_queue(conn, conn->rx.close_code, conn->rx.why, strlen(conn->rx.why),
                          true);
    }
    if (conn->hs.data != NULL)
        buf_cleanup(&conn->hs);
    /* The answer to our close frame ends it. */
    if (conn->peer_closed && conn->close_sent)
        return tls_end(conn);
    return conn->reported ? -1 : 0;
}
