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

static long
jlong(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    if (!json_is_integer(v))
        return 0;
    if (json_integer_value(v) > LONG_MAX || json_integer_value(v) < 0)
        return 0;
    return (long)json_integer_value(v);
}

enum bot_err
slack_envelope_from_json(const json_t *root, struct slack_envelope *env)
{
    const char *type = adapter_jstr(root, "type");

    memset(env, 0, sizeof(*env));
    if (type == NULL)
        return BOT_EPARSE;
    env->type = xstrdup(type);
    env->envelope_id = xstrdup_or_null(adapter_jstr(root, "envelope_id"));
    env->reason = xstrdup_or_null(adapter_jstr(root, "reason"));
    env->retry_attempt = jlong(root, "retry_attempt");
    env->approx_secs =
        jlong(json_object_get(root, "debug_info"), "approximate_connection_time");
    env->num_connections = jlong(root, "num_connections");
    env->accepts_payload =
        json_is_true(json_object_get(root, "accepts_response_payload"));
    return BOT_OK;
}

/*
 * What the adapter reads of a frame (slack_envelope_from_json(),
 * slack_event_from_json(), log_ignored()); a new field read there must be
 * named here too.  The rest of the frame (blocks, authorisations, context)
 * is checked but not kept.
 */
static const struct jsonpick_key event_keys[] = {
    {"type", NULL},        {"text", NULL},      {"user", NULL},         {"channel", NULL},
    {"ts", NULL},          {"thread_ts", NULL}, {"channel_type", NULL}, {"bot_id", NULL},
    {"bot_profile", NULL}, {"subtype", NULL},   {"team", NULL},         {NULL, NULL},
};
static const struct jsonpick_key payload_keys[] = {
    {"event", event_keys}, {"event_id", NULL},     {"team_id", NULL},
    {"command", NULL},     {"text", NULL},         {"channel_id", NULL},
    {"user_id", NULL},     {"response_url", NULL}, {"trigger_id", NULL},
    {NULL, NULL},
};
static const struct jsonpick_key debug_keys[] = {
    {"approximate_connection_time", NULL},
    {NULL, NULL},
};
static const struct jsonpick_key frame_keys[] = {
    {"type", NULL},
    {"envelope_id", NULL},
    {"reason", NULL},
    {"retry_attempt", NULL},
    {"num_connections", NULL},
    {"accepts_response_payload", NULL},
    {"debug_info", debug_keys},
    {"payload", payload_keys},
    {NULL, NULL},
};

json_t *
slack_load_frame(const char *buf, size_t len, enum bot_err *err)
{
    json_error_t jerr;
    json_t *root;

    if (len > SLACK_MAX_FRAME) {
        *err = BOT_ELIMIT;
        return NULL;
    }
    /* The members read, picked out; jansson parses what the picker leaves to it. */
    if ((root = jsonpick_load(buf, len, frame_keys)) != NULL) {
        *err = BOT_OK;
        return root;
    }
    root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL || !json_is_object(root)) {
        json_decref(root);
        *err = BOT_EPARSE;
        return NULL;
    }
    *err = BOT_OK;
    return root;
}

