/*
 * slack_format.c - a chat_reply as Slack mrkdwn and Block Kit messages, split within
 * Slack's limits.
 */
#include "bot/adapters/slack/slack_priv.h"

/* ---- Formatting ------------------------------------------------------- */

void
slack_escape(struct buf *b, const char *s)
{
    while (*s) {
        size_t run = strcspn(s, "&<>");

        if (run > 0)
            (void)buf_add(b, s, run);
        s += run;
        if (*s == '&')
            (void)buf_add(b, "&amp;", 5);
        else if (*s == '<')
            (void)buf_add(b, "&lt;", 4);
        else if (*s == '>')
            (void)buf_add(b, "&gt;", 4);
        else
            break;
        s++;
    }
}

/*
 * Appends @text escaped between two @mark characters (bold *, italic _); plain
 * when @text holds @mark itself, which would end the span early and leave
 * stray marks ("**Courage**" for a value named "*Courage*").
 */
static void
emphasise(struct buf *b, char mark, const char *text)
{
    const char m[2] = {mark, '\0'};
    bool plain = strchr(text, mark) != NULL;

    if (!plain)
        (void)buf_adds(b, m);
    slack_escape(b, text);
    if (!plain)
        (void)buf_adds(b, m);
}

static void
format_block(struct buf *b, const struct reply_block *bl)
{
    switch (bl->kind) {
    case REPLY_HEADING:
        emphasise(b, '*', bl->text);
        return;
    case REPLY_ITEM:
        (void)buf_adds(b, "• ");
        break;
    case REPLY_SUBITEM:
        (void)buf_adds(b, "    ◦ ");
        break;
    case REPLY_QUOTE:
        (void)buf_adds(b, "> ");
        for (const char *p = bl->text; *p; p++) {
            char one[2] = {*p, '\0'};

            slack_escape(b, one);
            if (*p == '\n' && p[1] != '\0')
                (void)buf_adds(b, "> ");
        }
        return;
    case REPLY_SOURCE:
        emphasise(b, '_', bl->text);
        return;
    case REPLY_PARA:
        break;
    }
    if (bl->label != NULL) {
        emphasise(b, '*', bl->label);
        if (bl->text[0])
            (void)buf_adds(b, ": ");
    }
    slack_escape(b, bl->text);
}

/* The separator before block @i: none first, a newline inside a list, else a blank line.
 */
static const char *
separator(const struct reply *r, size_t i)
{
    enum reply_kind k, prev;

    if (i == 0)
        return "";
    k = r->blocks[i].kind;
    prev = r->blocks[i - 1].kind;
    if ((k == REPLY_ITEM || k == REPLY_SUBITEM) &&
        (prev == REPLY_ITEM || prev == REPLY_SUBITEM || prev == REPLY_HEADING))
        return "\n";
    return "\n\n";
}

/*
 * Cuts @b to at most @max bytes with an ellipsis: at a line end if one
 * leaves room, never inside an escape or a UTF-8 sequence.
 */
static void
cut_to(struct buf *b, size_t max)
{
    static const char cut[] = "\n…";
    size_t keep;

    if (b->len <= max)
        return;
    keep = max > sizeof(cut) ? max - sizeof(cut) : 0;
    while (keep > 0 && b->data[keep] != '\n')
        keep--;
    if (keep == 0) {
        keep = max > sizeof(cut) ? max - sizeof(cut) : 0;
        while (keep > 0 && ((unsigned char)b->data[keep] & 0xC0) == 0x80)
            keep--;
        for (size_t j = keep; j > 0 && keep - j < 6; j--) {
            if (b->data[j - 1] == '&') { /* do not split "&amp;" */
                if (memchr(b->data + j - 1, ';', keep - (j - 1)) == NULL)
                    keep = j - 1;
                break;
            }
        }
    }
    b->len = keep;
    b->data[keep] = '\0';
    (void)buf_adds(b, cut);
}

char *
slack_format(const struct reply *r, size_t max)
{
    struct buf b;

    buf_init(&b, SIZE_MAX / 2);
    for (size_t i = 0; i < r->n; i++) {
        (void)buf_adds(&b, separator(r, i));
        format_block(&b, &r->blocks[i]);
    }
    cut_to(&b, max);
    return buf_take(&b);
}

/*
 * One rendered piece of a reply: a whole reply block, or a slice of one too
 * long for a section.  @sep goes before it when it follows another piece in
 * the same message (dropped at the start of a message).
 */
