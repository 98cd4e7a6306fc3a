/*
 * http.h - asynchronous HTTP requests on the loop: HTTP/1.1 over kept
 * connections of our own (http_conn.c), or libcurl's multi interface when a
 * proxy is set in the environment or VALUESBOT_HTTP_CURL is set.
 *
 * Once http_request() has returned BOT_OK, @on_done runs exactly once on the
 * loop thread, unless the call is cancelled first with http_cancel().  TLS
 * is always verified; plaintext http:// is accepted only to loopback.
 * Redirects are not followed.
 */
#ifndef BOT_NET_HTTP_H
#define BOT_NET_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "bot/base/err.h"

struct net_loop;
struct http_call;

#define HTTP_MAX_RESPONSE (1024 * 1024) /* default cap on a response body */

struct http_request {
    const char *method;       /* "GET" or "POST" */
    const char *url;          /* https://..., or http:// to loopback */
    const char *auth;         /* borrowed secret: "Bearer ...", or NULL */
    const char *content_type; /* e.g. "application/json; charset=utf-8", or NULL */
    const char *body;         /* borrowed, copied by http_request(); NULL: empty */
    size_t body_len;
    /*
     * Or, for a POST that may wait behind others (at most HTTP_MAX_ACTIVE
     * run at once): called with http_request()'s @arg when the request is
     * handed to curl, and on each such start only; returns the body
     * (malloc'd, never NULL; the call frees it) and its length in *len.  So
     * a waiting request holds no body, and a burst of replies waits in the
     * callers' own compact form.  It must not start or cancel requests.
     */
    char *(*body_fn)(void *arg, size_t *len);
    const char *ca_file; /* extra CA bundle (PEM), or NULL */
    unsigned timeout_ms; /* whole request; 0: 10 000 */
    size_t max_response; /* cap on the body; 0: HTTP_MAX_RESPONSE */
};

struct http_response {
    enum bot_err err;  /* BOT_OK when a status arrived; BOT_ENET, BOT_ELIMIT otherwise */
    const char *error; /* borrowed: transport error text when err != BOT_OK */
    long status;       /* HTTP status, 0 when err != BOT_OK */
    const char *body;  /* borrowed for the callback: NUL-terminated */
    size_t len;
    long retry_after;         /* seconds from Retry-After, or -1 when absent */
    long ratelimit_reset;     /* X-Ratelimit-Reset as sent (seconds from now, or an
                                 epoch time on some servers), or -1 when absent */
    long ratelimit_remaining; /* X-Ratelimit-Remaining, or -1 when absent */
    int sent;                 /* nonzero when the request reached the server */
    uint64_t sent_us;         /* clock_now_us() as the request was written; 0: unknown */
    uint64_t first_byte_us;   /* clock_now_us() as the answer began; 0: unknown */
};

typedef void http_done_fn(void *arg, const struct http_response *resp);

/*
 * Starts @req (everything copied, or produced by @req->body_fn) and stores the call in
 * *call (out; may be NULL when the caller never cancels).  BOT_EPARSE or BOT_EINVAL for a
 * bad or forbidden URL; then @on_done never runs.
 */
enum bot_err http_request(struct net_loop *loop, const struct http_request *req,
                          http_done_fn *on_done, void *arg, struct http_call **call);

/* Abandons @call: its callback will not run.  Only before the callback ran. */
void http_cancel(struct http_call *call);

#endif /* BOT_NET_HTTP_H */
