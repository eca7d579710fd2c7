using AlertRelay.Core.Alerts;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.History;
using AlertRelay.Core.Notify;
using Dapper;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// The escalation ladders in the <c>escalations</c> table on PostgreSQL, shared by every replica: a pass locks the due ladders
/// it takes (and their occurrences) with <c>SKIP LOCKED</c>, so passes running at once on several replicas take different
/// ladders and each step is planned once; the plans are written in the same transaction.
/// </summary>
public sealed class PostgresEscalationStore(PostgresDatabase database) : IEscalationStore
{
    public async Task<bool> AnyDueAsync(long nowMs, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT 1 FROM escalations WHERE next_due_ms IS NOT NULL AND next_due_ms <= @Now LIMIT 1",
            new { Now = nowMs }, cancellationToken: cancellationToken)) is not null;
    }

    public async Task<IReadOnlyList<EscalationPlan>> RunDueAsync(
        long nowMs, int max, Func<DueEscalation, EscalationPlan> plan, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The occurrence is locked with its ladder: a ladder whose occurrence an ingest transaction is changing waits for the
        // next pass, rather than both waiting on each other (the ingest writer changes the occurrence, then the ladder).
        // A ladder another pass took meanwhile is checked again as it is now: its next step is no longer due.
        var due = await connection.QueryAsync<DueEscalationRow>(new CommandDefinition(
            """
            SELECT e.occurrence_id AS OccurrenceId, e.policy AS Policy, e.firing_since_ms AS FiringSinceMs, e.steps_done AS StepsDone,
                   o.status AS Status, o.severity AS Severity, o.inhibited_by AS InhibitedBy, o.acked_by AS AckedBy,
                   o.ack_comment AS AckComment, o.acked_at_ms AS AckedAtMs, o.ack_expires_at_ms AS AckExpiresAtMs,
                   e.reminders_sent AS RemindersSent, e.next_reminder_ms AS NextReminderMs, o.silence_id AS SilenceId,
                   o.silence_ends_at_ms AS SilenceEndsAtMs
            FROM escalations e JOIN alert_occurrences o ON o.id = e.occurrence_id
            WHERE e.next_due_ms IS NOT NULL AND e.next_due_ms <= @Now
            ORDER BY e.next_due_ms
            LIMIT @Max
            FOR NO KEY UPDATE OF e, o SKIP LOCKED
            """,
            new { Now = nowMs, Max = max }, transaction, cancellationToken: cancellationToken));

        var plans = new List<EscalationPlan>();
        var stats = new StatsDelta(); // the severities set, for the hourly stats rollup
        foreach (var row in due)
        {
            var step = plan(row.ToDue(nowMs));
            plans.Add(step);
            if (step.Severity is { } severity)
            {
                // The occurrence is locked since the select: the severity before is the one selected.
                var stored = await connection.QuerySingleAsync<(long StartsAtMs, string Status, long? EndsAtMs)>(new CommandDefinition(
                    "UPDATE alert_occurrences SET severity = @Severity, updated_at_ms = @Now WHERE id = @Id RETURNING starts_at_ms, status, ends_at_ms",
                    new { Severity = severity, Now = nowMs, Id = step.OccurrenceId }, transaction, cancellationToken: cancellationToken));
                var before = new StatsFacts(stored.StartsAtMs, stored.Status, row.Severity, stored.EndsAtMs);
                stats.Add(before, before with { Severity = severity });
            }

            foreach (var e in step.Events)
            {
                await PostgresEventLog.AddAsync(connection, transaction, e, nowMs, cancellationToken);
            }

            foreach (var n in step.Notifications)
            {
                PostgresOutboxRows.Enqueue(connection, transaction, n.Target, n.Kind, n.OccurrenceIds, n.Detail, nowMs, n.Page);
            }

            if (step.Reminders.Detail is { } reminder)
            {
                // Who was told it fires hears it again, queued with the state that says it was sent: once, whichever pass takes it.
                foreach (var target in PostgresOutboxRows.NotifiedTargets(connection, transaction, step.OccurrenceId))
                {
                    PostgresOutboxRows.Enqueue(connection, transaction, target, NotificationKind.Reminder, [step.OccurrenceId], reminder, nowMs);
                }
            }

            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE escalations SET steps_done = @StepsDone, next_due_ms = @NextDueMs, reminders_sent = @RemindersSent,
                                       next_reminder_ms = @NextReminderMs, updated_at_ms = @Now
                WHERE occurrence_id = @Id
                """,
                new { Id = step.OccurrenceId, step.StepsDone, step.NextDueMs, RemindersSent = step.Reminders.Sent, NextReminderMs = step.Reminders.NextMs, Now = nowMs },
                transaction, cancellationToken: cancellationToken));
        }

        await PostgresStatsRollup.ApplyAsync(connection, transaction, stats, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return plans;
    }
}
