/*
 * ttlmap.c - a chained hash table whose entries also sit in a ring in
 * insertion order, so that evicting the oldest entry is O(1) plus one short
 * chain walk.
 *
 * The ring starts small and doubles, up to max, only when it is full: a
 * quiet bot keeps a few kilobytes instead of max entries (the seen-event
 * set's 65536 entries and their buckets are 3 MB, and initialising the
 * buckets alone made 1.3 MB resident at start).
 */
#include "bot/core/ttlmap.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/xmalloc.h"

#define NIL          SIZE_MAX
#define TTLMAP_FIRST 64 /* entries before the first doubling */

struct ttl_entry {
    char *key;       /* owned; NULL for a free slot */
    uint64_t expiry; /* ms */
    uint32_t hash;
    size_t next; /* next slot in the same bucket, or NIL */
};

struct ttlmap {
    struct ttl_entry *slots; /* ring of cap entries */
    size_t cap, max, n;      /* cap <= max; n <= cap */
    size_t head;             /* oldest slot when n == cap; the next slot to fill */
    size_t *buckets;         /* slot index or NIL */
    size_t nbuckets;         /* power of two, >= 2 * cap */
};

static uint32_t
hash_str(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
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
    m->buckets = xreallocarray(NULL, m->nbuckets, sizeof(*m->buckets));
    for (size_t i = 0; i < m->nbuckets; i++)
        m->buckets[i] = NIL;
}

struct ttlmap *
ttlmap_new(size_t max)
{
    struct ttlmap *m = xcalloc(1, sizeof(*m));

    assert(max >= 1);
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
        m->buckets[b] = k;
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
        free(m->slots[i].key);
    free(m->slots);
    free(m->buckets);
    free(m);
}

static size_t
lookup(const struct ttlmap *m, const char *key, uint32_t h)
{
    for (size_t i = m->buckets[h & (m->nbuckets - 1)]; i != NIL; i = m->slots[i].next) {
        if (m->slots[i].hash == h && strcmp(m->slots[i].key, key) == 0)
            return i;
    }
    return NIL;
}

bool
ttlmap_find(const struct ttlmap *m, const char *key, uint64_t now, uint64_t *expiry)
{
    size_t i = lookup(m, key, hash_str(key));

    if (i == NIL || m->slots[i].expiry <= now)
        return false;
    if (expiry != NULL)
        *expiry = m->slots[i].expiry;
    return true;
}

static void
unlink_slot(struct ttlmap *m, size_t i)
{
    size_t *p = &m->buckets[m->slots[i].hash & (m->nbuckets - 1)];

    while (*p != i)
        p = &m->slots[*p].next;
    *p = m->slots[i].next;
    free(m->slots[i].key);
    m->slots[i].key = NULL;
}

void
ttlmap_set(struct ttlmap *m, const char *key, uint64_t expiry, uint64_t now)
{
    uint32_t h = hash_str(key);
    size_t i = lookup(m, key, h), b;

    if (i != NIL) {
        m->slots[i].expiry = expiry;
        return;
    }
    /* Full at this size: an oldest key that has expired makes room (the
     * pacing map then stays at its first size however many channels pass
     * through it); a live one is kept and the ring grows. */
    if (m->n == m->cap && m->cap < m->max && m->slots[m->head].expiry > now)
        grow(m);
    i = m->head;
    if (m->slots[i].key != NULL)
        unlink_slot(m, i); /* full: forget the oldest */
    else
        m->n++;
    m->head = (m->head + 1) % m->cap;
    b = h & (m->nbuckets - 1);
    m->slots[i] = (struct ttl_entry){
        .key = xstrdup(key), .expiry = expiry, .hash = h, .next = m->buckets[b]};
    m->buckets[b] = i;
}

size_t
ttlmap_count(const struct ttlmap *m)
{
    return m->n;
}
