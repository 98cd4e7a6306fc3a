/*
 * slack_reply.c - Slack's part of the outbox: the request of each message, what an answer
 * means, slack_send().
 */
#include "bot/adapters/slack/slack_priv.h"

enum slack_outcome
slack_outcome(const struct http_response *resp, bool response_url, long *retry_ms,
              char *error, size_t errlen)
{
    json_t *root;
    json_t *ok;
    enum slack_outcome out;
    const char *v;
    size_t vlen;

    *retry_ms = 0;
    if (resp->err != BOT_OK) {
        snprintf(error, errlen, "%s",
                 resp->error ? resp->error : bot_strerror(resp->err));
        return resp->err == BOT_ELIMIT ? SLACK_FAILED : SLACK_RETRY;
    }
    if (resp->status == 429) {
        *retry_ms = resp->retry_after >= 0 ? resp->retry_after * 1000 : 1000;
        snprintf(error, errlen, "ratelimited (HTTP 429)");
        return SLACK_RETRY;
    }
    if (resp->status >= 500) {
        snprintf(error, errlen, "HTTP %ld", resp->status);
        return SLACK_RETRY;
    }
    /* A post's answer echoes the whole message back; "ok" is all that is
     * read of it when it is true, so it is found without building the tree. */
    if (resp->status >= 200 && resp->status <= 299 &&
        adapter_json_member(resp->body, resp->len, "ok", &v, &vlen) == 1 && vlen == 4 &&
        memcmp(v, "true", 4) == 0) {
        snprintf(error, errlen, "ok");
        return SLACK_POSTED;
    }
    root = json_loadb(resp->body, resp->len, 0, NULL);
    ok = json_object_get(root, "ok");
    if (resp->status < 200 || resp->status > 299) {
        const char *e = adapter_jstr(root, "error");

        snprintf(error, errlen, "HTTP %ld%s%s", resp->status, e ? " " : "", e ? e : "");
        out = SLACK_FAILED;
    } else if (json_is_true(ok) || (response_url && !json_is_false(ok))) {
        snprintf(error, errlen, "ok");
        out = SLACK_POSTED;
    } else {
        const char *e = adapter_jstr(root, "error");

        snprintf(error, errlen, "%s", e ? e : "ok:false without an error name");
        out = SLACK_FAILED;
        if (e != NULL && strcmp(e, "ratelimited") == 0) {
            *retry_ms = 1000;
            out = SLACK_RETRY;
        }
    }
    json_decref(root);
    return out;
}

/* ---- Replies ---------------------------------------------------------- */

char *
slack_method_url(const struct slack *sl, const char *method)
{
    return xasprintf("%s%s", sl->api_url, method);
}

static void
post_cleanup(struct outbox_post *op)
{
    struct slack_post *p = (struct slack_post *)op;

    if (p->acking != NULL)
        p->acking->post = NULL;
    free(p->url);
    free(p->body.blocks); /* with every string of the post (pack_post()) */
    free(p->msg);
}

static enum outbox_verdict
post_classify(struct outbox_post *op, const struct http_response *resp, long *retry_ms,
              char *error, size_t len)
{
    const struct slack_post *p = (const struct slack_post *)op;

    switch (slack_outcome(resp, p->response_url, retry_ms, error, len)) {
    case SLACK_POSTED:
        return OUTBOX_DONE;
    case SLACK_RETRY:
        return OUTBOX_RETRY;
    case SLACK_FAILED:
        break;
    }
    return OUTBOX_GIVE_UP;
}

static char *post_body(void *arg, size_t *len);

/* The request of @op's current message. */
static enum outbox_go
post_prepare(struct outbox_post *op, struct outbox_req *req, uint64_t *wait_ms, char *why,
             size_t len)
{
    struct slack_post *p = (struct slack_post *)op;
    struct slack *sl = op->ob->owner;

    (void)wait_ms;
    (void)why;
    (void)len;
    req->http.url = p->url != NULL ? p->url : sl->post_url;
    req->http.auth = p->response_url ? NULL : sl->bot_auth;
    req->http.content_type = "application/json; charset=utf-8";
    req->http.body_fn = post_body;
    req->http.ca_file = sl->ca_file;
    req->http.timeout_ms = 10000;
    req->http.max_response = 256 * 1024;
    return OUTBOX_POST;
}

static void
post_drained(struct outbox *ob, bool timed_out)
{
    struct slack *sl = ob->owner;

    if (timed_out && !sl->quiesced)
        slack_on_quiesced(sl);
    slack_check_closed(sl);
}

const struct outbox_ops slack_outbox_ops = {
    .prepare = post_prepare,
    .classify = post_classify,
    .cleanup = post_cleanup,
    .drained = post_drained,
};

