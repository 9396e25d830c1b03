#!/usr/bin/env bash
# Crawls a generated eFiction-like site with wget and imports the crawl: a small Python server
# on a loopback port answers `browse.php?page=N` (100 stories a page, each linking to the next
# page), `viewstory.php?sid=N&chapter=M` (chapter pages linking to the next chapter) and
# `viewuser.php?uid=N`, each page's text made from its own seed; `wget --mirror --warc-file`
# crawls it into one `.warc.gz` (one gzip member per record) holding at least MEGABYTES of
# HTTP responses. The crawl is then imported into a fresh SQLite archive under
# `/usr/bin/time -v`, and MB/s, stories/s and peak RSS are recorded in
# bench/results/import-warc.json. Everything is written under /tmp and deleted afterwards.
# Usage: bench/import-warc.sh [MEGABYTES] [CHAPTERS_PER_STORY]   (defaults 1024, 3)
# QUIRE_BIN=path/to/quire uses that binary instead of building a release one (its build is
# recorded: only a release build's throughput means anything; peak RSS is telling either way).
set -euo pipefail
cd "$(dirname "$0")/.."
megabytes="${1:-1024}"
chapters="${2:-3}"
source bench/import-common.sh
pick_quire
work=$(mktemp -d /tmp/quire-warc-bench.XXXXXX)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A page is about 10 KiB: enough stories for MEGABYTES of chapter pages, plus a margin.
stories=$(( (megabytes * 1024 * 105 / 100) / (10 * chapters) + 1 ))
python3 - "$work/port" "$stories" "$chapters" <<'PY' &
import random, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
port_file, stories, chapters = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
words = ("lamp tide harbour salt road reed heron quay wick dusk flats roof cart dyke song boat "
         "keeper almanac spring river stone bell gull rope net mist lantern shore").split()
AUTHORS = 500
PER_PAGE = 100
def shell(title, body):
    return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Bench Archive :: '
            f'{title}</title></head><body><div id="menu"><a href="index.php">Home</a> | '
            f'<a href="browse.php?page=1">Browse</a></div>\n{body}\n'
            '<div id="footer">Powered by eFiction</div></body></html>\n')
def listing(sids):
    return "".join(f'<div class="listbox"><a href="viewstory.php?sid={s}">Story {s}</a> by '
                   f'<a href="viewuser.php?uid={s % AUTHORS}">Author {s % AUTHORS}</a></div>\n'
                   for s in sids)
def chapter(sid, ch):
    rng = random.Random(sid * 1000 + ch)
    text = "".join("<p>" + " ".join(rng.choice(words) for _ in range(75)).capitalize() + ".</p>"
                   for _ in range(22))
    opts = "".join(f'<option value="{i}">{i}. Part {i}</option>' for i in range(1, chapters + 1))
    nav = (f'<a href="viewstory.php?sid={sid}&amp;chapter={ch + 1}">Next</a>'
           if ch < chapters else "")
    return shell(f"Story {sid}",
        f'<div id="pagetitle"><a href="viewstory.php?sid={sid}">Story {sid}</a> by '
        f'<a href="viewuser.php?uid={sid % AUTHORS}">Author {sid % AUTHORS}</a></div>'
        '<div class="infobox"><span class="label">Rating:</span> PG<br>'
        '<span class="label">Categories:</span> Bench<br><span class="label">Completed:</span> Yes</div>'
        f'<div class="jumpmenu"><select name="chapter">{opts}</select></div>'
        f'<div class="chaptertitle">{ch}. Part {ch} by Author {sid % AUTHORS}</div>'
        f'<div id="story">{text}</div><div id="pagelinks">{nav}</div>')
