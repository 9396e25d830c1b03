#!/usr/bin/env bash
# Times `quire import` of the files `quire seed --emit-files` writes, into a fresh SQLite
# archive, and writes bench/results/import.json (stories/s, works, seconds, machine).
# Usage: bench/import.sh [WORKS] [MAX_WORDS] [RUNS]   (defaults 10000, 10000, 3: the best run counts)
set -euo pipefail
cd "$(dirname "$0")/.."
works="${1:-10000}"
max_words="${2:-10000}"
runs="${3:-3}"
cargo build --release --quiet -p quire-cli
quire="${CARGO_TARGET_DIR:-target}/release/quire"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$quire" seed --works "$works" --max-words "$max_words" --emit-files "$work/files" >/dev/null
files_bytes=$(du -sb "$work/files" | cut -f1)

best=""
all=()
for run in $(seq 1 "$runs"); do
  rm -rf "$work/data"
  # Reading the files once first: the page cache, not the disk, is what every run sees; and
  # the previous run's database is flushed away before this one starts.
  cat "$work"/files/*/* >/dev/null
  sync
  sleep 1
  start=$(date +%s.%N)
  "$quire" import --data "$work/data" --json "$work/files" >"$work/report.json"
  end=$(date +%s.%N)
  seconds=$(awk "BEGIN {printf \"%.2f\", $end - $start}")
  imported=$(grep -m1 '"imported"' "$work/report.json" | tr -dc 0-9)
  if [ "$imported" != "$works" ]; then
    echo "run $run imported $imported of $works works" >&2
    exit 1
  fi
  all+=("$seconds")
  if [ -z "$best" ] || awk "BEGIN {exit !($seconds < $best)}"; then best=$seconds; fi
  echo "run $run: $works works in ${seconds}s" >&2
done

# The same files again: every work skipped (parsing and hashing, no writes).
start=$(date +%s.%N)
"$quire" import --data "$work/data" --json "$work/files" >"$work/again.json"
end=$(date +%s.%N)
again=$(awk "BEGIN {printf \"%.2f\", $end - $start}")

mkdir -p bench/results
cat > "$work/result.json" <<JSON
{
  "benchmark": "quire import of $works plain-text stories from quire seed --works $works --max-words $max_words --emit-files (SQLite, fresh archive, --json report)",
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "machine": {"cores": $(nproc), "memory_gib": $(free -g | awk '/Mem:/ {print $2}'), "cpu": "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')", "load_average": "$(cut -d' ' -f1-3 /proc/loadavg)"},
  "works": $works,
  "input_bytes": $files_bytes,
  "runs_seconds": [$(IFS=,; echo "${all[*]}")],
  "seconds": $best,
  "stories_per_second": $(awk "BEGIN {printf \"%d\", $works / $best}"),
  "reimport_all_skipped_seconds": $again,
  "reimport_stories_per_second": $(awk "BEGIN {printf \"%d\", $works / $again}")
}
JSON
# Keep what other benchmarks wrote into the file (bench/import-mbox.sh's "mbox_stream",
# bench/import-efiction.sh's "efiction_stream").
python3 - "$work/result.json" bench/results/import.json <<'PY'
import json, os, sys
new = json.load(open(sys.argv[1]))
if os.path.exists(sys.argv[2]):
    old = json.load(open(sys.argv[2]))
    for key in ("mbox_stream", "efiction_stream"):
        if key in old:
            new[key] = old[key]
with open(sys.argv[2], "w") as f:
    json.dump(new, f, indent=2)
    f.write("\n")
PY
cat bench/results/import.json
