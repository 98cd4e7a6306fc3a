/*
 * fetch.c - one blocking HTTP GET with libcurl's easy interface (fetch.h).
 *
 * Redirects are followed here, one hop at a time, so that each hop's URL
 * is checked as the first one was (no downgrade to plaintext off
 * loopback), and so that a hop to a sign-in page can be named for what it
 * is: a page that is not public.
 */
#include "bot/net/fetch.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "bot/base/buf.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/net/net_int.h"
#include "bot/net/url.h"

static size_t
on_write(char *data, size_t size, size_t n, void *arg)
{
    struct buf *b = arg;

    if (buf_add(b, data, size * n) != BOT_OK)
        return 0; /* curl stops with CURLE_WRITE_ERROR */
    return size * n;
}

/* Whether @s may be fetched: https anywhere, http only to loopback (url.c). */
static bool
allowed(const char *s, char **why)
{
    struct url u;
    enum bot_err err = url_parse(s, &u);

    if (err == BOT_OK &&
        (strcmp(u.scheme, "https") == 0 || strcmp(u.scheme, "http") == 0)) {
        url_cleanup(&u);
        return true;
    }
    if (err == BOT_EINVAL)
        *why = xasprintf("%s is plain http://; only https:// is fetched (TLS verified), "
                         "or http:// on this machine",
                         s);
    else
        *why = xasprintf("%s is not a web address (https://...)", s);
    if (err == BOT_OK)
        url_cleanup(&u);
    return false;
}

/* Whether @s (a URL) is a sign-in page: its path or host says so. */
static bool
is_sign_in(const char *s)
{
    static const char *const words[] = {
        "login", "log-in", "logon", "signin",  "sign-in",         "sso", "saml",
        "oauth", "adfs",   "auth",  "account", "microsoftonline", NULL};
    const char *p = strstr(s, "://");
    char word[32];
    size_t n = 0;

    for (p = p ? p + 3 : s;; p++) {
        bool sep = *p == '\0' || *p == '/' || *p == '.' || *p == '?' || *p == '&' ||
                   *p == '=' || *p == '_';

        if (!sep) {
            if (n + 1 < sizeof(word))
                word[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p | 0x20 : *p);
            continue;
        }
        word[n] = '\0';
        for (size_t i = 0; n > 0 && words[i] != NULL; i++) {
            if (strcmp(word, words[i]) == 0)
                return true;
        }
        n = 0;
        if (*p == '\0' || *p == '?')
            return false;
    }
}

static void
content_type(struct fetch_result *res, const char *ct)
{
    const char *semi, *cs;
    size_t n;

    if (ct == NULL)
        return;
    semi = strchr(ct, ';');
    n = semi ? (size_t)(semi - ct) : strlen(ct);
    while (n > 0 && ct[n - 1] == ' ')
        n--;
    res->content_type = xstrndup(ct, n);
    for (char *p = res->content_type; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p | 0x20 : *p);
    cs = NULL;
    for (const char *p = semi; p != NULL && *p; p++) {
        if (strncasecmp(p, "charset=", 8) == 0) {
            cs = p;
            break;
        }
    }
    if (cs != NULL) {
        cs += 8;
        if (*cs == '"')
            cs++;
        n = strcspn(cs, "\"; ");
        res->charset = xstrndup(cs, n);
        for (char *p = res->charset; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p | 0x20 : *p);
    }
}

static enum bot_err
curl_error(CURLcode rc, const char *url, const char *errbuf, char **why)
{
    const char *detail = errbuf[0] ? errbuf : curl_easy_strerror(rc);

    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        *why = xasprintf("%s: the host name was not found (DNS): %s", url, detail);
        return BOT_ENET;
    case CURLE_COULDNT_CONNECT:
        *why = xasprintf("%s: could not connect: %s", url, detail);
        return BOT_ENET;
    case CURLE_OPERATION_TIMEDOUT:
        *why = xasprintf("%s: no complete answer within %d seconds", url,
                         FETCH_TIMEOUT_MS / 1000);
        return BOT_ENET;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
        *why = xasprintf("%s: the TLS connection failed (certificate not trusted or "
                         "not for this host): %s",
                         url, detail);
        return BOT_ENET;
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
        *why = xasprintf("%s: larger than the %u MiB limit for a page", url,
                         FETCH_MAX_BODY >> 20);
        return BOT_ELIMIT;
    default:
        *why = xasprintf("%s: %s", url, detail);
        return BOT_ENET;
    }
}

