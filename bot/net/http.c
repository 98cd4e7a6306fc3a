/*
 * http.c - libcurl's multi-socket interface driven by the libuv loop
 * (curl's documented multi + libuv pattern): curl says which sockets to
 * watch and when to time out; libuv watches them and calls back into curl.
 */
#include "bot/net/http.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "bot/base/buf.h"
#include "bot/base/clock.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/net/http_int.h"
#include "bot/net/net_int.h"
#include "bot/net/url.h"

/*
 * curl's receive buffer per running transfer (its default is 16 KB).  Our
 * responses are small JSON documents, read in chunks of this size.
 */
#define HTTP_RECV_BUFFER (8 * 1024)

/*
 * Once at least this many requests have been made and none has been open
 * for HTTP_TRIM_IDLE_MS, free heap pages go back to the system: glibc keeps
 * them otherwise, and the bot idles at its burst high-water mark (about
 * 1 MB more after 1000 replies).  The wait keeps the trim (a walk of the
 * heap) out of a burst whose requests the adapters hand over a few at a time.
 */
#define HTTP_TRIM_AFTER   64
#define HTTP_TRIM_IDLE_MS 500

/*
 * Idle curl handles kept for the next requests, at most.  A handle made
 * per request cost more instructions than the rest of a post (curl's
 * defaults, then a score of options set one by one); a kept one has its
 * fixed options already and gets only the request's own.  Freed once
 * requests go quiet (on_trim_timer), with the rest of a burst's memory.
 */
#define HTTP_POOL_MAX 16 /* the size of net_loop.easy_pool */

/*
 * curl asks for "100 Continue" before a body larger than this (curl 7.88's
 * EXPECT_100_THRESHOLD) and waits up to a second for it; an empty "Expect:"
 * header stops that.  Below it, curl never asks, and the header would only
 * be one more line for curl to look through on every request.
 */
#define HTTP_EXPECT_MIN (1024 * 1024)

/*
 * A curl handle with what stays with it from request to request: its
 * request headers too, kept while the next request has the same
 * Authorization and Content-Type (every post of an adapter does), so that a
 * post does not build a header list (three allocations and copies a line)
 * and curl does not format a User-Agent line each time.
 */
struct http_easy {
    CURL *curl;
    char errbuf[CURL_ERROR_SIZE];
    struct curl_slist *headers; /* owned; holds the Authorization secret */
    char *auth;                 /* owned secret the headers were made with, or NULL */
    char *content_type;         /* owned: the same, or NULL */
    bool expect;                /* the headers stop "Expect: 100-continue" */
    CURLU *uh;                  /* owned: url parsed by curl, or NULL */
    char *url;                  /* owned: the last request's URL, when uh */
};

/*
 * One watched socket.  A connection's socket (made through open_socket())
 * keeps its poll handle from curl's connect to curl's close, not only
 * while a request uses it: made and closed per request, as curl's socket
 * callback suggests, it cost libuv half a dozen epoll_ctl() calls and an
 * ioctl() a post.  Between requests it stays watched for input only, so
 * a server that closes an idle connection wakes us once (the watch then
 * stops; curl finds the connection dead when it next looks).  Other
 * sockets curl asks us to watch (its resolver's) are closed by curl
 * without telling us, so their handle goes when curl lets go of them.
 */
struct http_sock {
    uv_poll_t poll;
    curl_socket_t fd;
    struct net_loop *loop;
    int events;  /* UV_READABLE | UV_WRITABLE being watched; 0: stopped */
    bool wanted; /* curl is waiting on it (between its socket callbacks) */
    bool kept;   /* a connection's socket: lives until close_socket() */
};

/* Returns the last @name header of the response as a whole number, or -1. */
static long
header_long(CURL *easy, const char *name)
{
    struct curl_header *h;
    char *end;
    long v;

    if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
        return -1;
    v = strtol(h->value, &end, 10);
    while (*end == ' ' || *end == '\t')
        end++;
    return (end == h->value || *end != '\0' || v < 0) ? -1 : v;
}

static void
unlink_call(struct http_call *call)
{
    struct net_loop *loop = call->loop;

    if (call->prev != NULL)
        call->prev->next = call->next;
    else
        loop->calls = call->next;
    if (call->next != NULL)
        call->next->prev = call->prev;
    else
        loop->calls_tail = call->prev;
    call->prev = call->next = NULL;
    loop->http_queued--;
    if (call->easy != NULL) {
        curl_multi_remove_handle(loop->multi, call->easy->curl);
        loop->http_active--;
    } else if (call->own) {
        http_conn_drop(call); /* a connection still carrying it is closed */
        call->own = false;
        loop->http_active--;
    }
}

