/*
 * slack_conn.c - Slack over Socket Mode (events in) and the Web API (replies out).
 *
 * The life of the connection (protocols.md §1.17): auth.test for our own
 * ids; apps.connections.open for a single-use wss URL; wait for hello;
 * then every envelope is acked at once, before any other work, and only
 * then handed to the core.  The one exception is a slash command, whose ack
 * may carry the answer: the core answers it from memory first (well under a
 * millisecond; answer_in_ack), then the ack goes.  On a disconnect frame, or at 90%
 * of the lifetime hello announced, a second socket is opened and the old
 * one is closed only once the new one has said hello (make before break).
 * Drops reconnect with jittered exponential backoff; link_disabled and
 * too_many_websockets back off harder; rejected tokens are retried slowly.
 * Liveness is watched by libwebsockets' ping/pong validity policy.
 *
 * Replies are rendered as Block Kit with the same words as mrkdwn text for
 * the fallback (slack_render), split into several messages within Slack's
 * limits when long.  They are chat.postMessage calls (for slash commands: the
 * ack's payload, then response_url POSTs), each delayed by the core's
 * per-channel pacing, retried after 429 Retry-After, 5xx and transport
 * errors until a deadline, and dropped with Slack's error name on ok:false.
 */
#include "bot/adapters/slack/slack_priv.h"

#include "bot/base/clock.h"

/* ---- The connection --------------------------------------------------- */

static void open_connection(struct slack *sl);
static void auth_test(struct slack *sl);

/* A socket that delivers events and is not about to go away. */
static bool
have_live_socket(const struct slack *sl)
{
    for (const struct slack_sock *s = sl->socks; s != NULL; s = s->next) {
        if (s->hello && !s->retiring && !s->doomed)
            return true;
    }
    return false;
}

static bool
opening(const struct slack *sl)
{
    if (sl->open_call != NULL)
        return true;
    for (const struct slack_sock *s = sl->socks; s != NULL; s = s->next) {
        if (!s->hello && !s->retiring)
            return true;
    }
    return false;
}

static void
on_retry(void *arg)
{
    struct slack *sl = arg;

    if (sl->state == SLACK_AUTH)
        auth_test(sl);
    else if (sl->state == SLACK_RUN && !have_live_socket(sl) && !opening(sl))
        open_connection(sl);
}

/* Schedules the next attempt after @ms, replacing any earlier schedule. */
static void
retry_in(struct slack *sl, uint64_t ms)
{
    if (sl->state == SLACK_STOPPING || sl->state == SLACK_CLOSED)
        return;
    log_info("%s: next connection attempt in %llu ms", sl->ad->name,
             (unsigned long long)ms);
    net_timer_start(sl->retry_timer, ms);
}

static void
retire(struct slack_sock *s)
{
    s->retiring = true;
    if (s->ws != NULL)
        ws_close(s->ws);
}

static void
sock_free(struct slack_sock *s)
{
    struct slack *sl = s->sl;
    struct slack_sock **pp = &sl->socks;

    while (*pp != s)
        pp = &(*pp)->next;
    *pp = s->next;
    net_timer_free(s->hello_timer);
    free(s);
}

/* A new pending ack of @sl's, in its list. */
static struct slack_pending *
pending_new(struct slack *sl)
{
    struct slack_pending *pe = xcalloc(1, sizeof(*pe));

    pe->sl = sl;
    pe->next = sl->pending;
    if (sl->pending != NULL)
        sl->pending->prev = pe;
    sl->pending = pe;
    return pe;
}

static void
pending_free(struct slack_pending *pe)
{
    struct slack *sl = pe->sl;

    if (pe->prev != NULL)
        pe->prev->next = pe->next;
    else
        sl->pending = pe->next;
    if (pe->next != NULL)
        pe->next->prev = pe->prev;
    if (pe->post != NULL)
        pe->post->acking = NULL;
    chat_event_cleanup(&pe->ev);
    free(pe);
}

static void
on_ack_sent(struct ws_conn *conn, void *arg, enum bot_err err)
{
    struct slack_pending *pe = arg;
    struct slack *sl = pe->sl;

    (void)conn;
    if (err != BOT_OK)
        log_warnx("%s: event=%s: socket closed before its ack; Slack will redeliver it",
                  sl->ad->name, pe->ev.event_id);
    else if (sl->state == SLACK_RUN || sl->state == SLACK_STOPPING)
        sl->ad->deliver(sl->ad, &pe->ev); /* acked, so it must be answered */
    pending_free(pe);
}

