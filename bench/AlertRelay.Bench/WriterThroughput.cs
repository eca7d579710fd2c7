using System.Diagnostics;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Pipeline;
using AlertRelay.Core.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AlertRelay.Bench;

/// <summary>
/// The ingest writer alone, in process, no HTTP: the same bodies as the ingest scenarios, parsed beforehand, submitted
/// to a real <see cref="IngestWriter"/> on a fresh SQLite file by 32 concurrent callers. Reports alerts/s and the
/// process CPU time per stored alert, which is what the single writer costs. Run it under a profiler to see where
/// that time goes, e.g. <c>dotnet-trace collect -- dotnet AlertRelay.Bench.dll --scenario writer</c>.
/// </summary>
public static class WriterThroughput
{
    private const int Bodies = 20_000;
    private const int Callers = 32;

    public static async Task<bool> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("alertrelay-writer-");
        try
        {
            foreach (var synchronous in options.Synchronous)
            {
                var path = Path.Combine(directory.FullName, $"writer-{synchronous}.db");
                var database = new HistoryDatabase(Options.Create(new DatabaseOptions { Path = path, Synchronous = synchronous }),
                    NullLogger<HistoryDatabase>.Instance);
                database.Migrate();
                var time = TimeProvider.System;
                var ingestOptions = Options.Create(new IngestOptions());
                var pipeline = new IngestWriter(new SqliteIngestStore(database, ingestOptions), new IngestState(new IdentityIndex()),
                    RelayConfigProvider.Fixed(RelayConfig.Default, time, NullLogger.Instance), new OutboxSignal(), time,
                    ingestOptions, Options.Create(new NotifyOptions()), NullLogger<IngestWriter>.Instance);
                var checkpointer = new WalCheckpointer(database, time, ingestOptions, NullLogger<WalCheckpointer>.Instance);
                var payloads = new PayloadFactory("w", options.AlertsPerBody, DateTimeOffset.UtcNow.AddDays(-1));
                var messages = Enumerable.Range(0, Bodies).Select(i => WebhookParser.Parse(payloads.Build(i)).Message!).ToArray();

                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var loop = Task.Run(() => pipeline.RunAsync(stop.Token), CancellationToken.None);
                var checkpoints = Task.Run(() => checkpointer.RunAsync(stop.Token), CancellationToken.None);
                await pipeline.SubmitAsync(messages[0], cancellationToken); // warm-up: indexes loaded, code jitted
                var process = Process.GetCurrentProcess();
                var cpuBefore = process.TotalProcessorTime;
                var started = Stopwatch.GetTimestamp();
                var next = 0;
                await Task.WhenAll(Enumerable.Range(0, Callers).Select(async _ =>
                {
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < Bodies)
                    {
                        await pipeline.SubmitAsync(messages[i], cancellationToken);
                    }
                }));
                var elapsed = Stopwatch.GetElapsedTime(started);
                process.Refresh();
                var cpu = process.TotalProcessorTime - cpuBefore;
                await stop.CancelAsync();
                await loop;
                await checkpoints;

                var alerts = (Bodies - 1) * (double)options.AlertsPerBody;
                Console.WriteLine($"writer, synchronous {synchronous}: {alerts:F0} new alerts in {elapsed.TotalSeconds:F2} s = {alerts / elapsed.TotalSeconds:F0} alerts/s; "
                    + $"CPU {cpu.TotalMicroseconds / alerts:F1} µs per alert (whole process); database {new FileInfo(path).Length / 1048576.0:F0} MiB");
            }

            if (options.Postgres is { } connectionString)
            {
                foreach (var writers in new[] { 1, 2 })
                {
                    await RunPostgresAsync(options, connectionString, writers, cancellationToken);
                }
            }

            return true;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The same load on PostgreSQL, spread over <paramref name="writers"/> ingest writers (replicas) on one database.</summary>
    private static async Task RunPostgresAsync(BenchOptions options, string connectionString, int writers, CancellationToken cancellationToken)
    {
        using (var reset = new PostgresDatabase(connectionString, 4, 5, NullLogger<PostgresDatabase>.Instance))
        {
            using var connection = reset.Open();
            using var drop = new Npgsql.NpgsqlCommand("DROP SCHEMA public CASCADE; CREATE SCHEMA public", connection);
            drop.ExecuteNonQuery();
        }

        var databases = Enumerable.Range(0, writers).Select(_ => new PostgresDatabase(connectionString, 8, 5, NullLogger<PostgresDatabase>.Instance)).ToList();
        databases[0].Migrate();
        var time = TimeProvider.System;
        var ingestOptions = Options.Create(new IngestOptions());
        var pipelines = databases.Select(database => new IngestWriter(new PostgresIngestStore(database), new IngestState(new IdentityIndex()),
            RelayConfigProvider.Fixed(RelayConfig.Default, time, NullLogger.Instance), new OutboxSignal(), time,
            ingestOptions, Options.Create(new NotifyOptions()), NullLogger<IngestWriter>.Instance)).ToList();
        var payloads = new PayloadFactory($"p{writers}", options.AlertsPerBody, DateTimeOffset.UtcNow.AddDays(-1));
        var messages = Enumerable.Range(0, Bodies).Select(i => WebhookParser.Parse(payloads.Build(i)).Message!).ToArray();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = pipelines.Select(p => Task.Run(() => p.RunAsync(stop.Token), CancellationToken.None)).ToList();
        foreach (var pipeline in pipelines)
        {
            await pipeline.SubmitAsync(messages[0], cancellationToken);
        }

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(async caller =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Bodies)
            {
                await pipelines[caller % writers].SubmitAsync(messages[i], cancellationToken);
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        long size, occurrences;
        using (var connection = databases[0].Open())
        {
            using var command = new Npgsql.NpgsqlCommand("SELECT pg_database_size(current_database()), (SELECT count(*) FROM alert_occurrences)", connection);
            using var reader = command.ExecuteReader();
            reader.Read();
            (size, occurrences) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        databases.ForEach(d => d.Dispose());
        var alerts = (Bodies - 1) * (double)options.AlertsPerBody;
        Console.WriteLine($"writer, PostgreSQL, {writers} writer(s): {alerts:F0} new alerts in {elapsed.TotalSeconds:F2} s = {alerts / elapsed.TotalSeconds:F0} alerts/s; "
            + $"CPU {cpu.TotalMicroseconds / alerts:F1} µs per alert (this process; the server's is apart); database {size / 1048576.0:F0} MiB, "
            + $"{size / (double)occurrences:F0} bytes per occurrence");
    }
}
