/*
 * adapter.h - the seam between the bot core and one chat platform.
 *
 * Each platform lives in one file or folder (slack/, mattermost/, ...) that
 * exports exactly one `const struct adapter_ops`, and posts its replies
 * through the outbox (outbox.h).  The core reaches a platform only
 * through these hooks; a platform reaches the core only through the two
 * function pointers the core puts in struct adapter (deliver, on_closed),
 * so adapters never include the core's headers beyond the event types.
 * Every hook runs on the event-loop thread and must not block.
 *
 * The loop itself (bot/net) is opaque to the core: it creates and runs it
 * through the adapter_loop_* functions below.
 */
#ifndef BOT_ADAPTERS_ADAPTER_H
#define BOT_ADAPTERS_ADAPTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/base/err.h"

struct adapter;
struct chat_event;
struct chat_reply;
struct net_loop;
struct net_timer;

/* The web chat's settings (kind "web"); see config/valuesbot.example.json. */
struct adapter_web_conf {
    const char *origins; /* borrowed: comma-separated Origin allow-list, or NULL */
    const char *trusted_proxies; /* borrowed: comma-separated proxy addresses, or NULL */
    const char *user_header; /* borrowed: SSO user header from those proxies, or NULL */
    size_t max_message;      /* bytes of one WebSocket message */
    unsigned max_conns;      /* open sockets at most */
    unsigned idle_secs;      /* a silent socket is closed after this */
    unsigned conn_burst;     /* questions a connection may ask at once ... */
    unsigned conn_per_min;   /* ... and then per minute */
    unsigned addr_burst;     /* questions one address may ask at once ... */
    unsigned addr_per_min;   /* ... and then per minute */
};

/* What an adapter is configured with; the core fills it from its config. */
struct adapter_conf {
    const char *url;                   /* borrowed: API or server base URL */
    const char *token;                 /* borrowed secret: bot token */
    const char *app_token;             /* borrowed secret: app-level token, or NULL */
    const char *ca_file;               /* borrowed: extra CA bundle, or NULL */
    const char *const *slash_commands; /* borrowed: commands answered, e.g. "/values" */
    size_t nslash;
    /* Teams only (url: OpenID metadata URL; token: app password); NULL elsewhere. */
    const char *app_id;       /* borrowed: the bot's app id */
    const char *tenant_id;    /* borrowed: the one tenant answered, or NULL */
    const char *token_url;    /* borrowed: client-credentials endpoint, or NULL */
    const char *allowed_urls; /* borrowed: comma-separated serviceUrl prefixes, or NULL */
    const struct adapter_web_conf *web; /* borrowed: the web chat's; NULL elsewhere */
};

/*
 * The core's entry point for one parsed event.  @ev stays the adapter's:
 * the core copies what it keeps.  Called after the platform-level ack.
 */
typedef void adapter_deliver_fn(struct adapter *ad, const struct chat_event *ev);

/* The adapter has finished shutting down: sockets closed, replies done. */
typedef void adapter_closed_fn(struct adapter *ad);

/*
 * Conversation references (Teams): where conversation @conv is reached (the
 * connector's @service URL, the @tenant or NULL), kept by the core in its
 * store so that scheduled posts reach it after a restart.  No content.
 * ref_get returns false when none is known, else new strings.
 */
typedef void adapter_ref_put_fn(struct adapter *ad, const char *conv, const char *service,
                                const char *tenant);
typedef bool adapter_ref_get_fn(struct adapter *ad, const char *conv, char **service,
                                char **tenant);

/* One loaded knowledge base, as the web chat offers it. */
struct adapter_org {
    const char *id;   /* borrowed: "tewv" */
    const char *name; /* borrowed: the organisation's display name */
};

/*
 * The orgs loaded now, in id order: returns how many and sets *orgs
 * (borrowed: valid until the next call or the next reload).
 */
typedef size_t adapter_orgs_fn(struct adapter *ad, const struct adapter_org **orgs);

/*
 * What an adapter counts, for /healthz and /metrics.  The adapter writes
 * these on the loop thread; the core only reads them, on the same thread.
 */
struct adapter_stats {
    uint64_t connects; /* sockets that came up (hello); all after the first reconnected */
    uint64_t posts;    /* messages posted */
    uint64_t posts_retried; /* post attempts after a failed one */
    uint64_t posts_failed;  /* replies rejected or given up on */
    uint64_t rate_limited;  /* HTTP 429 answers, to posts or any other call */
};

/* One configured connection, e.g. the Slack section of the config. */
struct adapter {
    const struct adapter_ops *ops; /* static storage, never freed */
    void *core;                    /* borrowed: the core's object, for its callbacks */
    struct net_loop *loop;         /* borrowed: outlives every adapter */
    adapter_deliver_fn *deliver;   /* set by the core before create */
    adapter_closed_fn *on_closed;  /* set by the core before create */
    adapter_ref_put_fn *ref_put;   /* set by the core before create, or NULL */
    adapter_ref_get_fn *ref_get;   /* set by the core before create, or NULL */
    adapter_orgs_fn *orgs;         /* set by the core before create, or NULL */
    char *name;                    /* owned: instance name, first word of log lines */
    void *priv;                    /* owned by ops: set in create, freed in destroy */
    struct adapter_stats stats;    /* written by the adapter, read by the core */
};

