/*
 * err.h - the one error vocabulary of the daemon.
 *
 * Every function that can fail for a reason other than running out of
 * memory returns enum bot_err.  BOT_OK is zero so "if (err)" reads right.
 * Out-of-memory is not an error code: xmalloc() and friends abort.
 */
#ifndef BOT_BASE_ERR_H
#define BOT_BASE_ERR_H

enum bot_err {
    BOT_OK = 0,
    BOT_EINVAL,  /* caller passed something the contract forbids */
    BOT_EPARSE,  /* malformed input from the network or a file */
    BOT_EIGNORE, /* well-formed input that we deliberately drop */
    BOT_ELIMIT,  /* input larger than the configured cap */
    BOT_EIO,     /* file or socket error; errno is meaningful */
    BOT_ENET,    /* transport-level failure (DNS, TLS, ws close) */
    BOT_EAUTH,   /* platform rejected our credentials */
    BOT_EAGAIN,  /* not an error: try again when the loop says so */
};

/* Returns a static, human-readable name such as "parse error". */
const char *bot_strerror(enum bot_err err);

#endif /* BOT_BASE_ERR_H */
