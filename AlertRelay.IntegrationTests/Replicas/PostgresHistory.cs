using AlertRelay.IntegrationTests.Reliability;
using Dapper;
using Npgsql;

namespace AlertRelay.IntegrationTests.Replicas;

/// <summary>
/// Reads the replicas' shared PostgreSQL history directly, as <see cref="HistoryFile"/> reads a SQLite file: what was stored,
/// what was queued, what is still waiting. Unpooled connections, so that a stopped server leaves no broken connection behind.
/// </summary>
public sealed class PostgresHistory(string connectionString)
{
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;

    /// <summary>The occurrences whose alertname starts with <paramref name="prefix"/>, by alertname: id, status and how many rows carry the name.</summary>
    public async Task<IReadOnlyDictionary<string, StoredAlert>> AlertsAsync(string prefix)
    {
        await using var connection = await OpenAsync();
        var rows = await connection.QueryAsync<(string Name, long Id, string Status, long Copies)>(
            "SELECT alertname, min(id), min(status), count(*) FROM alert_occurrences WHERE starts_with(alertname, @Prefix) GROUP BY alertname",
            new { Prefix = prefix });
        return rows.ToDictionary(r => r.Name, r => new StoredAlert(r.Id, r.Status, (int)r.Copies), StringComparer.Ordinal);
    }

    /// <summary>The notifications about alerts whose alertname starts with <paramref name="prefix"/> (the tests send no digests).</summary>
    public async Task<IReadOnlyList<StoredNotification>> NotificationsAsync(string prefix)
    {
        await using var connection = await OpenAsync();
        var rows = await connection.QueryAsync<(long Id, string Alert, string Integration, string Kind, string Status, int Attempts, string? DeliveryRef)>(
            """
            SELECT n.id, o.alertname, n.integration, n.kind, n.status, n.attempts, n.delivery_ref
            FROM notifications n JOIN notification_alerts a ON a.notification_id = n.id JOIN alert_occurrences o ON o.id = a.occurrence_id
            WHERE starts_with(o.alertname, @Prefix)
            ORDER BY n.id
            """,
            new { Prefix = prefix });
        return rows.Select(r => new StoredNotification(r.Id, r.Alert, r.Integration, r.Kind, r.Status, r.Attempts, r.DeliveryRef)).ToList();
    }

    /// <summary>Notifications not yet delivered (pending, including those waiting for a retry or held by a claim, and dead ones).</summary>
    public async Task<long> UndeliveredAsync()
    {
        await using var connection = await OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM notifications WHERE status <> 'sent'");
    }

    /// <summary>Occurrences (alertname starting with <paramref name="prefix"/>) waiting as re-open candidates: a firing copy came after their resolve.</summary>
    public async Task<long> ReopenCandidatesAsync(string prefix)
    {
        await using var connection = await OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM alert_occurrences WHERE starts_with(alertname, @Prefix) AND reopen_due_ms IS NOT NULL", new { Prefix = prefix });
    }

    /// <summary>Timeline events of <paramref name="kind"/> (e.g. <c>stale_copy</c>) of the occurrences whose alertname starts with <paramref name="prefix"/>.</summary>
    public async Task<long> EventCountAsync(string kind, string prefix)
    {
        await using var connection = await OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM alert_events e JOIN alert_occurrences o ON o.id = e.occurrence_id WHERE e.kind = @Kind AND starts_with(o.alertname, @Prefix)",
            new { Kind = kind, Prefix = prefix });
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }
}
