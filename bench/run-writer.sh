#!/usr/bin/env bash
# The ingest writer alone, in process, no HTTP (AlertRelay.Bench --scenario writer): 20,000 bodies of 10 new alerts from
# 32 callers on a fresh SQLite file (synchronous FULL), then, when PostgreSQL is installed, on a throwaway PostgreSQL
# cluster (bench/pg-cluster.sh, fsync on) with one ingest writer and with two on one database (two replicas' writers
# taking turns on ingest_clock). Prints alerts/s, CPU per alert and bytes per stored occurrence for each.
#   bench/run-writer.sh [--no-postgres] [extra bench options, e.g. --synchronous FULL,NORMAL]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
postgres=auto
if [[ "${1:-}" == --no-postgres ]]; then postgres=off; shift; fi
if [[ "$postgres" == auto ]]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && postgres=on || postgres=off
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build -c Release --nologo -v quiet "$repo/bench/AlertRelay.Bench/AlertRelay.Bench.csproj" >/dev/null
echo "AlertRelay commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown); load average $(cut -d' ' -f1-3 /proc/loadavg)"

args=(--scenario writer --synchronous FULL "$@")
pg_dir=""
cleanup() { [[ -n "$pg_dir" ]] && "$repo/bench/pg-cluster.sh" stop "$pg_dir" || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM
if [[ "$postgres" == on ]]; then
  pg_dir="$(mktemp -d /tmp/alertrelay-writer-pg.XXXXXX)"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  args+=(--postgres "$("$repo/bench/pg-cluster.sh" start "$pg_dir" "$port")")
fi
dotnet "$repo/bench/AlertRelay.Bench/bin/Release/net10.0/AlertRelay.Bench.dll" "${args[@]}"
