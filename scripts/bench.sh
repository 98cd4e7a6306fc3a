#!/usr/bin/env bash
# bench.sh - speed and memory of the answer engine, for the README's Speed section.
# Usage: scripts/bench.sh BINARY BENCH_ANSWER [RUNS]
#   1. in process, both KBs loaded: median time per question after warm-up
#      (tests/bench/bench_answer.c over tests/eval/questions.jsonl);
#   2. `valuesbot ask` as a whole process, KB loading included: median of RUNS;
#   3. peak RSS of one `valuesbot ask` (GNU time, package "time").
# Medians, not means: the machine is shared.  A benchmark, not a test: it fails
# only when a program fails.
set -euo pipefail
bin=${1:?usage: bench.sh BINARY BENCH_ANSWER [RUNS]}
bench=${2:?usage: bench.sh BINARY BENCH_ANSWER [RUNS]}
runs=${3:-50}

echo "== in process ($bench)"
"$bench" tests/eval/questions.jsonl 20

echo "== whole process: $bin ask --org tewv 'what are our values' ($runs runs)"
python3 - "$bin" "$runs" <<'PY'
import statistics, subprocess, sys, time
binary, runs = sys.argv[1], int(sys.argv[2])
cmd = [binary, "ask", "--org", "tewv", "what are our values"]
subprocess.run(cmd, check=True, capture_output=True)  # warm the page cache
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    times.append((time.perf_counter() - t0) * 1e3)
times.sort()
print(f"median {statistics.median(times):.2f} ms, p90 {times[int(len(times) * 0.9)]:.2f} ms, "
      f"min {times[0]:.2f} ms")
PY
# GNU time reports the child's own peak RSS (a Python-forked child would
# count the pages it shares with Python before exec).
rss=$(/usr/bin/time -f %M "$bin" ask --org tewv 'what are our values' 2>&1 >/dev/null | tail -1)
echo "peak RSS of ask: $((rss / 1024)).$(((rss % 1024) * 10 / 1024)) MB ($rss KiB)"
