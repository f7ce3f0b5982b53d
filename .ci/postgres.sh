#!/usr/bin/env bash
# Starts a local PostgreSQL on 127.0.0.1:5432 with a throw-away test database, installing the
# server from Debian's packages if the machine lacks it. Prints the variables the tests read.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 || true   # already running is fine
for i in $(seq 1 30); do
  su postgres -c "pg_isready -q" && break
  sleep 1
done
su postgres -c "psql -q -c \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'payouts') THEN CREATE ROLE payouts LOGIN PASSWORD 'payouts'; END IF; END \\\$\\\$;\"" >&2
su postgres -c "psql -q -c 'DROP DATABASE IF EXISTS payouts_test'" >&2
su postgres -c "psql -q -c 'CREATE DATABASE payouts_test OWNER payouts'" >&2
echo "export PAYOUTS_TEST_PG_URL=jdbc:postgresql://127.0.0.1:5432/payouts_test"
echo "export PAYOUTS_TEST_PG_USER=payouts"
echo "export PAYOUTS_TEST_PG_PASSWORD=payouts"
