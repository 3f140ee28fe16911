#!/usr/bin/env bash
# A private PostgreSQL server for Partnerbook's tests, examples and benchmarks.
#
#   scripts/postgres.sh start   install PostgreSQL from Debian when missing, create the cluster
#                               on first use, start it (no-op when running); prints the URL
#   scripts/postgres.sh stop    stop it (no-op when stopped)
#   scripts/postgres.sh url     print the URL
#   scripts/postgres.sh status  exit 0 when it runs
#
# The cluster lives in $PARTNERBOOK_PG_DIR (default /tmp/partnerbook-postgres), owned by the
# `postgres` user, listening on 127.0.0.1:$PARTNERBOOK_PG_PORT (default 54329) with trust
# authentication: a throwaway server for one machine, never a production one. Set
# PARTNERBOOK_PG_FAST=1 to start it with fsync, synchronous_commit and full_page_writes off
# (what the tests use in CI; a crash may then lose the cluster, and benchmarks must not use it).
set -euo pipefail

PORT="${PARTNERBOOK_PG_PORT:-54329}"
DIR="${PARTNERBOOK_PG_DIR:-/tmp/partnerbook-postgres}"
DB="${PARTNERBOOK_PG_DATABASE:-partnerbook}"
URL="postgres://postgres@127.0.0.1:${PORT}/${DB}"

bin_dir() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [[ -n "$found" && -x "$found/initdb" ]] && echo "$found"
}

as_pg() {
  if [[ "$(id -un)" == "postgres" ]]; then
    (cd /tmp && "$@")
  else
    (cd /tmp && runuser -u postgres -- "$@")
  fi
}

install() {
  if [[ -z "$(bin_dir)" ]]; then
    echo "postgres.sh: installing PostgreSQL from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
  fi
  if [[ -z "$(bin_dir)" ]]; then
    echo "postgres.sh: no PostgreSQL under /usr/lib/postgresql/*/bin after installing" >&2
    exit 1
  fi
}

running() {
  local bin
  bin="$(bin_dir)" || return 1
  [[ -f "$DIR/PG_VERSION" ]] || return 1
  as_pg "$bin/pg_ctl" -D "$DIR" status >/dev/null 2>&1
}

start() {
  install
  local bin
  bin="$(bin_dir)"
  if [[ ! -f "$DIR/PG_VERSION" ]]; then
    mkdir -p "$DIR"
    chown postgres:postgres "$DIR"
    chmod 700 "$DIR"
    as_pg "$bin/initdb" -D "$DIR" -U postgres --locale=C.UTF-8 --encoding=UTF8 --auth=trust >/dev/null
  fi
  if ! running; then
    local options="-p $PORT -c listen_addresses=127.0.0.1 -k /tmp -c max_connections=200"
    if [[ "${PARTNERBOOK_PG_FAST:-0}" == "1" ]]; then
      options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    # 9>&-: the server must not inherit the lock of serialize(), or it would hold it for as
    # long as it runs and every later start or stop of this port would wait forever.
    as_pg "$bin/pg_ctl" -D "$DIR" -w -t 60 -l "$DIR/log" -o "$options" start >/dev/null 9>&-
  fi
  if ! as_pg "$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
  fi
  echo "$URL"
}

stop() {
  if running; then
    as_pg "$(bin_dir)/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null
  fi
}

# One start or stop at a time per port (test files run in parallel and may all call start).
serialize() {
  if command -v flock >/dev/null 2>&1; then
    exec 9>"/tmp/partnerbook-postgres-${PORT}.lock"
    flock 9
  fi
}

case "${1:-}" in
  start)
    serialize
    start
    ;;
  stop)
    serialize
    stop
    ;;
  url) echo "$URL" ;;
  status) running ;;
  *)
    echo "usage: $0 start|stop|url|status" >&2
    exit 2
    ;;
esac
