/*
 * teams_reply.c - Teams' part of the outbox: conversation references, the bot's connector
 * token, the request of each reply and what an answer means, teams_send().
 */
#include "bot/adapters/teams/tm_priv.h"

/* ---- Conversation references ------------------------------------------ */

static struct tm_ref *
ref_find(struct teams *tm, const char *conv)
{
    for (size_t i = 0; i < tm->nrefs; i++) {
        if (strcmp(tm->refs[i].conv, conv) == 0)
            return &tm->refs[i];
    }
    return NULL;
}

/*
 * Remembers (or refreshes) where @conv is reached; with @keep, in the store
 * too (channels and group chats only: a personal chat's id names a person).
 */
void
tm_ref_note(struct teams *tm, const char *conv, const char *service, const char *tenant,
            bool keep)
{
    struct tm_ref *r = ref_find(tm, conv);

    if (r == NULL) {
        if (tm->nrefs >= TEAMS_MAX_REFS) { /* forget the oldest */
            free(tm->refs[0].conv);
            free(tm->refs[0].service);
            free(tm->refs[0].tenant);
            memmove(&tm->refs[0], &tm->refs[1], (tm->nrefs - 1) * sizeof(*tm->refs));
            tm->nrefs--;
        }
        tm->refs = xreallocarray(tm->refs, tm->nrefs + 1, sizeof(*tm->refs));
        r = &tm->refs[tm->nrefs++];
        *r = (struct tm_ref){.conv = xstrdup(conv)};
    } else if (strcmp(r->service, service) == 0) {
        return;
    }
    free(r->service);
    free(r->tenant);
    r->service = xstrdup(service);
    r->tenant = xstrdup_or_null(tenant);
    if (keep && tm->ad->ref_put != NULL) /* new, or moved region: kept for schedules */
        tm->ad->ref_put(tm->ad, conv, service, tenant);
}

/* ---- The bot's token -------------------------------------------------- */

static bool
token_valid(struct teams *tm)
{
    return tm->access != NULL && net_loop_now(tm->ad->loop) < tm->access_until;
}

static void
on_token(void *arg, const struct http_response *resp)
{
    struct teams *tm = arg;
    json_t *root = NULL;
    const char *tok, *err;
    json_int_t secs;
    uint64_t now = net_loop_now(tm->ad->loop), wait;

    tm->token_call = NULL;
    if (resp->err == BOT_OK && resp->status == 200) {
        root = json_loadb(resp->body, resp->len, 0, NULL);
        tok = adapter_jstr(root, "access_token");
        secs = json_integer_value(json_object_get(root, "expires_in"));
        if (tok != NULL && *tok != '\0' && secs > 0) {
            xfree_secret(tm->access);
            tm->access = xasprintf("Bearer %s", tok);
            /* Renewed five minutes early, or at half its life when short. */
            secs = secs > 2 * TEAMS_TOKEN_EARLY ? secs - TEAMS_TOKEN_EARLY : secs / 2;
            tm->access_until = now + (uint64_t)secs * 1000;
            backoff_reset(&tm->token_bo);
            log_info("%s: connector token obtained, valid for %lld s", tm->ad->name,
                     (long long)secs);
            json_decref(root); /* waiting posts look again within 20 ms */
            return;
        }
    }
    if (resp->err == BOT_OK && resp->status != 200)
        root = json_loadb(resp->body, resp->len, 0, NULL);
    err = adapter_jstr(root, "error");
    wait = backoff_next(&tm->token_bo, net_random(tm->ad->loop));
    tm->token_retry_at = now + wait;
    snprintf(tm->problem, sizeof(tm->problem), "token endpoint: %s",
             resp->err != BOT_OK ? "unreachable"
             : err != NULL       ? err
                                 : "no token in the answer");
    /* The error text names the cause (AADSTS codes), never the secret. */
    log_warnx(
        "%s: no connector token (%s%s%ld %s); trying again in %llu ms", tm->ad->name,
        resp->err != BOT_OK ? (resp->error ? resp->error : "network error") : "HTTP ", "",
        resp->err == BOT_OK ? resp->status : 0L, err != NULL ? err : "",
        (unsigned long long)wait);
    json_decref(root);
    tm_check_closed(tm);
}

