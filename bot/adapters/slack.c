/*
 * slack.c - Slack over Socket Mode (events in) and the Web API (replies out).
 *
 * The life of the connection (protocols.md §1.17): auth.test for our own
 * ids; apps.connections.open for a single-use wss URL; wait for hello;
 * then every envelope is acked at once, before any other work, and only
 * then handed to the core.  The one exception is a slash command, whose ack
 * may carry the answer: the core answers it from memory first (well under a
 * millisecond; answer_in_ack), then the ack goes.  On a disconnect frame, or at 90%
 * of the lifetime hello announced, a second socket is opened and the old
 * one is closed only once the new one has said hello (make before break).
 * Drops reconnect with jittered exponential backoff; link_disabled and
 * too_many_websockets back off harder; rejected tokens are retried slowly.
 * Liveness is watched by libwebsockets' ping/pong validity policy.
 *
 * Replies are rendered as Block Kit with the same words as mrkdwn text for
 * the fallback (slack_render), split into several messages within Slack's
 * limits when long.  They are chat.postMessage calls (for slash commands: the
 * ack's payload, then response_url POSTs), each delayed by the core's
 * per-channel pacing, retried after 429 Retry-After, 5xx and transport
 * errors until a deadline, and dropped with Slack's error name on ok:false.
 */
#include "bot/adapters/adapter_int.h"
#include "bot/adapters/slack_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot/base/log.h"
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
 * follows Slack's response time (outq in outbox.h).  Slack answers a
 * post in 0.1 to 0.3 s, so a burst drains at this many per answer time
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
    char *channel;         /* owned: slack_dest.channel */
    char *thread;          /* owned: slack_dest.thread */
    bool in_channel;       /* slack_dest.in_channel */
    struct reply body;     /* owned: what to say; a message's JSON is made as it starts */
    size_t *msg; /* owned: which of the rendered messages is each part, in order */
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

/* ---- Parsing ---------------------------------------------------------- */

void
slack_envelope_cleanup(struct slack_envelope *env)
{
    free(env->type);
    free(env->envelope_id);
    free(env->reason);
    memset(env, 0, sizeof(*env));
}

static long
jlong(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    if (!json_is_integer(v))
        return 0;
    if (json_integer_value(v) > LONG_MAX || json_integer_value(v) < 0)
        return 0;
    return (long)json_integer_value(v);
}

static enum bot_err
envelope_from_json(const json_t *root, struct slack_envelope *env)
{
    const char *type = adapter_jstr(root, "type");

    memset(env, 0, sizeof(*env));
    if (type == NULL)
        return BOT_EPARSE;
    env->type = xstrdup(type);
    env->envelope_id = xstrdup_or_null(adapter_jstr(root, "envelope_id"));
    env->reason = xstrdup_or_null(adapter_jstr(root, "reason"));
    env->retry_attempt = jlong(root, "retry_attempt");
    env->approx_secs =
        jlong(json_object_get(root, "debug_info"), "approximate_connection_time");
    env->num_connections = jlong(root, "num_connections");
    env->accepts_payload =
        json_is_true(json_object_get(root, "accepts_response_payload"));
    return BOT_OK;
}

static json_t *
load_frame(const char *buf, size_t len, enum bot_err *err)
{
    json_error_t jerr;
    json_t *root;

    if (len > SLACK_MAX_FRAME) {
        *err = BOT_ELIMIT;
        return NULL;
    }
    root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL || !json_is_object(root)) {
        json_decref(root);
        *err = BOT_EPARSE;
        return NULL;
    }
    *err = BOT_OK;
    return root;
}

enum bot_err
slack_envelope_parse(const char *buf, size_t len, struct slack_envelope *env)
{
    enum bot_err err;
    json_t *root = load_frame(buf, len, &err);

    memset(env, 0, sizeof(*env));
    if (root == NULL)
        return err;
    err = envelope_from_json(root, env);
    json_decref(root);
    return err;
}

static void
add_decoded(struct buf *b, const char *s, size_t len)
{
    static const struct {
        const char *ent;
        char c;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}};
    size_t i = 0;

    while (i < len) {
        bool done = false;

        if (s[i] == '&') {
            for (size_t k = 0; k < 3 && !done; k++) {
                size_t n = strlen(ents[k].ent);

                if (len - i >= n && memcmp(s + i, ents[k].ent, n) == 0) {
                    (void)buf_add(b, &ents[k].c, 1);
                    i += n;
                    done = true;
                }
            }
        }
        if (!done)
            (void)buf_add(b, s + i++, 1);
    }
}

