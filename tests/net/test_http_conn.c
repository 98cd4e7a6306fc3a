/*
 * test_http_conn.c - the keep-alive HTTP/1.1 path of bot/net/http_conn.c
 * against a scripted server in a thread of this file (127.0.0.1, port 0;
 * plaintext, or TLS through tests/net/tls_fixture.h): connections kept and
 * reused, a reused one the server closed retried once on a new one, chunked
 * answers, deadlines, verified TLS, and curl taking over when asked.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "bot/base/xmalloc.h"
#include "bot/net/http.h"
#include "bot/net/loop.h"
#include "bot/net/net_int.h"
#include "tests/net/loop_fixture.h"
#include "tests/net/tls_fixture.h"

/* What the server does with its Nth request (counted over all connections). */
enum act {
    ANSWER,       /* writes the answer and reads on */
    ANSWER_CLOSE, /* writes the answer and closes */
    DROP,         /* closes without a word */
    HANG,         /* says nothing until the client goes */
};

#define MAX_REQ 16

struct server {
    int fd;
    int port;
    SSL_CTX *tls; /* or NULL: plaintext */
    enum act acts[MAX_REQ];
    const char *answers[MAX_REQ]; /* NULL: a short 200 */
    atomic_int accepted;
    atomic_int requests;
    char last[4096]; /* the last request's head and body */
    pthread_t thread;
};

static struct server srv;

struct sconn {
    int fd;
    SSL *ssl;
};

static ssize_t
s_read(struct sconn *c, char *b, size_t n)
{
    return c->ssl != NULL ? SSL_read(c->ssl, b, (int)n) : read(c->fd, b, n);
}

static void
s_write(struct sconn *c, const char *b, size_t n)
{
    if (c->ssl != NULL)
        (void)SSL_write(c->ssl, b, (int)n);
    else
        (void)!write(c->fd, b, n);
}

/* Serves one connection: request after request, as the script says. */
static void *
serve_conn(void *arg)
{
    struct sconn *c = arg;
    char buf[8192] = "";
    size_t len = 0;

    if (c->ssl != NULL && SSL_accept(c->ssl) != 1)
        goto out;
    for (;;) {
        char *end = NULL, *cl;
        size_t want = 0, head;
        ssize_t n;
        int i;

        for (;;) {
            if ((end = strstr(buf, "\r\n\r\n")) != NULL) {
                cl = strstr(buf, "Content-Length: ");
                want = cl != NULL && cl < end ? strtoul(cl + 16, NULL, 10) : 0;
                if (len >= (size_t)(end - buf) + 4 + want)
                    break;
            }
            if (len + 1 >= sizeof(buf) ||
                (n = s_read(c, buf + len, sizeof(buf) - len - 1)) <= 0)
                goto out;
            len += (size_t)n;
            buf[len] = '\0';
        }
        head = (size_t)(end - buf) + 4 + want;
        i = atomic_fetch_add(&srv.requests, 1);
        snprintf(srv.last, sizeof(srv.last), "%.*s", (int)head, buf);
        memmove(buf, buf + head, len - head + 1);
        len -= head;
        if (i >= MAX_REQ || srv.acts[i] == DROP)
            goto out;
        if (srv.acts[i] == HANG) {
            while (s_read(c, buf, sizeof(buf)) > 0)
                ;
            goto out;
        }
        {
            const char *a =
                srv.answers[i] != NULL
                    ? srv.answers[i]
                    : "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"ok\":true}";

            s_write(c, a, strlen(a));
        }
        if (srv.acts[i] == ANSWER_CLOSE)
            goto out;
    }
out:
    if (c->ssl != NULL)
        SSL_free(c->ssl);
    close(c->fd);
    free(c);
    return NULL;
}

