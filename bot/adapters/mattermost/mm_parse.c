/*
 * mm_parse.c - websocket frames and posts into chat_events.
 */
#include "bot/adapters/mattermost/mm_priv.h"

/* ---- Parsing ---------------------------------------------------------- */

/* The bytes an id may hold: ASCII letters and digits, '_' and '-' (by
 * table, not isalnum(), which would follow the locale). */
static const unsigned char id_byte[256] = {
    ['-'] = 1, ['_'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
    ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1,
    ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
    ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
    ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1,
    ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1,
    ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1,
    ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1,
    ['z'] = 1,
};

/* Mattermost ids are 26 base32 characters; anything else is refused before it
 * reaches a URL, a log line or a config lookup. */
bool
mm_id_ok(const char *s)
{
    size_t n = 0;

    if (s == NULL || *s == '\0')
        return false;
    for (; s[n]; n++) {
        if (n >= MM_MAX_ID || !id_byte[(unsigned char)s[n]])
            return false;
    }
    return true;
}

void
mm_frame_cleanup(struct mm_frame *f)
{
    free(f->store);
    memset(f, 0, sizeof(*f));
    f->seq = f->seq_reply = -1;
}

/*
 * What the adapter reads of a frame (mm_conn.c's on_reply(), on_event()) and
 * of a post (mm_event_from_post()), each member's span at its index; a field
 * read there must be named here too.  The rest is checked but not kept.
 */
enum {
    F_EVENT,
    F_SEQ,
    F_SEQ_REPLY,
    F_STATUS,
    F_CONNECTION_ID,
    F_SERVER_TIME,
    F_POST,
    F_CHANNEL_TYPE,
    F_TEAM_ID,
    F_MENTIONS,
    F_ERROR_ID,
    F_DATA,
    F_N
};
static const struct jsonpick_slot data_slots[] = {
    {"connection_id", F_CONNECTION_ID, NULL},
    {"server_time", F_SERVER_TIME, NULL},
    {"post", F_POST, NULL},
    {"channel_type", F_CHANNEL_TYPE, NULL},
    {"team_id", F_TEAM_ID, NULL},
    {"mentions", F_MENTIONS, NULL},
    {NULL, -1, NULL},
};
static const struct jsonpick_slot error_slots[] = {{"id", F_ERROR_ID, NULL},
                                                   {NULL, -1, NULL}};
static const struct jsonpick_slot frame_slots[] = {
    {"event", F_EVENT, NULL},
    {"seq", F_SEQ, NULL},
    {"seq_reply", F_SEQ_REPLY, NULL},
    {"status", F_STATUS, NULL},
    {"data", F_DATA, data_slots},
    {"error", -1, error_slots},
    {NULL, -1, NULL},
};
const struct jsonpick_slot mm_parse_props_slots[] = {
    {"from_bot", MM_P_FROM_BOT, NULL},
    {"from_webhook", MM_P_FROM_WEBHOOK, NULL},
    {NULL, -1, NULL}};
const struct jsonpick_slot mm_parse_post_slots[] = {
    {"id", MM_P_ID, NULL},
    {"user_id", MM_P_USER_ID, NULL},
    {"channel_id", MM_P_CHANNEL_ID, NULL},
    {"root_id", MM_P_ROOT_ID, NULL},
    {"type", MM_P_TYPE, NULL},
    {"message", MM_P_MESSAGE, NULL},
    {"props", -1, mm_parse_props_slots},
    {"delete_at", MM_P_DELETE_AT, NULL},
    {NULL, -1, NULL},
};

/* Bytes the strings among @v (@n spans, but for index @skip) take in a store. */
static size_t
store_size(const struct jsonpick_span *v, size_t n, size_t skip)
{
    size_t size = 0;

    for (size_t i = 0; i < n; i++) {
        if (v[i].type == 's' && i != skip)
            size += v[i].len + 1;
    }
    return size;
}

/*
 * Copies the strings among @v (@n spans, but for index @skip) to @store
 * (store_size() bytes), decoded and NUL-terminated, and points the spans at
 * the copies.
 */
static void
store_strings(struct jsonpick_span *v, size_t n, size_t skip, char *store)
{
    for (size_t i = 0; i < n; i++) {
        if (v[i].type != 's' || i == skip)
            continue;
        if (v[i].esc) {
            v[i].len = jsonpick_unescape(v[i].s, v[i].len, store, SIZE_MAX, NULL);
            v[i].esc = false;
        } else {
            memcpy(store, v[i].s, v[i].len);
        }
        store[v[i].len] = '\0';
        v[i].s = store;
        store += v[i].len + 1;
    }
}

/* A string span's text (NUL-terminated by now), or NULL for anything else. */
static char *
span_str(const struct jsonpick_span *v)
{
    return v->type == 's' ? (char *)v->s : NULL;
}

enum bot_err
mm_frame_read(const char *buf, size_t len, struct mm_frame *f)
{
    struct jsonpick_span v[F_N];
    json_t *root = NULL;
    size_t skip = F_N;

    memset(f, 0, sizeof(*f));
    f->seq = f->seq_reply = -1;
    if (len > MM_MAX_FRAME)
        return BOT_ELIMIT;
    if (jsonpick_spans(buf, len, frame_slots, v, F_N)) {
        skip = F_POST; /* read where it is: mm_event_from_frame() */
    } else {
        /* What the picker does not vouch for, jansson reads (jsonpick.h). */
        root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, NULL);
        if (!json_is_object(root)) {
            json_decref(root);
            return BOT_EPARSE;
        }
        jsonpick_spans_tree(root, frame_slots, v, F_N);
    }
    f->store = xmalloc(store_size(v, F_N, skip) + 1);
    store_strings(v, F_N, skip, f->store);
    json_decref(root);
    f->event = span_str(&v[F_EVENT]);
    f->status = span_str(&v[F_STATUS]);
    f->seq = v[F_SEQ].type == 'i' && v[F_SEQ].num >= 0 ? v[F_SEQ].num : -1;
    f->seq_reply =
        v[F_SEQ_REPLY].type == 'i' && v[F_SEQ_REPLY].num >= 0 ? v[F_SEQ_REPLY].num : -1;
    f->has_seq_reply = v[F_SEQ_REPLY].type != 0;
    if (v[F_SERVER_TIME].type == 'i' && v[F_SERVER_TIME].num > 0)
        f->server_time = v[F_SERVER_TIME].num;
    f->error_id = span_str(&v[F_ERROR_ID]);
    f->channel_type = span_str(&v[F_CHANNEL_TYPE]);
    f->team_id = span_str(&v[F_TEAM_ID]);
    f->mentions = span_str(&v[F_MENTIONS]);
    if (v[F_POST].type == 's') {
        f->post = v[F_POST].s;
        f->post_len = v[F_POST].len;
        f->post_esc = v[F_POST].esc;
    }
    if (f->event != NULL && strcmp(f->event, "hello") == 0 &&
        mm_id_ok(span_str(&v[F_CONNECTION_ID])))
        f->connection_id = span_str(&v[F_CONNECTION_ID]);
    return BOT_OK;
}

