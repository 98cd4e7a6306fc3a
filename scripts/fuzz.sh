#!/usr/bin/env bash
# fuzz.sh - run each libFuzzer binary for a fixed time; fail if any crashes.
#
# Usage: scripts/fuzz.sh SECONDS BIN...   (FUZZ_JOBS at once, default one per core)
#
# Each BIN (build/fuzz/fuzz_<target>) starts from a copy of
# tests/fuzz/seeds/<target>/, and of the test fixtures in tests/data/<target>/
# where there are any, in a temporary directory, so the committed seeds
# never change.  Crash, leak and timeout inputs are kept in
# build/fuzz/artifacts/<target>/ for replay: BIN FILE.
set -euo pipefail

usage() { echo "usage: scripts/fuzz.sh SECONDS BIN..." >&2; exit 2; }
[[ $# -ge 2 ]] || usage
secs=$1; shift
[[ $secs =~ ^[0-9]+$ && $secs -gt 0 ]] || usage

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/valuesbot-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

# One target: its corpus made, then the fuzzer run for SECS; prints its
# summary (or its log's last lines) and fails if it found something.
run_one() {
    local bin=$1 name target corpus artifacts seeds fixtures log
    name=$(basename "$bin")
    target=${name#fuzz_}
    if [[ ! -x $bin ]]; then
        echo "fuzz: $bin: not an executable (run make fuzz)" >&2
        return 1
    fi
    corpus=$work/$target
    artifacts=$root/build/fuzz/artifacts/$target
    mkdir -p "$corpus" "$artifacts"
    seeds=$root/tests/fuzz/seeds/$target
    fixtures=$root/tests/data/$target
    [[ -d $fixtures ]] && { cp -- "$fixtures"/* "$corpus"/ 2>/dev/null || true; }
    if [[ -d $seeds ]]; then
        cp -- "$seeds"/* "$corpus"/ 2>/dev/null || true
    elif [[ ! -d $fixtures ]]; then
        echo "fuzz: $name: no seeds in tests/fuzz/seeds/$target, starting empty" >&2
    fi
    echo "fuzz: $name for ${secs}s from $(find "$corpus" -type f | wc -l) seeds"
    log=$work/$target.log
    # -rss_limit_mb keeps a runaway allocation a finding, not an OOM kill.
    if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
            -max_len=65536 -print_final_stats=1 \
            -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1; then
        grep -E '^stat::number_of_executed_units' "$log" | sed "s/^/fuzz: $name: /" || true
    else
        echo "fuzz: $name FAILED; last lines of its log:" >&2
        tail -n 40 "$log" >&2
        echo "fuzz: $name: reproducer(s) in $artifacts/" >&2
        return 1
    fi
}

# Each fuzzer is one process on one core: FUZZ_JOBS (default: the number
# of cores) run at once, each for the full SECS.  A target's lines are
# printed together when it ends.
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
[[ $jobs =~ ^[0-9]+$ && $jobs -gt 0 ]] || jobs=1
failed=()
running=0
declare -A name_of
finish() {
    local pid rc=0
    wait -n -p pid || rc=$?
    running=$((running - 1))
    cat "$work/${name_of[$pid]}.out"
    [[ $rc -eq 0 ]] || failed+=("${name_of[$pid]}")
}
for bin in "$@"; do
    [[ $running -lt $jobs ]] || finish
    name=$(basename "$bin")
    run_one "$bin" >"$work/$name.out" 2>&1 &
    name_of[$!]=$name
    running=$((running + 1))
done
while [[ $running -gt 0 ]]; do finish; done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzz: failed: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: all ${#@} target(s) ran ${secs}s without a finding"
