#!/usr/bin/env bash
# Installs what the browser tests (crates/cli/tests/browser.rs → tests/browser/run.mjs) need: Debian's
# chromium and the locked npm packages (playwright-core, axe-core). Idempotent and quiet; a no-op
# when both are already in place. Never downloads a browser through npm.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
    echo "browser-setup: installing Debian chromium"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

command -v node >/dev/null || { echo "browser-setup: node (20 or later) is required" >&2; exit 1; }

# npm ci only when node_modules is missing or older than the lock file.
stamp=tests/browser/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ tests/browser/package-lock.json -nt "$stamp" ]; then
    echo "browser-setup: npm ci in tests/browser"
    (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
