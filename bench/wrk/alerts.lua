-- wrk script: posts the same stream of alerts either as Alertmanager webhook bodies (payload version 4)
-- to AlertRelay's POST /webhook, or as Alertmanager API v2 bodies to Alertmanager's POST /api/v2/alerts.
--
--   BENCH_TARGET=webhook|alertmanager   body format (default webhook)
--   BENCH_ALERTS=10                     alerts per body
--   BENCH_RESEND=0.9                    share of bodies that repeat an already-sent body byte for byte (default 0)
--   BENCH_RUN=abc123                    token in every alert, so that runs never collide
--   BENCH_TOKEN=...                     bearer token for /webhook
--   BENCH_MAX=250                       each thread stops once this many requests were answered (a storm of a fixed size;
--                                       the few still in flight then are abandoned, not counted) and creates the file
--                                       BENCH_DONE-<thread> (wrk itself runs its whole -d: the caller sends it SIGINT)
--   BENCH_HIST=/path/file               also write latencies at a grid of percentiles there ("percent microseconds" per
--                                       line), so that two wrk processes' latencies can be merged
--
-- Alerts look like a real Prometheus alert: 8 to 11 labels (alertname, severity, job, namespace, cluster,
-- instance, pod, container, sometimes region, team, service), three annotations, RFC 3339 times with
-- nanoseconds. Every new alert has a unique pod label, so it is new to the server. The fingerprint is not
-- sent (it is optional in the webhook payload; AlertRelay computes it from the labels either way).
-- done() prints one JSON line (prefixed "wrk-json ") that bench/compare-alertmanager.sh reads.

local target = os.getenv("BENCH_TARGET") or "webhook"
local per_body = tonumber(os.getenv("BENCH_ALERTS") or "10")
local resend = tonumber(os.getenv("BENCH_RESEND") or "0")
local run = os.getenv("BENCH_RUN") or "run"
local token = os.getenv("BENCH_TOKEN")
local max_answers = tonumber(os.getenv("BENCH_MAX") or "0")
local answers = 0

local alertnames = { "HighErrorRate", "HighLatency", "PodCrashLooping", "DiskAlmostFull", "NodeMemoryPressure", "TargetDown",
  "CertificateExpiring", "QueueBacklog", "ReplicaLag", "CPUThrottlingHigh", "KubeJobFailed", "HighRequestRate" }
local severities = { "critical", "warning", "info" }
local jobs = { "ecommerce-api", "checkout", "payments", "search", "inventory", "node-exporter", "kube-state-metrics", "gateway" }
local namespaces = { "prod", "staging", "platform", "monitoring" }
local clusters = { "eu-west-1a", "eu-west-1b", "us-east-2a" }
local containers = { "app", "sidecar", "proxy" }
local regions = { "eu-west-1", "us-east-2" }
local teams = { "sre", "payments", "search", "platform" }

local threads = {}
local counter = 0

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

