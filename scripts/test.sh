#!/usr/bin/env bash
# The test command: installs the Debian packages the end-to-end tests drive (a real Alertmanager),
# then runs every test. Extra arguments go to `dotnet test` (e.g. --filter ...).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
command -v prometheus-alertmanager >/dev/null 2>&1 || packages+=(prometheus-alertmanager)

if ((${#packages[@]} > 0)); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "Installing ${packages[*]} (needed by the end-to-end tests)..."
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi

exec dotnet test AlertRelay.sln "$@"
