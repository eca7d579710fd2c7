using System.Text.Json;
using AlertRelay.Core.Postgres;
using AlertRelay.Tests.TestData;
using Npgsql;

namespace AlertRelay.Tests.Postgres;

/// <summary>
/// The claim query's cost on a young database: tables filled faster than autovacuum analyses them, so the planner has no
/// statistics (a new install's first storm, and every replica test). Measured in buffers the query touches (deterministic, unlike
/// time): the flat joins it replaced touched 48.6 million for this outbox (37 s, past Npgsql's command timeout); the nested
/// lookups touch about 81,000.
/// </summary>
public sealed class PostgresOutboxStoreTests : IAsyncLifetime
{
    private const int Occurrences = 1_600;
    private PostgresTestStore _store = null!;

    public async Task InitializeAsync() => _store = await PostgresTestStore.CreatePostgresAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task ClaimSql_TouchesBuffersInProportionToTheDueRows_WhenTheTablesHaveNoStatisticsYet()
    {
        await using var connection = new NpgsqlConnection(_store.ConnectionString);
        await connection.OpenAsync();
        // A storm's resolves queued behind its firings: per occurrence a Slack and an email firing (the last quarter still
        // pending) and a Slack and an email resolve (all pending), each notification linked to its occurrence.
        await ExecuteAsync(connection, $"""
            ALTER TABLE notifications SET (autovacuum_enabled = false);
            ALTER TABLE notification_alerts SET (autovacuum_enabled = false);
            INSERT INTO alert_occurrences (id, fingerprint, starts_at_ms, status, labels, annotations, received_at_ms, updated_at_ms)
            SELECT g, g, 1000, 'resolved', '{"{}"}', '{"{}"}', 1, 1 FROM generate_series(1, {Occurrences}) g;
            INSERT INTO notifications (id, receiver, integration, integration_index, kind, status, next_attempt_ms, created_at_ms, updated_at_ms)
            SELECT g * 4 + i, 'oncall', CASE WHEN i = 0 THEN 'slack' ELSE 'email' END, 0, 'firing',
                   CASE WHEN g > {Occurrences * 3 / 4} THEN 'pending' ELSE 'sent' END, 1, 1, 1
            FROM generate_series(1, {Occurrences}) g, generate_series(0, 1) i;
            INSERT INTO notifications (id, receiver, integration, integration_index, kind, status, next_attempt_ms, created_at_ms, updated_at_ms)
            SELECT g * 4 + 2 + i, 'oncall', CASE WHEN i = 0 THEN 'slack' ELSE 'email' END, 0, 'resolved', 'pending', 2, 1, 1
            FROM generate_series(1, {Occurrences}) g, generate_series(0, 1) i;
            INSERT INTO notification_alerts SELECT id, id / 4 FROM notifications;
            """);
        Assert.Equal(0L, await ScalarAsync(connection, "SELECT count(*) FROM pg_stats WHERE tablename IN ('notifications', 'notification_alerts')"));

        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + PostgresOutboxStore.ClaimSql, connection);
        explain.Parameters.AddWithValue("Now", 10L);
        explain.Parameters.AddWithValue("Batch", 32);
        explain.Parameters.AddWithValue("Held", Array.Empty<long>());
        explain.Parameters.AddWithValue("FullTargets", Array.Empty<string>());
        var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!).RootElement[0].GetProperty("Plan");
        var buffers = plan.GetProperty("Shared Hit Blocks").GetInt64() + plan.GetProperty("Shared Read Blocks").GetInt64();

        Assert.Equal(32, plan.GetProperty("Actual Rows").GetInt32());
        Assert.True(buffers < 1_000_000, $"the claim touched {buffers:N0} buffers for {Occurrences * 4:N0} notifications: a plan quadratic in the pending rows");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
