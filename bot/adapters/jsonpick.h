/*
 * jsonpick.h - the few members an adapter reads of a JSON document, picked
 * out without building a tree of the rest.
 *
 * A Socket Mode envelope carries its whole event (blocks, authorisations,
 * context) and the bot reads a dozen strings of it; jansson's tree of the
 * whole frame cost more than anything else done per event.  This reader
 * checks the whole text as strictly as json_loadb(JSON_REJECT_DUPLICATES)
 * and keeps only the members named, so the code reading the tree is the
 * same either way.  Anything it does not handle itself (a key written with
 * escapes, a \u0000, an exponent, deep nesting, invalid text) it leaves to
 * jansson: the caller then parses the text whole, and gets jansson's answer.
 */
#ifndef BOT_ADAPTERS_JSONPICK_H
#define BOT_ADAPTERS_JSONPICK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* One member kept; a table of them ends with a NULL name. */
struct jsonpick_key {
    const char *name;               /* member name, plain ASCII */
    const struct jsonpick_key *sub; /* an object value keeps these members of it;
                                       NULL: the value kept as it is typed, an object
                                       or array as an empty one */
};

/*
 * Returns a new tree (free with json_decref()) of the JSON object @buf (@len
 * bytes) holding only the members @keep names, each with its value: a
 * string, number, true, false or null as it is, an object or array per
 * jsonpick_key.sub.  NULL when the text is not a JSON object this reader
 * vouches for (see above): the caller must then use json_loadb().
 */
json_t *jsonpick_load(const char *buf, size_t len, const struct jsonpick_key *keep);

/* Reads the 4 hex digits at @s (within @end) of a \u escape into *cp; false if
 * they are not (*cp is then partial). */
bool jsonpick_hex4(const char *s, const char *end, unsigned *cp);

/*
 * The spans reader: the same checks as jsonpick_load(), but no tree at all.
 * Each member named is given as it is written (struct jsonpick_span), in the
 * caller's array at the index its jsonpick_slot says; a reader that wants a
 * few strings and numbers of a frame then needs no allocation for them, and
 * a string it does not need decoded (JSON inside a JSON string, read only as
 * far as one member) is not decoded.
 */
struct jsonpick_span {
    const char *s; /* a string's text between its quotes, as written (see esc); from
                      jsonpick_spans() also any other value's text */
    size_t len;    /* bytes at s */
    long long num; /* an integer's value (type 'i') */
    char type;     /* 's' string, 'i' integer, 'r' other number, 't' true, 'f' false,
                      'n' null, 'o' object, 'a' array; 0: absent */
    bool esc;      /* a string with escapes: decode it with jsonpick_unescape() */
};

/*
 * Reads a string value in place, as a nested reader wants it (JSON inside a
 * JSON string): @p is on its opening quote, @end the end of the text, @ctx
 * the one given to jsonpick_spans_ctx().  Returns the byte after its closing
 * quote, having checked it at least as strictly as jsonpick_spans() would;
 * NULL to give up on the whole document (jsonpick_spans_ctx() is then false).
 */
typedef const char *jsonpick_nested_fn(const char *p, const char *end, void *ctx);

/* One member kept; a table of them ends with a NULL name. */
struct jsonpick_slot {
    const char *name; /* member name, plain ASCII */
    int slot;         /* index of its span in the caller's array; -1: none */
    const struct jsonpick_slot *sub; /* an object value: these members of it too */
};

/* A slot index: the member's string value is read by the nested reader given
 * to jsonpick_spans_ctx(), not kept as a span. */
#define JSONPICK_NESTED (-2)

/*
 * Checks @buf (@len bytes) as jsonpick_load() does and fills @out (@nout
 * spans, zeroed first) with the members @keep names, pointing into @buf.
 * False when the text is not a JSON object this reader vouches for: the
 * caller must then use json_loadb() (and may fill the spans from its tree
 * with jsonpick_spans_tree()).
 */
bool jsonpick_spans(const char *buf, size_t len, const struct jsonpick_slot *keep,
                    struct jsonpick_span *out, size_t nout);

/* jsonpick_spans(), the string value of a JSONPICK_NESTED slot read by
 * @nested (with @ctx) instead; any other value of it makes this false. */
