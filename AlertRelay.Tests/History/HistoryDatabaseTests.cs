using AlertRelay.Core.History;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AlertRelay.Tests.History;

public sealed class HistoryDatabaseTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Migrate_CreatesTheSchemaInWalMode_AndRecordsItsVersion()
    {
        await using var connection = _db.Database.Open();

        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(Migrations.All[^1].Version, await connection.ExecuteScalarAsync<int>("PRAGMA user_version"));
        var tables = (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).ToList();
        Assert.Equal(["alert_events", "alert_occurrences", "alert_stats_hourly", "escalations", "heartbeats", "inbox_failed", "inbox_progress", "muted_receivers", "notification_alerts", "notifications", "used_links"], tables);
    }

    [Fact]
    public void Migrate_IsIdempotent_WhenRunAgainOnAnUpToDateFile()
    {
        var again = new HistoryDatabase(Options.Create(_db.Options), NullLogger<HistoryDatabase>.Instance);

        again.Migrate();

        using var connection = again.Open();
        Assert.Equal(Migrations.All[^1].Version, connection.ExecuteScalar<int>("PRAGMA user_version"));
    }

    [Fact]
    public async Task Migrate_UpgradesAVersion1File_KeepingItsHistory()
    {
        var path = Path.Combine(_db.Directory, "v1.db");
        await using (var v1 = new SqliteConnection($"Data Source={path}"))
        {
            await v1.OpenAsync();
            await v1.ExecuteAsync(Migrations.All[0].Sql);
            await v1.ExecuteAsync("PRAGMA user_version = 1");
            await v1.ExecuteAsync(
                "INSERT INTO alert_occurrences (fingerprint, starts_at_ms, status, labels, annotations, received_at_ms, updated_at_ms) VALUES (7, 1000, 'firing', '{\"alertname\":\"Old\"}', '{}', 1000, 1000)");
        }

        SqliteConnection.ClearAllPools();
        var database = new HistoryDatabase(Options.Create(new DatabaseOptions { Path = path }), NullLogger<HistoryDatabase>.Instance);

        database.Migrate();

        await using var connection = database.Open();
        Assert.Equal(Migrations.All[^1].Version, await connection.ExecuteScalarAsync<int>("PRAGMA user_version"));
        Assert.Equal("[]", await connection.ExecuteScalarAsync<string>("SELECT receivers FROM alert_occurrences WHERE fingerprint = 7"));
    }

    [Fact]
    public async Task Migrate_BuildsTheStatsRollup_OfAnExistingHistory()
    {
        var path = Path.Combine(_db.Directory, "v10.db");
        await using (var v10 = new SqliteConnection($"Data Source={path}"))
        {
            await v10.OpenAsync();
            foreach (var migration in Migrations.All.Where(m => m.Version <= 10))
            {
                await v10.ExecuteAsync(migration.Sql);
            }

            await v10.ExecuteAsync("PRAGMA user_version = 10");
            await v10.ExecuteAsync(
                """
                INSERT INTO alert_occurrences (fingerprint, starts_at_ms, ends_at_ms, status, severity, labels, annotations, received_at_ms, updated_at_ms)
                VALUES (1, 3600000, 3660000, 'resolved', 'info', '{}', '{}', 1, 1), (2, 3600500, 3601500, 'resolved', 'info', '{}', '{}', 1, 1),
                       (3, 7200000, NULL, 'firing', 'critical', '{}', '{}', 1, 1)
                """);
        }

        SqliteConnection.ClearAllPools();
        var database = new HistoryDatabase(Options.Create(new DatabaseOptions { Path = path }), NullLogger<HistoryDatabase>.Instance);

        database.Migrate();

        await using var connection = database.Open();
        Assert.Equal([(1L, "resolved", "info", 2L, 61_000L), (2L, "firing", "critical", 1L, 0L)],
            await connection.QueryAsync<(long, string, string, long, long)>(
                "SELECT hour, status, severity, occurrences, resolve_ms_sum FROM alert_stats_hourly ORDER BY hour"));
    }

    [Fact]
    public async Task Migrate_KeepsTheRollupTheTriggersKept_AndDropsTheInsertAndUpdateTriggers()
    {
        var path = Path.Combine(_db.Directory, "v13.db");
        await using (var v13 = new SqliteConnection($"Data Source={path}"))
        {
            await v13.OpenAsync();
            foreach (var migration in Migrations.All.Where(m => m.Version <= 13))
            {
                await v13.ExecuteAsync(migration.Sql);
            }

            await v13.ExecuteAsync("PRAGMA user_version = 13");
            await v13.ExecuteAsync(
                """
                INSERT INTO alert_occurrences (fingerprint, starts_at_ms, ends_at_ms, status, severity, labels, annotations, received_at_ms, updated_at_ms)
                VALUES (1, 3600000, NULL, 'firing', 'info', '{}', '{}', 1, 1), (2, 7200000, NULL, 'firing', 'critical', '{}', '{}', 1, 1);
                UPDATE alert_occurrences SET status = 'resolved', ends_at_ms = 3660000 WHERE fingerprint = 1;
                """);
        }

        SqliteConnection.ClearAllPools();
        var database = new HistoryDatabase(Options.Create(new DatabaseOptions { Path = path }), NullLogger<HistoryDatabase>.Instance);

        database.Migrate();

        await using var connection = database.Open();
        Assert.Equal([(1L, "firing", "info", 0L, 0L), (1L, "resolved", "info", 1L, 60_000L), (2L, "firing", "critical", 1L, 0L)],
            await connection.QueryAsync<(long, string, string, long, long)>(
                "SELECT hour, status, severity, occurrences, resolve_ms_sum FROM alert_stats_hourly ORDER BY hour, status"));
        Assert.Equal(["tr_alert_stats_hourly_delete"], await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'trigger'"));
    }

    [Fact]
    public void Migrate_Refuses_WhenTheFileHasANewerSchemaThanThisBuild()
    {
        using (var connection = _db.Database.Open())
        {
            connection.Execute($"PRAGMA user_version = {Migrations.All[^1].Version + 1}");
        }

        var error = Assert.Throws<StoreStartupException>(() => _db.Database.Migrate());

        Assert.Contains("newer than this build", error.Message);
    }

    [Fact]
    public void Migrate_CreatesTheDirectory_WhenItDoesNotExist()
    {
        var path = Path.Combine(_db.Directory, "nested", "deeper", "relay.db");
        var database = new HistoryDatabase(Options.Create(new DatabaseOptions { Path = path }), NullLogger<HistoryDatabase>.Instance);

        database.Migrate();

        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task Schema_GivesGrafanaEpochSecondColumns_NextToTheMillisecondOnes()
    {
        await using var connection = _db.Database.Open();
        await connection.ExecuteAsync(
            """
            INSERT INTO alert_occurrences (fingerprint, starts_at_ms, ends_at_ms, status, labels, annotations, received_at_ms, updated_at_ms)
            VALUES (1, 1764023550253, 1764023577741, 'resolved', '{}', '{}', 1764023580000, 1764023580000)
            """);

        var row = await connection.QuerySingleAsync<(long StartsAt, long EndsAt, long ReceivedAt)>(
            "SELECT starts_at, ends_at, received_at FROM alert_occurrences");

        Assert.Equal((1764023550L, 1764023577L, 1764023580L), row);
    }

    [Fact]
    public async Task Schema_RejectsAStatusOtherThanFiringOrResolved()
    {
        await using var connection = _db.Database.Open();

        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
            "INSERT INTO alert_occurrences (fingerprint, starts_at_ms, status, labels, annotations, received_at_ms, updated_at_ms) VALUES (1, 1, 'pending', '{}', '{}', 1, 1)"));
    }
}
