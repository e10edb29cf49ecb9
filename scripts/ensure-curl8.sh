#!/usr/bin/env bash
# Installs curl 8 (8.3 or newer: `--variable`, `--expand-*`) from Debian bookworm-backports into .cache/curl8
# (not committed) and prints the path of .cache/curl8/curl, a wrapper that runs it with its own libcurl.
# targets/openclaw/curl.test.ts runs the OpenClaw skills' curl commands with it. Needs apt-get and dpkg
# (Debian 12) but changes nothing on the system: apt runs on a private sources list, lists and cache
# under .cache/curl8/apt, and the two .debs (curl, libcurl4) are only unpacked (dpkg -x), never installed.
# Safe to run concurrently (flock) and idempotent.
set -euo pipefail
. "$(dirname "$0")/lib/locked-cache.sh"
locked_cache "curl8"
suite="bookworm-backports"
wrapper="$dir/curl"

die() { echo "ensure-curl8: $*" >&2; exit 1; }

# True when the wrapper runs and reports a libcurl 8.3 or newer (not the system's libcurl).
working() {
  local v
  v="$("$wrapper" --version 2>/dev/null | sed -n '1s/.* libcurl\/\([0-9.]*\).*/\1/p')" || return 1
  [ -n "$v" ] && dpkg --compare-versions "$v" ge 8.3
}

if ! working; then
  command -v apt-get >/dev/null && command -v dpkg >/dev/null || die "needs apt-get and dpkg (Debian 12)"
  apt="$dir/apt"
  rm -rf "$apt" "$dir/root" "$wrapper"
  mkdir -p "$apt/sources" "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/debs"
  echo "deb http://deb.debian.org/debian $suite main" > "$apt/sources/backports.list"
  opts=(-o Dir::Etc::sourcelist=/dev/null -o "Dir::Etc::sourceparts=$apt/sources" -o "Dir::State::Lists=$apt/lists"
        -o "Dir::Cache=$apt/cache" -o "APT::Sandbox::User=$(id -un)")
  echo "ensure-curl8: apt-get update ($suite)" >&2
  apt-get "${opts[@]}" -qq update >&2 || die "apt-get update of $suite failed"
  version="$(apt-cache "${opts[@]}" policy curl | sed -n 's/^ *Candidate: *//p')"
  [ -n "$version" ] && [ "$version" != "(none)" ] || die "no curl in $suite"
  dpkg --compare-versions "$version" ge 8.3 || die "curl $version in $suite is older than 8.3"
  echo "ensure-curl8: downloading curl and libcurl4 $version" >&2
  (cd "$apt/debs" && apt-get "${opts[@]}" -qq download "curl=$version" "libcurl4=$version" >&2) || die "apt-get download of curl $version failed"
  for deb in "$apt"/debs/*.deb; do dpkg -x "$deb" "$dir/root"; done
  lib="$(find "$dir/root" -name 'libcurl.so.4' -printf '%h\n' | head -n1)"
  [ -x "$dir/root/usr/bin/curl" ] && [ -n "$lib" ] || die "the .debs hold no usr/bin/curl or libcurl.so.4"
  cat > "$wrapper.tmp" <<EOF
#!/bin/sh
# curl $version from Debian $suite, unpacked by scripts/ensure-curl8.sh: runs it with its own libcurl.
here="\$(cd "\$(dirname "\$0")" && pwd)"
LD_LIBRARY_PATH="\$here/${lib#"$dir/"}\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "\$here/root/usr/bin/curl" "\$@"
EOF
  chmod +x "$wrapper.tmp"
  mv "$wrapper.tmp" "$wrapper"
  working || { "$wrapper" --version >&2 || true; rm -f "$wrapper"; die "the unpacked curl $version does not run with its libcurl"; }
  echo "ensure-curl8: $("$wrapper" --version | head -n1)" >&2
fi
echo "$wrapper"