/*
 * Acks @envelope_id on @s.  When @ev is given (moved into a pending entry,
 * even on failure) it goes to the core once the ack is on the wire, so no
 * reply can overtake its ack.
 */
static void
send_ack(struct slack_sock *s, const char *envelope_id, struct chat_event *ev)
{
    struct slack *sl = s->sl;
    struct slack_pending *pe = NULL;
    struct buf ack;
    enum bot_err err;

    buf_init(&ack, SIZE_MAX / 2);
    (void)buf_add(&ack, "{\"envelope_id\":", 15);
    jsonw_string(&ack, envelope_id, strlen(envelope_id));
    (void)buf_add(&ack, "}", 1);
    if (ev != NULL) {
        pe = pending_new(sl);
        pe->ev = *ev;
        memset(ev, 0, sizeof(*ev));
    }
    err = ws_send_notify(s->ws, ack.data, ack.len, pe ? on_ack_sent : NULL, pe);
    if (err != BOT_OK) {
        log_warnx("%s: socket %u: ack of %s not sent: %s", sl->ad->name, s->id,
                  envelope_id, bot_strerror(err));
        if (pe != NULL)
            pending_free(pe);
    }
    buf_cleanup(&ack);
}

static void
on_answer_acked(struct ws_conn *conn, void *arg, enum bot_err err)
{
    struct slack_pending *pe = arg;
    struct slack *sl = pe->sl;
    struct slack_post *p = pe->post;

    (void)conn;
    pending_free(pe); /* clears p->acking */
    if (p == NULL)
        return; /* abandoned at shutdown */
    if (err != BOT_OK) {
        log_warnx("%s: event=%s: socket closed before its ack; answering through the "
                  "response_url",
                  sl->ad->name, p->ob.event_id);
        p->ob.part = 0;
    } else {
        sl->ad->stats.posts++;
        log_debug("%s: event=%s reply sent in the ack", sl->ad->name, p->ob.event_id);
        if (p->ob.part >= p->ob.nparts) {
            outbox_drop(&p->ob);
            slack_check_closed(sl);
            return;
        }
    }
    outbox_resume(&p->ob);
}

/*
 * Acks the slash command @ev (@envelope_id on @s) with its answer when the
 * core has one at once and it fits one message; the rest of a longer answer
 * follows through the response_url after the ack.  The core answers from
 * memory (a declined question adds one SQLite insert), so the ack still
 * leaves within a millisecond or so (tests/bench/bench_slack.py measures it).
 * Anything the core answers later goes through the response_url as before.
 */
static void
answer_in_ack(struct slack_sock *s, const char *envelope_id, const struct chat_event *ev)
{
    struct slack *sl = s->sl;
    struct slack_capture cap = {.event_id = ev->event_id};
    struct slack_pending *pe = NULL;
    json_t *o;
    char *ack;
    enum bot_err err;

    sl->capture = &cap;
    sl->ad->deliver(sl->ad, ev);
    sl->capture = NULL;
    o = json_pack("{s:s}", "envelope_id", envelope_id);
    if (cap.payload != NULL)
        json_object_set_new(o, "payload", cap.payload);
    ack = jsonw_dumps(o);
    json_decref(o);
    if (cap.post != NULL) {
        pe = pending_new(sl);
        pe->post = cap.post;
        cap.post->acking = pe;
    }
    err = ws_send_notify(s->ws, ack, strlen(ack), pe ? on_answer_acked : NULL, pe);
    if (err != BOT_OK) {
        log_warnx("%s: socket %u: ack of %s not sent: %s", sl->ad->name, s->id,
                  envelope_id, bot_strerror(err));
        if (pe != NULL) {
            on_answer_acked(s->ws, pe, err);
        }
    }
    free(ack);
}

