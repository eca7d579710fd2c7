using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Notify;
using Dapper;
using Npgsql;

namespace AlertRelay.Core.Postgres;

/// <summary>Recording delivery outcomes: the notification's new state and an event on the timeline of each of its occurrences.</summary>
public sealed partial class PostgresOutboxStore
{
    public async Task<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<NotificationOutcome> outcomes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Lock the rows in id order first: two replicas recording the same notifications (one's lease ran out) then wait for
        // each other instead of deadlocking, and the outcomes are still recorded (and their events added) in the order given.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT id FROM notifications WHERE id = ANY(@Ids) ORDER BY id FOR NO KEY UPDATE",
            new { Ids = outcomes.Select(o => o.Notification.Id).ToArray() }, transaction, cancellationToken: cancellationToken));
        var recorded = new List<bool>(outcomes.Count);
        foreach (var outcome in outcomes)
        {
            recorded.Add(await RecordAsync(connection, transaction, outcome, now, cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return recorded;
    }

    private static async Task<bool> RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, NotificationOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var notification = outcome.Notification;
        var (receiver, integration, _) = notification.Target;
        var kind = Outbox.KindText(notification.Kind);
        var attempt = outcome.Attempt;
        var nowMs = UnixMillis.From(now);

        string eventKind;
        object detail;
        switch (outcome.Decision)
        {
            case DeliveryDecision.Delivered delivered:
                if (!await UpdateAsync(connection, transaction, notification.Id, "sent", attempt, nowMs, null, null, delivered.Reference, cancellationToken))
                {
                    return false;
                }

                eventKind = EventKinds.Notified;
                detail = new
                {
                    notification = notification.Id, receiver, integration, kind, attempt,
                    latencyMs = nowMs - UnixMillis.From(notification.CreatedAt),
                };
                break;

            case DeliveryDecision.Retry retry:
                var nextAttemptMs = nowMs + (long)retry.Delay.TotalMilliseconds;
                if (!await UpdateAsync(connection, transaction, notification.Id, "pending", attempt, nowMs, nextAttemptMs, retry.Reason, null, cancellationToken))
                {
                    return false;
                }

                // Bounded by MaxAttempts, so an outage leaves a readable trail rather than a flood.
                eventKind = EventKinds.NotificationRetry;
                detail = new
                {
                    notification = notification.Id, receiver, integration, kind, attempt,
                    reason = retry.Reason, nextAttemptAt = Rfc3339.Format(now + retry.Delay),
                };
                break;

            case DeliveryDecision.Dead dead:
                if (!await UpdateAsync(connection, transaction, notification.Id, "dead", attempt, nowMs, null, dead.Reason, null, cancellationToken))
                {
                    return false;
                }

                eventKind = EventKinds.NotificationFailed;
                detail = new { notification = notification.Id, receiver, integration, kind, attempt, reason = dead.Reason };
                break;

            default:
                throw new ArgumentException($"unknown decision {outcome.Decision}", nameof(outcome));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO alert_events (occurrence_id, at_ms, kind, detail) SELECT occurrence_id, @AtMs, @Kind, @Detail FROM notification_alerts WHERE notification_id = @Id ORDER BY occurrence_id",
            new { notification.Id, AtMs = nowMs, Kind = eventKind, Detail = JsonSerializer.Serialize(detail, HistoryJson.Options) },
            transaction, cancellationToken: cancellationToken));
        return true;
    }

    /// <summary>Records an outcome unless another dispatcher already finished the notification (its lease ran out meanwhile).</summary>
    private static async Task<bool> UpdateAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long id, string status, int attempts, long nowMs, long? nextAttemptMs,
        string? error, DeliveryRef? reference, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE notifications
            SET status = @Status, attempts = @Attempts, claimed_until_ms = NULL, updated_at_ms = @Now,
                next_attempt_ms = coalesce(@NextAttemptMs, next_attempt_ms), last_error = @Error,
                delivery_ref = coalesce(@Reference, delivery_ref),
                sent_at_ms = CASE WHEN @Status = 'sent' THEN @Now ELSE sent_at_ms END
            WHERE id = @Id AND status = 'pending'
            """,
            new
            {
                Id = id, Status = status, Attempts = attempts, Now = nowMs, NextAttemptMs = nextAttemptMs, Error = error,
                Reference = reference is null ? null : JsonSerializer.Serialize(reference, HistoryJson.Options),
            },
            transaction, cancellationToken: cancellationToken)) == 1;
}
