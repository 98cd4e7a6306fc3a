/*
 * http_resp.c - the HTTP/1.1 response reader (see http_resp.h).
 *
 * Lines (the status line, headers, a chunk's size and its CRLF, trailers)
 * are read in place when a read holds them whole, as it nearly always
 * does; only a line split between two reads is gathered in r->line.  A
 * line ends at LF, a CR before it dropped (RFC 9112 section 2.2).
 */
#include "bot/net/http_resp.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

enum {
    ST_STATUS,
    ST_HEADER,
    ST_BODY,       /* Content-Length bytes */
    ST_CHUNK_SIZE, /* a chunk's size line */
    ST_CHUNK_DATA,
    ST_CHUNK_END, /* the CRLF after a chunk's data */
    ST_TRAILER,
    ST_TO_CLOSE, /* the body runs to the close */
    ST_DONE,
};

#define CHUNK_LINE_MAX 1024 /* a chunk's size line, extensions and all */

/* What the header block said, reset for each status line (1xx ones too). */
static void
head_reset(struct http_resp *r)
{
    r->status = 0;
    r->keep_alive = false;
    r->retry_after = -1;
    r->ratelimit_reset = -1;
    r->ratelimit_remaining = -1;
    r->chunked = false;
    r->to_close = false;
    r->length = -1;
}

void
http_resp_init(struct http_resp *r, struct buf *body)
{
    memset(r, 0, sizeof(*r));
    r->body = body;
    buf_init(&r->line, HTTP_RESP_HEAD_MAX);
    r->state = ST_STATUS;
    head_reset(r);
}

void
http_resp_cleanup(struct http_resp *r)
{
    buf_cleanup(&r->line);
}

/* Is @s (@n bytes) the header name @name, in any case? */
static bool
name_is(const char *s, size_t n, const char *name)
{
    return strlen(name) == n && strncasecmp(s, name, n) == 0;
}

/* Does the comma-separated list @v (@n bytes) hold @token, in any case? */
static bool
has_token(const char *v, size_t n, const char *token, bool last_only)
{
    size_t tlen = strlen(token);
    const char *end = v + n;
    bool found = false;

    while (v < end) {
        const char *comma = memchr(v, ',', (size_t)(end - v));
        const char *e = comma != NULL ? comma : end;
        const char *b = v;

        while (b < e && (*b == ' ' || *b == '\t'))
            b++;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        found = (size_t)(e - b) == tlen && strncasecmp(b, token, tlen) == 0
                    ? true
                    : (last_only ? false : found);
        v = comma != NULL ? comma + 1 : end;
    }
    return found;
}

/*
 * A whole number as X-Ratelimit-* are read: strtol()'s number with only
 * blanks after it, not negative; else -1.
 */
static long
value_long(const char *v, size_t n)
{
    char tmp[32];
    char *end;
    long x;

    if (n == 0 || n >= sizeof(tmp))
        return -1;
    memcpy(tmp, v, n);
    tmp[n] = '\0';
    x = strtol(tmp, &end, 10);
    while (*end == ' ' || *end == '\t')
        end++;
    return (end == tmp || *end != '\0' || x < 0) ? -1 : x;
}

/*
 * Retry-After (RFC 9110 section 10.2.3) as curl reads it: seconds, or an
 * HTTP date counted from now; 0 when it is neither.
 */
static long
value_retry_after(const char *v, size_t n)
{
    char tmp[64];
    long secs = 0;
    size_t i = 0;
    time_t date;

    for (; i < n && v[i] >= '0' && v[i] <= '9'; i++)
        secs = secs < 100000000 ? secs * 10 + (v[i] - '0') : secs;
    if (secs > 0 || n == 0 || n >= sizeof(tmp))
        return secs;
    memcpy(tmp, v, n);
    tmp[n] = '\0';
    if ((date = curl_getdate(tmp, NULL)) == -1)
        return 0;
    return (long)(date - time(NULL));
}

