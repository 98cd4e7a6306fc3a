/*
 * http_conn.c - HTTP/1.1 requests over kept connections of our own, on the
 * libuv loop: the path every request takes unless a proxy is set in the
 * environment (then curl, which knows proxies, makes them all).
 *
 * curl took some 68,000 instructions and two poll() calls a post (its
 * check that a reused connection is alive, and its look at the socket
 * when its timer drives the transfer) for what is a header block, the
 * body, one writev() and one read() of a short answer.  Here a post is
 * that: the head is written into the connection's kept buffer, the head
 * and body go out in one uv_write(), and the answer is read as it comes
 * (http_resp.c).
 *
 * Connections are kept per origin (scheme, host and port as the URL
 * spells them, and the CA file), at most HTTP_HOST_CONNS each, the most
 * recently used taken first.  An idle one is watched for input: a server
 * that closes it (or says anything unasked) has it closed here.  A request
 * on a reused connection that fails before any byte of the answer (the
 * server closed it as we wrote) is made again once on a new connection,
 * as curl does.  TLS is ws_tls.c's session on the loop's verifying
 * context (the peer's chain and name always checked), without ALPN, so
 * the server speaks HTTP/1.1; plaintext goes to loopback only (url.c's
 * rule, checked by http_request()).  Redirects are not followed.
 */
#include "bot/net/http_conn_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/clock.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/net/http_resp.h"
#include "bot/net/net_int.h"
#include "bot/net/url.h"
#include "bot/net/ws_tls.h"

static void conn_send(struct http_conn *c);

static void
idle_unlink(struct http_conn *c)
{
    for (struct http_conn **pp = &c->host->idle; *pp != NULL; pp = &(*pp)->next_idle) {
        if (*pp == c) {
            *pp = c->next_idle;
            break;
        }
    }
    c->next_idle = NULL;
}

void
http_conn_unref(struct http_conn *c)
{
    if (--c->refs > 0)
        return;
    buf_cleanup_secret(&c->head);
    buf_cleanup(&c->wq);
    buf_cleanup(&c->wbuf);
    http_resp_cleanup(&c->resp);
    ws_tls_free(c->tls);
    free(c);
}

static void
on_handle_closed(uv_handle_t *h)
{
    http_conn_unref(h->data);
}

/* Closes @c (any request on it must be detached first); freed once libuv is done. */
static void
conn_close(struct http_conn *c)
{
    struct http_pool *pool = c->pool;

    if (c->closing)
        return;
    c->closing = true;
    if (c->state == CONN_IDLE)
        idle_unlink(c);
    c->host->nconns--;
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        pool->conns = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    if (c->resolving)
        uv_cancel((uv_req_t *)&c->gai); /* its callback still comes, and unrefs */
    uv_timer_stop(&c->timer);
    uv_close((uv_handle_t *)&c->timer, on_handle_closed);
    uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
}

static void
on_idle_timeout(uv_timer_t *t)
{
    conn_close(t->data);
}

/* The request on @c is over and @c may carry the next: it waits, watched. */
static void
conn_idle(struct http_conn *c)
{
    c->state = CONN_IDLE;
    c->reused = true;
    c->next_idle = c->host->idle;
    c->host->idle = c;
    uv_timer_start(&c->timer, on_idle_timeout, CONN_IDLE_MS, 0);
}

/* Detaches @c's call, which the caller then ends or restarts. */
static struct http_call *
conn_detach(struct http_conn *c)
{
    struct http_call *call = c->call;

    c->call = NULL;
    if (call != NULL)
        call->conn = NULL;
    return call;
}

static void
on_deadline(uv_timer_t *t)
{
    struct http_conn *c = t->data;
    char why[96];

    if (c->call == NULL) {
        conn_close(c);
        return;
    }
    if (c->state == CONN_RESOLVING || c->state == CONN_CONNECTING ||
        c->state == CONN_HANDSHAKE)
        snprintf(why, sizeof(why), "connection timed out after %ld ms",
                 (long)(uv_now(t->loop) - (c->deadline - (uint64_t)c->call->timeout_ms)));
    else
        snprintf(why, sizeof(why), "operation timed out after %ld ms",
                 c->call->timeout_ms);
    c->got_bytes = true; /* no retry: the time is spent */
    http_conn_fail(c, BOT_ENET, why);
}

/* Arms @c's timer for its request: the whole deadline, or connecting's share of it. */
static void
conn_arm(struct http_conn *c)
{
    uint64_t now = uv_now(c->tcp.loop), left = c->deadline > now ? c->deadline - now : 0;

    if (c->state != CONN_BUSY && left > CONN_CONNECT_MS)
        left = CONN_CONNECT_MS;
    uv_timer_start(&c->timer, on_deadline, left, 0);
}