void
tm_token_fetch(struct teams *tm)
{
    char *id = NULL, *secret = NULL, *body;
    struct http_request req = {
        .method = "POST",
        .url = tm->token_url,
        .content_type = "application/x-www-form-urlencoded",
        .ca_file = tm->ca_file,
        .timeout_ms = 15000,
    };
    struct buf b;
    enum bot_err err;

    if (tm->token_call != NULL || net_loop_now(tm->ad->loop) < tm->token_retry_at)
        return;
    buf_init(&b, SIZE_MAX);
    tm_pct(&b, tm->app_id);
    id = buf_take(&b);
    tm_pct(&b, tm->password);
    secret = buf_take(&b);
    body = xasprintf("grant_type=client_credentials&client_id=%s&client_secret=%s"
                     "&scope=https%%3A%%2F%%2Fapi.botframework.com%%2F.default",
                     id, secret);
    req.body = body;
    req.body_len = strlen(body);
    if ((err = http_request(tm->ad->loop, &req, on_token, tm, &tm->token_call)) !=
        BOT_OK) {
        log_warnx("%s: token URL refused: %s", tm->ad->name, bot_strerror(err));
        tm->token_retry_at = net_loop_now(tm->ad->loop) + 60000;
    }
    free(id);
    xfree_secret(secret);
    xfree_secret(body);
}

/* ---- Posting replies -------------------------------------------------- */

static void
post_cleanup(struct outbox_post *op)
{
    struct tm_post *p = (struct tm_post *)op;

    free(p->service);
    free(p->conv);
    free(p->reply_to);
    free(p->dm_user);
    free(p->tenant);
    reply_cleanup(&p->body);
}

/* The 1:1 conversation with p->dm_user is made (or not): carry on. */
static enum outbox_verdict
created(struct tm_post *p, const struct http_response *resp, char *error, size_t len)
{
    struct teams *tm = p->ob.ob->owner;
    char *id = adapter_json_id(resp->body, resp->len);

    if (id != NULL) {
        p->conv = id;
        tm_ref_note(tm, id, p->service, p->tenant, false);
        return OUTBOX_AGAIN;
    }
    snprintf(error, len, "no conversation id in the answer");
    return OUTBOX_GIVE_UP;
}

/* What the connector's answer means: 429 holds every post for Retry-After,
 * 412 is retried, 5xx and unanswered requests at most TEAMS_MAX_5XX times
 * (they may have landed), 401 once with a fresh token. */
static enum outbox_verdict
post_classify(struct outbox_post *op, const struct http_response *resp, long *retry_ms,
              char *error, size_t len)
{
    struct tm_post *p = (struct tm_post *)op;
    long hint;

    *retry_ms = 0;
    if (resp->err != BOT_OK) {
        snprintf(error, len, "%s", resp->error ? resp->error : "network error");
        /* Not sent: free to retry; sent but unanswered: it may have landed. */
        return !resp->sent || ++p->ambiguous <= TEAMS_MAX_5XX ? OUTBOX_RETRY
                                                              : OUTBOX_GIVE_UP;
    }
    snprintf(error, len, "HTTP %ld", resp->status);
    if (resp->status >= 200 && resp->status <= 299)
        return p->conv == NULL ? created(p, resp, error, len) : OUTBOX_DONE;
    if (resp->status == 429) {
        hint = resp->retry_after > 0 ? resp->retry_after * 1000 : 0;
        if (hint > 600000)
            hint = 600000;
        if (hint == 0)
            hint = (long)outbox_backoff_next(op);
        outbox_hold(op->ob, (uint64_t)hint);
        *retry_ms = hint;
        return OUTBOX_RETRY;
    }
    if (resp->status == 412)
        return OUTBOX_RETRY;
    if (resp->status >= 500)
        return ++p->ambiguous <= TEAMS_MAX_5XX ? OUTBOX_RETRY : OUTBOX_GIVE_UP;
    if (resp->status == 401 && !p->reauthed) {
        p->reauthed = true; /* a stale token: one fresh one */
        return OUTBOX_REAUTH;
    }
    return OUTBOX_GIVE_UP;
}

static void
post_reauth(struct outbox *ob)
{
    struct teams *tm = ob->owner;

    tm->access_until = 0;
}

static void
post_drained(struct outbox *ob, bool timed_out)
{
    (void)timed_out;
    tm_check_closed(ob->owner);
}

