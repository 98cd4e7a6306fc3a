/*
 * ttlmap.h - a bounded map from string keys to expiry times.
 *
 * It backs the seen-event set (key: event id, expiry: first seen + TTL) and
 * the per-channel pacing (key: channel, expiry: next free slot).  Memory is
 * bounded: at most @max keys are held, and when full the oldest inserted
 * key is forgotten first, and an expired oldest key is reused before the
 * map grows.  Expired keys read as absent.  Times are
 * milliseconds on any monotonic clock the caller chooses.
 */
#ifndef BOT_CORE_TTLMAP_H
#define BOT_CORE_TTLMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ttlmap;

/* Returns a new map holding at most @max (>= 1) keys; free with ttlmap_free(). */
struct ttlmap *ttlmap_new(size_t max);

/* Frees @m and its keys.  NULL is a no-op. */
void ttlmap_free(struct ttlmap *m);

/* Returns true and sets *expiry (out, may be NULL) when @key is held and not expired at
 * @now. */
bool ttlmap_find(const struct ttlmap *m, const char *key, uint64_t now, uint64_t *expiry);

/*
 * Sets @key (copied) to expire at @expiry, replacing any earlier value.  A
 * new key takes the oldest key's place when the map is full, or when the
 * oldest has expired at @now and the map would otherwise grow.
 */
void ttlmap_set(struct ttlmap *m, const char *key, uint64_t expiry, uint64_t now);

/* Returns how many keys are held, expired ones included. */
size_t ttlmap_count(const struct ttlmap *m);

/*
 * A hash of the string @key, eight bytes at a time (FNV-1a a byte at a time
 * cost more than the rest of a look-up for a Mattermost key of three 26-letter
 * ids); its length in *@len unless NULL.  The low bits are mixed: they pick
 * the bucket.  Also converse_ctx.c's.
 */
uint64_t ttlmap_hash(const char *key, size_t *len);

#endif /* BOT_CORE_TTLMAP_H */
