#!/usr/bin/env bash
# Installs what the web-mirror import test (crates/import/tests/mirror_crawl.rs) needs: Debian's
# wget, which crawls the test's loopback sites with `--mirror` and `--warc-file`. Idempotent and
# quiet; a no-op when wget is there.
set -euo pipefail

if wget --version >/dev/null 2>&1; then
    exit 0
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "wget-setup: installing wget (Debian package)"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends wget >/dev/null
wget --version >/dev/null 2>&1 || { echo "wget-setup: wget installed but does not run" >&2; exit 1; }
