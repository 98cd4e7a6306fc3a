/*
 * httpd.c - the health and metrics listener: one libwebsockets server vhost
 * on the loop's context, one synchronous callback per request.
 *
 * lws parses the request (header limits, timeouts, keep-alive); we read
 * the method and path, ask the callback for the whole response, write the
 * headers at once and the body when the socket is writable.  A POST body
 * is read to its end and discarded before the response goes out, so a
 * kept-alive connection stays in step.
 */
#include "bot/net/httpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bot/base/buf.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/net/net_int.h"
#include "bot/net/url.h"
#include "bot/net/wsd.h"

struct net_httpd {
    struct net_loop *loop; /* borrowed: the loop that owns this listener */
    net_httpd_fn *fn;
    void *arg;
    char *route;      /* owned: the POST route's path, or NULL */
    size_t route_max; /* its body cap */
    net_httpd_post_fn *route_fn;
    void *route_arg;
    struct lws_protocols protocols[2]; /* lws keeps a pointer until the end */
    char iface[64];
    char *csp; /* owned: the Content-Security-Policy of every response */
};

/* A POST to the route being answered: lives until net_httpd_respond(). */
struct net_httpd_req {
    struct lws *wsi;       /* NULL once the client has gone */
    struct httpd_pss *pss; /* the connection's, while wsi is set */
};

/* One request on one connection; lws zeroes it and frees it with the wsi. */
struct httpd_pss {
    unsigned char *out; /* owned: LWS_PRE bytes, then the body */
    size_t len;
    int status;
    const char *ctype;
    bool wait_body;            /* a POST body is still arriving */
    bool routed;               /* a POST to the route: its body is kept */
    bool too_big;              /* ... and went past the cap */
    bool headers_due;          /* the route's answer is ready: headers when writable */
    struct buf *in;            /* owned: the route's body so far */
    char *auth;                /* owned: the route's Authorization header */
    struct net_httpd_req *req; /* the route's pending answer, or NULL */
    const char *etag;          /* static: a page's ETag, or NULL */
    const char *cache;         /* static: a page's Cache-Control, or NULL: no-store */
    struct wsd_conn *ws;       /* the WebSocket on this connection (wsd.c), or NULL */
};

bool
net_httpd_parse_listen(const char *listen, char *host, size_t hostlen, int *port)
{
    const char *colon, *h = listen;
    size_t n;
    char *end;
    long p;

    if (listen == NULL || (colon = strrchr(listen, ':')) == NULL)
        return false;
    n = (size_t)(colon - listen);
    if (n >= 2 && listen[0] == '[' && listen[n - 1] == ']') {
        h = listen + 1;
        n -= 2;
    } else if (memchr(listen, ':', n) != NULL) {
        return false; /* a bare IPv6 address needs brackets */
    }
    if (n == 0 || n >= hostlen || colon[1] == '\0')
        return false;
    p = strtol(colon + 1, &end, 10);
    if (*end != '\0' || colon[1] == '-' || colon[1] == '+' || p < 0 || p > 65535)
        return false;
    memcpy(host, h, n);
    host[n] = '\0';
    if (strcmp(host, "*") != 0 && strcmp(host, "localhost") != 0 &&
        !url_host_is_loopback(host)) {
        unsigned char a[16];

        if (inet_pton(AF_INET, host, a) != 1 && inet_pton(AF_INET6, host, a) != 1)
            return false;
    }
    *port = (int)p;
    return true;
}

/* Peers on 127.0.0.0/8 or ::1, also as IPv4-mapped addresses. */
static bool
peer_is_loopback(struct lws *wsi)
{
    char ip[64];
    const char *p = lws_get_peer_simple(wsi, ip, sizeof(ip));

    if (p == NULL)
        return false;
    if (strncmp(p, "::ffff:", 7) == 0 && strchr(p + 7, ':') == NULL)
        p += 7;
    return strcmp(p, "localhost") != 0 && url_host_is_loopback(p);
}

/*
 * Tries @host:@port with a plain socket first: lws 4.1 leaks the vhost's
 * TLS context when its own bind fails, and says less about why.  Returns 0
 * or the errno of socket() or bind().
 */
static int
try_bind(const char *host, int port)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int fd, one = 1, err = 0;

    memset(&ss, 0, sizeof(ss));
    if (strchr(host, ':') != NULL) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        if (strcmp(host, "::") != 0 && inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
            return EINVAL;
        len = sizeof(*a);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;

        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        if (strcmp(host, "*") != 0 && inet_pton(AF_INET, host, &a->sin_addr) != 1)
            return EINVAL;
        len = sizeof(*a);
    }
    if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        return errno;
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&ss, len) != 0)
        err = errno;
    close(fd);
    return err;
}

