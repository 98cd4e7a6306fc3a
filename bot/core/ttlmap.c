/*
 * ttlmap.c - a chained hash table whose entries also sit in a ring in
 * insertion order, so that evicting the oldest entry is O(1) plus one short
 * chain walk.
 */
#include "bot/core/ttlmap.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/xmalloc.h"

#define NIL SIZE_MAX

struct ttl_entry {
    char *key;       /* owned; NULL for a free slot */
    uint64_t expiry; /* ms */
    uint32_t hash;
    size_t next; /* next slot in the same bucket, or NIL */
};

struct ttlmap {
    struct ttl_entry *slots; /* ring of max entries */
    size_t max, n;
    size_t head;     /* oldest slot when n == max; the next slot to fill */
    size_t *buckets; /* slot index or NIL */
    size_t nbuckets; /* power of two, >= 2 * max */
};

static uint32_t
hash_str(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

struct ttlmap *
ttlmap_new(size_t max)
{
    struct ttlmap *m = xcalloc(1, sizeof(*m));

    assert(max >= 1);
    m->max = max;
    m->slots = xcalloc(max, sizeof(*m->slots));
    m->nbuckets = 16;
    while (m->nbuckets < 2 * max)
        m->nbuckets *= 2;
    m->buckets = xcalloc(m->nbuckets, sizeof(*m->buckets));
    for (size_t i = 0; i < m->nbuckets; i++)
        m->buckets[i] = NIL;
    return m;
}

void
ttlmap_free(struct ttlmap *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->max; i++)
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
ttlmap_set(struct ttlmap *m, const char *key, uint64_t expiry)
{
    uint32_t h = hash_str(key);
    size_t i = lookup(m, key, h), b;

    if (i != NIL) {
        m->slots[i].expiry = expiry;
        return;
    }
    i = m->head;
    if (m->slots[i].key != NULL)
        unlink_slot(m, i); /* full: forget the oldest */
    else
        m->n++;
    m->head = (m->head + 1) % m->max;
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
