#!/bin/sh
# bench-slack.sh - Slack adapter benchmark: the real bot against the fake
# Slack server on loopback (replies/s, ack and reply latency p50/p99, peak
# RSS, idle CPU).  Usage: scripts/bench-slack.sh [BINARY] [bench_slack.py options]
set -eu
bin=${1:-build/valuesbot}
[ $# -gt 0 ] && shift
exec python3 "$(dirname "$0")/../tests/bench/bench_slack.py" --bin "$bin" "$@"
