/*
 * mm_conn.c - Mattermost over its WebSocket API (events in) and REST v4
 * (replies out).
 *
 * The life of the connection (protocols.md §2): GET /api/v4/users/me for
 * our own id and name; a websocket to /api/v4/websocket authenticated by
 * the Authorization header of the upgrade, which is what lets a reconnect
 * name its connection_id and sequence_number and have the server replay
 * what it missed from its 128-event dead queue.  The server counts events
 * per connection (seq, from 0 with hello); a gap makes us resume from the
 * first missing seq, and a fresh hello after a resume (the server could
 * not replay) is logged as possible loss and caught up over REST: every
 * channel we are in that had posts since shortly before the last frame, page
 * by page, within caps.  An application-level ping runs
 * beside the websocket pings; an unanswered one replaces the socket, so a
 * half-open connection never leaves the bot deaf.  Drops reconnect with
 * jittered exponential backoff; a rejected token is reported and retried
 * slowly.  One socket at a time: the next opens only once the last closed.
 *
 * Replies are POST /api/v4/posts in the thread of the question (root_id is
 * the thread's root), split into several posts, sent one after the other,
 * when longer than the server's MaxPostSize, delayed by the core's
 * per-channel pacing and held while the server's rate limit is spent, retried
 * after 429 (Retry-After or X-Ratelimit-Reset), 5xx and transport errors
 * until a deadline, and posted at channel level when the server refuses
 * the root.  Each carries a pending_post_id, which the server uses to
 * de-duplicate a create that is retried after it succeeded unseen.
 */
#include "bot/adapters/mattermost/mm_priv.h"

#include "bot/base/clock.h"

/* ---- The connection --------------------------------------------------- */

/* Schedules the next connection step after @ms, replacing any earlier one. */
void
mm_conn_retry_in(struct mm *mm, uint64_t ms)
{
    if (mm->state == MM_STOPPING || mm->state == MM_CLOSED)
        return;
    log_info("%s: next connection attempt in %llu ms", mm->ad->name,
             (unsigned long long)ms);
    net_timer_start(mm->retry_timer, ms);
}

static void
on_retry(void *arg)
{
    struct mm *mm = arg;

    if (mm->state == MM_AUTHING && mm->me_call == NULL && mm->ws == NULL)
        mm_account_users_me(mm);
    else if (mm->state == MM_RUN && mm->ws == NULL)
        mm_conn_open_socket(mm);
}

/* Closes the socket on purpose; on_ws_close then opens the next one. */
void
mm_conn_replace(struct mm *mm, const char *why)
{
    if (mm->ws == NULL || mm->closing)
        return;
    log_info("%s: socket %u: %s; replacing it", mm->ad->name, mm->sock_id, why);
    mm->closing = true;
    net_timer_stop(mm->ping_timer);
    net_timer_stop(mm->confirm_timer);
    ws_close(mm->ws);
}

/*
 * The server refused our token: back to users/me, which is asked again soon
 * (mm_account_auth_delay()).  Whatever the socket was sent while its session
 * was invalid was never queued for it, so a resume would look lossless and
 * miss it: the session counts as lost and the next socket catches up over
 * REST (on_hello).
 */
void
mm_reauth(struct mm *mm, const char *why)
{
    if (mm->state != MM_RUN)
        return;
    log_warnx("%s: %s: token rejected (HTTP 401); checking it again with users/me",
              mm->ad->name, why);
    mm->state = MM_AUTHING;
    mm->session_lost = true;
    if (mm->ws != NULL)
        mm_conn_replace(mm, "session no longer valid");
    else
        mm_conn_retry_in(mm, mm_account_auth_delay(mm));
}

static void
confirm(struct mm *mm)
{
    if (mm->confirmed)
        return;
    mm->confirmed = true;
    net_timer_stop(mm->confirm_timer);
    backoff_reset(&mm->bo_slow);
}

static void
send_request(struct mm *mm, const char *action, long long *seq_out)
{
    char frame[96];
    enum bot_err err;

    snprintf(frame, sizeof(frame), "{\"action\":\"%s\",\"seq\":%lld}", action,
             ++mm->req_seq);
    if ((err = ws_send(mm->ws, frame, strlen(frame))) != BOT_OK) {
        log_warnx("%s: socket %u: %s request not sent: %s", mm->ad->name, mm->sock_id,
                  action, bot_strerror(err));
        return;
    }
    if (seq_out != NULL)
        *seq_out = mm->req_seq;
}

