/*
 * kb_answer_both.c - a question asking for a statement and a list at once
 * (issue 14): "mission + values for my induction slides", "what are our
 * vision and values", "our mission and goals".  The statement step answers
 * the mission or vision; where the question joins it to the values or the
 * goals ("and", "+", "&", "plus", or nothing between), the list is asked for
 * too and is added after it (a list named in the plural: "aim" next to
 * "vision" is a verb).  The two only named together in some other
 * relation ("how do our values help us reach our vision") ask for neither list.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "bot/kb/kb.h"
#include "bot/kb/kb_answer_int.h"

/* Words that may stand between two parts asked together ("vision and our values"). */
static const char *const joiners[] = {"and", "our",  "the", "plus", "&",
                                      "+",   "also", ",",   NULL};

/* Is word @i a statement asked for by name ("mission", "vision")? */
static bool
is_statement(const struct query *q, size_t i)
{
    return strcmp(q->w[i].stem, "mission") == 0 || strcmp(q->w[i].stem, "vision") == 0;
}

/* Do words @i and @j (i < j) stand joined, with only joiners between them? */
static bool
joined(const struct query *q, size_t i, size_t j)
{
    for (size_t k = i + 1; k < j; k++) {
        if (!in_list(q->w[k].surface, joiners))
            return false;
    }
    return true;
}

/*
 * Is word @i the list named as a thing asked for: written plural ("values",
 * "aims") and not a verb with its "to" ("our vision aims to")?  A singular
 * next to the statement is most often a verb ("what does our vision aim to
 * achieve").
 */
static bool
names_list(const struct query *q, size_t i)
{
    const char *s = q->w[i].surface;
    size_t len = strlen(s);

    return len > 2 && s[len - 1] == 's' && s[len - 2] != 'u' &&
           !(i + 1 < q->n && strcmp(q->w[i + 1].surface, "to") == 0);
}

/* Does the question join a statement to a word in @stems, either way round? */
static bool
asks_with_statement(const struct query *q, const char *const *stems)
{
    for (size_t i = 0; i < q->n; i++) {
        if (!in_list(q->w[i].stem, stems) || !names_list(q, i))
            continue;
        for (size_t j = 0; j < q->n; j++) {
            if (j != i && is_statement(q, j) &&
                (j < i ? joined(q, j, i) : joined(q, i, j)))
                return true;
        }
    }
    return false;
}

void
kbabo_add_lists(const struct query *q, struct kb_answer *a)
{
    if (q->kb->nvalues > 0 && asks_with_statement(q, kbar_values_stems)) {
        add_all(a, KB_DOC_VALUE, q->kb->nvalues);
    }
    if (q->kb->ngoals > 0 && asks_with_statement(q, kbar_goals_stems)) {
        add_all(a, KB_DOC_GOAL, q->kb->ngoals);
    }
}