/* Reads "HTTP/1.x NNN reason". */
static enum http_resp_rc
status_line(struct http_resp *r, const char *s, size_t n)
{
    if (n < 12 || memcmp(s, "HTTP/1.", 7) != 0 || (s[7] != '0' && s[7] != '1') ||
        s[8] != ' ')
        return HTTP_RESP_BAD;
    for (int i = 9; i < 12; i++) {
        if (s[i] < '0' || s[i] > '9')
            return HTTP_RESP_BAD;
    }
    if (n > 12 && s[12] != ' ')
        return HTTP_RESP_BAD;
    head_reset(r);
    r->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
    if (r->status < 100)
        return HTTP_RESP_BAD;
    r->keep_alive = s[7] == '1';
    r->state = ST_HEADER;
    return HTTP_RESP_MORE;
}

/* Reads one "Name: value" line. */
static enum http_resp_rc
header_line(struct http_resp *r, const char *s, size_t n)
{
    const char *colon = memchr(s, ':', n), *v, *e = s + n;
    size_t name_len;

    if (s[0] == ' ' || s[0] == '\t' || colon == NULL)
        return HTTP_RESP_MORE; /* a folded line, or no header: nothing we read */
    name_len = (size_t)(colon - s);
    v = colon + 1;
    while (v < e && (*v == ' ' || *v == '\t'))
        v++;
    while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    if (name_is(s, name_len, "Content-Length")) {
        long long len = 0;

        if (v == e || e - v > 18)
            return HTTP_RESP_BAD;
        for (const char *c = v; c < e; c++) {
            if (*c < '0' || *c > '9')
                return HTTP_RESP_BAD;
            len = len * 10 + (*c - '0');
        }
        if (r->length >= 0 && r->length != len)
            return HTTP_RESP_BAD; /* two lengths: a smuggled response */
        r->length = len;
    } else if (name_is(s, name_len, "Transfer-Encoding")) {
        /* Chunked when it comes last; any other coding runs to the close. */
        r->chunked = has_token(v, (size_t)(e - v), "chunked", true);
        r->to_close = !r->chunked;
    } else if (name_is(s, name_len, "Connection")) {
        if (has_token(v, (size_t)(e - v), "close", false))
            r->keep_alive = false;
        else if (has_token(v, (size_t)(e - v), "keep-alive", false))
            r->keep_alive = true;
    } else if (name_is(s, name_len, "Retry-After")) {
        r->retry_after = value_retry_after(v, (size_t)(e - v));
    } else if (name_is(s, name_len, "X-Ratelimit-Reset")) {
        r->ratelimit_reset = value_long(v, (size_t)(e - v));
    } else if (name_is(s, name_len, "X-Ratelimit-Remaining")) {
        r->ratelimit_remaining = value_long(v, (size_t)(e - v));
    }
    return HTTP_RESP_MORE;
}

/* The blank line after the headers: how the body is delimited. */
static enum http_resp_rc
head_end(struct http_resp *r)
{
    if (r->status < 200) {
        if (r->status == 101)
            return HTTP_RESP_BAD; /* never asked to switch protocols */
        r->state = ST_STATUS;     /* 100 Continue and the like: the answer follows */
        return HTTP_RESP_MORE;
    }
    if (r->status == 204 || r->status == 304) {
        r->state = ST_DONE;
        return HTTP_RESP_DONE;
    }
    if (r->chunked) {
        if (r->length >= 0)
            r->keep_alive = false; /* both: chunked wins, the connection goes */
        r->state = ST_CHUNK_SIZE;
        return HTTP_RESP_MORE;
    }
    if (!r->to_close && r->length >= 0) {
        r->left = (unsigned long long)r->length;
        r->state = r->left > 0 ? ST_BODY : ST_DONE;
        return r->left > 0 ? HTTP_RESP_MORE : HTTP_RESP_DONE;
    }
    r->to_close = true;
    r->keep_alive = false;
    r->state = ST_TO_CLOSE;
    return HTTP_RESP_MORE;
}

/* Reads a chunk's size line: hex digits, then perhaps ";extensions". */
static enum http_resp_rc
chunk_size(struct http_resp *r, const char *s, size_t n)
{
    unsigned long long size = 0;
    size_t i = 0;

    for (; i < n; i++) {
        int d;

        if (s[i] >= '0' && s[i] <= '9')
            d = s[i] - '0';
        else if ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f')
            d = (s[i] | 0x20) - 'a' + 10;
        else
            break;
        if (size >> 56 != 0)
            return HTTP_RESP_BAD;
        size = size * 16 + (unsigned long long)d;
    }
    if (i == 0 || (i < n && s[i] != ';' && s[i] != ' ' && s[i] != '\t'))
        return HTTP_RESP_BAD;
    r->left = size;
    r->state = size > 0 ? ST_CHUNK_DATA : ST_TRAILER;
    return HTTP_RESP_MORE;
}

