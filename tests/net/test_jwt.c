/* test_jwt.c - RS256 tokens and JWKS key sets: every check jwt_verify() makes. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "bot/base/xmalloc.h"
#include "bot/net/jwt.h"

#define NOW     1765000000L
#define ISSUER  "https://api.botframework.com"
#define APP_ID  "11111111-2222-3333-4444-555555555555"
#define SERVICE "https://smba.trafficmanager.net/emea/"

static EVP_PKEY *key1, *key2;

static EVP_PKEY *
gen_key(void)
{
    EVP_PKEY *k = EVP_RSA_gen(2048);

    cr_assert_not_null(k);
    return k;
}

static void
setup(void)
{
    xmalloc_json_init();
    if (key1 == NULL)
        key1 = gen_key();
    if (key2 == NULL)
        key2 = gen_key();
}

static char *
bn_b64(EVP_PKEY *k, const char *name)
{
    BIGNUM *bn = NULL;
    unsigned char buf[1024];
    int n;

    cr_assert(EVP_PKEY_get_bn_param(k, name, &bn));
    n = BN_bn2bin(bn, buf);
    BN_free(bn);
    return jwt_b64url_encode(buf, (size_t)n);
}

/* {"kty":"RSA",...} for @k under @kid, endorsing @endorse (JSON array text or NULL). */
static char *
jwk(EVP_PKEY *k, const char *kid, const char *endorse)
{
    char *n = bn_b64(k, OSSL_PKEY_PARAM_RSA_N), *e = bn_b64(k, OSSL_PKEY_PARAM_RSA_E);
    char *s =
        xasprintf("{\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":\"%s\",\"n\":\"%s\","
                  "\"e\":\"%s\"%s%s}",
                  kid, n, e, endorse ? ",\"endorsements\":" : "", endorse ? endorse : "");

    free(n);
    free(e);
    return s;
}

static struct jwt_keyset *
keyset(const char *endorse)
{
    char *k1 = jwk(key1, "k1", endorse);
    char *doc = xasprintf("{\"keys\":[%s,{\"kty\":\"EC\",\"kid\":\"ec\"}]}", k1);
    struct jwt_keyset *ks;

    cr_assert_eq(jwt_keyset_parse(doc, strlen(doc), &ks), BOT_OK);
    free(k1);
    free(doc);
    return ks;
}

static char *
b64s(const char *s)
{
    return jwt_b64url_encode((const unsigned char *)s, strlen(s));
}

/* A compact token with @header and @payload, signed by @k (SHA-256). */
static char *
sign(EVP_PKEY *k, const char *header, const char *payload)
{
    char *h = b64s(header), *p = b64s(payload);
    char *input = xasprintf("%s.%s", h, p), *sig64, *tok;
    unsigned char sig[1024];
    size_t siglen = sizeof(sig);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();

    cr_assert(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, k) == 1);
    cr_assert(EVP_DigestSign(ctx, sig, &siglen, (unsigned char *)input, strlen(input)) ==
              1);
    EVP_MD_CTX_free(ctx);
    sig64 = jwt_b64url_encode(sig, siglen);
    tok = xasprintf("%s.%s", input, sig64);
    free(h);
    free(p);
    free(input);
    free(sig64);
    return tok;
}

static char *
claims(const char *iss, const char *aud, long nbf, long exp, const char *surl)
{
    return xasprintf("{\"serviceurl\":\"%s\",\"nbf\":%ld,\"exp\":%ld,\"iss\":\"%s\","
                     "\"aud\":\"%s\"}",
                     surl, nbf, exp, iss, aud);
}

static const struct jwt_expect expect = {
    .issuer = ISSUER,
    .audience = APP_ID,
    .service_url = SERVICE,
    .channel_id = "msteams",
    .now = NOW,
    .skew = 300,
};

static enum jwt_result
check(const char *tok, const struct jwt_keyset *ks)
{
    struct jwt t;
    enum jwt_result r = jwt_parse(tok, strlen(tok), &t);

    if (r == JWT_OK)
        r = jwt_verify(&t, ks, &expect);
    jwt_cleanup(&t);
    return r;
}

static enum jwt_result
check_claims(EVP_PKEY *k, const char *kid, const char *payload, const char *endorse)
{
    char *hdr = xasprintf("{\"alg\":\"RS256\",\"kid\":\"%s\",\"typ\":\"JWT\"}", kid);
    char *tok = sign(k, hdr, payload);
    struct jwt_keyset *ks = keyset(endorse);
    enum jwt_result r = check(tok, ks);

    jwt_keyset_free(ks);
    free(tok);
    free(hdr);
    return r;
}

TestSuite(jwt, .init = setup);

Test(jwt, good_token_verifies)
{
    char *c = claims(ISSUER, APP_ID, NOW - 60, NOW + 3600, SERVICE);

    cr_expect_eq(check_claims(key1, "k1", c, "[\"msteams\",\"webchat\"]"), JWT_OK);
    cr_expect_eq(check_claims(key1, "k1", c, NULL), JWT_OK,
                 "no endorsements: any channel");
    free(c);
}

