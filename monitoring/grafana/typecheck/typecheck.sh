#!/usr/bin/env bash
# Type-checks the dashboards in ../dashboards against Grafana's own TypeScript types (npm @grafana/schema) with
# typescript 5: unknown keys and wrong value types fail. Needs node and npm (and the npm registry, once: the
# packages are installed into a temporary directory, nothing is written to the repository).
#
#   monitoring/grafana/typecheck/typecheck.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error @grafana/schema@13.2.3 typescript@5.9.3 >/dev/null
node "$here/generate.mjs" "$here/../dashboards" "$work/src"
npx tsc --noEmit --strict --skipLibCheck --target es2022 --module esnext --moduleResolution bundler src/*.ts
echo "dashboards type-check against @grafana/schema"