bool jsonpick_spans_ctx(const char *buf, size_t len, const struct jsonpick_slot *keep,
                        struct jsonpick_span *out, size_t nout,
                        jsonpick_nested_fn *nested, void *ctx);

/*
 * Fills @out (@nout spans, zeroed first) with the members @keep names of the
 * jansson object @obj: the same spans jsonpick_spans() gives for the same
 * document, but strings decoded (esc false, pointing into @obj, which must
 * outlive them) and no text for other values.
 */
void jsonpick_spans_tree(const json_t *obj, const struct jsonpick_slot *keep,
                         struct jsonpick_span *out, size_t nout);

/*
 * Decodes the escapes of the string text @s (@len bytes, as a span with esc
 * gives it: checked) into @out, which has room for @len bytes; no NUL is
 * added.  Stops at the first escape after @max bytes are written (SIZE_MAX:
 * at the end) and sets *@used (when not NULL) to the bytes of @s read: the
 * rest decodes on from there.  Returns the bytes written.
 */
size_t jsonpick_unescape(const char *s, size_t len, char *out, size_t max, size_t *used);

#define JSONPICK_ONES  0x0101010101010101ULL
#define JSONPICK_HIGHS 0x8080808080808080ULL

/*
 * Returns how many bytes of @s (@len bytes) come before the first that a
 * JSON string cannot hold as it is: a '"', a '\\' or a control byte (below
 * 0x20); @len when there is none.  Sets *@high (when not NULL) if a byte
 * from 0x80 is among them, and leaves it otherwise.  Eight bytes at a time
 * (strings are most of the bytes the adapters read and write), and inline:
 * in a Mattermost post, JSON inside a JSON string, a run is a few bytes.
 */
static inline size_t
jsonpick_plain_len(const char *s, size_t len, bool *high)
{
    const uint64_t ones = JSONPICK_ONES, highs = JSONPICK_HIGHS;
    uint64_t hi = 0;
    size_t i = 0;

#if defined(__SSE2__)
    /* Sixteen bytes at a time where SSE2 is there (every x86-64): a byte
     * below 0x20 is one that saturates to 0 less 0x1f; the top bits of the
     * bytes are the ones from 0x80. */
    const __m128i quote = _mm_set1_epi8('"'), slash = _mm_set1_epi8('\\'),
                  ctl = _mm_set1_epi8(0x1f), zero = _mm_setzero_si128();

    for (; len - i >= 16; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i m =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, slash)),
                         _mm_cmpeq_epi8(_mm_subs_epu8(x, ctl), zero));
        unsigned stop = (unsigned)_mm_movemask_epi8(m),
                 top = (unsigned)_mm_movemask_epi8(x);

        if (stop != 0) {
            unsigned at = (unsigned)__builtin_ctz(stop);

            if (high != NULL && ((top & ((1U << at) - 1)) != 0 || hi != 0))
                *high = true;
            return i + at;
        }
        if (top != 0)
            hi |= highs;
    }
#endif
    /* Zero bytes of w ^ (ones * c) are the bytes equal to c; a byte below
     * 0x20 borrows in w - ones * 0x20 (~w keeps bytes from 0x80 out).  A
     * borrow can mark bytes after a true one, never before it, so the lowest
     * mark is the first such byte. */
    for (; len - i >= 8; i += 8) {
        uint64_t w, q, b, m;

        memcpy(&w, s + i, 8);
        q = w ^ (ones * '"');
        b = w ^ (ones * '\\');
        m = (((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w)) & highs;
        if (m != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            /* The first byte in memory is the lowest: its place, at once. */
            unsigned at = (unsigned)__builtin_ctzll(m) / 8;

            hi |= w & ((1ULL << (8 * at)) - 1);
            if (high != NULL && (hi & highs) != 0)
                *high = true;
            return i + at;
#endif
            break;
        }
        hi |= w;
    }
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x20 || c == '"' || c == '\\')
            break;
        hi |= c;
    }
    if (high != NULL && (hi & highs) != 0)
        *high = true;
    return i;
}

#endif /* BOT_ADAPTERS_JSONPICK_H */
