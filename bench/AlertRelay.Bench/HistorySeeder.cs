using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AlertRelay.Bench;

/// <summary>
/// The history scenario's database: N occurrences over the 90 days before the seeding, written fast but with
/// AlertRelay's own code — <see cref="HistoryDatabase.Migrate"/> creates the schema and <see cref="AlertWriter"/> (the
/// ingest writer's statements) inserts every occurrence and its events, in transactions of
/// <see cref="RowsPerTransaction"/> occurrences with synchronous=OFF. Routing, dedup and the outbox are not run: the
/// rows are what the ingest path would have stored (a <c>received</c> and a <c>routed</c> event, a <c>resolved</c>
/// one when resolved), not what it decided.
/// </summary>
/// <remarks>
/// Data: ~20 alertnames with skewed frequencies; N/10 series (label sets), each firing ~10 times over the 90 days;
/// 8 to 11 labels (alertname, severity, instance among 1,000 hosts, job, namespace, cluster, container, pod, and 0 to 3
/// of region, team, service); severity mostly the alertname's usual one; the newest occurrence of half the series
/// still firing (~5%), the rest resolved after 1 minute to 12 hours (log-uniform). Deterministic for a given N, apart
/// from the anchor time (the moment of seeding). The file is cached, keyed by N, schema version and
/// <see cref="GeneratorVersion"/>; bump the latter whenever the data changes.
/// </remarks>
public static class HistorySeeder
{
    public const int GeneratorVersion = 1;
    public const int RowsPerTransaction = 50_000;
    public const string Method = "AlertRelay.Core HistoryDatabase.Migrate + AlertWriter (the ingest path's INSERT statements), direct to the file, not over HTTP";

    private const long Day = 86_400_000;

    private static readonly (string Name, string Severity, int Weight)[] AlertNames =
    [
        ("HighLatency", "warning", 12), ("HighErrorRate", "critical", 10), ("PodCrashLooping", "warning", 10),
        ("CPUThrottlingHigh", "info", 9), ("TargetDown", "critical", 8), ("KubePodNotReady", "warning", 6),
        ("DiskAlmostFull", "warning", 6), ("QueueBacklog", "warning", 6), ("NodeMemoryPressure", "warning", 5),
        ("KubeJobFailed", "warning", 5), ("ReplicaLag", "warning", 4), ("HighRequestRate", "info", 4),
        ("KubeDeploymentReplicasMismatch", "warning", 4), ("CertificateExpiring", "info", 3), ("BlackboxProbeFailed", "critical", 3),
        ("NodeFilesystemAlmostOutOfSpace", "critical", 2), ("InstanceDown", "critical", 2), ("KubeHpaMaxedOut", "info", 2),
        ("PrometheusRuleFailures", "critical", 1), ("AlertmanagerFailedToSendAlerts", "critical", 1),
    ];

    // Label values shared with the ingest bodies.
    private static readonly string[] Severities = PayloadFactory.Severities;
    private static readonly string[] Jobs = PayloadFactory.Jobs;
    private static readonly string[] Namespaces = PayloadFactory.Namespaces;
    private static readonly string[] Clusters = PayloadFactory.Clusters;
    private static readonly string[] Containers = PayloadFactory.Containers;
    private static readonly string[] Regions = PayloadFactory.Regions;
    private static readonly string[] Teams = PayloadFactory.Teams;

    /// <summary>The cached database for <paramref name="rows"/> occurrences: reused when present (unless <paramref name="reseed"/>), otherwise generated.</summary>
    public static async Task<SeededHistory> EnsureAsync(string cacheDirectory, int rows, bool reseed, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(cacheDirectory);
        var name = string.Create(CultureInfo.InvariantCulture, $"history-{rows}-schema{Migrations.All[^1].Version}-gen{GeneratorVersion}");
        var path = Path.Combine(cacheDirectory, name + ".db");
        var metaPath = Path.Combine(cacheDirectory, name + ".json");
        if (!reseed && File.Exists(path) && File.Exists(metaPath))
        {
            var cached = JsonSerializer.Deserialize<SeededHistory>(await File.ReadAllTextAsync(metaPath, cancellationToken));
            if (cached is not null && new FileInfo(path).Length == cached.Bytes)
            {
                return cached with { Path = path, FromCache = true };
            }
        }

        var temporary = path + ".seeding";
        foreach (var stale in new[] { temporary, temporary + "-wal", temporary + "-shm", path, metaPath })
        {
            File.Delete(stale);
        }

        var seeded = await Task.Run(() => Create(temporary, rows, cancellationToken), cancellationToken);
        File.Move(temporary, path);
        seeded = seeded with { Path = path, Bytes = new FileInfo(path).Length };
        await File.WriteAllTextAsync(metaPath, JsonSerializer.Serialize(seeded), cancellationToken);
        return seeded;
    }

