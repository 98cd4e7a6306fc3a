/*
 * kb_doc_pdf_columns.c - the columns of a page of pdftotext -layout output,
 * found from the gutters of white space that run down several lines: two
 * columns are read one after the other, three or more are a table and become
 * rows.  Moved out of kb_doc_pdf.c unchanged.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/buf.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb_doc_pdf_int.h"

bool
kb_doc_pdf_columns_is_sp(const struct pline *l, size_t x)
{
    return x >= l->ncols || l->s[l->off[x]] == ' ' || l->s[l->off[x]] == '\t';
}

/* Whether @l has text in columns [@a, @b). */
bool
kb_doc_pdf_columns_has_text_in(const struct pline *l, size_t a, size_t b)
{
    for (size_t x = a; x < b && x < l->ncols; x++) {
        if (!kb_doc_pdf_columns_is_sp(l, x))
            return true;
    }
    return false;
}

/* A copy of columns [@a, @b) of @l, trimmed. */
char *
kb_doc_pdf_columns_cols(const struct pline *l, size_t a, size_t b)
{
    size_t s, e;

    a = a < l->ncols ? a : l->ncols;
    b = b < l->ncols ? b : l->ncols;
    s = l->off[a];
    e = l->off[b];
    while (s < e && (l->s[s] == ' ' || l->s[s] == '\t'))
        s++;
    while (e > s && (l->s[e - 1] == ' ' || l->s[e - 1] == '\t' || l->s[e - 1] == '\r'))
        e--;
    return xstrndup(l->s + s, e - s);
}

static void
out_line(struct pout *o, char *text)
{
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 64;
        o->items = xreallocarray(o->items, o->cap, sizeof(*o->items));
    }
    memset(&o->items[o->n], 0, sizeof(o->items[o->n]));
    o->items[o->n].text = text;
    o->n++;
}

static void
out_row(struct pout *o, char **cells, size_t ncells)
{
    out_line(o, NULL);
    o->items[o->n - 1].cells = cells;
    o->items[o->n - 1].ncells = ncells;
}

/*
 * The column of a gutter in lines [@a, @b) between columns @lo and @hi: a
 * place where at least three lines have text on both sides and white space
 * three characters wide, and few lines run across.  Returns 0 if none.
 */
static size_t
find_gutter(const struct pline *lines, size_t a, size_t b, size_t lo, size_t hi,
            size_t min)
{
    size_t best = 0, best_both = 0, run_end = 0;

    for (size_t x = lo + 2; x + 2 < hi; x++) {
        size_t both = 0, cross = 0;

        for (size_t i = a; i < b; i++) {
            const struct pline *l = &lines[i];

            if (!kb_doc_pdf_columns_has_text_in(l, lo, hi))
                continue;
            if (!kb_doc_pdf_columns_is_sp(l, x - 1) || !kb_doc_pdf_columns_is_sp(l, x) ||
                !kb_doc_pdf_columns_is_sp(l, x + 1))
                cross++;
            else if (kb_doc_pdf_columns_has_text_in(l, lo, x - 1) &&
                     kb_doc_pdf_columns_has_text_in(l, x + 2, hi))
                both++;
        }
        if (both >= min && cross * 3 <= both) {
            if (both > best_both) {
                best_both = both;
                best = x;
                run_end = x;
            } else if (both == best_both && run_end == x - 1) {
                run_end = x;
            }
        }
    }
    if (best == 0)
        return 0;
    return best + (run_end - best) / 2; /* the middle of the widest-supported gap */
}

static void split_band(const struct pline *lines, size_t a, size_t ga, size_t b,
                       size_t lo, size_t hi, struct pout *o);

/* Collects the gutters of lines [@a, @b) in [@lo, @hi), in order. */
static void
gutters(const struct pline *lines, size_t a, size_t b, size_t lo, size_t hi, size_t *g,
        size_t *ng, size_t max)
{
    /* Inside a run already known to have columns, two lines are enough. */
    size_t x = find_gutter(lines, a, b, lo, hi, 2);

    if (x == 0 || *ng >= max)
        return;
    gutters(lines, a, b, lo, x, g, ng, max);
    if (*ng < max)
        g[(*ng)++] = x;
    gutters(lines, a, b, x, hi, g, ng, max);
}

