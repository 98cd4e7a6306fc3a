/*
 * converse_ctx.h - the follow-up contexts of converse.c: what the last
 * answer of each conversation was about, found by its key.
 *
 * A hash index over the conversation keys (separate chaining, buckets
 * doubled as it fills) and a list in order of use, so that a lookup costs
 * the same among ten thousand conversations as among ten, and a full set
 * forgets the conversation least recently used.  Private to converse.c
 * (and its tests); times are seconds.
 */
#ifndef BOT_CORE_CONVERSE_CTX_H
#define BOT_CORE_CONVERSE_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* What the last answer of a conversation was about. */
enum converse_ctx_topic {
    CONVERSE_CTX_NONE,
    CONVERSE_CTX_VALUES, /* the values, counted or listed */
    CONVERSE_CTX_VALUE,  /* one value: @item */
    CONVERSE_CTX_GOALS,  /* the goals, counted or listed */
    CONVERSE_CTX_GOAL,   /* one goal: @item */
};

/*
 * The context a follow-up is read in: what was answered, never what was
 * said.  The caller fills topic, item, detail and last.
 */
struct converse_ctx {
    char *key; /* in text: the conversation */
    char *org; /* in text: a context is only used for the same org */
    enum converse_ctx_topic topic;
    size_t item; /* CONVERSE_CTX_VALUE, _GOAL: its index in the KB */
    bool detail; /* the behaviours or points were asked for */
    time_t last; /* time of the answer */
    /* the set's own: */
    uint64_t hash;              /* of key */
    struct converse_ctx *chain; /* next in its bucket */
    struct converse_ctx *newer; /* next in order of use, or NULL: the newest */
    struct converse_ctx *older; /* previous, or NULL: the least recently used */
    char text[];                /* key and org, each NUL-terminated */
};

struct converse_ctx_set {
    struct converse_ctx **buckets; /* owned: nbuckets chains (a power of two) */
    size_t nbuckets;
    size_t n;                    /* contexts held */
    size_t max;                  /* at most this many */
    struct converse_ctx *newest; /* owned: the list in order of use */
    struct converse_ctx *oldest;
};

/* Initialises @s, empty, to hold at most @max (>= 1) contexts. */
void converse_ctx_init(struct converse_ctx_set *s, size_t max);

/* Frees every context of @s; it may be initialised again. */
void converse_ctx_cleanup(struct converse_ctx_set *s);

/*
 * Returns the context of @key and counts it as used, or NULL.  Borrowed:
 * valid until it is removed or evicted.
 */
struct converse_ctx *converse_ctx_find(struct converse_ctx_set *s, const char *key);

/*
 * Adds a context for @key (not held) and @org, both copied, as the most
 * recently used; when the set is full, the least recently used context is
 * removed first.  Returns it, topic CONVERSE_CTX_NONE; borrowed as above.
 */
struct converse_ctx *converse_ctx_add(struct converse_ctx_set *s, const char *key,
                                      const char *org);

/* Removes and frees @c, a context of @s. */
void converse_ctx_remove(struct converse_ctx_set *s, struct converse_ctx *c);

/* Removes every context answered @timeout seconds or more before @now. */
void converse_ctx_expire(struct converse_ctx_set *s, time_t now, unsigned timeout);

#endif /* BOT_CORE_CONVERSE_CTX_H */
