/*
 * loop.c - the libuv loop, with libwebsockets joined to it as a foreign
 * loop and libcurl's multi-socket interface driven from it (http.c).
 *
 * Shutdown follows the lws foreign-loop example: destroy the lws context,
 * close our own handles, then run the loop until every close callback has
 * run, and only then close the loop.
 */
#include "bot/net/loop.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "bot/base/log.h"
#include "bot/base/xmalloc.h"
#include "bot/net/net_int.h"

struct net_signal {
    uv_signal_t h;
    net_signal_fn *fn;
    void *arg;
    struct net_signal *next;
};

struct net_timer {
    uv_timer_t h;
    net_timer_fn *fn;
    void *arg;
};

static void
lws_log_emit(int level, const char *line)
{
    size_t n = strlen(line);

    /* lws lines end in a newline and may quote frames; keep them at debug. */
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        n--;
    if (level & LLL_ERR)
        log_warnx("lws: %.*s", (int)n, line);
    else
        log_debug("lws: %.*s", (int)n, line);
}

/* Before the loop waits for I/O: the log lines of this turn, in one write. */
static void
on_prepare(uv_prepare_t *h)
{
    (void)h;
    log_flush();
}

struct net_loop *
net_loop_new(void)
{
    struct net_loop *loop = xcalloc(1, sizeof(*loop));
    struct timespec ts;

    if (uv_loop_init(&loop->uv) != 0)
        fatalx("net: cannot start the event loop");
    /* A peer that closes while we write must not kill the daemon. */
    signal(SIGPIPE, SIG_IGN);
    lws_set_log_level(log_enabled(LOG_LEVEL_DEBUG) ? LLL_ERR | LLL_WARN | LLL_NOTICE
                                                   : LLL_ERR,
                      lws_log_emit);
    clock_gettime(CLOCK_REALTIME, &ts);
    loop->rng = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
                ((uint64_t)getpid() << 40) ^ (uintptr_t)loop;
    /*
     * Before curl and lws start OpenSSL: without its error strings.  Loading
     * them (every library's reason texts, hashed) touches 1.2 MB of
     * libcrypto's pages, 8% of a chat bot's RSS, for messages it rarely
     * prints: a certificate that fails verification is still named in words
     * (X509_verify_cert_error_string() has its own table); other TLS errors
     * read "error:0A000410:lib(20)::reason(1040)", which `openssl errstr
     * 0A000410` spells out.
     */
    if (!OPENSSL_init_ssl(
            OPENSSL_INIT_NO_LOAD_SSL_STRINGS | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS, NULL))
        fatalx("net: OpenSSL failed to initialise");
    http_loop_init(loop);
    uv_prepare_init(&loop->uv, &loop->log_prepare);
    uv_prepare_start(&loop->log_prepare, on_prepare);
    uv_unref((uv_handle_t *)&loop->log_prepare);
    log_set_buffered(true);
    return loop;
}

const char *
net_ca_dir(void)
{
    const char *d = getenv(X509_get_default_cert_dir_env());

    return d != NULL && *d != '\0' ? d : X509_get_default_cert_dir();
}

const char *
net_ca_env_file(void)
{
    const char *f = getenv(X509_get_default_cert_file_env());

    return f != NULL && *f != '\0' ? f : NULL;
}

/*
 * Verifies a peer's chain (SSL_CTX_set_cert_verify_callback()), with its
 * name checked as curl and RFC 6125 (section 6.4.4) check it: the subject's
 * CN stands for a name only when the certificate's subjectAltName holds no
 * DNS name and no address.  OpenSSL on its own falls back to the CN
 * whenever there is no DNS name, so a certificate for the address
 * 127.0.0.1 alone, with CN=localhost, would pass as https://localhost.
 */
static int
verify_chain(X509_STORE_CTX *sctx, void *arg)
{
    X509 *leaf = X509_STORE_CTX_get0_cert(sctx);
    GENERAL_NAMES *sans =
        leaf != NULL ? X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL) : NULL;
    bool named = false;

    (void)arg;
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(sans, i);

        if (g->type == GEN_DNS || g->type == GEN_IPADD)
            named = true;
    }
    GENERAL_NAMES_free(sans);
    if (named) {
        X509_VERIFY_PARAM *vp = X509_STORE_CTX_get0_param(sctx);

        X509_VERIFY_PARAM_set_hostflags(vp, X509_VERIFY_PARAM_get_hostflags(vp) |
                                                X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
    }
    return X509_verify_cert(sctx);
}

