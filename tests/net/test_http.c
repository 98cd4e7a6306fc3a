/*
 * test_http.c - the HTTP client of bot/net/http.c against a canned HTTP
 * server written on libuv in this file (127.0.0.1, port 0, same loop).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <uv.h>

#include "bot/base/xmalloc.h"
#include "bot/net/http.h"
#include "bot/net/loop.h"
#include "bot/net/net_int.h"
#include "tests/net/loop_fixture.h"
#include "tests/test_util.h"

struct world {
    struct net_loop *loop;
    uv_tcp_t server;
    int port;
    const char *response; /* what the server answers, whole */
    char request[8192];   /* what it last received */
    size_t request_len;
    int done;
    struct http_response got;
    char body[4096];
    struct net_timer *guard;
};

static struct world w;

struct client {
    uv_tcp_t tcp;
    uv_write_t wr;
    char buf[8192];
    size_t len;
    bool answered;
};

static void
client_closed(uv_handle_t *h)
{
    free(h->data);
}

static void
alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct client *c = h->data;

    (void)suggested;
    *buf = uv_buf_init(c->buf + c->len, (unsigned)(sizeof(c->buf) - c->len - 1));
}

static void
written(uv_write_t *req, int status)
{
    (void)status;
    uv_close((uv_handle_t *)req->handle, client_closed);
}

/* Answers once the headers and Content-Length bytes of body have arrived. */
static void
read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct client *c = s->data;
    const char *end, *cl;
    size_t want = 0;
    uv_buf_t out;

    (void)buf;
    if (n < 0) {
        if (!c->answered)
            uv_close((uv_handle_t *)s, client_closed);
        return;
    }
    c->len += (size_t)n;
    c->buf[c->len] = '\0';
    end = strstr(c->buf, "\r\n\r\n");
    if (end == NULL || c->answered)
        return;
    cl = strstr(c->buf, "Content-Length:");
    if (cl != NULL && cl < end)
        want = strtoul(cl + 15, NULL, 10);
    if (c->len < (size_t)(end + 4 - c->buf) + want)
        return;
    c->answered = true;
    memcpy(w.request, c->buf, c->len + 1);
    w.request_len = c->len;
    uv_read_stop(s);
    out = uv_buf_init((char *)w.response, (unsigned)strlen(w.response));
    uv_write(&c->wr, s, &out, 1, written);
}

static void
on_connection(uv_stream_t *server, int status)
{
    struct client *c;

    cr_assert_eq(status, 0);
    c = xcalloc(1, sizeof(*c));
    uv_tcp_init(server->loop, &c->tcp);
    c->tcp.data = c;
    cr_assert_eq(uv_accept(server, (uv_stream_t *)&c->tcp), 0);
    uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, read_cb);
}

static void
setup(void)
{
    memset(&w, 0, sizeof(w));
    xmalloc_json_init();
    w.loop = net_loop_new();
    w.guard = loop_guard_new(w.loop, 10000);
    w.port = loop_listen(w.loop, &w.server, 8, on_connection);
}

static void
teardown(void)
{
    net_timer_free(w.guard);
    uv_close((uv_handle_t *)&w.server, NULL);
    net_loop_free(w.loop);
}

TestSuite(http, .init = setup, .fini = teardown, .timeout = 30);

static void
on_done(void *arg, const struct http_response *r)
{
    (void)arg;
    w.done++;
    w.got = *r;
    snprintf(w.body, sizeof(w.body), "%.*s", (int)r->len, r->body);
    w.got.body = w.body;
    w.got.error = NULL;
    net_loop_stop(w.loop);
}

static void
request(const char *path, size_t max_response)
{
    char url[128];
    struct http_request req = {.method = "POST",
                               .url = url,
                               .auth = "Bearer xoxb-secret",
                               .content_type = "application/json; charset=utf-8",
                               .body = "{\"channel\":\"C1\"}",
                               .body_len = 16,
                               .max_response = max_response};

    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", w.port, path);
    cr_assert_eq(http_request(w.loop, &req, on_done, NULL, NULL), BOT_OK);
    net_loop_run(w.loop);
}

