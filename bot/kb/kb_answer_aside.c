/*
 * kb_answer_aside.c - "what are the priorities? i remember our care and
 * something else": the question asks for the whole list by its plural noun,
 * and the one item it names is in a clause around the question (what the
 * asker remembers, what they work on), not what is asked.  The list answers;
 * the item alone would leave out what they asked for.
 */
#include "bot/kb/kb_answer_int.h"

#include <string.h>

/* Is word @i the topic's plural noun as written ("priorities", "goals", "values")? */
static bool
plural_topic(const struct query *q, size_t i, unsigned topic)
{
    size_t n = strlen(q->w[i].surface);

    return (q->flags[i] & topic) && n > 1 && q->w[i].surface[n - 1] == 's' &&
           strcmp(q->w[i].surface, q->w[i].stem) != 0;
}

/*
 * The clause around comes after the question: said before it ("how will we
 * know if the partnerships priority is on track, what are the targets",
 * "compassion and respect, are they values here") it is what the question
 * is about.
 */
bool
kbaas_asks_whole_list(const struct query *q, unsigned topic)
{
    bool plural = false, aside_content = false;

    if (kbam_asks_yes_no(q))
        return false;
    for (size_t i = 0; i < q->n; i++) {
        if (q->aside[i]) {
            if (q->content[i] && !plural)
                return false;
            aside_content = aside_content || q->content[i];
            continue;
        }
        /* The question names something of its own: what it asks is about that. */
        if (q->content[i] && !(q->flags[i] & topic))
            return false;
        plural = plural || plural_topic(q, i, topic);
    }
    return plural && aside_content;
}
