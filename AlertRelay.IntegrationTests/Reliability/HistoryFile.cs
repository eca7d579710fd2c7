using Dapper;
using Microsoft.Data.Sqlite;

namespace AlertRelay.IntegrationTests.Reliability;

/// <summary>Reads a relay's SQLite history file directly (no pooling, so the file is released at once): what was stored, what was queued, what was delivered.</summary>
public sealed class HistoryFile(string path)
{
    public string Path { get; } = path;

    /// <summary>Every occurrence by alertname (the tests' alertnames are unique): its id, status, and how many rows carry the name.</summary>
    public async Task<IReadOnlyDictionary<string, StoredAlert>> AlertsAsync()
    {
        await using var connection = Open();
        var rows = await connection.QueryAsync<(string Name, long Id, string Status, long Copies)>(
            "SELECT alertname, min(id), min(status), count(*) FROM alert_occurrences GROUP BY alertname");
        return rows.ToDictionary(r => r.Name, r => new StoredAlert(r.Id, r.Status, (int)r.Copies), StringComparer.Ordinal);
    }

    /// <summary>Every notification with the alertname it is about (the tests send no digests), its kind, status and delivery reference.</summary>
    public async Task<IReadOnlyList<StoredNotification>> NotificationsAsync()
    {
        await using var connection = Open();
        var rows = await connection.QueryAsync<(long Id, string Alert, string Integration, string Kind, string Status, long Attempts, string? DeliveryRef)>(
            """
            SELECT n.id, o.alertname, n.integration, n.kind, n.status, n.attempts, n.delivery_ref
            FROM notifications n JOIN notification_alerts a ON a.notification_id = n.id JOIN alert_occurrences o ON o.id = a.occurrence_id
            ORDER BY n.id
            """);
        return rows.Select(r => new StoredNotification(r.Id, r.Alert, r.Integration, r.Kind, r.Status, (int)r.Attempts, r.DeliveryRef)).ToList();
    }

    /// <summary>Row counts of the tables a webhook writes, and notifications or events pointing at no occurrence (half-written state).</summary>
    public async Task<TableCounts> CountsAsync()
    {
        await using var connection = Open();
        return await connection.QuerySingleAsync<TableCounts>(
            """
            SELECT (SELECT count(*) FROM alert_occurrences) AS Occurrences,
                   (SELECT count(*) FROM alert_events) AS Events,
                   (SELECT count(*) FROM notifications) AS Notifications,
                   (SELECT count(*) FROM alert_events e WHERE NOT EXISTS (SELECT 1 FROM alert_occurrences o WHERE o.id = e.occurrence_id))
                 + (SELECT count(*) FROM notification_alerts a WHERE NOT EXISTS (SELECT 1 FROM alert_occurrences o WHERE o.id = a.occurrence_id))
                 + (SELECT count(*) FROM notifications n WHERE NOT EXISTS (SELECT 1 FROM notification_alerts a WHERE a.notification_id = n.id)) AS Orphans,
                   (SELECT count(*) FROM alert_occurrences o
                    WHERE NOT EXISTS (SELECT 1 FROM alert_events e WHERE e.occurrence_id = o.id AND e.kind = 'received')
                       OR NOT EXISTS (SELECT 1 FROM alert_events e WHERE e.occurrence_id = o.id AND e.kind = 'routed')) AS WithoutTimeline
            """);
    }

    /// <summary>How many timeline events of <paramref name="kind"/> the history holds (e.g. <c>notification_retry</c>).</summary>
    public async Task<long> EventCountAsync(string kind)
    {
        await using var connection = Open();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM alert_events WHERE kind = @Kind", new { Kind = kind });
    }

    /// <summary>PRAGMA integrity_check's answer ("ok" when the file is sound).</summary>
    public async Task<string> IntegrityCheckAsync()
    {
        await using var connection = Open();
        return string.Join("; ", await connection.QueryAsync<string>("PRAGMA integrity_check"));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        connection.Execute("PRAGMA busy_timeout = 5000;");
        return connection;
    }
}
