#!/usr/bin/env python3
"""fit_rank.py - fit the passage ranker (bot/kb/kb_rank_model.c) on the dev parts.

usage: scripts/fit_rank.py BINARY [--write | --check] [--dump FILE]

A fact question is answered from one of the passages kbap_answer_passages()
weighs (kb_answer_passage.c): the search's hits, the sentences that point back
to them, the sentences under a heading with a word of the question.  Which one
is quoted is the ranker's choice: a linear score over what kb_rank.c measures of
each (NAMES below), the highest quoted.  `ask --candidates` prints every
candidate of a passage answer with those features and the texts it would quote.

This script asks every question of the six sets (scripts/eval_sets.py: own,
eval-dev, fresh, fresh2; corpus and related on KBs from `kb build`) with
--candidates and labels each candidate of a question the document answers
(answered: true) right when what it would quote, with the reply's own words
around the quotes, holds every "all" group and no "none" substring: the
scorer's rule (../shared/eval-dev/score.py).  A question counts when one of its
candidates with a confidence above 0 is right.  It fits a pairwise logistic
ranker (each right candidate against each wrong one of its question, each
question weighing one) on the DEV parts only; the holdout (every fifth line) is
never fitted on nor shown: its figures only.

Generalisation is estimated by leave-one-SET-out cross-validation, as
fit_answer.py does: each set's questions ranked by a model fitted on the other
sets'.  Features are chosen forward from the hand-set confidence alone while one
adds more than one question right (top-1, pooled); the regularisation likewise.
The fitted ranker is written only when its leave-one-set-out top-1 beats the
hand-set confidence's by more than one question; else the file keeps the
hand-set confidence alone (weight 1 on "log hand", the engine's old choice).

--write writes bot/kb/kb_rank_model.c; --check refits on today's BINARY and fails
when the file is not what --write would write (scripts/eval.sh --gate runs it).
The passage model (fit_answer.py) reads the hand-set confidence, not the
ranker's choice: refit it after this one all the same (`fit_answer.py --write`).
"""
import json
import math
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval_sets  # noqa: E402
from fit_answer import solve  # noqa: E402

ROOT = eval_sets.ROOT
MODEL = os.path.join(ROOT, "bot/kb/kb_rank_model.c")
NAMES = ["log hand", "coverage", "context share", "type factor", "type next",
         "people counted", "related met", "role split", "proximity", "pairs",
         "log length", "first of section", "heading share", "search rank", "bm25 share",
         "refers back", "no heading", "place in page", "has number", "has year",
         "density"]
LAMBDAS = (0.1, 1.0, 10.0)
START = [0]  # the hand-set confidence


def ask(binary, kb, rows):
    """ask --candidates per organisation; the reply objects by question id (an
    organisation whose ask failed left out)."""
    return {k: v for k, v in eval_sets.ask(binary, kb, rows, ("--candidates",)).items()
            if not v.get("error")}


def frame(text):
    """The reply's own words: the text without what it quotes (“...”)."""
    return re.sub("\u201c[^\u201d]*\u201d", " ", text)


def label(r, a, c):
    """Is candidate @c of reply @a right for question @r (score.py's rule)?"""
    quote = eval_sets.norm(" ".join(c["quote"]))
    around = eval_sets.norm(frame(a["text"])) if a.get("intent") == "fact" else ""
    if any(eval_sets.norm(s) in quote for s in r["none"]):
        return False
    if any(s.lower() in " ".join(c["quote"]).lower() for s in r.get("forbid", [])):
        return False
    return all(any(eval_sets.norm(s) in quote or eval_sets.norm(s) in around for s in g)
               for g in r["all"])


