/*
 * kb_doc_pdf.c - the PDF reader for the document model (kb_doc.h).
 *
 * The text comes from poppler's pdftotext -layout (kb_doc_pdf_run.c runs
 * it); this file reads its output.
 *
 * Why -layout: pdftotext's default order interleaves a two-column page
 * line by line (corpus kovp), and -raw, which follows the order of the
 * content stream, is right only when the producer wrote text in reading
 * order (a browser's print is; a desktop-publishing layout often is not)
 * and joins the cells of a table row with single spaces, so a table
 * (corpus fmhp, tmpt) cannot be told from a sentence.  -layout keeps every
 * line where it is on the page; the columns are found here from the gutters
 * of white space that run down several lines: two columns are read one
 * after the other, three or more are a table and become rows.
 *
 * Then, per page (pages end at form feeds): running headers and footers
 * (lines at the top or bottom of most pages), "Page N of M" and bare page
 * numbers are removed, lines wrapped inside a paragraph are joined, and the
 * text is handed to the text reader; its blocks get the page number.
 */
#include "bot/kb/kb_doc.h"

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

#define PDF_EDGE 4 /* lines at the top and bottom of a page that may be furniture */

/* One line of a page, with the byte offset of each character column. */
struct pline {
    const char *s; /* borrowed from the page text */
    size_t len;    /* bytes */
    size_t ncols;  /* characters */
    size_t *off;   /* owned: off[c] is column c's byte offset, off[ncols] == len */
};

/* What a page becomes: text lines (blank ones end paragraphs) and table rows. */
struct pitem {
    char *text;   /* owned: a line, or NULL for a row */
    char **cells; /* owned: a row's cells */
    size_t ncells;
    size_t indent, end; /* a line's first and last columns, from its region's left */
    size_t base, width; /* its region's least indent and widest line */
    bool labelled;      /* a numbered label joined to the start of its title */
};

struct pout {
    struct pitem *items;
    size_t n, cap;
    size_t page_hi;    /* the right edge of a whole page (split_region's first call) */
    size_t text_width; /* the widest line of the whole document */
};

static void
pline_init(struct pline *l, const char *s, size_t len)
{
    size_t c = 0;

    l->s = s;
    l->len = len;
    l->off = xreallocarray(NULL, len + 1, sizeof(*l->off));
    for (size_t i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            l->off[c++] = i;
    }
    l->off[c] = len;
    l->ncols = c;
}

static bool
is_sp(const struct pline *l, size_t x)
{
    return x >= l->ncols || l->s[l->off[x]] == ' ' || l->s[l->off[x]] == '\t';
}

/* Whether @l has text in columns [@a, @b). */
static bool
has_text_in(const struct pline *l, size_t a, size_t b)
{
    for (size_t x = a; x < b && x < l->ncols; x++) {
        if (!is_sp(l, x))
            return true;
    }
    return false;
}

/* A copy of columns [@a, @b) of @l, trimmed. */
static char *
cols(const struct pline *l, size_t a, size_t b)
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

            if (!has_text_in(l, lo, hi))
                continue;
            if (!is_sp(l, x - 1) || !is_sp(l, x) || !is_sp(l, x + 1))
                cross++;
            else if (has_text_in(l, lo, x - 1) && has_text_in(l, x + 2, hi))
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

static void split_region(const struct pline *lines, size_t a, size_t b, size_t lo,
                         size_t hi, struct pout *o);
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

        while (i < b && !has_text_in(&lines[i], lo, hi))
            i++;
        if (i == b)
            break;
        for (j = i; j < b && has_text_in(&lines[j], lo, hi); j++)
            ;
        /* A cell's entries: its lines, a new entry after a line blank in that column. */
        for (size_t c = 0; c < ncol; c++) {
            gap[c] = true;
            for (size_t e = 0; e < 8; e++)
                buf_init(&entries[c][e], PDF_TEXT_MAX);
        }
        for (size_t r = i; r < j; r++) {
            for (size_t c = 0; c < ncol; c++) {
                char *t = cols(&lines[r], c ? g[c - 1] : lo, c < ng ? g[c] : hi);

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
        run = has_text_in(&lines[i], lo, hi) ? run + 1 : 0;
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
            out_line(o, cols(&lines[i], lo, hi));
        return;
    }
    if (ng >= 2 && tallest_group(lines, a, b, lo, hi) <= 4) {
        /* A line after the table with nothing right of its first column
           (the next heading) is not part of it. */
        while (end > a && !has_text_in(&lines[end - 1], g[0], hi))
            end--;
        table_rows(lines, a, end, lo, hi, g, ng, o);
        for (size_t i = end; i < b; i++)
            out_line(o, cols(&lines[i], lo, hi));
        return;
    }
    for (size_t c = 0; c <= ng; c++) {
        size_t clo = c ? g[c - 1] : lo, chi = c < ng ? g[c] : hi, n = 0;
        struct pline *col = xcalloc(b - a + 1, sizeof(*col));

        /* A line blank in this column only is the other columns' text,
           placed between this column's lines: not a gap in this one. */
        for (size_t i = a; i < b; i++) {
            if (has_text_in(&lines[i], clo, chi) || !has_text_in(&lines[i], lo, hi))
                col[n++] = lines[i];
        }
        split_region(col, 0, n, clo, chi, o);
        free(col);
        out_line(o, xstrdup(""));
    }
}

