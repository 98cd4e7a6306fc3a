/*
 * mm_sync.c - the REST catch-up after a lost session or an event stream the server could
 * not replay.
 */
#include "bot/adapters/mattermost/mm_priv.h"

long long
mm_epoch_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
mm_sync_free(struct mm *mm)
{
    struct mm_sync *sy = mm->sync;

    if (sy == NULL)
        return;
    if (sy->call != NULL)
        http_cancel(sy->call);
    net_timer_stop(mm->sync_timer);
    free(sy->teams);
    free(sy->chans);
    json_decref(sy->found);
    free(sy);
    mm->sync = NULL;
}

static void
sync_cap(struct mm *mm, const char *what, size_t cap)
{
    if (!mm->sync->capped)
        log_warnx("%s: catch-up: more than %zu %s; the rest is not read", mm->ad->name,
                  cap, what);
    mm->sync->capped = true;
}

static void sync_step(struct mm *mm);

/* Starts one GET of the catch-up; on failure the step is skipped. */
static void
sync_get(struct mm *mm, char *url, http_done_fn *done)
{
    struct http_request req = {
        .method = "GET",
        .url = url,
        .auth = mm->auth,
        .ca_file = mm->ca_file,
        .timeout_ms = 30000,
        .max_response = MM_SYNC_MAX_BODY,
    };

    if (http_request(mm->ad->loop, &req, done, mm, &mm->sync->call) != BOT_OK) {
        log_warnx("%s: catch-up abandoned: bad server URL", mm->ad->name);
        mm_sync_free(mm);
        mm_check_closed(mm);
    }
    free(url);
}

/*
 * A 429, a 5xx or a network failure: the same request again later (after
 * the rate limit's reset, if that is why), at most MM_SYNC_RETRIES times in
 * one catch-up.  Returns true then; the caller leaves its state as it is.
 */
static bool
sync_retry(struct mm *mm, const struct http_response *resp, bool teams)
{
    struct mm_sync *sy = mm->sync;
    uint64_t now = net_loop_now(mm->ad->loop), delay;

    sy->call = NULL;
    mm_note_ratelimit(mm, resp, resp->retry_after > 0 ? resp->retry_after * 1000 : 1000);
    if (!(resp->err == BOT_ENET ||
          (resp->err == BOT_OK && (resp->status == 429 || resp->status >= 500))) ||
        sy->retries >= MM_SYNC_RETRIES)
        return false;
    if (resp->err == BOT_OK && resp->status == 429)
        mm->ad->stats.rate_limited++;
    sy->retries++;
    if (teams)
        sy->listed = false;
    delay = mm->outbox.hold_until > now ? mm->outbox.hold_until - now
                                        : 1000 * (uint64_t)sy->retries;
    log_warnx("%s: catch-up: request failed (%s); again in %llu ms", mm->ad->name,
              resp->err != BOT_OK ? bot_strerror(resp->err) : "HTTP error",
              (unsigned long long)delay);
    net_timer_start(mm->sync_timer, delay);
    return true;
}

void
mm_on_sync_timer(void *arg)
{
    struct mm *mm = arg;

    if (mm->sync != NULL && mm->sync->call == NULL)
        sync_step(mm);
}

/* The answer as JSON, or NULL (logged) when the request failed. */
static json_t *
sync_answer(struct mm *mm, const struct http_response *resp, const char *what)
{
    json_t *root;

    mm->sync->call = NULL;
    if (resp->err != BOT_OK || resp->status != 200) {
        log_warnx("%s: catch-up: %s failed: %s", mm->ad->name, what,
                  resp->err != BOT_OK ? bot_strerror(resp->err) : "HTTP error");
        return NULL;
    }
    if ((root = json_loadb(resp->body, resp->len, JSON_ALLOW_NUL, NULL)) == NULL)
        log_warnx("%s: catch-up: %s: malformed answer", mm->ad->name, what);
    return root;
}

