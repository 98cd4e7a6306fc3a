/*
 * mm_posted.c - a question's `posted` frame read in one pass.
 *
 * The post of a posted event is JSON inside the JSON string data.post.  Read
 * in steps, it was looked at (mm_glance.c), checked with the frame, decoded,
 * and read again as JSON: four walks over the same bytes.  Here the frame's
 * reader hands the string to a reader of the post as it is written, escaped:
 * an inner quote is \", an inner escape \\ and its letter, so the post's
 * members, their checks and the strings kept come out of one walk.
 *
 * What this reader takes, it checks at least as strictly as the steps do,
 * and gives the same strings; anything it does not take (an escape outside
 * the post's strings, a control byte a string of the post would hold, a
 * \u0000, a key with an escape or twice, deep nesting, our own post) it
 * leaves to them: mm_posted_read() then says BOT_EAGAIN and nothing is lost.
 */
#include "bot/adapters/mattermost/mm_priv.h"
#include "bot/base/utf8.h"

/* As jsonpick.c's limits: nesting, members of one object, digits. */
#define MM_POSTED_DEPTH  32
#define MM_POSTED_KEYS   64
#define MM_POSTED_DIGITS 15

/* How a posted frame starts, as the server writes it. */
#define MM_POSTED_HEAD "{\"event\":\"posted\","

/* Bytes of a post mm_glance.c decodes to look for its author. */
#define MM_POSTED_LOOK 256

/* Bytes of stack for the strings kept; a longer frame takes the heap. */
#define MM_POSTED_STACK 4096

/* The reader of the post, inside the frame's. */
struct nest {
    const char *p, *end; /* the frame's text: p on what comes next */
    unsigned depth;
    char *store; /* the strings kept, decoded and NUL-terminated */
    size_t used; /* bytes of store taken */
    const char *self_id;
    const char *post; /* the post's text in the frame, after its quote */
    bool own;         /* stopped at a user_id of @self_id */
    bool look;        /* ... one mm_glance.c's look at the post sees */
    bool read;        /* the post was read whole */
    struct jsonpick_span v[MM_P_N];
};

static void
nest_ws(struct nest *n)
{
    while (n->p < n->end && *n->p == ' ')
        n->p++;
}

/* The 4 hex digits at @s (before @end) as a number; -1 when they are not. */
static long
hex4(const char *s, const char *end)
{
    unsigned cp;

    return jsonpick_hex4(s, end, &cp) ? (long)cp : -1;
}

/*
 * The escape of a string of the post at n->p, after its backslash (written
 * \\ in the frame): its letter, itself escaped when it is a quote, a
 * backslash or a slash.  Writes what it stands for at @out (when not NULL)
 * and returns the bytes written, 0 when this reader does not take it.
 */
static size_t
inner_escape(struct nest *n, char *out)
{
    const char *p = n->p, *end = n->end;
    char tmp[4];
    long cp, lo;
    char c;

    if (out == NULL)
        out = tmp;
    if (p >= end)
        return 0;
    switch (*p) {
    case '\\': /* \\\" is \", \\\\ is \\, \\\/ is \/ */
        if (p + 1 >= end || (p[1] != '"' && p[1] != '\\' && p[1] != '/'))
            return 0;
        out[0] = p[1];
        n->p += 2;
        return 1;
    case '/':
        c = '/';
        break;
    case 'b':
        c = '\b';
        break;
    case 'f':
        c = '\f';
        break;
    case 'n':
        c = '\n';
        break;
    case 'r':
        c = '\r';
        break;
    case 't':
        c = '\t';
        break;
    case 'u':
        if ((cp = hex4(p + 1, end)) <= 0 || (cp >= 0xdc00 && cp <= 0xdfff))
            return 0; /* \u0000, a low surrogate alone: the steps decide */
        p += 5;
        if (cp >= 0xd800 && cp <= 0xdbff) {
            /* The pair's low half: \\uDC00, its backslash escaped too. */
            if (end - p < 7 || p[0] != '\\' || p[1] != '\\' || p[2] != 'u' ||
                (lo = hex4(p + 3, end)) < 0xdc00 || lo > 0xdfff)
                return 0;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            p += 7;
        }
        n->p = p;
        return utf8_put(out, (unsigned long)cp);
    default:
        return 0;
    }
    out[0] = c;
    n->p++;
    return 1;
}

/*
 * A string of the post at n->p (on its opening \"): checked and moved past;
 * when @dst, decoded there and its length in *@dlen.  With @key, a name: no
 * escape in it.  False when this reader does not take it.
 */