static void
on_ping_timer(void *arg)
{
    struct mm *mm = arg;
    char why[80];

    if (mm->ws == NULL || mm->closing)
        return;
    if (mm->ping_pending != 0 && ws_idle_ms(mm->ws) < (uint64_t)mm->ping_secs * 1000) {
        /* Unanswered, but bytes arrived within the window: the answer waits
         * behind a long frame still streaming in, so the socket is alive. */
        net_timer_start(mm->ping_timer, (uint64_t)mm->ping_secs * 1000);
        return;
    }
    if (mm->ping_pending != 0) {
        snprintf(why, sizeof(why), "no answer to our ping within %u s (half-open?)",
                 mm->ping_secs);
        log_warnx("%s: socket %u: %s", mm->ad->name, mm->sock_id, why);
        mm_conn_replace(mm, "quiet socket");
        return;
    }
    send_request(mm, "ping", &mm->ping_pending);
    net_timer_start(mm->ping_timer, (uint64_t)mm->ping_secs * 1000);
}

static void
on_confirm_timeout(void *arg)
{
    struct mm *mm = arg;

    log_warnx("%s: socket %u: no hello, event or ping reply within %d s; reconnecting",
              mm->ad->name, mm->sock_id, MM_CONFIRM_TIMEOUT_MS / 1000);
    mm_conn_replace(mm, "never confirmed");
}

static void
on_ws_open(struct ws_conn *conn, void *arg)
{
    struct mm *mm = arg;

    (void)conn;
    log_debug("%s: socket %u open", mm->ad->name, mm->sock_id);
    mm->opened_at = net_loop_now(mm->ad->loop);
    mm->upgraded = true;
    /* A resume with nothing to replay sends nothing: a ping proves it live. */
    if (mm->resumed)
        send_request(mm, "ping", &mm->ping_pending);
    net_timer_start(mm->ping_timer, (uint64_t)mm->ping_secs * 1000);
}

static void
on_hello(struct mm *mm, const struct mm_frame *f)
{
    const char *old = mm->conn_id;

    if (mm->session_lost && mm->last_valid != 0) {
        /* Whatever the server says about this connection, the one before
         * it lost events while its session was invalid. */
        log_warnx("%s: socket %u: new session after an invalid one; events sent "
                  "meanwhile were possibly lost: catching up over REST",
                  mm->ad->name, mm->sock_id);
        mm_catch_up(mm, mm->last_valid + mm->server_skew - MM_SYNC_SLACK_MS);
    } else if (f->connection_id == NULL) {
        log_warnx("%s: socket %u: hello without a usable connection_id; replay after "
                  "a reconnect will not be possible",
                  mm->ad->name, mm->sock_id);
    } else if (old != NULL && strcmp(old, f->connection_id) != 0) {
        log_warnx("%s: socket %u: fresh hello: the server could not resume from seq "
                  "%lld (new connection_id); possible loss of events posted while "
                  "disconnected",
                  mm->ad->name, mm->sock_id, mm->seq.expect);
        /* Back to a little before the last frame of the lost stream, on the
         * server's clock: posts from then on may have been missed. */
        mm_catch_up(mm, mm->last_rx + mm->server_skew - MM_SYNC_SLACK_MS);
    } else {
        log_info("%s: connected (socket %u)", mm->ad->name, mm->sock_id);
    }
    free(mm->conn_id);
    mm->conn_id = xstrdup_or_null(f->connection_id);
    mm->seq.expect = f->seq >= 0 ? f->seq + 1 : 1;
    mm->seq.skipped = 0;
    mm->resyncing = false;
    mm->session_lost = false;
    mm->last_valid = mm_epoch_ms();
    mm->ad->stats.connects++;
    mm->problem[0] = '\0';
    confirm(mm);
}

