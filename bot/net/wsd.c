/*
 * wsd.c - the web chat's WebSocket connections and pages on the HTTP
 * listener's vhost (see wsd.h).
 *
 * httpd.c's protocol callback hands every WebSocket reason here.  lws picks
 * the vhost's first protocol for an upgrade that names none, as a browser's
 * `new WebSocket(url)` does, so the one callback serves both.  The
 * handshake is checked in FILTER_PROTOCOL_CONNECTION (path, then the
 * accept hook); a refusal is written there at once, with the security
 * headers, and the connection dropped.  Messages are put together from
 * their fragments up to the cap; replies wait in a per-connection queue
 * written from SERVER_WRITEABLE, LWS_PRE bytes of headroom each.
 */
#include "bot/net/wsd.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/buf.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/net/net_int.h"

#define WSD_MAX_QUEUED  (256 * 1024) /* bytes of replies waiting on one socket */
#define WSD_WRITE_CLOSE 4            /* lws_write()'s close opcode (see writeable()) */

struct wsd_frame {
    struct wsd_frame *next;
    size_t len;
    unsigned char data[]; /* LWS_PRE bytes, then the text */
};

struct wsd_conn {
    struct wsd_conn *prev, *next; /* in w->conns */
    struct net_wsd *w;
    struct lws *wsi;
    void *arg;                     /* the hooks' per-connection argument */
    struct wsd_frame *head, *tail; /* owned: waiting to be written */
    size_t queued;                 /* bytes in the queue */
    struct buf *in;                /* owned: a message being assembled, or NULL */
    bool in_binary;                /* ... it is binary */
    bool open;                     /* ESTABLISHED was seen */
    int close_code;                /* close once the queue is empty, or 0 */
    bool close_sent;               /* its close frame is on its way */
};

struct net_wsd {
    char *ws_path;     /* owned */
    char *prefix;      /* owned */
    char *user_header; /* owned: "x-remote-user:" (lower case, with the colon), or NULL */
    size_t max_message;
    struct wsd_hooks hooks;
    void *arg;
    bool stopped;
    struct wsd_conn *conns; /* every connection accepted and not yet closed */
    size_t nconns;
};

enum bot_err
net_wsd_start(struct net_loop *loop, const char *ws_path, const char *page_prefix,
              size_t max_message, const char *user_header, const struct wsd_hooks *hooks,
              void *arg)
{
    struct net_wsd *w;

    if (loop->httpd == NULL || (loop->wsd != NULL && !loop->wsd->stopped))
        return BOT_EINVAL;
    if (loop->wsd != NULL) { /* stopped: sockets of the last run may still close */
        w = loop->wsd;
        free(w->ws_path);
        free(w->prefix);
        free(w->user_header);
    } else {
        w = xcalloc(1, sizeof(*w));
        loop->wsd = w;
    }
    w->ws_path = xstrdup(ws_path);
    w->prefix = xstrdup(page_prefix);
    w->user_header = NULL;
    if (user_header != NULL && *user_header != '\0') {
        w->user_header = xasprintf("%s:", user_header);
        for (char *p = w->user_header; *p; p++)
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    }
    w->max_message = max_message;
    w->hooks = *hooks;
    w->arg = arg;
    w->stopped = false;
    return BOT_OK;
}

void
net_wsd_stop(struct net_loop *loop)
{
    struct net_wsd *w = loop->wsd;

    if (w == NULL)
        return;
    w->stopped = true;
    for (struct wsd_conn *c = w->conns; c != NULL; c = c->next) {
        c->arg = NULL;
        if (c->close_code == 0)
            c->close_code = 1001;
        if (c->wsi != NULL)
            lws_callback_on_writable(c->wsi);
    }
}

static void conn_free(struct wsd_conn *c);

void
net_wsd_free(struct net_wsd *w)
{
    if (w == NULL)
        return;
    /* lws closed every socket before this (CLOSED freed each conn). */
    while (w->conns != NULL)
        conn_free(w->conns);
    free(w->ws_path);
    free(w->prefix);
    free(w->user_header);
    free(w);
}

size_t
net_wsd_count(const struct net_loop *loop)
{
    return loop->wsd != NULL ? loop->wsd->nconns : 0;
}

