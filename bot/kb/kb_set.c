/* kb_set.c - every organisation's KB, loaded together. */
#include "bot/kb/kb_set.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/file.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"

struct kb_set {
    struct kb **kbs; /* owned, sorted by org id */
    size_t n;
};

static bool
has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int
cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum bot_err
add_file(struct kb_set *set, const char *path, char **why)
{
    struct kb *kb;
    char *msg;
    enum bot_err err = kb_load_file(path, &kb, &msg);

    if (err) {
        *why = xasprintf("%s: %s", path, msg);
        free(msg);
        return err;
    }
    if (kb_set_find(set, kb->org) != NULL) {
        *why = xasprintf("%s: a second KB for org \"%s\"", path, kb->org);
        kb_free(kb);
        return BOT_EINVAL;
    }
    set->kbs = xreallocarray(set->kbs, set->n + 1, sizeof(*set->kbs));
    set->kbs[set->n++] = kb;
    return BOT_OK;
}

enum bot_err
kb_set_load(const char *path, struct kb_set **out, char **why)
{
    struct kb_set *set = xcalloc(1, sizeof(*set));
    enum bot_err err = BOT_OK;
    int isdir = file_is_dir(path);
    char **names = NULL;
    size_t nnames = 0;

    *out = NULL;
    *why = NULL;
    if (isdir < 0) {
        *why = xasprintf("%s: %s", path, strerror(errno));
        err = BOT_EIO;
    } else if (isdir == 0) {
        err = add_file(set, path, why);
    } else {
        DIR *d = opendir(path);
        struct dirent *de;

        if (d == NULL) {
            *why = xasprintf("%s: %s", path, strerror(errno));
            err = BOT_EIO;
            goto out;
        }
        while ((de = readdir(d)) != NULL) {
            if (de->d_name[0] != '.' && has_suffix(de->d_name, ".json") &&
                !has_suffix(de->d_name, ".overlay.json") &&
                !has_suffix(de->d_name, ".meta.json"))
                kb_strv_push(&names, &nnames, de->d_name);
        }
        closedir(d);
        /* Sorted, so that the first error reported is the same on every machine. */
        if (nnames > 1)
            qsort(names, nnames, sizeof(*names), cmp_name);
        for (size_t i = 0; i < nnames && err == BOT_OK; i++) {
            char *file = xasprintf("%s/%s", path, names[i]);

            err = add_file(set, file, why);
            free(file);
        }
        if (err == BOT_OK && set->n == 0) {
            *why = xasprintf("%s: no KB files (*.json) in this directory", path);
            err = BOT_EINVAL;
        }
    }
out:
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    if (err) {
        kb_set_free(set);
        return err;
    }
    *out = set;
    return BOT_OK;
}

void
kb_set_free(struct kb_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->n; i++)
        kb_free(set->kbs[i]);
    free(set->kbs);
    free(set);
}

const struct kb *
kb_set_find(const struct kb_set *set, const char *org)
{
    for (size_t i = 0; i < set->n; i++) {
        if (strcmp(set->kbs[i]->org, org) == 0)
            return set->kbs[i];
    }
    return NULL;
}

size_t
kb_set_count(const struct kb_set *set)
{
    return set->n;
}

const struct kb *
kb_set_get(const struct kb_set *set, size_t i)
{
    assert(i < set->n);
    return set->kbs[i];
}
