#!/usr/bin/env bash
# lq sync to S3 against `aws s3 sync` (the aws cli, Debian's awscli), same run, same
# tree, same local s3rver (tools/, started here on 127.0.0.1 and stopped at exit):
#   first upload of FILES run files (2-20 KB) and the no-op sync after it.
# s3rver is a slow server (it writes two files per object), so the ratio, not the
# absolute time, is the figure. Needs: apt-get install awscli.
set -euo pipefail
build=${BUILD:-build}
lq=$(cd "$(dirname "$build/lq")" && pwd)/lq
root=$(cd "$(dirname "$0")/.." && pwd)
files=${FILES:-1000}
aws=${AWS:-/usr/bin/aws}
[ -x "$aws" ] || { echo "bench/s3.sh: skipped: needs the aws cli (apt-get install awscli)" >&2; exit 0; }
tmp=$(mktemp -d)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
node --openssl-legacy-provider "$root/tools/node_modules/s3rver/bin/s3rver.js" -d "$tmp/s3" -a 127.0.0.1 \
  -p "$port" --silent --configure-bucket lq-bench --configure-bucket aws-bench > "$tmp/s3rver.log" 2>&1 &
s3pid=$!
trap 'kill $s3pid 2>/dev/null; wait $s3pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

export LQ_HOME=$tmp/home AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL=http://127.0.0.1:$port AWS_CONFIG_FILE=$tmp/none AWS_SHARED_CREDENTIALS_FILE=$tmp/none
mkdir -p "$tmp/p" && (cd "$tmp/p" && "$lq" init --namespace bench --project p >/dev/null 2>&1)
/usr/bin/python3 - "$tmp/p/.lq/logs" "$files" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
random.seed(1)
for i in range(n):
    d = os.path.join(root, f"date=2025-{1 + i % 12:02d}-{1 + i % 28:02d}", "source=run")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{i:05d}_build_120000.parquet"), "wb") as f:
        f.write(os.urandom(random.randint(2048, 20480)))
PY
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
lq_first=$(cd "$tmp/p" && ms "$lq" sync s3://lq-bench/lq/)
aws_first=$(ms "$aws" s3 sync "$tmp/p/.lq/logs" s3://aws-bench/lq/ --endpoint-url "$AWS_ENDPOINT_URL")
sleep 2.5  # let the run folders settle (see docs/sync.md)
(cd "$tmp/p" && "$lq" sync s3://lq-bench/lq/ >/dev/null 2>&1)
lq_noop=$(cd "$tmp/p" && ms "$lq" sync s3://lq-bench/lq/)
aws_noop=$(ms "$aws" s3 sync "$tmp/p/.lq/logs" s3://aws-bench/lq/ --endpoint-url "$AWS_ENDPOINT_URL")
printf 'first upload, %d files:  lq %6d ms   aws s3 sync %6d ms   aws/lq = %.2fx\n' "$files" "$lq_first" \
  "$aws_first" "$(echo "$aws_first/$lq_first" | bc -l)"
printf 'no-op sync,   %d files:  lq %6d ms   aws s3 sync %6d ms   aws/lq = %.2fx\n' "$files" "$lq_noop" \
  "$aws_noop" "$(echo "$aws_noop/$lq_noop" | bc -l)"
