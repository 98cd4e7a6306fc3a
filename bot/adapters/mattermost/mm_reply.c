/*
 * mm_reply.c - Mattermost's part of the outbox: the request of each post, what an answer
 * means (rate limits, a refused thread, a lost session), mattermost_send().
 */
#include "bot/adapters/mattermost/mm_priv.h"

/* ---- Posting ---------------------------------------------------------- */

/* X-Ratelimit-Reset in ms from now: the source sends seconds from now, the
 * docs an epoch time; 1 s when absent or past, 600 s at most. */
static long
reset_ms(long reset, long long now_epoch)
{
    long ms = -1;

    if (reset >= 1000000000L)
        ms = reset > now_epoch ? (long)(reset - now_epoch) * 1000 : 0;
    else if (reset >= 0)
        ms = reset * 1000;
    if (ms <= 0)
        ms = 1000;
    return ms > 600000 ? 600000 : ms;
}

long
mm_ratelimit_hold(long remaining, long reset, long long now_epoch)
{
    return remaining == 0 ? reset_ms(reset, now_epoch) : 0;
}

enum mm_outcome
mm_outcome(const struct http_response *resp, long long now_epoch, long *retry_ms,
           char *error, size_t errlen)
{
    json_t *root;
    const char *id;
    enum mm_outcome out;

    *retry_ms = 0;
    if (resp->err != BOT_OK) {
        snprintf(error, errlen, "%s",
                 resp->error ? resp->error : bot_strerror(resp->err));
        return MM_RETRY;
    }
    if (resp->status >= 200 && resp->status <= 299) {
        snprintf(error, errlen, "HTTP %ld", resp->status);
        return MM_POSTED;
    }
    if (resp->status == 429) {
        /* The body is plain text ("limit exceeded"), not an AppError. */
        *retry_ms = resp->retry_after > 0 ? resp->retry_after * 1000
                                          : reset_ms(resp->ratelimit_reset, now_epoch);
        if (*retry_ms > 600000)
            *retry_ms = 600000;
        snprintf(error, errlen, "rate limited (HTTP 429)");
        return MM_RETRY;
    }
    if (resp->status >= 500) {
        snprintf(error, errlen, "HTTP %ld", resp->status);
        return MM_RETRY;
    }
    root = json_loadb(resp->body, resp->len, 0, NULL);
    id = adapter_jstr(root, "id");
    snprintf(error, errlen, "HTTP %ld %.100s", resp->status, id ? id : "");
    if (resp->status == 401)
        out = MM_AUTH;
    else if (resp->status == 400 && id != NULL && strcmp(id, MM_ROOT_ERROR) == 0)
        out = MM_BAD_ROOT;
    else
        out = MM_FAILED;
    json_decref(root);
    return out;
}

static char *new_pending(struct mm *mm);

static void
post_cleanup(struct outbox_post *op)
{
    struct mm_post *p = (struct mm_post *)op;

    if (p->dm_user != NULL)
        free(p->channel); /* the DM's, found when its first request was made */
    if (p->message != NULL)
        textpool_release(((struct mm *)op->ob->owner)->texts, p->message);
    if (p->parts != NULL) {
        for (size_t i = 0; i < p->ob.nparts; i++)
            free(p->parts[i]);
    }
    free(p->parts);
    free(p->pending);
}

/* The server's rate limit: an empty bucket (Remaining 0, or a 429 after
 * @retry_ms) holds every post until it refills, rather than running into
 * 429s one post after another. */
void
mm_note_ratelimit(struct mm *mm, const struct http_response *resp, long retry_ms)
{
    long ms;

    if (resp->err != BOT_OK)
        return;
    ms = resp->status == 429
             ? retry_ms
             : mm_ratelimit_hold(resp->ratelimit_remaining, resp->ratelimit_reset,
                                 (long long)time(NULL));
    /* A server that limits requests (RateLimitSettings, 10 a second with a
     * burst of 100 by default) says how many are left: no more posts open
     * at once than that, so a burst does not run into 429s. */
    if (resp->status != 429 && resp->ratelimit_remaining >= 0)
        outbox_set_limit(&mm->outbox, resp->ratelimit_remaining < MM_MAX_POSTING
                                          ? (unsigned)resp->ratelimit_remaining
                                          : MM_MAX_POSTING);
    if (ms > 0)
        outbox_hold(&mm->outbox, (uint64_t)ms);
}

/* The answer to POST /channels/direct: the DM channel's id, or a failure. */
static enum outbox_verdict
dm_classify(struct mm_post *p, const struct http_response *resp, char *error, size_t len)
{
    char *id = adapter_json_id(resp->body, resp->len);

    if (mm_id_ok(id)) {
        p->channel = id;
        return OUTBOX_AGAIN;
    }
    free(id);
    snprintf(error, len, "no DM channel id in the answer");
    return OUTBOX_GIVE_UP;
}

