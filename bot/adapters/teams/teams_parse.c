/*
 * teams_parse.c - Bot Framework activities into chat_events.
 */
#include "bot/adapters/teams/tm_priv.h"
#include "bot/base/utf8.h"

/* ---- Parsing ---------------------------------------------------------- */

/* Removes every occurrence of @what from @s, in place. */
static void
remove_all(char *s, const char *what)
{
    size_t n = strlen(what);
    char *p;

    if (n == 0)
        return;
    while ((p = strstr(s, what)) != NULL)
        memmove(p, p + n, strlen(p + n) + 1);
}

static const struct {
    const char *name;
    const char *utf8;
} entities[] = {{"nbsp", " "}, {"amp", "&"},   {"lt", "<"},
                {"gt", ">"},   {"quot", "\""}, {"apos", "'"}};

/* Appends the character @cp as UTF-8 (nothing for invalid code points). */
static void
put_cp(struct buf *b, unsigned long cp)
{
    char u[4];

    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return;
    (void)buf_add(b, u, utf8_put(u, cp));
}

/* Decodes the entity at @p ('&'); returns the bytes read, 0 when it is none. */
static size_t
entity(struct buf *b, const char *p)
{
    const char *semi = strchr(p, ';');
    size_t n;

    if (semi == NULL || (n = (size_t)(semi - p)) < 2 || n > 10)
        return 0;
    if (p[1] == '#') {
        char *end;
        unsigned long cp = p[2] == 'x' || p[2] == 'X' ? strtoul(p + 3, &end, 16)
                                                      : strtoul(p + 2, &end, 10);

        if (end != semi || end == p + 2 || cp == 0 || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        put_cp(b, cp);
        return n + 1;
    }
    for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++) {
        if (strlen(entities[i].name) == n - 1 &&
            strncmp(p + 1, entities[i].name, n - 1) == 0) {
            (void)buf_adds(b, entities[i].utf8);
            return n + 1;
        }
    }
    return 0;
}

/* The length of the tag at @p ('<'), or 0 when it is a plain '<'. */
static size_t
tag_len(const char *p)
{
    const char *q = p + 1;

    if (*q == '/')
        q++;
    if (!isalpha((unsigned char)*q))
        return 0;
    for (; *q != '\0' && *q != '<'; q++) {
        if (*q == '>')
            return (size_t)(q - p) + 1;
    }
    return 0;
}

char *
teams_text_clean(const char *text, const void *ents, const char *bot_id)
{
    const json_t *arr = ents;
    char *s = xstrdup(text != NULL ? text : ""), *out;
    const json_t *e;
    struct buf b;
    size_t i, n;
    bool space;

    if (json_is_array(arr)) {
        json_array_foreach(arr, i, e)
        {
            const char *type = adapter_jstr(e, "type"), *t = adapter_jstr(e, "text");
            const char *id = adapter_jstr(json_object_get(e, "mentioned"), "id");

            if (type != NULL && strcmp(type, "mention") == 0 && t != NULL && id != NULL &&
                bot_id != NULL && strcmp(id, bot_id) == 0)
                remove_all(s, t);
        }
    }
    buf_init(&b, strlen(s) * 4 + 16);
    for (const char *p = s; *p != '\0';) {
        if (*p == '<' && (n = tag_len(p)) > 0) {
            /* Tags go; "<at>X</at>" leaves X, block tags a space. */
            if (b.len > 0 && b.data[b.len - 1] != ' ' && strncasecmp(p, "<at", 3) != 0 &&
                strncasecmp(p, "</at", 4) != 0)
                (void)buf_add(&b, " ", 1);
            p += n;
            continue;
        }
        if (*p == '&' && (n = entity(&b, p)) > 0) {
            p += n;
            continue;
        }
        (void)buf_add(&b, p, 1);
        p++;
    }
    free(s);
    /* Collapse white space (also the &nbsp; just decoded) and trim. */
    s = buf_take(&b);
    out = xmalloc(strlen(s) + 1);
    n = 0;
    space = true;
    for (const char *p = s; *p != '\0'; p++) {
        if (isspace((unsigned char)*p) || (unsigned char)*p < 0x20) {
            space = true;
            continue;
        }
        if (space && n > 0)
            out[n++] = ' ';
        space = false;
        out[n++] = *p;
    }
    out[n] = '\0';
    free(s);
    return out;
}

