/*
 * teams_conn.c - Microsoft Teams through the Bot Framework (protocols.md 4b).
 *
 * Inbound: Teams POSTs each activity to /api/messages on the bot's HTTP
 * listener (bot/net/httpd.c).  The Authorization JWT is verified first
 * (bot/net/jwt.c) against the keys of the Bot Framework's OpenID metadata,
 * fetched at start, every VALUESBOT_TEAMS_KEYS_SECS (24 h) and on an
 * unknown kid (no more often than every few seconds); a request whose key
 * is being fetched waits for it.  A bad token: 401 and nothing else.  Then
 * the tenant (MICROSOFT_APP_TENANT_ID) and the serviceUrl allow-list; the
 * POST is answered 200 at once and the message goes to the core.
 *
 * Outbound: a client-credentials token (cached, renewed five minutes
 * before it expires) and replies POSTed to the connector at the
 * activity's serviceUrl, through the outbox (bot/adapters/outbox.h):
 * 429 waits for Retry-After and holds every post, 412 is retried, 5xx and
 * transport errors a few times, a 401 once after a fresh token.
 */
#include "bot/adapters/teams/tm_priv.h"

/* ---- Signing keys ----------------------------------------------------- */

static void process(struct teams *tm, struct net_httpd_req *req, const char *auth,
                    const char *body, size_t len, bool may_refresh);

static void
held_release(struct teams *tm)
{
    struct tm_held *h = tm->held, *next;

    tm->held = NULL;
    tm->held_tail = &tm->held;
    tm->nheld = 0;
    for (; h != NULL; h = next) {
        next = h->next;
        if (tm->state == TM_RUN)
            process(tm, h->req, h->auth, h->body, h->len, false);
        else
            net_httpd_respond(h->req, 503, NULL, NULL, 0);
        xfree_secret(h->auth);
        free(h->body);
        free(h);
    }
}

static void keys_fetch(struct teams *tm);

static void
keys_failed(struct teams *tm, const char *what, const struct http_response *resp)
{
    log_warnx("%s: signing keys not refreshed: %s %s%ld; %s", tm->ad->name, what,
              resp->err != BOT_OK ? "unreachable" : "HTTP ",
              resp->err != BOT_OK ? 0L : resp->status,
              tm->keys != NULL ? "the previous keys stay" : "no keys yet");
    if (tm->keys == NULL) {
        snprintf(tm->problem, sizeof(tm->problem), "no signing keys: %s failed", what);
        net_timer_start(tm->keys_timer, 30000);
    }
    held_release(tm);
}

static void
on_jwks(void *arg, const struct http_response *resp)
{
    struct teams *tm = arg;
    struct jwt_keyset *ks;

    tm->keys_call = NULL;
    if (resp->err != BOT_OK || resp->status != 200 ||
        jwt_keyset_parse(resp->body, resp->len, &ks) != BOT_OK) {
        keys_failed(tm, "JWKS", resp);
        return;
    }
    jwt_keyset_free(tm->keys);
    tm->keys = ks;
    tm->problem[0] = '\0';
    log_info("%s: %zu signing key(s) loaded", tm->ad->name, jwt_keyset_count(ks));
    held_release(tm);
}

static void
on_metadata(void *arg, const struct http_response *resp)
{
    struct teams *tm = arg;
    struct http_request req = {
        .method = "GET", .ca_file = tm->ca_file, .timeout_ms = 10000};
    json_t *root = NULL;
    const char *uri;
    enum bot_err err;

    tm->keys_call = NULL;
    if (resp->err == BOT_OK && resp->status == 200)
        root = json_loadb(resp->body, resp->len, 0, NULL);
    if ((uri = adapter_jstr(root, "jwks_uri")) == NULL) {
        json_decref(root);
        keys_failed(tm, "OpenID metadata", resp);
        return;
    }
    req.url = uri;
    err = http_request(tm->ad->loop, &req, on_jwks, tm, &tm->keys_call);
    json_decref(root);
    if (err != BOT_OK) {
        struct http_response none = {.err = BOT_EINVAL};

        keys_failed(tm, "jwks_uri (not https)", &none);
    }
}

static void
keys_fetch(struct teams *tm)
{
    struct http_request req = {.method = "GET",
                               .url = tm->openid_url,
                               .ca_file = tm->ca_file,
                               .timeout_ms = 10000};
    struct http_response none = {.err = BOT_EINVAL};

    if (tm->keys_call != NULL)
        return;
    tm->keys_tried = net_loop_now(tm->ad->loop);
    if (http_request(tm->ad->loop, &req, on_metadata, tm, &tm->keys_call) != BOT_OK)
        keys_failed(tm, "OpenID metadata URL", &none);
}

