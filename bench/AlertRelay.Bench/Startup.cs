using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace AlertRelay.Bench;

/// <summary>
/// The start-up scenario: AlertRelay started --startup-runs times on an empty database and on the history scenario's
/// database (cached, see <see cref="HistorySeeder"/>; copied before the clock starts). From the moment the process is
/// started, the bench polls <c>GET /readyz</c> and <c>POST /webhook</c> (one new alert) every
/// <see cref="PollMilliseconds"/> ms, each on its own, until each answers 2xx; it then leaves the server idle for
/// --idle seconds and reads its resident memory (VmRSS) and peak (VmHWM) from /proc.
/// </summary>
public static class Startup
{
    public const int PollMilliseconds = 10;

    public static async Task<bool> RunAsync(BenchOptions options, string apiDll, CancellationToken cancellationToken)
    {
        Console.WriteLine($"startup: {options.StartupRuns} starts on an empty database and on a {options.HistoryRows:N0}-occurrence one, "
            + $"polling every {PollMilliseconds} ms, RSS after {options.Idle.TotalSeconds:F0} s idle");
        var seeded = await HistorySeeder.EnsureAsync(options.CacheDirectory, options.HistoryRows, options.Reseed, cancellationToken);
        Console.WriteLine($"  history database {seeded.Path} ({Cells.Mib(seeded.Bytes)} MiB, {(seeded.FromCache ? "cached" : "seeded now")})");

        var runs = new List<StartRun>();
        foreach (var (label, seed) in new[] { ("empty", (string?)null), ($"{seeded.Rows:N0} occurrences", seeded.Path) })
        {
            for (var run = 1; run <= options.StartupRuns; run++)
            {
                var result = await StartOnceAsync(options, apiDll, label, run, seed, cancellationToken);
                runs.Add(result);
                Console.WriteLine($"  {label} #{run}: /readyz {Cells.Ms(result.ReadyMs)} ms, first webhook 2xx {Cells.Ms(result.WebhookMs)} ms, "
                    + $"RSS {Cells.Mib(result.IdleRssBytes)} MiB after idle, peak {Cells.Mib(result.PeakRssBytes)} MiB (load {result.LoadAverage})");
            }
        }

        Print(options, runs);
        return runs.All(r => r.ReadyMs is not null && r.WebhookMs is not null);
    }

    private static async Task<StartRun> StartOnceAsync(
        BenchOptions options, string apiDll, string label, int run, string? seed, CancellationToken cancellationToken)
    {
        var load = Cells.LoadAverage();
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var server = RelayServer.Launch(apiDll, options.Synchronous[0], token, options.KeepDatabase, seed,
            new Dictionary<string, string> { ["AlertRelay__History__RetainDays"] = "0" });
        using var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(1),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };

