#!/usr/bin/env bash
# eval.sh - run the evaluation sets: scripts/eval.sh BINARY [--gate] [--show-misses]
#
# tests/eval (the team's own) through eval.py; with --gate also the sets written
# independently of the project, through eval_sets.py, each part (dev, holdout)
# gated at the level it has reached (issue 14 aims at 95/95; see EVAL_GATES below).
# The independent sets live in ../shared (or $VALUESBOT_SHARED); without them
# only tests/eval is gated, and that is said.
set -euo pipefail
here="$(dirname "$0")"
python3 "$here/eval.py" "$@"
case " $* " in *" --gate "*) ;; *) exit 0 ;; esac

# set:answered%,declined% - raise these as the engine improves; never lower them.
# fresh (tests/eval/fresh.jsonl) first measured 90.6/93.7 dev, 90.0/100 holdout.
# fresh2 (tests/eval/fresh2.jsonl) first measured 93.1/95.7 dev, 86.2/90.9 holdout
# (11 holdout declines: one is 9 points).
# fresh3 (tests/eval/fresh3.jsonl, tewv and cwpt only) first measured 73.3/87.3 dev,
# 71.4/58.3 holdout (12 holdout declines: one is 8 points); 76.2/92.7 and 75.0/58.3
# after the staffwords branch; 84.8/98.2 and 75.0/75.0 after the seventh session.
# fresh4 (tests/eval/fresh4.jsonl, tewv and cwpt) first measured 84.4/100 dev, 87.5/100
# holdout (4 holdout declines: one is 25 points).
# unseen (tests/eval/unseen.jsonl, 150 on tewv, cwpt and ten corpus pages, run once
# untuned) first measured 73.4/75.6 dev, 71.4/66.7 holdout (9 holdout declines).
# unseen2 (tests/eval/unseen2.jsonl, 150 on tewv, cwpt and ten other corpus pages, written
# before reading the engine, run once untuned) first measured 91.5/78.9 dev, 83.3/66.7
# holdout (12 holdout declines: one is 8 points); 92.7/84.2 dev after the unseen2 branch.
# orders (tests/eval/orders.jsonl, 60 on tewv and cwpt: orders, invention, role-play,
# set-up, out of scope; 20 to answer) first measured 93.8/71.9 dev, 75.0/62.5 holdout.
# unseen3 (tests/eval/unseen3.jsonl, 150 on tewv, cwpt and the ten corpus pages unseen and
# unseen2 leave out, half to decline, written before reading the engine, run once untuned)
# first measured 84.7/80.3 dev, 71.4/87.5 holdout (16 holdout declines: one is 6 points);
# 84.7/90.2 dev after the unseen3 branch, holdout unchanged.
# unseen4 (tests/eval/unseen4.jsonl, 150 on tewv, cwpt and the ten corpus pages the other
# sets use least, half to decline, written before reading the engine, run once untuned)
# first measured 65.5/67.7 dev (1 leak), 73.7/81.8 holdout (1 leak); 67.2/75.8 dev, 0
# leaks after the unseen4 branch.  Not gated yet: the holdout's one leak fails any gate;
# gate it at unseen4:60,62 once that leak is gone.
EVAL_GATES="eval-dev:90,92 corpus:94,92 fresh:93,95 fresh2:92,90 fresh3:74,74 fresh4:85,95 unseen:65,65 unseen2:80,64 unseen3:68,84 orders:75,75"
shared="${VALUESBOT_SHARED:-$here/../../shared}"
[ -d "$shared" ] || shared=/work/shared
if [ ! -f "$shared/eval-dev/questions.jsonl" ]; then
    echo "eval gate: no independent sets at $shared; only tests/eval gated"
    exit 0
fi
for g in $EVAL_GATES; do
    VALUESBOT_SHARED="$shared" python3 "$here/eval_sets.py" "$1" --set "${g%%:*}" \
        --gate "${g#*:}"
done
echo "independent sets gate passed"
# The passage model (bot/kb/kb_answer_model.c) must be what scripts/fit_answer.py fits
# on today's engine: refit it (--write) when the engine's features change.
VALUESBOT_SHARED="$shared" python3 "$here/fit_answer.py" "$1" --check
# Likewise the passage ranker (bot/kb/kb_rank_model.c, scripts/fit_rank.py).
VALUESBOT_SHARED="$shared" python3 "$here/fit_rank.py" "$1" --check