Test(http, post_sends_headers_and_body_and_reads_the_answer)
{
    w.response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                 "Content-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}";
    request("/api/chat.postMessage", 0);
    cr_expect_eq(w.done, 1);
    cr_expect_eq(w.got.err, BOT_OK);
    cr_expect_eq(w.got.status, 200);
    cr_expect_str_eq(w.body, "{\"ok\":true}");
    cr_expect_eq(w.got.retry_after, -1);
    cr_expect(strstr(w.request, "POST /api/chat.postMessage HTTP/1.1\r\n") == w.request);
    cr_expect_not_null(strstr(w.request, "Authorization: Bearer xoxb-secret\r\n"));
    cr_expect_not_null(
        strstr(w.request, "Content-Type: application/json; charset=utf-8"));
    cr_expect_not_null(strstr(w.request, "\r\n\r\n{\"channel\":\"C1\"}"));
}

Test(http, retry_after_is_read_on_429)
{
    w.response = "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\n"
                 "Content-Length: 33\r\nConnection: close\r\n\r\n"
                 "{\"ok\":false,\"error\":\"ratelimited\"}";
    request("/api/chat.postMessage", 0);
    cr_expect_eq(w.got.status, 429);
    cr_expect_eq(w.got.retry_after, 7);
}

Test(http, ratelimit_headers_are_read_and_absent_ones_are_minus_one)
{
    w.response = "HTTP/1.1 200 OK\r\nX-Ratelimit-Limit: 10\r\n"
                 "X-Ratelimit-Remaining: 0\r\nX-Ratelimit-Reset: 3\r\n"
                 "Content-Length: 2\r\nConnection: close\r\n\r\n{}";
    request("/api/v4/posts", 0);
    cr_expect_eq(w.got.status, 200);
    cr_expect_eq(w.got.ratelimit_remaining, 0);
    cr_expect_eq(w.got.ratelimit_reset, 3);
    w.response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
    request("/api/v4/posts", 0);
    cr_expect_eq(w.got.ratelimit_remaining, -1);
    cr_expect_eq(w.got.ratelimit_reset, -1);
}

Test(http, body_over_the_cap_fails_with_elimit)
{
    w.response = "HTTP/1.1 200 OK\r\nContent-Length: 40\r\nConnection: close\r\n\r\n"
                 "0123456789012345678901234567890123456789";
    request("/", 16);
    cr_expect_eq(w.done, 1);
    cr_expect_eq(w.got.err, BOT_ELIMIT);
}

Test(http, server_that_hangs_up_is_a_network_error)
{
    w.response = "";
    request("/", 0);
    cr_expect_eq(w.done, 1);
    cr_expect_eq(w.got.err, BOT_ENET);
    cr_expect_eq(w.got.status, 0);
}

Test(http, plaintext_off_loopback_refused_without_a_callback)
{
    struct http_request req = {.method = "GET", .url = "http://192.0.2.1/"};

    cr_expect_eq(http_request(w.loop, &req, on_done, NULL, NULL), BOT_EINVAL);
    req.url = "ftp://127.0.0.1/";
    cr_expect_eq(http_request(w.loop, &req, on_done, NULL, NULL), BOT_EPARSE);
    req.url = "wss://slack.com/";
    cr_expect_eq(http_request(w.loop, &req, on_done, NULL, NULL), BOT_EINVAL);
    cr_expect_eq(w.done, 0);
}

static void
on_cancel_timer(void *arg)
{
    (void)arg;
    net_loop_stop(w.loop);
}

Test(http, cancelled_call_never_calls_back)
{
    char url[64];
    struct http_request req = {.method = "GET", .url = url};
    struct http_call *call;
    struct net_timer *t = net_timer_new(w.loop, on_cancel_timer, NULL);

    w.response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", w.port);
    cr_assert_eq(http_request(w.loop, &req, on_done, NULL, &call), BOT_OK);
    http_cancel(call);
    net_timer_start(t, 300);
    net_loop_run(w.loop);
    cr_expect_eq(w.done, 0);
    net_timer_free(t);
}

#define BURST (HTTP_MAX_ACTIVE + 24)

static int burst_calls[BURST];
static int burst_done, burst_ok;
static unsigned burst_max_active;