static void
on_sync_teams(void *arg, const struct http_response *resp)
{
    struct mm *mm = arg;
    struct mm_sync *sy = mm->sync;
    json_t *root, *t;
    size_t i;

    if (sync_retry(mm, resp, true))
        return;
    root = sync_answer(mm, resp, "users/me/teams");
    json_array_foreach(root, i, t)
    {
        const char *id = adapter_jstr(t, "id");

        if (!mm_id_ok(id))
            continue;
        if (sy->nteams == MM_SYNC_TEAMS) {
            sync_cap(mm, "teams", MM_SYNC_TEAMS);
            break;
        }
        sy->teams = xreallocarray(sy->teams, sy->nteams + 1, sizeof(*sy->teams));
        snprintf(sy->teams[sy->nteams++], MM_MAX_ID + 1, "%s", id);
    }
    if (json_is_array(root) && sy->nteams == 0) {
        /* In no team, a bot can still be in direct and group messages: those
         * are listed by users/me/channels (""). */
        sy->teams = xcalloc(1, sizeof(*sy->teams));
        sy->nteams = 1;
    }
    json_decref(root);
    sync_step(mm);
}

static void
on_sync_channels(void *arg, const struct http_response *resp)
{
    struct mm *mm = arg;
    struct mm_sync *sy = mm->sync;
    json_t *root, *c;
    size_t i;

    if (sync_retry(mm, resp, false))
        return;
    root = sync_answer(mm, resp, "the team's channels");
    json_array_foreach(root, i, c)
    {
        const char *id = adapter_jstr(c, "id"), *team = adapter_jstr(c, "team_id"),
                   *type = adapter_jstr(c, "type");
        const json_t *last = json_object_get(c, "last_post_at");
        bool known = false;

        /* A channel with nothing posted since is not read at all. */
        if (!mm_id_ok(id) ||
            (json_is_integer(last) && json_integer_value(last) <= sy->since))
            continue;
        for (size_t k = 0; k < sy->nchans && !known; k++)
            known = strcmp(sy->chans[k].id, id) == 0; /* DMs are in every team's list */
        if (known)
            continue;
        if (sy->nchans == MM_SYNC_CHANNELS) {
            sync_cap(mm, "channels with new posts", MM_SYNC_CHANNELS);
            break;
        }
        sy->chans = xreallocarray(sy->chans, sy->nchans + 1, sizeof(*sy->chans));
        memset(&sy->chans[sy->nchans], 0, sizeof(*sy->chans));
        snprintf(sy->chans[sy->nchans].id, MM_MAX_ID + 1, "%s", id);
        if (team != NULL && mm_id_ok(team))
            snprintf(sy->chans[sy->nchans].team, MM_MAX_ID + 1, "%s", team);
        if (type != NULL && strlen(type) == 1)
            sy->chans[sy->nchans].ctype[0] = type[0];
        sy->nchans++;
    }
    json_decref(root);
    sy->team++;
    sync_step(mm);
}

static int
by_create_at(const void *a, const void *b)
{
    json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "create_at"));
    json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "create_at"));

    return (x > y) - (x < y);
}

/* The channel is read: its questions to the core, oldest first. */
static void
sync_deliver(struct mm *mm)
{
    struct mm_sync *sy = mm->sync;
    const struct mm_chan *ch = &sy->chans[sy->chan];
    size_t n = json_array_size(sy->found), asked = 0;
    json_t **posts = xcalloc(n + 1, sizeof(*posts));

    for (size_t i = 0; i < n; i++)
        posts[i] = json_array_get(sy->found, i);
    qsort(posts, n, sizeof(*posts), by_create_at);
    for (size_t i = 0; i < n; i++) {
        struct chat_event ev;

        memset(&ev, 0, sizeof(ev));
        if (mm_event_from_post(mm->self_id, mm->self_name, posts[i],
                               ch->ctype[0] ? ch->ctype : NULL,
                               ch->team[0] ? ch->team : NULL, NULL, &ev) == BOT_OK) {
            asked++;
            mm->ad->deliver(mm->ad, &ev); /* already answered ones are duplicates */
        }
        chat_event_cleanup(&ev);
    }
    if (n > 0)
        log_info("%s: catch-up of channel %s: %zu post(s) while disconnected, %zu for us",
                 mm->ad->name, ch->id, n, asked);
    sy->asked += asked;
    free(posts);
    json_decref(sy->found);
    sy->found = NULL;
}

