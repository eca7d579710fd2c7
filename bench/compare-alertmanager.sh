#!/usr/bin/env bash
# AlertRelay against Alertmanager, side by side, in one run: the same stream of alerts (bench/wrk/alerts.lua,
# 10 alerts per body, unique label sets) posted by wrk to
#   - Alertmanager's POST /api/v2/alerts (Debian's prometheus-alertmanager, in memory), and
#   - AlertRelay's POST /webhook (Release build, fresh SQLite file, synchronous FULL: durable before 2xx),
# for each connection count, alternating targets so that both see the same machine. Then the re-send load
# (90% of bodies repeat an already-acknowledged body) against both. Prints a Markdown table with ratios.
#
#   bench/compare-alertmanager.sh [--duration 20] [--warmup 3] [--connections "32 128"] [--rounds 1] [--resend 0.9]
#
# Needs: wrk, prometheus-alertmanager (apt-get install -y wrk prometheus-alertmanager), the .NET SDK.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration=20 warmup=3 connections="32 128" rounds=1 resend=0.9 threads=2
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --resend) resend="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

for tool in wrk prometheus-alertmanager dotnet; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install -y wrk prometheus-alertmanager)" >&2; exit 2; }
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build -c Release --nologo -v quiet "$repo/AlertRelay.Api/AlertRelay.Api.csproj" >/dev/null
api_dll="$repo/AlertRelay.Api/bin/Release/net10.0/AlertRelay.Api.dll"
script="$repo/bench/wrk/alerts.lua"
work="$(mktemp -d /tmp/alertrelay-compare.XXXXXX)"
results="$work/results.tsv"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill -9 "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || echo $(( 20000 + RANDOM % 20000 )); }

wait_ready() { # url
  for _ in $(seq 1 200); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "error: $1 did not answer" >&2; return 1
}

start_alertmanager() { # port
  rm -rf "$work/am" && mkdir -p "$work/am"
  printf 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n' > "$work/am/alertmanager.yml"
  prometheus-alertmanager --config.file="$work/am/alertmanager.yml" --storage.path="$work/am/data" \
    --web.listen-address="127.0.0.1:$1" --cluster.listen-address= --web.external-url="http://127.0.0.1:$1" \
    --log.level=warn >"$work/am/log" 2>&1 &
  server_pid=$!
  wait_ready "http://127.0.0.1:$1/-/ready"
}

start_alertrelay() { # port token
  rm -rf "$work/relay" && mkdir -p "$work/relay"
  ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production \
  AlertRelay__Database__Path="$work/relay/alertrelay.db" AlertRelay__Database__Synchronous=FULL \
  AlertRelay__Auth__WebhookToken="$2" AlertRelay__Auth__ReadToken="$2" Logging__LogLevel__Default=Warning \
    dotnet "$api_dll" --urls "http://127.0.0.1:$1" >"$work/relay/log" 2>&1 &
  server_pid=$!
  wait_ready "http://127.0.0.1:$1/readyz"
}

stop_server() {
  kill -9 "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

run_wrk() { # target url conns seconds resend run-id token -> prints the wrk-json line
  BENCH_TARGET="$1" BENCH_RESEND="$5" BENCH_RUN="$6" BENCH_TOKEN="$7" \
    wrk -t"$threads" -c"$3" -d"${4}s" --timeout 30s -s "$script" "$2" | sed -n 's/^wrk-json //p'
}

measure() { # target scenario conns
  local target="$1" scenario="$2" conns="$3" port token run ratio=0 url
  port="$(free_port)"; token="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"; run="r$RANDOM$RANDOM"
  [[ "$scenario" == resend ]] && ratio="$resend"
  if [[ "$target" == alertmanager ]]; then start_alertmanager "$port"; else start_alertrelay "$port" "$token"; fi
  url="http://127.0.0.1:$port"
  # Warm-up (JIT, connections; for resend it seeds the ring of bodies to repeat), not counted.
  run_wrk "$target" "$url" "$conns" "$warmup" 0 "$run-w" "$token" >/dev/null
  local before_cpu after_cpu json rss db="-"
  before_cpu="$(awk '{print $14+$15}' "/proc/$server_pid/stat")"
  json="$(run_wrk "$target" "$url" "$conns" "$duration" "$ratio" "$run" "$token")"
  after_cpu="$(awk '{print $14+$15}' "/proc/$server_pid/stat")"
  rss="$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$server_pid/status")"
  if [[ "$target" == alertrelay ]]; then
    db="$(du -cm "$work/relay"/alertrelay.db* | awk 'END {print $1}')"
  fi
  stop_server
  local cpu_pct
  cpu_pct="$(awk -v a="$before_cpu" -v b="$after_cpu" -v d="$duration" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", (b-a)/hz/d*100}')"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$scenario" "$conns" "$json" "$rss" "$cpu_pct" "$db" >>"$results"
  echo "  $target $scenario $conns connections: $json, peak RSS ${rss} MiB, server CPU ${cpu_pct}%" >&2
}

echo "# AlertRelay vs Alertmanager, $(date -u '+%Y-%m-%d %H:%M') UTC"
echo "machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "alertmanager: $(prometheus-alertmanager --version 2>&1 | head -1)"
echo "alertrelay: commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown), $(dotnet --version) SDK"
echo "load: wrk -t$threads, 10 alerts per body, ${warmup} s warm-up + ${duration} s measured per run, rounds $rounds"
echo

for round in $(seq 1 "$rounds"); do
  for conns in $connections; do
    for target in alertmanager alertrelay; do measure "$target" unique "$conns"; done
  done
  for target in alertmanager alertrelay; do measure "$target" resend 32; done
done

echo
echo "| target | scenario | conns | req/s | alerts/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | errors | peak RSS MiB | server CPU | DB MiB | alerts/s vs AM | p99 vs AM |"
echo "| ------ | -------- | ----: | ----: | -------: | -----: | -----: | -----: | -----: | ------: | -----: | -----------: | ---------: | -----: | -------------: | --------: |"
awk -F'\t' '
  function field(json, name,   m) { if (match(json, "\"" name "\":[0-9.]+")) { m = substr(json, RSTART, RLENGTH); sub(/.*:/, "", m); return m + 0 } return 0 }
  {
    rps = (field($4, "requests") - field($4, "non2xx")) / field($4, "seconds")
    key = $2 "/" $3 "/" NR
    errors = field($4, "connect_errors") + field($4, "read_errors") + field($4, "write_errors") + field($4, "timeouts")
    ratio_aps = "-"; ratio_p99 = "-"
    if ($1 == "alertmanager") { am_aps = rps * 10; am_p99 = field($4, "p99_ms") }
    else if (am_aps > 0) { ratio_aps = sprintf("%.2f x", rps * 10 / am_aps); ratio_p99 = sprintf("%.2f x", field($4, "p99_ms") / am_p99) }
    printf "| %s | %s | %s | %.0f | %.0f | %.1f | %.1f | %.1f | %.1f | %d | %d | %s | %s%% | %s | %s | %s |\n",
      $1, $2, $3, rps, rps * 10, field($4, "p50_ms"), field($4, "p90_ms"), field($4, "p99_ms"), field($4, "max_ms"),
      field($4, "non2xx"), errors, $5, $6, $7, ratio_aps, ratio_p99
  }' "$results"
echo
echo "alerts/s counts answers of the measured window (wrk counts every completed request; non-2xx are listed)."
echo "Alertmanager keeps alerts in memory; AlertRelay answers 2xx only after its SQLite commit (synchronous FULL)."
