using AlertRelay.Core.Notify;
using AlertRelay.Core.Schedules;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlertRelay.Core.History;

/// <summary>
/// Queues notifications in the <c>notifications</c> table inside the caller's transaction (the one that stores the
/// change that causes them: a transactional outbox), so a change and its notifications commit or vanish together.
/// </summary>
internal static class OutboxRows
{
    /// <summary>Queues one notification about <paramref name="occurrenceIds"/> (one, or several for a digest), and who it pages.</summary>
    public static long Enqueue(
        SqliteConnection connection, SqliteTransaction transaction, NotificationTarget target, NotificationKind kind,
        IReadOnlyCollection<long> occurrenceIds, string? detail, long nowMs, OncallPage? page = null)
    {
        var id = connection.ExecuteScalar<long>(
            """
            INSERT INTO notifications (receiver, integration, integration_index, kind, detail, next_attempt_ms, created_at_ms, updated_at_ms,
                                       paged_schedule, paged_participant)
            VALUES (@Receiver, @Integration, @Index, @Kind, @Detail, @Now, @Now, @Now, @Schedule, @Participant)
            RETURNING id
            """,
            new
            {
                target.Receiver, target.Integration, target.Index, Kind = Outbox.KindText(kind), Detail = detail, Now = nowMs,
                page?.Schedule, page?.Participant,
            },
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
}