/*
 * The client TLS context of a websocket vhost: ours, not the one lws would
 * make.  lws calls SSL_CTX_set_default_verify_paths(), and OpenSSL then
 * parses the whole system CA bundle (some 140 certificates: 0.8 MB of heap
 * and 0.3 MB more of libcrypto touched) as the lws context starts, even in
 * a bot that never opens a TLS connection.  The system's hashed CA
 * directory (/etc/ssl/certs, kept by update-ca-certificates) holds the
 * same certificates, and a handshake reads only those it needs.  The
 * verification is unchanged: lws sets SSL_VERIFY_PEER and the host name on
 * every connection, and the context asks for it too.  Trusted: @ca_file
 * when given, else SSL_CERT_FILE when set, plus that directory (or
 * SSL_CERT_DIR).  NULL when @ca_file cannot be loaded.
 */
static SSL_CTX *
tls_client_ctx(const char *ca_file)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    const char *file = ca_file != NULL ? ca_file : net_ca_env_file();

    if (ctx == NULL)
        fatalx("net: OpenSSL cannot make a TLS context");
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION);
    SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_cert_verify_callback(ctx, verify_chain, NULL);
    if (file != NULL && SSL_CTX_load_verify_file(ctx, file) != 1) {
        log_warnx("net: cannot load the CA file %s", file);
        SSL_CTX_free(ctx);
        return NULL;
    }
    if (SSL_CTX_load_verify_dir(ctx, net_ca_dir()) != 1)
        log_warnx("net: cannot use the CA directory %s", net_ca_dir());
    return ctx;
}

SSL_CTX *
net_tls_client_ctx(struct net_loop *loop, const char *ca_file)
{
    SSL_CTX *ctx;

    for (size_t i = 0; i < loop->ntls_ctxs; i++) {
        const char *f = loop->tls_ca_files[i];

        if (net_same_string(f, ca_file))
            return loop->tls_ctxs[i];
    }
    if ((ctx = tls_client_ctx(ca_file)) == NULL)
        return NULL;
    loop->tls_ctxs =
        xreallocarray(loop->tls_ctxs, loop->ntls_ctxs + 1, sizeof(*loop->tls_ctxs));
    loop->tls_ca_files = xreallocarray(loop->tls_ca_files, loop->ntls_ctxs + 1,
                                       sizeof(*loop->tls_ca_files));
    loop->tls_ca_files[loop->ntls_ctxs] = xstrdup_or_null(ca_file);
    loop->tls_ctxs[loop->ntls_ctxs++] = ctx;
    return ctx;
}

enum bot_err
net_lws_context(struct net_loop *loop, struct lws_context **out)
{
    struct lws_context_creation_info info;
    void *foreign[1] = {&loop->uv};

    if (loop->lws == NULL) {
        memset(&info, 0, sizeof(info));
        info.port = CONTEXT_PORT_NO_LISTEN;
        info.protocols = ws_protocols;
        info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
        info.foreign_loops = foreign;
        info.pcontext = &loop->lws; /* NULLed once destruction has completed */
        info.fd_limit_per_thread = 1024;
        /* Request headers up to 16 KB: a Bot Framework POST carries a JWT of
         * 1 to 3 KB beside its other headers; lws's default is 4 KB. */
        info.max_http_header_data = 16384;
        /* lws reads a socket into this per-thread buffer (4 KB by default):
         * a websocket's raw reads (ws.c) take 16 KB at a time, a quarter of
         * the recv() calls and callbacks for a large message. */
        info.pt_serv_buf_size = NET_READ_SIZE;
        /* lws itself makes no TLS connection (ws.c runs its own), but
         * given none it would build a context with every system CA. */
        info.provided_client_ssl_ctx = net_tls_client_ctx(loop, NULL);
        loop->lws = lws_create_context(&info);
        if (loop->lws == NULL) {
            log_warnx("net: libwebsockets could not start on the libuv loop");
            return BOT_ENET;
        }
    }
    *out = loop->lws;
    return BOT_OK;
}