static bool
nest_string(struct nest *n, bool key, char *dst, size_t *dlen)
{
    const char *p = n->p + 2, *end = n->end;
    size_t o = 0, w;
    long cp;

    for (;;) {
        bool high = false;
        size_t run = jsonpick_plain_len(p, (size_t)(end - p), &high);

        /* A run ends at a byte below 0x80: it is UTF-8 as a whole exactly
         * when the whole string is. */
        if (high && !utf8_is_valid(p, run, NULL))
            return false;
        if (dst != NULL)
            memcpy(dst + o, p, run);
        o += run;
        p += run;
        if (end - p < 2 || *p != '\\')
            return false; /* the frame's string ends, or a control byte */
        switch (p[1]) {
        case '"':
            n->p = p + 2;
            if (dlen != NULL)
                *dlen = o;
            return true;
        case '\\':
            if (key)
                return false;
            n->p = p + 2;
            if ((w = inner_escape(n, dst != NULL ? dst + o : NULL)) == 0)
                return false;
            o += w;
            p = n->p;
            break;
        case '/':
            if (key)
                return false;
            if (dst != NULL)
                dst[o] = '/';
            o++;
            p += 2;
            break;
        case 'u':
            /* Go writes <, >, & and U+2028/9 so: a character of the string.
             * A control byte, a quote, a backslash or a surrogate so
             * written: the steps decide. */
            cp = hex4(p + 2, end);
            if (key || cp < 0x20 || cp == '"' || cp == '\\' ||
                (cp >= 0xd800 && cp <= 0xdfff))
                return false;
            o += utf8_put(dst != NULL ? dst + o : (char[4]){0}, (unsigned long)cp);
            p += 6;
            break;
        default:
            return false; /* \n and the like: a control byte in the post */
        }
    }
}

/* A number of the post at n->p, as jsonpick.c's scan_number() takes it;
 * its span in @v. */
