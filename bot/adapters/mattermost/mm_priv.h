/*
 * mm_priv.h - what the Mattermost adapter's files share: its state, its
 * posts, the catch-up's state and the functions one file calls in another.
 * Only bot/adapters/mattermost/ includes it.
 */
#ifndef BOT_ADAPTERS_MATTERMOST_MM_PRIV_H
#define BOT_ADAPTERS_MATTERMOST_MM_PRIV_H

#include "bot/adapters/adapter_int.h"
#include "bot/adapters/jsonpick.h"
#include "bot/adapters/jsonw.h"
#include "bot/adapters/mattermost/mattermost_int.h"
#include "bot/adapters/textpool.h"
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <jansson.h>
#include "bot/base/log.h"
#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/chat_event.h"
#include "bot/net/backoff.h"
#include "bot/net/http.h"
#include "bot/net/loop.h"
#include "bot/net/url.h"
#include "bot/net/ws.h"

#define MM_CONFIRM_TIMEOUT_MS 15000  /* hello, an event or a ping reply by then */
#define MM_POST_DEADLINE_MS   120000 /* give up on a reply after this long */
#define MM_MAX_POSTING                                                                   \
    32                      /* replies with a request open at once (see                  \
                               SLACK_MAX_POSTING), fewer when the server's               \
                               rate limit has fewer requests left */
#define MM_PING_SECS  30    /* application-level ping, as the webapp */
#define MM_HEALTHY_MS 60000 /* a socket up this long resets the backoff */
#define MM_CHECK_SECS 300   /* users/me again: is the account unchanged? */
#define MM_ROOT_ERROR "api.post.create_post.root_id.app_error"
/* The REST catch-up after a loss the server could not replay: caps so that a
 * long outage in a busy server cannot flood it, or us. */
#define MM_SYNC_TEAMS    64                /* teams listed */
#define MM_SYNC_CHANNELS 500               /* channels read */
#define MM_SYNC_PER_PAGE 100               /* posts per page */
#define MM_SYNC_PAGES    20                /* pages per channel */
#define MM_SYNC_POSTS    10000             /* posts read in all */
#define MM_SYNC_MAX_BODY (8 * 1024 * 1024) /* one answer */
#define MM_SYNC_RETRIES  8                 /* failed requests tried again */
#define MM_SYNC_SLACK_MS 60000             /* read back this far before the last frame */
/* users/me again after a session that worked went invalid: soon, since an
 * account switched off and on again (or a token renewed) is the usual cause. */
#define MM_REAUTH_MIN_MS 1000
#define MM_REAUTH_MAX_MS 15000

struct mm;

/*
 * A reply being posted.  It waits for a request slot in the outbox as its
 * Markdown, not as a request: the JSON body is made as each part starts.
 * A burst of questions waits here by the thousand, so a waiting reply is one
 * allocation, the post followed by its event id, channel (or DM user) and
 * thread root in @text, and its Markdown, shared with every other reply of
 * the same text (mm->texts); what only a post being sent needs (its parts,
 * its pending_post_id, a DM's channel) is made when its first request is.
 */
struct mm_post {
    struct outbox_post ob; /* first: the outbox posts it, part by part */
    char *channel;         /* in text; or, for a DM, owned once the DM's id is known
                              (NULL until then) */
    char *dm_user;         /* in text: post in this user's DM with us, or NULL */
    char *root_id;         /* in text: thread root, "" at channel level */
    const char *message;   /* in mm->texts: the Markdown, the whole reply; NULL once
                              split */
    char **parts;          /* owned: message split into posts, once known */
    char *pending;         /* owned: pending_post_id, the same on every attempt */
    size_t pending_part;   /* the part @pending was made for */
    char text[];           /* the strings above that are "in text" */
};

/* A channel to read in the catch-up. */
struct mm_chan {
    char id[MM_MAX_ID + 1];
    char team[MM_MAX_ID + 1]; /* "" for DMs and group channels */
    char ctype[2];            /* "O", "P", "D", "G" or "" */
};

/*
 * The REST catch-up: one request at a time, teams, then their channels
 * (DM and group channels come with every team's list), then each channel
 * with posts since @since, page by page, newest first.
 */
