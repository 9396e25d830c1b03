#!/usr/bin/env bash
# Scale-out benchmark (issue 14): bench/pages.sh's work page and fandom listing, cached and
# uncached, on SQLite with one node, on PostgreSQL with one node, and on PostgreSQL with three
# nodes behind nginx, all on this machine: so beside requests/s it reports requests per
# CPU-second of a node and of PostgreSQL (bench/cluster_run.py). Then import throughput into
# each backend (5,000 emitted story files), and `quire copy` of the archive into PostgreSQL.
#
# Writes bench/results/cluster.json. Usage: bench/cluster.sh
#   WORKS=100000 DURATION=10s PG_URL=postgres://postgres@127.0.0.1:5432/postgres QUIRE_BIN=PATH
set -euo pipefail
cd "$(dirname "$0")/.."
works="${WORKS:-100000}"
duration="${DURATION:-10s}"
pg_url="${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

bash .ci/cluster-setup.sh
psql "$pg_url" -qAtc 'SELECT 1' >/dev/null || { echo "no PostgreSQL at $pg_url (set PG_URL)" >&2; exit 1; }

quire="${QUIRE_BIN:-}"
if [ -z "$quire" ]; then
    cargo build --release --quiet -p quire-cli
    quire="${CARGO_TARGET_DIR:-target}/release/quire"
fi
data="${BENCH_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/quire-bench/seed-$works}"
if [ ! -f "$data/quire.db" ]; then
    echo "seeding $works works into $data"
    "$quire" seed --works "$works" --data "$data"
fi

mkdir -p bench/results
python3 bench/cluster_run.py "$quire" "$data" "$pg_url" "$works" "$duration" bench/results/cluster.json
