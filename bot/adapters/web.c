/*
 * web.c - the web chat: a browser talks to the bot over a WebSocket at
 * /chat/ws on the bot's own HTTP listener (bot/net/wsd.c), and gets the
 * page, style and scripts from GET /chat (bot/adapters/web/assets/,
 * embedded at build time).
 *
 * One conversation per socket: a random id names it (the channel and, for
 * tours, the person), unless a trusted SSO proxy (web.trusted_proxies)
 * sends web.user_header; that name is hashed with a per-run salt into the
 * tour key, so a tour follows the person across tabs, and is never logged
 * or kept.  Each question is one chat_event into the core, answered at once
 * (the core calls send() before deliver() returns).  The protocol is
 * described in web_proto.c; the guards (Origin, rate limits, sizes,
 * connection cap, idle timeout) in web_guard.c and below.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "bot/adapters/adapter.h"
#include "bot/adapters/web_assets.h"
#include "bot/adapters/web_int.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/chat_event.h"
#include "bot/net/loop.h"
#include "bot/net/wsd.h"

#define WEB_ADDR_SLOTS 4096 /* per-address rate buckets kept (a fixed table) */
#define WEB_ADDR_PROBE 8

static const char *const web_examples[] = {"What are our values?", "What are our goals?",
                                           "Summarise the strategy", "I'm new"};

/* One open socket: one conversation. */
struct web_conn {
    struct web_conn *prev, *next;
    struct web *web;
    struct wsd_conn *c;       /* until on_close */
    char id[24];              /* "w" + 16 hex digits: channel and conversation */
    char user[24];            /* the tour key: id, or "u" + hash of the SSO user */
    char org[WEB_MAX_ID + 1]; /* chosen org, "" for none yet */
    char addr[64];            /* client address, for its rate bucket */
    struct web_bucket bucket;
    unsigned seq; /* questions asked, for event ids */
};

struct web_addr {
    char addr[64];
    struct web_bucket bucket;
};

enum web_state { WEB_IDLE, WEB_RUN, WEB_STOPPING, WEB_CLOSED };

struct web {
    struct adapter *ad;
    enum web_state state;
    struct adapter_web_conf conf; /* its strings owned */
    struct web_conn *conns;
    size_t nconns;
    struct web_addr *addrs; /* owned: WEB_ADDR_SLOTS */
    uint64_t salt;          /* hashes SSO user names; random per run */
    struct net_timer *drain_timer;
    struct web_conn *cur; /* the connection whose question is being answered */
    const char *cur_re;   /* ... and its message id */
    bool cur_replied;
    bool serving; /* the listener's WebSocket and pages are ours */
    bool drained; /* the drain's grace is over */
};

static uint64_t
random64(void)
{
    uint64_t v = 0;

    if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v))
        fatalx("web: no random numbers from the kernel");
    return v;
}

