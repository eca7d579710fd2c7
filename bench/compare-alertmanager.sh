#!/usr/bin/env bash
# AlertRelay against Alertmanager, side by side, in one run: the same stream of alerts (bench/wrk/alerts.lua,
# 10 alerts per body, unique label sets) posted by wrk to
#   - Alertmanager's POST /api/v2/alerts (Debian's prometheus-alertmanager, in memory),
#   - AlertRelay's POST /webhook (Release build, fresh SQLite file, synchronous FULL: durable before 2xx),
#   - with PostgreSQL (on by default when it is installed): AlertRelay on a fresh PostgreSQL database, one replica,
#     and two replicas (two processes, two ports) sharing one fresh database, the connections split between them
#     (two wrk processes at once, half the connections each); one throwaway cluster (bench/pg-cluster.sh, fsync on),
# for each connection count, alternating targets so that all see the same machine. Then the re-send load
# (90% of bodies repeat an already-acknowledged body) against each. Prints a Markdown table with ratios, and per
# AlertRelay row the stored occurrences and the database size per occurrence.
#
# Then a storm (--storm alerts, 50,000 by default, 0 for none): bodies of 100 alerts, 32 connections, as fast as they go.
# AlertRelay answers from its inbox and applies after: per run the table gives the time from the last answer until the
# inbox was empty ("drain s", every occurrence queryable and every notification queued) and the accepted alerts over
# window + drain ("applied alerts/s"); the server's CPU is measured over both.
#
#   bench/compare-alertmanager.sh [--duration 20] [--warmup 3] [--connections "32 128"] [--rounds 1] [--resend 0.9]
#                                 [--storm 50000] [--postgres | --no-postgres]
#
# Needs: wrk, prometheus-alertmanager (apt-get install -y wrk prometheus-alertmanager), the .NET SDK, sqlite3 (for the
# SQLite occurrence count); for the PostgreSQL rows Debian's postgresql (apt-get install -y postgresql).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration=20 warmup=3 connections="32 128" rounds=1 resend=0.9 threads=2 postgres=auto storm_alerts=50000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --resend) resend="$2"; shift 2 ;;
    --storm) storm_alerts="$2"; shift 2 ;;
    --postgres) postgres=on; shift ;;
    --no-postgres) postgres=off; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

for tool in wrk prometheus-alertmanager dotnet; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install -y wrk prometheus-alertmanager)" >&2; exit 2; }
done
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [[ "$postgres" == auto ]]; then
  [[ -n "$pg_bin" && -x "$pg_bin/initdb" ]] && postgres=on || postgres=off
elif [[ "$postgres" == on && ! -x "$pg_bin/initdb" ]]; then
  echo "error: --postgres needs PostgreSQL (apt-get install -y postgresql)" >&2; exit 2
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build -c Release --nologo -v quiet "$repo/AlertRelay.Api/AlertRelay.Api.csproj" >/dev/null
api_dll="$repo/AlertRelay.Api/bin/Release/net10.0/AlertRelay.Api.dll"
script="$repo/bench/wrk/alerts.lua"
work="$(mktemp -d /tmp/alertrelay-compare.XXXXXX)"
results="$work/results.tsv"
server_pids=()
pg_dir="" pg_port="" pg_databases=0
cleanup() {
  local pid
  for pid in "${server_pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  [[ -n "$pg_dir" ]] && "$repo/bench/pg-cluster.sh" stop "$pg_dir" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sqlite_bytes() { # every file of the relay's SQLite database: the main file, the WAL (not checkpointed yet), the WAL index
  stat -c %s "$work/relay"/alertrelay.db* | awk '{s += $1} END {printf "%.0f", s}'
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || echo $(( 20000 + RANDOM % 20000 )); }

wait_ready() { # url
  for _ in $(seq 1 400); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "error: $1 did not answer" >&2; return 1
}

if [[ "$postgres" == on ]]; then
  # The cluster's directory must be reachable by the postgres user (pg-cluster.sh runs it as postgres when root).
  pg_dir="$(mktemp -d /tmp/alertrelay-compare-pg.XXXXXX)"
  pg_port="$(free_port)"
  "$repo/bench/pg-cluster.sh" start "$pg_dir" "$pg_port" >/dev/null
