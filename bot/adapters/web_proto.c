/*
 * web_proto.c - the web chat's JSON protocol: client messages in, hello,
 * replies and errors out.
 *
 * One WebSocket at /chat/ws per browser tab; every message is one JSON text
 * frame.  The contract with the page (bot/adapters/web/assets/chat.js):
 *
 * server -> client, once the socket is open:
 *   {"type":"hello","org":"tewv"|null,"name":"<org display name>"|null,
 *    "orgs":[{"id":"tewv","name":"..."}],"suggestions":["What are our values?",...]}
 *   The org comes from the socket URL's ?org=ID when that KB is loaded, or
 *   is the only KB loaded; otherwise null, and the page shows a picker.
 *
 * client -> server:
 *   {"type":"org","org":"cwpt"}               choose the org (answered by a hello)
 *   {"type":"ask","id":"c1","text":"..."}     a question; id: up to 64 bytes
 *
 * server -> client, one per ask:
 *   {"type":"reply","re":"c1","answered":true|false,
 *    "blocks":[{"kind":"para|heading|item|subitem|quote|source",
 *               "label":"..."|null,"text":"..."}],
 *    "text":"plain-text fallback","suggestions":["..."]}
 *   "answered" is false for a decline; "suggestions" are chips: the choices
 *   of a "did you mean", a tour's next step, or example questions.
 *
 * errors (the socket stays open):
 *   {"type":"error","code":"bad_json|too_big|bad_utf8|rate_limited|bad_org|busy",
 *    "text":"a polite sentence","retry_after":N}   (retry_after: seconds, only
 *                                                    with rate_limited and busy)
 *   A message longer than web.max_message closes the socket with 1009.
 */
#include "bot/adapters/web_int.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot/adapters/adapter.h"
#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"
#include "bot/chat/reply.h"

static void
copy_id(char *dst, const char *src)
{
    size_t n = strlen(src);

    memcpy(dst, src, n + 1 > WEB_MAX_ID + 1 ? WEB_MAX_ID : n + 1);
    dst[WEB_MAX_ID] = '\0';
}

enum bot_err
web_msg_parse(const char *buf, size_t len, struct web_msg *m, const char **code)
{
    json_error_t jerr;
    json_t *root = NULL, *v;
    const char *type, *s;
    enum bot_err err = BOT_EPARSE;

    memset(m, 0, sizeof(*m));
    *code = "bad_json";
    if (!utf8_is_valid(buf, len, NULL)) {
        *code = "bad_utf8";
        return BOT_EPARSE;
    }
    if ((root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr)) == NULL ||
        !json_is_object(root) || (v = json_object_get(root, "type")) == NULL ||
        (type = json_string_value(v)) == NULL)
        goto out;
    if (strcmp(type, "ask") == 0) {
        v = json_object_get(root, "id");
        if (v != NULL && !json_is_null(v)) {
            if ((s = json_string_value(v)) == NULL)
                goto out;
            if (json_string_length(v) > WEB_MAX_ID) {
                *code = "too_big";
                err = BOT_ELIMIT;
                goto out;
            }
            copy_id(m->id, s);
        }
        v = json_object_get(root, "text");
        if ((s = json_string_value(v)) == NULL)
            goto out;
        if (json_string_length(v) > WEB_MAX_TEXT) {
            *code = "too_big";
            err = BOT_ELIMIT;
            goto out;
        }
        if (strlen(s) != json_string_length(v)) /* an escaped NUL */
            goto out;
        m->type = WEB_MSG_ASK;
        m->text = xstrdup(s);
    } else if (strcmp(type, "org") == 0) {
        v = json_object_get(root, "org");
        if ((s = json_string_value(v)) == NULL || json_string_length(v) > WEB_MAX_ID ||
            strlen(s) != json_string_length(v))
            goto out;
        m->type = WEB_MSG_ORG;
        copy_id(m->org, s);
    } else {
        goto out;
    }
    err = BOT_OK;
    *code = NULL;
out:
    json_decref(root);
    if (err != BOT_OK)
        web_msg_cleanup(m);
    return err;
}

void
web_msg_cleanup(struct web_msg *m)
{
    free(m->text);
    memset(m, 0, sizeof(*m));
}

static char *
dump(json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT);

    json_decref(o);
    if (s == NULL) /* only text that is not UTF-8, which never reaches here */
        return xstrdup("{\"type\":\"error\",\"code\":\"busy\",\"text\":\"Sorry, "
                       "something went wrong.\"}");
    return s;
}

static json_t *
strings(const char *const *s, size_t n)
{
    json_t *a = json_array();

    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(s[i]));
    return a;
}

