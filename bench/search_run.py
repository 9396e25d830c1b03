"""Runs wrk against each of bench/search.sh's queries, as a guest and as a signed-in reader
with 20 muted tags, and prints the queries with their served figures beside the SQL ones.

Usage: search_run.py QUERIES_JSON BASE_URL DURATION CONNECTIONS DATA_DIR
"""

import json
import re
import subprocess
import sys
import time
import urllib.request

queries_path, base, duration, connections, data = sys.argv[1:6]
picked = json.load(open(queries_path))


def wrk(url, cookie=None):
    """p50/p99 in ms and requests/s of one wrk run; fails on any non-2xx answer."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    text = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if errors:
        sys.exit(f"wrk saw {errors.group(1)} error responses from {url}")

    def percentile(p):
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
        return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    return {"p50_ms": percentile(50), "p99_ms": percentile(99), "requests_per_second": round(rps)}


def matches(url, cookie=None):
    """The page's own count of matching works ("N Works"), to show the query is not empty."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    body = urllib.request.urlopen(request).read().decode()
    found = re.search(r"<h1>([\d,]+)\+? (?:Works?|Found)", body)
    return int(found.group(1).replace(",", "")) if found else None


def muted_reader_cookie():
    """The session cookie of `benchreader` (made by bench/search.sh with `quire user add`),
    logged in through the real form, after muting `picked["muted_tags"]` in the database (the
    server reads a reader's mutes on each listing); None when this build has no accounts."""
    import http.cookiejar
    import sqlite3
    import urllib.parse

    db = sqlite3.connect(f"{data}/quire.db")
    user = db.execute("SELECT id FROM users WHERE login = 'benchreader'").fetchone()
    if user is None:
        print("no signed-in runs: there is no benchreader account", file=sys.stderr)
        return None
    db.execute("DELETE FROM muted_tags WHERE user_id = ?", user)
    for name in picked["muted_tags"]:
        db.execute("INSERT INTO muted_tags (user_id, tag_id) "
                   "SELECT ?, id FROM tags WHERE name = ?", (user[0], name))
    db.commit()
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/users/login").read().decode()
    token = re.search(r'name="authenticity_token" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"authenticity_token": token, "login": "benchreader",
                                   "password": "bench-password-1234"}).encode()
    opener.open(urllib.request.Request(f"{base}/users/login", data=body))
    session = next((c for c in jar if c.name == "quire_session"), None)
    if session is None:
        print("no signed-in runs: logging in did not give a session", file=sys.stderr)
        return None
    return f"quire_session={session.value}"


cookie = muted_reader_cookie()
for q in picked["queries"]:
    url = base + q["path"]
    print(f"wrk: {q['name']}", file=sys.stderr, flush=True)
    # The first request counts the result set (kept for the index generation: see
    # crates/search/src/tallies.rs); its time is what a reader gets before anyone else asked.
    start = time.perf_counter()
    works = matches(url)
    first_ms = round((time.perf_counter() - start) * 1000, 1)
    q["served"] = {"guest": {**wrk(url), "works": works, "first_request_ms": first_ms}}
    if cookie:
        start = time.perf_counter()
        works = matches(url, cookie)
        first_ms = round((time.perf_counter() - start) * 1000, 1)
        q["served"]["20_muted_tags"] = {**wrk(url, cookie), "works": works,
                                        "first_request_ms": first_ms}
    for who, figures in q["served"].items():
        sql = q["sql"].get(who)
        if sql and figures["p50_ms"] > 0:
            figures["sql_p50_over_served_p50"] = round(sql["p50_ms"] / figures["p50_ms"], 1)

json.dump(picked, sys.stdout, indent=2)
