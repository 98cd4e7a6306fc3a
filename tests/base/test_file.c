/* test_file.c - capped whole-file reads and atomic writes in bot/base/file.c. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "bot/base/file.h"
#include "bot/base/xmalloc.h"

static char dir[] = "/tmp/valuesbot-test-file-XXXXXX";

static void
setup(void)
{
    cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
}

static void
remove_tree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *de;

    if (d == NULL)
        return;
    while ((de = readdir(d)) != NULL) {
        char *p;

        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        p = xasprintf("%s/%s", path, de->d_name);
        if (file_is_dir(p) == 1)
            remove_tree(p);
        else
            unlink(p);
        free(p);
    }
    closedir(d);
    rmdir(path);
}

static void
teardown(void)
{
    remove_tree(dir);
}

TestSuite(file, .init = setup, .fini = teardown);

/* Returns a new path inside the test directory; free with free(). */
static char *
path_of(const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

static char *
make_file(const char *name, const char *data, size_t len)
{
    char *p = path_of(name);
    FILE *f = fopen(p, "wb");

    cr_assert_not_null(f, "%s: %s", p, strerror(errno));
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
    return p;
}

Test(file, reads_whole_file_nul_terminated)
{
    char *p = make_file("a.txt", "line one\nline two\n", 18);
    char *data = NULL;
    size_t len = 0;

    cr_assert_eq(file_read(p, 1024, &data, &len), BOT_OK);
    cr_assert_eq(len, 18);
    cr_assert_eq(data[len], '\0');
    cr_assert_str_eq(data, "line one\nline two\n");
    free(data);
    free(p);
}

Test(file, keeps_embedded_nul_bytes)
{
    char *p = make_file("bin", "a\0b\0c", 5);
    char *data;
    size_t len;

    cr_assert_eq(file_read(p, 64, &data, &len), BOT_OK);
    cr_assert_eq(len, 5);
    cr_assert_eq(memcmp(data, "a\0b\0c", 6), 0);
    free(data);
    free(p);
}

Test(file, empty_file_gives_empty_string)
{
    char *p = make_file("empty", "", 0);
    char *data = NULL;
    size_t len = 99;

    cr_assert_eq(file_read(p, 0, &data, &len), BOT_OK);
    cr_assert_not_null(data);
    cr_assert_eq(len, 0);
    cr_assert_str_eq(data, "");
    free(data);
    free(p);
}

struct cap_case {
    const char *name; /* printed when the case fails */
    size_t size;      /* bytes in the file */
    size_t max;
    enum bot_err want;
};

static const struct cap_case cap_cases[] = {
    {"well under the cap", 10, 100, BOT_OK},
    {"exactly the cap", 10, 10, BOT_OK},
    {"one byte over the cap", 11, 10, BOT_ELIMIT},
    {"cap of zero, one byte", 1, 0, BOT_ELIMIT},
    {"just over a read chunk", 4097, 4097, BOT_OK},
    {"over a read chunk, cap below", 9000, 8999, BOT_ELIMIT},
};

Test(file, cap_table)
{
    for (size_t i = 0; i < sizeof(cap_cases) / sizeof(cap_cases[0]); i++) {
        const struct cap_case *c = &cap_cases[i];
        char *content = xmalloc(c->size);
        char *p, *data = (char *)1;
        size_t len = 1;
        enum bot_err err;

        memset(content, 'z', c->size);
        p = make_file("cap", content, c->size);
        err = file_read(p, c->max, &data, &len);
        cr_expect_eq(err, c->want, "%s: got %s", c->name, bot_strerror(err));
        if (err == BOT_OK) {
            cr_expect_eq(len, c->size, "%s: len", c->name);
            cr_expect_eq(memcmp(data, content, c->size), 0, "%s: content", c->name);
            cr_expect_eq(data[len], '\0', "%s: NUL", c->name);
        } else {
            cr_expect_null(data, "%s: *data must be NULL on error", c->name);
            cr_expect_eq(len, 0, "%s: *len must be 0 on error", c->name);
        }
        free(data);
        free(content);
        free(p);
    }
}

Test(file, huge_sparse_file_is_refused_quickly)
{
    char *p = path_of("huge");
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    char *data = (char *)1;
    size_t len;
    enum bot_err err;

    cr_assert_geq(fd, 0);
    cr_assert_eq(ftruncate(fd, (off_t)100 * 1024 * 1024), 0);
    close(fd);
    err = file_read(p, 16u * 1024 * 1024, &data, &len);
    unlink(p);
    cr_assert_eq(err, BOT_ELIMIT, "got %s", bot_strerror(err));
    cr_assert_null(data);
    free(p);
}

Test(file, unsized_stream_is_capped_while_reading)
{
    char *data = (char *)1;
    size_t len;

    /* /dev/zero reports no size, so only the read loop can stop it. */
    cr_assert_eq(file_read("/dev/zero", 10000, &data, &len), BOT_ELIMIT);
    cr_assert_null(data);
}

Test(file, no_cap_reads_a_small_file)
{
    char *p = make_file("small", "abc", 3);
    char *data = NULL;
    size_t len = 0;
    enum bot_err err;

    /* SIZE_MAX means "no practical limit"; a 3-byte file is not larger. */
    err = file_read(p, SIZE_MAX, &data, &len);
    cr_expect_eq(err, BOT_OK, "got %s", bot_strerror(err));
    if (err == BOT_OK)
        cr_expect_str_eq(data, "abc");
    free(data);
    free(p);
}

Test(file, missing_file_is_eio_with_errno)
{
    char *p = path_of("does-not-exist");
    char *data = (char *)1;
    size_t len;

    errno = 0;
    cr_assert_eq(file_read(p, 100, &data, &len), BOT_EIO);
    cr_assert_eq(errno, ENOENT);
    cr_assert_null(data);
    free(p);
}

Test(file, directory_is_eio)
{
    char *data = (char *)1;
    size_t len;

    errno = 0;
    cr_assert_eq(file_read(dir, 100, &data, &len), BOT_EIO);
    cr_assert_eq(errno, EISDIR);
    cr_assert_null(data);
}

Test(file, is_dir_and_exists)
{
    char *p = make_file("f", "x", 1);
    char *missing = path_of("nope");

    cr_assert_eq(file_is_dir(dir), 1);
    cr_assert_eq(file_is_dir(p), 0);
    cr_assert_eq(file_is_dir(missing), -1);
    cr_assert(file_exists(p));
    cr_assert(file_exists(dir));
    cr_assert_not(file_exists(missing));
    free(p);
    free(missing);
}

static size_t
count_entries(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *de;
    size_t n = 0;

    cr_assert_not_null(d);
    while ((de = readdir(d)) != NULL)
        n += de->d_name[0] != '.';
    closedir(d);
    return n;
}

Test(file, write_atomic_creates_and_replaces)
{
    char *p = path_of("out.json");
    char *data;
    size_t len;

    cr_assert_eq(file_write_atomic(p, "first version\n", 14), BOT_OK);
    cr_assert_eq(file_read(p, 100, &data, &len), BOT_OK);
    cr_assert_str_eq(data, "first version\n");
    free(data);
    cr_assert_eq(file_write_atomic(p, "2nd", 3), BOT_OK);
    cr_assert_eq(file_read(p, 100, &data, &len), BOT_OK);
    cr_assert_str_eq(data, "2nd", "the old content is replaced, not appended");
    cr_assert_eq(len, 3);
    free(data);
    cr_assert_eq(count_entries(dir), 1, "no temporary file is left behind");
    free(p);
}

Test(file, write_atomic_into_missing_directory_is_eio)
{
    char *p = path_of("no-such-dir/out.json");

    cr_assert_eq(file_write_atomic(p, "x", 1), BOT_EIO);
    cr_assert_not(file_exists(p));
    cr_assert_eq(count_entries(dir), 0);
    free(p);
}

/* -o /dev/null once replaced the machine's /dev/null with a regular file. */
Test(file, write_atomic_keeps_a_device_a_device)
{
    struct stat st;

    cr_assert_eq(file_write_atomic("/dev/null", "kb\n", 3), BOT_OK);
    cr_assert_eq(stat("/dev/null", &st), 0);
    cr_assert(S_ISCHR(st.st_mode), "/dev/null is no longer a character device");
}
