using AlertRelay.Core.Alerts;
using Dapper;

namespace AlertRelay.Core.History;

/// <summary>Acknowledges alert occurrences (stopping their escalation) and takes acknowledgements back.</summary>
public sealed class AcknowledgementStore(HistoryDatabase database) : IAcknowledgements
{
    /// <summary>Records who acknowledged a firing occurrence; acknowledging again replaces the previous acknowledgement.</summary>
    public async Task<AckOutcome> AcknowledgeAsync(long id, string by, string? comment, DateTimeOffset? expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM alert_occurrences WHERE id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));
        if (status is null)
        {
            return AckOutcome.NotFound;
        }

        if (status == AlertStatusText.Resolved)
        {
            return AckOutcome.AlreadyResolved;
        }

        var nowMs = UnixMillis.From(now);
        long? expiresMs = expiresAt is { } e ? UnixMillis.From(e) : null;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE alert_occurrences
            SET acked_by = @By, ack_comment = @Comment, acked_at_ms = @Now, ack_expires_at_ms = @ExpiresMs, updated_at_ms = @Now
            WHERE id = @Id
            """,
            new { Id = id, By = by, Comment = comment, Now = nowMs, ExpiresMs = expiresMs }, transaction, cancellationToken: cancellationToken));
        await EventLog.AddAsync(connection, transaction, id, EventKinds.Acknowledged, nowMs,
            AckEvents.Acknowledged(by, comment, expiresAt), cancellationToken);
        transaction.Commit();
        return AckOutcome.Done;
    }

    /// <summary>Removes an acknowledgement so that escalation resumes.</summary>
    public async Task<AckOutcome> UnacknowledgeAsync(long id, string? by, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        var row = await connection.QuerySingleOrDefaultAsync<AckRow>(new CommandDefinition(
            "SELECT id AS Id, acked_by AS AckedBy FROM alert_occurrences WHERE id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            return AckOutcome.NotFound;
        }

        if (row.AckedBy is null)
        {
            return AckOutcome.NotAcknowledged;
        }

        var nowMs = UnixMillis.From(now);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE alert_occurrences
            SET acked_by = NULL, ack_comment = NULL, acked_at_ms = NULL, ack_expires_at_ms = NULL, updated_at_ms = @Now
            WHERE id = @Id
            """,
            new { Id = id, Now = nowMs }, transaction, cancellationToken: cancellationToken));
        // Escalation resumes: the scheduler looks at the ladder on its next pass and runs what is due.
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE escalations SET next_due_ms = @Now, updated_at_ms = @Now WHERE occurrence_id = @Id",
            new { Id = id, Now = nowMs }, transaction, cancellationToken: cancellationToken));
        await EventLog.AddAsync(connection, transaction, id, EventKinds.Unacknowledged, nowMs,
            AckEvents.Unacknowledged(by, row.AckedBy), cancellationToken);
        transaction.Commit();
        return AckOutcome.Done;
    }
}
