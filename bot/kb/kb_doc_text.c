/*
 * kb_doc_text.c - the text and Markdown reader for the document model.
 *
 * A line at a time.  Markdown headings ("## Our values") become headings at
 * their level; a short title-like line standing at the start of a block of
 * lines (after a blank line) becomes a level-2 heading; bulleted (-, *, +,
 * •, ·, ✔, ...) and numbered ("1." "1)") lines become list items, with the
 * depth their indent gives and one list id per run of items; a line with
 * tabs between its words is a flattened table row; "Photo: ...", "[Graphic
 * ...]" and "... banner" lines are captions; everything else is a
 * paragraph, one a line, with a hard-wrapped line that continues in lower
 * case joined to it.  Markdown emphasis, code marks and links are reduced
 * to their text; a bold lead-in ("**Compassion** - ...") is kept as the
 * block's lead.  Blank lines make no block.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/utf8.h"
#include "bot/base/xmalloc.h"
#include "bot/kb/kb_build_int.h" /* kbw_caption_like(): the words a caption starts with */
#include "bot/kb/kb_doc.h"

struct rline {
    const char *raw, *raw_end; /* the whole line, without its newline */
    const char *s;             /* start of the content, after the indent */
    size_t len;                /* without the indent and trailing white space */
    int indent;                /* columns, a tab counted as 4 */
    unsigned no;
    bool row;  /* a tab after the first word: a flattened table row */
    bool pipe; /* a Markdown table row: "| a | b |" */
};

/* Removes Markdown links, images, emphasis and code marks from @s in place. */
static void
strip_markup(char *s)
{
    char *w = s;

    for (char *r = s; *r;) {
        if (r[0] == '!' && r[1] == '[') {
            r++;
            continue;
        }
        if (r[0] == '[') {
            char *close = strchr(r, ']');

            if (close != NULL && close[1] == '(' && strchr(close, ')') != NULL) {
                size_t n = (size_t)(close - r - 1);

                memmove(w, r + 1, n);
                w += n;
                r = strchr(close, ')') + 1;
                continue;
            }
        }
        if ((r[0] == '*' && r[1] == '*') || (r[0] == '_' && r[1] == '_')) {
            r += 2;
            continue;
        }
        if (*r == '`') {
            r++;
            continue;
        }
        /* A single * or _ at a word's edge is emphasis; inside a word it is text. */
        if (*r == '*' || *r == '_') {
            bool before = w == s || !isalnum((unsigned char)w[-1]);
            bool after = !isalnum((unsigned char)r[1]);

            if (before != after) {
                r++;
                continue;
            }
        }
        *w++ = *r++;
    }
    *w = '\0';
}

static bool
is_terminal(char c)
{
    return c == '.' || c == '!' || c == '?' || c == ',' || c == ';';
}

static size_t
word_count(const char *s)
{
    size_t n = 0;
    bool in = false;

    for (; *s; s++) {
        bool w = *s != ' ';

        if (w && !in)
            n++;
        in = w;
    }
    return n;
}

/* Short, capitalised, without closing punctuation or a "Label: text" colon. */
static bool
title_like(const char *t)
{
    size_t n = strlen(t);
    unsigned char c = (unsigned char)t[0];

    if (n == 0 || n > 120 || is_terminal(t[n - 1]) || t[n - 1] == ':')
        return false;
    if (strstr(t, " | ") != NULL || strstr(t, "://") != NULL || strstr(t, ": ") != NULL)
        return false;
    if (!isupper(c) && !isdigit(c) && c < 0x80)
        return false;
    return word_count(t) <= 12;
}

/*
 * Recognises a list marker at @p: returns its length (0 if none), and sets
 * *number (out) for a numbered one.
 */
