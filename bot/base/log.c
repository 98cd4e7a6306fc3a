/* log.c - leveled logging to stderr as logfmt or JSON lines. */
#include "bot/base/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* Writes @s as a quoted string, escaping what would break one log line. */
static void
put_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void
vlog(enum log_level level, int errnum, const char *fmt, va_list ap)
{
    char msg[2048];
    char ts[32];
    struct timespec now;
    struct tm tm;
    int n;

    if (!log_enabled(level))
        return;
    n = vsnprintf(msg, sizeof(msg), fmt, ap);
    if (n >= 0 && errnum != 0 && (size_t)n < sizeof(msg))
        snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s", strerror(errnum));
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
    if (log_json) {
        fprintf(stderr, "{\"ts\":\"%s.%03ldZ\",\"level\":\"%s\",\"msg\":", ts,
                now.tv_nsec / 1000000, level_names[level]);
        put_quoted(stderr, msg);
        fputs("}\n", stderr);
    } else {
        fprintf(stderr, "ts=%s.%03ldZ level=%s msg=", ts, now.tv_nsec / 1000000,
                level_names[level]);
        put_quoted(stderr, msg);
        fputc('\n', stderr);
    }
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
