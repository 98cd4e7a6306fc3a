/*
 * kb_doc.h - the document model every reader produces and the builder reads.
 *
 * One reader per format (text and Markdown, HTML, PDF) turns a source into
 * a flat sequence of blocks in reading order: headings with their level,
 * paragraphs, list items (grouped by list, with depth and number), table
 * rows with their cells, and captions (figure captions, image alt text).
 * Navigation, footers, scripts and the like are dropped by the reader.
 * Extraction (kb_build.c) works on this model only, so a new format is a
 * new reader and every extraction rule serves all formats.
 *
 * Several sources may go into one document (a values page plus a strategy
 * PDF): each block records which source it came from and where in it.
 */
#ifndef BOT_KB_KB_DOC_H
#define BOT_KB_KB_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/base/err.h"

#define KB_DOC_MAX_SOURCES 16

enum kb_block_kind {
    KB_BLOCK_HEADING,   /* h1-h6, a Markdown "#", a short title line */
    KB_BLOCK_PARAGRAPH, /* running text; one line of a <br>-separated run */
    KB_BLOCK_ITEM,      /* one list item (bullet, number, <li>, <dt>/<dd>) */
    KB_BLOCK_ROW,       /* one table row: @cells */
    KB_BLOCK_CAPTION,   /* figure caption, image alt text, banner text */
};

struct kb_block {
    enum kb_block_kind kind;
    unsigned level;  /* HEADING: 1 (top) to 6; ITEM: list depth from 1; else 0 */
    unsigned list;   /* ITEM: id shared by the items of one list, from 1; else 0 */
    unsigned number; /* ITEM: the number the document gives ("2." "2)" <ol>); else 0 */
    char *text;      /* owned, never NULL: UTF-8, markers and markup removed,
                        white space collapsed and trimmed; for ROW the cells
                        joined by " | " */
    char *lead;      /* owned: a bold lead-in the block starts with
                        ("**Compassion** – ...", "<strong>Our Patients:</strong>"),
                        as it appears at the start of @text; NULL if none */
    char **cells;    /* ROW: owned array of @ncells owned strings; else NULL */
    size_t ncells;
    unsigned src;  /* index into kb_doc.sources */
    unsigned line; /* 1-based line in the source (text, HTML); 0 if unknown */
    unsigned page; /* 1-based page (PDF); 0 otherwise */
    unsigned row;  /* PDF: 1-based line of its page's text as read (one blank
                      line between paragraphs), to tell gaps apart; 0 otherwise */
};

struct kb_doc {
    struct kb_block *blocks; /* owned array of @nblocks */
    size_t nblocks;
    size_t cap;
    char *sources[KB_DOC_MAX_SOURCES]; /* owned: each source's name (file or URL) */
    size_t nsources;
    char *title; /* owned: the document's title (<title>, first h1), or NULL */
};

/* Initialises the empty @doc (caller-provided storage). */
void kb_doc_init(struct kb_doc *doc);

/* Frees what the block @b owns (not @b itself). */
void kb_block_cleanup(struct kb_block *b);

/* Frees what @doc owns; @doc may be re-initialised after. */
void kb_doc_cleanup(struct kb_doc *doc);

/*
 * Appends a source named @name (copied) and returns its index, or
 * returns BOT_ELIMIT when KB_DOC_MAX_SOURCES are already there.
 */
enum bot_err kb_doc_add_source(struct kb_doc *doc, const char *name, unsigned *src);

/*
 * Appends a block of @kind with a copy of @text (NULL treated as ""),
 * collapsing white space; returns it for the caller to set the other
 * fields.  Borrowed: valid until the next append.
 */
struct kb_block *kb_doc_add(struct kb_doc *doc, enum kb_block_kind kind, const char *text,
                            unsigned src, unsigned line);

/* Adds a copy of @cell to the ROW @b, and appends it to @b->text. */
void kb_doc_add_cell(struct kb_block *b, const char *cell);

/* The formats a source can be in. */
enum kb_doc_format {
    KB_DOC_TEXT, /* plain text or Markdown */
    KB_DOC_HTML,
    KB_DOC_PDF,
};

/*
 * Guesses the format of the @len bytes at @buf from their content ("%PDF-",
 * "<!doctype html", "<html", ...), falling back on @name's extension.
 */
enum kb_doc_format kb_doc_sniff(const char *buf, size_t len, const char *name);

/*
 * Reads the @len bytes at @buf, in @format, as source @name, appending its
 * blocks to @doc.  On failure returns BOT_EPARSE (or BOT_ELIMIT, BOT_EIO)
 * and *why (out, new string) says what was wrong in words a content owner
 * reads ("the PDF has no text layer (a scan?)"); @doc is then unchanged.
 */
enum bot_err kb_doc_read(struct kb_doc *doc, const char *buf, size_t len,
                         enum kb_doc_format format, const char *name, char **why);

/* The readers behind kb_doc_read(), same contract. */
enum bot_err kb_doc_read_text(struct kb_doc *doc, const char *buf, size_t len,
                              unsigned src, char **why);
enum bot_err kb_doc_read_html(struct kb_doc *doc, const char *buf, size_t len,
                              unsigned src, char **why);
enum bot_err kb_doc_read_pdf(struct kb_doc *doc, const char *buf, size_t len,
                             unsigned src, char **why);

#endif /* BOT_KB_KB_DOC_H */
