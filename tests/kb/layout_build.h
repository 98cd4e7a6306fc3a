/*
 * layout_build.h - a KB built by kb_build_doc() from a page of our own under
 * tests/data/layouts/, for the builder's layout tests.
 */
#ifndef TESTS_KB_LAYOUT_BUILD_H
#define TESTS_KB_LAYOUT_BUILD_H

#include <stdlib.h>

#include <criterion/criterion.h>

#include "bot/base/file.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_build.h"
#include "bot/kb/kb_doc.h"

/*
 * The KB built from the page at @path read as @type (org "x", "Test Trust");
 * the build report in *@report (the caller frees it), or dropped when @report
 * is NULL.  Fails the test when the page cannot be read or built.
 */
static inline struct kb *
layout_build(const char *path, enum kb_doc_format type, char **report)
{
    char *data, *why = NULL, *dropped = NULL;
    size_t len;
    struct kb_doc doc;
    struct kb *kb = NULL;
    struct kb_build_opts o = {.org = "x", .name = "Test Trust", .doc = path};

    cr_assert_eq(file_read(path, KB_BUILD_MAX_DOC, &data, &len), BOT_OK, "%s", path);
    kb_doc_init(&doc);
    cr_assert_eq(kb_doc_read(&doc, data, len, type, path, &why), BOT_OK);
    cr_assert_eq(kb_build_doc(&doc, &o, &kb, report != NULL ? report : &dropped, &why),
                 BOT_OK, "%s", why);
    kb_doc_cleanup(&doc);
    free(dropped);
    free(data);
    return kb;
}

#endif /* TESTS_KB_LAYOUT_BUILD_H */
