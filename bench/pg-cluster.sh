#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the benchmarks (Debian's postgresql; as the postgres user when run as root):
#   bench/pg-cluster.sh start DIR PORT   -> prints the connection string of database "bench"
#   bench/pg-cluster.sh stop DIR
# fsync and synchronous_commit stay ON (the default): a 2xx from AlertRelay on PostgreSQL is as durable as on SQLite FULL.
set -euo pipefail
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
[[ -x "$bin/initdb" ]] || { echo "error: PostgreSQL is not installed (apt-get install -y postgresql)" >&2; exit 2; }
as_pg() { if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-}" in
  start)
    dir="$2" port="$3"
    mkdir -p "$dir"; [[ "$(id -u)" -eq 0 ]] && chown postgres:postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
    "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -q -c "CREATE DATABASE bench" >/dev/null
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=bench"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null || true
    rm -rf "$2"
    ;;
  *) sed -n '2,5p' "$0"; exit 2 ;;
esac
