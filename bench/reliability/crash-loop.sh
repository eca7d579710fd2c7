#!/usr/bin/env bash
# Crash under load, repeated: builds the tests and runs AlertRelay.IntegrationTests/Reliability/CrashUnderLoadTests with
# ALERTRELAY_CRASH_ITERATIONS kills (default 20). Each iteration starts the real relay on a fresh SQLite file, drives
# ingest at full speed, SIGKILLs it at a random moment (seeded), restarts it on the same file and checks what was
# stored and delivered to the Slack stub. One line per kill as it completes, then the total.
#
#   bench/reliability/crash-loop.sh            # 20 kills, a random seed (printed)
#   bench/reliability/crash-loop.sh 50         # 50 kills
#   ALERTRELAY_CRASH_SEED=123456 bench/reliability/crash-loop.sh   # repeat a run
#
# Exit status: 0 when every accepted alert was stored and every notification delivered (duplicates only for
# deliveries in flight at a kill); non-zero otherwise, with the test's failure printed.
# About 10-15 s per kill on 2 cores.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"

iterations="${1:-${ALERTRELAY_CRASH_ITERATIONS:-20}}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
report="$work/report.txt"
log="$work/test.log"
touch "$report"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build --nologo -v quiet AlertRelay.IntegrationTests/AlertRelay.IntegrationTests.csproj >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }

ALERTRELAY_CRASH_ITERATIONS="$iterations" ALERTRELAY_CRASH_REPORT="$report" \
  dotnet test AlertRelay.IntegrationTests/AlertRelay.IntegrationTests.csproj --no-build --nologo \
  --filter "FullyQualifiedName~AlertRelay.IntegrationTests.Reliability.CrashUnderLoadTests" \
  --logger "console;verbosity=detailed" >"$log" 2>&1 &
test_pid=$!

# The test rewrites the report after each kill: print the lines as they appear.
printed=0
status=0
while :; do
  running=1
  kill -0 "$test_pid" 2>/dev/null || running=0
  lines="$(wc -l <"$report")"
  if (( lines > printed )); then
    sed -n "$((printed + 1)),${lines}p" "$report" | sed 's/^crash-loop: //'
    printed="$lines"
  fi
  (( running )) || break
  sleep 2
done
wait "$test_pid" || status=$?

total="$(grep '^crash-loop: total:' "$report" || true)"
lost="$(sed -n 's/.*, lost \([0-9]*\);.*/\1/p' <<<"$total")"
if [[ -z "$total" || "$status" -ne 0 || "$lost" != "0" ]]; then
  echo "FAILED (test exit status $status, lost ${lost:-unknown}); the test's output:" >&2
  grep -E 'problem:|Error Message|Assert|Exception' -A3 "$log" | head -60 >&2 || tail -60 "$log" >&2
  exit 1
fi
echo "OK: no accepted alert lost, every notification delivered"
