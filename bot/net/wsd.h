/*
 * wsd.h - WebSocket server connections and static pages on the HTTP
 * listener (bot/net/httpd.c), for the web chat.
 *
 * One upgrade path (e.g. "/chat/ws") on the listener's vhost becomes a
 * WebSocket endpoint: the handshake is shown to a hook that accepts it or
 * refuses it with an HTTP status, each whole text or binary message (up to
 * a cap; a larger one closes the socket with 1009) is handed to a hook, and
 * replies are queued with net_wsd_send().  One path prefix (e.g. "/chat")
 * serves static pages through a second hook.  Every response of the
 * listener carries the security headers set with net_httpd_set_csp().
 *
 * Lifetimes: a struct wsd_conn belongs to the listener and lives until the
 * transport reports the close; on_close is its last call.  After
 * net_wsd_stop() no hook runs again.
 */
#ifndef BOT_NET_WSD_H
#define BOT_NET_WSD_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/base/err.h"

struct net_loop;
struct wsd_conn;

#define WSD_MAX_HEADER 512 /* longest header value copied for the hooks */

/* What a handshake says, for the accept hook; all borrowed for the call. */
struct wsd_handshake {
    const char *peer;   /* the TCP peer's address ("127.0.0.1", "::1") */
    const char *origin; /* the Origin header, or "" */
    const char *host;   /* the Host header, or "" */
    const char *query;  /* the URL's query without '?' ("org=tewv"), or "" */
    const char *xff;    /* X-Forwarded-For, or "" */
    const char *user;   /* the configured user header's value, or "" */
};

/* A static page: the body is borrowed (static storage). */
struct wsd_page {
    int status;        /* 200, 404, ... */
    const char *ctype; /* Content-Type */
    const unsigned char *body;
    size_t len;
    const char *etag;  /* quoted ETag, or NULL */
    const char *cache; /* Cache-Control value, or NULL for no-store */
};

struct wsd_hooks {
    /*
     * A new upgrade request: returns 0 to accept it, else the HTTP status
     * it is refused with (403, 503).  On accept, *conn_arg (out) is what
     * the other hooks get for this connection.
     */
    int (*on_accept)(void *arg, struct wsd_conn *c, const struct wsd_handshake *hs,
                     void **conn_arg);

    /* The socket is open (after an accept). */
    void (*on_open)(void *arg, void *conn_arg);

    /* One whole message (@len bytes, not NUL-terminated; borrowed). */
    void (*on_message)(void *arg, void *conn_arg, const char *buf, size_t len,
                       bool binary);

    /* The connection is gone (closed by either side, idle, or refused
     * after an accept); @conn_arg's wsd_conn must not be used again. */
    void (*on_close)(void *arg, void *conn_arg);

    /*
     * GET @path (without the query) under the pages prefix; fills *page.
     * @if_none_match is that header or "".
     */
    void (*on_page)(void *arg, const char *path, const char *if_none_match,
                    struct wsd_page *page);
};

/*
 * Serves WebSockets at @ws_path (exact) and pages under @page_prefix
 * (the prefix itself and "<prefix>/..."), on the listener of @loop.
 * Messages longer than @max_message bytes close their socket with 1009;
 * @user_header (e.g. "X-Remote-User", or NULL) is copied into each
 * handshake.  BOT_EINVAL without a listener or when already set.
 */
enum bot_err net_wsd_start(struct net_loop *loop, const char *ws_path,
                           const char *page_prefix, size_t max_message,
                           const char *user_header, const struct wsd_hooks *hooks,
                           void *arg);

/* No hook runs again; open sockets close with the loop.  No-op without. */
void net_wsd_stop(struct net_loop *loop);

/* Queues a text message (copied) on @c.  BOT_ELIMIT when too much is queued. */
enum bot_err net_wsd_send(struct wsd_conn *c, const char *text, size_t len);

/* Closes @c with @code once what is queued is written. */
void net_wsd_close(struct wsd_conn *c, int code);

/* (Re)arms @c's idle timeout: closed after @secs seconds without a call to this. */
void net_wsd_idle(struct wsd_conn *c, unsigned secs);

/* Open WebSocket connections on @loop's listener. */
size_t net_wsd_count(const struct net_loop *loop);

/*
 * The listener's Content-Security-Policy frame-ancestors sources besides
 * 'self' (space-separated, copied; NULL for none).
 */
void net_httpd_set_csp(struct net_loop *loop, const char *frame_ancestors);

#endif /* BOT_NET_WSD_H */
