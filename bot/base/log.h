/*
 * log.h - leveled logging to stderr, in the OpenBSD log.h shape.
 *
 * One line per event, logfmt by default ("ts=... level=warn msg=..."),
 * built in memory and written with one write(2), so that lines from other
 * writers (a sanitizer report) never land inside one, and a busy daemon
 * pays one system call per line, not one per character as stdio's
 * unbuffered stderr does.  Loop thread only.
 * The level is checked before formatting.  Never pass tokens or message
 * bodies above debug level; log_redact() helps callers mask secrets.
 */
#ifndef BOT_BASE_LOG_H
#define BOT_BASE_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level {
    LOG_LEVEL_ERROR = 0,
    LOG_LEVEL_WARN,
    LOG_LEVEL_INFO,
    LOG_LEVEL_DEBUG,
};

/*
 * Turns buffering on or off (off by default).  While on, lines at info and
 * debug are kept in memory until log_flush(), the buffer fills, a warning
 * or error is logged (written after them, at once), or the process exits
 * (exit(), fatal(), or a crash signal: SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL);
 * the event loop turns it on and flushes before each wait, so a line waits
 * at most for the rest of one turn of the loop.  Turning it off flushes.
 */
void log_set_buffered(bool on);

/* Writes the buffered lines now (one write(2)); nothing when none wait. */
void log_flush(void);

/* Sets the most verbose level written.  Default: LOG_LEVEL_INFO. */
void log_set_level(enum log_level level);

/* Parses "error", "warn", "info" or "debug" into @level (out); false if unknown. */
bool log_level_parse(const char *s, enum log_level *level);

/* Chooses JSON lines instead of logfmt. */
void log_set_json(bool json);

/* Returns true when @level would be written. */
bool log_enabled(enum log_level level);

#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))

void log_warn(const char *fmt, ...) LOG_PRINTF(1, 2); /* appends strerror(errno) */
void log_warnx(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_info(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_debug(const char *fmt, ...) LOG_PRINTF(1, 2);
_Noreturn void fatal(const char *fmt, ...) LOG_PRINTF(1, 2); /* appends errno */
_Noreturn void fatalx(const char *fmt, ...) LOG_PRINTF(1, 2);

#endif /* BOT_BASE_LOG_H */