static void
on_hello(struct slack_sock *s, const struct slack_envelope *env)
{
    struct slack *sl = s->sl;

    s->hello = true;
    sl->ad->stats.connects++;
    sl->problem[0] = '\0';
    net_timer_stop(s->hello_timer);
    backoff_reset(&sl->bo);
    backoff_reset(&sl->bo_hard);
    backoff_reset(&sl->bo_slow);
    net_timer_stop(sl->retry_timer);
    log_info("%s: connected (socket %u, %ld connection(s) open)", sl->ad->name, s->id,
             env->num_connections);
    /* Make before break: the older sockets go only now that this one is up. */
    for (struct slack_sock *o = sl->socks; o != NULL; o = o->next) {
        if (o != s && !o->retiring) {
            log_info("%s: socket %u replaced by socket %u", sl->ad->name, o->id, s->id);
            retire(o);
        }
    }
    if (env->approx_secs > 0) {
        /* Refresh ahead of Slack, at 90% of the lifetime it announced. */
        net_timer_start(sl->refresh_timer, (uint64_t)env->approx_secs * 900);
    }
}

static void
on_disconnect(struct slack_sock *s, const char *reason)
{
    struct slack *sl = s->sl;

    if (reason == NULL)
        reason = "unknown";
    if (strcmp(reason, "link_disabled") == 0 ||
        strcmp(reason, "too_many_websockets") == 0) {
        bool other = false;

        for (struct slack_sock *o = sl->socks; o != NULL; o = o->next)
            other = other || (o != s && o->hello && !o->retiring);
        log_warnx("%s: socket %u: Slack says %s%s", sl->ad->name, s->id, reason,
                  strcmp(reason, "link_disabled") == 0
                      ? ": Socket Mode is off in the app settings"
                      : ": another process may be using this app's token");
        retire(s);
        if (!other && !opening(sl))
            retry_in(sl, backoff_next(&sl->bo_hard, net_random(sl->ad->loop)));
        return;
    }
    /* warning, refresh_requested, and anything new: replace, then close.
     * It keeps delivering (and being acked) until the replacement is up. */
    s->doomed = true;
    log_info("%s: socket %u: disconnect (%s); opening a replacement", sl->ad->name, s->id,
             reason);
    if (!opening(sl))
        open_connection(sl);
}

static void
on_ws_open(struct ws_conn *conn, void *arg)
{
    struct slack_sock *s = arg;

    (void)conn;
    log_debug("%s: socket %u open, waiting for hello", s->sl->ad->name, s->id);
}

/* Says at debug why an envelope gets no answer, so that silence is explained. */
static void
log_ignored(struct slack *sl, const struct slack_envelope *env,
            const struct slack_frame *f, const char *why)
{
    const char *etype, *subtype;

    if (!log_enabled(LOG_LEVEL_DEBUG))
        return;
    etype = slack_frame_str(f, SLACK_F_E_TYPE);
    subtype = slack_frame_str(f, SLACK_F_E_SUBTYPE);
    if (strcmp(env->type, "slash_commands") == 0)
        etype = slack_frame_str(f, SLACK_F_COMMAND);
    log_debug("%s: envelope %s (%.40s%s%.60s) ignored: %s", sl->ad->name,
              env->envelope_id ? env->envelope_id : "-", etype ? etype : env->type,
              subtype ? ", subtype " : "", subtype ? subtype : "", why);
}

