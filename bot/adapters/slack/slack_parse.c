/*
 * slack_parse.c - Socket Mode frames and their events into chat_events.
 */
#include "bot/adapters/slack/slack_priv.h"

/* ---- Parsing ---------------------------------------------------------- */

void
slack_envelope_cleanup(struct slack_envelope *env)
{
    free(env->type);
    free(env->envelope_id);
    free(env->reason);
    memset(env, 0, sizeof(*env));
}

/* A span's non-negative integer that fits a long, or 0 (as the envelope reads them). */
static long
span_long(const struct jsonpick_span *v)
{
    if (v->type != 'i' || v->num < 0 || (unsigned long long)v->num > LONG_MAX)
        return 0;
    return (long)v->num;
}

const char *
slack_frame_str(const struct slack_frame *f, int field)
{
    return f->v[field].type == 's' ? f->v[field].s : NULL;
}

enum bot_err
slack_envelope_from_frame(const struct slack_frame *f, struct slack_envelope *env)
{
    const char *type = slack_frame_str(f, SLACK_F_TYPE);

    memset(env, 0, sizeof(*env));
    if (type == NULL)
        return BOT_EPARSE;
    env->type = xstrdup(type);
    env->envelope_id = xstrdup_or_null(slack_frame_str(f, SLACK_F_ENVELOPE_ID));
    env->reason = xstrdup_or_null(slack_frame_str(f, SLACK_F_REASON));
    env->retry_attempt = span_long(&f->v[SLACK_F_RETRY_ATTEMPT]);
    env->approx_secs = span_long(&f->v[SLACK_F_APPROX_SECS]);
    env->num_connections = span_long(&f->v[SLACK_F_NUM_CONNECTIONS]);
    env->accepts_payload = f->v[SLACK_F_ACCEPTS_PAYLOAD].type == 't';
    return BOT_OK;
}

/*
 * What the adapter reads of a frame (slack_envelope_from_frame(),
 * slack_event_from_frame(), slack_conn.c's log_ignored()), each member's
 * span at its index; a new field read there must be named here too.  The
 * rest of the frame (blocks, authorisations, context) is checked but not kept.
 */
static const struct jsonpick_slot event_slots[] = {
    {"type", SLACK_F_E_TYPE, NULL},
    {"text", SLACK_F_E_TEXT, NULL},
    {"user", SLACK_F_E_USER, NULL},
    {"channel", SLACK_F_E_CHANNEL, NULL},
    {"ts", SLACK_F_E_TS, NULL},
    {"thread_ts", SLACK_F_E_THREAD_TS, NULL},
    {"channel_type", SLACK_F_E_CHANNEL_TYPE, NULL},
    {"bot_id", SLACK_F_E_BOT_ID, NULL},
    {"bot_profile", SLACK_F_E_BOT_PROFILE, NULL},
    {"subtype", SLACK_F_E_SUBTYPE, NULL},
    {"team", SLACK_F_E_TEAM, NULL},
    {NULL, -1, NULL},
};
static const struct jsonpick_slot payload_slots[] = {
    {"event", SLACK_F_EVENT, event_slots},
    {"event_id", SLACK_F_EVENT_ID, NULL},
    {"team_id", SLACK_F_TEAM_ID, NULL},
    {"command", SLACK_F_COMMAND, NULL},
    {"text", SLACK_F_CMD_TEXT, NULL},
    {"channel_id", SLACK_F_CHANNEL_ID, NULL},
    {"user_id", SLACK_F_USER_ID, NULL},
    {"response_url", SLACK_F_RESPONSE_URL, NULL},
    {"trigger_id", SLACK_F_TRIGGER_ID, NULL},
    {NULL, -1, NULL},
};
static const struct jsonpick_slot debug_slots[] = {
    {"approximate_connection_time", SLACK_F_APPROX_SECS, NULL},
    {NULL, -1, NULL},
};
static const struct jsonpick_slot frame_slots[] = {
    {"type", SLACK_F_TYPE, NULL},
    {"envelope_id", SLACK_F_ENVELOPE_ID, NULL},
    {"reason", SLACK_F_REASON, NULL},
    {"retry_attempt", SLACK_F_RETRY_ATTEMPT, NULL},
    {"num_connections", SLACK_F_NUM_CONNECTIONS, NULL},
    {"accepts_response_payload", SLACK_F_ACCEPTS_PAYLOAD, NULL},
    {"debug_info", -1, debug_slots},
    {"payload", -1, payload_slots},
    {NULL, -1, NULL},
};