static void
on_keys_timer(void *arg)
{
    struct teams *tm = arg;

    if (tm->state != TM_RUN)
        return;
    keys_fetch(tm);
    net_timer_start(tm->keys_timer, (uint64_t)tm->keys_secs * 1000);
}

/* ---- Inbound ---------------------------------------------------------- */

static void
respond(struct net_httpd_req *req, int status)
{
    net_httpd_respond(req, status, NULL, NULL, 0);
}

static void
hold(struct teams *tm, struct net_httpd_req *req, const char *auth, const char *body,
     size_t len)
{
    struct tm_held *h;

    if (tm->nheld >= TEAMS_MAX_HELD) {
        respond(req, 503);
        return;
    }
    h = xcalloc(1, sizeof(*h));
    h->req = req;
    h->auth = xstrdup(auth);
    h->body = xstrndup(body, len);
    h->len = len;
    *tm->held_tail = h; /* answered in the order they came */
    tm->held_tail = &h->next;
    tm->nheld++;
    keys_fetch(tm);
}

/* What to do with an activity whose token was good (it has a type, a
 * serviceUrl and a conversation id). */
static void
handle(struct teams *tm, const json_t *root, const char *service)
{
    struct chat_event ev;
    enum teams_kind kind;
    const char *tenant = tm_tenant_of(root),
               *conv = adapter_jstr(json_object_get(root, "conversation"), "id");
    const char *ctype =
        adapter_jstr(json_object_get(root, "conversation"), "conversationType");
    char *base;

    memset(&ev, 0, sizeof(ev));
    (void)tm_activity_from_json(tm->bot_id, root, &ev,
                                &kind); /* *ev filled for MESSAGE */
    base = teams_conv_base(conv);
    tm->cur_personal = ctype != NULL && strcmp(ctype, "personal") == 0;
    tm_ref_note(tm, base, service, tenant, !tm->cur_personal);
    tm->cur_service = service;
    tm->cur_conv = conv;
    tm->cur_id = adapter_jstr(root, "id");
    tm->cur_tenant = tenant;
    switch (kind) {
    case TEAMS_MESSAGE:
        tm->cur_event = ev.event_id;
        tm->ad->deliver(tm->ad, &ev);
        chat_event_cleanup(&ev);
        break;
    case TEAMS_WELCOME:
        /* One short welcome: what it can answer (the core's help), once per
         * conversation (the core's dedupe on this id). */
        memset(&ev, 0, sizeof(ev));
        ev.platform = xstrdup("teams");
        ev.workspace = xstrdup_or_null(adapter_jstr(
            json_object_get(json_object_get(root, "channelData"), "team"), "id"));
        ev.channel = xstrdup(base);
        ev.user = xstrdup(tm->bot_id);
        ev.text = xstrdup("help");
        ev.event_id = xasprintf("teams:welcome:%s", base);
        ev.is_dm = tm->cur_personal;
        log_info("%s: added to a conversation; welcoming", tm->ad->name);
        tm->cur_event = ev.event_id;
        tm->cur_id = NULL;
        tm->cur_conv = base;
        tm->ad->deliver(tm->ad, &ev);
        chat_event_cleanup(&ev);
        break;
    case TEAMS_INSTALL:
        log_info("%s: installation %s", tm->ad->name,
                 adapter_jstr(root, "action") ? adapter_jstr(root, "action") : "update");
        break;
    case TEAMS_IGNORED:
        log_debug("%s: %s activity ignored", tm->ad->name,
                  adapter_jstr(root, "type") ? adapter_jstr(root, "type") : "untyped");
        break;
    }
    tm->cur_event = tm->cur_service = tm->cur_conv = tm->cur_id = tm->cur_tenant = NULL;
    free(base);
}