static size_t
list_marker(const char *p, size_t len, unsigned *number)
{
    static const char *const bullets[] = {"- ",
                                          "* ",
                                          "+ ",
                                          "\xe2\x80\xa2 ", /* • */
                                          "\xc2\xb7 ",     /* · */
                                          "\xe2\x96\xaa ", /* ▪ */
                                          "\xe2\x97\xa6 ", /* ◦ */
                                          "\xe2\x9c\x94 ", /* ✔ */
                                          "\xe2\x9c\x93 ", /* ✓ */
                                          "\xe2\x80\x93 ", /* – */
                                          "\xe2\x96\xba ", /* ► */
                                          "\xe2\x9e\xa4 ", /* ➤ */
                                          NULL};
    size_t i = 0;
    unsigned long n = 0;

    *number = 0;
    for (size_t k = 0; bullets[k] != NULL; k++) {
        size_t m = strlen(bullets[k]);

        if (len >= m && memcmp(p, bullets[k], m) == 0)
            return m;
    }
    if (len >= 2 && p[0] == '(' && isdigit((unsigned char)p[1]))
        i = 1;
    while (i < len && isdigit((unsigned char)p[i]) && i < 4)
        n = n * 10 + (unsigned long)(p[i++] - '0');
    if (n > 0 && n < 1000 && i + 1 < len && (p[i] == '.' || p[i] == ')') &&
        p[i + 1] == ' ' && (p[0] != '(' || p[i] == ')')) {
        *number = (unsigned)n;
        return i + 2;
    }
    return 0;
}

/* A line that is only a bullet glyph ("✔" on its own): the next line is the item. */
static bool
lone_glyph(const char *p, size_t len)
{
    unsigned number;
    char buf[8];

    if (len == 0 || len > 4)
        return false;
    memcpy(buf, p, len);
    buf[len] = ' ';
    return list_marker(buf, len + 1, &number) == len + 1 && number == 0;
}

/* Copies @len bytes at @p, cleaned of markup; sets *lead (out) to a bold lead-in. */
static char *
clean(const char *p, size_t len, char **lead)
{
    char *s = xstrndup(p, len);

    *lead = NULL;
    if ((s[0] == '*' && s[1] == '*') || (s[0] == '_' && s[1] == '_')) {
        char mark[3] = {s[0], s[0], '\0'};
        char *close = strstr(s + 2, mark);

        if (close != NULL && close > s + 2) {
            *lead = xstrndup(s + 2, (size_t)(close - s - 2));
            strip_markup(*lead);
        }
    }
    strip_markup(s);
    return s;
}

/*
 * The paragraph a hard-wrapped line may continue: its length and capacity,
 * so that joining many lines costs their length, not its square.
 */
struct wrap {
    size_t len, cap;
};

/* Does the last block, a paragraph of @w->len bytes, stop mid-sentence? */
static bool
continues(const struct kb_doc *doc, const struct wrap *w)
{
    const char *t = doc->blocks[doc->nblocks - 1].text;

    return w->len > 0 && !is_terminal(t[w->len - 1]) && t[w->len - 1] != ':';
}

/* Appends " @text" (white space collapsed) to the last block. */
static void
join_line(struct kb_doc *doc, struct wrap *w, const char *text)
{
    struct kb_block *last = &doc->blocks[doc->nblocks - 1];
    size_t add = strlen(text);
    char *o;
    bool space = true;

    if (w->len + add + 2 > w->cap) {
        w->cap = w->cap * 2 > w->len + add + 2 ? w->cap * 2 : w->len + add + 2;
        last->text = xreallocarray(last->text, w->cap, 1);
    }
    o = last->text + w->len;
    *o++ = ' ';
    for (const char *p = text; *p; p++) {
        bool ws = *p == ' ' || *p == '\t';

        if (ws && space)
            continue;
        *o++ = ws ? ' ' : *p;
        space = ws;
    }
    if (o > last->text + w->len + 1 && o[-1] == ' ')
        o--;
    *o = '\0';
    w->len = (size_t)(o - last->text);
}

/* -- two columns of text side by side ------------------------------------ */

