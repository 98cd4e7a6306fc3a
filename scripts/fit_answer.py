#!/usr/bin/env python3
"""fit_answer.py - fit the passage model (bot/kb/kb_answer_model.c) on the dev parts.

usage: scripts/fit_answer.py BINARY [--write | --check]

The answer engine decides whether its best passage answers a question with a
logistic model over what it measured: the passage's coverage of the question's
known words, the old confidence, the unknown words by what they carry, whether the
passage has the kind of answer asked for (kb_answer_passage.c), and what the
question itself says (kba_query_features() in kb_answer.c: the policy's step that
asked the passages, how many content words and what share of them the KB lacks, a
yes/no, words aside, length).  `ask --json` prints those features for every
question a passage decided.  This script asks every question of the six sets
(scripts/eval_sets.py: own, eval-dev, fresh, fresh2; corpus and related on KBs from `kb
build`), keeps the rows a passage decided, and fits an L2-regularised logistic
regression on the DEV parts only (the holdout, every fifth line, is never fitted
on nor shown here: its figures only), each class weighted to half the total: the
sets are scored per class (answered right, declined right).

Generalisation to questions nobody here wrote is estimated by leave-one-SET-out
cross-validation: each set's dev rows are predicted by a model fitted on the other
sets' (the sets were written by different people at different times); a second
estimate leaves out one organisation at a time (corpus, fresh: one page each).
Features are chosen forward, from the old confidence alone, while a feature lowers
the leave-one-set-out cost (100 - answered% + 100 - declined%, pooled) by more
than one question of each class; the regularisation likewise.

--write writes bot/kb/kb_answer_model.c (the features chosen and the lambda are
in its header); --check refits those on the rows of today's BINARY and fails
when the file is not what --write would write (scripts/eval.sh --gate runs it).
Which rows a passage decides depends a little on the model (a yes/no about the
values that no passage answers falls through to the list, without features): after
--write, rebuild and run --write again until --check passes (one round, so far).
"""
import math
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval_sets  # noqa: E402

ROOT = eval_sets.ROOT
MODEL = os.path.join(ROOT, "bot/kb/kb_answer_model.c")
NAMES = ["coverage", "log confidence", "unknown heavy", "unknown light", "unknown to English",
         "type missing", "typed question", "own task", "people missing", "known terms",
         "strategy named", "margin", "related met", "type next", "context share",
         "path who", "path when", "path about", "path strategy", "path topic",
         "content terms", "unknown share", "yes or no", "words aside", "log words"]
# What a question the document does not answer, answered anyway, costs against a
# question it answers, declined.  The sets score each class on its own (answered
# right, declined right), so each class weighs half.
DECLINE_COST = 1.0
LAMBDAS = (0.3, 3.0, 30.0)
START = [1]  # the old confidence


def rows_of(binary):
    """(features, label, set, org, holdout) for every question a passage decided."""
    out = []
    shared = eval_sets.SHARED

    def take(name, path, kb):
        rows = eval_sets.load(path)
        answers = eval_sets.ask(binary, kb, rows)
        for r in rows:
            f = answers[r["id"]].get("features")
            if f and len(f) == len(NAMES):
                out.append((f, 1 if r["answered"] else 0, name, r["org"], r["holdout"]))

    take("own", os.path.join(ROOT, "tests/eval/questions.jsonl"), None)
    take("eval-dev", os.path.join(shared, "eval-dev/questions.jsonl"), None)
    with tempfile.TemporaryDirectory(prefix="valuesbot-fit-") as tmp:
        pages = eval_sets.build_corpus(binary, tmp)
        take("corpus", os.path.join(shared, "corpus/questions.jsonl"), tmp)
        for name in ("fresh", "fresh2"):
            take(name, os.path.join(ROOT, f"tests/eval/{name}.jsonl"),
                 lambda org: tmp if org in pages else None)
        for org in ("tewv", "cwpt"):
            shutil.copy(os.path.join(ROOT, "knowledge", org + ".json"), tmp)
        take("related", os.path.join(ROOT, "tests/eval/related.jsonl"), tmp)
    return out


def solve(m, v):
    """Solves m x = v (Gaussian elimination with partial pivoting)."""
    n = len(v)
    a = [row[:] + [v[i]] for i, row in enumerate(m)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(a[r][c]))
        a[c], a[p] = a[p], a[c]
        if abs(a[c][c]) < 1e-12:
            continue
        for r in range(n):
            if r != c:
                f = a[r][c] / a[c][c]
                for k in range(c, n + 1):
                    a[r][k] -= f * a[c][k]
    return [a[i][n] / a[i][i] if abs(a[i][i]) > 1e-12 else 0.0 for i in range(n)]


