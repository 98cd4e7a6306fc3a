/*
 * kb_doc_pdf_run.c - runs poppler's pdftotext for the PDF reader.
 *
 * pdftotext runs as a subprocess (no shell) on a private temporary copy of
 * the bytes, with a time and output cap.  A subprocess keeps poppler's C++
 * and its fonts out of our process, and a crash in it out of ours.  Its
 * -layout output is read by kb_doc_pdf_read_layout() (kb_doc_pdf.c).
 */
#include "bot/kb/kb_doc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bot/base/buf.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb_doc_pdf_int.h"

#define PDF_ERR_MAX    (16u * 1024)
#define PDF_TIMEOUT_MS 30000

extern char **environ;

static long
ms_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * Runs pdftotext on @path; *out (out) is its standard output, *err_text
 * (out) the first line of its standard error.  Returns its exit status, or
 * -1 with *why set when it could not be run or was stopped.
 */
static int
run_pdftotext(const char *path, struct buf *out, char **err_text, char **why)
{
    char *argv[] = {"pdftotext", "-layout",    "-enc", "UTF-8", "-eol",
                    "unix",      (char *)path, "-",    NULL};
    posix_spawn_file_actions_t fa;
    int op[2], ep[2], status = 0, rc;
    pid_t pid;
    struct buf err;
    struct timespec t0;
    bool open_out = true, open_err = true;

    if (pipe(op) != 0)
        return *why = xasprintf("pipe: %s", strerror(errno)), -1;
    if (pipe(ep) != 0) {
        close(op[0]);
        close(op[1]);
        return *why = xasprintf("pipe: %s", strerror(errno)), -1;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, op[1], 1);
    posix_spawn_file_actions_adddup2(&fa, ep[1], 2);
    posix_spawn_file_actions_addclose(&fa, op[0]);
    posix_spawn_file_actions_addclose(&fa, ep[0]);
    rc = posix_spawnp(&pid, "pdftotext", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(op[1]);
    close(ep[1]);
    if (rc != 0) {
        close(op[0]);
        close(ep[0]);
        *why = rc == ENOENT ? xstrdup("reading a PDF needs pdftotext (Debian package "
                                      "poppler-utils), and it was not found")
                            : xasprintf("could not run pdftotext: %s", strerror(rc));
        return -1;
    }
    buf_init(&err, PDF_ERR_MAX);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (open_out || open_err) {
        struct pollfd pfd[2] = {{op[0], POLLIN, 0}, {ep[0], POLLIN, 0}};
        long left = PDF_TIMEOUT_MS - ms_since(&t0);
        char chunk[8192];

        if (!open_out)
            pfd[0].fd = -1;
        if (!open_err)
            pfd[1].fd = -1;
        if (left <= 0 || (poll(pfd, 2, (int)left) < 0 && errno != EINTR)) {
            *why =
                xasprintf("pdftotext took longer than %d seconds", PDF_TIMEOUT_MS / 1000);
            goto kill;
        }
        for (int k = 0; k < 2; k++) {
            ssize_t n;

            if (pfd[k].fd < 0 || !(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            n = read(pfd[k].fd, chunk, sizeof(chunk));
            if (n <= 0) {
                if (n < 0 && errno == EINTR)
                    continue;
                if (k == 0)
                    open_out = false;
                else
                    open_err = false;
                continue;
            }
            if (k == 0 && buf_add(out, chunk, (size_t)n) != BOT_OK) {
                *why = xasprintf("more than %u MiB of text", PDF_TEXT_MAX >> 20);
                goto kill;
            }
            if (k == 1)
                (void)buf_add(&err, chunk, (size_t)n);
        }
    }
    close(op[0]);
    close(ep[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    {
        const char *e = buf_str(&err);
        const char *nl = strchr(e, '\n');

        *err_text = xstrndup(e, nl ? (size_t)(nl - e) : strlen(e));
    }
    buf_cleanup(&err);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
kill:
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    close(op[0]);
    close(ep[0]);
    buf_cleanup(&err);
    return -1;
}

static bool
has_letters(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0xc0)
            return true;
    }
    return false;
}

enum bot_err
kb_doc_read_pdf(struct kb_doc *doc, const char *buf, size_t len, unsigned src, char **why)
{
    const char *tmpdir = getenv("TMPDIR");
    char *path, *err_text = NULL;
    struct buf out;
    int fd, rc;
    enum bot_err err;

    if (len == 0) {
        *why = xstrdup("the file is empty");
        return BOT_EPARSE;
    }
    if (len < 5 || memcmp(buf, "%PDF-", 5) != 0) {
        *why = xstrdup("not a PDF (no %PDF- header)");
        return BOT_EPARSE;
    }
    path = xasprintf("%s/valuesbot-pdf-XXXXXX",
                     tmpdir != NULL && tmpdir[0] == '/' ? tmpdir : "/tmp");
    fd = mkstemp(path); /* mode 0600: the document is private until read */
    if (fd < 0) {
        *why = xasprintf("could not make a temporary file: %s", strerror(errno));
        free(path);
        return BOT_EIO;
    }
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, buf + done, len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *why = xasprintf("could not write a temporary file: %s", strerror(errno));
            close(fd);
            unlink(path);
            free(path);
            return BOT_EIO;
        }
        done += (size_t)n;
    }
    close(fd);
    buf_init(&out, PDF_TEXT_MAX);
    rc = run_pdftotext(path, &out, &err_text, why);
    unlink(path);
    free(path);
    if (rc < 0) {
        err = out.len >= PDF_TEXT_MAX ? BOT_ELIMIT : BOT_EIO;
        goto out;
    }
    if (rc != 0) {
        *why = xasprintf("pdftotext could not read the PDF%s%s%s",
                         err_text && err_text[0] ? " (" : "", err_text ? err_text : "",
                         err_text && err_text[0] ? ")" : "");
        err = BOT_EPARSE;
        goto out;
    }
    if (!has_letters(buf_str(&out), out.len)) {
        *why = xstrdup("the PDF has no text layer; is it a scan?");
        err = BOT_EPARSE;
        goto out;
    }
    err = kb_doc_pdf_read_layout(doc, buf_str(&out), out.len, src, why);
out:
    free(err_text);
    buf_cleanup(&out);
    return err;
}
