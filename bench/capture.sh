#!/usr/bin/env bash
# `lq capture` throughput on a stream in which every line is a compiler warning (the
# worst case: one event per line to spool), against `cat` and `grep -c` of the same
# stream, measured in this run. Every line becomes an event (parsed, fingerprinted,
# spooled as a JSON line), so this is the capture path's worst case; the raw log and the
# spool are written too (about 5x the input).
set -euo pipefail
build=${BUILD:-build}
lq=$(cd "$(dirname "$build/lq")" && pwd)/lq
mb=${CAPTURE_BENCH_MB:-50}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LQ_HOME=$tmp/home
mkdir -p "$tmp/proj" && cd "$tmp/proj" && "$lq" init >/dev/null 2>&1
# ~75-byte lines: src/file_N.c:LINE:COL: warning: unused variable 'vN' [-Wunused-variable]
awk -v target=$((mb * 1000000)) 'BEGIN { n = 0; size = 0;
  while (size < target) {
    line = sprintf("src/file_%d.c:%d:%d: warning: unused variable '\''v%d'\'' [-Wunused-variable]", n % 997, n % 5000 + 1, n % 80 + 1, n);
    print line; size += length(line) + 1; n++ } }' > "$tmp/warnings.log"
size=$(stat -c %s "$tmp/warnings.log")
lines=$(wc -l < "$tmp/warnings.log")
# Each tool reads the stream from a pipe, as `make 2>&1 | lq capture` does.
t() { local s e; s=$(date +%s%N); cat "$tmp/warnings.log" | "$@" >"$tmp/out"; e=$(date +%s%N); echo $(( (e - s) / 1000 )); }
best() { local b=999999999 x; for _ in 1 2 3; do x=$(t "$@"); [ "$x" -lt "$b" ] && b=$x; done; echo "$b"; }
mbs() { echo "$size / $1" | bc -l; }
cat_us=$(best cat)
grep_us=$(best grep -c ': warning: ')
lq_us=$(best "$lq" capture -q --name bench)
events=$("$lq" query "SELECT count(*) AS n FROM lq_events WHERE run_id = (SELECT max(run_id) FROM lq_runs)" --json |
         tr -dc '0-9')
printf 'capture: %d MB, %d lines, every line a warning (%s events stored in the last run)\n' \
  "$((size / 1000000))" "$lines" "$events"
printf '  cat:                 %8.1f MB/s\n' "$(mbs "$cat_us")"
printf '  grep -c:             %8.1f MB/s\n' "$(mbs "$grep_us")"
printf '  lq capture:          %8.1f MB/s   (%.2f s)\n' "$(mbs "$lq_us")" \
  "$(echo "$lq_us / 1000000" | bc -l)"
[ "$events" = "$lines" ] || { echo "lq stored $events events for $lines warnings" >&2; exit 1; }
