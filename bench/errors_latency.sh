#!/usr/bin/env bash
# `lq errors` with 1,000 stored runs, DuckDB start-up included. Goal: < 50 ms.
set -euo pipefail
build=${BUILD:-build}
lq=$(cd "$(dirname "$build/lq")" && pwd)/lq
runs=${RUNS:-1000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LQ_HOME=$tmp/home
cd "$tmp" && "$lq" init >/dev/null
printf 'main.c:3:5: error: boom\nmain.c:4:1: warning: unused [-Wunused]\n' > err.log
for i in $(seq "$runs"); do "$lq" import -q err.log --name "build" >/dev/null; done
"$lq" history -n 1 >/dev/null   # converts anything still spooled
hyperfine -N --warmup 3 --runs 20 --export-json "$tmp/h.json" "$lq errors" >/dev/null
python3 - "$tmp/h.json" "$runs" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"lq errors with {sys.argv[2]} runs: median {r['median']*1000:.1f} ms (goal < 50 ms)")
PY