static void
on_reply(struct mm *mm, const struct mm_frame *f)
{
    const char *eid = f->error_id;

    if (f->seq_reply == mm->ping_pending)
        mm->ping_pending = 0;
    if (f->server_time > 0)
        mm->server_skew = f->server_time - mm_epoch_ms();
    if (f->status != NULL && strcmp(f->status, "OK") == 0) {
        mm->last_valid = mm_epoch_ms();
        confirm(mm);
        return;
    }
    log_warnx("%s: socket %u: request %lld failed: %.100s", mm->ad->name, mm->sock_id,
              f->seq_reply, eid ? eid : "no error id");
    if (eid != NULL && strstr(eid, "not_authenticated") != NULL)
        mm_reauth(mm, "websocket");
}

/* An event arrived, whatever it holds: its seq counted, and confirmed. */
static void
on_event_seen(struct mm *mm, long long seq)
{
    if (seq >= 0) {
        switch (mm_seq_check(&mm->seq, seq)) {
        case MM_SEQ_OK:
            break;
        case MM_SEQ_OLD:
            log_debug("%s: socket %u: seq %lld again (redelivery)", mm->ad->name,
                      mm->sock_id, seq);
            break;
        case MM_SEQ_SKIP:
            log_info("%s: socket %u: seq %lld follows %u skipped frame(s); taken as "
                     "those events",
                     mm->ad->name, mm->sock_id, seq, mm->seq.skipped);
            break;
        case MM_SEQ_GAP:
            /* Answer what did arrive (replays are de-duplicated), and resume
             * from the first missing event so the server sends it again. */
            if (!mm->resyncing) {
                log_warnx("%s: socket %u: seq gap: expected %lld, got %lld; resuming "
                          "from %lld to have the missing events replayed",
                          mm->ad->name, mm->sock_id, mm->seq.expect, seq, mm->seq.expect);
                mm->resyncing = true;
                mm_conn_replace(mm, "events missing");
            }
            break;
        }
    }
    confirm(mm);
    mm->last_valid = mm_epoch_ms();
}

/* What the event of a frame came to (mm_event_from_frame()): delivered,
 * ignored, or skipped with a warning. */
static void
on_event_read(struct mm *mm, const char *event, long long seq, enum bot_err err,
              struct chat_event *ev)
{
    if (err == BOT_EPARSE || err == BOT_ELIMIT) {
        log_warnx("%s: socket %u: %s event (seq %lld) skipped: %s", mm->ad->name,
                  mm->sock_id, event, seq,
                  err == BOT_ELIMIT ? "post too large" : "malformed data or post JSON");
    } else if (err == BOT_OK) {
        log_debug("%s: event=%s seq=%lld channel=%s", mm->ad->name, ev->event_id, seq,
                  ev->channel);
        ev->received_us = mm->frame_us;
        mm->ad->deliver(mm->ad, ev);
    }
}

static void
on_event(struct mm *mm, const struct mm_frame *f)
{
    struct chat_event ev;
    enum bot_err err;

    on_event_seen(mm, f->seq);
    memset(&ev, 0, sizeof(ev));
    err = mm_event_from_frame(mm->self_id, mm->self_name, f, &ev);
    on_event_read(mm, f->event, f->seq, err, &ev);
    chat_event_cleanup(&ev);
}

