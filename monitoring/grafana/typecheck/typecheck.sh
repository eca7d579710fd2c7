#!/usr/bin/env bash
# Type-checks the dashboards in ../dashboards against Grafana's own TypeScript types (npm @grafana/schema) with
# typescript 5: unknown keys and wrong value types fail. Needs node and npm; installs the exact versions of
# package-lock.json into node_modules/ here with `npm ci` (nothing global), writes the generated TypeScript to
# generated/ here (both git-ignored). Run by .ci/run.
#
#   monitoring/grafana/typecheck/typecheck.sh
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v npm >/dev/null 2>&1; then
  echo "typecheck.sh needs node and npm (Debian packages nodejs and npm; scripts/test.sh installs them)" >&2
  exit 1
fi

npm ci --no-audit --no-fund --loglevel=error
rm -rf generated
node generate.mjs ../dashboards generated
node_modules/.bin/tsc --noEmit --strict --skipLibCheck --target es2022 --module esnext --moduleResolution bundler generated/*.ts
echo "dashboards type-check against @grafana/schema"