fi
pg_sql() { # database sql -> unaligned, tuples only
  "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d "$1" -qAtX -v ON_ERROR_STOP=1 -c "$2"
}

start_alertmanager() { # port
  rm -rf "$work/am" && mkdir -p "$work/am"
  printf 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n' > "$work/am/alertmanager.yml"
  prometheus-alertmanager --config.file="$work/am/alertmanager.yml" --storage.path="$work/am/data" \
    --web.listen-address="127.0.0.1:$1" --cluster.listen-address= --web.external-url="http://127.0.0.1:$1" \
    --log.level=warn >"$work/am/log" 2>&1 &
  server_pids+=($!)
  wait_ready "http://127.0.0.1:$1/-/ready"
}

start_alertrelay() { # port token log [extra env NAME=VALUE...]: SQLite unless the extra env says otherwise
  local port="$1" token="$2" log="$3"; shift 3
  env ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production \
    AlertRelay__Database__Path="$work/relay/alertrelay.db" AlertRelay__Database__Synchronous=FULL \
    AlertRelay__Auth__WebhookToken="$token" AlertRelay__Auth__ReadToken="$token" Logging__LogLevel__Default=Warning "$@" \
    dotnet "$api_dll" --urls "http://127.0.0.1:$port" >"$log" 2>&1 &
  server_pids+=($!)
}

stop_servers() {
  local pid
  for pid in "${server_pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  server_pids=()
}

cpu_ticks() { # pids... -> user+system clock ticks of those processes
  local pid total=0
  for pid in "$@"; do total=$(( total + $(awk '{print $14+$15}' "/proc/$pid/stat") )); done
  echo "$total"
}

