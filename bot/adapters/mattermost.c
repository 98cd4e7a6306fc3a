/*
 * mattermost.c - Mattermost over its WebSocket API (events in) and REST v4
 * (replies out).
 *
 * The life of the connection (protocols.md §2): GET /api/v4/users/me for
 * our own id and name; a websocket to /api/v4/websocket authenticated by
 * the Authorization header of the upgrade, which is what lets a reconnect
 * name its connection_id and sequence_number and have the server replay
 * what it missed from its 128-event dead queue.  The server counts events
 * per connection (seq, from 0 with hello); a gap makes us resume from the
 * first missing seq, and a fresh hello after a resume (the server could
 * not replay) is logged as possible loss and caught up over REST: every
 * channel we are in that had posts since shortly before the last frame, page
 * by page, within caps.  An application-level ping runs
 * beside the websocket pings; an unanswered one replaces the socket, so a
 * half-open connection never leaves the bot deaf.  Drops reconnect with
 * jittered exponential backoff; a rejected token is reported and retried
 * slowly.  One socket at a time: the next opens only once the last closed.
 *
 * Replies are POST /api/v4/posts in the thread of the question (root_id is
 * the thread's root), split into several posts, sent one after the other,
 * when longer than the server's MaxPostSize, delayed by the core's
 * per-channel pacing and held while the server's rate limit is spent, retried
 * after 429 (Retry-After or X-Ratelimit-Reset), 5xx and transport errors
 * until a deadline, and posted at channel level when the server refuses
 * the root.  Each carries a pending_post_id, which the server uses to
 * de-duplicate a create that is retried after it succeeded unseen.
 */
#include "bot/adapters/adapter_int.h"
#include "bot/adapters/mattermost_int.h"

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
 */
struct mm_post {
    struct outbox_post ob; /* first: the outbox posts it, part by part */
    char *channel;         /* owned, or NULL until the DM with @dm_user is known */
    char *dm_user;         /* owned: post in this user's DM with us, or NULL */
    char *root_id;         /* owned: thread root, "" at channel level */
    char *message;         /* owned Markdown, the whole reply, until split */
    char **parts;          /* owned: message split into posts, once known */
    char *pending;         /* owned: pending_post_id, the same on every attempt */
    size_t pending_part;   /* the part @pending was made for */
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
    char *api;     /* owned: server URL without a trailing '/' */
    char *ws_url;  /* owned: ws(s)://.../api/v4/websocket */
    char *auth;    /* owned secret: "Bearer ..." */
    char *ca_file; /* owned or NULL */
    char *self_id; /* owned: from users/me */
    char *self_name;
    struct outbox outbox; /* the replies being posted */
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

/* ---- Parsing ---------------------------------------------------------- */

/* Mattermost ids are 26 base32 characters; anything else is refused before it
 * reaches a URL, a log line or a config lookup. */
static bool
id_ok(const char *s)
{
    size_t n = 0;

    if (s == NULL || *s == '\0')
        return false;
    for (; s[n]; n++) {
        if (n >= MM_MAX_ID ||
            !(isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '-'))
            return false;
    }
    return true;
}

void
mm_frame_cleanup(struct mm_frame *f)
{
    free(f->event);
    free(f->connection_id);
    free(f->status);
    memset(f, 0, sizeof(*f));
    f->seq = f->seq_reply = -1;
}

static long long
jseq(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return -1;
    return (long long)json_integer_value(v);
}

static json_t *
load_object(const char *buf, size_t len, size_t max, size_t flags, enum bot_err *err)
{
    json_t *root;

    if (len > max) {
        *err = BOT_ELIMIT;
        return NULL;
    }
    root = json_loadb(buf, len, flags, NULL);
    if (root == NULL || !json_is_object(root)) {
        json_decref(root);
        *err = BOT_EPARSE;
        return NULL;
    }
    *err = BOT_OK;
    return root;
}

static enum bot_err
frame_from_json(const json_t *root, struct mm_frame *f)
{
    const char *event = adapter_jstr(root, "event");

    f->seq = jseq(root, "seq");
    f->seq_reply = jseq(root, "seq_reply");
    if (event == NULL && f->seq_reply < 0)
        return BOT_EPARSE;
    f->event = xstrdup_or_null(event);
    f->status = xstrdup_or_null(adapter_jstr(root, "status"));
    if (event != NULL && strcmp(event, "hello") == 0) {
        const char *cid = adapter_jstr(json_object_get(root, "data"), "connection_id");

        if (id_ok(cid))
            f->connection_id = xstrdup(cid);
    }
    return BOT_OK;
}

enum bot_err
mm_frame_parse(const char *buf, size_t len, struct mm_frame *f)
{
    enum bot_err err;
    json_t *root;

    memset(f, 0, sizeof(*f));
    f->seq = f->seq_reply = -1;
    if ((root = load_object(buf, len, MM_MAX_FRAME, JSON_REJECT_DUPLICATES, &err)) ==
        NULL)
        return err;
    err = frame_from_json(root, f);
    json_decref(root);
    if (err != BOT_OK)
        mm_frame_cleanup(f);
    return err;
}

static bool
name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* Length of the mention of @name at @p ("@name", any case), or 0. */
static size_t
mention_at(const char *start, const char *p, const char *name)
{
    size_t n = strlen(name);

    if (*p != '@' || n == 0 || strncasecmp(p + 1, name, n) != 0)
        return 0;
    if (p > start && (name_char(p[-1]) || p[-1] == '.'))
        return 0; /* part of a word or an address: not a mention */
    if (name_char(p[1 + n]) || (p[1 + n] == '.' && name_char(p[2 + n])))
        return 0; /* a longer user name */
    return n + 1;
}

bool
mm_text_mentions(const char *text, const char *name)
{
    if (text == NULL || name == NULL || *name == '\0')
        return false;
    for (const char *p = strchr(text, '@'); p != NULL; p = strchr(p + 1, '@')) {
        if (mention_at(text, p, name) > 0)
            return true;
    }
    return false;
}

static bool
space_or_lead(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':' ||
           c == ';';
}

char *
mm_text_clean(const char *text, size_t len, const char *name)
{
    struct buf b;
    char *nul_free = xmalloc(len + 1), *out;
    const char *p, *start, *end;

    /* Mattermost accepts NUL in a message; our strings end at one. */
    for (size_t i = 0; i < len; i++)
        nul_free[i] = text[i] == '\0' ? ' ' : text[i];
    nul_free[len] = '\0';
    buf_init(&b, len + 1);
    for (p = nul_free; *p;) {
        size_t m = name != NULL ? mention_at(nul_free, p, name) : 0;

        if (m > 0)
            p += m;
        else
            (void)buf_add(&b, p++, 1);
    }
    start = buf_str(&b);
    while (space_or_lead(*start))
        start++;
    end = start + strlen(start);
    while (end > start &&
           (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        end--;
    out = xstrndup(start, (size_t)(end - start));
    buf_cleanup(&b);
    free(nul_free);
    return out;
}

/* True when data.mentions, a JSON string holding a list of user ids, has @id. */
static bool
mentions_has(const char *mentions, const char *id)
{
    json_t *list;
    size_t i;
    json_t *v;
    bool found = false;

    if (mentions == NULL || id == NULL || strlen(mentions) > MM_MAX_POST)
        return false;
    list = json_loads(mentions, 0, NULL);
    json_array_foreach(list, i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), id) == 0)
            found = true;
    }
    json_decref(list);
    return found;
}

static bool
prop_true(const json_t *props, const char *key)
{
    const json_t *v = json_object_get(props, key);
    const char *s = json_string_value(v);

    return json_is_true(v) || (s != NULL && strcmp(s, "true") == 0);
}

/*
 * One post object (from data.post or from REST) to an event.  @ctype and
 * @team come from the event's data or from what we know of the channel;
 * @mentions is data.mentions or NULL.
 */
static enum bot_err
event_from_post(const char *self_id, const char *self_name, const json_t *post,
                const char *ctype, const char *team, const char *mentions,
                struct chat_event *ev)
{
    const char *id = adapter_jstr(post, "id"), *user = adapter_jstr(post, "user_id");
    const char *channel = adapter_jstr(post, "channel_id"),
               *root_id = adapter_jstr(post, "root_id");
    const char *type = adapter_jstr(post, "type"),
               *message = adapter_jstr(post, "message");
    const json_t *props = json_object_get(post, "props");
    const json_t *del = json_object_get(post, "delete_at");
    bool dm, mentioned;

    if (!id_ok(id) || !id_ok(user) || !id_ok(channel) || message == NULL ||
        (root_id != NULL && *root_id != '\0' && !id_ok(root_id)))
        return BOT_EPARSE;
    /* Our own posts come back to us; answering them would loop. */
    if (self_id != NULL && strcmp(user, self_id) == 0)
        return BOT_EIGNORE;
    /* System messages (joins, header changes), bots and webhooks: never. */
    if ((type != NULL && *type != '\0') || prop_true(props, "from_bot") ||
        prop_true(props, "from_webhook") ||
        (json_is_integer(del) && json_integer_value(del) > 0))
        return BOT_EIGNORE;
    dm = ctype != NULL && strcmp(ctype, "D") == 0;
    mentioned = mentions_has(mentions, self_id) || mm_text_mentions(message, self_name);
    if (!dm && !mentioned)
        return BOT_EIGNORE;
    ev->platform = xstrdup("mattermost");
    ev->workspace = team != NULL && id_ok(team) ? xstrdup(team) : NULL;
    ev->channel = xstrdup(channel);
    ev->user = xstrdup(user);
    ev->text = mm_text_clean(
        message, json_string_length(json_object_get(post, "message")), self_name);
    ev->msg_id = xstrdup(id);
    ev->event_id = xasprintf("mm:%s", id);
    /* The reply goes in the thread: its root, or the post that starts one.
     * A DM is answered in the DM, in a thread only when asked in one. */
    if (root_id != NULL && *root_id != '\0')
        ev->thread = xstrdup(root_id);
    else if (!dm)
        ev->thread = xstrdup(id);
    ev->is_dm = dm;
    return BOT_OK;
}