char *
web_render_hello(const char *org, const char *name, const struct adapter_org *orgs,
                 size_t norgs, const char *const *sugg, size_t nsugg)
{
    json_t *o = json_object(), *list = json_array();

    for (size_t i = 0; i < norgs; i++)
        json_array_append_new(list, json_pack("{s:s, s:s}", "id", orgs[i].id, "name",
                                              orgs[i].name ? orgs[i].name : orgs[i].id));
    json_object_set_new(o, "type", json_string("hello"));
    json_object_set_new(o, "org", org != NULL ? json_string(org) : json_null());
    json_object_set_new(o, "name", name != NULL ? json_string(name) : json_null());
    json_object_set_new(o, "orgs", list);
    json_object_set_new(o, "suggestions", strings(sugg, nsugg));
    return dump(o);
}

static const char *
kind_name(enum reply_kind k)
{
    switch (k) {
    case REPLY_PARA:
        return "para";
    case REPLY_HEADING:
        return "heading";
    case REPLY_ITEM:
        return "item";
    case REPLY_SUBITEM:
        return "subitem";
    case REPLY_QUOTE:
        return "quote";
    case REPLY_SOURCE:
        return "source";
    }
    return "para";
}

static bool
asks(const struct reply_block *bl)
{
    size_t n = strlen(bl->text);

    /* Trailing spaces and a closing quote or bracket do not hide the '?'. */
    while (n > 0 && strchr(" \")\xbb", bl->text[n - 1]) != NULL)
        n--;
    return (bl->kind == REPLY_PARA || bl->kind == REPLY_HEADING) && n > 0 &&
           bl->text[n - 1] == '?';
}

size_t
web_chips(const struct reply *r, const char *kind, const char **out, size_t max)
{
    static const char *const tour[] = {"Next", "Stop the tour"};
    size_t n = 0;

    for (size_t i = 0; i + 1 < r->n && n == 0; i++) {
        if (!asks(&r->blocks[i]) || r->blocks[i + 1].kind != REPLY_ITEM)
            continue;
        for (size_t k = i + 1; k < r->n && n < max; k++) {
            const struct reply_block *bl = &r->blocks[k];
            const char *c = bl->label != NULL && *bl->label ? bl->label : bl->text;

            if (bl->kind == REPLY_SUBITEM)
                continue;
            if (bl->kind != REPLY_ITEM)
                break;
            if (*c != '\0' && strlen(c) <= WEB_MAX_CHIP)
                out[n++] = c;
        }
    }
    if (n == 0 && kind != NULL && strcmp(kind, "tour") == 0)
        for (size_t i = 0; i < sizeof(tour) / sizeof(tour[0]) && n < max; i++)
            out[n++] = tour[i];
    return n;
}

char *
web_render_reply(const char *re, const char *kind, const struct reply *r,
                 const char *const *sugg, size_t nsugg)
{
    json_t *o = json_object(), *blocks = json_array();
    const char *chips[WEB_MAX_CHIPS];
    size_t nchips = web_chips(r, kind, chips, WEB_MAX_CHIPS);
    bool decline = kind != NULL && strcmp(kind, "decline") == 0;
    char *plain = reply_format_plain(r);

    for (size_t i = 0; i < r->n; i++) {
        const struct reply_block *bl = &r->blocks[i];

        json_array_append_new(
            blocks, json_pack("{s:s, s:o, s:s}", "kind", kind_name(bl->kind), "label",
                              bl->label != NULL ? json_string(bl->label) : json_null(),
                              "text", bl->text));
    }
    json_object_set_new(o, "type", json_string("reply"));
    json_object_set_new(o, "re", json_string(re != NULL ? re : ""));
    json_object_set_new(o, "answered", json_boolean(!decline));
    json_object_set_new(o, "blocks", blocks);
    json_object_set_new(o, "text", json_string(plain));
    if (nchips == 0 && (decline || (kind != NULL && strcmp(kind, "help") == 0)))
        json_object_set_new(o, "suggestions",
                            strings(sugg, nsugg < WEB_MAX_CHIPS ? nsugg : WEB_MAX_CHIPS));
    else
        json_object_set_new(o, "suggestions", strings(chips, nchips));
    free(plain);
    return dump(o);
}

char *
web_render_error(const char *code, const char *text, unsigned retry_after)
{
    json_t *o = json_pack("{s:s, s:s, s:s}", "type", "error", "code", code, "text", text);

    if (retry_after > 0)
        json_object_set_new(o, "retry_after", json_integer(retry_after));
    return dump(o);
}
