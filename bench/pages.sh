#!/usr/bin/env bash
# Page benchmark, by DESIGN.md's method: wrk -t2 -c32 -d10s on loopback, no cookies, no
# compression, against a fresh `quire serve` on a seeded archive (warmed by one pass), and nginx
# serving the same work page's bytes as a static file in the same run; the same page asked for
# gzipped, as browsers ask, beside nginx sending a gzipped copy (`gzip_static`); then a signed-in
# reader's pages (never cached) and a write mix (bench/write_mix.lua), which nginx also answers
# with the same pages, as static files. Each quire run also gives quire's CPU time per request,
# which does not depend on what else the machine is doing.
# Writes bench/results/pages.json. Usage: bench/pages.sh   (WORKS=100000 DURATION=10s by default)
# With PG_URL=postgres://…/postgres the same archive is copied (once) into a database
# `quire_bench_pages` on that server and served from there; results go to pages-postgres.json.
set -euo pipefail
cd "$(dirname "$0")/.."
works="${WORKS:-100000}"
duration="${DURATION:-10s}"
quire_port=18080
nginx_port=18081

for tool in wrk nginx; do
    command -v "$tool" >/dev/null || {
        echo "installing $tool"
        apt-get install -y -qq wrk nginx-light >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk nginx-light >/dev/null; }
    }
done

cargo build --release --quiet
target="${CARGO_TARGET_DIR:-target}"
quire="$target/release/quire"
data="${BENCH_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/quire-bench/seed-$works}"
if [ ! -f "$data/quire.db" ]; then
    echo "seeding $works works into $data"
    "$quire" seed --works "$works" --data "$data"
fi
# The database quire serves: the seed's SQLite file, or a copy of it on PostgreSQL (made once;
# the work ids are the same, so the pages below are picked from the SQLite file either way).
serve_data="$data"
results=bench/results/pages.json
backend=sqlite
if [ -n "${PG_URL:-}" ]; then
    backend=postgres
    results=bench/results/pages-postgres.json
    pg_bench="${PG_URL%/*}/quire_bench_pages"
    copied=$(psql "$pg_bench" -qAtc 'SELECT count(*) FROM works' 2>/dev/null || echo 0)
    if [ "$copied" != "$works" ]; then
        echo "copying the archive into $pg_bench"
        psql "$PG_URL" -qc 'DROP DATABASE IF EXISTS quire_bench_pages'
        psql "$PG_URL" -qc 'CREATE DATABASE quire_bench_pages'
        "$quire" copy --data "$data" --to "$pg_bench" >/dev/null
    fi
    psql "$pg_bench" -qc 'ANALYZE'
    export QUIRE_DATABASE_URL="$pg_bench"
    serve_data="${data}-postgres-node"
    mkdir -p "$serve_data"
fi

work_dir=$(mktemp -d)
cleanup() {
    [ -n "${quire_pid:-}" ] && kill "$quire_pid" 2>/dev/null || true
    [ -f "$work_dir/nginx.pid" ] && kill "$(cat "$work_dir/nginx.pid")" 2>/dev/null || true
    rm -rf "$work_dir"
}
trap cleanup EXIT

# The pages to measure, picked from the database.
read -r work_id chapter_path fandom_path < <(python3 - "$data/quire.db" <<'PY'
import sqlite3, sys, urllib.parse
db = sqlite3.connect(sys.argv[1])
public = "rating = 'General Audiences' AND posted AND NOT restricted AND NOT hidden_by_admin"
(work,) = db.execute(f"SELECT id FROM works WHERE {public} AND chapter_count = 1 "
                     "ORDER BY abs(word_count - 6000), id LIMIT 1").fetchone()
(cwork, chapter) = db.execute(f"SELECT c.work_id, c.id FROM chapters c JOIN works w ON w.id = c.work_id "
                              f"WHERE {public.replace('rating', 'w.rating').replace('posted', 'w.posted', 1)} "
                              "AND w.chapter_count >= 3 AND c.position = 2 AND c.posted "
                              "ORDER BY abs(c.word_count - 3000), c.id LIMIT 1").fetchone()
(fandom,) = db.execute("SELECT t.name FROM tags t JOIN work_tags wt ON wt.tag_id = t.id "
                       "WHERE t.kind = 'fandom' GROUP BY t.id ORDER BY COUNT(*) DESC LIMIT 1").fetchone()
escaped = fandom
for a, b in [("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*")]:
    escaped = escaped.replace(a, b)
print(work, f"/works/{cwork}/chapters/{chapter}", f"/tags/{urllib.parse.quote(escaped, safe='*')}/works")
PY
)