/* True when @s is UTF-8: every text in a body must be. */
static bool
utf8_str(const char *s)
{
    return utf8_is_valid(s, strlen(s), NULL);
}

/*
 * Appends the JSON of one message for @d to @b: a chat.postMessage body, a
 * response_url body, or (@ack) the payload of a slash command's ack.
 * Written as text, member by member, as jansson wrote the same object.
 * False (nothing written) when a text is not UTF-8: never sent.  @utf8: the
 * message was made of a reply known to be UTF-8 (slack_render_utf8()).
 */
static bool
message_write(struct buf *b, const struct slack_dest *d, const struct slack_message *m,
              bool ack, bool utf8)
{
    if ((!utf8 && !utf8_str(m->text)) || (d->channel != NULL && !utf8_str(d->channel)))
        return false;
    if (d->channel == NULL) {
        (void)buf_adds(b, d->in_channel ? "{\"response_type\":\"in_channel\",\"text\":"
                                        : "{\"response_type\":\"ephemeral\",\"text\":");
        jsonw_string(b, m->text, strlen(m->text));
        if (!ack)
            (void)buf_adds(b, ",\"replace_original\":false");
    } else {
        /* link_names and parse stay off: "@channel" in text must not ping. */
        (void)buf_adds(b, "{\"channel\":");
        jsonw_string(b, d->channel, strlen(d->channel));
        (void)buf_adds(b, ",\"text\":");
        jsonw_string(b, m->text, strlen(m->text));
        (void)buf_adds(b,
                       ",\"mrkdwn\":true,\"unfurl_links\":false,\"unfurl_media\":false");
        if (d->thread != NULL && utf8_str(d->thread)) {
            (void)buf_adds(b, ",\"thread_ts\":");
            jsonw_string(b, d->thread, strlen(d->thread));
        }
    }
    if (m->nblocks > 0) {
        (void)buf_adds(b, ",\"blocks\":");
        (void)buf_adds(b, m->blocks);
    }
    (void)buf_add(b, "}", 1);
    return true;
}

/* The body of @p's current message, made as its request starts (http.h body_fn). */
static char *
post_body(void *arg, size_t *len)
{
    struct slack_post *p = arg; /* its outbox_post first */
    struct slack_dest d = {
        .channel = p->channel, .thread = p->thread, .in_channel = p->in_channel};
    struct slack_message *msgs;
    size_t n, i = p->lazy ? p->ob.part : p->msg[p->ob.part];
    struct buf b;
    bool ok;

    /* A lazy post's reply was found UTF-8 by slack_send(). */
    n = p->lazy ? slack_render_utf8(&p->body, SLACK_MAX_TEXT, &msgs)
                : slack_render(&p->body, SLACK_MAX_TEXT, &msgs);
    if (p->lazy)
        p->ob.nparts = n; /* every message is posted, in order */
    buf_init(&b, SIZE_MAX / 2);
    if (i < n) /* the text twice (the blocks hold it too), and a few members */
        buf_reserve(&b, strlen(msgs[i].text) + strlen(msgs[i].blocks) +
                            strlen(msgs[i].text) / 8 + 256);
    ok = i < n && message_write(&b, &d, &msgs[i], false, p->lazy);
    slack_messages_free(msgs, n);
    if (!ok) { /* cannot happen: slack_send() made this one the same way */
        log_warnx("%s: event=%s: a reply message could not be made again",
                  p->ob.ob->ad->name, p->ob.event_id);
        buf_reset(&b);
        (void)buf_adds(&b, "{}"); /* refused by Slack, and logged as such */
    }
    *len = b.len;
    return buf_take(&b);
}

/* Appends @s and its NUL at *@at, a string in the same block; NULL stays NULL. */
static char *
pack_str(char **at, const char *s)
{
    char *out = *at;
    size_t n;

    if (s == NULL)
        return NULL;
    n = strlen(s) + 1;
    memcpy(out, s, n);
    *at += n;
    return out;
}

/*
 * Gives @p a copy of @r and of its destination @d, in one allocation (at
 * p->body.blocks, freed by post_cleanup()).  A reply waits as this while
 * its turn comes: a burst of a thousand waits as a thousand of them, and
 * one block instead of a dozen small ones (each with its malloc header and
 * rounding) is a quarter less of the bot's memory at the peak.
 */
