#!/usr/bin/env bash
# The whole test suite, on a fresh clone: install, build, static checks, then unit,
# integration (WorkOS emulator, redis-server) and browser (Chromium) suites.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh redis chromium

npm run build
npm run typecheck
npm run lint
npm run docs -- --logLevel Warn --treatWarningsAsErrors
npx vitest run --project unit
npx vitest run --project integration
npx vitest run --project browser
npm run test:runtimes