static enum bot_err
event_from_posted(const char *self_id, const char *self_name, const json_t *root,
                  struct chat_event *ev)
{
    const json_t *data = json_object_get(root, "data");
    const char *post_str = adapter_jstr(data, "post");
    json_t *post;
    enum bot_err err;

    if (!json_is_object(data) || post_str == NULL)
        return BOT_EPARSE;
    /* data.post is JSON inside a JSON string: parse it a second time. */
    post = load_object(post_str, json_string_length(json_object_get(data, "post")),
                       MM_MAX_POST, JSON_ALLOW_NUL, &err);
    if (post == NULL)
        return err;
    err = event_from_post(self_id, self_name, post, adapter_jstr(data, "channel_type"),
                          adapter_jstr(data, "team_id"), adapter_jstr(data, "mentions"),
                          ev);
    json_decref(post);
    return err;
}

static enum bot_err
event_from_json(const char *self_id, const char *self_name, const json_t *root,
                struct chat_event *ev)
{
    const char *event = adapter_jstr(root, "event");

    if (event == NULL)
        return json_object_get(root, "seq_reply") != NULL ? BOT_EIGNORE : BOT_EPARSE;
    /* post_edited and the rest carry no new question. */
    if (strcmp(event, "posted") != 0)
        return BOT_EIGNORE;
    return event_from_posted(self_id, self_name, root, ev);
}

enum bot_err
mm_event_parse(const char *self_id, const char *self_name, const char *buf, size_t len,
               struct chat_event *ev)
{
    enum bot_err err;
    json_t *root;

    memset(ev, 0, sizeof(*ev));
    if ((root = load_object(buf, len, MM_MAX_FRAME, JSON_REJECT_DUPLICATES, &err)) ==
        NULL)
        return err;
    err = event_from_json(self_id, self_name, root, ev);
    json_decref(root);
    if (err != BOT_OK)
        chat_event_cleanup(ev);
    return err;
}

enum bot_err
mattermost_parse(struct adapter *ad, const char *buf, size_t len, struct chat_event *ev)
{
    const struct mm *mm = ad->priv;

    return mm_event_parse(mm ? mm->self_id : NULL, mm ? mm->self_name : NULL, buf, len,
                          ev);
}

enum mm_seq
mm_seq_check(struct mm_seqstate *s, long long seq)
{
    if (s->expect < 0 || seq == s->expect) {
        s->expect = seq + 1;
        s->skipped = 0;
        return MM_SEQ_OK;
    }
    if (seq < s->expect)
        return MM_SEQ_OLD;
    if (seq - s->expect <= (long long)s->skipped) {
        /* The frames we could not read (too big, binary) were these events. */
        s->expect = seq + 1;
        s->skipped = 0;
        return MM_SEQ_SKIP;
    }
    return MM_SEQ_GAP;
}

/* ---- Formatting ------------------------------------------------------- */

static bool
special_mention(const char *p, size_t *n)
{
    static const char *const all[] = {"channel", "all", "here"};

    for (size_t i = 0; i < 3; i++) {
        size_t k = strlen(all[i]);

        /* "@channel_" and "@here-" count too: clients strip trailing '_', '-'
         * and '.' from a name that matches no user. */
        if (strncasecmp(p + 1, all[i], k) == 0 && !isalnum((unsigned char)p[1 + k])) {
            *n = k + 1;
            return true;
        }
    }
    return false;
}

void
mm_escape(struct buf *b, const char *s)
{
    bool line_start = true;

    for (const char *p = s; *p; p++) {
        size_t n;

        if (line_start) {
            const char *d = p;

            /* Block markup only counts at the start of a line. */
            if (strchr("#+-=", *p) != NULL) { /* ">" is escaped everywhere */
                (void)buf_add(b, "\\", 1);
            } else if (isdigit((unsigned char)*p)) {
                while (isdigit((unsigned char)*d))
                    d++;
                if (*d == '.' || *d == ')') {
                    (void)buf_add(b, p, (size_t)(d - p));
                    (void)buf_add(b, "\\", 1);
                    p = d;
                }
            }
        }
        line_start = *p == '\n' || (line_start && (*p == ' ' || *p == '\t'));
        if (*p == '@' && special_mention(p, &n)) {
            /* In a code span it is text: nobody is notified. */
            (void)buf_add(b, "`", 1);
            (void)buf_add(b, p, n);
            (void)buf_add(b, "`", 1);
            p += n - 1;
        } else if (strchr("\\`*~[]<>|", *p) != NULL) {
            (void)buf_add(b, "\\", 1);
            (void)buf_add(b, p, 1);
        } else if (*p == '_' && !(p > s && isalnum((unsigned char)p[-1]) &&
                                  isalnum((unsigned char)p[1]))) {
            (void)buf_adds(b, "\\_"); /* snake_case inside a word stays as it is */
        } else {
            (void)buf_add(b, p, 1);
        }
    }
}

static void
format_block(struct buf *b, const struct reply_block *bl)
{
    switch (bl->kind) {
    case REPLY_HEADING:
        (void)buf_adds(b, "**");
        mm_escape(b, bl->text);
        (void)buf_adds(b, "**");
        return;
    case REPLY_ITEM:
        (void)buf_adds(b, "- ");
        break;
    case REPLY_SUBITEM:
        (void)buf_adds(b, "  - ");
        break;
    case REPLY_QUOTE:
        (void)buf_adds(b, "> ");
        for (const char *p = bl->text; *p;) {
            const char *nl = strchr(p, '\n');
            char *line = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));

            mm_escape(b, line);
            free(line);
            if (nl == NULL)
                break;
            p = nl + 1;
            if (*p)
                (void)buf_adds(b, "\n> ");
        }
        return;
    case REPLY_SOURCE:
        (void)buf_adds(b, "*");
        mm_escape(b, bl->text);
        (void)buf_adds(b, "*");
        return;
    case REPLY_PARA:
        break;
    }
    if (bl->label != NULL) {
        (void)buf_adds(b, "**");
        mm_escape(b, bl->label);
        (void)buf_adds(b, bl->text[0] ? "**: " : "**");
    }
    mm_escape(b, bl->text);
}

char *
mm_format(const struct reply *r, size_t max)
{
    static const char cut[] = "\n…";
    struct buf b;
    size_t keep, bs;

    buf_init(&b, SIZE_MAX / 2);
    for (size_t i = 0; i < r->n; i++) {
        enum reply_kind k = r->blocks[i].kind, prev = i ? r->blocks[i - 1].kind : k;
        bool list = k == REPLY_ITEM || k == REPLY_SUBITEM;

        if (i > 0)
            (void)buf_adds(&b, list && (prev == REPLY_ITEM || prev == REPLY_SUBITEM)
                                   ? "\n"
                                   : "\n\n");
        format_block(&b, &r->blocks[i]);
    }
    if (b.len <= max)
        return buf_take(&b);
    /* Too long: cut at a line end that leaves room for the ellipsis, never
     * inside a UTF-8 sequence or after a lone escaping backslash. */
    keep = max > sizeof(cut) ? max - sizeof(cut) : 0;
    while (keep > 0 && b.data[keep] != '\n')
        keep--;
    if (keep == 0) {
        keep = max > sizeof(cut) ? max - sizeof(cut) : 0;
        while (keep > 0 && ((unsigned char)b.data[keep] & 0xC0) == 0x80)
            keep--;
    }
    for (bs = 0; bs < keep && b.data[keep - 1 - bs] == '\\'; bs++)
        ;
    if (bs % 2 == 1)
        keep--;
    b.len = keep;
    b.data[keep] = '\0';
    (void)buf_adds(&b, cut);
    return buf_take(&b);
}

/* ---- Splitting long replies ------------------------------------------- */

/* Where a part may end, worked out once for the whole text. */
struct mm_cuts {
    const char *text;
    size_t len;
    size_t *runes; /* runes[i]: runes in text[0, i) */
    bool *nobreak; /* never cut before byte i */
    long *fence;   /* byte i is inside the fenced block opened on the line at
                      fence[i] (which a cut closes and reopens), or -1 */
};

static size_t
line_end(const char *s, size_t len, size_t p)
{
    const char *nl = memchr(s + p, '\n', len - p);

    return nl != NULL ? (size_t)(nl - s) : len;
}

/* Length of a fence run (``` or ~~~, at most 3 spaces in) starting the line
 * at @p, 0 when there is none; *ch (out) is its character. */
static size_t
fence_run(const char *s, size_t len, size_t p, char *ch)
{
    size_t i = p, n = 0;

    while (i < len && i - p < 3 && s[i] == ' ')
        i++;
    if (i >= len || (s[i] != '`' && s[i] != '~'))
        return 0;
    *ch = s[i];
    while (i + n < len && s[i + n] == *ch)
        n++;
    return n >= 3 ? n : 0;
}

/* True when the line at @p closes a fence of @n x @ch: a run at least as
 * long, then only spaces. */
static bool
fence_closes(const char *s, size_t len, size_t p, char ch, size_t n)
{
    char c;
    size_t run = fence_run(s, len, p, &c), e = line_end(s, len, p);
    size_t i = p;

    if (run < n || c != ch)
        return false;
    while (s[i] == ' ')
        i++;
    for (i += run; i < e; i++) {
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    }
    return true;
}

/* The end of the code span whose opening run of @n backticks ends at @p: the
 * position after a closing run of exactly @n, searched up to the end of the
 * paragraph; 0 when there is none (the backticks are then literal). */
static size_t
span_end(const char *s, size_t len, size_t p, size_t n)
{
    for (size_t q = p; q < len; q++) {
        size_t k = 0;

        if (s[q] == '\n' && q + 1 < len && s[q + 1] == '\n')
            return 0;
        if (s[q] != '`')
            continue;
        while (q + k < len && s[q + k] == '`')
            k++;
        if (k == n)
            return q + k;
        q += k - 1;
    }
    return 0;
}

