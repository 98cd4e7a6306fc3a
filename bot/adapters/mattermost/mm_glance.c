/*
 * mm_glance.c - a look at a websocket frame, before (or instead of) reading
 * it whole: the events that carry no question for us (typing, a channel
 * viewed, our own replies as they come back) are most of the frames, and a
 * strict reading of each cost more than the question's.
 *
 * The look reads as little as it can: the members before "event" (the
 * first, as the server writes it), and for a posted frame those before
 * data.post and the start of the post, as far as its user_id.  The seq is
 * the last member, read back from the frame's end ("seq":N}), or when it is
 * not there, by a walk of the whole top level (strings skipped to their
 * closing quote, objects and arrays to their bracket).  A frame the look
 * drops is not checked further: a malformed one is ignored, as the strict
 * reader would have ignored it, only with its seq counted.  Anything the
 * look is not sure of goes to mm_frame_read(), which checks it as before.
 */
#include "bot/adapters/mattermost/mm_priv.h"

/* Bytes of a post decoded for the look at its author: its user_id comes a
 * few members in (id, times, is_pinned). */
#define MM_GLANCE_LOOK 256

/* Digits of a seq the look reads itself; a longer one is read strictly. */
#define MM_GLANCE_DIGITS 18

/* One member the look wants: its value as written, NULL when absent. */
struct glance_member {
    const char *name;
    const char *val;
    size_t len;
};

/*
 * Walks the JSON object @s (@len bytes) to its end and fills @want (@n
 * members) with the values of the members it names.  False when the text
 * does not close as an object, a key has an escape, or a wanted member comes
 * twice: then the strict reader decides.
 */
static bool
glance_object(const char *s, size_t len, struct glance_member *want, size_t n)
{
    const char *end = s + len, *p = adapter_json_skip_ws(s, end), *k, *v;

    for (size_t i = 0; i < n; i++)
        want[i].val = NULL;
    if (p == end || *p != '{')
        return false;
    p = adapter_json_skip_ws(p + 1, end);
    if (p < end && *p == '}')
        return adapter_json_skip_ws(p + 1, end) == end;
    for (;;) {
        size_t klen;

        if (p == end || *p != '"')
            return false;
        k = p + 1;
        if ((p = adapter_json_skip_string(p, end)) == NULL)
            return false;
        klen = (size_t)(p - 1 - k);
        if (memchr(k, '\\', klen) != NULL)
            return false;
        p = adapter_json_skip_ws(p, end);
        if (p == end || *p != ':')
            return false;
        v = p = adapter_json_skip_ws(p + 1, end);
        if ((p = adapter_json_skip_value(p, end)) == NULL)
            return false;
        for (size_t i = 0; i < n; i++) {
            if (strlen(want[i].name) == klen && memcmp(want[i].name, k, klen) == 0) {
                if (want[i].val != NULL)
                    return false;
                want[i].val = v;
                want[i].len = (size_t)(p - v);
            }
        }
        p = adapter_json_skip_ws(p, end);
        if (p < end && *p == ',') {
            p = adapter_json_skip_ws(p + 1, end);
            continue;
        }
        return p < end && *p == '}' && adapter_json_skip_ws(p + 1, end) == end;
    }
}

/*
 * Decodes the start of the string text at @s (up to @end, after its opening
 * quote, not checked) into @out (@max bytes): plain bytes and the one-letter
 * escapes, up to the closing quote; it stops at a \u or anything else.
 * Returns the bytes written.
 */
static size_t
decode_start(const char *s, const char *end, char *out, size_t max)
{
    size_t o = 0;

    while (s < end && o < max) {
        size_t run = jsonpick_plain_len(s, (size_t)(end - s), NULL);
        char c;

        if (run > max - o)
            run = max - o;
        memcpy(out + o, s, run);
        o += run;
        s += run;
        if (s >= end || o >= max || *s != '\\' || end - s < 2)
            break; /* the closing quote, a control byte, or the end */
        switch (s[1]) {
        case '"':
        case '\\':
        case '/':
            c = s[1];
            break;
        case 'n':
            c = '\n';
            break;
        case 't':
            c = '\t';
            break;
        case 'r':
            c = '\r';
            break;
        default:
            return o;
        }
        out[o++] = c;
        s += 2;
    }
    return o;
}

/*
 * The value of the first member @key of the JSON object at @s (up to @end):
 * its first byte, the members before it skipped; NULL when the object has
 * none, or is broken before it.
 */
