#!/usr/bin/env bash
# Flood benchmark: what expensive or slow requests cost since the serving limits (issue 8).
# Against a fresh release `quire serve` on a seeded archive (as bench/pages.sh seeds and starts it):
#   (a) cached reads of a big work page (the whole of the longest readable work),
#   (b) a flood of cache-busting requests, each with its own unknown parameter (now cheap 400s),
#   (c) 500 idle TCP connections held open while a normal request is timed, and how many of
#       them the header-read timeout has closed a little later.
# Writes bench/results/flood.json. Usage: bench/flood.sh   (WORKS=10000 DURATION=10s by default)
set -euo pipefail
cd "$(dirname "$0")/.."
works="${WORKS:-10000}"
duration="${DURATION:-10s}"
port=18090
header_timeout=5

command -v wrk >/dev/null || {
    echo "installing wrk"
    apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
}

cargo build --release --quiet -p quire-cli
target="${CARGO_TARGET_DIR:-target}"
quire="$target/release/quire"
data="${BENCH_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/quire-bench/seed-$works}"
if [ ! -f "$data/quire.db" ]; then
    echo "seeding $works works into $data"
    "$quire" seed --works "$works" --data "$data"
fi

work_dir=$(mktemp -d)
cleanup() {
    [ -n "${quire_pid:-}" ] && kill "$quire_pid" 2>/dev/null || true
    rm -rf "$work_dir"
}
trap cleanup EXIT

# The longest work a guest can read without the adult gate, whole.
read -r work_id words < <(python3 - "$data/quire.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
row = db.execute("SELECT id, word_count FROM works WHERE rating IN ('General Audiences', 'Teen And Up Audiences') "
                 "AND posted AND NOT restricted AND NOT hidden_by_admin "
                 "AND EXISTS (SELECT 1 FROM chapters c WHERE c.work_id = works.id AND c.posted) "
                 "AND NOT EXISTS (SELECT 1 FROM chapters c WHERE c.work_id = works.id AND NOT c.posted) "
                 "ORDER BY word_count DESC, id LIMIT 1").fetchone()
print(*row)
PY
)

QUIRE_HEADER_READ_TIMEOUT_SECS=$header_timeout \
    "$quire" serve --data "$data" --bind "127.0.0.1:$port" >"$work_dir/quire.log" 2>&1 &
quire_pid=$!
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
    sleep 0.1
done

base="http://127.0.0.1:$port"
page="/works/$work_id?view_full_work=true"
# The first request renders the page (what every cache-busting request used to cost).
first_render_ms=$(curl -sf -o "$work_dir/page.html" -w '%{time_total}' "$base$page" | awk '{printf "%.1f", $1 * 1000}')
page_bytes=$(stat -c %s "$work_dir/page.html")
status=$(curl -s -o /dev/null -w '%{http_code}' "$base$page&x=1")
[ "$status" = 400 ] || { echo "an unknown parameter answered $status, not 400" >&2; exit 1; }

cat >"$work_dir/bust.lua" <<'LUA'
-- Every request carries a parameter no other request had.
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("id", threads)
end
local n = 0
function request()
    n = n + 1
    return wrk.format("GET", wrk.path .. "&bust" .. id .. "x" .. n .. "=1")
end
LUA

# Prints "requests_per_second p99_ms non_2xx requests" for one wrk run.
measure() {
    wrk -t2 -c32 -d"$duration" --latency "$@" >"$work_dir/wrk.txt"
    python3 - "$work_dir/wrk.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
requests = int(re.search(r"(\d+) requests in", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{rps:.0f} {p99:.2f} {int(errors.group(1)) if errors else 0} {requests}")
PY
}

echo "big work page: $base$page ($words words, $page_bytes bytes, first render $first_render_ms ms)"
read -r cached_rps cached_p99 cached_errors _ < <(measure "$base$page")
[ "$cached_errors" = 0 ] || { echo "cached reads saw $cached_errors errors" >&2; exit 1; }
echo "  (a) cached reads:            $cached_rps req/s, p99 $cached_p99 ms"
read -r bust_rps bust_p99 bust_non2xx bust_requests < <(measure -s "$work_dir/bust.lua" "$base$page")
echo "  (b) cache-busting flood:     $bust_rps req/s, p99 $bust_p99 ms ($bust_non2xx of $bust_requests answered 400)"
[ "$bust_non2xx" = "$bust_requests" ] || { echo "some cache-busting requests were not refused" >&2; exit 1; }
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$quire_pid/status")

# (c) 500 idle connections, a normal request timed while they are open, then the timeout's work.
python3 - "$port" "$page" "$header_timeout" >"$work_dir/idle.json" <<'PY'
import http.client, json, socket, statistics, sys, time
port, page, timeout = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
idle = []
for _ in range(500):
    s = socket.create_connection(("127.0.0.1", port))
    idle.append(s)
time.sleep(0.5)
latencies = []
for _ in range(20):
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", page)
    response = conn.getresponse()
    response.read()
    assert response.status == 200, response.status
    latencies.append((time.perf_counter() - start) * 1000)
    conn.close()
time.sleep(timeout + 2)
closed = 0
for s in idle:
    s.settimeout(0.5)
    try:
        if s.recv(1) == b"":
            closed += 1
    except (ConnectionResetError, BrokenPipeError):
        closed += 1
    except socket.timeout:
        pass
    s.close()
print(json.dumps({"idle_connections": len(idle),
                  "request_ms_median": round(statistics.median(latencies), 2),
                  "request_ms_max": round(max(latencies), 2),
                  "closed_after_header_timeout": closed,
                  "header_read_timeout_s": timeout}))
PY
echo "  (c) 500 idle connections:    $(cat "$work_dir/idle.json")"

mkdir -p bench/results
python3 - "$work_dir/idle.json" <<PY
import json, datetime, os, sys
idle = json.load(open(sys.argv[1]))
result = {
    "benchmark": "flood: wrk -t2 -c32 -d$duration, loopback, no cookies, no compression",
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "machine": {"cores": os.cpu_count()},
    "works": $works,
    "big_work_page": {"url": "$base$page", "words": $words, "bytes": $page_bytes,
                      "first_render_ms": $first_render_ms},
    "cached_reads": {"requests_per_second": $cached_rps, "p99_ms": $cached_p99},
    "cache_busting_flood": {"requests_per_second": $bust_rps, "p99_ms": $bust_p99,
                            "requests": $bust_requests, "answered_400": $bust_non2xx},
    "flood_to_cached_ratio": round($bust_rps / $cached_rps, 2),
    "idle_connections": idle,
    "server_rss_mb": round($rss_kb / 1024, 1),
}
json.dump(result, open("bench/results/flood.json", "w"), indent=2)
print(json.dumps(result, indent=2))
PY
