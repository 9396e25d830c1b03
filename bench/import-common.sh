# Shared by the streamed-import benchmarks (import-efiction.sh, import-mbox.sh, import-warc.sh);
# sourced, not run. Each keeps its own input generator; these are the steps they share.

# The binary under test: QUIRE_BIN when set (its build read from its path: only a release
# build's throughput means anything; peak RSS is telling either way), else a release build.
# Sets $quire and $build.
pick_quire() {
  if [ -n "${QUIRE_BIN:-}" ]; then
    quire="$QUIRE_BIN"
    build=$(case "$quire" in */debug/*) echo debug ;; *) echo release ;; esac)
  else
    cargo build --release --quiet -p quire-cli
    quire="${CARGO_TARGET_DIR:-target}/release/quire"
    build=release
  fi
}

# timed_import INPUT EXPECTED NOUN: `quire import --data $work/data INPUT` under
# `/usr/bin/time -v`; ends the script (exit 1) unless EXPECTED works were imported.
# Sets $seconds (wall clock) and $rss_kb (peak RSS).
timed_import() {
  local input=$1 expected=$2 noun=$3 imported failed elapsed
  /usr/bin/time -v "$quire" import --data "$work/data" "$input" >"$work/summary.txt" 2>"$work/time.txt" || true
  imported=$(grep -oE '[0-9]+ imported' "$work/summary.txt" | head -1 | tr -dc 0-9 || true)
  # No failures, no such line: grep's status must not end the script (pipefail).
  failed=$(grep -oE '^[0-9]+ of [0-9]+ stories failed' "$work/summary.txt" | head -1 | cut -d' ' -f1 || true)
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  elapsed=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
  seconds=$(echo "$elapsed" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  if [ "${imported:-0}" != "$expected" ]; then
    echo "imported ${imported:-0} of $expected $noun (${failed:-0} failed)" >&2
    head -20 "$work/summary.txt" "$work/time.txt" >&2
    exit 1
  fi
}

# record_stream KEY INPUT_BYTES STORIES BENCHMARK [EXTRA_JSON]: writes the run timed by
# timed_import as KEY in bench/results/import.json (the file's other entries are kept), with
# the machine it ran on, and prints it. EXTRA_JSON is an object of further fields.
record_stream() {
  mkdir -p bench/results
  python3 - bench/results/import.json "$1" "$2" "$3" "$4" "${5:-{\}}" "$build" "$seconds" "$rss_kb" <<'PY'
import json, os, sys, time
path, key, input_bytes, stories, benchmark, extra, build, seconds, rss_kb = sys.argv[1:]
input_bytes, stories, seconds = int(input_bytes), int(stories), float(seconds)
data = {}
if os.path.exists(path):
    with open(path) as f:
        data = json.load(f)
meminfo = dict(line.split(":", 1) for line in open("/proc/meminfo"))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "")
entry = {
    "benchmark": benchmark,
    "build": build,
    "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "machine": {
        "cores": os.cpu_count(),
        "memory_gib": int(meminfo["MemTotal"].split()[0]) >> 20,
        "cpu": cpu,
        "load_average": " ".join(open("/proc/loadavg").read().split()[:3]),
    },
    "input_bytes": input_bytes,
    **json.loads(extra),
    "stories": stories,
    "seconds": round(seconds, 2),
    "stories_per_second": int(stories / seconds),
    "megabytes_per_second": round(input_bytes / 1048576 / seconds, 1),
    "peak_rss_mib": round(int(rss_kb) / 1024, 1),
}
data[key] = entry
with open(path, "w") as f:
    json.dump(data, f, indent=2)
    f.write("\n")
print(json.dumps(entry, indent=2))
PY
}