/* A run of text in a line, between gaps of three spaces or more. */
struct seg {
    const char *s; /* borrowed: into the line */
    size_t len;    /* bytes */
    int col, end;  /* columns (characters) where it starts and ends */
};

enum colkind { COL_NONE, COL_BLANK, COL_LEFT, COL_RIGHT, COL_BOTH };

/* The runs of @ln, at most @max; returns how many (max + 1 if more). */
static size_t
segments(const struct rline *ln, struct seg *out, size_t max)
{
    size_t n = 0;
    int col = 0;
    const char *p = ln->raw, *e = ln->raw + (ln->s - ln->raw) + ln->len;

    while (p < e) {
        int gap = 0;

        while (p < e && *p == ' ') {
            p++;
            col++;
            gap++;
        }
        if (p >= e)
            break;
        if (n > 0 && gap < 3) { /* a word of the same run */
            out[n - 1].len = (size_t)(p - out[n - 1].s);
        } else {
            if (n == max)
                return max + 1;
            out[n++] = (struct seg){.s = p, .col = col};
        }
        while (p < e && *p != ' ') {
            if (((unsigned char)*p & 0xc0) != 0x80)
                col++;
            p++;
        }
        out[n - 1].len = (size_t)(p - out[n - 1].s);
        out[n - 1].end = col;
    }
    return n;
}

static enum colkind
col_kind(const struct rline *ln, int x, struct seg seg[2])
{
    size_t n;

    if (ln->len == 0)
        return COL_BLANK;
    if (ln->row || memchr(ln->raw, '\t', (size_t)(ln->raw_end - ln->raw)) != NULL)
        return COL_NONE;
    n = segments(ln, seg, 2);
    if (n == 2 && seg[1].col >= x - 3 && seg[1].col <= x + 3 && seg[0].end <= x - 2)
        return COL_BOTH;
    if (n == 1 && seg[0].col >= x - 3)
        return COL_RIGHT;
    if (n == 1 && seg[0].end <= x - 2)
        return COL_LEFT;
    return COL_NONE;
}

/* The column where a right-hand column starts on most lines that have two runs, the
   second far to the right; 0 if fewer than three lines agree. */
static int
column_start(const struct rline *lines, size_t nl)
{
    int best = 0, best_n = 0;

    for (size_t i = 0; i < nl; i++) {
        struct seg seg[2];
        int n = 0, x;

        if (segments(&lines[i], seg, 2) != 2 || seg[1].col < 20 ||
            seg[1].col < seg[0].col + 10)
            continue;
        x = seg[1].col;
        for (size_t k = 0; k < nl; k++) {
            struct seg s2[2];

            n += segments(&lines[k], s2, 2) == 2 && s2[1].col >= x - 2 &&
                 s2[1].col <= x + 2;
        }
        if (n > best_n) {
            best = x;
            best_n = n;
        }
    }
    return best_n >= 3 ? best : 0;
}

/* Is @b's text a line that carries on the sentence of @a (wrapped)? */
static bool
wraps(const struct seg *a, const struct seg *b)
{
    return a->len > 0 && b->len > 0 && !is_terminal(a->s[a->len - 1]) &&
           islower((unsigned char)b->s[0]);
}

/*
 * A page printed in two columns and read back as text ("pdftotext -layout"):
 * lines whose text runs in two columns, the right one starting at the same
 * place.  The left column is read first, then the right, each line keeping
 * its number.  A table set out with spaces is left alone: in columns of
 * prose, lines wrap ("... the delivery of high" / "quality care ...") in both.
 * Rewrites *lines (owned) and *nl.
 */
