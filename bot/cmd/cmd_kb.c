/*
 * cmd_kb.c - "valuesbot kb build|check|show|blocks|diff": making and checking KBs.
 *
 * These are the content owners' tools, so every error is one line that
 * names the file and the problem, and the exit status is 2.
 */
#include "bot/cmd/cmd.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot/base/args.h"
#include "bot/base/file.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_build.h"
#include "bot/kb/kb_diff.h"
#include "bot/kb/kb_doc.h"
#include "bot/kb/kb_overlay.h"
#include "bot/kb/kb_set.h"
#include "bot/net/fetch.h"

#define META_MAX (64 * 1024)

enum bot_err (*cmd_fetch_url)(const char *, struct fetch_result *, char **);

static const char *
base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* Reads org, name, short_name, strategy from a sources/<org>.meta.json file. */
static int
read_meta(const char *path, struct kb_build_opts *o, json_t **keep)
{
    char *data;
    size_t len;
    json_error_t jerr;
    json_t *root;
    enum bot_err err = file_read(path, META_MAX, &data, &len);

    if (err) {
        fprintf(stderr, "valuesbot: %s: %s\n", path,
                err == BOT_ELIMIT ? "too large for a metadata file" : strerror(errno));
        return 2;
    }
    root = json_loadb(data, len, 0, &jerr);
    free(data);
    if (root == NULL || !json_is_object(root)) {
        if (root != NULL)
            fprintf(stderr, "valuesbot: %s: must be a JSON object\n", path);
        else
            fprintf(stderr, "valuesbot: %s: invalid JSON at line %d: %s\n", path,
                    jerr.line, jerr.text);
        json_decref(root);
        return 2;
    }
    if (o->org == NULL)
        o->org = json_string_value(json_object_get(root, "org"));
    if (o->name == NULL)
        o->name = json_string_value(json_object_get(root, "name"));
    if (o->short_name == NULL)
        o->short_name = json_string_value(json_object_get(root, "short_name"));
    if (o->strategy == NULL)
        o->strategy = json_string_value(json_object_get(root, "strategy"));
    *keep = root;
    return 0;
}

#define KB_SOURCE_MAX_PDF (32u * 1024 * 1024) /* a designed strategy PDF */

static bool
is_url(const char *s)
{
    return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

/* Converts @len bytes of @buf from @charset to UTF-8 in *out, *outlen (out, new). */
static bool
to_utf8(const char *charset, const char *buf, size_t len, char **out, size_t *outlen)
{
    iconv_t cd = iconv_open("UTF-8", charset);
    char *in = (char *)(uintptr_t)buf, *o;
    size_t inleft = len, cap = len * 3 + 1, oleft = cap - 1;

    if (cd == (iconv_t)-1)
        return false;
    *out = o = xmalloc(cap);
    if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1) {
        iconv_close(cd);
        free(*out);
        return false;
    }
    iconv_close(cd);
    *outlen = cap - 1 - oleft;
    (*out)[*outlen] = '\0';
    return true;
}

/*
 * The bytes of one SOURCE, a file or a URL, in *data and *len (out, new),
 * and its format in *format (out).  Returns false after printing what is
 * wrong.
 */
