/*
 * kb_doc_html_decode.c - an HTML page's bytes decoded to UTF-8.
 *
 * A BOM wins, then the charset a <meta> tag declares (windows-1252 and its
 * aliases here, others through iconv), else UTF-8 with each byte that is
 * not part of a valid sequence read as windows-1252.
 */
#include "bot/kb/kb_doc_html_int.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/buf.h"
#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"

/* windows-1252's 0x80-0x9f; the rest of it is ISO 8859-1. */
static const unsigned short cp1252[32] = {
    0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
    0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
    0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
    0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178};

static void
put_cp1252(struct buf *out, unsigned char c)
{
    unsigned u = c >= 0x80 && c < 0xa0 ? cp1252[c - 0x80] : c;
    char s[3];

    if (u < 0x80) {
        s[0] = (char)u;
        (void)buf_add(out, s, 1);
    } else if (u < 0x800) {
        s[0] = (char)(0xc0 | (u >> 6));
        s[1] = (char)(0x80 | (u & 0x3f));
        (void)buf_add(out, s, 2);
    } else {
        s[0] = (char)(0xe0 | (u >> 12));
        s[1] = (char)(0x80 | ((u >> 6) & 0x3f));
        s[2] = (char)(0x80 | (u & 0x3f));
        (void)buf_add(out, s, 3);
    }
}

/* Length of the valid UTF-8 sequence at @s (of @len bytes), 0 if invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t len)
{
    size_t n;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        n = 2;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        n = 3;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        n = 4;
    else
        return 0;
    if (n > len)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    }
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
        (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
        return 0;
    return n;
}

/* The charset a <meta> tag in the first 4 KiB declares, lower-cased, or "". */
static void
meta_charset(const char *buf, size_t len, char *out, size_t outlen)
{
    size_t max = len < 4096 ? len : 4096;

    out[0] = '\0';
    for (size_t i = 0; i + 5 < max; i++) {
        size_t end;

        if (strncasecmp(buf + i, "<meta", 5) != 0)
            continue;
        for (end = i; end < max && buf[end] != '>'; end++)
            ;
        for (size_t j = i + 5; j + 7 < end; j++) {
            size_t k, o = 0;

            if (strncasecmp(buf + j, "charset", 7) != 0)
                continue;
            k = j + 7;
            while (k < end && (buf[k] == ' ' || buf[k] == '\t'))
                k++;
            if (k >= end || buf[k] != '=')
                continue;
            k++;
            while (k < end && (buf[k] == ' ' || buf[k] == '"' || buf[k] == '\''))
                k++;
            while (k < end && o + 1 < outlen && buf[k] != '"' && buf[k] != '\'' &&
                   buf[k] != ';' && buf[k] != ' ' && buf[k] != '/' && buf[k] != '>') {
                out[o++] =
                    (char)(buf[k] >= 'A' && buf[k] <= 'Z' ? buf[k] | 0x20 : buf[k]);
                k++;
            }
            out[o] = '\0';
            if (o > 0)
                return;
        }
        i = end;
    }
}

static bool
is_label(const char *cs, const char *const *labels)
{
    for (size_t i = 0; labels[i] != NULL; i++) {
        if (strcmp(cs, labels[i]) == 0)
            return true;
    }
    return false;
}

static bool
iconv_to_utf8(const char *cs, const char *buf, size_t len, struct buf *out)
{
    iconv_t cd = iconv_open("UTF-8", cs);
    char *in = (char *)(uintptr_t)buf;
    size_t inleft = len;
    char chunk[4096];

    if (cd == (iconv_t)-1)
        return false;
    while (inleft > 0) {
        char *o = chunk;
        size_t oleft = sizeof(chunk);
        size_t rc = iconv(cd, &in, &inleft, &o, &oleft);

        (void)buf_add(out, chunk, sizeof(chunk) - oleft);
        if (rc == (size_t)-1 && errno != E2BIG) {
            (void)buf_adds(out, "\xef\xbf\xbd");
            in++;
            inleft--;
        }
    }
    iconv_close(cd);
    return true;
}

char *
kb_doc_html_decode(const char *buf, size_t len, size_t *outlen, const char **charset)
{
    static const char *const utf8[] = {"utf-8", "utf8", "unicode-1-1-utf-8", NULL};
    static const char *const latin[] = {
        "windows-1252", "cp1252",     "x-cp1252",       "iso-8859-1",
        "iso8859-1",    "iso_8859-1", "latin1",         "l1",
        "us-ascii",     "ascii",      "ansi_x3.4-1968", NULL};
    struct buf out;
    char cs[40];
    const unsigned char *p = (const unsigned char *)buf;

    buf_init(&out, len * 3 + 16);
    *charset = "UTF-8";
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
        p += 3;
        len -= 3;
        cs[0] = '\0';
    } else if (len >= 2 &&
               (memcmp(buf, "\xff\xfe", 2) == 0 || memcmp(buf, "\xfe\xff", 2) == 0)) {
        bool le = (unsigned char)buf[0] == 0xff;

        *charset = le ? "UTF-16LE" : "UTF-16BE";
        (void)iconv_to_utf8(*charset, buf + 2, len - 2, &out);
        goto done;
    } else {
        meta_charset(buf, len, cs, sizeof(cs));
    }
    if (cs[0] != '\0' && is_label(cs, latin)) {
        *charset = "windows-1252";
        for (size_t i = 0; i < len; i++)
            put_cp1252(&out, p[i]);
        goto done;
    }
    if (cs[0] != '\0' && !is_label(cs, utf8) && strncmp(cs, "utf-16", 6) != 0) {
        if (iconv_to_utf8(cs, (const char *)p, len, &out)) {
            *charset = "declared";
            goto done;
        }
        buf_reset(&out);
    }
    /* UTF-8, each byte that does not fit read as windows-1252. */
    {
        size_t bad = 0, good = 0;

        for (size_t i = 0; i < len;) {
            size_t n = utf8_seq(p + i, len - i);

            if (n == 0) {
                put_cp1252(&out, p[i]);
                bad++;
                i++;
                continue;
            }
            if (n > 1)
                good++;
            (void)buf_add(&out, p + i, n);
            i += n;
        }
        if (bad > 0)
            *charset =
                good > 0 ? "UTF-8 (some bytes read as windows-1252)" : "windows-1252";
    }
done:
    *outlen = out.len;
    if (out.data == NULL)
        return xstrdup("");
    return buf_take(&out);
}
