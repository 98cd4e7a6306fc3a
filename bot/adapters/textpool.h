/*
 * textpool.h - one shared copy of each reply text waiting to be posted.
 *
 * A burst of questions (everyone asked the same thing after one announcement)
 * waits in the outbox as thousands of replies, and a bot answering from one
 * document gives a handful of different answers: each text is kept once,
 * counted, and freed when the last reply holding it is posted or dropped.
 * Loop thread only.
 */
#ifndef BOT_ADAPTERS_TEXTPOOL_H
#define BOT_ADAPTERS_TEXTPOOL_H

#include <stddef.h>

struct textpool;

/* Returns a new, empty pool; free with textpool_free(). */
struct textpool *textpool_new(void);

/* Frees @tp and every text still in it.  NULL is a no-op. */
void textpool_free(struct textpool *tp);

/*
 * Returns the pool's copy of @s (@len bytes, NUL-terminated at @len), made
 * if it holds none, and counts one more holder.  Borrowed: valid until
 * textpool_release() has been called for it as often as it was taken.
 */
const char *textpool_take(struct textpool *tp, const char *s, size_t len);

/* Counts one holder of @s (a text textpool_take() returned) less; the last frees it. */
void textpool_release(struct textpool *tp, const char *s);

/* Returns how many different texts @tp holds. */
size_t textpool_count(const struct textpool *tp);

#endif /* BOT_ADAPTERS_TEXTPOOL_H */
