#!/usr/bin/env bash
# Search and browse benchmark (issue 9): a seeded archive of WORKS works (default 1,000,000),
# its index rebuilt with `quire reindex`, then `quire serve --no-page-cache` measured with wrk
# on the listings readers use most, as a guest and as a signed-in reader with 20 muted tags.
# Beside each, the same question asked of the SQLite database the naive way (joins, GROUP BY,
# LIMIT/OFFSET), timed in-process with Python's sqlite3, so that the ratio is plain.
#
# Writes bench/results/search.json. Usage: bench/search.sh
#   WORKS=1000000 MAX_WORDS=400 DURATION=10s CONNECTIONS=2 SQL_RUNS=5 BENCH_DATA=DIR QUIRE_BIN=PATH
set -euo pipefail
cd "$(dirname "$0")/.."
works="${WORKS:-1000000}"
max_words="${MAX_WORDS:-400}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-2}"
sql_runs="${SQL_RUNS:-5}"
port=18090

for tool in wrk curl; do
    command -v "$tool" >/dev/null || {
        echo "installing $tool"
        apt-get install -y -qq "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null; }
    }
done
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

# QUIRE_BIN: a release binary built already (else this checkout is built).
quire="${QUIRE_BIN:-}"
if [ -z "$quire" ]; then
    cargo build --release --quiet
    quire="${CARGO_TARGET_DIR:-target}/release/quire"
fi
data="${BENCH_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/quire-bench/search-$works}"
work_dir=$(mktemp -d)
cleanup() {
    [ -n "${quire_pid:-}" ] && kill "$quire_pid" 2>/dev/null || true
    rm -rf "$work_dir"
}
trap cleanup EXIT

# Python's spelling: the figures below are written by a Python script.
seed_seconds=None
if [ ! -f "$data/quire.db" ]; then
    echo "seeding $works works (at most $max_words words each) into $data"
    start=$(date +%s.%N)
    "$quire" seed --works "$works" --max-words "$max_words" --data "$data"
    seed_seconds=$(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $start}")
fi

echo "rebuilding the search index"
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work_dir/reindex.rss" "$quire" reindex --data "$data"
reindex_seconds=$(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $start}")
reindex_rss_kib=$(tail -n 1 "$work_dir/reindex.rss")
index_bytes=$(du -sb "$data/search-index" | cut -f1)
database_bytes=$(stat -c %s "$data/quire.db")

# A reader whose 20 muted tags (additional tags 11 to 30 by use) search_run.py sets.
"$quire" user add benchreader --email bench@example.org --data "$data" \
    <<<"bench-password-1234" >/dev/null 2>&1 || true

# The queries, picked from the database, as URL paths and as naive SQL.
python3 bench/search_queries.py "$data/quire.db" "$work_dir/queries.json" "$sql_runs"

"$quire" serve --data "$data" --no-page-cache --bind "127.0.0.1:$port" >"$work_dir/quire.log" 2>&1 &
quire_pid=$!
for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.2
done

# Kept outside the scratch folder: a failure after the long runs must not lose them.
served="$data/served.json"
python3 bench/search_run.py "$work_dir/queries.json" "http://127.0.0.1:$port" \
    "$duration" "$connections" "$data" >"$served"
rss_kib=$(awk '/VmRSS/ {print $2}' "/proc/$quire_pid/status")

mkdir -p bench/results
python3 - "$served" <<PY
import json, datetime, os, sys
served = json.load(open(sys.argv[1]))
result = {
    "benchmark": "search and browse: quire serve --no-page-cache, wrk -t1 -c$connections -d$duration --latency "
                 "per query on loopback; SQL: the same question asked of the SQLite file the naive way "
                 "(python sqlite3, $sql_runs runs, warm page cache)",
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "machine": {"cores": os.cpu_count(), "load_average_at_end": open("/proc/loadavg").read().split()[:3]},
    "archive": {"works": $works, "max_words": $max_words, "seed_seconds": $seed_seconds,
                "database_bytes": $database_bytes},
    "reindex": {"seconds": $reindex_seconds, "max_rss_kib": $reindex_rss_kib, "index_bytes": $index_bytes},
    "server_rss_kib_after": $rss_kib,
    "queries": served,
}
json.dump(result, open("bench/results/search.json", "w"), indent=2)
print(json.dumps(result, indent=2))
PY
