/*
 * fuzz_kb_pdf_layout.c - libFuzzer entry point for the PDF reader's layout
 * analysis, kb_doc_pdf_read_layout(), on pdftotext -layout text (pdftotext
 * itself is not run: it is poppler's, and a separate process).
 *
 * It finds crashes, leaks and undefined behaviour in the column, table,
 * running-header and line-joining code, and checks that every block it
 * makes carries its page.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/utf8.h"
#include "bot/kb/kb_doc.h"
#include "bot/kb/kb_doc_pdf_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kb_doc doc;
    char *why = NULL;
    size_t bad;
    unsigned src;

    /* pdftotext -enc UTF-8 writes UTF-8 without NULs; so does this input. */
    if (memchr(data, '\0', size) != NULL ||
        !utf8_is_valid((const char *)data, size, &bad))
        return 0;
    kb_doc_init(&doc);
    (void)kb_doc_add_source(&doc, "fuzz.pdf", &src);
    if (kb_doc_pdf_read_layout(&doc, (const char *)data, size, src, &why) != BOT_OK) {
        if (why == NULL)
            abort(); /* a refusal gives a reason */
        free(why);
    } else {
        for (size_t i = 0; i < doc.nblocks; i++) {
            if (doc.blocks[i].page == 0)
                abort(); /* every block knows its page */
        }
    }
    kb_doc_cleanup(&doc);
    return 0;
}
