#!/usr/bin/env bash
# test-integration.sh - the real binary against the fake servers
# (tests/integration/test_*.py).
#
#   scripts/test-integration.sh BINARY [SUITE...]
#
# Each SUITE is a further command run as `SUITE BINARY`, beside the tests
# (e.g. tests/browser/run.sh, the web chat in chromium).
#
# The suites spend nearly all their time waiting on the bot's timers
# (reconnect backoff, watchdogs, pacing), not on the CPU (a whole plain run
# is under a minute of CPU), and every test starts its own fake server and
# bot on ports the kernel picks, in its own temporary directory.  So the
# tests run as many processes at once: each test class is cut into shards
# of at most INTEGRATION_SHARD tests (default 6, dealt out in turn so that
# a class's slow tests spread over its shards), except in a file with
# module fixtures (setUpModule: bots that run beside its tests by design),
# which runs whole in one process.  At most INTEGRATION_JOBS (default 8)
# shards run at once: whole files and classes with class fixtures (which
# start background bots or probes) first, then the largest.  The output of
# each shard is printed whole when it ends, and the run fails if any shard
# failed.  Each SUITE is one more job, started first.
set -uo pipefail

bin=${1:?usage: test-integration.sh BINARY [SUITE...]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
shard_size=${INTEGRATION_SHARD:-6}
jobs=${INTEGRATION_JOBS:-8}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
export PYTHONPATH=$root/tests/integration${PYTHONPATH:+:$PYTHONPATH}

# One line per shard, in the order they start: "NAME TEST_ID...".  Listing imports
# each module (as unittest's discovery does) but runs no test.
if ! VALUESBOT_BIN=$bin python3 - "$shard_size" tests/integration/test_*.py >"$logs/shards" <<'PY'
import importlib, os, sys, unittest

size = int(sys.argv[1])
shards = []  # (starts early, label, test ids)


def tests(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from tests(t)
        else:
            yield t


for path in sys.argv[2:]:
    name = os.path.splitext(os.path.basename(path))[0]
    mod = importlib.import_module(name)
    by_class = {}
    for t in tests(unittest.defaultTestLoader.loadTestsFromModule(mod)):
        by_class.setdefault(type(t), []).append(t.id())
    if hasattr(mod, "setUpModule"):
        ids = [i for part in by_class.values() for i in part]
        shards.append((True, name, ids))
        continue
    for cls, ids in by_class.items():
        n = -(-len(ids) // size)
        early = "setUpClass" in vars(cls)
        for k in range(n):
            label = "%s.%s" % (name, cls.__name__) + (".%d" % (k + 1) if n > 1 else "")
            shards.append((early, label, ids[k::n]))
shards.sort(key=lambda s: (not s[0], -len(s[2])))
for _, label, ids in shards:
    print("tests/integration/" + label, *ids)
PY
then
    cat "$logs/shards" >&2
    echo "test-integration: cannot list the tests" >&2
    exit 1
fi

# The SUITEs first: "NAME !PATH".
{
    for suite in "$@"; do
        echo "$suite !$suite"
    done
    cat "$logs/shards"
} >"$logs/jobs"

status=0
running=0
declare -A label_of
finish() {
    local pid rc=0
    wait -n -p pid || rc=$?
    running=$((running - 1))
    local label=${label_of[$pid]}
    local log=$logs/${label//\//_}.log
    if [[ $rc -eq 0 ]]; then
        echo "== $label ($bin): ok"
        if [[ ${VERBOSE:-0} == 1 ]]; then cat "$log"; else tail -n 3 "$log"; fi
    else
        echo "== $label ($bin): FAILED"
        cat "$log"
        status=1
    fi
}
while read -r label ids; do
    [[ $running -lt $jobs ]] || finish
    if [[ $ids == !* ]]; then
        "${ids#!}" "$bin" >"$logs/${label//\//_}.log" 2>&1 &
    else
        # shellcheck disable=SC2086 # ids: one word per test
        VALUESBOT_BIN=$bin python3 -m unittest -v $ids >"$logs/${label//\//_}.log" 2>&1 &
    fi
    label_of[$!]=$label
    running=$((running + 1))
done <"$logs/jobs"
while [[ $running -gt 0 ]]; do finish; done
exit $status
