#!/usr/bin/env bash
# Installs Node 24 from the npm registry (package node@24) into .cache/node24 (not committed) and prints
# the path of its `node` binary. Conformance scripts run the real target runtimes with it.
# Safe to run concurrently (flock) and idempotent.
set -euo pipefail
. "$(dirname "$0")/lib/locked-cache.sh"
locked_cache "node24"
if [ ! -x "$dir/node_modules/.bin/node" ]; then
  (cd "$dir" && [ -f package.json ] || echo '{"private":true}' > package.json
   cd "$dir" && npm install --no-audit --no-fund --loglevel=error node@24 >&2)
fi
echo "$dir/node_modules/.bin/node"
