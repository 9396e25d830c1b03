#!/usr/bin/env bash
# Installs what the several-nodes test (crates/cli/tests/cluster) and bench/cluster.sh need
# besides PostgreSQL (.ci/postgres.sh): nginx as the load balancer (Debian's nginx-light) and
# wrk for load. Idempotent and quiet; a no-op when both are there. The packages' own nginx
# service is not started: the test runs nginx itself, on loopback ports of its own.
set -euo pipefail

if command -v nginx >/dev/null && command -v wrk >/dev/null; then
    exit 0
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "cluster-setup: installing nginx-light and wrk (Debian packages)"
export DEBIAN_FRONTEND=noninteractive
# Keep the package scripts from starting nginx on port 80 (101: action forbidden).
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    made_policy=1
fi
trap '[ "$made_policy" = 1 ] && $sudo rm -f "$policy"' EXIT
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends nginx-light wrk >/dev/null
command -v nginx >/dev/null && command -v wrk >/dev/null \
    || { echo "cluster-setup: nginx or wrk installed but not on PATH" >&2; exit 1; }
