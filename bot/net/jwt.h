/*
 * jwt.h - JSON Web Tokens signed with RSA (RS256, RS384, RS512) and the
 * key sets (JWKS) that verify them: what the Bot Framework sends with every
 * activity (protocols.md 4b.2).
 *
 * jwt_parse() splits and decodes a compact token without trusting it;
 * jwt_verify() then checks, in this order, the key (kid in the key set),
 * the signature, the issuer, the audience, exp and nbf with a clock skew,
 * the service URL claim and the key's endorsement of the channel.  Every
 * refusal is a distinct enum jwt_result, so a caller can log why without
 * logging the token.  "none" and HMAC algorithms are never accepted.
 */
#ifndef BOT_NET_JWT_H
#define BOT_NET_JWT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "bot/base/err.h"

#define JWT_MAX_TOKEN 16384 /* longest compact token accepted, in bytes */
#define JWT_MAX_KEYS  64    /* keys kept from one JWKS document */
#define JWT_MAX_JWKS  (256 * 1024)

enum jwt_result {
    JWT_OK = 0,
    JWT_EMALFORMED,  /* not three base64url parts of JSON, or too long */
    JWT_EALG,        /* alg is not RS256, RS384 or RS512 */
    JWT_EKID,        /* no key in the set has the token's kid */
    JWT_ESIG,        /* the signature does not verify */
    JWT_EISS,        /* iss is not the expected issuer */
    JWT_EAUD,        /* aud is not the expected audience */
    JWT_EEXP,        /* expired (exp + skew is past), or no exp */
    JWT_ENBF,        /* not yet valid (nbf - skew is in the future) */
    JWT_ESERVICEURL, /* the serviceurl claim differs from the activity's */
    JWT_EENDORSE,    /* the key does not endorse the activity's channel */
};

/* A decoded but not yet trusted token. */
struct jwt {
    char *alg;          /* owned: header alg */
    char *kid;          /* owned: header kid, or NULL */
    void *claims;       /* owned: the payload as a jansson object (json_t *) */
    unsigned char *sig; /* owned: the decoded signature */
    size_t siglen;
    char *signed_part; /* owned: "header.payload", what the signature covers */
    size_t signed_len;
};

/* What a token must say to be accepted. */
struct jwt_expect {
    const char *issuer;      /* exact iss */
    const char *audience;    /* aud, or one of the aud array */
    const char *service_url; /* exact serviceurl claim, or NULL to skip the check */
    const char *channel_id;  /* must be endorsed by the key, or NULL to skip */
    time_t now;              /* wall clock, seconds */
    long skew;               /* seconds of tolerance on exp and nbf */
};

struct jwt_keyset;

/* Returns a static description such as "token expired". */
const char *jwt_strerror(enum jwt_result r);

/*
 * Decodes @len bytes of compact token into @t (out; release with
 * jwt_cleanup(), also after an error).  JWT_EMALFORMED or JWT_EALG.
 */
enum jwt_result jwt_parse(const char *token, size_t len, struct jwt *t);

/* Frees what jwt_parse() made and zeroes @t. */
void jwt_cleanup(struct jwt *t);

/*
 * Checks @t against @ks and @e in the order of the header comment.  Returns
 * JWT_OK when the token may be trusted.
 */
enum jwt_result jwt_verify(const struct jwt *t, const struct jwt_keyset *ks,
                           const struct jwt_expect *e);

/*
 * Parses a JWKS document ({"keys":[...]}) into a new key set (out @ks; free
 * with jwt_keyset_free()).  RSA signing keys with kid, n and e are kept
 * (with their endorsements); others are skipped.  BOT_EPARSE when the
 * document is not a JWKS or holds no usable key, BOT_ELIMIT when too big.
 */
enum bot_err jwt_keyset_parse(const char *buf, size_t len, struct jwt_keyset **ks);

/* Frees @ks.  NULL is a no-op. */
void jwt_keyset_free(struct jwt_keyset *ks);

/* Returns how many keys @ks holds (0 for NULL). */
size_t jwt_keyset_count(const struct jwt_keyset *ks);

/* Returns true when @ks has a key with @kid. */
bool jwt_keyset_has(const struct jwt_keyset *ks, const char *kid);

/*
 * Decodes base64url (with or without padding) into a new buffer (out @out,
 * @outlen).  Returns false on a character outside the alphabet.
 */
bool jwt_b64url_decode(const char *s, size_t len, unsigned char **out, size_t *outlen);

/* Encodes @len bytes as unpadded base64url (new string). */
char *jwt_b64url_encode(const unsigned char *buf, size_t len);

#endif /* BOT_NET_JWT_H */
