/*
 * teams.c - Microsoft Teams through the Bot Framework (protocols.md 4b).
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
 * activity's serviceUrl, through the shared posting queue (adapter_int.h):
 * 429 waits for Retry-After and holds every post, 412 is retried, 5xx and
 * transport errors a few times, a 401 once after a fresh token.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "bot/adapters/adapter.h"
#include "bot/adapters/adapter_int.h"
#include "bot/adapters/teams_int.h"
#include "bot/base/buf.h"
#include "bot/base/log.h"
#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/chat_event.h"
#include "bot/net/backoff.h"
#include "bot/net/http.h"
#include "bot/net/httpd.h"
#include "bot/net/jwt.h"
#include "bot/net/loop.h"

#define TEAMS_MAX_POSTING   8      /* connector requests open at once */
#define TEAMS_POST_DEADLINE 120000 /* ms a reply may keep trying */
#define TEAMS_MAX_5XX       3      /* ambiguous failures retried at most */
#define TEAMS_MAX_HELD      1024   /* requests waiting for signing keys */
#define TEAMS_MAX_REFS      4096   /* conversations remembered */
#define TEAMS_KEYS_SECS     86400  /* key refresh */
#define TEAMS_KID_FLOOR_MS  5000   /* refreshes on an unknown kid, at most one per */
#define TEAMS_TOKEN_EARLY   300    /* s before expiry a token is renewed */
#define TEAMS_API_PATH      "/api/messages"

/* A POST waiting for the signing keys. */
struct tm_held {
    struct tm_held *next;
    struct net_httpd_req *req;
    char *auth; /* owned secret */
    char *body; /* owned */
    size_t len;
};

/* Where a conversation is reached: the latest serviceUrl seen in it. */
struct tm_ref {
    char *conv;    /* owned: conversation id without ;messageid */
    char *service; /* owned */
    char *tenant;  /* owned, or NULL */
};

struct teams;

struct tm_post {
    struct outbox_post ob; /* first: the outbox posts it */
    char *service;         /* owned: serviceUrl */
    char *conv;            /* owned: conversation to post in, NULL until created (dm) */
    char *reply_to;        /* owned: activity id, or NULL */
    char *dm_user;         /* owned: create a 1:1 conversation with this user first */
    char *tenant;          /* owned, or NULL */
    struct reply body;     /* owned */
    unsigned ambiguous;    /* failures after which it may have landed */
    bool reauthed;
};

enum tm_state { TM_IDLE, TM_RUN, TM_STOPPING, TM_CLOSED };

struct teams {
    struct adapter *ad;
    enum tm_state state;
    char *app_id, *bot_id; /* owned: "<guid>", "28:<guid>" */
    char *password;        /* owned secret */
    char *tenant;          /* owned or NULL */
    char *openid_url, *token_url, *allowed, *ca_file;
    /* Signing keys. */
    struct jwt_keyset *keys;
    struct http_call *keys_call;
    bool keys_jwks;      /* keys_call is the JWKS (else the metadata) */
    uint64_t keys_tried; /* loop ms of the last fetch started */
    unsigned keys_secs, kid_floor_ms;
    struct net_timer *keys_timer;
    struct tm_held *held, **held_tail; /* oldest first */
    size_t nheld;
    /* The bot's own token. */
    char *access; /* owned secret: "Bearer ..." */
    uint64_t access_until;
    struct http_call *token_call;
    uint64_t token_retry_at;
    struct backoff token_bo;
    /* Replies. */
    struct outbox outbox; /* the replies being posted */
    /* The activity being delivered, for its reply. */
    const char *cur_event, *cur_service, *cur_conv, *cur_id, *cur_tenant;
    bool cur_personal;
    struct tm_ref *refs;
    size_t nrefs;
    bool routed;
    char problem[160];
};

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
    if (cp < 0x80) {
        u[0] = (char)cp;
        (void)buf_add(b, u, 1);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        (void)buf_add(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        (void)buf_add(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        (void)buf_add(b, u, 4);
    }
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

static const char *
tenant_of(const json_t *root)
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

static enum bot_err
activity_from_json(const char *bot_id, const json_t *root, struct chat_event *ev,
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
    err = activity_from_json(bot_id, root, ev, kind);
    json_decref(root);
    if (err != BOT_OK)
        chat_event_cleanup(ev);
    return err;
}

/* ---- Rendering -------------------------------------------------------- */

/* Appends @s with '<' and '>' made harmless (full-width look-alikes): text
 * from the KB or the user never becomes <at> markup or HTML. */
static void
put_text(struct buf *b, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '<')
            (void)buf_adds(b, "\xef\xbc\x9c");
        else if (*s == '>')
            (void)buf_adds(b, "\xef\xbc\x9e");
        else
            (void)buf_add(b, s, 1);
    }
}

