#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: npm packages from the lock file and,
# when asked, Debian packages (redis-server, chromium) that tests start themselves.
#
#   ensure-deps.sh [redis] [chromium]   every package of the lock file (tests, benchmarks)
#   ensure-deps.sh demo                 only what the demo needs, when nothing is installed yet
#
# The demo's install lives in .demo/ (its own package.json, versions taken from this one and
# from the lock file) and node_modules links to it; a later full install replaces the link.
set -euo pipefail
cd "$(dirname "$0")/.."

DEMO_LINK=.demo/node_modules
DEMO_PACKAGES=(hono @hono/node-server workos typescript @types/node)

demo_install() {
  mkdir -p .demo
  node -e '
    const pkg = require("./package.json");
    const wanted = process.argv.slice(1);
    const dependencies = { ...pkg.dependencies };
    for (const name of wanted) dependencies[name] = pkg.devDependencies[name];
    require("fs").writeFileSync(".demo/package.json", JSON.stringify({ name: "sealed-session-demo-deps", private: true, dependencies }, null, 2));
  ' "${DEMO_PACKAGES[@]}"
  # The project lock file pins every version the demo's packages resolve to.
  cp package-lock.json .demo/package-lock.json
  # Optional packages are platform binaries of tools the demo never runs.
  npm install --prefix .demo --omit=optional --no-audit --no-fund --loglevel=error
  [ -e node_modules ] || ln -s "$DEMO_LINK" node_modules
}

if [ "${1:-}" = demo ]; then
  if [ ! -e node_modules ] && [ ! -L node_modules ]; then
    demo_install
  elif [ "$(readlink node_modules)" = "$DEMO_LINK" ]; then
    if [ package-lock.json -nt .demo/node_modules/.package-lock.json ]; then demo_install; fi
  elif [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
  exit 0
fi

if [ "$(readlink node_modules 2>/dev/null)" = "$DEMO_LINK" ]; then
  rm node_modules
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

need=()
for want in "$@"; do
  case "$want" in
    redis) command -v redis-server >/dev/null 2>&1 || need+=(redis-server) ;;
    chromium) [ -x /usr/bin/chromium ] || need+=(chromium) ;;
  esac
done
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
