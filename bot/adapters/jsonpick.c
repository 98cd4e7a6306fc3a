/* jsonpick.c - the few members an adapter reads of a JSON document. */
#include "bot/adapters/jsonpick.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"

/* Deeper than any event a platform sends; jansson's own limit is 2048. */
#define JSONPICK_MAX_DEPTH 32
/* Members of one object compared for duplicates; more are left to jansson. */
#define JSONPICK_MAX_KEYS 64
/* Digits a number may have here: beyond, jansson's overflow checks decide. */
#define JSONPICK_MAX_DIGITS 15

struct pick {
    const char *p, *end;
    unsigned depth;
    jsonpick_nested_fn *nested; /* for JSONPICK_NESTED slots, or NULL */
    void *ctx;                  /* its argument */
};

static void
skip_ws(struct pick *k)
{
    /* Compact JSON, as the platforms write it, has none: one test. */
    if (k->p < k->end && (unsigned char)*k->p > ' ')
        return;
    while (k->p < k->end &&
           (*k->p == ' ' || *k->p == '\t' || *k->p == '\n' || *k->p == '\r'))
        k->p++;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool
jsonpick_hex4(const char *s, const char *end, unsigned *cp)
{
    *cp = 0;
    if (end - s < 4)
        return false;
    for (int i = 0; i < 4; i++) {
        int v = hexval(s[i]);

        if (v < 0)
            return false;
        *cp = (*cp << 4) | (unsigned)v;
    }
    return true;
}

/*
 * Bytes of the escape at @p (on its backslash, before @end) as jansson
 * takes it: 2, 6, or 12 for a surrogate pair; 0 when jansson would refuse
 * it, and for \u0000.
 */
static size_t
escape_len(const char *p, const char *end)
{
    unsigned cp, lo;

    if (p + 1 >= end)
        return 0;
    switch (p[1]) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        return 2;
    case 'u':
        if (!jsonpick_hex4(p + 2, end, &cp) || cp == 0)
            return 0;
        if (cp >= 0xdc00 && cp <= 0xdfff)
            return 0; /* a low surrogate alone */
        if (cp >= 0xd800 && cp <= 0xdbff) {
            if (end - p < 12 || p[6] != '\\' || p[7] != 'u' ||
                !jsonpick_hex4(p + 8, end, &lo) || lo < 0xdc00 || lo > 0xdfff)
                return 0;
            return 12;
        }
        return 6;
    default:
        return 0;
    }
}

/* The bytes after a backslash that make a two-byte escape. */
static const bool short_escape[256] = {
    ['"'] = true, ['\\'] = true, ['/'] = true, ['b'] = true,
    ['f'] = true, ['n'] = true,  ['r'] = true, ['t'] = true};

/*
 * Checks the string at k->p (on its opening quote) and moves past it.  Sets
 * *s and *len to its raw text between the quotes and *esc when it has escapes.
 * False when jansson would refuse it or it holds \u0000.
 */
static bool
scan_string(struct pick *k, const char **s, size_t *len, bool *esc)
{
    const char *p = k->p + 1, *end = k->end;
    bool high = false;

    *esc = false;
    *s = p;
#if defined(__SSE2__)
    {
        /* Sixteen bytes at a time, each quote, backslash and control byte of
         * them a bit of @m, taken in order: a Mattermost post is JSON inside
         * a JSON string, an escape every few bytes, and a look for the next
         * one from each escape cost more than the rest of the frame's reading. */
        const __m128i quote = _mm_set1_epi8('"'), slash = _mm_set1_epi8('\\'),
                      ctl = _mm_set1_epi8(0x1f), zero = _mm_setzero_si128();

        while (end - p >= 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
            unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, slash)),
                _mm_cmpeq_epi8(_mm_subs_epu8(x, ctl), zero)));
            unsigned top = (unsigned)_mm_movemask_epi8(x);
            size_t adv = 16;

            while (m != 0) {
                unsigned at = (unsigned)__builtin_ctz(m);
                unsigned char c = (unsigned char)p[at];
                size_t n;

                if (c == '"') {
                    high = high || (top & ((1U << at) - 1)) != 0;
                    p += at;
                    goto done;
                }
                /* A two-byte escape within the block, at once; the rest
                 * (\u, the block's end) by escape_len(). */
                if (c == '\\' && at < 15 && short_escape[(unsigned char)p[at + 1]])
                    n = 2;
                else if (c < 0x20 || (n = escape_len(p + at, end)) == 0)
                    return false;
                *esc = true;
                adv = at + n;
                if (adv >= 16)
                    break; /* the escape ends in the next block */
                m &= ~((1U << adv) - 1);
                adv = 16;
            }
            high = high || top != 0;
            p += adv;
        }
    }
