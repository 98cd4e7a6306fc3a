/*
 * wsframe.c - WebSocket framing (see wsframe.h).
 *
 * A header is read straight from the caller's bytes when it is all there
 * (the usual case: a read holds whole frames) and gathered in rx->hdr only
 * when a read ends inside one.  Payloads go to the message buffer with one
 * memcpy() per piece.  A message over the cap is skipped as it streams by,
 * so memory stays bounded whatever length a header claims.
 */
#include "bot/net/wsframe.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "bot/base/utf8.h"

#define WSFRAME_KEEP (16 * 1024) /* a bigger message buffer is freed after use */

void
wsframe_rx_init(struct wsframe_rx *rx, size_t max_message, bool masked)
{
    memset(rx, 0, sizeof(*rx));
    rx->max_message = max_message;
    rx->masked = masked;
    buf_init(&rx->msg, max_message);
}

void
wsframe_rx_cleanup(struct wsframe_rx *rx)
{
    buf_cleanup(&rx->msg);
}

size_t
wsframe_header_len(uint64_t len, bool masked)
{
    return (len < 126 ? 2 : len <= 0xffff ? 4 : 10) + (masked ? 4 : 0);
}

size_t
wsframe_header_format(unsigned char *out, unsigned op, uint64_t len,
                      const unsigned char *key)
{
    size_t n = 2;

    out[0] = (unsigned char)(0x80 | (op & 0x0f));
    if (len < 126) {
        out[1] = (unsigned char)len;
    } else if (len <= 0xffff) {
        out[1] = 126;
        out[2] = (unsigned char)(len >> 8);
        out[3] = (unsigned char)len;
        n = 4;
    } else {
        out[1] = 127;
        for (int i = 0; i < 8; i++)
            out[2 + i] = (unsigned char)(len >> (56 - 8 * i));
        n = 10;
    }
    if (key != NULL) {
        out[1] |= 0x80;
        memcpy(out + n, key, 4);
        n += 4;
    }
    return n;
}

void
wsframe_mask(unsigned char *p, size_t len, const unsigned char *key, uint64_t off)
{
    unsigned char k[4];
    uint64_t k64;
    uint32_t k32;
    size_t i = 0;

    for (int j = 0; j < 4; j++)
        k[j] = key[(off + (uint64_t)j) & 3];
    memcpy(&k32, k, 4);
    /* The same 4 bytes twice in memory, whatever the byte order. */
    k64 = (uint64_t)k32 << 32 | k32;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;

        memcpy(&w, p + i, 8);
        w ^= k64;
        memcpy(p + i, &w, 8);
    }
    for (; i < len; i++)
        p[i] ^= k[i & 3];
}

void
wsframe_accept_key(const char *key, char *out)
{
    static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    unsigned char sha[SHA_DIGEST_LENGTH];
    char both[WSFRAME_KEY_LEN + sizeof(guid)];

    snprintf(both, sizeof(both), "%.*s%s", WSFRAME_KEY_LEN, key, guid);
    SHA1((const unsigned char *)both, strlen(both), sha);
    EVP_EncodeBlock((unsigned char *)out, sha, sizeof(sha));
}

