/*
 * kb_build_values_sentence.c - values written as sentences: in a list ("four
 * core values" over items that are sentences, or phrases), as "Name:
 * definition" lines after a lead-in with no heading, as "We ...: ..."
 * paragraphs.  Moved out of kb_build_values.c unchanged.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb_build_int.h"

/* The text of item @b without a closing full stop, as a new string. */
static char *
bare_item(const struct kb_block *b)
{
    const char *nm = kbn_skip_name_prefix(b->text);
    size_t len = strlen(nm);

    return xstrndup(nm, len > 1 && nm[len - 1] == '.' ? len - 1 : len);
}

/*
 * Values written as sentences: "four core values" (or "The values are:",
 * or the values heading itself over three items or more) right before a
 * list whose every item is a sentence, as many as the count says ("Treat
 * everyone with respect and dignity - our colleagues ...", "Be open and
 * transparent in all our dealings").  The page says the list is its
 * values, and names them no shorter.  Returns the block after the list
 * when @b starts such a list, else 0.
 */
size_t
kb_build_values_sentence_list(const struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *p, *end = c->doc->blocks + c->doc->nblocks,
                              *before = b > c->doc->blocks ? b - 1 : NULL;
    size_t n = 0, lines = 0;
    bool lead, heading;

    if (before == NULL || (before->kind == KB_BLOCK_ITEM && before->list == b->list))
        return 0;
    /* a lead-in naming the values ("The values are:"), or a sentence counting them */
    lead = before->kind == KB_BLOCK_PARAGRAPH && kbw_is_intro(before->text) &&
           (kb_build_words_classify(before->text).sect == SECT_VALUES ||
            kb_build_words_classify_intro(before->text).sect == SECT_VALUES);
    /* or the values heading itself, right over the list ("Our values"; not
       "Our values and behaviours", whose sentences are the behaviours) */
    heading = before->kind == KB_BLOCK_HEADING && c->k.sect == SECT_VALUES &&
              kbw_find_ci(before->text, "behavio") == NULL;
    lead = lead || heading;
    if (!lead && !(before->kind == KB_BLOCK_PARAGRAPH && c->k.count > 0 &&
                   kb_build_words_classify_intro(before->text).sect == SECT_VALUES))
        return 0;
    /* "Our principles:" over sentences: principles the page keeps apart from its
       values ("Our values" may stand just before, empty), not their names */
    if (kbw_find_ci(before->text, "value") == NULL)
        return 0;
    for (p = b; p < end && p->kind == KB_BLOCK_ITEM && p->list == b->list; p++) {
        char *name, *def, *bare;
        bool named = false;

        if (p->level > 1)
            return 0;
        if (kbn_value_line(p->text, p->lead, &name, &def)) {
            free(name);
            free(def);
            lines++;
        } else {
            bare = bare_item(p);
            named = kbn_name_ok(bare);
            free(bare);
        }
        if (named || kbw_words(p->text) < 4)
            return 0;
        n++;
    }
    /* a list of "Name - text" lines is read as such */
    if (n < (heading ? 3u : 2u) || lines == n || (c->k.count > 0 && c->k.count != n) ||
        (c->k.count == 0 && !lead))
        return 0;
    return (size_t)(p - c->doc->blocks);
}

/* Does @t open with an "-ing" word ("Being fair", "Always aiming higher")? */
static bool
ing_start(const char *t)
{
    char *w = kbw_lower_words(t);
    const char *p = w;
    size_t n = strcspn(p, " ");
    bool ok;

    if ((n > 2 && strncmp(p + n - 2, "ly", 2) == 0) ||
        (n == 6 && strncmp(p, "always", 6) == 0)) {
        p += n;
        while (*p == ' ')
            p++;
        n = strcspn(p, " ");
    }
    ok = n > 4 && strncmp(p + n - 3, "ing", 3) == 0;
    free(w);
    return ok;
}

/*
 * Values written as phrases that open with an "-ing" word, right under the
 * values heading ("Putting people first", "Having a shared vision and
 * ownership (individual and collective accountability)"): three or more
 * items, none a sentence (no full stop, ten words at most but for a
 * bracketed gloss), some longer than a name.  Each item whole is a value.
 * Returns the block after the list when @b starts such a list, else 0.
 */
size_t
kb_build_values_sentence_phrases(const struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *p, *end = c->doc->blocks + c->doc->nblocks,
                              *before = b > c->doc->blocks ? b - 1 : NULL;
    size_t n = 0, names = 0;

    /* under "Our values and behaviours" such phrases are the behaviours */
    if (before == NULL || before->kind != KB_BLOCK_HEADING || c->k.sect != SECT_VALUES ||
        kbw_find_ci(before->text, "behavio") != NULL)
        return 0;
    for (p = b; p < end && p->kind == KB_BLOCK_ITEM && p->list == b->list; p++) {
        size_t len = strlen(p->text);
        char *bare, *head = xstrndup(p->text, strcspn(p->text, "("));
        size_t words = kbw_words(head); /* a bracketed gloss not counted */

        free(head);
        if (p->level > 1 || words > 10 ||
            (len > 0 && strchr(".:;!?", p->text[len - 1]) != NULL) ||
            !ing_start(p->text) || kbw_link_text(p->text))
            return 0;
        bare = bare_item(p);
        names += kbn_name_ok(bare);
        free(bare);
        n++;
    }
    if (n < 3 || names == n)
        return 0;
    return (size_t)(p - c->doc->blocks);
}

/*
 * The end of a short first sentence that names the value, in an item written
 * "name. Definition." ("working together for patients. Patients come first
 * in everything we do."): the full stop after at most five words, then a
 * sentence of its own; NULL if the item is not written so.
 */