static void
on_ws_message(struct ws_conn *conn, void *arg, enum bot_err err, const char *buf,
              size_t len)
{
    struct mm *mm = arg;
    struct mm_frame f;
    struct chat_event ev;
    long long seq;
    bool own;

    /* Frames that arrive while the socket closes are still events: answered,
     * and counted so that the resume starts after them. */
    (void)conn;
    mm->frame_us = clock_now_us();
    if (err != BOT_OK) {
        mm->seq.skipped++;
        log_warnx("%s: socket %u: %s frame skipped", mm->ad->name, mm->sock_id,
                  err == BOT_ELIMIT ? "too large (over the size limit)" : "binary");
        mm->last_rx = mm_epoch_ms();
        return;
    }
    /* A question, read in one pass; anything else as below. */
    if ((err = mm_posted_read(mm->self_id, mm->self_name, buf, len, &seq, &own, &ev)) !=
        BOT_EAGAIN) {
        on_event_seen(mm, seq);
        on_event_read(mm, "posted", seq, err, &ev);
        chat_event_cleanup(&ev);
        mm->last_rx = mm_epoch_ms();
        return;
    }
    /* Typing notices, our own replies coming back: their seq, no more. */
    if (mm_frame_glance(buf, len, mm->self_id, &seq)) {
        on_event_seen(mm, seq);
        mm->last_rx = mm_epoch_ms();
        return;
    }
    err = mm_frame_read(buf, len, &f);
    if (err != BOT_OK || (f.event == NULL && f.seq_reply < 0)) {
        mm->seq.skipped++;
        log_warnx("%s: socket %u: malformed frame skipped (%zu bytes): %s", mm->ad->name,
                  mm->sock_id, len,
                  err != BOT_OK ? "invalid JSON" : "neither an event nor a reply");
        goto out;
    }
    if (f.event == NULL)
        on_reply(mm, &f);
    else if (strcmp(f.event, "hello") == 0)
        on_hello(mm, &f);
    else
        on_event(mm, &f);
out:
    /* After on_hello, which reads the time of the last frame before it. */
    mm->last_rx = mm_epoch_ms();
    mm_frame_cleanup(&f);
}

static void
on_ws_close(struct ws_conn *conn, void *arg, enum bot_err err, const char *why)
{
    struct mm *mm = arg;
    bool expected = mm->closing, fast = mm->resyncing || (mm->closing && mm->confirmed);
    bool healthy =
        mm->confirmed && net_loop_now(mm->ad->loop) - mm->opened_at >= MM_HEALTHY_MS;

    (void)conn;
    (void)err;
    mm->ws = NULL;
    mm->closing = false;
    net_timer_stop(mm->ping_timer);
    net_timer_stop(mm->confirm_timer);
    if (expected) {
        log_info("%s: socket %u closed", mm->ad->name, mm->sock_id);
    } else {
        log_warnx("%s: socket %u %s: %s", mm->ad->name, mm->sock_id,
                  mm->confirmed ? "dropped" : "failed", why);
        snprintf(mm->problem, sizeof(mm->problem), "socket %s: %s",
                 mm->confirmed ? "dropped" : "failed", why);
    }
    if (mm->state == MM_STOPPING) {
        mm_check_closed(mm);
        return;
    }
    if (mm->state == MM_AUTHING) {
        mm_conn_retry_in(mm, mm_account_auth_delay(mm));
        return;
    }
    if (mm->upgraded && !mm->confirmed) {
        /* Upgraded, then closed with no hello, event or reply: how the
         * server ends a socket whose token it did not accept (after its
         * authentication timeout).  users/me tells before the next one. */
        log_info("%s: socket %u ended before its hello; checking the token with users/me",
                 mm->ad->name, mm->sock_id);
        mm->state = MM_AUTHING;
        mm_conn_retry_in(mm, backoff_next(&mm->bo, net_random(mm->ad->loop)));
        return;
    }
    /* The backoff starts again after a socket that served a while, or one we
     * replaced on purpose; a server that accepts and drops at once (a
     * flapping proxy) sees the delays grow. */
    if (fast || healthy)
        backoff_reset(&mm->bo);
    mm_conn_retry_in(mm, backoff_next(&mm->bo, net_random(mm->ad->loop)));
}