#endif
    for (;;) {
        unsigned char c;
        size_t n;

        p += jsonpick_plain_len(p, (size_t)(end - p), &high);
        if (p >= end)
            return false;
        c = (unsigned char)*p;
        if (c == '"')
            break;
        if (c < 0x20 || (n = escape_len(p, end)) == 0)
            return false;
        *esc = true;
        p += n;
    }
#if defined(__SSE2__)
done:
#endif
    *len = (size_t)(p - *s);
    if (high && !utf8_is_valid(*s, *len, NULL))
        return false;
    k->p = p + 1;
    return true;
}

/*
 * scan_string()'s common case, inline: a string of plain ASCII that closes
 * within the sixteen bytes after its quote (a key, an id, a type), with no
 * escape.  False leaves k->p as it was: scan_string() then decides.
 */
static inline bool
quick_string(struct pick *k, const char **s, size_t *len)
{
#if defined(__SSE2__)
    const char *p = k->p + 1;

    if (k->end - p >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
                         _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
            _mm_cmpeq_epi8(_mm_subs_epu8(x, _mm_set1_epi8(0x1f)), _mm_setzero_si128())));
        unsigned top = (unsigned)_mm_movemask_epi8(x);

        if (m != 0) {
            unsigned at = (unsigned)__builtin_ctz(m);

            if (p[at] == '"' && (top & ((1U << at) - 1)) == 0) {
                *s = p;
                *len = at;
                k->p = p + at + 1;
                return true;
            }
        }
    }
#else
    (void)k;
    (void)s;
    (void)len;
#endif
    return false;
}

size_t
jsonpick_unescape(const char *s, size_t len, char *out, size_t max, size_t *used)
{
    char *o = out;
    size_t i = 0;

    while (i < len) {
        unsigned cp, lo;

#if defined(__SSE2__)
        /* The run up to the next backslash copied sixteen bytes at a time:
         * an escape is never shorter than what it stands for, so o - out <= i
         * and a block written at @o ends within the @len bytes @out has. */
        const __m128i slash = _mm_set1_epi8('\\');

        while (len - i >= 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, slash));

            _mm_storeu_si128((__m128i *)(void *)o, x);
            if (m != 0) {
                unsigned at = (unsigned)__builtin_ctz(m);

                o += at;
                i += at;
                goto escape;
            }
            o += 16;
            i += 16;
        }
#endif
        {
            const char *bs = memchr(s + i, '\\', len - i);
            size_t run = bs != NULL ? (size_t)(bs - (s + i)) : len - i;

            memcpy(o, s + i, run);
            o += run;
            i += run;
        }
#if defined(__SSE2__)
    escape:
#endif
        if (i >= len || (size_t)(o - out) >= max)
            break;
        switch (s[i + 1]) {
        case 'b':
            *o++ = '\b';
            break;
        case 'f':
            *o++ = '\f';
            break;
        case 'n':
            *o++ = '\n';
            break;
        case 'r':
            *o++ = '\r';
            break;
        case 't':
            *o++ = '\t';
            break;
        case 'u':
            (void)jsonpick_hex4(s + i + 2, s + len, &cp);
            if (cp >= 0xd800 && cp <= 0xdbff) {
                (void)jsonpick_hex4(s + i + 8, s + len, &lo);
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                i += 6;
            }
            o += utf8_put(o, cp);
            i += 6;
            continue;
        default: /* '"', '\\', '/' */
            *o++ = s[i + 1];
            break;
        }
        i += 2;
    }
    if (used != NULL)
        *used = i;
    return (size_t)(o - out);
}

/*
 * The string value of raw text @s (@len bytes, checked by scan_string()).
 * Decoded in place into one buffer: an escape is never shorter than what it
 * stands for (a Mattermost post is JSON inside a string, an escape every
 * few characters).
 */
static json_t *
make_string(const char *s, size_t len, bool esc)
{
    char *out;
    json_t *v;
    size_t n;

    if (!esc)
        return json_stringn_nocheck(s, len);
    out = xmalloc(len + 1);
    n = jsonpick_unescape(s, len, out, SIZE_MAX, NULL);
    v = json_stringn_nocheck(out, n);
    free(out);
    return v;
}