enum bot_err
fetch_url(const char *url, struct fetch_result *res, char **why)
{
    CURL *easy;
    char errbuf[CURL_ERROR_SIZE];
    char *cur = xstrdup(url);
    struct buf body;
    enum bot_err err = BOT_OK;
    struct curl_slist *headers = NULL;

    memset(res, 0, sizeof(*res));
    *why = NULL;
    if (!allowed(cur, why)) {
        free(cur);
        return BOT_EINVAL;
    }
    easy = curl_easy_init();
    if (easy == NULL)
        fatalx("net: libcurl cannot create a request");
    headers = curl_slist_append(headers, "Accept: text/html, application/xhtml+xml, "
                                         "application/pdf;q=0.9, text/plain;q=0.8");
    buf_init(&body, FETCH_MAX_BODY);
    for (;;) {
        CURLcode rc;
        long status = 0;
        char *ct = NULL, *loc = NULL;

        buf_reset(&body);
        errbuf[0] = '\0';
        curl_easy_setopt(easy, CURLOPT_URL, cur);
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_write);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "https,http");
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
        curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, (long)FETCH_TIMEOUT_MS);
        curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
        curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)FETCH_MAX_BODY);
        curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
        curl_easy_setopt(easy, CURLOPT_USERAGENT, "valuesbot-kb-build");
        if (net_ca_env_file() != NULL)
            curl_easy_setopt(easy, CURLOPT_CAINFO, net_ca_env_file());
        rc = curl_easy_perform(easy);
        if (rc != CURLE_OK) {
            err = curl_error(rc, cur, errbuf, why);
            break;
        }
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &ct);
        curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &loc);
        if (status >= 300 && status < 400 && loc != NULL) {
            if (res->redirects >= FETCH_MAX_REDIRECTS) {
                *why = xasprintf("%s: more than %d redirects", url, FETCH_MAX_REDIRECTS);
                err = BOT_ELIMIT;
                break;
            }
            if (is_sign_in(loc)) {
                *why = xasprintf("%s redirects to a sign-in page (%s): the page is not "
                                 "public; save it from a browser and build from the file",
                                 url, loc);
                err = BOT_EPARSE;
                break;
            }
            free(cur);
            cur = xstrdup(loc);
            res->redirects++;
            if (!allowed(cur, why)) {
                char *w = xasprintf("%s redirects to %s", url, *why);

                free(*why);
                *why = w;
                err = BOT_EINVAL;
                break;
            }
            continue;
        }
        if (status == 401 || status == 403) {
            *why =
                xasprintf("%s: the server answered %ld: the page needs a sign-in or is "
                          "not public",
                          cur, status);
            err = BOT_EPARSE;
            break;
        }
        if (status < 200 || status >= 300) {
            *why = xasprintf("%s: the server answered %ld%s", cur, status,
                             status == 404 ? " (not found): check the address" : "");
            err = BOT_EPARSE;
            break;
        }
        if (is_sign_in(cur) && res->redirects > 0) {
            *why = xasprintf("%s lands on a sign-in page (%s): the page is not public",
                             url, cur);
            err = BOT_EPARSE;
            break;
        }
        content_type(res, ct);
        res->len = body.len;
        res->body = body.data != NULL ? buf_take(&body) : xstrdup("");
        res->url = cur;
        cur = NULL;
        break;
    }
    free(cur);
    buf_cleanup(&body);
    curl_slist_free_all(headers);
    curl_easy_cleanup(easy);
    return err;
}