char *
slack_text_clean(const char *text)
{
    struct buf b;
    const char *p = text, *start, *end;
    char *out;
    size_t n;

    buf_init(&b, strlen(text) + 1);
    while (*p) {
        const char *lt = strchr(p, '<'), *gt, *bar;

        if (lt == NULL || (gt = strchr(lt, '>')) == NULL) {
            add_decoded(&b, p, strlen(p));
            break;
        }
        add_decoded(&b, p, (size_t)(lt - p));
        bar = memchr(lt, '|', (size_t)(gt - lt));
        if (lt[1] == '@' || (lt[1] == '!' && strncmp(lt + 1, "!date^", 6) != 0)) {
            /* mentions and <!here>-style specials never reach the question */
        } else if (lt[1] == '#') {
            if (bar != NULL) {
                (void)buf_add(&b, "#", 1);
                add_decoded(&b, bar + 1, (size_t)(gt - bar - 1));
            }
        } else if (bar != NULL) {
            add_decoded(&b, bar + 1, (size_t)(gt - bar - 1)); /* link or date label */
        } else if (lt[1] != '!') {
            add_decoded(&b, lt + 1, (size_t)(gt - lt - 1)); /* bare link */
        }
        p = gt + 1;
    }
    start = buf_str(&b);
    while (*start == ' ' || *start == '\t' || *start == '\n' || *start == '\r')
        start++;
    end = start + strlen(start);
    while (end > start &&
           (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        end--;
    n = (size_t)(end - start);
    out = xstrndup(start, n);
    buf_cleanup(&b);
    return out;
}

static bool
command_known(const struct slack *sl, const char *command)
{
    if (sl == NULL)
        return true;
    for (size_t i = 0; i < sl->nslash; i++) {
        if (strcmp(sl->slash[i], command) == 0)
            return true;
    }
    return false;
}

static enum bot_err
event_from_command(struct slack *sl, const json_t *root, struct chat_event *ev,
                   const char **why)
{
    const json_t *pl = json_object_get(root, "payload");
    const char *command = adapter_jstr(pl, "command"), *text = adapter_jstr(pl, "text");
    const char *channel = adapter_jstr(pl, "channel_id"),
               *user = adapter_jstr(pl, "user_id");
    const char *url = adapter_jstr(pl, "response_url"),
               *env_id = adapter_jstr(root, "envelope_id");
    const char *trigger;

    if (command == NULL || channel == NULL || user == NULL || url == NULL ||
        env_id == NULL)
        return BOT_EPARSE;
    if (!command_known(sl, command)) {
        *why = "a slash command that is not ours";
        return BOT_EIGNORE;
    }
    ev->platform = xstrdup("slack");
    ev->workspace = xstrdup_or_null(adapter_jstr(pl, "team_id"));
    ev->channel = xstrdup(channel);
    ev->user = xstrdup(user);
    ev->text = slack_text_clean(text != NULL ? text : "");
    if (ev->text[0] == '\0') {
        /* "/values" alone asks about values: the command's name is the question. */
        free(ev->text);
        ev->text = xstrdup(command[0] == '/' ? command + 1 : command);
    }
    /* A redelivered command comes in a new envelope; its trigger_id is the
     * invocation's own id, so it is the de-duplication key when present. */
    trigger = adapter_jstr(pl, "trigger_id");
    ev->event_id = trigger != NULL && trigger[0] != '\0'
                       ? xasprintf("command:%s", trigger)
                       : xasprintf("envelope:%s", env_id);
    ev->reply_url = xstrdup(url);
    ev->is_command = true;
    ev->is_dm = channel[0] == 'D';
    return BOT_OK;
}

/*
 * The message subtypes Slack documents (docs.slack.dev/reference/events/message),
 * sorted by name.  A person's own words come with no subtype or with one of
 * those marked human (a file with its comment, a thread reply also sent to
 * the conversation, a /me line); every other one is a system notice, a bot's
 * post, an edit or a deletion.  A subtype not listed is ignored too: Slack
 * adds system notices more often than ways for a person to write.
 */
static const struct slack_subtype {
    const char *name;
    bool human;
} slack_subtypes[] = {
    {"assistant_app_thread", false},
    {"bot_add", false},
    {"bot_message", false},
    {"bot_remove", false},
    {"channel_archive", false},
    {"channel_canvas_updated", false},
    {"channel_convert_to_private", false},
    {"channel_convert_to_public", false},
    {"channel_join", false},
    {"channel_leave", false},
    {"channel_name", false},
    {"channel_posting_permissions", false},
    {"channel_purpose", false},
    {"channel_topic", false},
    {"channel_unarchive", false},
    {"ekm_access_denied", false},
    {"file_comment", false},
    {"file_mention", false},
    {"file_share", true},
    {"group_archive", false},
    {"group_join", false},
    {"group_leave", false},
    {"group_name", false},
    {"group_purpose", false},
    {"group_topic", false},
    {"group_unarchive", false},
    {"huddle_thread", false},
    {"joiner_notification", false},
    {"me_message", true},
    {"message_changed", false},
    {"message_deleted", false},
    {"message_replied", false},
    {"pinned_item", false},
    {"reminder_add", false},
    {"slackbot_response", false},
    {"thread_broadcast", true},
    {"tombstone", false},
    {"unpinned_item", false},
};

static int
subtype_cmp(const void *key, const void *elt)
{
    return strcmp(key, ((const struct slack_subtype *)elt)->name);
}

bool
slack_subtype_is_human(const char *subtype, bool *known)
{
    const struct slack_subtype *st;

    if (subtype == NULL) {
        if (known != NULL)
            *known = true;
        return true;
    }
    st = bsearch(subtype, slack_subtypes,
                 sizeof(slack_subtypes) / sizeof(slack_subtypes[0]),
                 sizeof(slack_subtypes[0]), subtype_cmp);
    if (known != NULL)
        *known = st != NULL;
    return st != NULL && st->human;
}

static enum bot_err
event_from_events_api(struct slack *sl, const json_t *root, struct chat_event *ev,
                      const char **why)
{
    const json_t *pl = json_object_get(root, "payload");
    const json_t *e = json_object_get(pl, "event");
    const char *etype = adapter_jstr(e, "type"), *text = adapter_jstr(e, "text"),
               *user = adapter_jstr(e, "user");
    const char *channel = adapter_jstr(e, "channel"), *ts = adapter_jstr(e, "ts");
    const char *thread_ts = adapter_jstr(e, "thread_ts"),
               *ctype = adapter_jstr(e, "channel_type");
    const char *bot_id = adapter_jstr(e, "bot_id"),
               *event_id = adapter_jstr(pl, "event_id");
    const char *team = adapter_jstr(pl, "team_id");
    const json_t *subtype = json_object_get(e, "subtype");
    bool mention, dm, known;

    if (!json_is_object(e) || etype == NULL)
        return BOT_EPARSE;
    mention = strcmp(etype, "app_mention") == 0;
    dm = strcmp(etype, "message") == 0 &&
         ((ctype != NULL && strcmp(ctype, "im") == 0) ||
          (ctype == NULL && channel != NULL && channel[0] == 'D'));
    /* Channel messages come as app_mention when they are for us; answering
     * plain "message" events too would answer mentions twice. */
    if (!mention && !dm) {
        *why = strcmp(etype, "message") == 0 ? "a message outside a DM (mentions come "
                                               "as app_mention)"
                                             : "not a message for the bot";
        return BOT_EIGNORE;
    }
    if (subtype != NULL && !json_is_null(subtype)) {
        if (!json_is_string(subtype))
            return BOT_EPARSE;
        if (!slack_subtype_is_human(json_string_value(subtype), &known)) {
            *why = known ? "a system, bot, edit or deletion subtype"
                         : "a subtype Slack does not document as a person's message";
            return BOT_EIGNORE;
        }
    }
    /* Our own replies come back as message events; answering them would loop. */
    if (bot_id != NULL || json_object_get(e, "bot_profile") != NULL) {
        *why = "posted by a bot";
        return BOT_EIGNORE;
    }
    if (sl != NULL && sl->self_user != NULL && user != NULL &&
        strcmp(user, sl->self_user) == 0) {
        *why = "our own message";
        return BOT_EIGNORE;
    }
    if (text == NULL || user == NULL || channel == NULL || ts == NULL)
        return BOT_EPARSE;
    ev->platform = xstrdup("slack");
    ev->workspace = xstrdup_or_null(team != NULL ? team : adapter_jstr(e, "team"));
    ev->channel = xstrdup(channel);
    ev->user = xstrdup(user);
    ev->text = slack_text_clean(text);
    ev->msg_id = xstrdup(ts);
    /* Reply in the thread of the mention; a DM is answered in the DM, in its
     * thread only if the question was asked in one. */
    if (thread_ts != NULL)
        ev->thread = xstrdup(thread_ts);
    else if (mention)
        ev->thread = xstrdup(ts);
    ev->event_id =
        event_id != NULL ? xstrdup(event_id) : xasprintf("msg:%s/%s", channel, ts);
    ev->is_dm = dm;
    return BOT_OK;
}

/* Sets *@why (out) to the reason when the result is BOT_EIGNORE. */
static enum bot_err
event_from_json(struct slack *sl, const json_t *root, struct chat_event *ev,
                const char **why)
{
    const char *type = adapter_jstr(root, "type");
    enum bot_err err;

    memset(ev, 0, sizeof(*ev));
    *why = "not a user message";
    if (type == NULL)
        return BOT_EPARSE;
    if (strcmp(type, "events_api") == 0)
        err = event_from_events_api(sl, root, ev, why);
    else if (strcmp(type, "slash_commands") == 0)
        err = event_from_command(sl, root, ev, why);
    else
        err = BOT_EIGNORE; /* hello, disconnect, interactive: no user message */
    if (err != BOT_OK)
        chat_event_cleanup(ev);
    return err;
}

enum bot_err
slack_parse(struct adapter *ad, const char *buf, size_t len, struct chat_event *ev)
{
    const char *why;
    enum bot_err err;
    json_t *root;

    memset(ev, 0, sizeof(*ev));
    root = load_frame(buf, len, &err);
    if (root == NULL)
        return err;
    err = event_from_json(ad->priv, root, ev, &why);
    json_decref(root);
    return err;
}

/* ---- Formatting ------------------------------------------------------- */

void
slack_escape(struct buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '&')
            (void)buf_adds(b, "&amp;");
        else if (*s == '<')
            (void)buf_adds(b, "&lt;");
        else if (*s == '>')
            (void)buf_adds(b, "&gt;");
        else
            (void)buf_add(b, s, 1);
    }
}

/*
 * Appends @text escaped between two @mark characters (bold *, italic _); plain
 * when @text holds @mark itself, which would end the span early and leave
 * stray marks ("**Courage**" for a value named "*Courage*").
 */
static void
emphasise(struct buf *b, char mark, const char *text)
{
    const char m[2] = {mark, '\0'};
    bool plain = strchr(text, mark) != NULL;

    if (!plain)
        (void)buf_adds(b, m);
    slack_escape(b, text);
    if (!plain)
        (void)buf_adds(b, m);
}

