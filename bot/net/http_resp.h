/*
 * http_resp.h - an incremental HTTP/1.1 response reader for the keep-alive
 * post path (http_conn.c): the status line, the headers the callers read
 * (Content-Length, Transfer-Encoding, Connection, Retry-After and
 * X-Ratelimit-*), and the body, length-delimited, chunked or up to the
 * close, into a capped buffer.  Bytes come in as the socket gives them; a
 * response split anywhere (in a line, a chunk's size, its CRLF) reads the
 * same as one that comes whole.
 */
#ifndef BOT_NET_HTTP_RESP_H
#define BOT_NET_HTTP_RESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/base/buf.h"

#define HTTP_RESP_HEAD_MAX (64 * 1024) /* status line and headers, all told */

enum http_resp_rc {
    HTTP_RESP_MORE,  /* give it more bytes (or http_resp_eof()) */
    HTTP_RESP_DONE,  /* a whole response is in */
    HTTP_RESP_BAD,   /* not HTTP/1.x as it must be: the connection is useless */
    HTTP_RESP_LIMIT, /* the body is larger than the buffer's cap */
};

struct http_resp {
    /* What was read (valid once http_resp_feed() returned HTTP_RESP_DONE). */
    int status;               /* the final status; 0 until a status line is in */
    bool keep_alive;          /* the connection may carry the next request */
    long retry_after;         /* Retry-After in seconds (a date counted from now;
                                 0 when neither), or -1 when absent */
    long ratelimit_reset;     /* X-Ratelimit-Reset, or -1 when absent or not a number */
    long ratelimit_remaining; /* X-Ratelimit-Remaining, the same */
    /* Reading state. */
    struct buf *body; /* borrowed: the body goes here, its cap the limit */
    struct buf line;  /* owned: a line split between two reads */
    int state;
    bool chunked;
    bool to_close;           /* the body runs to the connection's close */
    long long length;        /* Content-Length, or -1 */
    unsigned long long left; /* body or chunk bytes still to come */
    size_t head_len;         /* header bytes read so far */
};

/* Readies @r for a response whose body goes into @body (borrowed). */
void http_resp_init(struct http_resp *r, struct buf *body);

/* Frees what @r holds (not the body's buffer). */
void http_resp_cleanup(struct http_resp *r);

/*
 * Reads @len bytes at @p.  *used (out) is how many were taken: all of them
 * unless the response ended before them (HTTP_RESP_DONE), when the rest are
 * bytes the server sent unasked.
 */
enum http_resp_rc http_resp_feed(struct http_resp *r, const char *p, size_t len,
                                 size_t *used);

/* The connection closed: HTTP_RESP_DONE when that ends the body, else HTTP_RESP_BAD. */
enum http_resp_rc http_resp_eof(struct http_resp *r);

#endif /* BOT_NET_HTTP_RESP_H */