static void
on_sync_posts(void *arg, const struct http_response *resp)
{
    struct mm *mm = arg;
    struct mm_sync *sy = mm->sync;
    json_t *root, *order, *posts;
    bool more;
    size_t n;

    if (sync_retry(mm, resp, false))
        return;
    root = sync_answer(mm, resp, "channel posts");
    order = json_object_get(root, "order");
    posts = json_object_get(root, "posts");
    n = json_array_size(order);
    /* Newest first: a full page whose oldest post is still after @since
     * means more on the next page. */
    more = n >= MM_SYNC_PER_PAGE;
    for (size_t i = 0; i < n; i++) {
        const char *id = json_string_value(json_array_get(order, i));
        json_t *post = json_object_get(posts, id != NULL ? id : "");
        const json_t *at = json_object_get(post, "create_at");
        bool dup = false;
        size_t k;
        json_t *v;

        if (!json_is_object(post) || !json_is_integer(at))
            continue;
        if (json_integer_value(at) <= sy->since) {
            more = false; /* older ones are known; later ones on this page are older */
            continue;
        }
        json_array_foreach(sy->found, k, v)
        {
            if (json_equal(json_object_get(v, "id"), json_object_get(post, "id")))
                dup = true; /* the pages moved under us: a new post pushed it down */
        }
        if (dup)
            continue;
        if (sy->posts == MM_SYNC_POSTS) {
            sync_cap(mm, "posts", MM_SYNC_POSTS);
            more = false;
            break;
        }
        sy->posts++;
        if (sy->found == NULL)
            sy->found = json_array();
        json_array_append(sy->found, post);
    }
    json_decref(root);
    if (more && sy->page + 1 >= MM_SYNC_PAGES) {
        sync_cap(mm, "pages in one channel", MM_SYNC_PAGES);
        more = false;
    }
    if (more) {
        sy->page++;
    } else {
        sync_deliver(mm);
        sy->chan++;
        sy->page = 0;
    }
    sync_step(mm);
}

/* Starts the next request of the catch-up, or ends it. */
static void
sync_step(struct mm *mm)
{
    struct mm_sync *sy = mm->sync;
    long long again;
    uint64_t now = net_loop_now(mm->ad->loop);

    if (mm->state != MM_RUN) {
        mm_sync_free(mm);
        mm_check_closed(mm);
        return;
    }
    if (mm->outbox.hold_until > now) { /* the server's rate limit is spent */
        net_timer_start(mm->sync_timer, mm->outbox.hold_until - now);
        return;
    }
    if (!sy->listed) {
        sy->listed = true;
        sync_get(mm, xasprintf("%s/api/v4/users/me/teams", mm->api), on_sync_teams);
        return;
    }
    if (sy->team < sy->nteams) {
        sync_get(mm,
                 sy->teams[sy->team][0] != '\0'
                     ? xasprintf("%s/api/v4/users/me/teams/%s/channels", mm->api,
                                 sy->teams[sy->team])
                     : xasprintf("%s/api/v4/users/me/channels", mm->api),
                 on_sync_channels);
        return;
    }
    if (sy->chan < sy->nchans) {
        sync_get(mm,
                 xasprintf("%s/api/v4/channels/%s/posts?page=%u&per_page=%d", mm->api,
                           sy->chans[sy->chan].id, sy->page, MM_SYNC_PER_PAGE),
                 on_sync_posts);
        return;
    }
    log_info("%s: catch-up done: %zu channel(s) with new posts, %zu post(s) read, %zu "
             "question(s) for us",
             mm->ad->name, sy->nchans, sy->posts, sy->asked);
    again = sy->again;
    mm_sync_free(mm);
    if (again > 0)
        mm_catch_up(mm, again);
}

/*
 * After a loss the server could not replay: read over REST every channel we
 * are a member of that had posts after @since (server clock, ms), and hand
 * the questions among them to the core, which drops those already answered.
 */
void
mm_catch_up(struct mm *mm, long long since)
{
    if (mm->sync != NULL) {
        /* One at a time; this one starts over from the older time. */
        if (mm->sync->again == 0 || since < mm->sync->again)
            mm->sync->again = since;
        return;
    }
    mm->sync = xcalloc(1, sizeof(*mm->sync));
    mm->sync->since = since;
    log_info("%s: catching up over REST on posts since %lld ms ago", mm->ad->name,
             mm_epoch_ms() + mm->server_skew - since);
    sync_step(mm);
}
