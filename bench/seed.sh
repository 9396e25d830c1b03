#!/usr/bin/env bash
# Times `quire seed --works N` into a fresh SQLite archive and writes bench/results/seed.json.
# Usage: bench/seed.sh [WORKS]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
works="${1:-100000}"
cargo build --release --quiet
quire="${CARGO_TARGET_DIR:-target}/release/quire"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

start=$(date +%s.%N)
"$quire" seed --works "$works" --data "$data"
end=$(date +%s.%N)
seconds=$(awk "BEGIN {printf \"%.1f\", $end - $start}")
bytes=$(stat -c %s "$data/quire.db")
mkdir -p bench/results
cat > bench/results/seed.json <<JSON
{
  "benchmark": "quire seed --works $works (SQLite, default distribution)",
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "machine": {"cores": $(nproc), "memory_gib": $(free -g | awk '/Mem:/ {print $2}')},
  "works": $works,
  "seconds": $seconds,
  "works_per_second": $(awk "BEGIN {printf \"%d\", $works / $seconds}"),
  "database_bytes": $bytes
}
JSON
cat bench/results/seed.json
