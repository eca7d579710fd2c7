#!/usr/bin/env bash
# Start-up: time to the first 2xx of /readyz and of POST /webhook, and RSS after 10 s idle, 5 starts each on an
# empty database and on the history scenario's (cached) 1,000,000-occurrence database (about 3 minutes).
# Builds like run-ingest.sh (whose defaults the bench ignores for this scenario; --synchronous takes its first value,
# FULL) and records the commit. See bench/run-startup.sh --help for every option.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-ingest.sh" --scenario startup "$@"
