/*
 * httpd.h - a small HTTP/1.1 listener on the loop (libwebsockets' server),
 * for /healthz, /metrics and /reload, and one POST route with a body
 * (Teams' /api/messages, net_httpd_route()).
 *
 * Each other request is answered at once by one synchronous callback on the
 * loop thread: no request body is read (a POST's body is discarded), no
 * keep-alive is needed by the callers, and the response is written in one
 * go.  The listener lives as long as the loop: net_loop_free() closes it.
 */
#ifndef BOT_NET_HTTPD_H
#define BOT_NET_HTTPD_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/base/err.h"

struct net_loop;

#define HTTPD_MAX_BODY (1024 * 1024) /* longest response body */

/*
 * Answers one request: @method ("GET", "POST", ...), @path (without the
 * query), @loopback (the peer is on 127.0.0.0/8 or ::1).  Sets *content_type
 * (static string) and *body (out; malloc'd, taken by the listener, NULL for
 * none) and returns the HTTP status.
 */
typedef int net_httpd_fn(void *arg, const char *method, const char *path, bool loopback,
                         const char **content_type, char **body, size_t *len);

/*
 * A POST route with a body (the Bot Framework's /api/messages): the body
 * is read up to the route's cap, then handed to a callback that answers
 * now or later with net_httpd_respond().
 */
struct net_httpd_req;

/*
 * One POST to a route: @auth is the Authorization header ("" when
 * absent), @body the request body (NUL-terminated, @len bytes; NULL with
 * @too_big when it exceeded the cap).  All borrowed for the call.  The
 * callee must call net_httpd_respond(@req, ...) exactly once, now or later
 * on the loop thread.
 */
typedef void net_httpd_post_fn(void *arg, struct net_httpd_req *req, const char *auth,
                               const char *body, size_t len, bool too_big);

/*
 * Routes POSTs to @path (exact) to @fn(@arg, ...), bodies capped at
 * @max_body bytes; other methods on @path get 405.  Needs the listener
 * (net_httpd_start()) running: BOT_EINVAL otherwise, or when a route is
 * already set (one per listener).
 */
enum bot_err net_httpd_route(struct net_loop *loop, const char *path, size_t max_body,
                             net_httpd_post_fn *fn, void *arg);

/* Removes the route of @loop (requests held stay to be answered).  No-op without. */
void net_httpd_unroute(struct net_loop *loop);

/*
 * Answers @req with @status and @body (taken: malloc'd or NULL; @len bytes)
 * of @content_type (static, NULL for text/plain), and frees @req.  When the
 * client has gone meanwhile, only frees.
 */
void net_httpd_respond(struct net_httpd_req *req, int status, const char *content_type,
                       char *body, size_t len);

/*
 * Splits "host:port" or "[v6]:port" into @host (@hostlen bytes) and *port
 * (0 to 65535).  The host must be an IP address, or "localhost" or "*".
 */
bool net_httpd_parse_listen(const char *listen, char *host, size_t hostlen, int *port);

/*
 * Starts listening on @listen (see net_httpd_parse_listen(); port 0 picks a
 * free one) and calls @fn(@arg, ...) for each request.  On BOT_OK *port
 * (out) is the port bound; BOT_EINVAL for a bad address, BOT_ENET when the
 * address cannot be bound, with *why (out, new string) saying so.  One
 * listener per loop.
 */
enum bot_err net_httpd_start(struct net_loop *loop, const char *listen, net_httpd_fn *fn,
                             void *arg, int *port, char **why);

/*
 * Blocking: sends @method @path to the listener configured as @listen, on
 * loopback (a wildcard host is reached at 127.0.0.1 or ::1), and returns
 * the status in *status and the body in *body (out, new string).  For
 * `valuesbot reload`; never on the loop thread.  BOT_EINVAL when @listen
 * is not a loopback or wildcard address, BOT_ENET when nothing answers,
 * with *why (out, new string).
 */
enum bot_err net_httpd_call(const char *listen, const char *method, const char *path,
                            long *status, char **body, char **why);

#endif /* BOT_NET_HTTPD_H */
