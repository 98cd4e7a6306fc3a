/*
 * test_ws_tls.c - the TLS client session of bot/net/ws_tls.c against an
 * OpenSSL server in the same process, ciphertext passed between memory
 * buffers (no socket, no clock).
 *
 * Each test makes a throwaway CA and a server certificate signed by it, as
 * tests/fakes/fake_mattermost.py's make_test_ca() does with the openssl
 * command: an EC P-256 key, CA:TRUE with keyCertSign for the CA, and the
 * server's names in its subjectAltName.
 */
#include <string.h>

#include <criterion/criterion.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "bot/net/ws_tls.h"

static EVP_PKEY *
key_new(void)
{
    EVP_PKEY *k = EVP_EC_gen("P-256");

    cr_assert_not_null(k);
    return k;
}

static void
ext_add(X509 *x, X509V3_CTX *v3, int nid, const char *value)
{
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, v3, nid, value);

    cr_assert_not_null(e, "extension %s", value);
    cr_assert_eq(X509_add_ext(x, e, -1), 1);
    X509_EXTENSION_free(e);
}

/*
 * Returns a certificate for @key named @cn with the subjectAltName @san (or
 * none), signed by @issuer and @issuer_key, or self-signed (a CA) when
 * @issuer is NULL.
 */
static X509 *
cert_new(EVP_PKEY *key, const char *cn, const char *san, X509 *issuer,
         EVP_PKEY *issuer_key)
{
    static long serial = 1;
    X509 *x = X509_new();
    X509_NAME *name;
    X509V3_CTX v3;

    cr_assert_not_null(x);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 2 * 86400);
    X509_set_pubkey(x, key);
    name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1,
                               -1, 0);
    X509_set_issuer_name(x, issuer != NULL ? X509_get_subject_name(issuer) : name);
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, issuer != NULL ? issuer : x, x, NULL, NULL, 0);
    if (issuer == NULL) {
        ext_add(x, &v3, NID_basic_constraints, "critical,CA:TRUE");
        ext_add(x, &v3, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        ext_add(x, &v3, NID_basic_constraints, "CA:FALSE");
        ext_add(x, &v3, NID_key_usage, "critical,digitalSignature");
        ext_add(x, &v3, NID_ext_key_usage, "serverAuth");
    }
    if (san != NULL)
        ext_add(x, &v3, NID_subject_alt_name, san);
    cr_assert_gt(X509_sign(x, issuer_key != NULL ? issuer_key : key, EVP_sha256()), 0);
    return x;
}

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
    EVP_PKEY *ca_key = key_new(), *srv_key = key_new();
    X509 *ca = cert_new(ca_key, "valuesbot test CA", NULL, NULL, NULL);
    X509 *srv = cert_new(srv_key, cn, san, ca, ca_key);

    memset(p, 0, sizeof(*p));
    p->server_ctx = SSL_CTX_new(TLS_server_method());
    cr_assert_not_null(p->server_ctx);
    cr_assert_eq(SSL_CTX_use_certificate(p->server_ctx, srv), 1);
    cr_assert_eq(SSL_CTX_use_PrivateKey(p->server_ctx, srv_key), 1);
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
    X509_free(srv);
    X509_free(ca);
    EVP_PKEY_free(srv_key);
    EVP_PKEY_free(ca_key);
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