local function pick(list)
  return list[math.random(#list)]
end

local base = os.time() - 86400
local sent = {}          -- ring of bodies already sent by this thread, for re-sends
local sent_count = 0
local ring = 4096

local function starts_at(n)
  return os.date("!%Y-%m-%dT%H:%M:%S", base + math.floor(n / 1000)) .. string.format(".%09dZ", math.random(0, 999999999))
end

local function new_body()
  local alertname, severity, job, ns, cluster = pick(alertnames), pick(severities), pick(jobs), pick(namespaces), pick(clusters)
  local runbook = "https://runbooks.example.com/alerts/" .. alertname
  local alerts = {}
  for i = 1, per_body do
    counter = counter + 1
    local pod = string.format("%s-%s-%d-%x", job, run, thread_id, counter)
    local instance = string.format("10.%d.%d.%d:%d", math.random(0, 255), math.random(0, 255), math.random(0, 255), 9100 + math.random(0, 9))
    local labels = string.format('"alertname":"%s","cluster":"%s","container":"%s","instance":"%s","job":"%s","namespace":"%s","pod":"%s","severity":"%s"',
      alertname, cluster, pick(containers), instance, job, ns, pod, severity)
    local extra = math.random(0, 3)
    if extra >= 1 then labels = labels .. ',"region":"' .. pick(regions) .. '"' end
    if extra >= 2 then labels = labels .. ',"team":"' .. pick(teams) .. '"' end
    if extra >= 3 then labels = labels .. ',"service":"' .. job .. '-svc"' end
    local annotations = string.format('"description":"%s is at %.2f%% on %s over the last 5m","runbook_url":"%s","summary":"%s on %s"',
      alertname, math.random() * 100, instance, runbook, alertname, pod)
    local generator = "http://prometheus.bench:9090/graph?g0.expr=" .. alertname .. "&g0.tab=1"
    if target == "alertmanager" then
      alerts[i] = string.format('{"labels":{%s},"annotations":{%s},"startsAt":"%s","generatorURL":"%s"}',
        labels, annotations, starts_at(counter), generator)
    else
      alerts[i] = string.format('{"status":"firing","labels":{%s},"annotations":{%s},"startsAt":"%s","endsAt":"0001-01-01T00:00:00Z","generatorURL":"%s"}',
        labels, annotations, starts_at(counter), generator)
    end
  end
  if target == "alertmanager" then
    return "[" .. table.concat(alerts, ",") .. "]"
  end
  return string.format('{"receiver":"relay","status":"firing","alerts":[%s],"groupLabels":{"alertname":"%s"},'
    .. '"commonLabels":{"alertname":"%s","cluster":"%s","job":"%s","namespace":"%s","severity":"%s"},'
    .. '"commonAnnotations":{"runbook_url":"%s"},"externalURL":"http://alertmanager.bench:9093","version":"4",'
    .. '"groupKey":"{}:{alertname=\\"%s\\"}","truncatedAlerts":0}',
    table.concat(alerts, ","), alertname, alertname, cluster, job, ns, severity, runbook, alertname)
end

local path, headers
function init(args)
  math.randomseed(os.time() * 1000 + thread_id)
  path = target == "alertmanager" and "/api/v2/alerts" or "/webhook"
  headers = { ["Content-Type"] = "application/json" }
  if token and token ~= "" and target ~= "alertmanager" then
    headers["Authorization"] = "Bearer " .. token
  end
end

function request()
  local body
  -- Re-send only bodies sent at least 64 requests ago (long acknowledged), like a group re-send.
  if resend > 0 and sent_count > 64 and math.random() < resend then
    local oldest = math.max(1, sent_count - ring + 1)
    body = sent[(math.random(oldest, sent_count - 64) - 1) % ring + 1]
  else
    body = new_body()
    sent_count = sent_count + 1
    if resend > 0 then sent[(sent_count - 1) % ring + 1] = body end
  end
  return wrk.format("POST", path, headers, body)
end

-- Only for a storm: with response() defined wrk keeps every answer's headers and body, which costs it time.
if max_answers > 0 then
  function response(status, headers, body)
    answers = answers + 1
    if answers == max_answers then
      wrk.thread:stop()
      local done = os.getenv("BENCH_DONE")
      if done and done ~= "" then io.open(done .. "-" .. thread_id, "w"):close() end
    end
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format('wrk-json {"requests":%d,"seconds":%.3f,"non2xx":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,'
    .. '"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,"bytes":%d}\n',
    summary.requests, seconds, summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000, summary.bytes))

  -- Debian's wrk 4.1 gives no access to its histogram from Lua, only percentiles: write the latency at a grid of
  -- percentiles (0.5% steps, 0.02% steps from 97% to 99.98%; wrk answers 0 for 100%), enough to merge two processes' latencies near p99 elsewhere.
  local hist = os.getenv("BENCH_HIST")
  if hist and hist ~= "" then
    local file = assert(io.open(hist, "w"))
    if summary.requests > 0 then
      for step = 1, 194 do file:write(string.format("%.2f %d\n", step * 0.5, latency:percentile(step * 0.5))) end
      for step = 1, 149 do file:write(string.format("%.2f %d\n", 97 + step * 0.02, latency:percentile(97 + step * 0.02))) end
    end
    file:close()
  end
end
