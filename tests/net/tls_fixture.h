/*
 * tls_fixture.h - throwaway certificates for the TLS tests of tests/net: a
 * CA and a server certificate signed by it, made as tests/fakes'
 * make_test_ca() makes them with the openssl command (an EC P-256 key,
 * CA:TRUE with keyCertSign for the CA, the server's names in its
 * subjectAltName), with OpenSSL's API and no files unless asked.
 */
#ifndef TESTS_NET_TLS_FIXTURE_H
#define TESTS_NET_TLS_FIXTURE_H

#include <stdio.h>

#include <criterion/criterion.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

static inline EVP_PKEY *
tls_key_new(void)
{
    EVP_PKEY *k = EVP_EC_gen("P-256");

    cr_assert_not_null(k);
    return k;
}

static inline void
tls_ext_add(X509 *x, X509V3_CTX *v3, int nid, const char *value)
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
static inline X509 *
tls_cert_new(EVP_PKEY *key, const char *cn, const char *san, X509 *issuer,
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
        tls_ext_add(x, &v3, NID_basic_constraints, "critical,CA:TRUE");
        tls_ext_add(x, &v3, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        tls_ext_add(x, &v3, NID_basic_constraints, "CA:FALSE");
        tls_ext_add(x, &v3, NID_key_usage, "critical,digitalSignature");
        tls_ext_add(x, &v3, NID_ext_key_usage, "serverAuth");
    }
    if (san != NULL)
        tls_ext_add(x, &v3, NID_subject_alt_name, san);
    cr_assert_gt(X509_sign(x, issuer_key != NULL ? issuer_key : key, EVP_sha256()), 0);
    return x;
}

/*
 * Returns a new server context with a certificate for @cn and @san (or no
 * subjectAltName) from a new CA; *ca (out) is the CA's certificate.  Free
 * with SSL_CTX_free() and X509_free().
 */
static inline SSL_CTX *
tls_server_ctx_new(const char *cn, const char *san, X509 **ca)
{
    EVP_PKEY *ca_key = tls_key_new(), *srv_key = tls_key_new();
    X509 *srv;
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

    cr_assert_not_null(ctx);
    *ca = tls_cert_new(ca_key, "valuesbot test CA", NULL, NULL, NULL);
    srv = tls_cert_new(srv_key, cn, san, *ca, ca_key);
    cr_assert_eq(SSL_CTX_use_certificate(ctx, srv), 1);
    cr_assert_eq(SSL_CTX_use_PrivateKey(ctx, srv_key), 1);
    X509_free(srv);
    EVP_PKEY_free(srv_key);
    EVP_PKEY_free(ca_key);
    return ctx;
}

/* Writes @cert to the file @path as PEM. */
static inline void
tls_write_pem(X509 *cert, const char *path)
{
    FILE *f = fopen(path, "w");

    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(PEM_write_X509(f, cert), 1);
    cr_assert_eq(fclose(f), 0);
}

#endif /* TESTS_NET_TLS_FIXTURE_H */
