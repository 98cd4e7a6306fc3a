/*
 * test_httpd.c - the health and metrics listener of bot/net/httpd.c, driven
 * by the HTTP client of bot/net/http.c on the same loop (127.0.0.1, port 0).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/base/xmalloc.h"
#include "bot/net/http.h"
#include "bot/net/httpd.h"
#include "bot/net/loop.h"
#include "tests/net/loop_fixture.h"

struct world {
    struct net_loop *loop;
    struct net_timer *guard;
    int port;
    int calls;                  /* requests the callback saw */
    char method[16], path[128]; /* of the last one */
    bool loopback;
    int done;
    long status;
    char body[4096];
};

static struct world w;

static int
answer(void *arg, const char *method, const char *path, bool loopback,
       const char **content_type, char **body, size_t *len)
{
    (void)arg;
    w.calls++;
    snprintf(w.method, sizeof(w.method), "%s", method);
    snprintf(w.path, sizeof(w.path), "%s", path);
    w.loopback = loopback;
    *content_type = "application/json";
    *body = xasprintf("{\"seen\":\"%s %s\"}", method, path);
    *len = strlen(*body);
    return strcmp(path, "/missing") == 0 ? 404 : 200;
}

static void
setup(void)
{
    char *why = NULL;

    memset(&w, 0, sizeof(w));
    xmalloc_json_init();
    w.loop = net_loop_new();
    w.guard = loop_guard_new(w.loop, 10000);
    cr_assert_eq(net_httpd_start(w.loop, "127.0.0.1:0", answer, NULL, &w.port, &why),
                 BOT_OK, "%s", why ? why : "");
    cr_assert_gt(w.port, 0);
}

static void
teardown(void)
{
    net_timer_free(w.guard);
    net_loop_free(w.loop);
}

TestSuite(httpd, .init = setup, .fini = teardown, .timeout = 30);

static void
on_done(void *arg, const struct http_response *r)
{
    (void)arg;
    w.done++;
    w.status = r->err == BOT_OK ? r->status : -1;
    snprintf(w.body, sizeof(w.body), "%.*s", (int)r->len, r->body ? r->body : "");
    net_loop_stop(w.loop);
}

static void
request(const char *method, const char *path, const char *body)
{
    char url[128];
    struct http_request req = {.method = method,
                               .url = url,
                               .body = body,
                               .body_len = body ? strlen(body) : 0,
                               .content_type = body ? "text/plain" : NULL};

    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", w.port, path);
    w.done = 0;
    cr_assert_eq(http_request(w.loop, &req, on_done, NULL, NULL), BOT_OK);
    net_loop_run(w.loop);
    cr_assert_eq(w.done, 1, "no answer to %s %s", method, path);
}

Test(httpd, get_is_answered_by_the_callback_with_its_status_and_body)
{
    request("GET", "/healthz", NULL);
    cr_expect_eq(w.status, 200);
    cr_expect_str_eq(w.body, "{\"seen\":\"GET /healthz\"}");
    cr_expect_str_eq(w.method, "GET");
    cr_expect(w.loopback, "127.0.0.1 is a loopback peer");
    request("GET", "/missing", NULL);
    cr_expect_eq(w.status, 404);
    cr_expect_eq(w.calls, 2);
}

Test(httpd, query_string_is_not_part_of_the_path)
{
    request("GET", "/metrics?name[]=x", NULL);
    cr_expect_str_eq(w.path, "/metrics");
}

Test(httpd, post_body_is_read_and_discarded_before_the_answer)
{
    request("POST", "/reload", "please reload now");
    cr_expect_eq(w.status, 200);
    cr_expect_str_eq(w.body, "{\"seen\":\"POST /reload\"}");
    request("POST", "/reload", NULL); /* empty body, Content-Length: 0 */
    cr_expect_eq(w.status, 200);
    cr_expect_eq(w.calls, 2);
}

Test(httpd, one_listener_per_loop_and_a_taken_port_is_refused)
{
    struct net_loop *other = net_loop_new();
    char listen[32], *why = NULL;
    int port;

    cr_expect_eq(net_httpd_start(w.loop, "127.0.0.1:0", answer, NULL, &port, &why),
                 BOT_EINVAL);
    cr_expect_not_null(why);
    free(why);
    snprintf(listen, sizeof(listen), "127.0.0.1:%d", w.port);
    cr_expect_eq(net_httpd_start(other, listen, answer, NULL, &port, &why), BOT_ENET);
    cr_expect_not_null(why);
    cr_expect_not_null(strstr(why, listen), "%s", why);
    free(why);
    net_loop_free(other);
}

