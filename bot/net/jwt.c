/*
 * jwt.c - RS256/384/512 JSON Web Tokens and JWKS key sets, with OpenSSL 3
 * for the RSA keys and signatures and jansson for the JSON.
 */
#include "bot/net/jwt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "bot/base/xmalloc.h"

struct jwt_key {
    char *kid;           /* owned */
    EVP_PKEY *pkey;      /* owned */
    char **endorsements; /* owned array of nend */
    size_t nend;
};

struct jwt_keyset {
    struct jwt_key *keys; /* owned array of n */
    size_t n;
};

const char *
jwt_strerror(enum jwt_result r)
{
    switch (r) {
    case JWT_OK:
        return "valid";
    case JWT_EMALFORMED:
        return "malformed token";
    case JWT_EALG:
        return "algorithm not allowed";
    case JWT_EKID:
        return "unknown signing key";
    case JWT_ESIG:
        return "bad signature";
    case JWT_EISS:
        return "wrong issuer";
    case JWT_EAUD:
        return "wrong audience";
    case JWT_EEXP:
        return "token expired";
    case JWT_ENBF:
        return "token not yet valid";
    case JWT_ESERVICEURL:
        return "serviceurl claim differs from the activity";
    case JWT_EENDORSE:
        return "key does not endorse the channel";
    }
    return "unknown";
}

/* ---- base64url --------------------------------------------------------- */

static int
b64_val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

bool
jwt_b64url_decode(const char *s, size_t len, unsigned char **out, size_t *outlen)
{
    unsigned char *buf;
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t n = 0;

    while (len > 0 && s[len - 1] == '=')
        len--;
    if (len % 4 == 1)
        return false;
    buf = xmalloc(len * 3 / 4 + 1);
    for (size_t i = 0; i < len; i++) {
        int v = b64_val((unsigned char)s[i]);

        if (v < 0) {
            free(buf);
            return false;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[n++] = (unsigned char)(acc >> bits);
        }
    }
    *out = buf;
    *outlen = n;
    return true;
}

char *
jwt_b64url_encode(const unsigned char *buf, size_t len)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char *out = xmalloc(len * 4 / 3 + 4), *p = out;
    uint32_t acc = 0;
    unsigned bits = 0;

    for (size_t i = 0; i < len; i++) {
        acc = (acc << 8) | buf[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            *p++ = tab[(acc >> bits) & 63];
        }
    }
    if (bits > 0)
        *p++ = tab[(acc << (6 - bits)) & 63];
    *p = '\0';
    return out;
}

/* ---- Tokens ------------------------------------------------------------ */

static json_t *
decode_json(const char *s, size_t len)
{
    unsigned char *raw;
    size_t n;
    json_t *j;

    if (!jwt_b64url_decode(s, len, &raw, &n))
        return NULL;
    j = json_loadb((const char *)raw, n, JSON_REJECT_DUPLICATES, NULL);
    free(raw);
    if (j != NULL && !json_is_object(j)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static bool
alg_ok(const char *alg)
{
    return alg != NULL && (strcmp(alg, "RS256") == 0 || strcmp(alg, "RS384") == 0 ||
                           strcmp(alg, "RS512") == 0);
}

enum jwt_result
jwt_parse(const char *token, size_t len, struct jwt *t)
{
    const char *d1, *d2;
    json_t *hdr;
    const char *alg, *kid;
    enum jwt_result r = JWT_EMALFORMED;

    memset(t, 0, sizeof(*t));
    if (token == NULL || len == 0 || len > JWT_MAX_TOKEN ||
        memchr(token, '\0', len) != NULL)
        return JWT_EMALFORMED;
    if ((d1 = memchr(token, '.', len)) == NULL ||
        (d2 = memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - token))) == NULL ||
        memchr(d2 + 1, '.', len - (size_t)(d2 + 1 - token)) != NULL)
        return JWT_EMALFORMED;
    if ((hdr = decode_json(token, (size_t)(d1 - token))) == NULL)
        return JWT_EMALFORMED;
    alg = json_string_value(json_object_get(hdr, "alg"));
    kid = json_string_value(json_object_get(hdr, "kid"));
    if (alg == NULL)
        goto out;
    t->alg = xstrdup(alg);
    t->kid = xstrdup_or_null(kid);
    if (!alg_ok(alg)) {
        r = JWT_EALG;
        goto out;
    }
    if ((t->claims = decode_json(d1 + 1, (size_t)(d2 - d1 - 1))) == NULL)
        goto out;
    if (!jwt_b64url_decode(d2 + 1, len - (size_t)(d2 + 1 - token), &t->sig, &t->siglen) ||
        t->siglen == 0)
        goto out;
    t->signed_len = (size_t)(d2 - token);
    t->signed_part = xstrndup(token, t->signed_len);
    r = JWT_OK;
out:
    json_decref(hdr);
    return r;
}

