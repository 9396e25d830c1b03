#!/usr/bin/env bash
# Installs what the browser tests (crates/cli/tests/browser.rs → tests/browser/run.mjs) need: Debian's
# chromium, Node.js (18 or later) and the locked npm packages (playwright-core, axe-core).
# Idempotent and quiet; a no-op when everything is in place. Never downloads a browser through npm.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$node_major" -ge 18 ] || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
if [ "${#packages[@]}" -gt 0 ]; then
    echo "browser-setup: installing ${packages[*]} (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

# npm ci only when node_modules is missing or older than the lock file.
stamp=tests/browser/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ tests/browser/package-lock.json -nt "$stamp" ]; then
    echo "browser-setup: npm ci in tests/browser"
    (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