    private static SeededHistory Create(string path, int rows, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var database = new HistoryDatabase(
            Options.Create(new DatabaseOptions { Path = path, Synchronous = "OFF" }), NullLogger<HistoryDatabase>.Instance);
        database.Migrate();

        var anchorMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000 * 1000;
        var firstMs = anchorMs - (90 * Day);
        var spacingMs = 90.0 * Day / rows;
        var seriesCount = Math.Max(1, rows / 10);

        // The newest occurrence of a series is the one that may still fire: find it first.
        var last = new int[seriesCount];
        for (var i = 0; i < rows; i++)
        {
            last[SeriesOf(i, seriesCount)] = i;
        }

        long events = 0;
        var firing = 0;
        var weights = AlertNames.Sum(a => a.Weight);
        using (var connection = database.Open())
        {
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA cache_size = -262144"; // 256 MiB: the random-keyed identity index stays in memory
                pragma.ExecuteNonQuery();
            }

            using var writer = new AlertWriter(connection);
            var nextId = 0L;
            for (var from = 0; from < rows; from += RowsPerTransaction)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using (var transaction = connection.BeginTransaction())
                {
                    writer.Enlist(transaction);
                    if (nextId == 0)
                    {
                        nextId = writer.MaxOccurrenceId() + 1;
                    }

                    for (var i = from; i < Math.Min(rows, from + RowsPerTransaction); i++)
                    {
                        var series = SeriesOf(i, seriesCount);
                        var h = Mix((ulong)i ^ 0xA5A5_5A5A_1234_5678UL);
                        var startsMs = firstMs + (long)(i * spacingMs) + (long)((h % 1000) / 1000.0 * spacingMs);
                        var isFiring = i == last[series] && Mix((ulong)series) % 2 == 0;
                        var labels = Labels(series, weights);
                        long? endsMs = null;
                        if (!isFiring)
                        {
                            // 1 minute to 12 hours, log-uniform; never after the anchor.
                            var duration = (long)(60_000 * Math.Exp(((h >> 12) % 10_000) / 10_000.0 * Math.Log(720)));
                            endsMs = Math.Min(startsMs + duration, anchorMs - 1000);
                        }

                        var alert = new Alert(
                            Fingerprint.Of(labels),
                            isFiring ? AlertStatus.Firing : AlertStatus.Resolved,
                            labels,
                            Annotations(labels, h),
                            UnixMillis.ToDateTimeOffset(startsMs),
                            endsMs is { } e ? UnixMillis.ToDateTimeOffset(e) : null,
                            "http://prometheus:9090/graph?g0.expr=" + labels.Get("alertname") + "&g0.tab=1");
                        var context = new AlertContext("relay", "{}:{alertname=\"" + alert.Name + "\"}", "http://alertmanager:9093");
                        string[] receivers = alert.Severity == "critical" ? ["oncall-slack", "team-email"] : ["team-email"];
                        var receivedMs = Math.Min(startsMs + 30_000 + (long)((h >> 40) % 30_000), anchorMs);

                        var id = nextId++;
                        if (!writer.InsertOccurrence(id, alert, context, endsMs, System.Text.Json.JsonSerializer.Serialize(receivers), receivedMs))
                        {
                            throw new InvalidOperationException($"duplicate identity {alert.Fingerprint}@{startsMs}");
                        }
                        writer.AddEvent(id, EventKinds.Received, receivedMs, new { context.Receiver, context.GroupKey });
                        writer.AddEvent(id, EventKinds.Routed, receivedMs, new { receivers });
                        events += 2;
                        if (endsMs is { } ends)
                        {
                            writer.AddEvent(id, EventKinds.Resolved, Math.Min(ends + 60_000, anchorMs), new { endsAt = Rfc3339.Format(UnixMillis.ToDateTimeOffset(ends)) });
                            events++;
                        }
                        else
                        {
                            firing++;
                        }
                    }

                    transaction.Commit();
                }

                var done = Math.Min(rows, from + RowsPerTransaction);
                if (done % (RowsPerTransaction * 4) == 0 || done == rows)
                {
                    Console.WriteLine($"  seeded {done:N0} / {rows:N0} occurrences ({Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s)");
                }
            }