def fit(xs, ys, lam):
    """Weighted L2 logistic regression by Newton's method; xs standardised, bias first.
    Each class weighs in proportion to its cost (DECLINE_COST for a declined one)."""
    n, d = len(xs), len(xs[0])
    npos = sum(ys) or 1
    nneg = (n - sum(ys)) or 1
    half = n / (1.0 + DECLINE_COST)
    wt = [half / npos if y else DECLINE_COST * half / nneg for y in ys]
    w = [0.0] * d
    for _ in range(50):
        g = [0.0] * d
        h = [[0.0] * d for _ in range(d)]
        for x, y, c in zip(xs, ys, wt):
            z = sum(wi * xi for wi, xi in zip(w, x))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            for i in range(d):
                g[i] += c * (p - y) * x[i]
                cx = c * p * (1 - p) * x[i]
                for j in range(i, d):
                    h[i][j] += cx * x[j]
        for i in range(d):
            for j in range(i):
                h[i][j] = h[j][i]
        for i in range(1, d):  # the bias is not shrunk
            g[i] += lam * w[i]
            h[i][i] += lam
        for i in range(d):
            h[i][i] += 1e-9
        step = solve(h, g)
        w = [wi - si for wi, si in zip(w, step)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return w


def scaler(feats):
    d = len(feats[0])
    mu = [sum(f[i] for f in feats) / len(feats) for i in range(d)]
    sd = [math.sqrt(sum((f[i] - mu[i]) ** 2 for f in feats) / len(feats)) or 1.0
          for i in range(d)]
    return mu, sd


def design(feats, mu, sd):
    return [[1.0] + [(f[i] - mu[i]) / sd[i] for i in range(len(f))] for f in feats]


def accuracy(pred, ys):
    pos = [p == y for p, y in zip(pred, ys) if y]
    neg = [p == y for p, y in zip(pred, ys) if not y]
    return (100.0 * sum(pos) / max(1, len(pos)), 100.0 * sum(neg) / max(1, len(neg)))


def cost(acc):
    """The expected cost of the decisions, per class accuracies in per cent."""
    return (100 - acc[0]) + DECLINE_COST * (100 - acc[1])


def predict(w, xs):
    return [1 if sum(wi * xi for wi, xi in zip(w, x)) >= 0 else 0 for x in xs]


def fit_raw(feats, ys, sub, lam):
    """Fits on @sub of @feats; returns the weights on the raw features (bias first)."""
    fs = [[f[i] for i in sub] for f in feats]
    mu, sd = scaler(fs)
    w = fit(design(fs, mu, sd), ys, lam)
    raw = [wi / s for wi, s in zip(w[1:], sd)]
    return [w[0] - sum(r * m for r, m in zip(raw, mu))] + raw


def predict_raw(w, feats, sub):
    return [1 if w[0] + sum(wi * f[i] for wi, i in zip(w[1:], sub)) >= 0 else 0
            for f in feats]


def grouped_cv(feats, ys, groups, sub, lam):
    """Each group's rows predicted by a model fitted on the others'; pooled accuracy."""
    pred = [0] * len(ys)
    for g in sorted(set(groups)):
        tr = [i for i, h in enumerate(groups) if h != g]
        te = [i for i, h in enumerate(groups) if h == g]
        if len({ys[i] for i in tr}) < 2:
            continue
        w = fit_raw([feats[i] for i in tr], [ys[i] for i in tr], sub, lam)
        for i, p in zip(te, predict_raw(w, [feats[i] for i in te], sub)):
            pred[i] = p
    return accuracy(pred, ys), pred


def per_set(pred, ys, sets):
    out = []
    for s in sorted(set(sets), key=sets.index):
        idx = [i for i, t in enumerate(sets) if t == s]
        a = accuracy([pred[i] for i in idx], [ys[i] for i in idx])
        npos = sum(ys[i] for i in idx)
        out.append(f"{s} {a[0]:.0f}/{a[1]:.0f} ({npos}+{len(idx) - npos})")
    return "  ".join(out)


def select(feats, ys, sets):
    """Forward selection by leave-one-set-out cost; returns (features, lambda, accuracy)."""
    npos, nneg = sum(ys), len(ys) - sum(ys)
    tol = 100.0 / max(1, npos) + DECLINE_COST * 100.0 / max(1, nneg)
    best = min(((START, lam, grouped_cv(feats, ys, sets, START, lam)[0]) for lam in LAMBDAS),
               key=lambda t: cost(t[2]))
    print(f"start {'+'.join(NAMES[i] for i in START)}, lambda {best[1]:g}: "
          f"leave-one-set-out {best[2][0]:.1f}/{best[2][1]:.1f}")
    while True:
        tried = []
        for i in range(len(NAMES)):
            if i in best[0]:
                continue
            sub = best[0] + [i]
            for lam in LAMBDAS:
                tried.append((sub, lam, grouped_cv(feats, ys, sets, sub, lam)[0]))
        if not tried:
            return best
        cand = min(tried, key=lambda t: cost(t[2]))
        if cost(cand[2]) >= cost(best[2]) - tol:
            return best
        best = cand
        print(f"  + {NAMES[cand[0][-1]]}, lambda {cand[1]:g}: leave-one-set-out "
              f"{cand[2][0]:.1f}/{cand[2][1]:.1f}")


def render(w, sub, lam):
    full = [w[0]] + [0.0] * len(NAMES)
    for wi, i in zip(w[1:], sub):
        full[i + 1] = wi
    vals = [f"{v:.6f}," for v in full]
    width = max(len(v) for v in vals)
    body = "\n".join(f"    {v:<{width}} /* {n} */"
                     for v, n in zip(vals, ["intercept"] + NAMES))
    chosen = ",".join(str(i) for i in sub)
    return f"""/*
 * kb_answer_model.c - the passage model's weights.  Generated by
 * scripts/fit_answer.py (the dev parts of the six question sets); do not edit.
 * features {chosen}; lambda {lam:g}
 */
#include "bot/kb/kb_answer_model.h"

#include <math.h>

const double kb_answer_model[KB_ANSWER_NFEAT + 1] = {{
{body}
}};

double
kb_answer_model_p(const double *x)
{{
    double z = kb_answer_model[0];

    for (int i = 0; i < KB_ANSWER_NFEAT; i++)
        z += kb_answer_model[i + 1] * x[i];
    return 1.0 / (1.0 + exp(-z));
}}
"""


def shipped():
    """The shipped model's weights, chosen features and lambda (from its header)."""
    with open(MODEL, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"features ([0-9,]+); lambda ([0-9.]+)", text)
    ws = [float(v) for v in re.findall(r"^\s+(-?[0-9.]+),", text, re.M)]
    sub = [int(i) for i in m.group(1).split(",")] if m else None
    return ws, sub, float(m.group(2)) if m else None, text


def main(argv):
    if not argv or argv[0].startswith("-"):
        sys.exit(__doc__)
    binary = os.path.abspath(argv[0])
    os.chdir(ROOT)
    rows = rows_of(binary)
    dev = [r for r in rows if not r[4]]
    feats = [r[0] for r in dev]
    ys = [r[1] for r in dev]
    sets = [r[2] for r in dev]
    orgs = [r[2] + "/" + r[3] for r in dev]
    ws, sub, lam, text = shipped()
    if "--check" in argv:
        if sub is None:
            sys.exit("fit_answer: the model's header names no features")
        if text != render(fit_raw(feats, ys, sub, lam), sub, lam):
            sys.exit("fit_answer: bot/kb/kb_answer_model.c is not what "
                     "`scripts/fit_answer.py BINARY --write` writes: refit it")
        print("fit_answer: the passage model is what the script fits")
        return 0
    print(f"{len(dev)} dev rows a passage decided ({sum(ys)} answered, "
          f"{len(ys) - sum(ys)} declined); holdout rows not used: {len(rows) - len(dev)}")
    now = [1 if ws[0] + sum(w * x for w, x in zip(ws[1:], f)) >= 0 else 0 for f in feats]
    acc = accuracy(now, ys)
    print(f"shipped model (fitted on these rows, in part): {acc[0]:.1f}/{acc[1]:.1f}  "
          f"{per_set(now, ys, sets)}")
    for lam0 in LAMBDAS:
        a0, p0 = grouped_cv(feats, ys, sets, START, lam0)
        print(f"old confidence alone, lambda {lam0:g}: leave-one-set-out {a0[0]:.1f}/"
              f"{a0[1]:.1f}  {per_set(p0, ys, sets)}")
    # every feature at once: what the selection guards against
    every = list(range(len(NAMES)))
    a0, p0 = grouped_cv(feats, ys, sets, every, 3.0)
    print(f"every feature, lambda 3: leave-one-set-out {a0[0]:.1f}/{a0[1]:.1f}  "
          f"{per_set(p0, ys, sets)}")
    sub, lam, acc = select(feats, ys, sets)
    _, pred = grouped_cv(feats, ys, sets, sub, lam)
    oacc, _ = grouped_cv(feats, ys, orgs, sub, lam)
    print(f"chosen: {'+'.join(NAMES[i] for i in sub)}, lambda {lam:g}: leave-one-set-out "
          f"{acc[0]:.1f}/{acc[1]:.1f}  {per_set(pred, ys, sets)}; leave-one-org-out "
          f"{oacc[0]:.1f}/{oacc[1]:.1f}")
    w = fit_raw(feats, ys, sub, lam)
    for wi, i in zip(w[1:], sub):
        print(f"    {NAMES[i]:20s} {wi:+.3f}")
    hold = [r for r in rows if r[4]]
    if hold:  # measured, never fitted on: the figures only, no rows shown
        hx = [r[0] for r in hold]
        hy = [r[1] for r in hold]
        o = accuracy([1 if ws[0] + sum(a * x for a, x in zip(ws[1:], f)) >= 0 else 0
                      for f in hx], hy)
        m = accuracy(predict_raw(w, hx, sub), hy)
        print(f"holdout rows ({len(hold)}): shipped model {o[0]:.1f}/{o[1]:.1f}; "
              f"this fit {m[0]:.1f}/{m[1]:.1f}")
    if "--write" in argv:
        with open(MODEL, "w", encoding="utf-8") as f:
            f.write(render(w, sub, lam))
        print(f"wrote {os.path.relpath(MODEL, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