void
slack_frame_cleanup(struct slack_frame *f)
{
    free(f->store);
    json_decref(f->root);
    memset(f, 0, sizeof(*f));
}

enum bot_err
slack_frame_read(const char *buf, size_t len, struct slack_frame *f)
{
    size_t size = 1;
    char *at;

    memset(f, 0, sizeof(*f));
    if (len > SLACK_MAX_FRAME)
        return BOT_ELIMIT;
    if (!jsonpick_spans(buf, len, frame_slots, f->v, SLACK_F_N)) {
        /* What the picker does not vouch for, jansson reads (jsonpick.h). */
        f->root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, NULL);
        if (!json_is_object(f->root))
            return BOT_EPARSE;
        jsonpick_spans_tree(f->root, frame_slots, f->v, SLACK_F_N);
        return BOT_OK;
    }
    /* The strings, decoded and NUL-terminated, in one allocation. */
    for (size_t i = 0; i < SLACK_F_N; i++) {
        if (f->v[i].type == 's')
            size += f->v[i].len + 1;
    }
    at = f->store = xmalloc(size);
    for (size_t i = 0; i < SLACK_F_N; i++) {
        struct jsonpick_span *v = &f->v[i];

        if (v->type != 's')
            continue;
        if (v->esc) {
            v->len = jsonpick_unescape(v->s, v->len, at, SIZE_MAX, NULL);
            v->esc = false;
        } else {
            memcpy(at, v->s, v->len);
        }
        at[v->len] = '\0';
        v->s = at;
        at += v->len + 1;
    }
    return BOT_OK;
}

enum bot_err
slack_envelope_parse(const char *buf, size_t len, struct slack_envelope *env)
{
    struct slack_frame f;
    enum bot_err err = slack_frame_read(buf, len, &f);

    memset(env, 0, sizeof(*env));
    if (err == BOT_OK)
        err = slack_envelope_from_frame(&f, env);
    slack_frame_cleanup(&f);
    return err;
}

static void
add_decoded(struct buf *b, const char *s, size_t len)
{
    static const struct {
        const char *ent;
        char c;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}};
    size_t i = 0;

    while (i < len) {
        bool done = false;
        const char *amp = memchr(s + i, '&', len - i);

        /* The run up to the next '&' in one copy. */
        if (amp != s + i) {
            size_t run = amp != NULL ? (size_t)(amp - (s + i)) : len - i;

            (void)buf_add(b, s + i, run);
            i += run;
            continue;
        }
        if (s[i] == '&') {
            for (size_t k = 0; k < 3 && !done; k++) {
                size_t n = strlen(ents[k].ent);

                if (len - i >= n && memcmp(s + i, ents[k].ent, n) == 0) {
                    (void)buf_add(b, &ents[k].c, 1);
                    i += n;
                    done = true;
                }
            }
        }
        if (!done)
            (void)buf_add(b, s + i++, 1);
    }
}