            // AlertWriter's statements alone do not keep the hourly stats rollup (the ingest transaction does, since schema 14):
            // count it once from the seeded rows, as history migrate does on PostgreSQL.
            using (var rollup = connection.CreateCommand())
            {
                rollup.CommandText = """
                    DELETE FROM alert_stats_hourly;
                    INSERT INTO alert_stats_hourly (hour, status, severity, occurrences, resolve_ms_sum)
                    SELECT starts_at_ms / 3600000, status, severity, count(*),
                           coalesce(sum(CASE WHEN status = 'resolved' THEN ends_at_ms - starts_at_ms END), 0)
                    FROM alert_occurrences GROUP BY 1, 2, 3;
                    """;
                rollup.ExecuteNonQuery();
            }

            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            checkpoint.ExecuteNonQuery();
        }

        // HistoryDatabase pools its connections: close them for real, so that the WAL is gone and the file stands alone.
        SqliteConnection.ClearAllPools();
        return new SeededHistory(path, rows, events, firing, anchorMs, DateTimeOffset.UtcNow, Stopwatch.GetElapsedTime(started).TotalSeconds,
            new FileInfo(path).Length, Migrations.All[^1].Version, GeneratorVersion, Method, FromCache: false);
    }

    private static int SeriesOf(int occurrence, int seriesCount) => (int)(Mix((ulong)occurrence) % (ulong)seriesCount);

    private static LabelSet Labels(int series, int weights)
    {
        var h = Mix((ulong)series ^ 0x5bd1e995UL);
        var pick = (int)(h % (ulong)weights);
        var (alertname, severity, _) = AlertNames[0];
        foreach (var candidate in AlertNames)
        {
            if (pick < candidate.Weight)
            {
                (alertname, severity, _) = candidate;
                break;
            }

            pick -= candidate.Weight;
        }

        if ((h >> 8) % 5 == 0)
        {
            severity = Severities[(int)((h >> 12) % 3)]; // a fifth of the series deviate from the alertname's usual severity
        }

        var job = Jobs[(int)((h >> 16) % (ulong)Jobs.Length)];
        var labels = new List<(string, string)>(11)
        {
            ("alertname", alertname),
            ("severity", severity),
            ("instance", string.Create(CultureInfo.InvariantCulture, $"host-{(h >> 20) % 1000:D3}:9100")),
            ("job", job),
            ("namespace", Namespaces[(int)((h >> 32) % (ulong)Namespaces.Length)]),
            ("cluster", Clusters[(int)((h >> 36) % (ulong)Clusters.Length)]),
            ("container", Containers[(int)((h >> 40) % (ulong)Containers.Length)]),
            ("pod", string.Create(CultureInfo.InvariantCulture, $"{job}-{series:x6}")),
        };
        var extra = (int)((h >> 44) % 4);
        if (extra >= 1)
        {
            labels.Add(("region", Regions[(int)((h >> 48) % (ulong)Regions.Length)]));
        }

        if (extra >= 2)
        {
            labels.Add(("team", Teams[(int)((h >> 52) % (ulong)Teams.Length)]));
        }

        if (extra >= 3)
        {
            labels.Add(("service", job + "-svc"));
        }

        return LabelSet.From([.. labels]);
    }

    private static LabelSet Annotations(LabelSet labels, ulong h)
    {
        var alertname = labels.Get("alertname");
        var instance = labels.Get("instance");
        return LabelSet.From(
            ("summary", $"{alertname} on {instance}"),
            ("description", string.Create(CultureInfo.InvariantCulture, $"{alertname} is at {(h >> 24) % 10_000 / 100.0:F2}% on {instance} over the last 5m")),
            ("runbook_url", "https://runbooks.example.com/alerts/" + alertname));
    }

    /// <summary>SplitMix64.</summary>
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}

/// <summary>A seeded history database and how it was made (kept as JSON beside the cached file).</summary>
public sealed record SeededHistory(
    string Path,
    int Rows,
    long Events,
    int Firing,
    long AnchorMs,
    DateTimeOffset SeededAt,
    double SeedSeconds,
    long Bytes,
    int SchemaVersion,
    int GeneratorVersion,
    string Method,
    bool FromCache);
