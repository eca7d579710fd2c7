#!/usr/bin/env bash
# End-to-end run of the whole stack on real binaries, without Docker: installs Debian's prometheus and
# prometheus-alertmanager if missing, then runs AlertRelay.IntegrationTests' EndToEnd test, which starts on
# 127.0.0.1 (free ports) the demo shop, AlertRelay (Slack -> a loopback Slack Web API stub, email -> an
# in-process SMTP server), Prometheus (the demo shop's alert rules, monitoring/prometheus/rules/ecommerce-demo.yml,
# 1 s intervals) and Alertmanager (the repository's alertmanager.yml, 1 s group timers), and walks through:
#   1. errors injected in the shop -> HighErrorRate -> Slack, email and the history API;
#   2. the shop stopped -> APIDown fires and mutes a warning of the same service;
#   3. the shop back, faults cleared -> resolves update the Slack message (and reply in its thread),
#      thread the email, release the muted warning; the history shows the whole timeline;
#   4. a synthetic alert posted the way a CI pipeline does (README, "The full stack") is delivered.
# It prints the time from fault injection to Slack delivery, stops every process it started, and on a
# step that does not happen in time fails with the Prometheus and shop logs.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
command -v prometheus >/dev/null 2>&1 || packages+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 || packages+=(prometheus-alertmanager)
if ((${#packages[@]} > 0)); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi

dotnet build AlertRelay.sln --nologo -v quiet
exec dotnet test AlertRelay.IntegrationTests --no-build --filter "Category=EndToEnd" --logger "console;verbosity=detailed" "$@"