# One address sends every write of the write mix: the per-address limit on posts is lifted.
QUIRE_POSTS_PER_MINUTE=100000000 "$quire" serve --data "$serve_data" --bind "127.0.0.1:$quire_port" \
    >"$work_dir/quire.log" 2>&1 &
quire_pid=$!
# (On a fresh PostgreSQL node the search index is built first, which takes a while.)
for _ in $(seq 1 3000); do
    curl -sf "http://127.0.0.1:$quire_port/readyz" >/dev/null && break
    sleep 0.1
done

base="http://127.0.0.1:$quire_port"
work_url="$base/works/$work_id"
chapter_url="$base$chapter_path"
fandom_url="$base$fandom_path"
for url in "$work_url" "$chapter_url" "$fandom_url"; do
    curl -sf -o /dev/null "$url" || { echo "cannot fetch $url" >&2; exit 1; }
done
curl -sf -o "$work_dir/work.html" "$work_url"
page_bytes=$(stat -c %s "$work_dir/work.html")

mkdir -p "$work_dir/www" "$work_dir/tmp"
cp "$work_dir/work.html" "$work_dir/www/work.html"
gzip -6 -c "$work_dir/work.html" >"$work_dir/www/work.html.gz"
cat >"$work_dir/nginx.conf" <<NGINX
worker_processes 2;
pid $work_dir/nginx.pid;
error_log $work_dir/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    gzip_static on;
    client_body_temp_path $work_dir/tmp; proxy_temp_path $work_dir/tmp;
    fastcgi_temp_path $work_dir/tmp; uwsgi_temp_path $work_dir/tmp; scgi_temp_path $work_dir/tmp;
    types { text/html html; }
    server {
        listen 127.0.0.1:$nginx_port;
        root $work_dir/www;
        # The write mix's pages (saved from quire below); its posts get a short answer.
        location /works/ {
            default_type text/html;
            if (\$request_method = POST) { return 200 "saved\\n"; }
        }
    }
}
NGINX
chmod -R a+rX "$work_dir"   # nginx's workers do not run as root
nginx -c "$work_dir/nginx.conf" -p "$work_dir"
nginx_url="http://127.0.0.1:$nginx_port/work.html"
for _ in $(seq 1 50); do
    curl -sf -o /dev/null "$nginx_url" && break
    sleep 0.1
done
cmp -s <(curl -sf "$nginx_url") "$work_dir/work.html" || { echo "nginx does not serve the page" >&2; exit 1; }

# Quire's CPU time so far (user and system, all threads), in clock ticks.
quire_ticks() { awk '{print $14 + $15}' "/proc/$quire_pid/stat"; }

# Prints "requests_per_second p99_ms cpu_us_per_request" of the wrk output in file $1, given
# quire's CPU ticks ($2) over the run: quire's own CPU time per request (0 for nginx), which
# unlike requests/s does not depend on what else the machine is doing. Fails on error answers.
wrk_figures() {
    python3 - "$1" "$2" "$(getconf CLK_TCK)" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
requests = int(re.search(r"(\d+) requests in", text).group(1))
value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if errors:
    sys.exit(f"wrk saw {errors.group(1)} error responses")
cpu_us = int(sys.argv[2]) / int(sys.argv[3]) / requests * 1e6
print(f"{rps:.0f} {p99:.2f} {cpu_us:.0f}")
PY
}

# One wrk run of GET $1 (a second argument is a request header), as `wrk_figures` prints it.
measure() {
    local before after
    before=$(quire_ticks)
    wrk -t2 -c32 -d"$duration" --latency ${2:+-H "$2"} "$1" >"$work_dir/wrk.txt"
    after=$(quire_ticks)
    case "$1" in "$nginx_url") after=$before ;; esac
    wrk_figures "$work_dir/wrk.txt" "$((after - before))"
}

