/* file.h - reading whole files with a size cap. */
#ifndef BOT_BASE_FILE_H
#define BOT_BASE_FILE_H

#include <stddef.h>

#include "bot/base/err.h"

/*
 * Reads the file at @path into a new NUL-terminated buffer (out @data, free
 * with free()) of @len bytes (out).  Returns BOT_EIO (errno set) when it
 * cannot be opened or read, BOT_ELIMIT when it is larger than @max bytes,
 * without reading it all.  On error *data is NULL.
 */
enum bot_err file_read(const char *path, size_t max, char **data, size_t *len);

/* Returns 1 for a directory, 0 for anything else, -1 if @path cannot be stat'ed. */
int file_is_dir(const char *path);

/* Returns true when @path exists. */
int file_exists(const char *path);

/*
 * Writes @len bytes to @path via a temporary file and rename; an existing
 * special file (device, FIFO) is written in place, never replaced.  BOT_EIO
 * on error.
 */
enum bot_err file_write_atomic(const char *path, const char *data, size_t len);

#endif /* BOT_BASE_FILE_H */
