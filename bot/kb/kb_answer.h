/*
 * kb_answer.h - a question in, the right part of the strategy out.
 *
 * The engine holds one index per organisation and answers from memory:
 * normalise, correct typos against the KB's own words, recognise the
 * structured questions (values, one value, which value covers a
 * behaviour, goals, one goal, mission, vision, counts, summary), and
 * search the passages for the rest.  Below the decline threshold it says
 * so.  It only ever reads the asked organisation's KB.
 */
#ifndef BOT_KB_KB_ANSWER_H
#define BOT_KB_KB_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

#include "bot/kb/kb_index.h"
#include "bot/kb/kb_query.h"

struct kb;
struct kb_set;
struct kb_engine;

#define KB_ANSWER_MAX_REFS 16
#define KB_QUESTION_MAX    4000 /* bytes of a question considered; the rest is ignored */
#define KB_ANSWER_NFEAT    25   /* inputs of the passage model (kb_answer_model.h) */

enum kb_intent {
    KB_INTENT_GREETING,
    KB_INTENT_THANKS,
    KB_INTENT_HELP,
    KB_INTENT_VALUES,       /* all values */
    KB_INTENT_VALUE,        /* one or more named values */
    KB_INTENT_VALUE_LOOKUP, /* which value a behaviour belongs to */
    KB_INTENT_GOALS,
    KB_INTENT_GOAL,
    KB_INTENT_STATEMENT, /* mission, vision, purpose: refs say which */
    KB_INTENT_AMBITIONS,
    KB_INTENT_SUMMARY,
    KB_INTENT_COUNT_GOALS,
    KB_INTENT_COUNT_VALUES,
    KB_INTENT_FACT,    /* passages quoted */
    KB_INTENT_CLARIFY, /* two near-tied answers offered */
    /* Declines: answered is false. */
    KB_INTENT_NOT_A_VALUE,
    KB_INTENT_NO_SUCH_GOAL,
    KB_INTENT_NO_MISSION,
    KB_INTENT_CLINICAL,
    KB_INTENT_OUT_OF_SCOPE,
    KB_INTENT_OTHER_ORG, /* asks about another organisation's strategy */
    KB_INTENT_REFUSE,    /* asks to change, invent or announce content */
    KB_INTENT_NO_VALUES, /* asks about values; the KB lists none */
    KB_INTENT_NO_GOALS,  /* asks about goals; the KB lists none */
};

/* Why KB_INTENT_REFUSE declines: what the message asked the bot to do. */
enum kb_refusal {
    KB_REFUSE_CHANGE = 0, /* change, add to or announce the strategy's content */
    KB_REFUSE_INVENT,     /* write or make up content of its own */
    KB_REFUSE_ROLE,       /* speak as someone else */
    KB_REFUSE_RULES,      /* set its instructions aside */
    KB_REFUSE_SETUP,      /* say how it is set up */
};

struct kb_answer {
    const struct kb *kb; /* borrowed from the engine's set */
    enum kb_intent intent;
    bool answered;           /* false for every decline */
    enum kb_refusal refusal; /* KB_INTENT_REFUSE only: what it was asked to do */
    bool uncovered;          /* KB_INTENT_OUT_OF_SCOPE only: a thing the strategy doesn't
                                cover at all, not a fact it doesn't state */
    bool yes_no;             /* a yes/no question ("is kindness one of our values?") */
    bool detail;          /* each item in full ("the goals and what's under each one") */
    double confidence;    /* 0..1 */
    bool related;         /* refs[0] is close in meaning to what was asked, not named */
    bool heading;         /* refs[0], a passage, is shown under its heading, which
                             answers or frames the quotes */
    unsigned count_asked; /* the count a yes/no question gives ("are there 4 goals?"); 0
                             none */
    struct kb_doc_ref refs[KB_ANSWER_MAX_REFS]; /* what to show, in order */
    size_t nrefs;
    /*
     * When a passage decided the answer, what the passage model weighed
     * (nfeatures == KB_ANSWER_NFEAT), else nfeatures == 0: what
     * scripts/fit_answer.py fits the model on (`ask --json` prints them).
     */
    double features[KB_ANSWER_NFEAT];
    size_t nfeatures;
    /* Its candidates' list in the engine's trace, 1-based; 0 none (kb_rank.h). */
    size_t rank_list;
};

/*
 * Returns a new engine over @set (borrowed: must outlive the engine); free
 * with kb_engine_free().  @threshold: confidence below which it declines;
 * @tie_margin: how close two answers must be to offer both.
 */
struct kb_engine *kb_engine_new(const struct kb_set *set, double threshold,
                                double tie_margin);

/* Frees @e.  NULL is a no-op. */
void kb_engine_free(struct kb_engine *e);

/*
 * Answers @question (@len bytes, any encoding; invalid UTF-8 tolerated) for
 * organisation @org into @ans (out).  Returns false only when @org has no
 * KB.  One thread at a time per engine.
 */
bool kb_engine_answer(struct kb_engine *e, const char *org, const char *question,
                      size_t len, struct kb_answer *ans);

/*
 * Analyses @text (@len bytes, any encoding; only the first KB_QUESTION_MAX
 * are read) for organisation @org into @kq (out; release with
 * kb_query_cleanup(), even when false is returned).  Returns false only when
 * @org has no KB.  kb_engine_answer() is kb_engine_analyse() then
 * kb_engine_answer_query().
 */
bool kb_engine_analyse(struct kb_engine *e, const char *org, const char *text, size_t len,
                       struct kb_query *kq);

/*
 * Answers the analysed @kq (its working lists are reused: scratch) into @ans
 * (out).  @kq must come from kb_engine_analyse() on @e, with the same KBs.
 */
void kb_engine_answer_query(struct kb_engine *e, struct kb_query *kq,
                            struct kb_answer *ans);

/* Returns the stable name of @intent, as used in JSON output ("values", "goal", ...). */
const char *kb_intent_name(enum kb_intent intent);

#endif /* BOT_KB_KB_ANSWER_H */
