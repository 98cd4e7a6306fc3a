/*
 * test_ws.c - the websocket client of bot/net/ws.c against a scripted
 * libwebsockets server running on the same loop (127.0.0.1, port 0).
 *
 * The server sends what a test scripts (text and binary frames, messages
 * split into fragments, oversized messages) and records what it receives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <libwebsockets.h>

#include "bot/base/xmalloc.h"
#include "bot/net/loop.h"
#include "bot/net/net_int.h"
#include "bot/net/ws.h"
#include "tests/net/loop_fixture.h"
#include "tests/test_util.h"

#define MAX_STEPS 16

struct step {
    int flags; /* LWS_WRITE_* */
    const char *data;
    size_t len; /* 0: strlen(data) */
};

/* One test's world: the loop, the scripted server and what the client saw. */
struct world {
    struct net_loop *loop;
    struct lws_context *srv;
    int port;
    struct step steps[MAX_STEPS];
    size_t nsteps, next_step;
    bool close_after_script; /* the server hangs up once the script is sent */
    char received[4096];     /* what the server got, frames joined with '|' */
    int peer_closes;         /* close frames the server got */
    int peer_close_code;     /* the status code in the last one */
    /* client side */
    struct ws_conn *conn;
    int opens, closes, sent_ok, sent_err;
    enum bot_err close_err;
    char messages[8192]; /* what the client got, each as "<err>:<text>|" */
    size_t nmessages;
    size_t lens[8];             /* the length of each of the first messages */
    size_t stop_after_messages; /* stop the loop once this many arrived */
    bool send_on_open;
    struct net_timer *guard;
};

static struct world w;