static void
format_block(struct buf *b, const struct reply_block *bl)
{
    switch (bl->kind) {
    case REPLY_HEADING:
        emphasise(b, '*', bl->text);
        return;
    case REPLY_ITEM:
        (void)buf_adds(b, "• ");
        break;
    case REPLY_SUBITEM:
        (void)buf_adds(b, "    ◦ ");
        break;
    case REPLY_QUOTE:
        (void)buf_adds(b, "> ");
        for (const char *p = bl->text; *p; p++) {
            char one[2] = {*p, '\0'};

            slack_escape(b, one);
            if (*p == '\n' && p[1] != '\0')
                (void)buf_adds(b, "> ");
        }
        return;
    case REPLY_SOURCE:
        emphasise(b, '_', bl->text);
        return;
    case REPLY_PARA:
        break;
    }
    if (bl->label != NULL) {
        emphasise(b, '*', bl->label);
        if (bl->text[0])
            (void)buf_adds(b, ": ");
    }
    slack_escape(b, bl->text);
}

/* The separator before block @i: none first, a newline inside a list, else a blank line.
 */
static const char *
separator(const struct reply *r, size_t i)
{
    enum reply_kind k, prev;

    if (i == 0)
        return "";
    k = r->blocks[i].kind;
    prev = r->blocks[i - 1].kind;
    if ((k == REPLY_ITEM || k == REPLY_SUBITEM) &&
        (prev == REPLY_ITEM || prev == REPLY_SUBITEM || prev == REPLY_HEADING))
        return "\n";
    return "\n\n";
}

/*
 * Cuts @b to at most @max bytes with an ellipsis: at a line end if one
 * leaves room, never inside an escape or a UTF-8 sequence.
 */
static void
cut_to(struct buf *b, size_t max)
{
    static const char cut[] = "\n…";
    size_t keep;

    if (b->len <= max)
        return;
    keep = max > sizeof(cut) ? max - sizeof(cut) : 0;
    while (keep > 0 && b->data[keep] != '\n')
        keep--;
    if (keep == 0) {
        keep = max > sizeof(cut) ? max - sizeof(cut) : 0;
        while (keep > 0 && ((unsigned char)b->data[keep] & 0xC0) == 0x80)
            keep--;
        for (size_t j = keep; j > 0 && keep - j < 6; j--) {
            if (b->data[j - 1] == '&') { /* do not split "&amp;" */
                if (memchr(b->data + j - 1, ';', keep - (j - 1)) == NULL)
                    keep = j - 1;
                break;
            }
        }
    }
    b->len = keep;
    b->data[keep] = '\0';
    (void)buf_adds(b, cut);
}

char *
slack_format(const struct reply *r, size_t max)
{
    struct buf b;

    buf_init(&b, SIZE_MAX / 2);
    for (size_t i = 0; i < r->n; i++) {
        (void)buf_adds(&b, separator(r, i));
        format_block(&b, &r->blocks[i]);
    }
    cut_to(&b, max);
    return buf_take(&b);
}

/*
 * One rendered piece of a reply: a whole reply block, or a slice of one too
 * long for a section.  @sep goes before it when it follows another piece in
 * the same message (dropped at the start of a message).
 */
enum piece_kind { PIECE_BODY, PIECE_HEADER, PIECE_CONTEXT };

struct piece {
    enum piece_kind kind;
    const char *sep; /* static: "", " ", "\n" or "\n\n" */
    char *text;      /* owned: escaped mrkdwn */
    char *plain;     /* owned: a header's plain text, else NULL */
};

/*
 * A heading goes in a header block only when plain text shows it as mrkdwn
 * would: short, one line, and free of the three characters mrkdwn escapes
 * (plain_text is not escaped, so it must never need to be).
 */
static bool
header_ok(const char *text)
{
    size_t len = strlen(text);

    return len > 0 && len <= SLACK_HEADER_MAX && strpbrk(text, "<>&\n") == NULL;
}

/*
 * Where to end a slice of @s (@len bytes) of at most @max bytes: after the
 * last line end or space (*skip 1: that character becomes the separator),
 * else at the last point that splits neither a UTF-8 sequence nor an escape.
 */
static size_t
split_point(const char *s, size_t len, size_t max, size_t *skip)
{
    size_t k;

    *skip = 1;
    for (k = max; k > max / 2; k--) { /* a line end in the second half */
        if (s[k] == '\n')
            return k;
    }
    for (k = max; k > 0; k--) {
        if (s[k] == ' ' || s[k] == '\n')
            return k;
    }
    *skip = 0;
    k = max < len ? max : len;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    for (size_t j = k; j > 0 && k - j < 5; j--) {
        if (s[j - 1] == ';')
            break;
        if (s[j - 1] == '&') { /* "&amp;" stays whole */
            k = j - 1;
            break;
        }
    }
    return k > 0 ? k : (max < len ? max : len);
}

static void
piece_add(struct piece **ps, size_t *n, enum piece_kind kind, const char *sep, char *text,
          const char *plain)
{
    *ps = xreallocarray(*ps, *n + 1, sizeof(**ps));
    (*ps)[*n] = (struct piece){kind, sep, text, plain ? xstrdup(plain) : NULL};
    (*n)++;
}

/* Cuts @r into pieces of at most @max bytes each. */
static size_t
make_pieces(const struct reply *r, size_t max, struct piece **ps)
{
    struct buf one;
    size_t n = 0;

    *ps = NULL;
    buf_init(&one, SIZE_MAX / 2);
    for (size_t i = 0; i < r->n; i++) {
        const struct reply_block *bl = &r->blocks[i];
        enum piece_kind kind = PIECE_BODY;
        const char *sep = separator(r, i), *s;
        size_t len;

        if (bl->kind == REPLY_HEADING && header_ok(bl->text))
            kind = PIECE_HEADER;
        else if (bl->kind == REPLY_SOURCE)
            kind = PIECE_CONTEXT;
        buf_reset(&one);
        format_block(&one, bl);
        s = one.data ? one.data : "";
        len = one.len;
        while (len > max) {
            size_t skip, k = split_point(s, len, max, &skip);

            piece_add(ps, &n, kind == PIECE_HEADER ? PIECE_BODY : kind, sep,
                      xstrndup(s, k), NULL);
            sep = skip == 0 ? "" : s[k] == '\n' ? "\n" : " ";
            s += k + skip;
            len -= k + skip;
        }
        piece_add(ps, &n, kind, sep, xstrndup(s, len),
                  kind == PIECE_HEADER ? bl->text : NULL);
    }
    buf_cleanup(&one);
    return n;
}

/* Fills one message at a time, keeping Slack's limits. */
struct packer {
    size_t max;      /* bytes of text per message */
    struct buf text; /* the message's mrkdwn fallback */
    struct buf sect; /* the section being filled, not yet in @blocks */
    json_t *blocks;  /* owned: the blocks done */
    json_t *ctx;     /* borrowed: elements of the last block, a context; or NULL */
    struct slack_message *msgs;
    size_t nmsgs;
};

static json_t *
text_obj(const char *type, const char *text)
{
    return json_pack("{s:s, s:s}", "type", type, "text", text);
}

static void
append_block(json_t *blocks, json_t *b)
{
    if (b != NULL) /* NULL only for text that is not UTF-8: left out */
        json_array_append_new(blocks, b);
}

static void
flush_section(struct packer *pk)
{
    json_t *t;

    if (pk->sect.len == 0)
        return;
    if ((t = text_obj("mrkdwn", buf_str(&pk->sect))) != NULL)
        append_block(pk->blocks, json_pack("{s:s, s:o}", "type", "section", "text", t));
    buf_reset(&pk->sect);
}

static size_t
nblocks(const struct packer *pk)
{
    return json_array_size(pk->blocks) + (pk->sect.len > 0 ? 1 : 0);
}

static bool
fits(const struct packer *pk, const struct piece *pc)
{
    size_t len = strlen(pc->text), sep = strlen(pc->sep), added = 1;

    if (pk->text.len == 0)
        return true; /* every piece fits an empty message */
    if (pk->text.len + sep + len > pk->max)
        return false;
    if (pc->kind == PIECE_BODY && pk->sect.len > 0 &&
        pk->sect.len + sep + len <= SLACK_SECTION_MAX)
        added = 0;
    if (pc->kind == PIECE_CONTEXT && pk->ctx != NULL &&
        json_array_size(pk->ctx) < SLACK_CONTEXT_ITEMS)
        added = 0;
    return nblocks(pk) + added <= SLACK_MAX_BLOCKS;
}