/* Forgets @e's request headers (curl must not be pointed at them any more). */
static void
easy_headers_free(struct http_easy *e)
{
    for (struct curl_slist *h = e->headers; h != NULL; h = h->next)
        memset(h->data, 0, strlen(h->data)); /* one holds the secret */
    curl_slist_free_all(e->headers);
    e->headers = NULL;
    xfree_secret(e->auth);
    e->auth = NULL;
    free(e->content_type);
    e->content_type = NULL;
}

static void
easy_free(struct http_easy *e)
{
    curl_easy_cleanup(e->curl);
    curl_url_cleanup(e->uh);
    free(e->url);
    easy_headers_free(e);
    free(e);
}

/* Keeps @e for the next request, or frees it when enough are kept. */
static void
easy_put(struct net_loop *loop, struct http_easy *e)
{
    if (loop->stopping || loop->neasy >= HTTP_POOL_MAX) {
        easy_free(e);
        return;
    }
    loop->easy_pool[loop->neasy++] = e;
}

/* Frees the kept handles. */
static void
easy_pool_free(struct net_loop *loop)
{
    while (loop->neasy > 0)
        easy_free(loop->easy_pool[--loop->neasy]);
}

/* Appends "@name: @value" to @list. */
static struct curl_slist *
header_add(struct curl_slist *list, const char *name, const char *value)
{
    char *line = xasprintf("%s: %s", name, value);
    struct curl_slist *l = curl_slist_append(list, line);

    xfree_secret(line); /* it may be "Authorization: ..." */
    if (l == NULL)
        fatalx("net: out of memory");
    return l;
}

/* Gives @e the request headers of @call, made again only when they differ. */
static void
easy_headers(struct http_easy *e, const struct http_call *call)
{
    bool expect = call->body_len > HTTP_EXPECT_MIN;

    if (e->headers != NULL && e->expect == expect &&
        net_same_string(e->auth, call->auth) &&
        net_same_string(e->content_type, call->content_type))
        return;
    easy_headers_free(e);
    /* Written here rather than set with CURLOPT_USERAGENT, which curl
     * formats into a line of its own on every request. */
    e->headers = header_add(NULL, "User-Agent", "valuesbot");
    if (call->auth != NULL)
        e->headers = header_add(e->headers, "Authorization", call->auth);
    if (call->content_type != NULL)
        e->headers = header_add(e->headers, "Content-Type", call->content_type);
    if (expect && (e->headers = curl_slist_append(e->headers, "Expect:")) == NULL)
        fatalx("net: out of memory");
    e->auth = xstrdup_or_null(call->auth);
    e->content_type = xstrdup_or_null(call->content_type);
    e->expect = expect;
}

/* Frees an unlinked @call. */
static void
call_free(struct http_call *call)
{
    if (call->easy != NULL)
        easy_put(call->loop, call->easy);
    xfree_secret(call->auth);
    free(call->content_type);
    free(call->url);
    free(call->ca_file);
    free(call->body);
    buf_cleanup(&call->resp);
    free(call);
}

static size_t on_write(char *data, size_t size, size_t n, void *arg);
static curl_socket_t open_socket(void *arg, curlsocktype purpose,
                                 struct curl_sockaddr *addr);
static int close_socket(void *arg, curl_socket_t fd);

/* A kept handle, or a new one with the options every request shares. */
static struct http_easy *
easy_get(struct net_loop *loop)
{
    struct http_easy *e;
    CURL *easy;

    if (loop->neasy > 0)
        return loop->easy_pool[--loop->neasy];
    if ((easy = curl_easy_init()) == NULL)
        fatalx("net: libcurl cannot create a request");
    e = xcalloc(1, sizeof(*e));
    e->curl = easy;
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, e->errbuf);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, loop);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, close_socket);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, loop);
    curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, (long)HTTP_RECV_BUFFER);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L); /* HTTP/2: share a connection */
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    /* The websockets' trust (loop.c): the system's hashed CA directory, read
     * certificate by certificate, instead of the whole bundle parsed into
     * each TLS context (0.8 MB); a CA file per request (call_easy()). */
    curl_easy_setopt(easy, CURLOPT_CAPATH, net_ca_dir());
    return e;
}

