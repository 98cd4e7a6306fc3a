/*
 * web_assets.h - the web chat's page, style and scripts, embedded at build
 * time: scripts/embed-assets.py writes build/gen/web_assets.c from
 * bot/adapters/web/assets/.
 */
#ifndef BOT_ADAPTERS_WEB_ASSETS_H
#define BOT_ADAPTERS_WEB_ASSETS_H

#include <stddef.h>

struct web_asset {
    const char *name;          /* static: file name, "chat.js" */
    const char *ctype;         /* static: Content-Type */
    const unsigned char *data; /* static: the file's bytes */
    size_t len;
    const char *etag; /* static: quoted strong ETag from the content's hash */
};

extern const struct web_asset web_assets[];
extern const size_t web_nassets;

#endif /* BOT_ADAPTERS_WEB_ASSETS_H */