pg_cpu_ticks() { # the whole cluster: the postmaster, its live children, and the children it has reaped (cutime, cstime)
  local postmaster total pid
  postmaster="$(head -1 "$pg_dir/data/postmaster.pid")"
  total="$(awk '{print $14+$15+$16+$17}' "/proc/$postmaster/stat")"
  for pid in $(ps -o pid= --ppid "$postmaster"); do
    total=$(( total + $(awk '{print $14+$15}' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}

inbox_backlog() { # url [database]: alerts accepted and not applied yet (PostgreSQL: the shared inbox table; SQLite: the gauge)
  if [[ -n "${2:-}" ]]; then
    pg_sql "$2" 'SELECT coalesce(sum(alerts), 0) FROM inbox WHERE failed_at_ms IS NULL'
  else
    curl -fsS "$1/metrics" | awk '/^alertrelay_inbox_backlog_alerts / {print $2 + 0; found = 1} END {if (!found) print 0}'
  fi
}

wait_drained() { # url [database] -> prints the seconds until the inbox was empty (polled every 50 ms, at most 10 minutes)
  local start now
  start="$(date +%s.%N)"
  for _ in $(seq 1 12000); do
    [[ "$(inbox_backlog "$@")" == 0 ]] && break
    sleep 0.05
  done
  now="$(date +%s.%N)"
  awk -v a="$start" -v b="$now" 'BEGIN {printf "%.2f", b - a}'
}

run_wrk() { # target url conns seconds resend run-id token wrk-threads hist-file -> prints the wrk-json line
  if [[ "${BENCH_MAX:-0}" -gt 0 ]]; then
    # A storm: each thread writes a file once it has its answers; wrk runs its whole -d even so, but stops at SIGINT and
    # reports what it did until then.
    local out done_prefix pid
    out="$(mktemp "$work/storm-out.XXXXXX")"; done_prefix="$(mktemp -u "$work/storm-done.XXXXXX")"
    BENCH_TARGET="$1" BENCH_RESEND="$5" BENCH_RUN="$6" BENCH_TOKEN="$7" BENCH_HIST="$9" BENCH_DONE="$done_prefix" \
      wrk -t"$8" -c"$3" -d"${4}s" --timeout 30s -s "$script" "$2" >"$out" &
    pid=$!
    until [[ "$(ls "$done_prefix"-* 2>/dev/null | wc -l)" -ge "$8" ]] || ! kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
    kill -INT "$pid" 2>/dev/null || true
    wait "$pid" || true
    sed -n 's/^wrk-json //p' "$out"
    return
  fi
  BENCH_TARGET="$1" BENCH_RESEND="$5" BENCH_RUN="$6" BENCH_TOKEN="$7" BENCH_HIST="$9" \
    wrk -t"$8" -c"$3" -d"${4}s" --timeout 30s -s "$script" "$2" | sed -n 's/^wrk-json //p'
}

# Two wrk processes at once, one per replica, each with half the connections and one thread (the same two threads in
# all). alerts/s is the sum of the two. wrk's Lua API gives percentiles, not its histogram, so each wrk writes its
# latency at a grid of percentiles (bench/wrk/alerts.lua, BENCH_HIST) and the merged distribution is
# F(x) = (n1 F1(x) + n2 F2(x)) / (n1 + n2), n = requests of each; p50/p90/p99 are read off it. That is the p99 of every
# request of the window (not the worse of the two), to within one grid step (0.02% near p99), erring high.
merge_percentiles() { # json-a json-b hist-a hist-b -> one merged wrk-json line
  { awk '{print "a", $0}' "$3"; awk '{print "b", $0}' "$4"; } | sort -k3,3n -k2,2n | awk -v j1="$1" -v j2="$2" '
    function field(json, name,   m) { if (match(json, "\"" name "\":[0-9.]+")) { m = substr(json, RSTART, RLENGTH); sub(/.*:/, "", m); return m + 0 } return 0 }
    function sum(name) { return field(j1, name) + field(j2, name) }
    function settle() {
      f = (na * fa + nb * fb) / (na + nb)
      for (k = 1; k <= 3; k++) if (at[k] == "" && f >= target[k] - 1e-9) at[k] = last
    }
    BEGIN { na = field(j1, "requests"); nb = field(j2, "requests"); target[1] = 50; target[2] = 90; target[3] = 99; last = "" }
    {
      if (last != "" && $3 != last) settle()
      if ($1 == "a" && $2 > fa) fa = $2
      if ($1 == "b" && $2 > fb) fb = $2
      last = $3
    }
    END {
      if (last != "") settle()
      seconds = field(j1, "seconds"); if (field(j2, "seconds") > seconds) seconds = field(j2, "seconds")
      max = field(j1, "max_ms"); if (field(j2, "max_ms") > max) max = field(j2, "max_ms")
      printf "{\"requests\":%.0f,\"seconds\":%.3f,\"non2xx\":%.0f,\"connect_errors\":%.0f,\"read_errors\":%.0f,\"write_errors\":%.0f,\"timeouts\":%.0f,", \
        sum("requests"), seconds, sum("non2xx"), sum("connect_errors"), sum("read_errors"), sum("write_errors"), sum("timeouts")
      printf "\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,\"bytes\":%.0f,\"rps_a\":%.1f,\"rps_b\":%.1f,\"p99_a\":%.2f,\"p99_b\":%.2f}\n", \
        at[1] / 1000, at[2] / 1000, at[3] / 1000, max, sum("bytes"), \
        (field(j1, "requests") - field(j1, "non2xx")) / field(j1, "seconds"), (field(j2, "requests") - field(j2, "non2xx")) / field(j2, "seconds"), \
        field(j1, "p99_ms"), field(j2, "p99_ms")
    }'
}

run_wrk_split() { # target url1 url2 conns seconds resend run-id token -> prints one merged wrk-json line
  local half=$(( $4 / 2 ))
  run_wrk "$1" "$2" "$half" "$5" "$6" "$7-a" "$8" 1 "$work/hist-a" >"$work/wrk-a" &
  local a=$!
  run_wrk "$1" "$3" "$(( $4 - half ))" "$5" "$6" "$7-b" "$8" 1 "$work/hist-b" >"$work/wrk-b" &
  local b=$!
  wait "$a"; wait "$b"
  merge_percentiles "$(cat "$work/wrk-a")" "$(cat "$work/wrk-b")" "$work/hist-a" "$work/hist-b"
}

report_logs() { # label log...: AlertRelay logs at Warning and above, so any line is worth a look
  local label="$1" log lines; shift
  for log in "$@"; do
    lines="$(wc -l <"$log")"
    if [[ "$lines" -gt 0 ]]; then
      echo "  $label: $lines log lines at Warning or above in $(basename "$log"); the most frequent first lines:" >&2
      grep -E '^(warn|fail|crit)' "$log" | sort | uniq -c | sort -rn | head -5 | sed 's/^/    /' >&2 || true
      grep -vE '^(warn|fail|crit|info|dbug|trce)' "$log" | grep -v '^\s*$' | sort | uniq -c | sort -rn | head -5 | sed 's/^/    /' >&2 || true
    fi
  done
}

measure() { # target scenario conns
  local target="$1" scenario="$2" conns="$3" port port2 token run ratio=0 url url2="" database="" connstring="" seconds="$duration"
  port="$(free_port)"; token="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"; run="r$RANDOM$RANDOM"
  [[ "$scenario" == resend ]] && ratio="$resend"
  url="http://127.0.0.1:$port"
  rm -rf "$work/relay" && mkdir -p "$work/relay"
  case "$target" in
    alertmanager) start_alertmanager "$port" ;;
    alertrelay)
      start_alertrelay "$port" "$token" "$work/relay/log"
      wait_ready "$url/readyz" ;;
    alertrelay-pg|alertrelay-pg2)
      pg_databases=$(( pg_databases + 1 )); database="bench_$pg_databases"
      pg_sql postgres "CREATE DATABASE $database"
      connstring="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$database"
      start_alertrelay "$port" "$token" "$work/relay/log" AlertRelay__Database__Provider=postgres \
        AlertRelay__Database__ConnectionString="$connstring"
      if [[ "$target" == alertrelay-pg2 ]]; then
        # Both replicas start at once, as a deployment would; the schema is migrated under an advisory lock.
        port2="$(free_port)"; url2="http://127.0.0.1:$port2"
        start_alertrelay "$port2" "$token" "$work/relay/log2" AlertRelay__Database__Provider=postgres \
          AlertRelay__Database__ConnectionString="$connstring"
        wait_ready "$url2/readyz"
      fi
      wait_ready "$url/readyz" ;;
  esac
  local wire="$target" empty_bytes=0; [[ "$target" != alertmanager ]] && wire=webhook
  # What an empty, migrated database already takes, so that a short run's bytes per occurrence can be read net of it.
  [[ -n "$database" ]] && empty_bytes="$(pg_sql postgres "SELECT pg_database_size('$database')")"
  [[ "$target" == alertrelay ]] && empty_bytes="$(sqlite_bytes)"
  # Warm-up (JIT, connections; the store gets new alerts), not counted. The measured wrk is another process: its ring of
  # bodies to re-send starts empty, so each of its threads posts 65 new bodies before it re-sends any.
  if [[ -n "$url2" ]]; then
    run_wrk_split "$wire" "$url" "$url2" "$conns" "$warmup" 0 "$run-w" "$token" >/dev/null
  else
    run_wrk "$wire" "$url" "$conns" "$warmup" 0 "$run-w" "$token" "$threads" "" >/dev/null
  fi
  # AlertRelay applies what it accepted from its inbox: the measured window starts with the warm-up applied.
  [[ "$target" != alertmanager ]] && wait_drained "$url" "$database" >/dev/null
  # A storm: storm_alerts alerts in bodies of 100, as fast as the connections go; each wrk thread stops after its share.
  if [[ "$scenario" == storm ]]; then
    export BENCH_ALERTS=100 BENCH_MAX=$(( storm_alerts / 100 / threads ))
    seconds=600
  fi
  local before_cpu after_cpu before_pg=0 after_pg=0 json rss db_bytes=0 occurrences=0
  local started ended
  started="$(date +%s.%N)"
  before_cpu="$(cpu_ticks "${server_pids[@]}")"
  [[ -n "$database" ]] && before_pg="$(pg_cpu_ticks)"
  if [[ -n "$url2" ]]; then
    json="$(run_wrk_split "$wire" "$url" "$url2" "$conns" "$seconds" "$ratio" "$run" "$token")"
  else
    json="$(run_wrk "$wire" "$url" "$conns" "$seconds" "$ratio" "$run" "$token" "$threads" "")"
  fi
  local drain="-"
  [[ "$target" != alertmanager ]] && drain="$(wait_drained "$url" "$database")"
  unset BENCH_ALERTS BENCH_MAX
  after_cpu="$(cpu_ticks "${server_pids[@]}")"
  [[ -n "$database" ]] && after_pg="$(pg_cpu_ticks)"
  ended="$(date +%s.%N)"
  local pid rss_list=()
  for pid in "${server_pids[@]}"; do rss_list+=("$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$pid/status")"); done
  rss="$(IFS=+; echo "${rss_list[*]}")"
  stop_servers
  case "$target" in
    alertrelay)
      db_bytes="$(sqlite_bytes)"
      echo "  SQLite files: $(cd "$work/relay" && stat -c '%n %s' alertrelay.db* | tr '\n' ' ')" >&2
      if command -v sqlite3 >/dev/null; then
        occurrences="$(sqlite3 "$work/relay/alertrelay.db" 'SELECT count(*) FROM alert_occurrences')"
      fi
      report_logs "$target $scenario $conns" "$work/relay/log" ;;
    alertrelay-pg|alertrelay-pg2)
      db_bytes="$(pg_sql postgres "SELECT pg_database_size('$database')")"
      occurrences="$(pg_sql "$database" 'SELECT count(*) FROM alert_occurrences')"
      report_logs "$target $scenario $conns" "$work/relay"/log*
      pg_sql postgres "DROP DATABASE $database" ;;
  esac
  local hz cpu_pct pg_pct="-"
  hz="$(getconf CLK_TCK)"
  # CPU over the whole window, the drain after it included (100% = one core).
  local elapsed
  elapsed="$(awk -v a="$started" -v b="$ended" 'BEGIN {print b - a}')"
  cpu_pct="$(awk -v a="$before_cpu" -v b="$after_cpu" -v d="$elapsed" -v hz="$hz" 'BEGIN {printf "%.0f", (b-a)/hz/d*100}')"
  [[ -n "$database" ]] && pg_pct="$(awk -v a="$before_pg" -v b="$after_pg" -v d="$elapsed" -v hz="$hz" 'BEGIN {printf "%.0f%%", (b-a)/hz/d*100}')"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$scenario" "$conns" "$json" "$rss" "$cpu_pct" "$pg_pct" \
    "$db_bytes" "$occurrences" "$empty_bytes" "$drain" "$(( (after_cpu - before_cpu) ))" >>"$results"
  echo "  $target $scenario $conns connections: $json, peak RSS ${rss} MiB, server CPU ${cpu_pct}%, PostgreSQL CPU $pg_pct," \
    "database $db_bytes bytes, $occurrences occurrences, drained ${drain} s after the last answer" >&2
}