static void
free_on_close(uv_handle_t *h)
{
    free(h->data);
}

void
net_loop_free(struct net_loop *loop)
{
    struct net_signal *s, *next;

    if (loop == NULL)
        return;
    loop->stopping = true;
    log_set_buffered(false);
    uv_close((uv_handle_t *)&loop->log_prepare, NULL);
    http_loop_cleanup(loop);
    if (loop->lws != NULL)
        lws_context_destroy(loop->lws);
    for (s = loop->signals; s != NULL; s = next) {
        next = s->next;
        uv_signal_stop(&s->h);
        s->h.data = s;
        uv_close((uv_handle_t *)&s->h, free_on_close);
    }
    loop->signals = NULL;
    /* Let every close callback (ours, lws's, curl's polls) run.  On a
     * foreign loop lws finishes destroying its context in a second pass,
     * once its handles have closed; pcontext tells us when it is done. */
    uv_run(&loop->uv, UV_RUN_DEFAULT);
    for (int pass = 0; loop->lws != NULL && pass < 3; pass++) {
        lws_context_destroy(loop->lws);
        uv_run(&loop->uv, UV_RUN_DEFAULT);
    }
    if (uv_loop_close(&loop->uv) != 0)
        log_warnx("net: event loop closed with handles still open");
    for (size_t i = 0; i < loop->ntls_ctxs; i++) {
        SSL_CTX_free(loop->tls_ctxs[i]);
        free(loop->tls_ca_files[i]);
    }
    free(loop->tls_ctxs);
    free(loop->tls_ca_files);
    net_httpd_free(loop->httpd);
    net_wsd_free(loop->wsd);
    free(loop);
}

void
net_loop_run(struct net_loop *loop)
{
    uv_run(&loop->uv, UV_RUN_DEFAULT);
}

void
net_loop_stop(struct net_loop *loop)
{
    uv_stop(&loop->uv);
}

uint64_t
net_loop_now(struct net_loop *loop)
{
    return uv_now(&loop->uv);
}

static void
on_uv_signal(uv_signal_t *h, int signum)
{
    struct net_signal *s = h->data;

    s->fn(s->arg, signum);
}

enum bot_err
net_loop_on_signal(struct net_loop *loop, int signum, net_signal_fn *fn, void *arg)
{
    struct net_signal *s = xcalloc(1, sizeof(*s));

    s->fn = fn;
    s->arg = arg;
    s->h.data = s;
    if (uv_signal_init(&loop->uv, &s->h) != 0) {
        free(s);
        return BOT_EINVAL;
    }
    s->next = loop->signals;
    loop->signals = s;
    if (uv_signal_start(&s->h, on_uv_signal, signum) != 0)
        return BOT_EINVAL; /* closed with the loop */
    /* A signal watcher must not keep the loop alive on its own. */
    uv_unref((uv_handle_t *)&s->h);
    return BOT_OK;
}

static void
on_uv_timer(uv_timer_t *h)
{
    struct net_timer *t = h->data;

    t->fn(t->arg);
}

struct net_timer *
net_timer_new(struct net_loop *loop, net_timer_fn *fn, void *arg)
{
    struct net_timer *t = xcalloc(1, sizeof(*t));

    uv_timer_init(&loop->uv, &t->h);
    t->h.data = t;
    t->fn = fn;
    t->arg = arg;
    return t;
}

void
net_timer_start(struct net_timer *t, uint64_t ms)
{
    uv_timer_start(&t->h, on_uv_timer, ms, 0);
}

void
net_timer_stop(struct net_timer *t)
{
    uv_timer_stop(&t->h);
}

bool
net_timer_is_active(const struct net_timer *t)
{
    return uv_is_active((const uv_handle_t *)&t->h) != 0;
}

void
net_timer_free(struct net_timer *t)
{
    if (t == NULL)
        return;
    uv_timer_stop(&t->h);
    uv_close((uv_handle_t *)&t->h, free_on_close);
}

uint32_t
net_random(struct net_loop *loop)
{
    /* splitmix64: plenty for spreading reconnects apart. */
    uint64_t z = (loop->rng += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}