static void
split_columns(struct rline **lines, size_t *nl)
{
    int x = column_start(*lines, *nl);
    size_t i = 0;

    while (x > 0 && i < *nl) {
        struct rline *ln = *lines, *out;
        struct seg seg[2], lprev = {0}, rprev = {0};
        size_t j, nboth = 0, lwrap = 0, rwrap = 0, k, no;

        if (col_kind(&ln[i], x, seg) != COL_BOTH) {
            i++;
            continue;
        }
        for (j = i; j < *nl; j++) {
            enum colkind kind = col_kind(&ln[j], x, seg);

            if (kind == COL_NONE)
                break;
            nboth += kind == COL_BOTH;
            if (kind == COL_BOTH || kind == COL_LEFT) {
                lwrap += wraps(&lprev, &seg[0]);
                lprev = seg[0];
            }
            if (kind == COL_BOTH || kind == COL_RIGHT) {
                struct seg *r = kind == COL_BOTH ? &seg[1] : &seg[0];

                rwrap += wraps(&rprev, r);
                rprev = *r;
            }
        }
        if (nboth < 3 || lwrap < 2 || rwrap < 2) {
            i = j > i ? j : i + 1;
            continue;
        }
        /* lines just above that keep to one column ("Our vision is:" over the
           right one) belong to the region */
        while (i > 0 && col_kind(&ln[i - 1], x, seg) != COL_NONE &&
               col_kind(&ln[i - 1], x, seg) != COL_BOTH)
            i--;
        /* the region [i, j): its left column, a blank line, its right column */
        out = xreallocarray(NULL, *nl + (j - i) + 1, sizeof(*out));
        memcpy(out, ln, i * sizeof(*out));
        no = i;
        for (int side = 0; side < 2; side++) {
            for (k = i; k < j; k++) {
                enum colkind kind = col_kind(&ln[k], x, seg);
                struct rline r = ln[k];

                if (kind == COL_BLANK || (side == 0 && kind == COL_RIGHT) ||
                    (side == 1 && kind == COL_LEFT)) {
                    r.len = 0;
                } else {
                    const struct seg *g =
                        side == 0 || kind == COL_RIGHT ? &seg[0] : &seg[1];

                    r.s = g->s;
                    r.len = g->len;
                    r.indent = side == 0 ? g->col : g->col - x > 0 ? g->col - x : 0;
                }
                out[no++] = r;
            }
            if (side == 0) {
                struct rline blank = {.raw = ln[j - 1].raw,
                                      .raw_end = ln[j - 1].raw,
                                      .s = ln[j - 1].raw,
                                      .no = ln[j - 1].no};

                out[no++] = blank;
            }
        }
        memcpy(out + no, ln + j, (*nl - j) * sizeof(*out));
        *nl = no + (*nl - j);
        free(*lines);
        *lines = out;
        i = no;
    }
}

/* Does @t end on a word that cannot end a sentence or a title ("... Candour and")? */
static bool
ends_mid(const char *t)
{
    static const char *const words[] = {"and", "or", "of", "the", "to", "with",
                                        "for", "a",  "an", "in",  NULL};
    size_t n = strlen(t);
    const char *w = t + n;

    while (w > t && w[-1] != ' ')
        w--;
    for (size_t i = 0; words[i] != NULL; i++) {
        if (strcmp(w, words[i]) == 0)
            return w > t;
    }
    return false;
}

/* Does the next line carry on @text, line @i, mid-sentence: @text is the first line
   of a wrapped paragraph ("To be a leader in the delivery of high" / "quality
   care ..."), not a title? */
static bool
wrapped_on(const struct rline *lines, size_t nl, size_t i, const char *text)
{
    const struct rline *next = i + 1 < nl ? &lines[i + 1] : NULL;
    size_t n = strlen(text);
    unsigned number;

    return next != NULL && next->len > 0 && n > 0 && !is_terminal(text[n - 1]) &&
           word_count(text) >= 6 &&
           (islower((unsigned char)next->s[0]) || ends_mid(text)) &&
           list_marker(next->s, next->len, &number) == 0;
}

/*
 * Does line @i (@text) head the list on the next line, with no blank line
 * between: a short title line ("Values") right after a list or a heading
 * and right before a list's first item?  Pages copied as text often drop the
 * blank lines around their headings ("Mission" / "- ..." / "Values" / "- ...").
 */