enum bot_err
slack_envelope_parse(const char *buf, size_t len, struct slack_envelope *env)
{
    enum bot_err err;
    json_t *root = slack_load_frame(buf, len, &err);

    memset(env, 0, sizeof(*env));
    if (root == NULL)
        return err;
    err = slack_envelope_from_json(root, env);
    json_decref(root);
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
event_from_command(struct slack *sl, const json_t *root, struct chat_event *ev,
                   const char **why)
{
    const json_t *pl = json_object_get(root, "payload");
    const char *command = adapter_jstr(pl, "command"), *text = adapter_jstr(pl, "text");
    const char *channel = adapter_jstr(pl, "channel_id"),
               *user = adapter_jstr(pl, "user_id");
    const char *url = adapter_jstr(pl, "response_url"),
               *env_id = adapter_jstr(root, "envelope_id");
    const char *trigger;

    if (command == NULL || channel == NULL || user == NULL || url == NULL ||
        env_id == NULL)
        return BOT_EPARSE;
    if (!command_known(sl, command)) {
        *why = "a slash command that is not ours";
        return BOT_EIGNORE;
    }
    ev->platform = xstrdup("slack");
    ev->workspace = xstrdup_or_null(adapter_jstr(pl, "team_id"));
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
    trigger = adapter_jstr(pl, "trigger_id");
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
event_from_events_api(struct slack *sl, const json_t *root, struct chat_event *ev,
                      const char **why)
{
    const json_t *pl = json_object_get(root, "payload");
    const json_t *e = json_object_get(pl, "event");
    const char *etype = adapter_jstr(e, "type"), *text = adapter_jstr(e, "text"),
               *user = adapter_jstr(e, "user");
    const char *channel = adapter_jstr(e, "channel"), *ts = adapter_jstr(e, "ts");
    const char *thread_ts = adapter_jstr(e, "thread_ts"),
               *ctype = adapter_jstr(e, "channel_type");
    const char *bot_id = adapter_jstr(e, "bot_id"),
               *event_id = adapter_jstr(pl, "event_id");
    const char *team = adapter_jstr(pl, "team_id");
    const json_t *subtype = json_object_get(e, "subtype");
    bool mention, dm, known;

    if (!json_is_object(e) || etype == NULL)
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
    if (subtype != NULL && !json_is_null(subtype)) {
        if (!json_is_string(subtype))
            return BOT_EPARSE;
        if (!slack_subtype_is_human(json_string_value(subtype), &known)) {
            *why = known ? "a system, bot, edit or deletion subtype"
                         : "a subtype Slack does not document as a person's message";
            return BOT_EIGNORE;
        }
    }
    /* Our own replies come back as message events; answering them would loop. */
    if (bot_id != NULL || json_object_get(e, "bot_profile") != NULL) {
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
    ev->platform = xstrdup("slack");
    ev->workspace = xstrdup_or_null(team != NULL ? team : adapter_jstr(e, "team"));
    ev->channel = xstrdup(channel);
    ev->user = xstrdup(user);
    ev->text = slack_text_clean(text);
    ev->msg_id = xstrdup(ts);
    /* Reply in the thread of the mention; a DM is answered in the DM, in its
     * thread only if the question was asked in one. */
    if (thread_ts != NULL)
        ev->thread = xstrdup(thread_ts);
    else if (mention)
        ev->thread = xstrdup(ts);
    ev->event_id =
        event_id != NULL ? xstrdup(event_id) : xasprintf("msg:%s/%s", channel, ts);
    ev->is_dm = dm;
    return BOT_OK;
}

/* Sets *@why (out) to the reason when the result is BOT_EIGNORE. */
enum bot_err
slack_event_from_json(struct slack *sl, const json_t *root, struct chat_event *ev,
                      const char **why)
{
    const char *type = adapter_jstr(root, "type");
    enum bot_err err;

    memset(ev, 0, sizeof(*ev));
    *why = "not a user message";
    if (type == NULL)
        return BOT_EPARSE;
    if (strcmp(type, "events_api") == 0)
        err = event_from_events_api(sl, root, ev, why);
    else if (strcmp(type, "slash_commands") == 0)
        err = event_from_command(sl, root, ev, why);
    else
        err = BOT_EIGNORE; /* hello, disconnect, interactive: no user message */
    if (err != BOT_OK)
        chat_event_cleanup(ev);
    return err;
}

enum bot_err
slack_parse(struct adapter *ad, const char *buf, size_t len, struct chat_event *ev)
{
    const char *why;
    enum bot_err err;
    json_t *root;

    memset(ev, 0, sizeof(*ev));
    root = slack_load_frame(buf, len, &err);
    if (root == NULL)
        return err;
    err = slack_event_from_json(ad->priv, root, ev, &why);
    json_decref(root);
    return err;
}
