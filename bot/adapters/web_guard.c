/*
 * web_guard.c - what keeps the web chat's endpoint safe to expose: the
 * Origin allow-list of the WebSocket handshake, the client address behind
 * a trusted proxy, and token buckets for rate limits.  Pure functions.
 */
#include "bot/adapters/web_int.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Compares @a (@alen bytes) and @b (@blen) without case or a trailing '/'. */
static bool
same_origin(const char *a, size_t alen, const char *b, size_t blen)
{
    while (alen > 0 && (a[alen - 1] == '/' || a[alen - 1] == ' '))
        alen--;
    while (blen > 0 && (b[blen - 1] == '/' || b[blen - 1] == ' '))
        blen--;
    while (alen > 0 && *a == ' ') {
        a++;
        alen--;
    }
    return alen == blen && alen > 0 && strncasecmp(a, b, alen) == 0;
}

bool
web_origin_allowed(const char *origin, const char *host, const char *allow)
{
    const char *p, *hostpart;
    size_t olen;

    if (origin == NULL || *origin == '\0')
        return true; /* not a browser: Origin protects browsers' users */
    olen = strlen(origin);
    if ((p = strstr(origin, "://")) != NULL && host != NULL && *host != '\0') {
        hostpart = p + 3;
        if (same_origin(hostpart, strlen(hostpart), host, strlen(host)))
            return true;
    }
    for (p = allow; p != NULL && *p != '\0';) {
        size_t n = strcspn(p, ",");

        if (same_origin(p, n, origin, olen))
            return true;
        p += n;
        if (*p == ',')
            p++;
    }
    return false;
}

/* Strips "::ffff:" from an IPv4-mapped IPv6 address. */
static const char *
unmapped(const char *addr)
{
    if (strncasecmp(addr, "::ffff:", 7) == 0 && strchr(addr + 7, ':') == NULL &&
        strchr(addr + 7, '.') != NULL)
        return addr + 7;
    return addr;
}

/* Does @addr match @entry ("10.0.0.1", "10.0.0.0/8", "::1")? */
static bool
matches(const char *entry, const char *addr)
{
    char e[64];
    const char *slash;
    struct in_addr net, a;
    long bits;
    char *end;

    if (strlen(entry) >= sizeof(e))
        return false;
    snprintf(e, sizeof(e), "%s", entry);
    if ((slash = strchr(e, '/')) == NULL)
        return strcasecmp(unmapped(e), addr) == 0;
    e[slash - e] = '\0';
    bits = strtol(slash + 1, &end, 10);
    if (*end != '\0' || bits < 0 || bits > 32 || inet_pton(AF_INET, e, &net) != 1 ||
        inet_pton(AF_INET, addr, &a) != 1)
        return false;
    if (bits == 0)
        return true;
    uint32_t mask = htonl(~0u << (32 - bits));
    return (net.s_addr & mask) == (a.s_addr & mask);
}

bool
web_addr_in(const char *list, const char *addr)
{
    char entry[64];

    if (list == NULL || addr == NULL || *addr == '\0')
        return false;
    addr = unmapped(addr);
    for (const char *p = list; *p != '\0';) {
        size_t n = strcspn(p, ","), b = 0, e = n;

        while (b < e && p[b] == ' ')
            b++;
        while (e > b && p[e - 1] == ' ')
            e--;
        if (e > b && e - b < sizeof(entry)) {
            memcpy(entry, p + b, e - b);
            entry[e - b] = '\0';
            if (matches(entry, addr))
                return true;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return false;
}

void
web_client_addr(const char *peer, const char *xff, const char *trusted, char *out,
                size_t len)
{
    const char *last, *p = NULL;
    size_t n;

    snprintf(out, len, "%s", unmapped(peer != NULL ? peer : ""));
    if (xff == NULL || *xff == '\0' || !web_addr_in(trusted, peer))
        return;
    last = strrchr(xff, ',');
    p = last != NULL ? last + 1 : xff;
    while (*p == ' ')
        p++;
    n = strcspn(p, " ");
    if (n > 0 && n < 64 && n < len) {
        memcpy(out, p, n);
        out[n] = '\0';
    }
}

void
web_query_org(const char *query, char *out, size_t len)
{
    const char *p = query;

    out[0] = '\0';
    while (p != NULL && *p != '\0') {
        size_t n = strcspn(p, "&");

        if (n > 4 && strncmp(p, "org=", 4) == 0) {
            size_t k = n - 4;
            bool ok = k <= WEB_MAX_ID && k < len;

            for (size_t i = 0; ok && i < k; i++) {
                char c = p[4 + i];

                ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                     (c >= '0' && c <= '9') || c == '_' || c == '-';
            }
            if (ok) {
                memcpy(out, p + 4, k);
                out[k] = '\0';
            }
            return;
        }
        p += n;
        if (*p == '&')
            p++;
    }
}

bool
web_bucket_take(struct web_bucket *b, unsigned burst, unsigned per_min, uint64_t now,
                unsigned *retry_secs)
{
    double rate = per_min / 60000.0; /* tokens a millisecond */

    if (b->at == 0) {
        b->tokens = burst;
        b->at = now;
    } else if (now > b->at) {
        b->tokens += (double)(now - b->at) * rate;
        if (b->tokens > burst)
            b->tokens = burst;
        b->at = now;
    }
    if (b->tokens >= 1.0) {
        b->tokens -= 1.0;
        return true;
    }
    *retry_secs = rate > 0 ? (unsigned)((1.0 - b->tokens) / rate / 1000.0) + 1 : 60;
    return false;
}
