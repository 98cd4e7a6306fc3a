/* file.c - reading whole files with a size cap. */
#include "bot/base/file.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bot/base/xmalloc.h"

enum bot_err
file_read(const char *path, size_t max, char **data, size_t *len)
{
    FILE *f;
    struct stat st;
    char *p = NULL;
    size_t n = 0, cap = 0;
    enum bot_err err = BOT_OK;

    *data = NULL;
    *len = 0;
    f = fopen(path, "rb");
    if (f == NULL)
        return BOT_EIO;
    /* Refuse early on the size the file claims; the loop below still caps. */
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
        err = BOT_ELIMIT;
        goto out;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        err = BOT_EIO;
        goto out;
    }
    for (;;) {
        size_t got;

        if (n == cap) {
            /* One byte past the cap tells "exactly max" from "more"; SIZE_MAX cannot
             * grow. */
            size_t limit = max < SIZE_MAX - 1 ? max + 1 : SIZE_MAX - 1;

            cap =
                cap ? (cap < limit / 2 ? cap * 2 : limit) : (limit < 4096 ? limit : 4096);
            if (n == cap) {
                err = BOT_ELIMIT;
                goto out;
            }
            p = xreallocarray(p, cap + 1, 1);
        }
        got = fread(p + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        err = BOT_EIO;
        goto out;
    }
    if (n > max) {
        err = BOT_ELIMIT;
        goto out;
    }
    if (p == NULL)
        p = xmalloc(1);
    p[n] = '\0';
    *data = p;
    *len = n;
    p = NULL;
out:
    free(p);
    fclose(f);
    return err;
}

int
file_is_dir(const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return -1;
    return S_ISDIR(st.st_mode) ? 1 : 0;
}

int
file_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* Writes @len bytes to the existing special file @path (a device, a FIFO). */
static enum bot_err
write_in_place(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    enum bot_err err = BOT_OK;

    if (f == NULL)
        return BOT_EIO;
    if (fwrite(data, 1, len, f) != len)
        err = BOT_EIO;
    if (fclose(f) != 0)
        err = BOT_EIO;
    return err;
}

enum bot_err
file_write_atomic(const char *path, const char *data, size_t len)
{
    struct stat st;
    char *tmp;
    FILE *f;
    enum bot_err err = BOT_OK;

    /*
     * A rename would replace a device or FIFO (-o /dev/null, -o /dev/stdout)
     * with a regular file: those are written in place, as they cannot hold
     * a partial KB anyway.
     */
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return write_in_place(path, data, len);
    tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
    f = fopen(tmp, "wb");
    if (f == NULL) {
        free(tmp);
        return BOT_EIO;
    }
    if (fwrite(data, 1, len, f) != len)
        err = BOT_EIO;
    if (fclose(f) != 0)
        err = BOT_EIO;
    if (err == BOT_OK && rename(tmp, path) != 0)
        err = BOT_EIO;
    if (err)
        unlink(tmp);
    free(tmp);
    return err;
}