static bool
nest_number(struct nest *n, struct jsonpick_span *v)
{
    const char *p = n->p, *end = n->end;
    size_t digits = 0;
    bool neg = false;

    v->type = 'i';
    v->num = 0;
    if (p < end && *p == '-') {
        neg = true;
        p++;
    }
    if (p >= end || *p < '0' || *p > '9')
        return false;
    if (*p == '0') {
        p++;
        digits++;
    } else {
        while (p < end && *p >= '0' && *p <= '9') {
            if (digits < MM_POSTED_DIGITS)
                v->num = v->num * 10 + (*p - '0');
            p++;
            digits++;
        }
    }
    if (p < end && *p == '.') {
        v->type = 'r';
        p++;
        if (p >= end || *p < '0' || *p > '9')
            return false;
        while (p < end && *p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
    }
    if ((p < end && (*p == 'e' || *p == 'E')) || digits > MM_POSTED_DIGITS)
        return false;
    if (neg)
        v->num = -v->num;
    v->s = n->p;
    v->len = (size_t)(p - n->p);
    n->p = p;
    return true;
}

static bool
nest_literal(struct nest *n, const char *word, size_t len)
{
    if ((size_t)(n->end - n->p) < len || memcmp(n->p, word, len) != 0)
        return false;
    n->p += len;
    return true;
}

static bool nest_value(struct nest *n, const struct jsonpick_slot *slot);

/* The entry of @keep named @s (@len bytes), or NULL. */
static const struct jsonpick_slot *
find_slot(const struct jsonpick_slot *keep, const char *s, size_t len)
{
    for (; keep != NULL && keep->name != NULL; keep++) {
        const char *name = keep->name;
        size_t i = 0;

        /* A name holds no NUL, nor a key (control bytes are refused): the
         * name's end stops the loop.  Most names differ at once (a key's
         * byte 0 is the \ after it when it is empty: no name's). */
        if (name[0] != s[0])
            continue;
        while (i < len && name[i] == s[i])
            i++;
        if (i == len && name[i] == '\0')
            return keep;
    }
    return NULL;
}

/* An object of the post at n->p (on its '{'): its members checked (plain
 * names, none twice), those @keep names kept. */
static bool
nest_object(struct nest *n, const struct jsonpick_slot *keep)
{
    const char *keys[MM_POSTED_KEYS];
    size_t lens[MM_POSTED_KEYS], nkeys = 0;
    uint64_t seen = 0, bit;

    if (++n->depth > MM_POSTED_DEPTH)
        return false;
    n->p++;
    nest_ws(n);
    if (n->p < n->end && *n->p == '}') {
        n->p++;
        n->depth--;
        return true;
    }
    for (;;) {
        const char *s = n->p + 2;
        size_t len;

        if (n->end - n->p < 2 || n->p[0] != '\\' || n->p[1] != '"' ||
            nkeys == MM_POSTED_KEYS || !nest_string(n, true, NULL, &len))
            return false;
        len = (size_t)(n->p - 2 - s);
        /* Keys compared only when one before has the same bit of a hash of
         * their length and ends (as jsonpick.c does). */
        bit = 1ULL << ((len + 5 * (unsigned char)s[0] +
                        3 * (unsigned char)s[len > 0 ? len - 1 : 0]) &
                       63);
        if ((seen & bit) != 0) {
            for (size_t i = 0; i < nkeys; i++) {
                if (lens[i] == len && memcmp(keys[i], s, len) == 0)
                    return false; /* twice: the steps (jansson) decide */
            }
        }
        seen |= bit;
        keys[nkeys] = s;
        lens[nkeys++] = len;
        nest_ws(n);
        if (n->p >= n->end || *n->p != ':')
            return false;
        n->p++;
        nest_ws(n);
        if (!nest_value(n, find_slot(keep, s, len)))
            return false;
        nest_ws(n);
        if (n->p < n->end && *n->p == ',') {
            n->p++;
            nest_ws(n);
            continue;
        }
        if (n->p < n->end && *n->p == '}') {
            n->p++;
            n->depth--;
            return true;
        }
        return false;
    }
}

static bool
nest_array(struct nest *n)
{
    if (++n->depth > MM_POSTED_DEPTH)
        return false;
    n->p++;
    nest_ws(n);
    if (n->p < n->end && *n->p == ']') {
        n->p++;
        n->depth--;
        return true;
    }
    for (;;) {
        if (!nest_value(n, NULL))
            return false;
        nest_ws(n);
        if (n->p < n->end && *n->p == ',') {
            n->p++;
            nest_ws(n);
            continue;
        }
        if (n->p < n->end && *n->p == ']') {
            n->p++;
            n->depth--;
            return true;
        }
        return false;
    }
}

/*
 * Whether mm_glance.c's look at a post (its first MM_POSTED_LOOK bytes
 * decoded, up to an escape of the frame's other than \", \\, \/) holds
 * all of its text from @s to @e (in the frame): then the look finds in it
 * what this reader found.
 */
static bool
look_sees(const char *s, const char *e)
{
    size_t dec = 0;

    while (s < e) {
        if (*s == '\\') {
            if (s[1] == 'u')
                return false;
            s++;
        }
        s++;
        dec++;
    }
    return dec <= MM_POSTED_LOOK;
}

/* A value of the post at n->p, kept in its span when @slot names one. */
static bool
nest_value(struct nest *n, const struct jsonpick_slot *slot)
{
    struct jsonpick_span v = {.s = n->p};
    const char *raw;
    size_t len;

    if (n->p >= n->end)
        return false;
    switch (*n->p) {
    case '\\':
        if (n->end - n->p < 2 || n->p[1] != '"')
            return false;
        if (slot == NULL || slot->slot < 0)
            return nest_string(n, false, NULL, NULL);
        raw = n->p + 2;
        v.s = n->store + n->used;
        if (!nest_string(n, false, n->store + n->used, &len))
            return false;
        n->store[n->used + len] = '\0';
        n->used += len + 1;
        v.len = len;
        v.type = 's';
        /* Our own post, the first user_id at its top: read no further. */
        if (slot->slot == MM_P_USER_ID && n->depth == 1 && n->self_id != NULL &&
            strcmp(v.s, n->self_id) == 0) {
            n->own = (size_t)(n->p - 2 - raw) == len && memcmp(raw, v.s, len) == 0;
            n->look = n->own && look_sees(n->post, n->p);
            return false;
        }
        break;
    case '{':
        if (!nest_object(n, slot != NULL ? slot->sub : NULL))
            return false;
        v.type = 'o';
        break;
    case '[':
        if (!nest_array(n))
            return false;
        v.type = 'a';
        break;
    case 't':
        if (!nest_literal(n, "true", 4))
            return false;
        v.type = 't';
        break;
    case 'f':
        if (!nest_literal(n, "false", 5))
            return false;
        v.type = 'f';
        break;
    case 'n':
        if (!nest_literal(n, "null", 4))
            return false;
        v.type = 'n';
        break;
    default:
        if (!nest_number(n, &v))
            return false;
        break;
    }
    if (slot != NULL && slot->slot >= 0)
        n->v[slot->slot] = v;
    return true;
}

/* The frame reader's hook for data.post (jsonpick_nested_fn). */
static const char *
read_post(const char *p, const char *end, void *ctx)
{
    struct nest *n = ctx;
    const char *start = p + 1;

    n->p = start;
    n->post = start;
    n->end = end;
    n->depth = 0;
    nest_ws(n);
    if (n->p >= end || *n->p != '{' || !nest_object(n, mm_parse_post_slots))
        return NULL;
    nest_ws(n);
    /* Over the cap decoded, or maybe: the steps say how much over. */
    if (n->p >= end || *n->p != '"' || (size_t)(n->p - start) > MM_MAX_POST)
        return NULL;
    n->read = true;
    return n->p + 1;
}

/* What the frame reader keeps: as mm_parse.c's frame_slots, data.post ours. */
enum { F_EVENT, F_SEQ, F_CHANNEL_TYPE, F_TEAM_ID, F_MENTIONS, F_N };
static const struct jsonpick_slot data_slots[] = {
    {"post", JSONPICK_NESTED, NULL},
    {"channel_type", F_CHANNEL_TYPE, NULL},
    {"team_id", F_TEAM_ID, NULL},
    {"mentions", F_MENTIONS, NULL},
    {NULL, -1, NULL},
};
static const struct jsonpick_slot frame_slots[] = {
    {"event", F_EVENT, NULL},
    {"seq", F_SEQ, NULL},
    {"data", -1, data_slots},
    {NULL, -1, NULL},
};

/* A string span of the frame, decoded and NUL-terminated in n->store;
 * NULL for anything else. */
static const char *
frame_string(struct nest *n, const struct jsonpick_span *v)
{
    char *s = n->store + n->used;
    size_t len;

    if (v->type != 's')
        return NULL;
    if (v->esc) {
        len = jsonpick_unescape(v->s, v->len, s, SIZE_MAX, NULL);
    } else {
        memcpy(s, v->s, v->len);
        len = v->len;
    }
    s[len] = '\0';
    n->used += len + 1;
    return s;
}

enum bot_err
mm_posted_read(const char *self_id, const char *self_name, const char *buf, size_t len,
               long long *seq, bool *own, struct chat_event *ev)
{
    struct jsonpick_span v[F_N];
    struct nest n = {.self_id = self_id};
    char small[MM_POSTED_STACK];
    size_t need = len + MM_P_N + F_N + 1;
    const char *ctype, *team, *mentions;
    enum bot_err err = BOT_EAGAIN;

    memset(ev, 0, sizeof(*ev));
    *seq = -1;
    *own = false;
    /* The server writes the event's name first: any other frame (typing, a
     * reply to a request, hello) is the steps', unread here. */
    if (len > MM_MAX_FRAME || len < sizeof(MM_POSTED_HEAD) ||
        memcmp(buf, MM_POSTED_HEAD, sizeof(MM_POSTED_HEAD) - 1) != 0)
        return BOT_EAGAIN;
    /* Every string kept is at most as long decoded as written in @buf. */
    n.store = need <= sizeof(small) ? small : xmalloc(need);
    if (!jsonpick_spans_ctx(buf, len, frame_slots, v, F_N, read_post, &n)) {
        /* Our own post, as it comes back: dropped as the look drops it. */
        if (n.own && n.look && mm_glance_seq(buf, len, seq)) {
            *own = true;
            err = BOT_EIGNORE;
        } else {
            *seq = -1;
        }
        goto out;
    }
    if (!n.read || v[F_EVENT].type != 's' || v[F_EVENT].esc || v[F_EVENT].len != 6 ||
        memcmp(v[F_EVENT].s, "posted", 6) != 0)
        goto out;
    ctype = frame_string(&n, &v[F_CHANNEL_TYPE]);
    team = frame_string(&n, &v[F_TEAM_ID]);
    mentions = frame_string(&n, &v[F_MENTIONS]);
    *seq = v[F_SEQ].type == 'i' && v[F_SEQ].num >= 0 ? v[F_SEQ].num : -1;
    err = mm_parse_event_from_spans(self_id, self_name, n.v, ctype, team, mentions, ev);
out:
    if (n.store != small)
        free(n.store);
    return err;
}
