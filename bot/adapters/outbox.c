/*
 * outbox.c - the one reply pipeline of every adapter (outbox.h): the posting
 * queue that sizes requests in flight, and the posts with their parts,
 * retries, holds, deadlines, counts and drain.
 */
#include "bot/adapters/outbox.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bot/adapters/adapter.h"
#include "bot/base/clock.h"
#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/net/loop.h"

/* ---- Posting queue --------------------------------------------------- */

/* Starts waiting items while slots are free (on the loop, never inside a caller). */
static void
outq_kick(void *arg)
{
    struct outq *q = arg;

    while (q->posting < q->max && q->head != NULL) {
        struct outq_item *it = q->head;

        q->head = it->next;
        if (q->head != NULL)
            q->head->prev = NULL;
        else
            q->tail = NULL;
        it->prev = it->next = NULL;
        it->queued = false;
        q->start(it); /* may free it */
    }
}

/*
 * Has the waiting items started on the next turn of the loop.  Never here:
 * starting one may drop it (freed) or end a drain (the adapter closes) inside
 * a caller still holding it, such as an adapter's send or a post's answer.
 * A kick already due is left as it is: started again, the timer is taken out
 * of libuv's heap and put back, for each reply answered in the turn.
 */
static void
kick(struct outq *q)
{
    if (!net_timer_is_active(q->kick))
        net_timer_start(q->kick, 0);
}

/*
 * Sizes the slots: from the response time (Little's law), or, while replies
 * wait for a slot, what they grew to; within the ceiling.
 */
static void
outq_resize(struct outq *q)
{
    uint64_t want = OUTQ_MIN_POSTING + q->rtt / OUTQ_MS_PER_SLOT;

    if (want < q->grown)
        want = q->grown;
    q->max = want < q->limit ? (unsigned)want : q->limit;
    if (q->posting < q->max && q->head != NULL)
        kick(q);
}

void
outq_init(struct outq *q, struct net_loop *loop, unsigned limit, outq_start_fn *start)
{
    *q = (struct outq){.loop = loop, .start = start};
    q->kick = net_timer_new(loop, outq_kick, q);
    outq_set_limit(q, limit);
}

void
outq_set_limit(struct outq *q, unsigned limit)
{
    q->limit = limit > 0 ? limit : 1;
    outq_resize(q);
}

void
outq_cleanup(struct outq *q)
{
    net_timer_free(q->kick);
    q->kick = NULL;
}

void
outq_push(struct outq *q, struct outq_item *it)
{
    if (it->queued || it->posting)
        return;
    it->queued = true;
    it->next = NULL;
    it->prev = q->tail;
    if (q->tail != NULL)
        q->tail->next = it;
    else
        q->head = it;
    q->tail = it;
    if (q->posting < q->max)
        kick(q);
}

static void
outq_due(void *arg)
{
    struct outq_item *it = arg;

    outq_push(it->q, it);
}

void
outq_later(struct outq *q, struct outq_item *it, uint64_t ms)
{
    if (ms == 0) {
        outq_push(q, it);
        return;
    }
    it->q = q;
    if (it->timer == NULL)
        it->timer = net_timer_new(q->loop, outq_due, it);
    net_timer_start(it->timer, ms);
}

void
outq_begin(struct outq *q, struct outq_item *it)
{
    if (!it->posting) {
        it->posting = true;
        it->started = net_loop_now(q->loop);
        q->posting++;
    }
}

void
outq_end(struct outq *q, struct outq_item *it)
{
    uint64_t now = net_loop_now(q->loop), took;

    if (!it->posting)
        return;
    it->posting = false;
    q->posting--;
    took = now - it->started;
    if (q->rtt_at == 0 || took <= q->rtt || now - q->rtt_at > OUTQ_RTT_WINDOW_MS) {
        q->rtt = took;
        q->rtt_at = now > 0 ? now : 1;
    }
    /* The server answers and replies still wait: twice as many at once (as
     * TCP's slow start), so a burst or a steady load is posted as fast as
     * it is answered; once none is open or waiting, back to what the
     * response time asks. */
    if (q->head != NULL)
        q->grown =
            q->max >= OUTQ_MAX_GROWN / 2 ? OUTQ_MAX_GROWN : 2 * (q->max ? q->max : 1);
    else if (q->posting == 0)
        q->grown = 0;
    outq_resize(q);
    if (q->head != NULL)
        kick(q);
}