static char *
block_text(const struct reply_block *bl, bool md)
{
    struct buf b;

    buf_init(&b, SIZE_MAX);
    switch (bl->kind) {
    case REPLY_HEADING:
        (void)buf_adds(&b, md ? "**" : "");
        put_text(&b, bl->text);
        (void)buf_adds(&b, md ? "**" : "");
        break;
    case REPLY_ITEM:
    case REPLY_SUBITEM:
        (void)buf_adds(&b, bl->kind == REPLY_SUBITEM ? "    - " : "- ");
        if (bl->label != NULL) {
            (void)buf_adds(&b, "**");
            put_text(&b, bl->label);
            (void)buf_adds(&b, "**");
            (void)buf_adds(&b, bl->text[0] != '\0' ? ": " : "");
        }
        put_text(&b, bl->text);
        break;
    case REPLY_QUOTE:
        (void)buf_adds(&b, md ? "> " : "");
        put_text(&b, bl->text);
        break;
    case REPLY_SOURCE:
        (void)buf_adds(&b, md ? "_" : "");
        put_text(&b, bl->text);
        (void)buf_adds(&b, md ? "_" : "");
        break;
    case REPLY_PARA:
        put_text(&b, bl->text);
        break;
    }
    return buf_take(&b);
}

/* The reply as Teams markdown: the text-only message and the card's fallback. */
static char *
render_markdown(const struct reply *r, size_t max)
{
    struct buf b;

    buf_init(&b, SIZE_MAX);
    for (size_t i = 0; i < r->n; i++) {
        char *t = block_text(&r->blocks[i], true);
        bool item = r->blocks[i].kind == REPLY_ITEM || r->blocks[i].kind == REPLY_SUBITEM;
        bool prev_item = i > 0 && (r->blocks[i - 1].kind == REPLY_ITEM ||
                                   r->blocks[i - 1].kind == REPLY_SUBITEM);

        if (i > 0)
            (void)buf_adds(&b, item && prev_item ? "\n" : "\n\n");
        (void)buf_adds(&b, t);
        free(t);
    }
    if (b.len > max) { /* cut at a character boundary */
        size_t n = max;

        while (n > 0 && ((unsigned char)b.data[n] & 0xC0) == 0x80)
            n--;
        b.data[n] = '\0';
        b.len = n;
    }
    return buf_take(&b);
}

static json_t *
card_of(const struct reply *r)
{
    json_t *body = json_array();

    for (size_t i = 0; i < r->n; i++) {
        const struct reply_block *bl = &r->blocks[i];
        char *t = block_text(bl, bl->kind != REPLY_HEADING && bl->kind != REPLY_QUOTE &&
                                     bl->kind != REPLY_SOURCE);
        json_t *tb =
            json_pack("{s:s, s:s, s:b}", "type", "TextBlock", "text", t, "wrap", 1);

        free(t);
        if (bl->kind == REPLY_HEADING) {
            json_object_set_new(tb, "weight", json_string("Bolder"));
            json_object_set_new(tb, "size", json_string("Medium"));
        } else if (bl->kind == REPLY_SOURCE) {
            json_object_set_new(tb, "isSubtle", json_true());
            json_object_set_new(tb, "size", json_string("Small"));
        } else if (bl->kind == REPLY_ITEM || bl->kind == REPLY_SUBITEM) {
            json_object_set_new(tb, "spacing", json_string("None"));
        }
        if (bl->kind == REPLY_QUOTE)
            tb = json_pack("{s:s, s:s, s:[o]}", "type", "Container", "style", "emphasis",
                           "items", tb);
        json_array_append_new(body, tb);
    }
    return json_pack("{s:s, s:s, s:s, s:o}", "$schema",
                     "http://adaptivecards.io/schemas/adaptive-card.json", "type",
                     "AdaptiveCard", "version", "1.2", "body", body);
}

/* The notification line: the first line of @md, at most 200 bytes, whole characters. */
static json_t *
summary_of(const char *md)
{
    size_t n = strcspn(md, "\n");

    if (n > 200) {
        n = 200;
        while (n > 0 && ((unsigned char)md[n] & 0xC0) == 0x80)
            n--;
    }
    return json_stringn(md, n);
}