void
jwt_cleanup(struct jwt *t)
{
    free(t->alg);
    free(t->kid);
    json_decref(t->claims);
    free(t->sig);
    free(t->signed_part);
    memset(t, 0, sizeof(*t));
}

static const struct jwt_key *
key_find(const struct jwt_keyset *ks, const char *kid)
{
    if (ks == NULL || kid == NULL)
        return NULL;
    for (size_t i = 0; i < ks->n; i++) {
        if (strcmp(ks->keys[i].kid, kid) == 0)
            return &ks->keys[i];
    }
    return NULL;
}

static bool
sig_ok(const struct jwt *t, const struct jwt_key *k)
{
    const EVP_MD *md = strcmp(t->alg, "RS384") == 0   ? EVP_sha384()
                       : strcmp(t->alg, "RS512") == 0 ? EVP_sha512()
                                                      : EVP_sha256();
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok;

    if (ctx == NULL)
        return false;
    ok = EVP_DigestVerifyInit(ctx, NULL, md, NULL, k->pkey) == 1 &&
         EVP_DigestVerify(ctx, t->sig, t->siglen, (const unsigned char *)t->signed_part,
                          t->signed_len) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

static bool
aud_ok(const json_t *aud, const char *want)
{
    size_t i;
    const json_t *v;

    if (json_is_string(aud))
        return strcmp(json_string_value(aud), want) == 0;
    if (!json_is_array(aud))
        return false;
    json_array_foreach(aud, i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), want) == 0)
            return true;
    }
    return false;
}

/* A NumericDate claim: true with *out when present and a number. */
static bool
num_claim(const json_t *claims, const char *name, double *out)
{
    const json_t *v = json_object_get(claims, name);

    if (!json_is_number(v))
        return false;
    *out = json_number_value(v);
    return true;
}

enum jwt_result
jwt_verify(const struct jwt *t, const struct jwt_keyset *ks, const struct jwt_expect *e)
{
    const struct jwt_key *k;
    const char *iss, *surl;
    double exp, nbf;

    if (t->claims == NULL || t->sig == NULL)
        return JWT_EMALFORMED;
    if (!alg_ok(t->alg))
        return JWT_EALG;
    if ((k = key_find(ks, t->kid)) == NULL)
        return JWT_EKID;
    if (!sig_ok(t, k))
        return JWT_ESIG;
    iss = json_string_value(json_object_get(t->claims, "iss"));
    if (iss == NULL || e->issuer == NULL || strcmp(iss, e->issuer) != 0)
        return JWT_EISS;
    if (e->audience == NULL || !aud_ok(json_object_get(t->claims, "aud"), e->audience))
        return JWT_EAUD;
    if (!num_claim(t->claims, "exp", &exp) || exp + (double)e->skew < (double)e->now)
        return JWT_EEXP;
    if (num_claim(t->claims, "nbf", &nbf) && nbf - (double)e->skew > (double)e->now)
        return JWT_ENBF;
    if (e->service_url != NULL) {
        surl = json_string_value(json_object_get(t->claims, "serviceurl"));
        if (surl == NULL || strcmp(surl, e->service_url) != 0)
            return JWT_ESERVICEURL;
    }
    if (e->channel_id != NULL && k->nend > 0) {
        bool found = false;

        for (size_t i = 0; i < k->nend && !found; i++)
            found = strcmp(k->endorsements[i], e->channel_id) == 0;
        if (!found)
            return JWT_EENDORSE;
    }
    return JWT_OK;
}