static bool
gap_at(const struct pline *l, size_t x)
{
    return is_sp(l, x - 1) && is_sp(l, x) && is_sp(l, x + 1);
}

/* Whether @l has text on both sides of a gap at @x, within [@lo, @hi). */
static bool
two_sided(const struct pline *l, size_t x, size_t lo, size_t hi)
{
    return gap_at(l, x) && has_text_in(l, lo, x - 1) && has_text_in(l, x + 2, hi);
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
        if (j + 3 <= b && !has_text_in(&lines[j], lo, hi) &&
            !has_text_in(&lines[j + 1], lo, hi) && !has_text_in(&lines[j + 2], lo, hi))
            break;

        /* A line across a whole gutter the run has: the run ends above it. */
        for (size_t x = lo + 2; x + 2 < hi && !cut && has_text_in(&lines[j], lo, hi);) {
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
            if (has_text_in(&lines[j], lo, hi) && !gap_at(&lines[j], x)) {
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
        if (has_text_in(&lines[i], lo, hi) &&
            (!gap_at(&lines[i], x) || has_text_in(&lines[i], lo, x - 1)))
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
static void
split_region(const struct pline *lines, size_t a, size_t b, size_t lo, size_t hi,
             struct pout *o)
{
    size_t base = SIZE_MAX, width = 0;

    for (size_t i = a; i < b; i++) {
        const struct pline *l = &lines[i];
        size_t in = lo;

        if (!has_text_in(l, lo, hi))
            continue;
        while (in < hi && is_sp(l, in))
            in++;
        base = in - lo < base ? in - lo : base;
        for (size_t x = hi < l->ncols ? hi : l->ncols; x > lo; x--) {
            if (!is_sp(l, x - 1)) {
                width = x - lo > width ? x - lo : width;
                break;
            }
        }
    }
    /* A page of short lines is as wide as the document's other pages. */
    if (lo == 0 && hi == o->page_hi && width < o->text_width)
        width = o->text_width;
    for (size_t i = a; i < b;) {
        size_t gx = 0, end = has_text_in(&lines[i], lo, hi)
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
        if (end == i && has_text_in(&lines[i], lo, hi)) {
            size_t j = i + 1, gx2 = 0, end2 = 0;

            while (j < b && j < i + 8 &&
                   !(has_text_in(&lines[j], lo, hi) &&
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
        out_line(o, cols(&lines[i], lo, hi));
        if (has_text_in(&lines[i], lo, hi)) {
            const struct pline *l = &lines[i];
            struct pitem *it = &o->items[o->n - 1];
            size_t in = lo, x;

            while (in < hi && is_sp(l, in))
                in++;
            for (x = hi < l->ncols ? hi : l->ncols; x > lo && is_sp(l, x - 1); x--)
                ;
            it->indent = in - lo;
            it->end = x - lo;
            it->base = base;
            it->width = width;
        }
        i++;
    }
}

/* @s with white space collapsed and each digit made '#': what repeats on pages. */
static char *
line_shape(const char *s)
{
    size_t n = strlen(s), o = 0;
    char *out = xmalloc(n + 1);
    bool space = true;

    for (size_t i = 0; i < n; i++) {
        char c = s[i];

        if (c == ' ' || c == '\t' || c == '\r') {
            if (!space)
                out[o++] = ' ';
            space = true;
            continue;
        }
        out[o++] = c >= '0' && c <= '9' ? '#' : c;
        space = false;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return out;
}

/* "12", "Page 3", "Page 3 of 9", "3 of 9", "3/9", "- 3 -": a page number line. */
bool
kb_doc_pdf_is_page_number(const char *s)
{
    const char *p = s;
    unsigned digits = 0;

    while (*p == ' ' || *p == '-' || *p == '\xe2') {
        if (*p == '\xe2') { /* an en or em dash */
            if (strncmp(p, "\xe2\x80\x93", 3) != 0 && strncmp(p, "\xe2\x80\x94", 3) != 0)
                return false;
            p += 3;
            continue;
        }
        p++;
    }
    if (strncasecmp(p, "page", 4) == 0) {
        p += 4;
        while (*p == ' ')
            p++;
    }
    while (*p >= '0' && *p <= '9') {
        p++;
        digits++;
    }
    if (digits == 0 || digits > 4)
        return false;
    while (*p == ' ')
        p++;
    if (strncasecmp(p, "of", 2) == 0 || *p == '/') {
        p += *p == '/' ? 1 : 2;
        while (*p == ' ')
            p++;
        digits = 0;
        while (*p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
        if (digits == 0)
            return false;
    }
    while (*p == ' ' || *p == '-' || strncmp(p, "\xe2\x80\x93", 3) == 0 ||
           strncmp(p, "\xe2\x80\x94", 3) == 0)
        p += (unsigned char)*p == 0xe2 ? 3 : 1;
    return *p == '\0';
}

static bool
starts_marker(const char *s)
{
    static const char *const marks[] = {
        "\xe2\x80\xa2", "\xc2\xb7", "\xe2\x9c\x94", "\xe2\x96\xaa",
        "\xe2\x97\xa6", "- ",       "* ",           NULL};
    const char *p = s;

    for (size_t i = 0; marks[i] != NULL; i++) {
        if (strncmp(s, marks[i], strlen(marks[i])) == 0)
            return true;
    }
    while (*p >= '0' && *p <= '9')
        p++;
    if (p > s && p - s <= 2 && (*p == '.' || *p == ')') && p[1] == ' ')
        return true;
    return false;
}

static bool
starts_lower(const char *s)
{
    return (*s >= 'a' && *s <= 'z') || *s == '(' || *s == ',';
}

static size_t
first_word_len(const char *s)
{
    size_t n = 0;

    for (; *s && *s != ' '; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static bool
ends_sentence(const char *s)
{
    size_t n = strlen(s);

    return n > 0 && (s[n - 1] == '.' || s[n - 1] == ':' || s[n - 1] == '!' ||
                     s[n - 1] == '?' || s[n - 1] == ';');
}

/* Whether @s starts "Name - ", "Name: " (a few words, then a separator). */
static bool
names_item(const char *s)
{
    size_t words = 1;

    for (const char *p = s; *p && p - s < 60; p++) {
        if (*p == ':' && p[1] == ' ')
            return true;
        if (*p == ' ' &&
            (strncmp(p + 1, "- ", 2) == 0 || strncmp(p + 1, "\xe2\x80\x93 ", 4) == 0 ||
             strncmp(p + 1, "\xe2\x80\x94 ", 4) == 0))
            return true;
        if (*p == ' ' && ++words > 6)
            return false;
    }
    return false;
}

/* "Goal 3:", "Priority 1:": a numbered label whose title is on the next line. */
static bool
is_label_line(const char *s)
{
    size_t n = strlen(s), words = 1;
    const char *p = s + n;

    if (n < 3 || s[n - 1] != ':')
        return false;
    p = s + n - 1;
    if (p == s || p[-1] < '0' || p[-1] > '9')
        return false;
    for (const char *q = s; q < p; q++)
        words += *q == ' ';
    return words >= 2 && words <= 4 && !starts_lower(s);
}

/*
 * Do the lines indented as @o's line @i (a list without bullet glyphs) start
 * with a capital, two or more of them and none in lower case but for lines
 * after one that does not end a sentence?  Then a line in lower case there
 * is the rest of the item above, wrapped: the list's items all start alike.
 */
static bool
capital_items(const struct pout *o, size_t i)
{
    const struct pitem *a = &o->items[i];
    size_t lo = i, hi = i, upper = 0;

    while (lo > 0 && o->items[lo - 1].text != NULL && o->items[lo - 1].text[0] != '\0' &&
           o->items[lo - 1].indent == a->indent && o->items[lo - 1].base == a->base)
        lo--;
    while (hi + 1 < o->n && o->items[hi + 1].text != NULL &&
           o->items[hi + 1].text[0] != '\0' && o->items[hi + 1].indent == a->indent &&
           o->items[hi + 1].base == a->base)
        hi++;
    for (size_t k = lo; k <= hi; k++) {
        const char *t = o->items[k].text;

        if (starts_lower(t)) {
            if (k == lo || ends_sentence(o->items[k - 1].text))
                return false;
        } else if ((unsigned char)t[0] < 0x80 && isupper((unsigned char)t[0])) {
            upper++;
        }
    }
    return upper >= 2;
}

/* How many lines indented as @o's line @i, in its run, start "Name - ". */
static size_t
named_items(const struct pout *o, size_t i)
{
    const struct pitem *a = &o->items[i];
    size_t lo = i, n = 0;

    while (lo > 0 && o->items[lo - 1].text != NULL && o->items[lo - 1].text[0] != '\0' &&
           o->items[lo - 1].indent == a->indent && o->items[lo - 1].base == a->base)
        lo--;
    for (size_t k = lo;
         k < o->n && o->items[k].text != NULL && o->items[k].text[0] != '\0' &&
         o->items[k].indent == a->indent && o->items[k].base == a->base;
         k++)
        n += names_item(o->items[k].text);
    return n;
}

/*
 * Joins the lines of @o that were wrapped inside a paragraph.  A line was
 * wrapped when the next line's first word would not have fitted after it
 * in its region's width.  The next line going on in lower case is joined
 * then; one starting with a capital only when the line is not indented
 * (list items without a bullet glyph are) and does not end a sentence.
 * Besides, a line that does not end a sentence goes on into a next line
 * in lower case, whatever its length (a heading in a larger font than the
 * text around it is narrower, centred lines are uneven), unless the two
 * are indented alike, as the items of a list without bullet glyphs; a
 * hanging indent goes on from its numbered or bulleted line; and a
 * numbered label ("Goal 3:") alone on its line takes the title after it.
 */
static void
join_wrapped(struct pout *o)
{
    for (size_t i = 0; i + 1 < o->n; i++) {
        struct pitem *a = &o->items[i], *b = &o->items[i + 1];
        bool full, list_pair, b_goes_on = false;
        char *joined;

        if (a->text == NULL || b->text == NULL || a->text[0] == '\0' ||
            b->text[0] == '\0')
            continue;
        if (starts_marker(b->text))
            continue;
        /* -layout counts characters of a proportional font, so lines fill
           their width only roughly; an indented line (a list item without
           its bullet glyph) must come closer.  A line under a numbered or
           bulleted one, indented further, goes on from it (a hanging indent). */
        full = a->width != b->width || a->base != b->base ? false
               : a->indent > a->base
                   ? (a->end + 1 + first_word_len(b->text)) * 25 > a->width * 23
                   : (a->end + 1 + first_word_len(b->text)) * 20 > a->width * 17;
        list_pair = a->indent > a->base && b->indent == a->indent && !a->labelled;
        /* In a list whose items start "Name - ...", a line that does not is
           the rest of the item above; otherwise the line must be full. */
        if (list_pair && full && !(names_item(a->text) && !names_item(b->text)))
            full = a->end + 1 + first_word_len(b->text) > a->width;
        /* "... the communities we" over "serve" in a list of capitalised items */
        if (list_pair && starts_lower(b->text) && !ends_sentence(a->text) &&
            capital_items(o, i))
            full = true;
        /* "Sustainability - A resilient and creative" over "University Hospital
           Group, ..." in a list whose items start "Name - " */
        if (list_pair && !ends_sentence(a->text) && names_item(a->text) &&
            !names_item(b->text) && named_items(o, i) >= 2)
            b_goes_on = true;
        if (!(starts_marker(a->text) && b->indent > a->indent) &&
            !is_label_line(a->text) &&
            !(starts_lower(b->text) && !list_pair && !ends_sentence(a->text))) {
            if (!full && !b_goes_on)
                continue;
            if (!b_goes_on && !starts_lower(b->text) &&
                (a->indent > a->base || ends_sentence(a->text)))
                continue;
        }
        joined = xasprintf("%s %s", a->text, b->text);
        a->labelled = a->labelled || is_label_line(a->text);
        free(a->text);
        a->text = joined;
        a->end = b->end;
        free(b->text);
        memmove(b, b + 1, (o->n - i - 2) * sizeof(*b));
        o->n--;
        i--;
    }
}

/* Is the line above @o's line @i (a blank line between allowed) a lead-in
   ending ':', less indented? */
static bool
lead_in_above(const struct pout *o, size_t i)
{
    size_t k = i;

    if (k > 0 && o->items[k - 1].text != NULL && o->items[k - 1].text[0] == '\0')
        k--;
    if (k == 0 || o->items[k - 1].text == NULL || o->items[k - 1].text[0] == '\0')
        return false;
    return o->items[k - 1].text[strlen(o->items[k - 1].text) - 1] == ':' &&
           o->items[k - 1].indent < o->items[i].indent;
}

/*
 * Lines indented alike past their region's margin, two or more together
 * (or one right under a lead-in ending ':'), are the items of a list whose
 * bullets are drawn, not written (no glyph in the text): they are given a
 * "- " marker for the text reader.
 */
static void
mark_glyphless_items(struct pout *o)
{
    for (size_t i = 0; i < o->n;) {
        size_t j = i + 1;

        if (o->items[i].text == NULL || o->items[i].text[0] == '\0' ||
            o->items[i].indent <= o->items[i].base) {
            i++;
            continue;
        }
        while (j < o->n && o->items[j].text != NULL && o->items[j].text[0] != '\0' &&
               o->items[j].indent == o->items[i].indent &&
               o->items[j].base == o->items[i].base)
            j++;
        /* one such line right after a lead-in ("... are:") is an item too */
        if (j - i >= 2 || lead_in_above(o, i)) {
            for (size_t k = i; k < j; k++) {
                char *t;

                if (starts_marker(o->items[k].text))
                    continue;
                t = xasprintf("- %s", o->items[k].text);
                free(o->items[k].text);
                o->items[k].text = t;
            }
        }
        i = j;
    }
}

static void
pout_cleanup(struct pout *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->items[i].text);
        for (size_t c = 0; c < o->items[i].ncells; c++)
            free(o->items[i].cells[c]);
        free(o->items[i].cells);
    }
    free(o->items);
}

/* One page: its lines, and which are furniture to drop. */
struct ppage {
    struct pline *lines;
    size_t n;
    bool *drop;
};

static bool
is_blank(const struct pline *l)
{
    return !has_text_in(l, 0, l->ncols);
}

/* The indexes of the first and last PDF_EDGE non-blank lines of @p, as marks. */
static void
edge_lines(const struct ppage *p, bool *edge)
{
    size_t k = 0;

    for (size_t i = 0; i < p->n; i++)
        edge[i] = false;
    for (size_t i = 0; i < p->n && k < PDF_EDGE; i++) {
        if (!is_blank(&p->lines[i])) {
            edge[i] = true;
            k++;
        }
    }
    k = 0;
    for (size_t i = p->n; i-- > 0 && k < PDF_EDGE;) {
        if (!is_blank(&p->lines[i])) {
            edge[i] = true;
            k++;
        }
    }
}

/*
 * Marks running headers and footers: a line at the top or bottom of a page
 * whose shape (digits aside) is at the top or bottom of at least half the
 * pages, two at least; and page-number lines there.
 */
static void
mark_furniture(struct ppage *pages, size_t npages)
{
    for (size_t p = 0; p < npages; p++) {
        bool *edge = xcalloc(pages[p].n + 1, sizeof(*edge));

        edge_lines(&pages[p], edge);
        for (size_t i = 0; i < pages[p].n; i++) {
            char *t, *shape;
            size_t seen = 0;

            if (!edge[i])
                continue;
            t = cols(&pages[p].lines[i], 0, SIZE_MAX);
            if (kb_doc_pdf_is_page_number(t)) {
                pages[p].drop[i] = true;
                free(t);
                continue;
            }
            shape = line_shape(t);
            free(t);
            for (size_t q = 0; q < npages && npages >= 2; q++) {
                bool *qe = xcalloc(pages[q].n + 1, sizeof(*qe));
                bool found = false;

                edge_lines(&pages[q], qe);
                for (size_t j = 0; j < pages[q].n && !found; j++) {
                    char *u, *us;

                    if (!qe[j])
                        continue;
                    u = cols(&pages[q].lines[j], 0, SIZE_MAX);
                    us = line_shape(u);
                    found = strcmp(us, shape) == 0;
                    free(us);
                    free(u);
                }
                free(qe);
                seen += found;
            }
            if (npages >= 2 && seen >= 2 && seen * 2 >= npages)
                pages[p].drop[i] = true;
            free(shape);
        }
        free(edge);
    }
}

static void
page_lines(struct ppage *p, const char *s, size_t len)
{
    size_t cap = 0;

    p->n = 0;
    p->lines = NULL;
    for (const char *q = s, *end; q < s + len; q = end + 1) {
        end = memchr(q, '\n', (size_t)(s + len - q));
        if (end == NULL)
            end = s + len;
        if (p->n == cap) {
            cap = cap ? cap * 2 : 64;
            p->lines = xreallocarray(p->lines, cap, sizeof(*p->lines));
        }
        pline_init(&p->lines[p->n++], q, (size_t)(end - q));
    }
    p->drop = xcalloc(p->n + 1, sizeof(*p->drop));
}

/* Adds the page's text lines to the document through the text reader. */
static enum bot_err
flush_text(struct kb_doc *doc, struct buf *text, unsigned src, unsigned page, char **why)
{
    size_t before = doc->nblocks;
    enum bot_err err;

    if (text->len == 0)
        return BOT_OK;
    err = kb_doc_read_text(doc, text->data, text->len, src, why);
    for (size_t i = before; i < doc->nblocks; i++) {
        doc->blocks[i].page = page;
        doc->blocks[i].row = doc->blocks[i].line;
        doc->blocks[i].line = 0;
    }
    buf_reset(text);
    return err;
}

enum bot_err
kb_doc_pdf_read_layout(struct kb_doc *doc, const char *text, size_t len, unsigned src,
                       char **why)
{
    struct ppage *pages = NULL;
    size_t npages = 0, cap = 0, text_width = 0;
    enum bot_err err = BOT_OK;
    struct buf page_text;

    for (const char *q = text, *end; q < text + len; q = end + 1) {
        end = memchr(q, '\f', (size_t)(text + len - q));
        if (end == NULL)
            end = text + len;
        if (end == q && end == text + len)
            break;
        if (npages == cap) {
            cap = cap ? cap * 2 : 16;
            pages = xreallocarray(pages, cap, sizeof(*pages));
        }
        page_lines(&pages[npages++], q, (size_t)(end - q));
    }
    mark_furniture(pages, npages);
    for (size_t p = 0; p < npages; p++) {
        for (size_t i = 0; i < pages[p].n; i++) {
            const struct pline *l = &pages[p].lines[i];
            size_t e = l->ncols;

            while (e > 0 && is_sp(l, e - 1))
                e--;
            if (!pages[p].drop[i] && e > text_width)
                text_width = e;
        }
    }
    buf_init(&page_text, PDF_TEXT_MAX);
    for (size_t p = 0; p < npages && !err; p++) {
        struct pout o = {0};
        struct pline *kept = xcalloc(pages[p].n + 1, sizeof(*kept));
        size_t nkept = 0, w = 0;

        for (size_t i = 0; i < pages[p].n; i++) {
            if (!pages[p].drop[i])
                kept[nkept++] = pages[p].lines[i];
            w = pages[p].lines[i].ncols > w ? pages[p].lines[i].ncols : w;
        }
        o.page_hi = w + 1;
        o.text_width = text_width;
        split_region(kept, 0, nkept, 0, w + 1, &o);
        free(kept);
        join_wrapped(&o);
        mark_glyphless_items(&o);
        for (size_t i = 0; i < o.n && !err; i++) {
            struct kb_block *b;

            if (o.items[i].text != NULL) {
                /* One blank line between paragraphs, none at the ends. */
                if (o.items[i].text[0] == '\0' &&
                    (page_text.len == 0 ||
                     (page_text.len >= 2 && page_text.data[page_text.len - 2] == '\n')))
                    continue;
                (void)buf_adds(&page_text, o.items[i].text);
                (void)buf_adds(&page_text, "\n");
                continue;
            }
            err = flush_text(doc, &page_text, src, (unsigned)p + 1, why);
            if (err)
                break;
            b = kb_doc_add(doc, KB_BLOCK_ROW, "", src, 0);
            b->page = (unsigned)p + 1;
            for (size_t c = 0; c < o.items[i].ncells; c++)
                kb_doc_add_cell(b, o.items[i].cells[c]);
        }
        if (!err)
            err = flush_text(doc, &page_text, src, (unsigned)p + 1, why);
        pout_cleanup(&o);
    }
    buf_cleanup(&page_text);
    for (size_t p = 0; p < npages; p++) {
        for (size_t i = 0; i < pages[p].n; i++)
            free(pages[p].lines[i].off);
        free(pages[p].lines);
        free(pages[p].drop);
    }
    free(pages);
    return err;
}