/*
 * Points @e at @url.  A URL set as text is parsed again on every request
 * (curl_url_set() and a curl_url_get() of each part: some 13,000
 * instructions a post); set as a parsed handle (CURLOPT_CURLU), the next
 * request to the same URL, as every post of an adapter is, starts from
 * curl's copy of it.
 */
static void
easy_url(struct http_easy *e, const char *url)
{
    CURLU *uh;

    if (e->uh != NULL && strcmp(e->url, url) == 0)
        return;
    curl_url_cleanup(e->uh);
    free(e->url);
    e->uh = NULL;
    e->url = NULL;
    /* The flags curl gives a URL set as text (curl 7.88, url.c). */
    uh = curl_url();
    if (uh == NULL ||
        curl_url_set(uh, CURLUPART_URL, url,
                     CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
        /* As text, so that curl's own parse gives its own error. */
        curl_url_cleanup(uh);
        curl_easy_setopt(e->curl, CURLOPT_CURLU, (CURLU *)NULL);
        curl_easy_setopt(e->curl, CURLOPT_URL, url);
        return;
    }
    e->uh = uh;
    e->url = xstrdup(url);
    curl_easy_setopt(e->curl, CURLOPT_CURLU, uh);
}

/* Gives @call its curl handle, just before it is handed to curl. */
static CURL *
call_easy(struct http_call *call)
{
    CURL *easy;

    call->easy = easy_get(call->loop);
    easy = call->easy->curl;
    call->easy->errbuf[0] = '\0';
    if (call->body_fn != NULL)
        call->body = call->body_fn(call->arg, &call->body_len);
    easy_headers(call->easy, call);
    easy_url(call->easy, call->url);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, (char *)call);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, call->easy->headers);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, call);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, call->timeout_ms);
    curl_easy_setopt(easy, CURLOPT_CAINFO,
                     call->ca_file != NULL ? call->ca_file : net_ca_env_file());
    if (call->post) {
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, call->body);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)call->body_len);
        curl_easy_setopt(easy, CURLOPT_POST, 1L);
    } else {
        /* A kept handle's last body is gone: forget it, then ask for a GET. */
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, (char *)NULL);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)-1);
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    }
    return easy;
}

static CURLM *multi_get(struct net_loop *loop);

/* Hands waiting requests to curl, oldest first, up to HTTP_MAX_ACTIVE. */
static void
start_waiting(struct net_loop *loop)
{
    for (struct http_call *c = loop->calls;
         c != NULL && loop->http_active < HTTP_MAX_ACTIVE; c = c->next) {
        enum http_own own;
        CURLM *multi;

        if (c->easy != NULL || c->own)
            continue;
        if ((own = http_conn_start(c)) == HTTP_OWN_STARTED)
            loop->http_active++;
        if (own != HTTP_OWN_NO)
            continue;
        multi = multi_get(loop); /* before the first handle */
        if (curl_multi_add_handle(multi, call_easy(c)) != CURLM_OK)
            fatalx("net: libcurl cannot queue a request");
        loop->http_active++;
    }
}

static void
on_trim_timer(uv_timer_t *h)
{
    struct net_loop *loop = h->data;

    if (loop->calls != NULL)
        return; /* busy again: the next quiet spell trims */
    easy_pool_free(loop);
#ifdef __GLIBC__
    malloc_trim(0);
#endif
    loop->http_made = 0;
}

/*
 * When @easy's request was written and its answer began, on clock_now_us():
 * curl times both from the transfer's start, so they are counted back from
 * now, as the transfer ends (for the trace of each reply's stages).
 */
static void
stage_times(CURL *easy, struct http_response *r)
{
    curl_off_t total = 0, pre = 0, first = 0;
    uint64_t now = clock_now_us();

    if (curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &total) != CURLE_OK ||
        curl_easy_getinfo(easy, CURLINFO_PRETRANSFER_TIME_T, &pre) != CURLE_OK ||
        curl_easy_getinfo(easy, CURLINFO_STARTTRANSFER_TIME_T, &first) != CURLE_OK)
        return;
    if (total <= 0 || (uint64_t)total >= now)
        return;
    if (pre >= 0 && pre <= total)
        r->sent_us = now - (uint64_t)(total - pre);
    if (first > 0 && first <= total)
        r->first_byte_us = now - (uint64_t)(total - first);
}