/* True when the @n bytes at @s equal the C string @lit, ignoring case. */
static bool
span_is(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

/* True when the comma-separated list of @n bytes at @s holds @token (any case). */
static bool
span_has_token(const char *s, size_t n, const char *token)
{
    const char *end = s + n;

    while (s < end) {
        const char *t;

        while (s < end && (*s == ' ' || *s == '\t' || *s == ','))
            s++;
        for (t = s; t < end && *t != ',' && *t != ' ' && *t != '\t'; t++)
            ;
        if (span_is(s, (size_t)(t - s), token))
            return true;
        s = t;
    }
    return false;
}

enum bot_err
wsframe_upgrade_check(const char *resp, size_t len, const char *accept,
                      const char *subprotocol, int *status, const char **why)
{
    const char *p = resp, *end = resp + len, *eol;
    bool upgrade = false, connection = false, accepted = false, proto = false,
         seen = false;
    int st = 0;

    *status = 0;
    if (len < 12 || (memcmp(p, "HTTP/1.1 ", 9) != 0 && memcmp(p, "HTTP/1.0 ", 9) != 0) ||
        p[9] < '1' || p[9] > '5' || p[10] < '0' || p[10] > '9' || p[11] < '0' ||
        p[11] > '9' || (len > 12 && p[12] != ' ' && p[12] != '\r')) {
        *why = "malformed status line";
        return BOT_EPARSE;
    }
    st = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
    *status = st;
    if (st != 101) {
        *why = "not 101 Switching Protocols";
        return BOT_EPARSE;
    }
    if ((eol = memchr(p, '\n', len)) == NULL) {
        *why = "no end of line";
        return BOT_EPARSE;
    }
    for (p = eol + 1; p < end; p = eol + 1) {
        const char *colon, *v, *ve;

        if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
            break;
        ve = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
        if (ve == p)
            break; /* the blank line */
        if ((colon = memchr(p, ':', (size_t)(ve - p))) == NULL)
            continue;
        for (v = colon + 1; v < ve && (*v == ' ' || *v == '\t'); v++)
            ;
        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
            ve--;
        if (span_is(p, (size_t)(colon - p), "Upgrade"))
            upgrade = span_is(v, (size_t)(ve - v), "websocket");
        else if (span_is(p, (size_t)(colon - p), "Connection"))
            connection = span_has_token(v, (size_t)(ve - v), "upgrade");
        else if (span_is(p, (size_t)(colon - p), "Sec-WebSocket-Accept"))
            accepted = (size_t)(ve - v) == strlen(accept) &&
                       memcmp(v, accept, (size_t)(ve - v)) == 0;
        else if (span_is(p, (size_t)(colon - p), "Sec-WebSocket-Protocol")) {
            seen = true;
            proto = subprotocol != NULL && (size_t)(ve - v) == strlen(subprotocol) &&
                    memcmp(v, subprotocol, (size_t)(ve - v)) == 0;
        }
    }
    /* The server must echo the subprotocol we asked for, and name none otherwise. */
    if (subprotocol == NULL)
        proto = !seen;
    *why = !upgrade      ? "no Upgrade: websocket"
           : !connection ? "no Connection: upgrade"
           : !accepted   ? "wrong Sec-WebSocket-Accept"
           : !proto      ? "wrong Sec-WebSocket-Protocol"
                         : NULL;
    return *why != NULL ? BOT_EPARSE : BOT_OK;
}

static enum bot_err
fail(struct wsframe_rx *rx, int code, const char *why)
{
    rx->closed = true;
    rx->close_code = code;
    rx->why = why;
    return BOT_EPARSE;
}

/* Checks a whole header @h and starts its frame. */
static enum bot_err
start_frame(struct wsframe_rx *rx, const unsigned char *h)
{
    unsigned op = h[0] & 0x0f, len7 = h[1] & 0x7f;
    bool masked = (h[1] & 0x80) != 0;
    uint64_t len = len7;
    size_t n = 2;

    if (h[0] & 0x70)
        return fail(rx, WSFRAME_CLOSE_PROTOCOL, "reserved bits set");
    if (masked != rx->masked)
        return fail(rx, WSFRAME_CLOSE_PROTOCOL,
                    masked ? "masked frame from the server" : "unmasked frame");
    if (len7 == 126) {
        len = (uint64_t)h[2] << 8 | h[3];
        n = 4;
    } else if (len7 == 127) {
        len = 0;
        for (int i = 0; i < 8; i++)
            len = len << 8 | h[2 + i];
        n = 10;
        if (len >> 63)
            return fail(rx, WSFRAME_CLOSE_PROTOCOL, "frame length out of range");
    }
    if (masked)
        memcpy(rx->key, h + n, 4);
    rx->op = op;
    rx->fin = (h[0] & 0x80) != 0;
    rx->left = len;
    rx->off = 0;
    switch (op) {
    case WSFRAME_CLOSE:
    case WSFRAME_PING:
    case WSFRAME_PONG:
        if (!rx->fin)
            return fail(rx, WSFRAME_CLOSE_PROTOCOL, "fragmented control frame");
        if (len > WSFRAME_MAX_CONTROL)
            return fail(rx, WSFRAME_CLOSE_PROTOCOL, "control frame too long");
        rx->nctl = 0;
        break;
    case WSFRAME_TEXT:
    case WSFRAME_BINARY:
        if (rx->in_message)
            return fail(rx, WSFRAME_CLOSE_PROTOCOL,
                        "new message inside a fragmented one");
        rx->in_message = true;
        rx->msg_op = op;
        rx->over = false;
        buf_reset(&rx->msg);
        /* FALLTHROUGH */
    case WSFRAME_CONT:
        if (!rx->in_message)
            return fail(rx, WSFRAME_CLOSE_PROTOCOL, "continuation without a message");
        if (!rx->over && len > rx->max_message - rx->msg.len) {
            rx->over = true;
            buf_reset(&rx->msg);
        }
        break;
    default:
        return fail(rx, WSFRAME_CLOSE_PROTOCOL, "unknown opcode");
    }
    rx->in_frame = true;
    return BOT_OK;
}

/* The current frame is complete: report it.  Sets *stop when @fn said so. */
static enum bot_err
end_frame(struct wsframe_rx *rx, wsframe_msg_fn *fn, void *arg, bool *stop)
{
    enum wsframe_kind kind;
    const char *data;
    size_t len;

    rx->in_frame = false;
    rx->nhdr = 0;
    switch (rx->op) {
    case WSFRAME_PING:
    case WSFRAME_PONG:
        rx->ctl[rx->nctl] = '\0';
        *stop = fn(arg, rx->op == WSFRAME_PING ? WSFRAME_MSG_PING : WSFRAME_MSG_PONG,
                   rx->ctl, rx->nctl) != 0;
        return BOT_OK;
    case WSFRAME_CLOSE:
        rx->ctl[rx->nctl] = '\0';
        rx->closed = true;
        if (rx->nctl == 1)
            return fail(rx, WSFRAME_CLOSE_PROTOCOL, "close frame of one byte");
        if (rx->nctl >= 2) {
            unsigned code =
                (unsigned)(unsigned char)rx->ctl[0] << 8 | (unsigned char)rx->ctl[1];

            /* 1004-1006 and 1015 are reserved; 1012-1014 are IANA's. */
            if (code < 1000 || (code > 1014 && code < 3000) || code > 4999 ||
                (code >= 1004 && code <= 1006))
                return fail(rx, WSFRAME_CLOSE_PROTOCOL, "invalid close code");
            if (!utf8_is_valid_nul(rx->ctl + 2, rx->nctl - 2))
                return fail(rx, WSFRAME_CLOSE_BAD_DATA, "close reason not UTF-8");
        }
        *stop = fn(arg, WSFRAME_MSG_CLOSE, rx->ctl, rx->nctl) != 0;
        return BOT_OK;
    default:
        break;
    }
    if (!rx->fin)
        return BOT_OK;
    rx->in_message = false;
    data = rx->msg.data != NULL ? rx->msg.data : "";
    len = rx->msg.len;
    if (rx->over) {
        kind = WSFRAME_MSG_OVER;
        data = NULL;
        len = 0;
    } else if (rx->msg_op == WSFRAME_TEXT) {
        if (!utf8_is_valid_nul(data, len))
            return fail(rx, WSFRAME_CLOSE_BAD_DATA, "text message not UTF-8");
        kind = WSFRAME_MSG_TEXT;
    } else {
        kind = WSFRAME_MSG_BINARY;
    }
    *stop = fn(arg, kind, data, len) != 0;
    /* One large message must not pin its buffer for the life of the connection. */
    if (rx->msg.cap > WSFRAME_KEEP)
        buf_cleanup(&rx->msg);
    else
        buf_reset(&rx->msg);
    rx->over = false;
    return BOT_OK;
}

enum bot_err
wsframe_rx_feed(struct wsframe_rx *rx, const unsigned char *p, size_t len,
                wsframe_msg_fn *fn, void *arg)
{
    enum bot_err err;
    bool stop = false;

    while (!rx->closed) {
        size_t n;

        if (!rx->in_frame) {
            const unsigned char *h;
            size_t need;

            if (len == 0)
                break;
            if (rx->nhdr == 0 && len >= 2 &&
                len >= (need = 2 +
                               ((p[1] & 0x7f) == 126   ? 2
                                : (p[1] & 0x7f) == 127 ? 8
                                                       : 0) +
                               ((p[1] & 0x80) ? 4 : 0))) {
                h = p;
            } else {
                /* A header split between reads: gather it. */
                if (rx->nhdr < 2) {
                    n = 2 - rx->nhdr < len ? 2 - rx->nhdr : len;
                    memcpy(rx->hdr + rx->nhdr, p, n);
                    rx->nhdr += n;
                    p += n;
                    len -= n;
                    if (rx->nhdr < 2)
                        break;
                }
                need = 2 +
                       ((rx->hdr[1] & 0x7f) == 126   ? 2
                        : (rx->hdr[1] & 0x7f) == 127 ? 8
                                                     : 0) +
                       ((rx->hdr[1] & 0x80) ? 4 : 0);
                n = need - rx->nhdr < len ? need - rx->nhdr : len;
                memcpy(rx->hdr + rx->nhdr, p, n);
                rx->nhdr += n;
                p += n;
                len -= n;
                if (rx->nhdr < need)
                    break;
                h = rx->hdr;
                need = 0; /* already consumed */
            }
            if ((err = start_frame(rx, h)) != BOT_OK)
                return err;
            p += need;
            len -= need;
        }
        n = rx->left < len ? (size_t)rx->left : len;
        if (n > 0) {
            unsigned char *dst = NULL;

            if (rx->op >= WSFRAME_CLOSE) {
                dst = (unsigned char *)rx->ctl + rx->nctl;
                memcpy(dst, p, n);
                rx->nctl += n;
            } else if (!rx->over) {
                size_t at = rx->msg.len;

                if (buf_add(&rx->msg, p, n) != BOT_OK) /* cannot happen: checked */
                    return fail(rx, WSFRAME_CLOSE_TOO_BIG, "message too big");
                dst = (unsigned char *)rx->msg.data + at;
            }
            if (rx->masked && dst != NULL)
                wsframe_mask(dst, n, rx->key, rx->off);
            rx->off += n;
            rx->left -= n;
            p += n;
            len -= n;
        }
        if (rx->left > 0)
            break;
        if ((err = end_frame(rx, fn, arg, &stop)) != BOT_OK)
            return err;
        if (stop)
            break;
    }
    return BOT_OK;
}