static void
cuts_init(struct mm_cuts *c, const char *text, size_t max)
{
    size_t len = strlen(text), p = 0, r = 0;
    bool in_fence = false;
    long opener = -1; /* -1 too inside a fence whose line is too long to repeat */
    char fch = 0;
    size_t flen = 0;

    c->text = text;
    c->len = len;
    c->runes = xcalloc(len + 1, sizeof(*c->runes));
    c->nobreak = xcalloc(len + 1, sizeof(*c->nobreak));
    c->fence = xcalloc(len + 1, sizeof(*c->fence));
    for (size_t i = 0; i <= len; i++) {
        c->runes[i] = r;
        c->fence[i] = -1;
        if (i < len && ((unsigned char)text[i] & 0xC0) != 0x80)
            r++;
        else if (i < len)
            c->nobreak[i] = true; /* inside a UTF-8 sequence */
    }
    while (p < len) {
        size_t e = line_end(text, len, p);

        if (p == 0 || text[p - 1] == '\n') {
            if (in_fence && fence_closes(text, len, p, fch, flen)) {
                for (size_t i = p; i <= e; i++)
                    c->nobreak[i] = true;
                in_fence = false;
                p = e + 1;
                continue;
            }
            if (in_fence) {
                for (size_t i = p; i <= e; i++)
                    c->fence[i] = opener;
                p = e + 1;
                continue;
            }
            if ((flen = fence_run(text, len, p, &fch)) > 0) {
                /* The opening line is repeated at the head of the next part
                 * when a cut falls inside the block: only if it is short. */
                in_fence = true;
                opener = c->runes[e] - c->runes[p] + flen + 2 <= max / 4 ? (long)p : -1;
                for (size_t i = p + 1; i <= e + 1 && i <= len; i++)
                    c->nobreak[i] = true;
                p = e + 1;
                continue;
            }
        }
        if (text[p] == '\\' && p + 1 < len && ispunct((unsigned char)text[p + 1])) {
            c->nobreak[p + 1] = true; /* keep the escape with what it escapes */
            p += 2;
        } else if (text[p] == '`') {
            size_t n = 0, end;

            while (p + n < len && text[p + n] == '`')
                n++;
            end = span_end(text, len, p + n, n);
            for (size_t i = p + 1; i < end; i++)
                c->nobreak[i] = true;
            p = end > 0 ? end : p + n;
        } else {
            p++;
        }
    }
}

static void
cuts_cleanup(struct mm_cuts *c)
{
    free(c->runes);
    free(c->nobreak);
    free(c->fence);
}

/* The fence run that opened the block at @opener, and its length. */
static size_t
opener_run(const struct mm_cuts *c, long opener, char *ch)
{
    return fence_run(c->text, c->len, (size_t)opener, ch);
}

/* Runes needed to close the fence at @opener at the end of a part. */
static size_t
closer_runes(const struct mm_cuts *c, long opener)
{
    char ch;

    return opener < 0 ? 0 : opener_run(c, opener, &ch) + 1;
}

/* Runes of the opening line repeated at the head of a part starting at @i. */
static size_t
reopen_runes(const struct mm_cuts *c, size_t i)
{
    long o = c->fence[i];

    if (o < 0)
        return 0;
    return c->runes[line_end(c->text, c->len, (size_t)o)] - c->runes[o] + 1;
}

enum cut_kind { CUT_PARA, CUT_LINE, CUT_SPACE, CUT_ANY };

static bool
cut_ok(const struct mm_cuts *c, size_t start, size_t i, size_t max, enum cut_kind k)
{
    const char *s = c->text;

    if (c->nobreak[i] || c->runes[i] - c->runes[start] + reopen_runes(c, start) +
                                 closer_runes(c, c->fence[i]) >
                             max)
        return false;
    switch (k) {
    case CUT_PARA:
        return i >= 2 && s[i - 1] == '\n' && s[i - 2] == '\n' && c->fence[i] < 0;
    case CUT_LINE:
        return s[i - 1] == '\n';
    case CUT_SPACE:
        return s[i - 1] == ' ';
    case CUT_ANY:
        return true;
    }
    return false;
}

/* Where the part that starts at @start ends (> @start). */
static size_t
cut_find(const struct mm_cuts *c, size_t start, size_t max)
{
    size_t hi = start, room = max - reopen_runes(c, start), mid;

    while (hi < c->len && c->runes[hi + 1] - c->runes[start] <= room)
        hi++;
    /* Prefer the best kind of cut in the second half of the part, then the
     * best anywhere; a part shorter than half is better than a cut word. */
    mid = start + (hi - start) / 2;
    for (int pass = 0; pass < 2; pass++) {
        for (enum cut_kind k = CUT_PARA; k <= CUT_ANY; k++) {
            for (size_t i = hi; i > (pass == 0 ? mid : start); i--) {
                if (cut_ok(c, start, i, max, k))
                    return i;
            }
        }
    }
    /* Inside one code span longer than a post: cut it, at a character. */
    room -= max / 4;
    for (hi = start + 1; hi < c->len && c->runes[hi + 1] - c->runes[start] <= room;)
        hi++;
    while (hi > start + 1 && ((unsigned char)c->text[hi] & 0xC0) == 0x80)
        hi--;
    return hi;
}

static void
trim_right(struct buf *b)
{
    while (b->len > 0 && strchr(" \t\r\n", b->data[b->len - 1]) != NULL)
        b->len--;
    if (b->data != NULL)
        b->data[b->len] = '\0';
}

size_t
mm_split(const char *text, size_t max, char ***parts)
{
    struct mm_cuts c;
    struct buf b;
    size_t n = 0, start = 0;

    if (max < MM_MIN_RUNES)
        max = MM_MIN_RUNES;
    *parts = NULL;
    cuts_init(&c, text, max);
    buf_init(&b, SIZE_MAX / 2);
    while (start < c.len) {
        size_t end;
        long o;

        while (start < c.len && c.fence[start] < 0 &&
               (text[start] == '\n' || text[start] == '\r'))
            start++;
        if (start >= c.len)
            break;
        end = c.runes[c.len] - c.runes[start] + reopen_runes(&c, start) <= max
                  ? c.len
                  : cut_find(&c, start, max);
        buf_reset(&b);
        if ((o = c.fence[start]) >= 0) /* the block goes on: open it again */
            (void)buf_add(&b, text + o, line_end(text, c.len, (size_t)o) - (size_t)o + 1);
        (void)buf_add(&b, text + start, end - start);
        trim_right(&b);
        if (end < c.len && (o = c.fence[end]) >= 0) { /* and close it here */
            char ch;
            size_t k = opener_run(&c, o, &ch);

            (void)buf_adds(&b, "\n");
            for (size_t i = 0; i < k; i++)
                (void)buf_add(&b, &ch, 1);
        }
        if (b.len > 0) {
            *parts = xreallocarray(*parts, n + 1, sizeof(**parts));
            (*parts)[n++] = buf_take(&b);
        }
        start = end;
    }
    buf_cleanup(&b);
    cuts_cleanup(&c);
    return n;
}

/* ---- Posting ---------------------------------------------------------- */

/* X-Ratelimit-Reset in ms from now: the source sends seconds from now, the
 * docs an epoch time; 1 s when absent or past, 600 s at most. */
static long
reset_ms(long reset, long long now_epoch)
{
    long ms = -1;

    if (reset >= 1000000000L)
        ms = reset > now_epoch ? (long)(reset - now_epoch) * 1000 : 0;
    else if (reset >= 0)
        ms = reset * 1000;
    if (ms <= 0)
        ms = 1000;
    return ms > 600000 ? 600000 : ms;
}

long
mm_ratelimit_hold(long remaining, long reset, long long now_epoch)
{
    return remaining == 0 ? reset_ms(reset, now_epoch) : 0;
}

enum mm_outcome
mm_outcome(const struct http_response *resp, long long now_epoch, long *retry_ms,
           char *error, size_t errlen)
{
    json_t *root;
    const char *id;
    enum mm_outcome out;

    *retry_ms = 0;
    if (resp->err != BOT_OK) {
        snprintf(error, errlen, "%s",
                 resp->error ? resp->error : bot_strerror(resp->err));
        return MM_RETRY;
    }
    if (resp->status >= 200 && resp->status <= 299) {
        snprintf(error, errlen, "HTTP %ld", resp->status);
        return MM_POSTED;
    }
    if (resp->status == 429) {
        /* The body is plain text ("limit exceeded"), not an AppError. */
        *retry_ms = resp->retry_after > 0 ? resp->retry_after * 1000
                                          : reset_ms(resp->ratelimit_reset, now_epoch);
        if (*retry_ms > 600000)
            *retry_ms = 600000;
        snprintf(error, errlen, "rate limited (HTTP 429)");
        return MM_RETRY;
    }
    if (resp->status >= 500) {
        snprintf(error, errlen, "HTTP %ld", resp->status);
        return MM_RETRY;
    }
    root = json_loadb(resp->body, resp->len, 0, NULL);
    id = adapter_jstr(root, "id");
    snprintf(error, errlen, "HTTP %ld %.100s", resp->status, id ? id : "");
    if (resp->status == 401)
        out = MM_AUTH;
    else if (resp->status == 400 && id != NULL && strcmp(id, MM_ROOT_ERROR) == 0)
        out = MM_BAD_ROOT;
    else
        out = MM_FAILED;
    json_decref(root);
    return out;
}

static char *new_pending(struct mm *mm);
static void check_closed(struct mm *mm);
static void reauth(struct mm *mm, const char *why);

