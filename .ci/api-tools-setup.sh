#!/usr/bin/env bash
# Installs what the API and feed checks (crates/cli/tests/api_tools.rs) need: a Python venv with
# schemathesis (fuzzes the API against its OpenAPI document) and feedparser (reads the Atom
# feeds as feed readers do). Debian's python3-venv comes from apt when the venv cannot be made.
# Idempotent; prints the venv's path on its last line.
# Usage: api-tools-setup.sh [VENV-DIR]   (default: $QUIRE_PYTHON_VENV or ~/.cache/quire-venv)
set -euo pipefail

venv="${1:-${QUIRE_PYTHON_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/quire-venv}}"
requirements=("schemathesis>=4,<5" "feedparser>=6,<7")

ready() {
    [ -x "$venv/bin/schemathesis" ] && "$venv/bin/python" -c "import feedparser" 2>/dev/null
}
if ready; then
    echo "$venv"
    exit 0
fi

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
if ! python3 -m venv "$venv" >/dev/null 2>&1 || [ ! -x "$venv/bin/pip" ]; then
    echo "api-tools-setup: installing python3-venv (Debian package)" >&2
    rm -rf "$venv"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
    python3 -m venv "$venv"
fi
echo "api-tools-setup: installing ${requirements[*]} into $venv" >&2
"$venv/bin/pip" install --quiet --disable-pip-version-check "${requirements[@]}" >&2
ready || { echo "api-tools-setup: schemathesis or feedparser did not install" >&2; exit 1; }
echo "$venv"
