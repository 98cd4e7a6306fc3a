/*
 * kb_doc_pdf_wrap.c - lines wrapped inside a paragraph or an item joined, and
 * list items whose marker the PDF drew as a glyph pdftotext cannot give
 * marked.  Moved out of kb_doc_pdf.c unchanged.
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
void
kb_doc_pdf_wrap_join(struct pout *o)
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
void
kb_doc_pdf_wrap_mark_glyphless(struct pout *o)
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
