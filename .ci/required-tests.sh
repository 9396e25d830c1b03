#!/usr/bin/env bash
# Reads the test harness's own output (`test NAME ... ok` lines) and fails unless the suites that
# need an outside tool really ran and passed: a skipped suite would pass silently otherwise.
# Usage: required-tests.sh CARGO-TEST-LOG
set -euo pipefail
log="$1"

# One extended regex per suite that CI must have run, with what it needs.
required=(
    '^test postgres::[a-z_]+ \.\.\. ok$|PostgreSQL story tests'
    '^test an_archive_goes_to_postgres_and_back_with_every_checksum_equal \.\.\. ok$|quire copy round trip SQLite -> PostgreSQL -> SQLite'
    '^test a_postgres_archive_backs_up_into_one_file_that_restores_into_either_backend \.\.\. ok$|quire backup of PostgreSQL, restored into both backends'
    '^test the_copy_list_matches_the_postgres_types_and_identity_columns \.\.\. ok$|quire copy table list against the PostgreSQL schema'
    '^test a_reader_walks_the_demo_archive_in_a_real_browser \.\.\. ok$|browser tests (Chromium)'
    '^test epubs_of_every_kind_of_work_pass_epubcheck \.\.\. ok$|EPUB validation (epubcheck)'
    '^test every_imported_fixture_is_a_valid_epub \.\.\. ok$|EPUB validation of every imported fixture (epubcheck)'
    '^test schemathesis_finds_no_server_error_or_schema_violation_in_the_api \.\.\. ok$|API fuzzing against the OpenAPI document (schemathesis)'
    '^test feedparser_reads_every_kind_of_feed_without_complaint \.\.\. ok$|Atom feeds read by feedparser'
    '^test three_nodes_behind_nginx_share_one_postgresql \.\.\. ok$|several nodes on PostgreSQL behind nginx'
    '^test wget_mirrors_and_warc_crawls_import_as_the_stories_themselves \.\.\. ok$|web mirror and WARC import (wget)'
)

missing=0
for entry in "${required[@]}"; do
    pattern="${entry%%|*}"
    what="${entry#*|}"
    count=$(grep -cE "$pattern" "$log" || true)
    if [ "$count" -eq 0 ]; then
        echo "required suite did not run: $what (no line matching /$pattern/)" >&2
        missing=1
    else
        echo "ran: $what ($count passed)"
    fi
done
exit "$missing"
