/*
 * fuzz_kb_html.c - libFuzzer entry point for the HTML reader,
 * kb_doc_read_html() through kb_doc_read(), and the document it makes.
 *
 * It finds crashes, leaks and undefined behaviour in the charset decoding,
 * libxml2's recovery and our walk of its tree, and checks the document
 * model's promises: a refusal carries a reason and leaves the document as
 * it was; an accepted page gives blocks whose text is valid UTF-8 with no
 * white space to trim, whose lead starts the text, and whose rows hold
 * their cells.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/utf8.h"
#include "bot/kb/kb_doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_block(const struct kb_block *b)
{
    size_t len = strlen(b->text), bad;

    if (!utf8_is_valid(b->text, len, &bad))
        abort(); /* the reader decodes every page to UTF-8 */
    if (len > 0 && (b->text[0] == ' ' || b->text[len - 1] == ' '))
        abort(); /* white space collapsed and trimmed */
    if (b->lead != NULL && strncmp(b->text, b->lead, strlen(b->lead)) != 0)
        abort(); /* a lead is the start of its text */
    if ((b->kind == KB_BLOCK_ROW) != (b->cells != NULL) && b->ncells > 0)
        abort(); /* cells belong to rows */
    if (b->kind == KB_BLOCK_HEADING && (b->level < 1 || b->level > 6))
        abort();
    if (b->kind == KB_BLOCK_ITEM && (b->level < 1 || b->list == 0))
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kb_doc doc;
    char *why = NULL;

    kb_doc_init(&doc);
    if (kb_doc_read(&doc, (const char *)data, size, KB_DOC_HTML, "fuzz.html", &why) !=
        BOT_OK) {
        if (why == NULL || doc.nblocks != 0 || doc.nsources != 0)
            abort(); /* a refusal gives a reason and leaves the document as it was */
        free(why);
        kb_doc_cleanup(&doc);
        return 0;
    }
    if (doc.nblocks == 0 || doc.nsources != 1)
        abort(); /* an accepted page has something in it */
    for (size_t i = 0; i < doc.nblocks; i++)
        check_block(&doc.blocks[i]);
    kb_doc_cleanup(&doc);
    return 0;
}
