/*
 * mm_parse.c - websocket frames and posts into chat_events.
 */
#include "bot/adapters/mattermost/mm_priv.h"

/* ---- Parsing ---------------------------------------------------------- */

/* Mattermost ids are 26 base32 characters; anything else is refused before it
 * reaches a URL, a log line or a config lookup. */
bool
mm_id_ok(const char *s)
{
    size_t n = 0;

    if (s == NULL || *s == '\0')
        return false;
    /* ASCII letters and digits by range: isalnum() would follow the locale. */
    for (; s[n]; n++) {
        char c = s[n], low = (char)(c | 0x20);

        if (n >= MM_MAX_ID || !((low >= 'a' && low <= 'z') || (c >= '0' && c <= '9') ||
                                c == '_' || c == '-'))
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

/*
 * What the adapter reads of a frame (mm_frame_from_json(), on_reply(),
 * event_from_posted()) and of a post (mm_event_from_post()); a field read
 * there must be named here too.  The rest is checked but not kept.
 */
static const struct jsonpick_key data_keys[] = {
    {"connection_id", NULL},
    {"server_time", NULL},
    {"post", NULL},
    {"channel_type", NULL},
    {"team_id", NULL},
    {"mentions", NULL},
    {NULL, NULL},
};
static const struct jsonpick_key error_keys[] = {{"id", NULL}, {NULL, NULL}};
const struct jsonpick_key mm_frame_keys[] = {
    {"event", NULL},     {"seq", NULL},         {"seq_reply", NULL}, {"status", NULL},
    {"data", data_keys}, {"error", error_keys}, {NULL, NULL},
};
static const struct jsonpick_key props_keys[] = {
    {"from_bot", NULL}, {"from_webhook", NULL}, {NULL, NULL}};
static const struct jsonpick_key post_keys[] = {
    {"id", NULL},          {"user_id", NULL},   {"channel_id", NULL},
    {"root_id", NULL},     {"type", NULL},      {"message", NULL},
    {"props", props_keys}, {"delete_at", NULL}, {NULL, NULL},
};

json_t *
mm_load_object(const char *buf, size_t len, size_t max, size_t flags,
               const struct jsonpick_key *keep, enum bot_err *err)
{
    json_t *root;

    if (len > max) {
        *err = BOT_ELIMIT;
        return NULL;
    }
    /* Stricter than either set of @flags: what it vouches for, jansson reads alike. */
    if (keep != NULL && (root = jsonpick_load(buf, len, keep)) != NULL) {
        *err = BOT_OK;
        return root;
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

enum bot_err
mm_frame_from_json(const json_t *root, struct mm_frame *f)
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

        if (mm_id_ok(cid))
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
    if ((root = mm_load_object(buf, len, MM_MAX_FRAME, JSON_REJECT_DUPLICATES,
                               mm_frame_keys, &err)) == NULL)
        return err;
    err = mm_frame_from_json(root, f);
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

/*
 * Reads @list, a JSON array of strings without escapes (user ids), for @id:
 * 1 when it holds it, 0 when not, -1 when @list is anything else (then
 * jansson reads it).  A question's frame names its mentions this way, and a
 * whole JSON parse of them cost more than the rest of the frame's reading.
 */
static int
id_list_has(const char *list, size_t len, const char *id)
{
    const char *end = list + len, *p = adapter_json_skip_ws(list, end), *q;
    size_t n = strlen(id);
    int found = 0;

    if (p == end || *p++ != '[')
        return -1;
    if ((p = adapter_json_skip_ws(p, end)) < end && *p == ']')
        return adapter_json_skip_ws(p + 1, end) == end ? 0 : -1;
    for (;;) {
        if (p == end || *p != '"')
            return -1;
        for (q = p + 1; q < end && *q != '"'; q++) {
            if (*q == '\\' || (unsigned char)*q < 0x20 || (unsigned char)*q >= 0x80)
                return -1;
        }
        if (q == end)
            return -1;
        if ((size_t)(q - p - 1) == n && memcmp(p + 1, id, n) == 0)
            found = 1;
        p = adapter_json_skip_ws(q + 1, end);
        if (p < end && *p == ']')
            return adapter_json_skip_ws(p + 1, end) == end ? found : -1;
        if (p == end || *p++ != ',')
            return -1;
        p = adapter_json_skip_ws(p, end);
    }
}

/* True when data.mentions, a JSON string holding a list of user ids, has @id. */
static bool
mentions_has(const char *mentions, const char *id)
{
    json_t *list;
    size_t i;
    json_t *v;
    bool found = false;
    int has;
    size_t len;

    if (mentions == NULL || id == NULL || (len = strlen(mentions)) > MM_MAX_POST)
        return false;
    if ((has = id_list_has(mentions, len, id)) >= 0)
        return has == 1;
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
enum bot_err
mm_event_from_post(const char *self_id, const char *self_name, const json_t *post,
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

    if (!mm_id_ok(id) || !mm_id_ok(user) || !mm_id_ok(channel) || message == NULL ||
        (root_id != NULL && *root_id != '\0' && !mm_id_ok(root_id)))
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
    ev->workspace = team != NULL && mm_id_ok(team) ? xstrdup(team) : NULL;
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
    const char *post_str = adapter_jstr(data, "post"), *uid;
    size_t post_len, ulen;
    json_t *post;
    enum bot_err err;

    if (!json_is_object(data) || post_str == NULL)
        return BOT_EPARSE;
    post_len = json_string_length(json_object_get(data, "post"));
    /* Our own posts come back to us, one for every reply and the longest
     * frames we get: one look at the post's first user_id, a member at its
     * top level and near its start, drops them unread past it (what follows
     * would be read only to be ignored); every other post is read whole. */
    if (self_id != NULL &&
        adapter_json_first(post_str, post_len, "user_id", &uid, &ulen) == 1 &&
        ulen == strlen(self_id) + 2 && uid[0] == '"' &&
        memcmp(uid + 1, self_id, ulen - 2) == 0 && uid[ulen - 1] == '"')
        return BOT_EIGNORE;
    /* data.post is JSON inside a JSON string: parse it a second time. */
    post =
        mm_load_object(post_str, post_len, MM_MAX_POST, JSON_ALLOW_NUL, post_keys, &err);
    if (post == NULL)
        return err;
    err = mm_event_from_post(self_id, self_name, post, adapter_jstr(data, "channel_type"),
                             adapter_jstr(data, "team_id"),
                             adapter_jstr(data, "mentions"), ev);
    json_decref(post);
    return err;
}

enum bot_err
mm_event_from_json(const char *self_id, const char *self_name, const json_t *root,
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
    if ((root = mm_load_object(buf, len, MM_MAX_FRAME, JSON_REJECT_DUPLICATES,
                               mm_frame_keys, &err)) == NULL)
        return err;
    err = mm_event_from_json(self_id, self_name, root, ev);
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
