/*
 * test_outbox.c - the one reply pipeline (bot/adapters/outbox.h) against a
 * loopback HTTP server on the same loop: parts post in order, one after the
 * other; a failed attempt is retried after the wait the adapter read from
 * the answer; a hold stops every post until it ends; a refused part drops
 * the rest; a drain ends with the last post or abandons what is left; every
 * post is freed once; with VALUESBOT_TRACE, each posted part's stage times
 * are written, in order, once the buffer fills or the outbox is cleaned up.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bot/adapters/adapter.h"
#include "bot/adapters/outbox.h"
#include "bot/base/clock.h"
#include "bot/base/xmalloc.h"
#include "bot/net/httpd.h"
#include "bot/net/loop.h"
#include "bot/net/net_int.h"

#define MAXREQ 32

struct tpost {
    struct outbox_post ob; /* first, as in the adapters */
    int id;
};

static struct net_loop *loop;
static struct adapter ad;
static struct outbox ob;
static struct net_timer *guard;
static char url[64];
static int statuses[MAXREQ]; /* the answer to the n-th request; 0: 200 */
static char bodies[MAXREQ][32];
static uint64_t req_at[MAXREQ];
static int nreq, answered, freed, drained_calls;
static bool drained_timed_out;
static uint64_t hold_ms; /* a 503 holds every post this long */

static void
on_post(void *arg, struct net_httpd_req *req, const char *auth, const char *body,
        size_t len, bool too_big)
{
    int status = nreq < MAXREQ && statuses[nreq] != 0 ? statuses[nreq] : 200;

    (void)arg;
    (void)auth;
    (void)too_big;
    if (nreq < MAXREQ) {
        snprintf(bodies[nreq], sizeof(bodies[0]), "%.*s", (int)len, body ? body : "");
        req_at[nreq] = net_loop_now(loop);
    }
    nreq++;
    net_httpd_respond(req, status, NULL, NULL, 0);
}

static int
on_get(void *arg, const char *method, const char *path, bool loopback,
       const char **content_type, char **body, size_t *len)
{
    (void)arg;
    (void)method;
    (void)path;
    (void)loopback;
    (void)content_type;
    (void)body;
    (void)len;
    return 404;
}

/* The body of a post's current part: "<id>.<part>". */
static char *
body_of(void *arg, size_t *len)
{
    struct tpost *p = arg;
    char *s = xasprintf("%d.%zu", p->id, p->ob.part);

    *len = strlen(s);
    return s;
}

static enum outbox_go
prepare(struct outbox_post *p, struct outbox_req *req, uint64_t *wait_ms, char *why,
        size_t len)
{
    (void)p;
    (void)wait_ms;
    (void)why;
    (void)len;
    req->http.url = url;
    req->http.content_type = "text/plain";
    req->http.body_fn = body_of;
    return OUTBOX_POST;
}

static enum outbox_verdict
classify(struct outbox_post *p, const struct http_response *resp, long *retry_ms,
         char *error, size_t len)
{
    answered++;
    snprintf(error, len, "HTTP %ld", resp->status);
    if (resp->err != BOT_OK)
        return OUTBOX_RETRY;
    if (resp->status == 200)
        return OUTBOX_DONE;
    if (resp->status == 503) {
        *retry_ms = 50;
        if (hold_ms > 0)
            outbox_hold(p->ob, hold_ms);
        return OUTBOX_RETRY;
    }
    return OUTBOX_GIVE_UP;
}

static void
cleanup(struct outbox_post *p)
{
    (void)p;
    freed++;
}

static void
drained(struct outbox *o, bool timed_out)
{
    (void)o;
    drained_calls++;
    drained_timed_out = timed_out;
}

static const struct outbox_ops ops = {
    .prepare = prepare,
    .classify = classify,
    .cleanup = cleanup,
    .drained = drained,
};

static void
post_new(int id, size_t nparts, uint64_t delay_ms)
{
    struct tpost *p = xcalloc(1, sizeof(*p));
    char ev[16];

    p->id = id;
    snprintf(ev, sizeof(ev), "ev%d", id);
    outbox_add(&ob, &p->ob, &(struct chat_reply){.event_id = ev, .delay_ms = delay_ms},
               nparts);
}

static void
on_guard(void *arg)
{
    (void)arg;
}