/* Ends @c's request with @r's answer; @c is kept or closed first. */
static void
conn_end(struct http_conn *c, struct http_response *r, bool keep)
{
    struct http_call *call = conn_detach(c);

    uv_timer_stop(&c->timer);
    if (keep && !c->writing && !c->closing)
        conn_idle(c);
    else
        conn_close(c);
    http_call_end(call, r);
}

/* The whole answer is in; @leftover: the server sent more than it. */
static void
conn_done(struct http_conn *c, bool leftover)
{
    struct http_response r = {0};
    struct http_call *call = c->call;

    r.err = BOT_OK;
    r.status = c->resp.status;
    r.retry_after = r.status == 429 ? c->resp.retry_after : -1;
    r.ratelimit_reset = c->resp.ratelimit_reset;
    r.ratelimit_remaining = c->resp.ratelimit_remaining;
    r.sent = 1;
    r.sent_us = c->sent_us;
    r.first_byte_us = c->first_us;
    r.body = buf_str(&call->resp);
    r.len = call->resp.len;
    conn_end(c, &r, c->resp.keep_alive && !leftover);
}

/* A new connection for @call to @h, trying address @addr first. */
static void conn_open(struct http_pool *pool, struct http_host *h, struct http_call *call,
                      int addr);

/*
 * @c's request failed.  On a reused connection before any byte of the
 * answer it is made once more on a new one (the server closed an idle
 * connection as the request went out); else it ends with @err.
 */
void
http_conn_fail(struct http_conn *c, enum bot_err err, const char *why)
{
    struct http_response r = {0};
    struct http_call *call = c->call;

    if (call == NULL) {
        conn_close(c);
        return;
    }
    if (err == BOT_ENET && c->reused && !c->got_bytes && !call->own_retried) {
        call->own_retried = true;
        conn_detach(c);
        conn_close(c);
        conn_open(c->pool, c->host, call, 0);
        return;
    }
    r.err = err;
    r.error = why;
    r.retry_after = -1;
    r.ratelimit_reset = -1;
    r.ratelimit_remaining = -1;
    r.sent = c->sent_us != 0;
    r.sent_us = c->sent_us;
    r.first_byte_us = c->first_us;
    r.body = "";
    conn_end(c, &r, false);
}

/* Feeds @len bytes of the answer (plaintext) to the reader. */
static void
conn_answer(struct http_conn *c, const char *p, size_t len)
{
    size_t used;
    enum http_resp_rc rc;

    if (c->call == NULL) {
        conn_close(c); /* something unasked on an idle connection */
        return;
    }
    if (!c->got_bytes) {
        c->got_bytes = true;
        c->first_us = clock_now_us();
    }
    rc = http_resp_feed(&c->resp, p, len, &used);
    if (rc == HTTP_RESP_DONE)
        conn_done(c, used < len);
    else if (rc == HTTP_RESP_LIMIT)
        http_conn_fail(c, BOT_ELIMIT, "response body larger than the cap");
    else if (rc == HTTP_RESP_BAD)
        http_conn_fail(c, BOT_ENET, "malformed HTTP response");
}

static void
on_written(uv_write_t *wr, int status)
{
    struct http_conn *c = wr->data;

    c->writing = false;
    if (c->closing)
        return;
    if (status < 0) {
        http_conn_fail(c, BOT_ENET, uv_strerror(status));
        return;
    }
    if (c->tls != NULL && c->wq.len > 0)
        conn_send(c);
}

/* Writes what TLS has pending (queued behind a write in progress). */
static void
conn_send(struct http_conn *c)
{
    size_t n;
    const unsigned char *p = ws_tls_pending(c->tls, &n);
    struct buf t;
    uv_buf_t b;
    int rc;

    if (n > 0) {
        if (buf_add(&c->wq, p, n) != BOT_OK)
            fatalx("net: TLS output over its cap");
        ws_tls_sent(c->tls);
    }
    if (c->writing || c->wq.len == 0)
        return;
    t = c->wbuf; /* the written buffer becomes the queue's storage */
    c->wbuf = c->wq;
    c->wq = t;
    buf_reset(&c->wq);
    b = uv_buf_init(c->wbuf.data, (unsigned)c->wbuf.len);
    c->wr.data = c;
    if ((rc = uv_write(&c->wr, (uv_stream_t *)&c->tcp, &b, 1, on_written)) < 0) {
        http_conn_fail(c, BOT_ENET, uv_strerror(rc));
        return;
    }
    c->writing = true;
}

