/*
 * config.h - the one configuration file, with environment overrides.
 *
 * Settings come from built-in defaults, then the JSON file (every key is
 * documented in config/valuesbot.example.json), then the environment, in
 * that order.  Secrets (tokens) come only from the environment or from a
 * file named in the config: a token written into the JSON itself is an
 * error, so it never ends up in a repository or a log.
 */
#ifndef BOT_CORE_CONFIG_H
#define BOT_CORE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/base/err.h"

#define CONFIG_MAX_FILE (1024 * 1024)

/* "this workspace/team/channel is answered from that org" */
struct config_route {
    char *scope; /* owned: "workspace", "team" or "channel" */
    char *id;    /* owned: the platform's id for it */
    char *org;   /* owned: org id */
};

struct config_platform {
    bool configured;       /* the credentials it needs are all present */
    char *url;             /* owned: API base URL (Slack) or server URL (Mattermost) */
    char *token;           /* owned secret: Slack bot token or Mattermost token */
    char *app_token;       /* owned secret: Slack app-level token (xapp-) */
    char *ca_file;         /* owned: extra CA bundle for a private CA, or NULL */
    char **slash_commands; /* owned: e.g. "/values" */
    size_t nslash;
    struct config_route *routes; /* owned */
    size_t nroutes;
    /* Teams (Bot Framework) only; url is the OpenID metadata URL, token the
     * app password (client secret). */
    char *app_id;    /* owned: MICROSOFT_APP_ID, also the inbound audience */
    char *tenant_id; /* owned: MICROSOFT_APP_TENANT_ID, or NULL (multi-tenant) */
    char *token_url; /* owned: the client-credentials endpoint, or NULL for the default */
    char *allowed_urls; /* owned: comma-separated serviceUrl prefixes, or NULL for the
                           default */
};

/* One scheduled post: "schedules" in the config file. */
struct config_schedule {
    char *platform; /* owned: "slack", "mattermost" or "teams" */
    char *channel;  /* owned: the platform's channel id */
    char *org;      /* owned: org id (the default org when the entry names none) */
    char *what;     /* owned: "value_of_the_week", "digest", "goals" or "values" */
    char *when;     /* owned: "Mon 09:00", "monthly 1 09:00": see schedule.h */
    char *tz;       /* owned: IANA time zone, "Europe/London" unless set */
};

/* The web chat ("web" in the config file; bot/adapters/web.c). */
struct config_web {
    bool enabled;          /* serve /chat and /chat/ws */
    bool enabled_set;      /* set by the file or VALUESBOT_WEB; else on only when
                              no chat platform is configured */
    char *origins;         /* owned: comma-separated Origin allow-list, or NULL */
    char *trusted_proxies; /* owned: comma-separated proxy addresses, or NULL */
    char *user_header;     /* owned: SSO user header taken from those, or NULL */
    unsigned max_message;  /* bytes of one WebSocket message (4096) */
    unsigned max_conns;    /* open sockets at most (2000) */
    unsigned idle_secs;    /* a silent socket is closed after this (900) */
    unsigned conn_burst;   /* questions per connection at once (5) ... */
    unsigned conn_per_min; /* ... then per minute (30) */
    unsigned addr_burst;   /* questions per client address at once (60) ... */
    unsigned addr_per_min; /* ... then per minute (600) */
};

struct config {
    char *file;               /* owned: the file read, or NULL for defaults only */
    char *default_org;        /* owned: org answering where no route says otherwise */
    char *kb_path;            /* owned: KB file or directory */
    char *db_path;            /* owned: SQLite file for the unanswered log */
    char *http_listen;        /* owned: "127.0.0.1:8080" */
    char *log_level;          /* owned: error, warn, info or debug */
    bool log_json;            /* JSON log lines instead of logfmt */
    double decline_threshold; /* 0..1: below this confidence the bot declines */
    double tie_margin;        /* 0..1: answers this close are offered together */
    unsigned retention_days;  /* how long unanswered questions are kept */
    struct config_platform slack;
    struct config_platform mattermost;
    struct config_platform teams;
    struct config_web web;
    struct config_schedule *schedules; /* owned array of @nschedules */
    size_t nschedules;
};

/*
 * Loads defaults, then @path (NULL: $VALUESBOT_CONFIG if set, else defaults
 * only), then the environment, into a new config (out @cfg; free with
 * config_free()).  @kb_default is the KB path used when neither file nor
 * environment sets one.  Returns BOT_EIO, BOT_ELIMIT or BOT_EPARSE with *why
 * (out, new string) naming the key and the problem.
 */
enum bot_err config_load(const char *path, const char *kb_default, struct config **cfg,
                         char **why);

/* Frees @cfg, wiping its secrets first.  NULL is a no-op. */
void config_free(struct config *cfg);

/* Returns the org for @scope/@id on @p, or NULL when no route names it.  Borrowed. */
const char *config_route_find(const struct config_platform *p, const char *scope,
                              const char *id);

#endif /* BOT_CORE_CONFIG_H */