/* Once calls ended: the waiting ones start, and a quiet loop trims its heap. */
static void
after_done(struct net_loop *loop)
{
    start_waiting(loop);
    if (loop->calls == NULL && loop->http_made >= HTTP_TRIM_AFTER)
        uv_timer_start(&loop->trim_timer, on_trim_timer, HTTP_TRIM_IDLE_MS, 0);
}

static void
check_done(struct net_loop *loop)
{
    CURLMsg *msg;
    int left;

    while ((msg = curl_multi_info_read(loop->multi, &left)) != NULL) {
        struct http_call *call = NULL;
        struct http_response r = {0};
        curl_off_t retry = -1, sent = 0;
        CURL *easy;

        if (msg->msg != CURLMSG_DONE)
            continue;
        easy = msg->easy_handle;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&call);
        if (msg->data.result == CURLE_OK) {
            r.err = BOT_OK;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &r.status);
        } else {
            r.err = msg->data.result == CURLE_WRITE_ERROR ? BOT_ELIMIT : BOT_ENET;
            r.error = call->easy->errbuf[0] ? call->easy->errbuf
                                            : curl_easy_strerror(msg->data.result);
        }
        if (r.status != 429 ||
            curl_easy_getinfo(easy, CURLINFO_RETRY_AFTER, &retry) != CURLE_OK)
            retry = -1;
        r.retry_after = (long)retry;
        r.ratelimit_reset = header_long(easy, "X-Ratelimit-Reset");
        r.ratelimit_remaining = header_long(easy, "X-Ratelimit-Remaining");
        curl_easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &sent);
        r.sent = sent > 0;
        stage_times(easy, &r);
        r.body = buf_str(&call->resp);
        r.len = call->resp.len;
        /* Unlink before the callback, which may start or cancel other calls. */
        unlink_call(call);
        call->on_done(call->arg, &r);
        call_free(call);
    }
    after_done(loop);
}

void
http_call_end(struct http_call *call, const struct http_response *r)
{
    struct net_loop *loop = call->loop;

    unlink_call(call);
    call->on_done(call->arg, r);
    call_free(call);
    after_done(loop);
}

static void
on_poll(uv_poll_t *h, int status, int events)
{
    struct http_sock *s = h->data;
    int flags = 0, running;

    if (!s->wanted) {
        /* A kept connection between requests: the server closed it or said
         * something unasked.  Stop listening; curl finds out on reuse. */
        uv_poll_stop(&s->poll);
        s->events = 0;
        return;
    }
    if (status < 0)
        flags = CURL_CSELECT_ERR;
    if (events & UV_READABLE)
        flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE)
        flags |= CURL_CSELECT_OUT;
    curl_multi_socket_action(s->loop->multi, s->fd, flags, &running);
    check_done(s->loop);
}

static void
on_curl_timer(uv_timer_t *h)
{
    struct net_loop *loop = h->data;
    int running;

    curl_multi_socket_action(loop->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    check_done(loop);
}

static void
free_sock(uv_handle_t *h)
{
    free(h->data);
}

/* The socket record of @fd, or NULL. */
static struct http_sock *
sock_find(struct net_loop *loop, curl_socket_t fd)
{
    return fd >= 0 && (size_t)fd < loop->nsocks ? loop->socks[fd] : NULL;
}

/* Stops watching @s and frees it once libuv has let go of it. */
static void
sock_close(struct http_sock *s)
{
    struct net_loop *loop = s->loop;

    if ((size_t)s->fd < loop->nsocks && loop->socks[s->fd] == s)
        loop->socks[s->fd] = NULL;
    uv_close((uv_handle_t *)&s->poll, free_sock); /* stops it, and forgets the fd */
}

/* A record and poll handle for @fd, or NULL when libuv refuses it. */
static struct http_sock *
sock_new(struct net_loop *loop, curl_socket_t fd, bool kept)
{
    struct http_sock *s;

    if ((size_t)fd >= loop->nsocks) {
        size_t n = loop->nsocks ? loop->nsocks : 64;

        while (n <= (size_t)fd)
            n *= 2;
        loop->socks = xreallocarray(loop->socks, n, sizeof(*loop->socks));
        memset(loop->socks + loop->nsocks, 0, (n - loop->nsocks) * sizeof(*loop->socks));
        loop->nsocks = n;
    }
    s = xcalloc(1, sizeof(*s));
    s->fd = fd;
    s->loop = loop;
    s->kept = kept;
    if (uv_poll_init_socket(&loop->uv, &s->poll, fd) != 0) {
        free(s);
        return NULL;
    }
    s->poll.data = s;
    loop->socks[fd] = s;
    return s;
}

/* Makes a connection's socket (CURLOPT_OPENSOCKETFUNCTION): watched till it closes. */
static curl_socket_t
open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *addr)
{
    struct net_loop *loop = arg;
    struct http_sock *old;
    curl_socket_t fd;

    (void)purpose;
    fd = socket(addr->family, addr->socktype, addr->protocol);
    if (fd == CURL_SOCKET_BAD)
        return fd;
    /* A record left for this number belongs to a socket closed behind our
     * back (none should be): its watch must not carry over. */
    if ((old = sock_find(loop, fd)) != NULL)
        sock_close(old);
    if (sock_new(loop, fd, true) == NULL) {
        close(fd);
        return CURL_SOCKET_BAD;
    }
    return fd;
}