static void *
serve(void *arg)
{
    (void)arg;
    for (;;) {
        int fd = accept(srv.fd, NULL, NULL);
        struct sconn *c;
        pthread_t t;

        if (fd < 0)
            return NULL;
        atomic_fetch_add(&srv.accepted, 1);
        c = xcalloc(1, sizeof(*c));
        c->fd = fd;
        if (srv.tls != NULL) {
            c->ssl = SSL_new(srv.tls);
            SSL_set_fd(c->ssl, fd);
        }
        pthread_create(&t, NULL, serve_conn, c);
        pthread_detach(t);
    }
}

static void
server_start(SSL_CTX *tls)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t alen = sizeof(a);

    srv.tls = tls;
    srv.fd = socket(AF_INET, SOCK_STREAM, 0);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(bind(srv.fd, (struct sockaddr *)&a, sizeof(a)), 0);
    cr_assert_eq(listen(srv.fd, 16), 0);
    getsockname(srv.fd, (struct sockaddr *)&a, &alen);
    srv.port = ntohs(a.sin_port);
    pthread_create(&srv.thread, NULL, serve, NULL);
}

struct world {
    struct net_loop *loop;
    struct net_timer *guard;
    int done;
    struct http_response got;
    char body[1024];
    char error[256];
};

static struct world w;

static void
setup(void)
{
    memset(&w, 0, sizeof(w));
    memset(&srv, 0, sizeof(srv));
    xmalloc_json_init();
    w.loop = net_loop_new();
    w.guard = loop_guard_new(w.loop, 10000);
}

static void
teardown(void)
{
    net_timer_free(w.guard);
    net_loop_free(w.loop);
    shutdown(srv.fd, SHUT_RDWR);
    close(srv.fd);
    pthread_join(srv.thread, NULL);
    if (srv.tls != NULL)
        SSL_CTX_free(srv.tls);
}

TestSuite(http_conn, .init = setup, .fini = teardown, .timeout = 30);

static void
on_done(void *arg, const struct http_response *r)
{
    (void)arg;
    w.done++;
    w.got = *r;
    snprintf(w.body, sizeof(w.body), "%.*s", (int)r->len, r->body);
    snprintf(w.error, sizeof(w.error), "%s", r->error != NULL ? r->error : "");
    w.got.body = w.body;
    w.got.error = w.error;
    net_loop_stop(w.loop);
}

/* POSTs to @url (printf'd with the server's port) and waits for the answer. */
static void
post(const char *scheme_host, const char *path, unsigned timeout_ms, const char *ca_file)
{
    char url[256];
    struct http_request req = {.method = "POST",
                               .url = url,
                               .auth = "Bearer xoxb-secret",
                               .content_type = "application/json; charset=utf-8",
                               .body = "{\"channel\":\"C1\"}",
                               .body_len = 16,
                               .ca_file = ca_file,
                               .timeout_ms = timeout_ms};

    snprintf(url, sizeof(url), "%s:%d%s", scheme_host, srv.port, path);
    w.done = 0;
    cr_assert_eq(http_request(w.loop, &req, on_done, NULL, NULL), BOT_OK);
    net_loop_run(w.loop);
    cr_assert_eq(w.done, 1);
}

Test(http_conn, posts_share_one_kept_connection)
{
    server_start(NULL);
    for (int i = 0; i < 3; i++) {
        post("http://127.0.0.1", "/api/chat.postMessage?x=1", 0, NULL);
        cr_expect_eq(w.got.err, BOT_OK);
        cr_expect_eq(w.got.status, 200);
        cr_expect_str_eq(w.body, "{\"ok\":true}");
        cr_expect(w.got.sent);
        cr_expect_neq(w.got.sent_us, 0);
        cr_expect_geq(w.got.first_byte_us, w.got.sent_us);
    }
    cr_expect_eq(atomic_load(&srv.accepted), 1, "one connection for three posts");
    cr_expect_null(w.loop->multi, "libcurl not started for our own connections");
    cr_expect(strstr(srv.last, "POST /api/chat.postMessage?x=1 HTTP/1.1\r\n") == srv.last,
              "%s", srv.last);
    cr_expect_not_null(strstr(srv.last, "\r\nHost: 127.0.0.1:"));
    cr_expect_not_null(strstr(srv.last, "\r\nAuthorization: Bearer xoxb-secret\r\n"));
    cr_expect_not_null(
        strstr(srv.last, "\r\nContent-Type: application/json; charset=utf-8\r\n"));
    cr_expect_not_null(
        strstr(srv.last, "\r\nContent-Length: 16\r\n\r\n{\"channel\":\"C1\"}"));
}

