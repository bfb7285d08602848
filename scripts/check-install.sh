#!/usr/bin/env bash
# Checks that `make install` and the .deb give a working lq outside the build tree:
# the binary must find its private libduckdb.so from any directory, with a clean
# environment. Run by `make test` (after the build).
set -euo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() {  # lq-binary label
  local out
  out=$(cd / && env -i HOME="$tmp/home" PATH=/usr/bin:/bin "$1" --version)
  case "$out" in
    "lq "*"(duckdb v1.4.4)") ;;
    *) echo "check-install: $2: unexpected --version output: $out" >&2; exit 1 ;;
  esac
  # A command that loads DuckDB, from an unrelated directory.
  mkdir -p "$tmp/proj-$2"
  # No `| grep -q` anywhere: with pipefail, grep exiting at its first match
  # kills the writer with SIGPIPE and the script fails with 141 at random.
  local history
  history=$(cd "$tmp/proj-$2" && env -i HOME="$tmp/home" PATH=/usr/bin:/bin "$1" init >/dev/null &&
     env -i HOME="$tmp/home" PATH=/usr/bin:/bin "$1" exec -q -- true &&
     env -i HOME="$tmp/home" PATH=/usr/bin:/bin "$1" history --json)
  case "$history" in
    *'"exit_code": 0'*) ;;
    *) echo "check-install: $2: history lacks the run: $history" >&2; exit 1 ;;
  esac
  # Start-up cost: the network stack is dlopen'd by the commands that use it, never
  # linked (every `lq exec` would load it; see docs/development.md).
  local needed
  needed=$(readelf -d "$1" | grep NEEDED || true)
  case "$needed" in
    *libcurl*|*libssl*|*libcrypto*|*libgssapi*|*libldap*|*libidn2*|*libduckdb*)
      echo "check-install: $2: lq links a library it must load lazily: $needed" >&2; exit 1 ;;
  esac
  echo "check-install: $2 ok ($out)"
}

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
check "$tmp/prefix/bin/lq" "make-install"

(cd "$build" && cpack -G DEB >/dev/null)
deb=
for f in "$build"/lq_*.deb; do  # the newest, if an older version's is still there
  if [ -z "$deb" ] || [ "$f" -nt "$deb" ]; then deb=$f; fi
done
[ -f "$deb" ] || { echo "check-install: cpack made no .deb in $build" >&2; exit 1; }
info=$(dpkg-deb --info "$deb")
case "$info" in
  *"Package: lq"*) ;;
  *) echo "check-install: $deb has no 'Package: lq'" >&2; exit 1 ;;
esac
case "$info" in
  *"Depends:"*"libcurl4"*) ;;  # dlopen'd, so dpkg-shlibdeps cannot find it
  *) echo "check-install: $deb does not depend on libcurl4" >&2; exit 1 ;;
esac
dpkg-deb -x "$deb" "$tmp/deb"
check "$tmp/deb/usr/bin/lq" "deb"
echo "check-install: $(basename "$deb") $(du -h "$deb" | cut -f1)"
