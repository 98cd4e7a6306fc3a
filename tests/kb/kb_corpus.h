/*
 * kb_corpus.h - the corpus pages (../shared/corpus) for the reader tests.
 */
#ifndef TESTS_KB_KB_CORPUS_H
#define TESTS_KB_KB_CORPUS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "bot/base/file.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb_doc.h"

/* Whether any block's text contains @s. */
static inline bool
mentions(const struct kb_doc *doc, const char *s)
{
    for (size_t i = 0; i < doc->nblocks; i++) {
        if (strstr(doc->blocks[i].text, s) != NULL)
            return true;
    }
    return false;
}

/* The corpus folder, or NULL (the test is skipped) when it is not there. */
static inline const char *
corpus(void)
{
    const char *env = getenv("VALUESBOT_CORPUS");

    if (env != NULL && env[0] != '\0')
        return env;
    return access("../shared/corpus/labels.jsonl", R_OK) == 0 ? "../shared/corpus" : NULL;
}

/* @s with runs of white space made one space and list markers at line starts dropped. */
static inline char *
normalise_page(const char *s)
{
    size_t n = strlen(s), o = 0;
    char *out = xmalloc(n + 2);
    bool bol = true, space = true;

    for (size_t i = 0; i < n; i++) {
        if (bol) {
            size_t j = i;

            while (s[j] == ' ' || s[j] == '\t')
                j++;
            if ((s[j] == '-' || s[j] == '*') && s[j + 1] == ' ')
                i = j + 2;
            else if (strncmp(s + j, "\xe2\x80\xa2 ", 4) == 0)
                i = j + 4;
            else if (strncmp(s + j, "\xc2\xb7 ", 3) == 0)
                i = j + 3;
            else if (s[j] >= '0' && s[j] <= '9') {
                size_t k = j;

                while (s[k] >= '0' && s[k] <= '9')
                    k++;
                if ((s[k] == '.' || s[k] == ')') && s[k + 1] == ' ')
                    i = k + 2;
            }
            bol = false;
            if (i >= n)
                break;
        }
        if (s[i] == '*' && s[i + 1] == '*') { /* Markdown bold */
            i++;
            continue;
        }
        if (s[i] == '\n')
            bol = true;
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
            (s[i] == '\xc2' && s[i + 1] == '\xa0')) {
            if (s[i] == '\xc2')
                i++;
            if (!space)
                out[o++] = ' ';
            space = true;
            continue;
        }
        out[o++] = s[i];
        space = false;
    }
    out[o] = '\0';
    return out;
}

static inline bool
doc_has(const struct kb_doc *doc, const char *want)
{
    struct kb_doc one;
    bool found;

    /* The label as the reader writes text: white space collapsed. */
    kb_doc_init(&one);
    kb_doc_add(&one, KB_BLOCK_PARAGRAPH, want, 0, 0);
    found = mentions(doc, one.blocks[0].text);
    kb_doc_cleanup(&one);
    return found;
}

static inline void
expect_label(const struct kb_doc *doc, const char *id, json_t *s)
{
    if (json_is_string(s))
        cr_expect(doc_has(doc, json_string_value(s)), "%s: \"%s\" not read", id,
                  json_string_value(s));
}

/*
 * Checks every page of @fmt in the corpus: each label text in some block,
 * and, if @on_page, each block (each cell of a row) text of the page itself.
 */
static inline void
corpus_check(const char *fmt, bool on_page)
{
    const char *dir = corpus();
    char *path, *data;
    size_t len, npages = 0;
    json_error_t jerr;

    if (dir == NULL)
        cr_skip_test("no corpus at ../shared/corpus (set VALUESBOT_CORPUS)");
    path = xasprintf("%s/labels.jsonl", dir);
    cr_assert_eq(file_read(path, 1 << 22, &data, &len), BOT_OK, "%s", path);
    free(path);
    for (char *line = data, *nl; *line; line = nl + 1) {
        json_t *lab, *v;
        const char *id;
        struct kb_doc doc;
        char *src, *page, *norm, *why = NULL;
        size_t slen, plen, k;

        nl = strchr(line, '\n');
        if (nl == NULL)
            nl = line + strlen(line) - 1;
        lab = json_loadb(line, (size_t)(nl - line + 1), 0, &jerr);
        if (lab == NULL)
            break;
        id = json_string_value(json_object_get(lab, "id"));
        path = xasprintf("%s/%s/%s.%s", dir, fmt, id, fmt);
        if (file_read(path, 8u << 20, &src, &slen) != BOT_OK) {
            free(path);
            json_decref(lab);
            continue;
        }
        npages++;
        kb_doc_init(&doc);
        cr_assert_eq(
            kb_doc_read(&doc, src, slen, kb_doc_sniff(src, slen, path), path, &why),
            BOT_OK, "%s: %s", path, why);
        free(src);
        free(path);
        expect_label(&doc, id, json_object_get(lab, "mission"));
        expect_label(&doc, id, json_object_get(lab, "vision"));
        expect_label(&doc, id, json_object_get(lab, "purpose"));
        expect_label(&doc, id, json_object_get(lab, "ambition"));
        json_array_foreach(json_object_get(lab, "goals"), k, v)
            expect_label(&doc, id, json_object_get(v, "title"));
        json_array_foreach(json_object_get(lab, "values"), k, v)
        {
            json_t *b;
            size_t j;

            expect_label(&doc, id, json_object_get(v, "name"));
            expect_label(&doc, id, json_object_get(v, "definition"));
            json_array_foreach(json_object_get(v, "behaviours"), j, b)
                expect_label(&doc, id, b);
        }
        if (!on_page)
            goto next;
        path = xasprintf("%s/pages/%s.txt", dir, id);
        cr_assert_eq(file_read(path, 1 << 22, &page, &plen), BOT_OK, "%s", path);
        free(path);
        norm = normalise_page(page);
        for (size_t i = 0; i < doc.nblocks; i++) {
            const struct kb_block *b = &doc.blocks[i];

            if (b->kind == KB_BLOCK_ROW) {
                for (size_t c = 0; c < b->ncells; c++)
                    cr_expect(strstr(norm, b->cells[c]) != NULL,
                              "%s: cell \"%s\" (line %u) is not on the page", id,
                              b->cells[c], b->line);
            } else {
                cr_expect(strstr(norm, b->text) != NULL,
                          "%s: \"%s\" (line %u) is not on the page: chrome?", id, b->text,
                          b->line);
            }
        }
        free(norm);
        free(page);
    next:
        kb_doc_cleanup(&doc);
        json_decref(lab);
        if (*nl == '\0')
            break;
    }
    free(data);
    cr_expect_gt(npages, 0, "no %s pages in %s", fmt, dir);
}

#endif /* TESTS_KB_KB_CORPUS_H */
