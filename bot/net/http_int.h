/*
 * http_int.h - what http.c (the queue of calls, and curl) and http_conn.c
 * (the keep-alive HTTP/1.1 path of our own) share.  Nothing outside
 * bot/net/http*.c includes this.
 */
#ifndef BOT_NET_HTTP_INT_H
#define BOT_NET_HTTP_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/base/buf.h"
#include "bot/net/http.h"

struct http_conn;
struct http_easy;

struct http_call {
    struct net_loop *loop;
    struct http_easy *easy; /* owned (from the pool); NULL unless curl runs it */
    struct http_conn *conn; /* the own path's connection carrying it, or NULL */
    bool own;               /* handed to the own path (http_conn.c) */
    bool own_retried;       /* already retried once on a fresh connection */
    char *auth;             /* owned secret ("Bearer ..."), or NULL */
    char *content_type;     /* owned, or NULL */
    char *url;              /* owned */
    char *ca_file;          /* owned, or NULL */
    bool post;
    char *(*body_fn)(void *arg, size_t *len); /* makes body at start, or NULL */
    char *body; /* owned request body (from body_fn: once started), or NULL */
    size_t body_len;
    long timeout_ms;
    struct buf resp;
    http_done_fn *on_done;
    void *arg;
    struct http_call *prev, *next; /* in loop->calls */
};

/*
 * http.c: @call (handed to the own path) has its answer or failed: it is
 * unlinked, @r handed to its callback, the call freed, and the waiting
 * ones started.
 */
void http_call_end(struct http_call *call, const struct http_response *r);

/*
 * http_conn.c: starts @call on a kept or new connection of our own and
 * returns true, or false when curl must make it (a proxy is set in the
 * environment, VALUESBOT_HTTP_CURL is set, or the URL is not one we take).
 * The body (call->body_fn's) is made before it returns true.
 */
bool http_conn_start(struct http_call *call);

/* http_conn.c: @call is cancelled: its connection (mid-request) is closed. */
void http_conn_drop(struct http_call *call);

/* http_conn.c: closes every connection and frees the pool (at the loop's end). */
void http_conn_cleanup(struct net_loop *loop);

#endif /* BOT_NET_HTTP_INT_H */