static int
srv_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
             size_t len)
{
    switch (reason) {
    case LWS_CALLBACK_ESTABLISHED:
        if (w.nsteps > 0 || w.close_after_script)
            lws_callback_on_writable(wsi);
        break;
    case LWS_CALLBACK_SERVER_WRITEABLE: {
        const struct step *s;
        unsigned char *buf;
        size_t n;

        if (w.next_step == w.nsteps) {
            if (w.close_after_script) {
                lws_close_reason(wsi, LWS_CLOSE_STATUS_GOINGAWAY, NULL, 0);
                return -1;
            }
            break;
        }
        s = &w.steps[w.next_step++];
        n = s->len ? s->len : strlen(s->data);
        buf = xmalloc(LWS_PRE + n);
        memcpy(buf + LWS_PRE, s->data, n);
        lws_write(wsi, buf + LWS_PRE, n, (enum lws_write_protocol)s->flags);
        free(buf);
        lws_callback_on_writable(wsi);
        break;
    }
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        w.peer_closes++;
        if (len >= 2)
            w.peer_close_code =
                ((const unsigned char *)in)[0] << 8 | ((const unsigned char *)in)[1];
        break;
    case LWS_CALLBACK_RECEIVE: {
        size_t used = strlen(w.received);

        snprintf(w.received + used, sizeof(w.received) - used, "%.*s|",
                 (int)(len < 1000 ? len : 1000), (const char *)in);
        break;
    }
    default:
        break;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols srv_protocols[] = {
    {"srv", srv_callback, 0, 65536, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static void
start_server(void)
{
    struct lws_context_creation_info info;
    void *foreign[1] = {&w.loop->uv};

    memset(&info, 0, sizeof(info));
    info.port = 0;
    info.iface = "127.0.0.1";
    info.protocols = srv_protocols;
    info.options = LWS_SERVER_OPTION_LIBUV;
    info.foreign_loops = foreign;
    info.pcontext = &w.srv;
    w.srv = lws_create_context(&info);
    cr_assert_not_null(w.srv);
    w.port = lws_get_vhost_listen_port(lws_get_vhost_by_name(w.srv, "default"));
    cr_assert_gt(w.port, 0);
}

static void
setup(void)
{
    memset(&w, 0, sizeof(w));
    xmalloc_json_init();
    w.loop = net_loop_new();
    w.guard = loop_guard_new(w.loop, 10000);
}

static void
teardown(void)
{
    net_timer_free(w.guard);
    if (w.srv != NULL)
        lws_context_destroy(w.srv);
    net_loop_free(w.loop);
}

TestSuite(ws, .init = setup, .fini = teardown, .timeout = 30);

static void
on_sent(struct ws_conn *conn, void *arg, enum bot_err err)
{
    (void)conn;
    (void)arg;
    if (err == BOT_OK)
        w.sent_ok++;
    else
        w.sent_err++;
}

static void
on_open(struct ws_conn *conn, void *arg)
{
    (void)arg;
    w.opens++;
    if (w.send_on_open) {
        cr_expect_eq(ws_send_notify(conn, "first", 5, on_sent, NULL), BOT_OK);
        cr_expect_eq(ws_send_notify(conn, "second", 6, on_sent, NULL), BOT_OK);
    }
}

static void
on_message(struct ws_conn *conn, void *arg, enum bot_err err, const char *buf, size_t len)
{
    (void)arg;
    loop_trace_message(w.messages, sizeof(w.messages), err, buf, len, 200);
    if (err == BOT_OK)
        cr_expect_eq(buf[len], '\0', "messages are NUL-terminated");
    if (w.nmessages < sizeof(w.lens) / sizeof(w.lens[0]))
        w.lens[w.nmessages] = len;
    if (++w.nmessages == w.stop_after_messages)
        ws_close(conn);
}

static void
on_close(struct ws_conn *conn, void *arg, enum bot_err err, const char *why)
{
    (void)conn;
    (void)arg;
    (void)why;
    w.closes++;
    w.close_err = err;
    w.conn = NULL;
    net_loop_stop(w.loop);
}

static void
connect_host_and_run(const char *host, size_t max_message)
{
    char url[64];
    struct ws_options opt = {.max_message = max_message,
                             .name = "test",
                             .on_open = on_open,
                             .on_message = on_message,
                             .on_close = on_close};

    snprintf(url, sizeof(url), "ws://%s:%d/", host, w.port);
    cr_assert_eq(ws_connect(w.loop, url, &opt, &w.conn), BOT_OK);
    net_loop_run(w.loop);
}

static void
connect_and_run(size_t max_message)
{
    connect_host_and_run("127.0.0.1", max_message);
}

static void
script(int flags, const char *data)
{
    cr_assert_lt(w.nsteps, MAX_STEPS);
    w.steps[w.nsteps++] = (struct step){.flags = flags, .data = data};
}

Test(ws, fragments_are_reassembled_into_one_message)
{
    start_server();
    script(LWS_WRITE_TEXT | LWS_WRITE_NO_FIN, "hel");
    script(LWS_WRITE_CONTINUATION | LWS_WRITE_NO_FIN, "lo ");
    script(LWS_WRITE_CONTINUATION, "world");
    script(LWS_WRITE_TEXT, "next");
    w.stop_after_messages = 2;
    connect_and_run(0);
    cr_expect_str_eq(w.messages, "T:hello world|T:next|");
    cr_expect_eq(w.opens, 1);
    cr_expect_eq(w.closes, 1);
    cr_expect_eq(w.close_err, BOT_OK, "a close we asked for reports BOT_OK");
    cr_expect_eq(w.peer_closes, 1, "a clean close sends a close frame (RFC 6455 7.1.1)");
    cr_expect_eq(w.peer_close_code, 1000);
}

Test(ws, binary_frames_are_reported_and_skipped)
{
    start_server();
    script(LWS_WRITE_BINARY, "\x01\x02\x03");
    script(LWS_WRITE_TEXT, "after");
    w.stop_after_messages = 2;
    connect_and_run(0);
    cr_expect_str_eq(w.messages, "B:|T:after|");
}

Test(ws, oversized_message_dropped_whole_then_the_next_arrives)
{
    static char big[3000];

    memset(big, 'x', sizeof(big) - 1);
    start_server();
    script(LWS_WRITE_TEXT | LWS_WRITE_NO_FIN, big);
    script(LWS_WRITE_CONTINUATION | LWS_WRITE_NO_FIN, big);
    script(LWS_WRITE_CONTINUATION, "end");
    script(LWS_WRITE_TEXT, "small");
    w.stop_after_messages = 2;
    connect_and_run(1024);
    cr_expect_str_eq(w.messages, "L:|T:small|");
}

Test(ws, large_messages_arrive_whole_before_and_after_small_ones)
{
    /* Past 16 KB the reassembly buffer is freed after each message. */
    static char a[12001], b[20001];

    memset(a, 'a', sizeof(a) - 1);
    memset(b, 'b', sizeof(b) - 1);
    start_server();
    script(LWS_WRITE_TEXT | LWS_WRITE_NO_FIN, a);
    script(LWS_WRITE_CONTINUATION, a);
    script(LWS_WRITE_TEXT, "small");
    script(LWS_WRITE_TEXT, b);
    script(LWS_WRITE_TEXT, "tail");
    w.stop_after_messages = 4;
    connect_and_run(0);
    cr_expect_eq(w.nmessages, 4);
    cr_expect_eq(w.lens[0], 24000);
    cr_expect_eq(w.lens[1], 5);
    cr_expect_eq(w.lens[2], 20000);
    cr_expect_eq(w.lens[3], 4);
    cr_expect(strstr(w.messages, "|T:small|") != NULL, "%s", w.messages);
    cr_expect(strstr(w.messages, "|T:tail|") != NULL, "%s", w.messages);
    cr_expect(strncmp(w.messages, "T:aaaa", 6) == 0);
}

Test(ws, sends_in_order_and_reports_each_write)
{
    start_server();
    w.send_on_open = true;
    script(LWS_WRITE_TEXT, "hi");
    w.stop_after_messages = 1;
    connect_and_run(0);
    cr_expect_eq(w.sent_ok, 2);
    cr_expect_eq(w.sent_err, 0);
    /* The server saw both frames, in order, before our close. */
    cr_expect_str_eq(w.received, "first|second|");
}

Test(ws, server_hangup_reports_a_network_close_once)
{
    start_server();
    script(LWS_WRITE_TEXT, "bye");
    w.close_after_script = true;
    connect_and_run(0);
    cr_expect_str_eq(w.messages, "T:bye|");
    cr_expect_eq(w.closes, 1);
    cr_expect_eq(w.close_err, BOT_ENET);
}

Test(ws, refused_connection_reports_once_or_fails_at_once)
{
    struct ws_options opt = {.name = "test",
                             .on_open = on_open,
                             .on_message = on_message,
                             .on_close = on_close};
    enum bot_err err;

    /* Port 1 on loopback: nothing listens there. */
    err = ws_connect(w.loop, "ws://127.0.0.1:1/", &opt, &w.conn);
    if (err == BOT_OK) {
        net_loop_run(w.loop);
        cr_expect_eq(w.closes, 1);
        cr_expect_eq(w.close_err, BOT_ENET);
    } else {
        cr_expect_eq(err, BOT_ENET);
        cr_expect_eq(w.closes, 0, "no callback after a failed call");
    }
    cr_expect_eq(w.opens, 0);
}

Test(ws, plaintext_to_a_remote_host_is_refused)
{
    struct ws_options opt = {.name = "test",
                             .on_open = on_open,
                             .on_message = on_message,
                             .on_close = on_close};

    cr_expect_eq(ws_connect(w.loop, "ws://192.0.2.1/", &opt, &w.conn), BOT_EINVAL);
    cr_expect_eq(ws_connect(w.loop, "https://example.com/", &opt, &w.conn), BOT_EINVAL);
    cr_expect_eq(ws_connect(w.loop, "not a url", &opt, &w.conn), BOT_EPARSE);
    cr_expect_null(w.conn);
    cr_expect_eq(w.closes, 0);
}

Test(ws, host_names_are_resolved_off_the_loop)
{
    start_server();
    script(LWS_WRITE_TEXT, "by name");
    w.stop_after_messages = 1;
    connect_host_and_run("localhost", 0);
    cr_expect_str_eq(w.messages, "T:by name|");
    cr_expect_eq(w.closes, 1);
}

Test(ws, close_while_resolving_reports_once)
{
    struct ws_options opt = {.name = "test",
                             .on_open = on_open,
                             .on_message = on_message,
                             .on_close = on_close};

    cr_assert_eq(ws_connect(w.loop, "ws://localhost:1/", &opt, &w.conn), BOT_OK);
    ws_close(w.conn);
    net_loop_run(w.loop);
    cr_expect_eq(w.closes, 1);
    cr_expect_eq(w.close_err, BOT_OK);
    cr_expect_eq(w.opens, 0);
}
