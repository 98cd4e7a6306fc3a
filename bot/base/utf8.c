/* utf8.c - UTF-8 validation without a library, for untrusted bytes. */
#include "bot/base/utf8.h"

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/*
 * Returns the offset of the first byte of @p that does not start a
 * well-formed character (a NUL counts as bad unless @nul_ok), or @len.
 * ASCII runs go eight bytes at a time: a websocket message or a page is
 * mostly ASCII.
 */
static size_t
first_bad(const unsigned char *p, size_t len, bool nul_ok)
{
    size_t i = 0;

    while (i < len) {
        unsigned c = p[i];
        size_t n;
        unsigned cp;

        if (c < 0x80) {
#if defined(__SSE2__)
            /* Sixteen at a time first: a byte from 0x80 is a top bit, a NUL a
             * byte equal to zero. */
            while (len - i >= 16) {
                __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
                unsigned bad = (unsigned)_mm_movemask_epi8(x);

                if (!nul_ok)
                    bad |= (unsigned)_mm_movemask_epi8(
                        _mm_cmpeq_epi8(x, _mm_setzero_si128()));
                if (bad != 0)
                    break;
                i += 16;
            }
#endif
            while (i + 8 <= len) {
                uint64_t w;

                memcpy(&w, p + i, 8);
                /* A high bit, or (unless allowed) a zero byte. */
                if ((w & HIGHS) != 0 || (!nul_ok && ((w - ONES) & ~w & HIGHS) != 0))
                    break;
                i += 8;
            }
            while (i < len && p[i] < 0x80) {
                if (p[i] == 0 && !nul_ok)
                    return i;
                i++;
            }
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (len - i <= n)
            return i;
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        /* Overlongs, surrogates and values past the Unicode range. */
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += n + 1;
    }
    return len;
}

bool
utf8_is_valid(const char *s, size_t len, size_t *bad_off)
{
    size_t bad = first_bad((const unsigned char *)s, len, false);

    if (bad == len)
        return true;
    if (bad_off != NULL)
        *bad_off = bad;
    return false;
}

bool
utf8_is_valid_nul(const void *s, size_t len)
{
    return first_bad(s, len, true) == len;
}

size_t
utf8_truncate_len(const char *s, size_t max)
{
    size_t len = strlen(s);

    if (len <= max)
        return len;
    while (max > 0 && (((unsigned char)s[max]) & 0xc0) == 0x80)
        max--;
    return max;
}

size_t
utf8_put(char *out, unsigned long cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}
