#!/usr/bin/env bash
# lq usage against ccusage and cat, measured in this run on one generated corpus.
#
#   BUILD=build bench/usage.sh            128 MB corpus (quick)
#   USAGE_BENCH_MB=1024 bench/usage.sh    1 GiB, about 4,000 files (the issue's figure)
#
# Prints wall time (best of N), CPU time (user+sys) and peak RSS (/usr/bin/time) for:
# cat of the same files, lq cold (no cache, no database), lq warm (nothing changed),
# lq after appending one line to one file, and `ccusage claude daily --json --offline`.
# All runs read from a warm page cache. The corpus lives in a temp dir, removed at exit.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
mb=${USAGE_BENCH_MB:-128}
runs=${USAGE_BENCH_RUNS:-3}
lq=$build/lq
gen=$build/usage_gen
ccusage=$root/tools/node_modules/.bin/ccusage
for f in "$lq" "$gen"; do
  [ -x "$f" ] || { echo "usage.sh: $f missing; build first (make build)" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "usage.sh: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
corpus=$tmp/home
"$gen" "$corpus" "$mb" > "$tmp/gen.txt"
files=$(find "$corpus" -name '*.jsonl' | wc -l)
bytes=$(find "$corpus" -name '*.jsonl' -printf '%s\n' | awk '{s += $1} END {print s}')
median=$(find "$corpus" -name '*.jsonl' -printf '%s\n' | sort -n | awk '{a[NR] = $1} END {print int(a[int((NR + 1) / 2)] / 1024)}' || true)
find "$corpus" -name '*.jsonl' -print0 > "$tmp/list"

export HOME=$corpus
unset CLAUDE_CONFIG_DIR CODEX_HOME XDG_CONFIG_HOME
export LQ_HOME=$tmp/lq-home

# measure NAME CMD...: best wall time (ns clock), its CPU time and the peak RSS over $runs
# runs (/usr/bin/time); evaluates $PRE before each run.
declare -A wall cpu rss
measure() {
  local name=$1; shift
  local best=999999 best_cpu=0 peak=0 t0 t1 e u s m
  for _ in $(seq "$runs"); do
    if [ -n "${PRE:-}" ]; then eval "$PRE"; fi
    t0=$(date +%s%N)
    if ! /usr/bin/time -f '%U %S %M' -o "$tmp/time" "$@" > /dev/null 2> "$tmp/err"; then
      echo "usage.sh: $name failed:" >&2; cat "$tmp/err" >&2; exit 1
    fi
    t1=$(date +%s%N)
    e=$(echo "($t1 - $t0) / 1000000000" | bc -l)
    read -r u s m < "$tmp/time"
    if [ "$(echo "$e < $best" | bc -l)" = 1 ]; then best=$e; best_cpu=$(echo "$u + $s" | bc -l); fi
    if [ "$m" -gt "$peak" ]; then peak=$m; fi
  done
  wall[$name]=$best; cpu[$name]=$best_cpu; rss[$name]=$peak
}

xargs -0 cat < "$tmp/list" > /dev/null  # warm the page cache
measure cat sh -c "xargs -0 cat < '$tmp/list' > /dev/null"
PRE="rm -rf '$LQ_HOME'" measure lq_cold "$lq" usage scan
PRE="" measure lq_warm "$lq" usage daily --json
IFS= read -r -d '' one < "$tmp/list" || true
line=$(grep -m1 '"usage":{' "$one")
PRE="printf '%s\n' '${line//\'/}' >> '$one'" measure lq_append "$lq" usage daily --json
PRE=""
have_ccusage=0
if [ -x "$ccusage" ]; then
  have_ccusage=1
  measure ccusage "$ccusage" claude daily --json --offline
fi

# The numbers must agree.
"$lq" usage daily --json --agent claude --timezone UTC > "$tmp/lq.json"
equal="(ccusage not installed)"
if [ $have_ccusage = 1 ]; then
  "$ccusage" claude daily --json --offline -z UTC > "$tmp/cc.json"
  equal=$(python3 - "$tmp/lq.json" "$tmp/cc.json" <<'PY'
import json, sys
lq = {r["date"]: (r["input_tokens"], r["output_tokens"], r["cache_write_tokens"], r["cache_read_tokens"], r["total_tokens"]) for r in json.load(open(sys.argv[1]))}
cc = {r["date"]: (r["inputTokens"], r["outputTokens"], r["cacheCreationTokens"], r["cacheReadTokens"], r["totalTokens"]) for r in json.load(open(sys.argv[2]))["daily"]}
print("yes, %d days" % len(cc) if lq == cc else "NO: %d days differ" % len(set(lq.items()) ^ set(cc.items())))
PY
)
fi

row() { printf '  %-40s %8.3f s %8.3f s %8.1f MB\n' "$1" "${wall[$2]}" "${cpu[$2]}" "$(echo "${rss[$2]} / 1024" | bc -l)"; }
printf 'usage: %s MB in %s files (median %s KB), %s cores, warm page cache, best of %s\n' \
  "$((bytes / 1048576))" "$files" "$median" "$(nproc)" "$runs"
printf '  %-40s %10s %10s %11s\n' "" "wall" "cpu" "peak RSS"
row "cat (same files)" cat
row "lq usage scan (cold: no cache, no db)" lq_cold
row "lq usage daily (warm, nothing changed)" lq_warm
row "lq usage daily (one line appended)" lq_append
if [ $have_ccusage = 1 ]; then row "ccusage claude daily --json --offline" ccusage; fi
printf '  lq cold / cat: %.2fx (goal <= 1.5x)' "$(echo "${wall[lq_cold]} / ${wall[cat]}" | bc -l)"
if [ $have_ccusage = 1 ]; then
  printf '   ccusage / lq cold: %.1fx (goal >= 3x)' "$(echo "${wall[ccusage]} / ${wall[lq_cold]}" | bc -l)"
fi
printf '\n  same daily numbers as ccusage: %s\n' "$equal"