targets="alertmanager alertrelay"
[[ "$postgres" == on ]] && targets="$targets alertrelay-pg alertrelay-pg2"

echo "# AlertRelay vs Alertmanager, $(date -u '+%Y-%m-%d %H:%M') UTC"
echo "machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "alertmanager: $(prometheus-alertmanager --version 2>&1 | head -1)"
[[ "$postgres" == on ]] && echo "postgresql: $("$pg_bin/postgres" --version), one throwaway cluster (fsync on, synchronous_commit on), a fresh database per target"
echo "alertrelay: commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown), $(dotnet --version) SDK"
echo "load: wrk -t$threads, 10 alerts per body, ${warmup} s warm-up + ${duration} s measured per run, rounds $rounds"
echo

for round in $(seq 1 "$rounds"); do
  for conns in $connections; do
    for target in $targets; do measure "$target" unique "$conns"; done
  done
  for target in $targets; do measure "$target" resend 32; done
  [[ "$storm_alerts" -gt 0 ]] && for target in $targets; do measure "$target" storm 32; done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "| target | scenario | conns | req/s | alerts/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | errors | drain s | applied alerts/s | peak RSS MiB | server CPU | CPU µs/alert | PostgreSQL CPU | DB MiB | occurrences | DB bytes/occurrence (net of empty DB) | alerts/s vs AM | applied vs AM | p99 vs AM | alerts/s vs SQLite | p99 vs SQLite |"
