#!/usr/bin/env bash
# Before/after in one run: the writer benchmark (the ingest writer in process) and the HTTP ingest of unique alerts,
# for another checkout (e.g. `git worktree add --detach /tmp/before <commit>`) and for this one, alternating for
# several rounds so that a noisy machine weighs on both alike (which goes first alternates). Compare the ratios within the run.
#
#   bench/compare-builds.sh /tmp/before [rounds]      (default 3 rounds; ~1 minute a round)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
before="$(cd "${1:?usage: bench/compare-builds.sh OTHER_CHECKOUT [ROUNDS]}" && pwd)"
rounds="${2:-3}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

for dir in "$before" "$repo"; do
  dotnet build -c Release --nologo -v quiet "$dir/AlertRelay.Api/AlertRelay.Api.csproj"
  dotnet build -c Release --nologo -v quiet "$dir/bench/AlertRelay.Bench/AlertRelay.Bench.csproj"
done

bench() { dotnet "$1/bench/AlertRelay.Bench/bin/Release/net10.0/AlertRelay.Bench.dll" "${@:2}"; }
for round in $(seq 1 "$rounds"); do
  # Which build goes first alternates: a run leaves ~200 MB of dirty pages that the kernel writes back during the next one.
  order=("$before" "$repo"); [ $((round % 2)) -eq 0 ] && order=("$repo" "$before")
  for dir in "${order[@]}"; do
    label=after; [ "$dir" = "$repo" ] || label=before
    echo "### round $round, $label ($(git -C "$dir" rev-parse --short HEAD)): writer"
    bench "$dir" --scenario writer --synchronous FULL
    echo "### round $round, $label: unique alerts over HTTP"
    bench "$repo" --scenario unique --synchronous FULL --connections 32 --duration 10 --warmup 3 \
      --api-dll "$dir/AlertRelay.Api/bin/Release/net10.0/AlertRelay.Api.dll"
  done
done
