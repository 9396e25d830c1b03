#!/usr/bin/env bash
# Imports one generated eFiction 3 dump of about 1 GB (mysqldump layout: CREATE TABLE and
# extended INSERTs of about 1 MB, tables in name order, so every chapter comes before its
# story) into a fresh SQLite archive, under `/usr/bin/time -v`, and records stories/s and
# peak RSS as "efiction_stream" in bench/results/import.json (the file's other entries are
# kept). Peak RSS is the point: the dump is read statement by statement and the chapters'
# text waits in a spill file, so memory holds the small tables and one story, not the dump.
# Everything is written under /tmp and deleted afterwards.
# Usage: bench/import-efiction.sh [MEGABYTES]   (default 1024)
# QUIRE_BIN=path/to/quire uses that binary instead of building a release one (its build is
# recorded: only a release build's throughput means anything; peak RSS is telling either way).
set -euo pipefail
cd "$(dirname "$0")/.."
megabytes="${1:-1024}"
source bench/import-common.sh
pick_quire
work=$(mktemp -d /tmp/quire-efiction-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/site"

python3 - "$work/site/archive.sql" "$megabytes" <<'PY'
import random, sys
dst, megabytes = sys.argv[1], int(sys.argv[2])
rng = random.Random(12)
words = ("lantern harbour tide salt road heron marsh keeper bell ferry glass wick dyke reed "
         "lamp night morning river stone window door quiet asked said walked turned looked "
         "the a and of to in was she he they it that with for on at by from but not").split()
def paragraph():
    n = rng.randint(40, 120)
    s = " ".join(rng.choice(words) for _ in range(n))
    return s[0].upper() + s[1:] + "."
def esc(s):
    return s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
# A pool of chapter texts (about 24 KB each), reused with a chapter number to vary them.
pool = ["\n\n".join(paragraph() for _ in range(40)) for _ in range(200)]
limit = megabytes << 20
chapters_per_story = 3
# How many stories fill the dump, about: each chapter is a pool text.
avg = sum(len(p) for p in pool) / len(pool) + 120
stories = max(1, int(limit / (avg * chapters_per_story)))
authors = max(1, stories // 20)
out = open(dst, "w", encoding="utf-8")
out.write("-- MySQL dump 10.13  Distrib 5.7.42, for Linux (x86_64)\n--\n-- Host: localhost    Database: efiction\n"
          "/*!40101 SET NAMES utf8 */;\n\n")
def create(table, cols):
    out.write(f"DROP TABLE IF EXISTS `fanfiction_{table}`;\nCREATE TABLE `fanfiction_{table}` (\n")
    out.write(",\n".join(f"  `{c}` {t}" for c, t in cols))
    out.write("\n) ENGINE=MyISAM DEFAULT CHARSET=utf8;\n")
def inserts(table, rows):
    batch, size = [], 0
    for row in rows:
        batch.append(row)
        size += len(row)
        if size > 1 << 20:
            out.write(f"INSERT INTO `fanfiction_{table}` VALUES {','.join(batch)};\n")
            batch, size = [], 0
    if batch:
        out.write(f"INSERT INTO `fanfiction_{table}` VALUES {','.join(batch)};\n")
create("authors", [("uid", "int(11)"), ("penname", "varchar(200)"), ("realname", "varchar(200)"),
                   ("email", "varchar(200)"), ("website", "varchar(200)"), ("bio", "text"),
                   ("image", "varchar(200)"), ("date", "datetime"), ("admincreated", "int(11)"),
                   ("password", "varchar(40)")])
inserts("authors", (f"({u},'Author {u}','','author{u}@example.org','','A bio.','','2004-03-14 10:00:00',0,'x')"
                    for u in range(1, authors + 1)))
create("categories", [("catid", "int(11)"), ("parentcatid", "int(11)"), ("category", "varchar(60)"),
                      ("description", "text"), ("image", "varchar(100)"), ("locked", "int(1)"),
                      ("leveldown", "int(11)"), ("displayorder", "int(11)"), ("numitems", "int(11)")])
inserts("categories", [f"({c},-1,'Fandom {c}','','',0,0,{c},0)" for c in range(1, 11)])
create("chapters", [("chapid", "int(11)"), ("title", "varchar(250)"), ("inorder", "int(11)"),
                    ("notes", "text"), ("storytext", "mediumtext"), ("endnotes", "text"),
                    ("validated", "char(1)"), ("wordcount", "int(11)"), ("rating", "varchar(25)"),
                    ("reviews", "smallint(6)"), ("sid", "int(11)"), ("uid", "int(11)"), ("count", "int(11)")])
def chapter_rows():
    chapid = 0
    for sid in range(1, stories + 1):
        uid = 1 + sid % authors
        for n in range(1, chapters_per_story + 1):
            chapid += 1
            text = f"Chapter {n} of story {sid}.\n\n" + pool[(sid * 7 + n) % len(pool)]
            yield (f"({chapid},'Part {n}',{n},'','{esc(text)}','','1',{len(text.split())},'',0,{sid},{uid},0)")
inserts("chapters", chapter_rows())
create("ratings", [("rid", "int(11)"), ("rating", "varchar(60)"), ("ratingwarning", "char(1)"), ("warningtext", "text")])
inserts("ratings", ["(1,'G','0','')", "(2,'PG-13','0','')", "(3,'NC-17','1','Adults only')"])
create("stories", [("sid", "int(11)"), ("title", "varchar(200)"), ("summary", "text"), ("storynotes", "text"),
                   ("catid", "varchar(100)"), ("classes", "varchar(200)"), ("charid", "varchar(250)"),
                   ("rid", "varchar(25)"), ("date", "datetime"), ("updated", "datetime"), ("uid", "int(11)"),
                   ("coauthors", "varchar(200)"), ("featured", "char(1)"), ("validated", "char(1)"),
                   ("completed", "char(1)"), ("rr", "char(1)"), ("wordcount", "int(11)"), ("rating", "tinyint(4)"),
                   ("reviews", "smallint(6)"), ("count", "int(11)"), ("challenges", "varchar(200)")])
inserts("stories", (f"({sid},'Story {sid}','The summary of story {sid}.','','{1 + sid % 10}','','','{1 + sid % 3}',"
                    f"'2004-{1 + sid % 12:02d}-{1 + sid % 28:02d} 10:00:00','2005-01-01 10:00:00',{1 + sid % authors},"
                    f"'0','0','1','1','0',0,0,0,0,'')" for sid in range(1, stories + 1)))
out.close()
print(stories, file=open(dst + ".count", "w"))
PY
stories=$(cat "$work/site/archive.sql.count")
rm "$work/site/archive.sql.count"
dump_bytes=$(stat -c %s "$work/site/archive.sql")
largest=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$work/site/archive.sql")
cat "$work/site/archive.sql" >/dev/null
sync

timed_import "$work/site" "$stories" stories
record_stream efiction_stream "$dump_bytes" "$stories" \
  "quire import of one generated eFiction 3 dump (mysqldump layout, $dump_bytes bytes, $stories stories of 3 chapters of about 24 KB, 1 MB extended INSERTs, every chapter before its story) into a fresh SQLite archive, $build build, under /usr/bin/time -v" \
  "{\"largest_statement_bytes\": $largest}"
