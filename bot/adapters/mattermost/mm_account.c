/*
 * mm_account.c - the bot account over REST: users/me before the first socket
 * (our own id and name; a rejected token is retried, slowly unless a session
 * that worked went invalid), the same call again every check_secs to notice an
 * account disabled and enabled again, and the client config's MaxPostSize.
 */
#include "bot/adapters/mattermost/mm_priv.h"

static void client_config(struct mm *mm);

/*
 * The delay before the next users/me: soon after a session that worked went
 * invalid, slowly for a token that never worked.
 */
uint64_t
mm_account_auth_delay(struct mm *mm)
{
    return backoff_next(mm->session_lost ? &mm->bo_auth : &mm->bo_slow,
                        net_random(mm->ad->loop));
}

static void
on_me_done(void *arg, const struct http_response *resp)
{
    struct mm *mm = arg;
    json_t *root = NULL;
    const char *id, *name;

    mm->me_call = NULL;
    if (resp->err != BOT_OK) {
        log_warnx("%s: users/me failed: %s", mm->ad->name,
                  resp->error ? resp->error : bot_strerror(resp->err));
        mm_conn_retry_in(mm, backoff_next(&mm->bo, net_random(mm->ad->loop)));
        return;
    }
    if (resp->status == 401 || resp->status == 403) {
        snprintf(mm->problem, sizeof(mm->problem), "users/me: token rejected (HTTP %ld)",
                 resp->status);
        /* A token that worked and no longer does: the session it had is
         * lost (see mm_reauth()); asked about again soon, caught up after. */
        if (mm->self_id != NULL)
            mm->session_lost = true;
        log_warnx("%s: users/me: the server rejected the token (HTTP %ld): check "
                  "MATTERMOST_TOKEN (a bot account's or a personal access token); "
                  "retrying %s",
                  mm->ad->name, resp->status, mm->session_lost ? "soon" : "slowly");
        mm_conn_retry_in(mm, mm_account_auth_delay(mm));
        return;
    }
    if (resp->status != 200) {
        snprintf(mm->problem, sizeof(mm->problem), "users/me: HTTP %ld", resp->status);
        if (resp->status == 429)
            mm->ad->stats.rate_limited++;
        log_warnx("%s: users/me failed: HTTP %ld", mm->ad->name, resp->status);
        mm_conn_retry_in(mm, resp->status == 429 && resp->retry_after > 0
                                 ? (uint64_t)resp->retry_after * 1000
                                 : backoff_next(&mm->bo, net_random(mm->ad->loop)));
        return;
    }
    root = json_loadb(resp->body, resp->len, 0, NULL);
    id = adapter_jstr(root, "id");
    name = adapter_jstr(root, "username");
    if (!mm_id_ok(id) || name == NULL || *name == '\0') {
        log_warnx("%s: users/me: no id or username in the answer", mm->ad->name);
        json_decref(root);
        mm_conn_retry_in(mm, backoff_next(&mm->bo, net_random(mm->ad->loop)));
        return;
    }
    free(mm->self_id);
    free(mm->self_name);
    mm->self_id = xstrdup(id);
    mm->self_name = xstrdup(name);
    mm->me_update_at =
        json_is_integer(json_object_get(root, "update_at"))
            ? (long long)json_integer_value(json_object_get(root, "update_at"))
            : 0;
    log_info("%s: authenticated as @%s (%s)%s", mm->ad->name, mm->self_name, mm->self_id,
             json_is_true(json_object_get(root, "is_bot")) ? ", a bot account" : "");
    json_decref(root);
    mm->state = MM_RUN;
    backoff_reset(&mm->bo_auth);
    if (mm->config_call == NULL)
        client_config(mm);
    mm_conn_open_socket(mm);
    net_timer_start(mm->check_timer, (uint64_t)mm->check_secs * 1000);
}

/*
 * A bot account disabled and enabled again keeps its socket, which answers
 * pings but gets no more events (protocols.md 2.9).  users/me shows it: a
 * new update_at (or a 401 once the token is revoked).  A replacement socket
 * then resumes, or gets a fresh hello and catches up over REST.
 */
