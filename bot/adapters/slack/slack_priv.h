/*
 * slack_priv.h - what the Slack adapter's files share: its state, its
 * sockets, its posts and the functions one file calls in another.  Only
 * bot/adapters/slack/ includes it.
 */
#ifndef BOT_ADAPTERS_SLACK_SLACK_PRIV_H
#define BOT_ADAPTERS_SLACK_SLACK_PRIV_H

#include "bot/adapters/adapter_int.h"
#include "bot/adapters/jsonpick.h"
#include "bot/adapters/jsonw.h"
#include "bot/adapters/slack/slack_int.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "bot/base/log.h"
#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/chat_event.h"
#include "bot/net/backoff.h"
#include "bot/net/http.h"
#include "bot/net/loop.h"
#include "bot/net/ws.h"

#define SLACK_HELLO_TIMEOUT_MS 15000
#define SLACK_POST_DEADLINE_MS 60000 /* give up on a reply after this long */
/*
 * Replies with a chat.postMessage open at once, at most; how many below that
 * follows Slack's response time and the replies waiting (outq in outbox.h).  Slack
 * answers a post in 0.1 to 0.3 s, so a burst drains at this many per answer time
 * (Little's law): 32 is 100-300 posts a second, past what Slack takes from one
 * workspace, and one HTTP/2 connection carries them all (net/http.c; over
 * HTTP/1.1, a connection each).  Slack sets no limit on requests in flight;
 * its limits are per channel (paced by the core) and answered with 429s.
 */
#define SLACK_MAX_POSTING  32
#define SLACK_RATELIMIT_MS 30000 /* apps.connections.open 429 without Retry-After */
#define SLACK_QUIESCE_MS   200   /* at shutdown: ack frames in flight, then close */

struct slack;

struct slack_sock {
    struct slack *sl;
    struct ws_conn *ws;            /* NULL once closed */
    struct net_timer *hello_timer; /* owned */
    struct slack_sock *next;
    unsigned id;   /* for log lines */
    bool hello;    /* Slack said hello: events flow */
    bool retiring; /* we closed it on purpose */
    bool doomed;   /* Slack announced its end: a replacement is due */
};

/* Where a reply's messages go: what message_json() needs beside the text. */
struct slack_dest {
    const char *channel; /* chat.postMessage: a channel, or a user id for the app's
                            DM with them; NULL for a response_url */
    const char *thread;  /* thread_ts to reply in, or NULL */
    bool in_channel;     /* response_url: seen by the whole channel, not only the asker */
};

/*
 * A reply being posted.  It waits as the platform-neutral reply (a few
 * hundred bytes), not as JSON: Block Kit repeats the text in its blocks
 * and its fallback, and a burst of a thousand replies waiting for an HTTP
 * slot held 2 MB of it.
 */
struct slack_post {
    struct outbox_post ob; /* first: the outbox posts it, part by part */
    char *url;             /* owned: the response_url, or NULL: chat.postMessage */
    char *channel;         /* slack_dest.channel, in body.blocks' allocation */
    char *thread;          /* slack_dest.thread, in body.blocks' allocation */
    bool in_channel;       /* slack_dest.in_channel */
    struct reply body;     /* what to say: one allocation at body.blocks holding its
                              strings and channel and thread (pack_post()); a message's
                              JSON is made as it starts */
    size_t *msg; /* owned: which of the rendered messages is each part, in order */
    bool lazy;   /* every message is a part (msg NULL), counted as the first starts */
    bool response_url;
    struct slack_pending *acking; /* the ack carrying our first message, or NULL */
};

/* An event parsed and acked, waiting for the ack to be written before the core sees it.
 */
struct slack_pending {
    struct slack *sl;
    struct slack_pending *prev, *next;
    struct chat_event ev;    /* owned */
    struct slack_post *post; /* borrowed: continues an answer sent in the ack, or NULL */
};

/* A slash command being answered in its ack: what slack_send() left for it. */
struct slack_capture {
    const char *event_id;    /* borrowed: the command's event */
    json_t *payload;         /* owned: the ack's payload, or NULL */
    struct slack_post *post; /* borrowed: the rest, sent once the ack is out */
};

enum slack_state { SLACK_IDLE, SLACK_AUTH, SLACK_RUN, SLACK_STOPPING, SLACK_CLOSED };