struct mm_sync {
    struct http_call *call;       /* in flight, or NULL */
    long long since;              /* server clock, ms: posts after this are read */
    long long again;              /* another loss meanwhile: run again from this, or 0 */
    char (*teams)[MM_MAX_ID + 1]; /* owned array of nteams; "" for none */
    size_t nteams, team;
    struct mm_chan *chans; /* owned array of nchans */
    size_t nchans, chan;
    unsigned page;
    json_t *found;       /* owned: the channel's posts since, across pages */
    size_t posts, asked; /* read, and questions for us among them */
    unsigned retries;    /* requests tried again so far */
    bool listed;         /* users/me/teams was asked */
    bool capped;         /* a cap was hit (logged once) */
};

enum mm_state { MM_IDLE, MM_AUTHING, MM_RUN, MM_STOPPING, MM_CLOSED };

struct mm {
    struct adapter *ad;
    enum mm_state state;
    char *api;       /* owned: server URL without a trailing '/' */
    char *posts_url; /* owned: api + "/api/v4/posts", the URL of every reply */
    char *ws_url;    /* owned: ws(s)://.../api/v4/websocket */
    char *auth;      /* owned secret: "Bearer ..." */
    char *ca_file;   /* owned or NULL */
    char *self_id;   /* owned: from users/me */
    char *self_name;
    struct outbox outbox;   /* the replies being posted */
    struct textpool *texts; /* owned: their Markdown, each text once */
    struct http_call *me_call;
    struct http_call *check_call; /* the periodic users/me, or NULL */
    struct net_timer *check_timer;
    long long me_update_at; /* users/me update_at, ms; 0 unknown */
    unsigned check_secs;
    struct net_timer *retry_timer, *ping_timer, *confirm_timer;
    struct net_timer *sync_timer; /* the catch-up's next request, when delayed */
    struct backoff bo, bo_slow;
    struct backoff bo_auth; /* users/me after a lost session (MM_REAUTH_*) */
    /* The one websocket. */
    struct ws_conn *ws; /* NULL while none is open or opening */
    unsigned sock_id;   /* for log lines */
    bool closing;       /* we asked it to close */
    bool confirmed;     /* it delivered a hello, an event or a ping reply */
    bool upgraded;      /* its upgrade succeeded (on_ws_open) */
    bool resumed;       /* it was opened with connection_id + sequence_number */
    bool resyncing;     /* a gap was found; the socket is being replaced */
    uint64_t opened_at; /* loop ms when the socket opened */
    char *conn_id;      /* owned: the server's id for our event stream, or NULL */
    struct mm_seqstate seq;
    long long req_seq;      /* our last request seq on this socket */
    long long ping_pending; /* seq of the unanswered ping, 0 for none */
    unsigned ping_secs;
    struct mm_sync *sync;  /* owned: the REST catch-up running, or NULL */
    long long last_rx;     /* wall clock, ms, of the last frame received */
    uint64_t frame_us;     /* clock_now_us() when the frame being read arrived */
    long long last_valid;  /* wall clock, ms: the session last proved valid (an
                              event, a hello or an OK reply); 0 never */
    bool session_lost;     /* the session went invalid (401, refused token, account
                              changed): the next socket starts fresh and the REST
                              catch-up covers the gap from last_valid */
    long long server_skew; /* the server's clock minus ours, ms (ping replies) */
    unsigned long long post_counter;
    size_t max_runes;              /* per post: ours, or the server's if fewer */
    struct http_call *config_call; /* GET /config/client, or NULL */
    char problem[160];             /* why it is not connected, for /healthz */
};

/* mm_parse.c: an id the server makes (26 characters); a frame read
 * (BOT_OK for any JSON object: the caller judges an envelope without event or
 * seq_reply); the event of a frame or of one post (the catch-up reads posts
 * over REST). */
bool mm_id_ok(const char *s);
enum bot_err mm_frame_read(const char *buf, size_t len, struct mm_frame *f);
enum bot_err mm_event_from_frame(const char *self_id, const char *self_name,
                                 const struct mm_frame *f, struct chat_event *ev);
enum bot_err mm_event_from_post(const char *self_id, const char *self_name,
                                const json_t *post, const char *ctype, const char *team,
                                const char *mentions, struct chat_event *ev);

