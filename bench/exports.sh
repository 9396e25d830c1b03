#!/usr/bin/env bash
# Exports benchmark (release build), written to bench/results/exports.json:
#  1. EPUB generation of a 100,000-word, 50-chapter work (in process, uncached; target < 50 ms;
#     the median of RUNS, with HTML and TXT beside it).
#  2. A whole-archive export: `quire export --out DIR` of a seeded archive of WORKS works of at
#     most 400 words (`quire seed --works WORKS --max-words 400`), EPUB: works/s and peak RSS
#     (/usr/bin/time -f %M).
#  3. API list throughput: wrk -t2 -c32 -d10s --latency on /api/v1/works (requests/s, p99),
#     on the same archive, with the rate limit and the page cache off.
# Usage: bench/exports.sh   (RUNS=30 WORKS=100000 DURATION=10s by default)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-30}"
works="${WORKS:-100000}"
duration="${DURATION:-10s}"
port=18090

command -v wrk >/dev/null || {
    echo "installing wrk"
    apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
}

# One build for both, so that features are unified once.
nice -n 10 cargo build --release --quiet --workspace --bins --examples
target="${CARGO_TARGET_DIR:-target}"
quire="$target/release/quire"

work_dir=$(mktemp -d)
cleanup() {
    [ -n "${quire_pid:-}" ] && kill "$quire_pid" 2>/dev/null || true
    rm -rf "$work_dir"
}
trap cleanup EXIT

echo "1. EPUB of a 100,000-word, 50-chapter work ($runs runs)"
epub=$("$target/release/examples/epub_bench" "$runs")
echo "   $epub"

data="$work_dir/data"
echo "2. seeding $works works of at most 400 words"
"$quire" seed --works "$works" --max-words 400 --data "$data" >/dev/null
/usr/bin/time -f "%M %e" -o "$work_dir/time.txt" \
    "$quire" export --data "$data" --out "$work_dir/out" --format epub >"$work_dir/export.txt"
read -r peak_kb export_secs <"$work_dir/time.txt"
files=$(find "$work_dir/out" -name '*.epub' | wc -l)
out_mb=$(du -sm "$work_dir/out" | cut -f1)
echo "   $(cat "$work_dir/export.txt"); peak RSS $((peak_kb / 1024)) MB"
rm -rf "$work_dir/out"

echo "3. /api/v1/works with wrk"
# No rate limit (one client is the point here) and no page cache: every request is a listing
# from the index and the database, as for a signed-in reader or a new query.
QUIRE_API_REQUESTS_PER_MINUTE=0 "$quire" serve --no-page-cache --data "$data" \
    --bind "127.0.0.1:$port" >"$work_dir/quire.log" 2>&1 &
quire_pid=$!
api="http://127.0.0.1:$port/api/v1/works"
# The first answers come from the database while the index is being built: wait for the index.
# (A listing by kudos is one the database cannot answer: it succeeds once the index is ready.)
for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/works?sort=kudos" >/dev/null 2>&1 && break
    sleep 1
done
curl -sf -o /dev/null "$api" || { echo "cannot fetch $api" >&2; exit 1; }
wrk -t2 -c32 -d"$duration" --latency "$api" >"$work_dir/wrk.txt"
read -r api_rps api_p99 < <(python3 - "$work_dir/wrk.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if errors:
    sys.exit(f"wrk saw {errors.group(1)} error responses")
print(f"{rps:.0f} {p99:.2f}")
PY
)
echo "   $api_rps req/s, p99 $api_p99 ms"

mkdir -p bench/results
python3 - <<PY
import datetime, json, os
epub = json.loads('''$epub''')
secs = float("$export_secs")
result = {
    "benchmark": "exports: EPUB of one long work, whole-archive export, API list (release build)",
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "machine": {"cores": os.cpu_count(), "load_average": open("/proc/loadavg").read().split()[:3]},
    "epub": dict(epub, target_ms=50, method="in process, uncached, median of runs"),
    "archive_export": {
        "works_seeded": $works, "max_words": 400, "format": "epub",
        "files": $files, "seconds": secs, "works_per_second": round($files / secs, 1),
        "peak_rss_mb": round($peak_kb / 1024, 1), "output_mb": $out_mb,
        "method": "quire export --out DIR under /usr/bin/time -f %M",
    },
    "api_list": {
        "url": "/api/v1/works", "requests_per_second": $api_rps, "p99_ms": $api_p99,
        "method": "wrk -t2 -c32 -d$duration --latency, loopback, search index built, no page cache, no rate limit",
    },
}
json.dump(result, open("bench/results/exports.json", "w"), indent=2)
print(json.dumps(result, indent=2))
PY
