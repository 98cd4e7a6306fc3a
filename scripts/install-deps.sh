#!/usr/bin/env bash
# install-deps.sh - install every Debian package that valuesbot's build, tests
# and tools need.  Idempotent: quick and quiet when all are present.  Runs as
# root, or through sudo otherwise.
set -euo pipefail

packages=(
    build-essential pkg-config clang clang-format cppcheck
    libjansson-dev libcurl4-openssl-dev libwebsockets-dev libuv1-dev
    libutf8proc-dev libstemmer-dev libsqlite3-dev libcriterion-dev
    libclang-rt-14-dev python3 valgrind time tzdata
)

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo" >&2; exit 1; }
    sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >&2
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