echo "work page: $work_url ($page_bytes bytes)"
read -r work_rps work_p99 work_cpu < <(measure "$work_url")
echo "  quire: $work_rps req/s, p99 $work_p99 ms"
read -r nginx_rps nginx_p99 _ < <(measure "$nginx_url")
echo "  nginx: $nginx_rps req/s, p99 $nginx_p99 ms"
gzipped="Accept-Encoding: gzip"
for url in "$work_url" "$nginx_url"; do
    curl -sf -D - -o /dev/null -H "$gzipped" "$url" | grep -qi '^content-encoding: gzip' ||
        { echo "$url is not sent gzipped" >&2; exit 1; }
done
gzip_bytes=$(curl -sf -H "$gzipped" "$work_url" | wc -c)
read -r gzip_rps gzip_p99 gzip_cpu < <(measure "$work_url" "$gzipped")
echo "  quire, gzipped ($gzip_bytes bytes): $gzip_rps req/s, p99 $gzip_p99 ms"
read -r nginx_gzip_rps nginx_gzip_p99 _ < <(measure "$nginx_url" "$gzipped")
echo "  nginx, gzip_static: $nginx_gzip_rps req/s, p99 $nginx_gzip_p99 ms"
read -r chapter_rps chapter_p99 chapter_cpu < <(measure "$chapter_url")
echo "chapter page: $chapter_rps req/s, p99 $chapter_p99 ms"
read -r fandom_rps fandom_p99 fandom_cpu < <(measure "$fandom_url")
echo "fandom listing: $fandom_rps req/s, p99 $fandom_p99 ms"

# A signed-in reader: no page is served from the cache; every one is rendered for them.
printf 'bench reader password\n' | "$quire" --data "$serve_data" user add bench_reader \
    --email bench_reader@example.org >/dev/null 2>&1 || true
jar="$work_dir/cookies"
token=$(curl -sf -c "$jar" "$base/users/login" |
    sed -n 's/.*name="authenticity_token" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -sf -b "$jar" -c "$jar" -o /dev/null --data-urlencode "authenticity_token=$token" \
    --data-urlencode "login=bench_reader" --data-urlencode "password=bench reader password" \
    "$base/users/login"
session=$(awk '$6 == "quire_session" {print $7}' "$jar")
[ -n "$session" ] || { echo "cannot log in as bench_reader" >&2; exit 1; }
signed_in="Cookie: quire_session=$session"
curl -sf -H "$signed_in" -o "$work_dir/signed-in.html" "$work_url"
grep -q 'Hi, <a' "$work_dir/signed-in.html" || { echo "the work page does not greet bench_reader" >&2; exit 1; }
signed_bytes=$(stat -c %s "$work_dir/signed-in.html")
# Warmed by one pass, as the guests' pages are: a signed-in reader's listings are searched for
# their own scope (restricted works included), which no guest's request has asked yet.
for url in "$chapter_url" "$base/" "$fandom_url"; do curl -sf -H "$signed_in" -o /dev/null "$url"; done
read -r signed_work_rps signed_work_p99 signed_work_cpu < <(measure "$work_url" "$signed_in")
echo "signed-in work page ($signed_bytes bytes): $signed_work_rps req/s, p99 $signed_work_p99 ms"
read -r signed_chapter_rps signed_chapter_p99 signed_chapter_cpu < <(measure "$chapter_url" "$signed_in")
echo "signed-in chapter page: $signed_chapter_rps req/s, p99 $signed_chapter_p99 ms"
read -r signed_home_rps signed_home_p99 signed_home_cpu < <(measure "$base/" "$signed_in")
echo "signed-in home page: $signed_home_rps req/s, p99 $signed_home_p99 ms"
read -r signed_fandom_rps signed_fandom_p99 signed_fandom_cpu < <(measure "$fandom_url" "$signed_in")
echo "signed-in fandom listing: $signed_fandom_rps req/s, p99 $signed_fandom_p99 ms"

# The write mix: guests read 500 works' pages while 5% of requests are kudos, bookmarks and
# comments from the signed-in reader on those works (bench/write_mix.lua).
read -r mix_ids mix_chapters < <(python3 - "$data/quire.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT w.id, (SELECT c.id FROM chapters c WHERE c.work_id = w.id AND c.posted "
                  "ORDER BY c.position LIMIT 1) FROM works w WHERE rating = 'General Audiences' "
                  "AND posted AND NOT restricted AND NOT hidden_by_admin ORDER BY id LIMIT 500").fetchall()
print(",".join(str(r[0]) for r in rows), ",".join(str(r[1]) for r in rows))
PY
)
csrf=$(curl -sf -H "$signed_in" "$work_url/bookmark" |
    sed -n 's/.*name="authenticity_token" value="\([^"]*\)".*/\1/p' | head -n 1)