static void
post_cleanup(struct outbox_post *op)
{
    struct mm_post *p = (struct mm_post *)op;

    free(p->channel);
    free(p->dm_user);
    free(p->root_id);
    free(p->message);
    if (p->parts != NULL) {
        for (size_t i = 0; i < p->ob.nparts; i++)
            free(p->parts[i]);
    }
    free(p->parts);
    free(p->pending);
}

/* The server's rate limit: an empty bucket (Remaining 0, or a 429 after
 * @retry_ms) holds every post until it refills, rather than running into
 * 429s one post after another. */
static void
note_ratelimit(struct mm *mm, const struct http_response *resp, long retry_ms)
{
    long ms;

    if (resp->err != BOT_OK)
        return;
    ms = resp->status == 429
             ? retry_ms
             : mm_ratelimit_hold(resp->ratelimit_remaining, resp->ratelimit_reset,
                                 (long long)time(NULL));
    /* A server that limits requests (RateLimitSettings, 10 a second with a
     * burst of 100 by default) says how many are left: no more posts open
     * at once than that, so a burst does not run into 429s. */
    if (resp->status != 429 && resp->ratelimit_remaining >= 0)
        outbox_set_limit(&mm->outbox, resp->ratelimit_remaining < MM_MAX_POSTING
                                          ? (unsigned)resp->ratelimit_remaining
                                          : MM_MAX_POSTING);
    if (ms > 0)
        outbox_hold(&mm->outbox, (uint64_t)ms);
}

/* The answer to POST /channels/direct: the DM channel's id, or a failure. */
static enum outbox_verdict
dm_classify(struct mm_post *p, const struct http_response *resp, char *error, size_t len)
{
    json_t *root = json_loadb(resp->body, resp->len, 0, NULL);
    const char *id = adapter_jstr(root, "id");
    enum outbox_verdict v = OUTBOX_GIVE_UP;

    if (id_ok(id)) {
        p->channel = xstrdup(id);
        v = OUTBOX_AGAIN;
    } else {
        snprintf(error, len, "no DM channel id in the answer");
    }
    json_decref(root);
    return v;
}

static enum outbox_verdict
post_classify(struct outbox_post *op, const struct http_response *resp, long *retry_ms,
              char *error, size_t len)
{
    struct mm_post *p = (struct mm_post *)op;
    struct mm *mm = op->ob->owner;
    enum mm_outcome out;

    out = mm_outcome(resp, (long long)time(NULL), retry_ms, error, len);
    note_ratelimit(mm, resp, *retry_ms);
    switch (out) {
    case MM_POSTED:
        if (p->channel == NULL) /* the DM step */
            return dm_classify(p, resp, error, len);
        return OUTBOX_DONE;
    case MM_FAILED:
        return OUTBOX_GIVE_UP;
    case MM_BAD_ROOT:
        if (p->root_id[0] == '\0')
            return OUTBOX_GIVE_UP;
        /* The root was deleted, or the id named a reply: answer in the channel. */
        log_warnx("%s: event=%s thread root refused (%s); replying at channel level",
                  mm->ad->name, op->event_id, error);
        p->root_id[0] = '\0';
        return OUTBOX_AGAIN;
    case MM_AUTH:
        *retry_ms = (long)outbox_backoff_next(op) * 4;
        return OUTBOX_REAUTH;
    case MM_RETRY:
        break;
    }
    return OUTBOX_RETRY;
}

static void
post_reauth(struct outbox *ob)
{
    reauth(ob->owner, "POST /api/v4/posts");
}

/* The webapp's form, "user:time"; the counter keeps two posts apart. */
static char *
new_pending(struct mm *mm)
{
    return xasprintf("%s:%lld%06llu", mm->self_id ? mm->self_id : "valuesbot",
                     (long long)time(NULL), ++mm->post_counter % 1000000);
}

/*
 * Splits p->message into posts the server takes, now that its MaxPostSize
 * is likely known.  Returns false when there is nothing to post.
 */
static bool
post_split(struct mm_post *p)
{
    struct mm *mm = p->ob.ob->owner;
    size_t n = mm_split(p->message, mm->max_runes, &p->parts);

    free(p->message); /* the parts hold the text now */
    p->message = NULL;
    p->ob.nparts = n;
    if (n == 0)
        return false;
    if (n > MM_MAX_PARTS) {
        log_warnx("%s: event=%s reply of %zu posts cut to %d", mm->ad->name,
                  p->ob.event_id, n, MM_MAX_PARTS);
        while (p->ob.nparts > MM_MAX_PARTS)
            free(p->parts[--p->ob.nparts]);
    }
    if (p->ob.nparts > 1)
        log_info("%s: event=%s long reply: %zu posts of at most %zu characters",
                 mm->ad->name, p->ob.event_id, p->ob.nparts, mm->max_runes);
    return true;
}

/* The body of @p's current part, made as its request starts (http.h body_fn). */
static char *
post_body(void *arg, size_t *len)
{
    struct mm_post *p = arg; /* its outbox_post first */
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "channel_id", p->channel, "message",
                          p->parts[p->ob.part], "root_id", p->root_id, "pending_post_id",
                          p->pending);
    char *body = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;

    json_decref(o);
    if (body == NULL) { /* cannot happen: mattermost_send() checked the text */
        log_warnx("%s: event=%s: a reply could not be made into JSON", p->ob.ob->ad->name,
                  p->ob.event_id);
        body = xstrdup("{}"); /* refused by the server, and logged as such */
    }
    *len = strlen(body);
    return body;
}

/* The request of @op's current part, or of finding its DM first. */
static enum outbox_go
post_prepare(struct outbox_post *op, struct outbox_req *req, uint64_t *wait_ms, char *why,
             size_t len)
{
    struct mm_post *p = (struct mm_post *)op;
    struct mm *mm = op->ob->owner;

    req->http.auth = mm->auth;
    req->http.content_type = "application/json";
    req->http.ca_file = mm->ca_file;
    if (p->channel == NULL) {
        if (mm->self_id == NULL) { /* not authenticated yet: wait */
            *wait_ms = 1000;
            return OUTBOX_WAIT;
        }
        /* POST /channels/direct: the DM between us and p->dm_user (made if new). */
        req->own_url = xasprintf("%s/api/v4/channels/direct", mm->api);
        req->own_body = xasprintf("[\"%s\",\"%s\"]", mm->self_id, p->dm_user);
        req->http.url = req->own_url;
        req->http.body = req->own_body;
        req->http.body_len = strlen(req->own_body);
        return OUTBOX_POST;
    }
    if (p->parts == NULL && !post_split(p)) {
        snprintf(why, len, "empty");
        return OUTBOX_DROP;
    }
    if (p->pending == NULL || p->pending_part != op->part) {
        free(p->pending); /* the same id on every attempt at one part */
        p->pending = new_pending(mm);
        p->pending_part = op->part;
    }
    req->own_url = xasprintf("%s/api/v4/posts", mm->api);
    req->http.url = req->own_url;
    req->http.body_fn = post_body;
    return OUTBOX_POST;
}

static void
post_drained(struct outbox *ob, bool timed_out)
{
    (void)timed_out;
    check_closed(ob->owner);
}

static const struct outbox_ops mm_outbox_ops = {
    .prepare = post_prepare,
    .classify = post_classify,
    .cleanup = post_cleanup,
    .reauth = post_reauth,
    .drained = post_drained,
};

static enum bot_err
mattermost_send(struct adapter *ad, const struct chat_reply *reply)
{
    struct mm *mm = ad->priv;
    struct mm_post *p;
    char *text;

    if (reply->dm_user != NULL ? !id_ok(reply->dm_user) : !id_ok(reply->channel))
        return BOT_EINVAL;
    if (reply->thread != NULL && !id_ok(reply->thread))
        return BOT_EINVAL;
    text = mm_format(&reply->body, SIZE_MAX); /* split into posts when sent */
    if (text[strspn(text, " \t\r\n")] == '\0') {
        free(text); /* the server refuses an empty message */
        return BOT_EINVAL;
    }
    if (!utf8_is_valid(text, strlen(text), NULL)) {
        log_warnx("%s: event=%s reply dropped: not valid UTF-8", ad->name,
                  reply->event_id ? reply->event_id : "-");
        free(text);
        return BOT_EINVAL;
    }
    p = xcalloc(1, sizeof(*p));
    /* A tour goes to the person's DM; a digest to the channel itself. */
    if (reply->dm_user != NULL)
        p->dm_user = xstrdup(reply->dm_user);
    else
        p->channel = xstrdup(reply->channel);
    p->root_id = xstrdup(
        reply->thread && !reply->in_channel && !reply->dm_user ? reply->thread : "");
    p->message = text;
    p->pending = new_pending(mm);
    outbox_add(&mm->outbox, &p->ob, reply->event_id, 1, reply->delay_ms);
    return BOT_OK;
}

/* ---- The connection --------------------------------------------------- */

static void open_socket(struct mm *mm);
static void users_me(struct mm *mm);
static void client_config(struct mm *mm);

/* Schedules the next connection step after @ms, replacing any earlier one. */
static void
retry_in(struct mm *mm, uint64_t ms)
{
    if (mm->state == MM_STOPPING || mm->state == MM_CLOSED)
        return;
    log_info("%s: next connection attempt in %llu ms", mm->ad->name,
             (unsigned long long)ms);
    net_timer_start(mm->retry_timer, ms);
}

static void
on_retry(void *arg)
{
    struct mm *mm = arg;

    if (mm->state == MM_AUTHING && mm->me_call == NULL && mm->ws == NULL)
        users_me(mm);
    else if (mm->state == MM_RUN && mm->ws == NULL)
        open_socket(mm);
}

/* Closes the socket on purpose; on_ws_close then opens the next one. */
static void
replace(struct mm *mm, const char *why)
{
    if (mm->ws == NULL || mm->closing)
        return;
    log_info("%s: socket %u: %s; replacing it", mm->ad->name, mm->sock_id, why);
    mm->closing = true;
    net_timer_stop(mm->ping_timer);
    net_timer_stop(mm->confirm_timer);
    ws_close(mm->ws);
}