enum bot_err
mm_frame_parse(const char *buf, size_t len, struct mm_frame *f)
{
    enum bot_err err = mm_frame_read(buf, len, f);

    if (err == BOT_OK && f->event == NULL && f->seq_reply < 0)
        err = BOT_EPARSE;
    if (err != BOT_OK)
        mm_frame_cleanup(f);
    return err;
}

static bool
name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* Byte @k of @t (@len bytes), NUL past the end, as of a C string. */
static char
byte_at(const char *t, size_t len, size_t k)
{
    return k < len ? t[k] : '\0';
}

/* Length of the mention of @name at byte @i of @t (@len bytes: "@name",
 * any case), or 0.  A NUL in @t reads as a space. */
static size_t
mention_at(const char *t, size_t len, size_t i, const char *name)
{
    size_t n = strlen(name);
    char after;

    if (t[i] != '@' || n == 0 || len - i - 1 < n || strncasecmp(t + i + 1, name, n) != 0)
        return 0;
    if (i > 0 && (name_char(t[i - 1]) || t[i - 1] == '.'))
        return 0; /* part of a word or an address: not a mention */
    after = byte_at(t, len, i + 1 + n);
    if (name_char(after) || (after == '.' && name_char(byte_at(t, len, i + 2 + n))))
        return 0; /* a longer user name */
    return n + 1;
}

