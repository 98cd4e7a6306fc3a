/*
 * ws_tls.h - a TLS client session over memory buffers, for a socket that
 * its owner reads and writes (ws.c: an lws raw socket).
 *
 * The owner hands in the ciphertext it reads (ws_tls_feed()), takes the
 * plaintext out (ws_tls_read()), encrypts with ws_tls_write(), and after
 * each call sends what ws_tls_pending() holds.  The peer is verified with
 * the context's trust and the host name (or IP address) given; a session
 * that fails verification never yields plaintext.
 */
#ifndef BOT_NET_WS_TLS_H
#define BOT_NET_WS_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

#include "bot/base/err.h"

struct ws_tls;

/*
 * Returns a new session that will verify @host (a name, or an IP literal)
 * through @ctx (borrowed; must outlive it), its ClientHello already
 * pending; free with ws_tls_free().  NULL when OpenSSL refuses the host.
 */
struct ws_tls *ws_tls_new(SSL_CTX *ctx, const char *host);

/* Frees @t.  NULL is a no-op. */
void ws_tls_free(struct ws_tls *t);

/*
 * Takes @len bytes of ciphertext from the socket.  Returns BOT_OK once the
 * handshake is done and the peer verified, BOT_EAGAIN while it goes on,
 * BOT_ENET when it failed (ws_tls_why() says why).
 */
enum bot_err ws_tls_feed(struct ws_tls *t, const void *p, size_t len);

/*
 * Decrypts up to @max bytes into @buf, *n (out) of them.  BOT_OK with *n >
 * 0, BOT_EAGAIN when no whole record is in, BOT_ENET when the peer ended
 * TLS or the session failed (ws_tls_why()).  Only after the handshake.
 */
enum bot_err ws_tls_read(struct ws_tls *t, void *buf, size_t max, size_t *n);

/* Encrypts @len bytes (after the handshake).  BOT_ENET when the session failed. */
enum bot_err ws_tls_write(struct ws_tls *t, const void *p, size_t len);

/*
 * Borrowed: the ciphertext waiting to be sent, *len (out) bytes at the
 * returned pointer, valid until ws_tls_sent() or the next call on @t.
 */
const unsigned char *ws_tls_pending(struct ws_tls *t, size_t *len);

/* The pending ciphertext was handed to the socket. */
void ws_tls_sent(struct ws_tls *t);

/*
 * Ends the session: a close_notify alert joins the pending ciphertext, for
 * the owner to send before it closes the socket (RFC 8446 section 6.1).
 * Nothing once the session failed or before the handshake is done.
 */
void ws_tls_close(struct ws_tls *t);

/* Borrowed: why the session failed, or "" while it has not. */
const char *ws_tls_why(const struct ws_tls *t);

#endif /* BOT_NET_WS_TLS_H */
