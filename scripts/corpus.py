#!/usr/bin/env python3
"""Build a KB from every page of the corpus and compare it with its labels.

usage: scripts/corpus.py [--bin build/valuesbot] [--corpus DIR] [--format text,html,pdf]
                         [--only ID,...] [--show N] [--no-gate]

For each page in DIR/labels.jsonl, `valuesbot kb build` runs on
pages/<id>.txt, html/<id>.html and pdf/<id>.pdf (where the rendition
exists), and the KB it writes is compared with the page's labels:
value names, behaviours and definitions, goal titles (with their labels),
the statements (mission, vision, purpose, ambition) and the strategy name.
Texts are compared with white space collapsed and case folded.  A goal
title matches a KB goal whose title is the label, or whose title and
description, joined by the separator the page uses (": ", " – ", ...),
make the label (the KB keeps "Our Patients" and its description apart).

Prints recall and precision per field and per format.  Exits 1 when, for
a format whose reader reads, the recall of value names or goal titles is
below 100% or any value or goal is invented (in the KB, not in the
labels).  A format whose reader is not there yet (every page refused with
"cannot be read yet") is reported as such and not gated.  Exits 2 when the
corpus or the binary is missing.  Standard library only.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

FORMATS = {"text": ("pages", ".txt"), "html": ("html", ".html"), "pdf": ("pdf", ".pdf")}
SEPS = [": ", " – ", " — ", " - ", ". ", " "]
NOT_YET = "cannot be read yet"


def norm(s):
    if s is None:
        return ""
    s = s.replace("\u00a0", " ").replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", s).strip().casefold()


def goal_texts(g):
    """The ways a KB goal may spell its label: the title, or title + sep + description."""
    t, d = g.get("title", ""), g.get("description", "")
    out = {norm(t)}
    if d:
        for sep in SEPS:
            out.add(norm(t + sep + d))
    return out


class Tally:
    """Recall and precision counts for one field."""

    def __init__(self):
        self.hit = self.want = self.found = self.right = 0

    def add(self, want, found, matched_want, matched_found):
        self.want += want
        self.hit += matched_want
        self.found += found
        self.right += matched_found

    def recall(self):
        return 100.0 * self.hit / self.want if self.want else 100.0

    def precision(self):
        return 100.0 * self.right / self.found if self.found else 100.0


def compare(label, kb, tallies, misses):
    """Adds the comparison of @kb with @label to @tallies; @misses gets words."""
    pid = label["id"]
    # Values.
    kvals = kb.get("values", [])
    kv_by = {norm(v["name"]): v for v in kvals}
    lnames = [norm(v["name"]) for v in label["values"]]
    hit = sum(1 for n in lnames if n in kv_by)
    right = sum(1 for n in kv_by if n in lnames)
    tallies["value names"].add(len(lnames), len(kv_by), hit, right)
    for n in lnames:
        if n not in kv_by:
            misses.append(f"{pid}: value missed: {n}")
    for n in kv_by:
        if n not in lnames:
            misses.append(f"{pid}: value invented: {n}")
    # Behaviours and definitions of the values found.
    for lv in label["values"]:
        kv = kv_by.get(norm(lv["name"]))
        want = [norm(b) for b in lv["behaviours"]]
        got = [norm(b["text"]) for b in kv.get("behaviours", [])] if kv else []
        tallies["behaviours"].add(len(want), len(got), sum(1 for b in want if b in got),
                                  sum(1 for b in got if b in want))
        for b in want:
            if b not in got:
                misses.append(f"{pid}: behaviour missed ({lv['name']}): {b[:60]}")
        for b in got:
            if b not in want:
                misses.append(f"{pid}: behaviour wrong ({lv['name']}): {b[:60]}")
        ld = norm(lv.get("definition"))
        kd = norm(kv.get("description")) if kv else ""
        tallies["definitions"].add(1 if ld else 0, 1 if kd else 0,
                                   1 if ld and ld == kd else 0, 1 if kd and ld == kd else 0)
        if ld != kd:
            misses.append(f"{pid}: definition ({lv['name']}): want {ld[:50]!r} got {kd[:50]!r}")
    # Goals.
    kgoals = kb.get("goals", [])
    spell = [goal_texts(g) for g in kgoals]
    ltitles = [norm(g["title"]) for g in label["goals"]]
    hit = sum(1 for t in ltitles if any(t in s for s in spell))
    right = sum(1 for s in spell if any(t in s for t in ltitles))
    tallies["goal titles"].add(len(ltitles), len(kgoals), hit, right)
    for t in ltitles:
        if not any(t in s for s in spell):
            misses.append(f"{pid}: goal missed: {t[:70]}")
    for g, s in zip(kgoals, spell):
        if not any(t in s for t in ltitles):
            misses.append(f"{pid}: goal invented: {norm(g['title'])[:70]}")
    # Statements.
    amb = collections.defaultdict(list)
    for a in kb.get("ambitions", []):
        amb[norm(a.get("kind"))].append(norm(a.get("text")))
    for field in ("mission", "vision", "purpose", "ambition"):
        want = norm(label.get(field))
        if field in ("mission", "vision"):
            got = [norm((kb.get(field) or {}).get("text"))] if kb.get(field) else []
            got = [g for g in got if g]
        else:
            got = amb.get(field, [])
        ok = bool(want) and want in got
        tallies["statements"].add(1 if want else 0, len(got), 1 if ok else 0,
                                  sum(1 for g in got if g == want))
        if want and not ok:
            misses.append(f"{pid}: {field} missed: want {want[:50]!r} got {[g[:40] for g in got]}")
        for g in got:
            if g != want:
                misses.append(f"{pid}: {field} wrong: {g[:60]!r}")
    # Strategy name.
    want, got = norm(label.get("strategy")), norm(kb.get("strategy"))
    tallies["strategy"].add(1 if want else 0, 1 if got else 0, 1 if want and want == got else 0,
                            1 if got and want == got else 0)
    if want != got:
        misses.append(f"{pid}: strategy: want {want!r} got {got!r}")


def build(binary, path, label):
    try:
        p = subprocess.run([binary, "kb", "build", path, "--org", label["id"], "--name",
                            label["name"], "-o", "-"], capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        return None, "timed out"
    if p.returncode != 0:
        return None, p.stderr.decode("utf-8", "replace").strip() or f"exit {p.returncode}"
    try:
        return json.loads(p.stdout), None
    except json.JSONDecodeError as e:
        return None, f"output is not JSON: {e}"


def find_corpus(arg):
    if arg:
        return arg
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for rel in ("../shared/corpus", "../../shared/corpus"):
        d = os.path.normpath(os.path.join(root, rel))
        if os.path.isfile(os.path.join(d, "labels.jsonl")):
            return d
    return os.path.normpath(os.path.join(root, "../shared/corpus"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default="build/valuesbot")
    ap.add_argument("--corpus", default="")
    ap.add_argument("--format", default="text,html,pdf")
    ap.add_argument("--only", default="")
    ap.add_argument("--show", type=int, default=40, help="misses to print per format")
    ap.add_argument("--no-gate", action="store_true")
    args = ap.parse_args()
    corpus = find_corpus(args.corpus)
    lpath = os.path.join(corpus, "labels.jsonl")
    if not os.path.isfile(lpath):
        print(f"corpus: no {lpath}", file=sys.stderr)
        return 2
    if not os.access(args.bin, os.X_OK):
        print(f"corpus: no binary {args.bin}", file=sys.stderr)
        return 2
    labels = [json.loads(line) for line in open(lpath, encoding="utf-8") if line.strip()]
    if args.only:
        keep = set(args.only.split(","))
        labels = [l for l in labels if l["id"] in keep]
    fields = ["value names", "behaviours", "definitions", "goal titles", "statements",
              "strategy"]
    failed = False
    for fmt in args.format.split(","):
        sub, ext = FORMATS[fmt]
        tallies = {f: Tally() for f in fields}
        misses, errors, pages, not_yet = [], [], 0, 0
        for label in labels:
            path = os.path.join(corpus, sub, label["id"] + ext)
            if not os.path.isfile(path):
                continue
            pages += 1
            kb, err = build(args.bin, path, label)
            if kb is None:
                if NOT_YET in err:
                    not_yet += 1
                errors.append(f"{label['id']}: build failed: {err.splitlines()[-1][:120]}")
                # A page that does not build misses all its labels.
                compare(label, {}, tallies, [])
                continue
            compare(label, kb, tallies, misses)
        if pages == 0:
            print(f"== {fmt}: no pages")
            continue
        if not_yet == pages:
            print(f"== {fmt}: {pages} pages; the {fmt} reader is not there yet "
                  f"(\"{NOT_YET}\"): not gated")
            continue
        print(f"== {fmt}: {pages} pages, {pages - len(errors)} built")
        for f in fields:
            t = tallies[f]
            print(f"  {f:<12} recall {t.recall():6.1f}% ({t.hit}/{t.want})  "
                  f"precision {t.precision():6.1f}% ({t.right}/{t.found})")
        for line in errors + misses[: args.show]:
            print("   " + line)
        if len(misses) > args.show:
            print(f"   ... {len(misses) - args.show} more")
        vn, gt = tallies["value names"], tallies["goal titles"]
        bad = (vn.hit < vn.want or gt.hit < gt.want or vn.right < vn.found
               or gt.right < gt.found)
        if bad:
            print(f"  GATE {fmt}: value names and goal titles must be 100% recall with "
                  f"nothing invented")
            failed = True
    return 1 if failed and not args.no_gate else 0


if __name__ == "__main__":
    sys.exit(main())
