/* adapter.c - the list of compiled-in platforms, lookup by kind, and the loop for the
 * core. */
#include "bot/adapters/adapter.h"
#include "bot/adapters/adapter_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bot/net/httpd.h"
#include "bot/net/loop.h"

extern const struct adapter_ops slack_adapter_ops;
extern const struct adapter_ops mattermost_adapter_ops;
extern const struct adapter_ops teams_adapter_ops;
extern const struct adapter_ops web_adapter_ops;

/* Adding a platform: one extern above, one line here, one file. */
static const struct adapter_ops *const adapters[] = {
    &slack_adapter_ops,
    &mattermost_adapter_ops,
    &teams_adapter_ops,
    &web_adapter_ops,
};

const struct adapter_ops *
adapter_ops_find(const char *kind)
{
    for (size_t i = 0; i < sizeof(adapters) / sizeof(adapters[0]); i++) {
        if (strcmp(adapters[i]->kind, kind) == 0)
            return adapters[i];
    }
    return NULL;
}

const struct adapter_ops *
adapter_ops_at(size_t i)
{
    return i < sizeof(adapters) / sizeof(adapters[0]) ? adapters[i] : NULL;
}

enum bot_err
adapter_ops_check(const struct adapter_ops *ops)
{
    if (ops->kind == NULL || ops->create == NULL || ops->connect == NULL ||
        ops->parse == NULL || ops->send == NULL || ops->shutdown == NULL ||
        ops->destroy == NULL)
        return BOT_EINVAL;
    return BOT_OK;
}

struct net_loop *
adapter_loop_new(void)
{
    return net_loop_new();
}

void
adapter_loop_free(struct net_loop *loop)
{
    net_loop_free(loop);
}

void
adapter_loop_run(struct net_loop *loop)
{
    net_loop_run(loop);
}

void
adapter_loop_stop(struct net_loop *loop)
{
    net_loop_stop(loop);
}

enum bot_err
adapter_loop_on_signal(struct net_loop *loop, int signum, adapter_signal_fn *fn,
                       void *arg)
{
    return net_loop_on_signal(loop, signum, fn, arg);
}

struct net_timer *
adapter_timer_new(struct net_loop *loop, adapter_timer_fn *fn, void *arg)
{
    return net_timer_new(loop, fn, arg);
}

void
adapter_timer_start(struct net_timer *t, uint64_t ms)
{
    net_timer_start(t, ms);
}

void
adapter_timer_stop(struct net_timer *t)
{
    net_timer_stop(t);
}

void
adapter_timer_free(struct net_timer *t)
{
    net_timer_free(t);
}

enum bot_err
adapter_http_listen(struct net_loop *loop, const char *listen, adapter_http_fn *fn,
                    void *arg, int *port, char **why)
{
    return net_httpd_start(loop, listen, fn, arg, port, why);
}

enum bot_err
adapter_http_call(const char *listen, const char *method, const char *path, long *status,
                  char **body, char **why)
{
    return net_httpd_call(listen, method, path, status, body, why);
}

const char *
adapter_jstr(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

unsigned
adapter_env_uint(const char *name, unsigned def, unsigned max)
{
    const char *v = getenv(name);
    char *end;
    unsigned long n;

    if (v == NULL || *v == '\0')
        return def;
    n = strtoul(v, &end, 10);
    return (*end != '\0' || n == 0 || n > max) ? def : (unsigned)n;
}

/* ---- Posting queue ---------------------------------------------------- */

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

/* Sizes the slots from the smoothed response time, within the ceiling. */
static void
outq_resize(struct outq *q)
{
    uint64_t want = OUTQ_MIN_POSTING + q->rtt / OUTQ_MS_PER_SLOT;

    q->max = want < q->limit ? (unsigned)want : q->limit;
    if (q->posting < q->max && q->head != NULL)
        net_timer_start(q->kick, 0);
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
        net_timer_start(q->kick, 0);
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
    outq_resize(q);
    if (q->head != NULL)
        net_timer_start(q->kick, 0);
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
