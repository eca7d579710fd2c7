using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlertRelay.Bench;

/// <summary>When the warm-up ends and the measured window closes, as <see cref="Stopwatch"/> timestamps.</summary>
public sealed class LoadSchedule
{
    public LoadSchedule(TimeSpan warmup, TimeSpan duration)
    {
        Duration = duration;
        MeasureFrom = Stopwatch.GetTimestamp() + Ticks(warmup);
        MeasureUntil = MeasureFrom + Ticks(duration);
    }

    public TimeSpan Duration { get; }

    public long MeasureFrom { get; }

    public long MeasureUntil { get; }

    public bool IsMeasured(long timestamp) => timestamp >= MeasureFrom && timestamp < MeasureUntil;

    public static Task DelayUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        return wait > TimeSpan.Zero ? Task.Delay(wait, cancellationToken) : Task.CompletedTask;
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}

/// <summary>The body of a 2xx from <c>POST /webhook</c>.</summary>
public sealed record WebhookAck(int Alerts, int Created, int Changed, int Duplicates);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(WebhookAck))]
internal sealed partial class BenchJson : JsonSerializerContext;

/// <summary>
/// A closed-loop load: each connection posts one body, waits for the answer, and posts the next until the
/// measured window closes. Only requests that complete inside the window are counted. In the resend
/// scenario the warm-up posts new bodies only (it seeds the store); in the window a share of the bodies
/// repeats one that was already acknowledged.
/// </summary>
public sealed class LoadRunner(HttpClient client, Uri webhook, PayloadFactory payloads, Scenario scenario, double resendRatio)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly List<long> _stored = [];
    private long _nextBody = -1;

    public async Task<LoadResult> RunAsync(int connections, LoadSchedule schedule, CancellationToken cancellationToken)
    {
        var workers = Enumerable.Range(0, connections).Select(_ => new WorkerStats()).ToArray();
        await Task.WhenAll(workers.Select(w => Task.Run(() => WorkAsync(schedule, w, cancellationToken), cancellationToken)));
        return LoadResult.Merge(connections, schedule.Duration, workers);
    }

    private async Task WorkAsync(LoadSchedule schedule, WorkerStats stats, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = Stopwatch.GetTimestamp();
            if (now >= schedule.MeasureUntil)
            {
                return;
            }

            var (index, resent) = NextBody(measuring: now >= schedule.MeasureFrom);
            var body = payloads.Build(index);
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = Json;
                using var response = await client.SendAsync(request, cancellationToken);
                var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var ended = Stopwatch.GetTimestamp();
                var ack = response.IsSuccessStatusCode ? JsonSerializer.Deserialize(answer, BenchJson.Default.WebhookAck) : null;
                if (ack is not null && !resent)
                {
                    lock (_stored)
                    {
                        _stored.Add(index);
                    }
                }

                if (schedule.IsMeasured(ended))
                {
                    stats.Record(ended - started, (int)response.StatusCode, ack, resent);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
            {
                if (schedule.IsMeasured(Stopwatch.GetTimestamp()))
                {
                    stats.RecordError(ex.GetType().Name + ": " + ex.Message);
                }

                // Do not spin if the server is gone.
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    private (long Index, bool Resent) NextBody(bool measuring)
    {
        if (scenario == Scenario.Resend && measuring && Random.Shared.NextDouble() < resendRatio)
        {
            lock (_stored)
            {
                if (_stored.Count > 0)
                {
                    return (_stored[Random.Shared.Next(_stored.Count)], true);
                }
            }
        }

        return (Interlocked.Increment(ref _nextBody), false);
    }

    /// <summary>One connection's counts, merged at the end (no sharing while running).</summary>
    internal sealed class WorkerStats
    {
        public List<long> LatencyTicks { get; } = new(4096);

        public Dictionary<int, long> NonSuccess { get; } = [];

        public List<string> Errors { get; } = [];

        public long Ok { get; private set; }

        public long Resent { get; private set; }

        public long Alerts { get; private set; }

        public long Created { get; private set; }

        public long Changed { get; private set; }

        public long Duplicates { get; private set; }

        public void Record(long latencyTicks, int status, WebhookAck? ack, bool resent)
        {
            LatencyTicks.Add(latencyTicks);
            if (ack is null)
            {
                NonSuccess[status] = NonSuccess.GetValueOrDefault(status) + 1;
                return;
            }

            Ok++;
            Resent += resent ? 1 : 0;
            Alerts += ack.Alerts;
            Created += ack.Created;
            Changed += ack.Changed;
            Duplicates += ack.Duplicates;
        }

        public void RecordError(string message) => Errors.Add(message);
    }
}

/// <summary>What one run measured, from the client side.</summary>
public sealed record LoadResult(
    int Connections,
    TimeSpan Window,
    long Ok,
    long Resent,
    long Alerts,
    long Created,
    long Changed,
    long Duplicates,
    IReadOnlyDictionary<int, long> NonSuccess,
    IReadOnlyList<string> Errors,
    double[] SortedLatenciesMs)
{
    public long NonSuccessCount => NonSuccess.Values.Sum();

    public double RequestsPerSecond => Ok / Window.TotalSeconds;

    public double AlertsPerSecond => Alerts / Window.TotalSeconds;

    /// <summary>Nearest-rank percentile over every request answered inside the window (2xx or not).</summary>
    public double LatencyMs(double quantile) =>
        SortedLatenciesMs.Length == 0 ? double.NaN
            : SortedLatenciesMs[Math.Clamp((int)Math.Ceiling(quantile * SortedLatenciesMs.Length) - 1, 0, SortedLatenciesMs.Length - 1)];

    internal static LoadResult Merge(int connections, TimeSpan window, IReadOnlyList<LoadRunner.WorkerStats> workers)
    {
        var latencies = workers.SelectMany(w => w.LatencyTicks).Select(t => t * 1000.0 / Stopwatch.Frequency).ToArray();
        Array.Sort(latencies);
        var nonSuccess = workers.SelectMany(w => w.NonSuccess)
            .GroupBy(p => p.Key)
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Value));
        return new LoadResult(
            connections,
            window,
            workers.Sum(w => w.Ok),
            workers.Sum(w => w.Resent),
            workers.Sum(w => w.Alerts),
            workers.Sum(w => w.Created),
            workers.Sum(w => w.Changed),
            workers.Sum(w => w.Duplicates),
            nonSuccess,
            workers.SelectMany(w => w.Errors).ToList(),
            latencies);
    }
}
