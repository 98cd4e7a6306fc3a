/* utf8.h - UTF-8 validation without a library, for untrusted bytes. */
#ifndef BOT_BASE_UTF8_H
#define BOT_BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Returns true when the @len bytes at @s are well-formed UTF-8 (no
 * overlongs, surrogates or code points past U+10FFFF) with no NUL byte.
 * On false, *bad_off (out, may be NULL) is the offset of the first bad byte.
 */
bool utf8_is_valid(const char *s, size_t len, size_t *bad_off);

/*
 * Returns true when the @len bytes at @s are well-formed UTF-8 as RFC 3629
 * has it, NUL bytes allowed (a websocket text message or close reason).
 */
bool utf8_is_valid_nul(const void *s, size_t len);

/* Returns the length of the longest prefix of @s, at most @max bytes, that ends
 * on a character boundary. */
size_t utf8_truncate_len(const char *s, size_t max);

/*
 * Writes the code point @cp (at most U+10FFFF; the caller has rejected
 * surrogates where they matter) as UTF-8 at @out, which has room for 4 bytes;
 * returns the bytes written, 1 to 4.
 */
size_t utf8_put(char *out, unsigned long cp);

#endif /* BOT_BASE_UTF8_H */