char *
teams_conv_base(const char *conv)
{
    const char *p = strstr(conv, ";messageid=");

    return p != NULL ? xstrndup(conv, (size_t)(p - conv)) : xstrdup(conv);
}

const char *
tm_tenant_of(const json_t *root)
{
    const char *t = adapter_jstr(
        json_object_get(json_object_get(root, "channelData"), "tenant"), "id");

    return t != NULL ? t
                     : adapter_jstr(json_object_get(root, "conversation"), "tenantId");
}

static bool
members_have(const json_t *arr, const char *id)
{
    size_t i;
    const json_t *m;

    json_array_foreach(arr, i, m)
    {
        const char *mid = adapter_jstr(m, "id");

        if (mid != NULL && strcmp(mid, id) == 0)
            return true;
    }
    return false;
}

enum bot_err
tm_activity_from_json(const char *bot_id, const json_t *root, struct chat_event *ev,
                      enum teams_kind *kind)
{
    const char *type = adapter_jstr(root, "type"), *id = adapter_jstr(root, "id");
    const json_t *conv = json_object_get(root, "conversation");
    const json_t *from = json_object_get(root, "from");
    const json_t *cd = json_object_get(root, "channelData");
    const char *conv_id = adapter_jstr(conv, "id"), *from_id = adapter_jstr(from, "id");
    const char *ctype = adapter_jstr(conv, "conversationType");
    char *base;

    *kind = TEAMS_IGNORED;
    if (type == NULL || conv_id == NULL || *conv_id == '\0')
        return BOT_EPARSE;
    if (strcmp(type, "conversationUpdate") == 0) {
        if (members_have(json_object_get(root, "membersAdded"), bot_id))
            *kind = TEAMS_WELCOME;
        return BOT_EIGNORE;
    }
    if (strcmp(type, "installationUpdate") == 0) {
        *kind = TEAMS_INSTALL;
        return BOT_EIGNORE;
    }
    if (strcmp(type, "message") != 0 || id == NULL || *id == '\0' || from_id == NULL)
        return BOT_EIGNORE; /* edits, deletes, typing, reactions, invokes, events */
    base = teams_conv_base(conv_id);
    ev->platform = xstrdup("teams");
    ev->workspace = xstrdup_or_null(adapter_jstr(json_object_get(cd, "team"), "id"));
    ev->channel = base;
    ev->thread = strcmp(base, conv_id) != 0 ? xstrdup(conv_id) : NULL;
    ev->user = xstrdup(from_id);
    ev->text = teams_text_clean(adapter_jstr(root, "text"),
                                json_object_get(root, "entities"), bot_id);
    ev->event_id = xasprintf("teams:%s:%s", base, id);
    ev->msg_id = xstrdup(id);
    ev->is_dm = ctype != NULL && strcmp(ctype, "personal") == 0;
    ev->from_self = strcmp(from_id, bot_id) == 0;
    ev->from_bot = strncmp(from_id, "28:", 3) == 0;
    *kind = TEAMS_MESSAGE;
    return BOT_OK;
}

enum bot_err
teams_activity_parse(const char *bot_id, const char *buf, size_t len,
                     struct chat_event *ev, enum teams_kind *kind)
{
    json_t *root;
    enum bot_err err;

    memset(ev, 0, sizeof(*ev));
    *kind = TEAMS_IGNORED;
    if (len > TEAMS_MAX_BODY)
        return BOT_ELIMIT;
    root = json_loadb(buf, len, 0, NULL);
    if (!json_is_object(root)) {
        json_decref(root);
        return BOT_EPARSE;
    }
    err = tm_activity_from_json(bot_id, root, ev, kind);
    json_decref(root);
    if (err != BOT_OK)
        chat_event_cleanup(ev);
    return err;
}