static void
pack(struct packer *pk, const struct piece *pc)
{
    bool first = pk->text.len == 0;
    json_t *b;

    if (!first)
        (void)buf_adds(&pk->text, pc->sep);
    (void)buf_adds(&pk->text, pc->text);
    switch (pc->kind) {
    case PIECE_BODY:
        if (pk->sect.len > 0 &&
            pk->sect.len + strlen(pc->sep) + strlen(pc->text) <= SLACK_SECTION_MAX) {
            (void)buf_adds(&pk->sect, pc->sep);
        } else {
            flush_section(pk);
        }
        (void)buf_adds(&pk->sect, pc->text);
        pk->ctx = NULL;
        return;
    case PIECE_CONTEXT:
        flush_section(pk);
        if ((b = text_obj("mrkdwn", pc->text)) == NULL)
            return;
        if (pk->ctx == NULL || json_array_size(pk->ctx) >= SLACK_CONTEXT_ITEMS) {
            pk->ctx = json_array();
            append_block(pk->blocks,
                         json_pack("{s:s, s:O}", "type", "context", "elements", pk->ctx));
            json_decref(pk->ctx); /* the block holds it now */
        }
        (void)json_array_append_new(pk->ctx, b);
        return;
    case PIECE_HEADER:
        flush_section(pk);
        append_block(pk->blocks,
                     json_pack("{s:s, s:{s:s, s:s, s:b}}", "type", "header", "text",
                               "type", "plain_text", "text", pc->plain, "emoji", 1));
        pk->ctx = NULL;
        return;
    }
}

static void
finish(struct packer *pk)
{
    struct slack_message *m;

    flush_section(pk);
    pk->msgs = xreallocarray(pk->msgs, pk->nmsgs + 1, sizeof(*pk->msgs));
    m = &pk->msgs[pk->nmsgs++];
    m->text = buf_take(&pk->text);
    m->blocks = pk->blocks;
    pk->blocks = json_array();
    pk->ctx = NULL;
    buf_init(&pk->text, SIZE_MAX / 2);
}

size_t
slack_render(const struct reply *r, size_t max, struct slack_message **msgs)
{
    struct packer pk = {.max = max};
    struct piece *ps;
    size_t n = make_pieces(r, max < SLACK_SECTION_MAX ? max : SLACK_SECTION_MAX, &ps);

    buf_init(&pk.text, SIZE_MAX / 2);
    buf_init(&pk.sect, SIZE_MAX / 2);
    pk.blocks = json_array();
    for (size_t i = 0; i < n; i++) {
        if (!fits(&pk, &ps[i]))
            finish(&pk);
        pack(&pk, &ps[i]);
        free(ps[i].text);
        free(ps[i].plain);
    }
    free(ps);
    finish(&pk);
    json_decref(pk.blocks);
    buf_cleanup(&pk.text);
    buf_cleanup(&pk.sect);
    *msgs = pk.msgs;
    return pk.nmsgs;
}

void
slack_messages_free(struct slack_message *msgs, size_t n)
{
    if (msgs == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        free(msgs[i].text);
        json_decref(msgs[i].blocks);
    }
    free(msgs);
}

size_t
slack_format_parts(const struct reply *r, size_t max, char ***parts)
{
    struct slack_message *msgs;
    size_t n = slack_render(r, max, &msgs);

    *parts = xcalloc(n, sizeof(**parts));
    for (size_t i = 0; i < n; i++) {
        (*parts)[i] = msgs[i].text;
        msgs[i].text = NULL;
    }
    slack_messages_free(msgs, n);
    return n;
}

enum slack_outcome
slack_outcome(const struct http_response *resp, bool response_url, long *retry_ms,
              char *error, size_t errlen)
{
    json_t *root;
    json_t *ok;
    enum slack_outcome out;

    *retry_ms = 0;
    if (resp->err != BOT_OK) {
        snprintf(error, errlen, "%s",
                 resp->error ? resp->error : bot_strerror(resp->err));
        return resp->err == BOT_ELIMIT ? SLACK_FAILED : SLACK_RETRY;
    }
    if (resp->status == 429) {
        *retry_ms = resp->retry_after >= 0 ? resp->retry_after * 1000 : 1000;
        snprintf(error, errlen, "ratelimited (HTTP 429)");
        return SLACK_RETRY;
    }
    if (resp->status >= 500) {
        snprintf(error, errlen, "HTTP %ld", resp->status);
        return SLACK_RETRY;
    }
    root = json_loadb(resp->body, resp->len, 0, NULL);
    ok = json_object_get(root, "ok");
    if (resp->status < 200 || resp->status > 299) {
        const char *e = adapter_jstr(root, "error");

        snprintf(error, errlen, "HTTP %ld%s%s", resp->status, e ? " " : "", e ? e : "");
        out = SLACK_FAILED;
    } else if (json_is_true(ok) || (response_url && !json_is_false(ok))) {
        snprintf(error, errlen, "ok");
        out = SLACK_POSTED;
    } else {
        const char *e = adapter_jstr(root, "error");

        snprintf(error, errlen, "%s", e ? e : "ok:false without an error name");
        out = SLACK_FAILED;
        if (e != NULL && strcmp(e, "ratelimited") == 0) {
            *retry_ms = 1000;
            out = SLACK_RETRY;
        }
    }
    json_decref(root);
    return out;
}

/* ---- Replies ---------------------------------------------------------- */

static void check_closed(struct slack *sl);
static void on_quiesced(void *arg);

static char *
api_url(const struct slack *sl, const char *method)
{
    return xasprintf("%s%s", sl->api_url, method);
}

static void
post_cleanup(struct outbox_post *op)
{
    struct slack_post *p = (struct slack_post *)op;

    if (p->acking != NULL)
        p->acking->post = NULL;
    free(p->url);
    free(p->channel);
    free(p->thread);
    reply_cleanup(&p->body);
    free(p->msg);
}

static enum outbox_verdict
post_classify(struct outbox_post *op, const struct http_response *resp, long *retry_ms,
              char *error, size_t len)
{
    const struct slack_post *p = (const struct slack_post *)op;

    switch (slack_outcome(resp, p->response_url, retry_ms, error, len)) {
    case SLACK_POSTED:
        return OUTBOX_DONE;
    case SLACK_RETRY:
        return OUTBOX_RETRY;
    case SLACK_FAILED:
        break;
    }
    return OUTBOX_GIVE_UP;
}

static char *post_body(void *arg, size_t *len);

/* The request of @op's current message. */
static enum outbox_go
post_prepare(struct outbox_post *op, struct outbox_req *req, uint64_t *wait_ms, char *why,
             size_t len)
{
    struct slack_post *p = (struct slack_post *)op;
    struct slack *sl = op->ob->owner;

    (void)wait_ms;
    (void)why;
    (void)len;
    req->http.url = p->url != NULL ? p->url : sl->post_url;
    req->http.auth = p->response_url ? NULL : sl->bot_auth;
    req->http.content_type = "application/json; charset=utf-8";
    req->http.body_fn = post_body;
    req->http.ca_file = sl->ca_file;
    req->http.timeout_ms = 10000;
    req->http.max_response = 256 * 1024;
    return OUTBOX_POST;
}

static void
post_drained(struct outbox *ob, bool timed_out)
{
    struct slack *sl = ob->owner;

    if (timed_out && !sl->quiesced)
        on_quiesced(sl);
    check_closed(sl);
}

static const struct outbox_ops slack_outbox_ops = {
    .prepare = post_prepare,
    .classify = post_classify,
    .cleanup = post_cleanup,
    .drained = post_drained,
};

/*
 * The JSON of one message for @d: a chat.postMessage body, a response_url
 * body, or (@ack) the payload of a slash command's ack.  NULL when a text is
 * not UTF-8 (never sent).
 */
