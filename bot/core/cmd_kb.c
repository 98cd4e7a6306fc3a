/*
 * cmd_kb.c - "valuesbot kb build|check|show": making and checking KBs.
 *
 * These are the content owners' tools, so every error is one line that
 * names the file and the problem, and the exit status is 2.
 */
#include "bot/core/cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot/base/args.h"
#include "bot/base/file.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb.h"
#include "bot/kb/kb_build.h"
#include "bot/kb/kb_doc.h"
#include "bot/kb/kb_overlay.h"
#include "bot/kb/kb_set.h"

#define META_MAX (64 * 1024)

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

static int
kb_build_cmd(int argc, char **argv)
{
    struct kb_build_opts o = {0};
    const char *overlay = NULL, *outpath = NULL, *meta = NULL, *pos[1];
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
    char *doc = NULL, *why = NULL, *json = NULL;
    size_t len;
    struct kb *kb = NULL;
    json_t *meta_root = NULL;
    enum bot_err err;

    if (!args_scan(argc, argv, opts, 7, pos, 1, &npos) || npos != 1) {
        fprintf(stderr,
                "usage: valuesbot kb build SOURCE --org ID --name \"ORGANISATION\" "
                "[--strategy NAME] [--short-name S] [--meta FILE] [--overlay FILE] "
                "[-o FILE]\n");
        return 2;
    }
    if (meta != NULL && read_meta(meta, &o, &meta_root) != 0)
        return 2;
    if (o.org == NULL || o.name == NULL) {
        fprintf(stderr, "valuesbot: kb build needs --org and --name (or --meta)\n");
        goto out;
    }
    o.doc = base_name(pos[0]);
    err = file_read(pos[0], KB_BUILD_MAX_DOC, &doc, &len);
    if (err) {
        fprintf(stderr, "valuesbot: %s: %s\n", pos[0],
                err == BOT_ELIMIT ? "larger than the 4 MiB limit for a document"
                                  : strerror(errno));
        goto out;
    }
    if (kb_build(doc, len, &o, &kb, &why) != BOT_OK) {
        fprintf(stderr, "valuesbot: %s: %s\n", pos[0], why);
        goto out;
    }
    if (overlay != NULL) {
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
    }
    json = kb_format(kb);
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
    free(doc);
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

        if (file_read(argv[i], KB_BUILD_MAX_DOC, &data, &len) != BOT_OK) {
            fprintf(stderr, "valuesbot: %s: %s\n", argv[i], strerror(errno));
            status = 2;
            continue;
        }
        if (kb_doc_read(&doc, data, len, kb_doc_sniff(data, len, argv[i]), argv[i],
                        &why)) {
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

int
cmd_kb(int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "build") == 0)
        return kb_build_cmd(argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "check") == 0)
        return kb_check_cmd(argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "blocks") == 0)
        return kb_blocks_cmd(argc - 1, argv + 1);
    if (argc >= 1 && strcmp(argv[0], "show") == 0)
        return kb_show_cmd(argc - 1, argv + 1);
    fprintf(stderr, "usage: valuesbot kb build|check|show ...\n");
    return 2;
}
