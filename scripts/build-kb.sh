#!/usr/bin/env bash
# build-kb.sh - rebuild knowledge/<org>.json from knowledge/sources/ and the
# overlays.  Usage: scripts/build-kb.sh BINARY [OUTDIR]  (OUTDIR: knowledge)
set -euo pipefail
bin=${1:?usage: build-kb.sh BINARY [OUTDIR]}
out=${2:-knowledge}
shopt -s nullglob
for meta in knowledge/sources/*.meta.json; do
    org=$(basename "$meta" .meta.json)
    srcs=(knowledge/sources/"$org"-*.txt knowledge/sources/"$org"-*.md)
    [[ ${#srcs[@]} -eq 1 ]] || { echo "build-kb: want one source for $org, found ${#srcs[@]}" >&2; exit 2; }
    overlay=()
    [[ -f knowledge/$org.overlay.json ]] && overlay=(--overlay "knowledge/$org.overlay.json")
    "$bin" kb build "${srcs[0]}" --meta "$meta" "${overlay[@]}" -o "$out/$org.json"
    echo "build-kb: $out/$org.json"
done
