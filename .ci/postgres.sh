#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store's contract tests, on 127.0.0.1:$KANSOKU_PG_PORT.
#
#   bash .ci/postgres.sh          start it (or reuse the one already up); print its URL
#   bash .ci/postgres.sh stop     stop it and delete its data
#   bash .ci/postgres.sh status   exit 0 when a server answers on the port, 1 otherwise
#
# The URL (postgresql+psycopg://kansoku@127.0.0.1:54329/kansoku) is the only line on stdout,
# so `KANSOKU_TEST_PG="$(bash .ci/postgres.sh)"` captures it; progress goes to stderr. The role
# `kansoku` may create databases: the tests make a fresh one per test and drop it afterwards.
# KANSOKU_PG_PORT and KANSOKU_PG_DATA override the port and the data folder.
#
# Installs Debian's `postgresql` when no server binaries exist. PostgreSQL refuses to run as
# root, so as root the server runs as the `postgres` system user (created by the package).
# Trust authentication, loopback only, fsync and autovacuum off: a test fixture, never a place
# for data. The role may end other roles' sessions (pg_signal_backend), so that DROP DATABASE
# … WITH (FORCE) after a test also ends a background worker that is still in the database.
set -euo pipefail

PORT="${KANSOKU_PG_PORT:-54329}"
DATA="${KANSOKU_PG_DATA:-${TMPDIR:-/tmp}/kansoku-pg-$PORT}"
ROLE=kansoku
URL="postgresql+psycopg://$ROLE@127.0.0.1:$PORT/$ROLE"

log() { echo "postgres.sh: $*" >&2; }

bin_dir() {
  # Newest Debian server build first, then whatever is on PATH (other distributions, Homebrew).
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$found" ] && [ -x "$found/initdb" ]; then
    echo "$found"
  elif command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  fi
}

install_server() {
  if [ "$(id -u)" -ne 0 ]; then
    log "no PostgreSQL server binaries (initdb) found and not root: install the 'postgresql' package"
    exit 1
  fi
  log "installing Debian's postgresql package"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
}

# as_owner CMD…: run CMD as the user that owns the cluster (postgres when we are root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

psql_admin() {
  as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres "$@"
}

is_up() {
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" >/dev/null 2>&1
}

start_cluster() {
  # A stale folder (a reboot, a killed server) is thrown away: nothing in it is worth keeping.
  rm -rf "$DATA"
  mkdir -p "$DATA"
  chmod 700 "$DATA"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$DATA"
  fi
  log "initdb in $DATA"
  as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
  log "starting the server on 127.0.0.1:$PORT"
  # Sockets in the data folder: /var/run/postgresql may be missing or not ours.
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories='$DATA' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off" \
    start >&2 || { cat "$DATA/server.log" >&2 || true; exit 1; }
}

ensure_role() {
  psql_admin <<SQL
SET client_min_messages = warning;
SELECT 'CREATE ROLE $ROLE LOGIN CREATEDB' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE')\gexec
SELECT 'CREATE DATABASE $ROLE OWNER $ROLE' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$ROLE')\gexec
GRANT pg_signal_backend TO $ROLE;
SQL
}

stop_cluster() {
  if [ -f "$DATA/PG_VERSION" ]; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2 || true
    rm -rf "$DATA"
    log "stopped the server on port $PORT and removed $DATA"
  fi
}

# The postgres user may not be allowed into the caller's folder (/root/…); / it can enter.
cd /
BIN="$(bin_dir)"
case "${1:-start}" in
  start) ;;
  stop) [ -z "$BIN" ] || stop_cluster; exit 0 ;;
  status) [ -n "$BIN" ] && is_up; exit ;;
  *) log "unknown command '$1': use start, stop or status"; exit 2 ;;
esac
if [ -z "$BIN" ]; then
  install_server
  BIN="$(bin_dir)"
  [ -n "$BIN" ] || { log "installed postgresql but found no initdb: check /usr/lib/postgresql"; exit 1; }
fi
if is_up; then
  log "reusing the server already up on 127.0.0.1:$PORT"
else
  start_cluster
fi
ensure_role
echo "$URL"