[ -n "$csrf" ] || { echo "no form token on the bookmark form" >&2; exit 1; }
# Each page is also saved for nginx, which serves the same script's requests beside quire: on
# two cores the client's script costs as much CPU as a server's answer, so nginx under the same
# script, not nginx asked for one URL, is what the mix compares with.
mkdir -p "$work_dir/www/works"
for id in ${mix_ids//,/ }; do curl -sf -o "$work_dir/www/works/$id" "$base/works/$id"; done
chmod -R a+rX "$work_dir/www"
mix() {
    WORK_IDS="$mix_ids" CHAPTER_IDS="$mix_chapters" SESSION_COOKIE="${signed_in#Cookie: }" CSRF_TOKEN="$csrf" \
        wrk -t2 -c32 -d"$duration" --latency -s bench/write_mix.lua "$1" >"$work_dir/mix.txt"
}
before=$(quire_ticks)
mix "$base"
after=$(quire_ticks)
read -r mix_rps mix_p99 mix_cpu < <(wrk_figures "$work_dir/mix.txt" "$((after - before))")
echo "write mix (5% kudos, bookmarks and comments): $mix_rps req/s, p99 $mix_p99 ms"
mix "http://127.0.0.1:$nginx_port"
read -r nginx_mix_rps nginx_mix_p99 _ < <(wrk_figures "$work_dir/mix.txt" 0)
echo "  nginx, the same script: $nginx_mix_rps req/s, p99 $nginx_mix_p99 ms"
load=$(cut -d' ' -f1-3 /proc/loadavg)
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$quire_pid/status")
# Of it, what quire allocated, and the database file's pages it reads through a memory map
# (the kernel's page cache, shared and dropped under pressure).
anon_kb=$(awk '/RssAnon/ {print $2}' "/proc/$quire_pid/status")
file_kb=$(awk '/RssFile/ {print $2}' "/proc/$quire_pid/status")
# What of it the page cache holds (guest pages and chapters' text), by quire's own count.
cache_bytes=$(curl -sf "$base/metrics" | awk '$1 == "quire_page_cache_bytes" {print $2}')

# Last (its 200,000 sessions are written into the database and kept by quire as they come), the
# signed-in work page again with a new session of the same reader on every request, each used
# once: on SQLite the signed-in runs above find the session kept in memory after its first
# request, this one reads it from the database every time.
tokens="$work_dir/sessions.txt"
python3 - "$tokens" "$work_dir/sessions.tsv" <<'PY'
import hashlib, sys, time
now = int(time.time())
with open(sys.argv[1], "w") as tokens, open(sys.argv[2], "w") as rows:
    for i in range(200_000):
        token = hashlib.sha256(f"bench-session-{i}".encode()).hexdigest()
        tokens.write(token + "\n")
        rows.write(f"{hashlib.sha256(token.encode()).hexdigest()}\t{now}\t{now + 86400}\n")
PY
if [ "$backend" = postgres ]; then
    psql "$pg_bench" -q <<SQL
DELETE FROM sessions WHERE user_agent = 'bench';
CREATE TEMP TABLE bench_sessions (token_hash TEXT, now BIGINT, expires_at BIGINT);
\copy bench_sessions FROM '$work_dir/sessions.tsv'
INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, user_agent)
SELECT token_hash, (SELECT id FROM users WHERE login = 'bench_reader'), now, now, expires_at, 'bench'
FROM bench_sessions;
SQL
else
    python3 - "$data/quire.db" "$work_dir/sessions.tsv" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30)
(user,) = db.execute("SELECT id FROM users WHERE login = 'bench_reader'").fetchone()
db.execute("DELETE FROM sessions WHERE user_agent = 'bench'")
rows = (line.rstrip("\n").split("\t") for line in open(sys.argv[2]))
db.executemany("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, "
               "user_agent) VALUES (?, ?, ?, ?, ?, 'bench')",
               ((h, user, int(t), int(t), int(e)) for h, t, e in rows))
db.commit()
PY
fi
before=$(quire_ticks)
TOKENS_FILE="$tokens" wrk -t2 -c32 -d"$duration" --latency -s bench/new_sessions.lua "$work_url" >"$work_dir/wrk.txt"
after=$(quire_ticks)
grep -q 'Hi, <a' <(curl -sf -H "Cookie: quire_session=$(tail -n 1 "$tokens")" "$work_url") ||
    { echo "a session made for the benchmark is not signed in" >&2; exit 1; }
