/* test_url.c - URL splitting and the TLS-or-loopback rule. */
#include <criterion/criterion.h>

#include "bot/net/url.h"

struct url_case {
    const char *name;
    const char *in;
    enum bot_err want;
    const char *host, *path;
    int port;
};

static const struct url_case cases[] = {
    {"https default port", "https://slack.com/api/auth.test", BOT_OK, "slack.com",
     "/api/auth.test", 443},
    {"wss with query", "wss://wss-primary.slack.com/link/?ticket=abc&app_id=A1", BOT_OK,
     "wss-primary.slack.com", "/link/?ticket=abc&app_id=A1", 443},
    {"loopback ws with port", "ws://127.0.0.1:3001/link", BOT_OK, "127.0.0.1", "/link",
     3001},
    {"loopback http, no path", "http://localhost:8080", BOT_OK, "localhost", "/", 8080},
    {"ipv6 loopback", "http://[::1]:9/x", BOT_OK, "::1", "/x", 9},
    {"upper-case scheme", "HTTPS://Slack.com/", BOT_OK, "Slack.com", "/", 443},
    {"plaintext to the internet", "http://slack.com/api/", BOT_EINVAL, NULL, NULL, 0},
    {"plaintext ws to a LAN address", "ws://10.0.0.1/link", BOT_EINVAL, NULL, NULL, 0},
    {"loopback-looking name", "http://127.0.0.1.evil.example/", BOT_EINVAL, NULL, NULL,
     0},
    {"userinfo refused", "https://user:pw@slack.com/", BOT_EPARSE, NULL, NULL, 0},
    {"unknown scheme", "ftp://slack.com/", BOT_EPARSE, NULL, NULL, 0},
    {"no scheme", "slack.com/api", BOT_EPARSE, NULL, NULL, 0},
    {"empty host", "https:///path", BOT_EPARSE, NULL, NULL, 0},
    {"port out of range", "https://slack.com:70000/", BOT_EPARSE, NULL, NULL, 0},
    {"port not a number", "https://slack.com:8a/", BOT_EPARSE, NULL, NULL, 0},
    {"space in path", "https://slack.com/a b", BOT_EPARSE, NULL, NULL, 0},
    {"bad host character", "https://sla\"ck.com/", BOT_EPARSE, NULL, NULL, 0},
};

Test(url, table)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct url_case *c = &cases[i];
        struct url u;
        enum bot_err err = url_parse(c->in, &u);

        cr_expect_eq(err, c->want, "%s: got %s", c->name, bot_strerror(err));
        if (err == BOT_OK && c->want == BOT_OK) {
            cr_expect_str_eq(u.host, c->host, "%s", c->name);
            cr_expect_str_eq(u.path, c->path, "%s", c->name);
            cr_expect_eq(u.port, c->port, "%s", c->name);
        } else {
            cr_expect_null(u.host, "%s: zeroed on error", c->name);
        }
        url_cleanup(&u);
    }
}

Test(url, loopback_hosts)
{
    cr_expect(url_host_is_loopback("127.0.0.1"));
    cr_expect(url_host_is_loopback("127.255.0.9"));
    cr_expect(url_host_is_loopback("::1"));
    cr_expect(url_host_is_loopback("LOCALHOST"));
    cr_expect_not(url_host_is_loopback("128.0.0.1"));
    cr_expect_not(url_host_is_loopback("::2"));
    cr_expect_not(url_host_is_loopback("localhost.example"));
}
