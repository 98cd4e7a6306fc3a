#!/usr/bin/env python3
"""eval.py - accuracy of the answer engine on tests/eval/questions.jsonl.

Streams each org's questions through `valuesbot ask --json --org ORG` (one
process per org, one JSON answer per line) and scores each reply:
  - answer:true  -> answered, every "must" word in the text, no "must_not" word;
  - answer:false -> declined (answered false), no "must_not" word;
  - every reply  -> no content that only the other organisation's KB has (a leak).
With --gate, exits 1 when in-scope accuracy or correct declines fall under
95%, or when any reply leaks.  --show-misses lists what failed.
"""
import json, subprocess, sys, collections, os

def main():
    args = sys.argv[1:]
    binary = args[0]
    gate = "--gate" in args
    show = "--show-misses" in args or os.environ.get("EVAL_SHOW_MISSES")
    qfile = os.environ.get("EVAL_QUESTIONS", "tests/eval/questions.jsonl")
    qs = [json.loads(l) for l in open(qfile, encoding="utf-8") if l.strip()]
    kbs = {}
    for org in sorted({q["org"] for q in qs}):
        kbs[org] = json.load(open(f"knowledge/{org}.json", encoding="utf-8"))

    def distinctive(org):
        """Phrases only @org's KB has: value names, goal titles, ambition titles, names."""
        mine = json.dumps(kbs[org]).lower()
        out = set()
        for other, kb in kbs.items():
            if other == org:
                continue
            items = [v["name"] for v in kb["values"]] + [g["title"] for g in kb["goals"]]
            items += [a["title"] for a in kb["ambitions"] if a["title"]]
            for t in (kb.get("mission") or {}, kb.get("vision") or {}):
                if t.get("text"):
                    items.append(t["text"][:40])
            for s in items:
                if len(s) >= 6 and s.lower() not in mine:
                    out.add(s)
        return out

    results = []
    for org in kbs:
        oq = [q for q in qs if q["org"] == org]
        inp = "".join(q["q"].replace("\n", " ") + "\n" for q in oq)
        p = subprocess.run([binary, "ask", "--json", "--org", org], input=inp.encode(),
                           capture_output=True, timeout=300)
        if p.returncode != 0:
            sys.exit(f"eval: valuesbot ask failed for {org}: {p.stderr.decode()[:500]}")
        lines = p.stdout.decode().splitlines()
        if len(lines) != len(oq):
            sys.exit(f"eval: {len(oq)} questions for {org} but {len(lines)} answers")
        leaks = distinctive(org)
        for q, l in zip(oq, lines):
            a = json.loads(l)
            text = a["text"].lower()
            why = []
            if q["answer"] and not a["answered"]:
                why.append("declined")
            if not q["answer"] and a["answered"]:
                why.append("answered")
            if q["answer"]:
                why += [f"missing '{m}'" for m in q["must"] if m.lower() not in text]
            why += [f"has '{m}'" for m in q["must_not"] if m.lower() in text]
            leak = [s for s in leaks if s.lower() in text]
            why += [f"LEAK '{s}'" for s in leak]
            results.append((q, a, why, bool(leak)))

    by_cat = collections.defaultdict(lambda: [0, 0])
    ins = [0, 0]; dec = [0, 0]; nleak = 0
    for q, a, why, leak in results:
        ok = not why
        by_cat[q["category"]][0] += ok
        by_cat[q["category"]][1] += 1
        t = ins if q["answer"] else dec
        t[0] += ok; t[1] += 1
        nleak += leak
    print(f"{'category':<18} {'right':>6} {'of':>5} {'accuracy':>9}")
    for c in sorted(by_cat):
        r, n = by_cat[c]
        print(f"{c:<18} {r:>6} {n:>5} {100*r/n:>8.1f}%")
    total = ins[0] + dec[0]; n = ins[1] + dec[1]
    print(f"{'in scope':<18} {ins[0]:>6} {ins[1]:>5} {100*ins[0]/ins[1]:>8.1f}%")
    print(f"{'declines':<18} {dec[0]:>6} {dec[1]:>5} {100*dec[0]/dec[1]:>8.1f}%")
    print(f"{'overall':<18} {total:>6} {n:>5} {100*total/n:>8.1f}%")
    print(f"leaks: {nleak}")
    if show:
        for q, a, why, leak in results:
            if why:
                print(f"MISS {q['id']} [{q['category']}] {q['q']!r}: {', '.join(why)} "
                      f"(intent {a['intent']}, conf {a['confidence']:.2f})")
    if gate:
        bad = []
        if ins[0] < 0.95 * ins[1]: bad.append("in-scope accuracy under 95%")
        if dec[0] < 0.95 * dec[1]: bad.append("correct declines under 95%")
        if nleak: bad.append(f"{nleak} replies leak another org's content")
        if bad:
            sys.exit("eval gate FAILED: " + "; ".join(bad))
        print("eval gate passed")

main()