void
outq_remove(struct outq *q, struct outq_item *it)
{
    if (it->queued) {
        if (it->prev != NULL)
            it->prev->next = it->next;
        else
            q->head = it->next;
        if (it->next != NULL)
            it->next->prev = it->prev;
        else
            q->tail = it->prev;
        it->prev = it->next = NULL;
        it->queued = false;
    }
    net_timer_free(it->timer);
    it->timer = NULL;
    outq_end(q, it);
}

/* ---- The trace (VALUESBOT_TRACE) ------------------------------------- */

/*
 * Lines are kept until this many bytes are waiting, then written at once,
 * so that tracing adds no system call per reply (and the write, about every
 * 140 replies, lands after a post's answer, outside any reply's stages).
 */
#define OUTBOX_TRACE_BUF (32 * 1024)
#define OUTBOX_TRACE_MAX 400 /* the longest line: 12 fields, ids capped */

static void
trace_open(struct outbox *ob)
{
    const char *path = getenv("VALUESBOT_TRACE");

    ob->trace_fd = -1;
    if (path == NULL || *path == '\0')
        return;
    ob->trace_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (ob->trace_fd < 0) {
        log_warn("%s: trace file %s", ob->ad->name, path);
        return;
    }
    ob->trace = xmalloc(OUTBOX_TRACE_BUF);
}

static void
trace_flush(struct outbox *ob)
{
    size_t off = 0;

    while (off < ob->trace_len) {
        ssize_t n = write(ob->trace_fd, ob->trace + off, ob->trace_len - off);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            log_warn("%s: trace file", ob->ad->name);
            break;
        }
        off += (size_t)n;
    }
    ob->trace_len = 0;
}

/* Appends the stage times of @p's current part, just posted (its answer
 * @resp, read at @done), to the trace. */
static void
trace_part(const struct outbox_post *p, const struct http_response *resp, uint64_t done)
{
    struct outbox *ob = p->ob;
    const struct outbox_times *t = &p->t;
    char id[101];
    int n;

    if (ob->trace_fd < 0)
        return;
    /* The id is the platform's (a Slack event_id): one field, whatever its bytes. */
    snprintf(id, sizeof(id), "%s", p->event_id);
    for (char *c = id; *c != '\0'; c++) {
        if ((unsigned char)*c <= ' ' || *c == 0x7f)
            *c = '_';
    }
    if (OUTBOX_TRACE_BUF - ob->trace_len < OUTBOX_TRACE_MAX)
        trace_flush(ob);
    n = snprintf(ob->trace + ob->trace_len, OUTBOX_TRACE_MAX,
                 "adapter=%.40s event=%.100s part=%zu attempts=%u delay_ms=%llu "
                 "received=%llu answered=%llu queued=%llu started=%llu sent=%llu "
                 "first_byte=%llu done=%llu\n",
                 ob->ad->name, id, p->part, p->attempts, (unsigned long long)p->delay_ms,
                 (unsigned long long)t->received, (unsigned long long)t->answered,
                 (unsigned long long)t->queued, (unsigned long long)t->started,
                 (unsigned long long)resp->sent_us,
                 (unsigned long long)resp->first_byte_us, (unsigned long long)done);
    if (n > 0 && n < OUTBOX_TRACE_MAX)
        ob->trace_len += (size_t)n;
}

static void
trace_close(struct outbox *ob)
{
    if (ob->trace_fd < 0)
        return;
    trace_flush(ob);
    close(ob->trace_fd);
    ob->trace_fd = -1;
    free(ob->trace);
    ob->trace = NULL;
}

/* ---- The outbox ------------------------------------------------------- */

static void post_start(struct outq_item *it);

static uint64_t
now_ms(const struct outbox *ob)
{
    return net_loop_now(ob->ad->loop);
}

void
outbox_init(struct outbox *ob, struct adapter *ad, void *owner,
            const struct outbox_ops *ops, unsigned limit, uint64_t part_ms,
            uint64_t base_ms, uint64_t max_ms)
{
    *ob = (struct outbox){.ad = ad,
                          .owner = owner,
                          .ops = ops,
                          .part_ms = part_ms,
                          .backoff_base = base_ms,
                          .backoff_max = max_ms};
    outq_init(&ob->q, ad->loop, limit, post_start);
    trace_open(ob);
}