static bool
heads_list(const struct rline *lines, size_t nl, size_t i, const char *text,
           enum kb_block_kind prev_kind)
{
    const struct rline *next = i + 1 < nl ? &lines[i + 1] : NULL;
    unsigned number;

    return next != NULL &&
           (prev_kind == KB_BLOCK_ITEM || prev_kind == KB_BLOCK_HEADING) &&
           word_count(text) <= 4 && title_like(text) &&
           list_marker(next->s, next->len, &number) > 0;
}

/* "|---|:--:|": the line under a Markdown table's header. */
static bool
pipe_rule(const struct rline *ln)
{
    /* within the line: the buffer has no NUL after its last one */
    for (size_t i = 0; i < ln->len; i++) {
        if (ln->s[i] == '\0' || strchr("|-: ", ln->s[i]) == NULL)
            return false;
    }
    return ln->pipe && memchr(ln->s, '-', ln->len) != NULL;
}

static void
add_row(struct kb_doc *doc, const struct rline *ln, unsigned src)
{
    struct kb_block *b = kb_doc_add(doc, KB_BLOCK_ROW, "", src, ln->no);
    /* leading tabs are empty cells; a Markdown row's cells are between its bars */
    const char *end = ln->pipe ? ln->s + ln->len - 1 : ln->raw_end,
               *p = ln->pipe ? ln->s + 1 : ln->raw;
    char sep = ln->pipe ? '|' : '\t';

    for (;;) {
        const char *tab = memchr(p, sep, (size_t)(end - p));
        size_t n = tab ? (size_t)(tab - p) : (size_t)(end - p);
        char *lead, *cell = clean(p, n, &lead);

        kb_doc_add_cell(b, cell);
        free(cell);
        free(lead);
        if (tab == NULL)
            break;
        p = tab + 1;
    }
}

