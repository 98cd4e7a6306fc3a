/*
 * bot.h - the running bot: its adapters, the dispatcher between them and
 * the conversation layer, scheduled posts, and an orderly shutdown.
 *
 * One struct bot is created by `valuesbot run` and passed down explicitly.
 * Adapters hand it events through bot_deliver() (set as adapter.deliver);
 * it answers through the adapter's send hook.
 */
#ifndef BOT_CORE_BOT_H
#define BOT_CORE_BOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/base/err.h"

struct adapter;
struct chat_event;
struct config;
struct config_platform;
struct converse;
struct kb_set;
struct net_loop;
struct store;
struct bot;

#define BOT_DRAIN_MS        5000    /* how long in-flight replies may take at shutdown */
#define BOT_TICK_MS         60000   /* how often idle tours are forgotten */
#define BOT_SCHEDULE_MAX_MS 3600000 /* longest sleep between schedule checks */

/*
 * Returns a new bot; free with bot_free().  All arguments are borrowed and
 * must outlive it: @set holds the KBs schedules post from, @cv answers, @st
 * (may be NULL) records schedule runs, @loop runs it all.
 */
struct bot *bot_new(const struct config *cfg, const struct kb_set *set,
                    struct converse *cv, struct store *st, struct net_loop *loop);

/* Destroys every adapter and frees @b; call after the loop has stopped.  NULL: no-op. */
void bot_free(struct bot *b);

/*
 * Creates an adapter of @kind named @name from @conf.  BOT_EINVAL for an
 * unknown kind, incomplete ops or a config the adapter rejects.
 */
enum bot_err bot_add_adapter(struct bot *b, const char *kind, const char *name,
                             const struct config_platform *conf);

/* Returns how many adapters were added. */
size_t bot_adapter_count(const struct bot *b);

struct config_web;

/* Adds the web chat (kind "web") with @web's settings (copied).  It serves
 * once the listener runs (bot_listen() before bot_start()). */
enum bot_err bot_add_web(struct bot *b, const struct config_web *web);

/* Connects every adapter and starts the timers (tours, schedules).  Returns
 * the first error; the others still start. */
enum bot_err bot_start(struct bot *b);

/*
 * Begins shutdown: adapters stop taking events and finish in-flight replies
 * for up to BOT_DRAIN_MS; the loop stops once all have closed.  A second
 * call stops the loop at once.
 */
void bot_stop(struct bot *b);

/* The adapter_deliver_fn: answers @ev if it should be answered. */
void bot_deliver(struct adapter *ad, const struct chat_event *ev);

/*
 * Reloads config and KBs: builds the new ones beside the old and, only when
 * all loaded, hands them over with bot_swap().  Returns false with *why
 * (out, new string) when they were refused and the old ones kept.
 */
typedef bool bot_reload_fn(void *arg, char **why);

/* Sets what bot_reload() calls. */
void bot_set_reloader(struct bot *b, bot_reload_fn *fn, void *arg);

/*
 * Reloads now (SIGHUP, POST /reload), counts the result for /metrics and
 * keeps it for /healthz.  Returns false with *why (out, new string, may be
 * NULL) when the reload was refused.
 */
bool bot_reload(struct bot *b, char **why);

/*
 * Points @b at a reloaded @cfg and @set (borrowed, as in bot_new()):
 * routes, schedules and the KBs the schedules post from.  Connections,
 * dedupe and pacing carry on.
 */
void bot_swap(struct bot *b, const struct config *cfg, const struct kb_set *set);

/*
 * Starts the health and metrics listener on @listen (host:port): GET
 * /healthz, GET /metrics, POST /reload (loopback peers only).  On BOT_OK
 * *port (out) is the port bound; otherwise *why (out, new string).
 */
enum bot_err bot_listen(struct bot *b, const char *listen, int *port, char **why);

/*
 * Writes the /healthz JSON to @out (new string) and returns true when
 * every platform is connected, the KBs are loaded and the bot is not
 * stopping (HTTP 200), false otherwise (HTTP 503).
 */
bool bot_health(const struct bot *b, char **out);

/* Writes the /metrics text to @out (new string). */
void bot_metrics(const struct bot *b, char **out);

#endif /* BOT_CORE_BOT_H */
