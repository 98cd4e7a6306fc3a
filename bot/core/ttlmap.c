/*
 * ttlmap.c - a chained hash table whose entries also sit in a ring in
 * insertion order, so that evicting the oldest entry is O(1) plus one short
 * chain walk.
 *
 * The ring starts small and doubles, up to max, only when it is full: a
 * quiet bot keeps a few kilobytes instead of max entries (the seen-event
 * set's 65536 entries and their buckets are 3 MB, and initialising the
 * buckets alone made 1.3 MB resident at start).
 *
 * An entry is 48 bytes with its key in it when the key is short (an event id
 * such as "mm:" and 26 characters, a channel id): a map of ten thousand
 * event ids is then one array, not ten thousand small allocations beside it
 * (80 bytes an entry more, with malloc's headers).  Links are 32-bit slot
 * numbers plus one, so that zeroed memory is an empty table.
 */
#include "bot/core/ttlmap.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/xmalloc.h"

#define NIL          0u               /* no slot: links hold a slot's index plus one */
#define TTLMAP_FIRST 64               /* entries before the first doubling */
#define TTL_INLINE   32               /* bytes of an entry's key storage */
#define TTL_TAG      (TTL_INLINE - 1) /* the storage's last byte says what it holds */

enum ttl_tag { TTL_FREE = 0, TTL_SHORT = 1, TTL_LONG = 2 };

struct ttl_entry {
    uint64_t expiry; /* ms */
    uint32_t hash;
    uint32_t next; /* next slot in the same bucket, plus one, or NIL */
    union {
        char text[TTL_INLINE]; /* TTL_SHORT: the key, NUL-terminated, before the tag */
        char *heap;            /* TTL_LONG: owned copy of a longer key */
    } key;                     /* key.text[TTL_TAG] is an enum ttl_tag */
};

struct ttlmap {
    struct ttl_entry *slots; /* ring of cap entries */
    size_t cap, max, n;      /* cap <= max; n <= cap */
    size_t head;             /* oldest slot when n == cap; the next slot to fill */
    uint32_t *buckets;       /* slot index plus one, or NIL */
    size_t nbuckets;         /* power of two, >= 2 * cap */
};

static const char *
key_of(const struct ttl_entry *e)
{
    return e->key.text[TTL_TAG] == TTL_LONG ? e->key.heap : e->key.text;
}

/* Stores @key (@len bytes) in @e, in place when it fits. */
static void
key_set(struct ttl_entry *e, const char *key, size_t len)
{
    if (len < TTL_TAG) {
        memcpy(e->key.text, key, len + 1);
        e->key.text[TTL_TAG] = TTL_SHORT;
    } else {
        e->key.heap = xstrdup(key);
        e->key.text[TTL_TAG] = TTL_LONG;
    }
}

static void
key_clear(struct ttl_entry *e)
{
    if (e->key.text[TTL_TAG] == TTL_LONG)
        free(e->key.heap);
    e->key.text[TTL_TAG] = TTL_FREE;
}

uint64_t
ttlmap_hash(const char *key, size_t *lenp)
{
    const uint64_t k = 0x9e3779b97f4a7c15ULL;
    size_t len = strlen(key);
    uint64_t h = 14695981039346656037ULL ^ len, w;

    if (lenp != NULL)
        *lenp = len;
    for (; len >= 8; key += 8, len -= 8) {
        memcpy(&w, key, 8);
        h = (h ^ w) * k;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, key, len);
    h = (h ^ w) * k;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 32);
}

static uint32_t
hash_str(const char *s, size_t *len)
{
    return (uint32_t)ttlmap_hash(s, len);
}

/* Sizes the slots and buckets of @m for @cap entries; the slots hold none yet. */
static void
alloc_table(struct ttlmap *m, size_t cap)
{
    m->cap = cap;
    m->slots = xcalloc(cap, sizeof(*m->slots));
    m->nbuckets = 16;
    while (m->nbuckets < 2 * cap)
        m->nbuckets *= 2;
    m->buckets = xcalloc(m->nbuckets, sizeof(*m->buckets));
}

