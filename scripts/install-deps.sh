#!/usr/bin/env bash
# install-deps.sh - install every Debian package that valuesbot's build, tests
# and tools need.  Idempotent: quick and quiet when all are present.  Runs as
# root, or through sudo otherwise.
set -euo pipefail

packages=(
    build-essential pkg-config clang clang-format cppcheck
    libjansson-dev libcurl4-openssl-dev libwebsockets-dev libuv1-dev libssl-dev
    libutf8proc-dev libstemmer-dev libsqlite3-dev libcriterion-dev libxml2-dev
    poppler-utils
    libclang-rt-14-dev python3 python3-cryptography valgrind time tzdata openssl
    ca-certificates
)
# The browser tests (tests/browser), where the tree has them (the image's
# build stage installs before it copies the tree): Debian's chromium, a
# font, and Node.js and npm unless the machine has them already.
root=$(cd "$(dirname "$0")/.." && pwd)
browser=false
[[ -f $root/tests/browser/package-lock.json ]] && browser=true
if $browser; then
    packages+=(chromium fonts-dejavu-core)
    command -v npm >/dev/null || packages+=(nodejs npm)
fi

# npm packages, each set pinned by its package-lock.json, go out of the
# trees that lint and format scan, again whenever the lock file changes:
# the browser tests' (tests/browser) into build/browser-deps, and the
# official chat SDKs that check the fake servers (tests/fakes/*-check:
# botbuilder, Slack Bolt, Mattermost's client) into build/sdk-deps/<check>.
# --ignore-scripts: no package may download anything (a browser) at install
# time; Debian's chromium is the browser.
npmsrc=() npmdst=()
if $browser; then
    npmsrc+=("$root/tests/browser") npmdst+=("$root/build/browser-deps")
fi
for lock in "$root"/tests/fakes/*-check/package-lock.json; do
    [[ -f $lock ]] || continue
    dir=$(dirname "$lock")
    npmsrc+=("$dir") npmdst+=("$root/build/sdk-deps/$(basename "$dir")")
done
if [[ ${#npmsrc[@]} -gt 0 ]] && ! $browser; then
    command -v npm >/dev/null || packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
# promtool (the tests' Prometheus text parser) comes out of Debian's
# prometheus package without installing it: the package would pull in a web
# UI and start a Prometheus server.
need_promtool=false
command -v promtool >/dev/null || need_promtool=true
need_npm=()
for i in "${!npmsrc[@]}"; do
    cmp -s "${npmsrc[$i]}/package-lock.json" "${npmdst[$i]}/node_modules/.valuesbot-lock" ||
        need_npm+=("$i")
done
[[ ${#missing[@]} -eq 0 ]] && ! $need_promtool && [[ ${#need_npm[@]} -eq 0 ]] && exit 0

sudo=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo" >&2; exit 1; }
    sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
updated=false
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "install-deps: installing ${missing[*]}" >&2
    "${sudo[@]}" apt-get update -qq >&2
    updated=true
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
if $need_promtool; then
    echo "install-deps: extracting promtool from Debian's prometheus package" >&2
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    if ! (cd "$tmp" && apt-get download prometheus >/dev/null 2>&1); then
        $updated || "${sudo[@]}" apt-get update -qq >&2
        (cd "$tmp" && apt-get download prometheus >&2)
    fi
    dpkg-deb --fsys-tarfile "$tmp"/prometheus_*.deb |
        tar -x -C "$tmp" ./usr/bin/promtool
    "${sudo[@]}" install -m 0755 "$tmp/usr/bin/promtool" /usr/local/bin/promtool
    promtool --version >/dev/null
fi
for i in "${need_npm[@]}"; do
    src=${npmsrc[$i]} dst=${npmdst[$i]}
    echo "install-deps: npm ci for ${src#"$root"/} into ${dst#"$root"/}" >&2
    mkdir -p "$dst"
    cp "$src"/{package.json,package-lock.json,.npmrc} "$dst/"
    (cd "$dst" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund \
        --loglevel=error >&2)
    cp "$src/package-lock.json" "$dst/node_modules/.valuesbot-lock"
done
