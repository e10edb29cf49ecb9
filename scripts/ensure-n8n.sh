#!/usr/bin/env bash
# Installs n8n (default 2.41.1, the version the n8n target pins) from the npm registry into
# .cache/n8n/<version> (not committed) and prints the path of its `n8n` bin script. Run it with Node 24
# (scripts/ensure-node24.sh). Idempotent and safe to run concurrently (flock).
#
# Offline-install recipe, verified against n8n 2.41.1 (see docs/targets/n8n.md):
#   - overrides linkedom 0.18.13: newer linkedom needs `cssomnom`, which the registry mirror lacks;
#   - --ignore-scripts: several install scripts download from GitHub releases (kafka, sqlite3 prebuilds,
#     agent-browser) or ping analytics (scarf);
#   - sqlite3 is then rebuilt from source with node-gyp against the system Node headers (N-API, so the
#     binding loads in Node 24 too).
set -euo pipefail
version="${1:-2.41.1}"
. "$(dirname "$0")/lib/locked-cache.sh"
locked_cache "n8n/$version"
if [ ! -f "$dir/.installed" ]; then
  cd "$dir"
  cat > package.json <<JSON
{"private":true,"dependencies":{"n8n":"$version"},"overrides":{"linkedom":"0.18.13"}}
JSON
  npm install --no-audit --no-fund --loglevel=error --ignore-scripts >&2
  gyp="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"
  nodedir="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  (cd node_modules/sqlite3 && node "$gyp" rebuild --nodedir="$nodedir" -j 2 >&2)
  touch .installed
fi
echo "$dir/node_modules/n8n/bin/n8n"
