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