/*
 * The delay before the next users/me: soon after a session that worked went
 * invalid, slowly for a token that never worked.
 */
static uint64_t
auth_delay(struct mm *mm)
{
    return backoff_next(mm->session_lost ? &mm->bo_auth : &mm->bo_slow,
                        net_random(mm->ad->loop));
}

/*
 * The server refused our token: back to users/me, which is asked again soon
 * (auth_delay).  Whatever the socket was sent while its session was invalid
 * was never queued for it, so a resume would look lossless and miss it: the
 * session counts as lost and the next socket catches up over REST (on_hello).
 */
static void
reauth(struct mm *mm, const char *why)
{
    if (mm->state != MM_RUN)
        return;
    log_warnx("%s: %s: token rejected (HTTP 401); checking it again with users/me",
              mm->ad->name, why);
    mm->state = MM_AUTHING;
    mm->session_lost = true;
    if (mm->ws != NULL)
        replace(mm, "session no longer valid");
    else
        retry_in(mm, auth_delay(mm));
}

static void
confirm(struct mm *mm)
{
    if (mm->confirmed)
        return;
    mm->confirmed = true;
    net_timer_stop(mm->confirm_timer);
    backoff_reset(&mm->bo_slow);
}

static void
send_request(struct mm *mm, const char *action, long long *seq_out)
{
    char frame[96];
    enum bot_err err;

    snprintf(frame, sizeof(frame), "{\"action\":\"%s\",\"seq\":%lld}", action,
             ++mm->req_seq);
    if ((err = ws_send(mm->ws, frame, strlen(frame))) != BOT_OK) {
        log_warnx("%s: socket %u: %s request not sent: %s", mm->ad->name, mm->sock_id,
                  action, bot_strerror(err));
        return;
    }
    if (seq_out != NULL)
        *seq_out = mm->req_seq;
}

static void
on_ping_timer(void *arg)
{
    struct mm *mm = arg;
    char why[80];

    if (mm->ws == NULL || mm->closing)
        return;
    if (mm->ping_pending != 0) {
        snprintf(why, sizeof(why), "no answer to our ping within %u s (half-open?)",
                 mm->ping_secs);
        log_warnx("%s: socket %u: %s", mm->ad->name, mm->sock_id, why);
        replace(mm, "quiet socket");
        return;
    }
    send_request(mm, "ping", &mm->ping_pending);
    net_timer_start(mm->ping_timer, (uint64_t)mm->ping_secs * 1000);
}

static void
on_confirm_timeout(void *arg)
{
    struct mm *mm = arg;

    log_warnx("%s: socket %u: no hello, event or ping reply within %d s; reconnecting",
              mm->ad->name, mm->sock_id, MM_CONFIRM_TIMEOUT_MS / 1000);
    replace(mm, "never confirmed");
}

static void
on_ws_open(struct ws_conn *conn, void *arg)
{
    struct mm *mm = arg;

    (void)conn;
    log_debug("%s: socket %u open", mm->ad->name, mm->sock_id);
    mm->opened_at = net_loop_now(mm->ad->loop);
    mm->upgraded = true;
    /* A resume with nothing to replay sends nothing: a ping proves it live. */
    if (mm->resumed)
        send_request(mm, "ping", &mm->ping_pending);
    net_timer_start(mm->ping_timer, (uint64_t)mm->ping_secs * 1000);
}

static long long
epoch_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sync_free(struct mm *mm)
{
    struct mm_sync *sy = mm->sync;

    if (sy == NULL)
        return;
    if (sy->call != NULL)
        http_cancel(sy->call);
    net_timer_stop(mm->sync_timer);
    free(sy->teams);
    free(sy->chans);
    json_decref(sy->found);
    free(sy);
    mm->sync = NULL;
}

static void
sync_cap(struct mm *mm, const char *what, size_t cap)
{
    if (!mm->sync->capped)
        log_warnx("%s: catch-up: more than %zu %s; the rest is not read", mm->ad->name,
                  cap, what);
    mm->sync->capped = true;
}

static void sync_step(struct mm *mm);
static void catch_up(struct mm *mm, long long since);

/* Starts one GET of the catch-up; on failure the step is skipped. */
static void
sync_get(struct mm *mm, char *url, http_done_fn *done)
{
    struct http_request req = {
        .method = "GET",
        .url = url,
        .auth = mm->auth,
        .ca_file = mm->ca_file,
        .timeout_ms = 30000,
        .max_response = MM_SYNC_MAX_BODY,
    };

    if (http_request(mm->ad->loop, &req, done, mm, &mm->sync->call) != BOT_OK) {
        log_warnx("%s: catch-up abandoned: bad server URL", mm->ad->name);
        sync_free(mm);
        check_closed(mm);
    }
    free(url);
}

/*
 * A 429, a 5xx or a network failure: the same request again later (after
 * the rate limit's reset, if that is why), at most MM_SYNC_RETRIES times in
 * one catch-up.  Returns true then; the caller leaves its state as it is.
 */
static bool
sync_retry(struct mm *mm, const struct http_response *resp, bool teams)
{
    struct mm_sync *sy = mm->sync;
    uint64_t now = net_loop_now(mm->ad->loop), delay;

    sy->call = NULL;
    note_ratelimit(mm, resp, resp->retry_after > 0 ? resp->retry_after * 1000 : 1000);
    if (!(resp->err == BOT_ENET ||
          (resp->err == BOT_OK && (resp->status == 429 || resp->status >= 500))) ||
        sy->retries >= MM_SYNC_RETRIES)
        return false;
    if (resp->err == BOT_OK && resp->status == 429)
        mm->ad->stats.rate_limited++;
    sy->retries++;
    if (teams)
        sy->listed = false;
    delay = mm->outbox.hold_until > now ? mm->outbox.hold_until - now
                                        : 1000 * (uint64_t)sy->retries;
    log_warnx("%s: catch-up: request failed (%s); again in %llu ms", mm->ad->name,
              resp->err != BOT_OK ? bot_strerror(resp->err) : "HTTP error",
              (unsigned long long)delay);
    net_timer_start(mm->sync_timer, delay);
    return true;
}

static void
on_sync_timer(void *arg)
{
    struct mm *mm = arg;

    if (mm->sync != NULL && mm->sync->call == NULL)
        sync_step(mm);
}

/* The answer as JSON, or NULL (logged) when the request failed. */
static json_t *
sync_answer(struct mm *mm, const struct http_response *resp, const char *what)
{
    json_t *root;

    mm->sync->call = NULL;
    if (resp->err != BOT_OK || resp->status != 200) {
        log_warnx("%s: catch-up: %s failed: %s", mm->ad->name, what,
                  resp->err != BOT_OK ? bot_strerror(resp->err) : "HTTP error");
        return NULL;
    }
    if ((root = json_loadb(resp->body, resp->len, JSON_ALLOW_NUL, NULL)) == NULL)
        log_warnx("%s: catch-up: %s: malformed answer", mm->ad->name, what);
    return root;
}

static void
on_sync_teams(void *arg, const struct http_response *resp)
{
    struct mm *mm = arg;
    struct mm_sync *sy = mm->sync;
    json_t *root, *t;
    size_t i;

    if (sync_retry(mm, resp, true))
        return;
    root = sync_answer(mm, resp, "users/me/teams");
    json_array_foreach(root, i, t)
    {
        const char *id = adapter_jstr(t, "id");

        if (!id_ok(id))
            continue;
        if (sy->nteams == MM_SYNC_TEAMS) {
            sync_cap(mm, "teams", MM_SYNC_TEAMS);
            break;
        }
        sy->teams = xreallocarray(sy->teams, sy->nteams + 1, sizeof(*sy->teams));
        snprintf(sy->teams[sy->nteams++], MM_MAX_ID + 1, "%s", id);
    }
    if (json_is_array(root) && sy->nteams == 0) {
        /* In no team, a bot can still be in direct and group messages: those
         * are listed by users/me/channels (""). */
        sy->teams = xcalloc(1, sizeof(*sy->teams));
        sy->nteams = 1;
    }
    json_decref(root);
    sync_step(mm);
}

static void
on_sync_channels(void *arg, const struct http_response *resp)
{
    struct mm *mm = arg;
    struct mm_sync *sy = mm->sync;
    json_t *root, *c;
    size_t i;

    if (sync_retry(mm, resp, false))
        return;
    root = sync_answer(mm, resp, "the team's channels");
    json_array_foreach(root, i, c)
    {
        const char *id = adapter_jstr(c, "id"), *team = adapter_jstr(c, "team_id"),
                   *type = adapter_jstr(c, "type");
        const json_t *last = json_object_get(c, "last_post_at");
        bool known = false;

        /* A channel with nothing posted since is not read at all. */
        if (!id_ok(id) ||
            (json_is_integer(last) && json_integer_value(last) <= sy->since))
            continue;
        for (size_t k = 0; k < sy->nchans && !known; k++)
            known = strcmp(sy->chans[k].id, id) == 0; /* DMs are in every team's list */
        if (known)
            continue;
        if (sy->nchans == MM_SYNC_CHANNELS) {
            sync_cap(mm, "channels with new posts", MM_SYNC_CHANNELS);
            break;
        }
        sy->chans = xreallocarray(sy->chans, sy->nchans + 1, sizeof(*sy->chans));
        memset(&sy->chans[sy->nchans], 0, sizeof(*sy->chans));
        snprintf(sy->chans[sy->nchans].id, MM_MAX_ID + 1, "%s", id);
        if (team != NULL && id_ok(team))
            snprintf(sy->chans[sy->nchans].team, MM_MAX_ID + 1, "%s", team);
        if (type != NULL && strlen(type) == 1)
            sy->chans[sy->nchans].ctype[0] = type[0];
        sy->nchans++;
    }
    json_decref(root);
    sy->team++;
    sync_step(mm);
}

static int
by_create_at(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "create_at"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "create_at"));

    return (x > y) - (x < y);
}