static enum outbox_verdict
post_classify(struct outbox_post *op, const struct http_response *resp, long *retry_ms,
              char *error, size_t len)
{
    struct mm_post *p = (struct mm_post *)op;
    struct mm *mm = op->ob->owner;
    enum mm_outcome out;

    out = mm_outcome(resp, (long long)time(NULL), retry_ms, error, len);
    mm_note_ratelimit(mm, resp, *retry_ms);
    switch (out) {
    case MM_POSTED:
        if (p->channel == NULL) /* the DM step */
            return dm_classify(p, resp, error, len);
        return OUTBOX_DONE;
    case MM_FAILED:
        return OUTBOX_GIVE_UP;
    case MM_BAD_ROOT:
        if (p->root_id[0] == '\0')
            return OUTBOX_GIVE_UP;
        /* The root was deleted, or the id named a reply: answer in the channel. */
        log_warnx("%s: event=%s thread root refused (%s); replying at channel level",
                  mm->ad->name, op->event_id, error);
        p->root_id[0] = '\0';
        return OUTBOX_AGAIN;
    case MM_AUTH:
        *retry_ms = (long)outbox_backoff_next(op) * 4;
        return OUTBOX_REAUTH;
    case MM_RETRY:
        break;
    }
    return OUTBOX_RETRY;
}

static void
post_reauth(struct outbox *ob)
{
    mm_reauth(ob->owner, "POST /api/v4/posts");
}

/* The webapp's form, "user:time"; the counter keeps two posts apart.
 * Written by hand: one a reply, and xasprintf() cost more than the rest of it. */
static char *
new_pending(struct mm *mm)
{
    const char *user = mm->self_id ? mm->self_id : "valuesbot";
    unsigned long long t = (unsigned long long)time(NULL),
                       c = ++mm->post_counter % 1000000;
    size_t n = strlen(user);
    char digits[48], *d = digits + sizeof(digits), *out;

    for (int i = 0; i < 6; i++, c /= 10) /* %06llu */
        *--d = (char)('0' + c % 10);
    do
        *--d = (char)('0' + t % 10);
    while ((t /= 10) != 0);
    out = xmalloc(n + 1 + (size_t)(digits + sizeof(digits) - d) + 1);
    memcpy(out, user, n);
    out[n] = ':';
    memcpy(out + n + 1, d, (size_t)(digits + sizeof(digits) - d));
    out[n + 1 + (digits + sizeof(digits) - d)] = '\0';
    return out;
}

/*
 * Splits p->message into posts the server takes, now that its MaxPostSize
 * is likely known.  Returns false when there is nothing to post.
 */
static bool
post_split(struct mm_post *p)
{
    struct mm *mm = p->ob.ob->owner;
    size_t n = mm_split(p->message, mm->max_runes, &p->parts);

    textpool_release(mm->texts, p->message); /* the parts hold the text now */
    p->message = NULL;
    p->ob.nparts = n;
    if (n == 0)
        return false;
    if (n > MM_MAX_PARTS) {
        log_warnx("%s: event=%s reply of %zu posts cut to %d", mm->ad->name,
                  p->ob.event_id, n, MM_MAX_PARTS);
        while (p->ob.nparts > MM_MAX_PARTS)
            free(p->parts[--p->ob.nparts]);
    }
    if (p->ob.nparts > 1)
        log_info("%s: event=%s long reply: %zu posts of at most %zu characters",
                 mm->ad->name, p->ob.event_id, p->ob.nparts, mm->max_runes);
    return true;
}

/* The body of @p's current part, made as its request starts (http.h body_fn). */
static char *
post_body(void *arg, size_t *len)
{
    struct mm_post *p = arg; /* its outbox_post first */
    const char *const field[4][2] = {{"channel_id", p->channel},
                                     {"message", p->parts[p->ob.part]},
                                     {"root_id", p->root_id},
                                     {"pending_post_id", p->pending}};
    char *body = NULL;
    struct buf b;

    /* Written straight out (jsonw.h): json_pack() and json_dumps() cost more
     * than the rest of a post.  Each value must be UTF-8, as json_pack() asks:
     * the message is a part of a text mattermost_send() checked, cut only
     * between characters (mm_split()), so it is not checked again. */
    buf_init(&b, SIZE_MAX / 2);
    buf_reserve(&b,
                strlen(p->parts[p->ob.part]) + strlen(p->parts[p->ob.part]) / 8 + 192);
    for (size_t i = 0; i < 4; i++) {
        const char *v = field[i][1];

        if (v == NULL || (i != 1 && !utf8_is_valid(v, strlen(v), NULL)))
            break;
        (void)buf_add(&b, i == 0 ? "{" : ",", 1);
        jsonw_string(&b, field[i][0], strlen(field[i][0]));
        (void)buf_add(&b, ":", 1);
        jsonw_string(&b, v, strlen(v));
        if (i == 3) {
            (void)buf_add(&b, "}", 1);
            body = buf_take(&b);
        }
    }
    buf_cleanup(&b);
    if (body == NULL) { /* cannot happen: mattermost_send() checked the text */
        log_warnx("%s: event=%s: a reply could not be made into JSON", p->ob.ob->ad->name,
                  p->ob.event_id);
        body = xstrdup("{}"); /* refused by the server, and logged as such */
    }
    *len = strlen(body);
    return body;
}

