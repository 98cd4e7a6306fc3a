/* log.c - leveled logging to stderr as logfmt or JSON lines. */
#include "bot/base/log.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bot/base/fmt.h"

/* A line's bytes at most: the message (2 KiB before escaping) and its fields. */
#define LOG_LINE_MAX 4096

/*
 * Process-wide logging settings: set once at start-up from the config,
 * read on every log call.  This is the one deliberate exception to "no
 * mutable globals"; passing a logger to every function would cost more
 * clarity than it buys.
 */
static enum log_level log_max = LOG_LEVEL_INFO;
static bool log_json;

static const char *const level_names[] = {"error", "warn", "info", "debug"};

void
log_set_level(enum log_level level)
{
    log_max = level;
}

bool
log_level_parse(const char *s, enum log_level *level)
{
    for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
        if (strcmp(s, level_names[i]) == 0) {
            *level = (enum log_level)i;
            return true;
        }
    }
    return false;
}

void
log_set_json(bool json)
{
    log_json = json;
}

bool
log_enabled(enum log_level level)
{
    return level <= log_max;
}

/* One log line: a bounded buffer, filled without any stdio. */
struct line {
    char buf[LOG_LINE_MAX];
    size_t len;
};

static void
line_add(struct line *l, const char *s, size_t n)
{
    if (n > sizeof(l->buf) - l->len)
        n = sizeof(l->buf) - l->len;
    memcpy(l->buf + l->len, s, n);
    l->len += n;
}

static void
line_adds(struct line *l, const char *s)
{
    line_add(l, s, strlen(s));
}

/*
 * Appends @s as a quoted string, escaping what would break one log line.
 * Room for the closing quote and the newline is kept, so a message too long
 * for the line is cut and the line still ends well.
 */
static void
line_add_quoted(struct line *l, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const size_t end = sizeof(l->buf) - 3; /* '"', '}' and '\n' */
    const unsigned char *p;

    line_add(l, "\"", 1);
    for (p = (const unsigned char *)s; *p != '\0' && l->len + 6 <= end; p++) {
        /* A run that needs no escape, copied at once (as far as the room). */
        size_t run = 0, room = end - 6 - l->len + 1;

        while (run < room && p[run] >= 0x20 && p[run] != '"' && p[run] != '\\')
            run++;
        if (run > 0) {
            memcpy(l->buf + l->len, p, run);
            l->len += run;
            p += run - 1;
            continue;
        }
        if (*p == '"' || *p == '\\') {
            l->buf[l->len++] = '\\';
            l->buf[l->len++] = (char)*p;
        } else if (*p == '\n') {
            l->buf[l->len++] = '\\';
            l->buf[l->len++] = 'n';
        } else if (*p < 0x20) {
            memcpy(l->buf + l->len, "\\u00", 4);
            l->buf[l->len + 4] = hex[*p >> 4];
            l->buf[l->len + 5] = hex[*p & 15];
            l->len += 6;
        } else {
            l->buf[l->len++] = (char)*p;
        }
    }
    l->buf[l->len++] = '"';
}

/*
 * Writes "YYYY-MM-DDTHH:MM:SS" for @sec into @out (20 bytes).  The text is
 * kept for the second it names: a busy daemon logs many lines a second,
 * and gmtime_r() and strftime() per line cost more than the rest of it.
 */
static void
format_second(time_t sec, char out[20])
{
    static time_t cached = (time_t)-1;
    static char text[20];
    struct tm tm;

    if (sec != cached) {
        gmtime_r(&sec, &tm);
        strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &tm);
        cached = sec;
    }
    memcpy(out, text, sizeof(text));
}

/* Writes @len bytes of @p to stderr: one write(2), unless the kernel takes less. */
static void
write_all(const char *p, size_t len)
{
    size_t off = 0;
    ssize_t n;

    while (off < len) {
        n = write(STDERR_FILENO, p + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* nowhere to log that logging failed */
        off += (size_t)n;
    }
}

/*
 * Lines at info and debug waiting for log_flush(), while buffering is on
 * (the event loop turns it on and flushes before it waits: see log.h).
 * A busy daemon's lines of one turn of the loop then cost one write(2).
 */
static struct {
    bool on;
    size_t len;
    char buf[4 * LOG_LINE_MAX];
} pending;

void
log_flush(void)
{
    if (pending.len > 0) {
        size_t len = pending.len;

        pending.len = 0;
        write_all(pending.buf, len);
    }
}

/*
 * A failed assert() (they stay on in production) or a crash would otherwise
 * take the buffered lines, the ones that led up to it, with the process.
 * The handler only calls write(2), which is async-signal-safe; a line being
 * added when the signal came is cut, since pending.len moves after the copy.
 * It then puts back what was there before (the default action, or ASan's
 * handler).  A signal sent by a process (abort(), kill) is raised again; a
 * fault is not: returning runs the faulting instruction again, so the old
 * handler sees the real fault, with its address and context.
 */
static const int crash_signals[] = {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL};
static struct sigaction crash_old[sizeof(crash_signals) / sizeof(crash_signals[0])];

static void
on_crash(int signum, siginfo_t *si, void *ctx)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof(crash_signals) / sizeof(crash_signals[0]); i++) {
        if (crash_signals[i] == signum)
            (void)sigaction(signum, &crash_old[i], NULL);
    }
    log_flush();
    if (si == NULL || si->si_code <= 0)
        (void)raise(signum);
}