static bool
read_source(const char *src, char **data, size_t *len, enum kb_doc_format *format)
{
    struct fetch_result res;
    char *why = NULL;
    enum bot_err err;

    if (!is_url(src)) {
        err = file_read(src, KB_SOURCE_MAX_PDF, data, len);
        if (err) {
            fprintf(stderr, "valuesbot: %s: %s\n", src,
                    err == BOT_ELIMIT ? "larger than the 32 MiB limit for a document"
                                      : strerror(errno));
            return false;
        }
        if (*len == 0) {
            fprintf(stderr, "valuesbot: %s: the file is empty\n", src);
            free(*data);
            return false;
        }
        *format = kb_doc_sniff(*data, *len, src);
        if (*format != KB_DOC_PDF && *len > KB_BUILD_MAX_DOC) {
            fprintf(stderr, "valuesbot: %s: larger than the %u MiB limit for a page\n",
                    src, KB_BUILD_MAX_DOC >> 20);
            free(*data);
            return false;
        }
        return true;
    }
    if (cmd_fetch_url == NULL) {
        fprintf(stderr, "valuesbot: %s: this program cannot fetch URLs\n", src);
        return false;
    }
    err = cmd_fetch_url(src, &res, &why);
    if (err) {
        fprintf(stderr, "valuesbot: %s\n", why);
        free(why);
        fetch_result_cleanup(&res);
        return false;
    }
    if (res.len == 0) {
        fprintf(stderr, "valuesbot: %s: the server sent an empty page\n", res.url);
        fetch_result_cleanup(&res);
        return false;
    }
    if (res.content_type == NULL)
        *format = kb_doc_sniff(res.body, res.len, res.url);
    else if (strcmp(res.content_type, "text/html") == 0 ||
             strcmp(res.content_type, "application/xhtml+xml") == 0)
        *format = KB_DOC_HTML;
    else if (strcmp(res.content_type, "application/pdf") == 0)
        *format = KB_DOC_PDF;
    else if (strcmp(res.content_type, "text/plain") == 0 ||
             strcmp(res.content_type, "text/markdown") == 0 ||
             strcmp(res.content_type, "text/x-markdown") == 0)
        *format = KB_DOC_TEXT;
    else {
        fprintf(stderr,
                "valuesbot: %s: the server sent %s, not a web page, a PDF or text\n",
                res.url, res.content_type);
        fetch_result_cleanup(&res);
        return false;
    }
    if (res.redirects > 0)
        fprintf(stderr, "valuesbot: %s: redirected to %s\n", src, res.url);
    if (*format == KB_DOC_HTML && res.charset != NULL &&
        strcmp(res.charset, "utf-8") != 0) {
        /* The server's charset outranks the page's own <meta> (a BOM outranks
           both): written first, it is the declaration the reader finds. */
        *data = xasprintf("<meta charset=\"%s\">\n%s", res.charset, res.body);
        *len = res.len + strlen(res.charset) + 17;
        if (res.len >= 3 && memcmp(res.body, "\xef\xbb\xbf", 3) == 0) {
            free(*data);
            *data = res.body;
            *len = res.len;
            res.body = NULL;
        }
    } else if (*format == KB_DOC_TEXT && res.charset != NULL &&
               strcmp(res.charset, "utf-8") != 0 &&
               strcmp(res.charset, "us-ascii") != 0) {
        if (!to_utf8(res.charset, res.body, res.len, data, len)) {
            fprintf(stderr, "valuesbot: %s: text in %s, which cannot be read\n", res.url,
                    res.charset);
            fetch_result_cleanup(&res);
            return false;
        }
    } else {
        *data = res.body;
        *len = res.len;
        res.body = NULL;
    }
    fetch_result_cleanup(&res);
    return true;
}