bool
mm_text_mentions(const char *text, const char *name)
{
    size_t len;

    if (text == NULL || name == NULL || *name == '\0')
        return false;
    len = strlen(text);
    for (const char *p = strchr(text, '@'); p != NULL; p = strchr(p + 1, '@')) {
        if (mention_at(text, len, (size_t)(p - text), name) > 0)
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
    char *out = xmalloc(len + 1), *o = out, *start, *end;
    size_t i = 0;

    /* Mattermost accepts NUL in a message; our strings end at one.  The
     * text copied a run at a time, from one '@' to the next. */
    while (i < len) {
        const char *at = memchr(text + i, '@', len - i);
        size_t run = at != NULL ? (size_t)(at - (text + i)) : len - i, m;

        for (size_t j = 0; j < run; j++)
            o[j] = text[i + j] == '\0' ? ' ' : text[i + j];
        o += run;
        i += run;
        if (i >= len)
            break;
        m = name != NULL ? mention_at(text, len, i, name) : 0;
        if (m > 0) {
            i += m;
        } else {
            *o++ = '@';
            i++;
        }
    }
    *o = '\0';
    for (start = out; space_or_lead(*start);)
        start++;
    end = o;
    while (end > start &&
           (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        end--;
    *end = '\0';
    if (start > out)
        memmove(out, start, (size_t)(end - start) + 1);
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

/* A props member that says yes: true, or the string "true" (as the server sets it). */
static bool
prop_true(const struct jsonpick_span *v)
{
    return v->type == 't' || (v->type == 's' && strcmp(v->s, "true") == 0);
}

/*
 * One post (its members' spans, strings decoded and NUL-terminated) to an
 * event.  @ctype and @team come from the event's data or from what we know
 * of the channel; @mentions is data.mentions or NULL.
 */
enum bot_err
mm_parse_event_from_spans(const char *self_id, const char *self_name,
                          const struct jsonpick_span *v, const char *ctype,
                          const char *team, const char *mentions, struct chat_event *ev)
{
    const char *id = span_str(&v[MM_P_ID]), *user = span_str(&v[MM_P_USER_ID]);
    const char *channel = span_str(&v[MM_P_CHANNEL_ID]),
               *root_id = span_str(&v[MM_P_ROOT_ID]);
    const char *type = span_str(&v[MM_P_TYPE]), *message = span_str(&v[MM_P_MESSAGE]);
    bool dm, mentioned;

    if (!mm_id_ok(id) || !mm_id_ok(user) || !mm_id_ok(channel) || message == NULL ||
        (root_id != NULL && *root_id != '\0' && !mm_id_ok(root_id)))
        return BOT_EPARSE;
    /* Our own posts come back to us; answering them would loop. */
    if (self_id != NULL && strcmp(user, self_id) == 0)
        return BOT_EIGNORE;
    /* System messages (joins, header changes), bots and webhooks: never. */
    if ((type != NULL && *type != '\0') || prop_true(&v[MM_P_FROM_BOT]) ||
        prop_true(&v[MM_P_FROM_WEBHOOK]) ||
        (v[MM_P_DELETE_AT].type == 'i' && v[MM_P_DELETE_AT].num > 0))
        return BOT_EIGNORE;
    dm = ctype != NULL && strcmp(ctype, "D") == 0;
    mentioned = mentions_has(mentions, self_id) || mm_text_mentions(message, self_name);
    if (!dm && !mentioned)
        return BOT_EIGNORE;
    /* The reply goes in the thread: its root, or the post that starts one.
     * A DM is answered in the DM, in a thread only when asked in one.  The
     * ids in one allocation (chat_event_set_ids()). */
    chat_event_set_ids(ev, "mattermost", team != NULL && mm_id_ok(team) ? team : NULL,
                       channel,
                       root_id != NULL && *root_id != '\0' ? root_id
                       : !dm                               ? id
                                                           : NULL,
                       user, id, "mm:", id);
    ev->text = mm_text_clean(message, v[MM_P_MESSAGE].len, self_name);
    ev->is_dm = dm;
    return BOT_OK;
}

enum bot_err
mm_event_from_post(const char *self_id, const char *self_name, const json_t *post,
                   const char *ctype, const char *team, const char *mentions,
                   struct chat_event *ev)
{
    struct jsonpick_span v[MM_P_N];

    jsonpick_spans_tree(post, mm_parse_post_slots, v, MM_P_N);
    return mm_parse_event_from_spans(self_id, self_name, v, ctype, team, mentions, ev);
}

/* Bytes of a post decoded before the look for its author (mm_post_is_own()). */
#define MM_AUTHOR_LOOK 256

/* Bytes of stack event_from_posted() decodes a post into before it takes
 * the heap: a question's post, and our own reply's as it comes back. */
#define MM_POST_STACK 8192

/* The event of a `posted` frame: data.post is JSON inside a JSON string. */
static enum bot_err
event_from_posted(const char *self_id, const char *self_name, const struct mm_frame *f,
                  struct chat_event *ev)
{
    struct jsonpick_span v[MM_P_N];
    const char *text = f->post;
    size_t len = f->post_len, used, need;
    char small[MM_POST_STACK], *mem, *store;
    int own = -1;
    json_t *post = NULL;
    enum bot_err err;

    if (f->post == NULL)
        return BOT_EPARSE;
    /* Room for the post decoded, then for its members' strings (no longer):
     * on the stack when it fits, as every post does but a long one's. */
    need = 2 * f->post_len + MM_P_N + 1;
    mem = need <= sizeof(small) ? small : xmalloc(need);
    store = mem;
    if (f->post_esc) {
        /* Our own posts come back to us, one for every reply and the longest
         * frames we get: the post's first user_id, a member at its top level
         * and near its start, drops them decoded no further. */
        len = jsonpick_unescape(f->post, f->post_len, mem, MM_AUTHOR_LOOK, &used);
        if (used < f->post_len) {
            if ((own = mm_post_is_own(self_id, mem, len)) == 1) {
                if (mem != small)
                    free(mem);
                return BOT_EIGNORE;
            }
            len += jsonpick_unescape(f->post + used, f->post_len - used, mem + len,
                                     SIZE_MAX, NULL);
        }
        text = mem;
        store = mem + len;
    }
    /* The first user_id of the start is the first of the whole. */
    if (own < 0 && mm_post_is_own(self_id, text, len) == 1) {
        if (mem != small)
            free(mem);
        return BOT_EIGNORE;
    }
    if (len > MM_MAX_POST) {
        if (mem != small)
            free(mem);
        return BOT_ELIMIT;
    }
    if (jsonpick_spans(text, len, mm_parse_post_slots, v, MM_P_N)) {
        store_strings(v, MM_P_N, MM_P_N, store);
    } else {
        /* Not JSON the picker vouches for: jansson's answer (NUL allowed). */
        post = json_loadb(text, len, JSON_ALLOW_NUL, NULL);
        if (!json_is_object(post)) {
            json_decref(post);
            if (mem != small)
                free(mem);
            return BOT_EPARSE;
        }
        jsonpick_spans_tree(post, mm_parse_post_slots, v, MM_P_N);
    }
    err = mm_parse_event_from_spans(self_id, self_name, v, f->channel_type, f->team_id,
                                    f->mentions, ev);
    json_decref(post);
    if (mem != small)
        free(mem);
    return err;
}

enum bot_err
mm_event_from_frame(const char *self_id, const char *self_name, const struct mm_frame *f,
                    struct chat_event *ev)
{
    if (f->event == NULL)
        return f->has_seq_reply ? BOT_EIGNORE : BOT_EPARSE;
    /* post_edited and the rest carry no new question. */
    if (strcmp(f->event, "posted") != 0)
        return BOT_EIGNORE;
    return event_from_posted(self_id, self_name, f, ev);
}

enum bot_err
mm_event_parse(const char *self_id, const char *self_name, const char *buf, size_t len,
               struct chat_event *ev)
{
    struct mm_frame f;
    long long seq;
    bool own;
    enum bot_err err;

    /* A question's frame in one pass (mm_posted.c), else in steps (our own
     * post too: the steps judge all of its frame). */
    if ((err = mm_posted_read(self_id, self_name, buf, len, &seq, &own, ev)) !=
            BOT_EAGAIN &&
        !own) {
        if (err != BOT_OK)
            chat_event_cleanup(ev);
        return err;
    }
    memset(ev, 0, sizeof(*ev));
    if ((err = mm_frame_read(buf, len, &f)) == BOT_OK)
        err = mm_event_from_frame(self_id, self_name, &f, ev);
    mm_frame_cleanup(&f);
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
