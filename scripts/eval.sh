#!/usr/bin/env bash
# eval.sh - run the evaluation set: scripts/eval.sh BINARY [--gate] [--show-misses]
set -euo pipefail
exec python3 "$(dirname "$0")/eval.py" "$@"
