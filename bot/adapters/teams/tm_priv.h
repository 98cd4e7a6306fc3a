/*
 * tm_priv.h - what the Teams adapter's files share: its state, its posts
 * and the functions one file calls in another.  Only bot/adapters/teams/
 * includes it.
 */
#ifndef BOT_ADAPTERS_TEAMS_TM_PRIV_H
#define BOT_ADAPTERS_TEAMS_TM_PRIV_H

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <jansson.h>
#include "bot/adapters/adapter.h"
#include "bot/adapters/adapter_int.h"
#include "bot/adapters/teams/teams_int.h"
#include "bot/base/buf.h"
#include "bot/base/log.h"
#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/chat_event.h"
#include "bot/net/backoff.h"
#include "bot/net/http.h"
#include "bot/net/httpd.h"
#include "bot/net/jwt.h"
#include "bot/net/loop.h"

#define TEAMS_MAX_POSTING   8      /* connector requests open at once */
#define TEAMS_POST_DEADLINE 120000 /* ms a reply may keep trying */
#define TEAMS_MAX_5XX       3      /* ambiguous failures retried at most */
#define TEAMS_MAX_HELD      1024   /* requests waiting for signing keys */
#define TEAMS_MAX_REFS      4096   /* conversations remembered */
#define TEAMS_KEYS_SECS     86400  /* key refresh */
#define TEAMS_KID_FLOOR_MS  5000   /* refreshes on an unknown kid, at most one per */
#define TEAMS_TOKEN_EARLY   300    /* s before expiry a token is renewed */
#define TEAMS_API_PATH      "/api/messages"

/* A POST waiting for the signing keys. */
struct tm_held {
    struct tm_held *next;
    struct net_httpd_req *req;
    char *auth; /* owned secret */
    char *body; /* owned */
    size_t len;
};

/* Where a conversation is reached: the latest serviceUrl seen in it. */
struct tm_ref {
    char *conv;    /* owned: conversation id without ;messageid */
    char *service; /* owned */
    char *tenant;  /* owned, or NULL */
};

struct teams;

struct tm_post {
    struct outbox_post ob; /* first: the outbox posts it */
    char *service;         /* owned: serviceUrl */
    char *conv;            /* owned: conversation to post in, NULL until created (dm) */
    char *reply_to;        /* owned: activity id, or NULL */
    char *dm_user;         /* owned: create a 1:1 conversation with this user first */
    char *tenant;          /* owned, or NULL */
    struct reply body;     /* owned */
    unsigned ambiguous;    /* failures after which it may have landed */
    bool reauthed;
};

enum tm_state { TM_IDLE, TM_RUN, TM_STOPPING, TM_CLOSED };

struct teams {
    struct adapter *ad;
    enum tm_state state;
    char *app_id, *bot_id; /* owned: "<guid>", "28:<guid>" */
    char *password;        /* owned secret */
    char *tenant;          /* owned or NULL */
    char *openid_url, *token_url, *allowed, *ca_file;
    /* Signing keys. */
    struct jwt_keyset *keys;
    struct http_call *keys_call;
    bool keys_jwks;      /* keys_call is the JWKS (else the metadata) */
    uint64_t keys_tried; /* loop ms of the last fetch started */
    unsigned keys_secs, kid_floor_ms;
    struct net_timer *keys_timer;
    struct tm_held *held, **held_tail; /* oldest first */
    size_t nheld;
    /* The bot's own token. */
    char *access; /* owned secret: "Bearer ..." */
    uint64_t access_until;
    struct http_call *token_call;
    uint64_t token_retry_at;
    struct backoff token_bo;
    /* Replies. */
    struct outbox outbox; /* the replies being posted */
    /* The activity being delivered, for its reply. */
    const char *cur_event, *cur_service, *cur_conv, *cur_id, *cur_tenant;
    bool cur_personal;
    struct tm_ref *refs;
    size_t nrefs;
    bool routed;
    char problem[160];
};

/* teams_parse.c: an activity's event (and its kind); its tenant id, or NULL. */
enum bot_err tm_activity_from_json(const char *bot_id, const json_t *root,
                                   struct chat_event *ev, enum teams_kind *kind);
const char *tm_tenant_of(const json_t *root);

/* teams_format.c: appends @s to @b percent-encoded for a URL path. */
void tm_pct(struct buf *b, const char *s);

/* teams_reply.c: the send hook, the outbox's hooks, where a conversation is
 * reached (@keep: store it for scheduled posts), the connector token. */
enum bot_err teams_send(struct adapter *ad, const struct chat_reply *reply);
extern const struct outbox_ops teams_outbox_ops;
void tm_ref_note(struct teams *tm, const char *conv, const char *service,
                 const char *tenant, bool keep);
void tm_token_fetch(struct teams *tm);

/* teams_conn.c: closes when stopping with no reply left. */
void tm_check_closed(struct teams *tm);

#endif /* BOT_ADAPTERS_TEAMS_TM_PRIV_H */
