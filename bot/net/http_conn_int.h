/*
 * http_conn_int.h - what http_conn.c (requests over kept connections) and
 * http_host.c (origins, their addresses and the lookup) share.  Nothing
 * outside bot/net/http_conn.c and http_host.c includes this.
 */
#ifndef BOT_NET_HTTP_CONN_INT_H
#define BOT_NET_HTTP_CONN_INT_H

#include "bot/net/http_int.h"
#include "bot/net/http_resp.h"
#include "bot/net/net_int.h"

#define CONN_CONNECT_MS 5000   /* connect and TLS handshake (curl's CONNECTTIMEOUT) */
#define CONN_IDLE_MS    118000 /* an idle connection is closed after this (curl's) */
#define CONN_READ_SIZE  (16 * 1024)
#define DNS_KEEP_MS     60000 /* a name's addresses are kept this long (curl's) */
#define HOST_ADDRS      4

enum conn_state {
    CONN_RESOLVING,
    CONN_CONNECTING,
    CONN_HANDSHAKE, /* TLS */
    CONN_BUSY,      /* a request on it */
    CONN_IDLE,
};

struct http_host {
    struct http_host *next;
    char *origin; /* owned: the URL up to its path, as spelled */
    size_t origin_len;
    char *ca_file;  /* owned, or NULL */
    char *name;     /* owned: the host, for TLS and the resolver */
    char *hostline; /* owned: "Host: ...\r\n" */
    int port;
    bool tls;
    struct sockaddr_storage addrs[HOST_ADDRS];
    int naddrs;
    uint64_t resolved_ms;   /* loop time of the lookup */
    struct http_conn *idle; /* idle connections, most recently used first */
    unsigned nconns;        /* open ones (not closing) */
};

struct http_conn {
    uv_tcp_t tcp;
    uv_timer_t timer;
    uv_write_t wr;
    uv_getaddrinfo_t gai;
    struct http_pool *pool;
    struct http_host *host;
    struct http_call *call; /* the request on it, or NULL */
    struct http_conn *next_idle;
    struct http_conn *prev, *next; /* in pool->conns */
    enum conn_state state;
    struct ws_tls *tls;  /* owned, or NULL */
    struct buf head;     /* the request head (holds the Authorization secret) */
    struct buf wq, wbuf; /* TLS: ciphertext waiting, and being written */
    struct http_resp resp;
    int addr; /* which of host->addrs is being tried */
    int refs; /* handles and lookups still to call back before freeing */
    bool closing;
    bool writing;
    bool reused;    /* it carried a request before this one */
    bool got_bytes; /* the answer began */
    bool resolving;
    uint64_t deadline; /* loop time the request must be done by */
    uint64_t sent_us;  /* clock_now_us() as the request was written, or 0 */
    uint64_t first_us; /* clock_now_us() as the answer began, or 0 */
};

struct http_pool {
    struct net_loop *loop;
    struct http_host *hosts;
    struct http_conn *conns; /* every open one */
    bool off;                /* curl makes every request */
    char rbuf[CONN_READ_SIZE];
    char tbuf[CONN_READ_SIZE];
};

/* http_conn.c: drops a reference (frees @c at the last); ends @c's request
 * with @err (and closes @c); connects @c to its host's address c->addr. */
void http_conn_unref(struct http_conn *c);
void http_conn_fail(struct http_conn *c, enum bot_err err, const char *why);
void http_conn_connect(struct http_conn *c);

/*
 * http_host.c: the pool of @loop, made on first use (NULL when curl makes
 * every request); the host record for @call's URL, made on first use (NULL:
 * not ours to make), with where its path starts in @path; frees one; finds
 * @c's host's addresses (kept for DNS_KEEP_MS), then connects.
 */
struct http_pool *http_host_pool(struct net_loop *loop);
const char *http_host_path(const char *url); /* after "scheme://authority", or NULL */
struct http_host *http_host_get(struct http_pool *pool, const struct http_call *call,
                                const char **path);
void http_host_free(struct http_host *h);
void http_host_resolve(struct http_conn *c);

#endif /* BOT_NET_HTTP_CONN_INT_H */
