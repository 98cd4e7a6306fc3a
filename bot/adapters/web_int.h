/*
 * web_int.h - the pure parts of the web chat adapter, for its tests, fuzz
 * target and benchmark: the JSON protocol (web_proto.c: messages in,
 * hello, replies and errors out) and the guards (web_guard.c: Origin
 * allow-list, trusted proxies, token buckets).  The protocol itself is
 * described at the top of web_proto.c.
 */
#ifndef BOT_ADAPTERS_WEB_INT_H
#define BOT_ADAPTERS_WEB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/base/err.h"

struct adapter_org;
struct reply;

#define WEB_MAX_ID      64   /* bytes of a client's message id, and of an org id */
#define WEB_MAX_TEXT    2000 /* bytes of one question */
#define WEB_MAX_CHIPS   6    /* suggestion chips in one reply */
#define WEB_MAX_CHIP    80   /* bytes of one chip */
#define WEB_WS_PATH     "/chat/ws"
#define WEB_PAGE_PREFIX "/chat"

enum web_msg_type {
    WEB_MSG_ASK, /* {"type":"ask","id":"c1","text":"..."} */
    WEB_MSG_ORG, /* {"type":"org","org":"cwpt"} */
};

/* One client message. */
struct web_msg {
    enum web_msg_type type;
    char id[WEB_MAX_ID + 1];  /* ask: the client's id ("" when it sent none) */
    char org[WEB_MAX_ID + 1]; /* org: the org chosen */
    char *text;               /* owned: ask: the question, valid UTF-8, or NULL */
};

/*
 * Reads one text message (@len bytes, any bytes) into *m (cleaned up by
 * the caller with web_msg_cleanup(), also on error).  BOT_OK, or an error
 * with *code (static) one of "bad_utf8", "bad_json", "too_big".
 */
enum bot_err web_msg_parse(const char *buf, size_t len, struct web_msg *m,
                           const char **code);

/* Frees what *m owns and zeroes it. */
void web_msg_cleanup(struct web_msg *m);

/*
 * The hello frame (new string): @org and @name NULL when none is chosen;
 * @orgs the loaded KBs; @sugg the example questions.
 */
char *web_render_hello(const char *org, const char *name, const struct adapter_org *orgs,
                       size_t norgs, const char *const *sugg, size_t nsugg);

/*
 * A reply frame to the client's message @re (new string): @r's blocks,
 * its plain text, and chips (web_chips(); @sugg when it has none to offer
 * and the reply is a decline or help).  @kind is chat_reply.kind.
 */
char *web_render_reply(const char *re, const char *kind, const struct reply *r,
                       const char *const *sugg, size_t nsugg);

/* An error frame (new string); @retry_after 0 leaves it out. */
char *web_render_error(const char *code, const char *text, unsigned retry_after);

/*
 * The chips a reply offers (borrowed from @r or static): the choices of a
 * question it asks (a paragraph or heading ending in '?' and the list
 * items after it: "did you mean", a tour's check question), else the next
 * steps of a tour.  Returns how many (at most @max).
 */
size_t web_chips(const struct reply *r, const char *kind, const char **out, size_t max);

/*
 * Returns true when a WebSocket from @origin may connect: no Origin (not
 * a browser), the same origin as @host (the Host header), or one of the
 * comma-separated @allow ("https://intranet.example.nhs.uk"), compared
 * without case and without a trailing '/'.
 */
bool web_origin_allowed(const char *origin, const char *host, const char *allow);

/* Returns true when @addr is one of the comma-separated @list (exact IP
 * addresses, or "a.b.c.d/n" IPv4 networks; "::ffff:" mapped forms match). */
bool web_addr_in(const char *list, const char *addr);

/*
 * The client's address: the rightmost X-Forwarded-For entry when @peer is
 * one of @trusted proxies and @xff is set, else @peer.  Written to @out.
 */
void web_client_addr(const char *peer, const char *xff, const char *trusted, char *out,
                     size_t len);

/* Copies the "org" parameter of a URL query into @out ("" when absent or
 * not [A-Za-z0-9_-]{1,64}). */
void web_query_org(const char *query, char *out, size_t len);

/* A token bucket: @burst tokens, refilled at @per_min a minute. */
struct web_bucket {
    double tokens;
    uint64_t at; /* ms of the last refill; 0: full and never used */
};

/*
 * Takes one token at @now (ms).  Returns true, or false with *retry_secs
 * (out) the seconds until a token is back (at least 1).
 */
bool web_bucket_take(struct web_bucket *b, unsigned burst, unsigned per_min, uint64_t now,
                     unsigned *retry_secs);

#endif /* BOT_ADAPTERS_WEB_INT_H */