static void
pss_clear(struct httpd_pss *pss)
{
    struct wsd_conn *ws = pss->ws; /* outlives the HTTP requests before the upgrade */

    free(pss->out);
    if (pss->in != NULL) {
        buf_cleanup(pss->in);
        free(pss->in);
    }
    xfree_secret(pss->auth);
    if (pss->req != NULL) {
        pss->req->wsi = NULL; /* its owner still answers it, to nobody */
        pss->req->pss = NULL;
    }
    memset(pss, 0, sizeof(*pss));
    pss->ws = ws;
}

/* Sets the answer of @pss to @body (taken), as answer() does. */
static void
pss_set(struct httpd_pss *pss, int status, const char *ctype, char *body, size_t len)
{
    if (body == NULL || len > HTTPD_MAX_BODY) {
        free(body);
        body = xstrdup("\n");
        len = 1;
    }
    free(pss->out);
    pss->status = status;
    pss->ctype = ctype != NULL ? ctype : "text/plain; charset=utf-8";
    pss->len = len;
    pss->out = xmalloc(LWS_PRE + len);
    memcpy(pss->out + LWS_PRE, body, len);
    free(body);
}

#define HTTPD_CSP_BASE                                                                   \
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "      \
    "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"

static const char *
csp_of(const struct net_httpd *h)
{
    return h != NULL && h->csp != NULL ? h->csp : HTTPD_CSP_BASE;
}

int
net_httpd_add_security(struct lws *wsi, unsigned char **p, unsigned char *end)
{
    struct lws_vhost *vh = lws_get_vhost(wsi);
    const char *csp = csp_of(vh != NULL ? lws_get_vhost_user(vh) : NULL);
    static const char *const fixed[][2] = {
        {"x-content-type-options:", "nosniff"},
        {"referrer-policy:", "no-referrer"},
        {"permissions-policy:", "camera=(), microphone=(), geolocation=(), payment=(), "
                                "usb=(), interest-cohort=()"},
        {"cross-origin-opener-policy:", "same-origin"},
    };

    if (lws_add_http_header_by_name(wsi,
                                    (const unsigned char *)"content-security-policy:",
                                    (const unsigned char *)csp, (int)strlen(csp), p, end))
        return -1;
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        if (lws_add_http_header_by_name(wsi, (const unsigned char *)fixed[i][0],
                                        (const unsigned char *)fixed[i][1],
                                        (int)strlen(fixed[i][1]), p, end))
            return -1;
    }
    return 0;
}

static int
write_headers(struct lws *wsi, struct httpd_pss *pss)
{
    unsigned char hdr[LWS_PRE + 2048];
    unsigned char *start = &hdr[LWS_PRE], *p = start, *end = &hdr[sizeof(hdr) - 1];
    const char *cache = pss->cache != NULL ? pss->cache : "no-store";

    if (lws_add_http_common_headers(wsi, (unsigned)pss->status, pss->ctype, pss->len, &p,
                                    end) != 0 ||
        lws_add_http_header_by_name(
            wsi, (const unsigned char *)"cache-control:", (const unsigned char *)cache,
            (int)strlen(cache), &p, end) != 0 ||
        (pss->etag != NULL &&
         lws_add_http_header_by_name(
             wsi, (const unsigned char *)"etag:", (const unsigned char *)pss->etag,
             (int)strlen(pss->etag), &p, end) != 0) ||
        net_httpd_add_security(wsi, &p, end) != 0 ||
        lws_finalize_write_http_header(wsi, start, &p, end) != 0)
        return -1;
    lws_callback_on_writable(wsi);
    return 0;
}

int
net_httpd_write_now(struct lws *wsi, int status, const char *body)
{
    unsigned char buf[LWS_PRE + 2048 + 256];
    unsigned char *start = &buf[LWS_PRE], *p = start, *end = &buf[sizeof(buf) - 1];
    size_t len = strlen(body);

    if (lws_add_http_common_headers(wsi, (unsigned)status, "text/plain; charset=utf-8",
                                    len, &p, end) != 0 ||
        lws_add_http_header_by_name(wsi, (const unsigned char *)"cache-control:",
                                    (const unsigned char *)"no-store", 8, &p, end) != 0 ||
        net_httpd_add_security(wsi, &p, end) != 0 ||
        lws_finalize_http_header(wsi, &p, end) != 0 || (size_t)(end - p) < len)
        return -1;
    memcpy(p, body, len);
    p += len;
    return lws_write(wsi, start, (size_t)(p - start), LWS_WRITE_HTTP_HEADERS) < 0 ? -1
                                                                                  : 0;
}

