#!/usr/bin/env bash
# sdk-check.sh - `make sdk-check`: each platform's official SDK or client
# run against its fake server (tests/fakes/*-check/check.py): Bot Framework's
# botbuilder against fake_teams.py, Slack's Bolt against fake_slack.py,
# Mattermost's Client4 and WebSocketClient against fake_mattermost.py.  A
# check fails when the SDK and the fake disagree.  The checks run one after
# the other (each starts node and a fake; together well under a minute)
# and need only loopback once scripts/install-deps.sh has put their pinned
# npm packages in build/sdk-deps.  Each check's output is printed when it
# fails, its summary line always.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
status=0
for check in tests/fakes/*-check/check.py; do
    name=$(basename "$(dirname "$check")")
    start=$(date +%s.%N)
    out=$(python3 "$check" 2>&1)
    rc=$?
    secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    oks=$(grep -c '^ok ' <<<"$out")
    fails=$(grep -c '^FAIL' <<<"$out")
    if [[ $rc -eq 0 ]]; then
        echo "sdk-check: $name: $oks points agree (${secs} s)"
    else
        printf '%s\n' "$out"
        echo "sdk-check: $name: FAILED, $fails of $((oks + fails)) points disagree" \
            "(exit $rc, ${secs} s)" >&2
        status=1
    fi
done
exit $status