static const char *
name_stop(const char *t)
{
    const char *dot = strstr(t, ". ");
    char *head;
    size_t words;

    if (dot == NULL || !isupper((unsigned char)dot[2]) || kbw_words(dot + 2) < 3)
        return NULL;
    head = xstrndup(t, (size_t)(dot - t));
    words = kbw_words(head);
    free(head);
    return words >= 1 && words <= 5 ? dot : NULL;
}

/* An item of a list kb_build_values_sentence_list() found: the sentence up to a dash is
   the name, or a short first sentence ending in a full stop. */
void
kb_build_values_sentence_one(struct bctx *c, const struct kb_block *b)
{
    const char *rest, *sep = kbw_separator(b->text, &rest), *stop = name_stop(b->text);
    char *name, *def = NULL;

    if (stop != NULL && (sep == NULL || sep > stop)) {
        name = xstrndup(b->text, (size_t)(stop - b->text));
        name[0] = (char)toupper((unsigned char)name[0]);
        def = xstrdup(stop + 2);
    } else if (sep != NULL && sep > b->text && kbw_words(rest) > 0) {
        name = xstrndup(b->text, (size_t)(sep - b->text));
        def = xstrdup(rest);
    } else {
        name = bare_item(b);
    }
    kbv_new_value(c, name, def, b->line, FROM_ITEM);
    c->cur_list = b->list;
    free(name);
    free(def);
}

size_t
kb_build_values_sentence_unnamed_list(const struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *p = b + 1, *end = c->doc->blocks + c->doc->nblocks;
    size_t n = 0;

    for (; p < end && (p->kind == KB_BLOCK_PARAGRAPH || p->kind == KB_BLOCK_ITEM); p++) {
        char *name, *def;
        bool ok;

        if (!kbn_value_line(p->text, p->lead, &name, &def))
            break;
        ok = def[0] != '\0' && kbw_words(name) <= 3 && isupper((unsigned char)name[0]);
        free(name);
        free(def);
        if (!ok)
            break;
        n++;
    }
    return n >= 3 ? n : 0;
}

/*
 * The head of a paragraph written "We <what we are or do>: <how>" ("We listen
 * and learn: we believe everybody has good ideas ..."), as a new string, or
 * NULL: two to nine words from "We" to the colon, not what "we will" do (a
 * goal) nor a lead-in ("We have:"), and a sentence or more after it.
 */
static char *
we_head(const char *t)
{
    static const char *const not [] = {"we will ",  "we'll ",   "we\xe2\x80\x99ll ",
                                       "we would ", "we have ", "we can ",
                                       "we want ",  "we aim ",  NULL};
    const char *colon = strstr(t, ": ");
    char *head;
    size_t words;

    if (!kbw_starts_ci(t, "we ") || colon == NULL || kbw_words(colon + 2) < 5)
        return NULL;
    for (size_t i = 0; not [i] != NULL; i++) {
        if (kbw_starts_ci(t, not [i]))
            return NULL;
    }
    head = xstrndup(t, (size_t)(colon - t));
    words = kbw_words(head);
    if (words < 2 || words > 9 || strpbrk(head, ".;!?") != NULL) {
        free(head);
        return NULL;
    }
    return head;
}

void
kb_build_values_sentence_we_paragraphs(struct bctx *c)
{
    const struct kb_doc *doc = c->doc;

    if (c->kb->nvalues > 0)
        return;
    /* values written as "We ...: ..." paragraphs, three or more in a row, with no
       heading naming them: each head is a value, what follows its description */
    for (size_t i = 0; i < doc->nblocks && c->kb->nvalues == 0; i++) {
        size_t k = i;

        while (k < doc->nblocks && doc->blocks[k].kind == doc->blocks[i].kind &&
               (doc->blocks[k].kind == KB_BLOCK_PARAGRAPH ||
                doc->blocks[k].kind == KB_BLOCK_ITEM)) {
            char *head = we_head(doc->blocks[k].text);

            if (head == NULL)
                break;
            free(head);
            k++;
        }
        if (k - i < 3) {
            continue;
        }
        c->item_from = FROM_NONE;
        for (size_t j = i; j < k; j++) {
            const char *t = doc->blocks[j].text;
            char *head = we_head(t);

            c->i = j;
            kbv_new_value(c, head, strstr(t, ": ") + 2, doc->blocks[j].line, FROM_LINE);
            free(head);
        }
        kbb_report(c,
                   "unsure: %zu values taken from paragraphs written 'We ...: ...' (%s), "
                   "with no heading naming them; check",
                   c->kb->nvalues,
                   kbb_span(doc->blocks[i].line, doc->blocks[i].page,
                            doc->blocks[k - 1].line, doc->blocks[k - 1].page)
                       .s);
        i = k;
    }
}

bool
kb_build_values_sentence_line(const struct bctx *c, const struct kb_block *b)
{
    const struct kb_block *next = b + 1, *end = c->doc->blocks + c->doc->nblocks;
    const char *t = b->text;

    if (b->kind != KB_BLOCK_PARAGRAPH || kbw_terminal(t) || kbw_words(t) < 4 ||
        !isupper((unsigned char)t[0]) || !islower((unsigned char)t[strcspn(t, " ") + 1]))
        return false;
    /* the sentence under it: a paragraph ending with a stop, not a title */
    return next < end && next->kind == KB_BLOCK_PARAGRAPH && kbw_terminal(next->text) &&
           !kbw_title_like(next->text) && !kbw_is_intro(next->text) &&
           kbw_words(next->text) >= 5;
}