static void
on_ws_message(struct ws_conn *conn, void *arg, enum bot_err err, const char *buf,
              size_t len)
{
    struct slack_sock *s = arg;
    struct slack *sl = s->sl;
    struct slack_envelope env;
    struct chat_event ev;
    const char *why;
    struct slack_frame f;
    uint64_t at = clock_now_us();

    (void)conn;
    if (err != BOT_OK) {
        log_warnx("%s: socket %u: %s frame skipped", sl->ad->name, s->id,
                  err == BOT_ELIMIT ? "oversized" : "binary");
        return;
    }
    if ((err = slack_frame_read(buf, len, &f)) != BOT_OK ||
        slack_envelope_from_frame(&f, &env) != BOT_OK) {
        log_warnx("%s: socket %u: %s frame skipped (%zu bytes)", sl->ad->name, s->id,
                  err == BOT_ELIMIT ? "oversized" : "malformed", len);
        slack_frame_cleanup(&f);
        return;
    }
    if (strcmp(env.type, "events_api") == 0 || strcmp(env.type, "slash_commands") == 0) {
        /* Parsing is the only work done before the ack: it is in memory and
         * bounded, and the event must be complete before the ack is queued.
         * A slash command is answered too, when its ack can carry the answer. */
        err = slack_event_from_frame(sl, &f, &ev, &why);
        ev.received_us = at;
        if (err == BOT_EPARSE)
            log_warnx("%s: envelope %s: %s payload malformed, skipped", sl->ad->name,
                      env.envelope_id ? env.envelope_id : "-", env.type);
        else if (err == BOT_EIGNORE)
            log_ignored(sl, &env, &f, why);
        else if (err == BOT_OK)
            log_debug("%s: envelope %s retry=%ld text=\"%s\"", sl->ad->name,
                      env.envelope_id ? env.envelope_id : "-", env.retry_attempt,
                      ev.text);
        if (err == BOT_OK && sl->state == SLACK_STOPPING) {
            /* A question after the stop: left unacked, Slack redelivers it to a
             * connection (another replica, or ours after restart) that will
             * answer it.  Frames with nothing to answer are still acked. */
            log_info("%s: event=%s left unacked: shutting down", sl->ad->name,
                     ev.event_id);
        } else if (env.envelope_id != NULL && err == BOT_OK && ev.is_command &&
                   env.accepts_payload && sl->state == SLACK_RUN) {
            answer_in_ack(s, env.envelope_id, &ev);
        } else if (env.envelope_id != NULL) {
            send_ack(s, env.envelope_id, err == BOT_OK ? &ev : NULL);
        }
        chat_event_cleanup(&ev);
        goto out;
    }
    if (env.envelope_id != NULL)
        send_ack(s, env.envelope_id, NULL); /* interactive and anything new */
    if (strcmp(env.type, "hello") == 0) {
        on_hello(s, &env);
    } else if (strcmp(env.type, "disconnect") == 0) {
        on_disconnect(s, env.reason);
    } else if (strcmp(env.type, "interactive") == 0) {
        log_debug("%s: interactive envelope ignored", sl->ad->name);
    } else {
        log_info("%s: socket %u: unknown frame type \"%.40s\" skipped", sl->ad->name,
                 s->id, env.type);
    }
out:
    slack_envelope_cleanup(&env);
    slack_frame_cleanup(&f);
}

static void
on_ws_close(struct ws_conn *conn, void *arg, enum bot_err err, const char *why)
{
    struct slack_sock *s = arg;
    struct slack *sl = s->sl;
    bool expected = s->retiring;

    (void)conn;
    (void)err;
    s->ws = NULL;
    if (expected) {
        log_info("%s: socket %u closed", sl->ad->name, s->id);
    } else {
        log_warnx("%s: socket %u %s: %s", sl->ad->name, s->id,
                  s->hello ? "dropped" : "failed", why);
        snprintf(sl->problem, sizeof(sl->problem), "socket %s: %s",
                 s->hello ? "dropped" : "failed", why);
    }
    sock_free(s);
    if (sl->state != SLACK_RUN) {
        slack_check_closed(sl);
        return;
    }
    if (!have_live_socket(sl) && !opening(sl) && !net_timer_is_active(sl->retry_timer))
        retry_in(sl, backoff_next(&sl->bo, net_random(sl->ad->loop)));
}

static void
on_hello_timeout(void *arg)
{
    struct slack_sock *s = arg;

    log_warnx("%s: socket %u: no hello within %d s; reconnecting", s->sl->ad->name, s->id,
              SLACK_HELLO_TIMEOUT_MS / 1000);
    /* Closed as a failure: on_ws_close schedules the retry. */
    if (s->ws != NULL)
        ws_close(s->ws);
}

