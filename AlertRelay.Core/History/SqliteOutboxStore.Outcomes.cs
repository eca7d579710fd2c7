using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlertRelay.Core.History;

/// <summary>Recording delivery outcomes: the notification's new state and an event on the timeline of each of its occurrences.</summary>
public sealed partial class SqliteOutboxStore
{
    public async Task<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<NotificationOutcome> outcomes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        var recorded = new List<bool>(outcomes.Count);
        foreach (var outcome in outcomes)
        {
            recorded.Add(await RecordAsync(connection, transaction, outcome, now, cancellationToken));
        }

        transaction.Commit();
        return recorded;
    }

    private static async Task<bool> RecordAsync(
        SqliteConnection connection, SqliteTransaction transaction, NotificationOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var notification = outcome.Notification;
        var nowMs = UnixMillis.From(now);
        var occurrences = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT occurrence_id FROM notification_alerts WHERE notification_id = @Id", new { notification.Id }, transaction,
            cancellationToken: cancellationToken))).AsList();

        var change = OutcomeChange.Of(outcome, now);
        if (!await UpdateAsync(
                connection, transaction, notification.Id, change.Status, outcome.Attempt, nowMs, change.NextAttemptMs, change.Error, change.Reference,
                cancellationToken))
        {
            return false;
        }

        foreach (var occurrence in occurrences)
        {
            await EventLog.AddAsync(connection, transaction, occurrence, change.EventKind, nowMs, change.Detail, cancellationToken);
        }

        return true;
    }

    /// <summary>Records an outcome unless another dispatcher already finished the notification (its lease ran out meanwhile).</summary>
    private static async Task<bool> UpdateAsync(
        SqliteConnection connection, SqliteTransaction transaction, long id, string status, int attempts, long nowMs, long? nextAttemptMs,
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
