/* url.c - URL splitting and the TLS-or-loopback rule. */
#include "bot/net/url.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/xmalloc.h"

bool
url_host_is_loopback(const char *host)
{
    struct in_addr a4;
    struct in6_addr a6;

    if (strcasecmp(host, "localhost") == 0)
        return true;
    if (inet_pton(AF_INET, host, &a4) == 1)
        return (ntohl(a4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, host, &a6) == 1)
        return memcmp(&a6, &in6addr_loopback, sizeof(a6)) == 0;
    return false;
}

static bool
valid_host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == ':';
}

enum bot_err
url_parse(const char *s, struct url *u)
{
    static const struct {
        const char *name;
        int port;
        bool tls;
    } schemes[] = {
        {"https", 443, true}, {"wss", 443, true}, {"http", 80, false}, {"ws", 80, false}};
    const char *p, *host, *host_end, *port_s = NULL, *rest;
    size_t slen;
    enum bot_err err = BOT_EPARSE;

    memset(u, 0, sizeof(*u));
    if (strlen(s) > URL_MAX)
        return BOT_ELIMIT;
    p = strstr(s, "://");
    if (p == NULL)
        return BOT_EPARSE;
    slen = (size_t)(p - s);
    for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
        if (strlen(schemes[i].name) == slen &&
            strncasecmp(s, schemes[i].name, slen) == 0) {
            u->scheme = xstrdup(schemes[i].name);
            u->port = schemes[i].port;
            u->tls = schemes[i].tls;
        }
    }
    if (u->scheme == NULL)
        goto bad;
    host = p + 3;
    rest = host + strcspn(host, "/?#");
    if (memchr(host, '@', (size_t)(rest - host)) != NULL)
        goto bad; /* userinfo: never sent, so never accepted */
    if (*host == '[') {
        host_end = memchr(host, ']', (size_t)(rest - host));
        if (host_end == NULL)
            goto bad;
        u->host = xstrndup(host + 1, (size_t)(host_end - host - 1));
        if (host_end[1] == ':')
            port_s = host_end + 2;
        else if (host_end + 1 != rest)
            goto bad;
    } else {
        host_end = memchr(host, ':', (size_t)(rest - host));
        if (host_end == NULL)
            host_end = rest;
        else
            port_s = host_end + 1;
        u->host = xstrndup(host, (size_t)(host_end - host));
    }
    if (u->host[0] == '\0')
        goto bad;
    for (const char *c = u->host; *c; c++) {
        if (!valid_host_char(*c))
            goto bad;
    }
    if (port_s != NULL) {
        long port = 0;

        if (port_s == rest)
            goto bad;
        for (const char *c = port_s; c < rest; c++) {
            if (*c < '0' || *c > '9' || port > 65535)
                goto bad;
            port = port * 10 + (*c - '0');
        }
        if (port < 1 || port > 65535)
            goto bad;
        u->port = (int)port;
    }
    if (*rest == '#' || rest[strcspn(rest, " \t\r\n")] != '\0')
        goto bad;
    u->path = *rest == '/' ? xstrdup(rest) : xasprintf("/%s", rest);
    if (!u->tls && !url_host_is_loopback(u->host)) {
        err = BOT_EINVAL;
        goto bad;
    }
    return BOT_OK;
bad:
    url_cleanup(u);
    return err;
}

void
url_cleanup(struct url *u)
{
    free(u->scheme);
    free(u->host);
    free(u->path);
    memset(u, 0, sizeof(*u));
}
