#!/usr/bin/env bash
# The whole benchmark in one command, on a machine like the CI one (2 cores): each part prints its table.
#   1. ingest throughput/latency and deduplicated re-sends, AlertRelay vs a real Alertmanager side by side
#      (bench/compare-alertmanager.sh: wrk, 10 alerts/body, 32 and 128 connections, 20 s), with AlertRelay on SQLite
#      and on PostgreSQL (one replica, two replicas on one database)
#   2. notification latency, webhook 2xx -> Slack stub / SMTP server, 1,000 alerts (bench/run-notify.sh)
#   3. history queries at 1,000,000 occurrences (bench/run-history.sh; seeds once, cached in /tmp/alertrelay-bench)
#   4. start-up time to the first 2xx and memory at idle (bench/run-startup.sh)
#   5. the ingest writer in process, SQLite and PostgreSQL with one and two writers (bench/run-writer.sh)
# Takes about 30 minutes (the first history run seeds its database for ~2 minutes). Installs wrk,
# prometheus-alertmanager and postgresql with apt when they are missing (as root). Figures are in docs/benchmarks.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v prometheus-alertmanager >/dev/null || missing+=(prometheus-alertmanager)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

status=0
run() { echo; echo "================ $* ================"; "$@" || status=1; }
run "$here/compare-alertmanager.sh"
run "$here/run-notify.sh"
run "$here/run-history.sh"
run "$here/run-startup.sh"
run "$here/run-writer.sh"
exit $status
