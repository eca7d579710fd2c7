using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Bench;

/// <summary>
/// The notify scenario: how long after its webhook's 2xx an alert reaches Slack and the SMTP server. AlertRelay runs
/// with a receiver that has one <c>slack_configs</c> entry (Web API mode, <c>api_base_url</c> = <see cref="SlackStub"/>)
/// and one <c>email_configs</c> entry (<c>smarthost</c> = <see cref="SmtpSink"/>), or only one of them
/// (--notify-integrations). Every webhook body carries one new firing alert, so every alert is its own Slack message and
/// its own mail (no digest). Latency = the stub's arrival timestamp − the timestamp at which the client had the 2xx,
/// both from <see cref="Stopwatch"/> in this process. Slack messages are matched to alerts by a marker in the summary
/// annotation, mails by the fingerprint in their Message-ID.
/// </summary>
public static partial class NotificationLatency
{
    /// <summary>Uncounted alerts posted first, so that the first Slack call and SMTP session (JIT, connection setup) are not measured.</summary>
    public const int WarmupAlerts = 20;

    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<bool> RunAsync(BenchOptions options, string apiDll, CancellationToken cancellationToken)
    {
        var synchronous = options.Synchronous[0];
        Console.WriteLine($"notify: {options.NotifyAlerts} alerts, one per webhook body, to {string.Join(" and ", options.NotifyIntegrations)}, "
            + $"modes {string.Join(",", options.NotifyModes)} (steady = {options.NotifyRate}/s open loop; burst = as fast as "
            + $"{options.BurstConnections} connections go), synchronous {synchronous}");

        await using var slack = await SlackStub.StartAsync();
        await using var smtp = await SmtpSink.StartAsync();
        var configDirectory = Path.Combine(Path.GetTempPath(), "alertrelay-bench-notify-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(configDirectory);
        var configFile = Path.Combine(configDirectory, "alertrelay.yml");
        var config = new StringBuilder("""
            # Written by the notify scenario of AlertRelay.Bench: every alert goes to the receiver's integrations.
            route:
              receiver: bench
            receivers:
              - name: bench

            """);
        var channels = new List<NotifyChannel>();
        if (options.NotifyIntegrations.Contains("slack"))
        {
            config.Append(CultureInfo.InvariantCulture, $"""
                    slack_configs:
                      - channel: '#bench'
                        bot_token: {slack.Token}
                        api_base_url: {slack.BaseUrl}
                        send_resolved: false

                """);
            channels.Add(new NotifyChannel("slack", 100, () => slack.Requests.Count, () => SlackArrivals(slack), (probes, arrival) =>
                SummaryMarker().Match(arrival.Content) is { Success: true } m && m.Groups[1].Value == probes.RunId
                    ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : null));
        }

        if (options.NotifyIntegrations.Contains("email"))
        {
            config.Append(CultureInfo.InvariantCulture, $"""
                    email_configs:
                      - to: oncall@example.com
                        from: alertrelay@example.com
                        smarthost: {smtp.Smarthost}
                        require_tls: false
                        send_resolved: false

                """);
            channels.Add(new NotifyChannel("email", 250, () => smtp.Messages.Count, () => SmtpArrivals(smtp), (probes, arrival) =>
                MessageIdPattern().Match(arrival.Content) is { Success: true } m ? probes.IndexOfFingerprint(m.Groups[1].Value) : null));
        }

        await File.WriteAllTextAsync(configFile, config.ToString(), cancellationToken);
        Console.WriteLine($"  Slack Web API stub {slack.BaseUrl}, SMTP stub {smtp.Smarthost}, config {configFile}");

        var runs = new List<NotifyRun>();
        try
        {
            foreach (var mode in options.NotifyModes)
            {
                var run = await RunOnceAsync(options, apiDll, synchronous, configFile, mode, channels, cancellationToken);
                runs.Add(run);
                Console.WriteLine($"  -> {mode}: " + string.Join(", ", run.Channels.Select(c =>
                        $"{c.Integration} p50 {Cells.Ms(c.Latency.P50)} / p99 {Cells.Ms(c.Latency.P99)} ms ({c.Missing} missing)"))
                    + $"; {run.Failed} failed webhooks");
            }
        }
        finally
        {
            Directory.Delete(configDirectory, recursive: true);
        }

        Print(options, runs);
        return runs.All(r => r.Failed == 0 && r.Channels.All(c => c.Missing == 0));
    }

    private static async Task<NotifyRun> RunOnceAsync(
        BenchOptions options, string apiDll, string synchronous, string configFile, string mode, IReadOnlyList<NotifyChannel> channels,
        CancellationToken cancellationToken)
    {
        var load = Cells.LoadAverage();
        Console.WriteLine($"run: notify {mode}, load average {load}");
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var server = await RelayServer.StartAsync(apiDll, synchronous, token, options.KeepDatabase, cancellationToken,
            environment: new Dictionary<string, string> { ["AlertRelay__ConfigFile"] = configFile });
        Console.WriteLine($"  server pid {server.ProcessId} on {server.Url}, database {server.DatabasePath}");

        using var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = mode == "burst" ? options.BurstConnections : 64,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var webhook = new Uri(server.Url, "webhook");

        // Warm-up: a few alerts at the steady rate, each waited for at every stub.
        var warmup = new Probes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)), WarmupAlerts);
        var before = channels.Select(c => c.Count()).ToArray();
        await PostSteadyAsync(client, webhook, warmup, options.NotifyRate, cancellationToken);
        await WaitForDeliveriesAsync(channels, before, warmup.Ok, TimeSpan.FromSeconds(30), cancellationToken);

        var bases = channels.Select(c => c.Count()).ToArray();
        var logBase = new FileInfo(server.LogPath).Length;
        var metricsBefore = await LatencyMetricsAsync(client, server.Url, cancellationToken);
        var probes = new Probes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3)), options.NotifyAlerts);
        var started = Stopwatch.GetTimestamp();
        if (mode == "burst")
        {
            await PostBurstAsync(client, webhook, probes, options.BurstConnections, cancellationToken);
        }
        else
        {
            await PostSteadyAsync(client, webhook, probes, options.NotifyRate, cancellationToken);
        }

        var postedIn = Stopwatch.GetElapsedTime(started);
        var drained = await WaitForDeliveriesAsync(channels, bases, probes.Ok, TimeSpan.FromSeconds(300), cancellationToken);
        var drainedIn = Stopwatch.GetElapsedTime(started);
        await Task.Delay(500, cancellationToken); // room for a duplicate delivery to show
        var metricsAfter = await LatencyMetricsAsync(client, server.Url, cancellationToken);
        var serverSend = ServerSendTimes(server.LogPath, logBase);

        var figures = channels.Select((channel, i) =>
        {
            var arrivals = channel.Arrivals().Skip(bases[i]).ToList();
            return Match(probes, arrivals, a => channel.IndexOf(probes, a)) with
            {
                Integration = channel.Integration,
                TargetP99Ms = channel.TargetP99Ms,
                ServerSend = serverSend.GetValueOrDefault(channel.Integration),
                ServerQueuedToSentMs = MeanDelta(metricsBefore, metricsAfter, channel.Integration),
                Phases = channel.Integration == "email" ? SmtpPhases(arrivals) : null,
            };
        }).ToList();
        var all = channels.Select((c, i) => c.Arrivals().Skip(bases[i])).SelectMany(a => a).Select(a => a.Timestamp).Order().ToList();
        double? throughput = all.Count > 1 ? (all.Count - 1) / Stopwatch.GetElapsedTime(all[0], all[^1]).TotalSeconds : null;

        return new NotifyRun(
            mode, load, probes.Count, probes.Ok, probes.Failed, probes.Errors, Percentiles.OfTicks(probes.PostTicks()), postedIn,
            drained ? drainedIn : null, throughput, probes.Ok * channels.Count / postedIn.TotalSeconds, figures, server.PeakRssBytes());
    }

    private static async Task PostSteadyAsync(HttpClient client, Uri webhook, Probes probes, int rate, CancellationToken cancellationToken)
    {
        // Open loop: alert i is posted at start + i/rate whatever happened to the earlier ones.
        var start = Stopwatch.GetTimestamp();
        var posts = new Task[probes.Count];
        for (var i = 0; i < probes.Count; i++)
        {
            await LoadSchedule.DelayUntilAsync(start + (long)((double)i * Stopwatch.Frequency / rate), cancellationToken);
            posts[i] = PostAsync(client, webhook, probes, i, cancellationToken);
        }

        await Task.WhenAll(posts);
    }

    private static async Task PostBurstAsync(HttpClient client, Uri webhook, Probes probes, int connections, CancellationToken cancellationToken)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < probes.Count)
            {
                await PostAsync(client, webhook, probes, i, cancellationToken);
            }
        }, cancellationToken)));
    }

    private static async Task PostAsync(HttpClient client, Uri webhook, Probes probes, int index, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = new ByteArrayContent(probes.Bodies[index]) };
            request.Content.Headers.ContentType = Json;
            var sent = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request, cancellationToken);
            var answered = Stopwatch.GetTimestamp();
            if (response.IsSuccessStatusCode)
            {
                probes.Answered(index, sent, answered);
            }
            else
            {
                probes.Failure($"HTTP {(int)response.StatusCode}");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            probes.Failure(ex.GetType().Name + ": " + ex.Message);
        }
    }

    /// <summary>What the Slack stub received, each request stamped before its body was read.</summary>
    private static IReadOnlyList<StubArrival> SlackArrivals(SlackStub slack) =>
        [.. slack.Requests.Select(r => new StubArrival(r.ArrivedAt, r.Path, r.Body))];

    /// <summary>What the SMTP sink accepted, each message stamped at its end of DATA, with its session's steps.</summary>
    private static IReadOnlyList<StubArrival> SmtpArrivals(SmtpSink smtp) =>
        [.. smtp.Messages.Select(m => new StubArrival(m.ArrivedAt, "DATA", m.Raw) { Steps = m.Steps })];

    /// <summary>Waits until every channel has <paramref name="expected"/> messages more than its base count; false on timeout.</summary>
    private static async Task<bool> WaitForDeliveriesAsync(
        IReadOnlyList<NotifyChannel> channels, int[] bases, int expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (channels.Select((c, i) => c.Count() - bases[i]).Any(n => n < expected))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(20, cancellationToken);
        }

        return true;
    }

    private static ChannelFigures Match(Probes probes, IReadOnlyList<StubArrival> arrivals, Func<StubArrival, int?> indexOf)
    {
        var first = new long?[probes.Count];
        int duplicates = 0, unknown = 0;
        foreach (var arrival in arrivals)
        {
            if (indexOf(arrival) is not { } index || index >= probes.Count)
            {
                unknown++;
            }
            else if (first[index] is null)
            {
                first[index] = arrival.Timestamp;
            }
            else
            {
                duplicates++;
            }
        }

        var latencies = new List<double>();
        var missing = 0;
        for (var i = 0; i < probes.Count; i++)
        {
            if (probes.AnsweredAt[i] == 0)
            {
                continue; // the webhook failed: nothing is owed
            }

            if (first[i] is { } at)
            {
                latencies.Add((at - probes.AnsweredAt[i]) * 1000.0 / Stopwatch.Frequency);
            }
            else
            {
                missing++;
            }
        }

        // The trend over the run (by alert number): a queue that grows shows as a last tenth much later than the first.
        var tenth = Math.Max(1, probes.Count / 10);
        Percentiles Slice(int from) => new(Enumerable.Range(from, Math.Min(tenth, probes.Count - from))
            .Where(i => probes.AnsweredAt[i] != 0 && first[i] is not null)
            .Select(i => (first[i]!.Value - probes.AnsweredAt[i]) * 1000.0 / Stopwatch.Frequency));

        return new ChannelFigures(new Percentiles(latencies), missing, duplicates, unknown, latencies.Count(l => l < 0),
            Slice(0).P50, Slice(probes.Count - tenth).P50);
    }

    /// <summary>Median time from the SMTP stub accepting a connection to each command of the session, and to the end of DATA.</summary>
    private static string SmtpPhases(IReadOnlyList<StubArrival> arrivals)
    {
        string[] steps = ["EHLO", "MAIL", "RCPT", "DATA"];
        var offsets = steps.Append("end of DATA").ToDictionary(s => s, _ => new List<double>());
        foreach (var arrival in arrivals)
        {
            var accepted = arrival.Steps.FirstOrDefault(s => s.Step == "accept").Timestamp;
            if (accepted == 0)
            {
                continue;
            }

            foreach (var step in steps)
            {
                if (arrival.Steps.FirstOrDefault(s => s.Step == step) is { Timestamp: > 0 } at)
                {
                    offsets[step].Add((at.Timestamp - accepted) * 1000.0 / Stopwatch.Frequency);
                }
            }

            offsets["end of DATA"].Add((arrival.Timestamp - accepted) * 1000.0 / Stopwatch.Frequency);
        }

        return string.Join(", ", offsets.Where(o => o.Value.Count > 0).Select(o => $"{o.Key} {Cells.Ms(new Percentiles(o.Value).P50)}"));
    }

    /// <summary>
    /// The dispatcher logs "Delivered firing notification N to R via slack (attempt 1, 3 ms)" per delivery: the time from
    /// claiming to the integration's answer (loading the message, building it, the HTTP call or the SMTP session).
    /// </summary>
    private static Dictionary<string, Percentiles> ServerSendTimes(string logPath, long fromOffset)
    {
        using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(fromOffset, SeekOrigin.Begin);
        var text = new StreamReader(stream, Encoding.UTF8).ReadToEnd();
        return DeliveredPattern().Matches(text)
            .GroupBy(m => m.Groups[1].Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new Percentiles(g.Select(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))));
    }

    /// <summary><c>alertrelay_notification_latency_seconds</c> (queued → delivered, as the server sees it) sum and count per integration.</summary>
    private static async Task<Dictionary<string, (double Sum, double Count)>> LatencyMetricsAsync(HttpClient client, Uri baseUrl, CancellationToken cancellationToken)
    {
        var text = await client.GetStringAsync(new Uri(baseUrl, "metrics"), cancellationToken);
        var result = new Dictionary<string, (double Sum, double Count)>(StringComparer.Ordinal);
        foreach (Match m in LatencyMetricPattern().Matches(text))
        {
            var integration = m.Groups[2].Value;
            var value = double.Parse(m.Groups[3].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            var (sum, count) = result.GetValueOrDefault(integration);
            result[integration] = m.Groups[1].Value == "sum" ? (value, count) : (sum, value);
        }

        return result;
    }

    private static double? MeanDelta(Dictionary<string, (double Sum, double Count)> before, Dictionary<string, (double Sum, double Count)> after, string integration)
    {
        var (sum0, count0) = before.GetValueOrDefault(integration);
        var (sum1, count1) = after.GetValueOrDefault(integration);
        return count1 > count0 ? (sum1 - sum0) * 1000 / (count1 - count0) : null;
    }

    private static void Print(BenchOptions options, IReadOnlyList<NotifyRun> runs)
    {
        Console.WriteLine();
        Console.WriteLine("## Notification latency (webhook 2xx → stub received)");
        Console.WriteLine();
        MarkdownTable.Print(
            ["run", "integration", "load avg", "alerts", "webhook p50/p99 ms", "delivered", "missing", "dup", "p50 ms", "p99 ms", "max ms", "min ms",
                "p50 first → last 10% ms", "server send p50/p99 ms", "server queued→sent mean ms", "target p99"],
            runs.SelectMany(r => r.Channels.Select(c => (IReadOnlyList<string>)
            [
                r.Mode == "burst" ? $"burst ({options.BurstConnections} conns)" : $"steady {options.NotifyRate}/s", c.Integration, r.LoadAverage,
                Cells.Int(r.Alerts), $"{Cells.Ms(r.Post.P50)} / {Cells.Ms(r.Post.P99)}", Cells.Int(c.Latency.Count),
                Cells.Int(c.Missing), Cells.Int(c.Duplicates),
                Cells.Ms(c.Latency.P50), Cells.Ms(c.Latency.P99), Cells.Ms(c.Latency.Max), Cells.Ms(c.Latency.Min),
                $"{Cells.Ms(c.FirstTenthP50)} → {Cells.Ms(c.LastTenthP50)}",
                c.ServerSend is { } send ? $"{Cells.Ms(send.P50)} / {Cells.Ms(send.P99)}" : "n/a",
                Cells.Ms(c.ServerQueuedToSentMs),
                c.Latency.Count > 0 && c.Missing == 0 && c.Latency.P99 < c.TargetP99Ms ? $"< {c.TargetP99Ms:F0} ms: met" : $"< {c.TargetP99Ms:F0} ms: MISSED",
            ])));
        Console.WriteLine();
        foreach (var r in runs)
        {
            var negative = r.Channels.Sum(c => c.Negative);
            var unknown = r.Channels.Sum(c => c.Unknown);
            Console.WriteLine($"{r.Mode}: {r.Ok}/{r.Alerts} webhooks 2xx, posted in {r.PostedIn.TotalSeconds:F1} s ({r.OfferedPerSecond:F0} notifications/s offered); "
                + (r.DrainedIn is { } d ? $"every notification received {d.TotalSeconds:F1} s after the first post" : "NOT every notification received within 300 s")
                + $"; delivered {Cells.Fixed(r.DeliveredPerSecond, 0)} notifications/s (first to last arrival); server peak RSS {Cells.Mib(r.PeakRssBytes)} MiB"
                + (negative > 0 ? $"; {negative} notifications arrived before their 2xx (negative latency)" : "")
                + (unknown > 0 ? $"; {unknown} stub messages matched no alert" : ""));
            foreach (var c in r.Channels.Where(c => c.Phases is not null))
            {
                Console.WriteLine($"  SMTP sessions at the stub, median ms after it accepted the connection: {c.Phases}");
            }

            foreach (var group in r.Errors.GroupBy(e => e).OrderByDescending(g => g.Count()).Take(5))
            {
                Console.WriteLine($"  {group.Count()} x {group.Key}");
            }
        }

        Console.WriteLine("Latency = stub arrival (Slack: request headers in; SMTP: end of DATA) − the client's 2xx, one Stopwatch in the bench process.");
        Console.WriteLine("p50 first → last 10%: the median of the first and of the last tenth of the alerts (posting order): growth means a queue builds up.");
        Console.WriteLine("server send = the dispatcher's own \"Delivered ... (N ms)\" log figure: claim to the integration's answer (whole ms).");
        Console.WriteLine("server queued→sent = alertrelay_notification_latency_seconds: the commit's clock reading to the outcome recorded (after the send).");
        Console.WriteLine($"{WarmupAlerts} uncounted warm-up alerts are posted and delivered before each run.");
    }

    [GeneratedRegex(@"nb([0-9a-f]{6})x([0-9]+)", RegexOptions.CultureInvariant)]
    private static partial Regex SummaryMarker();

    [GeneratedRegex(@"Message-I[Dd]:\s*<alertrelay\.[0-9]+\.([0-9a-f]{16})@", RegexOptions.CultureInvariant)]
    private static partial Regex MessageIdPattern();

    [GeneratedRegex(@"Delivered firing notification [0-9]+ to \S+ via (\w+) \(attempt [0-9]+, ([0-9]+) ms\)", RegexOptions.CultureInvariant)]
    private static partial Regex DeliveredPattern();

    [GeneratedRegex(@"^alertrelay_notification_latency_seconds_(sum|count)\{integration=""(\w+)""\} (\S+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex LatencyMetricPattern();

    /// <summary>The alerts of one run: their webhook bodies (one alert each), fingerprints, and when each 2xx came.</summary>
    internal sealed class Probes
    {
        private readonly Dictionary<string, int> _byFingerprint = new(StringComparer.Ordinal);
        private readonly List<string> _errors = [];
        private readonly long[] _postTicks;
        private int _failed;

        public Probes(string runId, int count)
        {
            RunId = runId;
            Bodies = new byte[count][];
            AnsweredAt = new long[count];
            _postTicks = new long[count];
            for (var i = 0; i < count; i++)
            {
                var (body, fingerprint) = Build(runId, i);
                Bodies[i] = body;
                _byFingerprint[fingerprint] = i;
            }
        }

        public string RunId { get; }

        public int Count => Bodies.Length;

        public byte[][] Bodies { get; }

        /// <summary>Stopwatch timestamp at which the 2xx of alert i was in; 0 if it failed.</summary>
        public long[] AnsweredAt { get; }

        public int Ok => AnsweredAt.Count(a => a != 0);

        public int Failed => Volatile.Read(ref _failed);

        public IReadOnlyList<string> Errors
        {
            get
            {
                lock (_errors)
                {
                    return [.. _errors];
                }
            }
        }

        public IEnumerable<long> PostTicks() => _postTicks.Where((_, i) => AnsweredAt[i] != 0);

        public int? IndexOfFingerprint(string fingerprint) => _byFingerprint.TryGetValue(fingerprint, out var i) ? i : null;

        public void Answered(int index, long sent, long answered)
        {
            AnsweredAt[index] = answered;
            _postTicks[index] = answered - sent;
        }

        public void Failure(string error)
        {
            Interlocked.Increment(ref _failed);
            lock (_errors)
            {
                _errors.Add(error);
            }
        }

        /// <summary>
        /// One firing alert, shaped like PayloadFactory's; its summary carries the marker "nb{run}x{index}" that the Slack
        /// message shows, and its fingerprint (computed with AlertRelay's own code) is in the Message-ID of its mail.
        /// </summary>
        private static (byte[] Body, string Fingerprint) Build(string runId, int index)
        {
            string[] names = ["HighErrorRate", "HighLatency", "PodCrashLooping", "DiskAlmostFull", "TargetDown"];
            var alertname = names[index % names.Length];
            var pod = string.Create(CultureInfo.InvariantCulture, $"checkout-{runId}-{index:x}");
            var labels = LabelSet.From(
                ("alertname", alertname), ("severity", "critical"), ("instance", $"10.0.{index / 250}.{index % 250}:9100"),
                ("job", "checkout"), ("namespace", "prod"), ("cluster", "eu-west-1a"), ("container", "app"), ("pod", pod));
            var fingerprint = Fingerprint.Of(labels).ToString();

            var buffer = new ArrayBufferWriter<byte>(2048);
            using (var json = new Utf8JsonWriter(buffer, WriterOptions))
            {
                json.WriteStartObject();
                json.WriteString("receiver", "relay");
                json.WriteString("status", "firing");
                json.WriteStartArray("alerts");
                json.WriteStartObject();
                json.WriteString("status", "firing");
                json.WriteStartObject("labels");
                foreach (var (name, value) in labels)
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
                json.WriteStartObject("annotations");
                json.WriteString("summary", string.Create(CultureInfo.InvariantCulture, $"{alertname} on {pod} (probe nb{runId}x{index})"));
                json.WriteString("description", "Notification latency probe of AlertRelay.Bench");
                json.WriteString("runbook_url", "https://runbooks.example.com/alerts/" + alertname);
                json.WriteEndObject();
                json.WriteString("startsAt", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                json.WriteString("endsAt", "0001-01-01T00:00:00Z");
                json.WriteString("generatorURL", "http://prometheus.bench:9090/graph?g0.expr=" + alertname);
                json.WriteString("fingerprint", fingerprint);
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteStartObject("groupLabels");
                json.WriteString("alertname", alertname);
                json.WriteString("pod", pod);
                json.WriteEndObject();
                json.WriteStartObject("commonLabels");
                foreach (var (name, value) in labels)
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
                json.WriteStartObject("commonAnnotations");
                json.WriteEndObject();
                json.WriteString("externalURL", "http://alertmanager.bench:9093");
                json.WriteString("version", "4");
                json.WriteString("groupKey", $"{{}}:{{alertname=\"{alertname}\", pod=\"{pod}\"}}");
                json.WriteNumber("truncatedAlerts", 0);
                json.WriteEndObject();
            }

            return (buffer.WrittenSpan.ToArray(), fingerprint);
        }
    }
}

/// <summary>One integration of the receiver: its stub's messages, and how to tell which alert a message is about.</summary>
internal sealed record NotifyChannel(
    string Integration, double TargetP99Ms, Func<int> Count, Func<IReadOnlyList<StubArrival>> Arrivals, Func<NotificationLatency.Probes, StubArrival, int?> IndexOf);

/// <summary>What one notify run measured.</summary>
internal sealed record NotifyRun(
    string Mode,
    string LoadAverage,
    int Alerts,
    int Ok,
    int Failed,
    IReadOnlyList<string> Errors,
    Percentiles Post,
    TimeSpan PostedIn,
    TimeSpan? DrainedIn,
    double? DeliveredPerSecond,
    double OfferedPerSecond,
    IReadOnlyList<ChannelFigures> Channels,
    long? PeakRssBytes);

/// <summary>One integration's latencies (ms, 2xx → arrival) and what did not match one-to-one.</summary>
internal sealed record ChannelFigures(
    Percentiles Latency,
    int Missing,
    int Duplicates,
    int Unknown,
    int Negative,
    double FirstTenthP50,
    double LastTenthP50)
{
    public string Integration { get; init; } = "";

    public double TargetP99Ms { get; init; }

    public Percentiles? ServerSend { get; init; }

    public double? ServerQueuedToSentMs { get; init; }

    /// <summary>Email only: the SMTP session's phases at the stub.</summary>
    public string? Phases { get; init; }
}