static json_t *
message_json(const struct slack_dest *d, const struct slack_message *m, bool ack)
{
    json_t *o;

    if (d->channel == NULL) {
        o = json_pack("{s:s, s:s}", "response_type",
                      d->in_channel ? "in_channel" : "ephemeral", "text", m->text);
        if (o != NULL && !ack)
            json_object_set_new(o, "replace_original", json_false());
    } else {
        /* link_names and parse stay off: "@channel" in text must not ping. */
        o = json_pack("{s:s, s:s, s:b, s:b, s:b}", "channel", d->channel, "text", m->text,
                      "mrkdwn", 1, "unfurl_links", 0, "unfurl_media", 0);
        if (o != NULL && d->thread != NULL)
            json_object_set_new(o, "thread_ts", json_string(d->thread));
    }
    if (o != NULL && json_array_size(m->blocks) > 0)
        json_object_set(o, "blocks", m->blocks);
    return o;
}

/* The body of @p's current message, made as its request starts (http.h body_fn). */
static char *
post_body(void *arg, size_t *len)
{
    struct slack_post *p = arg; /* its outbox_post first */
    struct slack_dest d = {
        .channel = p->channel, .thread = p->thread, .in_channel = p->in_channel};
    struct slack_message *msgs;
    size_t n = slack_render(&p->body, SLACK_MAX_TEXT, &msgs);
    size_t i = p->msg[p->ob.part];
    json_t *o = i < n ? message_json(&d, &msgs[i], false) : NULL;
    char *body = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;

    json_decref(o);
    slack_messages_free(msgs, n);
    if (body == NULL) { /* cannot happen: slack_send() made this one the same way */
        log_warnx("%s: event=%s: a reply message could not be made again",
                  p->ob.ob->ad->name, p->ob.event_id);
        body = xstrdup("{}"); /* refused by Slack, and logged as such */
    }
    *len = strlen(body);
    return body;
}

/*
 * The reply to the slash command being acked (see answer_in_ack), if @reply
 * is it and is ready now: its first message goes in the ack.
 */
static bool
capturing(const struct slack *sl, const struct chat_reply *reply)
{
    const struct slack_capture *cap = sl->capture;

    return cap != NULL && cap->payload == NULL && reply->reply_url != NULL &&
           reply->delay_ms == 0 && reply->event_id != NULL &&
           strcmp(reply->event_id, cap->event_id) == 0;
}

static enum bot_err
slack_send(struct adapter *ad, const struct chat_reply *reply)
{
    struct slack *sl = ad->priv;
    struct slack_post *p;
    struct slack_message *msgs;
    struct slack_dest d = {0};
    json_t *payload = NULL;
    size_t n, nparts = 0;

    if (reply->channel == NULL && reply->dm_user == NULL && reply->reply_url == NULL)
        return BOT_EINVAL;
    if (reply->reply_url != NULL) {
        d.in_channel = reply->in_channel;
    } else {
        /* A user id as channel posts in the app's DM with that person. */
        d.channel = reply->dm_user ? reply->dm_user : reply->channel;
        if (reply->thread != NULL && reply->dm_user == NULL && !reply->in_channel)
            d.thread = reply->thread;
    }
    /* Rendered now to know the messages and to check each can be sent; the
     * JSON is made again, one message at a time, as each post starts. */
    n = slack_render(&reply->body, SLACK_MAX_TEXT, &msgs);
    p = xcalloc(1, sizeof(*p));
    p->msg = xcalloc(n > 0 ? n : 1, sizeof(*p->msg));
    for (size_t i = 0; i < n; i++) {
        json_t *o = message_json(&d, &msgs[i], false);

        if (o == NULL) /* only for text that is not UTF-8: never sent */
            continue;
        p->msg[nparts++] = i;
        if (nparts == 1 && capturing(sl, reply))
            payload = message_json(&d, &msgs[i], true);
        json_decref(o);
    }
    slack_messages_free(msgs, n);
    if (nparts == 0) {
        free(p->msg);
        free(p);
        return BOT_EINVAL;
    }
    p->channel = xstrdup_or_null(d.channel);
    p->thread = xstrdup_or_null(d.thread);
    p->in_channel = d.in_channel;
    reply_copy(&p->body, &reply->body);
    p->response_url = reply->reply_url != NULL;
    p->url = xstrdup_or_null(reply->reply_url);
    /* The first message rides in the ack; the rest (or, if the ack is lost,
     * all) follow through the response_url once the ack is out. */
    p->ob.in_flight_ack = payload != NULL;
    outbox_add(&sl->outbox, &p->ob, reply->event_id, nparts, reply->delay_ms);
    if (payload != NULL) {
        sl->capture->payload = payload;
        sl->capture->post = p;
        p->ob.part = 1;
    }
    return BOT_OK;
}

/* ---- The connection --------------------------------------------------- */

static void open_connection(struct slack *sl);
static void auth_test(struct slack *sl);

/* A socket that delivers events and is not about to go away. */
static bool
have_live_socket(const struct slack *sl)
{
    for (const struct slack_sock *s = sl->socks; s != NULL; s = s->next) {
        if (s->hello && !s->retiring && !s->doomed)
            return true;
    }
    return false;
}

static bool
opening(const struct slack *sl)
{
    if (sl->open_call != NULL)
        return true;
    for (const struct slack_sock *s = sl->socks; s != NULL; s = s->next) {
        if (!s->hello && !s->retiring)
            return true;
    }
    return false;
}

static void
on_retry(void *arg)
{
    struct slack *sl = arg;

    if (sl->state == SLACK_AUTH)
        auth_test(sl);
    else if (sl->state == SLACK_RUN && !have_live_socket(sl) && !opening(sl))
        open_connection(sl);
}

/* Schedules the next attempt after @ms, replacing any earlier schedule. */
static void
retry_in(struct slack *sl, uint64_t ms)
{
    if (sl->state == SLACK_STOPPING || sl->state == SLACK_CLOSED)
        return;
    log_info("%s: next connection attempt in %llu ms", sl->ad->name,
             (unsigned long long)ms);
    net_timer_start(sl->retry_timer, ms);
}

static void
retire(struct slack_sock *s)
{
    s->retiring = true;
    if (s->ws != NULL)
        ws_close(s->ws);
}

static void
sock_free(struct slack_sock *s)
{
    struct slack *sl = s->sl;
    struct slack_sock **pp = &sl->socks;

    while (*pp != s)
        pp = &(*pp)->next;
    *pp = s->next;
    net_timer_free(s->hello_timer);
    free(s);
}

/* A new pending ack of @sl's, in its list. */
static struct slack_pending *
pending_new(struct slack *sl)
{
    struct slack_pending *pe = xcalloc(1, sizeof(*pe));

    pe->sl = sl;
    pe->next = sl->pending;
    if (sl->pending != NULL)
        sl->pending->prev = pe;
    sl->pending = pe;
    return pe;
}

static void
pending_free(struct slack_pending *pe)
{
    struct slack *sl = pe->sl;

    if (pe->prev != NULL)
        pe->prev->next = pe->next;
    else
        sl->pending = pe->next;
    if (pe->next != NULL)
        pe->next->prev = pe->prev;
    if (pe->post != NULL)
        pe->post->acking = NULL;
    chat_event_cleanup(&pe->ev);
    free(pe);
}

static void
on_ack_sent(struct ws_conn *conn, void *arg, enum bot_err err)
{
    struct slack_pending *pe = arg;
    struct slack *sl = pe->sl;

    (void)conn;
    if (err != BOT_OK)
        log_warnx("%s: event=%s: socket closed before its ack; Slack will redeliver it",
                  sl->ad->name, pe->ev.event_id);
    else if (sl->state == SLACK_RUN || sl->state == SLACK_STOPPING)
        sl->ad->deliver(sl->ad, &pe->ev); /* acked, so it must be answered */
    pending_free(pe);
}

/*
 * Acks @envelope_id on @s.  When @ev is given (moved into a pending entry,
 * even on failure) it goes to the core once the ack is on the wire, so no
 * reply can overtake its ack.
 */
