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
# Output to a file, not /dev/null: GNU grep stops at the first match when it sees /dev/null.
t() { local s e; s=$(date +%s%N); "$@" >"$tmp/out"; e=$(date +%s%N); echo $(( (e - s) / 1000 )); }
best() { local b=999999999 x; for _ in 1 2 3; do x=$(t "$@"); [ "$x" -lt "$b" ] && b=$x; done; echo "$b"; }
pattern='^[^:]+:[0-9]+:[0-9]+: (error|warning): '
grep_us=$(best grep -cE "$pattern" "$tmp/build.log")
grep_c_us=$(LC_ALL=C best grep -cE "$pattern" "$tmp/build.log")
grep_mbs=$(echo "$size / $grep_us" | bc -l)
grep_c_mbs=$(echo "$size / $grep_c_us" | bc -l)
printf 'parse: %d MB gcc-heavy log\n' "$((size / 1000000))"
printf '  lq parsers (all, 1 core): %8.1f MB/s   %s\n' "$lq_mbs" "$lq_json"
printf '  grep -cE (one pattern):   %8.1f MB/s   (locale %s; with LC_ALL=C: %.1f MB/s)\n' "$grep_mbs" "${LC_ALL:-${LANG:-C}}" "$grep_c_mbs"
printf '  ratio lq/grep:            %8.2fx   (goal >= 2x and >= 300 MB/s)\n' "$(echo "$lq_mbs / $grep_mbs" | bc -l)"