struct slack {
    struct adapter *ad;
    enum slack_state state;
    char *api_url;             /* owned, ends in '/' */
    char *post_url;            /* owned: api_url + "chat.postMessage" */
    char *app_auth, *bot_auth; /* owned secrets: "Bearer xapp-..." / "Bearer xoxb-..." */
    char *ca_file;             /* owned or NULL */
    char **slash;              /* owned: accepted commands */
    size_t nslash;
    char *self_user, *self_bot; /* owned: from auth.test */
    struct slack_sock *socks;   /* owned list */
    unsigned next_sock_id;
    struct http_call *auth_call, *open_call;
    struct net_timer *retry_timer, *refresh_timer;
    struct net_timer *quiesce_timer; /* owned: shutdown's quiet spell */
    bool quiesced;                   /* the sockets are being closed */
    struct backoff bo, bo_hard, bo_slow;
    struct outbox outbox;          /* the replies being posted */
    struct slack_pending *pending; /* owned list */
    struct slack_capture *capture; /* borrowed: set during answer_in_ack() only */
    unsigned ping_secs, hangup_secs;
    char problem[160]; /* why it is not connected, for /healthz */
};

/* The members of a frame the adapter reads (slack_parse.c), by index in
 * struct slack_frame's spans. */
enum {
    SLACK_F_TYPE,
    SLACK_F_ENVELOPE_ID,
    SLACK_F_REASON,
    SLACK_F_RETRY_ATTEMPT,
    SLACK_F_NUM_CONNECTIONS,
    SLACK_F_ACCEPTS_PAYLOAD,
    SLACK_F_APPROX_SECS, /* debug_info.approximate_connection_time */
    SLACK_F_EVENT,       /* payload.event: its type only ('o' an object) */
    SLACK_F_EVENT_ID,    /* payload.event_id, and the payload's members after it */
    SLACK_F_TEAM_ID,
    SLACK_F_COMMAND,
    SLACK_F_CMD_TEXT,
    SLACK_F_CHANNEL_ID,
    SLACK_F_USER_ID,
    SLACK_F_RESPONSE_URL,
    SLACK_F_TRIGGER_ID,
    SLACK_F_E_TYPE, /* payload.event.type, and the event's members after it */
    SLACK_F_E_TEXT,
    SLACK_F_E_USER,
    SLACK_F_E_CHANNEL,
    SLACK_F_E_TS,
    SLACK_F_E_THREAD_TS,
    SLACK_F_E_CHANNEL_TYPE,
    SLACK_F_E_BOT_ID,
    SLACK_F_E_BOT_PROFILE,
    SLACK_F_E_SUBTYPE,
    SLACK_F_E_TEAM,
    SLACK_F_N
};

/*
 * A frame read: each member the adapter reads as a span (jsonpick.h), its
 * strings decoded and NUL-terminated.  The rest of the frame (blocks,
 * authorisations, context) is checked but not kept, and no JSON tree is
 * made unless the picker leaves the frame to jansson.
 */
struct slack_frame {
    struct jsonpick_span v[SLACK_F_N];
    char *store;  /* owned: the strings of @v, when the picker read the frame */
    json_t *root; /* owned: jansson's tree, when it read the frame; @v's strings in it */
};

/* slack_parse.c: a frame read (BOT_ELIMIT over SLACK_MAX_FRAME, BOT_EPARSE
 * when it is not a JSON object; slack_frame_cleanup() it either way), its
 * envelope, and its event (BOT_EIGNORE with *why for frames not answered). */
enum bot_err slack_frame_read(const char *buf, size_t len, struct slack_frame *f);
void slack_frame_cleanup(struct slack_frame *f);
const char *slack_frame_str(const struct slack_frame *f, int field);
enum bot_err slack_envelope_from_frame(const struct slack_frame *f,
                                       struct slack_envelope *env);
enum bot_err slack_event_from_frame(struct slack *sl, const struct slack_frame *f,
                                    struct chat_event *ev, const char **why);

/* slack_reply.c: the send hook, the outbox's hooks, a Web API method's URL. */
enum bot_err slack_send(struct adapter *ad, const struct chat_reply *reply);
extern const struct outbox_ops slack_outbox_ops;
char *slack_method_url(const struct slack *sl, const char *method);

/* slack_conn.c: closes when stopping, quiet and with no reply left; the
 * end of shutdown's quiet spell (closes the sockets). */
void slack_check_closed(struct slack *sl);
void slack_on_quiesced(void *arg);

#endif /* BOT_ADAPTERS_SLACK_SLACK_PRIV_H */