struct adapter_ops {
    const char *kind; /* "slack", "mattermost"; matches the config section */

    /* -- Mandatory: adapter_ops_check() rejects ops with any of these NULL. -- */

    /* Copies what it needs from @conf into ad->priv.  BOT_EINVAL on a bad config. */
    enum bot_err (*create)(struct adapter *ad, const struct adapter_conf *conf);

    /* Starts connecting; failures are retried inside the adapter, never fatal. */
    enum bot_err (*connect)(struct adapter *ad);

    /*
     * Turns one inbound frame into at most one event.  Returns BOT_OK and
     * fills *ev (caller cleans it up), BOT_EIGNORE for frames that carry no
     * user message, or BOT_EPARSE / BOT_ELIMIT.  *ev is zeroed on every error.
     */
    enum bot_err (*parse)(struct adapter *ad, const char *buf, size_t len,
                          struct chat_event *ev);

    /* Queues @reply; copies what it needs, so @reply stays the caller's. */
    enum bot_err (*send)(struct adapter *ad, const struct chat_reply *reply);

    /*
     * Stops taking events (closes its sockets), lets queued replies finish
     * for at most @grace_ms, then calls ad->on_closed(ad) exactly once.
     */
    void (*shutdown)(struct adapter *ad, uint64_t grace_ms);

    /* Frees ad->priv.  Called exactly once, after on_closed or before connect. */
    void (*destroy)(struct adapter *ad);

    /* -- Optional: NULL selects the default stated on each line. -- */

    /* Longest message the platform accepts, in bytes.  NULL: no limit. */
    size_t (*max_message_len)(const struct adapter *ad);

    /*
     * Returns true while events can arrive (a socket is up and said hello);
     * otherwise writes what is wrong to @why (@len bytes).  NULL: always true.
     */
    bool (*connected)(const struct adapter *ad, char *why, size_t len);
};

/* Returns the compiled-in ops for @kind, or NULL.  Borrowed, static. */
const struct adapter_ops *adapter_ops_find(const char *kind);

/* Returns the @i-th compiled-in ops (from 0), or NULL past the last one. */
const struct adapter_ops *adapter_ops_at(size_t i);

/* Returns BOT_EINVAL when a mandatory hook of @ops is NULL. */
enum bot_err adapter_ops_check(const struct adapter_ops *ops);

typedef void adapter_signal_fn(void *arg, int signum);
typedef void adapter_timer_fn(void *arg);

/* Returns a new event loop (bot/net); free with adapter_loop_free(). */
struct net_loop *adapter_loop_new(void);

/* Frees @loop after every adapter has closed.  NULL is a no-op. */
void adapter_loop_free(struct net_loop *loop);

/* Runs @loop until adapter_loop_stop(). */
void adapter_loop_run(struct net_loop *loop);

/* Makes adapter_loop_run() return. */
void adapter_loop_stop(struct net_loop *loop);

/* Calls @fn(@arg, signum) on the loop thread when @signum arrives. */
enum bot_err adapter_loop_on_signal(struct net_loop *loop, int signum,
                                    adapter_signal_fn *fn, void *arg);

/* Returns a new stopped one-shot timer on @loop calling @fn(@arg); free with
 * adapter_timer_free(). */
struct net_timer *adapter_timer_new(struct net_loop *loop, adapter_timer_fn *fn,
                                    void *arg);

/* (Re)starts @t to fire once, @ms milliseconds from now. */
void adapter_timer_start(struct net_timer *t, uint64_t ms);

/* Stops @t; it does not fire until started again. */
void adapter_timer_stop(struct net_timer *t);

/* Stops and frees @t (once the loop has closed it).  NULL is a no-op. */
void adapter_timer_free(struct net_timer *t);

/*
 * Answers one HTTP request to the listener: see net_httpd_fn in
 * bot/net/httpd.h.  Returns the status; *body (malloc'd, or NULL) is taken.
 */
typedef int adapter_http_fn(void *arg, const char *method, const char *path,
                            bool loopback, const char **content_type, char **body,
                            size_t *len);

/*
 * Starts the loop's HTTP listener on @listen ("host:port"; port 0 picks one)
 * and stores the port bound in *port.  BOT_EINVAL or BOT_ENET with *why
 * (out, new string).  It stops with the loop.
 */
enum bot_err adapter_http_listen(struct net_loop *loop, const char *listen,
                                 adapter_http_fn *fn, void *arg, int *port, char **why);

/* Blocking request to the listener configured as @listen: see net_httpd_call(). */
enum bot_err adapter_http_call(const char *listen, const char *method, const char *path,
                               long *status, char **body, char **why);

#endif /* BOT_ADAPTERS_ADAPTER_H */