static void
on_burst_done(void *arg, const struct http_response *r)
{
    int i = (int)(intptr_t)arg;

    burst_calls[i]++;
    if (r->err == BOT_OK && r->status == 200)
        burst_ok++;
    if (w.loop->http_active > burst_max_active)
        burst_max_active = w.loop->http_active;
    if (++burst_done == BURST - 1)
        net_loop_stop(w.loop);
}

Test(http, burst_over_the_running_cap_waits_and_each_call_ends_once)
{
    struct http_call *calls[BURST];
    char url[64];

    w.response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    for (int i = 0; i < BURST; i++) {
        struct http_request req = {
            .method = "POST", .url = url, .body = "{}", .body_len = 2};

        snprintf(url, sizeof(url), "http://127.0.0.1:%d/r%d", w.port, i);
        cr_assert_eq(
            http_request(w.loop, &req, on_burst_done, (void *)(intptr_t)i, &calls[i]),
            BOT_OK);
    }
    cr_expect_leq(w.loop->http_active, HTTP_MAX_ACTIVE,
                  "at most HTTP_MAX_ACTIVE handed to curl");
    cr_expect_eq(w.loop->http_queued, BURST);
    /* The last one is still waiting: cancelling it must not disturb the rest. */
    http_cancel(calls[BURST - 1]);
    net_loop_run(w.loop);
    cr_expect_eq(burst_done, BURST - 1);
    cr_expect_eq(burst_ok, BURST - 1);
    for (int i = 0; i < BURST - 1; i++)
        cr_expect_eq(burst_calls[i], 1, "call %d ended %d times", i, burst_calls[i]);
    cr_expect_eq(burst_calls[BURST - 1], 0, "the cancelled call never calls back");
    cr_expect_leq(burst_max_active, HTTP_MAX_ACTIVE);
    cr_expect_eq(w.loop->http_queued, 0);
    cr_expect_eq(w.loop->calls, NULL);
}

static int made[BURST];

/* http_request's body_fn: the body of request @arg, counted. */
static char *
make_body(void *arg, size_t *len)
{
    int i = (int)(intptr_t)arg;
    char *b = xasprintf("{\"n\":%d}", i);

    made[i]++;
    *len = strlen(b);
    return b;
}

static void
on_lazy_done(void *arg, const struct http_response *r)
{
    int i = (int)(intptr_t)arg;

    burst_calls[i]++;
    if (r->err == BOT_OK && r->status == 200)
        burst_ok++;
    cr_expect_eq(made[i], 1, "call %d: body made once, before it ended", i);
    if (++burst_done == BURST - 1)
        net_loop_stop(w.loop);
}

Test(http, a_lazy_body_is_made_when_its_request_starts_and_only_then)
{
    struct http_call *calls[BURST];
    char url[64];
    int asked = 0;

    w.response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/lazy", w.port);
    for (int i = 0; i < BURST; i++) {
        struct http_request req = {.method = "POST",
                                   .url = url,
                                   .auth = "Bearer xoxb-secret",
                                   .content_type = "application/json",
                                   .body_fn = make_body};

        cr_assert_eq(
            http_request(w.loop, &req, on_lazy_done, (void *)(intptr_t)i, &calls[i]),
            BOT_OK);
    }
    for (int i = 0; i < BURST; i++)
        asked += made[i];
    cr_expect_eq(asked, (int)w.loop->http_active, "only the started ones made a body");
    cr_expect_leq(asked, HTTP_MAX_ACTIVE);
    cr_expect_eq(made[BURST - 1], 0, "a waiting request holds no body");
    http_cancel(calls[BURST - 1]);
    net_loop_run(w.loop);
    cr_expect_eq(burst_done, BURST - 1);
    cr_expect_eq(burst_ok, BURST - 1);
    for (int i = 0; i < BURST - 1; i++)
        cr_expect_eq(burst_calls[i], 1, "call %d ended %d times", i, burst_calls[i]);
    cr_expect_eq(made[BURST - 1], 0, "the cancelled waiting call never made its body");
    /* What the server saw of the last one: its headers and its own body. */
    cr_expect_not_null(strstr(w.request, "Authorization: Bearer xoxb-secret\r\n"));
    cr_expect_not_null(strstr(w.request, "Content-Type: application/json\r\n"));
    cr_expect_not_null(strstr(w.request, "\r\n\r\n{\"n\":"));
}