bool
net_wsd_is_page(const struct net_loop *loop, const char *path)
{
    const struct net_wsd *w = loop->wsd;
    size_t n;

    if (w == NULL || w->stopped)
        return false;
    n = strlen(w->prefix);
    return strncmp(path, w->prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

void
net_wsd_page(struct net_loop *loop, struct lws *wsi, const char *path,
             struct wsd_page *pg)
{
    struct net_wsd *w = loop->wsd;
    char inm[128] = "";

    if (lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_IF_NONE_MATCH) > 0 &&
        lws_hdr_copy(wsi, inm, sizeof(inm), WSI_TOKEN_HTTP_IF_NONE_MATCH) < 0)
        inm[0] = '\0';
    memset(pg, 0, sizeof(*pg));
    pg->status = 404;
    pg->ctype = "text/plain; charset=utf-8";
    pg->body = (const unsigned char *)"not found\n";
    pg->len = 10;
    if (w != NULL && !w->stopped && w->hooks.on_page != NULL)
        w->hooks.on_page(w->arg, path, inm, pg);
}

static void
conn_free(struct wsd_conn *c)
{
    struct net_wsd *w = c->w;

    while (c->head != NULL) {
        struct wsd_frame *f = c->head;

        c->head = f->next;
        free(f);
    }
    if (c->in != NULL) {
        buf_cleanup(c->in);
        free(c->in);
    }
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        w->conns = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    w->nconns--;
    free(c);
}

enum bot_err
net_wsd_send(struct wsd_conn *c, const char *text, size_t len)
{
    struct wsd_frame *f;

    if (c->wsi == NULL || c->close_code != 0)
        return BOT_EINVAL;
    if (c->queued + len > WSD_MAX_QUEUED)
        return BOT_ELIMIT;
    f = xmalloc(sizeof(*f) + LWS_PRE + len);
    f->next = NULL;
    f->len = len;
    memcpy(f->data + LWS_PRE, text, len);
    if (c->tail != NULL)
        c->tail->next = f;
    else
        c->head = f;
    c->tail = f;
    c->queued += len;
    lws_callback_on_writable(c->wsi);
    return BOT_OK;
}

void
net_wsd_close(struct wsd_conn *c, int code)
{
    if (c->close_code == 0)
        c->close_code = code;
    if (c->wsi != NULL)
        lws_callback_on_writable(c->wsi);
}

void
net_wsd_idle(struct wsd_conn *c, unsigned secs)
{
    /* LWS_CALLBACK_TIMER closes it with a close frame (a timeout would not). */
    if (c->wsi != NULL)
        lws_set_timer_usecs(c->wsi, (lws_usec_t)secs * LWS_US_PER_SEC);
}

/* Copies header @tok of @wsi into @dst ("" when absent or too long). */
static void
header(struct lws *wsi, enum lws_token_indexes tok, char *dst, size_t len)
{
    int n = lws_hdr_total_length(wsi, tok);

    dst[0] = '\0';
    if (n > 0 && (size_t)n < len && lws_hdr_copy(wsi, dst, (int)len, tok) < 0)
        dst[0] = '\0';
}

/* Checks the upgrade request; 0 to go on, -1 after writing a refusal. */
static int
filter(struct net_wsd *w, struct lws *wsi, struct wsd_conn **slot)
{
    char uri[256], peer[64], origin[WSD_MAX_HEADER], host[WSD_MAX_HEADER];
    char query[WSD_MAX_HEADER], xff[WSD_MAX_HEADER], user[WSD_MAX_HEADER];
    struct wsd_handshake hs = {peer, origin, host, query, xff, user};
    struct wsd_conn *c;
    void *arg = NULL;
    int status, n;

    header(wsi, WSI_TOKEN_GET_URI, uri, sizeof(uri));
    if (w == NULL || w->stopped || strcmp(uri, w->ws_path) != 0)
        return net_httpd_write_now(wsi, w != NULL && w->stopped ? 503 : 404,
                                   "not found\n"),
               -1;
    if (lws_get_peer_simple(wsi, peer, sizeof(peer)) == NULL)
        peer[0] = '\0';
    header(wsi, WSI_TOKEN_ORIGIN, origin, sizeof(origin));
    header(wsi, WSI_TOKEN_HOST, host, sizeof(host));
    header(wsi, WSI_TOKEN_X_FORWARDED_FOR, xff, sizeof(xff));
    query[0] = '\0';
    /* lws splits the query at '&' into fragments; join them back. */
    for (int i = 0, used = 0; i < 16; i++) {
        char frag[128];

        if ((n = lws_hdr_copy_fragment(wsi, frag, sizeof(frag), WSI_TOKEN_HTTP_URI_ARGS,
                                       i)) <= 0)
            break;
        if ((size_t)used + (size_t)n + 2 >= sizeof(query))
            break;
        used += snprintf(query + used, sizeof(query) - (size_t)used, "%s%s", i ? "&" : "",
                         frag);
    }
    user[0] = '\0';
    if (w->user_header != NULL) {
        n = lws_hdr_custom_length(wsi, w->user_header, (int)strlen(w->user_header));
        if (n > 0 && (size_t)n < sizeof(user) &&
            lws_hdr_custom_copy(wsi, user, sizeof(user), w->user_header,
                                (int)strlen(w->user_header)) < 0)
            user[0] = '\0';
    }
    c = xcalloc(1, sizeof(*c));
    c->w = w;
    c->wsi = wsi;
    c->next = w->conns;
    if (w->conns != NULL)
        w->conns->prev = c;
    w->conns = c;
    w->nconns++;
    status = w->hooks.on_accept(w->arg, c, &hs, &arg);
    if (status != 0) {
        c->wsi = NULL;
        conn_free(c);
        (void)net_httpd_write_now(wsi, status,
                                  status == 403   ? "forbidden\n"
                                  : status == 503 ? "too many connections, try later\n"
                                                  : "refused\n");
        return -1;
    }
    c->arg = arg;
    *slot = c;
    return 0;
}

/* One received fragment: a whole message goes to the hook. */
static int
receive(struct net_wsd *w, struct wsd_conn *c, struct lws *wsi, const char *in,
        size_t len)
{
    bool first = lws_is_first_fragment(wsi), last = lws_is_final_fragment(wsi);
    bool whole = first && last && lws_remaining_packet_payload(wsi) == 0;
    size_t have = c->in != NULL ? c->in->len : 0;

    if (c->close_code != 0)
        return 0; /* closing: drop */
    if (have + len + lws_remaining_packet_payload(wsi) > w->max_message) {
        lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
                         (unsigned char *)"message too big", 15);
        return -1;
    }
    if (whole && c->in == NULL) {
        if (c->arg != NULL && !w->stopped)
            w->hooks.on_message(w->arg, c->arg, in, len, lws_frame_is_binary(wsi));
        return 0;
    }
    if (c->in == NULL) {
        c->in = xcalloc(1, sizeof(*c->in));
        buf_init(c->in, w->max_message);
        c->in_binary = lws_frame_is_binary(wsi);
    }
    if (buf_add(c->in, in, len) != BOT_OK) {
        lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
                         (unsigned char *)"message too big", 15);
        return -1;
    }
    if (last && lws_remaining_packet_payload(wsi) == 0) {
        struct buf *b = c->in;

        c->in = NULL;
        if (c->arg != NULL && !w->stopped)
            w->hooks.on_message(w->arg, c->arg, b->data != NULL ? b->data : "", b->len,
                                c->in_binary);
        buf_cleanup(b);
        free(b);
    }
    return 0;
}