static void
connect_socket(struct slack *sl, const char *url)
{
    struct slack_sock *s = xcalloc(1, sizeof(*s));
    struct ws_options opt = {
        .max_message = SLACK_MAX_FRAME,
        .ping_secs = sl->ping_secs,
        .hangup_secs = sl->hangup_secs,
        .name = sl->ad->name,
        .on_open = on_ws_open,
        .on_message = on_ws_message,
        .on_close = on_ws_close,
        .arg = s,
    };
    enum bot_err err;

    s->sl = sl;
    s->id = ++sl->next_sock_id;
    s->hello_timer = net_timer_new(sl->ad->loop, on_hello_timeout, s);
    s->next = sl->socks;
    sl->socks = s;
    if ((err = ws_connect(sl->ad->loop, url, &opt, &s->ws)) != BOT_OK) {
        log_warnx("%s: socket %u: cannot connect: %s", sl->ad->name, s->id,
                  outbox_url_problem(err));
        sock_free(s);
        if (!have_live_socket(sl))
            retry_in(sl, backoff_next(&sl->bo, net_random(sl->ad->loop)));
        return;
    }
    log_debug("%s: socket %u connecting", sl->ad->name, s->id);
    net_timer_start(s->hello_timer, SLACK_HELLO_TIMEOUT_MS);
}

/* Errors after which the node SDK stops retrying: the token itself is bad. */
static bool
is_auth_error(const char *e)
{
    static const char *const bad[] = {"not_authed",
                                      "invalid_auth",
                                      "account_inactive",
                                      "user_removed_from_team",
                                      "team_disabled",
                                      "token_revoked",
                                      "not_allowed_token_type"};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (strcmp(e, bad[i]) == 0)
            return true;
    }
    return false;
}

/* Logs a failed Web API call and schedules its retry; @which names the token. */
static void
call_failed(struct slack *sl, const char *method, const char *which,
            const struct http_response *resp, const char *error, long retry_ms)
{
    uint64_t delay;

    snprintf(sl->problem, sizeof(sl->problem), "%s: %s", method, error);
    if (resp->err == BOT_OK && resp->status == 429) {
        sl->ad->stats.rate_limited++;
        delay = retry_ms > 0 ? (uint64_t)retry_ms : SLACK_RATELIMIT_MS;
        log_warnx("%s: %s rate limited; waiting %llu ms", sl->ad->name, method,
                  (unsigned long long)delay);
    } else if (is_auth_error(error)) {
        delay = backoff_next(&sl->bo_slow, net_random(sl->ad->loop));
        log_warnx("%s: %s: Slack rejected the %s (%s); check the token; retrying slowly",
                  sl->ad->name, method, which, error);
    } else {
        delay = backoff_next(&sl->bo, net_random(sl->ad->loop));
        log_warnx("%s: %s failed: %s", sl->ad->name, method, error);
    }
    retry_in(sl, delay);
}

static void
on_open_done(void *arg, const struct http_response *resp)
{
    struct slack *sl = arg;
    char error[160];
    long retry_ms;
    json_t *root;
    const char *url;

    sl->open_call = NULL;
    if (slack_outcome(resp, false, &retry_ms, error, sizeof(error)) != SLACK_POSTED) {
        call_failed(sl, "apps.connections.open", "app-level token (SLACK_APP_TOKEN)",
                    resp, error, retry_ms);
        return;
    }
    root = json_loadb(resp->body, resp->len, 0, NULL);
    url = adapter_jstr(root, "url");
    if (url == NULL) {
        log_warnx("%s: apps.connections.open: no url in the answer", sl->ad->name);
        retry_in(sl, backoff_next(&sl->bo, net_random(sl->ad->loop)));
    } else {
        connect_socket(sl, url);
    }
    json_decref(root);
}

static void
open_connection(struct slack *sl)
{
    char *url = slack_method_url(sl, "apps.connections.open");
    struct http_request req = {
        .method = "POST",
        .url = url,
        .auth = sl->app_auth,
        .content_type = "application/x-www-form-urlencoded",
        .ca_file = sl->ca_file,
    };
    enum bot_err err;

    if (sl->state != SLACK_RUN || sl->open_call != NULL)
        goto out;
    net_timer_stop(sl->retry_timer);
    if ((err = http_request(sl->ad->loop, &req, on_open_done, sl, &sl->open_call)) !=
        BOT_OK) {
        log_warnx("%s: api_url %s", sl->ad->name, outbox_url_problem(err));
        retry_in(sl, backoff_next(&sl->bo_slow, net_random(sl->ad->loop)));
    }
out:
    free(url);
}

static void
on_refresh(void *arg)
{
    struct slack *sl = arg;

    log_info("%s: connection near its announced lifetime; refreshing", sl->ad->name);
    for (struct slack_sock *s = sl->socks; s != NULL; s = s->next)
        s->doomed = s->doomed || s->hello;
    if (!opening(sl))
        open_connection(sl);
}