static const char *
member_find(const char *s, const char *end, const char *key)
{
    const char *p = adapter_json_skip_ws(s, end), *k;
    size_t n = strlen(key);

    if (p == end || *p != '{')
        return NULL;
    p = adapter_json_skip_ws(p + 1, end);
    for (;;) {
        if (p == end || *p != '"')
            return NULL;
        k = p + 1;
        if ((p = adapter_json_skip_string(p, end)) == NULL)
            return NULL;
        bool hit = (size_t)(p - 1 - k) == n && memcmp(k, key, n) == 0;
        p = adapter_json_skip_ws(p, end);
        if (p == end || *p != ':')
            return NULL;
        p = adapter_json_skip_ws(p + 1, end);
        if (hit)
            return p < end ? p : NULL;
        if ((p = adapter_json_skip_value(p, end)) == NULL)
            return NULL;
        p = adapter_json_skip_ws(p, end);
        if (p == end || *p != ',')
            return NULL;
        p = adapter_json_skip_ws(p + 1, end);
    }
}

/*
 * The seq written last in the frame @s (@len bytes): ',"seq":N}' at its
 * end, N an integer from 0.  In a JSON object that is the top level's seq,
 * whatever comes before.  False when the frame does not end so.
 */
static bool
seq_at_end(const char *s, size_t len, long long *seq)
{
    const char *p = s + len, *digits;
    long long num = 0;

    while (p > s && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' || p[-1] == '\r'))
        p--;
    if (p == s || *--p != '}')
        return false;
    while (p > s && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' || p[-1] == '\r'))
        p--;
    digits = p;
    while (p > s && p[-1] >= '0' && p[-1] <= '9')
        p--;
    if (p == digits || digits - p > MM_GLANCE_DIGITS || (*p == '0' && digits - p > 1))
        return false;
    for (const char *d = p; d < digits; d++)
        num = num * 10 + (*d - '0');
    while (p > s && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' || p[-1] == '\r'))
        p--;
    if (p == s || *--p != ':')
        return false;
    while (p > s && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' || p[-1] == '\r'))
        p--;
    if (p - s < 6 || memcmp(p - 5, "\"seq\"", 5) != 0)
        return false;
    p -= 5;
    while (p > s && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' || p[-1] == '\r'))
        p--;
    if (p == s || (p[-1] != ',' && p[-1] != '{'))
        return false;
    *seq = num;
    return true;
}

int
mm_post_is_own(const char *self_id, const char *post, size_t len)
{
    const char *uid;
    size_t ulen, n;

    if (self_id == NULL || adapter_json_first(post, len, "user_id", &uid, &ulen) != 1)
        return -1;
    n = strlen(self_id);
    return ulen == n + 2 && uid[0] == '"' && memcmp(uid + 1, self_id, n) == 0 &&
           uid[ulen - 1] == '"';
}

/* True when the posted frame's data (the object at @data, up to @end) holds
 * a post by @self_id. */
static bool
data_post_is_own(const char *self_id, const char *data, const char *end)
{
    const char *post = member_find(data, end, "post");
    char look[MM_GLANCE_LOOK];
    size_t n;

    if (self_id == NULL || post == NULL || *post != '"')
        return false;
    n = decode_start(post + 1, end, look, sizeof(look));
    return mm_post_is_own(self_id, look, n) == 1;
}

/* The seq of the frame @buf (@len bytes) by a walk of its whole top level:
 * false when it does not close, or the seq is not an integer from 0. */
static bool
seq_by_walk(const char *buf, size_t len, long long *seq)
{
    struct glance_member m = {"seq", NULL, 0};
    long long num = 0;

    if (!glance_object(buf, len, &m, 1))
        return false;
    if (m.val == NULL)
        return true;
    if (m.len > MM_GLANCE_DIGITS || (m.val[0] == '0' && m.len > 1))
        return false;
    for (size_t i = 0; i < m.len; i++) {
        if (m.val[i] < '0' || m.val[i] > '9')
            return false; /* a sign, a fraction, a string: the strict reader's */
        num = num * 10 + (m.val[i] - '0');
    }
    *seq = num;
    return true;
}

bool
mm_glance_seq(const char *buf, size_t len, long long *seq)
{
    if (seq_at_end(buf, len, seq))
        return true;
    *seq = -1;
    return seq_by_walk(buf, len, seq);
}

bool
mm_frame_glance(const char *buf, size_t len, const char *self_id, long long *seq)
{
    const char *end = buf + len, *event, *data, *q;
    size_t n;

    *seq = -1;
    if (len > MM_MAX_FRAME || (event = member_find(buf, end, "event")) == NULL ||
        *event != '"' || (q = adapter_json_skip_string(event, end)) == NULL)
        return false;
    n = (size_t)(q - event);
    if (memchr(event, '\\', n) != NULL)
        return false;
    /* hello starts a socket and posted may be a question: read whole.  Our
     * own posts excepted, which come back to us as each reply goes out. */
    if (n == 7 && memcmp(event, "\"hello\"", 7) == 0)
        return false;
    if (n == 8 && memcmp(event, "\"posted\"", 8) == 0 &&
        ((data = member_find(buf, end, "data")) == NULL ||
         !data_post_is_own(self_id, data, end)))
        return false;
    return mm_glance_seq(buf, len, seq);
}
