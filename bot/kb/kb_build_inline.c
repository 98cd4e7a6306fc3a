/*
 * kb_build_inline.c - statements and values a page writes inside other
 * text: a statement as a list item ("- Our Vision: ..."), values set off
 * by dashes with no spaces ("Our values—Kindness, Courage and Trust—are
 * ..."), and values written as statements whose one word in capitals is
 * the value ("We build TRUST").
 */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb_build_int.h"

/*
 * "- Our Purpose: To help ..." / "- Our Vision: Outstanding care ...": a
 * list item whose label is the organisation's own statement ("Our" and a
 * statement word, nothing else) states it.  A label without "Our"
 * ("Vision: ...") could be a goal's or a value's own line, so it is not read
 * so.  Returns whether @b was taken.
 */
bool
kbi_statement_item(struct bctx *c, const struct kb_block *b)
{
    const char *colon;
    char *head;
    struct klass k;

    if (b->kind != KB_BLOCK_ITEM || !kbw_starts_ci(b->text, "our ") ||
        (colon = strstr(b->text, ": ")) == NULL || colon - b->text > 40)
        return false;
    head = xstrndup(b->text, (size_t)(colon - b->text));
    k = kbw_words(head) <= 3 ? kb_build_words_classify(head) : (struct klass){0};
    free(head);
    if (k.sect < SECT_MISSION || k.sect > SECT_PLEDGE || kbw_words(colon + 2) < 3)
        return false;
    kbt_set_statement(c, k.sect, colon + 2, b->line);
    return true;
}

static size_t
dash_at(const char *p)
{
    return strncmp(p, "\xe2\x80\x94", 3) == 0 || strncmp(p, "\xe2\x80\x93", 3) == 0 ? 3
                                                                                    : 0;
}

/*
 * "Our values—Kindness, Courage, Respect and Trust—are at the heart ...":
 * a pair of dashes with no space either side, set round the list after
 * "values".  The sentence is read again with the dashes spaced, as the
 * page would write " — ", by kbn_inline_values().
 */
void
kbi_dashed_values(struct bctx *c, const char *s, unsigned line)
{
    const char *v = NULL;
    size_t n = 0, len = strlen(s);
    char *t, *o;

    if (c->ninl > 0)
        return;
    for (const char *p = s; (p = kbw_find_ci(p, "values")) != NULL; p += 6) {
        if ((p == s || !isalpha((unsigned char)p[-1])) && dash_at(p + 6) &&
            isalpha((unsigned char)p[9])) {
            v = p + 6;
            break;
        }
    }
    if (v == NULL)
        return;
    /* the closing dash, also between letters */
    for (const char *p = v + 3; *p; p++)
        if (dash_at(p) && p > v + 3 && isalpha((unsigned char)p[-1]) &&
            isalpha((unsigned char)p[3]))
            n++;
    if (n != 1)
        return;
    t = xmalloc(len + 5);
    o = t;
    for (const char *p = s; *p;) {
        if (p >= v && dash_at(p) && isalpha((unsigned char)p[-1]) &&
            isalpha((unsigned char)p[3])) {
            *o++ = ' ';
            memcpy(o, p, 3);
            o += 3;
            *o++ = ' ';
            p += 3;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    kbn_inline_values(c, t, line);
    free(t);
}

/*
 * The one word in capitals (three letters or more, standing alone) of a
 * statement starting "We "; NULL if none or several.
 */
static const char *
statement_caps(const char *t, size_t *len)
{
    const char *found = NULL;

    if (!kbw_starts_ci(t, "we ") || kbw_words(t) > 8)
        return NULL;
    for (const char *p = t + 3; *p; p++) {
        size_t n = 0;

        if (isalpha((unsigned char)p[-1]))
            continue;
        while (isupper((unsigned char)p[n]))
            n++;
        if (n >= 3 && !isalpha((unsigned char)p[n])) {
            if (found != NULL)
                return NULL;
            found = p;
            *len = n;
            p += n - 1;
        } else if (n >= 1 && isalpha((unsigned char)p[n]) && n > 1) {
            return NULL; /* "We are NHSFoo" */
        }
    }
    return found;
}

/*
 * Values written as statement headings, each with its one word in capitals:
 * "We build TRUST", "We EMPOWER people", "We act with CARE".  When every value
 * taken (two or more) is named so, or is that word already, the word is the
 * value ("Trust", as capital_word() in kb_build_values.c writes it) and the
 * statement becomes its description when it has none, else its first
 * behaviour is left as it was.  A list where some name is no such statement
 * is left alone.
 */
void
kbi_statement_values(struct bctx *c)
{
    struct kb *kb = c->kb;
    size_t stmts = 0;

    if (kb->nvalues < 2)
        return;
    for (size_t i = 0; i < kb->nvalues; i++) {
        const char *nm = kb->values[i].name;
        size_t len;
        bool caps = nm[0] != '\0';

        for (const char *q = nm; *q && caps; q++)
            caps = isupper((unsigned char)*q);
        if (statement_caps(nm, &len) != NULL)
            stmts++;
        else if (!(caps && strlen(nm) >= 3))
            return;
    }
    if (stmts == 0)
        return;
    for (size_t i = 0; i < kb->nvalues; i++) {
        struct kb_value *v = &kb->values[i];
        size_t len = strlen(v->name);
        const char *w = statement_caps(v->name, &len);
        char *name = xstrndup(w != NULL ? w : v->name, len);

        for (size_t k = 1; k < len; k++)
            name[k] = (char)tolower((unsigned char)name[k]);
        free(v->name);
        v->name = name;
    }
    kbb_report(c,
               "%zu values written as statements ('We ... WORD'): the word in "
               "capitals is each value's name",
               kb->nvalues);
}
