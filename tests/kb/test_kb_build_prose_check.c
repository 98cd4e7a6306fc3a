/*
 * test_kb_build_prose_check.c - a page of running sentences about its
 * organisation (what it is and does, who leads it, how many staff, how it
 * decides) is built into passages with a warning, though it names no
 * strategy; a page with no such sentences (a menu, a cookie notice, an error
 * page, link lines, a contents list, addresses, a stub) is still refused.
 * Every page is our own, under tests/data/layouts/egret_*.txt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "bot/base/file.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_build.h"
#include "bot/kb/kb_doc.h"

/* What kb_build_doc() gives for the page at @path: *@kb on BOT_OK, *@why (or
   the report) otherwise; the caller frees both. */
static enum bot_err
build(const char *path, struct kb **kb, char **why)
{
    char *data, *report = NULL;
    size_t len;
    struct kb_doc doc;
    struct kb_build_opts o = {.org = "x", .name = "Test Trust", .doc = path};
    enum bot_err err;

    *kb = NULL;
    *why = NULL;
    cr_assert_eq(file_read(path, KB_BUILD_MAX_DOC, &data, &len), BOT_OK, "%s", path);
    kb_doc_init(&doc);
    cr_assert_eq(kb_doc_read(&doc, data, len, KB_DOC_TEXT, path, why), BOT_OK, "%s",
                 path);
    err = kb_build_doc(&doc, &o, kb, &report, why);
    if (err == BOT_OK) {
        cr_expect(strstr(report, "warning: no values and no goals found") != NULL,
                  "%s: %s", path, report);
    }
    free(report);
    kb_doc_cleanup(&doc);
    free(data);
    return err;
}

Test(kb_build_prose_check, pages_about_the_organisation_are_built_into_passages)
{
    static const char *const pages[] = {
        "facts",     /* people served, staff, sites, founding dates */
        "news",      /* a news item quoting a deputy chief executive */
        "blog",      /* a director on making a new strategy */
        "role",      /* a partnership's "our role" page */
        "why",       /* "why do we need a new strategy?" over bulleted reasons */
        "partners",  /* a partnerships page */
        "decide",    /* "how we make decisions" */
        "special",   /* a specialist trust's summary */
        "special2",  /* another, one sentence on the website */
        "governors", /* a council's role, then "It ...", "They ..." */
    };

    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        char path[128], *why;
        struct kb *kb;
        enum bot_err err;

        (void)snprintf(path, sizeof(path), "tests/data/layouts/egret_%s.txt", pages[i]);
        err = build(path, &kb, &why);
        cr_expect_eq(err, BOT_OK, "%s: %s", path, why);
        if (err == BOT_OK) {
            cr_expect_eq(kb->nvalues, 0, "%s", path);
            cr_expect_eq(kb->ngoals, 0, "%s", path);
            cr_expect_geq(kb->npassages, 4, "%s: %zu passages", path, kb->npassages);
        }
        kb_free(kb);
        free(why);
    }
}

Test(kb_build_prose_check, pages_with_no_running_text_are_refused)
{
    static const char *const pages[] = {
        "menu",     /* menu lines only */
        "cookies",  /* a cookie notice in sentences saying "we" */
        "404",      /* an error page */
        "links",    /* a heading over link lines */
        "contents", /* a contents list with page numbers */
        "contact",  /* addresses, a phone number, one sentence */
        "stub",     /* two short sentences */
    };

    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        char path[128], *why;
        struct kb *kb;
        enum bot_err err;

        (void)snprintf(path, sizeof(path), "tests/data/layouts/egret_%s.txt", pages[i]);
        err = build(path, &kb, &why);
        cr_expect_eq(err, BOT_EPARSE, "%s: built", path);
        cr_expect_null(kb, "%s", path);
        cr_expect(why != NULL && strstr(why, "found no strategy text") != NULL, "%s: %s",
                  path, why);
        kb_free(kb);
        free(why);
    }
}