char *
slack_text_clean(const char *text)
{
    struct buf b;
    const char *p = text, *start, *end;
    char *out;
    size_t n;

    buf_init(&b, strlen(text) + 1);
    while (*p) {
        const char *lt = strchr(p, '<'), *gt, *bar;

        if (lt == NULL || (gt = strchr(lt, '>')) == NULL) {
            add_decoded(&b, p, strlen(p));
            break;
        }
        add_decoded(&b, p, (size_t)(lt - p));
        bar = memchr(lt, '|', (size_t)(gt - lt));
        if (lt[1] == '@' || (lt[1] == '!' && strncmp(lt + 1, "!date^", 6) != 0)) {
            /* mentions and <!here>-style specials never reach the question */
        } else if (lt[1] == '#') {
            if (bar != NULL) {
                (void)buf_add(&b, "#", 1);
                add_decoded(&b, bar + 1, (size_t)(gt - bar - 1));
            }
        } else if (bar != NULL) {
            add_decoded(&b, bar + 1, (size_t)(gt - bar - 1)); /* link or date label */
        } else if (lt[1] != '!') {
            add_decoded(&b, lt + 1, (size_t)(gt - lt - 1)); /* bare link */
        }
        p = gt + 1;
    }
    start = buf_str(&b);
    while (*start == ' ' || *start == '\t' || *start == '\n' || *start == '\r')
        start++;
    end = start + strlen(start);
    while (end > start &&
           (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        end--;
    n = (size_t)(end - start);
    out = xstrndup(start, n);
    buf_cleanup(&b);
    return out;
}

static bool
command_known(const struct slack *sl, const char *command)
{
    if (sl == NULL)
        return true;
    for (size_t i = 0; i < sl->nslash; i++) {
        if (strcmp(sl->slash[i], command) == 0)
            return true;
    }
    return false;
}

static enum bot_err
event_from_command(struct slack *sl, const struct slack_frame *f, struct chat_event *ev,
                   const char **why)
{
    const char *command = slack_frame_str(f, SLACK_F_COMMAND),
               *text = slack_frame_str(f, SLACK_F_CMD_TEXT);
    const char *channel = slack_frame_str(f, SLACK_F_CHANNEL_ID),
               *user = slack_frame_str(f, SLACK_F_USER_ID);
    const char *url = slack_frame_str(f, SLACK_F_RESPONSE_URL),
               *env_id = slack_frame_str(f, SLACK_F_ENVELOPE_ID);
    const char *trigger;

    if (command == NULL || channel == NULL || user == NULL || url == NULL ||
        env_id == NULL)
        return BOT_EPARSE;
    if (!command_known(sl, command)) {
        *why = "a slash command that is not ours";
        return BOT_EIGNORE;
    }
    ev->platform = xstrdup("slack");
    ev->workspace = xstrdup_or_null(slack_frame_str(f, SLACK_F_TEAM_ID));
    ev->channel = xstrdup(channel);
    ev->user = xstrdup(user);
    ev->text = slack_text_clean(text != NULL ? text : "");
    if (ev->text[0] == '\0') {
        /* "/values" alone asks about values: the command's name is the question. */
        free(ev->text);
        ev->text = xstrdup(command[0] == '/' ? command + 1 : command);
    }
    /* A redelivered command comes in a new envelope; its trigger_id is the
     * invocation's own id, so it is the de-duplication key when present. */
    trigger = slack_frame_str(f, SLACK_F_TRIGGER_ID);
    ev->event_id = trigger != NULL && trigger[0] != '\0'
                       ? xasprintf("command:%s", trigger)
                       : xasprintf("envelope:%s", env_id);
    ev->reply_url = xstrdup(url);
    ev->is_command = true;
    ev->is_dm = channel[0] == 'D';
    return BOT_OK;
}

/*
 * The message subtypes Slack documents (docs.slack.dev/reference/events/message),
 * sorted by name.  A person's own words come with no subtype or with one of
 * those marked human (a file with its comment, a thread reply also sent to
 * the conversation, a /me line); every other one is a system notice, a bot's
 * post, an edit or a deletion.  A subtype not listed is ignored too: Slack
 * adds system notices more often than ways for a person to write.
 */
static const struct slack_subtype {
    const char *name;
    bool human;
} slack_subtypes[] = {
    {"assistant_app_thread", false},
    {"bot_add", false},
    {"bot_message", false},
    {"bot_remove", false},
    {"channel_archive", false},
    {"channel_canvas_updated", false},
    {"channel_convert_to_private", false},
    {"channel_convert_to_public", false},
    {"channel_join", false},
    {"channel_leave", false},
    {"channel_name", false},
    {"channel_posting_permissions", false},
    {"channel_purpose", false},
    {"channel_topic", false},
    {"channel_unarchive", false},
    {"ekm_access_denied", false},
    {"file_comment", false},
    {"file_mention", false},
    {"file_share", true},
    {"group_archive", false},
    {"group_join", false},
    {"group_leave", false},
    {"group_name", false},
    {"group_purpose", false},
    {"group_topic", false},
    {"group_unarchive", false},
    {"huddle_thread", false},
    {"joiner_notification", false},
    {"me_message", true},
    {"message_changed", false},
    {"message_deleted", false},
    {"message_replied", false},
    {"pinned_item", false},
    {"reminder_add", false},
    {"slackbot_response", false},
    {"thread_broadcast", true},
    {"tombstone", false},
    {"unpinned_item", false},
};

static int
subtype_cmp(const void *key, const void *elt)
{
    return strcmp(key, ((const struct slack_subtype *)elt)->name);
}

bool
slack_subtype_is_human(const char *subtype, bool *known)
{
    const struct slack_subtype *st;

    if (subtype == NULL) {
        if (known != NULL)
            *known = true;
        return true;
    }
    st = bsearch(subtype, slack_subtypes,
                 sizeof(slack_subtypes) / sizeof(slack_subtypes[0]),
                 sizeof(slack_subtypes[0]), subtype_cmp);
    if (known != NULL)
        *known = st != NULL;
    return st != NULL && st->human;
}

static enum bot_err
event_from_events_api(struct slack *sl, const struct slack_frame *f,
                      struct chat_event *ev, const char **why)
{
    const char *etype = slack_frame_str(f, SLACK_F_E_TYPE),
               *text = slack_frame_str(f, SLACK_F_E_TEXT),
               *user = slack_frame_str(f, SLACK_F_E_USER);
    const char *channel = slack_frame_str(f, SLACK_F_E_CHANNEL),
               *ts = slack_frame_str(f, SLACK_F_E_TS);
    const char *thread_ts = slack_frame_str(f, SLACK_F_E_THREAD_TS),
               *ctype = slack_frame_str(f, SLACK_F_E_CHANNEL_TYPE);
    const char *bot_id = slack_frame_str(f, SLACK_F_E_BOT_ID),
               *event_id = slack_frame_str(f, SLACK_F_EVENT_ID);
    const char *team = slack_frame_str(f, SLACK_F_TEAM_ID);
    char subtype = f->v[SLACK_F_E_SUBTYPE].type;
    bool mention, dm, known;

    if (f->v[SLACK_F_EVENT].type != 'o' || etype == NULL)
        return BOT_EPARSE;
    mention = strcmp(etype, "app_mention") == 0;
    dm = strcmp(etype, "message") == 0 &&
         ((ctype != NULL && strcmp(ctype, "im") == 0) ||
          (ctype == NULL && channel != NULL && channel[0] == 'D'));
    /* Channel messages come as app_mention when they are for us; answering
     * plain "message" events too would answer mentions twice. */
    if (!mention && !dm) {
        *why = strcmp(etype, "message") == 0 ? "a message outside a DM (mentions come "
                                               "as app_mention)"
                                             : "not a message for the bot";
        return BOT_EIGNORE;
    }
    if (subtype != 0 && subtype != 'n') {
        if (subtype != 's')
            return BOT_EPARSE;
        if (!slack_subtype_is_human(slack_frame_str(f, SLACK_F_E_SUBTYPE), &known)) {
            *why = known ? "a system, bot, edit or deletion subtype"
                         : "a subtype Slack does not document as a person's message";
            return BOT_EIGNORE;
        }
    }
    /* Our own replies come back as message events; answering them would loop. */
    if (bot_id != NULL || f->v[SLACK_F_E_BOT_PROFILE].type != 0) {
        *why = "posted by a bot";
        return BOT_EIGNORE;
    }
    if (sl != NULL && sl->self_user != NULL && user != NULL &&
        strcmp(user, sl->self_user) == 0) {
        *why = "our own message";
        return BOT_EIGNORE;
    }
    if (text == NULL || user == NULL || channel == NULL || ts == NULL)
        return BOT_EPARSE;
    /* Reply in the thread of the mention; a DM is answered in the DM, in its
     * thread only if the question was asked in one.  The ids in one
     * allocation (chat_event_set_ids()). */
    {
        const char *thread = thread_ts != NULL ? thread_ts : mention ? ts : NULL;
        char *id = event_id != NULL ? NULL : xasprintf("msg:%s/%s", channel, ts);

        chat_event_set_ids(
            ev, "slack", team != NULL ? team : slack_frame_str(f, SLACK_F_E_TEAM),
            channel, thread, user, ts, "", event_id != NULL ? event_id : id);
        free(id);
    }
    ev->text = slack_text_clean(text);
    ev->is_dm = dm;
    return BOT_OK;
}

/* Sets *@why (out) to the reason when the result is BOT_EIGNORE. */
enum bot_err
slack_event_from_frame(struct slack *sl, const struct slack_frame *f,
                       struct chat_event *ev, const char **why)
{
    const char *type = slack_frame_str(f, SLACK_F_TYPE);
    enum bot_err err;

    memset(ev, 0, sizeof(*ev));
    *why = "not a user message";
    if (type == NULL)
        return BOT_EPARSE;
    if (strcmp(type, "events_api") == 0)
        err = event_from_events_api(sl, f, ev, why);
    else if (strcmp(type, "slash_commands") == 0)
        err = event_from_command(sl, f, ev, why);
    else
        err = BOT_EIGNORE; /* hello, disconnect, interactive: no user message */
    if (err != BOT_OK)
        chat_event_cleanup(ev);
    return err;
}

enum bot_err
slack_parse(struct adapter *ad, const char *buf, size_t len, struct chat_event *ev)
{
    struct slack_frame f;
    const char *why;
    enum bot_err err;

    memset(ev, 0, sizeof(*ev));
    if ((err = slack_frame_read(buf, len, &f)) == BOT_OK)
        err = slack_event_from_frame(ad->priv, &f, ev, &why);
    slack_frame_cleanup(&f);
    return err;
}
