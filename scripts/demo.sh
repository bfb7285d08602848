#!/usr/bin/env bash
# `make demo`: lq's main job on embedded sample data, in a scratch directory, without
# touching the user's ~/.lq (LQ_HOME points into the scratch directory).
#
# Today: init a sample project (identity from its git remote), show this device, run a
# real failing build through `lq exec`, ask what broke, sync it to a local central store
# together with a second machine's clone, and query across both hosts.
# Then scan sample assistant logs into daily usage aggregates.
set -euo pipefail

lq=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
demo=${LQ_DEMO_DIR:-$(pwd)/build/demo}
rm -rf "$demo"
mkdir -p "$demo"
export LQ_HOME=$demo/lq-home

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then b=$'\033[1m' r=$'\033[0m'; else b= r=; fi
step() { printf '\n%s$ %s%s\n' "$b" "$*" "$r"; }

# A sample project whose origin remote carries a token, as copied from a CI log:
# lq must derive owner/repo from it and never store or print the token.
project=$demo/projects/sample-app
mkdir -p "$project/.git" "$project/src"
cat > "$project/.git/config" <<'GIT'
[core]
	repositoryformatversion = 0
[remote "origin"]
	url = https://ci-bot:ghp_demoTOKEN123@github.com/Acme-Corp/Sample-App.git
	fetch = +refs/heads/*:refs/remotes/origin/*
GIT
cat > "$project/src/main.c" <<'C'
#include <stdio.h>

static int unused_helper(int x) { return x * 2; }

int main(void) {
  int count = 0;
  printf("%d\n", total);  /* 'total' is not declared: a real compile error */
  return 0;
}
C
cat > "$project/Makefile" <<'MK'
CC ?= cc
app: src/main.c
	$(CC) -Wall -Wextra -o app src/main.c
MK

cd "$project"
step lq --version
"$lq" --version
step lq init
"$lq" init
step cat .lq/config.yaml
cat .lq/config.yaml
step lq init   "# again: nothing changes"
"$lq" init
step lq device
"$lq" device

step "lq exec -- make   # a real build that fails"
"$lq" exec -- make || echo "(make exited $?, as it would without lq)"
step lq errors
"$lq" errors
step lq warnings
"$lq" warnings
step "lq context 1  # the raw log around the first error"
"$lq" context 1 --lines 2 || true
step lq history
"$lq" history

# The central store, and a second machine: a clone of the same repository on "laptop"
# (its own LQ_HOME, its own host name), where the build was fixed.
store=$demo/central-store
laptop=$demo/laptop/sample-app
mkdir -p "$laptop"
cp -r "$project/.git" "$project/Makefile" "$project/src" "$laptop/"
sed -i 's/printf("%d\\n", total);/printf("%d\\n", count);/' "$laptop/src/main.c"
step "lq sync $store   # this machine's runs"
"$lq" sync "$store"
step "# on the laptop: lq init && lq exec -- make && lq sync $store"
(cd "$laptop" && export LQ_HOME=$demo/laptop-home LQ_HOSTNAME=laptop &&
   "$lq" init >/dev/null 2>&1 && "$lq" exec -q -- make && "$lq" sync "$store")
step "lq history --include-synced --store $store   # both machines"
"$lq" history --include-synced --store "$store"
step "lq query --include-synced --store $store \"SELECT hostname, status, errors, warnings FROM lq_runs\""
"$lq" query --include-synced --store "$store" "SELECT hostname, status, errors, warnings FROM lq_runs ORDER BY hostname"

# AI-assistant usage: two weeks of sample Claude Code and Codex CLI logs (generated,
# nothing private), scanned into daily aggregates in LQ_HOME/usage.duckdb.
agents=$demo/agents
"$(dirname "$lq")/usage_gen" --sample "$agents" >/dev/null
step "lq usage   # sample Claude Code + Codex logs under $agents"
env -u CLAUDE_CONFIG_DIR -u CODEX_HOME HOME="$agents" "$lq" usage --timezone UTC
step "lq usage daily --by-model --since 2000-01-01 --json  (first 14 lines)"
usage_json=$(env -u CLAUDE_CONFIG_DIR -u CODEX_HOME HOME="$agents" "$lq" usage daily --by-model --since 2000-01-01 --timezone UTC --json)
printf '%s\n' "$usage_json" | sed -n 1,14p

# A project without a remote: identity from its path.
plain=$demo/projects/scratch/notes
mkdir -p "$plain"
step "cd projects/scratch/notes && lq init --json"
(cd "$plain" && "$lq" init --json)

if grep -rq ghp_demoTOKEN123 "$demo/projects/sample-app/.lq" "$LQ_HOME"; then
  echo "demo: FAILED — the remote's token reached lq's files" >&2
  exit 1
fi
printf '\nDemo data is in %s\n' "$demo"
