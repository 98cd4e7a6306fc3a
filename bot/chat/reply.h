/*
 * reply.h - a platform-neutral reply: headings, paragraphs, list items,
 * quotes and a source line.  The core composes one; each adapter renders
 * it in its own markup (Slack mrkdwn, Mattermost Markdown), and
 * reply_format_plain() renders it for the terminal and for JSON "text".
 */
#ifndef BOT_CHAT_REPLY_H
#define BOT_CHAT_REPLY_H

#include <stddef.h>

enum reply_kind {
    REPLY_PARA,    /* a sentence or two */
    REPLY_HEADING, /* a short title line */
    REPLY_ITEM,    /* a list item: @label (emphasised, may be NULL) then @text */
    REPLY_SUBITEM, /* a list item under the previous item */
    REPLY_QUOTE,   /* the KB's exact words, quoted */
    REPLY_SOURCE,  /* where the answer comes from */
};

struct reply_block {
    enum reply_kind kind;
    char *label; /* owned, may be NULL */
    char *text;  /* owned, never NULL */
};

struct reply {
    struct reply_block *blocks; /* owned: room for 4 blocks, or for the power of two
                                   at or above @n; reply_add() keeps to it, so only
                                   add to a reply its functions made */
    size_t n;
};

/* Appends a block with copies of @label (may be NULL) and @text. */
void reply_add(struct reply *r, enum reply_kind kind, const char *label,
               const char *text);

/* Appends a block whose text is formatted as printf would. */
void reply_addf(struct reply *r, enum reply_kind kind, const char *label, const char *fmt,
                ...) __attribute__((format(printf, 4, 5)));

/* Makes @dst (uninitialised or cleaned up) a copy of @src. */
void reply_copy(struct reply *dst, const struct reply *src);

/* Frees every block; @r may be reused. */
void reply_cleanup(struct reply *r);

/* Returns @r as plain text for a terminal; free with free(). */
char *reply_format_plain(const struct reply *r);

#endif /* BOT_CHAT_REPLY_H */