/* The members of a post read (mm_parse.c's mm_parse_post_slots, with
 * props' from_bot and from_webhook in mm_parse_props_slots): each one's span
 * at its index. */
enum {
    MM_P_ID,
    MM_P_USER_ID,
    MM_P_CHANNEL_ID,
    MM_P_ROOT_ID,
    MM_P_TYPE,
    MM_P_MESSAGE,
    MM_P_FROM_BOT,
    MM_P_FROM_WEBHOOK,
    MM_P_DELETE_AT,
    MM_P_N
};
extern const struct jsonpick_slot mm_parse_post_slots[];
extern const struct jsonpick_slot mm_parse_props_slots[];

/*
 * One post's event from its members' spans @v (MM_P_N, strings decoded and
 * NUL-terminated): BOT_OK fills @ev; BOT_EIGNORE for our own, bots',
 * webhooks', system or deleted posts and channel posts not for us;
 * BOT_EPARSE for a bad id or no message.  @ctype, @team and @mentions are
 * the event's data.channel_type, data.team_id and data.mentions, or NULL.
 */
enum bot_err mm_parse_event_from_spans(const char *self_id, const char *self_name,
                                       const struct jsonpick_span *v, const char *ctype,
                                       const char *team, const char *mentions,
                                       struct chat_event *ev);

/*
 * A `posted` frame @buf (@len bytes) read in one pass (mm_posted.c): the
 * frame as strictly as mm_frame_read(), the post (JSON inside the string
 * data.post) as strictly as mm_event_from_frame(), neither decoded first.
 * Returns what mm_event_from_frame() would (BOT_OK with @ev filled,
 * BOT_EIGNORE, BOT_EPARSE), *@seq the frame's seq (-1: none); BOT_EAGAIN
 * for a frame it leaves to the reading in steps: not a posted event, or
 * anything unusual (an escape outside the post's strings, \u0000, a key with
 * an escape or twice, invalid text).  Our own post, as it comes back, is
 * BOT_EIGNORE with *@own set when mm_frame_glance() would drop it (with
 * that seq), read no further; else BOT_EAGAIN.
 */
enum bot_err mm_posted_read(const char *self_id, const char *self_name, const char *buf,
                            size_t len, long long *seq, bool *own, struct chat_event *ev);

/* mm_glance.c: the seq of a frame as mm_frame_glance() reads it (from the
 * end, or by a walk of the top level); false when it cannot. */
bool mm_glance_seq(const char *buf, size_t len, long long *seq);

/* mm_reply.c: the send hook, the outbox's hooks, and the server's rate limit
 * as any answer states it (it holds posts and the catch-up alike). */
enum bot_err mattermost_send(struct adapter *ad, const struct chat_reply *reply);
extern const struct outbox_ops mm_outbox_ops;
void mm_note_ratelimit(struct mm *mm, const struct http_response *resp, long retry_ms);

/* mm_sync.c: the wall clock in ms; the REST catch-up from @since (server
 * clock, ms), its timer, and its end. */
long long mm_epoch_ms(void);
void mm_catch_up(struct mm *mm, long long since);
void mm_on_sync_timer(void *arg);
void mm_sync_free(struct mm *mm);

/* mm_conn.c: closes when stopping with no socket and no reply left; marks
 * the session lost (@why names the call that found it) and checks it again. */
void mm_check_closed(struct mm *mm);
void mm_reauth(struct mm *mm, const char *why);
/* mm_conn.c: the next connection step after @ms; closes the socket on purpose
 * (the next one opens on its close); opens the socket once authenticated. */
void mm_conn_retry_in(struct mm *mm, uint64_t ms);
void mm_conn_replace(struct mm *mm, const char *why);
void mm_conn_open_socket(struct mm *mm);

/* mm_account.c: users/me (connecting, and again after a rejected token); the
 * delay before it; the timer that reads it again to notice a changed account. */
void mm_account_users_me(struct mm *mm);
uint64_t mm_account_auth_delay(struct mm *mm);
void mm_account_on_check_timer(void *arg);

#endif /* BOT_ADAPTERS_MATTERMOST_MM_PRIV_H */
