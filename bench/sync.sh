#!/usr/bin/env bash
# lq sync against its peers, measured in this run on the same tree:
#   no-op sync of 10,000 synced files vs `find` walking the tree and `rsync -a` no-op
#   (goals: within 2x of find, >= 3x faster than rsync);
#   first copy vs `cp -r` of the same files (goal: within 1.5x). FILES and COPY_MB tune it.
set -euo pipefail
build=${BUILD:-build}
lq=$(cd "$(dirname "$build/lq")" && pwd)/lq
files=${FILES:-10000}
copy_mb=${COPY_MB:-1024}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LQ_HOME=$tmp/home
command -v rsync >/dev/null || { echo "bench/sync.sh: needs rsync (apt-get install rsync)" >&2; exit 1; }

make_project() {  # dir count size_min size_max
  mkdir -p "$1" && (cd "$1" && "$lq" init --namespace bench --project p >/dev/null 2>&1)
  /usr/bin/python3 - "$1/.lq/logs" "$2" "$3" "$4" <<'PY'
import os, random, sys
root, n, lo, hi = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
random.seed(1)
for i in range(n):
    d = os.path.join(root, f"date=2025-{1 + i % 12:02d}-{1 + i % 28:02d}", "source=run")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{i:05d}_build_120000.parquet"), "wb") as f:
        f.write(os.urandom(random.randint(lo, hi)))
PY
}

t() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000 )); }
best() { local b=999999999 x; for _ in 1 2 3 4 5; do x=$(t "$@"); [ "$x" -lt "$b" ] && b=$x; done; echo "$b"; }

make_project "$tmp/p" "$files" 2048 20480
(cd "$tmp/p" && "$lq" sync "$tmp/store" >/dev/null 2>&1)
rsync -a "$tmp/p/.lq/logs/" "$tmp/rsync-store/"
lq_us=$(cd "$tmp/p" && best "$lq" sync "$tmp/store")
find_us=$(best find "$tmp/p/.lq/logs" -type f)
rsync_us=$(best rsync -a "$tmp/p/.lq/logs/" "$tmp/rsync-store/")
printf 'sync no-op, %d files:  lq %6.1f ms   find %6.1f ms   rsync -a %6.1f ms\n' "$files" \
  "$(echo "$lq_us/1000" | bc -l)" "$(echo "$find_us/1000" | bc -l)" "$(echo "$rsync_us/1000" | bc -l)"
printf '  lq/find = %.2fx (goal <= 2)   rsync/lq = %.2fx (goal >= 3)\n' \
  "$(echo "$lq_us/$find_us" | bc -l)" "$(echo "$rsync_us/$lq_us" | bc -l)"

n=$(( copy_mb * 1024 / 1024 ))  # ~1 MiB files
make_project "$tmp/big" "$n" 1000000 1100000
# Three rounds each, the median kept. lq makes every file durable (fdatasync) before it
# becomes visible; cp -r leaves the data in the page cache, so `cp -r; sync` is shown too.
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
lq_r=() cp_r=() cps_r=()
for _ in 1 2 3; do
  rm -rf "$tmp/bigstore" "$tmp/cpstore" "$LQ_HOME/sync"; sync
  lq_r+=("$(cd "$tmp/big" && t "$lq" sync "$tmp/bigstore")"); sync
  cp_r+=("$(t cp -r "$tmp/big/.lq/logs" "$tmp/cpstore")"); rm -rf "$tmp/cpstore"; sync
  cps_r+=("$(t sh -c "cp -r '$tmp/big/.lq/logs' '$tmp/cpstore' && sync")")
done
lq_us=$(median3 "${lq_r[@]}") cp_us=$(median3 "${cp_r[@]}") cps_us=$(median3 "${cps_r[@]}")
printf 'first copy, %d MiB:  lq %6.0f ms   cp -r %6.0f ms   cp -r + sync %6.0f ms\n' "$copy_mb" \
  "$(echo "$lq_us/1000" | bc -l)" "$(echo "$cp_us/1000" | bc -l)" "$(echo "$cps_us/1000" | bc -l)"
printf '  lq/cp = %.2fx (goal <= 1.5)   lq/(cp + sync) = %.2fx\n' \
  "$(echo "$lq_us/$cp_us" | bc -l)" "$(echo "$lq_us/$cps_us" | bc -l)"
