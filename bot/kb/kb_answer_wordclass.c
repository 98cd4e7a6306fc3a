/*
 * kb_answer_wordclass.c - what a question word is (a stop word, a clinical
 * word, a greeting, a word of thanks, a number, a question word, a verb of
 * ordering, a part of the strategy, a contact word), found once per word the
 * engine meets.
 *
 * The policy's early steps ask each word of every question whether it is in
 * a fixed list; the answer depends on the word alone, and staff reuse their
 * words ("what", "our", "values"), so the engine keeps it: a direct-mapped
 * table of KBAWC_SLOTS words, a slot overwritten when another word hashes to
 * it (bounded memory whatever the messages).  kbar_mark_content() fills each
 * word's classes into struct query (cls[], cls_any).
 */
#include <stdint.h>
#include <string.h>

#include "bot/base/xmalloc.h"
#include "bot/kb/kb_answer_int.h"
#include "bot/kb/kb_text.h"

/* A power of two: 272 KiB, calloc()ed, its pages touched as they are used. */
#define KBAWC_SLOTS 4096u

struct kbawc_slot {
    struct kb_word w; /* the key, surface and stem; surface[0] '\0': empty */
    unsigned cls;     /* KBAWC_* */
};

static unsigned
classes_of(const struct kb_word *w)
{
    unsigned cls = 0;

    if (kb_text_is_stopword(w->surface))
        cls |= KBAWC_STOP;
    if (kbas_is_clinical_word(w))
        cls |= KBAWC_CLINICAL;
    if (in_list(w->surface, kbar_greeting_words))
        cls |= KBAWC_GREETING;
    if (in_list(w->surface, kbas_thanks_words))
        cls |= KBAWC_THANKS;
    if (kbar_is_number_word(w->surface) || in_list(w->surface, kbar_ordinals))
        cls |= KBAWC_NUMBER;
    if (kbar_is_question_word(w->surface))
        cls |= KBAWC_QWORD;
    cls |= kbao_word_classes(w);
    if (in_list(w->stem, kbar_values_stems))
        cls |= KBAWC_VALUES_STEM;
    if (in_list(w->stem, kbar_goals_stems))
        cls |= KBAWC_GOALS_STEM;
    if (strcmp(w->stem, "mission") == 0)
        cls |= KBAWC_MISSION;
    if (strcmp(w->stem, "vision") == 0)
        cls |= KBAWC_VISION;
    if (strcmp(w->stem, "ambit") == 0 || strcmp(w->stem, "purpos") == 0)
        cls |= KBAWC_AMBITION;
    if (kbac_is_contact_word(w->surface))
        cls |= KBAWC_CONTACT;
    if (kbas_is_order_stem(w->stem))
        cls |= KBAWC_ORDER_STEM;
    if (kbao_is_setup_noun(w))
        cls |= KBAWC_SETUP;
    return cls;
}

unsigned
kbawc_classes(struct kb_engine *e, const struct kb_word *w)
{
    uint32_t h = 2166136261u; /* FNV-1a of the surface */
    struct kbawc_slot *s;

    for (const char *p = w->surface; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    if (e->wordclass == NULL)
        e->wordclass = xcalloc(KBAWC_SLOTS, sizeof(*e->wordclass));
    s = &e->wordclass[h & (KBAWC_SLOTS - 1)];
    if (s->w.surface[0] == '\0' || strcmp(s->w.surface, w->surface) != 0 ||
        strcmp(s->w.stem, w->stem) != 0) {
        s->w = *w;
        s->cls = classes_of(w);
    }
    return s->cls;
}