static void
crash_flush_install(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_crash;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof(crash_signals) / sizeof(crash_signals[0]); i++)
        (void)sigaction(crash_signals[i], &sa, &crash_old[i]);
}

void
log_set_buffered(bool on)
{
    static bool registered;

    if (!on)
        log_flush();
    else if (!registered && atexit(log_flush) == 0) {
        registered = true;
        crash_flush_install();
    }
    pending.on = on;
}

static void
line_write(const struct line *l, enum log_level level)
{
    if (pending.on && level >= LOG_LEVEL_INFO) {
        if (pending.len + l->len > sizeof(pending.buf))
            log_flush();
        memcpy(pending.buf + pending.len, l->buf, l->len);
        pending.len += l->len;
        return;
    }
    /* Warnings and errors go at once, after what came before them. */
    log_flush();
    write_all(l->buf, l->len);
}

static void
vlog(enum log_level level, int errnum, const char *fmt, va_list ap)
{
    char msg[2048];
    char ts[20], ms[6];
    long msec;
    struct timespec now;
    struct line l;
    int n;

    if (!log_enabled(level))
        return;
    if ((n = fmt_strings(msg, sizeof(msg), fmt, ap)) < 0)
        n = vsnprintf(msg, sizeof(msg), fmt, ap);
    if (n >= 0 && errnum != 0 && (size_t)n < sizeof(msg))
        snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s", strerror(errnum));
    clock_gettime(CLOCK_REALTIME, &now);
    format_second(now.tv_sec, ts);
    msec = now.tv_nsec / 1000000;
    ms[0] = '.';
    ms[1] = (char)('0' + msec / 100 % 10);
    ms[2] = (char)('0' + msec / 10 % 10);
    ms[3] = (char)('0' + msec % 10);
    ms[4] = 'Z';
    ms[5] = '\0';
    l.len = 0;
    if (log_json) {
        line_adds(&l, "{\"ts\":\"");
        line_adds(&l, ts);
        line_adds(&l, ms);
        line_adds(&l, "\",\"level\":\"");
        line_adds(&l, level_names[level]);
        line_adds(&l, "\",\"msg\":");
        line_add_quoted(&l, msg);
        l.buf[l.len++] = '}';
    } else {
        line_adds(&l, "ts=");
        line_adds(&l, ts);
        line_adds(&l, ms);
        line_adds(&l, " level=");
        line_adds(&l, level_names[level]);
        line_adds(&l, " msg=");
        line_add_quoted(&l, msg);
    }
    l.buf[l.len++] = '\n';
    line_write(&l, level);
}

#define LOG_BODY(level, errnum)                                                          \
    do {                                                                                 \
        va_list ap;                                                                      \
        va_start(ap, fmt);                                                               \
        vlog(level, errnum, fmt, ap);                                                    \
        va_end(ap);                                                                      \
    } while (0)

void
log_warn(const char *fmt, ...)
{
    int saved = errno;

    LOG_BODY(LOG_LEVEL_WARN, saved);
}

void
log_warnx(const char *fmt, ...)
{
    LOG_BODY(LOG_LEVEL_WARN, 0);
}

void
log_info(const char *fmt, ...)
{
    LOG_BODY(LOG_LEVEL_INFO, 0);
}

void
log_debug(const char *fmt, ...)
{
    LOG_BODY(LOG_LEVEL_DEBUG, 0);
}

void
fatal(const char *fmt, ...)
{
    int saved = errno;

    LOG_BODY(LOG_LEVEL_ERROR, saved);
    exit(1);
}

void
fatalx(const char *fmt, ...)
{
    LOG_BODY(LOG_LEVEL_ERROR, 0);
    exit(1);
}