Test(http_conn, connection_close_answer_is_not_reused)
{
    srv.acts[0] = ANSWER;
    srv.answers[0] =
        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok";
    server_start(NULL);
    post("http://127.0.0.1", "/", 0, NULL);
    cr_expect_eq(w.got.status, 200);
    cr_expect_str_eq(w.body, "ok");
    post("http://localhost", "/", 0, NULL);
    cr_expect_eq(w.got.status, 200);
    cr_expect_eq(atomic_load(&srv.accepted), 2);
}

Test(http_conn, chunked_answer_and_429_are_read)
{
    srv.answers[0] =
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 4\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
        "b\r\n{\"ok\":false\r\n15\r\n,\"error\":\"ratelimited\r\n2\r\n\"}\r\n0\r\n\r\n";
    server_start(NULL);
    post("http://127.0.0.1", "/", 0, NULL);
    cr_expect_eq(w.got.err, BOT_OK);
    cr_expect_eq(w.got.status, 429);
    cr_expect_eq(w.got.retry_after, 4);
    cr_expect_str_eq(w.body, "{\"ok\":false,\"error\":\"ratelimited\"}");
    post("http://127.0.0.1", "/", 0, NULL);
    cr_expect_eq(w.got.status, 200);
    cr_expect_eq(w.got.retry_after, -1, "Retry-After is read on a 429 only");
    cr_expect_eq(atomic_load(&srv.accepted), 1);
}

Test(http_conn, reused_connection_closed_by_the_server_is_retried_once_on_a_new_one)
{
    srv.acts[0] = ANSWER;
    srv.acts[1] = DROP; /* the kept connection dies as the second post comes */
    srv.acts[2] = ANSWER;
    server_start(NULL);
    post("http://127.0.0.1", "/", 0, NULL);
    cr_expect_eq(w.got.status, 200);
    post("http://127.0.0.1", "/", 0, NULL);
    cr_expect_eq(w.got.err, BOT_OK, "%s", w.error);
    cr_expect_eq(w.got.status, 200);
    cr_expect_eq(atomic_load(&srv.requests), 3, "the dropped post made again once");
    cr_expect_eq(atomic_load(&srv.accepted), 2);
}

Test(http_conn, new_connection_closed_without_an_answer_fails_without_a_retry)
{
    srv.acts[0] = DROP;
    srv.acts[1] = ANSWER;
    server_start(NULL);
    post("http://127.0.0.1", "/", 0, NULL);
    cr_expect_eq(w.got.err, BOT_ENET);
    cr_expect_eq(w.got.status, 0);
    cr_expect(w.got.sent, "the request went out: the post may have been made");
    cr_expect_eq(atomic_load(&srv.requests), 1);
}

Test(http_conn, silent_server_times_out)
{
    srv.acts[0] = HANG;
    server_start(NULL);
    post("http://127.0.0.1", "/", 300, NULL);
    cr_expect_eq(w.got.err, BOT_ENET);
    cr_expect_not_null(strstr(w.error, "timed out"), "%s", w.error);
    cr_expect_eq(atomic_load(&srv.requests), 1, "no retry once the time is spent");
}

Test(http_conn, refused_connection_is_a_network_error_and_not_sent)
{
    char url[64];
    struct http_request req = {.method = "GET", .url = url};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t alen = sizeof(a);

    /* A port bound but not listening: nothing answers there. */
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    getsockname(fd, (struct sockaddr *)&a, &alen);
    server_start(NULL);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", ntohs(a.sin_port));
    cr_assert_eq(http_request(w.loop, &req, on_done, NULL, NULL), BOT_OK);
    net_loop_run(w.loop);
    close(fd);
    cr_expect_eq(w.done, 1);
    cr_expect_eq(w.got.err, BOT_ENET);
    cr_expect_not(w.got.sent);
    cr_expect_not_null(strstr(w.error, "connect"), "%s", w.error);
}