read -r session_work_rps session_work_p99 session_work_cpu < <(wrk_figures "$work_dir/wrk.txt" "$((after - before))")
echo "signed-in work page, a new session each request: $session_work_rps req/s, p99 $session_work_p99 ms"

mkdir -p bench/results
python3 - <<PY
import json, datetime, os
result = {
    "benchmark": "pages: wrk -t2 -c32 -d$duration, loopback, no cookies, no compression but for work_page_gzipped",
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "machine": {"cores": os.cpu_count(), "load_average_at_end": "$load"},
    "works": $works,
    "database": "$backend",
    "work_page": {"url": "$work_url", "bytes": $page_bytes,
                  "quire": {"requests_per_second": $work_rps, "p99_ms": $work_p99, "cpu_us_per_request": $work_cpu},
                  "nginx_static": {"requests_per_second": $nginx_rps, "p99_ms": $nginx_p99},
                  "ratio_to_nginx": round($work_rps / $nginx_rps, 3)},
    "work_page_gzipped": {"note": "Accept-Encoding: gzip; nginx sends a gzipped copy made beforehand (gzip_static)",
                          "bytes": $gzip_bytes,
                          "quire": {"requests_per_second": $gzip_rps, "p99_ms": $gzip_p99, "cpu_us_per_request": $gzip_cpu},
                          "nginx_static": {"requests_per_second": $nginx_gzip_rps, "p99_ms": $nginx_gzip_p99},
                          "ratio_to_nginx": round($gzip_rps / $nginx_gzip_rps, 3)},
    "chapter_page": {"url": "$chapter_url", "requests_per_second": $chapter_rps, "p99_ms": $chapter_p99, "cpu_us_per_request": $chapter_cpu},
    "fandom_listing": {"url": "$fandom_url", "requests_per_second": $fandom_rps, "p99_ms": $fandom_p99, "cpu_us_per_request": $fandom_cpu},
    "signed_in": {
        "note": "a session cookie: no page cache, every page rendered for the reader",
        "work_page": {"bytes": $signed_bytes, "requests_per_second": $signed_work_rps, "p99_ms": $signed_work_p99, "cpu_us_per_request": $signed_work_cpu},
        "chapter_page": {"requests_per_second": $signed_chapter_rps, "p99_ms": $signed_chapter_p99, "cpu_us_per_request": $signed_chapter_cpu},
        "home_page": {"requests_per_second": $signed_home_rps, "p99_ms": $signed_home_p99, "cpu_us_per_request": $signed_home_cpu},
        "fandom_listing": {"requests_per_second": $signed_fandom_rps, "p99_ms": $signed_fandom_p99, "cpu_us_per_request": $signed_fandom_cpu},
        "work_page_new_session_each_request": {"note": "the same reader with a session used once each (bench/new_sessions.lua): every lookup reads the database, none is kept in memory",
                                               "requests_per_second": $session_work_rps, "p99_ms": $session_work_p99, "cpu_us_per_request": $session_work_cpu},
    },
    "write_mix": {
        "note": "guests read 500 works' pages; 5% of requests are a signed-in reader's kudos, bookmark saves and comments on those works, a third each (bench/write_mix.lua)",
        "requests_per_second": $mix_rps, "p99_ms": $mix_p99, "cpu_us_per_request": $mix_cpu,
        "nginx_same_script": {"note": "nginx serving the same 500 pages, saved from quire, to the same wrk script; it answers the posts with a short 200",
                              "requests_per_second": $nginx_mix_rps, "p99_ms": $nginx_mix_p99},
        "ratio_to_nginx_same_script": round($mix_rps / $nginx_mix_rps, 3),
        "ratio_to_nginx": round($mix_rps / $nginx_rps, 3),
    },
    "server_rss_mb": round($rss_kb / 1024, 1),
    "server_rss_anonymous_mb": round($anon_kb / 1024, 1),
    "server_rss_file_mb": round($file_kb / 1024, 1),
    "page_cache_mb": round(${cache_bytes:-0} / 1048576, 1),
}
json.dump(result, open("$results", "w"), indent=2)
print(json.dumps(result, indent=2))
PY
