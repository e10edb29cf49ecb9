#!/usr/bin/env bash
# Installs Node 24 from the npm registry (package node@24) into .cache/node24 (not committed) and prints
# the path of its `node` binary. Conformance scripts run the real target runtimes with it.
# Safe to run concurrently (flock) and idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.cache/node24"
mkdir -p "$dir"
exec 9>"$dir.lock"
flock 9
if [ ! -x "$dir/node_modules/.bin/node" ]; then
  (cd "$dir" && [ -f package.json ] || echo '{"private":true}' > package.json
   cd "$dir" && npm install --no-audit --no-fund --loglevel=error node@24 >&2)
fi
echo "$dir/node_modules/.bin/node"