static void
send_ack(struct slack_sock *s, const char *envelope_id, struct chat_event *ev)
{
    struct slack *sl = s->sl;
    json_t *o = json_pack("{s:s}", "envelope_id", envelope_id);
    char *ack = json_dumps(o, JSON_COMPACT);
    struct slack_pending *pe = NULL;
    enum bot_err err;

    json_decref(o);
    if (ev != NULL) {
        pe = pending_new(sl);
        pe->ev = *ev;
        memset(ev, 0, sizeof(*ev));
    }
    err = ws_send_notify(s->ws, ack, strlen(ack), pe ? on_ack_sent : NULL, pe);
    if (err != BOT_OK) {
        log_warnx("%s: socket %u: ack of %s not sent: %s", sl->ad->name, s->id,
                  envelope_id, bot_strerror(err));
        if (pe != NULL)
            pending_free(pe);
    }
    free(ack);
}

static void
on_answer_acked(struct ws_conn *conn, void *arg, enum bot_err err)
{
    struct slack_pending *pe = arg;
    struct slack *sl = pe->sl;
    struct slack_post *p = pe->post;

    (void)conn;
    pending_free(pe); /* clears p->acking */
    if (p == NULL)
        return; /* abandoned at shutdown */
    if (err != BOT_OK) {
        log_warnx("%s: event=%s: socket closed before its ack; answering through the "
                  "response_url",
                  sl->ad->name, p->ob.event_id);
        p->ob.part = 0;
    } else {
        sl->ad->stats.posts++;
        log_debug("%s: event=%s reply sent in the ack", sl->ad->name, p->ob.event_id);
        if (p->ob.part >= p->ob.nparts) {
            outbox_drop(&p->ob);
            check_closed(sl);
            return;
        }
    }
    outbox_resume(&p->ob);
}

/*
 * Acks the slash command @ev (@envelope_id on @s) with its answer when the
 * core has one at once and it fits one message; the rest of a longer answer
 * follows through the response_url after the ack.  The core answers from
 * memory (a declined question adds one SQLite insert), so the ack still
 * leaves within a millisecond or so (tests/bench/bench_slack.py measures it).
 * Anything the core answers later goes through the response_url as before.
 */
static void
answer_in_ack(struct slack_sock *s, const char *envelope_id, const struct chat_event *ev)
{
    struct slack *sl = s->sl;
    struct slack_capture cap = {.event_id = ev->event_id};
    struct slack_pending *pe = NULL;
    json_t *o;
    char *ack;
    enum bot_err err;

    sl->capture = &cap;
    sl->ad->deliver(sl->ad, ev);
    sl->capture = NULL;
    o = json_pack("{s:s}", "envelope_id", envelope_id);
    if (cap.payload != NULL)
        json_object_set_new(o, "payload", cap.payload);
    ack = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (cap.post != NULL) {
        pe = pending_new(sl);
        pe->post = cap.post;
        cap.post->acking = pe;
    }
    err = ws_send_notify(s->ws, ack, strlen(ack), pe ? on_answer_acked : NULL, pe);
    if (err != BOT_OK) {
        log_warnx("%s: socket %u: ack of %s not sent: %s", sl->ad->name, s->id,
                  envelope_id, bot_strerror(err));
        if (pe != NULL) {
            on_answer_acked(s->ws, pe, err);
        }
    }
    free(ack);
}

static void
on_hello(struct slack_sock *s, const struct slack_envelope *env)
{
    struct slack *sl = s->sl;

    s->hello = true;
    sl->ad->stats.connects++;
    sl->problem[0] = '\0';
    net_timer_stop(s->hello_timer);
    backoff_reset(&sl->bo);
    backoff_reset(&sl->bo_hard);
    backoff_reset(&sl->bo_slow);
    net_timer_stop(sl->retry_timer);
    log_info("%s: connected (socket %u, %ld connection(s) open)", sl->ad->name, s->id,
             env->num_connections);
    /* Make before break: the older sockets go only now that this one is up. */
    for (struct slack_sock *o = sl->socks; o != NULL; o = o->next) {
        if (o != s && !o->retiring) {
            log_info("%s: socket %u replaced by socket %u", sl->ad->name, o->id, s->id);
            retire(o);
        }
    }
    if (env->approx_secs > 0) {
        /* Refresh ahead of Slack, at 90% of the lifetime it announced. */
        net_timer_start(sl->refresh_timer, (uint64_t)env->approx_secs * 900);
    }
}

static void
on_disconnect(struct slack_sock *s, const char *reason)
{
    struct slack *sl = s->sl;

    if (reason == NULL)
        reason = "unknown";
    if (strcmp(reason, "link_disabled") == 0 ||
        strcmp(reason, "too_many_websockets") == 0) {
        bool other = false;

        for (struct slack_sock *o = sl->socks; o != NULL; o = o->next)
            other = other || (o != s && o->hello && !o->retiring);
        log_warnx("%s: socket %u: Slack says %s%s", sl->ad->name, s->id, reason,
                  strcmp(reason, "link_disabled") == 0
                      ? ": Socket Mode is off in the app settings"
                      : ": another process may be using this app's token");
        retire(s);
        if (!other && !opening(sl))
            retry_in(sl, backoff_next(&sl->bo_hard, net_random(sl->ad->loop)));
        return;
    }
    /* warning, refresh_requested, and anything new: replace, then close.
     * It keeps delivering (and being acked) until the replacement is up. */
    s->doomed = true;
    log_info("%s: socket %u: disconnect (%s); opening a replacement", sl->ad->name, s->id,
             reason);
    if (!opening(sl))
        open_connection(sl);
}

static void
on_ws_open(struct ws_conn *conn, void *arg)
{
    struct slack_sock *s = arg;

    (void)conn;
    log_debug("%s: socket %u open, waiting for hello", s->sl->ad->name, s->id);
}

/* Says at debug why an envelope gets no answer, so that silence is explained. */
static void
log_ignored(struct slack *sl, const struct slack_envelope *env, const json_t *root,
            const char *why)
{
    const json_t *pl, *e;
    const char *etype, *subtype;

    if (!log_enabled(LOG_LEVEL_DEBUG))
        return;
    pl = json_object_get(root, "payload");
    e = json_object_get(pl, "event");
    etype = adapter_jstr(e, "type");
    subtype = adapter_jstr(e, "subtype");
    if (strcmp(env->type, "slash_commands") == 0)
        etype = adapter_jstr(pl, "command");
    log_debug("%s: envelope %s (%.40s%s%.60s) ignored: %s", sl->ad->name,
              env->envelope_id ? env->envelope_id : "-", etype ? etype : env->type,
              subtype ? ", subtype " : "", subtype ? subtype : "", why);
}

