/*
 * test_http_resp.c - the HTTP/1.1 response reader of bot/net/http_resp.c:
 * whole responses, every split of one, chunked bodies, 1xx, what keeps a
 * connection, the headers the outbox reads, and what it refuses.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "bot/net/http_resp.h"

TestSuite(http_resp, .timeout = 10);

struct got {
    struct buf body;
    struct http_resp r;
    enum http_resp_rc rc;
    size_t used;
};

/* Reads @text in pieces cut at @cut (0: whole), into @g. */
static void
read_cut(struct got *g, const char *text, size_t cut, size_t cap)
{
    size_t len = strlen(text), u1 = 0, u2 = 0;

    buf_init(&g->body, cap ? cap : 1 << 20);
    http_resp_init(&g->r, &g->body);
    if (cut == 0 || cut >= len) {
        g->rc = http_resp_feed(&g->r, text, len, &g->used);
        return;
    }
    g->rc = http_resp_feed(&g->r, text, cut, &u1);
    if (g->rc == HTTP_RESP_MORE)
        g->rc = http_resp_feed(&g->r, text + cut, len - cut, &u2);
    g->used = u1 + u2;
}

static void
got_free(struct got *g)
{
    http_resp_cleanup(&g->r);
    buf_cleanup(&g->body);
}

Test(http_resp, length_delimited_answer_read_whole)
{
    struct got g;
    const char *t = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    "Content-Length: 11\r\n\r\n{\"ok\":true}";

    read_cut(&g, t, 0, 0);
    cr_expect_eq(g.rc, HTTP_RESP_DONE);
    cr_expect_eq(g.used, strlen(t));
    cr_expect_eq(g.r.status, 200);
    cr_expect(g.r.keep_alive);
    cr_expect_str_eq(buf_str(&g.body), "{\"ok\":true}");
    cr_expect_eq(g.r.retry_after, -1);
    cr_expect_eq(g.r.ratelimit_reset, -1);
    cr_expect_eq(g.r.ratelimit_remaining, -1);
    got_free(&g);
}

Test(http_resp, every_split_reads_the_same)
{
    const char *answers[] = {
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nX-Ratelimit-Reset: 3\r\n"
        "X-Ratelimit-Remaining: 0\r\nContent-Length: 5\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: "
        "t\r\n\r\n",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\nContent-Length: 2\n\nok",
    };
    const char *bodies[] = {"hello", "helloabcdefghijklmnopqrstuvwxyz", "ok"};
    const int status[] = {429, 200, 201};

    for (size_t a = 0; a < sizeof(answers) / sizeof(answers[0]); a++) {
        for (size_t cut = 1; cut < strlen(answers[a]); cut++) {
            struct got g;

            read_cut(&g, answers[a], cut, 0);
            cr_expect_eq(g.rc, HTTP_RESP_DONE, "answer %zu cut at %zu", a, cut);
            cr_expect_eq(g.used, strlen(answers[a]), "answer %zu cut at %zu", a, cut);
            cr_expect_eq(g.r.status, status[a]);
            cr_expect_str_eq(buf_str(&g.body), bodies[a], "answer %zu cut at %zu", a,
                             cut);
            cr_expect(g.r.keep_alive);
            if (a == 0) {
                cr_expect_eq(g.r.retry_after, 7);
                cr_expect_eq(g.r.ratelimit_reset, 3);
                cr_expect_eq(g.r.ratelimit_remaining, 0);
            }
            got_free(&g);
        }
    }
}