static void
on_auth_done(void *arg, const struct http_response *resp)
{
    struct slack *sl = arg;
    char error[160];
    long retry_ms;
    json_t *root;
    const char *user;

    sl->auth_call = NULL;
    if (slack_outcome(resp, false, &retry_ms, error, sizeof(error)) != SLACK_POSTED) {
        call_failed(sl, "auth.test", "bot token (SLACK_BOT_TOKEN)", resp, error,
                    retry_ms);
        return;
    }
    root = json_loadb(resp->body, resp->len, 0, NULL);
    user = adapter_jstr(root, "user_id");
    if (user == NULL) {
        log_warnx("%s: auth.test: no user_id in the answer", sl->ad->name);
        json_decref(root);
        retry_in(sl, backoff_next(&sl->bo, net_random(sl->ad->loop)));
        return;
    }
    free(sl->self_user);
    free(sl->self_bot);
    sl->self_user = xstrdup(user);
    sl->self_bot = xstrdup_or_null(adapter_jstr(root, "bot_id"));
    log_info("%s: authenticated as %s (team %s)", sl->ad->name, sl->self_user,
             adapter_jstr(root, "team_id") ? adapter_jstr(root, "team_id") : "?");
    json_decref(root);
    backoff_reset(&sl->bo_slow);
    sl->state = SLACK_RUN;
    open_connection(sl);
}

static void
auth_test(struct slack *sl)
{
    char *url = slack_method_url(sl, "auth.test");
    struct http_request req = {
        .method = "POST",
        .url = url,
        .auth = sl->bot_auth,
        .content_type = "application/x-www-form-urlencoded",
        .ca_file = sl->ca_file,
    };
    enum bot_err err;

    if ((err = http_request(sl->ad->loop, &req, on_auth_done, sl, &sl->auth_call)) !=
        BOT_OK) {
        log_warnx("%s: api_url %s", sl->ad->name, outbox_url_problem(err));
        retry_in(sl, backoff_next(&sl->bo_slow, net_random(sl->ad->loop)));
    }
    free(url);
}

/* ---- Lifecycle -------------------------------------------------------- */

static enum bot_err
slack_create(struct adapter *ad, const struct adapter_conf *conf)
{
    struct slack *sl;
    unsigned scale;

    if (conf->token == NULL || conf->app_token == NULL || conf->url == NULL)
        return BOT_EINVAL;
    sl = xcalloc(1, sizeof(*sl));
    sl->ad = ad;
    sl->api_url =
        xasprintf("%s%s", conf->url,
                  conf->url[0] && conf->url[strlen(conf->url) - 1] == '/' ? "" : "/");
    sl->app_auth = xasprintf("Bearer %s", conf->app_token);
    sl->bot_auth = xasprintf("Bearer %s", conf->token);
    sl->post_url = slack_method_url(sl, "chat.postMessage");
    sl->ca_file = xstrdup_or_null(conf->ca_file);
    sl->slash = xcalloc(conf->nslash + 1, sizeof(char *));
    for (size_t i = 0; i < conf->nslash; i++)
        sl->slash[sl->nslash++] = xstrdup(conf->slash_commands[i]);
    /*
     * Timings in ms.  VALUESBOT_SLACK_BACKOFF_DIV divides the reconnect
     * delays and VALUESBOT_SLACK_PING_SECS / _HANGUP_SECS set the watchdog,
     * so that integration tests need not wait minutes; operators leave them.
     */
    scale = adapter_env_uint("VALUESBOT_SLACK_BACKOFF_DIV", 1, 1000);
    backoff_init(&sl->bo, 500 / scale + 1, 30000 / scale + 1);
    backoff_init(&sl->bo_hard, 30000 / scale + 1, 300000 / scale + 1);
    backoff_init(&sl->bo_slow, 60000 / scale + 1, 900000 / scale + 1);
    sl->ping_secs = adapter_env_uint("VALUESBOT_SLACK_PING_SECS", 10, 3600);
    sl->hangup_secs = adapter_env_uint("VALUESBOT_SLACK_HANGUP_SECS", 30, 3600);
    sl->retry_timer = net_timer_new(ad->loop, on_retry, sl);
    sl->refresh_timer = net_timer_new(ad->loop, on_refresh, sl);
    outbox_init(&sl->outbox, ad, sl, &slack_outbox_ops, SLACK_MAX_POSTING,
                SLACK_POST_DEADLINE_MS, 500, 8000);
    ad->priv = sl;
    return BOT_OK;
}

