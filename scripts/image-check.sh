#!/usr/bin/env bash
# image-check.sh - `make image-check`: prove the Dockerfile without a Docker
# engine.
#
#   1. Installs buildah and debootstrap from Debian's archive if missing
#      (only this check needs them, so they are not in install-deps.sh).
#   2. Makes a Debian bookworm base image with debootstrap (minbase, as the
#      official images are), from the mirror this machine's apt already uses
#      (read from /etc/apt/sources.list{,.d} at run time, or IMAGE_CHECK_MIRROR),
#      and tags it debian:bookworm, and, slimmed as the official -slim variant
#      is (no docs, manuals or translations), debian:bookworm-slim.  Both root
#      file systems are cached as build/image-check/base-bookworm*.tar.
#   3. Builds the Dockerfile with buildah: chroot isolation; storage under
#      build/image-check with the overlay driver where this kernel mounts
#      overlayfs, else vfs (IMAGE_CHECK_DRIVER=vfs|overlay overrides);
#      --pull=never (only the local base is used), --layers (reruns reuse
#      unchanged steps), Docker format (so HEALTHCHECK is kept).  The build
#      stage runs `make test`.
#   4. Checks the image: its configuration (non-root user, entrypoint, cmd,
#      healthcheck, no secret in its environment), that the binary runs
#      (`--version`, `version`), that `ask` answers with the values in the
#      installed KB, for the default org and for VALUESBOT_ORG from the
#      environment, that `config check` loads every installed KB, and that the
#      HEALTHCHECK command passes against a /healthz that answers 200 and
#      fails against one that answers 503 and against a closed port.  Also
#      checks config/valuesbot.service with `systemd-analyze verify` and its
#      offline `systemd-analyze security` rating, where systemd-analyze exists.
#   5. Prints the time each phase took and the image's size.
#
# `scripts/image-check.sh --prepare` does 1 and 2 and builds only the
# Dockerfile's stages that need no source (the toolchain and the runtime
# base): the package downloads, which CI runs while it tests; a later full
# run finds them in its cache.
#
# Needs root (debootstrap, chroot).  `make clean` removes the cache; the
# image store holds root-owned files, so use it as root too.
set -euo pipefail

prepare=false
case ${1:-} in
"") ;;
--prepare) prepare=true ;;
*) echo "usage: scripts/image-check.sh [--prepare]" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

suite=bookworm
work=$root/build/image-check
base_tar=$work/base-$suite.tar
slim_tar=$work/base-$suite-slim.tar
image=localhost/valuesbot:check
t_start=$SECONDS

say() { printf 'image-check: %s\n' "$*"; }
fail() {
    printf 'image-check: FAIL: %s\n' "$*" >&2
    exit 1
}
phase_start=$SECONDS
phase() {
    say "$1 ($((SECONDS - phase_start)) s)"
    phase_start=$SECONDS
}

[[ $(id -u) -eq 0 ]] || fail "needs root (debootstrap and buildah's chroot isolation)"

# --- 1. tools ---------------------------------------------------------------
tools=(buildah debootstrap)
missing=()
for p in "${tools[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
phase "tools ready: $(buildah --version)"