#define PDF_MAX_COLS 16

/* Lines [@a, @b) cut at the gutters @g into @ng + 1 columns: a table. */
static void
table_rows(const struct pline *lines, size_t a, size_t b, size_t lo, size_t hi,
           const size_t *g, size_t ng, struct pout *o)
{
    size_t ncol = ng + 1;

    for (size_t i = a; i < b;) {
        size_t j = i, k = 0;
        struct buf entries[PDF_MAX_COLS][8];
        size_t nent[PDF_MAX_COLS] = {0};
        bool gap[PDF_MAX_COLS];

        while (i < b && !kb_doc_pdf_columns_has_text_in(&lines[i], lo, hi))
            i++;
        if (i == b)
            break;
        for (j = i; j < b && kb_doc_pdf_columns_has_text_in(&lines[j], lo, hi); j++)
            ;
        /* A cell's entries: its lines, a new entry after a line blank in that column. */
        for (size_t c = 0; c < ncol; c++) {
            gap[c] = true;
            for (size_t e = 0; e < 8; e++)
                buf_init(&entries[c][e], PDF_TEXT_MAX);
        }
        for (size_t r = i; r < j; r++) {
            for (size_t c = 0; c < ncol; c++) {
                char *t = kb_doc_pdf_columns_cols(&lines[r], c ? g[c - 1] : lo,
                                                  c < ng ? g[c] : hi);

                if (t[0] == '\0') {
                    gap[c] = true;
                } else {
                    if (gap[c] && nent[c] < 8)
                        nent[c]++;
                    if (nent[c] > 0) {
                        struct buf *e = &entries[c][nent[c] - 1];

                        if (e->len > 0)
                            (void)buf_adds(e, " ");
                        (void)buf_adds(e, t);
                    }
                    gap[c] = false;
                }
                free(t);
            }
        }
        for (size_t c = 0; c < ncol; c++)
            k = nent[c] > k ? nent[c] : k;
        for (size_t r = 0; r < k; r++) {
            char **cells = xcalloc(ncol, sizeof(*cells));

            for (size_t c = 0; c < ncol; c++)
                cells[c] = xstrdup(r < nent[c] ? buf_str(&entries[c][r]) : "");
            out_row(o, cells, ncol);
        }
        for (size_t c = 0; c < ncol; c++) {
            for (size_t e = 0; e < 8; e++)
                buf_cleanup(&entries[c][e]);
        }
        out_line(o, xstrdup(""));
        i = j;
    }
}

/* The most lines in a row with text, in lines [@a, @b). */
static size_t
tallest_group(const struct pline *lines, size_t a, size_t b, size_t lo, size_t hi)
{
    size_t best = 0, run = 0;

    for (size_t i = a; i < b; i++) {
        run = kb_doc_pdf_columns_has_text_in(&lines[i], lo, hi) ? run + 1 : 0;
        best = run > best ? run : best;
    }
    return best;
}

/*
 * Lines [@a, @b) with no line across the gutters, which lines [@ga, @b)
 * show (@ga > @a: the lines above are a column's heading).  Three or more
 * columns whose entries are a few lines each are a table; otherwise the
 * columns are read one after the other.
 */
static void
split_band(const struct pline *lines, size_t a, size_t ga, size_t b, size_t lo, size_t hi,
           struct pout *o)
{
    size_t g[PDF_MAX_COLS - 1], ng = 0, end = b;

