#!/usr/bin/env python3
"""eval_sets.py - score the answer engine on the independent question sets, split into a
development part and a holdout part (every fifth line, 1-based: 5, 10, 15, ...).

usage: scripts/eval_sets.py BINARY [--set eval-dev|corpus|own|related|fresh|fresh2|fresh3|fresh4|unseen|unseen2|unseen3|unseen4|orders|all] [--part dev|holdout|both]
                            [--gate IN,DEC] [--show-misses] [--out FILE]

Sets:
  own      tests/eval/questions.jsonl (the team's own; "answer", "must", "must_not")
  eval-dev ../shared/eval-dev/questions.jsonl (tewv, cwpt; the shipped KBs)
  corpus   ../shared/corpus/questions.jsonl: first builds one KB per page of
           ../shared/corpus/pages/*.txt with `kb build` into a temporary directory
           (names from labels.jsonl), then asks with --kb DIR.
  related  tests/eval/related.jsonl: staff naming values and goals in words of their own
           ("kindness" for Compassion), on the corpus pages' KBs as for corpus and the
           shipped tewv and cwpt KBs.
  fresh    tests/eval/fresh.jsonl (the corpus's format): staff questions written
           for this session from the corpus pages (KBs built as for corpus) and
           the two shipped organisations, labels written before the first run.
  fresh2   tests/eval/fresh2.jsonl (as fresh): facts, counts, summaries, typos, small
           talk and yes/no questions, a third to decline, written for the 5th session.
  fresh3   tests/eval/fresh3.jsonl (as fresh): 200 on the shipped tewv and cwpt only,
           as staff write them (paraphrase, a value described without its name, longer
           messages, small talk, typos), a third to decline, written for the 6th session.
  fresh4   tests/eval/fresh4.jsonl (as fresh3): 60 more on tewv and cwpt, a third to
           decline, labels written before the first run, for the 7th session.
  unseen   tests/eval/unseen.jsonl (as fresh): 150 written for the 7th session and run once untuned:
           60 on tewv and cwpt, 90 on ten corpus pages of ten layouts, a third to decline.
  unseen2  tests/eval/unseen2.jsonl (as unseen): 150 written for the 8th session before any
           engine code was read, run once untuned: 60 on tewv and cwpt, 90 on ten other
           corpus pages (hcht kovp ospc rght smch tvpt uhcd fmhp gmht vvht), a third to decline.
  unseen3  tests/eval/unseen3.jsonl (as unseen2): 150 written for the 9th session before any
           engine code was read, run once untuned: 60 on tewv and cwpt, 90 on the ten corpus
           pages unseen and unseen2 leave out (csas cscc ecws mict neki nhsb qcmh rwhf udht
           wchf), half to decline (facts not given, neighbouring topics, other trusts,
           requests to invent or change, out of scope in the strategy's words).
  unseen4  tests/eval/unseen4.jsonl (as unseen3): 150 written for the 10th session before any
           engine code was read, run once untuned: 60 on tewv and cwpt, 90 on the ten corpus
           pages the earlier sets use least (btuhb fmhp gmht mict neki rght smch tvpt udht
           wchf), half to decline (facts not given, other bodies, orders, role-play,
           opinions), with comparisons, summaries and questions for a team meeting.
  orders   tests/eval/orders.jsonl (as fresh3): 60 on tewv and cwpt written for the 8th
           session and run once untuned: 40 to decline (orders to announce or change
           content, requests to invent, role-play, override or reveal the set-up, questions
           out of scope, other trusts, facts not stated), 20 like them to answer.

Scoring has the semantics of ../shared/eval-dev/score.py: the reply's "answered" from
`ask --json` must equal the question's, every "all" group must have one substring in the
normalised reply and no "none" substring may be in it (a leak).  Questions of one org go
through one `ask --json` process (one answer per line); each line is answered on its own.

--show-misses lists failures of the dev part only: the holdout is measured, never read.
--gate IN,DEC exits 1 when a measured part is under IN% answered right or DEC% declined
right, or has a leak.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("VALUESBOT_SHARED", os.path.join(ROOT, "..", "shared"))
if not os.path.isdir(SHARED):
    SHARED = "/work/shared"

_TRANSLATE = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                            "-": " ", "\u2010": " ", "\u2011": " ", "\u2012": " ",
                            "\u2013": " ", "\u2014": " ", "\u00a0": " ",
                            "*": None, "_": None, "`": None})


def norm(s):
    s = s.lower().translate(_TRANSLATE)
    s = re.sub(r"\s&\s", " and ", s)
    return re.sub(r"\s+", " ", s)


def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            r = json.loads(line)
            if "answer" in r and "answered" not in r:  # the team's own format
                r = dict(r, answered=r["answer"],
                         all=[[m] for m in r["must"]] if r["answer"] else [],
                         none=[], forbid=r["must_not"])
            r["holdout"] = n % 5 == 0
            rows.append(r)
    return rows


def build_corpus(binary, tmp):
    """Builds a KB per corpus page into @tmp; returns the page ids."""
    labels = {}
    with open(os.path.join(SHARED, "corpus", "labels.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                o = json.loads(line)
                labels[o["id"]] = o["name"]
    failed = []
    for org, name in sorted(labels.items()):
        page = os.path.join(SHARED, "corpus", "pages", org + ".txt")
        p = subprocess.run([binary, "kb", "build", page, "--org", org, "--name", name,
                            "-o", os.path.join(tmp, org + ".json")],
                           capture_output=True, timeout=60)
        if p.returncode != 0:
            failed.append(org)
    if failed:
        # the questions on those pages then fail: ask finds no KB for the org
        print(f"eval_sets: kb build made no KB for {len(failed)} of {len(labels)} pages: "
              f"{' '.join(failed)}", file=sys.stderr)
    return set(labels)


def ask(binary, kb, rows, flags=("--json",)):
    """`ask` with @flags per organisation; the reply objects by question id (an
    "error" member where ask failed)."""
    out = {}
    for org in sorted({r["org"] for r in rows}):
        oq = [r for r in rows if r["org"] == org]
        inp = "".join(r["q"].replace("\n", " ").replace("\r", " ") + "\n" for r in oq)
        k = kb(org) if callable(kb) else kb
        argv = [binary, "ask", *flags, "--org", org] + (["--kb", k] if k else [])
        p = subprocess.run(argv, input=inp.encode(), capture_output=True, timeout=300)
        lines = [l for l in p.stdout.decode("utf-8", "replace").splitlines() if l.strip()]
        if p.returncode != 0 or len(lines) != len(oq):
            err = p.stderr.decode()[:200]
            for r in oq:
                out[r["id"]] = {"answered": None, "text": "", "error": f"ask failed: {err}"}
            continue
        for r, l in zip(oq, lines):
            out[r["id"]] = json.loads(l)
    return out


def judge(r, a):
    why = []
    if a.get("error"):
        return [a["error"]], False
    reply = norm(a["text"])
    if a["answered"] != r["answered"]:
        why.append(f"answered={str(a['answered']).lower()}")
    for g in r["all"]:
        if not any(norm(s) in reply for s in g):
            why.append("missing " + " | ".join(repr(s) for s in g))
    leaked = [s for s in r["none"] if norm(s) in reply]
    if leaked:
        why.append("leaked " + ", ".join(repr(s) for s in leaked))
    why += [f"has {s!r}" for s in r.get("forbid", []) if s.lower() in a["text"].lower()]
    return why, bool(leaked)


def score(name, binary, path, kb, parts, show, outf):
    rows = load(path)
    answers = ask(binary, kb, rows)
    figures = {}
    for part in parts:
        sel = [r for r in rows if r["holdout"] == (part == "holdout")]
        ins, dec, leaks = [0, 0], [0, 0], 0
        cats = {}
        for r in sel:
            a = answers[r["id"]]
            why, leak = judge(r, a)
            t = ins if r["answered"] else dec
            t[0] += not why
            t[1] += 1
            leaks += leak
            c = cats.setdefault(r["category"], [0, 0])
            c[0] += not why
            c[1] += 1
            if outf and part == "dev":
                outf.write(json.dumps({"set": name, "id": r["id"], "org": r["org"],
                                       "category": r["category"], "q": r["q"],
                                       "pass": not why, "why": why,
                                       "intent": a.get("intent"),
                                       "confidence": a.get("confidence"),
                                       "text": a.get("text", "")}) + "\n")
            if show and why and part == "dev":
                t1 = re.sub(r"\s+", " ", a.get("text", ""))[:200]
                print(f"MISS {r['id']} [{r['category']}] {r['q']!r}: {'; '.join(why)} "
                      f"(intent {a.get('intent')}, conf {a.get('confidence')})\n    {t1}")
        pin = 100.0 * ins[0] / ins[1] if ins[1] else 100.0
        pdec = 100.0 * dec[0] / dec[1] if dec[1] else 100.0
        figures[part] = (pin, pdec, leaks)
        catstr = " ".join(f"{c}:{v[0]}/{v[1]}" for c, v in sorted(cats.items()))
        print(f"{name:9s} {part:8s} answered {pin:5.1f}% ({ins[0]}/{ins[1]}) "
              f"declined {pdec:5.1f}% ({dec[0]}/{dec[1]}) leaks {leaks}")
        if show:
            print(f"    {catstr}")
    return figures


def main(argv):
    if not argv or argv[0].startswith("-"):
        sys.exit(__doc__)
    binary = os.path.abspath(argv[0])
    opts = argv[1:]

    def opt(name, default):
        return opts[opts.index(name) + 1] if name in opts else default

    which = opt("--set", "all")
    part = opt("--part", "both")
    parts = ["dev", "holdout"] if part == "both" else [part]
    gate = opt("--gate", "")
    show = "--show-misses" in opts
    out = opt("--out", "")
    outf = open(out, "w", encoding="utf-8") if out else None
    sets = ["own", "eval-dev", "corpus", "fresh", "fresh2", "fresh3", "fresh4", "related", "unseen", "unseen2", "unseen3", "unseen4", "orders"] if which == "all" else which.split(",")
    bad = []
    os.chdir(ROOT)
    for s in sets:
        if s == "own":
            fig = score(s, binary, os.path.join(ROOT, "tests/eval/questions.jsonl"), None,
                        parts, show, outf)
        elif s == "eval-dev":
            fig = score(s, binary, os.path.join(SHARED, "eval-dev/questions.jsonl"), None,
                        parts, show, outf)
        elif s == "corpus":
            with tempfile.TemporaryDirectory(prefix="valuesbot-corpus-") as tmp:
                build_corpus(binary, tmp)
                fig = score(s, binary, os.path.join(SHARED, "corpus/questions.jsonl"), tmp,
                            parts, show, outf)
        elif s == "related":
            with tempfile.TemporaryDirectory(prefix="valuesbot-related-") as tmp:
                build_corpus(binary, tmp)
                for org in ("tewv", "cwpt"):
                    shutil.copy(os.path.join(ROOT, "knowledge", org + ".json"), tmp)
                fig = score(s, binary, os.path.join(ROOT, "tests/eval/related.jsonl"), tmp,
                            parts, show, outf)
        elif s in ("fresh3", "fresh4", "orders"):  # the shipped KBs only
            fig = score(s, binary, os.path.join(ROOT, f"tests/eval/{s}.jsonl"), None,
                        parts, show, outf)
        elif s in ("fresh", "fresh2", "unseen", "unseen2", "unseen3", "unseen4"):
            with tempfile.TemporaryDirectory(prefix="valuesbot-corpus-") as tmp:
                pages = build_corpus(binary, tmp)
                fig = score(s, binary, os.path.join(ROOT, f"tests/eval/{s}.jsonl"),
                            lambda org: tmp if org in pages else None, parts, show, outf)
        else:
            sys.exit(f"eval_sets: unknown set {s}")
        if gate:
            lim = gate.split(",")
            for p, (pin, pdec, leaks) in fig.items():
                if pin < float(lim[0]) or pdec < float(lim[1]) or leaks:
                    bad.append(f"{s} {p}: {pin:.1f}/{pdec:.1f}/{leaks} under {gate}/0")
    if bad:
        sys.exit("eval_sets gate FAILED: " + "; ".join(bad))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
