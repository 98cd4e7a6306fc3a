/* err.c - names for enum bot_err. */
#include "bot/base/err.h"

const char *
bot_strerror(enum bot_err err)
{
    switch (err) {
    case BOT_OK:
        return "success";
    case BOT_EINVAL:
        return "invalid argument";
    case BOT_EPARSE:
        return "parse error";
    case BOT_EIGNORE:
        return "ignored";
    case BOT_ELIMIT:
        return "over limit";
    case BOT_EIO:
        return "I/O error";
    case BOT_ENET:
        return "network error";
    case BOT_EAUTH:
        return "authentication failed";
    case BOT_EAGAIN:
        return "try again";
    }
    return "unknown error";
}