enum bot_err
kb_doc_read_text(struct kb_doc *doc, const char *buf, size_t len, unsigned src,
                 char **why)
{
    size_t bad, nl = 0, lines_cap = 0;
    struct rline *lines = NULL;
    unsigned list = 0, list_ids = 0;
    int list_indent = 0;
    bool prev_blank = true, prev_item = false, glyph = false, prev_numbered = false;
    struct wrap wrap = {0, 0};
    enum kb_block_kind prev_kind = KB_BLOCK_HEADING;

    if (!utf8_is_valid(buf, len, &bad)) {
        *why = memchr(buf, '\0', len) != NULL
                   ? xstrdup("binary data (NUL byte), not a text document")
                   : xasprintf("invalid UTF-8 at byte offset %zu", bad);
        return BOT_EPARSE;
    }
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    for (const char *p = buf, *end; p < buf + len; p = end + 1) {
        struct rline *ln;
        const char *s = p, *e;

        end = memchr(p, '\n', (size_t)(buf + len - p));
        if (end == NULL)
            end = buf + len;
        if (nl == lines_cap) { /* doubling: a long text stays linear */
            lines_cap = lines_cap ? lines_cap * 2 : 256;
            lines = xreallocarray(lines, lines_cap, sizeof(*lines));
        }
        ln = &lines[nl++];
        memset(ln, 0, sizeof(*ln));
        ln->no = (unsigned)nl;
        for (; s < end && (*s == ' ' || *s == '\t'); s++)
            ln->indent += *s == '\t' ? 4 : 1;
        e = end;
        if (e > p && e[-1] == '\r')
            e--;
        ln->raw = p;
        ln->raw_end = e;
        ln->row = e > s && memchr(s, '\t', (size_t)(e - s)) != NULL;
        while (e > s && isspace((unsigned char)e[-1]))
            e--;
        ln->s = s;
        ln->len = (size_t)(e - s);
        if (ln->len >= 3 && s[0] == '|' && e[-1] == '|') {
            size_t bars = 0;

            for (const char *q = s; q < e; q++)
                bars += *q == '|';
            ln->pipe = ln->row = bars >= 3;
        }
    }
    split_columns(&lines, &nl);
    for (size_t i = 0; i < nl; i++) {
        struct rline *ln = &lines[i];
        const char *p = ln->s;
        size_t n = ln->len, m;
        unsigned number;
        char *text, *lead;
        struct kb_block *b;
        int level = 0;

        while (n > 0 && *p == '>') { /* a Markdown quote */
            p++;
            n--;
            while (n > 0 && *p == ' ')
                p++, n--;
        }
        if (n == 0 || (n >= 3 && strspn(p, "-=_*") >= n)) {
            prev_blank = true;
            continue;
        }
        if (pipe_rule(ln))
            continue;
        if (kbw_contents_entry(p, n)) { /* "Values ...... 8": a contents list */
            prev_blank = true;
            continue;
        }
        if (ln->row) {
            add_row(doc, ln, src);
            prev_blank = prev_item = glyph = false;
            prev_kind = KB_BLOCK_ROW;
            continue;
        }
        if (lone_glyph(p, n)) {
            glyph = true;
            continue;
        }
        while (level < 6 && level < (int)n && p[level] == '#')
            level++;
        if (level > 0 && level < (int)n && p[level] == ' ') {
            p += level + 1;
            n -= (size_t)level + 1;
        } else {
            level = 0;
        }
        m = level ? 0 : list_marker(p, n, &number);
        if (m == 0)
            number = 0;
        text = clean(p + m, n - m, &lead);
        if (level) {
            unsigned hn;
            size_t hm = list_marker(text, strlen(text), &hn);

            /* "### 1. Timely access": the number is a marker, not the title */
            b = kb_doc_add(doc, KB_BLOCK_HEADING, hn ? text + hm : text, src, ln->no);
            b->level = (unsigned)level;
        } else if (m > 0 || glyph) {
            /* a new list after other blocks, or where bullets turn to numbers */
            if (!prev_item ||
                (ln->indent <= list_indent && (number > 0) != prev_numbered)) {
                list = ++list_ids;
                list_indent = ln->indent;
            }
            b = kb_doc_add(doc, KB_BLOCK_ITEM, text, src, ln->no);
            b->list = list;
            b->number = number;
            if (ln->indent <= list_indent)
                prev_numbered = number > 0;
            b->level = ln->indent > list_indent
                           ? 1 + (unsigned)(ln->indent - list_indent) / 2
                           : 1;
        } else if (kbw_caption_like(text)) {
            b = kb_doc_add(doc, KB_BLOCK_CAPTION, text, src, ln->no);
        } else if (prev_kind == KB_BLOCK_PARAGRAPH && !prev_blank &&
                   (islower((unsigned char)text[0]) ||
                    ends_mid(doc->blocks[doc->nblocks - 1].text)) &&
                   continues(doc, &wrap)) {
            /* A hard-wrapped paragraph: this line continues the last one. */
            join_line(doc, &wrap, text);
            free(text);
            free(lead);
            continue;
        } else if ((prev_blank && title_like(text) && !wrapped_on(lines, nl, i, text)) ||
                   (!prev_blank && heads_list(lines, nl, i, text, prev_kind))) {
            b = kb_doc_add(doc, KB_BLOCK_HEADING, text, src, ln->no);
            b->level = 2;
        } else {
            b = kb_doc_add(doc, KB_BLOCK_PARAGRAPH, text, src, ln->no);
        }
        if (lead != NULL && lead[0] != '\0' && strncmp(b->text, lead, strlen(lead)) == 0)
            b->lead = lead;
        else
            free(lead);
        free(text);
        prev_kind = b->kind;
        wrap.len = strlen(b->text);
        wrap.cap = wrap.len + 1;
        prev_item = b->kind == KB_BLOCK_ITEM;
        prev_blank = glyph = false;
    }
    free(lines);
    return BOT_OK;
}
