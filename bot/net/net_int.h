/*
 * net_int.h - what loop.c, ws.c and http.c share inside bot/net.
 *
 * Nothing outside bot/net includes this; it is where libuv, libwebsockets
 * and libcurl meet.
 */
#ifndef BOT_NET_NET_INT_H
#define BOT_NET_NET_INT_H

#include <stdbool.h>
#include <string.h>

#include <uv.h>
#include <curl/curl.h>
#include <libwebsockets.h>
#include <openssl/ssl.h>

#include "bot/net/loop.h"

/*
 * What lws reads from a socket at a time (its per-thread buffer,
 * pt_serv_buf_size): a websocket's raw reads come in pieces of at most this,
 * and ws.c sizes the upgrade answer's buffer (headers plus one read) from it.
 */
#define NET_READ_SIZE (16 * 1024)

struct http_call;
struct http_easy;
struct http_pool;
struct http_sock;
struct net_httpd;
struct net_wsd;
struct wsd_conn;
struct wsd_page;

/*
 * At most this many requests are handed to curl at once; the rest wait,
 * oldest first.  A burst of a thousand replies handed to curl at once cost
 * ~20 MB of transfer buffers.  A waiting request is only its own copies of
 * the URL and the two header values (a couple of hundred bytes, and its
 * body when the caller gave one rather than a body_fn): its curl handle
 * (5.6 KB with libcurl 7.88, plus a receive buffer once it runs), header
 * list and lazily made body are created when it starts and freed as soon
 * as it is done.
 */
#define HTTP_MAX_ACTIVE 64 /* two adapters' posts in flight (32 each) */

struct net_loop {
    uv_loop_t uv;
    struct lws_context *lws;  /* owned; created on the first websocket */
    CURLM *multi;             /* owned; made on curl's first request (http.c) */
    char *url_ok;             /* owned: the last URL http_request() took, or NULL */
    uv_timer_t curl_timer;    /* curl's single timeout */
    uv_timer_t trim_timer;    /* hands free heap back once requests go quiet (http.c) */
    uv_prepare_t log_prepare; /* writes the buffered log lines before each wait */
    struct http_call *calls;  /* owned: requests, oldest first, a doubly linked list */
    struct http_call *calls_tail;
    unsigned http_active;            /* how many of them curl is working on */
    unsigned http_queued;            /* how many calls there are, waiting or running */
    unsigned http_made;              /* requests made since the heap was last trimmed */
    struct http_easy *easy_pool[16]; /* owned: idle curl handles kept (http.c) */
    size_t neasy;
    struct http_pool
        *http_pool;           /* owned: connections of our own (http_conn.c), or NULL */
    struct http_sock **socks; /* owned: curl's watched sockets by fd (http.c), or NULL */
    size_t nsocks;            /* entries in socks */
    struct net_signal *signals; /* owned list */
    SSL_CTX **tls_ctxs;         /* owned: client TLS contexts, freed after lws */
    char **tls_ca_files;        /* owned: the CA file each trusts besides, or NULL */
    size_t ntls_ctxs;
    struct net_httpd *httpd; /* owned: the health and metrics listener, or NULL */
    struct net_wsd *wsd; /* owned: the web chat's sockets and pages (wsd.c), or NULL */
    uint64_t rng;        /* splitmix64 state for net_random() */
    bool stopping;
};

/* The websocket protocol every client connection uses (ws.c). */
extern const struct lws_protocols ws_protocols[];

/* Creates the lws context on first use.  BOT_ENET if lws refuses. */
enum bot_err net_lws_context(struct net_loop *loop, struct lws_context **out);

/*
 * The system's CAs for client TLS: OpenSSL's hashed directory (or
 * SSL_CERT_DIR), and SSL_CERT_FILE when set (else NULL).  loop.c's
 * websockets and http.c's requests trust the same.
 */
const char *net_ca_dir(void);
const char *net_ca_env_file(void);

/*
 * Returns the verifying client TLS context that trusts @ca_file (or, when
 * NULL, SSL_CERT_FILE) besides the system's CA directory: created on first
 * use, then shared; borrowed until net_loop_free().  NULL when @ca_file
 * cannot be loaded.  ws.c runs its TLS sessions on it.
 */
SSL_CTX *net_tls_client_ctx(struct net_loop *loop, const char *ca_file);

/* httpd.c: frees the listener once the lws context is gone. */
void net_httpd_free(struct net_httpd *h);

/* httpd.c: adds the security headers every response carries (0, or -1: no room). */
int net_httpd_add_security(struct lws *wsi, unsigned char **p, unsigned char *end);

/* httpd.c: writes a whole short text/plain response at once (a refused upgrade). */
int net_httpd_write_now(struct lws *wsi, int status, const char *body);

/* wsd.c: true when @path is under the web chat's page prefix. */
bool net_wsd_is_page(const struct net_loop *loop, const char *path);

/* wsd.c: fills @pg for GET @path (If-None-Match read from @wsi). */
void net_wsd_page(struct net_loop *loop, struct lws *wsi, const char *path,
                  struct wsd_page *pg);

/* wsd.c: the WebSocket reasons of the listener's protocol; @slot is the
 * connection's pointer in its per-session data. */
int net_wsd_callback(struct net_loop *loop, struct lws *wsi,
                     enum lws_callback_reasons reason, struct wsd_conn **slot, void *in,
                     size_t len);

/* wsd.c: frees the web chat's state once the lws context is gone. */
void net_wsd_free(struct net_wsd *w);

/* Are @a and @b the same string, NULL only the same as NULL? */
static inline bool
net_same_string(const char *a, const char *b)
{
    return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* http.c: sets up curl's multi handle on @loop / cancels every call. */
void http_loop_init(struct net_loop *loop);
void http_loop_cleanup(struct net_loop *loop);

#endif /* BOT_NET_NET_INT_H */