Test(httpd_listen, host_and_port_are_split_and_bad_ones_refused)
{
    static const struct {
        const char *listen;
        bool ok;
        const char *host;
        int port;
    } cases[] = {
        {"127.0.0.1:8080", true, "127.0.0.1", 8080},
        {"0.0.0.0:9000", true, "0.0.0.0", 9000},
        {"[::1]:80", true, "::1", 80},
        {"*:8080", true, "*", 8080},
        {"localhost:0", true, "localhost", 0},
        {"::1:80", false, NULL, 0},          /* IPv6 needs brackets */
        {"127.0.0.1", false, NULL, 0},       /* no port */
        {"127.0.0.1:", false, NULL, 0},      /* empty port */
        {"127.0.0.1:65536", false, NULL, 0}, /* out of range */
        {"127.0.0.1:-1", false, NULL, 0},
        {"127.0.0.1:80x", false, NULL, 0},
        {":80", false, NULL, 0},
        {"example.org:80", false, NULL, 0}, /* names are not resolved */
        {"", false, NULL, 0},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char host[64];
        int port = -1;

        cr_assert_eq(net_httpd_parse_listen(cases[i].listen, host, sizeof(host), &port),
                     cases[i].ok, "%s", cases[i].listen);
        if (cases[i].ok) {
            cr_expect_str_eq(host, cases[i].host);
            cr_expect_eq(port, cases[i].port);
        }
    }
}

Test(httpd_call, refuses_a_listener_off_loopback_without_connecting)
{
    long status;
    char *body = NULL, *why = NULL;

    cr_expect_eq(
        net_httpd_call("192.0.2.1:8080", "POST", "/reload", &status, &body, &why),
        BOT_EINVAL);
    cr_expect_not_null(strstr(why, "loopback"), "%s", why);
    cr_expect_null(body);
    free(why);
    cr_expect_eq(net_httpd_call("nonsense", "POST", "/reload", &status, &body, &why),
                 BOT_EINVAL);
    free(why);
}

/* ---- The POST route (the Bot Framework's /api/messages) ---------------- */

static struct {
    int calls;
    char auth[256];
    char body[8192];
    size_t len;
    bool too_big;
    struct net_httpd_req *held; /* answered by the timer */
    struct net_timer *later;
} rt;

static void
on_route(void *arg, struct net_httpd_req *req, const char *auth, const char *body,
         size_t len, bool too_big)
{
    bool defer = arg != NULL;

    rt.calls++;
    snprintf(rt.auth, sizeof(rt.auth), "%s", auth);
    snprintf(rt.body, sizeof(rt.body), "%s", body != NULL ? body : "(null)");
    rt.len = len;
    rt.too_big = too_big;
    if (too_big) {
        net_httpd_respond(req, 413, NULL, NULL, 0);
    } else if (defer) {
        rt.held = req;
        net_timer_start(rt.later, 200);
    } else {
        net_httpd_respond(req, 202, "application/json", xstrdup("{}"), 2);
    }
}

static void
on_later(void *arg)
{
    (void)arg;
    net_httpd_respond(rt.held, 200, NULL, xstrdup("late"), 4);
    rt.held = NULL;
}

static void
request_auth(const char *path, const char *auth, const char *body)
{
    char url[128];
    struct http_request req = {.method = "POST",
                               .url = url,
                               .auth = auth,
                               .body = body,
                               .body_len = strlen(body),
                               .content_type = "application/json"};

    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", w.port, path);
    w.done = 0;
    cr_assert_eq(http_request(w.loop, &req, on_done, NULL, NULL), BOT_OK);
    net_loop_run(w.loop);
    cr_assert_eq(w.done, 1);
}

Test(httpd, route_gets_the_body_and_authorization_and_answers)
{
    memset(&rt, 0, sizeof(rt));
    cr_assert_eq(net_httpd_route(w.loop, "/api/messages", 4096, on_route, NULL), BOT_OK);
    cr_expect_eq(net_httpd_route(w.loop, "/other", 10, on_route, NULL), BOT_EINVAL,
                 "one route per listener");
    request_auth("/api/messages", "Bearer abc.def.ghi", "{\"type\":\"message\"}");
    cr_expect_eq(w.status, 202);
    cr_expect_str_eq(rt.auth, "Bearer abc.def.ghi");
    cr_expect_str_eq(rt.body, "{\"type\":\"message\"}");
    cr_expect_eq(rt.len, 18);
    cr_expect_eq(w.calls, 0, "the route does not reach the GET callback");
    request("GET", "/api/messages", NULL);
    cr_expect_eq(w.status, 405);
    request("GET", "/healthz", NULL);
    cr_expect_eq(w.status, 200, "other paths still answered");
}

Test(httpd, route_refuses_a_body_over_its_cap)
{
    char *big = xmalloc(6001);

    memset(&rt, 0, sizeof(rt));
    memset(big, 'x', 6000);
    big[6000] = '\0';
    cr_assert_eq(net_httpd_route(w.loop, "/api/messages", 4096, on_route, NULL), BOT_OK);
    request_auth("/api/messages", "Bearer t", big);
    cr_expect_eq(w.status, 413);
    cr_expect(rt.too_big);
    cr_expect_str_eq(rt.body, "(null)");
    free(big);
    /* The connection is still usable for a small one. */
    request_auth("/api/messages", "Bearer t", "{}");
    cr_expect_eq(w.status, 202);
}

Test(httpd, route_answers_later)
{
    memset(&rt, 0, sizeof(rt));
    rt.later = net_timer_new(w.loop, on_later, NULL);
    cr_assert_eq(net_httpd_route(w.loop, "/api/messages", 4096, on_route, &rt), BOT_OK);
    request_auth("/api/messages", "", "{}");
    cr_expect_eq(w.status, 200);
    cr_expect_str_eq(w.body, "late");
    cr_expect_str_eq(rt.auth, "", "no Authorization header");
    net_timer_free(rt.later);
}
