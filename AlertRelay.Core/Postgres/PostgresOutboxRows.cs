using AlertRelay.Core.Notify;
using Dapper;
using Npgsql;

namespace AlertRelay.Core.Postgres;

/// <summary>Queues notifications in the caller's transaction (a transactional outbox), as <c>History.OutboxRows</c> does on SQLite.</summary>
internal static class PostgresOutboxRows
{
    public static long Enqueue(
        NpgsqlConnection connection, NpgsqlTransaction transaction, NotificationTarget target, NotificationKind kind,
        IReadOnlyCollection<long> occurrenceIds, string? detail, long nowMs) =>
        connection.ExecuteScalar<long>(
            """
            WITH n AS (
                INSERT INTO notifications (receiver, integration, integration_index, kind, detail, next_attempt_ms, created_at_ms, updated_at_ms)
                VALUES (@Receiver, @Integration, @Index, @Kind, @Detail, @Now, @Now, @Now)
                RETURNING id
            ), a AS (
                INSERT INTO notification_alerts (notification_id, occurrence_id) SELECT n.id, o FROM n, unnest(@OccurrenceIds) AS o
            )
            SELECT id FROM n
            """,
            new
            {
                target.Receiver, target.Integration, target.Index, Kind = Outbox.KindText(kind), Detail = detail, Now = nowMs,
                OccurrenceIds = occurrenceIds.ToArray(),
            },
            transaction);

    /// <summary>The integrations that were (or are about to be) told an occurrence fires: they are the ones a resolve goes to.</summary>
    public static IReadOnlyList<NotificationTarget> NotifiedTargets(NpgsqlConnection connection, NpgsqlTransaction transaction, long occurrenceId) =>
        connection.Query<(string Receiver, string Integration, int Index)>(
            """
            SELECT n.receiver, n.integration, n.integration_index
            FROM notification_alerts a JOIN notifications n ON n.id = a.notification_id
            WHERE a.occurrence_id = @OccurrenceId AND n.kind IN ('firing', 'escalation', 'digest') AND n.status != 'dead'
            GROUP BY n.receiver, n.integration, n.integration_index
            ORDER BY min(n.id)
            """,
            new { OccurrenceId = occurrenceId },
            transaction)
            .Select(t => new NotificationTarget(t.Receiver, t.Integration, t.Index))
            .ToList();
}
