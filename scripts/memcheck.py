#!/usr/bin/env python3
"""memcheck.py - every question of every set through `ask` under valgrind.

usage: scripts/memcheck.py BINARY [--jobs N] [--no-build]

ASan and UBSan run the unit tests; they missed two faults in the answer engine
that only some questions reach (a read past the end of a text, a count of words
larger than the words set). Valgrind's memcheck reads every byte the plain
binary touches, so every question of tests/eval/*.jsonl, ../shared/eval-dev and
../shared/corpus goes through one `ask --json` per organisation under it, with
the corpus pages' KBs built by `kb build` under it too (--no-build: built plain).
Exits 1 on the first organisation whose run valgrind reports an error for,
printing valgrind's report; 0 with a line of counts otherwise.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval_sets  # noqa: E402  (its set loading and corpus layout)

VALGRIND = ["valgrind", "-q", "--error-exitcode=9", "--track-origins=no"]


def run(argv, inp=None):
    p = subprocess.run(argv, input=inp, capture_output=True, timeout=1800)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def main(argv):
    if not argv or argv[0].startswith("-"):
        sys.exit(__doc__)
    binary = os.path.abspath(argv[0])
    jobs = int(argv[argv.index("--jobs") + 1]) if "--jobs" in argv else (os.cpu_count() or 2)
    build_plain = "--no-build" in argv
    files = sorted(glob.glob(os.path.join(eval_sets.ROOT, "tests/eval/*.jsonl")))
    for f in ("eval-dev/questions.jsonl", "corpus/questions.jsonl"):
        p = os.path.join(eval_sets.SHARED, f)
        if os.path.isfile(p):
            files.append(p)
    by_org = {}
    for f in files:
        for r in eval_sets.load(f):
            by_org.setdefault(r["org"], []).append(r["q"].replace("\n", " ").replace("\r", " "))
    bad = []
    with tempfile.TemporaryDirectory(prefix="valuesbot-memcheck-") as tmp:
        labels = os.path.join(eval_sets.SHARED, "corpus", "labels.jsonl")
        pages = {}
        if os.path.isfile(labels):
            with open(labels, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        o = json.loads(line)
                        pages[o["id"]] = o["name"]

        def build(org):
            page = os.path.join(eval_sets.SHARED, "corpus", "pages", org + ".txt")
            argv = ([] if build_plain else VALGRIND) + [
                binary, "kb", "build", page, "--org", org, "--name", pages[org],
                "-o", os.path.join(tmp, org + ".json")]
            rc, err = run(argv)
            return org, rc, err

        def ask(org):
            kb = ["--kb", tmp] if org in pages else []
            inp = "".join(q + "\n" for q in by_org[org]).encode()
            rc, err = run(VALGRIND + [binary, "ask", "--json", "--org", org] + kb, inp)
            return org, rc, err

        with ThreadPoolExecutor(jobs) as ex:
            for org, rc, err in ex.map(build, sorted(pages)):
                if rc == 9:
                    bad.append(f"kb build {org}:\n{err}")
            for org, rc, err in ex.map(ask, sorted(by_org)):
                if rc != 0:
                    bad.append(f"ask --org {org} (exit {rc}):\n{err[:4000]}")
    n = sum(len(v) for v in by_org.values())
    if bad:
        print("memcheck FAILED:\n" + "\n".join(bad), file=sys.stderr)
        return 1
    print(f"memcheck: {n} questions of {len(by_org)} organisations, "
          f"{len(pages)} KBs built, no valgrind error")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
