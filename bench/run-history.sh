#!/usr/bin/env bash
# History queries: GET /api/alerts and /api/alerts/stats on a database of 1,000,000 occurrences, generated once
# (~2 minutes) and cached in /tmp/alertrelay-bench (--reseed to regenerate); the queries take about 6 minutes.
# E.g. bench/run-history.sh --history-sql 'CREATE INDEX ...'   (try an index on a copy)
# Builds like run-ingest.sh (whose defaults the bench ignores for this scenario; --synchronous takes its first value,
# FULL) and records the commit. See bench/run-history.sh --help for every option.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-ingest.sh" --scenario history "$@"
