/*
 * loop_fixture.h - what the loop tests of tests/net share: a guard timer
 * that stops a loop that runs too long, a loopback TCP listener on a port
 * the kernel picks, and one line per websocket message for a trace.
 */
#ifndef TESTS_NET_LOOP_FIXTURE_H
#define TESTS_NET_LOOP_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/base/err.h"
#include "bot/net/loop.h"
#include "bot/net/net_int.h"

static inline void
loop_guard_fired(void *arg)
{
    cr_log_error("test guard: the loop ran too long");
    net_loop_stop(arg);
}

/* Returns a started timer that stops @loop after @ms; free with net_timer_free(). */
static inline struct net_timer *
loop_guard_new(struct net_loop *loop, uint64_t ms)
{
    struct net_timer *t = net_timer_new(loop, loop_guard_fired, loop);

    net_timer_start(t, ms);
    return t;
}

/*
 * Starts @l listening on 127.0.0.1, on a port the kernel picks, calling
 * @on_connection; returns the port.
 */
static inline int
loop_listen(struct net_loop *loop, uv_tcp_t *l, int backlog,
            uv_connection_cb on_connection)
{
    struct sockaddr_in a;
    struct sockaddr_storage ss;
    int len = sizeof(ss);

    uv_tcp_init(&loop->uv, l);
    uv_ip4_addr("127.0.0.1", 0, &a);
    cr_assert_eq(uv_tcp_bind(l, (const struct sockaddr *)&a, 0), 0);
    cr_assert_eq(uv_listen((uv_stream_t *)l, backlog, on_connection), 0);
    uv_tcp_getsockname(l, (struct sockaddr *)&ss, &len);
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/*
 * Appends "T:text|" to the trace @out (@max bytes): T for a text message
 * (its first @keep bytes), B for a binary one skipped (BOT_EIGNORE), L for
 * one over the cap (BOT_ELIMIT), as ws_message_fn reports them.
 */
static inline void
loop_trace_message(char *out, size_t max, enum bot_err err, const char *buf, size_t len,
                   size_t keep)
{
    size_t used = strlen(out);

    snprintf(out + used, max - used, "%c:%.*s|",
             err == BOT_OK        ? 'T'
             : err == BOT_EIGNORE ? 'B'
             : err == BOT_ELIMIT  ? 'L'
                                  : '?',
             (int)(len > keep ? keep : len), buf ? buf : "");
}

#endif /* TESTS_NET_LOOP_FIXTURE_H */
