/*
 * http_host.c - the origins http_conn.c keeps connections to: the pool of
 * a loop (off when a proxy is set in the environment or VALUESBOT_HTTP_CURL
 * is), one record per origin (scheme, host and port as the URL spells them,
 * and the CA file) with its Host line, and its addresses: an IP literal or
 * localhost without a lookup, else uv_getaddrinfo(), kept DNS_KEEP_MS.
 */
#include "bot/net/http_conn_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/xmalloc.h"
#include "bot/net/url.h"

/* The pool of @loop, made on first use; NULL when curl makes every request. */
struct http_pool *
http_host_pool(struct net_loop *loop)
{
    static const char *const proxies[] = {"http_proxy", "https_proxy", "HTTPS_PROXY",
                                          "all_proxy", "ALL_PROXY"};
    struct http_pool *p = loop->http_pool;

    if (p != NULL)
        return p->off ? NULL : p;
    p = loop->http_pool = xcalloc(1, sizeof(*p));
    p->loop = loop;
    for (size_t i = 0; i < sizeof(proxies) / sizeof(proxies[0]); i++) {
        const char *v = getenv(proxies[i]);

        if (v != NULL && v[0] != '\0')
            p->off = true; /* curl knows proxies (and NO_PROXY) */
    }
    if (getenv("VALUESBOT_HTTP_CURL") != NULL)
        p->off = true;
    return p->off ? NULL : p;
}

/* Where the path of @url starts (after "scheme://authority"). */
const char *
http_host_path(const char *url)
{
    const char *p = strstr(url, "://");

    if (p == NULL)
        return NULL;
    p += 3;
    return p + strcspn(p, "/?#");
}

/* The host record for @call's URL, made on first use; NULL: not ours to make. */
struct http_host *
http_host_get(struct http_pool *pool, const struct http_call *call, const char **path)
{
    const char *ps = http_host_path(call->url);
    size_t olen;
    struct http_host *h;
    struct url u;
    bool v6;

    if (ps == NULL || *ps == '#')
        return NULL;
    olen = (size_t)(ps - call->url);
    *path = ps;
    for (h = pool->hosts; h != NULL; h = h->next) {
        if (h->origin_len == olen && memcmp(h->origin, call->url, olen) == 0 &&
            net_same_string(h->ca_file, call->ca_file))
            return h;
    }
    if (url_parse(call->url, &u) != BOT_OK)
        return NULL;
    if (strcmp(u.scheme, "https") != 0 && strcmp(u.scheme, "http") != 0) {
        url_cleanup(&u);
        return NULL;
    }
    h = xcalloc(1, sizeof(*h));
    h->origin = xstrndup(call->url, olen);
    h->origin_len = olen;
    h->ca_file = xstrdup_or_null(call->ca_file);
    h->name = xstrdup(u.host);
    h->port = u.port;
    h->tls = u.tls;
    v6 = strchr(u.host, ':') != NULL;
    if (u.port == (u.tls ? 443 : 80))
        h->hostline = xasprintf("Host: %s%s%s\r\n", v6 ? "[" : "", u.host, v6 ? "]" : "");
    else
        h->hostline = xasprintf("Host: %s%s%s:%d\r\n", v6 ? "[" : "", u.host,
                                v6 ? "]" : "", u.port);
    url_cleanup(&u);
    h->next = pool->hosts;
    pool->hosts = h;
    return h;
}

void
http_host_free(struct http_host *h)
{
    free(h->origin);
    free(h->ca_file);
    free(h->name);
    free(h->hostline);
    free(h);
}

/* An address for @name without a lookup (an IP literal, or localhost), or 0. */
static int
literal_addrs(struct http_host *h)
{
    struct sockaddr_in *a4 = (struct sockaddr_in *)&h->addrs[0];
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&h->addrs[0];
    const char *name = h->name;

    if (strcasecmp(name, "localhost") == 0) {
        /* As curl: localhost is loopback without asking the resolver. */
        uv_ip4_addr("127.0.0.1", h->port, a4);
        uv_ip6_addr("::1", h->port, (struct sockaddr_in6 *)&h->addrs[1]);
        return 2;
    }
    if (uv_ip4_addr(name, h->port, a4) == 0)
        return 1;
    if (uv_ip6_addr(name, h->port, a6) == 0)
        return 1;
    return 0;
}

static void
on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
    struct http_conn *c = req->data;
    struct http_host *h = c->host;
    char why[128];

    c->resolving = false;
    if (c->closing) {
        uv_freeaddrinfo(res);
        http_conn_unref(c);
        return;
    }
    http_conn_unref(c); /* the lookup's reference; the handles hold theirs */
    h->naddrs = 0;
    for (struct addrinfo *a = res; a != NULL && h->naddrs < HOST_ADDRS; a = a->ai_next) {
        if ((a->ai_family == AF_INET || a->ai_family == AF_INET6) &&
            a->ai_addrlen <= sizeof(h->addrs[0]))
            memcpy(&h->addrs[h->naddrs++], a->ai_addr, a->ai_addrlen);
    }
    uv_freeaddrinfo(res);
    if (status < 0 || h->naddrs == 0) {
        snprintf(why, sizeof(why), "cannot resolve %s: %s", h->name,
                 status < 0 ? uv_strerror(status) : "no address");
        h->naddrs = 0;
        http_conn_fail(c, BOT_ENET, why);
        return;
    }
    h->resolved_ms = uv_now(c->tcp.loop);
    http_conn_connect(c);
}

/* Finds @c's host's addresses (kept for DNS_KEEP_MS), then connects. */
void
http_host_resolve(struct http_conn *c)
{
    struct http_host *h = c->host;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_family = AF_UNSPEC};
    char port[8];
    int rc;

    if (h->naddrs == 0 || uv_now(c->tcp.loop) - h->resolved_ms > DNS_KEEP_MS) {
        h->naddrs = literal_addrs(h);
        h->resolved_ms = uv_now(c->tcp.loop);
    }
    if (h->naddrs > 0 && c->addr < h->naddrs) {
        http_conn_connect(c);
        return;
    }
    snprintf(port, sizeof(port), "%d", h->port);
    c->state = CONN_RESOLVING;
    c->resolving = true;
    c->refs++;
    c->gai.data = c;
    rc = uv_getaddrinfo(c->tcp.loop, &c->gai, on_resolved, h->name, port, &hints);
    if (rc < 0) {
        char why[128];

        c->resolving = false;
        c->refs--;
        snprintf(why, sizeof(why), "cannot resolve %s: %s", h->name, uv_strerror(rc));
        http_conn_fail(c, BOT_ENET, why);
    }
}
