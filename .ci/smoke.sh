#!/usr/bin/env bash
# Starts `quire serve --demo` on a free port in a fresh data dir, fetches the home page and an
# example work, and stops it with SIGTERM. Usage: smoke.sh PATH-TO-QUIRE
set -euo pipefail
quire="$1"
if ! command -v curl >/dev/null; then
    echo "smoke: installing curl (Debian package)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; }
fi
data=$(mktemp -d)
out="$data/stdout"
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    rm -rf "$data"
}
trap cleanup EXIT

"$quire" serve --demo --bind 127.0.0.1:0 --data "$data/archive" >"$out" 2>"$data/stderr" &
pid=$!
for _ in $(seq 1 120); do
    grep -q "^Quire is serving" "$out" && break
    kill -0 "$pid" 2>/dev/null || { cat "$data/stderr"; exit 1; }
    sleep 1
done
grep -q "^Quire is serving" "$out" || { echo "quire did not start"; cat "$data/stderr"; exit 1; }
sleep 1
cat "$out"
url=$(sed -n 's/^Quire is serving //p' "$out")
work=$(sed -n 's/^ *General Audiences: *//p' "$out")

fetch() {
    local code
    code=$(curl -s -o "$data/page" -w '%{http_code}' "$1")
    echo "GET $1 -> $code ($(wc -c <"$data/page") bytes)"
    [ "$code" = "$2" ] || { echo "expected $2" >&2; exit 1; }
}
fetch "$url" 200
grep -q "Recent works" "$data/page"
fetch "$work" 200
grep -q 'class="userstuff"' "$data/page"
fetch "${url}healthz" 200
fetch "${url}works/0" 400

kill -TERM "$pid"
wait "$pid"
pid=""
echo "smoke test passed"
