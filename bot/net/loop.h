/*
 * loop.h - the one event loop: libuv underneath, with libwebsockets and
 * libcurl's multi-socket interface running on it.
 *
 * Everything in bot/net runs on the thread that calls net_loop_run(), and
 * every callback it makes runs there too.  Nothing here blocks, except the
 * DNS lookup libwebsockets 4.1 makes when a websocket connects (built
 * without its async resolver); HTTP lookups are asynchronous.
 */
#ifndef BOT_NET_LOOP_H
#define BOT_NET_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "bot/base/err.h"

struct net_loop;
struct net_timer;

typedef void net_timer_fn(void *arg);
typedef void net_signal_fn(void *arg, int signum);

/*
 * Returns a new loop with its websocket and HTTP machinery ready; free with
 * net_loop_free().  Aborts through fatalx() when libwebsockets or libcurl
 * cannot start (a broken installation, not a runtime condition).
 */
struct net_loop *net_loop_new(void);

/*
 * Cancels what is still pending (HTTP callbacks do not run), closes every
 * handle, lets them finish closing and frees @loop.  Websockets and timers
 * must have been closed or freed by their owners first.  NULL is a no-op.
 */
void net_loop_free(struct net_loop *loop);

/* Runs callbacks until net_loop_stop() is called.  Loop thread only. */
void net_loop_run(struct net_loop *loop);

/* Makes net_loop_run() return after the current callback.  Loop thread only. */
void net_loop_stop(struct net_loop *loop);

/* Returns the loop's clock in milliseconds (monotonic, cached per iteration). */
uint64_t net_loop_now(struct net_loop *loop);

/*
 * Calls @fn(@arg, signum) on the loop thread whenever @signum arrives,
 * until net_loop_free().  BOT_EINVAL if the signal cannot be watched.
 */
enum bot_err net_loop_on_signal(struct net_loop *loop, int signum, net_signal_fn *fn,
                                void *arg);

/* Returns a new stopped one-shot timer calling @fn(@arg); free with net_timer_free(). */
struct net_timer *net_timer_new(struct net_loop *loop, net_timer_fn *fn, void *arg);

/* (Re)starts @t to fire once, @ms milliseconds from now. */
void net_timer_start(struct net_timer *t, uint64_t ms);

/* Stops @t; its callback will not run until it is started again. */
void net_timer_stop(struct net_timer *t);

/* Returns true while @t is started and has not fired. */
bool net_timer_is_active(const struct net_timer *t);

/* Stops @t and frees it once the loop has closed it.  NULL is a no-op. */
void net_timer_free(struct net_timer *t);

/* Returns a uniformly random 32-bit number (for jitter; not for secrets). */
uint32_t net_random(struct net_loop *loop);

#endif /* BOT_NET_LOOP_H */
