/*
 * ws_tls.c - a TLS client session over memory BIOs (see ws_tls.h).
 *
 * lws 4.1 cannot run TLS on a raw client socket (its raw role never
 * finishes the handshake's second half: RAW_CONNECTED does not come and
 * the peer certificate is not confirmed; fixed in lws 4.3), so ws.c runs
 * its own on the loop's verifying SSL_CTX.  Verification is OpenSSL's:
 * SSL_VERIFY_PEER fails the handshake on a bad chain, and the host name
 * (SSL_set1_host) or address (X509_VERIFY_PARAM_set1_ip_asc) is part of
 * it; the result is checked again once the handshake is done.
 */
#include "bot/net/ws_tls.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "bot/base/log.h"
#include "bot/base/xmalloc.h"

struct ws_tls {
    SSL *ssl;         /* owned */
    BIO *rbio, *wbio; /* owned by ssl: ciphertext in and out */
    bool done;        /* the handshake finished and the peer was verified */
    bool failed;
    char why[160]; /* what went wrong, or "" */
};

/* Notes why the session failed, from the verify result or OpenSSL's errors. */
static enum bot_err
fail(struct ws_tls *t, const char *what)
{
    long v = SSL_get_verify_result(t->ssl);
    unsigned long e = ERR_peek_last_error();
    char msg[120];

    if (v != X509_V_OK)
        snprintf(msg, sizeof(msg), "certificate verify failed: %s",
                 X509_verify_cert_error_string(v));
    else if (e != 0)
        ERR_error_string_n(e, msg, sizeof(msg));
    else
        snprintf(msg, sizeof(msg), "%s", what);
    if (!t->failed)
        snprintf(t->why, sizeof(t->why), "TLS: %s", msg);
    t->failed = true;
    return BOT_ENET;
}

struct ws_tls *
ws_tls_new(SSL_CTX *ctx, const char *host)
{
    struct ws_tls *t = xcalloc(1, sizeof(*t));
    struct in6_addr a6;
    int ok;

    if ((t->ssl = SSL_new(ctx)) == NULL)
        fatalx("net: OpenSSL cannot make a TLS session");
    t->rbio = BIO_new(BIO_s_mem());
    t->wbio = BIO_new(BIO_s_mem());
    if (t->rbio == NULL || t->wbio == NULL)
        fatalx("net: OpenSSL cannot make a memory BIO");
    /* An empty input BIO means "wait for more", not end of file. */
    BIO_set_mem_eof_return(t->rbio, -1);
    SSL_set_bio(t->ssl, t->rbio, t->wbio);
    SSL_set_connect_state(t->ssl);
    SSL_set_verify(t->ssl, SSL_VERIFY_PEER, NULL);
    if (inet_pton(AF_INET, host, &a6) == 1 || inet_pton(AF_INET6, host, &a6) == 1)
        ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(t->ssl), host) == 1;
    else /* SNI is for names only (RFC 6066 section 3) */
        ok = SSL_set_tlsext_host_name(t->ssl, host) == 1 &&
             SSL_set1_host(t->ssl, host) == 1;
    ERR_clear_error();
    if (!ok || SSL_do_handshake(t->ssl) != -1 ||
        SSL_get_error(t->ssl, -1) != SSL_ERROR_WANT_READ) {
        ws_tls_free(t);
        return NULL;
    }
    return t;
}

void
ws_tls_free(struct ws_tls *t)
{
    if (t == NULL)
        return;
    SSL_free(t->ssl); /* and its BIOs */
    free(t);
}

enum bot_err
ws_tls_feed(struct ws_tls *t, const void *p, size_t len)
{
    int n;

    if (t->failed)
        return BOT_ENET;
    if (len > 0 && BIO_write(t->rbio, p, (int)len) != (int)len)
        fatalx("net: OpenSSL cannot buffer TLS input");
    if (t->done)
        return BOT_OK;
    ERR_clear_error();
    if ((n = SSL_do_handshake(t->ssl)) != 1)
        return SSL_get_error(t->ssl, n) == SSL_ERROR_WANT_READ
                   ? BOT_EAGAIN
                   : fail(t, "handshake failed");
    /* SSL_VERIFY_PEER already failed a bad chain; this is belt and braces. */
    if (SSL_get_verify_result(t->ssl) != X509_V_OK)
        return fail(t, "certificate not verified");
    t->done = true;
    return BOT_OK;
}

enum bot_err
ws_tls_read(struct ws_tls *t, void *buf, size_t max, size_t *len)
{
    int n;

    *len = 0;
    if (t->failed || !t->done)
        return t->failed ? BOT_ENET : BOT_EAGAIN;
    ERR_clear_error();
    if ((n = SSL_read(t->ssl, buf, max > 1 << 30 ? 1 << 30 : (int)max)) > 0) {
        *len = (size_t)n;
        return BOT_OK;
    }
    switch (SSL_get_error(t->ssl, n)) {
    case SSL_ERROR_WANT_READ:
        return BOT_EAGAIN;
    case SSL_ERROR_ZERO_RETURN:
        return fail(t, "closed by the peer");
    default:
        return fail(t, "read failed");
    }
}

enum bot_err
ws_tls_write(struct ws_tls *t, const void *p, size_t len)
{
    if (t->failed || !t->done)
        return BOT_ENET;
    ERR_clear_error();
    /* A memory BIO grows as needed, so SSL_write() takes it all at once. */
    if (len > 0 && SSL_write(t->ssl, p, (int)len) != (int)len)
        return fail(t, "write failed");
    return BOT_OK;
}

const unsigned char *
ws_tls_pending(struct ws_tls *t, size_t *len)
{
    char *data = NULL;
    long n = BIO_get_mem_data(t->wbio, &data);

    *len = n > 0 ? (size_t)n : 0;
    return (const unsigned char *)data;
}

void
ws_tls_sent(struct ws_tls *t)
{
    (void)BIO_reset(t->wbio);
}

void
ws_tls_close(struct ws_tls *t)
{
    if (!t->done || t->failed)
        return;
    ERR_clear_error();
    /* Returns 0 (the peer's close_notify has not come): all it has to do is done. */
    (void)SSL_shutdown(t->ssl);
    ERR_clear_error();
}

const char *
ws_tls_why(const struct ws_tls *t)
{
    return t->why;
}