    gutters(lines, ga, b, lo, hi, g, &ng, PDF_MAX_COLS - 1);
    if (ng == 0) {
        for (size_t i = a; i < b; i++)
            out_line(o, kb_doc_pdf_columns_cols(&lines[i], lo, hi));
        return;
    }
    if (ng >= 2 && tallest_group(lines, a, b, lo, hi) <= 4) {
        /* A line after the table with nothing right of its first column
           (the next heading) is not part of it. */
        while (end > a && !kb_doc_pdf_columns_has_text_in(&lines[end - 1], g[0], hi))
            end--;
        table_rows(lines, a, end, lo, hi, g, ng, o);
        for (size_t i = end; i < b; i++)
            out_line(o, kb_doc_pdf_columns_cols(&lines[i], lo, hi));
        return;
    }
    for (size_t c = 0; c <= ng; c++) {
        size_t clo = c ? g[c - 1] : lo, chi = c < ng ? g[c] : hi, n = 0;
        struct pline *col = xcalloc(b - a + 1, sizeof(*col));

        /* A line blank in this column only is the other columns' text,
           placed between this column's lines: not a gap in this one. */
        for (size_t i = a; i < b; i++) {
            if (kb_doc_pdf_columns_has_text_in(&lines[i], clo, chi) ||
                !kb_doc_pdf_columns_has_text_in(&lines[i], lo, hi))
                col[n++] = lines[i];
        }
        kb_doc_pdf_columns_split(col, 0, n, clo, chi, o);
        free(col);
        out_line(o, xstrdup(""));
    }
}

static bool
gap_at(const struct pline *l, size_t x)
{
    return kb_doc_pdf_columns_is_sp(l, x - 1) && kb_doc_pdf_columns_is_sp(l, x) &&
           kb_doc_pdf_columns_is_sp(l, x + 1);
}

/* Whether @l has text on both sides of a gap at @x, within [@lo, @hi). */
static bool
two_sided(const struct pline *l, size_t x, size_t lo, size_t hi)
{
    return gap_at(l, x) && kb_doc_pdf_columns_has_text_in(l, lo, x - 1) &&
           kb_doc_pdf_columns_has_text_in(l, x + 2, hi);
}

/*
 * The longest run of lines from @i on that a gutter runs down, as its end
 * (@i if none): every line has white space at the gutter's column, and at
 * least three have text on both sides of it.  *@gx (out) is the leftmost
 * such column.
 */
static size_t
grow_band(const struct pline *lines, size_t i, size_t b, size_t lo, size_t hi, size_t *gx)
{
    size_t w = hi - lo, best = i;
    bool *mask = xmalloc(w), *held = xcalloc(w, sizeof(*held));
    size_t *both = xcalloc(w, sizeof(*both));

    memset(mask, 1, w);
    for (size_t j = i; j < b; j++) {
        bool any = false, cut = false;

        /* Three blank lines are a gap between sections, not inside columns. */
        if (j + 3 <= b && !kb_doc_pdf_columns_has_text_in(&lines[j], lo, hi) &&
            !kb_doc_pdf_columns_has_text_in(&lines[j + 1], lo, hi) &&
            !kb_doc_pdf_columns_has_text_in(&lines[j + 2], lo, hi))
            break;

        /* A line across a whole gutter the run has: the run ends above it. */
        for (size_t x = lo + 2;
             x + 2 < hi && !cut && kb_doc_pdf_columns_has_text_in(&lines[j], lo, hi);) {
            bool open = false;
            size_t y = x;

            if (!held[x - lo]) {
                x++;
                continue;
            }
            for (; y + 2 < hi && held[y - lo]; y++)
                open = open || gap_at(&lines[j], y);
            cut = !open;
            x = y;
        }
        if (cut)
            break;
        for (size_t x = lo + 2; x + 2 < hi; x++) {
            if (!mask[x - lo])
                continue;
            if (kb_doc_pdf_columns_has_text_in(&lines[j], lo, hi) &&
                !gap_at(&lines[j], x)) {
                mask[x - lo] = false;
                continue;
            }
            both[x - lo] += two_sided(&lines[j], x, lo, hi);
            any = any || both[x - lo] > 0;
        }
        if (!any)
            break;
        for (size_t x = lo + 2; x + 2 < hi; x++) {
            if (mask[x - lo] && both[x - lo] >= 3) {
                if (best <= j)
                    *gx = *gx ? *gx : x;
                best = j + 1;
                held[x - lo] = true;
            }
        }
    }
    free(mask);
    free(held);
    free(both);
    return best;
}

