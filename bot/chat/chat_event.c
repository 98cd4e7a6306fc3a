/* chat_event.c - releasing events and replies. */
#include "bot/chat/chat_event.h"

#include <stdlib.h>
#include <string.h>

void
chat_event_cleanup(struct chat_event *ev)
{
    free(ev->platform);
    free(ev->workspace);
    free(ev->channel);
    free(ev->thread);
    free(ev->user);
    free(ev->text);
    free(ev->event_id);
    free(ev->msg_id);
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
