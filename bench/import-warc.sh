#!/usr/bin/env bash
# Imports one generated WARC crawl of an eFiction-like site (about 1 GB of HTML before gzip,
# one gzip member per record, as `wget --warc-file` writes them) into a fresh SQLite archive,
# under `/usr/bin/time -v`, and records pages/s and peak RSS as "warc" in
# bench/results/import.json (the file's other entries are kept). Everything is written under
# /tmp and deleted afterwards.
# Usage: bench/import-warc.sh [MEGABYTES] [CHAPTERS_PER_STORY]   (defaults 1024, 3)
# QUIRE_BIN=path/to/quire uses that binary instead of building a release one (its build is
# recorded: only a release build's throughput means anything; peak RSS is telling either way).
set -euo pipefail
cd "$(dirname "$0")/.."
megabytes="${1:-1024}"
chapters="${2:-3}"
if [ -n "${QUIRE_BIN:-}" ]; then
  quire="$QUIRE_BIN"
  build=$(case "$quire" in */debug/*) echo debug ;; *) echo release ;; esac)
else
  cargo build --release --quiet -p quire-cli
  quire="${CARGO_TARGET_DIR:-target}/release/quire"
  build=release
fi
work=$(mktemp -d /tmp/quire-warc-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

python3 - "$work/crawl.warc.gz" "$megabytes" "$chapters" <<'PY'
import gzip, random, sys, uuid
dst, megabytes, chapters = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
words = ("lamp tide harbour salt road reed heron quay wick dusk flats roof cart dyke song boat "
         "keeper almanac spring river stone bell gull rope net mist lantern shore").split()
def para(n):
    return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."
def page(sid, ch, n):
    opts = "".join(f'<option value="{i}">{i}. Part {i}</option>' for i in range(1, n + 1))
    text = "".join(f"<p>{para(rng.randint(40, 120))}</p>" for _ in range(rng.randint(8, 30)))
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Bench Archive :: Story {sid}</title></head><body>'
            f'<div id="menu"><a href="index.php">Home</a> | <a href="browse.php">Browse</a></div>'
            f'<div id="pagetitle"><a href="viewstory.php?sid={sid}">Story {sid}</a> by '
            f'<a href="viewuser.php?uid={sid % 500}">Author {sid % 500}</a></div>'
            f'<div class="infobox"><span class="label">Rating:</span> PG<br><span class="label">Categories:</span> Bench<br>'
            f'<span class="label">Completed:</span> Yes</div>'
            f'<div class="jumpmenu"><select name="chapter">{opts}</select></div>'
            f'<div class="chaptertitle">{ch}. Part {ch} by Author {sid % 500}</div>'
            f'<div id="story">{text}</div><div id="footer">Powered by eFiction</div></body></html>\n')
limit = megabytes << 20
raw = pages = 0
sid = 0
with open(dst, "wb") as out:
    while raw < limit:
        sid += 1
        for ch in range(1, chapters + 1):
            body = page(sid, ch, chapters).encode()
            http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}>\r\n"
                    f"WARC-Date: 2009-03-0{1 + ch % 9}T12:00:00Z\r\n"
                    f"WARC-Target-URI: http://bench.example.org/viewstory.php?sid={sid}&chapter={ch}\r\n"
                    f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
            out.write(gzip.compress(head + http + b"\r\n\r\n", compresslevel=1))
            raw += len(http)
            pages += 1
print(pages, sid, raw, file=open(dst + ".count", "w"))
PY
read -r pages stories raw_bytes <"$work/crawl.warc.gz.count"
warc_bytes=$(stat -c %s "$work/crawl.warc.gz")
cat "$work/crawl.warc.gz" >/dev/null
sync

/usr/bin/time -v "$quire" import --data "$work/data" "$work/crawl.warc.gz" >"$work/summary.txt" 2>"$work/time.txt" || true
imported=$(grep -oE '[0-9]+ imported' "$work/summary.txt" | head -1 | tr -dc 0-9)
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
elapsed=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
seconds=$(echo "$elapsed" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
if [ "$imported" != "$stories" ]; then
  echo "imported ${imported:-0} of $stories stories" >&2
  head -20 "$work/summary.txt" "$work/time.txt" >&2
  exit 1
fi

mkdir -p bench/results
python3 - bench/results/import.json <<PY
import json, os, sys
path = sys.argv[1]
data = {}
if os.path.exists(path):
    with open(path) as f:
        data = json.load(f)
data["warc"] = {
    "benchmark": "quire import of one generated WARC ($warc_bytes bytes gzip'd, $raw_bytes bytes of HTTP responses, $pages response records: $stories eFiction stories of $chapters chapter pages) into a fresh SQLite archive, $build build, under /usr/bin/time -v",
    "build": "$build",
    "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
    "machine": {"cores": $(nproc), "memory_gib": $(free -g | awk '/Mem:/ {print $2}'), "load_average": "$(cut -d' ' -f1-3 /proc/loadavg)"},
    "warc_bytes": $warc_bytes,
    "response_bytes": $raw_bytes,
    "pages": $pages,
    "stories": $stories,
    "seconds": round($seconds, 2),
    "pages_per_second": int($pages / $seconds),
    "megabytes_per_second": round($raw_bytes / 1048576 / $seconds, 1),
    "peak_rss_mib": round($rss_kb / 1024, 1),
}
with open(path, "w") as f:
    json.dump(data, f, indent=2)
    f.write("\n")
print(json.dumps(data["warc"], indent=2))
PY
