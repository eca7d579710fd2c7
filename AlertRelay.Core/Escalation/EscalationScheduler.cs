using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.History;
using AlertRelay.Core.Notify;
using Dapper;
using Microsoft.Extensions.Logging;

namespace AlertRelay.Core.Escalation;

/// <summary>
/// Runs due escalation steps. State lives in the <c>escalations</c> table: each pass takes the ladders whose
/// <c>next_due_ms</c> has come, asks <see cref="EscalationStage.Decide"/> what to do, and records the steps
/// it ran, their events and the next due time in one transaction — so a restart neither loses a step
/// nor fires one twice. Muted (inhibited) alerts wait until they are released.
/// </summary>
public sealed class EscalationScheduler(
    HistoryDatabase database, RelayConfigProvider config, OutboxSignal outboxSignal, TimeProvider time, ILogger<EscalationScheduler> logger)
{
    private const int MaxPerPass = 500;

    /// <summary>One pass; returns the number of steps run.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var nowMs = UnixMillis.From(now);
        var current = config.Current;
        var policies = current.Escalations;
        var queued = 0;
        await using var connection = database.Open();

        // Look before taking the write lock: an idle pass must not make the ingest writer wait.
        var anyDue = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT 1 FROM escalations WHERE next_due_ms IS NOT NULL AND next_due_ms <= @Now LIMIT 1",
            new { Now = nowMs }, cancellationToken: cancellationToken));
        if (anyDue is null)
        {
            return 0;
        }

        await using var transaction = connection.BeginTransaction(deferred: false);
        var due = (await connection.QueryAsync<DueRow>(new CommandDefinition(
            """
            SELECT e.occurrence_id AS OccurrenceId, e.policy AS Policy, e.firing_since_ms AS FiringSinceMs, e.steps_done AS StepsDone,
                   o.status AS Status, o.severity AS Severity, o.inhibited_by AS InhibitedBy, o.acked_by AS AckedBy,
                   o.ack_comment AS AckComment, o.acked_at_ms AS AckedAtMs, o.ack_expires_at_ms AS AckExpiresAtMs
            FROM escalations e JOIN alert_occurrences o ON o.id = e.occurrence_id
            WHERE e.next_due_ms IS NOT NULL AND e.next_due_ms <= @Now
            ORDER BY e.next_due_ms
            LIMIT @Max
            """,
            new { Now = nowMs, Max = MaxPerPass }, transaction, cancellationToken: cancellationToken))).AsList();

        var stepsRun = 0;
        foreach (var row in due)
        {
            var policy = policies.FirstOrDefault(p => p.Name == row.Policy);
            if (policy is null)
            {
                logger.LogWarning("Escalation policy {policy} of alert {id} is no longer configured; its escalation stops", row.Policy, row.OccurrenceId);
                await SetDueAsync(connection, transaction, row.OccurrenceId, row.StepsDone, null, nowMs, cancellationToken);
                continue;
            }

            if (row.InhibitedBy is not null && row.Status == AlertStatusText.Firing)
            {
                // A muted alert does not page anyone; releasing it sets next_due again.
                await SetDueAsync(connection, transaction, row.OccurrenceId, row.StepsDone, null, nowMs, cancellationToken);
                continue;
            }

            var ack = row.AckedBy is null
                ? null
                : new Acknowledgement(row.AckedBy, row.AckComment, UnixMillis.ToDateTimeOffset(row.AckedAtMs ?? nowMs),
                    row.AckExpiresAtMs is { } expires ? UnixMillis.ToDateTimeOffset(expires) : null);
            var state = new EscalationState(policy, UnixMillis.ToDateTimeOffset(row.FiringSinceMs), (int)row.StepsDone,
                row.Status == AlertStatusText.Firing, ack);
            var decision = EscalationStage.Decide(state, now);

            var severity = row.Severity;
            foreach (var (index, step) in decision.Steps)
            {
                var previousSeverity = severity;
                if (step.SetSeverity is { } raised && raised != severity)
                {
                    severity = raised;
                    await connection.ExecuteAsync(new CommandDefinition(
                        "UPDATE alert_occurrences SET severity = @Severity, updated_at_ms = @Now WHERE id = @Id",
                        new { Severity = severity, Now = nowMs, Id = row.OccurrenceId }, transaction, cancellationToken: cancellationToken));
                }

                await EventLog.AddAsync(connection, transaction, row.OccurrenceId, EventKinds.Escalated, nowMs, new
                {
                    policy = policy.Name,
                    step = index,
                    after = PrometheusDuration.Format(step.After),
                    notify = step.Notify,
                    setSeverity = step.SetSeverity,
                    previousSeverity = step.SetSeverity is null ? null : previousSeverity,
                }, cancellationToken);
                if (step.Notify is { } receiver)
                {
                    // The step's notification commits with the step itself: never one without the other.
                    foreach (var target in NotificationTarget.Of(current.FindReceiver(receiver)))
                    {
                        Outbox.Enqueue(connection, transaction, target, NotificationKind.Escalation, [row.OccurrenceId], $"{policy.Name} step {index}", nowMs);
                        queued++;
                    }
                }

                stepsRun++;
                EscalationMetrics.StepsRun.WithLabels(policy.Name).Inc();
                logger.LogInformation("Escalated alert {id} ({policy} step {step}): notify {receiver}, severity {severity}",
                    row.OccurrenceId, policy.Name, index, step.Notify ?? "-", severity);
            }

            var stepsDone = decision.Steps.Count > 0 ? decision.Steps[^1].Index + 1 : row.StepsDone;
            long? nextDueMs = decision.NextCheckAt is { } next ? UnixMillis.From(next) : null;
            await SetDueAsync(connection, transaction, row.OccurrenceId, stepsDone, nextDueMs, nowMs, cancellationToken);
        }

        transaction.Commit();
        if (queued > 0)
        {
            outboxSignal.Wake();
        }

        return stepsRun;
    }

    private static Task SetDueAsync(
        Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, long id, long stepsDone, long? nextDueMs,
        long nowMs, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE escalations SET steps_done = @StepsDone, next_due_ms = @NextDueMs, updated_at_ms = @Now WHERE occurrence_id = @Id",
            new { Id = id, StepsDone = stepsDone, NextDueMs = nextDueMs, Now = nowMs }, transaction, cancellationToken: cancellationToken));

    private sealed class DueRow
    {
        public long OccurrenceId { get; set; }

        public string Policy { get; set; } = "";

        public long FiringSinceMs { get; set; }

        public long StepsDone { get; set; }

        public string Status { get; set; } = "";

        public string Severity { get; set; } = "";

        public long? InhibitedBy { get; set; }

        public string? AckedBy { get; set; }

        public string? AckComment { get; set; }

        public long? AckedAtMs { get; set; }

        public long? AckExpiresAtMs { get; set; }
    }
}