enum piece_kind { PIECE_BODY, PIECE_HEADER, PIECE_CONTEXT };

struct piece {
    enum piece_kind kind;
    const char *sep;   /* static: "", " ", "\n" or "\n\n" */
    const char *text;  /* escaped mrkdwn, in the pieces' one buffer (make_pieces()) */
    size_t off;        /* where @text starts in that buffer, while it grows */
    const char *plain; /* borrowed from the reply: a header's plain text, else NULL */
};

/*
 * A heading goes in a header block only when plain text shows it as mrkdwn
 * would: short, one line, and free of the three characters mrkdwn escapes
 * (plain_text is not escaped, so it must never need to be).
 */
static bool
header_ok(const char *text)
{
    size_t len = strlen(text);

    return len > 0 && len <= SLACK_HEADER_MAX && strpbrk(text, "<>&\n") == NULL;
}

/*
 * Where to end a slice of @s (@len bytes) of at most @max bytes: after the
 * last line end or space (*skip 1: that character becomes the separator),
 * else at the last point that splits neither a UTF-8 sequence nor an escape.
 */
static size_t
split_point(const char *s, size_t len, size_t max, size_t *skip)
{
    size_t k;

    *skip = 1;
    for (k = max; k > max / 2; k--) { /* a line end in the second half */
        if (s[k] == '\n')
            return k;
    }
    for (k = max; k > 0; k--) {
        if (s[k] == ' ' || s[k] == '\n')
            return k;
    }
    *skip = 0;
    k = max < len ? max : len;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    for (size_t j = k; j > 0 && k - j < 5; j--) {
        if (s[j - 1] == ';')
            break;
        if (s[j - 1] == '&') { /* "&amp;" stays whole */
            k = j - 1;
            break;
        }
    }
    return k > 0 ? k : (max < len ? max : len);
}

/*
 * Adds a piece whose text is @len bytes at @text, copied (NUL-terminated)
 * into @all; with @all NULL, a piece whose text is already there from @len.
 */
static void
piece_add(struct piece **ps, size_t *n, size_t *cap, struct buf *all,
          enum piece_kind kind, const char *sep, const char *text, size_t len,
          const char *plain)
{
    if (*n == *cap) {
        *cap = *cap > 0 ? 2 * *cap : 8;
        *ps = xreallocarray(*ps, *cap, sizeof(**ps));
    }
    (*ps)[*n] = (struct piece){kind, sep, NULL, all != NULL ? all->len : len, plain};
    (*n)++;
    if (all != NULL) {
        (void)buf_add(all, text, len);
        (void)buf_add(all, "", 1);
    }
}

/*
 * Cuts @r into pieces of at most @max bytes each; *@total (out) is their
 * bytes.  Their texts are kept in one allocation, *@texts (out), which the
 * caller frees (one malloc a reply rather than one a piece).
 */
static size_t
make_pieces(const struct reply *r, size_t max, struct piece **ps, size_t *total,
            char **texts)
{
    struct buf one, all;
    size_t n = 0, cap = r->n;

    *ps = xreallocarray(NULL, cap > 0 ? cap : 1, sizeof(**ps));
    *total = 0;
    buf_init(&one, SIZE_MAX / 2);
    buf_init(&all, SIZE_MAX / 2);
    for (size_t i = 0; i < r->n; i++) {
        const struct reply_block *bl = &r->blocks[i];
        enum piece_kind kind = PIECE_BODY;
        const char *sep = separator(r, i), *s;
        size_t len, at;

        if (bl->kind == REPLY_HEADING && header_ok(bl->text))
            kind = PIECE_HEADER;
        else if (bl->kind == REPLY_SOURCE)
            kind = PIECE_CONTEXT;
        at = all.len;
        format_block(&all, bl);
        len = all.len - at;
        *total += len + 2;
        if (len <= max) { /* the most common: the block as formatted is the piece */
            piece_add(ps, &n, &cap, NULL, kind, sep, NULL, at,
                      kind == PIECE_HEADER ? bl->text : NULL);
            (void)buf_add(&all, "", 1);
            continue;
        }
        /* Too long for one: sliced from a copy, the pieces written in its place. */
        buf_reset(&one);
        (void)buf_add(&one, all.data + at, len);
        all.len = at;
        s = one.data;
        while (len > max) {
            size_t skip, k = split_point(s, len, max, &skip);

            piece_add(ps, &n, &cap, &all, kind == PIECE_HEADER ? PIECE_BODY : kind, sep,
                      s, k, NULL);
            sep = skip == 0 ? "" : s[k] == '\n' ? "\n" : " ";
            s += k + skip;
            len -= k + skip;
        }
        piece_add(ps, &n, &cap, &all, kind, sep, s, len,
                  kind == PIECE_HEADER ? bl->text : NULL);
    }
    buf_cleanup(&one);
    *texts = all.data; /* NULL when there is no piece */
    for (size_t i = 0; i < n; i++)
        (*ps)[i].text = all.data + (*ps)[i].off;
    return n;
}

