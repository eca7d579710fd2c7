using AlertRelay.Core.Notify;
using AlertRelay.Core.Schedules;
using Dapper;
using Npgsql;

namespace AlertRelay.Core.Postgres;

/// <summary>Queues notifications in the caller's transaction (a transactional outbox), as <c>History.OutboxRows</c> does on SQLite.</summary>
internal static class PostgresOutboxRows
{
    /// <summary>
    /// Queues one notification about some occurrences: $1 receiver, $2 integration, $3 integration index, $4 kind, $5 detail, $6 now
    /// (ms), $7 the occurrence ids (bigint[]), $8 and $9 the paged schedule and participant (text, null unless it pages someone).
    /// </summary>
    public const string EnqueueSql = """
        WITH n AS (
            INSERT INTO notifications (receiver, integration, integration_index, kind, detail, next_attempt_ms, created_at_ms, updated_at_ms,
                                       paged_schedule, paged_participant)
            VALUES ($1, $2, $3, $4, $5, $6, $6, $6, $8, $9)
            RETURNING id
        )
        INSERT INTO notification_alerts (notification_id, occurrence_id) SELECT n.id, o FROM n, unnest($7::bigint[]) AS o
        """;

    public static void Enqueue(
        NpgsqlConnection connection, NpgsqlTransaction transaction, NotificationTarget target, NotificationKind kind,
        IReadOnlyCollection<long> occurrenceIds, string? detail, long nowMs, OncallPage? page = null)
    {
        using var command = new NpgsqlCommand(EnqueueSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = target.Receiver });
        command.Parameters.Add(new NpgsqlParameter { Value = target.Integration });
        command.Parameters.Add(new NpgsqlParameter { Value = target.Index });
        command.Parameters.Add(new NpgsqlParameter { Value = Outbox.KindText(kind) });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)detail ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = nowMs });
        command.Parameters.Add(new NpgsqlParameter { Value = occurrenceIds.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)page?.Schedule ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)page?.Participant ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.ExecuteNonQuery();
    }

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
