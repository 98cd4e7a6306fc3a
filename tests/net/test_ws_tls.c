/*
 * test_ws_tls.c - the TLS client session of bot/net/ws_tls.c against an
 * OpenSSL server in the same process, ciphertext passed between memory
 * buffers (no socket, no clock).
 * Each test makes a throwaway CA and a server certificate signed by it
 * (tls_fixture.h).
 */
#include <string.h>

#include <criterion/criterion.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "bot/net/ws_tls.h"
#include "tests/net/tls_fixture.h"

/* A server with a certificate for @cn / @san, and a client trusting @trusted's CA. */
struct pair {
    SSL_CTX *client_ctx, *server_ctx;
    SSL *server;
    BIO *srv_in, *srv_out; /* owned by server */
    struct ws_tls *t;
};

static void
pair_init(struct pair *p, const char *cn, const char *san, bool trust_ca,
          const char *host)
{
    X509 *ca;

    memset(p, 0, sizeof(*p));
    p->server_ctx = tls_server_ctx_new(cn, san, &ca);
    p->client_ctx = SSL_CTX_new(TLS_client_method());
    cr_assert_not_null(p->client_ctx);
    if (trust_ca)
        cr_assert_eq(X509_STORE_add_cert(SSL_CTX_get_cert_store(p->client_ctx), ca), 1);
    p->server = SSL_new(p->server_ctx);
    p->srv_in = BIO_new(BIO_s_mem());
    p->srv_out = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(p->srv_in, -1);
    SSL_set_bio(p->server, p->srv_in, p->srv_out);
    SSL_set_accept_state(p->server);
    p->t = ws_tls_new(p->client_ctx, host);
    cr_assert_not_null(p->t, "ws_tls_new(%s)", host);
    X509_free(ca);
}

static void
pair_cleanup(struct pair *p)
{
    ws_tls_free(p->t);
    SSL_free(p->server);
    SSL_CTX_free(p->server_ctx);
    SSL_CTX_free(p->client_ctx);
}

/* Moves what the client wrote to the server; the server works on it. */
static void
to_server(struct pair *p)
{
    size_t n;
    const unsigned char *c = ws_tls_pending(p->t, &n);

    if (n > 0)
        cr_assert_eq(BIO_write(p->srv_in, c, (int)n), (int)n);
    ws_tls_sent(p->t);
    if (!SSL_is_init_finished(p->server))
        (void)SSL_do_handshake(p->server);
}

/* Moves what the server wrote to the client: ws_tls_feed()'s answer. */
static enum bot_err
to_client(struct pair *p)
{
    char *data = NULL;
    long n = BIO_get_mem_data(p->srv_out, &data);
    enum bot_err err = ws_tls_feed(p->t, data, n > 0 ? (size_t)n : 0);

    (void)BIO_reset(p->srv_out);
    return err;
}

/* Runs the handshake to its end: ws_tls_feed()'s last answer. */
static enum bot_err
handshake(struct pair *p)
{
    enum bot_err err = BOT_EAGAIN;

    for (int i = 0; i < 10 && err == BOT_EAGAIN; i++) {
        to_server(p);
        err = to_client(p);
    }
    to_server(p); /* the client's Finished, or its alert */
    return err;
}

TestSuite(ws_tls, .timeout = 20);

Test(ws_tls, certificate_for_the_host_name_is_accepted_and_carries_data)
{
    struct pair p;
    unsigned char buf[64];
    size_t n = 0;
    enum bot_err err;

    pair_init(&p, "localhost", "DNS:localhost,IP:127.0.0.1", true, "localhost");
    cr_assert_eq(handshake(&p), BOT_OK, "%s", ws_tls_why(p.t));
    cr_expect_str_eq(ws_tls_why(p.t), "");
    /* Both ways: the client writes, the server echoes. */
    cr_assert_eq(ws_tls_write(p.t, "hello", 5), BOT_OK);
    to_server(&p);
    cr_assert_eq(SSL_read(p.server, buf, sizeof(buf)), 5);
    cr_assert_eq(SSL_write(p.server, "world", 5), 5);
    cr_assert_eq(to_client(&p), BOT_OK);
    /* The server's TLS 1.3 session tickets came first, in the same bytes. */
    err = ws_tls_read(p.t, buf, sizeof(buf), &n);
    cr_assert_eq(err, BOT_OK, "%s", ws_tls_why(p.t));
    cr_expect_eq(n, 5);
    cr_expect_eq(memcmp(buf, "world", 5), 0);
    pair_cleanup(&p);
}