static void
process(struct teams *tm, struct net_httpd_req *req, const char *auth, const char *body,
        size_t len, bool may_refresh)
{
    struct jwt t;
    enum jwt_result r;
    json_t *root;
    const char *service = NULL, *channel = NULL, *tenant, *type;
    uint64_t now = net_loop_now(tm->ad->loop);

    if (strncmp(auth, "Bearer ", 7) != 0) {
        log_warnx("%s: POST %s refused (401): no bearer token", tm->ad->name,
                  TEAMS_API_PATH);
        respond(req, 401);
        return;
    }
    if ((r = jwt_parse(auth + 7, strlen(auth + 7), &t)) != JWT_OK) {
        log_warnx("%s: POST %s refused (401): %s", tm->ad->name, TEAMS_API_PATH,
                  jwt_strerror(r));
        jwt_cleanup(&t);
        respond(req, 401);
        return;
    }
    if (may_refresh && !jwt_keyset_has(tm->keys, t.kid) &&
        (tm->keys == NULL || tm->keys_call != NULL ||
         now >= tm->keys_tried + tm->kid_floor_ms)) {
        /* A key we have not seen (rollover), or none yet: fetch, then look again. */
        jwt_cleanup(&t);
        hold(tm, req, auth, body, len);
        return;
    }
    root = json_loadb(body, len, 0, NULL);
    if (json_is_object(root)) {
        service = adapter_jstr(root, "serviceUrl");
        channel = adapter_jstr(root, "channelId");
    }
    {
        const struct jwt_expect e = {
            .issuer = TEAMS_ISSUER,
            .audience = tm->app_id,
            /* Not an activity: the token alone decides
               between 401 and 400. */
            .service_url = json_is_object(root) ? (service != NULL ? service : "") : NULL,
            .channel_id = json_is_object(root) ? (channel != NULL ? channel : "") : NULL,
            .now = time(NULL),
            .skew = TEAMS_SKEW_SECS};

        r = jwt_verify(&t, tm->keys, &e);
    }
    jwt_cleanup(&t);
    if (r != JWT_OK) {
        log_warnx("%s: POST %s refused (401): %s", tm->ad->name, TEAMS_API_PATH,
                  jwt_strerror(r));
        json_decref(root);
        respond(req, 401);
        return;
    }
    if (!json_is_object(root) || service == NULL || adapter_jstr(root, "type") == NULL ||
        adapter_jstr(json_object_get(root, "conversation"), "id") == NULL) {
        log_warnx("%s: POST %s refused (400): not an activity", tm->ad->name,
                  TEAMS_API_PATH);
        json_decref(root);
        respond(req, 400);
        return;
    }
    tenant = tm_tenant_of(root);
    if (tm->tenant != NULL && (tenant == NULL || strcasecmp(tenant, tm->tenant) != 0)) {
        log_warnx("%s: activity from another tenant refused (403)", tm->ad->name);
        json_decref(root);
        respond(req, 403);
        return;
    }
    type = adapter_jstr(root, "type");
    if (!teams_url_allowed(tm->allowed, service)) {
        log_warnx("%s: activity with a serviceUrl outside the allow-list "
                  "(TEAMS_ALLOWED_SERVICE_URLS): not answered",
                  tm->ad->name);
        json_decref(root);
        respond(req, 200);
        return;
    }
    /* Answered now; the reply goes out through the connector. */
    if (type != NULL && strcmp(type, "invoke") == 0)
        net_httpd_respond(req, 200, "application/json", xstrdup("{}"), 2);
    else
        respond(req, 200);
    handle(tm, root, service);
    json_decref(root);
}

static void
on_api_post(void *arg, struct net_httpd_req *req, const char *auth, const char *body,
            size_t len, bool too_big)
{
    struct teams *tm = arg;

    if (tm->state != TM_RUN) {
        respond(req, 503);
        return;
    }
    if (too_big) {
        log_warnx("%s: POST %s refused (413): larger than %d bytes", tm->ad->name,
                  TEAMS_API_PATH, TEAMS_MAX_BODY);
        respond(req, 413);
        return;
    }
    process(tm, req, auth, body, len, true);
}

/* ---- Lifecycle -------------------------------------------------------- */

static enum bot_err
teams_parse(struct adapter *ad, const char *buf, size_t len, struct chat_event *ev)
{
    struct teams *tm = ad->priv;
    enum teams_kind kind;

    return teams_activity_parse(tm->bot_id, buf, len, ev, &kind);
}

static enum bot_err
teams_create(struct adapter *ad, const struct adapter_conf *conf)
{
    struct teams *tm;
    unsigned div;

    if (conf->app_id == NULL || conf->token == NULL || *conf->app_id == '\0' ||
        *conf->token == '\0' || conf->url == NULL)
        return BOT_EINVAL;
    tm = xcalloc(1, sizeof(*tm));
    tm->ad = ad;
    tm->app_id = xstrdup(conf->app_id);
    tm->bot_id = xasprintf("28:%s", conf->app_id);
    tm->password = xstrdup(conf->token);
    tm->tenant = xstrdup_or_null(conf->tenant_id);
    tm->openid_url = xstrdup(conf->url);
    tm->token_url =
        conf->token_url != NULL
            ? xstrdup(conf->token_url)
            : xasprintf("https://login.microsoftonline.com/%s/oauth2/v2.0/token",
                        conf->tenant_id ? conf->tenant_id : "botframework.com");
    tm->allowed = xstrdup(conf->allowed_urls ? conf->allowed_urls : TEAMS_DEFAULT_URLS);
    tm->ca_file = xstrdup_or_null(conf->ca_file);
    /* Test knobs: key refresh period, the unknown-kid floor, the token retry. */
    tm->keys_secs =
        adapter_env_uint("VALUESBOT_TEAMS_KEYS_SECS", TEAMS_KEYS_SECS, 86400 * 7);
    tm->kid_floor_ms =
        adapter_env_uint("VALUESBOT_TEAMS_KID_FLOOR_MS", TEAMS_KID_FLOOR_MS, 3600000);
    div = adapter_env_uint("VALUESBOT_TEAMS_BACKOFF_DIV", 1, 1000);
    backoff_init(&tm->token_bo, 1000 / div + 1, 300000 / div + 1);
    tm->held_tail = &tm->held;
    tm->keys_timer = net_timer_new(ad->loop, on_keys_timer, tm);
    outbox_init(&tm->outbox, ad, tm, &teams_outbox_ops, TEAMS_MAX_POSTING,
                TEAMS_POST_DEADLINE, 500, 20000);
    snprintf(tm->problem, sizeof(tm->problem), "signing keys not loaded yet");
    ad->priv = tm;
    return BOT_OK;
}