/* Closes a connection's socket (CURLOPT_CLOSESOCKETFUNCTION), its watch first. */
static int
close_socket(void *arg, curl_socket_t fd)
{
    struct http_sock *s = sock_find(arg, fd);

    if (s != NULL)
        sock_close(s);
    return close(fd);
}

static int
curl_socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
    struct net_loop *loop = userp;
    struct http_sock *s = sock_find(loop, fd);
    int events = 0;

    (void)easy;
    (void)socketp;
    if (what == CURL_POLL_REMOVE) {
        if (s == NULL)
            return 0;
        s->wanted = false;
        if (!s->kept) {
            sock_close(s);
        } else if (s->events & UV_WRITABLE) {
            /* Idle, it would be writable at every turn of the loop. */
            uv_poll_start(&s->poll, UV_READABLE, on_poll);
            s->events = UV_READABLE;
        }
        return 0;
    }
    if (s == NULL && (s = sock_new(loop, fd, false)) == NULL)
        return -1;
    s->wanted = true;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
        events |= UV_READABLE;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
        events |= UV_WRITABLE;
    /* libuv takes the socket out of epoll and puts it back on every
     * uv_poll_start(), so it is called only when the events change. */
    if (events != s->events) {
        uv_poll_start(&s->poll, events, on_poll);
        s->events = events;
    }
    return 0;
}

static int
curl_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
    struct net_loop *loop = userp;

    (void)multi;
    if (timeout_ms < 0)
        uv_timer_stop(&loop->curl_timer);
    else
        uv_timer_start(&loop->curl_timer, on_curl_timer, (uint64_t)timeout_ms, 0);
    return 0;
}

/*
 * libcurl, made ready on its first request: a request goes to curl only when
 * a proxy is set in the environment or VALUESBOT_HTTP_CURL is (http_conn.c
 * makes the rest), and curl_global_init() with its multi handle costs some
 * 0.6 MB of resident pages that a bot posting over its own connections never
 * uses.
 */
static CURLM *
multi_get(struct net_loop *loop)
{
    if (loop->multi != NULL)
        return loop->multi;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        fatalx("net: libcurl failed to initialise");
    loop->multi = curl_multi_init();
    if (loop->multi == NULL)
        fatalx("net: libcurl failed to initialise");
    curl_multi_setopt(loop->multi, CURLMOPT_SOCKETFUNCTION, curl_socket_cb);
    curl_multi_setopt(loop->multi, CURLMOPT_SOCKETDATA, loop);
    curl_multi_setopt(loop->multi, CURLMOPT_TIMERFUNCTION, curl_timer_cb);
    curl_multi_setopt(loop->multi, CURLMOPT_TIMERDATA, loop);
    /*
     * Reuse connections instead of opening one per request: a burst of 1000
     * replies opened ~930 connections (and TLS handshakes) and doubled peak
     * memory.  The cap per host matches the adapters' ceiling on posts in
     * flight (32, SLACK_MAX_POSTING), so that over HTTP/1.1 no post waits in
     * curl's queue behind a slow one; curl opens a connection only when every
     * open one is busy, and the adapters keep only as many posts in flight
     * as the server's response time and the replies waiting call for (outq),
     * so a fast server is posted to over a few.  Over HTTP/2 (Slack) the posts
     * share a connection (CURLOPT_PIPEWAIT).  The cache keeps that many for
     * two hosts (Slack's API and its response_url hooks).
     */
    curl_multi_setopt(loop->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 32L);
    curl_multi_setopt(loop->multi, CURLMOPT_MAXCONNECTS, 64L);
    return loop->multi;
}

