"""Picks bench/search.sh's queries from a seeded archive and times them in SQL, the naive way.

Each query is a listing as a reader sees it: one page of 20 works, the number of matches, and
(for tag listings) the top 10 tags per kind among the matches, as the filter sidebar shows.
In SQL that is three statements on the same joins; their times are added up.

Usage: search_queries.py QUIRE_DB OUT_JSON RUNS
"""

import json
import sqlite3
import statistics
import sys
import time
import urllib.parse

db_path, out_path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)

# The guest listing rule, as crates/store/src/sql/listable.rs writes it.
LISTABLE = "w.posted AND w.chapter_count > 0 AND NOT w.hidden_by_admin AND NOT w.restricted"
KINDS = ["rating", "warning", "category", "fandom", "relationship", "character", "freeform"]


def tag_id(name):
    return db.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()[0]


def top_tags(kind, n, within=None):
    join = ""
    args = [kind]
    if within is not None:
        join = "JOIN work_tags f ON f.work_id = wt.work_id AND f.tag_id = ?"
        args = [within, kind]
    return [row[0] for row in db.execute(
        f"SELECT t.name FROM tags t JOIN work_tags wt ON wt.tag_id = t.id {join} "
        "WHERE t.kind = ? GROUP BY t.id ORDER BY COUNT(*) DESC, t.name LIMIT ?", (*args, n))]


def escape_tag(name):
    for a, b in [("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*")]:
        name = name.replace(a, b)
    return urllib.parse.quote(name, safe="*")


def has(tag, negate=False):
    return (f"{'NOT ' if negate else ''}EXISTS (SELECT 1 FROM work_tags x "
            f"WHERE x.work_id = w.id AND x.tag_id = {tag_id(tag)})")


fandom = top_tags("fandom", 1)[0]
characters = top_tags("character", 2, within=tag_id(fandom))
freeforms = top_tags("freeform", 30)
muted = freeforms[10:30]
mute_sql = ("NOT EXISTS (SELECT 1 FROM work_tags m WHERE m.work_id = w.id AND m.tag_id IN ("
            + ",".join(str(tag_id(t)) for t in muted) + "))")
enc = lambda s: urllib.parse.quote_plus(s)

queries = [
    {
        "name": "fandom listing, 3 include + 2 exclude filters, facet counts",
        "path": f"/tags/{escape_tag(fandom)}/works?character={enc(characters[0])}"
                f"&freeform={enc(freeforms[0])}&complete=true"
                f"&not_character={enc(characters[1])}&not_freeform={enc(freeforms[1])}",
        "where": [has(fandom), has(characters[0]), has(freeforms[0]), "w.complete",
                  has(characters[1], True), has(freeforms[1], True)],
        "order": "w.updated DESC, w.id DESC", "offset": 0, "facets": True,
    },
    {
        "name": "full-text search with a rating filter",
        "path": "/works/search?q=kingdom+shore&rating=Explicit",
        "where": [has("Explicit"),
                  "(w.title LIKE '%kingdom%' OR w.summary LIKE '%kingdom%')",
                  "(w.title LIKE '%shore%' OR w.summary LIKE '%shore%')"],
        "order": "w.updated DESC, w.id DESC", "offset": 0, "facets": True,
    },
    {
        "name": "biggest fandom sorted by kudos",
        "path": f"/tags/{escape_tag(fandom)}/works?sort=kudos",
        "where": [has(fandom)],
        "order": "w.kudos DESC, w.id DESC", "offset": 0, "facets": True,
    },
    {
        "name": "fandom directory",
        "path": "/fandoms",
        "directory": True,
    },
    {
        "name": "page 500 of the works listing",
        "path": "/works?page=500",
        "where": [],
        "order": "w.updated DESC, w.id DESC", "offset": 499 * 20, "facets": True,
    },
]


def statements(q, mutes):
    if q.get("directory"):
        return [f"SELECT t.name, COUNT(*) FROM tags t JOIN work_tags wt ON wt.tag_id = t.id "
                f"JOIN works w ON w.id = wt.work_id WHERE t.kind = 'fandom' AND {LISTABLE}"
                + (f" AND {mute_sql}" if mutes else "") + " GROUP BY t.id ORDER BY t.name"]
    where = " AND ".join([LISTABLE, *q["where"], *([mute_sql] if mutes else [])])
    out = [f"SELECT w.id, w.title FROM works w WHERE {where} ORDER BY {q['order']} "
           f"LIMIT 20 OFFSET {q['offset']}",
           f"SELECT COUNT(*) FROM works w WHERE {where}"]
    if q["facets"]:
        out.append(
            "SELECT kind, name, n FROM (SELECT t.kind, t.name, COUNT(*) AS n, ROW_NUMBER() OVER "
            "(PARTITION BY t.kind ORDER BY COUNT(*) DESC, t.name) AS r FROM works w "
            f"JOIN work_tags wt ON wt.work_id = w.id JOIN tags t ON t.id = wt.tag_id WHERE {where} "
            "GROUP BY t.id) WHERE r <= 10")
    return out


def time_sql(sqls):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for sql in sqls:
            db.execute(sql).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1),
            "runs": runs}


for q in queries:
    for who, mutes in [("guest", False), ("20_muted_tags", True)]:
        print(f"SQL: {q['name']} ({who})", file=sys.stderr, flush=True)
        q.setdefault("sql", {})[who] = time_sql(statements(q, mutes))
    for key in ("where", "order", "offset", "facets", "directory"):
        q.pop(key, None)

json.dump({"fandom": fandom, "muted_tags": muted, "queries": queries}, open(out_path, "w"),
          indent=2)
