#!/usr/bin/env bash
# Runs the demo on a fresh clone: install, build the library, then start the WorkOS emulator
# and Acme Workspace (http://localhost:3000; PORT, EMULATOR_PORT and SEAL_FORMAT override).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npm run build --silent
exec node demo/server.js
