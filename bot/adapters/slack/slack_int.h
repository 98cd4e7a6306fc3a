/*
 * slack_int.h - the internals of bot/adapters/slack/ that tests and the fuzzer call.
 *
 * Nothing but tests includes this; the rest of the program sees Slack only
 * as slack_adapter_ops.
 */
#ifndef BOT_ADAPTERS_SLACK_SLACK_INT_H
#define BOT_ADAPTERS_SLACK_SLACK_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "bot/adapters/adapter.h"
#include "bot/base/buf.h"
#include "bot/base/err.h"
#include "bot/chat/chat_event.h"

struct http_response;

#define SLACK_MAX_FRAME (512 * 1024) /* Socket Mode frames are far smaller; cap junk */
#define SLACK_MAX_TEXT  3900         /* bytes of reply text; Slack truncates at 40k */

/* Block Kit limits: Slack answers invalid_blocks past any of them. */
#define SLACK_MAX_BLOCKS    50   /* blocks in one message */
#define SLACK_SECTION_MAX   3000 /* characters of a section or context text */
#define SLACK_HEADER_MAX    150  /* characters of a header's plain_text */
#define SLACK_CONTEXT_ITEMS 10   /* elements in one context block */

/* The envelope fields of one Socket Mode frame. */
struct slack_envelope {
    char *type;           /* owned: hello, disconnect, events_api, slash_commands, ... */
    char *envelope_id;    /* owned, or NULL (hello and disconnect have none) */
    char *reason;         /* owned: a disconnect's reason, or NULL */
    long retry_attempt;   /* events_api redelivery count, 0 if absent */
    long approx_secs;     /* hello: expected connection lifetime, 0 if absent */
    long num_connections; /* hello: 0 if absent */
    bool accepts_payload; /* accepts_response_payload: the ack may carry an answer */
};

/*
 * Parses the envelope of @buf (@len bytes) into @env (out; release with
 * slack_envelope_cleanup()).  BOT_ELIMIT over SLACK_MAX_FRAME, BOT_EPARSE
 * for malformed JSON or a frame without a string "type".
 */
enum bot_err slack_envelope_parse(const char *buf, size_t len,
                                  struct slack_envelope *env);

/* Frees the strings of @env and zeroes it. */
void slack_envelope_cleanup(struct slack_envelope *env);

/*
 * The parse hook: one frame to at most one event (see adapter.h).  Uses the
 * bot's own ids and slash commands from ad->priv when set (NULL in tests:
 * then no user counts as the bot itself and every command is accepted).
 */
enum bot_err slack_parse(struct adapter *ad, const char *buf, size_t len,
                         struct chat_event *ev);

/*
 * Returns true when a message event of @subtype (NULL: none) carries a
 * person's own words and is answered like a plain message: no subtype,
 * file_share, thread_broadcast, me_message.  False for the system, bot, edit
 * and deletion subtypes Slack documents, and for any it does not.  Sets
 * *@known (out, may be NULL) to whether Slack documents @subtype.
 */
bool slack_subtype_is_human(const char *subtype, bool *known);

/*
 * Returns the question in @text (Slack markup) as plain text, new string:
 * user mentions and special mentions removed, channel links as #name, links
 * as their label, &amp; &lt; &gt; decoded, white space trimmed.
 */
char *slack_text_clean(const char *text);

/* Appends @s to @b with &, < and > escaped as Slack requires. */
void slack_escape(struct buf *b, const char *s);

/*
 * Returns @r rendered as Slack mrkdwn, new string, at most @max bytes
 * (cut at a line end, with an ellipsis).  All text is escaped, so it can
 * never carry a mention or a <!channel>.
 */
char *slack_format(const struct reply *r, size_t max);

/* One Slack message: Block Kit blocks and the same words as mrkdwn text. */
struct slack_message {
    char *text;     /* owned: mrkdwn; the notification and accessibility fallback */
    char *blocks;   /* owned: a Block Kit array (header, section, context) as compact
                       JSON text; "[]" when empty */
    size_t nblocks; /* blocks in it */
};

/*
 * Renders @r as one or more Slack messages, in order.  Each message's text
 * is at most @max bytes and its blocks keep Slack's limits (SLACK_MAX_BLOCKS
 * blocks, SLACK_SECTION_MAX per section or context text, SLACK_HEADER_MAX
 * per header, SLACK_CONTEXT_ITEMS per context).  Headings become header
 * blocks when they fit plain text, sources context blocks, everything else
 * mrkdwn sections.  Messages break between reply blocks; a block too long
 * for one section is split at a line end or a space, never inside a UTF-8
 * sequence or an escape, so nothing is cut.  All text is escaped as
 * slack_format() escapes it.  Returns how many (at least one); *msgs (out)
 * is a new array, free with slack_messages_free().
 */
size_t slack_render(const struct reply *r, size_t max, struct slack_message **msgs);

/*
 * As slack_render(), for a reply whose every text and label is UTF-8 (the
 * caller has checked): the same messages, without each piece checked again.
 */
size_t slack_render_utf8(const struct reply *r, size_t max, struct slack_message **msgs);

/* Frees the @n messages of @msgs and the array.  NULL is a no-op. */
void slack_messages_free(struct slack_message *msgs, size_t n);

/*
 * The text of each message slack_render() makes of @r.  Returns how many;
 * *parts (out) is a new array of new strings, free each and the array with
 * free().  Always at least one.
 */
size_t slack_format_parts(const struct reply *r, size_t max, char ***parts);

enum slack_outcome {
    SLACK_POSTED, /* done */
    SLACK_RETRY,  /* try again after *retry_ms */
    SLACK_FAILED, /* permanent error: do not retry */
};

/*
 * Classifies the answer to a Web API call (or a response_url POST): ok:true
 * is SLACK_POSTED; HTTP 429 is SLACK_RETRY after Retry-After (default 1 s);
 * 5xx and transport errors are SLACK_RETRY with *retry_ms 0 (the caller
 * backs off); ok:false and other 4xx are SLACK_FAILED.  @error (out, @errlen
 * bytes) receives Slack's error name or a description of the failure.
 */
enum slack_outcome slack_outcome(const struct http_response *resp, bool response_url,
                                 long *retry_ms, char *error, size_t errlen);

#endif /* BOT_ADAPTERS_SLACK_SLACK_INT_H */