static void
on_ws_message(struct ws_conn *conn, void *arg, enum bot_err err, const char *buf,
              size_t len)
{
    struct slack_sock *s = arg;
    struct slack *sl = s->sl;
    struct slack_envelope env;
    struct chat_event ev;
    const char *why;
    json_t *root;

    (void)conn;
    if (err != BOT_OK) {
        log_warnx("%s: socket %u: %s frame skipped", sl->ad->name, s->id,
                  err == BOT_ELIMIT ? "oversized" : "binary");
        return;
    }
    root = load_frame(buf, len, &err);
    if (root == NULL || envelope_from_json(root, &env) != BOT_OK) {
        log_warnx("%s: socket %u: %s frame skipped (%zu bytes)", sl->ad->name, s->id,
                  err == BOT_ELIMIT ? "oversized" : "malformed", len);
        json_decref(root);
        return;
    }
    if (strcmp(env.type, "events_api") == 0 || strcmp(env.type, "slash_commands") == 0) {
        /* Parsing is the only work done before the ack: it is in memory and
         * bounded, and the event must be complete before the ack is queued.
         * A slash command is answered too, when its ack can carry the answer. */
        err = event_from_json(sl, root, &ev, &why);
        if (err == BOT_EPARSE)
            log_warnx("%s: envelope %s: %s payload malformed, skipped", sl->ad->name,
                      env.envelope_id ? env.envelope_id : "-", env.type);
        else if (err == BOT_EIGNORE)
            log_ignored(sl, &env, root, why);
        else if (err == BOT_OK)
            log_debug("%s: envelope %s retry=%ld text=\"%s\"", sl->ad->name,
                      env.envelope_id ? env.envelope_id : "-", env.retry_attempt,
                      ev.text);
        if (err == BOT_OK && sl->state == SLACK_STOPPING) {
            /* A question after the stop: left unacked, Slack redelivers it to a
             * connection (another replica, or ours after restart) that will
             * answer it.  Frames with nothing to answer are still acked. */
            log_info("%s: event=%s left unacked: shutting down", sl->ad->name,
                     ev.event_id);
        } else if (env.envelope_id != NULL && err == BOT_OK && ev.is_command &&
                   env.accepts_payload && sl->state == SLACK_RUN) {
            answer_in_ack(s, env.envelope_id, &ev);
        } else if (env.envelope_id != NULL) {
            send_ack(s, env.envelope_id, err == BOT_OK ? &ev : NULL);
        }
        chat_event_cleanup(&ev);
        goto out;
    }
    if (env.envelope_id != NULL)
        send_ack(s, env.envelope_id, NULL); /* interactive and anything new */
    if (strcmp(env.type, "hello") == 0) {
        on_hello(s, &env);
    } else if (strcmp(env.type, "disconnect") == 0) {
        on_disconnect(s, env.reason);
    } else if (strcmp(env.type, "interactive") == 0) {
        log_debug("%s: interactive envelope ignored", sl->ad->name);
    } else {
        log_info("%s: socket %u: unknown frame type \"%.40s\" skipped", sl->ad->name,
                 s->id, env.type);
    }
out:
    slack_envelope_cleanup(&env);
    json_decref(root);
}

static void
on_ws_close(struct ws_conn *conn, void *arg, enum bot_err err, const char *why)
{
    struct slack_sock *s = arg;
    struct slack *sl = s->sl;
    bool expected = s->retiring;

    (void)conn;
    (void)err;
    s->ws = NULL;
    if (expected) {
        log_info("%s: socket %u closed", sl->ad->name, s->id);
    } else {
        log_warnx("%s: socket %u %s: %s", sl->ad->name, s->id,
                  s->hello ? "dropped" : "failed", why);
        snprintf(sl->problem, sizeof(sl->problem), "socket %s: %s",
                 s->hello ? "dropped" : "failed", why);
    }
    sock_free(s);
    if (sl->state != SLACK_RUN) {
        check_closed(sl);
        return;
    }
    if (!have_live_socket(sl) && !opening(sl) && !net_timer_is_active(sl->retry_timer))
        retry_in(sl, backoff_next(&sl->bo, net_random(sl->ad->loop)));
}

static void
on_hello_timeout(void *arg)
{
    struct slack_sock *s = arg;

    log_warnx("%s: socket %u: no hello within %d s; reconnecting", s->sl->ad->name, s->id,
              SLACK_HELLO_TIMEOUT_MS / 1000);
    /* Closed as a failure: on_ws_close schedules the retry. */
    if (s->ws != NULL)
        ws_close(s->ws);
}

static void
connect_socket(struct slack *sl, const char *url)
{
    struct slack_sock *s = xcalloc(1, sizeof(*s));
    struct ws_options opt = {
        .max_message = SLACK_MAX_FRAME,
        .ping_secs = sl->ping_secs,
        .hangup_secs = sl->hangup_secs,
        .name = sl->ad->name,
        .on_open = on_ws_open,
        .on_message = on_ws_message,
        .on_close = on_ws_close,
        .arg = s,
    };
    enum bot_err err;

    s->sl = sl;
    s->id = ++sl->next_sock_id;
    s->hello_timer = net_timer_new(sl->ad->loop, on_hello_timeout, s);
    s->next = sl->socks;
    sl->socks = s;
    if ((err = ws_connect(sl->ad->loop, url, &opt, &s->ws)) != BOT_OK) {
        log_warnx("%s: socket %u: cannot connect: %s", sl->ad->name, s->id,
                  outbox_url_problem(err));
        sock_free(s);
        if (!have_live_socket(sl))
            retry_in(sl, backoff_next(&sl->bo, net_random(sl->ad->loop)));
        return;
    }
    log_debug("%s: socket %u connecting", sl->ad->name, s->id);
    net_timer_start(s->hello_timer, SLACK_HELLO_TIMEOUT_MS);
}

/* Errors after which the node SDK stops retrying: the token itself is bad. */
static bool
is_auth_error(const char *e)
{
    static const char *const bad[] = {"not_authed",
                                      "invalid_auth",
                                      "account_inactive",
                                      "user_removed_from_team",
                                      "team_disabled",
                                      "token_revoked",
                                      "not_allowed_token_type"};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (strcmp(e, bad[i]) == 0)
            return true;
    }
    return false;
}

/* Logs a failed Web API call and schedules its retry; @which names the token. */
static void
call_failed(struct slack *sl, const char *method, const char *which,
            const struct http_response *resp, const char *error, long retry_ms)
{
    uint64_t delay;

    snprintf(sl->problem, sizeof(sl->problem), "%s: %s", method, error);
    if (resp->err == BOT_OK && resp->status == 429) {
        sl->ad->stats.rate_limited++;
        delay = retry_ms > 0 ? (uint64_t)retry_ms : SLACK_RATELIMIT_MS;
        log_warnx("%s: %s rate limited; waiting %llu ms", sl->ad->name, method,
                  (unsigned long long)delay);
    } else if (is_auth_error(error)) {
        delay = backoff_next(&sl->bo_slow, net_random(sl->ad->loop));
        log_warnx("%s: %s: Slack rejected the %s (%s); check the token; retrying slowly",
                  sl->ad->name, method, which, error);
    } else {
        delay = backoff_next(&sl->bo, net_random(sl->ad->loop));
        log_warnx("%s: %s failed: %s", sl->ad->name, method, error);
    }
    retry_in(sl, delay);
}

static void
on_open_done(void *arg, const struct http_response *resp)
{
    struct slack *sl = arg;
    char error[160];
    long retry_ms;
    json_t *root;
    const char *url;

    sl->open_call = NULL;
    if (slack_outcome(resp, false, &retry_ms, error, sizeof(error)) != SLACK_POSTED) {
        call_failed(sl, "apps.connections.open", "app-level token (SLACK_APP_TOKEN)",
                    resp, error, retry_ms);
        return;
    }
    root = json_loadb(resp->body, resp->len, 0, NULL);
    url = adapter_jstr(root, "url");
    if (url == NULL) {
        log_warnx("%s: apps.connections.open: no url in the answer", sl->ad->name);
        retry_in(sl, backoff_next(&sl->bo, net_random(sl->ad->loop)));
    } else {
        connect_socket(sl, url);
    }
    json_decref(root);
}

static void
open_connection(struct slack *sl)
{
    char *url = api_url(sl, "apps.connections.open");
    struct http_request req = {
        .method = "POST",
        .url = url,
        .auth = sl->app_auth,
        .content_type = "application/x-www-form-urlencoded",
        .ca_file = sl->ca_file,
    };
    enum bot_err err;

    if (sl->state != SLACK_RUN || sl->open_call != NULL)
        goto out;
    net_timer_stop(sl->retry_timer);
    if ((err = http_request(sl->ad->loop, &req, on_open_done, sl, &sl->open_call)) !=
        BOT_OK) {
        log_warnx("%s: api_url %s", sl->ad->name, outbox_url_problem(err));
        retry_in(sl, backoff_next(&sl->bo_slow, net_random(sl->ad->loop)));
    }
out:
    free(url);
}

static void
on_refresh(void *arg)
{
    struct slack *sl = arg;

    log_info("%s: connection near its announced lifetime; refreshing", sl->ad->name);
    for (struct slack_sock *s = sl->socks; s != NULL; s = s->next)
        s->doomed = s->doomed || s->hello;
    if (!opening(sl))
        open_connection(sl);
}