echo "| ------ | -------- | ----: | ----: | -------: | -----: | -----: | -----: | -----: | ------: | -----: | ------: | ---------------: | -----------: | ---------: | -----------: | -------------: | -----: | ----------: | ------------------------------------: | -------------: | ------------: | --------: | -----------------: | ------------: |"
awk -F'\t' -v hz="$(getconf CLK_TCK)" '
  function field(json, name,   m) { if (match(json, "\"" name "\":[0-9.]+")) { m = substr(json, RSTART, RLENGTH); sub(/.*:/, "", m); return m + 0 } return 0 }
  BEGIN { name["alertmanager"] = "alertmanager"; name["alertrelay"] = "alertrelay, SQLite"
          name["alertrelay-pg"] = "alertrelay, PostgreSQL"; name["alertrelay-pg2"] = "alertrelay, PostgreSQL, 2 replicas" }
  {
    per_body = ($2 == "storm") ? 100 : 10
    ok = field($4, "requests") - field($4, "non2xx")
    rps = ok / field($4, "seconds")
    if (field($4, "rps_a") + field($4, "rps_b") > 0) rps = field($4, "rps_a") + field($4, "rps_b")
    aps = rps * per_body
    drain = ($11 == "-" || $11 == "") ? 0 : $11
    applied = ok * per_body / (field($4, "seconds") + drain)
    cpu_us = (ok > 0) ? sprintf("%.0f", $12 / hz * 1e6 / (ok * per_body)) : "-"
    errors = field($4, "connect_errors") + field($4, "read_errors") + field($4, "write_errors") + field($4, "timeouts")
    p99 = field($4, "p99_ms")
    key = $2 "/" $3
    ratio_aps = "-"; ratio_applied = "-"; ratio_p99 = "-"; sq_ratio_aps = "-"; sq_ratio_p99 = "-"; db = "-"; occ = "-"; per = "-"
    if ($1 == "alertmanager") { am_aps[key] = aps; am_p99[key] = p99 }
    else {
      if (am_aps[key] > 0) {
        ratio_aps = sprintf("%.2f x", aps / am_aps[key]); ratio_applied = sprintf("%.2f x", applied / am_aps[key])
        ratio_p99 = sprintf("%.2f x", p99 / am_p99[key])
      }
      if ($1 == "alertrelay") { sq_aps[key] = aps; sq_p99[key] = p99 }
      else if (sq_aps[key] > 0) { sq_ratio_aps = sprintf("%.2f x", aps / sq_aps[key]); sq_ratio_p99 = sprintf("%.2f x", p99 / sq_p99[key]) }
      db = sprintf("%.0f", $8 / 1048576); occ = $9
      if ($9 > 0) per = sprintf("%.0f (%.0f)", $8 / $9, ($8 - $10) / $9)
    }
    printf "| %s | %s | %s | %.0f | %.0f | %.1f | %.1f | %.1f | %.1f | %.0f | %.0f | %s | %.0f | %s | %s%% | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
      name[$1], $2, $3, rps, aps, field($4, "p50_ms"), field($4, "p90_ms"), p99, field($4, "max_ms"),
      field($4, "non2xx"), errors, $11, applied, $5, $6, cpu_us, $7, db, occ, per, ratio_aps, ratio_applied, ratio_p99, sq_ratio_aps, sq_ratio_p99
  }' "$results"
echo
echo "alerts/s counts answers of the measured window (wrk counts every completed request; non-2xx are listed)."
echo "Alertmanager keeps alerts in memory; AlertRelay answers 2xx only after its commit (SQLite synchronous FULL;"
echo "PostgreSQL with fsync and synchronous_commit on)."
if [[ "$postgres" == on ]]; then
  echo "Two replicas: two wrk processes at once (half the connections and one thread each); alerts/s is their sum, the"
  echo "percentiles are those of their two latency histograms merged. Peak RSS lists each replica; server CPU is AlertRelay's"
  echo "(both replicas together), PostgreSQL CPU the whole cluster's (100% = one core)."
fi
echo "DB bytes/occurrence: everything stored (occurrences, timeline events, outbox) over the occurrences after the run,"
echo "warm-up included; SQLite: the database file, its WAL and WAL index; PostgreSQL: pg_database_size (the cluster's WAL"
echo "is not in it). In brackets: net of what the empty, migrated database already took before the first alert:"
awk -F'\t' '$1 != "alertmanager" && $10 > 0 {s[$1] += $10; n[$1]++} END {for (t in s) printf "  %s %.1f MiB\n", t, s[t] / n[t] / 1048576}' "$results" | sort