static enum bot_err
slack_connect(struct adapter *ad)
{
    struct slack *sl = ad->priv;

    log_info("%s: connecting to %s", ad->name, sl->api_url);
    sl->state = SLACK_AUTH;
    auth_test(sl);
    return BOT_OK;
}

void
slack_check_closed(struct slack *sl)
{
    if (sl->state != SLACK_STOPPING || !sl->quiesced || sl->socks != NULL ||
        outbox_busy(&sl->outbox))
        return;
    sl->state = SLACK_CLOSED;
    sl->ad->on_closed(sl->ad);
}

void
slack_on_quiesced(void *arg)
{
    struct slack *sl = arg;

    sl->quiesced = true;
    for (struct slack_sock *s = sl->socks; s != NULL; s = s->next)
        retire(s);
    slack_check_closed(sl);
}

static void
slack_shutdown(struct adapter *ad, uint64_t grace_ms)
{
    struct slack *sl = ad->priv;

    if (sl->state == SLACK_STOPPING || sl->state == SLACK_CLOSED)
        return;
    sl->state = SLACK_STOPPING;
    net_timer_stop(sl->retry_timer);
    net_timer_stop(sl->refresh_timer);
    if (sl->auth_call != NULL)
        http_cancel(sl->auth_call);
    if (sl->open_call != NULL)
        http_cancel(sl->open_call);
    sl->auth_call = sl->open_call = NULL;
    /* The sockets close after a short quiet spell, so that frames already on
     * their way (echoes of our own replies, say) are still acked; questions
     * arriving meanwhile are left unacked for redelivery (on_ws_message). */
    sl->quiesce_timer = net_timer_new(ad->loop, slack_on_quiesced, sl);
    net_timer_start(sl->quiesce_timer, SLACK_QUIESCE_MS);
    outbox_drain(&sl->outbox, grace_ms);
}

static void
slack_destroy(struct adapter *ad)
{
    struct slack *sl = ad->priv;

    if (sl == NULL)
        return;
    outbox_cleanup(&sl->outbox);
    while (sl->pending != NULL)
        pending_free(sl->pending);
    if (sl->auth_call != NULL)
        http_cancel(sl->auth_call);
    if (sl->open_call != NULL)
        http_cancel(sl->open_call);
    /* Normally every socket closed before on_closed; after a forced stop,
     * cut the rest loose so that no callback reaches freed memory. */
    while (sl->socks != NULL) {
        if (sl->socks->ws != NULL)
            ws_abandon(sl->socks->ws);
        sock_free(sl->socks);
    }
    net_timer_free(sl->retry_timer);
    net_timer_free(sl->refresh_timer);
    net_timer_free(sl->quiesce_timer);
    for (size_t i = 0; i < sl->nslash; i++)
        free(sl->slash[i]);
    free(sl->slash);
    free(sl->api_url);
    free(sl->post_url);
    xfree_secret(sl->app_auth);
    xfree_secret(sl->bot_auth);
    free(sl->ca_file);
    free(sl->self_user);
    free(sl->self_bot);
    free(sl);
    ad->priv = NULL;
}

static size_t
slack_max_message_len(const struct adapter *ad)
{
    (void)ad;
    return SLACK_MAX_TEXT;
}

static bool
slack_connected(const struct adapter *ad, char *why, size_t len)
{
    const struct slack *sl = ad->priv;

    if (have_live_socket(sl))
        return true;
    snprintf(why, len, "%s", sl->problem[0] != '\0' ? sl->problem : "connecting");
    return false;
}

const struct adapter_ops slack_adapter_ops = {
    .kind = "slack",
    .create = slack_create,
    .connect = slack_connect,
    .parse = slack_parse,
    .send = slack_send,
    .shutdown = slack_shutdown,
    .destroy = slack_destroy,
    .max_message_len = slack_max_message_len,
    .connected = slack_connected,
};