static void
on_auth_done(void *arg, const struct http_response *resp)
{
    struct slack *sl = arg;
    char error[160];
    long retry_ms;
    json_t *root;
    const char *user;

    sl->auth_call = NULL;
    if (slack_outcome(resp, false, &retry_ms, error, sizeof(error)) != SLACK_POSTED) {
        call_failed(sl, "auth.test", "bot token (SLACK_BOT_TOKEN)", resp, error,
                    retry_ms);
        return;
    }
    root = json_loadb(resp->body, resp->len, 0, NULL);
    user = adapter_jstr(root, "user_id");
    if (user == NULL) {
        log_warnx("%s: auth.test: no user_id in the answer", sl->ad->name);
        json_decref(root);
        retry_in(sl, backoff_next(&sl->bo, net_random(sl->ad->loop)));
        return;
    }
    free(sl->self_user);
    free(sl->self_bot);
    sl->self_user = xstrdup(user);
    sl->self_bot = xstrdup_or_null(adapter_jstr(root, "bot_id"));
    log_info("%s: authenticated as %s (team %s)", sl->ad->name, sl->self_user,
             adapter_jstr(root, "team_id") ? adapter_jstr(root, "team_id") : "?");
    json_decref(root);
    backoff_reset(&sl->bo_slow);
    sl->state = SLACK_RUN;
    open_connection(sl);
}

static void
auth_test(struct slack *sl)
{
    char *url = api_url(sl, "auth.test");
    struct http_request req = {
        .method = "POST",
        .url = url,
        .auth = sl->bot_auth,
        .content_type = "application/x-www-form-urlencoded",
        .ca_file = sl->ca_file,
    };
    enum bot_err err;

    if ((err = http_request(sl->ad->loop, &req, on_auth_done, sl, &sl->auth_call)) !=
        BOT_OK) {
        log_warnx("%s: api_url %s", sl->ad->name, outbox_url_problem(err));
        retry_in(sl, backoff_next(&sl->bo_slow, net_random(sl->ad->loop)));
    }
    free(url);
}

/* ---- Lifecycle -------------------------------------------------------- */

static enum bot_err
slack_create(struct adapter *ad, const struct adapter_conf *conf)
{
    struct slack *sl;
    unsigned scale;

    if (conf->token == NULL || conf->app_token == NULL || conf->url == NULL)
        return BOT_EINVAL;
    sl = xcalloc(1, sizeof(*sl));
    sl->ad = ad;
    sl->api_url =
        xasprintf("%s%s", conf->url,
                  conf->url[0] && conf->url[strlen(conf->url) - 1] == '/' ? "" : "/");
    sl->app_auth = xasprintf("Bearer %s", conf->app_token);
    sl->bot_auth = xasprintf("Bearer %s", conf->token);
    sl->post_url = api_url(sl, "chat.postMessage");
    sl->ca_file = xstrdup_or_null(conf->ca_file);
    sl->slash = xcalloc(conf->nslash + 1, sizeof(char *));
    for (size_t i = 0; i < conf->nslash; i++)
        sl->slash[sl->nslash++] = xstrdup(conf->slash_commands[i]);
    /*
     * Timings in ms.  VALUESBOT_SLACK_BACKOFF_DIV divides the reconnect
     * delays and VALUESBOT_SLACK_PING_SECS / _HANGUP_SECS set the watchdog,
     * so that integration tests need not wait minutes; operators leave them.
     */
    scale = adapter_env_uint("VALUESBOT_SLACK_BACKOFF_DIV", 1, 1000);
    backoff_init(&sl->bo, 500 / scale + 1, 30000 / scale + 1);
    backoff_init(&sl->bo_hard, 30000 / scale + 1, 300000 / scale + 1);
    backoff_init(&sl->bo_slow, 60000 / scale + 1, 900000 / scale + 1);
    sl->ping_secs = adapter_env_uint("VALUESBOT_SLACK_PING_SECS", 10, 3600);
    sl->hangup_secs = adapter_env_uint("VALUESBOT_SLACK_HANGUP_SECS", 30, 3600);
    sl->retry_timer = net_timer_new(ad->loop, on_retry, sl);
    sl->refresh_timer = net_timer_new(ad->loop, on_refresh, sl);
    outbox_init(&sl->outbox, ad, sl, &slack_outbox_ops, SLACK_MAX_POSTING,
                SLACK_POST_DEADLINE_MS, 500, 8000);
    ad->priv = sl;
    return BOT_OK;
}

static enum bot_err
slack_connect(struct adapter *ad)
{
    struct slack *sl = ad->priv;

    log_info("%s: connecting to %s", ad->name, sl->api_url);
    sl->state = SLACK_AUTH;
    auth_test(sl);
    return BOT_OK;
}

static void
check_closed(struct slack *sl)
{
    if (sl->state != SLACK_STOPPING || !sl->quiesced || sl->socks != NULL ||
        outbox_busy(&sl->outbox))
        return;
    sl->state = SLACK_CLOSED;
    sl->ad->on_closed(sl->ad);
}

static void
on_quiesced(void *arg)
{
    struct slack *sl = arg;

    sl->quiesced = true;
    for (struct slack_sock *s = sl->socks; s != NULL; s = s->next)
        retire(s);
    check_closed(sl);
}

static void
slack_shutdown(struct adapter *ad, uint64_t grace_ms)
{
    struct slack *sl = ad->priv;

    if (sl->state == SLACK_STOPPING || sl->state == SLACK_CLOSED)
        return;
    sl->state = SLACK_STOPPING;
    net_timer_stop(sl->retry_timer);
    net_timer_stop(sl->refresh_timer);
    if (sl->auth_call != NULL)
        http_cancel(sl->auth_call);
    if (sl->open_call != NULL)
        http_cancel(sl->open_call);
    sl->auth_call = sl->open_call = NULL;
    /* The sockets close after a short quiet spell, so that frames already on
     * their way (echoes of our own replies, say) are still acked; questions
     * arriving meanwhile are left unacked for redelivery (on_ws_message). */
    sl->quiesce_timer = net_timer_new(ad->loop, on_quiesced, sl);
    net_timer_start(sl->quiesce_timer, SLACK_QUIESCE_MS);
    outbox_drain(&sl->outbox, grace_ms);
}

static void
slack_destroy(struct adapter *ad)
{
    struct slack *sl = ad->priv;

    if (sl == NULL)
        return;
    outbox_cleanup(&sl->outbox);
    while (sl->pending != NULL)
        pending_free(sl->pending);
    if (sl->auth_call != NULL)
        http_cancel(sl->auth_call);
    if (sl->open_call != NULL)
        http_cancel(sl->open_call);
    /* Normally every socket closed before on_closed; after a forced stop,
     * cut the rest loose so that no callback reaches freed memory. */
    while (sl->socks != NULL) {
        if (sl->socks->ws != NULL)
            ws_abandon(sl->socks->ws);
        sock_free(sl->socks);
    }
    net_timer_free(sl->retry_timer);
    net_timer_free(sl->refresh_timer);
    net_timer_free(sl->quiesce_timer);
    for (size_t i = 0; i < sl->nslash; i++)
        free(sl->slash[i]);
    free(sl->slash);
    free(sl->api_url);
    free(sl->post_url);
    xfree_secret(sl->app_auth);
    xfree_secret(sl->bot_auth);
    free(sl->ca_file);
    free(sl->self_user);
    free(sl->self_bot);
    free(sl);
    ad->priv = NULL;
}

static size_t
slack_max_message_len(const struct adapter *ad)
{
    (void)ad;
    return SLACK_MAX_TEXT;
}

static bool
slack_connected(const struct adapter *ad, char *why, size_t len)
{
    const struct slack *sl = ad->priv;

    if (have_live_socket(sl))
        return true;
    snprintf(why, len, "%s", sl->problem[0] != '\0' ? sl->problem : "connecting");
    return false;
}

const struct adapter_ops slack_adapter_ops = {
    .kind = "slack",
    .create = slack_create,
    .connect = slack_connect,
    .parse = slack_parse,
    .send = slack_send,
    .shutdown = slack_shutdown,
    .destroy = slack_destroy,
    .max_message_len = slack_max_message_len,
    .connected = slack_connected,
};
