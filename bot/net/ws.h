/*
 * ws.h - websocket client connections.
 *
 * A connection reports through three callbacks.  Once ws_connect() has
 * returned BOT_OK, on_close runs exactly once, whatever happens (refused,
 * dropped, closed by either side, or the loop shutting down); on_open and
 * on_message run only before it.  The connection is freed right after
 * on_close returns, so its owner must forget the pointer there.
 *
 * Outgoing frames are copied into a queue and written only when the socket
 * is writable.  Incoming fragmented messages are reassembled; a message
 * larger than the cap is dropped whole and reported with BOT_ELIMIT, and
 * the connection carries on.  A server that breaks the protocol (a bad
 * frame, a text message that is not UTF-8, a bad upgrade answer) is sent
 * a close frame (1002 or 1007) and dropped; on_close says why.
 */
#ifndef BOT_NET_WS_H
#define BOT_NET_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/base/err.h"

struct net_loop;
struct ws_conn;

/* The connection is up; frames may be sent. */
typedef void ws_open_fn(struct ws_conn *conn, void *arg);

/*
 * One whole message.  @err is BOT_OK for a text message (@buf borrowed for
 * the call, NUL-terminated, @len bytes), BOT_EIGNORE for a binary one and
 * BOT_ELIMIT for one over the cap (both with @buf NULL).
 */
typedef void ws_message_fn(struct ws_conn *conn, void *arg, enum bot_err err,
                           const char *buf, size_t len);

/*
 * The connection is gone.  @err is BOT_OK after a close we asked for, else
 * BOT_ENET; @why (borrowed for the call) says what happened.
 */
typedef void ws_close_fn(struct ws_conn *conn, void *arg, enum bot_err err,
                         const char *why);

struct ws_options {
    size_t max_message;   /* cap on one reassembled message, bytes; 0: 1 MiB */
    unsigned ping_secs;   /* idle time before we send a PING; 0: 10 */
    unsigned hangup_secs; /* silence (no PONG or data) before we drop; 0: 30 */
    const char
        *auth_header; /* borrowed secret: "Bearer ..." for Authorization, or NULL */
    const char *subprotocol;   /* borrowed: Sec-WebSocket-Protocol to ask for, or NULL */
    const char *ca_file;       /* borrowed: CA bundle (PEM) that replaces the system's for
                                  wss, for a server with a private CA; or NULL */
    const char *name;          /* borrowed: instance name for log lines */
    ws_open_fn *on_open;       /* mandatory */
    ws_message_fn *on_message; /* mandatory */
    ws_close_fn *on_close;     /* mandatory */
    void *arg;                 /* passed to every callback */
};

/*
 * Starts connecting to @url (wss://, or ws:// to loopback only) and stores
 * the connection in *conn (out).  Returns BOT_EPARSE or BOT_EINVAL for a
 * bad or forbidden URL and BOT_ENET when lws refuses at once; callbacks
 * never run after an error.  @opt is copied (its strings too).
 */
enum bot_err ws_connect(struct net_loop *loop, const char *url,
                        const struct ws_options *opt, struct ws_conn **conn);

/*
 * Queues one text frame of @len bytes (copied).  Frames queued after
 * ws_close() still go out before the close frame.  BOT_EAGAIN before
 * on_open or once the close frame is sent, BOT_ELIMIT when the queue
 * already holds too much.
 */
enum bot_err ws_send(struct ws_conn *conn, const char *buf, size_t len);

/*
 * The frame queued by ws_send_notify() was written to the socket (@err
 * BOT_OK) or never will be because the connection closed (BOT_ENET; this
 * runs before on_close).
 */
typedef void ws_sent_fn(struct ws_conn *conn, void *arg, enum bot_err err);

/*
 * As ws_send(), then calls @on_sent(@conn, @arg, err) exactly once when the
 * frame has been written or dropped.  On an error return it never runs.
 * Lets a caller do work only once a frame (a Slack ack) is on the wire.
 */
enum bot_err ws_send_notify(struct ws_conn *conn, const char *buf, size_t len,
                            ws_sent_fn *on_sent, void *arg);

/*
 * Starts a clean close (close frame, then drop after 1 s at most if the peer
 * does not answer).  on_close follows with BOT_OK.  Calling it again, or
 * after the peer closed, does nothing.
 */
void ws_close(struct ws_conn *conn);

/*
 * Drops @conn without any further callback (neither on_close nor a pending
 * on_sent runs); for an
 * owner that is going away.  The connection frees itself once lws is done.
 */
void ws_abandon(struct ws_conn *conn);

/* Returns true between on_open and the start of a close. */
bool ws_is_open(const struct ws_conn *conn);

/*
 * Returns the milliseconds since @conn last received any bytes (part of a
 * frame counts): a socket still streaming a long message is not half-open.
 */
uint64_t ws_idle_ms(const struct ws_conn *conn);

#endif /* BOT_NET_WS_H */