/* Frees @p without any hook but the adapter's cleanup. */
static void
post_free(struct outbox_post *p)
{
    struct outbox *ob = p->ob;

    if (p->call != NULL)
        http_cancel(p->call);
    p->call = NULL;
    outq_remove(&ob->q, &p->q);
    if (p->prev != NULL)
        p->prev->next = p->next;
    else
        ob->posts = p->next;
    if (p->next != NULL)
        p->next->prev = p->prev;
    ob->ops->cleanup(p);
    if (!p->id_kept)
        free(p->event_id);
    free(p);
}

void
outbox_cleanup(struct outbox *ob)
{
    while (ob->posts != NULL)
        post_free(ob->posts);
    net_timer_free(ob->drain);
    ob->drain = NULL;
    outq_cleanup(&ob->q);
    trace_close(ob);
}

/* @p is over: freed, and a drain told when it was the last. */
static void
post_end(struct outbox_post *p)
{
    struct outbox *ob = p->ob;

    post_free(p);
    if (ob->draining && ob->posts == NULL) {
        ob->draining = false;
        net_timer_stop(ob->drain);
        if (ob->ops->drained != NULL)
            ob->ops->drained(ob, false);
    }
}

void
outbox_drop(struct outbox_post *p)
{
    post_end(p);
}

void
outbox_add(struct outbox *ob, struct outbox_post *p, const struct chat_reply *reply,
           size_t nparts)
{
    uint64_t delay_ms = reply->delay_ms;

    p->ob = ob;
    if (!p->id_kept)
        p->event_id = xstrdup(reply->event_id != NULL ? reply->event_id : "-");
    p->nparts = nparts > 0 ? nparts : 1;
    p->delay_ms = delay_ms;
    p->t.received = reply->received_us;
    p->t.answered = reply->answered_us;
    p->t.queued = clock_now_us();
    p->deadline = now_ms(ob) + delay_ms + ob->part_ms;
    backoff_init(&p->bo, ob->backoff_base, ob->backoff_max);
    p->prev = NULL;
    p->next = ob->posts;
    if (ob->posts != NULL)
        ob->posts->prev = p;
    ob->posts = p;
    if (!p->in_flight_ack)
        outq_later(&ob->q, &p->q, delay_ms);
}

void
outbox_resume(struct outbox_post *p)
{
    p->in_flight_ack = false;
    outq_later(&p->ob->q, &p->q, 0);
}

void
outbox_hold(struct outbox *ob, uint64_t ms)
{
    uint64_t now = now_ms(ob);

    if (ms > 0 && now + ms > ob->hold_until) {
        ob->hold_until = now + ms;
        log_info("%s: rate limited; posts held for %llu ms", ob->ad->name,
                 (unsigned long long)ms);
    }
}

void
outbox_set_limit(struct outbox *ob, unsigned limit)
{
    outq_set_limit(&ob->q, limit);
}

uint64_t
outbox_backoff_next(struct outbox_post *p)
{
    return backoff_next(&p->bo, net_random(p->ob->ad->loop));
}

bool
outbox_busy(const struct outbox *ob)
{
    return ob->posts != NULL;
}

const char *
outbox_url_problem(enum bot_err err)
{
    if (err == BOT_EINVAL)
        return "refused: plaintext (http://, ws://) is allowed only to loopback; "
               "use https://";
    if (err == BOT_EPARSE || err == BOT_ELIMIT)
        return "malformed URL";
    return bot_strerror(err);
}

static void
on_drain_timeout(void *arg)
{
    struct outbox *ob = arg;

    ob->draining = false;
    while (ob->posts != NULL) {
        log_warnx("%s: event=%s reply abandoned at shutdown", ob->ad->name,
                  ob->posts->event_id);
        post_free(ob->posts);
    }
    if (ob->ops->drained != NULL)
        ob->ops->drained(ob, true);
}

void
outbox_drain(struct outbox *ob, uint64_t grace_ms)
{
    if (ob->drain == NULL)
        ob->drain = net_timer_new(ob->ad->loop, on_drain_timeout, ob);
    ob->draining = true;
    net_timer_start(ob->drain, grace_ms);
}