/* The channel is read: its questions to the core, oldest first. */
static void
sync_deliver(struct mm *mm)
{
    struct mm_sync *sy = mm->sync;
    const struct mm_chan *ch = &sy->chans[sy->chan];
    size_t n = json_array_size(sy->found), asked = 0;
    json_t **posts = xcalloc(n + 1, sizeof(*posts));

    for (size_t i = 0; i < n; i++)
        posts[i] = json_array_get(sy->found, i);
    qsort(posts, n, sizeof(*posts), by_create_at);
    for (size_t i = 0; i < n; i++) {
        struct chat_event ev;

        memset(&ev, 0, sizeof(ev));
        if (event_from_post(mm->self_id, mm->self_name, posts[i],
                            ch->ctype[0] ? ch->ctype : NULL,
                            ch->team[0] ? ch->team : NULL, NULL, &ev) == BOT_OK) {
            asked++;
            mm->ad->deliver(mm->ad, &ev); /* already answered ones are duplicates */
        }
        chat_event_cleanup(&ev);
    }
    if (n > 0)
        log_info("%s: catch-up of channel %s: %zu post(s) while disconnected, %zu for us",
                 mm->ad->name, ch->id, n, asked);
    sy->asked += asked;
    free(posts);
    json_decref(sy->found);
    sy->found = NULL;
}

static void
on_sync_posts(void *arg, const struct http_response *resp)
{
    struct mm *mm = arg;
    struct mm_sync *sy = mm->sync;
    json_t *root, *order, *posts;
    bool more;
    size_t n;

    if (sync_retry(mm, resp, false))
        return;
    root = sync_answer(mm, resp, "channel posts");
    order = json_object_get(root, "order");
    posts = json_object_get(root, "posts");
    n = json_array_size(order);
    /* Newest first: a full page whose oldest post is still after @since
     * means more on the next page. */
    more = n >= MM_SYNC_PER_PAGE;
    for (size_t i = 0; i < n; i++) {
        const char *id = json_string_value(json_array_get(order, i));
        json_t *post = json_object_get(posts, id != NULL ? id : "");
        const json_t *at = json_object_get(post, "create_at");
        bool dup = false;
        size_t k;
        json_t *v;

        if (!json_is_object(post) || !json_is_integer(at))
            continue;
        if (json_integer_value(at) <= sy->since) {
            more = false; /* older ones are known; later ones on this page are older */
            continue;
        }
        json_array_foreach(sy->found, k, v)
        {
            if (json_equal(json_object_get(v, "id"), json_object_get(post, "id")))
                dup = true; /* the pages moved under us: a new post pushed it down */
        }
        if (dup)
            continue;
        if (sy->posts == MM_SYNC_POSTS) {
            sync_cap(mm, "posts", MM_SYNC_POSTS);
            more = false;
            break;
        }
        sy->posts++;
        if (sy->found == NULL)
            sy->found = json_array();
        json_array_append(sy->found, post);
    }
    json_decref(root);
    if (more && sy->page + 1 >= MM_SYNC_PAGES) {
        sync_cap(mm, "pages in one channel", MM_SYNC_PAGES);
        more = false;
    }
    if (more) {
        sy->page++;
    } else {
        sync_deliver(mm);
        sy->chan++;
        sy->page = 0;
    }
    sync_step(mm);
}

/* Starts the next request of the catch-up, or ends it. */
static void
sync_step(struct mm *mm)
{
    struct mm_sync *sy = mm->sync;
    long long again;
    uint64_t now = net_loop_now(mm->ad->loop);

    if (mm->state != MM_RUN) {
        sync_free(mm);
        check_closed(mm);
        return;
    }
    if (mm->outbox.hold_until > now) { /* the server's rate limit is spent */
        net_timer_start(mm->sync_timer, mm->outbox.hold_until - now);
        return;
    }
    if (!sy->listed) {
        sy->listed = true;
        sync_get(mm, xasprintf("%s/api/v4/users/me/teams", mm->api), on_sync_teams);
        return;
    }
    if (sy->team < sy->nteams) {
        sync_get(mm,
                 sy->teams[sy->team][0] != '\0'
                     ? xasprintf("%s/api/v4/users/me/teams/%s/channels", mm->api,
                                 sy->teams[sy->team])
                     : xasprintf("%s/api/v4/users/me/channels", mm->api),
                 on_sync_channels);
        return;
    }
    if (sy->chan < sy->nchans) {
        sync_get(mm,
                 xasprintf("%s/api/v4/channels/%s/posts?page=%u&per_page=%d", mm->api,
                           sy->chans[sy->chan].id, sy->page, MM_SYNC_PER_PAGE),
                 on_sync_posts);
        return;
    }
    log_info("%s: catch-up done: %zu channel(s) with new posts, %zu post(s) read, %zu "
             "question(s) for us",
             mm->ad->name, sy->nchans, sy->posts, sy->asked);
    again = sy->again;
    sync_free(mm);
    if (again > 0)
        catch_up(mm, again);
}

/*
 * After a loss the server could not replay: read over REST every channel we
 * are a member of that had posts after @since (server clock, ms), and hand
 * the questions among them to the core, which drops those already answered.
 */
static void
catch_up(struct mm *mm, long long since)
{
    if (mm->sync != NULL) {
        /* One at a time; this one starts over from the older time. */
        if (mm->sync->again == 0 || since < mm->sync->again)
            mm->sync->again = since;
        return;
    }
    mm->sync = xcalloc(1, sizeof(*mm->sync));
    mm->sync->since = since;
    log_info("%s: catching up over REST on posts since %lld ms ago", mm->ad->name,
             epoch_ms() + mm->server_skew - since);
    sync_step(mm);
}

static void
on_hello(struct mm *mm, const struct mm_frame *f)
{
    const char *old = mm->conn_id;

    if (mm->session_lost && mm->last_valid != 0) {
        /* Whatever the server says about this connection, the one before
         * it lost events while its session was invalid. */
        log_warnx("%s: socket %u: new session after an invalid one; events sent "
                  "meanwhile were possibly lost: catching up over REST",
                  mm->ad->name, mm->sock_id);
        catch_up(mm, mm->last_valid + mm->server_skew - MM_SYNC_SLACK_MS);
    } else if (f->connection_id == NULL) {
        log_warnx("%s: socket %u: hello without a usable connection_id; replay after "
                  "a reconnect will not be possible",
                  mm->ad->name, mm->sock_id);
    } else if (old != NULL && strcmp(old, f->connection_id) != 0) {
        log_warnx("%s: socket %u: fresh hello: the server could not resume from seq "
                  "%lld (new connection_id); possible loss of events posted while "
                  "disconnected",
                  mm->ad->name, mm->sock_id, mm->seq.expect);
        /* Back to a little before the last frame of the lost stream, on the
         * server's clock: posts from then on may have been missed. */
        catch_up(mm, mm->last_rx + mm->server_skew - MM_SYNC_SLACK_MS);
    } else {
        log_info("%s: connected (socket %u)", mm->ad->name, mm->sock_id);
    }
    free(mm->conn_id);
    mm->conn_id = xstrdup_or_null(f->connection_id);
    mm->seq.expect = f->seq >= 0 ? f->seq + 1 : 1;
    mm->seq.skipped = 0;
    mm->resyncing = false;
    mm->session_lost = false;
    mm->last_valid = epoch_ms();
    mm->ad->stats.connects++;
    mm->problem[0] = '\0';
    confirm(mm);
}

static void
on_reply(struct mm *mm, const json_t *root, const struct mm_frame *f)
{
    const json_t *e = json_object_get(root, "error");
    const char *eid = adapter_jstr(e, "id");

    const json_t *at = json_object_get(json_object_get(root, "data"), "server_time");

    if (f->seq_reply == mm->ping_pending)
        mm->ping_pending = 0;
    if (json_is_integer(at) && json_integer_value(at) > 0)
        mm->server_skew = (long long)json_integer_value(at) - epoch_ms();
    if (f->status != NULL && strcmp(f->status, "OK") == 0) {
        mm->last_valid = epoch_ms();
        confirm(mm);
        return;
    }
    log_warnx("%s: socket %u: request %lld failed: %.100s", mm->ad->name, mm->sock_id,
              f->seq_reply, eid ? eid : "no error id");
    if (eid != NULL && strstr(eid, "not_authenticated") != NULL)
        reauth(mm, "websocket");
}

static void
on_event(struct mm *mm, const json_t *root, const struct mm_frame *f)
{
    struct chat_event ev;
    enum bot_err err;

    if (f->seq >= 0) {
        switch (mm_seq_check(&mm->seq, f->seq)) {
        case MM_SEQ_OK:
            break;
        case MM_SEQ_OLD:
            log_debug("%s: socket %u: seq %lld again (redelivery)", mm->ad->name,
                      mm->sock_id, f->seq);
            break;
        case MM_SEQ_SKIP:
            log_info("%s: socket %u: seq %lld follows %u skipped frame(s); taken as "
                     "those events",
                     mm->ad->name, mm->sock_id, f->seq, mm->seq.skipped);
            break;
        case MM_SEQ_GAP:
            /* Answer what did arrive (replays are de-duplicated), and resume
             * from the first missing event so the server sends it again. */
            if (!mm->resyncing) {
                log_warnx("%s: socket %u: seq gap: expected %lld, got %lld; resuming "
                          "from %lld to have the missing events replayed",
                          mm->ad->name, mm->sock_id, mm->seq.expect, f->seq,
                          mm->seq.expect);
                mm->resyncing = true;
                replace(mm, "events missing");
            }
            break;
        }
    }
    confirm(mm);
    mm->last_valid = epoch_ms();
    memset(&ev, 0, sizeof(ev));
    err = event_from_json(mm->self_id, mm->self_name, root, &ev);
    if (err == BOT_EPARSE || err == BOT_ELIMIT) {
        log_warnx("%s: socket %u: %s event (seq %lld) skipped: %s", mm->ad->name,
                  mm->sock_id, f->event, f->seq,
                  err == BOT_ELIMIT ? "post too large" : "malformed data or post JSON");
    } else if (err == BOT_OK) {
        log_debug("%s: event=%s seq=%lld channel=%s", mm->ad->name, ev.event_id, f->seq,
                  ev.channel);
        mm->ad->deliver(mm->ad, &ev);
    }
    chat_event_cleanup(&ev);
}

