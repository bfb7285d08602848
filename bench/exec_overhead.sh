#!/usr/bin/env bash
# What an lq process costs to start, side by side with its peers in ONE hyperfine run (so
# a busy machine slows all of them alike): `lq exec -q -- true`, `lq --help`,
# `git --version` and `true`. Prints medians (wall) and mean CPU (user+sys), and the
# ratios to `git --version`. Goals: `lq --help` within 1.5x of it, `lq exec -q -- true`
# within 3x. Each lq exec also starts a detached finalizer that loads DuckDB; back to back
# on a small machine those compete with the runs measured (they count in wall time, not in
# exec's CPU). Env: BUILD (default build), RUNS (default 200).
set -euo pipefail
build=${BUILD:-build}
runs=${RUNS:-200}
lq=$(cd "$(dirname "$build/lq")" && pwd)/lq
tmp=$(mktemp -d)
# Detached finalizers (one per lq exec) may still be writing: wait for them, quietly.
trap 'for _ in 1 2 3 4 5; do sleep 2; rm -rf "$tmp" 2>/dev/null && break; done' EXIT
export LQ_HOME=$tmp/home
cd "$tmp" && "$lq" init >/dev/null 2>&1
hyperfine -N --warmup 10 --runs "$runs" --export-json "$tmp/h.json" \
  "true" "git --version" "$lq --help" "$lq exec -q -- true" >/dev/null
python3 - "$tmp/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
names = ["true", "git --version", "lq --help", "lq exec -q -- true"]
wall = [x["median"] * 1000 for x in r]
cpu = [(x["user"] + x["system"]) * 1000 for x in r]
git_wall, git_cpu = wall[1], cpu[1]
print(f"start-up, {len(r[0]['times'])} runs each (median wall ms, mean cpu ms, ratio to git --version):")
for n, w, c in zip(names, wall, cpu):
    print(f"  {n:<20} {w:7.2f} ms  cpu {c:6.2f} ms   {w / git_wall:5.2f}x  (cpu {c / git_cpu:5.2f}x)")
print(f"  goals: lq --help <= 1.5x git ({wall[2] / git_wall:.2f}x), "
      f"lq exec -q -- true <= 3x git ({wall[3] / git_wall:.2f}x); "
      f"added by lq exec: {wall[3] - wall[0]:.2f} ms")
PY
runs_recorded=$(ls "$tmp/.lq/raw" | wc -l)
echo "  runs recorded: $runs_recorded"
