"""bench/cluster.sh's measurements: the page benchmarks on SQLite with one node, on PostgreSQL
with one node, and on PostgreSQL with three nodes behind nginx; import throughput into each
backend; and `quire copy` of the SQLite archive into PostgreSQL when this build has it.

Every run on one machine shares its cores between wrk, the nodes and PostgreSQL, so beside
requests/s each run reports the CPU time the nodes and the database spent (from /proc), and
from it requests per CPU-second of a node and of PostgreSQL: the per-core figures the capacity
model (docs/scaling.md) is built on.

Usage: cluster_run.py QUIRE SQLITE_DATA PG_URL WORKS DURATION OUT_JSON

PG_URL names a database on the server to use for the connection that makes the bench's own
databases (quire_bench_cluster, quire_bench_import), which are dropped and made anew.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

quire, sqlite_data, pg_url, works, duration, out_path = sys.argv[1:7]
works = int(works)
scratch = tempfile.mkdtemp(prefix="quire-cluster-bench")
CLOCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids):
    """User + system CPU time of these processes so far."""
    total = 0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / CLOCK


def postgres_pids():
    out = subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def wrk(url, pids, db=False):
    """requests/s and p99 of one wrk run, with the CPU the nodes (and PostgreSQL) spent."""
    pg_before = cpu_seconds(postgres_pids()) if db else 0
    before = cpu_seconds(pids)
    text = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{duration}", "--latency", url],
        check=True, capture_output=True, text=True,
    ).stdout
    node_cpu = cpu_seconds(pids) - before
    pg_cpu = cpu_seconds(postgres_pids()) - pg_before if db else 0
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if errors:
        sys.exit(f"wrk saw {errors.group(1)} error responses from {url}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    result = {
        "requests_per_second": round(rps),
        "p99_ms": round(p99, 2),
        "node_cpu_seconds": round(node_cpu, 2),
        "requests_per_node_cpu_second": round(requests / node_cpu) if node_cpu else None,
    }
    if db:
        result["postgres_cpu_seconds"] = round(pg_cpu, 2)
        result["requests_per_postgres_cpu_second"] = round(requests / pg_cpu) if pg_cpu else None
    return result


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read().decode()


def wait_ready(base, limit=600):
    deadline = time.time() + limit
    while time.time() < deadline:
        try:
            if get(base + "/readyz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit(f"{base} not ready within {limit} s")


class Nodes:
    """`quire serve` processes on one database, each with a data dir (search index) of its
    own, kept across restarts so that an index is built once."""

    def __init__(self, count, database, page_cache, port=18100):
        self.procs, self.urls = [], []
        for i in range(count):
            data = sqlite_data if database is None else f"{scratch}/node-{i}"
            args = [quire, "serve", "--data", data, "--bind", f"127.0.0.1:{port + i}"]
            if database:
                args += ["--database-url", database]
            if not page_cache:
                args.append("--no-page-cache")
            log = open(f"{scratch}/node-{i}.log", "a")
            self.procs.append(subprocess.Popen(args, stdout=log, stderr=log))
            self.urls.append(f"http://127.0.0.1:{port + i}")
        for url in self.urls:
            wait_ready(url)

    def pids(self):
        return [p.pid for p in self.procs]

    def stop(self):
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            p.wait(timeout=60)


def nginx(urls, port=18190):
    """nginx in front of `urls`, configured as docs/deploy.md does; its URL and process."""
    servers = "".join(f"server {u.removeprefix('http://')} max_fails=1 fail_timeout=5s;\n" for u in urls)
    conf = f"""
user root root;
worker_processes 1;
pid {scratch}/nginx.pid;
error_log {scratch}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {scratch}/client_body;
    proxy_temp_path {scratch}/proxy;
    upstream quire {{ {servers} keepalive 64; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://quire;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_next_upstream error timeout;
        }}
    }}
}}
"""
    if os.geteuid() != 0:
        conf = conf.replace("user root root;", "")
    path = f"{scratch}/nginx.conf"
    open(path, "w").write(conf)
    proc = subprocess.Popen(["nginx", "-p", scratch, "-e", f"{scratch}/nginx-error.log",
                             "-c", path, "-g", "daemon off;"])
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            get(base + "/healthz")
            break
        except OSError:
            time.sleep(0.1)
    return base, proc


def pages(base, work, fandom_listing):
    return {"work": f"{base}/works/{work}", "listing": f"{base}{fandom_listing}"}


def measure(label, count, database, work, listing):
    """The work page and a fandom listing, cached and uncached, through nginx when several."""
    result = {}
    for cache in (True, False):
        nodes = Nodes(count, database, cache)
        proc = None
        base = nodes.urls[0]
        if count > 1:
            base, proc = nginx(nodes.urls)
        pids = nodes.pids()
        urls = pages(base, work, listing)
        for url in urls.values():
            get(url)  # warm
        kind = "cached" if cache else "uncached"
        for name, url in urls.items():
            figures = wrk(url, pids, db=database is not None)
            result[f"{name}_{kind}"] = figures
            print(f"{label}: {name} ({kind}): {figures}", flush=True)
        if proc:
            proc.terminate()
            proc.wait()
        nodes.stop()
    return result


def pick_pages():
    """A public one-chapter work of about 6,000 words and the biggest fandom's listing."""
    import sqlite3
    import urllib.parse
    db = sqlite3.connect(f"{sqlite_data}/quire.db")
    public = "rating = 'General Audiences' AND posted AND NOT restricted AND NOT hidden_by_admin"
    (work,) = db.execute(f"SELECT id FROM works WHERE {public} AND chapter_count = 1 "
                         "ORDER BY abs(word_count - 6000), id LIMIT 1").fetchone()
    (fandom,) = db.execute("SELECT t.name FROM tags t JOIN work_tags wt ON wt.tag_id = t.id "
                           "WHERE t.kind = 'fandom' GROUP BY t.id ORDER BY COUNT(*) DESC LIMIT 1").fetchone()
    for a, b in [("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*")]:
        fandom = fandom.replace(a, b)
    return work, f"/tags/{urllib.parse.quote(fandom, safe='*')}/works"