/* A failed attempt at @p's current part: wait and try again, or give up. */
static void
post_retry(struct outbox_post *p, long hint_ms, const char *error)
{
    struct outbox *ob = p->ob;
    uint64_t delay;

    if (!backoff_retry(&p->bo, net_random(ob->ad->loop), hint_ms, now_ms(ob), p->deadline,
                       &delay)) {
        ob->ad->stats.posts_failed++;
        log_warnx("%s: event=%s reply lost: %s, still failing after %u attempts",
                  ob->ad->name, p->event_id, error, p->attempts);
        post_end(p);
        return;
    }
    ob->ad->stats.posts_retried++;
    log_warnx("%s: event=%s reply failed (%s); retrying in %llu ms", ob->ad->name,
              p->event_id, error, (unsigned long long)delay);
    outq_later(&ob->q, &p->q, delay);
}

static void
post_done(void *arg, const struct http_response *resp)
{
    struct outbox_post *p = arg;
    struct outbox *ob = p->ob;
    char error[160] = "";
    long retry_ms = 0;
    uint64_t done_us = 0;
    enum outbox_verdict v;

    p->call = NULL;
    if (ob->trace_fd >= 0)
        done_us = clock_now_us();
    outq_end(&ob->q, &p->q);
    if (resp->err == BOT_OK && resp->status == 429)
        ob->ad->stats.rate_limited++;
    v = ob->ops->classify(p, resp, &retry_ms, error, sizeof(error));
    switch (v) {
    case OUTBOX_DONE:
        ob->ad->stats.posts++;
        trace_part(p, resp, done_us);
        /* One line per reply only at debug (the count is in /metrics); a
         * post that needed retries is worth a line at info. */
        if (p->attempts > 1)
            log_info("%s: event=%s reply posted (part %zu of %zu, attempt %u)",
                     ob->ad->name, p->event_id, p->part + 1, p->nparts, p->attempts);
        else
            log_debug("%s: event=%s reply posted (part %zu of %zu)", ob->ad->name,
                      p->event_id, p->part + 1, p->nparts);
        if (++p->part < p->nparts) {
            /* The next part of a long reply, in order, after this one. */
            p->attempts = 0;
            backoff_reset(&p->bo);
            p->deadline = now_ms(ob) + ob->part_ms;
            outq_later(&ob->q, &p->q, 0);
            return;
        }
        post_end(p);
        return;
    case OUTBOX_AGAIN:
        outq_later(&ob->q, &p->q, 0);
        return;
    case OUTBOX_GIVE_UP:
        ob->ad->stats.posts_failed++;
        log_warnx("%s: event=%s reply rejected: %s%s", ob->ad->name, p->event_id, error,
                  p->part + 1 < p->nparts ? "; its later parts dropped" : "");
        post_end(p);
        return;
    case OUTBOX_REAUTH:
        if (ob->ops->reauth != NULL)
            ob->ops->reauth(ob);
        /* FALLTHROUGH */
    case OUTBOX_RETRY:
        post_retry(p, retry_ms, error);
        return;
    }
}

/* A request slot is free for @it: make its current step's request. */
static void
post_start(struct outq_item *it)
{
    struct outbox_post *p = (struct outbox_post *)it; /* its first member */
    struct outbox *ob = p->ob;
    uint64_t now = now_ms(ob), wait = 0;
    struct outbox_req req = {
        .http = {.method = "POST", .timeout_ms = 15000},
    };
    char why[160] = "";
    enum bot_err err;

    if (ob->hold_until > now) { /* the server's limit: wait for its reset */
        outq_later(&ob->q, &p->q, ob->hold_until - now);
        return;
    }
    switch (ob->ops->prepare(p, &req, &wait, why, sizeof(why))) {
    case OUTBOX_POST:
        break;
    case OUTBOX_WAIT:
        outq_later(&ob->q, &p->q, wait);
        return;
    case OUTBOX_DROP:
        ob->ad->stats.posts_failed++;
        log_warnx("%s: event=%s reply dropped: %s", ob->ad->name, p->event_id, why);
        post_end(p);
        return;
    }
    p->attempts++;
    p->t.started = clock_now_us();
    err = http_request(ob->ad->loop, &req.http, post_done, p, &p->call);
    free(req.own_url);
    free(req.own_body);
    if (err != BOT_OK) {
        ob->ad->stats.posts_failed++;
        log_warnx("%s: event=%s reply not sent: %s", ob->ad->name, p->event_id,
                  outbox_url_problem(err));
        post_end(p);
        return;
    }
    outq_begin(&ob->q, &p->q);
}
