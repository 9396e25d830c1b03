#!/usr/bin/env bash
# Installs what the EPUB validation test (crates/export/tests/epubcheck.rs) needs: Debian's
# epubcheck, with the Java runtime it depends on. Idempotent and quiet; a no-op when it runs.
# Debian ships epubcheck as an executable jar; the test runs it with `java -jar`, which works
# where the kernel does not hand jars to Java by itself.
set -euo pipefail

jar=/usr/share/java/epubcheck.jar
# `--version` exits non-zero (no file to check), so only its output tells.
runs() { [[ "$(java -jar "$jar" --version 2>&1 || true)" == *EPUBCheck* ]]; }
if runs; then
    exit 0
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "epubcheck-setup: installing epubcheck (Debian package)"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends epubcheck >/dev/null
runs || { echo "epubcheck-setup: epubcheck installed but does not run" >&2; exit 1; }