static int
writeable(struct wsd_conn *c, struct lws *wsi)
{
    struct wsd_frame *f = c->head;

    if (f == NULL) {
        /* Returning -1 here would drop the socket without a close frame
         * (lws 4.1 takes a failed POLLOUT for an unusable socket, and so
         * does an async kill).  So the close frame is written here, with
         * the opcode lws_write() keeps for its own close (4, dropped from
         * the public enum); the peer's answering close ends the
         * connection, a silent peer the timeout. */
        if (c->close_code != 0 && !c->close_sent) {
            unsigned char cl[LWS_PRE + 2];

            c->close_sent = true;
            cl[LWS_PRE] = (unsigned char)(c->close_code >> 8);
            cl[LWS_PRE + 1] = (unsigned char)(c->close_code & 0xff);
            if (lws_write(wsi, cl + LWS_PRE, 2,
                          (enum lws_write_protocol)WSD_WRITE_CLOSE) < 2)
                return -1;
            lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_ACK, 3);
        }
        return 0;
    }
    if (lws_write(wsi, f->data + LWS_PRE, f->len, LWS_WRITE_TEXT) < (int)f->len)
        return -1;
    c->head = f->next;
    if (c->head == NULL)
        c->tail = NULL;
    c->queued -= f->len;
    free(f);
    if (c->head != NULL || c->close_code != 0)
        lws_callback_on_writable(wsi);
    return 0;
}

int
net_wsd_callback(struct net_loop *loop, struct lws *wsi, enum lws_callback_reasons reason,
                 struct wsd_conn **slot, void *in, size_t len)
{
    struct net_wsd *w = loop->wsd;
    struct wsd_conn *c = *slot;

    switch (reason) {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        return filter(w, wsi, slot);
    case LWS_CALLBACK_ADD_HEADERS: {
        struct lws_process_html_args *args = in;
        unsigned char *p = (unsigned char *)args->p;

        if (net_httpd_add_security(wsi, &p, p + args->max_len) != 0)
            return -1;
        args->p = (char *)p;
        return 0;
    }
    case LWS_CALLBACK_ESTABLISHED:
        if (c == NULL)
            return -1;
        c->open = true;
        if (c->arg != NULL && !w->stopped && w->hooks.on_open != NULL)
            w->hooks.on_open(w->arg, c->arg);
        return 0;
    case LWS_CALLBACK_RECEIVE:
        return c != NULL ? receive(w, c, wsi, in, len) : -1;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return c != NULL ? writeable(c, wsi) : 0;
    case LWS_CALLBACK_TIMER: /* idle: going away */
        if (c != NULL)
            net_wsd_close(c, LWS_CLOSE_STATUS_GOINGAWAY);
        return 0;
    case LWS_CALLBACK_CLOSED:
    case LWS_CALLBACK_WSI_DESTROY: /* also after an accept whose handshake failed */
        if (c == NULL)
            return 0;
        *slot = NULL;
        c->wsi = NULL;
        if (c->arg != NULL && !w->stopped)
            w->hooks.on_close(w->arg, c->arg);
        conn_free(c);
        return 0;
    default:
        return 0;
    }
}