void
net_httpd_set_csp(struct net_loop *loop, const char *frame_ancestors)
{
    struct net_httpd *h = loop->httpd;

    if (h == NULL)
        return;
    free(h->csp);
    h->csp = frame_ancestors != NULL && *frame_ancestors != '\0'
                 ? xasprintf("%s %s", HTTPD_CSP_BASE, frame_ancestors)
                 : NULL;
}

/* Asks the callback for the response to the request that just arrived. */
static void
answer(struct net_httpd *h, struct lws *wsi, struct httpd_pss *pss, const char *path)
{
    const char *method = "OTHER", *ctype = "text/plain; charset=utf-8";
    char *body = NULL;
    size_t len = 0;

    if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) > 0)
        method = "GET";
    else if (lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0)
        method = "POST";
    pss_clear(pss);
    pss->status = h->fn(h->arg, method, path, peer_is_loopback(wsi), &ctype, &body, &len);
    if (body == NULL || len > HTTPD_MAX_BODY) {
        free(body);
        body = xstrdup("\n");
        len = 1;
    }
    pss->ctype = ctype;
    pss->len = len;
    pss->out = xmalloc(LWS_PRE + len);
    memcpy(pss->out + LWS_PRE, body, len);
    free(body);
}

/* A GET under the web chat's prefix: a static page from wsd.c. */
static int
page(struct net_httpd *h, struct lws *wsi, struct httpd_pss *pss, const char *path)
{
    struct wsd_page pg = {0};

    pss_clear(pss);
    if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) <= 0) {
        pss_set(pss, 405, NULL, xstrdup("method not allowed\n"), 19);
        return write_headers(wsi, pss);
    }
    net_wsd_page(h->loop, wsi, path, &pg);
    pss->status = pg.status;
    pss->ctype = pg.ctype != NULL ? pg.ctype : "text/plain; charset=utf-8";
    pss->etag = pg.etag;
    pss->cache = pg.cache;
    pss->len = pg.len;
    pss->out = xmalloc(LWS_PRE + pg.len + 1);
    if (pg.len > 0)
        memcpy(pss->out + LWS_PRE, pg.body, pg.len);
    return write_headers(wsi, pss);
}

/* The route's request has arrived whole: hand it over. */
static void
route_call(struct net_httpd *h, struct lws *wsi, struct httpd_pss *pss)
{
    struct net_httpd_req *req = xcalloc(1, sizeof(*req));
    const char *body = NULL;
    size_t len = 0;

    req->wsi = wsi;
    req->pss = pss;
    pss->req = req;
    if (!pss->too_big && pss->in != NULL && pss->in->data != NULL) {
        body = pss->in->data; /* NUL-terminated by buf */
        len = pss->in->len;
    }
    h->route_fn(h->route_arg, req, pss->auth != NULL ? pss->auth : "",
                pss->too_big ? NULL : (body != NULL ? body : ""), pss->too_big ? 0 : len,
                pss->too_big);
}

/* A request to the route: POST only; its body is kept up to the cap. */
static int
route_begin(struct net_httpd *h, struct lws *wsi, struct httpd_pss *pss)
{
    char cl[24];
    int n;

    pss_clear(pss);
    if (lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) <= 0) {
        pss_set(pss, 405, NULL, xstrdup("method not allowed\n"), 19);
        return write_headers(wsi, pss);
    }
    pss->routed = true;
    if ((n = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_AUTHORIZATION)) > 0 && n < 65536) {
        pss->auth = xmalloc((size_t)n + 1);
        if (lws_hdr_copy(wsi, pss->auth, n + 1, WSI_TOKEN_HTTP_AUTHORIZATION) < 0)
            pss->auth[0] = '\0';
    }
    pss->in = xcalloc(1, sizeof(*pss->in));
    buf_init(pss->in, h->route_max);
    pss->wait_body =
        lws_hdr_copy(wsi, cl, sizeof(cl), WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0 &&
        strtoull(cl, NULL, 10) > 0;
    if (pss->wait_body && strtoull(cl, NULL, 10) > h->route_max)
        pss->too_big = true; /* read and dropped, then refused */
    if (!pss->wait_body)
        route_call(h, wsi, pss);
    return 0;
}