class Site(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    def log_message(self, *args):
        pass
    def do_GET(self):
        url = urlsplit(self.path)
        q = {k: int(v[0]) for k, v in parse_qs(url.query).items() if v[0].isdigit()}
        page = None
        if url.path in ("/", "/index.php"):
            page = shell("Home", '<a href="browse.php?page=1">Browse the stories</a>')
        elif url.path == "/browse.php" and 1 <= q.get("page", 0) <= (stories + PER_PAGE - 1) // PER_PAGE:
            n = q["page"]
            sids = range((n - 1) * PER_PAGE + 1, min(n * PER_PAGE, stories) + 1)
            more = f'<a href="browse.php?page={n + 1}">Next page</a>' if n * PER_PAGE < stories else ""
            page = shell("Browse", listing(sids) + more)
        elif url.path == "/viewstory.php" and 1 <= q.get("sid", 0) <= stories \
                and 1 <= q.get("chapter", 1) <= chapters:
            page = chapter(q["sid"], q.get("chapter", 1))
        elif url.path == "/viewuser.php" and 0 <= q.get("uid", -1) < AUTHORS:
            uid = q["uid"]
            page = shell(f"Author {uid}", f'<div id="pagetitle">Author {uid}</div>'
                         + listing(range(uid or AUTHORS, min(stories, 40 * AUTHORS) + 1, AUTHORS)))
        body = (page or "<html><body><h1>404 Not Found</h1></body></html>").encode()
        self.send_response(200 if page else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", "Mon, 02 Mar 2009 12:00:00 GMT")
        self.end_headers()
        self.wfile.write(body)
server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
PY
server=$!
for _ in $(seq 100); do [ -f "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")

crawl_started=$(date +%s)
# wget exits 8 when a page answered an error; the pages it saves are deleted as it goes.
wget --mirror -e robots=off --no-verbose --tries=1 --delete-after -P "$work/scratch" \
  --warc-file="$work/crawl" --no-warc-keep-log "http://127.0.0.1:$port/index.php" \
  >"$work/wget.log" 2>&1 || [ $? -eq 8 ]
crawl_seconds=$(( $(date +%s) - crawl_started ))
kill "$server"; server=""
rm -rf "$work/scratch"

# What the crawl holds: its response records and their bytes.
read -r pages raw_bytes < <(python3 - "$work/crawl.warc.gz" <<'PY'
import gzip, sys
pages = raw = 0
with gzip.open(sys.argv[1], "rb") as f:
    while True:
        line = f.readline()
        if not line:
            break
        if not line.startswith(b"WARC/"):
            continue
        headers = {}
        while (line := f.readline()) not in (b"\r\n", b""):
            k, _, v = line.decode("latin-1").partition(":")
            headers[k.strip().lower()] = v.strip()
        length = int(headers.get("content-length", 0))
        f.seek(length, 1)
        if headers.get("warc-type") == "response":
            pages += 1
            raw += length
print(pages, raw)
PY
)
warc_bytes=$(stat -c %s "$work/crawl.warc.gz")
if [ "$raw_bytes" -lt $(( megabytes << 20 )) ]; then
  echo "the crawl holds $raw_bytes bytes of responses, less than $megabytes MiB" >&2
  exit 1
fi
cat "$work/crawl.warc.gz" >/dev/null
sync

timed_import "$work/crawl.warc.gz" "$stories" stories

mkdir -p bench/results
python3 - bench/results/import-warc.json <<PY
import json, sys
result = {
    "benchmark": "wget --mirror --warc-file crawl of a generated eFiction-like site served on loopback ($stories stories of $chapters chapter pages, plus listings and author pages; crawled in $crawl_seconds s), then quire import of the one .warc.gz ($warc_bytes bytes; $raw_bytes bytes of HTTP responses in $pages response records) into a fresh SQLite archive, $build build, under /usr/bin/time -v",
    "build": "$build",
    "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
    "machine": {"cores": $(nproc), "memory_gib": $(free -g | awk '/Mem:/ {print $2}'), "load_average": "$(cut -d' ' -f1-3 /proc/loadavg)"},
    "warc_bytes": $warc_bytes,
    "response_bytes": $raw_bytes,
    "pages": $pages,
    "stories": $stories,
    "seconds": round($seconds, 2),
    "stories_per_second": int($stories / $seconds),
    "pages_per_second": int($pages / $seconds),
    "megabytes_per_second": round($raw_bytes / 1048576 / $seconds, 1),
    "peak_rss_mib": round($rss_kb / 1024, 1),
}
with open(sys.argv[1], "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")
print(json.dumps(result, indent=2))
PY
