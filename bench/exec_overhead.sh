#!/usr/bin/env bash
# What `lq exec` adds to a command: `lq exec -q -- true` against `true`, side by side
# (hyperfine, many runs, medians). Goal: < 10 ms.
set -euo pipefail
build=${BUILD:-build}
lq=$(cd "$(dirname "$build/lq")" && pwd)/lq
tmp=$(mktemp -d)
trap 'sleep 2; rm -rf "$tmp"' EXIT  # detached finalizers may still be writing
export LQ_HOME=$tmp/home
cd "$tmp" && "$lq" init >/dev/null
hyperfine -N --warmup 10 --runs 200 --export-json "$tmp/h.json" "true" "$lq exec -q -- true" >/dev/null
python3 - "$tmp/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
base, lq = r[0]["median"] * 1000, r[1]["median"] * 1000
print(f"exec overhead: true {base:.2f} ms, lq exec -- true {lq:.2f} ms (median of {len(r[1]['times'])})")
print(f"  added by lq: {lq - base:.2f} ms   (goal < 10 ms)")
PY
runs=$(ls "$tmp/.lq/raw" | wc -l)
echo "  runs recorded: $runs"
