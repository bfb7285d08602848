#!/usr/bin/env bash
# Parse throughput of lq's log parsers (all enabled, one core) against grep -cE of a
# single gcc diagnostic pattern over the same file, measured in this run.
set -euo pipefail
build=${BUILD:-build}
mb=${PARSE_BENCH_MB:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/parse_bench" --generate "$tmp/build.log" "$mb"
size=$(stat -c %s "$tmp/build.log")
lq_json=$("$build/parse_bench" "$tmp/build.log")
lq_mbs=$(echo "$lq_json" | sed -E 's/.*"mb_per_s": ([0-9.]+).*/\1/')
best=999
for _ in 1 2 3; do
  start=$(date +%s.%N)
  grep -cE '^[^:]+:[0-9]+:[0-9]+: (error|warning): ' "$tmp/build.log" > /dev/null
  end=$(date +%s.%N)
  t=$(echo "$end - $start" | bc -l)
  best=$(echo "if ($t < $best) $t else $best" | bc -l)
done
grep_mbs=$(echo "$size / 1000000 / $best" | bc -l)
printf 'parse: %d MB gcc-heavy log\n' "$((size / 1000000))"
printf '  lq parsers (all, 1 core): %8.1f MB/s   %s\n' "$lq_mbs" "$lq_json"
printf '  grep -cE (one pattern):   %8.1f MB/s\n' "$grep_mbs"
printf '  ratio lq/grep:            %8.2fx   (goal >= 2x and >= 300 MB/s)\n' "$(echo "$lq_mbs / $grep_mbs" | bc -l)"
