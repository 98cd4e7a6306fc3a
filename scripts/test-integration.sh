#!/usr/bin/env bash
# test-integration.sh - the real binary against the fake servers
# (tests/integration/test_*.py).  Usage: scripts/test-integration.sh BINARY
#
# The suites spend most of their time waiting on the bot's timers
# (reconnect backoff, watchdogs, pacing), not on the CPU, so each file runs
# as its own process, all at once; the output of each is printed whole when
# it ends, and the run fails if any file failed.
set -uo pipefail

bin=${1:?usage: test-integration.sh BINARY}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

pids=()
names=()
for f in tests/integration/test_*.py; do
    name=$(basename "$f" .py)
    VALUESBOT_BIN=$bin python3 -m unittest discover -s tests/integration -p "$name.py" -v \
        >"$logs/$name.log" 2>&1 &
    pids+=($!)
    names+=("$name")
done

status=0
for i in "${!pids[@]}"; do
    if wait "${pids[$i]}"; then
        result=ok
    else
        result=FAILED
        status=1
    fi
    echo "== tests/integration/${names[$i]}.py ($bin): $result"
    if [[ $result != ok || ${VERBOSE:-0} == 1 ]]; then
        cat "$logs/${names[$i]}.log"
    else
        tail -n 3 "$logs/${names[$i]}.log"
    fi
done
exit $status