static int
httpd_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
               size_t len)
{
    struct httpd_pss *pss = user;
    struct lws_vhost *vh = lws_get_vhost(wsi);
    struct net_httpd *h = vh != NULL ? lws_get_vhost_user(vh) : NULL;
    char path[256];

    switch (reason) {
    case LWS_CALLBACK_HTTP:
        if (h == NULL || pss == NULL)
            return -1;
        snprintf(path, sizeof(path), "%s", in != NULL ? (const char *)in : "/");
        if (h->route != NULL && strcmp(path, h->route) == 0)
            return route_begin(h, wsi, pss);
        if (net_wsd_is_page(h->loop, path))
            return page(h, wsi, pss, path);
        answer(h, wsi, pss, path);
        /* lws reads a POST body only after this returns; answer after it. */
        pss->wait_body = lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0 &&
                         lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0;
        if (pss->wait_body) {
            char cl[24];

            if (lws_hdr_copy(wsi, cl, sizeof(cl), WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0 &&
                strtoull(cl, NULL, 10) == 0)
                pss->wait_body = false;
        }
        return pss->wait_body ? 0 : write_headers(wsi, pss);
    case LWS_CALLBACK_HTTP_BODY:
        if (pss != NULL && pss->routed && !pss->too_big && pss->in != NULL &&
            buf_add(pss->in, in, len) != BOT_OK)
            pss->too_big = true;
        return 0; /* otherwise discarded */
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        if (pss != NULL && pss->routed) {
            if (pss->wait_body && h != NULL) {
                pss->wait_body = false;
                route_call(h, wsi, pss);
                if (pss->headers_due) { /* answered at once: headers now */
                    pss->headers_due = false;
                    return write_headers(wsi, pss);
                }
            }
            return 0;
        }
        if (pss == NULL || pss->out == NULL)
            return -1;
        if (!pss->wait_body)
            return 0; /* lws reports an empty body too; answered already */
        pss->wait_body = false;
        return write_headers(wsi, pss);
    case LWS_CALLBACK_HTTP_WRITEABLE:
        if (pss == NULL || pss->out == NULL || pss->wait_body || pss->req != NULL)
            return 0;
        if (pss->headers_due) {
            pss->headers_due = false;
            return write_headers(wsi, pss);
        }
        if (lws_write(wsi, pss->out + LWS_PRE, pss->len, LWS_WRITE_HTTP_FINAL) !=
            (int)pss->len)
            return -1;
        pss_clear(pss);
        return lws_http_transaction_completed(wsi) ? -1 : 0;
    case LWS_CALLBACK_CLOSED_HTTP:
    case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
        if (pss != NULL)
            pss_clear(pss);
        return 0;
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
    case LWS_CALLBACK_ADD_HEADERS:
    case LWS_CALLBACK_ESTABLISHED:
    case LWS_CALLBACK_RECEIVE:
    case LWS_CALLBACK_SERVER_WRITEABLE:
    case LWS_CALLBACK_TIMER:
    case LWS_CALLBACK_CLOSED:
    case LWS_CALLBACK_WSI_DESTROY:
        if (h == NULL || pss == NULL)
            return reason == LWS_CALLBACK_CLOSED || reason == LWS_CALLBACK_WSI_DESTROY
                       ? 0
                       : -1;
        return net_wsd_callback(h->loop, wsi, reason, &pss->ws, in, len);
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

enum bot_err
net_httpd_start(struct net_loop *loop, const char *listen, net_httpd_fn *fn, void *arg,
                int *port, char **why)
{
    struct lws_context_creation_info info;
    struct lws_context *ctx;
    struct lws_vhost *vh;
    struct net_httpd *h;
    char host[64];
    int want, e;

    *why = NULL;
    if (loop->httpd != NULL) {
        *why = xstrdup("a listener is already running");
        return BOT_EINVAL;
    }
    if (!net_httpd_parse_listen(listen, host, sizeof(host), &want)) {
        *why = xasprintf("\"%s\" is not host:port with an IP address (or localhost or *) "
                         "and a port from 0 to 65535",
                         listen != NULL ? listen : "");
        return BOT_EINVAL;
    }
    if (want != 0 &&
        (e = try_bind(strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, want)) != 0) {
        *why = xasprintf("cannot listen on %s: %s", listen, strerror(e));
        return BOT_ENET;
    }
    if (net_lws_context(loop, &ctx) != BOT_OK) {
        *why = xstrdup("libwebsockets could not start");
        return BOT_ENET;
    }
    h = xcalloc(1, sizeof(*h));
    h->loop = loop;
    h->fn = fn;
    h->arg = arg;
    h->protocols[0].name = "http";
    h->protocols[0].callback = httpd_callback;
    h->protocols[0].per_session_data_size = sizeof(struct httpd_pss);
    snprintf(h->iface, sizeof(h->iface), "%s",
             strcmp(host, "localhost") == 0 ? "127.0.0.1" : host);
    memset(&info, 0, sizeof(info));
    info.vhost_name = "valuesbot-http";
    info.port = want; /* 0: lws binds a free port */
    info.iface = strcmp(host, "*") == 0 ? NULL : h->iface;
    info.protocols = h->protocols;
    info.user = h;
    info.keepalive_timeout = 5;
    info.timeout_secs = 10;
    vh = lws_create_vhost(ctx, &info);
    if (vh == NULL || lws_get_vhost_listen_port(vh) <= 0) {
        *why = xasprintf("cannot listen on %s (in use, or not an address of this host)",
                         listen);
        if (vh != NULL) {
            lws_vhost_destroy(vh);
            loop->httpd = h; /* lws may still read h->protocols; freed with the loop */
        } else {
            free(h);
        }
        return BOT_ENET;
    }
    loop->httpd = h;
    *port = lws_get_vhost_listen_port(vh);
    return BOT_OK;
}

void
net_httpd_free(struct net_httpd *h)
{
    if (h != NULL) {
        free(h->route);
        free(h->csp);
    }
    free(h);
}

enum bot_err
net_httpd_route(struct net_loop *loop, const char *path, size_t max_body,
                net_httpd_post_fn *fn, void *arg)
{
    struct net_httpd *h = loop->httpd;

    if (h == NULL || h->route != NULL || path == NULL || fn == NULL)
        return BOT_EINVAL;
    h->route = xstrdup(path);
    h->route_max = max_body;
    h->route_fn = fn;
    h->route_arg = arg;
    return BOT_OK;
}

void
net_httpd_unroute(struct net_loop *loop)
{
    struct net_httpd *h = loop->httpd;

    if (h == NULL)
        return;
    free(h->route);
    h->route = NULL;
    h->route_fn = NULL;
    h->route_arg = NULL;
}

void
net_httpd_respond(struct net_httpd_req *req, int status, const char *content_type,
                  char *body, size_t len)
{
    struct httpd_pss *pss = req->pss;

    if (req->wsi == NULL || pss == NULL) {
        free(body);
        free(req);
        return;
    }
    pss->req = NULL;
    pss_set(pss, status, content_type, body, len);
    pss->headers_due = true;
    lws_callback_on_writable(req->wsi);
    free(req);
}

static size_t
collect(char *ptr, size_t size, size_t n, void *arg)
{
    struct buf *b = arg;

    return buf_add(b, ptr, size * n) == BOT_OK ? size * n : 0;
}

enum bot_err
net_httpd_call(const char *listen, const char *method, const char *path, long *status,
               char **body, char **why)
{
    char host[64], url[160];
    struct buf b;
    CURL *c;
    CURLcode rc;
    int port;

    *status = 0;
    *body = NULL;
    *why = NULL;
    if (!net_httpd_parse_listen(listen, host, sizeof(host), &port)) {
        *why = xasprintf("\"%s\" is not host:port", listen != NULL ? listen : "");
        return BOT_EINVAL;
    }
    if (port == 0) {
        *why = xasprintf("the listener is set to %s, a port picked at start; set "
                         "VALUESBOT_HTTP to the port the bot logged",
                         listen);
        return BOT_EINVAL;
    }
    if (strcmp(host, "*") == 0 || strcmp(host, "0.0.0.0") == 0)
        snprintf(host, sizeof(host), "127.0.0.1");
    else if (strcmp(host, "::") == 0)
        snprintf(host, sizeof(host), "::1");
    else if (strcmp(host, "localhost") != 0 && !url_host_is_loopback(host)) {
        *why = xasprintf("the listener %s is not on loopback, and reload is taken only "
                         "from loopback; send SIGHUP instead",
                         listen);
        return BOT_EINVAL;
    }
    snprintf(url, sizeof(url), strchr(host, ':') ? "http://[%s]:%d%s" : "http://%s:%d%s",
             host, port, path);
    if ((c = curl_easy_init()) == NULL) {
        *why = xstrdup("libcurl could not start");
        return BOT_ENET;
    }
    buf_init(&b, HTTPD_MAX_BODY);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "POST") == 0)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        *why = xasprintf("%s: %s", url, curl_easy_strerror(rc));
        curl_easy_cleanup(c);
        buf_cleanup(&b);
        return BOT_ENET;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup(c);
    *body = buf_take(&b);
    return BOT_OK;
}
