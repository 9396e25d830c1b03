#!/usr/bin/env bash
# Times EPUB generation for a 100,000-word, 50-chapter work (uncached, in process, release
# build; the target is under 50 ms) and writes bench/results/exports.json.
# Usage: bench/exports.sh [RUNS]   (default 30: the median counts)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"
cargo build --release --quiet -p quire-export --example epub_bench
bench="${CARGO_TARGET_DIR:-target}/release/examples/epub_bench"
result=$("$bench" "$runs")
mkdir -p bench/results
cat > bench/results/exports.json <<JSON
{
  "benchmark": "EPUB of a 100,000-word, 50-chapter work (quire-export, in process, uncached)",
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "machine": {"cores": $(nproc), "memory_gib": $(free -g | awk '/Mem:/ {print $2}'), "load_average": "$(cut -d' ' -f1-3 /proc/loadavg)"},
  "target_ms": 50,
  "epub": $result
}
JSON
cat bench/results/exports.json