static void
pack_post(struct slack_post *p, const struct reply *r, const struct slack_dest *d)
{
    size_t need = r->n * sizeof(*r->blocks);
    struct reply_block *bl;
    char *at;

    for (size_t i = 0; i < r->n; i++)
        need += strlen(r->blocks[i].text) + 1 +
                (r->blocks[i].label != NULL ? strlen(r->blocks[i].label) + 1 : 0);
    need += (d->channel != NULL ? strlen(d->channel) + 1 : 0) +
            (d->thread != NULL ? strlen(d->thread) + 1 : 0);
    bl = xmalloc(need > 0 ? need : 1);
    at = (char *)(bl + r->n);
    for (size_t i = 0; i < r->n; i++) {
        bl[i].kind = r->blocks[i].kind;
        bl[i].label = pack_str(&at, r->blocks[i].label);
        bl[i].text = pack_str(&at, r->blocks[i].text);
    }
    p->body.blocks = bl;
    p->body.n = r->n;
    p->channel = pack_str(&at, d->channel);
    p->thread = pack_str(&at, d->thread);
}

/* True when every text of @r is UTF-8: then each of its messages can be sent. */
static bool
reply_is_utf8(const struct reply *r)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct reply_block *bl = &r->blocks[i];

        if ((bl->label != NULL && !utf8_is_valid(bl->label, strlen(bl->label), NULL)) ||
            !utf8_is_valid(bl->text, strlen(bl->text), NULL))
            return false;
    }
    return true;
}

/*
 * The reply to the slash command being acked (see answer_in_ack), if @reply
 * is it and is ready now: its first message goes in the ack.
 */
static bool
capturing(const struct slack *sl, const struct chat_reply *reply)
{
    const struct slack_capture *cap = sl->capture;

    return cap != NULL && cap->payload == NULL && reply->reply_url != NULL &&
           reply->delay_ms == 0 && reply->event_id != NULL &&
           strcmp(reply->event_id, cap->event_id) == 0;
}

enum bot_err
slack_send(struct adapter *ad, const struct chat_reply *reply)
{
    struct slack *sl = ad->priv;
    struct slack_post *p;
    struct slack_message *msgs;
    struct slack_dest d = {0};
    json_t *payload = NULL;
    size_t n, nparts = 0;
    struct buf b;

    if (reply->channel == NULL && reply->dm_user == NULL && reply->reply_url == NULL)
        return BOT_EINVAL;
    if (reply->reply_url != NULL) {
        d.in_channel = reply->in_channel;
    } else {
        /* A user id as channel posts in the app's DM with that person. */
        d.channel = reply->dm_user ? reply->dm_user : reply->channel;
        if (reply->thread != NULL && reply->dm_user == NULL && !reply->in_channel)
            d.thread = reply->thread;
    }
    p = xcalloc(1, sizeof(*p));
    if (!capturing(sl, reply) && reply_is_utf8(&reply->body)) {
        /* Every message can be sent (only text that is not UTF-8 cannot):
         * rendered once, as each post starts (post_body), which also tells
         * how many messages there are. */
        p->lazy = true;
        nparts = 1;
    } else {
        /* Rendered now to know the messages and to check each can be sent
         * (or to put the first in the ack); the JSON is made again, one
         * message at a time, as each post starts. */
        n = slack_render(&reply->body, SLACK_MAX_TEXT, &msgs);
        p->msg = xcalloc(n > 0 ? n : 1, sizeof(*p->msg));
        buf_init(&b, SIZE_MAX / 2);
        for (size_t i = 0; i < n; i++) {
            buf_reset(&b);
            if (!message_write(&b, &d, &msgs[i], false, false))
                continue; /* only for text that is not UTF-8: never sent */
            p->msg[nparts++] = i;
            /* The ack is built as a tree (slack_conn.c): this payload, for
             * slash commands only, is read back into one. */
            if (nparts == 1 && capturing(sl, reply)) {
                buf_reset(&b);
                (void)message_write(&b, &d, &msgs[i], true, false);
                payload = json_loadb(b.data, b.len, 0, NULL);
            }
        }
        buf_cleanup(&b);
        slack_messages_free(msgs, n);
        if (nparts == 0) {
            free(p->msg);
            free(p);
            return BOT_EINVAL;
        }
    }
    pack_post(p, &reply->body, &d);
    p->in_channel = d.in_channel;
    p->response_url = reply->reply_url != NULL;
    p->url = xstrdup_or_null(reply->reply_url);
    /* The first message rides in the ack; the rest (or, if the ack is lost,
     * all) follow through the response_url once the ack is out. */
    p->ob.in_flight_ack = payload != NULL;
    outbox_add(&sl->outbox, &p->ob, reply, nparts);
    if (payload != NULL) {
        sl->capture->payload = payload;
        sl->capture->post = p;
        p->ob.part = 1;
    }
    return BOT_OK;
}