static char *
create_body(struct tm_post *p)
{
    json_t *o =
        json_pack("{s:b, s:{s:s}, s:[{s:s}]}", "isGroup", 0, "bot", "id",
                  ((struct teams *)p->ob.ob->owner)->bot_id, "members", "id", p->dm_user);
    char *s;

    if (p->tenant != NULL) {
        json_object_set_new(o, "tenantId", json_string(p->tenant));
        json_object_set_new(o, "channelData",
                            json_pack("{s:{s:s}}", "tenant", "id", p->tenant));
    }
    s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

static char *
post_body(void *arg, size_t *len)
{
    struct tm_post *p = arg; /* its outbox_post first */
    struct teams *tm = p->ob.ob->owner;
    char *s = teams_render(&p->body, tm->bot_id, p->conv, p->reply_to);

    *len = strlen(s);
    return s;
}

/* The request of @op: the 1:1 conversation first when there is none, then
 * the reply; with a valid connector token. */
static enum outbox_go
post_prepare(struct outbox_post *op, struct outbox_req *req, uint64_t *wait_ms, char *why,
             size_t len)
{
    struct tm_post *p = (struct tm_post *)op;
    struct teams *tm = op->ob->owner;
    uint64_t now = net_loop_now(tm->ad->loop);

    if (now > op->deadline) {
        snprintf(why, len, "no connector token in time");
        return OUTBOX_DROP;
    }
    if (!token_valid(tm)) {
        tm_token_fetch(tm);
        *wait_ms = tm->token_retry_at > now ? tm->token_retry_at - now + 10 : 20;
        return OUTBOX_WAIT;
    }
    req->http.auth = tm->access;
    req->http.content_type = "application/json; charset=utf-8";
    req->http.ca_file = tm->ca_file;
    if (p->conv == NULL) {
        req->own_url = teams_conv_url(p->service, NULL, NULL);
        req->own_body = create_body(p);
        req->http.body = req->own_body;
        req->http.body_len = strlen(req->own_body);
    } else {
        req->own_url = teams_conv_url(p->service, p->conv, p->reply_to);
        req->http.body_fn = post_body;
    }
    req->http.url = req->own_url;
    return OUTBOX_POST;
}

const struct outbox_ops teams_outbox_ops = {
    .prepare = post_prepare,
    .classify = post_classify,
    .cleanup = post_cleanup,
    .reauth = post_reauth,
    .drained = post_drained,
};

enum bot_err
teams_send(struct adapter *ad, const struct chat_reply *reply)
{
    struct teams *tm = ad->priv;
    struct tm_post *p;
    const struct tm_ref *ref;
    bool current = reply->event_id != NULL && tm->cur_event != NULL &&
                   strcmp(reply->event_id, tm->cur_event) == 0;

    if (reply->body.n == 0 || tm->state == TM_CLOSED)
        return BOT_EINVAL;
    p = xcalloc(1, sizeof(*p));
    if (current) {
        p->service = xstrdup(tm->cur_service);
        p->tenant = xstrdup_or_null(tm->cur_tenant);
        if (reply->dm_user != NULL && !tm->cur_personal) {
            p->dm_user = xstrdup(reply->dm_user); /* a tour moves to the 1:1 chat */
        } else if (reply->in_channel || reply->dm_user != NULL) {
            p->conv = xstrdup(reply->channel);
        } else {
            /* In the thread of the message: its conversation id as received. */
            p->conv = xstrdup(tm->cur_conv);
            p->reply_to = xstrdup_or_null(tm->cur_id);
        }
    } else {
        /* Scheduled posts and the like: where the conversation was last seen,
         * in this run or (from the store) an earlier one. */
        char *service = NULL, *tenant = NULL;

        if ((ref = ref_find(tm, reply->channel)) == NULL && ad->ref_get != NULL &&
            ad->ref_get(ad, reply->channel, &service, &tenant)) {
            if (teams_url_allowed(tm->allowed, service))
                tm_ref_note(tm, reply->channel, service, tenant, false);
            free(service);
            free(tenant);
            ref = ref_find(tm, reply->channel);
        }
        if (ref == NULL) {
            log_warnx("%s: no conversation reference for %s yet (the bot must have been "
                      "added there and have seen an activity)",
                      ad->name, reply->channel);
            free(p);
            return BOT_EINVAL;
        }
        p->service = xstrdup(ref->service);
        p->tenant = xstrdup_or_null(ref->tenant);
        p->conv = xstrdup(reply->channel);
    }
    reply_copy(&p->body, &reply->body);
    outbox_add(&tm->outbox, &p->ob, reply, 1);
    return BOT_OK;
}
