/*
 * converse_ctx.c - the follow-up contexts of converse.c (see converse_ctx.h).
 *
 * Contexts are allocated one by one, so a pointer to one stays valid while
 * others come and go; each sits in one bucket chain and in the list in
 * order of use.  A context is one allocation, its key and org after it:
 * ten thousand conversations (a person in a channel each) are then ten
 * thousand blocks, not thirty thousand.  The buckets double whenever the set holds as
 * many contexts as buckets, up to the first power of two at or above the cap.
 */
#include "bot/core/converse_ctx.h"

#include <stdlib.h>
#include <string.h>

#include "bot/base/xmalloc.h"
#include "bot/core/ttlmap.h"

#define CONVERSE_CTX_BUCKETS 16 /* to start with */

void
converse_ctx_init(struct converse_ctx_set *s, size_t max)
{
    memset(s, 0, sizeof(*s));
    s->max = max > 0 ? max : 1;
}

void
converse_ctx_cleanup(struct converse_ctx_set *s)
{
    struct converse_ctx *c, *next;

    for (c = s->oldest; c != NULL; c = next) {
        next = c->newer;
        free(c);
    }
    free(s->buckets);
    memset(s, 0, sizeof(*s));
}

/* Takes @c out of the list in order of use. */
static void
unlink_use(struct converse_ctx_set *s, struct converse_ctx *c)
{
    if (c->older != NULL)
        c->older->newer = c->newer;
    else
        s->oldest = c->newer;
    if (c->newer != NULL)
        c->newer->older = c->older;
    else
        s->newest = c->older;
    c->newer = c->older = NULL;
}

/* Puts @c (out of the list) at its newest end. */
static void
link_newest(struct converse_ctx_set *s, struct converse_ctx *c)
{
    c->older = s->newest;
    c->newer = NULL;
    if (s->newest != NULL)
        s->newest->newer = c;
    else
        s->oldest = c;
    s->newest = c;
}

/* Doubles the buckets (or makes the first ones) and rehashes every chain. */
static void
grow(struct converse_ctx_set *s)
{
    size_t n = s->nbuckets ? s->nbuckets * 2 : CONVERSE_CTX_BUCKETS;
    struct converse_ctx **b = xcalloc(n, sizeof(*b));

    for (struct converse_ctx *c = s->oldest; c != NULL; c = c->newer) {
        size_t i = (size_t)(c->hash & (n - 1));

        c->chain = b[i];
        b[i] = c;
    }
    free(s->buckets);
    s->buckets = b;
    s->nbuckets = n;
}

struct converse_ctx *
converse_ctx_find(struct converse_ctx_set *s, const char *key)
{
    uint64_t h;

    if (s->nbuckets == 0)
        return NULL;
    h = ttlmap_hash(key, NULL);
    for (struct converse_ctx *c = s->buckets[h & (s->nbuckets - 1)]; c != NULL;
         c = c->chain) {
        if (c->hash == h && strcmp(c->key, key) == 0) {
            if (c != s->newest) {
                unlink_use(s, c);
                link_newest(s, c);
            }
            return c;
        }
    }
    return NULL;
}

void
converse_ctx_remove(struct converse_ctx_set *s, struct converse_ctx *c)
{
    struct converse_ctx **pp = &s->buckets[c->hash & (s->nbuckets - 1)];

    while (*pp != c)
        pp = &(*pp)->chain;
    *pp = c->chain;
    unlink_use(s, c);
    s->n--;
    free(c);
}

struct converse_ctx *
converse_ctx_add(struct converse_ctx_set *s, const char *key, const char *org)
{
    struct converse_ctx *c;
    size_t i, klen, olen;

    if (s->n >= s->max)
        converse_ctx_remove(s, s->oldest);
    if (s->n >= s->nbuckets && s->nbuckets < s->max)
        grow(s);
    klen = strlen(key);
    olen = strlen(org);
    c = xcalloc(1, sizeof(*c) + klen + olen + 2);
    c->key = memcpy(c->text, key, klen + 1);
    c->org = memcpy(c->text + klen + 1, org, olen + 1);
    c->hash = ttlmap_hash(key, NULL);
    i = (size_t)(c->hash & (s->nbuckets - 1));
    c->chain = s->buckets[i];
    s->buckets[i] = c;
    link_newest(s, c);
    s->n++;
    return c;
}

void
converse_ctx_expire(struct converse_ctx_set *s, time_t now, unsigned timeout)
{
    struct converse_ctx *c, *next;

    /* The list is in order of use, not of answer: look at every one. */
    for (c = s->oldest; c != NULL; c = next) {
        next = c->newer;
        if (now - c->last >= (time_t)timeout)
            converse_ctx_remove(s, c);
    }
}