struct refusal {
    const char *name; /* printed when the case fails */
    const char *cn, *san;
    bool trust_ca;
    const char *host; /* what the client connects to */
    const char *why;  /* a part of ws_tls_why() */
};

static const struct refusal refusals[] = {
    {"certificate for another name", "other.example", "DNS:other.example", true,
     "localhost", "hostname mismatch"},
    {"the name in the common name only, the subjectAltName lists another", "localhost",
     "DNS:other.example", true, "localhost", "hostname mismatch"},
    {"a parent domain's name", "example.test", "DNS:example.test", true,
     "chat.example.test", "hostname mismatch"},
    {"a wildcard covers one label only", "*.example.test", "DNS:*.example.test", true,
     "a.chat.example.test", "hostname mismatch"},
    {"certificate for another address", "127.0.0.2", "IP:127.0.0.2", true, "127.0.0.1",
     "IP address mismatch"},
    {"a name does not stand for an address", "localhost", "DNS:localhost", true,
     "127.0.0.1", "IP address mismatch"},
    {"right name, untrusted CA", "localhost", "DNS:localhost", false, "localhost",
     "certificate"},
};

Test(ws_tls, certificate_for_another_name_or_issuer_is_refused)
{
    for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
        const struct refusal *c = &refusals[i];
        struct pair p;
        unsigned char buf[16];
        size_t n = 1;

        pair_init(&p, c->cn, c->san, c->trust_ca, c->host);
        cr_expect_eq(handshake(&p), BOT_ENET, "%s", c->name);
        cr_expect(strstr(ws_tls_why(p.t), c->why) != NULL, "%s: %s", c->name,
                  ws_tls_why(p.t));
        /* A refused session never yields plaintext, nor takes any. */
        cr_expect_eq(ws_tls_read(p.t, buf, sizeof(buf), &n), BOT_ENET, "%s", c->name);
        cr_expect_eq(n, 0, "%s", c->name);
        cr_expect_eq(ws_tls_write(p.t, "x", 1), BOT_ENET, "%s", c->name);
        cr_expect_eq(ws_tls_feed(p.t, "", 0), BOT_ENET, "%s", c->name);
        pair_cleanup(&p);
    }
}

Test(ws_tls, wildcard_matches_one_label)
{
    struct pair p;

    pair_init(&p, "*.example.test", "DNS:*.example.test", true, "chat.example.test");
    cr_expect_eq(handshake(&p), BOT_OK, "%s", ws_tls_why(p.t));
    pair_cleanup(&p);
}

Test(ws_tls, peer_close_notify_ends_the_session)
{
    struct pair p;
    unsigned char buf[16];
    size_t n;
    enum bot_err err;

    pair_init(&p, "localhost", "DNS:localhost", true, "localhost");
    cr_assert_eq(handshake(&p), BOT_OK, "%s", ws_tls_why(p.t));
    (void)SSL_shutdown(p.server);
    cr_assert_eq(to_client(&p), BOT_OK);
    while ((err = ws_tls_read(p.t, buf, sizeof(buf), &n)) == BOT_OK)
        ;
    cr_expect_eq(err, BOT_ENET);
    cr_expect(strstr(ws_tls_why(p.t), "closed by the peer") != NULL, "%s",
              ws_tls_why(p.t));
    pair_cleanup(&p);
}

Test(ws_tls, close_sends_close_notify_after_the_handshake_only)
{
    struct pair p;
    unsigned char buf[16];
    size_t n, hello;

    pair_init(&p, "localhost", "DNS:localhost", true, "localhost");
    (void)ws_tls_pending(p.t, &hello);
    ws_tls_close(p.t);
    (void)ws_tls_pending(p.t, &n);
    cr_expect_eq(n, hello, "no alert before the handshake: only the ClientHello waits");
    cr_assert_eq(handshake(&p), BOT_OK, "%s", ws_tls_why(p.t));
    ws_tls_close(p.t);
    (void)ws_tls_pending(p.t, &n);
    cr_expect_gt(n, 0);
    to_server(&p);
    cr_expect_eq(SSL_read(p.server, buf, sizeof(buf)), 0);
    cr_expect_eq(SSL_get_error(p.server, 0), SSL_ERROR_ZERO_RETURN,
                 "the server read a close_notify, not a truncation");
    pair_cleanup(&p);
}