/* A server certificate for @cn and @san, its CA written to @ca_path. */
static void
tls_server(const char *cn, const char *san, const char *ca_path)
{
    X509 *ca;

    server_start(tls_server_ctx_new(cn, san, &ca));
    tls_write_pem(ca, ca_path);
    X509_free(ca);
}

Test(http_conn, tls_verified_and_kept)
{
    char ca[] = "/tmp/valuesbot-test-ca-XXXXXX";
    int fd = mkstemp(ca);

    close(fd);
    tls_server("localhost", "DNS:localhost,IP:127.0.0.1", ca);
    post("https://localhost", "/api/x", 0, ca);
    cr_expect_eq(w.got.err, BOT_OK, "%s", w.error);
    cr_expect_eq(w.got.status, 200);
    cr_expect_str_eq(w.body, "{\"ok\":true}");
    post("https://127.0.0.1", "/api/x", 0, ca);
    cr_expect_eq(w.got.err, BOT_OK, "%s", w.error);
    post("https://localhost", "/api/x", 0, ca);
    cr_expect_eq(w.got.err, BOT_OK, "%s", w.error);
    cr_expect_eq(atomic_load(&srv.accepted), 2, "one connection per origin, kept");
    cr_expect(strstr(srv.last, "POST /api/x HTTP/1.1\r\n") == srv.last);
    unlink(ca);
}

Test(http_conn, tls_refuses_an_unknown_issuer_and_another_name)
{
    char ca[] = "/tmp/valuesbot-test-ca-XXXXXX";
    int fd = mkstemp(ca);

    close(fd);
    /* Named for the address only; its CN is not a name once it has a SAN. */
    tls_server("localhost", "IP:127.0.0.1", ca);
    post("https://localhost", "/", 0, ca);
    cr_expect_eq(w.got.err, BOT_ENET);
    cr_expect_not_null(strstr(w.error, "mismatch"), "%s", w.error);
    /* The system's CAs alone do not know the test CA. */
    post("https://127.0.0.1", "/", 0, NULL);
    cr_expect_eq(w.got.err, BOT_ENET);
    cr_expect_not_null(strstr(w.error, "certificate"), "%s", w.error);
    cr_expect_eq(atomic_load(&srv.requests), 0, "no request reached the server");
    unlink(ca);
}

Test(http_conn, curl_makes_the_requests_when_asked)
{
    setenv("VALUESBOT_HTTP_CURL", "1", 1);
    server_start(NULL);
    post("http://127.0.0.1", "/curl", 0, NULL);
    unsetenv("VALUESBOT_HTTP_CURL");
    cr_expect_eq(w.got.err, BOT_OK);
    cr_expect_eq(w.got.status, 200);
    cr_expect_str_eq(w.body, "{\"ok\":true}");
    cr_expect_gt(w.loop->neasy, 0, "made by a curl handle, now kept");
    cr_expect_not_null(w.loop->multi, "libcurl started on its first request");
    cr_expect_not_null(strstr(srv.last, "\r\nAuthorization: Bearer xoxb-secret\r\n"));
}

Test(http_conn, a_url_is_checked_even_after_another_was_taken)
{
    struct http_request req = {.method = "GET"};

    server_start(NULL);
    post("http://127.0.0.1", "/ok", 0, NULL);
    cr_expect_eq(w.got.err, BOT_OK);
    req.url = "ftp://127.0.0.1/x";
    cr_expect_neq(http_request(w.loop, &req, on_done, NULL, NULL), BOT_OK);
    req.url = "http://";
    cr_expect_neq(http_request(w.loop, &req, on_done, NULL, NULL), BOT_OK);
    post("http://127.0.0.1", "/ok", 0, NULL);
    cr_expect_eq(w.got.err, BOT_OK, "the URL taken before is taken again");
}
