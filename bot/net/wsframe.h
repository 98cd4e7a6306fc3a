/*
 * wsframe.h - WebSocket framing (RFC 6455 section 5), both directions.
 *
 * The codec works on whole buffers: a receiver hands wsframe_rx_feed()
 * whatever the socket gave it (any number of frames, or part of one) and
 * hears of each whole message and control frame once; payloads are copied
 * with memcpy() and (un)masked eight bytes at a time, never parsed byte by
 * byte.  It knows nothing of sockets: bot/net/ws.c uses it for the client
 * side (unmasked frames in, masked frames out), with the upgrade handshake's
 * checks below.
 */
#ifndef BOT_NET_WSFRAME_H
#define BOT_NET_WSFRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/base/buf.h"
#include "bot/base/err.h"

/* Opcodes. */
#define WSFRAME_CONT   0x0
#define WSFRAME_TEXT   0x1
#define WSFRAME_BINARY 0x2
#define WSFRAME_CLOSE  0x8
#define WSFRAME_PING   0x9
#define WSFRAME_PONG   0xa

/* Close status codes (RFC 6455 section 7.4.1). */
#define WSFRAME_CLOSE_NORMAL   1000
#define WSFRAME_CLOSE_AWAY     1001
#define WSFRAME_CLOSE_PROTOCOL 1002
#define WSFRAME_CLOSE_BAD_DATA 1007 /* e.g. a text message that is not UTF-8 */
#define WSFRAME_CLOSE_TOO_BIG  1009

#define WSFRAME_MAX_HEADER  14  /* 2 + 8 bytes of length + 4 of mask key */
#define WSFRAME_MAX_CONTROL 125 /* payload cap of a control frame */

/* What wsframe_rx_feed() reports. */
enum wsframe_kind {
    WSFRAME_MSG_TEXT,   /* a whole text message, valid UTF-8 */
    WSFRAME_MSG_BINARY, /* a whole binary message */
    WSFRAME_MSG_OVER,   /* a message over the cap, dropped (no payload given) */
    WSFRAME_MSG_PING,   /* a ping; the payload is what the pong must carry */
    WSFRAME_MSG_PONG,   /* a pong */
    WSFRAME_MSG_CLOSE,  /* a close frame: the payload is the code and reason (checked) */
};

/*
 * One message or control frame.  @buf (borrowed for the call; NUL-terminated,
 * @len bytes, "" when empty) is NULL for WSFRAME_MSG_OVER.  Returns 0 to go
 * on, or non-zero to stop: wsframe_rx_feed() then returns at once.
 */
typedef int wsframe_msg_fn(void *arg, enum wsframe_kind kind, const char *buf,
                           size_t len);

/* A receiver's state; the fields are private to wsframe.c. */
struct wsframe_rx {
    size_t max_message; /* cap on one reassembled message, bytes */
    bool masked;        /* frames must be masked (a server's receiver) */
    unsigned char hdr[WSFRAME_MAX_HEADER]; /* a header split between reads */
    size_t nhdr;                           /* bytes of it so far */
    bool in_frame;                         /* between a header and its payload's end */
    unsigned op;                           /* the current frame's opcode */
    bool fin;                              /* ... its FIN bit */
    unsigned char key[4];                  /* ... its mask key, when masked */
    uint64_t left;                         /* ... payload bytes still to come */
    uint64_t off;                          /* ... payload bytes seen (for the key) */
    bool in_message;                       /* a data message has started */
    unsigned msg_op;                       /* ... WSFRAME_TEXT or WSFRAME_BINARY */
    bool over;                             /* ... it went over the cap: skipped */
    struct buf msg;                        /* owned: the message reassembled */
    char ctl[WSFRAME_MAX_CONTROL + 1];     /* a control frame's payload */
    size_t nctl;
    bool closed;     /* a close frame or an error was seen: nothing more */
    int close_code;  /* after BOT_EPARSE: the code to close with */
    const char *why; /* after BOT_EPARSE: static text saying what was wrong */
};

/* Initialises @rx; frames must be masked when @masked (server side). */
void wsframe_rx_init(struct wsframe_rx *rx, size_t max_message, bool masked);

/* Frees what @rx holds; it may be initialised again. */
void wsframe_rx_cleanup(struct wsframe_rx *rx);

/*
 * Parses the @len bytes at @p (any split of the stream), calling @fn(@arg,
 * ...) for each whole message and control frame.  Returns BOT_OK when all
 * were used or @fn asked to stop; BOT_EPARSE for a protocol violation, with
 * rx->close_code (1002, or 1007 for invalid UTF-8) and rx->why set.  Once a
 * close frame or an error has been seen, further bytes are ignored.
 */
enum bot_err wsframe_rx_feed(struct wsframe_rx *rx, const unsigned char *p, size_t len,
                             wsframe_msg_fn *fn, void *arg);

/* Returns the header size of a frame of @len payload bytes (masked or not). */
size_t wsframe_header_len(uint64_t len, bool masked);

/*
 * Writes the header of a final frame with opcode @op and @len payload
 * bytes into @out (room for wsframe_header_len() bytes); masked with the 4
 * bytes at @key unless @key is NULL.  Returns the bytes written.
 */
size_t wsframe_header_format(unsigned char *out, unsigned op, uint64_t len,
                             const unsigned char *key);

/*
 * XORs the @len bytes at @p with the 4-byte @key, as bytes @off.. of a
 * payload (so a payload may be done in pieces).  Masks and unmasks.
 */
void wsframe_mask(unsigned char *p, size_t len, const unsigned char *key, uint64_t off);

/* Length of a Sec-WebSocket-Key (16 random bytes) and of its Accept, in base64. */
#define WSFRAME_KEY_LEN    24
#define WSFRAME_ACCEPT_LEN 28

/*
 * Writes into @out (WSFRAME_ACCEPT_LEN + 1 bytes) the Sec-WebSocket-Accept
 * a server must answer to the key @key (RFC 6455 4.2.2).
 */
void wsframe_accept_key(const char *key, char *out);

/*
 * Checks a server's answer to an upgrade request: the @len bytes at @resp
 * are its status line and headers, blank line included.  It must be HTTP
 * 101 with "Upgrade: websocket", "Connection: upgrade", the
 * Sec-WebSocket-Accept @accept, and Sec-WebSocket-Protocol equal to
 * @subprotocol (absent when NULL).  Returns BOT_OK, or BOT_EPARSE with
 * *why (out; static text) saying what is wrong; *status (out) is the HTTP
 * status, or 0 when the status line is malformed.
 */
enum bot_err wsframe_upgrade_check(const char *resp, size_t len, const char *accept,
                                   const char *subprotocol, int *status,
                                   const char **why);

#endif /* BOT_NET_WSFRAME_H */