struct ttlmap *
ttlmap_new(size_t max)
{
    struct ttlmap *m = xcalloc(1, sizeof(*m));

    assert(max >= 1 && max < UINT32_MAX);
    m->max = max;
    alloc_table(m, max < TTLMAP_FIRST ? max : TTLMAP_FIRST);
    return m;
}

/*
 * Doubles the ring of a full @m (up to max), keeping insertion order: the
 * oldest entry moves to slot 0 and the next slot to fill follows the newest.
 */
static void
grow(struct ttlmap *m)
{
    struct ttl_entry *old = m->slots;
    size_t oldcap = m->cap, cap = m->cap * 2 > m->max ? m->max : m->cap * 2;

    assert(m->n == oldcap && cap > oldcap);
    free(m->buckets);
    alloc_table(m, cap);
    for (size_t k = 0; k < oldcap; k++) {
        struct ttl_entry *e = &m->slots[k];
        size_t b;

        *e = old[(m->head + k) % oldcap];
        b = e->hash & (m->nbuckets - 1);
        e->next = m->buckets[b];
        m->buckets[b] = (uint32_t)k + 1;
    }
    free(old);
    m->head = oldcap;
}

void
ttlmap_free(struct ttlmap *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->cap; i++)
        key_clear(&m->slots[i]);
    free(m->slots);
    free(m->buckets);
    free(m);
}

/* The slot holding @key (hash @h), or SIZE_MAX. */
static size_t
lookup(const struct ttlmap *m, const char *key, uint32_t h)
{
    for (uint32_t l = m->buckets[h & (m->nbuckets - 1)]; l != NIL;
         l = m->slots[l - 1].next) {
        const struct ttl_entry *e = &m->slots[l - 1];

        if (e->hash == h && strcmp(key_of(e), key) == 0)
            return l - 1;
    }
    return SIZE_MAX;
}

bool
ttlmap_find(const struct ttlmap *m, const char *key, uint64_t now, uint64_t *expiry)
{
    size_t len, i = lookup(m, key, hash_str(key, &len));

    if (i == SIZE_MAX || m->slots[i].expiry <= now)
        return false;
    if (expiry != NULL)
        *expiry = m->slots[i].expiry;
    return true;
}

static void
unlink_slot(struct ttlmap *m, size_t i)
{
    uint32_t *p = &m->buckets[m->slots[i].hash & (m->nbuckets - 1)];

    while (*p != i + 1)
        p = &m->slots[*p - 1].next;
    *p = m->slots[i].next;
    key_clear(&m->slots[i]);
}

void
ttlmap_set(struct ttlmap *m, const char *key, uint64_t expiry, uint64_t now)
{
    size_t len;
    uint32_t h = hash_str(key, &len);
    size_t i = lookup(m, key, h), b;
    struct ttl_entry *e;

    if (i != SIZE_MAX) {
        m->slots[i].expiry = expiry;
        return;
    }
    /* Full at this size: an oldest key that has expired makes room (the
     * pacing map then stays at its first size however many channels pass
     * through it); a live one is kept and the ring grows. */
    if (m->n == m->cap && m->cap < m->max && m->slots[m->head].expiry > now)
        grow(m);
    i = m->head;
    if (m->slots[i].key.text[TTL_TAG] != TTL_FREE)
        unlink_slot(m, i); /* full: forget the oldest */
    else
        m->n++;
    m->head = (m->head + 1) % m->cap;
    b = h & (m->nbuckets - 1);
    e = &m->slots[i];
    key_set(e, key, len);
    e->expiry = expiry;
    e->hash = h;
    e->next = m->buckets[b];
    m->buckets[b] = (uint32_t)i + 1;
}

size_t
ttlmap_count(const struct ttlmap *m)
{
    return m->n;
}