/* FNV-1a over @s, started from @seed. */
static uint64_t
hash64(uint64_t seed, const char *s)
{
    uint64_t h = 1469598103934665603ULL ^ seed;

    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static size_t
orgs_of(struct web *w, const struct adapter_org **orgs)
{
    *orgs = NULL;
    return w->ad->orgs != NULL ? w->ad->orgs(w->ad, orgs) : 0;
}

/* The loaded org @id, or NULL. */
static const struct adapter_org *
org_find(struct web *w, const char *id)
{
    const struct adapter_org *orgs;
    size_t n = orgs_of(w, &orgs);

    for (size_t i = 0; id != NULL && i < n; i++) {
        if (strcmp(orgs[i].id, id) == 0)
            return &orgs[i];
    }
    return NULL;
}

static void
send_text(struct web_conn *wc, char *frame)
{
    if (wc->c != NULL && net_wsd_send(wc->c, frame, strlen(frame)) == BOT_ELIMIT) {
        log_warnx("%s: conn=%s not reading its replies; closed", wc->web->ad->name,
                  wc->id);
        net_wsd_close(wc->c, 1008);
    }
    free(frame);
}

static void
send_error(struct web_conn *wc, const char *code, const char *text, unsigned retry)
{
    send_text(wc, web_render_error(code, text, retry));
}

static void
send_hello(struct web_conn *wc)
{
    struct web *w = wc->web;
    const struct adapter_org *orgs, *o;
    size_t n = orgs_of(w, &orgs);

    o = org_find(w, wc->org);
    send_text(wc, web_render_hello(o ? o->id : NULL, o ? o->name : NULL, orgs, n,
                                   web_examples,
                                   sizeof(web_examples) / sizeof(web_examples[0])));
}

/* The rate bucket of @addr: found, or a slot taken over (an idle one first). */
static struct web_bucket *
addr_bucket(struct web *w, const char *addr, uint64_t now)
{
    size_t h = (size_t)(hash64(w->salt, addr) % WEB_ADDR_SLOTS), pick = h;
    uint64_t oldest = UINT64_MAX;

    for (size_t i = 0; i < WEB_ADDR_PROBE; i++) {
        struct web_addr *a = &w->addrs[(h + i) % WEB_ADDR_SLOTS];

        if (strcmp(a->addr, addr) == 0)
            return &a->bucket;
        if (a->addr[0] == '\0' || a->bucket.at < oldest) {
            oldest = a->addr[0] == '\0' ? 0 : a->bucket.at;
            pick = (h + i) % WEB_ADDR_SLOTS;
        }
    }
    (void)now;
    snprintf(w->addrs[pick].addr, sizeof(w->addrs[pick].addr), "%s", addr);
    memset(&w->addrs[pick].bucket, 0, sizeof(w->addrs[pick].bucket));
    return &w->addrs[pick].bucket;
}

/* ---- The hooks of the WebSocket server -------------------------------- */

static int
on_accept(void *arg, struct wsd_conn *c, const struct wsd_handshake *hs, void **conn_arg)
{
    struct web *w = arg;
    struct web_conn *wc;
    const struct adapter_org *orgs;
    char org[WEB_MAX_ID + 1];
    bool proxied;

    if (w->state != WEB_RUN)
        return 503;
    if (w->nconns >= w->conf.max_conns) {
        log_debug("%s: connection refused: %zu open already", w->ad->name, w->nconns);
        return 503;
    }
    if (!web_origin_allowed(hs->origin, hs->host, w->conf.origins)) {
        log_warnx("%s: connection refused (403): Origin %.100s is not in web.origins",
                  w->ad->name, hs->origin);
        return 403;
    }
    wc = xcalloc(1, sizeof(*wc));
    wc->web = w;
    wc->c = c;
    snprintf(wc->id, sizeof(wc->id), "w%016llx", (unsigned long long)random64());
    proxied = web_addr_in(w->conf.trusted_proxies, hs->peer);
    web_client_addr(hs->peer, hs->xff, w->conf.trusted_proxies, wc->addr,
                    sizeof(wc->addr));
    if (proxied && *hs->user != '\0')
        snprintf(wc->user, sizeof(wc->user), "u%016llx",
                 (unsigned long long)hash64(w->salt, hs->user));
    else
        snprintf(wc->user, sizeof(wc->user), "%s", wc->id);
    web_query_org(hs->query, org, sizeof(org));
    if (org[0] != '\0' && org_find(w, org) != NULL)
        snprintf(wc->org, sizeof(wc->org), "%s", org);
    else if (orgs_of(w, &orgs) == 1)
        snprintf(wc->org, sizeof(wc->org), "%s", orgs[0].id);
    wc->next = w->conns;
    if (w->conns != NULL)
        w->conns->prev = wc;
    w->conns = wc;
    w->nconns++;
    *conn_arg = wc;
    return 0;
}

static void
on_open(void *arg, void *conn_arg)
{
    struct web *w = arg;
    struct web_conn *wc = conn_arg;

    net_wsd_idle(wc->c, w->conf.idle_secs);
    send_hello(wc);
}

static void
ask(struct web *w, struct web_conn *wc, struct web_msg *m)
{
    struct chat_event ev = {0};
    uint64_t now = net_loop_now(w->ad->loop);
    unsigned retry = 0;
    char event_id[48];

    if (wc->org[0] == '\0' || org_find(w, wc->org) == NULL) {
        send_error(wc, "bad_org", "Please choose your organisation first.", 0);
        return;
    }
    if (!web_bucket_take(&wc->bucket, w->conf.conn_burst, w->conf.conn_per_min, now,
                         &retry) ||
        !web_bucket_take(addr_bucket(w, wc->addr, now), w->conf.addr_burst,
                         w->conf.addr_per_min, now, &retry)) {
        send_error(wc, "rate_limited",
                   "You are asking faster than I can keep up with. Please wait a moment "
                   "and try again.",
                   retry);
        return;
    }
    snprintf(event_id, sizeof(event_id), "%s:%u", wc->id, ++wc->seq);
    ev.platform = "web";
    ev.workspace = wc->org;
    ev.channel = wc->id;
    ev.user = wc->user;
    ev.text = m->text;
    ev.event_id = event_id;
    ev.is_dm = true;
    w->cur = wc;
    w->cur_re = m->id;
    w->cur_replied = false;
    /* The event's strings are borrowed: the core copies what it keeps. */
    w->ad->deliver(w->ad, &ev);
    if (!w->cur_replied)
        send_error(wc, "busy",
                   "Sorry, I could not answer that just now. Please try again.", 5);
    w->cur = NULL;
    w->cur_re = NULL;
}

static void
on_message(void *arg, void *conn_arg, const char *buf, size_t len, bool binary)
{
    struct web *w = arg;
    struct web_conn *wc = conn_arg;
    struct web_msg m;
    const char *code;

    net_wsd_idle(wc->c, w->conf.idle_secs);
    if (w->state != WEB_RUN)
        return;
    if (binary) {
        send_error(wc, "bad_json", "Please send your question as JSON text.", 0);
        return;
    }
    if (web_msg_parse(buf, len, &m, &code) != BOT_OK) {
        send_error(wc, code,
                   strcmp(code, "bad_utf8") == 0
                       ? "Sorry, that message was not valid UTF-8 text."
                   : strcmp(code, "too_big") == 0
                       ? "Sorry, that question is too long. Please ask something shorter."
                       : "Sorry, I could not read that message.",
                   0);
        log_debug("%s: conn=%s bad message (%s)", w->ad->name, wc->id, code);
        return;
    }
    if (m.type == WEB_MSG_ORG) {
        if (org_find(w, m.org) == NULL)
            send_error(wc, "bad_org", "Sorry, I do not know that organisation.", 0);
        else {
            snprintf(wc->org, sizeof(wc->org), "%s", m.org);
            send_hello(wc);
        }
    } else {
        ask(w, wc, &m);
    }
    web_msg_cleanup(&m);
}

static void check_closed(struct web *w);

static void
on_close(void *arg, void *conn_arg)
{
    struct web *w = arg;
    struct web_conn *wc = conn_arg;

    if (wc->prev != NULL)
        wc->prev->next = wc->next;
    else
        w->conns = wc->next;
    if (wc->next != NULL)
        wc->next->prev = wc->prev;
    w->nconns--;
    if (w->cur == wc)
        w->cur = NULL;
    free(wc);
    check_closed(w);
}

static void
on_page(void *arg, const char *path, const char *if_none_match, struct wsd_page *pg)
{
    struct web *w = arg;
    const char *name = "chat.html", *rest = path + strlen(WEB_PAGE_PREFIX);
    const struct web_asset *a = NULL;

    if (*rest == '/')
        rest++;
    if (*rest != '\0' && strchr(rest, '/') == NULL) {
        bool asset = false;

        for (size_t i = 0; i < web_nassets; i++) {
            if (strcmp(web_assets[i].name, rest) == 0 &&
                strcmp(web_assets[i].name, "chat.html") != 0)
                asset = true;
        }
        if (asset)
            name = rest;
        else if (org_find(w, rest) == NULL)
            return; /* 404: not an org loaded */
    } else if (*rest != '\0') {
        return;
    }
    for (size_t i = 0; i < web_nassets && a == NULL; i++) {
        if (strcmp(web_assets[i].name, name) == 0)
            a = &web_assets[i];
    }
    if (a == NULL)
        return;
    pg->ctype = a->ctype;
    pg->etag = a->etag;
    pg->cache = "no-cache";
    if (if_none_match != NULL && strstr(if_none_match, a->etag) != NULL) {
        pg->status = 304;
        pg->body = NULL;
        pg->len = 0;
        return;
    }
    pg->status = 200;
    pg->body = a->data;
    pg->len = a->len;
}

static const struct wsd_hooks web_hooks = {
    .on_accept = on_accept,
    .on_open = on_open,
    .on_message = on_message,
    .on_close = on_close,
    .on_page = on_page,
};

/* ---- Adapter ops ------------------------------------------------------- */

static enum bot_err
web_parse(struct adapter *ad, const char *buf, size_t len, struct chat_event *ev)
{
    struct web_msg m;
    const char *code;
    enum bot_err err;

    (void)ad;
    memset(ev, 0, sizeof(*ev));
    if ((err = web_msg_parse(buf, len, &m, &code)) != BOT_OK)
        return err;
    if (m.type != WEB_MSG_ASK) {
        web_msg_cleanup(&m);
        return BOT_EIGNORE;
    }
    ev->platform = xstrdup("web");
    ev->text = m.text;
    m.text = NULL;
    ev->is_dm = true;
    web_msg_cleanup(&m);
    return BOT_OK;
}

static enum bot_err
web_send(struct adapter *ad, const struct chat_reply *reply)
{
    struct web *w = ad->priv;
    struct web_conn *wc = NULL;
    const char *re = "";

    if (reply->body.n == 0 || w->state == WEB_CLOSED || reply->channel == NULL)
        return BOT_EINVAL;
    if (w->cur != NULL && strcmp(w->cur->id, reply->channel) == 0) {
        wc = w->cur;
        re = w->cur_re != NULL ? w->cur_re : "";
        w->cur_replied = true;
    } else {
        for (wc = w->conns; wc != NULL && strcmp(wc->id, reply->channel) != 0;)
            wc = wc->next;
    }
    if (wc == NULL || wc->c == NULL)
        return BOT_EINVAL;
    send_text(wc, web_render_reply(re, reply->kind, &reply->body, web_examples,
                                   sizeof(web_examples) / sizeof(web_examples[0])));
    ad->stats.posts++;
    return BOT_OK;
}

static char *
dup_or_null(const char *s)
{
    return s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

static void
on_drain_timeout(void *arg)
{
    struct web *w = arg;

    w->drained = true;
    check_closed(w);
}

static enum bot_err
web_create(struct adapter *ad, const struct adapter_conf *conf)
{
    struct web *w;

    if (conf->web == NULL || conf->web->max_message < 64 || conf->web->max_conns == 0)
        return BOT_EINVAL;
    w = xcalloc(1, sizeof(*w));
    w->ad = ad;
    w->conf = *conf->web;
    w->conf.origins = dup_or_null(conf->web->origins);
    w->conf.trusted_proxies = dup_or_null(conf->web->trusted_proxies);
    w->conf.user_header = dup_or_null(conf->web->user_header);
    w->addrs = xcalloc(WEB_ADDR_SLOTS, sizeof(*w->addrs));
    w->salt = random64();
    w->drain_timer = net_timer_new(ad->loop, on_drain_timeout, w);
    ad->priv = w;
    return BOT_OK;
}

/* "https://a.example, https://b.example" as CSP sources "https://a.example
 * https://b.example". */
static char *
frame_ancestors(const char *origins)
{
    char *s;

    if (origins == NULL)
        return NULL;
    s = xstrdup(origins);
    for (char *p = s; *p; p++) {
        if (*p == ',' || *p == ';' || *p == '\'' || (unsigned char)*p < 0x20)
            *p = ' ';
    }
    return s;
}

static enum bot_err
web_connect(struct adapter *ad)
{
    struct web *w = ad->priv;
    char *fa;

    if (net_wsd_start(ad->loop, WEB_WS_PATH, WEB_PAGE_PREFIX, w->conf.max_message,
                      w->conf.trusted_proxies != NULL ? w->conf.user_header : NULL,
                      &web_hooks, w) != BOT_OK) {
        log_warnx("%s: cannot serve %s: the HTTP listener is off (set VALUESBOT_HTTP to "
                  "host:port)",
                  ad->name, WEB_PAGE_PREFIX);
        return BOT_EINVAL;
    }
    fa = frame_ancestors(w->conf.origins);
    net_httpd_set_csp(ad->loop, fa);
    free(fa);
    w->serving = true;
    w->state = WEB_RUN;
    ad->stats.connects = 1; /* the listener is up; browsers' sockets are not counted */
    log_info("%s: serving %s and WebSocket %s (at most %u connections)", ad->name,
             WEB_PAGE_PREFIX, WEB_WS_PATH, w->conf.max_conns);
    return BOT_OK;
}

static void
check_closed(struct web *w)
{
    if (w->state != WEB_STOPPING || (w->nconns > 0 && !w->drained))
        return;
    if (w->nconns > 0)
        log_warnx("%s: %zu connection(s) still open at the end of the drain", w->ad->name,
                  w->nconns);
    w->state = WEB_CLOSED;
    net_timer_stop(w->drain_timer);
    w->ad->on_closed(w->ad);
}

static void
web_shutdown(struct adapter *ad, uint64_t grace_ms)
{
    struct web *w = ad->priv;

    if (w->state == WEB_STOPPING || w->state == WEB_CLOSED)
        return;
    if (w->state == WEB_IDLE) {
        w->state = WEB_CLOSED;
        ad->on_closed(ad);
        return;
    }
    w->state = WEB_STOPPING;
    /* Every answer has been queued already (they are made at once): what is
     * queued is written, then each socket closes with 1001 (going away). */
    for (struct web_conn *wc = w->conns; wc != NULL; wc = wc->next)
        net_wsd_close(wc->c, 1001);
    net_timer_start(w->drain_timer, grace_ms);
    check_closed(w);
}

static void
web_destroy(struct adapter *ad)
{
    struct web *w = ad->priv;

    if (w == NULL)
        return;
    if (w->serving)
        net_wsd_stop(ad->loop);
    while (w->conns != NULL) {
        struct web_conn *wc = w->conns;

        w->conns = wc->next;
        free(wc);
    }
    net_timer_free(w->drain_timer);
    free((char *)w->conf.origins);
    free((char *)w->conf.trusted_proxies);
    free((char *)w->conf.user_header);
    free(w->addrs);
    free(w);
    ad->priv = NULL;
}

static size_t
web_max_message_len(const struct adapter *ad)
{
    (void)ad;
    return 256 * 1024;
}

static bool
web_connected(const struct adapter *ad, char *why, size_t len)
{
    const struct web *w = ad->priv;

    if (w->state == WEB_RUN)
        return true;
    snprintf(why, len, "%s", w->state == WEB_IDLE ? "not serving yet" : "stopping");
    return false;
}

const struct adapter_ops web_adapter_ops = {
    .kind = "web",
    .create = web_create,
    .connect = web_connect,
    .parse = web_parse,
    .send = web_send,
    .shutdown = web_shutdown,
    .destroy = web_destroy,
    .max_message_len = web_max_message_len,
    .connected = web_connected,
};
