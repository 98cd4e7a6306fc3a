#!/usr/bin/env bash
# lint.sh - `make lint`: clang-format check, scripts/checksrc.sh, cppcheck.
#
# Runs all three and fails if any of them finds something, so one run shows
# every finding.  clang-format problems are listed one file per line (set
# LINT_VERBOSE=1 for its full report); `make format` fixes them.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
status=0

mapfile -t sources < <(find bot tests -type f \( -name '*.c' -o -name '*.h' \) | sort)

echo "lint: clang-format --dry-run -Werror (${#sources[@]} files)"
# One clang-format process per core, each given its share of the files (one per
# file spent most of its time starting up); a file with findings is named
# in its report, one "FILE:LINE:COL: error: code should be
# clang-formatted" line per finding.
jobs=$(nproc 2>/dev/null || echo 1)
per=$(((${#sources[@]} + jobs - 1) / jobs))
report=$(printf '%s\0' "${sources[@]}" |
    xargs -0 -P "$jobs" -n "$per" clang-format --dry-run -Werror 2>&1)
cf_status=$?
mapfile -t unformatted < <(sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' \
    <<<"$report" | sort -u)
for f in "${unformatted[@]}"; do
    echo "$f: not clang-formatted (run make format)"
done
if [[ ${#unformatted[@]} -gt 0 || $cf_status -ne 0 ]]; then
    # Its full report when asked for, or when it failed without naming a file.
    [[ ${LINT_VERBOSE:-0} == 1 || ${#unformatted[@]} -eq 0 ]] && printf '%s\n' "$report"
    status=1
fi

echo "lint: scripts/checksrc.sh"
scripts/checksrc.sh "${sources[@]}" || status=1

# No suppressions are needed today; add them inline, with the reason, as
#   /* cppcheck-suppress <id> - why it is a false positive */
echo "lint: cppcheck"
cppcheck --error-exitcode=1 --enable=warning,portability --inline-suppr -q -j "$jobs" \
    -I. bot/ || status=1

if [[ $status -eq 0 ]]; then
    echo "lint: clean"
else
    echo "lint: findings above" >&2
fi
exit $status