/* One whole line @s (@n bytes, its CR and LF gone) in the current state. */
static enum http_resp_rc
one_line(struct http_resp *r, const char *s, size_t n)
{
    switch (r->state) {
    case ST_STATUS:
        return status_line(r, s, n);
    case ST_HEADER:
        return n == 0 ? head_end(r) : header_line(r, s, n);
    case ST_CHUNK_SIZE:
        return chunk_size(r, s, n);
    case ST_CHUNK_END:
        if (n != 0)
            return HTTP_RESP_BAD;
        r->state = ST_CHUNK_SIZE;
        return HTTP_RESP_MORE;
    default: /* ST_TRAILER: trailers are not read; the blank line ends it all */
        if (n != 0)
            return HTTP_RESP_MORE;
        r->state = ST_DONE;
        return HTTP_RESP_DONE;
    }
}

/* Reads a line-shaped state's bytes from @p; *took (out) how many. */
static enum http_resp_rc
feed_line(struct http_resp *r, const char *p, size_t len, size_t *took)
{
    const char *nl = memchr(p, '\n', len);
    size_t n = nl != NULL ? (size_t)(nl - p) : len;
    bool head = r->state == ST_STATUS || r->state == ST_HEADER || r->state == ST_TRAILER;
    const char *s = p;
    enum http_resp_rc rc;

    *took = nl != NULL ? n + 1 : len;
    if (head && (r->head_len += *took) > HTTP_RESP_HEAD_MAX)
        return HTTP_RESP_BAD;
    if (!head && r->line.len + n > CHUNK_LINE_MAX)
        return HTTP_RESP_BAD; /* each chunk line on its own */
    if (nl == NULL)
        return buf_add(&r->line, p, len) == BOT_OK ? HTTP_RESP_MORE : HTTP_RESP_BAD;
    if (r->line.len > 0) {
        if (buf_add(&r->line, p, n) != BOT_OK)
            return HTTP_RESP_BAD;
        s = r->line.data;
        n = r->line.len;
    }
    if (n > 0 && s[n - 1] == '\r')
        n--;
    rc = one_line(r, s, n);
    buf_reset(&r->line);
    return rc;
}

enum http_resp_rc
http_resp_feed(struct http_resp *r, const char *p, size_t len, size_t *used)
{
    size_t i = 0;

    while (i < len) {
        enum http_resp_rc rc = HTTP_RESP_MORE;
        size_t took;

        switch (r->state) {
        case ST_BODY:
        case ST_CHUNK_DATA:
            took = len - i < r->left ? len - i : (size_t)r->left;
            if (buf_add(r->body, p + i, took) != BOT_OK)
                rc = HTTP_RESP_LIMIT;
            r->left -= took;
            if (r->left == 0 && rc == HTTP_RESP_MORE) {
                r->state = r->state == ST_BODY ? ST_DONE : ST_CHUNK_END;
                rc = r->state == ST_DONE ? HTTP_RESP_DONE : HTTP_RESP_MORE;
            }
            break;
        case ST_TO_CLOSE:
            took = len - i;
            if (buf_add(r->body, p + i, took) != BOT_OK)
                rc = HTTP_RESP_LIMIT;
            break;
        case ST_DONE:
            *used = i;
            return HTTP_RESP_DONE;
        default:
            rc = feed_line(r, p + i, len - i, &took);
            break;
        }
        i += took;
        if (rc != HTTP_RESP_MORE) {
            *used = i;
            return rc;
        }
    }
    *used = len;
    return r->state == ST_DONE ? HTTP_RESP_DONE : HTTP_RESP_MORE;
}

enum http_resp_rc
http_resp_eof(struct http_resp *r)
{
    if (r->state == ST_DONE)
        return HTTP_RESP_DONE;
    if (r->state != ST_TO_CLOSE)
        return HTTP_RESP_BAD;
    r->state = ST_DONE;
    r->keep_alive = false;
    return HTTP_RESP_DONE;
}