static void
on_ws_message(struct ws_conn *conn, void *arg, enum bot_err err, const char *buf,
              size_t len)
{
    struct mm *mm = arg;
    struct mm_frame f;
    json_t *root;

    /* Frames that arrive while the socket closes are still events: answered,
     * and counted so that the resume starts after them. */
    (void)conn;
    if (err != BOT_OK) {
        mm->seq.skipped++;
        log_warnx("%s: socket %u: %s frame skipped", mm->ad->name, mm->sock_id,
                  err == BOT_ELIMIT ? "too large (over the size limit)" : "binary");
        mm->last_rx = epoch_ms();
        return;
    }
    memset(&f, 0, sizeof(f));
    root = load_object(buf, len, MM_MAX_FRAME, JSON_REJECT_DUPLICATES, &err);
    if (root == NULL || frame_from_json(root, &f) != BOT_OK) {
        mm->seq.skipped++;
        log_warnx("%s: socket %u: malformed frame skipped (%zu bytes): %s", mm->ad->name,
                  mm->sock_id, len,
                  root == NULL ? "invalid JSON" : "neither an event nor a reply");
        goto out;
    }
    if (f.event == NULL)
        on_reply(mm, root, &f);
    else if (strcmp(f.event, "hello") == 0)
        on_hello(mm, &f);
    else
        on_event(mm, root, &f);
out:
    /* After on_hello, which reads the time of the last frame before it. */
    mm->last_rx = epoch_ms();
    mm_frame_cleanup(&f);
    json_decref(root);
}

static void
on_ws_close(struct ws_conn *conn, void *arg, enum bot_err err, const char *why)
{
    struct mm *mm = arg;
    bool expected = mm->closing, fast = mm->resyncing || (mm->closing && mm->confirmed);
    bool healthy =
        mm->confirmed && net_loop_now(mm->ad->loop) - mm->opened_at >= MM_HEALTHY_MS;

    (void)conn;
    (void)err;
    mm->ws = NULL;
    mm->closing = false;
    net_timer_stop(mm->ping_timer);
    net_timer_stop(mm->confirm_timer);
    if (expected) {
        log_info("%s: socket %u closed", mm->ad->name, mm->sock_id);
    } else {
        log_warnx("%s: socket %u %s: %s", mm->ad->name, mm->sock_id,
                  mm->confirmed ? "dropped" : "failed", why);
        snprintf(mm->problem, sizeof(mm->problem), "socket %s: %s",
                 mm->confirmed ? "dropped" : "failed", why);
    }
    if (mm->state == MM_STOPPING) {
        check_closed(mm);
        return;
    }
    if (mm->state == MM_AUTHING) {
        retry_in(mm, auth_delay(mm));
        return;
    }
    if (mm->upgraded && !mm->confirmed) {
        /* Upgraded, then closed with no hello, event or reply: how the
         * server ends a socket whose token it did not accept (after its
         * authentication timeout).  users/me tells before the next one. */
        log_info("%s: socket %u ended before its hello; checking the token with users/me",
                 mm->ad->name, mm->sock_id);
        mm->state = MM_AUTHING;
        retry_in(mm, backoff_next(&mm->bo, net_random(mm->ad->loop)));
        return;
    }
    /* The backoff starts again after a socket that served a while, or one we
     * replaced on purpose; a server that accepts and drops at once (a
     * flapping proxy) sees the delays grow. */
    if (fast || healthy)
        backoff_reset(&mm->bo);
    retry_in(mm, backoff_next(&mm->bo, net_random(mm->ad->loop)));
}

static void
open_socket(struct mm *mm)
{
    struct ws_options opt = {
        .max_message = MM_MAX_FRAME,
        .auth_header = mm->auth,
        .ca_file = mm->ca_file,
        .name = mm->ad->name,
        .on_open = on_ws_open,
        .on_message = on_ws_message,
        .on_close = on_ws_close,
        .arg = mm,
    };
    char *url;
    enum bot_err err;

    if (mm->state != MM_RUN || mm->ws != NULL)
        return;
    net_timer_stop(mm->retry_timer);
    /* After a lost session, a fresh connection: its hello starts the catch-up. */
    mm->resumed = !mm->session_lost && mm->conn_id != NULL && mm->seq.expect >= 0;
    /* The token rides in the upgrade's header, never in the URL: that is
     * also what makes the server honour connection_id and sequence_number. */
    url = mm->resumed ? xasprintf("%s?connection_id=%s&sequence_number=%lld", mm->ws_url,
                                  mm->conn_id, mm->seq.expect)
                      : xstrdup(mm->ws_url);
    mm->sock_id++;
    mm->closing = mm->confirmed = mm->resyncing = mm->upgraded = false;
    mm->req_seq = 0;
    mm->ping_pending = 0;
    mm->seq.skipped = 0;
    if ((err = ws_connect(mm->ad->loop, url, &opt, &mm->ws)) != BOT_OK) {
        log_warnx("%s: socket %u: cannot connect: %s", mm->ad->name, mm->sock_id,
                  outbox_url_problem(err));
        mm->ws = NULL;
        retry_in(mm, backoff_next(&mm->bo_slow, net_random(mm->ad->loop)));
        goto out;
    }
    if (mm->resumed)
        log_info("%s: socket %u connecting, resuming from seq %lld", mm->ad->name,
                 mm->sock_id, mm->seq.expect);
    else
        log_debug("%s: socket %u connecting", mm->ad->name, mm->sock_id);
    net_timer_start(mm->confirm_timer, MM_CONFIRM_TIMEOUT_MS);
out:
    free(url);
}

static void
on_me_done(void *arg, const struct http_response *resp)
{
    struct mm *mm = arg;
    json_t *root = NULL;
    const char *id, *name;

    mm->me_call = NULL;
    if (resp->err != BOT_OK) {
        log_warnx("%s: users/me failed: %s", mm->ad->name,
                  resp->error ? resp->error : bot_strerror(resp->err));
        retry_in(mm, backoff_next(&mm->bo, net_random(mm->ad->loop)));
        return;
    }
    if (resp->status == 401 || resp->status == 403) {
        snprintf(mm->problem, sizeof(mm->problem), "users/me: token rejected (HTTP %ld)",
                 resp->status);
        /* A token that worked and no longer does: the session it had is
         * lost (see reauth()); asked about again soon, caught up after. */
        if (mm->self_id != NULL)
            mm->session_lost = true;
        log_warnx("%s: users/me: the server rejected the token (HTTP %ld): check "
                  "MATTERMOST_TOKEN (a bot account's or a personal access token); "
                  "retrying %s",
                  mm->ad->name, resp->status, mm->session_lost ? "soon" : "slowly");
        retry_in(mm, auth_delay(mm));
        return;
    }
    if (resp->status != 200) {
        snprintf(mm->problem, sizeof(mm->problem), "users/me: HTTP %ld", resp->status);
        if (resp->status == 429)
            mm->ad->stats.rate_limited++;
        log_warnx("%s: users/me failed: HTTP %ld", mm->ad->name, resp->status);
        retry_in(mm, resp->status == 429 && resp->retry_after > 0
                         ? (uint64_t)resp->retry_after * 1000
                         : backoff_next(&mm->bo, net_random(mm->ad->loop)));
        return;
    }
    root = json_loadb(resp->body, resp->len, 0, NULL);
    id = adapter_jstr(root, "id");
    name = adapter_jstr(root, "username");
    if (!id_ok(id) || name == NULL || *name == '\0') {
        log_warnx("%s: users/me: no id or username in the answer", mm->ad->name);
        json_decref(root);
        retry_in(mm, backoff_next(&mm->bo, net_random(mm->ad->loop)));
        return;
    }
    free(mm->self_id);
    free(mm->self_name);
    mm->self_id = xstrdup(id);
    mm->self_name = xstrdup(name);
    mm->me_update_at =
        json_is_integer(json_object_get(root, "update_at"))
            ? (long long)json_integer_value(json_object_get(root, "update_at"))
            : 0;
    log_info("%s: authenticated as @%s (%s)%s", mm->ad->name, mm->self_name, mm->self_id,
             json_is_true(json_object_get(root, "is_bot")) ? ", a bot account" : "");
    json_decref(root);
    mm->state = MM_RUN;
    backoff_reset(&mm->bo_auth);
    if (mm->config_call == NULL)
        client_config(mm);
    open_socket(mm);
    net_timer_start(mm->check_timer, (uint64_t)mm->check_secs * 1000);
}

/*
 * A bot account disabled and enabled again keeps its socket, which answers
 * pings but gets no more events (protocols.md 2.9).  users/me shows it: a
 * new update_at (or a 401 once the token is revoked).  A replacement socket
 * then resumes, or gets a fresh hello and catches up over REST.
 */
static void
on_check_done(void *arg, const struct http_response *resp)
{
    struct mm *mm = arg;
    json_t *root;
    long long at;

    mm->check_call = NULL;
    if (mm->state == MM_RUN)
        net_timer_start(mm->check_timer, (uint64_t)mm->check_secs * 1000);
    if (resp->err == BOT_OK && (resp->status == 401 || resp->status == 403)) {
        reauth(mm, "users/me");
        return;
    }
    if (resp->err != BOT_OK || resp->status != 200) {
        log_debug("%s: account check failed (%s)", mm->ad->name,
                  resp->err != BOT_OK ? bot_strerror(resp->err) : "HTTP error");
        return;
    }
    root = json_loadb(resp->body, resp->len, 0, NULL);
    at = json_is_integer(json_object_get(root, "update_at"))
             ? (long long)json_integer_value(json_object_get(root, "update_at"))
             : 0;
    json_decref(root);
    if (at != 0 && mm->me_update_at != 0 && at != mm->me_update_at) {
        log_warnx("%s: the bot account changed (disabled and enabled again?); its "
                  "socket may get no more events",
                  mm->ad->name);
        mm->session_lost = true;
        replace(mm, "account changed");
    }
    if (at != 0)
        mm->me_update_at = at;
}

