#!/usr/bin/env bash
# Times `quire copy` of a seeded archive from SQLite into a fresh PostgreSQL schema (and back
# into a fresh SQLite file), verification included, and writes bench/results/copy.json
# (works/s each way, rows, seconds, machine).
# Usage: bench/copy.sh [WORKS] [MAX_WORDS]   (defaults 100000, 10000)
# PostgreSQL: QUIRE_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); a
# schema quire_bench_copy_<pid> is made in it for the run and dropped afterwards (needs psql).
set -euo pipefail
cd "$(dirname "$0")/.."
works="${1:-100000}"
max_words="${2:-10000}"
server="${QUIRE_BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
cargo build --release --quiet -p quire-cli
quire="${CARGO_TARGET_DIR:-target}/release/quire"
work=$(mktemp -d)
schema="quire_bench_copy_$$"
cleanup() {
  psql -q "$server" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"$quire" seed --data "$work/data" --works "$works" --max-words "$max_words" >/dev/null
db_bytes=$(stat -c %s "$work/data/quire.db")
psql -q "$server" -c "CREATE SCHEMA $schema" >/dev/null
separator='?'; case "$server" in *\?*) separator='&';; esac
target="${server}${separator}options[search_path]=$schema"

timed() { # prints seconds; the command's stdout goes to $work/out
  local start end
  start=$(date +%s.%N)
  "$@" >"$work/out"
  end=$(date +%s.%N)
  awk "BEGIN {printf \"%.2f\", $end - $start}"
}
to_pg=$(timed "$quire" --data "$work/data" copy --to "$target")
cat "$work/out" >&2
rows=$(awk 'NF == 4 && $2 ~ /^[0-9]+$/ {sum += $2} END {print sum}' "$work/out")
back=$(timed "$quire" --data "$work/unused" --database-url "$target" copy --to "sqlite:$work/back/quire.db")
cat "$work/out" >&2

mkdir -p bench/results
cat > bench/results/copy.json <<JSON
{
  "benchmark": "quire copy of quire seed --works $works --max-words $max_words: SQLite -> fresh PostgreSQL schema, then back into a fresh SQLite file; each run reads one snapshot, writes batches of 1000 rows, and verifies every table's rows and checksum",
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "machine": {"cores": $(nproc), "memory_gib": $(free -g | awk '/Mem:/ {print $2}'), "cpu": "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')", "load_average": "$(cut -d' ' -f1-3 /proc/loadavg)"},
  "works": $works,
  "rows": $rows,
  "sqlite_bytes": $db_bytes,
  "sqlite_to_postgres_seconds": $to_pg,
  "sqlite_to_postgres_works_per_second": $(awk "BEGIN {printf \"%d\", $works / $to_pg}"),
  "postgres_to_sqlite_seconds": $back,
  "postgres_to_sqlite_works_per_second": $(awk "BEGIN {printf \"%d\", $works / $back}")
}
JSON
cat bench/results/copy.json