/* ---- Key sets ---------------------------------------------------------- */

static BIGNUM *
b64_bn(const char *s)
{
    unsigned char *raw;
    size_t n;
    BIGNUM *bn;

    if (s == NULL || !jwt_b64url_decode(s, strlen(s), &raw, &n))
        return NULL;
    if (n == 0) {
        free(raw);
        return NULL;
    }
    bn = BN_bin2bn(raw, (int)n, NULL);
    free(raw);
    return bn;
}

static EVP_PKEY *
rsa_from_ne(const char *n64, const char *e64)
{
    BIGNUM *n = b64_bn(n64), *e = b64_bn(e64);
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *pkey = NULL;

    if (n == NULL || e == NULL || BN_num_bits(n) < 1024 || BN_num_bits(n) > 8192)
        goto out;
    if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
        (params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
        goto out;
    if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
        EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
        pkey = NULL;
out:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    return pkey;
}

static void
key_cleanup(struct jwt_key *k)
{
    free(k->kid);
    EVP_PKEY_free(k->pkey);
    for (size_t i = 0; i < k->nend; i++)
        free(k->endorsements[i]);
    free(k->endorsements);
}

enum bot_err
jwt_keyset_parse(const char *buf, size_t len, struct jwt_keyset **out)
{
    struct jwt_keyset *ks;
    json_t *root, *keys, *k;
    size_t i;

    *out = NULL;
    if (len > JWT_MAX_JWKS)
        return BOT_ELIMIT;
    root = json_loadb(buf, len, 0, NULL);
    keys = json_object_get(root, "keys");
    if (!json_is_array(keys)) {
        json_decref(root);
        return BOT_EPARSE;
    }
    ks = xcalloc(1, sizeof(*ks));
    json_array_foreach(keys, i, k)
    {
        const char *kty = json_string_value(json_object_get(k, "kty"));
        const char *use = json_string_value(json_object_get(k, "use"));
        const char *kid = json_string_value(json_object_get(k, "kid"));
        json_t *end = json_object_get(k, "endorsements"), *v;
        struct jwt_key key = {0};
        size_t j;

        if (ks->n >= JWT_MAX_KEYS)
            break;
        if (kty == NULL || strcmp(kty, "RSA") != 0 || kid == NULL || *kid == '\0' ||
            (use != NULL && strcmp(use, "sig") != 0) || key_find(ks, kid) != NULL)
            continue;
        key.pkey = rsa_from_ne(json_string_value(json_object_get(k, "n")),
                               json_string_value(json_object_get(k, "e")));
        if (key.pkey == NULL)
            continue;
        key.kid = xstrdup(kid);
        if (json_is_array(end) && json_array_size(end) > 0) {
            key.endorsements = xcalloc(json_array_size(end), sizeof(char *));
            json_array_foreach(end, j, v)
            {
                if (json_is_string(v))
                    key.endorsements[key.nend++] = xstrdup(json_string_value(v));
            }
        }
        ks->keys = xreallocarray(ks->keys, ks->n + 1, sizeof(*ks->keys));
        ks->keys[ks->n++] = key;
    }
    json_decref(root);
    if (ks->n == 0) {
        jwt_keyset_free(ks);
        return BOT_EPARSE;
    }
    *out = ks;
    return BOT_OK;
}

void
jwt_keyset_free(struct jwt_keyset *ks)
{
    if (ks == NULL)
        return;
    for (size_t i = 0; i < ks->n; i++)
        key_cleanup(&ks->keys[i]);
    free(ks->keys);
    free(ks);
}

size_t
jwt_keyset_count(const struct jwt_keyset *ks)
{
    return ks != NULL ? ks->n : 0;
}

bool
jwt_keyset_has(const struct jwt_keyset *ks, const char *kid)
{
    return key_find(ks, kid) != NULL;
}