Test(jwt, each_claim_refused)
{
    struct {
        const char *iss, *aud, *surl;
        long nbf, exp;
        enum jwt_result want;
    } cases[] = {
        {ISSUER ".evil.example", APP_ID, SERVICE, NOW, NOW + 60, JWT_EISS},
        {"https://sts.windows.net/x/", APP_ID, SERVICE, NOW, NOW + 60, JWT_EISS},
        {ISSUER, "someone-else", SERVICE, NOW, NOW + 60, JWT_EAUD},
        {ISSUER, APP_ID, SERVICE, NOW - 7200, NOW - 301, JWT_EEXP},
        {ISSUER, APP_ID, SERVICE, NOW + 301, NOW + 3600, JWT_ENBF},
        {ISSUER, APP_ID, "https://evil.example/", NOW, NOW + 60, JWT_ESERVICEURL},
        /* Within the five minutes' skew: accepted. */
        {ISSUER, APP_ID, SERVICE, NOW - 7200, NOW - 299, JWT_OK},
        {ISSUER, APP_ID, SERVICE, NOW + 299, NOW + 3600, JWT_OK},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *c =
            claims(cases[i].iss, cases[i].aud, cases[i].nbf, cases[i].exp, cases[i].surl);

        cr_expect_eq(check_claims(key1, "k1", c, NULL), cases[i].want, "case %zu: %s", i,
                     jwt_strerror(check_claims(key1, "k1", c, NULL)));
        free(c);
    }
}

Test(jwt, audience_array_and_missing_exp)
{
    char *c = xasprintf("{\"serviceurl\":\"%s\",\"exp\":%ld,\"iss\":\"%s\","
                        "\"aud\":[\"other\",\"%s\"]}",
                        SERVICE, NOW + 60, ISSUER, APP_ID);
    char *noexp = xasprintf("{\"serviceurl\":\"%s\",\"iss\":\"%s\",\"aud\":\"%s\"}",
                            SERVICE, ISSUER, APP_ID);

    cr_expect_eq(check_claims(key1, "k1", c, NULL), JWT_OK);
    cr_expect_eq(check_claims(key1, "k1", noexp, NULL), JWT_EEXP);
    free(c);
    free(noexp);
}

Test(jwt, wrong_key_unknown_kid_endorsement)
{
    char *c = claims(ISSUER, APP_ID, NOW, NOW + 60, SERVICE);

    cr_expect_eq(check_claims(key2, "k1", c, NULL), JWT_ESIG, "signed by another key");
    cr_expect_eq(check_claims(key1, "k9", c, NULL), JWT_EKID);
    cr_expect_eq(check_claims(key1, "k1", c, "[\"webchat\"]"), JWT_EENDORSE);
    free(c);
}

Test(jwt, tampered_payload_fails_signature)
{
    char *c = claims(ISSUER, APP_ID, NOW, NOW + 60, SERVICE);
    char *tok = sign(key1, "{\"alg\":\"RS256\",\"kid\":\"k1\"}", c);
    char *evil = b64s("{\"serviceurl\":\"https://evil.example/\",\"exp\":9999999999,"
                      "\"iss\":\"" ISSUER "\",\"aud\":\"" APP_ID "\"}");
    char *d1 = strchr(tok, '.'), *d2 = strchr(d1 + 1, '.');
    char *forged = xasprintf("%.*s.%s%s", (int)(d1 - tok), tok, evil, d2);
    struct jwt_keyset *ks = keyset(NULL);

    cr_expect_eq(check(tok, ks), JWT_OK);
    cr_expect_eq(check(forged, ks), JWT_ESIG);
    jwt_keyset_free(ks);
    free(tok);
    free(evil);
    free(forged);
    free(c);
}

Test(jwt, none_and_hmac_refused)
{
    char *h1 = b64s("{\"alg\":\"none\",\"kid\":\"k1\"}");
    char *h2 = b64s("{\"alg\":\"HS256\",\"kid\":\"k1\"}");
    char *p = b64s("{\"iss\":\"" ISSUER "\"}");
    char *t1 = xasprintf("%s.%s.", h1, p), *t2 = xasprintf("%s.%s.AAAA", h2, p);
    struct jwt t;

    cr_expect_eq(jwt_parse(t1, strlen(t1), &t), JWT_EALG);
    jwt_cleanup(&t);
    cr_expect_eq(jwt_parse(t2, strlen(t2), &t), JWT_EALG);
    jwt_cleanup(&t);
    free(h1);
    free(h2);
    free(p);
    free(t1);
    free(t2);
}

Test(jwt, malformed_tokens)
{
    const char *bad[] = {"",         "abc",      "a.b",        "a.b.c.d",
                         "!!.??.**", "e30.e30.", "W10.e30.AA", "e30.e30.AA"};
    struct jwt t;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cr_expect_neq(jwt_parse(bad[i], strlen(bad[i]), &t), JWT_OK, "%s", bad[i]);
        jwt_cleanup(&t);
    }
}

Test(jwt, keyset_skips_unusable_keys)
{
    const char *docs[] = {"{}", "{\"keys\":{}}", "{\"keys\":[]}",
                          "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"x\",\"n\":\"AQAB\","
                          "\"e\":\"AQAB\"}]}",
                          "not json"};
    struct jwt_keyset *ks;

    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
        cr_expect_eq(jwt_keyset_parse(docs[i], strlen(docs[i]), &ks), BOT_EPARSE, "%s",
                     docs[i]);
    ks = keyset(NULL);
    cr_expect_eq(jwt_keyset_count(ks), 1, "the EC key is skipped");
    cr_expect(jwt_keyset_has(ks, "k1"));
    cr_expect_not(jwt_keyset_has(ks, "ec"));
    jwt_keyset_free(ks);
}

Test(jwt, base64url_round_trip)
{
    unsigned char in[256], *out;
    size_t n;

    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (unsigned char)(i * 7);
    for (size_t len = 0; len < 10; len++) {
        char *s = jwt_b64url_encode(in, len);

        cr_assert(jwt_b64url_decode(s, strlen(s), &out, &n));
        cr_expect_eq(n, len);
        cr_expect_eq(memcmp(out, in, len), 0);
        free(out);
        free(s);
    }
    cr_expect_not(jwt_b64url_decode("ab+c", 4, &out, &n), "'+' is not base64url");
}