/* Runs the loop until *@counter reaches @want, for at most 5 s. */
static void
run_until(const int *counter, int want)
{
    uint64_t end = net_loop_now(loop) + 5000;

    while (*counter < want && net_loop_now(loop) < end) {
        net_timer_start(guard, 20);
        uv_run(&loop->uv, UV_RUN_ONCE);
    }
}

/* The index of request body @body, or -1. */
static int
req_of(const char *body)
{
    for (int i = 0; i < nreq && i < MAXREQ; i++) {
        if (strcmp(bodies[i], body) == 0)
            return i;
    }
    return -1;
}

static void
setup(void)
{
    char *why = NULL;
    int port = 0;

    xmalloc_json_init();
    loop = net_loop_new();
    cr_assert_not_null(loop);
    ad = (struct adapter){.loop = loop, .name = "test"};
    cr_assert_eq(net_httpd_start(loop, "127.0.0.1:0", on_get, NULL, &port, &why), BOT_OK,
                 "%s", why ? why : "");
    cr_assert_eq(net_httpd_route(loop, "/post", 4096, on_post, NULL), BOT_OK);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/post", port);
    guard = net_timer_new(loop, on_guard, NULL);
    outbox_init(&ob, &ad, NULL, &ops, 4, 10000, 20, 100);
    memset(statuses, 0, sizeof(statuses));
    nreq = answered = freed = drained_calls = 0;
    drained_timed_out = false;
    hold_ms = 0;
}

static void
teardown(void)
{
    outbox_cleanup(&ob);
    net_timer_free(guard);
    net_loop_free(loop);
}

TestSuite(outbox, .init = setup, .fini = teardown, .timeout = 30);

Test(outbox, parts_post_in_order_one_after_the_other_and_each_post_is_freed_once)
{
    post_new(0, 3, 0);
    post_new(1, 1, 0);
    run_until(&freed, 2);
    cr_expect_eq(freed, 2);
    cr_expect_eq(nreq, 4);
    cr_expect_lt(req_of("0.0"), req_of("0.1"));
    cr_expect_lt(req_of("0.1"), req_of("0.2"));
    cr_expect_geq(req_of("1.0"), 0);
    cr_expect_eq(ad.stats.posts, 4);
    cr_expect_not(outbox_busy(&ob));
}

Test(outbox, a_failed_attempt_is_retried_after_the_wait_the_answer_gave)
{
    statuses[0] = 503;
    post_new(0, 1, 0);
    run_until(&freed, 1);
    cr_assert_eq(nreq, 2);
    cr_expect_str_eq(bodies[1], "0.0", "the same part again");
    cr_expect_geq(req_at[1] - req_at[0], 50);
    cr_expect_eq(ad.stats.posts_retried, 1);
    cr_expect_eq(ad.stats.posts, 1);
    cr_expect_eq(freed, 1);
}

Test(outbox, a_hold_stops_every_post_until_it_ends)
{
    int a, b;

    statuses[0] = 503;
    hold_ms = 300;
    post_new(0, 1, 0);
    run_until(&answered, 1); /* the 503 is in: the hold has begun */
    post_new(1, 1, 0);       /* added during the hold */
    run_until(&freed, 2);
    a = -1; /* the retry of post 0 */
    for (int i = 1; i < nreq && i < MAXREQ; i++) {
        if (strcmp(bodies[i], "0.0") == 0)
            a = i;
    }
    b = req_of("1.0");
    cr_assert_eq(nreq, 3);
    cr_assert(a > 0 && b > 0);
    cr_expect_geq(req_at[a] - req_at[0], 300, "the retry waited for the hold");
    cr_expect_geq(req_at[b] - req_at[0], 300, "a post added meanwhile waited too");
}

Test(outbox, a_refused_part_drops_the_later_ones)
{
    statuses[1] = 409;
    post_new(0, 3, 0);
    run_until(&freed, 1);
    cr_expect_eq(nreq, 2);
    cr_expect_eq(ad.stats.posts, 1);
    cr_expect_eq(ad.stats.posts_failed, 1);
    cr_expect_eq(freed, 1);
}

Test(outbox, a_drain_ends_with_the_last_post)
{
    post_new(0, 2, 0);
    outbox_drain(&ob, 5000);
    run_until(&drained_calls, 1);
    cr_expect_eq(drained_calls, 1);
    cr_expect_not(drained_timed_out);
    cr_expect_eq(nreq, 2);
    cr_expect_eq(freed, 1);
}