static int
kb_build_cmd(int argc, char **argv)
{
    struct kb_build_opts o = {0};
    const char *overlay = NULL, *outpath = NULL, *meta = NULL,
               *pos[KB_DOC_MAX_SOURCES + 1];
    const struct args_opt opts[] = {
        {"--org", true, &o.org},
        {"--name", true, &o.name},
        {"--short-name", true, &o.short_name},
        {"--strategy", true, &o.strategy},
        {"--overlay", true, &overlay},
        {"--meta", true, &meta},
        {"-o", true, &outpath},
    };
    int npos, status = 2;
    char *why = NULL, *json = NULL, *report = NULL, *provenance = NULL;
    struct kb *kb = NULL;
    struct kb_doc doc;
    json_t *meta_root = NULL;
    enum bot_err err;

    kb_doc_init(&doc);
    if (!args_scan(argc, argv, opts, 7, pos, KB_DOC_MAX_SOURCES + 1, &npos) || npos < 1 ||
        npos > KB_DOC_MAX_SOURCES) {
        fprintf(stderr,
                "usage: valuesbot kb build SOURCE... --org ID --name \"ORGANISATION\" "
                "[--strategy NAME] [--short-name S] [--meta FILE] [--overlay FILE] "
                "[-o FILE]\n"
                "       each SOURCE a text, Markdown, HTML or PDF file, or an https:// "
                "address (at most %d)\n",
                KB_DOC_MAX_SOURCES);
        return 2;
    }
    if (meta != NULL && read_meta(meta, &o, &meta_root) != 0)
        return 2;
    if (o.org == NULL || o.name == NULL) {
        fprintf(stderr, "valuesbot: kb build needs --org and --name (or --meta)\n");
        goto out;
    }
    for (int i = 0; i < npos; i++) {
        const char *name = is_url(pos[i]) ? pos[i] : base_name(pos[i]);
        enum kb_doc_format format;
        char *data, *p;
        size_t len;

        if (!read_source(pos[i], &data, &len, &format))
            goto out;
        err = kb_doc_read(&doc, data, len, format, pos[i], &why);
        free(data);
        if (err) {
            fprintf(stderr, "valuesbot: %s: %s\n", pos[i], why);
            goto out;
        }
        p = provenance ? xasprintf("%s, %s", provenance, name) : xstrdup(name);
        free(provenance);
        provenance = p;
    }
    o.doc = provenance;
    if (kb_build_doc(&doc, &o, &kb, &report, &why) != BOT_OK) {
        fprintf(stderr, "valuesbot: %s: %s\n", provenance, why);
        goto out;
    }
    if (report != NULL)
        fputs(report, stderr);
    if (overlay != NULL) {
        size_t nvalues = kb->nvalues, ngoals = kb->ngoals;
        char *ov;
        size_t ovlen;

        err = file_read(overlay, KB_MAX_FILE, &ov, &ovlen);
        if (err) {
            fprintf(stderr, "valuesbot: %s: %s\n", overlay,
                    err == BOT_ELIMIT ? "too large" : strerror(errno));
            goto out;
        }
        err = kb_overlay_apply(kb, ov, ovlen, &why);
        free(ov);
        if (err) {
            fprintf(stderr, "valuesbot: %s: %s\n", overlay, why);
            goto out;
        }
        /* The page's report above was written before the overlay: say what
         * the overlay added, so a warning of no values is not the last word. */
        if (kb->nvalues != nvalues || kb->ngoals != ngoals)
            fprintf(stderr,
                    "%s: the overlay adds %zu value(s) and %zu goal(s): the KB "
                    "holds %zu values and %zu goals\n",
                    overlay, kb->nvalues - nvalues, kb->ngoals - ngoals, kb->nvalues,
                    kb->ngoals);
    }
    json = kb_format(kb);
    /* Written beside FILE and renamed over it: never a partial KB. */
    if (outpath == NULL || strcmp(outpath, "-") == 0) {
        fputs(json, stdout);
    } else if (file_write_atomic(outpath, json, strlen(json)) != BOT_OK) {
        fprintf(stderr, "valuesbot: %s: %s\n", outpath, strerror(errno));
        goto out;
    }
    status = 0;
out:
    free(json);
    free(why);
    free(report);
    free(provenance);
    kb_doc_cleanup(&doc);
    kb_free(kb);
    json_decref(meta_root);
    return status;
}

static int
kb_check_cmd(int argc, char **argv)
{
    int status = 0;

    if (argc == 0) {
        fprintf(stderr, "usage: valuesbot kb check FILE...\n");
        return 2;
    }
    for (int i = 0; i < argc; i++) {
        struct kb *kb;
        char *why;

        if (kb_load_file(argv[i], &kb, &why) != BOT_OK) {
            fprintf(stderr, "%s: %s\n", argv[i], why);
            free(why);
            status = 2;
            continue;
        }
        printf("%s: ok (org %s: %zu goals, %zu values, %zu passages)\n", argv[i], kb->org,
               kb->ngoals, kb->nvalues, kb->npassages);
        kb_free(kb);
    }
    return status;
}

static void
print_summary(const struct kb *kb)
{
    printf("%s (%s)\n", kb->name, kb->org);
    if (kb->strategy[0])
        printf("Strategy: %s\n", kb->strategy);
    if (kb->mission.text)
        printf("Mission: %s\n", kb->mission.text);
    if (kb->vision.text)
        printf("Vision: %s\n", kb->vision.text);
    for (size_t i = 0; i < kb->nambitions; i++)
        printf("%c%s%s%s: %s\n", kb->ambitions[i].kind[0] & ~0x20,
               kb->ambitions[i].kind + 1, kb->ambitions[i].title[0] ? " - " : "",
               kb->ambitions[i].title, kb->ambitions[i].text);
    if (kb->ngoals)
        printf("%c%s:\n", kb->goals_label[0] & ~0x20, kb->goals_label + 1);
    for (size_t i = 0; i < kb->ngoals; i++) {
        const struct kb_goal *g = &kb->goals[i];

        printf("  %u. %s%s%s\n", g->number, g->title, g->description[0] ? ": " : "",
               g->description);
        for (size_t k = 0; k < g->npoints; k++)
            printf("     - %s\n", g->points[k].text);
    }
    if (kb->nvalues)
        printf("Values:\n");
    for (size_t i = 0; i < kb->nvalues; i++) {
        const struct kb_value *v = &kb->values[i];

        printf("  %s%s%s\n", v->name, v->description[0] ? ": " : "", v->description);
        for (size_t k = 0; k < v->nbehaviours; k++)
            printf("     - %s\n", v->behaviours[k].text);
    }
    printf("Source: %s (%zu passages)\n", kb->doc, kb->npassages);
}