void
mm_conn_open_socket(struct mm *mm)
{
    struct ws_options opt = {
        .max_message = MM_MAX_FRAME,
        .auth_header = mm->auth,
        .ca_file = mm->ca_file,
        .name = mm->ad->name,
        .on_open = on_ws_open,
        .on_message = on_ws_message,
        .on_close = on_ws_close,
        .arg = mm,
    };
    char *url;
    enum bot_err err;

    if (mm->state != MM_RUN || mm->ws != NULL)
        return;
    net_timer_stop(mm->retry_timer);
    /* After a lost session, a fresh connection: its hello starts the catch-up. */
    mm->resumed = !mm->session_lost && mm->conn_id != NULL && mm->seq.expect >= 0;
    /* The token rides in the upgrade's header, never in the URL: that is
     * also what makes the server honour connection_id and sequence_number. */
    url = mm->resumed ? xasprintf("%s?connection_id=%s&sequence_number=%lld", mm->ws_url,
                                  mm->conn_id, mm->seq.expect)
                      : xstrdup(mm->ws_url);
    mm->sock_id++;
    mm->closing = mm->confirmed = mm->resyncing = mm->upgraded = false;
    mm->req_seq = 0;
    mm->ping_pending = 0;
    mm->seq.skipped = 0;
    if ((err = ws_connect(mm->ad->loop, url, &opt, &mm->ws)) != BOT_OK) {
        log_warnx("%s: socket %u: cannot connect: %s", mm->ad->name, mm->sock_id,
                  outbox_url_problem(err));
        mm->ws = NULL;
        mm_conn_retry_in(mm, backoff_next(&mm->bo_slow, net_random(mm->ad->loop)));
        goto out;
    }
    if (mm->resumed)
        log_info("%s: socket %u connecting, resuming from seq %lld", mm->ad->name,
                 mm->sock_id, mm->seq.expect);
    else
        log_debug("%s: socket %u connecting", mm->ad->name, mm->sock_id);
    net_timer_start(mm->confirm_timer, MM_CONFIRM_TIMEOUT_MS);
out:
    free(url);
}

/* ---- Lifecycle -------------------------------------------------------- */

static enum bot_err
mattermost_create(struct adapter *ad, const struct adapter_conf *conf)
{
    struct mm *mm;
    struct url u;
    enum bot_err err;
    size_t n;
    const char *rest;
    bool tls;

    if (conf->token == NULL || conf->url == NULL || conf->token[0] == '\0')
        return BOT_EINVAL;
    tls = strncmp(conf->url, "https://", 8) == 0;
    if (!tls && strncmp(conf->url, "http://", 7) != 0) {
        log_warnx("%s: MATTERMOST_URL must start with https:// (or http:// to loopback)",
                  ad->name);
        return BOT_EINVAL;
    }
    if ((err = url_parse(conf->url, &u)) != BOT_OK) {
        log_warnx("%s: MATTERMOST_URL %s", ad->name, outbox_url_problem(err));
        return BOT_EINVAL;
    }
    url_cleanup(&u);
    mm = xcalloc(1, sizeof(*mm));
    mm->ad = ad;
    n = strlen(conf->url);
    while (n > 0 && conf->url[n - 1] == '/')
        n--;
    mm->api = xstrndup(conf->url, n);
    mm->posts_url = xasprintf("%s/api/v4/posts", mm->api);
    rest = mm->api + (tls ? 8 : 7);
    mm->ws_url = xasprintf("%s://%s/api/v4/websocket", tls ? "wss" : "ws", rest);
    mm->auth = xasprintf("Bearer %s", conf->token);
    mm->ca_file = xstrdup_or_null(conf->ca_file);
    mm->seq.expect = -1;
    mm->max_runes = MM_MAX_RUNES;
    /*
     * VALUESBOT_MATTERMOST_PING_SECS sets the application ping (and how long one may
     * stay unanswered); VALUESBOT_MATTERMOST_BACKOFF_DIV divides the reconnect
     * delays; VALUESBOT_MATTERMOST_CHECK_SECS sets how often users/me is read again.
     * Tests use them so as not to wait minutes; operators leave them.
     */
    mm->ping_secs =
        adapter_env_uint("VALUESBOT_MATTERMOST_PING_SECS", MM_PING_SECS, 3600);
    n = adapter_env_uint("VALUESBOT_MATTERMOST_BACKOFF_DIV", 1, 1000);
    backoff_init(&mm->bo, 500 / n + 1, 30000 / n + 1);
    backoff_init(&mm->bo_slow, 30000 / n + 1, 600000 / n + 1);
    backoff_init(&mm->bo_auth, MM_REAUTH_MIN_MS / n + 1, MM_REAUTH_MAX_MS / n + 1);
    mm->retry_timer = net_timer_new(ad->loop, on_retry, mm);
    mm->ping_timer = net_timer_new(ad->loop, on_ping_timer, mm);
    mm->confirm_timer = net_timer_new(ad->loop, on_confirm_timeout, mm);
    mm->check_timer = net_timer_new(ad->loop, mm_account_on_check_timer, mm);
    mm->sync_timer = net_timer_new(ad->loop, mm_on_sync_timer, mm);
    mm->texts = textpool_new();
    outbox_init(&mm->outbox, ad, mm, &mm_outbox_ops, MM_MAX_POSTING, MM_POST_DEADLINE_MS,
                500, 16000);
    mm->check_secs =
        adapter_env_uint("VALUESBOT_MATTERMOST_CHECK_SECS", MM_CHECK_SECS, 86400);
    ad->priv = mm;
    return BOT_OK;
}