/* The request of @op's current part, or of finding its DM first. */
static enum outbox_go
post_prepare(struct outbox_post *op, struct outbox_req *req, uint64_t *wait_ms, char *why,
             size_t len)
{
    struct mm_post *p = (struct mm_post *)op;
    struct mm *mm = op->ob->owner;

    req->http.auth = mm->auth;
    req->http.content_type = "application/json";
    req->http.ca_file = mm->ca_file;
    if (p->channel == NULL) {
        if (mm->self_id == NULL) { /* not authenticated yet: wait */
            *wait_ms = 1000;
            return OUTBOX_WAIT;
        }
        /* POST /channels/direct: the DM between us and p->dm_user (made if new). */
        req->own_url = xasprintf("%s/api/v4/channels/direct", mm->api);
        req->own_body = xasprintf("[\"%s\",\"%s\"]", mm->self_id, p->dm_user);
        req->http.url = req->own_url;
        req->http.body = req->own_body;
        req->http.body_len = strlen(req->own_body);
        return OUTBOX_POST;
    }
    if (p->parts == NULL && !post_split(p)) {
        snprintf(why, len, "empty");
        return OUTBOX_DROP;
    }
    if (p->pending == NULL || p->pending_part != op->part) {
        free(p->pending); /* the same id on every attempt at one part */
        p->pending = new_pending(mm);
        p->pending_part = op->part;
    }
    req->http.url = mm->posts_url;
    req->http.body_fn = post_body;
    return OUTBOX_POST;
}

static void
post_drained(struct outbox *ob, bool timed_out)
{
    (void)timed_out;
    mm_check_closed(ob->owner);
}

const struct outbox_ops mm_outbox_ops = {
    .prepare = post_prepare,
    .classify = post_classify,
    .cleanup = post_cleanup,
    .reauth = post_reauth,
    .drained = post_drained,
};

/* Appends @s and its NUL at *@at; returns where it went. */
static char *
put_str(char **at, const char *s, size_t len)
{
    char *dst = *at;

    memcpy(dst, s, len + 1);
    *at += len + 1;
    return dst;
}

enum bot_err
mattermost_send(struct adapter *ad, const struct chat_reply *reply)
{
    struct mm *mm = ad->priv;
    struct mm_post *p;
    const char *id = reply->event_id != NULL ? reply->event_id : "-";
    const char *where = reply->dm_user != NULL ? reply->dm_user : reply->channel;
    const char *root =
        reply->thread && !reply->in_channel && !reply->dm_user ? reply->thread : "";
    size_t idlen, wlen, rlen, tlen;
    char *text, *at;

    if (reply->dm_user != NULL ? !mm_id_ok(reply->dm_user) : !mm_id_ok(reply->channel))
        return BOT_EINVAL;
    if (reply->thread != NULL && !mm_id_ok(reply->thread))
        return BOT_EINVAL;
    text = mm_format(&reply->body, SIZE_MAX); /* split into posts when sent */
    if (text[strspn(text, " \t\r\n")] == '\0') {
        free(text); /* the server refuses an empty message */
        return BOT_EINVAL;
    }
    tlen = strlen(text);
    if (!utf8_is_valid(text, tlen, NULL)) {
        log_warnx("%s: event=%s reply dropped: not valid UTF-8", ad->name,
                  reply->event_id ? reply->event_id : "-");
        free(text);
        return BOT_EINVAL;
    }
    idlen = strlen(id);
    wlen = strlen(where);
    rlen = strlen(root);
    p = xcalloc(1, sizeof(*p) + idlen + wlen + rlen + 3);
    at = p->text;
    p->ob.event_id = put_str(&at, id, idlen);
    p->ob.id_kept = true;
    /* A tour goes to the person's DM; a digest to the channel itself. */
    if (reply->dm_user != NULL)
        p->dm_user = put_str(&at, where, wlen);
    else
        p->channel = put_str(&at, where, wlen);
    p->root_id = put_str(&at, root, rlen);
    p->message = textpool_take(mm->texts, text, tlen);
    free(text);
    outbox_add(&mm->outbox, &p->ob, reply, 1);
    return BOT_OK;
}
