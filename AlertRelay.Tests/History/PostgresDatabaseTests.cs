using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Postgres;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace AlertRelay.Tests.History;

/// <summary>What only PostgreSQL has: migrations under an advisory lock, readiness of a server, retention one replica at a time.</summary>
public sealed class PostgresDatabaseTests
{
    private static readonly int Latest = PostgresMigrations.All[^1].Version;

    private static async Task<PostgresDatabase> EmptyDatabaseAsync()
    {
        var cluster = await PostgresCluster.Shared;
        return Database(await cluster.CreateDatabaseAsync("mig"));
    }

    private static PostgresDatabase Database(string connectionString) => new(connectionString, 4, 5, NullLogger<PostgresDatabase>.Instance);

    private static async Task<int[]> AppliedAsync(PostgresDatabase database)
    {
        await using var connection = database.Open();
        return (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToArray();
    }

    private static async Task<bool> TableExistsAsync(PostgresDatabase database, string table)
    {
        await using var connection = database.Open();
        return await connection.ExecuteScalarAsync<bool>("SELECT to_regclass(@Table) IS NOT NULL", new { Table = table });
    }

    [Fact]
    public async Task Migrate_CreatesTheLatestSchema_OnAnEmptyDatabase()
    {
        using var database = await EmptyDatabaseAsync();

        database.Migrate();

        Assert.Equal(Latest, database.SchemaVersion());
        Assert.True(await TableExistsAsync(database, "alert_occurrences"));
        Assert.True(await TableExistsAsync(database, "ingest_clock"));
    }

    [Fact]
    public async Task Migrate_FromTwoReplicasAtOnce_BothSucceed_AndEachMigrationIsAppliedOnce()
    {
        using var first = await EmptyDatabaseAsync();
        using var second = Database(first.DataSource.ConnectionString);
        using var start = new Barrier(2);

        await Task.WhenAll(
            Task.Run(() => { start.SignalAndWait(); first.Migrate(); }),
            Task.Run(() => { start.SignalAndWait(); second.Migrate(); }));

        Assert.Equal(PostgresMigrations.All.Select(m => m.Version), await AppliedAsync(first));
        Assert.Equal(Latest, second.SchemaVersion());
    }

    [Fact]
    public async Task Migrate_RefusesADatabaseWithANewerSchema_NamingBothVersions()
    {
        using var database = await EmptyDatabaseAsync();
        database.Migrate();
        await using (var connection = database.Open())
        {
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, description) VALUES (@Version, 'from a newer AlertRelay')",
                new { Version = Latest + 1 });
        }

        var error = Assert.Throws<StoreStartupException>(database.Migrate);

        Assert.Contains($"schema version {Latest + 1}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"({Latest})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_BuildsTheStatsRollup_OfAnExistingHistory()
    {
        using var database = await EmptyDatabaseAsync();
        database.Migrate([.. PostgresMigrations.All.Where(m => m.Version < 5)]);
        await using (var connection = database.Open())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO alert_occurrences (fingerprint, starts_at_ms, ends_at_ms, status, severity, labels, annotations, received_at_ms, updated_at_ms)
                VALUES (1, 3600000, 3660000, 'resolved', 'info', '{}', '{}', 1, 1), (2, 3600500, 3601500, 'resolved', 'info', '{}', '{}', 1, 1),
                       (3, 7200000, NULL, 'firing', 'critical', '{}', '{}', 1, 1)
                """);
        }

        database.Migrate();

        await using var check = database.Open();
        Assert.Equal([(1L, "resolved", "info", 2L, 61_000L), (2L, "firing", "critical", 1L, 0L)],
            await check.QueryAsync<(long, string, string, long, long)>(
                "SELECT hour, status, severity, occurrences, resolve_ms_sum FROM alert_stats_hourly ORDER BY hour"));
    }

    [Fact]
    public async Task Migrate_KeepsTheRollupTheTriggersKept_AndDropsTheInsertAndUpdateTriggers()
    {
        using var database = await EmptyDatabaseAsync();
        database.Migrate([.. PostgresMigrations.All.Where(m => m.Version < 8)]);
        await using (var connection = database.Open())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO alert_occurrences (fingerprint, starts_at_ms, ends_at_ms, status, severity, labels, annotations, received_at_ms, updated_at_ms)
                VALUES (1, 3600000, NULL, 'firing', 'info', '{}', '{}', 1, 1), (2, 7200000, NULL, 'firing', 'critical', '{}', '{}', 1, 1);
                UPDATE alert_occurrences SET status = 'resolved', ends_at_ms = 3660000 WHERE fingerprint = 1;
                """);
        }

        database.Migrate();

