#!/usr/bin/env bash
# `npm run n8n:nodes`: fetches what the n8n target's check() validates workflows with, into
# .cache/n8n-nodes/<n8n version>/ (gitignored; n8n's packages are under the Sustainable Use License, so
# brainc neither commits nor ships them):
#   - n8n-nodes-base.nodes.json, n8n-nodes-langchain.nodes.json: the node descriptions of n8n 2.41.1
#     (dist/types/nodes.json of n8n-nodes-base and @n8n/n8n-nodes-langchain, taken with `npm pack`), and
#     *.credentials.json beside them (dist/types/credentials.json: the credential types);
#   - node_modules/n8n-workflow (2.41.0, the version n8n 2.41.1 uses), installed with --ignore-scripts:
#     its isolated-vm dependency has no Node 20 prebuild and is not needed for validation.
# Idempotent and safe to run concurrently (flock). Only the npm registry is contacted.
set -euo pipefail
n8n_version="2.41.1"
workflow_version="2.41.0"
. "$(dirname "$0")/lib/locked-cache.sh"
locked_cache "n8n-nodes/$n8n_version"
if [ -f "$dir/.complete" ] && [ -f "$dir/n8n-nodes-langchain.credentials.json" ]; then echo "$dir"; exit 0; fi
rm -f "$dir/.complete"
cd "$dir"
echo "{\"private\":true,\"dependencies\":{\"n8n-workflow\":\"$workflow_version\"}}" > package.json
npm install --no-audit --no-fund --loglevel=error --ignore-scripts >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
npm pack --silent --pack-destination "$tmp" "n8n-nodes-base@$n8n_version" "@n8n/n8n-nodes-langchain@$n8n_version" >&2
tar -xzf "$tmp/n8n-nodes-base-$n8n_version.tgz" -O package/dist/types/nodes.json > n8n-nodes-base.nodes.json
tar -xzf "$tmp/n8n-n8n-nodes-langchain-$n8n_version.tgz" -O package/dist/types/nodes.json > n8n-nodes-langchain.nodes.json
tar -xzf "$tmp/n8n-nodes-base-$n8n_version.tgz" -O package/dist/types/credentials.json > n8n-nodes-base.credentials.json
tar -xzf "$tmp/n8n-n8n-nodes-langchain-$n8n_version.tgz" -O package/dist/types/credentials.json > n8n-nodes-langchain.credentials.json
touch .complete
echo "$dir"