Test(outbox, a_drain_abandons_what_is_left_when_the_grace_ends)
{
    post_new(0, 1, 10000); /* paced far past the grace */
    outbox_drain(&ob, 50);
    run_until(&drained_calls, 1);
    cr_expect_eq(drained_calls, 1);
    cr_expect(drained_timed_out);
    cr_expect_eq(nreq, 0);
    cr_expect_eq(freed, 1);
    cr_expect_not(outbox_busy(&ob));
}

/* Reads the file at @path into @buf (@len bytes, NUL-terminated). */
static void
slurp(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    size_t n;

    cr_assert_not_null(f, "%s", path);
    n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* The value of @key= on @line, or 0. */
static unsigned long long
field(const char *line, const char *key)
{
    char pat[32];
    const char *at;

    snprintf(pat, sizeof(pat), " %s=", key);
    at = strstr(line, pat);
    return at != NULL ? strtoull(at + strlen(pat), NULL, 10) : 0;
}

/* Restarts the outbox with VALUESBOT_TRACE naming a new empty file, @path (out). */
static void
trace_start(char path[32])
{
    int fd;

    snprintf(path, 32, "/tmp/test_outbox_trace_XXXXXX");
    fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    outbox_cleanup(&ob);
    setenv("VALUESBOT_TRACE", path, 1);
    outbox_init(&ob, &ad, NULL, &ops, 4, 10000, 20, 100);
    unsetenv("VALUESBOT_TRACE");
}

Test(outbox, the_trace_gives_each_posted_part_its_stages_in_order)
{
    char path[32], text[4096], *line, *save = NULL;
    const char *stages[] = {"received", "answered",   "queued", "started",
                            "sent",     "first_byte", "done"};
    struct tpost *p = xcalloc(1, sizeof(*p));
    int lines = 0;

    trace_start(path);
    p->id = 7;
    outbox_add(&ob, &p->ob,
               &(struct chat_reply){.event_id = "ev7",
                                    .received_us = clock_now_us() - 900,
                                    .answered_us = clock_now_us() - 400},
               2);
    run_until(&freed, 1);
    slurp(path, text, sizeof(text));
    cr_expect_eq(text[0], '\0', "nothing written while the buffer has room");
    outbox_cleanup(&ob); /* writes what is left */
    outbox_init(&ob, &ad, NULL, &ops, 4, 10000, 20, 100);
    slurp(path, text, sizeof(text));
    unlink(path);
    for (line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save), lines++) {
        cr_expect_not_null(strstr(line, "adapter=test event=ev7 "), "%s", line);
        cr_expect_eq(field(line, "part"), (unsigned long long)lines, "%s", line);
        for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++) {
            cr_expect_gt(field(line, stages[i]), 0, "%s: %s", stages[i], line);
            if (i > 0)
                cr_expect_leq(field(line, stages[i - 1]), field(line, stages[i]),
                              "%s before %s: %s", stages[i - 1], stages[i], line);
        }
    }
    cr_expect_eq(lines, 2, "one line per part");
}

Test(outbox, an_event_id_from_the_platform_cannot_forge_trace_lines)
{
    char path[32], text[4096], *line, *save = NULL;
    struct tpost *p = xcalloc(1, sizeof(*p));
    int lines = 0;

    trace_start(path);
    p->id = 8;
    /* The id comes from the frame (Slack's event_id): any bytes at all. */
    outbox_add(&ob, &p->ob,
               &(struct chat_reply){.event_id = "ev8\nadapter=forged event=x done=1\r\t"},
               1);
    run_until(&freed, 1);
    outbox_cleanup(&ob);
    outbox_init(&ob, &ad, NULL, &ops, 4, 10000, 20, 100);
    slurp(path, text, sizeof(text));
    unlink(path);
    for (line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save), lines++) {
        cr_expect(strncmp(line, "adapter=test event=ev8", 22) == 0, "%s", line);
        cr_expect_null(strpbrk(line, "\r\t"), "%s", line);
        cr_expect_null(strstr(line, " adapter="), "a second adapter field: %s", line);
    }
    cr_expect_eq(lines, 1, "one line for the one part");
}