/*
 * Fills one message at a time, keeping Slack's limits.  The blocks are
 * written as JSON text as they are made (a post's body is that text with a
 * few members around it), not built as a jansson tree to be written out
 * afterwards: that tree, its writing and its freeing cost more than the
 * rest of a post.
 */
struct packer {
    size_t max;      /* bytes of text per message */
    struct buf text; /* the message's mrkdwn fallback */
    struct buf sect; /* the section being filled, not yet in @json */
    struct buf json; /* the blocks done: a JSON array, not yet closed */
    size_t nblocks;  /* blocks in @json */
    size_t ctx_n;    /* elements of the context being filled (0: none) */
    bool ctx_open;   /* @json ends inside a context's elements */
    bool utf8;       /* every text of the reply is UTF-8: so is every piece */
    struct slack_message *msgs;
    size_t nmsgs;
};

/* Closes an open context's elements in the JSON and starts the next block. */
static void
next_block(struct packer *pk)
{
    if (pk->ctx_open)
        (void)buf_add(&pk->json, "]}", 2);
    pk->ctx_open = false;
    (void)buf_add(&pk->json, pk->nblocks > 0 ? "," : "[", 1);
    pk->nblocks++;
}

/*
 * Appends a {"type": @type, "text": @text} object (with "emoji": true when
 * @emoji), as JSON.  @text must be UTF-8 (text_ok()).
 */
static void
text_obj(struct buf *b, const char *type, const char *text, bool emoji)
{
    (void)buf_adds(b, "{\"type\":\"");
    (void)buf_adds(b, type);
    (void)buf_adds(b, "\",\"text\":");
    jsonw_string(b, text, strlen(text));
    (void)buf_adds(b, emoji ? ",\"emoji\":true}" : "}");
}

/*
 * True when @text can go in a block: text that is not UTF-8 is left out.
 * A piece of a reply whose texts are all UTF-8 is too: what is added is
 * ASCII or whole characters, and a cut never falls inside a character.
 */
static bool
text_ok(const struct packer *pk, const char *text)
{
    return pk->utf8 || utf8_is_valid(text, strlen(text), NULL);
}

static void
flush_section(struct packer *pk)
{
    if (pk->sect.len == 0)
        return;
    if (text_ok(pk, buf_str(&pk->sect))) {
        next_block(pk);
        (void)buf_adds(&pk->json, "{\"type\":\"section\",\"text\":");
        text_obj(&pk->json, "mrkdwn", buf_str(&pk->sect), false);
        (void)buf_add(&pk->json, "}", 1);
    }
    buf_reset(&pk->sect);
}

static size_t
nblocks(const struct packer *pk)
{
    return pk->nblocks + (pk->sect.len > 0 ? 1 : 0);
}

static bool
fits(const struct packer *pk, const struct piece *pc)
{
    size_t len = strlen(pc->text), sep = strlen(pc->sep), added = 1;

    if (pk->text.len == 0)
        return true; /* every piece fits an empty message */
    if (pk->text.len + sep + len > pk->max)
        return false;
    if (pc->kind == PIECE_BODY && pk->sect.len > 0 &&
        pk->sect.len + sep + len <= SLACK_SECTION_MAX)
        added = 0;
    if (pc->kind == PIECE_CONTEXT && pk->ctx_n > 0 && pk->ctx_n < SLACK_CONTEXT_ITEMS)
        added = 0;
    return nblocks(pk) + added <= SLACK_MAX_BLOCKS;
}