/*
 * Checks the number at k->p and moves past it; its value in *out when @out.
 * False for text that is not a JSON number, and for those left to jansson
 * (an exponent, or more digits than a double holds exactly).
 */
static bool
scan_number(struct pick *k, json_t **out)
{
    const char *start = k->p, *p = k->p;
    size_t digits = 0;
    bool real = false;
    char tmp[32];

    if (p < k->end && *p == '-')
        p++;
    if (p >= k->end || *p < '0' || *p > '9')
        return false;
    if (*p == '0') {
        p++;
        digits++;
    } else {
        while (p < k->end && *p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
    }
    if (p < k->end && *p == '.') {
        real = true;
        p++;
        if (p >= k->end || *p < '0' || *p > '9')
            return false;
        while (p < k->end && *p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
    }
    if (p < k->end && (*p == 'e' || *p == 'E'))
        return false;
    if (digits > JSONPICK_MAX_DIGITS)
        return false;
    k->p = p;
    if (out == NULL)
        return true;
    memcpy(tmp, start, (size_t)(p - start));
    tmp[p - start] = '\0';
    *out = real ? json_real(strtod(tmp, NULL)) : json_integer(strtoll(tmp, NULL, 10));
    return true;
}

static bool scan_value(struct pick *k, const struct jsonpick_key *sub, bool want,
                       json_t **out);

/* The entry of @keep named by raw key @s (@len bytes), or NULL. */
static const struct jsonpick_key *
find_key(const struct jsonpick_key *keep, const char *s, size_t len)
{
    /* Names are short and few: compared in place, without a strlen() each. */
    for (; keep != NULL && keep->name != NULL; keep++) {
        if (keep->name[0] == s[0] && strncmp(keep->name, s, len) == 0 &&
            keep->name[len] == '\0')
            return keep;
    }
    return NULL;
}

/* Reads the value of member @key (@len bytes) at k->p; see scan_members(). */
typedef bool member_fn(struct pick *k, const char *key, size_t len, void *arg);

/*
 * Checks the object at k->p (on its '{') and moves past it: its members'
 * names (plain, none twice) here, each value by @member.
 */
static bool
scan_members(struct pick *k, member_fn *member, void *arg)
{
    const char *keys[JSONPICK_MAX_KEYS];
    size_t lens[JSONPICK_MAX_KEYS], n = 0;
    uint64_t seen = 0, bit;

    k->p++;
    skip_ws(k);
    if (k->p < k->end && *k->p == '}') {
        k->p++;
        return true;
    }
    for (;;) {
        const char *s;
        size_t len;
        bool esc;

        if (k->p >= k->end || *k->p != '"' || n == JSONPICK_MAX_KEYS ||
            (!quick_string(k, &s, &len) && (!scan_string(k, &s, &len, &esc) || esc)))
            return false;
        /* Keys compared only when one before has the same bit of a hash of
         * length and ends: a frame's twenty keys, each against all before
         * it, cost more than reading them. */
        bit = 1ULL << ((len + 5 * (unsigned char)s[0] +
                        3 * (unsigned char)s[len > 0 ? len - 1 : 0]) &
                       63);
        if ((seen & bit) != 0) {
            for (size_t i = 0; i < n; i++) {
                if (lens[i] == len && memcmp(keys[i], s, len) == 0)
                    return false; /* a duplicate: jansson refuses the document */
            }
        }
        seen |= bit;
        keys[n] = s;
        lens[n++] = len;
        skip_ws(k);
        if (k->p >= k->end || *k->p != ':')
            return false;
        k->p++;
        skip_ws(k);
        if (!member(k, s, len, arg))
            return false;
        skip_ws(k);
        if (k->p < k->end && *k->p == ',') {
            k->p++;
            skip_ws(k);
            continue;
        }
        if (k->p < k->end && *k->p == '}') {
            k->p++;
            return true;
        }
        return false;
    }
}

struct tree_arg {
    const struct jsonpick_key *keep;
    json_t *obj; /* NULL: nothing kept */
};

static bool
tree_member(struct pick *k, const char *s, size_t len, void *arg)
{
    struct tree_arg *t = arg;
    const struct jsonpick_key *key = t->obj != NULL ? find_key(t->keep, s, len) : NULL;
    json_t *v = NULL;

    if (!scan_value(k, key != NULL ? key->sub : NULL, key != NULL, &v))
        return false;
    if (v != NULL)
        json_object_set_new_nocheck(t->obj, key->name, v);
    return true;
}

/*
 * Checks the object at k->p.  With @want, *out is a new object of the
 * members @keep names (all others skipped; none when @keep is NULL).
 */
static bool
scan_object(struct pick *k, const struct jsonpick_key *keep, bool want, json_t **out)
{
    struct tree_arg t = {keep, want ? json_object() : NULL};

    if (!scan_members(k, tree_member, &t)) {
        json_decref(t.obj);
        return false;
    }
    if (want)
        *out = t.obj;
    return true;
}

/* Checks the array at k->p; with @want, *out is a new empty array. */
static bool
scan_array(struct pick *k, bool want, json_t **out)
{
    k->p++;
    skip_ws(k);
    if (k->p < k->end && *k->p == ']') {
        k->p++;
    } else {
        for (;;) {
            if (!scan_value(k, NULL, false, NULL))
                return false;
            skip_ws(k);
            if (k->p < k->end && *k->p == ',') {
                k->p++;
                skip_ws(k);
                continue;
            }
            if (k->p < k->end && *k->p == ']') {
                k->p++;
                break;
            }
            return false;
        }
    }
    if (want)
        *out = json_array();
    return true;
}

static bool
literal(struct pick *k, const char *word)
{
    size_t n = strlen(word);

    if ((size_t)(k->end - k->p) < n || memcmp(k->p, word, n) != 0)
        return false;
    k->p += n;
    return true;
}

/*
 * Checks the value at k->p and moves past it.  With @want, *out is its new
 * value (objects keep the members @sub names).
 */
static bool
scan_value(struct pick *k, const struct jsonpick_key *sub, bool want, json_t **out)
{
    const char *s;
    size_t len;
    bool esc, ok;

    if (k->p >= k->end)
        return false;
    switch (*k->p) {
    case '{':
    case '[':
        if (++k->depth > JSONPICK_MAX_DEPTH)
            return false;
        ok = *k->p == '{' ? scan_object(k, sub, want, out) : scan_array(k, want, out);
        k->depth--;
        return ok;
    case '"':
        esc = false;
        if (!quick_string(k, &s, &len) && !scan_string(k, &s, &len, &esc))
            return false;
        if (want)
            *out = make_string(s, len, esc);
        return true;
    case 't':
        if (!literal(k, "true"))
            return false;
        if (want)
            *out = json_true();
        return true;
    case 'f':
        if (!literal(k, "false"))
            return false;
        if (want)
            *out = json_false();
        return true;
    case 'n':
        if (!literal(k, "null"))
            return false;
        if (want)
            *out = json_null();
        return true;
    default:
        return scan_number(k, want ? out : NULL);
    }
}

json_t *
jsonpick_load(const char *buf, size_t len, const struct jsonpick_key *keep)
{
    struct pick k = {.p = buf, .end = buf + len};
    json_t *root = NULL;

    skip_ws(&k);
    if (k.p >= k.end || *k.p != '{')
        return NULL;
    if (!scan_value(&k, keep, true, &root))
        return NULL;
    skip_ws(&k);
    if (k.p != k.end) {
        json_decref(root);
        return NULL;
    }
    return root;
}

/* ---- Spans: the members named, as written, without a tree ---------------- */

struct span_arg {
    const struct jsonpick_slot *keep;
    struct jsonpick_span *out;
};

/* The entry of @keep named by raw key @s (@len bytes), or NULL. */
static const struct jsonpick_slot *
find_slot(const struct jsonpick_slot *keep, const char *s, size_t len)
{
    for (; keep->name != NULL; keep++) {
        const char *n = keep->name;
        size_t i = 1;

        /* A key holds no NUL (scan_string() refuses control bytes): the
         * name's end stops the loop.  Most names differ at once. */
        if (len == 0 ? n[0] != '\0' : n[0] != s[0])
            continue;
        if (len == 0)
            return keep;
        while (i < len && n[i] == s[i])
            i++;
        if (i == len && n[i] == '\0')
            return keep;
    }
    return NULL;
}

static bool span_member(struct pick *k, const char *s, size_t len, void *arg);

/* Reads the value at k->p, kept as @slot says. */
static bool
span_value(struct pick *k, const struct jsonpick_slot *slot, struct jsonpick_span *out)
{
    struct jsonpick_span v = {.s = k->p, .type = *k->p};
    bool neg = false;

    if (slot->slot == JSONPICK_NESTED) {
        if (*k->p != '"' || k->nested == NULL ||
            (k->p = k->nested(k->p, k->end, k->ctx)) == NULL)
            return false;
        return true;
    }
    switch (*k->p) {
    case '"':
        if (!quick_string(k, &v.s, &v.len) && !scan_string(k, &v.s, &v.len, &v.esc))
            return false;
        v.type = 's';
        break;
    case '{':
        if (slot->sub != NULL) {
            struct span_arg sub = {slot->sub, out};
            bool ok;

            if (++k->depth > JSONPICK_MAX_DEPTH)
                return false;
            ok = scan_members(k, span_member, &sub);
            k->depth--;
            if (!ok)
                return false;
            v.type = 'o';
            break;
        }
        /* fall through */
    case '[':
    case 't':
    case 'f':
    case 'n':
        if (!scan_value(k, NULL, false, NULL))
            return false;
        v.type = *v.s == '{' ? 'o' : *v.s == '[' ? 'a' : *v.s;
        break;
    default:
        if (!scan_number(k, NULL))
            return false;
        v.type = 'i';
        for (const char *p = v.s; p < k->p; p++) {
            if (*p == '-')
                neg = true;
            else if (*p == '.')
                v.type = 'r';
            else if (v.type == 'i')
                v.num = v.num * 10 + (*p - '0'); /* at most 15 digits */
        }
        if (neg)
            v.num = -v.num;
        break;
    }
    if (v.type != 's')
        v.len = (size_t)(k->p - v.s);
    if (slot->slot >= 0)
        out[slot->slot] = v;
    return true;
}

static bool
span_member(struct pick *k, const char *s, size_t len, void *arg)
{
    const struct span_arg *a = arg;
    const struct jsonpick_slot *slot = find_slot(a->keep, s, len);

    if (k->p >= k->end)
        return false;
    if (slot == NULL)
        return scan_value(k, NULL, false, NULL);
    return span_value(k, slot, a->out);
}

bool
jsonpick_spans(const char *buf, size_t len, const struct jsonpick_slot *keep,
               struct jsonpick_span *out, size_t nout)
{
    return jsonpick_spans_ctx(buf, len, keep, out, nout, NULL, NULL);
}

bool
jsonpick_spans_ctx(const char *buf, size_t len, const struct jsonpick_slot *keep,
                   struct jsonpick_span *out, size_t nout, jsonpick_nested_fn *nested,
                   void *ctx)
{
    struct pick k = {.p = buf, .end = buf + len, .nested = nested, .ctx = ctx};
    struct span_arg a = {keep, out};

    memset(out, 0, nout * sizeof(*out));
    skip_ws(&k);
    if (k.p >= k.end || *k.p != '{')
        return false;
    k.depth = 1;
    if (!scan_members(&k, span_member, &a))
        return false;
    skip_ws(&k);
    return k.p == k.end;
}

/* jsonpick_spans_tree() without the zeroing: @keep's members of @obj into @out. */
static void
spans_tree_into(const json_t *obj, const struct jsonpick_slot *keep,
                struct jsonpick_span *out)
{
    for (; keep->name != NULL; keep++) {
        const json_t *v = json_object_get(obj, keep->name);
        struct jsonpick_span sp = {0};

        if (v == NULL)
            continue;
        switch (json_typeof(v)) {
        case JSON_STRING:
            sp.s = json_string_value(v);
            sp.len = json_string_length(v);
            sp.type = 's';
            break;
        case JSON_INTEGER:
            sp.num = (long long)json_integer_value(v);
            sp.type = 'i';
            break;
        case JSON_REAL:
            sp.type = 'r';
            break;
        case JSON_TRUE:
            sp.type = 't';
            break;
        case JSON_FALSE:
            sp.type = 'f';
            break;
        case JSON_NULL:
            sp.type = 'n';
            break;
        case JSON_OBJECT:
            sp.type = 'o';
            if (keep->sub != NULL)
                spans_tree_into(v, keep->sub, out);
            break;
        case JSON_ARRAY:
            sp.type = 'a';
            break;
        }
        if (keep->slot >= 0)
            out[keep->slot] = sp;
    }
}

void
jsonpick_spans_tree(const json_t *obj, const struct jsonpick_slot *keep,
                    struct jsonpick_span *out, size_t nout)
{
    memset(out, 0, nout * sizeof(*out));
    if (json_is_object(obj))
        spans_tree_into(obj, keep, out);
}
