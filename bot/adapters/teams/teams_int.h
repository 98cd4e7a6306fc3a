/*
 * teams_int.h - the pure parts of the Microsoft Teams (Bot Framework)
 * adapter, for its tests and fuzz target: activity parsing, text cleaning,
 * reply rendering, URL building and the serviceUrl allow-list.
 */
#ifndef BOT_ADAPTERS_TEAMS_TEAMS_INT_H
#define BOT_ADAPTERS_TEAMS_TEAMS_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/base/err.h"

struct chat_event;
struct reply;

#define TEAMS_MAX_BODY  (1024 * 1024) /* one activity POSTed to /api/messages */
#define TEAMS_CARD_MAX  (28 * 1024)   /* an Adaptive Card, in bytes of JSON */
#define TEAMS_TEXT_MAX  (40 * 1024)   /* a text-only message, in bytes */
#define TEAMS_ISSUER    "https://api.botframework.com"
#define TEAMS_SKEW_SECS 300
#define TEAMS_DEFAULT_URLS                                                               \
    "https://smba.trafficmanager.net/,https://smba.infra.gcc.teams.microsoft.com/,"      \
    "https://smba.infra.gov.teams.microsoft.us/,https://"                                \
    "smba.infra.dod.teams.microsoft.us/"

/* What the adapter does with an activity besides answering a message. */
enum teams_kind {
    TEAMS_MESSAGE, /* a message for us: *ev filled */
    TEAMS_WELCOME, /* conversationUpdate adding the bot: one welcome */
    TEAMS_INSTALL, /* installationUpdate */
    TEAMS_IGNORED, /* edits, deletes, typing, reactions, other events */
};

/*
 * Removes the bot's mention (every entity text whose mentioned.id is
 * @bot_id, passed as the JSON array @entities, may be NULL), turns other
 * <at>X</at> into X, strips remaining tags, decodes HTML entities and
 * collapses white space.  Returns a new string.
 */
char *teams_text_clean(const char *text, const void *entities, const char *bot_id);

/*
 * Reads one activity (@buf, @len bytes of JSON) addressed to @bot_id
 * ("28:<app id>"): fills *ev (caller cleans it up) for a message and
 * returns its kind in *kind.  BOT_EPARSE for JSON that is not an activity.
 */
enum bot_err teams_activity_parse(const char *bot_id, const char *buf, size_t len,
                                  struct chat_event *ev, enum teams_kind *kind);

/*
 * Renders @r as an activity body (new JSON string): an Adaptive Card (1.2,
 * within TEAMS_CARD_MAX, else text only) with markdown text as the
 * fallback; '<' and '>' from the text never become markup; no mentions.
 * @from_id, @conv_id, @reply_to may be NULL.
 */
char *teams_render(const struct reply *r, const char *from_id, const char *conv_id,
                   const char *reply_to);

/* Returns true when @url starts with one of the comma-separated @prefixes. */
bool teams_url_allowed(const char *prefixes, const char *url);

/*
 * Returns "{service}v3/conversations/{conv, percent-encoded}/activities[/{id}]"
 * (new string); @reply_to may be NULL.
 */
char *teams_conv_url(const char *service, const char *conv, const char *reply_to);

/* Returns @conv without ";messageid=..." (new string). */
char *teams_conv_base(const char *conv);

#endif /* BOT_ADAPTERS_TEAMS_TEAMS_INT_H */
