/*
 * textpool.c - one shared copy of each reply text waiting to be posted (textpool.h).
 *
 * A chained hash table of counted texts; a text's entry is found again from
 * the text itself (it sits at the end of its entry), so a release needs no
 * lookup by content.  The buckets double when there are more texts than
 * buckets and never shrink: a few dozen words at most.
 */
#include "bot/adapters/textpool.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/xmalloc.h"

#define TEXTPOOL_BUCKETS 16 /* to start with; a power of two */

struct tp_entry {
    struct tp_entry *next; /* in its bucket */
    uint64_t hash;
    size_t len;  /* bytes of text, without its NUL */
    size_t refs; /* holders */
    char text[]; /* NUL-terminated */
};

struct textpool {
    struct tp_entry **buckets; /* owned: nbuckets chains */
    size_t nbuckets;           /* a power of two */
    size_t n;                  /* texts held */
};

/* Eight bytes at a time: a reply is a few hundred bytes, hashed once per reply. */
static uint64_t
text_hash(const char *s, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;
    size_t i = 0;

    for (; len - i >= 8; i += 8) {
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    for (; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h ^ (h >> 29);
}

struct textpool *
textpool_new(void)
{
    struct textpool *tp = xcalloc(1, sizeof(*tp));

    tp->nbuckets = TEXTPOOL_BUCKETS;
    tp->buckets = xcalloc(tp->nbuckets, sizeof(*tp->buckets));
    return tp;
}

void
textpool_free(struct textpool *tp)
{
    if (tp == NULL)
        return;
    for (size_t i = 0; i < tp->nbuckets; i++) {
        struct tp_entry *e = tp->buckets[i], *next;

        for (; e != NULL; e = next) {
            next = e->next;
            free(e);
        }
    }
    free(tp->buckets);
    free(tp);
}

static void
grow(struct textpool *tp)
{
    size_t n = tp->nbuckets * 2;
    struct tp_entry **b = xcalloc(n, sizeof(*b));

    for (size_t i = 0; i < tp->nbuckets; i++) {
        struct tp_entry *e = tp->buckets[i], *next;

        for (; e != NULL; e = next) {
            next = e->next;
            e->next = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
        }
    }
    free(tp->buckets);
    tp->buckets = b;
    tp->nbuckets = n;
}

const char *
textpool_take(struct textpool *tp, const char *s, size_t len)
{
    uint64_t h = text_hash(s, len);
    struct tp_entry **head = &tp->buckets[h & (tp->nbuckets - 1)], *e;

    for (e = *head; e != NULL; e = e->next) {
        if (e->hash == h && e->len == len && memcmp(e->text, s, len) == 0) {
            e->refs++;
            return e->text;
        }
    }
    e = xmalloc(sizeof(*e) + len + 1);
    e->hash = h;
    e->len = len;
    e->refs = 1;
    memcpy(e->text, s, len);
    e->text[len] = '\0';
    e->next = *head;
    *head = e;
    if (++tp->n > tp->nbuckets)
        grow(tp);
    return e->text;
}

void
textpool_release(struct textpool *tp, const char *s)
{
    struct tp_entry *e = (struct tp_entry *)(void *)(s - offsetof(struct tp_entry, text));
    struct tp_entry **p;

    if (--e->refs > 0)
        return;
    for (p = &tp->buckets[e->hash & (tp->nbuckets - 1)]; *p != e; p = &(*p)->next)
        ;
    *p = e->next;
    tp->n--;
    free(e);
}

size_t
textpool_count(const struct textpool *tp)
{
    return tp->n;
}
