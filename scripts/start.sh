#!/usr/bin/env bash
# Runs the demo on a fresh clone: install what the demo needs, build the library, then start
# the WorkOS emulator and Acme Workspace (http://localhost:3000; PORT, EMULATOR_PORT,
# SEAL_FORMAT and ACCESS_TOKEN_TTL override).
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO_STARTED_AT_MS=$(node -p 'Date.now()')
export DEMO_STARTED_AT_MS
bash scripts/ensure-deps.sh demo
# The entry points the demo imports: the framework adapters' types are not installed for it.
node -e "require('fs').rmSync('dist', { recursive: true, force: true })"
npx tsc -p tsconfig.demo.json
exec node demo/server.js