def import_rate(files, database):
    """Stories/s importing the emitted files into a fresh archive."""
    data = tempfile.mkdtemp(prefix="quire-import", dir=scratch)
    args = [quire, "import", "--data", data, "--json", files]
    if database:
        args += ["--database-url", database]
    started = time.time()
    report = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
    seconds = time.time() - started
    stored = report["imported"]
    return {"stories": stored, "seconds": round(seconds, 1), "stories_per_second": round(stored / seconds)}


def fresh_database(name):
    """An empty database `name` on the PostgreSQL server of `pg_url`; its URL."""
    subprocess.run(["psql", pg_url, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run(["psql", pg_url, "-qc", f"CREATE DATABASE {name}"], check=True)
    return pg_url.rsplit("/", 1)[0] + "/" + name


def fill_postgres():
    """The SQLite archive in a fresh PostgreSQL database: by `quire copy` when this build has
    it (timed: the copy figure), else seeded alike. Its URL and the copy figures, if any."""
    if os.environ.get("REUSE_POSTGRES") == "1":
        target = pg_url.rsplit("/", 1)[0] + "/quire_bench_cluster"
        subprocess.run(["psql", target, "-qc", "ANALYZE"], check=True)
        return target, None
    target = fresh_database("quire_bench_cluster")
    help_text = subprocess.run([quire, "--help"], capture_output=True, text=True).stdout
    started = time.time()
    if re.search(r"^\s+copy\b", help_text, re.M):
        subprocess.run([quire, "copy", "--data", sqlite_data, "--to", target], check=True,
                       stdout=subprocess.DEVNULL)
        seconds = time.time() - started
        copied = {"works": works, "seconds": round(seconds, 1), "works_per_second": round(works / seconds)}
        print("copy:", copied, flush=True)
        return target, copied
    subprocess.run([quire, "seed", "--works", str(works), "--data", f"{scratch}/seed",
                    "--database-url", target], check=True, stdout=subprocess.DEVNULL)
    return target, None


def main():
    global pg_url
    work, listing = pick_pages()
    pg_url, copied = fill_postgres()
    result = {
        "benchmark": f"cluster: wrk -t2 -c32 -d{duration}, loopback, no cookies; "
                     "SQLite one node, PostgreSQL one node, PostgreSQL three nodes behind nginx",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cores": os.cpu_count()},
        "works": works,
        "work_page": f"/works/{work}",
        "listing": listing,
        "sqlite_1_node": measure("sqlite, 1 node", 1, None, work, listing),
        "postgres_1_node": measure("postgres, 1 node", 1, pg_url, work, listing),
        "postgres_3_nodes_nginx": measure("postgres, 3 nodes + nginx", 3, pg_url, work, listing),
    }
    ratios = {}
    for key in ("work_uncached", "listing_uncached", "work_cached"):
        sqlite = result["sqlite_1_node"][key]["requests_per_second"]
        ratios[key] = {
            "postgres_1_node": round(result["postgres_1_node"][key]["requests_per_second"] / sqlite, 2),
            "postgres_3_nodes": round(result["postgres_3_nodes_nginx"][key]["requests_per_second"] / sqlite, 2),
        }
    result["ratio_to_sqlite"] = ratios

    files = f"{scratch}/files"
    subprocess.run([quire, "seed", "--works", "5000", "--max-words", "3000", "--emit-files", files,
                    "--data", f"{scratch}/emit"], check=True, capture_output=True)
    fresh = fresh_database("quire_bench_import")
    sqlite_import = import_rate(files, None)
    pg_import = import_rate(files, fresh)
    result["import"] = {
        "sqlite": sqlite_import,
        "postgres": pg_import,
        "postgres_to_sqlite": round(pg_import["stories_per_second"] / sqlite_import["stories_per_second"], 2),
    }
    print("import:", result["import"], flush=True)
    if copied:
        result["copy_sqlite_to_postgres"] = copied

    json.dump(result, open(out_path, "w"), indent=2)
    print(json.dumps(result, indent=2))
    shutil.rmtree(scratch, ignore_errors=True)


main()