/* Writes @c's request: its head (made here) and its body. */
static void
conn_request(struct http_conn *c)
{
    struct http_call *call = c->call;
    const char *path = http_host_path(call->url);
    struct buf *h = &c->head;
    char num[32];
    int rc;

    c->state = CONN_BUSY;
    conn_arm(c);
    c->got_bytes = false;
    c->first_us = 0;
    http_resp_cleanup(&c->resp);
    http_resp_init(&c->resp, &call->resp);
    buf_reset(h);
    buf_reserve(h, 192 + strlen(path) + (call->auth != NULL ? strlen(call->auth) : 0));
    buf_adds(h, call->post ? "POST " : "GET ");
    if (*path != '/')
        buf_add(h, "/", 1);
    buf_adds(h, path);
    buf_add(h, " HTTP/1.1\r\n", 11);
    buf_adds(h, c->host->hostline);
    buf_adds(h, "User-Agent: valuesbot\r\nAccept: */*\r\n");
    if (call->auth != NULL) {
        buf_add(h, "Authorization: ", 15);
        buf_adds(h, call->auth);
        buf_add(h, "\r\n", 2);
    }
    if (call->content_type != NULL) {
        buf_add(h, "Content-Type: ", 14);
        buf_adds(h, call->content_type);
        buf_add(h, "\r\n", 2);
    }
    if (call->post) {
        /* The digits by hand: snprintf() took 800 instructions a post. */
        char *d = num + sizeof(num);
        size_t v = call->body_len;

        do {
            *--d = (char)('0' + v % 10);
            v /= 10;
        } while (v > 0);
        buf_add(h, "Content-Length: ", 16);
        buf_add(h, d, (size_t)(num + sizeof(num) - d));
        buf_add(h, "\r\n", 2);
    }
    if (buf_add(h, "\r\n", 2) != BOT_OK) {
        http_conn_fail(c, BOT_ELIMIT, "request head too long");
        return;
    }
    c->sent_us = clock_now_us();
    if (c->tls != NULL) {
        if (ws_tls_write(c->tls, h->data, h->len) != BOT_OK ||
            ws_tls_write(c->tls, call->body, call->body_len) != BOT_OK) {
            http_conn_fail(c, BOT_ENET, ws_tls_why(c->tls));
            return;
        }
        conn_send(c);
        return;
    }
    {
        uv_buf_t b[2] = {uv_buf_init(h->data, (unsigned)h->len),
                         uv_buf_init(call->body, (unsigned)call->body_len)};

        c->wr.data = c;
        rc = uv_write(&c->wr, (uv_stream_t *)&c->tcp, b, call->body_len > 0 ? 2 : 1,
                      on_written);
        if (rc < 0) {
            http_conn_fail(c, BOT_ENET, uv_strerror(rc));
            return;
        }
        c->writing = true;
    }
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
    struct http_conn *c = h->data;

    (void)suggested;
    *b = uv_buf_init(c->pool->rbuf, sizeof(c->pool->rbuf));
}

/* TLS ciphertext came in: the handshake goes on, or plaintext comes out. */
static void
conn_tls_in(struct http_conn *c, const char *p, size_t len)
{
    enum bot_err err = ws_tls_feed(c->tls, p, len);
    struct http_call *call = c->call;
    size_t n;

    if (err == BOT_ENET) {
        conn_send(c); /* an alert, perhaps */
        http_conn_fail(c, BOT_ENET, ws_tls_why(c->tls));
        return;
    }
    if (c->state == CONN_HANDSHAKE) {
        conn_send(c);
        if (err == BOT_EAGAIN || c->closing)
            return;
        conn_request(c);
        return;
    }
    while (!c->closing) {
        err = ws_tls_read(c->tls, c->pool->tbuf, sizeof(c->pool->tbuf), &n);
        if (err == BOT_EAGAIN)
            break;
        if (err != BOT_OK) {
            if (c->call != NULL && http_resp_eof(&c->resp) == HTTP_RESP_DONE)
                conn_done(c, false);
            else
                http_conn_fail(c, BOT_ENET, ws_tls_why(c->tls));
            return;
        }
        conn_answer(c, c->pool->tbuf, n);
        if (c->call != call)
            return; /* ended (and perhaps carrying the next request already) */
    }
    if (!c->closing)
        conn_send(c); /* what reading made (a key update's answer) */
}

static void
on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    struct http_conn *c = s->data;

    if (c->closing || n == 0)
        return;
    if (n < 0) {
        if (c->call == NULL) {
            conn_close(c); /* the server closed an idle connection */
            return;
        }
        if (n == UV_EOF && c->tls == NULL && http_resp_eof(&c->resp) == HTTP_RESP_DONE) {
            conn_done(c, false);
            return;
        }
        http_conn_fail(c, BOT_ENET,
                       n == UV_EOF ? "server closed the connection"
                                   : uv_strerror((int)n));
        return;
    }
    if (c->tls != NULL)
        conn_tls_in(c, b->base, (size_t)n);
    else
        conn_answer(c, b->base, (size_t)n);
}

