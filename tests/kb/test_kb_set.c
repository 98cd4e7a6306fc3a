/* test_kb_set.c - loading every organisation's KB with bot/kb/kb_set.c. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "bot/base/file.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_set.h"

static char dir[] = "/tmp/valuesbot-test-kb-set-XXXXXX";

static void
setup(void)
{
    cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
}

static void
teardown(void)
{
    DIR *d = opendir(dir);
    struct dirent *de;

    if (d == NULL)
        return;
    while ((de = readdir(d)) != NULL) {
        char *p = xasprintf("%s/%s", dir, de->d_name);

        if (de->d_name[0] != '.' || strlen(de->d_name) > 2)
            unlink(p);
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

TestSuite(kb_set, .init = setup, .fini = teardown);

/* Writes @data to @name inside the test directory. */
static void
put(const char *name, const char *data)
{
    char *p = xasprintf("%s/%s", dir, name);

    cr_assert_eq(file_write_atomic(p, data, strlen(data)), BOT_OK, "%s", p);
    free(p);
}

/* Copies the repository file @src to @name inside the test directory. */
static void
copy(const char *src, const char *name)
{
    char *data;
    size_t len;

    cr_assert_eq(file_read(src, KB_MAX_FILE, &data, &len), BOT_OK,
                 "%s (run from the repository root)", src);
    put(name, data);
    free(data);
}

Test(kb_set, loads_the_knowledge_directory)
{
    struct kb_set *set = NULL;
    char *why = NULL;
    const struct kb *tewv, *cwpt;

    cr_assert_eq(kb_set_load("knowledge", &set, &why), BOT_OK, "%s", why);
    cr_assert_null(why);
    cr_assert_eq(kb_set_count(set), 2, "overlays and sources/ are not KBs");
    tewv = kb_set_find(set, "tewv");
    cwpt = kb_set_find(set, "cwpt");
    cr_assert_not_null(tewv);
    cr_assert_not_null(cwpt);
    cr_assert_str_eq(tewv->org, "tewv");
    cr_assert_str_eq(cwpt->org, "cwpt");
    cr_assert_eq(kb_set_get(set, 0), cwpt, "sets are in org-id order");
    cr_assert_eq(kb_set_get(set, 1), tewv);
    cr_assert_null(kb_set_find(set, "nhs"));
    cr_assert_null(kb_set_find(set, "TEWV"), "org ids are exact");
    cr_assert_null(kb_set_find(set, ""));
    kb_set_free(set);
}

Test(kb_set, loads_a_single_file)
{
    struct kb_set *set = NULL;
    char *why = NULL;

    cr_assert_eq(kb_set_load("knowledge/cwpt.json", &set, &why), BOT_OK, "%s", why);
    cr_assert_eq(kb_set_count(set), 1);
    cr_assert_not_null(kb_set_find(set, "cwpt"));
    cr_assert_null(kb_set_find(set, "tewv"));
    kb_set_free(set);
}

Test(kb_set, empty_directory_is_einval)
{
    struct kb_set *set = (struct kb_set *)1;
    char *why = NULL;

    cr_assert_eq(kb_set_load(dir, &set, &why), BOT_EINVAL);
    cr_assert_null(set);
    cr_assert_not_null(why);
    cr_assert_not_null(strstr(why, dir), "the message names the directory: %s", why);
    free(why);
}

Test(kb_set, missing_path_is_eio)
{
    struct kb_set *set = (struct kb_set *)1;
    char *why = NULL;
    char *p = xasprintf("%s/nope", dir);

    cr_assert_eq(kb_set_load(p, &set, &why), BOT_EIO);
    cr_assert_null(set);
    cr_assert_not_null(strstr(why, p), "%s", why);
    free(why);
    free(p);
}

Test(kb_set, one_bad_file_fails_the_load_and_is_named)
{
    struct kb_set *set = (struct kb_set *)1;
    char *why = NULL;
    enum bot_err err;

    copy("knowledge/tewv.json", "tewv.json");
    put("broken.json", "{\"org\": \"broken\", \"name\": \"B\", \"goals\": [");
    err = kb_set_load(dir, &set, &why);
    cr_assert_eq(err, BOT_EPARSE, "got %s", bot_strerror(err));
    cr_assert_null(set, "loading is all or nothing");
    cr_assert_not_null(why);
    cr_assert_not_null(strstr(why, "broken.json"), "the message names the file: %s", why);
    cr_assert_null(strstr(why, "tewv.json"), "and only that file: %s", why);
    cr_assert_not_null(strstr(why, "JSON"), "and the problem: %s", why);
    free(why);
}

Test(kb_set, two_kbs_for_one_org_are_refused)
{
    struct kb_set *set = (struct kb_set *)1;
    char *why = NULL;

    copy("knowledge/tewv.json", "tewv.json");
    copy("knowledge/tewv.json", "tewv-copy.json");
    cr_assert_eq(kb_set_load(dir, &set, &why), BOT_EINVAL);
    cr_assert_null(set);
    cr_assert_not_null(why);
    cr_assert_not_null(strstr(why, "tewv"), "%s", why);
    cr_assert(strstr(why, "tewv.json") != NULL || strstr(why, "tewv-copy.json") != NULL,
              "names one of the files: %s", why);
    free(why);
}

Test(kb_set, overlay_meta_hidden_and_other_files_are_skipped)
{
    struct kb_set *set = NULL;
    char *why = NULL;

    copy("knowledge/tewv.json", "tewv.json");
    put("tewv.overlay.json", "not a KB, and not even JSON");
    put("cwpt.meta.json", "{\"org\": \"cwpt\"}");
    put(".tewv.json.swp.json", "editor junk");
    put("README.md", "# not a KB");
    cr_assert_eq(kb_set_load(dir, &set, &why), BOT_OK, "%s", why);
    cr_assert_eq(kb_set_count(set), 1);
    cr_assert_not_null(kb_set_find(set, "tewv"));
    kb_set_free(set);
}

Test(kb_set, first_error_is_the_same_whatever_the_directory_order)
{
    struct kb_set *set;
    char *why = NULL;

    put("b.json", "[]");
    put("a.json", "{");
    cr_assert_neq(kb_set_load(dir, &set, &why), BOT_OK);
    cr_assert_not_null(strstr(why, "a.json"), "files are read in name order: %s", why);
    free(why);
}

Test(kb_set, free_of_null_is_a_no_op)
{
    kb_set_free(NULL);
}
