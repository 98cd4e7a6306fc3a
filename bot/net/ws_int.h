/*
 * ws_int.h - what the three files of the websocket client share.
 *
 * ws.c holds a connection's life (connect, the lws callback, close, free)
 * and the public API; ws_handshake.c everything between the TCP connect
 * and the first frame (TLS, the HTTP/1.1 upgrade); ws_io.c the frames
 * both ways, the keepalive and the close frames.  Nothing outside those
 * three files includes this.
 */
#ifndef BOT_NET_WS_INT_H
#define BOT_NET_WS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/base/buf.h"
#include "bot/net/net_int.h"
#include "bot/net/url.h"
#include "bot/net/ws.h"
#include "bot/net/ws_tls.h"
#include "bot/net/wsframe.h"

#define WS_MAX_RESPONSE (16 * 1024) /* the server's upgrade answer, headers */
#define WS_WRITE_BATCH  (16 * 1024) /* frames joined into one write */
#define WS_READ_CHUNK   (16 * 1024) /* plaintext taken from TLS at a time */

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

/* ws.c: notes the first reason the connection ends (later ones are consequences). */
void ws_set_why(struct ws_conn *conn, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ws.c: drops the socket from outside an lws callback of this connection. */
void ws_hang_up(struct ws_conn *conn);

/* ws.c: tells the senders of frames written at once (BOT_OK), unless @quiet. */
void ws_written_flush(struct ws_conn *conn, bool quiet);

/*
 * ws_handshake.c: starts what follows the TCP connect (TLS for wss, else
 * the upgrade request).  -1 to drop the socket.
 */
int ws_handshake_start(struct ws_conn *conn);

/* ws_handshake.c: ciphertext from the socket (wss).  -1 to drop the socket. */
int ws_handshake_tls_bytes(struct ws_conn *conn, const unsigned char *in, size_t len);

/*
 * ws_handshake.c: reads the upgrade answer from the stream bytes *@p, *@len.
 * Returns 0 while it is incomplete, 1 once the connection is open (*@p and
 * *@len (out) are then the bytes behind the answer, borrowed from conn->hs),
 * -1 to drop the socket.
 */
int ws_handshake_answer(struct ws_conn *conn, const unsigned char **p, size_t *len);

/* ws_io.c: hands the ciphertext TLS produced to lws.  -1 when the socket failed. */
int ws_io_tls_flush(struct ws_conn *conn);

/* ws_io.c: writes @len bytes of the websocket stream (through TLS for wss). */
int ws_io_write(struct ws_conn *conn, const unsigned char *p, size_t len);

/*
 * ws_io.c: builds a masked frame at @out (room for WSFRAME_MAX_HEADER +
 * @len); returns its size.
 */
size_t ws_io_frame_build(struct ws_conn *conn, unsigned char *out, unsigned op,
                         const void *payload, size_t len);

/* ws_io.c: queues a close frame with @code (0: none) and a reason of @len bytes. */
void ws_io_close_queue(struct ws_conn *conn, int code, const char *reason, size_t len,
                       bool hangup);

/* ws_io.c: writes what waits (the WRITEABLE callback).  -1 to drop the socket. */
int ws_io_writeable(struct ws_conn *conn);

/* ws_io.c: bytes of the websocket stream (decrypted for wss).  -1 to drop. */
int ws_io_stream(struct ws_conn *conn, const unsigned char *p, size_t len);

/* ws_io.c: the keepalive timer's callback (@arg is the connection). */
void ws_io_on_ping_timer(void *arg);

#endif /* BOT_NET_WS_INT_H */