static enum bot_err
teams_connect(struct adapter *ad)
{
    struct teams *tm = ad->priv;

    if (net_httpd_route(ad->loop, TEAMS_API_PATH, TEAMS_MAX_BODY, on_api_post, tm) !=
        BOT_OK) {
        log_warnx("%s: cannot take POST %s: the HTTP listener is off (set VALUESBOT_HTTP "
                  "to host:port)",
                  ad->name, TEAMS_API_PATH);
        snprintf(tm->problem, sizeof(tm->problem), "no HTTP listener for %s",
                 TEAMS_API_PATH);
        return BOT_EINVAL;
    }
    tm->routed = true;
    tm->state = TM_RUN;
    log_info("%s: taking activities on POST %s (app %s%s%s)", ad->name, TEAMS_API_PATH,
             tm->app_id, tm->tenant ? ", tenant " : ", any tenant",
             tm->tenant ? tm->tenant : "");
    keys_fetch(tm);
    net_timer_start(tm->keys_timer, (uint64_t)tm->keys_secs * 1000);
    tm_token_fetch(tm);
    return BOT_OK;
}

void
tm_check_closed(struct teams *tm)
{
    if (tm->state != TM_STOPPING || outbox_busy(&tm->outbox))
        return;
    tm->state = TM_CLOSED;
    if (tm->token_call != NULL)
        http_cancel(tm->token_call);
    tm->token_call = NULL;
    tm->ad->on_closed(tm->ad);
}

static void
teams_shutdown(struct adapter *ad, uint64_t grace_ms)
{
    struct teams *tm = ad->priv;

    if (tm->state == TM_STOPPING || tm->state == TM_CLOSED)
        return;
    tm->state = TM_STOPPING;
    net_timer_stop(tm->keys_timer);
    if (tm->keys_call != NULL)
        http_cancel(tm->keys_call);
    tm->keys_call = NULL;
    held_release(tm); /* 503: the channel sends them again */
    outbox_drain(&tm->outbox, grace_ms);
    tm_check_closed(tm);
}

static void
teams_destroy(struct adapter *ad)
{
    struct teams *tm = ad->priv;

    if (tm == NULL)
        return;
    if (tm->routed)
        net_httpd_unroute(ad->loop);
    tm->state = TM_CLOSED;
    held_release(tm);
    outbox_cleanup(&tm->outbox);
    if (tm->keys_call != NULL)
        http_cancel(tm->keys_call);
    if (tm->token_call != NULL)
        http_cancel(tm->token_call);
    net_timer_free(tm->keys_timer);
    jwt_keyset_free(tm->keys);
    for (size_t i = 0; i < tm->nrefs; i++) {
        free(tm->refs[i].conv);
        free(tm->refs[i].service);
        free(tm->refs[i].tenant);
    }
    free(tm->refs);
    free(tm->app_id);
    free(tm->bot_id);
    xfree_secret(tm->password);
    xfree_secret(tm->access);
    free(tm->tenant);
    free(tm->openid_url);
    free(tm->token_url);
    free(tm->allowed);
    free(tm->ca_file);
    free(tm);
    ad->priv = NULL;
}

static size_t
teams_max_message_len(const struct adapter *ad)
{
    (void)ad;
    return TEAMS_TEXT_MAX;
}

static bool
teams_connected(const struct adapter *ad, char *why, size_t len)
{
    const struct teams *tm = ad->priv;

    if (tm->state == TM_RUN && tm->keys != NULL)
        return true;
    snprintf(why, len, "%s", tm->problem[0] != '\0' ? tm->problem : "starting");
    return false;
}

const struct adapter_ops teams_adapter_ops = {
    .kind = "teams",
    .create = teams_create,
    .connect = teams_connect,
    .parse = teams_parse,
    .send = teams_send,
    .shutdown = teams_shutdown,
    .destroy = teams_destroy,
    .max_message_len = teams_max_message_len,
    .connected = teams_connected,
};
