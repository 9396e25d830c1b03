#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with trust auth and a `test` database.
# Starts the machine's cluster when it is stopped; installs Debian's postgresql when it is missing.
set -euo pipefail

ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }

if ! ready; then
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
        echo "installing PostgreSQL (Debian package)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq postgresql >/dev/null
    fi
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    if ! grep -q "quire-ci" "$hba"; then
        # Trust local connections: the test server holds nothing but throwaway schemas.
        sed -i '1i host all all 127.0.0.1/32 trust # quire-ci\nhost all all ::1/128 trust # quire-ci\nlocal all all trust # quire-ci' "$hba"
    fi
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || pg_ctlcluster "$version" main restart
    for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
ready || { echo "PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }

if ! psql -h 127.0.0.1 -U postgres -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1; then
    psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE test"
fi
echo "PostgreSQL ready: $(psql -h 127.0.0.1 -U postgres -d test -Atc 'SHOW server_version')"
