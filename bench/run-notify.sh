#!/usr/bin/env bash
# Notification latency: webhook 2xx -> Slack Web API stub / SMTP server received, 1,000 alerts at 50/s and in a burst
# (about 1-2 minutes). E.g. bench/run-notify.sh --notify-integrations slack   (one integration alone)
# Builds like run-ingest.sh (whose defaults the bench ignores for this scenario; --synchronous takes its first value,
# FULL) and records the commit. See bench/run-notify.sh --help for every option.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/run-ingest.sh" --scenario notify "$@"