# --- 2. base image ----------------------------------------------------------
# The URI of the first enabled "deb" source that carries SUITE, from the
# one-line and the deb822 formats.
apt_uri() {
    local want=$1 f files=()
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] && files+=("$f")
    done
    [[ ${#files[@]} -gt 0 ]] || return 0
    awk -v want="$want" '
        function flush() {
            if (types ~ /(^| )deb( |$)/ && enabled !~ /^(no|false)$/ && (" " suites " ") ~ (" " want " ") && uris != "") {
                split(uris, u, " ")
                print u[1]
                found = 1
                exit
            }
            types = ""; uris = ""; suites = ""; enabled = ""
        }
        FNR == 1 { flush(); deb822 = (FILENAME ~ /\.sources$/) }
        deb822 && /^[ \t]*$/ { flush(); next }
        deb822 && /^[A-Za-z-]+:/ {
            key = tolower($1); sub(/:$/, "", key)
            val = $0; sub(/^[^:]*:[ \t]*/, "", val)
            if (key == "types") types = val
            else if (key == "uris") uris = val
            else if (key == "suites") suites = val
            else if (key == "enabled") enabled = tolower(val)
            next
        }
        !deb822 && $1 == "deb" {
            i = 2
            if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ }
            if ($(i + 1) == want) { print $i; found = 1; exit }
        }
        END { if (!found) flush() }
    ' "${files[@]}"
}

mirror=${IMAGE_CHECK_MIRROR:-$(apt_uri "$suite")}
[[ -n $mirror ]] || fail "no '$suite' source in /etc/apt/sources.list{,.d}; set IMAGE_CHECK_MIRROR"
security=${IMAGE_CHECK_SECURITY_MIRROR:-$(apt_uri "$suite-security")}

# The "-slim" variant as the official images make it: dpkg told to leave out
# documentation, manual pages and translations, and those already installed
# removed.
slimify() {
    local r=$1
    cat >"$r/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/man/*
EOF
    find "$r/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
    find "$r/usr/share/doc" -mindepth 1 -depth -type d -empty -delete
    rm -rf "$r"/usr/share/{groff,info,linda,lintian,man}/*
    find "$r/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
}

mkdir -p "$work"
if [[ ! -s $base_tar || ! -s $slim_tar ]]; then
    rootfs=$work/rootfs
    rm -rf "$rootfs"
    say "debootstrap --variant=minbase $suite (mirror from this machine's apt sources)"
    debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
        { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap (log: $work/debootstrap.log)"; }
    # Sources as the official images write them: the release, its updates
    # and, where this machine has one, the security archive.
    rm -f "$rootfs/etc/apt/sources.list"
    {
        printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\n' \
            "$mirror" "$suite" "$suite"
        printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
        if [[ -n $security ]]; then
            printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\n' \
                "$security" "$suite"
            printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
        fi
    } >"$rootfs/etc/apt/sources.list.d/debian.sources"
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
        "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*.log
    tar -C "$rootfs" --numeric-owner -cf "$base_tar.tmp" .
    slimify "$rootfs"
    tar -C "$rootfs" --numeric-owner -cf "$slim_tar.tmp" .
    mv "$base_tar.tmp" "$base_tar"
    mv "$slim_tar.tmp" "$slim_tar"
    rm -rf "$rootfs"
    phase "base root file systems made: $(du -h "$base_tar" | cut -f1), slim $(du -h "$slim_tar" | cut -f1)"
else
    phase "base root file systems cached in $work"
fi

# overlay where the kernel lets us mount it (much faster: a layer is a diff,
# not a copy), else vfs, which works anywhere.  IMAGE_CHECK_DRIVER overrides.
driver=${IMAGE_CHECK_DRIVER:-}
if [[ -z $driver ]]; then
    driver=vfs
    probe=$work/overlay-probe
    rm -rf "$probe"
    mkdir -p "$probe"/{lower,upper,work,merged}
    if mount -t overlay overlay -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" \
        "$probe/merged" 2>/dev/null; then
        umount "$probe/merged"
        driver=overlay
    fi
    rm -rf "$probe"
fi
bah=(buildah --root "$work/storage-$driver" --runroot "$work/run-$driver" --storage-driver "$driver")
export BUILDAH_ISOLATION=chroot

ctrs=()
pids=()
cleanup() {
    local c p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for c in "${ctrs[@]}"; do "${bah[@]}" rm "$c" >/dev/null 2>&1 || true; done
    rm -rf "$work/tmp"
}
trap cleanup EXIT
# Working containers an interrupted run left in this private store.
"${bah[@]}" rm --all >/dev/null 2>&1 || true

# Import a base when the store lacks it or its tarball is newer.
import_base() {
    local tar=$1 ref=$2 c
    if "${bah[@]}" inspect --type image "$ref" >/dev/null 2>&1 && [[ ! $tar -nt $tar.imported ]]; then
        return 0
    fi
    c=$("${bah[@]}" from scratch)
    ctrs+=("$c")
    "${bah[@]}" add "$c" "$tar" / >/dev/null
    "${bah[@]}" config --os linux --arch "$(dpkg --print-architecture)" \
        --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        --cmd bash "$c"
    "${bah[@]}" commit -q --format docker "$c" "$ref" >/dev/null
    touch "$tar.imported"
    phase "base image imported as $ref"
}
base_ref=docker.io/library/debian:$suite
slim_ref=docker.io/library/debian:$suite-slim
import_base "$base_tar" "$base_ref"
import_base "$slim_tar" "$slim_ref"

# --- 3. build ---------------------------------------------------------------
# IMAGE_CHECK_TEST: the make target the build stage runs (Dockerfile ARG TEST).
test_target=${IMAGE_CHECK_TEST:-test}
# Each log line is prefixed with the seconds since the build began.
stamp() {
    local t0=$SECONDS line
    while IFS= read -r line; do printf '%4d %s\n' $((SECONDS - t0)) "$line"; done
}
# The build stage is tagged too, so that pruning the images the previous
# run left untagged keeps the layers this run can reuse (the toolchain).
bud=("${bah[@]}" bud --isolation chroot --pull=never --layers --force-rm --format docker
    --build-arg "TEST=$test_target" -f Dockerfile)
if $prepare; then
    say "buildah bud of the toolchain and runtime stages (log: $work/prepare.log)"
    if ! { "${bud[@]}" --target toolchain -t "$image-toolchain" . &&
        "${bud[@]}" --target runtime -t "$image-runtime" .; } 2>&1 | stamp >"$work/prepare.log"; then
        tail -40 "$work/prepare.log" >&2
        fail "buildah bud --target toolchain|runtime (log: $work/prepare.log)"
    fi
    phase "toolchain and runtime stages built with $driver storage"
    say "prepared in $((SECONDS - t_start)) s"
    exit 0
fi
say "buildah bud (build stage runs make $test_target; log: $work/build.log)"
if ! { "${bud[@]}" --target build -t "$image-build" . &&
    "${bud[@]}" -t "$image" .; } 2>&1 | stamp >"$work/build.log"; then
    tail -40 "$work/build.log" >&2
    fail "buildah bud (log: $work/build.log)"
fi
"${bah[@]}" rmi --prune >/dev/null || say "could not prune old images (store: $work/storage-$driver)"
phase "image built with $driver storage"

# --- 4. checks --------------------------------------------------------------
mkdir -p "$work/tmp"
cfg=$work/tmp/config.json
"${bah[@]}" inspect --type image "$image" >"$cfg"
python3 - "$cfg" <<'PY' || fail "image configuration"
import json, sys
c = json.load(open(sys.argv[1]))["Docker"]["config"]
bad = []
def want(ok, what):
    if not ok:
        bad.append(what)
user = c.get("User") or ""
want(user not in ("", "0", "root") and not user.startswith(("0:", "root:")),
     "runs as a non-root user (User=%r)" % user)
want(c.get("Entrypoint") == ["/usr/local/bin/valuesbot"], "ENTRYPOINT valuesbot (%r)" % c.get("Entrypoint"))
want(c.get("Cmd") == ["run"], "CMD run (%r)" % c.get("Cmd"))
hc = (c.get("Healthcheck") or {}).get("Test") or []
want(hc[:1] in (["CMD"], ["CMD-SHELL"]) and len(hc) > 1, "a HEALTHCHECK (%r)" % hc)
env = dict(e.split("=", 1) for e in c.get("Env") or [])
for k in env:
    want(not any(s in k for s in ("TOKEN", "SECRET", "PASSWORD")), "no secret in ENV (%s)" % k)
if bad:
    print("image config: not as expected:", *bad, sep="\n  ", file=sys.stderr)
    sys.exit(1)
PY
user=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["Docker"]["config"]["User"])' "$cfg")
mapfile -d '' -t hc < <(python3 -c '
import json, sys
for a in json.load(open(sys.argv[1]))["Docker"]["config"]["Healthcheck"]["Test"]:
    sys.stdout.write(a + "\0")' "$cfg")
[[ ${hc[0]} == CMD ]] || fail "HEALTHCHECK should be the exec form CMD [\"...\"], not ${hc[0]}"
hc_cmd=("${hc[@]:1}")
say "config: user $user, healthcheck ${hc_cmd[*]}"

c=$("${bah[@]}" from --pull=never "$image")
ctrs+=("$c")
brun() { "${bah[@]}" run --isolation chroot "$@"; }
# buildah 1.28's chroot runner has been seen, once in some hundreds of runs,
# to exit 0 having relayed none of a short-lived command's output.  A
# command that succeeds with no output is run again (at most twice more),
# and said so; one that fails, or stays silent, fails the check.
brun_out() {
    local out try
    for try in 1 2 3; do
        out=$(brun "$@") || { printf '%s' "$out"; return 1; }
        [[ -z $out ]] || break
        [[ $try == 3 ]] || say "buildah run gave no output; running it again: ${*: -3}" >&2
    done
    printf '%s' "$out"
}

uid=$(brun_out "$c" -- id -u)
[[ $uid != 0 ]] || fail "buildah run executes as root: the image's USER is not honoured"
for arg in --version version; do
    out=$(brun_out "$c" -- valuesbot "$arg") || fail "valuesbot $arg exits non-zero"
    [[ $out =~ ^valuesbot\ [0-9]+\.[0-9]+ ]] || fail "valuesbot $arg printed '$out'"
done
say "valuesbot --version: $out (uid $uid)"

# Every installed KB is loaded, and `ask` answers with each value's name as
# that org's KB spells it (read from the KB installed in the image).
mnt=$("${bah[@]}" mount "$c")
kbdir=$mnt/usr/local/share/valuesbot/knowledge
orgs=()
for f in "$kbdir"/*.json; do orgs+=("$(basename "$f" .json)"); done
[[ ${#orgs[@]} -gt 0 ]] || fail "no KB installed in /usr/local/share/valuesbot/knowledge"
out=$(brun_out "$c" -- valuesbot config check) || fail "config check in the image: $out"
[[ $out == *"${#orgs[@]} KBs from /usr/local/share/valuesbot/knowledge"* ]] ||
    fail "config check does not load the ${#orgs[@]} installed KBs: $out"
default_org=$(sed -n 's/^  default org \([^;]*\);.*/\1/p' <<<"$out")
[[ -n $default_org ]] || fail "config check names no default org: $out"
for org in "" "${orgs[@]}"; do
    kb=$kbdir/${org:-$default_org}.json
    envs=()
    [[ -z $org ]] || envs=(--env "VALUESBOT_ORG=$org")
    answer=$(brun_out "${envs[@]}" "$c" -- valuesbot ask "what are our values?") ||
        fail "ask (org ${org:-default}) exits non-zero: $answer"
    mapfile -t values < <(python3 -c '
import json, sys
for v in json.load(open(sys.argv[1])).get("values", []):
    print(v["name"])' "$kb")
    [[ ${#values[@]} -gt 0 ]] || fail "$kb lists no values"
    for v in "${values[@]}"; do
        [[ $answer == *"$v"* ]] || fail "ask (org ${org:-default}) does not name value '$v':
$answer"
    done
    say "ask 'what are our values?' (org ${org:-$default_org by default}): ${values[*]}"
done
# The systemd unit, pointed at the image's binary: `systemd-analyze verify`,
# and its offline security rating must stay at 2.0 or below ("OK").
if command -v systemd-analyze >/dev/null; then
    sed "s#^ExecStart=/usr/local/bin/valuesbot#ExecStart=$mnt/usr/local/bin/valuesbot#" \
        config/valuesbot.service >"$work/tmp/valuesbot.service"
    systemd-analyze verify "$work/tmp/valuesbot.service" || fail "systemd-analyze verify config/valuesbot.service"
    rating=$(systemd-analyze security --offline=yes --threshold=20 "$work/tmp/valuesbot.service" 2>&1) ||
        fail "config/valuesbot.service: exposure above 2.0: $(tail -1 <<<"$rating")"
    say "config/valuesbot.service: verified; $(tail -1 <<<"$rating" | sed 's/^→ //')"
else
    say "systemd-analyze not found: config/valuesbot.service not checked"
fi
"${bah[@]}" umount "$c" >/dev/null

# The HEALTHCHECK command, run in the image against a loopback /healthz
# (chroot isolation shares this machine's network): 200 passes, 503 and a
# closed port fail.
fake_health() {
    local code=$1 portfile=$2
    python3 - "$code" "$portfile" <<'PY' &
import http.server, sys
code = int(sys.argv[1])
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.path == "/healthz"
        self.send_response(code if ok else 404)
        body = b'{"status":"fake"}\n'
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
class S(http.server.HTTPServer):
    def handle_error(self, request, client_address):
        pass  # the health check closes once it has the status line
s = S(("127.0.0.1", 0), H)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(s.server_address[1]))
import os
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
s.serve_forever()
PY
    pids+=($!)
    for _ in $(seq 100); do
        [[ -s $portfile ]] && return 0
        sleep 0.05
    done
    fail "fake /healthz server did not start"
}
fake_health 200 "$work/tmp/port200"
fake_health 503 "$work/tmp/port503"
p200=$(<"$work/tmp/port200")
p503=$(<"$work/tmp/port503")
# A port that was free a moment ago: bind, read it, close.
pfree=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
brun --env "VALUESBOT_HTTP=127.0.0.1:$p200" "$c" -- "${hc_cmd[@]}" >/dev/null ||
    fail "healthcheck fails against a /healthz that answers 200"
if brun --env "VALUESBOT_HTTP=127.0.0.1:$p503" "$c" -- "${hc_cmd[@]}" >/dev/null 2>&1; then
    fail "healthcheck passes against a /healthz that answers 503"
fi
if brun --env "VALUESBOT_HTTP=127.0.0.1:$pfree" "$c" -- "${hc_cmd[@]}" >/dev/null 2>&1; then
    fail "healthcheck passes with nothing listening"
fi
say "healthcheck: 200 passes, 503 and a closed port fail"

# The image's own `valuesbot run`, against the fake Slack server on this
# machine's loopback: its HEALTHCHECK passes once connected, /metrics says
# so, and SIGTERM (sent to the bot's PID, found by its listening port)
# ends it with status 0.
python3 "$root/tests/fakes/fake_slack.py" --port 0 >"$work/tmp/fake_slack.json" 2>"$work/tmp/fake_slack.err" &
pids+=($!)
for _ in $(seq 100); do
    [[ -s $work/tmp/fake_slack.json ]] && break
    sleep 0.05
done
fake_env=$(python3 - "$work/tmp/fake_slack.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
print("SLACK_API_URL=%s SLACK_APP_TOKEN=%s SLACK_BOT_TOKEN=%s" % (f["api_url"], f["app_token"], f["bot_token"]))
PY
) || fail "fake Slack server did not start: $(cat "$work/tmp/fake_slack.err")"
pbot=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
envs=(--env "VALUESBOT_HTTP=127.0.0.1:$pbot" --env "VALUESBOT_DB=/tmp/valuesbot.db")
for kv in $fake_env; do envs+=(--env "$kv"); done
brun "${envs[@]}" "$c" -- valuesbot run >"$work/tmp/run.log" 2>&1 &
run_pid=$!
pids+=($run_pid)
healthy=false
for _ in $(seq 60); do
    if brun --env "VALUESBOT_HTTP=127.0.0.1:$pbot" "$c" -- "${hc_cmd[@]}" >/dev/null 2>&1; then
        healthy=true
        break
    fi
    sleep 0.5
done
$healthy || { tail -20 "$work/tmp/run.log" >&2; fail "the image's valuesbot run never became healthy"; }
python3 - "$pbot" <<'PY' || fail "/metrics of the image's valuesbot run"
import sys, urllib.request
text = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=10).read().decode()
assert 'valuesbot_connected{platform="slack"} 1' in text, text[:2000]
PY
bot_pid=$(python3 - "$pbot" <<'PY'
import os, sys
port = int(sys.argv[1])
inodes = set()
for table in ("/proc/net/tcp", "/proc/net/tcp6"):
    try:
        lines = open(table).read().splitlines()[1:]
    except OSError:
        continue
    for line in lines:
        f = line.split()
        if f[3] == "0A" and int(f[1].rsplit(":", 1)[1], 16) == port:
            inodes.add("socket:[%s]" % f[9])
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        fds = os.listdir("/proc/%s/fd" % pid)
    except OSError:
        continue
    for fd in fds:
        try:
            if os.readlink("/proc/%s/fd/%s" % (pid, fd)) in inodes:
                print(pid)
                sys.exit(0)
        except OSError:
            pass
PY
)
[[ -n $bot_pid ]] || fail "cannot find the PID listening on port $pbot"
kill -TERM "$bot_pid"
rc=0
wait "$run_pid" || rc=$?
[[ $rc -eq 0 ]] || { tail -20 "$work/tmp/run.log" >&2; fail "valuesbot run in the image exited $rc on SIGTERM"; }
grep -q 'run: stopped' "$work/tmp/run.log" || fail "valuesbot run in the image did not stop cleanly"
say "valuesbot run in the image: healthy once connected to a fake Slack, /metrics, exit 0 on SIGTERM"
phase "checks passed"

size=$("${bah[@]}" images --format '{{.Size}}' "$image" | head -1)
say "image $image: $size (on debian:$suite-slim made here: $("${bah[@]}" images --format '{{.Size}}' "$slim_ref" | head -1))"
say "ok in $((SECONDS - t_start)) s"