        var deadline = server.LaunchedAt + (60 * Stopwatch.Frequency);
        var ready = PollAsync(server, deadline, () => client.GetAsync(new Uri(server.Url, "readyz"), cancellationToken), cancellationToken);
        var body = Encoding.UTF8.GetBytes(Body(token[..8]));
        var webhook = PollAsync(server, deadline, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Url, "webhook")) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client.SendAsync(request, cancellationToken);
        }, cancellationToken);
        var readyAt = await ready;
        var rssAtReady = server.RssBytes();
        var webhookAt = await webhook;

        await Task.Delay(options.Idle, cancellationToken);
        return new StartRun(
            label, run, load,
            readyAt is { } r ? Stopwatch.GetElapsedTime(server.LaunchedAt, r).TotalMilliseconds : null,
            webhookAt is { } w ? Stopwatch.GetElapsedTime(server.LaunchedAt, w).TotalMilliseconds : null,
            rssAtReady, server.IsRunning ? server.RssBytes() : null, server.IsRunning ? server.PeakRssBytes() : null);
    }

    /// <summary>Sends until a 2xx (returns its Stopwatch timestamp), the process exits or the deadline passes (null).</summary>
    private static async Task<long?> PollAsync(RelayServer server, long deadline, Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        while (Stopwatch.GetTimestamp() < deadline && server.IsRunning)
        {
            try
            {
                using var response = await send();
                var at = Stopwatch.GetTimestamp();
                if (response.IsSuccessStatusCode)
                {
                    return at;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(PollMilliseconds, cancellationToken);
        }

        return null;
    }

    private static string Body(string id) => $$"""
        {"receiver":"relay","status":"firing","alerts":[{"status":"firing",
          "labels":{"alertname":"StartupProbe","severity":"info","instance":"bench:9100","job":"bench","probe":"{{id}}"},
          "annotations":{"summary":"start-up probe of AlertRelay.Bench"},"startsAt":"{{DateTimeOffset.UtcNow:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}",
          "endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus.bench:9090/graph"}],
         "groupLabels":{"alertname":"StartupProbe"},"commonLabels":{"alertname":"StartupProbe"},"commonAnnotations":{},
         "externalURL":"http://alertmanager.bench:9093","version":"4","groupKey":"{}:{alertname=\"StartupProbe\"}","truncatedAlerts":0}
        """;

    private static void Print(BenchOptions options, IReadOnlyList<StartRun> runs)
    {
        Console.WriteLine();
        Console.WriteLine("## Start-up and idle memory");
        Console.WriteLine();
        MarkdownTable.Print(
            ["database", "run", "load avg", "/readyz 2xx ms", "first webhook 2xx ms", "RSS at ready MiB", $"RSS after {options.Idle.TotalSeconds:F0} s idle MiB", "peak RSS MiB"],
            runs.Select(r => (IReadOnlyList<string>)
            [
                r.Database, r.Run.ToString(System.Globalization.CultureInfo.InvariantCulture), r.LoadAverage, Cells.Ms(r.ReadyMs), Cells.Ms(r.WebhookMs),
                Cells.Mib(r.ReadyRssBytes), Cells.Mib(r.IdleRssBytes), Cells.Mib(r.PeakRssBytes),
            ]));
        Console.WriteLine();
        foreach (var group in runs.GroupBy(r => r.Database))
        {
            var ready = new Percentiles(group.Where(r => r.ReadyMs is not null).Select(r => r.ReadyMs!.Value));
            var webhook = new Percentiles(group.Where(r => r.WebhookMs is not null).Select(r => r.WebhookMs!.Value));
            var idle = new Percentiles(group.Where(r => r.IdleRssBytes is not null).Select(r => r.IdleRssBytes!.Value / (1024.0 * 1024.0)));
            var peak = new Percentiles(group.Where(r => r.PeakRssBytes is not null).Select(r => r.PeakRssBytes!.Value / (1024.0 * 1024.0)));
            Console.WriteLine($"{group.Key}: median /readyz {Cells.Ms(ready.P50)} ms (min {Cells.Ms(ready.Min)}, max {Cells.Ms(ready.Max)}), "
                + $"first webhook {Cells.Ms(webhook.P50)} ms (min {Cells.Ms(webhook.Min)}, max {Cells.Ms(webhook.Max)}), "
                + $"idle RSS {Cells.Fixed(idle.P50, 1)} MiB, peak {Cells.Fixed(peak.P50, 1)} MiB (medians of {group.Count()})");
        }

        Console.WriteLine($"Times from Process.Start (dotnet AlertRelay.Api.dll, framework-dependent, no ReadyToRun) to the 2xx, polled every {PollMilliseconds} ms");
        Console.WriteLine("(connection refused until Kestrel listens). The database file is copied before the clock starts, so it is in the page cache. Retention off.");
    }

    private sealed record StartRun(
        string Database, int Run, string LoadAverage, double? ReadyMs, double? WebhookMs, long? ReadyRssBytes, long? IdleRssBytes, long? PeakRssBytes);
}
