using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AlertRelay.Bench;

/// <summary>
/// The retention scenario's database: AlertRelay creates the schema (a server is started once and killed), then
/// a backlog of old resolved occurrences, one <c>received</c> event each, is inserted directly in one transaction.
/// Every run of the scenario starts its server on a copy of this file.
/// </summary>
public static class RetentionBacklog
{
    /// <summary>How old the backlog's occurrences are: past the default 90 days, so RetainDays=90 deletes all of them.</summary>
    public const int AgeDays = 200;

    /// <summary>Creates the seeded database and returns its directory (the file is <c>alertrelay.db</c> in it).</summary>
    public static async Task<(string Directory, string Database, TimeSpan Took)> CreateAsync(
        string apiDll, string synchronous, int occurrences, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        string directory, database;
        await using (var server = await RelayServer.StartAsync(apiDll, synchronous, "seed", keepDirectory: true, cancellationToken))
        {
            directory = server.Directory;
            database = server.DatabasePath;
        }

        // The server was killed: opening the file recovers its WAL. Pooling off, so that closing really closes
        // (and checkpoints the WAL into the file, which is then copied alone).
        var connectionString = new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString();
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
            {
                await using var occurrence = connection.CreateCommand();
                occurrence.Transaction = transaction;
                occurrence.CommandText = """
                    INSERT INTO alert_occurrences (fingerprint, starts_at_ms, ends_at_ms, status, alertname, severity, labels, annotations,
                        generator_url, receiver, group_key, external_url, received_at_ms, updated_at_ms, receivers)
                    VALUES ($fp, $starts, $ends, 'resolved', $name, $severity, $labels, '{"summary":"old backlog alert"}',
                        'http://prometheus:9090/graph', 'oncall', '{}:{alertname="' || $name || '"}', 'http://alertmanager:9093',
                        $starts, $ends, '["oncall"]')
                    RETURNING id
                    """;
                var fp = occurrence.Parameters.Add("$fp", SqliteType.Integer);
                var starts = occurrence.Parameters.Add("$starts", SqliteType.Integer);
                var ends = occurrence.Parameters.Add("$ends", SqliteType.Integer);
                var name = occurrence.Parameters.Add("$name", SqliteType.Text);
                var severity = occurrence.Parameters.Add("$severity", SqliteType.Text);
                var labels = occurrence.Parameters.Add("$labels", SqliteType.Text);

                await using var received = connection.CreateCommand();
                received.Transaction = transaction;
                received.CommandText = """
                    INSERT INTO alert_events (occurrence_id, at_ms, kind, detail)
                    VALUES ($occurrence, $at, 'received', '{"receiver":"oncall","groupKey":"{}:{alertname=\"backlog\"}"}')
                    """;
                var occurrenceId = received.Parameters.Add("$occurrence", SqliteType.Integer);
                var at = received.Parameters.Add("$at", SqliteType.Integer);

                occurrence.Prepare();
                received.Prepare();
                var endsMs = DateTimeOffset.UtcNow.AddDays(-AgeDays).ToUnixTimeMilliseconds();
                string[] severities = ["critical", "warning", "info"];
                for (var i = 0; i < occurrences; i++)
                {
                    var startsMs = endsMs - 3_600_000 + i % 3_600_000;
                    var alertname = "Backlog" + (i % 50).ToString(CultureInfo.InvariantCulture);
                    fp.Value = (long)Mix((ulong)i);
                    starts.Value = startsMs;
                    ends.Value = endsMs;
                    name.Value = alertname;
                    severity.Value = severities[i % 3];
                    labels.Value = $$"""{"alertname":"{{alertname}}","instance":"host-{{i % 1000}}:9100","job":"node-exporter","pod":"backlog-{{i}}","severity":"{{severities[i % 3]}}"}""";
                    var id = (long)(await occurrence.ExecuteScalarAsync(cancellationToken))!;
                    occurrenceId.Value = id;
                    at.Value = startsMs;
                    await received.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }

            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await checkpoint.ExecuteNonQueryAsync(cancellationToken);
        }

        return (directory, database, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Backlog occurrences still in the file (read-only; a WAL reader does not block the server's writer).</summary>
    public static long CountBacklog(string database)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM alert_occurrences WHERE status = 'resolved' AND ends_at_ms < $cutoff";
        count.Parameters.AddWithValue("$cutoff", DateTimeOffset.UtcNow.AddDays(-90).ToUnixTimeMilliseconds());
        return (long)count.ExecuteScalar()!;
    }

    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}

/// <summary>
/// Samples <c>alertrelay_history_rows_deleted_total{table="alert_occurrences"}</c> every 100 ms from the server's
/// <c>/metrics</c>. AlertRelay adds a pass's deletions to the counter when the pass ends, so the sample where it
/// first moves is when the start-up pass finished (to within the sampling interval).
/// </summary>
public sealed class RetentionProbe
{
    private const string Series = "alertrelay_history_rows_deleted_total{table=\"alert_occurrences\"}";

    /// <summary>When the counter first read non-zero (Stopwatch timestamp), or null if it never did.</summary>
    public long? DeletedAt { get; private set; }

    /// <summary>The counter's last value read.</summary>
    public double Deleted { get; private set; }

    public int Samples { get; private set; }

    public async Task RunAsync(HttpClient probe, Uri baseUrl, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            do
            {
                double value = 0;
                try
                {
                    var text = await probe.GetStringAsync(new Uri(baseUrl, "metrics"), stop);
                    var now = Stopwatch.GetTimestamp();
                    foreach (var line in text.Split('\n'))
                    {
                        if (line.StartsWith(Series + " ", StringComparison.Ordinal))
                        {
                            value = double.Parse(line[(Series.Length + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
                        }
                    }

                    Samples++;
                    Deleted = value;
                    if (value > 0 && DeletedAt is null)
                    {
                        DeletedAt = now;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
                {
                    // A slow answer under load: try again at the next tick.
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
