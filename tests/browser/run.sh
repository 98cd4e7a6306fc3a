#!/usr/bin/env bash
# run.sh - the web chat in Debian's headless chromium (tests/browser/*.test.js,
# node's test runner, puppeteer-core, axe-core).  Usage: tests/browser/run.sh BINARY
# Screenshots go to build/browser/.  scripts/install-deps.sh installs chromium
# and the npm packages of package-lock.json into build/browser-deps (`npm ci`);
# no tool downloads a browser.
set -euo pipefail

bin=${1:?usage: run.sh BINARY}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[[ $bin = /* ]] || bin=$root/$bin
cd "$here"
export NODE_PATH=$root/build/browser-deps/node_modules
[[ -d $NODE_PATH/puppeteer-core && -d $NODE_PATH/axe-core ]] ||
    { echo "run.sh: no $NODE_PATH: run scripts/install-deps.sh" >&2; exit 2; }
[[ -x ${CHROMIUM:-/usr/bin/chromium} ]] ||
    { echo "run.sh: no chromium: run scripts/install-deps.sh" >&2; exit 2; }

export VALUESBOT_BIN=$bin PUPPETEER_SKIP_DOWNLOAD=1
status=0
for f in *.test.js; do
    echo "== tests/browser/$f ($bin)"
    node --test "$f" || status=1
done
exit $status
