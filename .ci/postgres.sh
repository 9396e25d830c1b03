#!/usr/bin/env bash
# Gives the test suite a PostgreSQL database of its own and prints its URL on the last line of
# stdout. Never changes how the server authenticates anyone.
#
# 1. `QUIRE_TEST_DATABASE_URL`, when set and answering, is used as it is.
# 2. Otherwise a server on 127.0.0.1:5432 is made to run: the machine's cluster is started when
#    stopped, Debian's postgresql is installed when missing.
# 3. A role and a database of the CI's own (`quire_ci`, with a password) are made through the
#    `postgres` account's local socket (peer authentication, as Debian sets it up), so the
#    tests connect with a password over TCP whatever the server's pg_hba.conf says.
set -euo pipefail

role=quire_ci
password=quire_ci
host=127.0.0.1
port="${QUIRE_CI_POSTGRES_PORT:-5432}"
log() { echo "postgres: $*" >&2; }

answers() { psql "$1" -Atqc 'SELECT 1' >/dev/null 2>&1; }

if [ -n "${QUIRE_TEST_DATABASE_URL:-}" ] && command -v psql >/dev/null && answers "$QUIRE_TEST_DATABASE_URL"; then
    log "using QUIRE_TEST_DATABASE_URL"
    echo "$QUIRE_TEST_DATABASE_URL"
    exit 0
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    log "installing PostgreSQL (Debian package)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
fi

if ! pg_isready -h "$host" -p "$port" -q 2>/dev/null; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    log "starting cluster $version/main"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
        || pg_ctlcluster "$version" main start
    for _ in $(seq 1 30); do pg_isready -h "$host" -p "$port" -q && break; sleep 1; done
fi
pg_isready -h "$host" -p "$port" -q || { log "no server answers on $host:$port" >&2; exit 1; }

# As the cluster's owner on its local socket: no password, no change to pg_hba.conf.
as_owner() { runuser -u postgres -- psql -p "$port" -d postgres -v ON_ERROR_STOP=1 -Atq "$@"; }
if [ "$(as_owner -c "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != 1 ]; then
    as_owner -c "CREATE ROLE $role LOGIN PASSWORD '$password'"
fi
if [ "$(as_owner -c "SELECT 1 FROM pg_database WHERE datname = '$role'")" != 1 ]; then
    as_owner -c "CREATE DATABASE $role OWNER $role"
fi

url="postgres://$role:$password@$host:$port/$role"
answers "$url" || { log "cannot connect as $role at $host:$port; check pg_hba.conf allows password logins from $host" >&2; exit 1; }
log "ready: $(psql "$url" -Atc 'SHOW server_version')"
echo "$url"