/* Starts GET @path (from "/api/v4/...") with the bot's token; see http_request(). */
static enum bot_err
api_get(struct mm *mm, const char *path, http_done_fn *done, struct http_call **call)
{
    char *url = xasprintf("%s%s", mm->api, path);
    struct http_request req = {
        .method = "GET",
        .url = url,
        .auth = mm->auth,
        .ca_file = mm->ca_file,
        .max_response = 256 * 1024,
    };
    enum bot_err err = http_request(mm->ad->loop, &req, done, mm, call);

    free(url);
    return err;
}

static void
on_check_timer(void *arg)
{
    struct mm *mm = arg;

    if (mm->state != MM_RUN || mm->check_call != NULL)
        return;
    if (api_get(mm, "/api/v4/users/me", on_check_done, &mm->check_call) != BOT_OK)
        net_timer_start(mm->check_timer, (uint64_t)mm->check_secs * 1000);
}

/* MaxPostSize in the client config: the server's limit on a post, in runes. */
static void
on_config_done(void *arg, const struct http_response *resp)
{
    struct mm *mm = arg;
    json_t *root;
    const char *v;
    char *end;
    unsigned long n;

    mm->config_call = NULL;
    if (resp->err != BOT_OK || resp->status != 200) {
        log_debug("%s: client config not read (%s); posts of at most %zu characters",
                  mm->ad->name,
                  resp->err != BOT_OK ? bot_strerror(resp->err) : "HTTP error",
                  mm->max_runes);
        return;
    }
    root = json_loadb(resp->body, resp->len, 0, NULL);
    v = adapter_jstr(root, "MaxPostSize");
    n = v != NULL ? strtoul(v, &end, 10) : 0;
    if (v != NULL && *end == '\0' && n >= MM_MIN_RUNES && n < mm->max_runes) {
        mm->max_runes = n;
        log_info("%s: the server takes posts of at most %lu characters", mm->ad->name, n);
    }
    json_decref(root);
}

static void
client_config(struct mm *mm)
{
    if (api_get(mm, "/api/v4/config/client?format=old", on_config_done,
                &mm->config_call) != BOT_OK)
        mm->config_call = NULL;
}

static void
users_me(struct mm *mm)
{
    enum bot_err err;

    if ((err = api_get(mm, "/api/v4/users/me", on_me_done, &mm->me_call)) != BOT_OK) {
        log_warnx("%s: server URL %s", mm->ad->name, outbox_url_problem(err));
        retry_in(mm, backoff_next(&mm->bo_slow, net_random(mm->ad->loop)));
    }
}

/* ---- Lifecycle -------------------------------------------------------- */

static enum bot_err
mattermost_create(struct adapter *ad, const struct adapter_conf *conf)
{
    struct mm *mm;
    struct url u;
    enum bot_err err;
    size_t n;
    const char *rest;
    bool tls;

    if (conf->token == NULL || conf->url == NULL || conf->token[0] == '\0')
        return BOT_EINVAL;
    tls = strncmp(conf->url, "https://", 8) == 0;
    if (!tls && strncmp(conf->url, "http://", 7) != 0) {
        log_warnx("%s: MATTERMOST_URL must start with https:// (or http:// to loopback)",
                  ad->name);
        return BOT_EINVAL;
    }
    if ((err = url_parse(conf->url, &u)) != BOT_OK) {
        log_warnx("%s: MATTERMOST_URL %s", ad->name, outbox_url_problem(err));
        return BOT_EINVAL;
    }
    url_cleanup(&u);
    mm = xcalloc(1, sizeof(*mm));
    mm->ad = ad;
    n = strlen(conf->url);
    while (n > 0 && conf->url[n - 1] == '/')
        n--;
    mm->api = xstrndup(conf->url, n);
    rest = mm->api + (tls ? 8 : 7);
    mm->ws_url = xasprintf("%s://%s/api/v4/websocket", tls ? "wss" : "ws", rest);
    mm->auth = xasprintf("Bearer %s", conf->token);
    mm->ca_file = xstrdup_or_null(conf->ca_file);
    mm->seq.expect = -1;
    mm->max_runes = MM_MAX_RUNES;
    /*
     * VALUESBOT_MATTERMOST_PING_SECS sets the application ping (and how long one may
     * stay unanswered); VALUESBOT_MATTERMOST_BACKOFF_DIV divides the reconnect
     * delays; VALUESBOT_MATTERMOST_CHECK_SECS sets how often users/me is read again.
     * Tests use them so as not to wait minutes; operators leave them.
     */
    mm->ping_secs =
        adapter_env_uint("VALUESBOT_MATTERMOST_PING_SECS", MM_PING_SECS, 3600);
    n = adapter_env_uint("VALUESBOT_MATTERMOST_BACKOFF_DIV", 1, 1000);
    backoff_init(&mm->bo, 500 / n + 1, 30000 / n + 1);
    backoff_init(&mm->bo_slow, 30000 / n + 1, 600000 / n + 1);
    backoff_init(&mm->bo_auth, MM_REAUTH_MIN_MS / n + 1, MM_REAUTH_MAX_MS / n + 1);
    mm->retry_timer = net_timer_new(ad->loop, on_retry, mm);
    mm->ping_timer = net_timer_new(ad->loop, on_ping_timer, mm);
    mm->confirm_timer = net_timer_new(ad->loop, on_confirm_timeout, mm);
    mm->check_timer = net_timer_new(ad->loop, on_check_timer, mm);
    mm->sync_timer = net_timer_new(ad->loop, on_sync_timer, mm);
    outbox_init(&mm->outbox, ad, mm, &mm_outbox_ops, MM_MAX_POSTING, MM_POST_DEADLINE_MS,
                500, 16000);
    mm->check_secs =
        adapter_env_uint("VALUESBOT_MATTERMOST_CHECK_SECS", MM_CHECK_SECS, 86400);
    ad->priv = mm;
    return BOT_OK;
}

static enum bot_err
mattermost_connect(struct adapter *ad)
{
    struct mm *mm = ad->priv;

    log_info("%s: connecting to %s", ad->name, mm->api);
    mm->state = MM_AUTHING;
    users_me(mm);
    return BOT_OK;
}

static void
check_closed(struct mm *mm)
{
    if (mm->state != MM_STOPPING || mm->ws != NULL || outbox_busy(&mm->outbox) ||
        mm->sync != NULL)
        return;
    mm->state = MM_CLOSED;
    mm->ad->on_closed(mm->ad);
}

static void
mattermost_shutdown(struct adapter *ad, uint64_t grace_ms)
{
    struct mm *mm = ad->priv;

    if (mm->state == MM_STOPPING || mm->state == MM_CLOSED)
        return;
    mm->state = MM_STOPPING;
    net_timer_stop(mm->retry_timer);
    net_timer_stop(mm->ping_timer);
    net_timer_stop(mm->confirm_timer);
    net_timer_stop(mm->check_timer);
    if (mm->me_call != NULL)
        http_cancel(mm->me_call);
    mm->me_call = NULL;
    if (mm->check_call != NULL)
        http_cancel(mm->check_call);
    mm->check_call = NULL;
    if (mm->config_call != NULL)
        http_cancel(mm->config_call);
    mm->config_call = NULL;
    sync_free(mm);
    if (mm->ws != NULL && !mm->closing) {
        mm->closing = true;
        ws_close(mm->ws);
    }
    outbox_drain(&mm->outbox, grace_ms);
    check_closed(mm);
}

static void
mattermost_destroy(struct adapter *ad)
{
    struct mm *mm = ad->priv;

    if (mm == NULL)
        return;
    outbox_cleanup(&mm->outbox);
    sync_free(mm);
    if (mm->me_call != NULL)
        http_cancel(mm->me_call);
    if (mm->check_call != NULL)
        http_cancel(mm->check_call);
    if (mm->config_call != NULL)
        http_cancel(mm->config_call);
    /* Normally closed before on_closed; after a forced stop, cut it loose so
     * that no callback reaches freed memory. */
    if (mm->ws != NULL)
        ws_abandon(mm->ws);
    net_timer_free(mm->retry_timer);
    net_timer_free(mm->ping_timer);
    net_timer_free(mm->confirm_timer);
    net_timer_free(mm->check_timer);
    net_timer_free(mm->sync_timer);
    free(mm->api);
    free(mm->ws_url);
    xfree_secret(mm->auth);
    free(mm->ca_file);
    free(mm->self_id);
    free(mm->self_name);
    free(mm->conn_id);
    free(mm);
    ad->priv = NULL;
}

static size_t
mattermost_max_message_len(const struct adapter *ad)
{
    (void)ad;
    return MM_MAX_TEXT;
}

static bool
mattermost_connected(const struct adapter *ad, char *why, size_t len)
{
    const struct mm *mm = ad->priv;

    if (mm->ws != NULL && mm->confirmed && !mm->closing)
        return true;
    snprintf(why, len, "%s", mm->problem[0] != '\0' ? mm->problem : "connecting");
    return false;
}

const struct adapter_ops mattermost_adapter_ops = {
    .kind = "mattermost",
    .create = mattermost_create,
    .connect = mattermost_connect,
    .parse = mattermost_parse,
    .send = mattermost_send,
    .shutdown = mattermost_shutdown,
    .destroy = mattermost_destroy,
    .max_message_len = mattermost_max_message_len,
    .connected = mattermost_connected,
};
