/*
 * url.h - splitting the URLs the bot connects to, and the transport rule:
 * TLS (https, wss) anywhere, plaintext (http, ws) only to loopback.
 */
#ifndef BOT_NET_URL_H
#define BOT_NET_URL_H

#include <stdbool.h>

#include "bot/base/err.h"

#define URL_MAX 2048 /* longest URL accepted, in bytes */

struct url {
    char *scheme; /* owned: "https", "http", "wss" or "ws", lower case */
    char *host;   /* owned: host name or address, without IPv6 brackets */
    int port;     /* explicit port, or the scheme's default */
    char *path;   /* owned: path and query, at least "/" */
    bool tls;     /* https or wss */
};

/*
 * Splits @s into @u (out; release with url_cleanup()) and checks the
 * transport rule.  BOT_EPARSE for a malformed URL or unknown scheme,
 * BOT_EINVAL for plaintext to a host that is not loopback, BOT_ELIMIT for
 * a URL longer than URL_MAX.  @u is zeroed on every error.
 */
enum bot_err url_parse(const char *s, struct url *u);

/* Frees the strings of @u. */
void url_cleanup(struct url *u);

/* Returns true for "localhost", 127.0.0.0/8 and ::1. */
bool url_host_is_loopback(const char *host);

#endif /* BOT_NET_URL_H */