        await using var check = database.Open();
        Assert.Equal([(1L, "firing", "info", 0L, 0L), (1L, "resolved", "info", 1L, 60_000L), (2L, "firing", "critical", 1L, 0L)],
            await check.QueryAsync<(long, string, string, long, long)>(
                "SELECT hour, status, severity, occurrences, resolve_ms_sum FROM alert_stats_hourly ORDER BY hour, status"));
        Assert.Equal(["tr_alert_stats_hourly_delete"], await check.QueryAsync<string>(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'alert_occurrences'::regclass AND NOT tgisinternal"));
    }

    [Fact]
    public async Task Migrate_LeavesTheSchemaAsItWas_WhenAMigrationFails()
    {
        using var database = await EmptyDatabaseAsync();
        Migration first = new(1, "a table", "CREATE TABLE first_table (x integer)");
        Migration failing = new(2, "a table, then an error", "CREATE TABLE second_table (x integer); SELECT 1 / 0");

        var error = Assert.Throws<PostgresException>(() => database.Migrate([first, failing]));

        Assert.Equal(PostgresErrorCodes.DivisionByZero, error.SqlState);
        Assert.Equal(new[] { 1 }, await AppliedAsync(database));
        Assert.True(await TableExistsAsync(database, "first_table"));
        Assert.False(await TableExistsAsync(database, "second_table"));

        database.Migrate([first, failing with { Sql = "CREATE TABLE second_table (x integer)" }]);

        Assert.Equal(new[] { 1, 2 }, await AppliedAsync(database));
    }

    [Fact]
    public async Task WriteBlockerAsync_SaysWhy_WhileTheServerIsDown_AndIsNullOnceItIsBack()
    {
        await using var cluster = await PostgresCluster.StartAsync(); // a cluster of its own: this test stops it
        using var database = Database(cluster.ConnectionString());
        Assert.Null(await database.WriteBlockerAsync(default));

        await cluster.StopAsync();
        var reason = await database.WriteBlockerAsync(default);

        Assert.NotNull(reason);
        Assert.Contains("does not answer", reason, StringComparison.Ordinal);
        Assert.Contains(database.Description, reason, StringComparison.Ordinal);

        await cluster.StartServerAsync();
        await Eventually.UntilAsync(async () => await database.WriteBlockerAsync(default) is null, TimeSpan.FromSeconds(20),
            "the store to take writes again after the server restarted", () => cluster.Log);
    }

    [Fact]
    public async Task RetentionRunOnce_OnTwoReplicasAtOnce_OnePassDeletes_TheOtherReturnsAtOnce()
    {
        await using var store = await PostgresTestStore.CreatePostgresAsync();
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(now);
        await InsertOldResolvedAsync(store, now, 3);
        var options = Options.Create(new HistoryOptions { RetainDays = 90, BatchSize = 1, PauseMilliseconds = 0 });
        var first = new PostgresRetention(store.Database, time, options, NullLogger<PostgresRetention>.Instance);
        var secondLogger = new FakeLogger<PostgresRetention>();
        var second = new PostgresRetention(store.Database, time, options, secondLogger);

        // Hold the first pass in the middle: it deletes the occurrences, then waits for this lock to delete notifications.
        await using var blocker = store.Database.Open();
        await using var blocking = await blocker.BeginTransactionAsync();
        await blocker.ExecuteAsync("LOCK TABLE notifications IN EXCLUSIVE MODE", transaction: blocking);
        var running = first.RunOnceAsync(default);
        await Eventually.UntilAsync(() => WaitingForALockAsync(store), TimeSpan.FromSeconds(4),
            "the first pass to wait for the notifications table"); // within the store's lock_timeout (5 s)

        Assert.Equal((0L, 0L), await second.RunOnceAsync(default));
        Assert.Contains(secondLogger.Collector.GetSnapshot(), r => r.Level == LogLevel.Debug && r.Message.Contains("another replica", StringComparison.Ordinal));

        await blocking.RollbackAsync();
        Assert.Equal((3L, 0L), await running);
        Assert.Equal(0, await CountAsync(store));

        // The lock went with the pass: the other replica's next pass runs.
        await InsertOldResolvedAsync(store, now, 1);
        Assert.Equal((1L, 0L), await second.RunOnceAsync(default));
    }

    private static async Task InsertOldResolvedAsync(PostgresTestStore store, DateTimeOffset now, int count)
    {
        await using var connection = store.Database.Open();
        await connection.ExecuteAsync(
            """
            INSERT INTO alert_occurrences (fingerprint, starts_at_ms, ends_at_ms, status, labels, annotations, received_at_ms, updated_at_ms)
            SELECT (SELECT coalesce(max(fingerprint), 0) FROM alert_occurrences) + i, @Starts, @Starts + 60000, 'resolved', '{}', '{}', @Starts, @Starts
            FROM generate_series(1, @Count) AS i
            """, new { Starts = UnixMillis.From(now.AddDays(-120)), Count = count });
    }

    // A connection of its own each time: a transaction sees one snapshot of pg_stat_activity.
    private static async Task<bool> WaitingForALockAsync(PostgresTestStore store)
    {
        await using var connection = store.Database.Open();
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock')");
    }

    private static async Task<long> CountAsync(PostgresTestStore store)
    {
        await using var connection = store.Database.Open();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM alert_occurrences");
    }
}
