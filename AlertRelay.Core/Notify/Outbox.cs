using AlertRelay.Core.Alerts;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlertRelay.Core.Notify;

/// <summary>
/// Queues notifications in the <c>notifications</c> table inside the caller's transaction (the one that stores
/// the alert change that causes them: a transactional outbox), so a change and its notifications commit or
/// vanish together.
/// </summary>
public static class Outbox
{
    /// <summary>Queues one notification about <paramref name="occurrenceIds"/> (one, or several for a digest).</summary>
    public static long Enqueue(
        SqliteConnection connection, SqliteTransaction transaction, NotificationTarget target, NotificationKind kind,
        IReadOnlyCollection<long> occurrenceIds, string? detail, long nowMs)
    {
        var id = connection.ExecuteScalar<long>(
            """
            INSERT INTO notifications (receiver, integration, integration_index, kind, detail, next_attempt_ms, created_at_ms, updated_at_ms)
            VALUES (@Receiver, @Integration, @Index, @Kind, @Detail, @Now, @Now, @Now)
            RETURNING id
            """,
            new { target.Receiver, target.Integration, target.Index, Kind = KindText(kind), Detail = detail, Now = nowMs },
            transaction);
        connection.Execute(
            "INSERT INTO notification_alerts (notification_id, occurrence_id) VALUES (@Id, @OccurrenceId)",
            occurrenceIds.Select(o => new { Id = id, OccurrenceId = o }),
            transaction);
        return id;
    }

    /// <summary>The integrations that were (or are about to be) told an occurrence fires: they are the ones a resolve goes to.</summary>
    public static IReadOnlyList<NotificationTarget> NotifiedTargets(SqliteConnection connection, SqliteTransaction transaction, long occurrenceId) =>
        connection.Query<(string Receiver, string Integration, long Index)>(
            """
            SELECT DISTINCT n.receiver, n.integration, n.integration_index
            FROM notification_alerts a JOIN notifications n ON n.id = a.notification_id
            WHERE a.occurrence_id = @OccurrenceId AND n.kind IN ('firing', 'escalation', 'digest') AND n.status != 'dead'
            ORDER BY n.id
            """,
            new { OccurrenceId = occurrenceId },
            transaction)
            .Select(t => new NotificationTarget(t.Receiver, t.Integration, (int)t.Index))
            .ToList();

    public static string KindText(NotificationKind kind) => kind.ToString().ToLowerInvariant();

    public static NotificationKind ParseKind(string text) => Enum.Parse<NotificationKind>(text, ignoreCase: true);

    /// <summary>Reads the occurrences a notification is about, as it shows them.</summary>
    internal static async Task<IReadOnlyList<AlertSnapshot>> AlertsOfAsync(SqliteConnection connection, long notificationId, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<SnapshotRow>(
            new CommandDefinition(
                """
                SELECT o.id AS Id, o.fingerprint AS Fingerprint, o.status AS Status, o.labels AS Labels, o.annotations AS Annotations,
                       o.severity AS Severity, o.starts_at_ms AS StartsAtMs, o.ends_at_ms AS EndsAtMs, o.generator_url AS GeneratorUrl
                FROM notification_alerts a JOIN alert_occurrences o ON o.id = a.occurrence_id
                WHERE a.notification_id = @Id
                ORDER BY o.starts_at_ms, o.id
                """,
                new { Id = notificationId }, cancellationToken: cancellationToken));
        return rows.Select(r => new AlertSnapshot(
                r.Id, Fingerprint.FromInt64(r.Fingerprint), r.Status == AlertStatusText.Firing ? AlertStatus.Firing : AlertStatus.Resolved,
                LabelSet.FromJson(r.Labels), LabelSet.FromJson(r.Annotations), r.Severity, UnixMillis.ToDateTimeOffset(r.StartsAtMs),
                r.EndsAtMs is { } ends ? UnixMillis.ToDateTimeOffset(ends) : null, r.GeneratorUrl))
            .ToList();
    }

    private sealed class SnapshotRow
    {
        public long Id { get; set; }

        public long Fingerprint { get; set; }

        public string Status { get; set; } = "";

        public string Labels { get; set; } = "{}";

        public string Annotations { get; set; } = "{}";

        public string Severity { get; set; } = "";

        public long StartsAtMs { get; set; }

        public long? EndsAtMs { get; set; }

        public string GeneratorUrl { get; set; } = "";
    }
}