static void
pack(struct packer *pk, const struct piece *pc)
{
    bool first = pk->text.len == 0;

    if (!first)
        (void)buf_adds(&pk->text, pc->sep);
    (void)buf_adds(&pk->text, pc->text);
    switch (pc->kind) {
    case PIECE_BODY:
        if (pk->sect.len > 0 &&
            pk->sect.len + strlen(pc->sep) + strlen(pc->text) <= SLACK_SECTION_MAX) {
            (void)buf_adds(&pk->sect, pc->sep);
        } else {
            flush_section(pk);
        }
        (void)buf_adds(&pk->sect, pc->text);
        pk->ctx_n = 0;
        return;
    case PIECE_CONTEXT:
        flush_section(pk);
        if (!text_ok(pk, pc->text))
            return;
        if (pk->ctx_n == 0 || pk->ctx_n >= SLACK_CONTEXT_ITEMS) {
            next_block(pk);
            (void)buf_adds(&pk->json, "{\"type\":\"context\",\"elements\":[");
            pk->ctx_open = true;
            pk->ctx_n = 0;
        } else {
            (void)buf_add(&pk->json, ",", 1);
        }
        text_obj(&pk->json, "mrkdwn", pc->text, false);
        pk->ctx_n++;
        return;
    case PIECE_HEADER:
        flush_section(pk);
        if (text_ok(pk, pc->plain)) {
            next_block(pk);
            (void)buf_adds(&pk->json, "{\"type\":\"header\",\"text\":");
            text_obj(&pk->json, "plain_text", pc->plain, true);
            (void)buf_add(&pk->json, "}", 1);
        }
        pk->ctx_n = 0;
        return;
    }
}

static void
finish(struct packer *pk)
{
    struct slack_message *m;

    flush_section(pk);
    if (pk->ctx_open)
        (void)buf_add(&pk->json, "]}", 2);
    (void)buf_adds(&pk->json, pk->nblocks > 0 ? "]" : "[]");
    pk->msgs = xreallocarray(pk->msgs, pk->nmsgs + 1, sizeof(*pk->msgs));
    m = &pk->msgs[pk->nmsgs++];
    m->text = buf_take(&pk->text);
    m->blocks = buf_take(&pk->json);
    m->nblocks = pk->nblocks;
    pk->nblocks = 0;
    pk->ctx_n = 0;
    pk->ctx_open = false;
    buf_init(&pk->text, SIZE_MAX / 2);
    buf_init(&pk->json, SIZE_MAX / 2);
}

/* slack_render(), told by @utf8 that every text of @r is UTF-8. */
static size_t
render(const struct reply *r, size_t max, bool utf8, struct slack_message **msgs)
{
    struct packer pk = {.max = max, .utf8 = utf8};
    struct piece *ps;
    char *texts;
    size_t total, n;

    n = make_pieces(r, max < SLACK_SECTION_MAX ? max : SLACK_SECTION_MAX, &ps, &total,
                    &texts);
    buf_init(&pk.text, SIZE_MAX / 2);
    buf_init(&pk.sect, SIZE_MAX / 2);
    buf_init(&pk.json, SIZE_MAX / 2);
    /* Room for a message of it all at once (the most common reply), rather
     * than a copy for each doubling of each buffer; the blocks' JSON adds
     * its escapes and some 60 bytes of members a piece. */
    buf_reserve(&pk.text, total < max ? total : max);
    buf_reserve(&pk.sect, total < SLACK_SECTION_MAX ? total : SLACK_SECTION_MAX);
    buf_reserve(&pk.json, (total < max ? total : max) + total / 8 + 64 * n + 8);
    for (size_t i = 0; i < n; i++) {
        if (!fits(&pk, &ps[i]))
            finish(&pk);
        pack(&pk, &ps[i]);
    }
    free(texts);
    free(ps);
    finish(&pk);
    buf_cleanup(&pk.text);
    buf_cleanup(&pk.sect);
    buf_cleanup(&pk.json);
    *msgs = pk.msgs;
    return pk.nmsgs;
}

size_t
slack_render(const struct reply *r, size_t max, struct slack_message **msgs)
{
    return render(r, max, false, msgs);
}

size_t
slack_render_utf8(const struct reply *r, size_t max, struct slack_message **msgs)
{
    return render(r, max, true, msgs);
}

void
slack_messages_free(struct slack_message *msgs, size_t n)
{
    if (msgs == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        free(msgs[i].text);
        free(msgs[i].blocks);
    }
    free(msgs);
}

size_t
slack_format_parts(const struct reply *r, size_t max, char ***parts)
{
    struct slack_message *msgs;
    size_t n = slack_render(r, max, &msgs);

    *parts = xcalloc(n, sizeof(**parts));
    for (size_t i = 0; i < n; i++) {
        (*parts)[i] = msgs[i].text;
        msgs[i].text = NULL;
    }
    slack_messages_free(msgs, n);
    return n;
}
