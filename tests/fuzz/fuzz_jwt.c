/* fuzz_jwt.c - libFuzzer entry point for the JWT and JWKS parsers (bot/net/jwt.c). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bot/base/xmalloc.h"
#include "bot/net/jwt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    const struct jwt_expect e = {.issuer = "https://api.botframework.com",
                                 .audience = "app",
                                 .service_url = "https://smba.trafficmanager.net/emea/",
                                 .channel_id = "msteams",
                                 .now = 1765000000,
                                 .skew = 300};
    struct jwt_keyset *ks = NULL;
    struct jwt t;
    unsigned char *raw;
    size_t n;

    if (!init) {
        xmalloc_json_init();
        init = 1;
    }
    /* The token as it arrives in the Authorization header. */
    if (jwt_parse((const char *)data, size, &t) == JWT_OK)
        (void)jwt_verify(&t, NULL, &e);
    jwt_cleanup(&t);
    /* The key set as the metadata's jwks_uri serves it. */
    if (jwt_keyset_parse((const char *)data, size, &ks) == BOT_OK)
        (void)jwt_keyset_has(ks, "k");
    jwt_keyset_free(ks);
    if (jwt_b64url_decode((const char *)data, size, &raw, &n))
        free(raw);
    return 0;
}