char *
teams_render(const struct reply *r, const char *from_id, const char *conv_id,
             const char *reply_to)
{
    char *md = render_markdown(r, TEAMS_TEXT_MAX), *out, *card;
    json_t *act = json_pack("{s:s, s:s, s:s}", "type", "message", "textFormat",
                            "markdown", "text", md);
    json_t *c = card_of(r);

    if (from_id != NULL)
        json_object_set_new(act, "from",
                            json_pack("{s:s, s:s}", "id", from_id, "name", "valuesbot"));
    if (conv_id != NULL)
        json_object_set_new(act, "conversation", json_pack("{s:s}", "id", conv_id));
    if (reply_to != NULL)
        json_object_set_new(act, "replyToId", json_string(reply_to));
    card = json_dumps(c, JSON_COMPACT);
    if (card != NULL && strlen(card) + strlen(md) < TEAMS_CARD_MAX) {
        /* The card for the reader, the text for notifications and old clients. */
        json_object_set_new(c, "fallbackText", json_string(md));
        json_object_set_new(act, "summary", summary_of(md));
        json_object_set_new(act, "attachments",
                            json_pack("[{s:s, s:O}]", "contentType",
                                      "application/vnd.microsoft.card.adaptive",
                                      "content", c));
        json_object_set_new(act, "text", json_string(""));
    }
    free(card);
    json_decref(c);
    out = json_dumps(act, JSON_COMPACT);
    json_decref(act);
    free(md);
    return out != NULL ? out : xstrdup("{\"type\":\"message\",\"text\":\"\"}");
}

bool
teams_url_allowed(const char *prefixes, const char *url)
{
    const char *p = prefixes;

    if (url == NULL || p == NULL)
        return false;
    while (*p != '\0') {
        const char *comma = strchr(p, ','), *end = comma ? comma : p + strlen(p);
        size_t n;

        while (p < end && *p == ' ')
            p++;
        n = (size_t)(end - p);
        while (n > 0 && p[n - 1] == ' ')
            n--;
        if (n > 0 && strncmp(url, p, n) == 0 &&
            (p[n - 1] == '/' || url[n] == '\0' || url[n] == '/'))
            return true;
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    return false;
}

static void
pct(struct buf *b, const char *s)
{
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
            (void)buf_add(b, s, 1);
        else
            (void)buf_printf(b, "%%%02X", c);
    }
}

char *
teams_conv_url(const char *service, const char *conv, const char *reply_to)
{
    struct buf b;
    size_t n = strlen(service);

    buf_init(&b, SIZE_MAX);
    (void)buf_adds(&b, service);
    if (n == 0 || service[n - 1] != '/')
        (void)buf_adds(&b, "/");
    (void)buf_adds(&b, "v3/conversations");
    if (conv != NULL) {
        (void)buf_adds(&b, "/");
        pct(&b, conv);
        (void)buf_adds(&b, "/activities");
        if (reply_to != NULL) {
            (void)buf_adds(&b, "/");
            pct(&b, reply_to);
        }
    }
    return buf_take(&b);
}

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
static void
ref_note(struct teams *tm, const char *conv, const char *service, const char *tenant,
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

static void token_fetch(struct teams *tm);
static void check_closed(struct teams *tm);

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
    check_closed(tm);
}

static void
token_fetch(struct teams *tm)
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
    pct(&b, tm->app_id);
    id = buf_take(&b);
    pct(&b, tm->password);
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
    json_t *root = json_loadb(resp->body, resp->len, 0, NULL);
    const char *id = adapter_jstr(root, "id");
    enum outbox_verdict v = OUTBOX_GIVE_UP;

    if (id != NULL && *id != '\0') {
        p->conv = xstrdup(id);
        ref_note(tm, id, p->service, p->tenant, false);
        v = OUTBOX_AGAIN;
    } else {
        snprintf(error, len, "no conversation id in the answer");
    }
    json_decref(root);
    return v;
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
    check_closed(ob->owner);
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
        token_fetch(tm);
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

static const struct outbox_ops teams_outbox_ops = {
    .prepare = post_prepare,
    .classify = post_classify,
    .cleanup = post_cleanup,
    .reauth = post_reauth,
    .drained = post_drained,
};

static enum bot_err
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
                ref_note(tm, reply->channel, service, tenant, false);
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
    outbox_add(&tm->outbox, &p->ob, reply->event_id, 1, reply->delay_ms);
    return BOT_OK;
}

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
    const char *tenant = tenant_of(root),
               *conv = adapter_jstr(json_object_get(root, "conversation"), "id");
    const char *ctype =
        adapter_jstr(json_object_get(root, "conversation"), "conversationType");
    char *base;

    memset(&ev, 0, sizeof(ev));
    (void)activity_from_json(tm->bot_id, root, &ev, &kind); /* *ev filled for MESSAGE */
    base = teams_conv_base(conv);
    tm->cur_personal = ctype != NULL && strcmp(ctype, "personal") == 0;
    ref_note(tm, base, service, tenant, !tm->cur_personal);
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
    tenant = tenant_of(root);
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
    token_fetch(tm);
    return BOT_OK;
}

static void
check_closed(struct teams *tm)
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
    check_closed(tm);
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