/* Have lines [@a, @b) text right of the gutter at @x only (blank lines too)? */
static bool
right_only(const struct pline *lines, size_t a, size_t b, size_t x, size_t lo, size_t hi)
{
    for (size_t i = a; i < b; i++) {
        if (kb_doc_pdf_columns_has_text_in(&lines[i], lo, hi) &&
            (!gap_at(&lines[i], x) ||
             kb_doc_pdf_columns_has_text_in(&lines[i], lo, x - 1)))
            return false;
    }
    return true;
}

/*
 * Reads lines [@a, @b) between columns @lo and @hi in reading order: each
 * run of lines a gutter runs down is read column by column (or as a table);
 * other lines stay where they are.  A run starts at a line with text on
 * both sides of its gutter (or right of it only, the line after having
 * both), so a heading or the end of a paragraph above it is read before it.
 */
void
kb_doc_pdf_columns_split(const struct pline *lines, size_t a, size_t b, size_t lo,
                         size_t hi, struct pout *o)
{
    size_t base = SIZE_MAX, width = 0;

    for (size_t i = a; i < b; i++) {
        const struct pline *l = &lines[i];
        size_t in = lo;

        if (!kb_doc_pdf_columns_has_text_in(l, lo, hi))
            continue;
        while (in < hi && kb_doc_pdf_columns_is_sp(l, in))
            in++;
        base = in - lo < base ? in - lo : base;
        for (size_t x = hi < l->ncols ? hi : l->ncols; x > lo; x--) {
            if (!kb_doc_pdf_columns_is_sp(l, x - 1)) {
                width = x - lo > width ? x - lo : width;
                break;
            }
        }
    }
    /* A page of short lines is as wide as the document's other pages. */
    if (lo == 0 && hi == o->page_hi && width < o->text_width)
        width = o->text_width;
    for (size_t i = a; i < b;) {
        size_t gx = 0, end = kb_doc_pdf_columns_has_text_in(&lines[i], lo, hi)
                                 ? grow_band(lines, i, b, lo, hi, &gx)
                                 : i;

        if (end > i && two_sided(&lines[i], gx, lo, hi)) {
            split_band(lines, i, i, end, lo, hi, o);
            i = end;
            continue;
        }
        /* lines right of a gutter only, just over the run (the right column's
           heading, or the end of the left one's text flowing over, set higher
           than the left column's first line) are the run's first; a line over
           both columns, or the left one's, is read before it */
        if (end == i && kb_doc_pdf_columns_has_text_in(&lines[i], lo, hi)) {
            size_t j = i + 1, gx2 = 0, end2 = 0;

            while (j < b && j < i + 8 &&
                   !(kb_doc_pdf_columns_has_text_in(&lines[j], lo, hi) &&
                     (end2 = grow_band(lines, j, b, lo, hi, &gx2)) > j &&
                     two_sided(&lines[j], gx2, lo, hi))) {
                gx2 = 0;
                end2 = 0;
                j++;
            }
            if (end2 > j && right_only(lines, i, j, gx2, lo, hi)) {
                split_band(lines, i, j, end2, lo, hi, o);
                i = end2;
                continue;
            }
        }
        out_line(o, kb_doc_pdf_columns_cols(&lines[i], lo, hi));
        if (kb_doc_pdf_columns_has_text_in(&lines[i], lo, hi)) {
            const struct pline *l = &lines[i];
            struct pitem *it = &o->items[o->n - 1];
            size_t in = lo, x;

            while (in < hi && kb_doc_pdf_columns_is_sp(l, in))
                in++;
            for (x = hi < l->ncols ? hi : l->ncols;
                 x > lo && kb_doc_pdf_columns_is_sp(l, x - 1); x--)
                ;
            it->indent = in - lo;
            it->end = x - lo;
            it->base = base;
            it->width = width;
        }
        i++;
    }
}