Test(http_resp, what_keeps_the_connection)
{
    static const struct {
        const char *text;
        bool keep;
    } cases[] = {
        {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true},
        {"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false},
        {"HTTP/1.1 200 OK\r\nConnection: Upgrade, Close\r\nContent-Length: 0\r\n\r\n",
         false},
        {"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false},
        {"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", true},
        {"HTTP/1.1 204 No Content\r\n\r\n", true},
        {"HTTP/1.1 304 Not Modified\r\nContent-Length: 20\r\n\r\n", true},
        /* Both framings: chunked wins, and the connection is not trusted after. */
        {"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nTransfer-Encoding: "
         "chunked\r\n\r\n0\r\n\r\n",
         false},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct got g;

        read_cut(&g, cases[i].text, 0, 0);
        cr_expect_eq(g.rc, HTTP_RESP_DONE, "case %zu", i);
        cr_expect_eq(g.r.keep_alive, cases[i].keep, "case %zu", i);
        cr_expect_eq(g.body.len, 0, "case %zu", i);
        got_free(&g);
    }
}

Test(http_resp, body_without_length_runs_to_the_close)
{
    struct got g;

    read_cut(&g, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsome text", 0, 0);
    cr_expect_eq(g.rc, HTTP_RESP_MORE);
    cr_expect_eq(http_resp_eof(&g.r), HTTP_RESP_DONE);
    cr_expect_str_eq(buf_str(&g.body), "some text");
    cr_expect_not(g.r.keep_alive);
    got_free(&g);
    /* A coding other than chunked last: the same. */
    read_cut(&g, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nzz", 0, 0);
    cr_expect_eq(g.rc, HTTP_RESP_MORE);
    cr_expect_eq(http_resp_eof(&g.r), HTTP_RESP_DONE);
    cr_expect_str_eq(buf_str(&g.body), "zz");
    got_free(&g);
}

Test(http_resp, close_before_the_end_is_bad)
{
    struct got g;

    read_cut(&g, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", 0, 0);
    cr_expect_eq(g.rc, HTTP_RESP_MORE);
    cr_expect_eq(http_resp_eof(&g.r), HTTP_RESP_BAD);
    got_free(&g);
    read_cut(&g, "HTTP/1.1 200 OK\r\nContent-Le", 0, 0);
    cr_expect_eq(http_resp_eof(&g.r), HTTP_RESP_BAD);
    got_free(&g);
}

Test(http_resp, bytes_after_the_answer_are_left)
{
    struct got g;
    const char *t = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n";

    read_cut(&g, t, 0, 0);
    cr_expect_eq(g.rc, HTTP_RESP_DONE);
    cr_expect_eq(g.used, strlen(t) - strlen("HTTP/1.1 200 OK\r\n"));
    got_free(&g);
}

Test(http_resp, malformed_answers_are_bad)
{
    const char *bad[] = {
        "HTTP/2 200\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 099 Low\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n",
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct got g;

        read_cut(&g, bad[i], 0, 0);
        cr_expect_eq(g.rc, HTTP_RESP_BAD, "case %zu: %s", i, bad[i]);
        got_free(&g);
    }
}

Test(http_resp, header_block_over_its_cap_is_bad)
{
    struct got g;
    static char big[HTTP_RESP_HEAD_MAX + 200];
    size_t n = (size_t)snprintf(big, sizeof(big), "HTTP/1.1 200 OK\r\nX-Big: ");

    memset(big + n, 'a', sizeof(big) - n - 1);
    big[sizeof(big) - 1] = '\0';
    read_cut(&g, big, 1000, 0);
    cr_expect_eq(g.rc, HTTP_RESP_BAD);
    got_free(&g);
}

Test(http_resp, body_over_the_cap_is_the_limit)
{
    struct got g;

    read_cut(&g,
             "HTTP/1.1 200 OK\r\nContent-Length: "
             "40\r\n\r\n0123456789012345678901234567890123456789",
             0, 16);
    cr_expect_eq(g.rc, HTTP_RESP_LIMIT);
    got_free(&g);
    read_cut(&g,
             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n"
             "01234567890123456789012345678901\r\n0\r\n\r\n",
             0, 16);
    cr_expect_eq(g.rc, HTTP_RESP_LIMIT);
    got_free(&g);
}

Test(http_resp, retry_after_and_ratelimit_values)
{
    char t[256], date[64];
    time_t later = time(NULL) + 120;
    struct tm tm;
    struct got g;

    /* An HTTP date two minutes on: counted from now. */
    gmtime_r(&later, &tm);
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    snprintf(t, sizeof(t),
             "HTTP/1.1 429 Slow\r\nRetry-After: %s\r\nContent-Length: 0\r\n\r\n", date);
    read_cut(&g, t, 0, 0);
    cr_expect_eq(g.rc, HTTP_RESP_DONE);
    cr_expect(g.r.retry_after >= 115 && g.r.retry_after <= 120, "%ld", g.r.retry_after);
    got_free(&g);
    /* Neither a number nor a date: 0 (as curl reads it); the last header counts. */
    read_cut(&g,
             "HTTP/1.1 429 Slow\r\nRetry-After: soon\r\nX-Ratelimit-Reset: 9\r\n"
             "X-Ratelimit-Reset: x\r\nX-Ratelimit-Remaining: -3\r\n"
             "Content-Length: 0\r\n\r\n",
             0, 0);
    cr_expect_eq(g.r.retry_after, 0);
    cr_expect_eq(g.r.ratelimit_reset, -1);
    cr_expect_eq(g.r.ratelimit_remaining, -1);
    got_free(&g);
    read_cut(&g,
             "HTTP/1.1 200 OK\r\nx-ratelimit-remaining:  12 \r\nRETRY-AFTER:\t30\r\n"
             "Content-Length: 0\r\n\r\n",
             0, 0);
    cr_expect_eq(g.r.ratelimit_remaining, 12);
    cr_expect_eq(g.r.retry_after, 30);
    got_free(&g);
}
