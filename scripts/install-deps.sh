#!/usr/bin/env bash
# Installs everything lq needs to build and test, idempotently, on Debian 12 as root.
#
#   scripts/install-deps.sh            apt packages + DuckDB (third_party/) + npm test services (tools/)
#   scripts/install-deps.sh --no-tools skip the npm test services (enough for `make build`)
#
# Only two registries are used: Debian's (apt-get) and npm's (npm pack / npm install).
# DuckDB has no Debian package: the official prebuilt libduckdb.so ships inside the
# @duckdb/node-bindings-linux-x64 npm package and duckdb.h inside the duckdb npm package.
# Both tarballs are checked by sha256 before anything is extracted.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
want_tools=1
[ "${1:-}" = "--no-tools" ] && want_tools=0

DUCKDB_VERSION=1.4.4
DUCKDB_BINDINGS=@duckdb/node-bindings-linux-x64@1.4.4-r.4
DUCKDB_BINDINGS_TGZ=duckdb-node-bindings-linux-x64-1.4.4-r.4.tgz
DUCKDB_BINDINGS_SHA=732fac4dc6b8f198870b9c4bb6ddf13544466daca00ad28ba2f1d80de5d7aa4b
DUCKDB_HEADER_PKG=duckdb@1.4.4
DUCKDB_HEADER_TGZ=duckdb-1.4.4.tgz
DUCKDB_HEADER_SHA=5bb967dcbcd517670ba5f169f238fb9d6787e53752c60ebe24386169d76941ed
LIBDUCKDB_SHA=1ef33048e12235115ac0d277a0aaccbb560e33248144f488b5ac005cd9ba81b5
DUCKDB_H_SHA=cbe6a827284375c5a646b8f27dbd3a00808ce8738b5bbb49c190cb1e08540281

# npm test services and oracles, pinned.
NPM_TOOLS=(s3rver@3.7.1 azurite@3.37.0 ccusage@20.0.24 @ccusage/ccusage-linux-x64@20.0.24)

APT_PACKAGES=(
  build-essential make cmake ninja-build pkg-config git file dpkg-dev
  libcli11-dev libfmt-dev libyaml-cpp-dev libsimdjson-dev nlohmann-json3-dev
  libcurl4-openssl-dev libssl-dev libgtest-dev libgmock-dev
  python3-botocore syncthing bc hyperfine rsync time
  fish zsh  # the completion tests run the generated scripts in each shell
)

log() { printf 'install-deps: %s\n' "$*" >&2; }

# What this script runs before apt has installed anything: all of it is in a minimal
# Debian 12 (debootstrap --variant=minbase). npm comes from apt, below.
for tool in apt-get dpkg-query tar gzip sha256sum mktemp cut id; do
  command -v "$tool" >/dev/null 2>&1 || { log "needs $tool, which every Debian 12 has; is this Debian?"; exit 1; }
done

install_apt() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
  done
  # Node.js may come from another Debian source (with npm bundled): only ask apt
  # for it when the command itself is missing.
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})"
    exit 1
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

check_sha() {  # file expected
  local got
  got=$(sha256sum "$1" | cut -d' ' -f1)
  if [ "$got" != "$2" ]; then
    log "sha256 mismatch for $1: got $got, expected $2"
    return 1
  fi
}

# npm pack PKG into DIR unless the tarball is already there and intact.
fetch_tgz() {  # pkg tgz sha dir
  local pkg=$1 tgz=$2 sha=$3 dir=$4
  if [ -f "$dir/$tgz" ] && check_sha "$dir/$tgz" "$sha" 2>/dev/null; then return 0; fi
  rm -f "$dir/$tgz"
  log "npm pack $pkg"
  (cd "$dir" && npm pack --silent "$pkg" >/dev/null)
  check_sha "$dir/$tgz" "$sha" || { rm -f "$dir/$tgz"; exit 1; }
}

install_duckdb() {
  local dest=$root/third_party/duckdb cache=$root/third_party/cache
  if [ -f "$dest/lib/libduckdb.so" ] && [ -f "$dest/include/duckdb.h" ] &&
     check_sha "$dest/lib/libduckdb.so" "$LIBDUCKDB_SHA" 2>/dev/null &&
     check_sha "$dest/include/duckdb.h" "$DUCKDB_H_SHA" 2>/dev/null; then
    return 0
  fi
  mkdir -p "$cache" "$dest/lib" "$dest/include"
  fetch_tgz "$DUCKDB_BINDINGS" "$DUCKDB_BINDINGS_TGZ" "$DUCKDB_BINDINGS_SHA" "$cache"
  fetch_tgz "$DUCKDB_HEADER_PKG" "$DUCKDB_HEADER_TGZ" "$DUCKDB_HEADER_SHA" "$cache"
  local tmp
  tmp=$(mktemp -d)
  tar -xzf "$cache/$DUCKDB_BINDINGS_TGZ" -C "$tmp" package/libduckdb.so
  tar -xzf "$cache/$DUCKDB_HEADER_TGZ" -C "$tmp" package/src/duckdb/src/include/duckdb.h
  check_sha "$tmp/package/libduckdb.so" "$LIBDUCKDB_SHA"
  check_sha "$tmp/package/src/duckdb/src/include/duckdb.h" "$DUCKDB_H_SHA"
  mv "$tmp/package/libduckdb.so" "$dest/lib/libduckdb.so"
  mv "$tmp/package/src/duckdb/src/include/duckdb.h" "$dest/include/duckdb.h"
  echo "$DUCKDB_VERSION" > "$dest/VERSION"
  rm -rf "$tmp"
  log "DuckDB $DUCKDB_VERSION in third_party/duckdb"
}

install_tools() {
  local dir=$root/tools stamp=$root/tools/.installed
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "${NPM_TOOLS[*]}" ]; then return 0; fi
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"name":"lq-test-tools","private":true}' > "$dir/package.json"
  log "npm install ${NPM_TOOLS[*]} (tools/)"
  (cd "$dir" && npm install --silent --no-audit --no-fund --no-save "${NPM_TOOLS[@]}" >/dev/null)
  echo "${NPM_TOOLS[*]}" > "$stamp"
}

install_apt
install_duckdb
[ $want_tools -eq 1 ] && install_tools
exit 0
