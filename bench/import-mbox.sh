#!/usr/bin/env bash
# Imports one generated mbox of about 1 GB (the stories `quire seed --emit-files` writes,
# wrapped as mail and repeated with new Message-IDs until the size is reached) into a fresh
# SQLite archive with a release build, under `/usr/bin/time -v`, and records stories/s and
# peak RSS as "mbox_stream" in bench/results/import.json (the file's other entries are kept).
# Everything is written under /tmp and deleted afterwards.
# Usage: bench/import-mbox.sh [MEGABYTES] [SEED_WORKS]   (defaults 1024, 2000)
# QUIRE_BIN=path/to/quire uses that binary instead of building a release one (its build is
# recorded: only a release build's throughput means anything; peak RSS is telling either way).
set -euo pipefail
cd "$(dirname "$0")/.."
megabytes="${1:-1024}"
seed_works="${2:-2000}"
source bench/import-common.sh
pick_quire
work=$(mktemp -d /tmp/quire-mbox-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

"$quire" seed --works "$seed_works" --max-words 10000 --emit-files "$work/files" >/dev/null
python3 - "$work/files" "$work/archive.mbox" "$megabytes" <<'PY'
import os, sys
src, dst, megabytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
stories = []
for root, _, files in os.walk(src):
    for name in sorted(files):
        with open(os.path.join(root, name), encoding="utf-8") as f:
            lines = f.read().split("\n")
        # Seed files: archive line, blank, title, by-line, header block, body.
        title = lines[2].strip()
        body = "\n".join(">" + l if l.startswith("From ") else l for l in lines[2:])
        stories.append((title, body))
limit = megabytes << 20
written = n = 0
with open(dst, "w", encoding="utf-8") as out:
    while written < limit:
        title, body = stories[n % len(stories)]
        day = 1 + n % 28
        post = (f"From poster{n % 977}@lists.example Sat Oct {day:2d} 21:14:03 1996\n"
                f"From: poster{n % 977}@lists.example (Poster {n % 977})\n"
                f"Subject: {title}\n"
                f"Date: {day} Oct 1996 21:14:03 -0500\n"
                f"Message-ID: <{n}.bench@lists.example>\n\n{body}\n\n")
        out.write(post)
        written += len(post.encode("utf-8"))
        n += 1
print(n, file=open(dst + ".count", "w"))
PY
posts=$(cat "$work/archive.mbox.count")
mbox_bytes=$(stat -c %s "$work/archive.mbox")
rm -rf "$work/files"
cat "$work/archive.mbox" >/dev/null
sync

timed_import "$work/archive.mbox" "$posts" posts
record_stream mbox_stream "$mbox_bytes" "$posts" \
  "quire import of one generated mbox ($mbox_bytes bytes, $posts posts wrapping the stories of quire seed --works $seed_works --max-words 10000 --emit-files) into a fresh SQLite archive, $build build, under /usr/bin/time -v"
