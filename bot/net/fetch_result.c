/*
 * fetch_result.c - freeing what fetch_url() returns.  On its own so that
 * the lean program (main.c), which never fetches, can free a result
 * without linking libcurl.
 */
#include <stdlib.h>
#include <string.h>

#include "bot/net/fetch.h"

void
fetch_result_cleanup(struct fetch_result *res)
{
    free(res->body);
    free(res->content_type);
    free(res->charset);
    free(res->url);
    memset(res, 0, sizeof(*res));
}
