/*
 * kb_answer_model.h - the passage model: whether a passage answers a question,
 * as a logistic model over what kbap_answer_passages() measures of the passage
 * and kba_query_features() of the question.  The weights are fitted by
 * scripts/fit_answer.py on the dev parts of the six question sets, the features
 * chosen by leave-one-set-out cross-validation, and shipped as numbers in
 * kb_answer_model.c (scripts/eval.sh --gate checks they are what the script fits).
 */
#ifndef BOT_KB_KB_ANSWER_MODEL_H
#define BOT_KB_KB_ANSWER_MODEL_H

#include "bot/kb/kb_answer.h"

/* The intercept, then one weight per feature (KB_ANSWER_NFEAT, fit_answer.py's NAMES). */
extern const double kb_answer_model[KB_ANSWER_NFEAT + 1];

/* The model's probability that @x (KB_ANSWER_NFEAT features) is answered. */
double kb_answer_model_p(const double *x);

#endif /* BOT_KB_KB_ANSWER_MODEL_H */
