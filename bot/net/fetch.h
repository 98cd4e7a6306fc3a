/*
 * fetch.h - one blocking HTTP GET, for the command line ("kb build URL").
 *
 * The daemon never blocks (http.h); a content owner's command may.  TLS is
 * always verified; plaintext http:// is accepted only to loopback, on the
 * first request and after every redirect.  The body, the time and the
 * number of redirects are capped.
 */
#ifndef BOT_NET_FETCH_H
#define BOT_NET_FETCH_H

#include <stddef.h>

#include "bot/base/err.h"

#define FETCH_MAX_BODY      (8u * 1024 * 1024)
#define FETCH_TIMEOUT_MS    30000
#define FETCH_MAX_REDIRECTS 5

struct fetch_result {
    char *body; /* owned, NUL-terminated: the response body */
    size_t len; /* bytes in @body */
    char *
        content_type; /* owned: the media type, lower case, without parameters, or NULL */
    char *charset;    /* owned: the Content-Type's charset, lower case, or NULL */
    char *url;        /* owned: the URL that answered, after redirects */
    unsigned redirects; /* redirects followed */
};

/*
 * Fetches @url, following at most FETCH_MAX_REDIRECTS redirects, into *res
 * (out; free with fetch_result_cleanup(), also after a failure).  Returns
 * BOT_OK for a 2xx answer.  Otherwise *why (out, new string) says what
 * happened in words a content owner reads: BOT_EINVAL for a URL that is
 * not https:// (or http:// to loopback), BOT_ENET for DNS, connection,
 * TLS and time-outs, BOT_EPARSE for an HTTP error status or a redirect to
 * a sign-in page, BOT_ELIMIT for a body over FETCH_MAX_BODY or too many
 * redirects.
 */
enum bot_err fetch_url(const char *url, struct fetch_result *res, char **why);

/* Frees what @res owns; @res may be reused after. */
void fetch_result_cleanup(struct fetch_result *res);

#endif /* BOT_NET_FETCH_H */