static int
kb_show_cmd(int argc, char **argv)
{
    struct kb_set *set;
    char *why;

    if (argc > 1) {
        fprintf(stderr, "usage: valuesbot kb show [FILE|DIR]\n");
        return 2;
    }
    if (kb_set_load(argc ? argv[0] : cmd_default_kb_path(), &set, &why) != BOT_OK) {
        fprintf(stderr, "valuesbot: %s\n", why);
        free(why);
        return 2;
    }
    for (size_t i = 0; i < kb_set_count(set); i++) {
        if (i > 0)
            putchar('\n');
        print_summary(kb_set_get(set, i));
    }
    kb_set_free(set);
    return 0;
}

/* "kb blocks SOURCE...": the document model the readers make, one block a line. */
static int
kb_blocks_cmd(int argc, char **argv)
{
    static const char *const kinds[] = {"heading", "paragraph", "item", "row", "caption"};
    struct kb_doc doc;
    int status = 0;

    if (argc == 0) {
        fprintf(stderr, "usage: valuesbot kb blocks SOURCE...\n");
        return 2;
    }
    kb_doc_init(&doc);
    for (int i = 0; i < argc; i++) {
        char *data, *why;
        size_t len;
        enum kb_doc_format format;

        if (!read_source(argv[i], &data, &len, &format)) {
            status = 2;
            continue;
        }
        if (kb_doc_read(&doc, data, len, format, argv[i], &why)) {
            fprintf(stderr, "valuesbot: %s: %s\n", argv[i], why);
            free(why);
            status = 2;
        }
        free(data);
    }
    if (doc.title != NULL)
        printf("title: %s\n", doc.title);
    for (size_t i = 0; i < doc.nblocks; i++) {
        const struct kb_block *b = &doc.blocks[i];

        printf("%u:%u", b->src, b->line);
        if (b->page)
            printf(" p%u", b->page);
        printf(" %s", kinds[b->kind]);
        if (b->kind == KB_BLOCK_HEADING)
            printf(" h%u", b->level);
        if (b->kind == KB_BLOCK_ITEM)
            printf(" list %u depth %u #%u", b->list, b->level, b->number);
        if (b->lead != NULL)
            printf(" [%s]", b->lead);
        printf(": %s\n", b->text);
    }
    kb_doc_cleanup(&doc);
    return status;
}

/*
 * "kb diff OLD NEW": what changed, for the person who reviews a rebuilt KB.
 * Exit status as diff(1): 0 no change, 1 changes, 2 trouble.
 */
static int
kb_diff_cmd(int argc, char **argv)
{
    struct kb *old = NULL, *new = NULL;
    char *why = NULL, *text;
    size_t n;

    if (argc != 2) {
        fprintf(stderr, "usage: valuesbot kb diff OLD.json NEW.json\n");
        return 2;
    }
    if (kb_load_file(argv[0], &old, &why) != BOT_OK ||
        kb_load_file(argv[1], &new, &why) != BOT_OK) {
        fprintf(stderr, "valuesbot: %s: %s\n", old == NULL ? argv[0] : argv[1], why);
        free(why);
        kb_free(old);
        return 2;
    }
    text = kb_diff(old, new, &n);
    if (n == 0)
        printf("No change to the statements, goals or values (%s, %s).\n", argv[0],
               argv[1]);
    else
        fputs(text, stdout);
    free(text);
    kb_free(old);
    kb_free(new);
    return n == 0 ? 0 : 1;
}

int
cmd_kb(int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "build") == 0)
        return kb_build_cmd(argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "check") == 0)
        return kb_check_cmd(argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "diff") == 0)
        return kb_diff_cmd(argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "blocks") == 0)
        return kb_blocks_cmd(argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "show") == 0)
        return kb_show_cmd(argc - 1, argv + 1);
    fprintf(stderr, "usage: valuesbot kb build|check|show|diff|blocks ...\n");
    return 2;
}
