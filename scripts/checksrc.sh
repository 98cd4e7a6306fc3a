#!/usr/bin/env bash
# checksrc.sh - the house rules clang-format cannot check (see style.md).
#
# Usage: scripts/checksrc.sh [FILE...]   (default: every *.c and *.h under
# bot/ and tests/).  Prints "file:line: message" for each finding and exits
# 1 if there is any.
#
#   - banned functions: sprintf strcpy strcat strncpy strtok atoi atol gets
#     system; raw malloc calloc realloc strdup outside bot/base/xmalloc.c
#   - include rules (design.md): bot/base includes libc only; bot/chat (the
#     chat event and reply types, below core and adapters) adds bot/chat;
#     bot/kb adds bot/kb and jansson, utf8proc, libstemmer, libxml2; bot/core
#     adds bot/kb, bot/chat, bot/core, bot/adapters/adapter.h, jansson and
#     sqlite3; bot/net has
#     base, net, libwebsockets, curl, uv and OpenSSL (their TLS; jwt.c
#     also jansson, for the JSON inside a token and a key set);
#     bot/adapters has base, chat, net, adapters and jansson.  bot/main.c
#     and tests/ may include anything.  Project headers are included as
#     "bot/<dir>/<file>.h" (or "bot/<dir>/<subdir>/<file>.h").
#   - no // comments, no trailing white space.
#
# Comments, string and character literals are blanked before the function
# checks, so "sprintf" in a comment or a message is not a finding.  A
# <header> counts as a library header when it is one of the libraries
# named in LIBS below; any other <header> is taken to be libc or POSIX.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [[ $# -gt 0 ]]; then
    files=("$@")
else
    mapfile -t files < <(find bot tests -type f \( -name '*.c' -o -name '*.h' \) | sort)
fi
[[ ${#files[@]} -gt 0 ]] || exit 0

awk '
BEGIN {
    LIBS = "^(jansson\\.h|sqlite3\\.h|utf8proc\\.h|libstemmer\\.h|libwebsockets\\.h|" \
           "lws_[a-z_]*\\.h|uv\\.h|uv/.*|curl/.*|criterion/.*|openssl/.*|glib.*|libxml/.*)$"
    BANNED = "(^|[^A-Za-z0-9_])(sprintf|strcpy|strcat|strncpy|strtok|atoi|atol|gets|system)[ \t]*\\("
    RAWMEM = "(^|[^A-Za-z0-9_])(malloc|calloc|realloc|strdup)[ \t]*\\("
    found = 0
}

function report(msg) {
    printf "%s:%d: %s\n", FILENAME, FNR, msg
    found = 1
}

# Which include-rule area a file belongs to.
function area(f) {
    if (f ~ /^bot\/base\//) return "base"
    if (f ~ /^bot\/kb\//) return "kb"
    if (f ~ /^bot\/chat\//) return "chat"
    if (f ~ /^bot\/cmd\//) return "free"     # the subcommands (design.md: cmd/)
    if (f ~ /^bot\/core\//) return "core"
    if (f ~ /^bot\/net\//) return "net"
    if (f ~ /^bot\/adapters\//) return "adapters"
    if (f ~ /^bot\//) return "free"     # bot/main.c
    return "free"                       # tests/, anything else
}

function lib_ok(a, h, f) {
    if (a == "free") return 1
    if (a == "base")
        return f == "bot/base/xmalloc.c" && h == "jansson.h"   # json_set_alloc_funcs hook
    if (a == "chat") return 0
    if (a == "kb") return h ~ /^(jansson|utf8proc|libstemmer)\.h$/ || h ~ /^libxml\//
    if (a == "core") return h ~ /^(jansson|sqlite3)\.h$/
    if (a == "net") return h ~ /^(libwebsockets\.h|lws_[a-z_]*\.h|uv\.h|uv\/.*|curl\/.*|openssl\/.*)$/ ||
        (f == "bot/net/jwt.c" && h == "jansson.h")   # JWT header, claims and JWKS are JSON
    if (a == "adapters") return h == "jansson.h"
    return 0
}

function project_ok(a, h) {
    if (a == "free" && h ~ /^tests\/([a-z_]+\/)*[a-z0-9_]+\.h$/) return 1
    if (h !~ /^bot\/([a-z_]+\/)+[a-z0-9_]+\.h$/) return 0
    if (a == "free") return 1
    if (a == "base") return h ~ /^bot\/base\//
    if (a == "chat") return h ~ /^bot\/(base|chat)\//
    if (a == "kb") return h ~ /^bot\/(base|kb)\//
    if (a == "core") return h ~ /^bot\/(base|kb|chat|core)\// || h == "bot/adapters/adapter.h"
    if (a == "net") return h ~ /^bot\/(base|net)\//
    if (a == "adapters")
        return h ~ /^bot\/(base|chat|net|adapters)\//
    return 0
}

FNR == 1 { state = "code" }

{
    raw = $0
    out = ""
    n = length(raw)
    i = 1
    while (i <= n) {
        c = substr(raw, i, 1)
        c2 = substr(raw, i, 2)
        if (state == "comment") {
            if (c2 == "*/") { state = "code"; out = out "  "; i += 2 }
            else { out = out " "; i++ }
            continue
        }
        if (state == "str" || state == "chr") {
            if (c == "\\") { i += 2; continue }
            if ((state == "str" && c == "\"") || (state == "chr" && c == "\x27")) {
                out = out c
                state = "code"
            }
            i++
            continue
        }
        if (c2 == "/*") { state = "comment"; out = out "  "; i += 2; continue }
        if (c2 == "//") { report("// comment; use /* */"); break }
        if (c == "\"") { state = "str"; out = out c; i++; continue }
        if (c == "\x27") { state = "chr"; out = out c; i++; continue }
        out = out c
        i++
    }
    # A literal does not run past the end of a line unless it is continued.
    if ((state == "str" || state == "chr") && raw !~ /\\$/)
        state = "code"

    if (raw ~ /[ \t\r]+$/)
        report("trailing white space")

    rest = out
    while (match(rest, BANNED)) {
        fn = substr(rest, RSTART, RLENGTH)
        rest = substr(rest, RSTART + RLENGTH)
        sub(/^[^A-Za-z_]/, "", fn)
        sub(/[ \t]*\($/, "", fn)
        report("banned function " fn "()")
    }
    rest = FILENAME == "bot/base/xmalloc.c" ? "" : out
    while (match(rest, RAWMEM)) {
        fn = substr(rest, RSTART, RLENGTH)
        rest = substr(rest, RSTART + RLENGTH)
        sub(/^[^A-Za-z_]/, "", fn)
        sub(/[ \t]*\($/, "", fn)
        report("raw " fn "(); use x" fn "() from bot/base/xmalloc.h")
    }

    if (out ~ /^[ \t]*#[ \t]*include[ \t]*[<"]/ &&
        match(raw, /#[ \t]*include[ \t]*[<"][^>"]+[>"]/)) {
        inc = substr(raw, RSTART, RLENGTH)
        sub(/^#[ \t]*include[ \t]*/, "", inc)
        open = substr(inc, 1, 1)
        h = substr(inc, 2, length(inc) - 2)
        a = area(FILENAME)
        if (open == "<") {
            if (h ~ LIBS && !lib_ok(a, h, FILENAME))
                report("bot/" a " may not include <" h ">")
        } else if (!project_ok(a, h)) {
            if (h !~ /^bot\//)
                report("include project headers by path from the root: \"bot/...\", not \"" h "\"")
            else
                report("bot/" a " may not include \"" h "\"")
        }
    }
}

END { exit found }
' "${files[@]}"