void
http_loop_init(struct net_loop *loop)
{
    uv_timer_init(&loop->uv, &loop->curl_timer);
    loop->curl_timer.data = loop;
    uv_timer_init(&loop->uv, &loop->trim_timer);
    loop->trim_timer.data = loop;
}

void
http_loop_cleanup(struct net_loop *loop)
{
    /* Newest first, so no waiting request is handed to curl only to be cancelled. */
    while (loop->calls_tail != NULL)
        http_cancel(loop->calls_tail);
    easy_pool_free(loop);
    http_conn_cleanup(loop);
    /* Cleaning up the multi handle closes the connections (close_socket()). */
    bool curl_started = loop->multi != NULL; /* multi_get() ran */
    if (curl_started)
        curl_multi_cleanup(loop->multi);
    loop->multi = NULL;
    free(loop->url_ok);
    loop->url_ok = NULL;
    for (size_t i = 0; i < loop->nsocks; i++) {
        if (loop->socks[i] != NULL)
            sock_close(loop->socks[i]);
    }
    free(loop->socks);
    loop->socks = NULL;
    loop->nsocks = 0;
    uv_timer_stop(&loop->curl_timer);
    uv_close((uv_handle_t *)&loop->curl_timer, NULL);
    uv_timer_stop(&loop->trim_timer);
    uv_close((uv_handle_t *)&loop->trim_timer, NULL);
    if (curl_started) /* paired with multi_get()'s curl_global_init() */
        curl_global_cleanup();
}

static size_t
on_write(char *data, size_t size, size_t n, void *arg)
{
    struct http_call *call = arg;

    /* Returning short makes curl fail the transfer with CURLE_WRITE_ERROR. */
    if (buf_add(&call->resp, data, size * n) != BOT_OK)
        return 0;
    return size * n;
}

enum bot_err
http_request(struct net_loop *loop, const struct http_request *req, http_done_fn *on_done,
             void *arg, struct http_call **out)
{
    struct http_call *call;
    struct url u;
    enum bot_err err;

    if (out != NULL)
        *out = NULL;
    /* An adapter posts to one URL again and again: checked once. */
    if (loop->url_ok == NULL || strcmp(loop->url_ok, req->url) != 0) {
        if ((err = url_parse(req->url, &u)) != BOT_OK)
            return err;
        if (strcmp(u.scheme, "https") != 0 && strcmp(u.scheme, "http") != 0) {
            url_cleanup(&u);
            return BOT_EINVAL;
        }
        url_cleanup(&u);
        free(loop->url_ok);
        loop->url_ok = xstrdup(req->url);
    }

    call = xcalloc(1, sizeof(*call));
    call->loop = loop;
    call->on_done = on_done;
    call->arg = arg;
    buf_init(&call->resp, req->max_response ? req->max_response : HTTP_MAX_RESPONSE);
    call->auth = xstrdup_or_null(req->auth);
    call->content_type = xstrdup_or_null(req->content_type);
    call->url = xstrdup(req->url);
    call->ca_file = xstrdup_or_null(req->ca_file);
    call->timeout_ms = (long)(req->timeout_ms ? req->timeout_ms : 10000);
    call->post = strcmp(req->method, "POST") == 0;
    if (call->post && req->body_fn != NULL) {
        call->body_fn = req->body_fn;
    } else if (call->post) {
        call->body = xmalloc(req->body_len + 1);
        if (req->body_len > 0)
            memcpy(call->body, req->body, req->body_len);
        call->body[req->body_len] = '\0';
        call->body_len = req->body_len;
    }
    call->prev = loop->calls_tail;
    if (loop->calls_tail != NULL)
        loop->calls_tail->next = call;
    else
        loop->calls = call;
    loop->calls_tail = call;
    loop->http_queued++;
    loop->http_made++;
    start_waiting(loop);
    if (out != NULL)
        *out = call;
    return BOT_OK;
}

void
http_cancel(struct http_call *call)
{
    struct net_loop *loop = call->loop;

    unlink_call(call);
    call_free(call);
    start_waiting(loop);
}