static void
on_connected(uv_connect_t *req, int status)
{
    struct http_conn *c = req->data;
    SSL_CTX *ctx;

    free(req);
    if (c->closing)
        return;
    if (status < 0) {
        struct http_call *call = c->call;
        char why[96];

        if (c->addr + 1 < c->host->naddrs && call != NULL) {
            conn_detach(c);
            conn_close(c);
            conn_open(c->pool, c->host, call, c->addr + 1);
            return;
        }
        snprintf(why, sizeof(why), "cannot connect to %s: %s", c->host->name,
                 uv_strerror(status));
        http_conn_fail(c, BOT_ENET, why);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0) {
        http_conn_fail(c, BOT_ENET, "cannot read the connection");
        return;
    }
    if (!c->host->tls) {
        conn_request(c);
        return;
    }
    ctx = net_tls_client_ctx(c->pool->loop, c->host->ca_file);
    if (ctx == NULL || (c->tls = ws_tls_new(ctx, c->host->name)) == NULL) {
        http_conn_fail(c, BOT_ENET,
                       ctx == NULL ? "cannot load the CA file" : "TLS refused the host");
        return;
    }
    c->state = CONN_HANDSHAKE;
    conn_send(c); /* the ClientHello */
}

/* Connects @c to its host's address c->addr. */
void
http_conn_connect(struct http_conn *c)
{
    uv_connect_t *req = xcalloc(1, sizeof(*req));
    int rc;

    c->state = CONN_CONNECTING;
    req->data = c;
    rc = uv_tcp_connect(req, &c->tcp, (const struct sockaddr *)&c->host->addrs[c->addr],
                        on_connected);
    if (rc < 0) {
        char why[96];

        free(req);
        snprintf(why, sizeof(why), "cannot connect to %s: %s", c->host->name,
                 uv_strerror(rc));
        http_conn_fail(c, BOT_ENET, why);
    }
}

static void
conn_open(struct http_pool *pool, struct http_host *h, struct http_call *call, int addr)
{
    struct http_conn *c = xcalloc(1, sizeof(*c));
    struct net_loop *loop = pool->loop;

    c->pool = pool;
    c->host = h;
    c->addr = addr;
    c->refs = 2; /* the socket's handle and the timer's */
    buf_init(&c->head, 64 * 1024);
    buf_init(&c->wq, 64 * 1024 * 1024);
    buf_init(&c->wbuf, 64 * 1024 * 1024);
    http_resp_init(&c->resp, &call->resp);
    uv_tcp_init(&loop->uv, &c->tcp);
    uv_timer_init(&loop->uv, &c->timer);
    c->tcp.data = c;
    c->timer.data = c;
    c->next = pool->conns;
    if (pool->conns != NULL)
        pool->conns->prev = c;
    pool->conns = c;
    h->nconns++;
    c->call = call;
    call->conn = c;
    c->deadline = uv_now(&loop->uv) + (uint64_t)call->timeout_ms;
    c->state = CONN_CONNECTING;
    conn_arm(c);
    http_host_resolve(c);
}

enum http_own
http_conn_start(struct http_call *call)
{
    struct http_pool *pool = http_host_pool(call->loop);
    struct http_host *h;
    struct http_conn *c;
    const char *path;

    if (pool == NULL || (h = http_host_get(pool, call, &path)) == NULL)
        return HTTP_OWN_NO;
    if ((c = h->idle) == NULL && h->nconns >= HTTP_HOST_CONNS)
        return HTTP_OWN_WAIT; /* one of them ends first, then start_waiting() */
    call->own = true;
    if (call->body_fn != NULL)
        call->body = call->body_fn(call->arg, &call->body_len);
    if (c == NULL) {
        conn_open(pool, h, call, 0);
        return HTTP_OWN_STARTED;
    }
    h->idle = c->next_idle;
    c->next_idle = NULL;
    c->call = call;
    call->conn = c;
    c->deadline = uv_now(c->tcp.loop) + (uint64_t)call->timeout_ms;
    conn_request(c);
    return HTTP_OWN_STARTED;
}

void
http_conn_drop(struct http_call *call)
{
    struct http_conn *c = call->conn;

    if (c == NULL)
        return;
    conn_detach(c);
    conn_close(c); /* mid-request: it cannot carry another */
}

void
http_conn_cleanup(struct net_loop *loop)
{
    struct http_pool *pool = loop->http_pool;
    struct http_host *h, *next;

    if (pool == NULL)
        return;
    while (pool->conns != NULL) {
        struct http_conn *c = pool->conns;

        if (c->call != NULL)
            conn_detach(c);
        conn_close(c);
    }
    for (h = pool->hosts; h != NULL; h = next) {
        next = h->next;
        http_host_free(h);
    }
    free(pool);
    loop->http_pool = NULL;
}