def questions_of(binary):
    """(candidates [(features, right, hand)], set, org, holdout) per answerable question
    a passage decided with one candidate of confidence above 0 right."""
    out = []
    seen = [0, 0]
    shared = eval_sets.SHARED

    def take(name, path, kb):
        rows = eval_sets.load(path)
        answers = ask(binary, kb, rows)
        for r in rows:
            a = answers.get(r["id"])
            if not a or not r["answered"] or "candidates" not in a:
                continue
            cs = [(c["f"], label(r, a, c), c["hand"]) for c in a["candidates"]
                  if c["hand"] > 0]
            seen[0] += 1
            if any(c[1] for c in cs):
                seen[1] += 1
                out.append((cs, name, r["org"], r["holdout"]))

    take("own", os.path.join(ROOT, "tests/eval/questions.jsonl"), None)
    take("eval-dev", os.path.join(shared, "eval-dev/questions.jsonl"), None)
    with tempfile.TemporaryDirectory(prefix="valuesbot-rank-") as tmp:
        pages = eval_sets.build_corpus(binary, tmp)
        take("corpus", os.path.join(shared, "corpus/questions.jsonl"), tmp)
        for name in ("fresh", "fresh2"):
            take(name, os.path.join(ROOT, f"tests/eval/{name}.jsonl"),
                 lambda org: tmp if org in pages else None)
        for org in ("tewv", "cwpt"):
            shutil.copy(os.path.join(ROOT, "knowledge", org + ".json"), tmp)
        take("related", os.path.join(ROOT, "tests/eval/related.jsonl"), tmp)
    return out, seen


def top1(w, sub, cs):
    """The index the engine would choose: the first best score (1e-9 margin)."""
    best, bi = None, 0
    for i, (f, _, _) in enumerate(cs):
        s = sum(wi * f[j] for wi, j in zip(w, sub))
        if best is None or s > best + 1e-9:
            best, bi = s, i
    return bi


def right_share(w, sub, qs):
    return sum(1 for q in qs if q[0][top1(w, sub, q[0])][1]), len(qs)


def scaler(qs, sub):
    fs = [[c[0][j] for j in sub] for q in qs for c in q[0]]
    d = len(sub)
    mu = [sum(f[i] for f in fs) / len(fs) for i in range(d)]
    sd = [math.sqrt(sum((f[i] - mu[i]) ** 2 for f in fs) / len(fs)) or 1.0
          for i in range(d)]
    return sd


