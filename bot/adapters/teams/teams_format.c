/*
 * teams_format.c - a chat_reply as a Bot Framework message activity: an Adaptive Card
 * with a text fallback; connector URLs.
 */
#include "bot/adapters/teams/tm_priv.h"

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

void
tm_pct(struct buf *b, const char *s)
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
        tm_pct(&b, conv);
        (void)buf_adds(&b, "/activities");
        if (reply_to != NULL) {
            (void)buf_adds(&b, "/");
            tm_pct(&b, reply_to);
        }
    }
    return buf_take(&b);
}