static enum bot_err
mattermost_connect(struct adapter *ad)
{
    struct mm *mm = ad->priv;

    log_info("%s: connecting to %s", ad->name, mm->api);
    mm->state = MM_AUTHING;
    mm_account_users_me(mm);
    return BOT_OK;
}

void
mm_check_closed(struct mm *mm)
{
    if (mm->state != MM_STOPPING || mm->ws != NULL || outbox_busy(&mm->outbox) ||
        mm->sync != NULL)
        return;
    mm->state = MM_CLOSED;
    mm->ad->on_closed(mm->ad);
}

static void
mattermost_shutdown(struct adapter *ad, uint64_t grace_ms)
{
    struct mm *mm = ad->priv;

    if (mm->state == MM_STOPPING || mm->state == MM_CLOSED)
        return;
    mm->state = MM_STOPPING;
    net_timer_stop(mm->retry_timer);
    net_timer_stop(mm->ping_timer);
    net_timer_stop(mm->confirm_timer);
    net_timer_stop(mm->check_timer);
    if (mm->me_call != NULL)
        http_cancel(mm->me_call);
    mm->me_call = NULL;
    if (mm->check_call != NULL)
        http_cancel(mm->check_call);
    mm->check_call = NULL;
    if (mm->config_call != NULL)
        http_cancel(mm->config_call);
    mm->config_call = NULL;
    mm_sync_free(mm);
    if (mm->ws != NULL && !mm->closing) {
        mm->closing = true;
        ws_close(mm->ws);
    }
    outbox_drain(&mm->outbox, grace_ms);
    mm_check_closed(mm);
}

static void
mattermost_destroy(struct adapter *ad)
{
    struct mm *mm = ad->priv;

    if (mm == NULL)
        return;
    outbox_cleanup(&mm->outbox);
    textpool_free(mm->texts); /* after the posts holding its texts */
    mm_sync_free(mm);
    if (mm->me_call != NULL)
        http_cancel(mm->me_call);
    if (mm->check_call != NULL)
        http_cancel(mm->check_call);
    if (mm->config_call != NULL)
        http_cancel(mm->config_call);
    /* Normally closed before on_closed; after a forced stop, cut it loose so
     * that no callback reaches freed memory. */
    if (mm->ws != NULL)
        ws_abandon(mm->ws);
    net_timer_free(mm->retry_timer);
    net_timer_free(mm->ping_timer);
    net_timer_free(mm->confirm_timer);
    net_timer_free(mm->check_timer);
    net_timer_free(mm->sync_timer);
    free(mm->api);
    free(mm->posts_url);
    free(mm->ws_url);
    xfree_secret(mm->auth);
    free(mm->ca_file);
    free(mm->self_id);
    free(mm->self_name);
    free(mm->conn_id);
    free(mm);
    ad->priv = NULL;
}

static size_t
mattermost_max_message_len(const struct adapter *ad)
{
    (void)ad;
    return MM_MAX_TEXT;
}

static bool
mattermost_connected(const struct adapter *ad, char *why, size_t len)
{
    const struct mm *mm = ad->priv;

    if (mm->ws != NULL && mm->confirmed && !mm->closing)
        return true;
    snprintf(why, len, "%s", mm->problem[0] != '\0' ? mm->problem : "connecting");
    return false;
}

const struct adapter_ops mattermost_adapter_ops = {
    .kind = "mattermost",
    .create = mattermost_create,
    .connect = mattermost_connect,
    .parse = mattermost_parse,
    .send = mattermost_send,
    .shutdown = mattermost_shutdown,
    .destroy = mattermost_destroy,
    .max_message_len = mattermost_max_message_len,
    .connected = mattermost_connected,
};