def fit(qs, sub, lam):
    """Pairwise L2 logistic ranker (Newton); raw weights over @sub.  Each question's
    pairs (a right candidate over a wrong one) weigh one in all."""
    sd = scaler(qs, sub)
    pairs = []
    for cs, *_ in qs:
        right = [c for c in cs if c[1]]
        wrong = [c for c in cs if not c[1]]
        if not right or not wrong:
            continue
        wt = 1.0 / (len(right) * len(wrong))
        for r in right:
            for x in wrong:
                pairs.append(([(r[0][j] - x[0][j]) / s for j, s in zip(sub, sd)], wt))
    d = len(sub)
    w = [0.0] * d
    if not pairs:
        return [1.0 if j == 0 else 0.0 for j in sub]
    for _ in range(50):
        g = [lam * wi for wi in w]
        h = [[lam if i == j else 0.0 for j in range(d)] for i in range(d)]
        for x, c in pairs:
            z = sum(wi * xi for wi, xi in zip(w, x))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            for i in range(d):
                g[i] += c * (p - 1.0) * x[i]
                cx = c * p * (1 - p) * x[i]
                for j in range(d):
                    h[i][j] += cx * x[j]
        step = solve(h, g)
        w = [wi - si for wi, si in zip(w, step)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return [wi / s for wi, s in zip(w, sd)]


def grouped_cv(qs, groups, sub, lam):
    """Each group's questions ranked by a model fitted on the others'; right, total."""
    got = 0
    for g in sorted(set(groups)):
        tr = [q for q, h in zip(qs, groups) if h != g]
        te = [q for q, h in zip(qs, groups) if h == g]
        w = fit(tr, sub, lam)
        got += right_share(w, sub, te)[0]
    return got, len(qs)


def per_set(w, sub, qs):
    out = []
    for s in sorted({q[1] for q in qs}, key=[q[1] for q in qs].index):
        sel = [q for q in qs if q[1] == s]
        r, n = right_share(w, sub, sel)
        out.append(f"{s} {r}/{n}")
    return "  ".join(out)


def select(qs):
    """Forward selection by leave-one-set-out top-1; returns (features, lambda, right)."""
    sets = [q[1] for q in qs]
    best = max(((START, lam, grouped_cv(qs, sets, START, lam)[0]) for lam in LAMBDAS),
               key=lambda t: t[2])
    print(f"start {'+'.join(NAMES[i] for i in START)}: leave-one-set-out "
          f"{best[2]}/{len(qs)}")
    while True:
        tried = []
        for i in range(len(NAMES)):
            if i in best[0]:
                continue
            for lam in LAMBDAS:
                tried.append((best[0] + [i], lam, grouped_cv(qs, sets, best[0] + [i], lam)[0]))
        if not tried:
            return best
        cand = max(tried, key=lambda t: t[2])
        if cand[2] <= best[2] + 1:
            return best
        best = cand
        print(f"  + {NAMES[cand[0][-1]]}, lambda {cand[1]:g}: leave-one-set-out "
              f"{cand[2]}/{len(qs)}")


def render(w, sub, lam):
    full = [0.0] * len(NAMES)
    for wi, i in zip(w, sub):
        full[i] = wi
    vals = [f"{v:.6f}," for v in full]
    width = max(len(v) for v in vals)
    body = "\n".join(f"    {v:<{width}} /* {n} */" for v, n in zip(vals, NAMES))
    chosen = ",".join(str(i) for i in sub)
    what = (f"features {chosen}; lambda {lam:g}" if lam is not None
            else "features 0; the hand-set confidence alone (no fit beat it)")
    return f"""/*
 * kb_rank_model.c - the passage ranker's weights.  Generated by
 * scripts/fit_rank.py (the dev parts of the six question sets); do not edit.
 * {what}
 */
#include "bot/kb/kb_rank.h"

const double kb_rank_model[KB_RANK_NFEAT] = {{
{body}
}};
"""


def decide(qs):
    """(weights, features, lambda or None, leave-one-set-out right, the hand-set's
    right): the ranker to ship."""
    hand = right_share([1.0], START, qs)[0]
    sub, lam, cv = select(qs)
    if cv <= hand + 1:
        return [1.0], START, None, cv, hand
    return fit(qs, sub, lam), sub, lam, cv, hand


def main(argv):
    if not argv or argv[0].startswith("-"):
        sys.exit(__doc__)
    binary = os.path.abspath(argv[0])
    os.chdir(ROOT)
    qs, seen = questions_of(binary)
    if "--dump" in argv:
        with open(argv[argv.index("--dump") + 1], "w", encoding="utf-8") as f:
            for q in qs:
                if not q[3]:
                    f.write(json.dumps(q) + "\n")
    dev = [q for q in qs if not q[3]]
    hold = [q for q in qs if q[3]]
    if "--check" in argv:
        with open(MODEL, encoding="utf-8") as f:
            text = f.read()
        m = re.search(r"features ([0-9,]+); lambda ([0-9.]+)", text)
        if m:
            sub = [int(i) for i in m.group(1).split(",")]
            lam = float(m.group(2))
            want = render(fit(dev, sub, lam), sub, lam)
        else:
            want = render([1.0], START, None)
        if text != want:
            sys.exit("fit_rank: bot/kb/kb_rank_model.c is not what "
                     "`scripts/fit_rank.py BINARY --write` writes: refit it")
        print("fit_rank: the passage ranker is what the script fits")
        return 0
    print(f"{seen[0]} answerable questions a passage decided; {seen[1]} with a right "
          f"candidate; dev {len(dev)}, holdout not used: {len(hold)}")
    w, sub, lam, cv, hand = decide(dev)
    print(f"hand-set confidence: top-1 right {hand}/{len(dev)}  "
          f"{per_set([1.0], START, dev)}")
    print(f"chosen ranker: {'+'.join(NAMES[i] for i in sub)}; leave-one-set-out {cv}/"
          f"{len(dev)}; {'shipped' if lam is not None else 'not better: hand-set kept'}")
    if lam is not None:
        orgs = [q[1] + "/" + q[2] for q in dev]
        print(f"leave-one-org-out {grouped_cv(dev, orgs, sub, lam)[0]}/{len(dev)}; "
              f"fitted on all dev: {per_set(w, sub, dev)}")
        for wi, i in zip(w, sub):
            print(f"    {NAMES[i]:18s} {wi:+.4f}")
    if hold:  # measured, never fitted on: the figures only
        print(f"holdout ({len(hold)}): hand-set {right_share([1.0], START, hold)[0]}, "
              f"this ranker {right_share(w, sub, hold)[0]}")
    text = render(w, sub, lam)
    if "--write" in argv:
        with open(MODEL, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {os.path.relpath(MODEL, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
