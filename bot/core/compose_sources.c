/*
 * compose_sources.c - the sources an answer was read from, one line each
 * (document, section, page).  Moved out of compose.c unchanged.
 */
#include "bot/core/compose.h"

#include <stddef.h>

#include "bot/kb/kb.h"

static const char *
ref_section(const struct kb *kb, const struct kb_doc_ref *ref)
{
    switch (ref->kind) {
    case KB_DOC_GOAL:
        return kb->goals_label;
    case KB_DOC_VALUE:
    case KB_DOC_BEHAVIOUR:
        return "values";
    case KB_DOC_MISSION:
        return "mission";
    case KB_DOC_VISION:
        return "vision";
    case KB_DOC_AMBITION:
        return kb->ambitions[ref->item].kind;
    case KB_DOC_PASSAGE:
        return kb->passages[ref->item].section;
    }
    return "";
}

static unsigned
ref_line(const struct kb *kb, const struct kb_doc_ref *ref)
{
    switch (ref->kind) {
    case KB_DOC_GOAL:
        return kb->goals[ref->item].line;
    case KB_DOC_VALUE:
        return kb->values[ref->item].line;
    case KB_DOC_BEHAVIOUR:
        return kb->values[ref->item].behaviours[ref->sub].line;
    case KB_DOC_MISSION:
        return kb->mission.line;
    case KB_DOC_VISION:
        return kb->vision.line;
    case KB_DOC_AMBITION:
        return kb->ambitions[ref->item].line;
    case KB_DOC_PASSAGE:
        return kb->passages[ref->item].line;
    }
    return 0;
}

size_t
compose_sources(const struct kb_answer *a, struct compose_source *out, size_t max)
{
    size_t n = 0;

    if (!a->answered || a->intent == KB_INTENT_GREETING ||
        a->intent == KB_INTENT_THANKS || a->intent == KB_INTENT_HELP)
        return 0;
    if (a->nrefs == 0 && max > 0) {
        out[n++] =
            (struct compose_source){.doc = a->kb->doc, .section = "strategy", .line = 0};
        return n;
    }
    for (size_t i = 0; i < a->nrefs && n < max; i++)
        out[n++] = (struct compose_source){.doc = a->kb->doc,
                                           .section = ref_section(a->kb, &a->refs[i]),
                                           .line = ref_line(a->kb, &a->refs[i])};
    return n;
}
