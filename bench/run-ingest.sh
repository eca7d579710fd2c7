#!/usr/bin/env bash
# Ingest benchmark: builds AlertRelay.Api and the bench in Release, then runs both scenarios
# (unique, resend) against a freshly started server for SQLite synchronous FULL and NORMAL.
#
# Defaults suit a 2-core machine and take about 2 minutes (4 runs x (start + 3 s warm-up + 20 s)).
# Extra arguments go to the bench, e.g.
#   bench/run-ingest.sh --scenario unique --connections 32,128 --duration 10
#   bench/run-ingest.sh --url http://127.0.0.1:5001 --token "$TOKEN"     # an already running AlertRelay
# See bench/run-ingest.sh --help for every option. The other scenarios have their own scripts, which call this one:
#   bench/run-notify.sh    notification latency (webhook 2xx -> Slack stub / SMTP server)
#   bench/run-history.sh   history queries on 1,000,000 stored occurrences
#   bench/run-startup.sh   start-up time and idle memory
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build -c Release --nologo -v quiet AlertRelay.Api/AlertRelay.Api.csproj
dotnet build -c Release --nologo -v quiet bench/AlertRelay.Bench/AlertRelay.Bench.csproj

# Record what is measured: the commit, and whether the server's sources differ from it (read-only git).
if commit="$(git rev-parse --short HEAD 2>/dev/null)"; then
  dirty="$(GIT_OPTIONAL_LOCKS=0 git status --porcelain --untracked-files=no -- AlertRelay.Api AlertRelay.Core)"
  echo "AlertRelay commit $commit${dirty:+ with uncommitted changes in AlertRelay.Api/AlertRelay.Core}"
fi

exec dotnet bench/AlertRelay.Bench/bin/Release/net10.0/AlertRelay.Bench.dll \
  --scenario all --synchronous FULL,NORMAL --connections 32 --duration 20 --warmup 3 \
  --api-dll "$repo/AlertRelay.Api/bin/Release/net10.0/AlertRelay.Api.dll" \
  "$@"
