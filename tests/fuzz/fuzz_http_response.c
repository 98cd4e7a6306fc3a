/*
 * fuzz_http_response.c - libFuzzer entry point for the HTTP/1.1 response
 * reader (bot/net/http_resp.c) of the keep-alive post path.
 *
 * Input: one byte saying where to cut the rest in two (its value times the
 * length over 256), then the bytes a server sends.  The answer is read
 * whole and again in two pieces, then to the close; both reads must end
 * the same way with the same status, headers, body and bytes used, and
 * never hold more body than the cap.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/net/http_resp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BODY_CAP 4096

struct outcome {
    enum http_resp_rc rc;
    size_t used;
    int status;
    bool keep_alive;
    long retry_after, reset, remaining;
    struct buf body;
};

static void
parse(const char *p, size_t len, size_t cut, struct outcome *o)
{
    struct http_resp r;
    size_t u1 = 0, u2 = 0;

    buf_init(&o->body, BODY_CAP);
    http_resp_init(&r, &o->body);
    o->rc = http_resp_feed(&r, p, cut, &u1);
    if (u1 > cut)
        abort();
    if (o->rc == HTTP_RESP_MORE) {
        o->rc = http_resp_feed(&r, p + cut, len - cut, &u2);
        if (u2 > len - cut)
            abort();
    }
    if (o->rc == HTTP_RESP_MORE)
        o->rc = http_resp_eof(&r);
    o->used = u1 + u2;
    o->status = r.status;
    o->keep_alive = r.keep_alive;
    o->retry_after = r.retry_after;
    o->reset = r.ratelimit_reset;
    o->remaining = r.ratelimit_remaining;
    if (o->body.len > BODY_CAP)
        abort();
    http_resp_cleanup(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct outcome a, b;
    const char *p;
    size_t len, cut;

    if (size < 1)
        return 0;
    p = (const char *)data + 1;
    len = size - 1;
    cut = len * data[0] / 256;
    parse(p, len, len, &a);
    parse(p, len, cut, &b);
    if (a.rc != b.rc)
        abort();
    if (a.rc == HTTP_RESP_DONE &&
        (a.used != b.used || a.status != b.status || a.keep_alive != b.keep_alive ||
         a.reset != b.reset || a.remaining != b.remaining || a.body.len != b.body.len ||
         (a.body.len > 0 && memcmp(a.body.data, b.body.data, a.body.len) != 0) ||
         labs(a.retry_after - b.retry_after) > 1))
        abort();
    if (a.rc == HTTP_RESP_DONE && (a.status < 200 || a.status > 999))
        abort();
    buf_cleanup(&a.body);
    buf_cleanup(&b.body);
    return 0;
}
