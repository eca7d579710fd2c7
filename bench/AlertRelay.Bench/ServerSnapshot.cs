using System.Diagnostics;
using System.Globalization;

namespace AlertRelay.Bench;

/// <summary>
/// Counters read at the start and at the end of the measured window: CPU time of the server and of the
/// bench itself, and AlertRelay's group-commit metrics from <c>GET /metrics</c> (null when not exposed).
/// </summary>
public sealed record ServerSnapshot(TimeSpan? ServerCpu, TimeSpan BenchCpu, double? Commits, double? CommittedRequests, double? CommitSeconds, double? CommitFailures)
{
    private const string CommitRequests = "alertrelay_ingest_commit_requests";
    private const string CommitDuration = "alertrelay_ingest_commit_duration_seconds";
    private const string Failures = "alertrelay_ingest_commit_failures_total";

    public static async Task<ServerSnapshot> TakeAsync(HttpClient probe, Uri baseUrl, RelayServer? server, CancellationToken cancellationToken)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        try
        {
            var text = await probe.GetStringAsync(new Uri(baseUrl, "metrics"), cancellationToken);
            foreach (var line in text.Split('\n'))
            {
                // Only unlabelled samples are needed: "name value".
                var parts = line.Split(' ');
                if (parts.Length == 2 && !line.StartsWith('#')
                    && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    metrics[parts[0]] = value;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // No metrics endpoint: the derived columns show n/a.
        }

        return new ServerSnapshot(
            server?.CpuTime(),
            Process.GetCurrentProcess().TotalProcessorTime,
            Get(metrics, CommitRequests + "_count"),
            Get(metrics, CommitRequests + "_sum"),
            Get(metrics, CommitDuration + "_sum"),
            Get(metrics, Failures));
    }

    private static double? Get(Dictionary<string, double> metrics, string name) => metrics.TryGetValue(name, out var v) ? v : null;
}

/// <summary>What happened on the server between two snapshots.</summary>
public sealed record ServerDelta(double? ServerCpuShare, double BenchCpuShare, double? Commits, double? RequestsPerCommit, double? CommitMs, double? CommitFailures)
{
    /// <summary>CPU shares are of one core (1.0 = one core busy for the whole window).</summary>
    public static ServerDelta Between(ServerSnapshot before, ServerSnapshot after, TimeSpan window)
    {
        var commits = after.Commits - before.Commits;
        return new ServerDelta(
            (after.ServerCpu - before.ServerCpu)?.TotalSeconds / window.TotalSeconds,
            (after.BenchCpu - before.BenchCpu).TotalSeconds / window.TotalSeconds,
            commits,
            commits > 0 ? (after.CommittedRequests - before.CommittedRequests) / commits : null,
            commits > 0 ? (after.CommitSeconds - before.CommitSeconds) * 1000 / commits : null,
            after.CommitFailures - before.CommitFailures);
    }
}
