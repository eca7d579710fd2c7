using AlertRelay.Core.Alerts;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.Notify;
using Dapper;

namespace AlertRelay.Core.History;

/// <summary>The escalation ladders in the <c>escalations</c> table: due ones are taken and their plans written in one write transaction.</summary>
public sealed class SqliteEscalationStore(HistoryDatabase database) : IEscalationStore
{
    public async Task<bool> AnyDueAsync(long nowMs, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT 1 FROM escalations WHERE next_due_ms IS NOT NULL AND next_due_ms <= @Now LIMIT 1",
            new { Now = nowMs }, cancellationToken: cancellationToken)) is not null;
    }

    public async Task<IReadOnlyList<EscalationPlan>> RunDueAsync(
        long nowMs, int max, Func<DueEscalation, EscalationPlan> plan, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction(deferred: false); // the write lock first: racing passes take turns
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
                // The write lock is held since the select: the severity before is the one selected.
                var stored = await connection.QuerySingleAsync<(long StartsAtMs, string Status, long? EndsAtMs)>(new CommandDefinition(
                    "UPDATE alert_occurrences SET severity = @Severity, updated_at_ms = @Now WHERE id = @Id RETURNING starts_at_ms, status, ends_at_ms",
                    new { Severity = severity, Now = nowMs, Id = step.OccurrenceId }, transaction, cancellationToken: cancellationToken));
                var before = new StatsFacts(stored.StartsAtMs, stored.Status, row.Severity, stored.EndsAtMs);
                stats.Add(before, before with { Severity = severity });
            }

            foreach (var e in step.Events)
            {
                await EventLog.AddAsync(connection, transaction, e, nowMs, cancellationToken);
            }

            foreach (var n in step.Notifications)
            {
                OutboxRows.Enqueue(connection, transaction, n.Target, n.Kind, n.OccurrenceIds, n.Detail, nowMs, n.Page);
            }

            if (step.Reminders.Detail is { } reminder)
            {
                // Who was told it fires hears it again, queued with the state that says it was sent: once, whichever pass takes it.
                foreach (var target in OutboxRows.NotifiedTargets(connection, transaction, step.OccurrenceId))
                {
                    OutboxRows.Enqueue(connection, transaction, target, NotificationKind.Reminder, [step.OccurrenceId], reminder, nowMs);
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

        SqliteStatsRollup.Apply(connection, transaction, stats);
        transaction.Commit();
        return plans;
    }
}