static void
on_check_done(void *arg, const struct http_response *resp)
{
    struct mm *mm = arg;
    json_t *root;
    long long at;

    mm->check_call = NULL;
    if (mm->state == MM_RUN)
        net_timer_start(mm->check_timer, (uint64_t)mm->check_secs * 1000);
    if (resp->err == BOT_OK && (resp->status == 401 || resp->status == 403)) {
        mm_reauth(mm, "users/me");
        return;
    }
    if (resp->err != BOT_OK || resp->status != 200) {
        log_debug("%s: account check failed (%s)", mm->ad->name,
                  resp->err != BOT_OK ? bot_strerror(resp->err) : "HTTP error");
        return;
    }
    root = json_loadb(resp->body, resp->len, 0, NULL);
    at = json_is_integer(json_object_get(root, "update_at"))
             ? (long long)json_integer_value(json_object_get(root, "update_at"))
             : 0;
    json_decref(root);
    if (at != 0 && mm->me_update_at != 0 && at != mm->me_update_at) {
        log_warnx("%s: the bot account changed (disabled and enabled again?); its "
                  "socket may get no more events",
                  mm->ad->name);
        mm->session_lost = true;
        mm_conn_replace(mm, "account changed");
    }
    if (at != 0)
        mm->me_update_at = at;
}

/* Starts GET @path (from "/api/v4/...") with the bot's token; see http_request(). */
static enum bot_err
api_get(struct mm *mm, const char *path, http_done_fn *done, struct http_call **call)
{
    char *url = xasprintf("%s%s", mm->api, path);
    struct http_request req = {
        .method = "GET",
        .url = url,
        .auth = mm->auth,
        .ca_file = mm->ca_file,
        .max_response = 256 * 1024,
    };
    enum bot_err err = http_request(mm->ad->loop, &req, done, mm, call);

    free(url);
    return err;
}

void
mm_account_on_check_timer(void *arg)
{
    struct mm *mm = arg;

    if (mm->state != MM_RUN || mm->check_call != NULL)
        return;
    if (api_get(mm, "/api/v4/users/me", on_check_done, &mm->check_call) != BOT_OK)
        net_timer_start(mm->check_timer, (uint64_t)mm->check_secs * 1000);
}

/* MaxPostSize in the client config: the server's limit on a post, in runes. */
static void
on_config_done(void *arg, const struct http_response *resp)
{
    struct mm *mm = arg;
    json_t *root;
    const char *v;
    char *end;
    unsigned long n;

    mm->config_call = NULL;
    if (resp->err != BOT_OK || resp->status != 200) {
        log_debug("%s: client config not read (%s); posts of at most %zu characters",
                  mm->ad->name,
                  resp->err != BOT_OK ? bot_strerror(resp->err) : "HTTP error",
                  mm->max_runes);
        return;
    }
    root = json_loadb(resp->body, resp->len, 0, NULL);
    v = adapter_jstr(root, "MaxPostSize");
    n = v != NULL ? strtoul(v, &end, 10) : 0;
    if (v != NULL && *end == '\0' && n >= MM_MIN_RUNES && n < mm->max_runes) {
        mm->max_runes = n;
        log_info("%s: the server takes posts of at most %lu characters", mm->ad->name, n);
    }
    json_decref(root);
}

static void
client_config(struct mm *mm)
{
    if (api_get(mm, "/api/v4/config/client?format=old", on_config_done,
                &mm->config_call) != BOT_OK)
        mm->config_call = NULL;
}

void
mm_account_users_me(struct mm *mm)
{
    enum bot_err err;

    if ((err = api_get(mm, "/api/v4/users/me", on_me_done, &mm->me_call)) != BOT_OK) {
        log_warnx("%s: server URL %s", mm->ad->name, outbox_url_problem(err));
        mm_conn_retry_in(mm, backoff_next(&mm->bo_slow, net_random(mm->ad->loop)));
    }
}
