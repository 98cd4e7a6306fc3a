/* chat_event.c - releasing events and replies. */
#include "bot/chat/chat_event.h"

#include <stdlib.h>
#include <string.h>

#include "bot/base/xmalloc.h"

void
chat_event_set_ids(struct chat_event *ev, const char *platform, const char *workspace,
                   const char *channel, const char *thread, const char *user,
                   const char *msg_id, const char *id_prefix, const char *id)
{
    /* In the order of @out; the event id's prefix and id make one string. */
    const char *one[8] = {platform, workspace, channel,   thread,
                          user,     msg_id,    id_prefix, id};
    char **out[7] = {&ev->platform, &ev->workspace, &ev->channel, &ev->thread,
                     &ev->user,     &ev->msg_id,    &ev->event_id};
    size_t len[8], n = 7; /* a NUL for each of the seven strings */
    char *at;

    if (id == NULL)
        one[6] = NULL;
    for (size_t i = 0; i < 8; i++)
        n += len[i] = one[i] != NULL ? strlen(one[i]) : 0;
    at = ev->ids = xmalloc(n);
    for (size_t i = 0; i < 7; i++) {
        if ((i < 6 && one[i] == NULL) || (i == 6 && id == NULL)) {
            *out[i] = NULL;
            continue;
        }
        *out[i] = at;
        memcpy(at, one[i] != NULL ? one[i] : "", len[i]);
        at += len[i];
        if (i == 6) {
            memcpy(at, id, len[7]);
            at += len[7];
        }
        *at++ = '\0';
    }
}

void
chat_event_cleanup(struct chat_event *ev)
{
    if (ev->ids == NULL) {
        free(ev->platform);
        free(ev->workspace);
        free(ev->channel);
        free(ev->thread);
        free(ev->user);
        free(ev->event_id);
        free(ev->msg_id);
    }
    free(ev->ids);
    free(ev->text);
    free(ev->reply_url);
    free(ev->subtype);
    memset(ev, 0, sizeof(*ev));
}

void
chat_reply_cleanup(struct chat_reply *r)
{
    reply_cleanup(&r->body);
    memset(r, 0, sizeof(*r));
}
